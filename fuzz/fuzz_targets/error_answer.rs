//! Error answers of any status, media type and body, read as the
//! transport reads them; the excerpt of a body that is not JSON stays one
//! short line.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [high, low, type_len, rest @ ..] = data else {
        return;
    };
    let status = 100 + u16::from_be_bytes([*high, *low]) % 500;
    let (content_type, body) = rest.split_at(usize::from(*type_len).min(rest.len()));
    let _ = lox24::fuzzing::error_answer(status, content_type, body);
    if let Some(excerpt) = lox24::fuzzing::excerpt(body) {
        assert!(excerpt.chars().count() <= 201, "{excerpt:?}");
        assert!(
            !excerpt.starts_with(' ') && !excerpt.ends_with(' '),
            "{excerpt:?}"
        );
        assert!(!excerpt.contains("  "), "{excerpt:?}");
        assert!(
            !excerpt.chars().any(|c| c.is_whitespace() && c != ' '),
            "{excerpt:?}"
        );
    }
});
