//! Property tests on the stable toolchain (proptest): the differential and
//! round-trip properties the fuzz targets of `fuzz/` hold, checked on
//! generated inputs by every `cargo test`. A failure shrinks to its
//! smallest case.

use std::future::IntoFuture;

use lox24::{
    PhoneEntry,
    number::{Country, E164, PhonePolicy, countries},
    upload::UploadReport,
};
use proptest::{collection::vec, prelude::*, sample::select};
use serde_json::{Value, json};

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Text that stresses JSON: quotes, backslashes, control characters,
/// non-ASCII and astral characters.
fn awkward_text() -> impl Strategy<Value = String> {
    vec(
        select(vec![
            "a", "Zz", "0", "+49", " ", "é", "😀", "\"", "\\", "\n", "\u{0}", "\u{1f}", "\u{7f}",
            "/", "日本",
        ]),
        0..8,
    )
    .prop_map(|pieces| pieces.concat())
}

/// One item of a batch answer as LOX24 might write it, with or without
/// the echoed entry, JSON-LD keys, problems and odd ids.
fn answer_item() -> impl Strategy<Value = Value> {
    let id = prop_oneof![
        any::<u64>().prop_map(|n| json!(n.to_string())),
        any::<u64>().prop_map(|n| json!(n)),
        awkward_text().prop_map(Value::String),
        Just(Value::Null),
    ];
    (
        select(vec![200u16, 201, 400, 409, 422, 500]),
        id,
        awkward_text(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(status, id, text, echo, linked)| {
            let mut body = if (200..300).contains(&status) {
                json!({"id": id})
            } else {
                json!({"title": "An error occurred", "detail": text.clone()})
            };
            if echo {
                body["phone"] = json!(text);
                body["a"] = Value::Null;
                body["callback_data"] = json!("crm");
                body["unsubscribe_reason"] = Value::Null;
            }
            if linked {
                body["@id"] = json!("/phones/1");
                body["@type"] = json!("Phone");
            }
            json!({"status": status, "body": body})
        })
}

/// A batch answer: the plain array or the Hydra collection, compact or
/// pretty.
fn batch_answer() -> impl Strategy<Value = Vec<u8>> {
    (vec(answer_item(), 0..6), any::<bool>(), any::<bool>()).prop_map(|(items, hydra, pretty)| {
        let answer = if hydra {
            json!({"@context": "/contexts/Phone", "hydra:member": items, "hydra:totalItems": 1})
        } else {
            Value::Array(items)
        };
        if pretty {
            serde_json::to_vec_pretty(&answer).expect("JSON")
        } else {
            serde_json::to_vec(&answer).expect("JSON")
        }
    })
}

proptest! {
    #![proptest_config(config())]

    /// The upload engine's scanner reads every answer it accepts exactly as
    /// serde does (the fuzz target batch_answer, on structured answers).
    #[test]
    fn the_scanner_reads_batch_answers_as_serde_does(answer in batch_answer(), cut in any::<prop::sample::Index>()) {
        prop_assert_eq!(lox24::fuzzing::batch_answer(&answer, 3), Ok(()));
        // And any prefix of one (an answer cut short).
        let prefix = &answer[..cut.index(answer.len() + 1)];
        prop_assert_eq!(lox24::fuzzing::batch_answer(prefix, 3), Ok(()));
    }

    /// A group's CSV export reads the same whole and cut into two chunks
    /// anywhere (the fuzz target group_export, on export-like bytes).
    #[test]
    fn the_group_export_reads_alike_in_chunks(
        fields in vec(prop::sample::select(vec!["1", "+491701234567", "", "a,b", "say \"hi\"", "two\nlines", "é", "\r\n", "\""]), 0..40),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = b"id,phone,a,b,c,d,e,callback_data\r\n".to_vec();
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                bytes.extend_from_slice(if i % 8 == 0 { b"\r\n" } else { b"," });
            }
            if field.contains([',', '"', '\n', '\r']) && i % 3 != 0 {
                bytes.push(b'"');
                bytes.extend_from_slice(field.replace('"', "\"\"").as_bytes());
                bytes.push(b'"');
            } else {
                bytes.extend_from_slice(field.as_bytes());
            }
        }
        let cut = cut.index(bytes.len() + 1);
        prop_assert_eq!(lox24::fuzzing::group_export(&bytes, cut), Ok(()));
    }

    /// Any body's excerpt is one short line: single spaces, no whitespace
    /// at either end, at most 200 characters and the mark of a cut.
    #[test]
    fn excerpts_are_one_short_line(body in vec(any::<u8>(), 0..2000), html in any::<bool>()) {
        let mut body = body;
        if html {
            body.splice(0..0, b"<html><script>x</script>".iter().copied());
        }
        if let Some(excerpt) = lox24::fuzzing::excerpt(&body) {
            prop_assert!(excerpt.chars().count() <= 201);
            prop_assert!(!excerpt.starts_with(' ') && !excerpt.ends_with(' '));
            prop_assert!(!excerpt.contains("  "));
            prop_assert!(!excerpt.chars().any(|c| c.is_whitespace() && c != ' '));
        }
    }
}

