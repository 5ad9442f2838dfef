//! What reading a webhook body costs in memory: in proportion to the body,
//! whatever its JSON holds. A hostile peer may post 1 MiB of `[0,0,0,…]`,
//! which as a `serde_json::Value` takes some 16 MiB (24 MiB while it is
//! built); the receiver may hold one such event per place in its stream and
//! per connection waiting.
//!
//! The free-form JSON of two documented events (the data of
//! `fraud-check.done`, the `additional_data` of the phone events) is kept
//! as text too, so it costs its size as well.
//!
//! A binary of its own: the counting allocator below is global to it. It
//! counts per thread, so that tests running beside it do not disturb the
//! figures. `cargo test --test webhook_memory -- --nocapture` prints them.

use std::{
    alloc::{GlobalAlloc, Layout, System},
    cell::Cell,
};

use http::HeaderMap;
use lox24::webhook::{Event, Payload, parse};

/// The bytes this thread holds from the allocator (since it started) and
/// the most it held since the last [`measure`].
struct Counting;

thread_local! {
    static CURRENT: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn grew(delta: isize) {
    // `try_with`: nothing to count while the thread's locals are torn down.
    let _ = CURRENT.try_with(|current| {
        let now = current.get() + delta;
        current.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

fn size(bytes: usize) -> isize {
    isize::try_from(bytes).unwrap_or(isize::MAX)
}

// SAFETY: every call goes to `System` as it came; only counts are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let block = unsafe { System.alloc(layout) };
        if !block.is_null() {
            grew(size(layout.size()));
        }
        block
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let block = unsafe { System.alloc_zeroed(layout) };
        if !block.is_null() {
            grew(size(layout.size()));
        }
        block
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, passed on.
        unsafe { System.dealloc(block, layout) };
        grew(-size(layout.size()));
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let moved = unsafe { System.realloc(block, layout, new_size) };
        if !moved.is_null() {
            // A block that moves is held twice for a moment.
            grew(size(new_size));
            grew(-size(layout.size()));
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// What `read` returns, the most this thread held above its start while
/// it ran, and what it still holds above its start once it returned (what
/// the result keeps).
fn measure<T>(read: impl FnOnce() -> T) -> (T, usize, usize) {
    let start = CURRENT.with(Cell::get);
    PEAK.with(|peak| peak.set(start));
    let result = read();
    let peak = PEAK.with(Cell::get) - start;
    let held = CURRENT.with(Cell::get) - start;
    (
        result,
        usize::try_from(peak).unwrap_or(0),
        usize::try_from(held).unwrap_or(0),
    )
}

const MIB: usize = 1 << 20;

/// An envelope around `data`, padded by `fill` to `MIB` bytes in all.
fn body(name: &str, data_start: &str, fill: &str, data_end: &str) -> Vec<u8> {
    let start = format!(
        r#"{{"id": "0f7e4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b", "api_version": "2022-05-25",
            "name": "{name}", "created_at": 1760000000, "attempt_number": 1,
            "attempt_total": 4, "data": {data_start}"#
    );
    let end = format!("{data_end}}}");
    let room = MIB - start.len() - end.len();
    let mut body = Vec::with_capacity(MIB);
    body.extend_from_slice(start.as_bytes());
    body.extend(fill.bytes().cycle().take(room / fill.len() * fill.len()));
    // The last pieces of `fill`, shorter: still valid where `fill` is.
    body.extend(std::iter::repeat_n(b' ', room % fill.len()));
    body.extend_from_slice(end.as_bytes());
    assert_eq!(body.len(), MIB);
    body
}

/// Reads `body` and checks that it peaked below 3× its size and that the
/// event holds less than 2×.
fn read_within_bounds(what: &str, body: &[u8]) -> Event {
    let headers = HeaderMap::new();
    let (event, peak, held) = measure(|| parse(&headers, body));
    let event = event.unwrap_or_else(|error| panic!("{what}: {error}"));
    eprintln!(
        "{what}: body {} bytes, peak {peak} bytes ({:.2}×), held {held} bytes ({:.2}×)",
        body.len(),
        peak as f64 / body.len() as f64,
        held as f64 / body.len() as f64,
    );
    assert!(peak < 3 * body.len(), "{what}: peak {peak} bytes");
    assert!(held < 2 * body.len(), "{what}: held {held} bytes");
    event
}

#[test]
fn an_unknown_event_of_a_mebibyte_of_zeros_costs_about_its_size() {
    let zeros = body("sms.something.new", "[0", ",0", "]");
    let event = read_within_bounds("unknown event, data [0,0,0,…]", &zeros);
    assert!(matches!(event.payload, Payload::Unknown { .. }));
}

#[test]
fn an_unknown_event_of_a_mebibyte_of_empty_objects_costs_about_its_size() {
    let objects = body("sms.something.new", "[{}", ",{}", "]");
    read_within_bounds("unknown event, data [{},{},…]", &objects);
}

#[test]
fn a_known_event_with_a_mebibyte_of_text_costs_about_its_size() {
    let plain = body(
        "sms.email.parsing.fail",
        r#"{"field": "to", "email": {"id": "email-124", "body": "x"#,
        "x",
        r#""}}"#,
    );
    let event = read_within_bounds("sms.email.parsing.fail, plain body text", &plain);
    let Payload::SmsEmailParsingFail(failure) = &event.payload else {
        panic!("an email failure: {}", event.name())
    };
    assert!(
        failure
            .email
            .body
            .as_ref()
            .is_some_and(|b| b.len() > MIB - 300)
    );
}

#[test]
fn a_known_event_with_a_mebibyte_of_escaped_text_costs_about_its_size() {
    // Escapes are decoded through serde_json's scratch buffer.
    let escaped = body(
        "sms.email.parsing.fail",
        r#"{"field": "to", "email": {"id": "email-124", "body": "x"#,
        r"line\n",
        r#""}}"#,
    );
    read_within_bounds("sms.email.parsing.fail, body text with escapes", &escaped);
}

#[test]
fn a_known_event_with_a_mebibyte_of_zeros_in_a_field_it_ignores_costs_about_its_size() {
    let ignored = body(
        "sms.email.parsing.fail",
        r#"{"field": "to", "email": {"id": "email-124"}, "attachments": [0"#,
        ",0",
        "]}",
    );
    let event = read_within_bounds("sms.email.parsing.fail, data.attachments [0,0,…]", &ignored);
    assert_eq!(event.name(), "sms.email.parsing.fail");
}

#[test]
fn an_envelope_field_this_crate_ignores_costs_no_more() {
    let padded = body(
        "sms.delivery",
        r#"{"id": "d6c12ac4-cc7d-11ec-b6da-525400bbb7dc", "dlr_code": 1, "status_code": 100},
            "padding": [0"#,
        ",0",
        "]",
    );
    let event = read_within_bounds("sms.delivery, envelope field padding [0,0,…]", &padded);
    assert!(event.delivery_report().is_some());
}

#[test]
fn a_body_that_is_not_an_event_costs_no_more() {
    // Refused after the whole body was read: an array, not an object.
    let headers = HeaderMap::new();
    let mut array = b"[".to_vec();
    array.extend(b"0,".repeat((MIB - 2) / 2));
    array.pop();
    array.extend_from_slice(b" ]");
    assert_eq!(array.len(), MIB);
    let (result, peak, held) = measure(|| parse(&headers, &array));
    assert!(result.is_err());
    eprintln!("not an event, [0,0,…]: body {MIB} bytes, peak {peak} bytes, held {held} bytes");
    assert!(peak < 3 * MIB, "peak {peak} bytes");
}

#[test]
fn a_fraud_check_with_a_mebibyte_of_zeros_in_its_data_costs_about_its_size() {
    let zeros = body(
        "fraud-check.done",
        r#"{"check_id": "fraud-check-123", "confidence_score": 0.95, "result": "clean",
            "extra": [0"#,
        ",0",
        "]}",
    );
    let event = read_within_bounds("fraud-check.done, data.extra [0,0,…]", &zeros);
    let Payload::FraudCheckDone(done) = &event.payload else {
        panic!("a fraud check: {}", event.name())
    };
    assert_eq!(done.check_id(), Some("fraud-check-123"));
    assert_eq!(done.confidence_score(), Some(0.95));
    assert_eq!(done.result(), Some("clean"));
}

#[test]
fn a_subscription_with_a_mebibyte_of_zeros_in_its_additional_data_costs_about_its_size() {
    let zeros = body(
        "phone.subscribe",
        r#"{"phone": "+99559122567", "timestamp": 1757926648, "group_id": 123,
            "additional_data": [0"#,
        ",0",
        "]}",
    );
    let event = read_within_bounds("phone.subscribe, data.additional_data [0,0,…]", &zeros);
    let Payload::PhoneSubscribe(subscribed) = &event.payload else {
        panic!("a subscription: {}", event.name())
    };
    assert_eq!(subscribed.phone, "+99559122567");
}

#[test]
fn an_unsubscription_with_a_mebibyte_of_zeros_in_its_form_costs_about_its_size() {
    let zeros = body(
        "phone.unsubscribe",
        r#"{"phone": "+4911113333444", "timestamp": 1757849748, "additional_data": {
            "reason": {"id": 4, "label": "Es ist unverständlich"}, "padding": [0"#,
        ",0",
        "]}}",
    );
    let event = read_within_bounds(
        "phone.unsubscribe, data.additional_data.padding [0,0,…]",
        &zeros,
    );
    let Payload::PhoneUnsubscribe(unsubscribed) = &event.payload else {
        panic!("an unsubscription: {}", event.name())
    };
    // The accessors read the text where it lies.
    let (reason, peak, _) = measure(|| unsubscribed.reason());
    assert_eq!(reason, Some(lox24::UnsubscribeReason::Incomprehensible));
    assert!(peak < 1024, "reason(): peak {peak} bytes");
    let (label, peak, _) = measure(|| unsubscribed.reason_label().map(|label| label.len()));
    assert_eq!(label, Some("Es ist unverständlich".len()));
    assert!(peak < 1024, "reason_label(): peak {peak} bytes");
}

#[test]
fn a_fraud_check_with_a_mebibyte_of_text_in_a_field_it_reads_holds_it_once() {
    let text = body(
        "fraud-check.done",
        r#"{"check_id": "fraud-check-123", "result": "x"#,
        "x",
        r#""}"#,
    );
    let headers = HeaderMap::new();
    let (event, _, held) = measure(|| parse(&headers, &text));
    let event = event.unwrap();
    let Payload::FraudCheckDone(done) = &event.payload else {
        panic!("a fraud check: {}", event.name())
    };
    // Found in the data's text, not copied beside it.
    assert!(held < MIB + 1024, "held {held} bytes");
    assert!(done.result().is_some_and(|result| result.len() > MIB - 300));
}

#[test]
fn the_summary_of_a_fraud_check_costs_about_its_size() {
    let zeros = body(
        "fraud-check.done",
        r#"{"check_id": "fraud-check-123", "extra": [0"#,
        ",0",
        "]}",
    );
    let event = parse(&HeaderMap::new(), &zeros).unwrap();
    let (line, peak, _) = measure(|| event.to_string());
    assert!(line.starts_with(r#"fraud-check.done  {"check_id":"fraud-check-123","extra":[0,0,"#));
    eprintln!("summary of fraud-check.done, data.extra [0,0,…]: peak {peak} bytes");
    // The line itself, in a `String` that grows by doubling (its old and
    // new blocks held at once for a moment): not a `Value` of the data.
    assert!(peak < 4 * MIB, "peak {peak} bytes");
}
