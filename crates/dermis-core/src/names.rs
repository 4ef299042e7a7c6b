//! How a patient's name is shown: given name first ("Ana Silva"), except
//! when both parts are written in CJK (Han, Kana, Hangul), where the family
//! name comes first with no space ("王小明", "山田花子", "김민준") as it is
//! written in China, Japan and Korea.

/// Han, Kana, Hangul and the CJK marks used in names (iteration mark 々,
/// prolonged sound mark ー, middle dot ・).
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF      // Hangul jamo
        | 0x2E80..=0x2FDF    // CJK radicals
        | 0x3005..=0x3007    // 々 〆 〇
        | 0x3040..=0x30FF    // Hiragana, Katakana (incl. ・ ー)
        | 0x3130..=0x318F    // Hangul compatibility jamo
        | 0x31F0..=0x31FF    // Katakana phonetic extensions
        | 0x3400..=0x4DBF    // Han extension A
        | 0x4E00..=0x9FFF    // Han
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // Han compatibility
        | 0xFF66..=0xFF9F    // half-width Katakana
        | 0x20000..=0x3134F  // Han extensions B–G
    )
}

/// Whether a name part is written entirely in CJK characters.
fn all_cjk(part: &str) -> bool {
    !part.is_empty() && part.chars().all(is_cjk)
}

/// The display name: "first last", or "lastfirst" when both parts are CJK.
/// Surrounding spaces are trimmed; an empty part is left out.
pub fn display_name(first: &str, last: &str) -> String {
    let (first, last) = (first.trim(), last.trim());
    if all_cjk(first) && all_cjk(last) {
        return format!("{last}{first}");
    }
    match (first.is_empty(), last.is_empty()) {
        (true, _) => last.to_string(),
        (_, true) => first.to_string(),
        _ => format!("{first} {last}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_japanese_and_korean_put_the_family_name_first() {
        assert_eq!(display_name("小明", "王"), "王小明");
        assert_eq!(display_name("花子", "山田"), "山田花子");
        assert_eq!(display_name("민준", "김"), "김민준");
        assert_eq!(display_name("ハナコ", "ヤマダ"), "ヤマダハナコ");
    }

    #[test]
    fn other_scripts_put_the_given_name_first() {
        assert_eq!(
            display_name("Zoë", "Ñúñez-Łukasiewicz"),
            "Zoë Ñúñez-Łukasiewicz"
        );
        assert_eq!(display_name("Ελένη", "Παπαδοπούλου"), "Ελένη Παπαδοπούλου");
        assert_eq!(display_name("فاطمة", "الزهراء"), "فاطمة الزهراء");
        assert_eq!(display_name("דוד", "כהן"), "דוד כהן");
    }

    #[test]
    fn mixed_scripts_keep_the_western_order() {
        assert_eq!(display_name("Ana", "王"), "Ana 王");
        assert_eq!(display_name("小明", "Wang"), "小明 Wang");
    }

    #[test]
    fn spaces_and_empty_parts() {
        assert_eq!(display_name("  小明 ", " 王 "), "王小明");
        assert_eq!(display_name("", "Silva"), "Silva");
        assert_eq!(display_name("Ana", "  "), "Ana");
        assert_eq!(display_name("", ""), "");
        // A space inside a CJK part is not CJK: western order.
        assert_eq!(display_name("小 明", "王"), "小 明 王");
    }
}
