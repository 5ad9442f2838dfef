//! Bodies LOX24 (or anyone) posts to a webhook, with one of a few content
//! types, read by `lox24::webhook::parse`: no panic; an event that reads
//! is written back in LOX24's form and reads as the same event; an unknown
//! event's data is kept as one line of text no longer than the body; an
//! error's excerpt of the body stays one short line.
#![no_main]

use http::{HeaderMap, HeaderValue, header::CONTENT_TYPE};
use libfuzzer_sys::fuzz_target;
use lox24::{Error, webhook};

const CONTENT_TYPES: [Option<&str>; 4] = [
    None,
    Some("application/json"),
    Some("application/json; charset=utf-8"),
    Some("text/html"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&choice, body)) = data.split_first() else {
        return;
    };
    let mut headers = HeaderMap::new();
    if let Some(kind) = CONTENT_TYPES[usize::from(choice) % CONTENT_TYPES.len()] {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(kind));
    }
    match webhook::parse(&headers, body) {
        Ok(event) => {
            if let webhook::Payload::Unknown { data, .. } = &event.payload {
                let text = data.get();
                assert!(text.len() <= body.len(), "{text:?}");
                assert!(!text.contains(['\n', '\r']), "{text:?}");
            }
            let written = serde_json::to_vec(&event).expect("an event is written");
            let again = webhook::parse(&HeaderMap::new(), &written).expect("reads back");
            assert_eq!(again, event);
        }
        Err(Error::Webhook(error)) => {
            if let Some(excerpt) = error.body_excerpt() {
                assert!(excerpt.chars().count() <= 201, "{excerpt:?}");
                assert!(!excerpt.contains('\n'), "{excerpt:?}");
            }
        }
        Err(other) => panic!("not a webhook error: {other:?}"),
    }
});
