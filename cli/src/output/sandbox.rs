//! The sandbox's address and token.

use std::fmt::Write as _;

use serde::Serialize;

use super::{Render, Text};

/// Where the sandbox listens and the token it accepts.
#[derive(Serialize)]
pub struct SandboxInfo {
    pub base_url: String,
    pub port: u16,
    pub token: &'static str,
    /// Where webhook events go, if anywhere.
    pub webhook: Option<String>,
}

impl Render for SandboxInfo {
    fn human(&self, out: &mut Text) {
        let _ = writeln!(out, "LOX24 sandbox on {}", self.base_url);
        let _ = writeln!(out, "Use it from another terminal:");
        let _ = writeln!(out, "  export LOX24_BASE_URL={}", self.base_url);
        let _ = writeln!(out, "  export LOX24_TOKEN={}", self.token);
        if let Some(url) = &self.webhook {
            let _ = writeln!(out, "Webhook events go to {url}");
        }
    }
}