/// A country by index into the known ones.
fn country() -> impl Strategy<Value = Country> {
    let all: Vec<Country> = countries().collect();
    select(all)
}

proptest! {
    #![proptest_config(config())]

    /// A number read is E.164 of 7 to 15 digits, reads back as itself and
    /// passes the strict policy, whatever separators it was written with.
    #[test]
    fn numbers_read_back_as_themselves(country in country(), digits in "[0-9]{4,12}", separators in vec(select(vec![" ", "-", ".", "/", ""]), 12)) {
        let international = format!("+{}{digits}", country.calling_code());
        if let Ok(number) = E164::parse(&international, None) {
            prop_assert_eq!(number.as_str(), international.as_str());
            prop_assert!(PhonePolicy::Strict.apply(number.as_str()).is_ok());
            let mut written = format!("00{} ", country.calling_code());
            for (digit, separator) in digits.chars().zip(separators.iter().cycle()) {
                written.push(digit);
                written.push_str(separator);
            }
            prop_assert_eq!(E164::parse(&written, Some(country)).map(|n| n.to_string()), Ok(international.clone()));
        }
    }

    /// In its own country, a valid number written nationally (with the
    /// trunk prefix where there is one) reads as the international one,
    /// never as another number; where the country is the only one of its
    /// calling code, it is refused only as ambiguous.
    #[test]
    fn national_numbers_read_as_their_international_form(country in country(), digits in "[1-9][0-9]{5,11}") {
        let international = format!("+{}{digits}", country.calling_code());
        let national = format!("{}{digits}", country.trunk_prefix());
        let sole = countries().filter(|c| c.calling_code() == country.calling_code()).count() == 1;
        match (E164::parse(&international, None), E164::parse(&national, Some(country))) {
            // Where the international form is no valid number, the digits
            // may be the country's own number written with its calling code
            // (Italy's `39…` without `+`): that reading is not another number.
            (Ok(_), Ok(read)) => prop_assert_eq!(read.as_str(), international.as_str()),
            (Ok(_), Err(error)) if sole => {
                prop_assert!(error.to_string().contains("which could be"), "{}", error)
            }
            (Err(_), _) | (_, Err(_)) => {}
        }
    }

    /// libphonenumber as the oracle of the built-in plans: numbers made
    /// from its example numbers (their first digits kept, the rest drawn)
    /// that match the example's pattern whole, as libphonenumber matches,
    /// are accepted.
    #[test]
    fn every_number_libphonenumber_finds_valid_is_accepted(at in any::<prop::sample::Index>(), keep in 1usize..6, tail in "[0-9]{13}") {
        let examples = examples();
        let example = &examples[at.index(examples.len())];
        let keep = keep.min(example.national.len());
        let national = format!("{}{}", &example.national[..keep], &tail[..example.national.len() - keep]);
        let international = format!("+{}{national}", example.code);
        if example.matches_whole(&national) && international.len() > lox24::number::MIN_DIGITS {
            prop_assert_eq!(
                PhonePolicy::Normalize(None).apply(&international).map(|n| n.into_owned()),
                Ok(international.clone())
            );
        }
    }

    /// Digits without a country code are never read without a country.
    #[test]
    fn digits_without_a_country_code_need_a_country(digits in "[1-9][0-9]{6,14}") {
        prop_assert!(PhonePolicy::Normalize(None).apply(&digits).is_err());
    }
}

/// One outcome of a report as it is written.
fn report_entry() -> impl Strategy<Value = (&'static str, Value)> {
    prop_oneof![
        any::<u64>().prop_map(|id| ("created", json!({"outcome": "created", "id": id.to_string()}))),
        Just(("created", json!({"outcome": "created"}))),
        awkward_text().prop_map(|phone| ("rejected", json!({"outcome": "rejected", "phone": phone, "reason": {"by": "item", "status": 400, "problem": {"detail": "invalid"}}}))),
        awkward_text().prop_map(|phone| ("not_sent", json!({"outcome": "not_sent", "phone": phone, "reason": "failed"}))),
        awkward_text().prop_map(|phone| ("unknown", json!({"outcome": "unknown", "phone": phone, "reason": "ambiguous"}))),
    ]
}

