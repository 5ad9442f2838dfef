//! A group's CSV export as reconciliation reads it while it streams: rows
//! cut anywhere between two chunks read as they read whole, and reading
//! never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let cut = data.first().map_or(0, |&b| usize::from(b));
    if let Err(difference) = lox24::fuzzing::group_export(data.get(1..).unwrap_or_default(), cut) {
        panic!("the export reads differently in chunks: {difference}");
    }
});
