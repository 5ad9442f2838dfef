//! Collections and resources as LOX24 answers them, in JSON and JSON-LD:
//! decoding never panics, and a next-page link of any page read is either
//! refused or followed on the client's own host.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lox24::{BatchResult, Bulk, Group, HydraCollection, Phone};

fuzz_target!(|data: &[u8]| {
    if let Ok(page) = serde_json::from_slice::<HydraCollection<Group>>(data) {
        follow(&page);
    }
    if let Ok(page) = serde_json::from_slice::<HydraCollection<Phone>>(data) {
        follow(&page);
    }
    if let Ok(page) = serde_json::from_slice::<HydraCollection<Bulk>>(data) {
        follow(&page);
    }
    if let Ok(batch) = serde_json::from_slice::<BatchResult>(data) {
        let _ = (batch.created(), batch.failed());
    }
    let _ = serde_json::from_slice::<Bulk>(data);
    let _ = serde_json::from_slice::<Group>(data);
});

fn follow<T>(page: &HydraCollection<T>) {
    if let Some(next) = page.next()
        && let Ok(path) = lox24::fuzzing::page_path(next.as_str())
    {
        let url = url::Url::parse(&format!("https://api.lox24.eu{path}")).expect("a URL");
        assert_eq!(url.host_str(), Some("api.lox24.eu"), "{path}");
    }
}
