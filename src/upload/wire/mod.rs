//! The engine's fast paths for the batch wire format: writing entries
//! ([`writer`]) and reading answers ([`scanner`]) without serde where the
//! common case allows. Serde's form is the reference: the differential
//! tests below hold both paths to it on generated inputs.

#[cfg(test)]
mod differential;
pub(crate) mod scanner;
mod writer;

pub(super) use scanner::decode;
pub(super) use writer::{Body, Sealed};
