//! The answer to a batch of phone entries, as the upload engine reads it:
//! its fast scanner must read every answer it accepts exactly as serde
//! reads it, and decoding must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let expected = data.last().map_or(0, |&b| usize::from(b % 8));
    if let Err(disagreement) = lox24::fuzzing::batch_answer(data, expected) {
        panic!("the scanner and serde disagree: {disagreement}");
    }
});
