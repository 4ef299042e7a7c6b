//! Patient search by every key, in every script, with 1-, 2- and 3+-character queries.

use chrono::NaiveDate;
use dermis_core::search::parse;
use dermis_core::{validate, PatientInput, PatientPage};
use dermis_store::Store;

mod common;

const NOW: &str = "2026-11-24T12:00:00Z";

/// (first, last, date of birth, phone)
const PEOPLE: &[(&str, &str, &str, &str)] = &[
    ("José", "Núñez", "1990-05-17", "+34 612 345 678"),
    ("Jürgen", "Müller", "1975-03-04", "+49 151 2345 6789"),
    ("Zoë", "O'Brien", "1988-12-01", "+44 20 7946 0958"),
    ("Γιώργος", "Παπαδόπουλος", "1969-07-21", "+30 691 234 5678"),
    ("Алёна", "Фёдорова", "1995-02-14", "+7 912 345 6789"),
    ("محمد", "الحسن", "1983-09-09", "+971 50 123 4567"),
    ("נועה", "כהן", "2001-04-30", "+972 52 765 4321"),
    ("小明", "王", "1979-11-11", "+86 138 0013 8000"),
    ("さくら", "佐藤", "1992-06-15", "+81 90 1234 5678"),
    ("민준", "김", "1998-08-08", "+82 10 9876 5432"),
    ("Maria", "Garcia", "1990-05-17", "+34 699 111 222"),
    ("Mario", "Rossi", "1961-01-31", ""),
];

/// `s` with the people above registered.
fn seed(mut s: Store) -> Store {
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    s.write(|tx| -> Result<(), dermis_store::StoreError> {
        for (f, l, d, p) in PEOPLE {
            let v = validate::patient(
                &PatientInput {
                    first_name: f.to_string(),
                    last_name: l.to_string(),
                    date_of_birth: d.to_string(),
                    phone: p.to_string(),
                    ..Default::default()
                },
                today,
            )
            .unwrap();
            tx.insert_patient(&v, NOW)?;
        }
        Ok(())
    })
    .unwrap();
    s
}

fn search_page(s: &mut Store, q: &str, archived: bool, offset: u32, limit: u32) -> PatientPage {
    s.read(|tx| tx.search_patients(&parse(q), archived, offset, limit))
        .unwrap()
}

/// Last names found for `q`, sorted.
fn find(s: &mut Store, q: &str) -> Vec<String> {
    let mut v: Vec<String> = search_page(s, q, false, 0, 50)
        .items
        .into_iter()
        .map(|p| p.last_name)
        .collect();
    v.sort();
    v
}

fn assert_finds(s: &mut Store, q: &str, want: &str) {
    let got = find(s, q);
    assert!(
        got.iter().any(|l| l == want),
        "{q:?} should find {want}, found {got:?}"
    );
}