proptest! {
    #![proptest_config(config())]

    /// A report reads back from its file and writes itself the same (what
    /// a resume reads, the fuzz target upload_report on structured input).
    #[test]
    fn reports_round_trip_through_json(entries in vec(report_entry(), 0..20), keep_created in any::<bool>(), hash in any::<u64>()) {
        let mut summary = json!({"created": 0, "rejected": 0, "not_sent": 0, "unknown": 0});
        let mut listed = Vec::new();
        for (index, (kind, outcome)) in entries.iter().enumerate() {
            summary[*kind] = json!(summary[*kind].as_u64().unwrap_or(0) + 1);
            if keep_created || *kind != "created" {
                let mut outcome = outcome.clone();
                outcome["index"] = json!(index);
                listed.push(outcome);
            }
        }
        let report = json!({
            "group": 7, "total": entries.len(), "read": entries.len(), "summary": summary,
            "keeps_created": keep_created, "entries": listed, "request_ids": ["r1"],
            "failed_batches": [], "stop": null,
            "input": {"entries": entries.len(), "fnv1a64": format!("{hash:016x}")},
        });
        let read: UploadReport = serde_json::from_value(report).expect("a well-formed report");
        let written = serde_json::to_string(&read).expect("writes");
        let again: UploadReport = serde_json::from_str(&written).expect("reads back");
        prop_assert_eq!(serde_json::to_string(&again).expect("writes"), written);
        prop_assert_eq!(again.input_fingerprint(), read.input_fingerprint());
        prop_assert_eq!(again.summary().total(), entries.len() as u64);
    }
}

proptest! {
    // Each case is an upload (to a closed loopback port): fewer of them.
    #![proptest_config(ProptestConfig { cases: 32, ..config() })]

    /// Entries serialise to what the fingerprint covers: two inputs that
    /// differ in any field have different reports' fingerprints.
    #[test]
    fn any_changed_field_changes_the_fingerprint(phone in "[+0-9]{1,16}", value in awkward_text(), column in 0usize..6) {
        let entry = PhoneEntry::new(phone.clone());
        let changed = match column {
            5 => entry.clone().callback_data(value),
            i => entry.clone().column(lox24::Column::ALL[i], value),
        };
        prop_assert_ne!(fingerprint(&entry), fingerprint(&changed));
    }
}

/// The fingerprint an upload of one entry reports. Its request goes to a
/// loopback port nobody listens on: refused at once, never retried.
fn fingerprint(entry: &PhoneEntry) -> lox24::upload::InputFingerprint {
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a loopback port");
    let client = lox24::Client::builder()
        .token("1234567:e3f3a759b6677959b6ebfc0123456789")
        .base_url(format!("http://{closed}"))
        .retry(lox24::RetryPolicy::none())
        .build()
        .expect("valid");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let report = runtime.block_on(
        client
            .upload_phones(&lox24::GroupId::new(7), [entry.clone()])
            .phone_policy(PhonePolicy::PassThrough)
            .into_future(),
    );
    assert_eq!(report.read(), 1);
    report.input_fingerprint()
}

/// An example number of libphonenumber's metadata with the pattern of its
/// type, anchored at both ends (the `phonenumber` crate's own `is_valid`
/// accepts a pattern that matches only the start of a number, more than
/// libphonenumber does).
struct Example {
    code: u16,
    national: String,
    /// The pattern's text; compiled when the example is drawn.
    pattern: String,
    compiled: std::sync::OnceLock<Option<regex::Regex>>,
}

impl Example {
    fn matches_whole(&self, national: &str) -> bool {
        self.compiled
            .get_or_init(|| regex::Regex::new(&format!("^(?:{})$", self.pattern)).ok())
            .as_ref()
            .is_some_and(|pattern| pattern.is_match(national))
    }
}

fn examples() -> &'static [Example] {
    static EXAMPLES: std::sync::OnceLock<Vec<Example>> = std::sync::OnceLock::new();
    EXAMPLES.get_or_init(|| {
        let mut examples = Vec::new();
        // Region "001" holds the non-geographic codes (+800 freephone,
        // +979 premium rate, satellite networks): no SMS reaches them, and
        // the built-in plans refuse them on purpose.
        for region in phonenumber::metadata::DATABASE
            .iter()
            .filter(|region| region.id() != "001")
        {
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
                let pattern: String = descriptor
                    .national_number()
                    .as_str()
                    .split_whitespace()
                    .collect();
                examples.push(Example {
                    code: region.country_code(),
                    national: example.to_owned(),
                    pattern,
                    compiled: std::sync::OnceLock::new(),
                });
            }
        }
        examples
    })
}
