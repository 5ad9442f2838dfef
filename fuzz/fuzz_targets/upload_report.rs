//! An upload report read back from a file (a resume reads whatever is
//! there): never a panic, every accessor answers, and a report that reads
//! writes itself back the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lox24::upload::UploadReport;

fuzz_target!(|data: &[u8]| {
    let Ok(report) = serde_json::from_slice::<UploadReport>(data) else {
        return;
    };
    let _ = (report.summary(), report.to_resend(true), report.to_string());
    assert_eq!(report.input_fingerprint().entries(), report.read());
    for (index, outcome) in report.entries().take(1000) {
        assert_eq!(report.outcome(index).as_deref(), Some(&*outcome));
    }
    let _ = report.outcome(report.read());
    let written = serde_json::to_string(&report).expect("a report writes");
    let again: UploadReport = serde_json::from_str(&written).expect("and reads back");
    assert_eq!(serde_json::to_string(&again).expect("writes"), written);
});
