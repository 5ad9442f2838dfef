//! The crypto provider of rustls with the `rustls-ring` feature: `ring`.
//!
//! reqwest 0.13 builds its rustls configuration from the process's default
//! provider, and panics without one unless it brings aws-lc-rs (its
//! `rustls` feature, ours too: a C build of a minute and more). With
//! `rustls-ring` alone, the library installs `ring` as that default when
//! nothing is installed yet, before any reqwest client of its own is built,
//! so that builders from
//! [`ClientBuilder::http_client`](super::ClientBuilder::http_client) get it
//! too. A provider the application installed itself is left alone.

/// Installs `ring` as rustls's default provider, unless there is one.
#[cfg(all(feature = "rustls-ring", not(feature = "rustls")))]
pub(super) fn provide_crypto() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Another thread may have installed one meanwhile: that one stays.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// Nothing to install: reqwest brings its own provider, or no rustls.
#[cfg(not(all(feature = "rustls-ring", not(feature = "rustls"))))]
pub(super) fn provide_crypto() {}
