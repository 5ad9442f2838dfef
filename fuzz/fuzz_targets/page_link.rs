//! Page links (`hydra:next`) of any form: following one never leaves the
//! client's host, and reading an IRI never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lox24::Iri;

fuzz_target!(|text: &str| {
    let iri = Iri::new(text);
    let _ = (iri.path(), iri.query(), iri.to_string());
    if let Ok(path) = lox24::fuzzing::page_path(text) {
        assert!(path.starts_with('/'), "{path}");
        let url = url::Url::parse(&format!("https://api.lox24.eu{path}")).expect("a URL");
        assert_eq!(url.host_str(), Some("api.lox24.eu"), "{text:?} -> {path}");
    }
});