on_both_backends! {
    fn latin_names_ignore_accents_and_case_at_every_length(s) {
        let mut s = seed(s);
        for q in [
            "j",
            "jo",
            "jos",
            "jose",
            "JOSE",
            "José",
            "nunez",
            "núñez",
            "jose nunez",
            "nunez jose",
            "ose",
            "ñe",
        ] {
            assert_finds(&mut s, q, "Núñez");
        }
        for q in ["m", "mu", "mul", "muller", "MÜLLER", "jurgen", "ller"] {
            assert_finds(&mut s, q, "Müller");
        }
        assert_finds(&mut s, "obrien", "O'Brien");
        assert_finds(&mut s, "o'brien", "O'Brien");
        assert_finds(&mut s, "zoe", "O'Brien");
    }

    fn two_words_must_both_match(s) {
        let mut s = seed(s);
        assert_eq!(find(&mut s, "mari garcia"), ["Garcia"]);
        assert_eq!(find(&mut s, "mari rossi"), ["Rossi"]);
        assert!(find(&mut s, "jose rossi").is_empty());
        assert_eq!(find(&mut s, "mari"), ["Garcia", "Rossi"]);
    }

    fn greek_names(s) {
        let mut s = seed(s);
        for q in [
            "γ",
            "γι",
            "γιω",
            "γιωργος",
            "ΓΙΏΡΓΟΣ",
            "Γιώργος",
            "παπ",
            "πουλος",
        ] {
            assert_finds(&mut s, q, "Παπαδόπουλος");
        }
    }

    fn cyrillic_names(s) {
        let mut s = seed(s);
        for q in ["ф", "фе", "фёд", "федорова", "ФЁДОРОВА", "алена", "ал"]
        {
            assert_finds(&mut s, q, "Фёдорова");
        }
    }

    fn arabic_and_hebrew_names(s) {
        let mut s = seed(s);
        for q in ["م", "مح", "محمد", "مُحَمَّد", "الحسن", "حسن"] {
            assert_finds(&mut s, q, "الحسن");
        }
        for q in ["נ", "נו", "נועה", "כהן"] {
            assert_finds(&mut s, q, "כהן");
        }
    }

    fn cjk_names_by_one_two_and_more_characters(s) {
        let mut s = seed(s);
        for q in ["王", "小", "小明", "明", "王小明", "王 小明"] {
            assert_finds(&mut s, q, "王");
        }
        for q in ["佐", "佐藤", "さ", "さく", "さくら", "佐藤さくら"] {
            assert_finds(&mut s, q, "佐藤");
        }
        for q in ["김", "민", "민준", "김민준"] {
            assert_finds(&mut s, q, "김");
        }
    }

    fn phone_digits_anywhere_in_the_number(s) {
        let mut s = seed(s);
        assert_eq!(find(&mut s, "612 345"), ["Núñez"]);
        assert_eq!(find(&mut s, "+34612345678"), ["Núñez"]);
        assert_eq!(find(&mut s, "0958"), ["O'Brien"]);
        assert_eq!(find(&mut s, "138 0013"), ["王"]);
    }

    fn date_of_birth_in_several_forms(s) {
        let mut s = seed(s);
        for q in ["1990-05-17", "17/05/1990", "17.05.1990", "05/17/1990"] {
            assert_eq!(find(&mut s, q), ["Garcia", "Núñez"], "{q}");
        }
        assert!(find(&mut s, "1990-05-18").is_empty());
    }

    fn patient_number(s) {
        let mut s = seed(s);
        assert_eq!(find(&mut s, "P-000002"), ["Müller"]);
        assert_eq!(find(&mut s, "p2"), ["Müller"]);
        assert_eq!(find(&mut s, "P-000999"), Vec::<String>::new());
    }

    fn archived_patients_are_hidden_unless_asked_for(s) {
        let mut s = seed(s);
        let id = search_page(&mut s, "muller", false, 0, 10).items[0].id;
        s.write(|tx| tx.set_patient_archived(id.0, true, NOW))
            .unwrap();
        assert!(find(&mut s, "muller").is_empty());
        assert!(find(&mut s, "P-000002").is_empty());
        assert!(find(&mut s, "1975-03-04").is_empty());
        assert!(!search_page(&mut s, "", false, 0, 50)
            .items
            .iter()
            .any(|p| p.id == id));
        let with = search_page(&mut s, "muller", true, 0, 10);
        assert_eq!(with.items.len(), 1);
        assert!(with.items[0].archived);
        assert!(search_page(&mut s, "", true, 0, 50)
            .items
            .iter()
            .any(|p| p.id == id));
    }

    fn an_empty_query_lists_everyone_alphabetically_in_pages(s) {
        let mut s = seed(s);
        let first = search_page(&mut s, "", false, 0, 5);
        assert_eq!(first.items.len(), 5);
        assert!(first.has_more);
        assert_eq!(first.items[0].last_name, "Garcia");
        let mut all = first.items.clone();
        let mut offset = 5;
        loop {
            let page = search_page(&mut s, "", false, offset, 5);
            all.extend(page.items.clone());
            offset += 5;
            if !page.has_more {
                break;
            }
        }
        assert_eq!(all.len(), PEOPLE.len());
        let mut ids: Vec<i64> = all.iter().map(|p| p.id.0).collect();
        ids.dedup();
        assert_eq!(ids.len(), PEOPLE.len(), "no patient twice across pages");
    }

    fn search_pages_do_not_repeat_or_skip(s) {
        let mut s = seed(s);
        let a = search_page(&mut s, "m", false, 0, 2);
        let b = search_page(&mut s, "m", false, 2, 2);
        assert!(a.has_more);
        let ids: Vec<i64> = a.items.iter().chain(b.items.iter()).map(|p| p.id.0).collect();
        let mut dedup = ids.clone();
        dedup.sort();
        dedup.dedup();
        assert_eq!(ids.len(), dedup.len());
    }

    fn a_crowd_pages_through_every_match_once_with_one_or_two_words(s) {
        // 120 patients; a word read from several terms of one patient (Maria
        // Marsh: two names start with "mar"), and a second word that only
        // one in three passes: the scan reads on page after page.
        let mut s = s;
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let firsts = ["Maria", "Mario", "Marta", "Ann"];
        let lasts = ["Marsh", "Lee", "Marlow"];
        s.write(|tx| -> Result<(), dermis_store::StoreError> {
            for i in 0..120 {
                let v = validate::patient(
                    &PatientInput {
                        first_name: firsts[i % 4].into(),
                        last_name: lasts[i % 3].into(),
                        date_of_birth: "1980-01-01".into(),
                        ..Default::default()
                    },
                    today,
                )
                .unwrap();
                tx.insert_patient(&v, NOW)?;
            }
            Ok(())
        })
        .unwrap();
        let walk = |s: &mut Store, q: &str, limit: u32| -> Vec<(String, String)> {
            let mut seen = Vec::new();
            let mut offset = 0;
            loop {
                let page = search_page(s, q, false, offset, limit);
                seen.extend(page.items.iter().map(|p| (p.first_name.clone(), p.last_name.clone(), p.id.0)));
                if !page.has_more {
                    break;
                }
                offset += limit;
            }
            let mut ids: Vec<i64> = seen.iter().map(|x| x.2).collect();
            ids.sort();
            ids.dedup();
            assert_eq!(ids.len(), seen.len(), "{q:?}: a patient shown twice");
            seen.into_iter().map(|(f, l, _)| (f, l)).collect()
        };
        let both = walk(&mut s, "mar lee", 7);
        assert_eq!(both.len(), 30, "{both:?}");
        assert!(both.iter().all(|(f, l)| f.starts_with("Mar") && l == "Lee"));
        let one = walk(&mut s, "mar", 50);
        assert_eq!(one.len(), 110, "everyone but Ann Lee");
        assert!(!one.iter().any(|(f, l)| f == "Ann" && l == "Lee"));
    }

    fn nonsense_finds_nothing_and_punctuation_alone_lists_everyone(s) {
        let mut s = seed(s);
        assert!(find(&mut s, "zzzz").is_empty());
        assert!(
            find(&mut s, "🌸").len() == PEOPLE.len(),
            "a query with no letters is no filter"
        );
    }
}
