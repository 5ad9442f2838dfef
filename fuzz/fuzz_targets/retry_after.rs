//! `Retry-After` of any bytes: seconds or an HTTP date, never a panic; a
//! number of seconds is taken as it is.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let wait = lox24::fuzzing::retry_after(data);
    if let Some(seconds) = std::str::from_utf8(data)
        .ok()
        .and_then(|text| text.trim().parse::<u64>().ok())
        && data.iter().all(|b| (0x20..0x7f).contains(b) || *b == b'\t')
    {
        assert_eq!(wait, Some(std::time::Duration::from_secs(seconds)));
    }
});
