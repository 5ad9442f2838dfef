//! Helpers shared by the sandbox's tests. Every server here listens on
//! 127.0.0.1 only.
#![allow(dead_code)]

pub mod peer;
pub mod receiver;

use lox24::Client;

/// A token of the documented form that the sandbox does not accept; the key
/// part is what must never leak.
pub const TOKEN: &str = "1234567:e3f3a759b6677959b6ebfc0123456789";
pub const API_KEY: &str = "e3f3a759b6677959b6ebfc0123456789";

/// A client for `base_url` with [`TOKEN`], short timeouts and no retries, so
/// that each test sees exactly the requests it makes.
pub fn client_at(base_url: &str) -> Client {
    Client::builder()
        .token(TOKEN)
        .base_url(base_url)
        .retry(lox24::RetryPolicy::none())
        .connect_timeout(std::time::Duration::from_secs(5))
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .expect("a valid test configuration")
}
