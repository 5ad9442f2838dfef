//! The client progenitor generates from `openapi/lox24.yaml`: one method
//! per operation that builds the request from typed arguments and decodes
//! the answer, and the request body types (`types`). An implementation
//! detail: [`crate::transport`] makes one for each call and sends through
//! its hooks. The body types are public with the `low-level` feature
//! ([`crate::low_level`]).
#![allow(
    missing_docs,
    clippy::all,
    rustdoc::all,
    unused_imports,
    dead_code,
    // Its constructors take the transport's per-call state, which is crate-private.
    private_interfaces
)]

include!(concat!(env!("OUT_DIR"), "/lox24_api.rs"));
