//! SMS texts of any characters and encodings: the analysis never panics,
//! and its counts agree with each other.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lox24::text::{Encoding, analyze};

fuzz_target!(|data: &[u8]| {
    let [choice, rest @ ..] = data else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let encoding = match choice % 3 {
        0 => Encoding::Auto,
        1 => Encoding::Gsm,
        _ => Encoding::Unicode,
    };
    let analysis = analyze(text, encoding);
    assert_eq!(analysis.chars(), text.chars().count());
    let measure = analysis.measure();
    // Even an empty text is one message.
    assert!(measure.parts() >= 1, "{measure:?}");
    assert!(measure.units() <= analysis.chars() * 2, "{measure:?}");
    let _ = analysis.check();
    let _ = analysis.personalize(|_| Some("Anna"));
    for placeholder in analysis.placeholders() {
        assert!(
            text.get(placeholder.range.clone()).is_some(),
            "{placeholder:?}"
        );
    }
});
