//! The built-in numbering plans (`src/number/plans.txt`) held to
//! libphonenumber's metadata, through the `phonenumber` crate (the crate's
//! own dev-dependencies enable it): every example number of every region
//! and type is accepted, in international form and, in its own country, in
//! national form.

#![cfg(feature = "phonenumber")]

use lox24::number::{Country, PhonePolicy};
use phonenumber::metadata::DATABASE;

#[test]
fn every_example_number_of_libphonenumber_is_accepted() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for region in DATABASE.iter() {
        let iso = region.id();
        if iso.len() != 2 || !iso.bytes().all(|b| b.is_ascii_uppercase()) {
            continue;
        }
        let country = Country::from_iso(iso).expect(iso);
        let d = region.descriptors();
        for descriptor in [
            d.fixed_line(),
            d.mobile(),
            d.toll_free(),
            d.premium_rate(),
            d.shared_cost(),
            d.personal_number(),
            d.voip(),
            d.pager(),
            d.uan(),
            d.voicemail(),
        ]
        .into_iter()
        .flatten()
        {
            let Some(example) = descriptor.example() else {
                continue;
            };
            let international = format!("+{}{example}", region.country_code());
            // The few service numbers shorter than any the crate sends to
            // (Iran's 4-digit UAN) stay below its floor of seven digits.
            if international.len() - 1 < lox24::number::MIN_DIGITS {
                continue;
            }
            let read = PhonePolicy::Normalize(None).apply(&international);
            if read.as_deref().ok() != Some(international.as_str()) {
                failures.push(format!("{iso}: {read:?}"));
            }
            assert!(
                PhonePolicy::Strict.apply(&international).is_ok() || read.is_err(),
                "{iso} {international}"
            );
            // In its own country, written nationally: with the trunk prefix
            // where there is one.
            let national = format!("{}{example}", country.trunk_prefix());
            let read = PhonePolicy::Normalize(Some(country)).apply(&national);
            if !(read.as_deref() == Ok(international.as_str())
                || matches!(&read, Err(e) if e.to_string().contains("which could be")))
            {
                failures.push(format!("{iso} national {national}: {read:?}"));
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 1000, "{checked}");
}
