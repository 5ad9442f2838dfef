//! Issue 12, item 1: a number is never rewritten into the wrong country.
//! Digits without `+` or `00` are not guessed into a country; every ISO
//! country LOX24 can reach is known; lengths that no number of the country
//! has are refused.

use lox24::{
    ValidationError, ValidationProblem,
    number::{Country, E164, PhonePolicy},
};

fn country(iso: &str) -> Country {
    Country::from_iso(iso).expect("a known country")
}

fn normalize(input: &str, iso: Option<&str>) -> Result<String, ValidationError> {
    PhonePolicy::Normalize(iso.map(country))
        .apply(input)
        .map(|number| number.into_owned())
}

fn reason(result: Result<String, ValidationError>) -> String {
    let error = result.expect_err("refused");
    assert_eq!(error.field(), "phone");
    match error.problem() {
        ValidationProblem::Invalid { reason } => reason.clone(),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

/// Before: `+4155552671` (Switzerland) and `+1701234567`.
#[test]
fn digits_without_a_country_code_are_not_guessed_into_one() {
    assert_eq!(
        reason(normalize("415 555 2671", None)),
        "is \"415 555 2671\" without a country code (+… or 00…), and its country is not \
         guessed: write it with its country code, or set the default country it belongs to; \
         it would be valid with LU (+3524155552671), MX (+524155552671), US (+14155552671) \
         and CA (+14155552671)"
    );
    assert!(reason(normalize("170 1234567", None)).starts_with(
        "is \"170 1234567\" without a country code (+… or 00…), and its country is not guessed"
    ));
    // The bare international form LOX24 documents: named, not guessed.
    let refused = reason(normalize("491701234567", None));
    assert!(
        refused.ends_with("it would be valid with DE (+491701234567)"),
        "{refused}"
    );
    // With the country it belongs to, each is what it is.
    assert_eq!(
        normalize("415 555 2671", Some("US")).as_deref(),
        Ok("+14155552671")
    );
    assert_eq!(
        normalize("1 (415) 555-2671", Some("US")).as_deref(),
        Ok("+14155552671")
    );
    assert_eq!(
        normalize("347 123 4567", Some("IT")).as_deref(),
        Ok("+393471234567")
    );
    assert_eq!(
        normalize("06 1234 5678", Some("IT")).as_deref(),
        Ok("+390612345678")
    );
    assert_eq!(
        normalize("491701234567", Some("DE")).as_deref(),
        Ok("+491701234567")
    );
}

/// A default country does not make another country's number its own.
#[test]
fn a_default_country_reads_only_its_own_numbers() {
    assert_eq!(
        reason(normalize("41446681800", Some("DE"))),
        "is \"41446681800\", neither a national number of DE (they start with 0) nor one \
         with its country code 49: write it with `+` or 00 and its country code"
    );
    assert_eq!(
        normalize("+41 44 668 18 00", Some("DE")).as_deref(),
        Ok("+41446681800")
    );
}

/// Before: `+4917012`.
#[test]
fn lengths_no_number_of_the_country_has_are_refused() {
    assert_eq!(
        reason(normalize("0170 12", Some("DE"))),
        "is \"0170 12\": numbers of DE (+49) starting with 17 have 10 to 13 digits after \
         the country code, not 5"
    );
    assert_eq!(
        reason(normalize("+41 5555 2671", None)),
        "is \"+41 5555 2671\": numbers of CH (+41) starting with 55 have 9 digits after the \
         country code, not 8"
    );
    assert_eq!(
        reason(normalize("+1 701 234 567", None)),
        "is \"+1 701 234 567\": numbers of US (+1) starting with 70 have 10 digits after the \
         country code, not 9"
    );
    assert_eq!(
        reason(normalize("+999 1234 5678", None)),
        "is \"+999 1234 5678\": no country has the calling code +999 (or +99, +9)"
    );
    // Non-geographic codes (premium rate, freephone) reach no handset.
    assert_eq!(
        reason(normalize("+979 1000 00000", None)),
        "is \"+979 1000 00000\": no country has the calling code +979 (or +97, +9)"
    );
    assert_eq!(
        reason(
            PhonePolicy::Strict
                .apply("+4917012")
                .map(|n| n.into_owned())
        ),
        "is \"+4917012\": numbers of DE (+49) starting with 17 have 10 to 13 digits after \
         the country code, not 5"
    );
}

/// Before: `Country::from_iso("US")` and `("IT")` were `None`.
#[test]
fn every_iso_country_is_known_and_others_are_refused_loudly() {
    for (iso, code, trunk) in [
        ("US", 1, "1"),
        ("IT", 39, ""),
        ("ES", 34, ""),
        ("PL", 48, ""),
        ("DE", 49, "0"),
        ("HU", 36, "06"),
        ("RU", 7, "8"),
        ("KZ", 7, "8"),
        ("GB", 44, "0"),
        ("NU", 683, ""),
        ("va", 39, ""),
    ] {
        let found = country(iso);
        assert_eq!(
            (found.iso(), found.calling_code(), found.trunk_prefix()),
            (iso.to_ascii_uppercase().as_str(), code, trunk),
        );
    }
    assert_eq!(lox24::number::countries().count(), 245);
    for unknown in ["XX", "ZZ", "DEU", "D", "1A", ""] {
        let error = Country::from_iso(unknown).expect_err(unknown);
        assert_eq!(error.field(), "country");
        assert_eq!(
            error.to_string(),
            format!(
                "`country` is {unknown:?}, not the ISO 3166-1 alpha-2 code of a country with \
                 phone numbers (such as DE or US)"
            )
        );
    }
}

#[test]
fn e164_from_text_is_checked_the_same_way() {
    assert!("+4917012".parse::<E164>().is_err());
    assert!("4155552671".parse::<E164>().is_err());
    assert_eq!(
        "+1 415 555 2671".parse::<E164>().map(|n| n.to_string()),
        Ok("+14155552671".to_owned())
    );
}
