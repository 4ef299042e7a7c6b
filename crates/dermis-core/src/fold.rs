//! Search folding: the same text in, the same key out, whatever accents, case or
//! compatibility forms were typed.
//!
//! "José" and "jose", "Müller" and "muller", "ΓΙΏΡΓΟΣ" and "γιωργος",
//! "أحمد" and "احمد" fold to the same key. Scripts without case or accents (CJK,
//! Hangul) pass through unchanged, so a search in any script works.

use std::collections::BTreeSet;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Longest indexed term, in characters. Longer query words still match: the
/// store narrows by the first `TERM_MAX_CHARS` characters and then checks the
/// whole word against the folded name.
pub const TERM_MAX_CHARS: usize = 24;

/// Folds `s` for searching: compatibility-decomposes it, drops combining marks
/// (accents, Hebrew points, Arabic harakat), lower-cases it, maps the few
/// letters that do not decompose (ß, æ, ø, ł, ...), drops apostrophes and turns
/// every other non-alphanumeric run into one space. The result is trimmed.
pub fn fold(s: &str) -> String {
    let stripped: String = s.nfkd().filter(|c| !is_combining_mark(*c)).collect();
    let mut out = String::with_capacity(stripped.len());
    let mut pending_space = false;
    // Recompose so Hangul syllables stay syllables after NFKD split them into jamo.
    for c in stripped.nfc().flat_map(char::to_lowercase) {
        let mapped: &str = match c {
            'ß' => "ss",
            'æ' => "ae",
            'œ' => "oe",
            'ø' => "o",
            'đ' | 'ð' => "d",
            'ł' => "l",
            'þ' => "th",
            'ı' => "i",
            'ς' => "σ",
            // Apostrophes vanish: "O'Brien" is found by "obrien".
            '\'' | '’' | 'ʼ' | '`' | '´' | 'ʻ' => "",
            // Arabic tatweel is decoration, not a letter.
            'ـ' => "",
            _ => {
                if c.is_alphanumeric() {
                    if pending_space && !out.is_empty() {
                        out.push(' ');
                    }
                    pending_space = false;
                    out.push(c);
                } else {
                    pending_space = true;
                }
                continue;
            }
        };
        if !mapped.is_empty() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push_str(mapped);
        }
    }
    out
}

/// The folded words of `s`.
pub fn fold_words(s: &str) -> Vec<String> {
    fold(s)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// True for the scripts written without spaces between family and given name
/// (Han, kana, Hangul).
fn is_unspaced_script(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF   // Hiragana, Katakana
        | 0x3400..=0x4DBF // CJK Extension A
        | 0x4E00..=0x9FFF // CJK Unified Ideographs
        | 0xAC00..=0xD7AF // Hangul syllables
        | 0xF900..=0xFAFF // CJK compatibility ideographs
        | 0x20000..=0x2FA1F)
}

/// The folded text a patient is found by: "first last", and for Chinese,
/// Japanese and Korean names also family+given written together ("王小明"),
/// the way those names are usually typed.
pub fn name_search_text(first: &str, last: &str) -> String {
    let (f, l) = (fold(first), fold(last));
    let mut text = format!("{f} {l}").trim().to_string();
    let unspaced = |s: &str| !s.is_empty() && s.chars().all(|c| c == ' ' || is_unspaced_script(c));
    if unspaced(&f) && unspaced(&l) {
        text.push(' ');
        text.push_str(&l.replace(' ', ""));
        text.push_str(&f.replace(' ', ""));
    }
    text
}

/// Only the ASCII digits of `s` (other digit systems are folded to ASCII first,
/// so "٠١٢" counts as "012").
pub fn digits(s: &str) -> String {
    s.chars()
        .filter_map(decimal_value)
        .filter_map(|d| char::from_digit(d, 10))
        .collect()
}

/// The value of a decimal digit in the scripts clinics' staff type phone
/// numbers in: ASCII, fullwidth, Arabic-Indic, Persian and Devanagari.
fn decimal_value(c: char) -> Option<u32> {
    let zero = match c {
        '0'..='9' => '0',
        '\u{FF10}'..='\u{FF19}' => '\u{FF10}',
        '\u{0660}'..='\u{0669}' => '\u{0660}',
        '\u{06F0}'..='\u{06F9}' => '\u{06F0}',
        '\u{0966}'..='\u{096F}' => '\u{0966}',
        _ => return None,
    };
    Some(c as u32 - zero as u32)
}

