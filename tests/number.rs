//! Phone numbers: the forms LOX24 accepts, normalised to E.164.

use std::borrow::Cow;

use lox24::{
    ValidationError, ValidationProblem,
    number::{Country, E164, PhonePolicy},
};

fn country(iso: &str) -> Country {
    Country::from_iso(iso).unwrap()
}

fn e164(input: &str, iso: Option<&str>) -> Result<String, ValidationError> {
    E164::parse(input, iso.map(country)).map(String::from)
}

fn reason(err: &ValidationError) -> &str {
    match err.problem() {
        ValidationProblem::Invalid { reason } => reason,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn the_four_forms_lox24_accepts_become_e164() {
    for input in [
        "+491701234567",
        "00491701234567",
        "491701234567",
        "01701234567",
    ] {
        assert_eq!(
            e164(input, Some("DE")).as_deref(),
            Ok("+491701234567"),
            "{input}"
        );
    }
    // Without a country, the forms with `+` or `00` (tests/number_country.rs:
    // digits without a country code are not guessed into a country).
    for input in ["+491701234567", "00491701234567"] {
        assert_eq!(e164(input, None).as_deref(), Ok("+491701234567"));
    }
}

#[test]
fn separators_as_people_write_them_are_ignored() {
    for input in [
        "+49 170 1234567",
        "+49-170-123-45-67",
        "+49.170.1234567",
        "+49 (0)170 1234567",
        "+49(0)1701234567",
        "0049 (0) 170 / 123 45 67",
        "(+49) 170 1234567",
        "0170/1234567",
        "(0170) 123 45 67",
        "0170 – 123 45 67",
        "+49\u{a0}170\u{202f}1234567",
        "  +49 170 1234567\t\n",
    ] {
        assert_eq!(
            e164(input, Some("DE")).as_deref(),
            Ok("+491701234567"),
            "{input:?}"
        );
    }
}

#[test]
fn a_zero_in_brackets_is_only_dropped_after_a_country_code() {
    // Not a trunk prefix shown in brackets: a national number, kept whole.
    assert_eq!(
        e164("(0)170 1234567", Some("DE")).as_deref(),
        Ok("+491701234567")
    );
    // A bracketed group that is not just `0` stays.
    assert_eq!(
        e164("+39 (06) 1234 5678", None).as_deref(),
        Ok("+390612345678")
    );
}

#[test]
fn national_numbers_use_the_countrys_trunk_prefix() {
    assert_eq!(
        e164("0664 123 45 67", Some("AT")).as_deref(),
        Ok("+436641234567")
    );
    assert_eq!(
        e164("044 668 18 00", Some("CH")).as_deref(),
        Ok("+41446681800")
    );
    assert_eq!(
        e164("06 30 123 4567", Some("HU")).as_deref(),
        Ok("+36301234567")
    );
    assert_eq!(
        e164("8 (912) 345-67-89", Some("RU")).as_deref(),
        Ok("+79123456789")
    );
    // International forms win whatever the country.
    assert_eq!(
        e164("+7 912 345 67 89", Some("DE")).as_deref(),
        Ok("+79123456789")
    );
    assert_eq!(
        e164("79123456789", Some("RU")).as_deref(),
        Ok("+79123456789")
    );
    // No trunk prefix in Italy: national numbers are read as they are.
    assert_eq!(
        e164("06 1234 5678", Some("IT")).as_deref(),
        Ok("+390612345678")
    );
}

#[test]
fn a_national_number_without_a_country_is_refused_naming_the_input() {
    let err = E164::parse("0170 1234567", None).unwrap_err();
    assert_eq!(err.field(), "phone");
    assert_eq!(
        err.to_string(),
        "`phone` is \"0170 1234567\" without a country code (+… or 00…), and its country is \
         not guessed: write it with its country code, or set the default country it belongs \
         to; it would be valid with AT (+431701234567), BD (+8801701234567), BR \
         (+551701234567), DE (+491701234567) and 12 more"
    );
    let err = E164::parse("0170 1234567", Some(country("HU"))).unwrap_err();
    assert_eq!(
        reason(&err),
        "is \"0170 1234567\", neither a national number of HU (they start with 06) nor one \
         with its country code 36: write it with `+` or 00 and its country code"
    );
}

#[test]
fn what_cannot_be_a_number_is_refused_with_the_reason() {
    let cases = [
        (
            "0170 CALL ME",
            "is \"0170 CALL ME\": 'C' is neither a digit nor a separator",
        ),
        (
            "+49 170 1234567 ext. 12",
            "is \"+49 170 1234567 ext. 12\": 'e' is neither a digit nor a separator",
        ),
        (
            "+49 170+1234567",
            "is \"+49 170+1234567\": `+` may only start the number",
        ),
        (
            "+0049 170 1234567",
            "is \"+0049 170 1234567\": a country code cannot start with 0",
        ),
        (
            "000491701234567",
            "is \"000491701234567\": a country code cannot start with 0",
        ),
        (
            "+49 1701 2345 6789 01",
            "is \"+49 1701 2345 6789 01\": 16 digits; E.164 allows at most 15 with the country code",
        ),
        (
            "0049 1701 2345 6789 0123",
            "is \"0049 1701 2345 6789 0123\": 18 digits; E.164 allows at most 15 with the \
             country code",
        ),
        (
            "+49 12",
            "is \"+49 12\": 4 digits; a number has at least 7 with the country code",
        ),
        (
            "+",
            "is \"+\": 0 digits; a number has at least 7 with the country code",
        ),
    ];
    for (input, expected) in cases {
        let err = E164::parse(input, Some(country("DE"))).unwrap_err();
        assert_eq!(err.field(), "phone");
        assert_eq!(reason(&err), expected, "{input:?}");
    }
    for blank in ["", "  ", "-- ()"] {
        let err = E164::parse(blank, None).unwrap_err();
        assert_eq!(err.problem(), &ValidationProblem::Missing, "{blank:?}");
    }
}

#[test]
fn errors_show_at_most_32_characters_of_the_input_escaped() {
    let long = format!("+49 170 1234567 {}", "x".repeat(100));
    let err = E164::parse(&long, None).unwrap_err();
    assert_eq!(
        reason(&err),
        "is \"+49 170 1234567 xxxxxxxxxxxxxxxx\"…: 'x' is neither a digit nor a separator"
    );
    let err = E164::parse("0170\u{1b}[2J", None).unwrap_err();
    assert!(reason(&err).starts_with("is \"0170\\u{1b}[2J\": '\\u{1b}'"));
}

#[test]
fn shortest_and_longest_numbers() {
    assert_eq!(e164("+683 4002", None).as_deref(), Ok("+6834002"));
    assert_eq!(
        e164("+683 400", None).map_err(|e| e.to_string()),
        Err(
            "`phone` is \"+683 400\": 6 digits; a number has at least 7 with the country code"
                .into()
        )
    );
    assert_eq!(
        e164("+49 1701 2345 67890", None).as_deref(),
        Ok("+491701234567890")
    );
}

#[test]
fn countries_come_from_their_iso_code() {
    let de = country("de");
    assert_eq!(
        (de.iso(), de.calling_code(), de.trunk_prefix()),
        ("DE", 49, "0")
    );
    assert_eq!(country("RU").trunk_prefix(), "8");
    assert!(Country::from_iso("DEU").is_err());
    assert!(Country::from_iso("D").is_err());
    assert!(Country::from_iso("1A").is_err());
    assert!(Country::from_iso("ZZ").is_err());
}

#[test]
fn e164_reads_displays_and_serialises_as_its_text() {
    let number: E164 = "0049 170 1234567".parse().unwrap();
    assert_eq!(number.as_str(), "+491701234567");
    assert_eq!(number.digits(), "491701234567");
    assert_eq!(number.to_string(), "+491701234567");
    assert_eq!(format!("{number:?}"), "E164(+491701234567)");
    assert_eq!(serde_json::to_string(&number).unwrap(), "\"+491701234567\"");
    let back: E164 = serde_json::from_str("\"+49 170 1234567\"").unwrap();
    assert_eq!(back, number);
    let err = serde_json::from_str::<E164>("\"0170 1234567\"").unwrap_err();
    assert!(err.to_string().contains("without a country code"), "{err}");
}

#[test]
fn strict_accepts_only_e164_as_written() {
    let policy = PhonePolicy::Strict;
    assert!(matches!(
        policy.apply("+491701234567"),
        Ok(Cow::Borrowed("+491701234567"))
    ));
    for input in [
        "+49 170 1234567",
        "00491701234567",
        "491701234567",
        "01701234567",
    ] {
        let err = policy.apply(input).unwrap_err();
        assert_eq!(
            reason(&err),
            format!(
                "is {input:?}, not E.164: `+`, the country code and the number, digits only \
                 (e.g. +491701234567)"
            )
        );
    }
    let err = policy.apply("+4912").unwrap_err();
    assert_eq!(
        reason(&err),
        "is \"+4912\": 4 digits; a number has at least 7 with the country code"
    );
    assert!(policy.apply("+0491701234567").is_err());
}

#[test]
fn normalize_borrows_what_is_already_e164_and_rewrites_the_rest() {
    let policy = PhonePolicy::Normalize(Some(country("DE")));
    assert!(matches!(
        policy.apply("+491701234567"),
        Ok(Cow::Borrowed("+491701234567"))
    ));
    let rewritten = policy.apply("0170 1234567").unwrap();
    assert!(matches!(&rewritten, Cow::Owned(s) if s == "+491701234567"));

    assert_eq!(PhonePolicy::default(), PhonePolicy::Normalize(None));
    assert!(PhonePolicy::default().apply("0170 1234567").is_err());
}

#[test]
fn pass_through_keeps_the_input_and_checks_only_presence_and_30_characters() {
    let policy = PhonePolicy::PassThrough;
    assert!(matches!(
        policy.apply("0170 1234567"),
        Ok(Cow::Borrowed("0170 1234567"))
    ));
    let thirty = "1".repeat(30);
    assert!(policy.apply(&thirty).is_ok());
    let err = policy.apply_at("[7].phone", &"1".repeat(31)).unwrap_err();
    assert_eq!(err.field(), "[7].phone");
    assert_eq!(
        err.problem(),
        &ValidationProblem::TooLong {
            max: 30,
            actual: 31
        }
    );
    assert_eq!(
        policy.apply(" ").unwrap_err().problem(),
        &ValidationProblem::Missing
    );
}

#[test]
fn apply_at_names_the_field() {
    let err = PhonePolicy::default()
        .apply_at("phones[3]", "12ab")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "`phones[3]` is \"12ab\": 'a' is neither a digit nor a separator"
    );
}

/// The full parser (feature `phonenumber`, on in this crate's tests).
#[cfg(feature = "phonenumber")]
mod validate {
    use super::*;

    fn validated(input: &str, iso: Option<&str>) -> Result<String, ValidationError> {
        PhonePolicy::Validate(iso.map(country))
            .apply(input)
            .map(Cow::into_owned)
    }

    #[test]
    fn the_builtin_table_agrees_with_libphonenumber() {
        // Every region of libphonenumber's metadata, and no other.
        let mut regions = 0;
        for theirs in phonenumber::metadata::DATABASE.iter() {
            let iso = theirs.id();
            if iso.len() != 2 || !iso.bytes().all(|b| b.is_ascii_uppercase()) {
                continue;
            }
            regions += 1;
            let ours = country(iso);
            assert_eq!(ours.calling_code(), theirs.country_code(), "{iso}");
            assert_eq!(
                ours.trunk_prefix(),
                theirs.national_prefix().unwrap_or(""),
                "{iso}"
            );
        }
        assert_eq!(lox24::number::countries().count(), regions);
    }

    #[test]
    fn national_numbers_without_trunk_prefix_are_completed() {
        assert_eq!(
            validated("347 123 4567", Some("IT")).as_deref(),
            Ok("+393471234567")
        );
        assert_eq!(
            validated("06 1234 5678", Some("IT")).as_deref(),
            Ok("+390612345678")
        );
        assert_eq!(
            validated("(415) 555-2671", Some("US")).as_deref(),
            Ok("+14155552671")
        );
        assert_eq!(
            validated("612 34 56 78", Some("ES")).as_deref(),
            Ok("+34612345678")
        );
        // The built-in reading of the same inputs agrees.
        assert_eq!(
            e164("347 123 4567", Some("IT")).as_deref(),
            Ok("+393471234567")
        );
    }

    #[test]
    fn the_four_forms_still_work() {
        for input in [
            "+491701234567",
            "00491701234567",
            "491701234567",
            "01701234567",
            "+49 (0)170 123 45 67",
        ] {
            assert_eq!(
                validated(input, Some("DE")).as_deref(),
                Ok("+491701234567"),
                "{input}"
            );
        }
        // Bare international with another country: the national reading is invalid.
        assert_eq!(
            validated("491701234567", Some("AT")).as_deref(),
            Ok("+491701234567")
        );
        assert_eq!(
            validated("491701234567", None).as_deref(),
            Ok("+491701234567")
        );
    }

    #[test]
    fn a_number_valid_in_both_readings_is_refused_as_ambiguous() {
        let err = PhonePolicy::Validate(Some(country("US")))
            .apply_at("phones[0]", "201 500 6505")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "`phones[0]` is \"201 500 6505\", which could be +2015006505 or +12015006505: \
             write it with `+` and its country code"
        );
        assert_eq!(
            validated("1 201 500 6505", Some("US")).as_deref(),
            Ok("+12015006505")
        );
        assert_eq!(
            validated("+20 1500 6505", Some("US")).as_deref(),
            Ok("+2015006505")
        );
    }

    #[test]
    fn numbers_outside_the_numbering_plans_are_refused() {
        let err = PhonePolicy::Validate(None)
            .apply("+49 1234567")
            .unwrap_err();
        assert_eq!(
            reason(&err),
            "is \"+49 1234567\", not a number in use according to libphonenumber"
        );
        let err = PhonePolicy::Validate(None)
            .apply("0170 1234567")
            .unwrap_err();
        assert!(
            reason(&err).contains("without a country code"),
            "{}",
            reason(&err)
        );
        // The scanner's own checks come first.
        let err = PhonePolicy::Validate(None)
            .apply("+49 170 CALL")
            .unwrap_err();
        assert!(reason(&err).contains("'C' is neither a digit"));
    }

    #[test]
    fn validate_borrows_unchanged_input() {
        assert!(matches!(
            PhonePolicy::Validate(None).apply("+491701234567"),
            Ok(Cow::Borrowed(_))
        ));
    }
}
