//! Korean particles that follow the last sound of a word: 은/는, 이/가, 을/를, (으)로. The
//! generic `은(는)` reads as machine-made; a student writes the one the word takes.

/// Whether `word`, read aloud, ends in a consonant (받침). Hangul syllables by their final
/// jamo; digits and Latin letters by how Koreans read them (5000 오천, 1 일, L 엘); trailing
/// punctuation such as `)` or `]` is not read.
pub fn ends_in_consonant(word: &str) -> bool {
    let Some(last) = word.chars().rev().find(|c| c.is_alphanumeric()) else {
        return false;
    };
    match last {
        '가'..='힣' => (u32::from(last) - 0xAC00) % 28 != 0,
        // 영, 일, 삼, 육, 칠, 팔 — and 십, 백, 천, 만 for a trailing 0 of a longer number.
        '0' | '1' | '3' | '6' | '7' | '8' => true,
        '2' | '4' | '5' | '9' => false,
        // 엘, 엠, 엔; the other letters end in a vowel (에이, 비, 씨…) or a silent 으 (에프, 에스).
        'l' | 'm' | 'n' | 'L' | 'M' | 'N' => true,
        _ => false,
    }
}

/// 은 or 는: the topic particle.
pub fn topic(word: &str) -> &'static str {
    if ends_in_consonant(word) {
        "은"
    } else {
        "는"
    }
}

/// 이 or 가: the subject particle.
pub fn subject(word: &str) -> &'static str {
    if ends_in_consonant(word) {
        "이"
    } else {
        "가"
    }
}

/// 을 or 를: the object particle.
pub fn object(word: &str) -> &'static str {
    if ends_in_consonant(word) {
        "을"
    } else {
        "를"
    }
}

/// 과 or 와: "and, with".
pub fn and(word: &str) -> &'static str {
    if ends_in_consonant(word) {
        "과"
    } else {
        "와"
    }
}

/// 으로 or 로: "to, by way of". 로 after a vowel and after ㄹ (서울로, 1로 일), 으로 after
/// any other consonant (0.0.0.0으로 영).
pub fn toward(word: &str) -> &'static str {
    let Some(last) = word.chars().rev().find(|c| c.is_alphanumeric()) else {
        return "로";
    };
    let rieul = match last {
        '가'..='힣' => (u32::from(last) - 0xAC00) % 28 == 8,
        '1' | '7' | '8' | 'l' | 'L' => true,
        _ => false,
    };
    if ends_in_consonant(word) && !rieul {
        "으로"
    } else {
        "로"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn particles_follow_the_last_sound() {
        assert_eq!(topic("컴퓨터"), "는");
        assert_eq!(topic("주소"), "는");
        assert_eq!(topic("포트"), "는");
        assert_eq!(topic("서버"), "는");
        assert_eq!(topic("방화벽"), "은");
        assert_eq!(subject("인터페이스"), "가");
        assert_eq!(subject("연결"), "이");
        // Numbers as they are read: 오천, 일, 구, 영.
        assert_eq!(object("5000"), "을");
        assert_eq!(object("8080"), "을");
        assert_eq!(topic("10.203.77.1"), "은");
        assert_eq!(topic("fd77::9"), "는");
        assert_eq!(topic("0.0.0.0"), "은");
        assert_eq!(topic("192.168.1.5"), "는");
        assert_eq!(topic("127.0.0.1:5000"), "은");
        assert_eq!(subject("python3 (4200)"), "이");
        assert_eq!(subject("node (4202)"), "가");
        // Letters: 엘, 엔 end in a consonant; 에이치, 에스 do not.
        assert_eq!(topic("docker0"), "은");
        assert_eq!(topic("eth"), "는");
        assert_eq!(topic("wlan"), "은");
        assert_eq!(topic("[::]"), "는");
        assert_eq!(topic(""), "는");
        assert_eq!(toward("0.0.0.0"), "으로");
        assert_eq!(toward("10.203.77.1"), "로");
        assert_eq!(toward("192.168.1.23"), "으로");
        assert_eq!(toward("서울"), "로");
        assert_eq!(toward("학교"), "로");
        assert_eq!(toward("집"), "으로");
        assert_eq!(toward("fd77::9"), "로");
        assert_eq!(toward("172.17.0.0/16"), "으로");
        assert_eq!(and("http://127.0.0.1:5000"), "과");
        assert_eq!(and("컴퓨터"), "와");
    }
}