/// Where a search term was cut from: the start of a word, or inside one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TermKind {
    WordStart = 0,
    Inner = 1,
    PhoneDigits = 2,
}

/// Every suffix of every word of `text`, cut to [`TERM_MAX_CHARS`]: a query word
/// matches a name exactly when it is a prefix of one of these terms, so "ose"
/// finds "José" and "小明" finds "王小明" with one index range scan. Suffixes
/// that start a word are kept apart so whole-word matches can be listed first.
pub fn suffix_terms(text: &str) -> BTreeSet<(TermKind, String)> {
    let mut terms = BTreeSet::new();
    for word in fold_words(text) {
        let chars: Vec<char> = word.chars().collect();
        for start in 0..chars.len() {
            let end = (start + TERM_MAX_CHARS).min(chars.len());
            let kind = if start == 0 {
                TermKind::WordStart
            } else {
                TermKind::Inner
            };
            terms.insert((kind, chars[start..end].iter().collect()));
        }
    }
    terms
}

/// Suffixes of a digit string (a phone number), cut to [`TERM_MAX_CHARS`].
pub fn digit_suffix_terms(digits: &str) -> BTreeSet<String> {
    let chars: Vec<char> = digits.chars().collect();
    (0..chars.len())
        .map(|start| {
            let end = (start + TERM_MAX_CHARS).min(chars.len());
            chars[start..end].iter().collect()
        })
        .collect()
}

/// Cuts a query word to the indexed length.
pub fn term_prefix(word: &str) -> String {
    word.chars().take(TERM_MAX_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_accents_and_case_fold_away() {
        assert_eq!(fold("José"), "jose");
        assert_eq!(fold("MÜLLER"), "muller");
        assert_eq!(fold("Ñúñez-García"), "nunez garcia");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Øster Łukasz"), "oster lukasz");
        assert_eq!(fold("O'Brien"), "obrien");
        assert_eq!(fold("  two   spaces  "), "two spaces");
    }

    #[test]
    fn other_scripts_fold_consistently() {
        assert_eq!(fold("ΓΙΏΡΓΟΣ"), fold("γιωργος"));
        assert_eq!(fold("Γιώργος"), "γιωργοσ");
        assert_eq!(fold("Ёлкин"), "елкин");
        assert_eq!(fold("أَحْمَد"), "احمد");
        assert_eq!(fold("שָׁלוֹם"), "שלום");
        assert_eq!(fold("王小明"), "王小明");
        assert_eq!(fold("김민준"), "김민준");
        assert_eq!(fold("ｱｲｳ"), "アイウ");
    }

    #[test]
    fn emoji_is_not_a_letter() {
        assert_eq!(fold("Ana 🌸"), "ana");
    }

    #[test]
    fn suffixes_cover_every_inner_start() {
        let t: BTreeSet<String> = suffix_terms("José Müller")
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        for want in ["jose", "ose", "se", "e", "muller", "uller", "r"] {
            assert!(t.contains(want), "{want} missing from {t:?}");
        }
        let cjk = suffix_terms("王小明");
        assert!(cjk.contains(&(TermKind::Inner, "小明".to_string())));
        assert!(cjk.contains(&(TermKind::WordStart, "王小明".to_string())));
    }

    #[test]
    fn long_words_are_cut() {
        let long = "a".repeat(100);
        assert!(suffix_terms(&long)
            .iter()
            .all(|(_, t)| t.chars().count() <= TERM_MAX_CHARS));
    }

    #[test]
    fn cjk_names_are_also_found_written_together() {
        assert_eq!(name_search_text("小明", "王"), "小明 王 王小明");
        assert_eq!(name_search_text("민준", "김"), "민준 김 김민준");
        assert_eq!(name_search_text("José", "Núñez"), "jose nunez");
    }

    #[test]
    fn digits_keep_only_digits() {
        assert_eq!(digits("+44 (0)20 7946-0958"), "4402079460958");
        assert_eq!(digits("٠١٢"), "012");
    }
}
