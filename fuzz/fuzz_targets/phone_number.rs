//! Phone numbers as people write them, read by every policy and default
//! country: a number read is E.164 with 7 to 15 digits, reads back as
//! itself, passes the strict policy, and is never another country's than
//! the one its calling code names.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lox24::number::{Country, E164, PhonePolicy, countries};

fuzz_target!(|data: &[u8]| {
    let [pick, policy, rest @ ..] = data else {
        return;
    };
    let Ok(input) = std::str::from_utf8(rest) else {
        return;
    };
    let all: Vec<Country> = countries().collect();
    let country = (*pick != 255).then(|| all[usize::from(*pick) % all.len()]);
    let policy = match policy % 3 {
        0 => PhonePolicy::Strict,
        1 => PhonePolicy::Normalize(country),
        _ => PhonePolicy::PassThrough,
    };
    match policy.apply(input) {
        Ok(sent) if policy == PhonePolicy::PassThrough => assert_eq!(sent, input),
        Ok(sent) => check(&sent),
        Err(error) => assert!(!error.to_string().is_empty()),
    }
    if let Ok(number) = E164::parse(input, country) {
        check(number.as_str());
    }
});

fn check(sent: &str) {
    let digits = sent.strip_prefix('+').expect("E.164 starts with +");
    assert!(digits.bytes().all(|b| b.is_ascii_digit()), "{sent}");
    assert!((7..=15).contains(&digits.len()), "{sent}");
    assert!(!digits.starts_with('0'), "{sent}");
    let again = E164::parse(sent, None).expect("E.164 reads back");
    assert_eq!(again.as_str(), sent);
    assert!(PhonePolicy::Strict.apply(sent).is_ok(), "{sent}");
}
