use super::*;
use crate::analysis::expose::BindKind;

fn has_hangul(s: &str) -> bool {
    s.chars().any(|c| ('\u{ac00}'..='\u{d7a3}').contains(&c))
}

#[test]
fn locale_strings_pick_the_language() {
    assert_eq!(Lang::from_locale("ko_KR.UTF-8"), Some(Lang::Ko));
    assert_eq!(Lang::from_locale("ko-KR"), Some(Lang::Ko));
    assert_eq!(Lang::from_locale("KO"), Some(Lang::Ko));
    assert_eq!(Lang::from_locale("en_US.UTF-8"), Some(Lang::En));
    assert_eq!(Lang::from_locale("C.UTF-8"), Some(Lang::En));
    assert_eq!(Lang::from_locale("de_DE@euro"), Some(Lang::En));
    assert_eq!(Lang::from_locale(""), None);
}

/// Every comparison cell exists in both languages, the Korean one in Korean, and no two
/// kinds share a sentence (a copy-paste slip would show up here).
#[test]
fn comparison_tables_are_complete_and_distinct() {
    for kind in BindKind::ALL {
        for row in Row::ALL {
            let en = En.compare(kind, row);
            let ko = Ko.compare(kind, row);
            assert!(!en.is_empty() && !ko.is_empty(), "{kind:?} {row:?}");
            assert!(has_hangul(ko), "{kind:?} {row:?}: {ko}");
            assert!(!has_hangul(en), "{kind:?} {row:?}: {en}");
        }
        for other in BindKind::ALL.iter().filter(|k| **k != kind) {
            assert_ne!(
                En.compare(kind, Row::Meaning),
                En.compare(*other, Row::Meaning)
            );
        }
    }
}

#[test]
fn korean_row_labels_follow_the_seeds() {
    let rows: Vec<&str> = Row::ALL.iter().map(|r| Ko.row(*r)).collect();
    assert_eq!(
        rows,
        [
            "의미",
            "접속 범위",
            "외부 접속 여부",
            "사용 용도",
            "보안 위험"
        ]
    );
}

#[test]
fn reaches_read_in_both_languages() {
    use crate::analysis::address::Reach;
    for reach in [
        Reach::None,
        Reach::Host,
        Reach::Link,
        Reach::Lan,
        Reach::Internet,
    ] {
        assert!(has_hangul(Ko.reach(reach)));
        assert!(!has_hangul(En.reach(reach)));
    }
}
