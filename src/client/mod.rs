//! The [`Client`] and its builder.

mod credentials;
mod tls;

pub use credentials::{Credentials, TOKEN_VARIABLE};

use std::{fmt, net::IpAddr, sync::Arc, time::Duration};

use reqwest::Url;

use crate::{
    RetryPolicy,
    error::{ConfigError, Error},
    transport::{Limits, Lockout, Transport, USER_AGENT_VALUE},
};

/// LOX24's production API.
pub const DEFAULT_BASE_URL: &str = "https://api.lox24.eu";
/// The environment variable read by [`Client::from_env`] for the base URL.
pub const BASE_URL_VARIABLE: &str = "LOX24_BASE_URL";
/// How long to wait for a connection by default.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a whole request may take by default: LOX24's own code samples
/// allow 100 seconds, which also leaves room for large phone batches.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(100);
/// The most bytes read of an answer that is read whole (everything but the
/// CSV export, which is streamed), unless
/// [`ClientBuilder::max_answer_bytes`] says otherwise: 32 MiB.
///
/// LOX24's largest answer is the one to a batch of phone entries, which
/// echoes about 200 bytes per entry: 2 MB for the largest batch the upload
/// engine sends ([`crate::upload::MAX_BATCH_SIZE`] entries), a sixteenth of
/// this limit. A larger answer is not LOX24's, and reading it whole would
/// only cost memory.
pub const DEFAULT_MAX_ANSWER_BYTES: usize = 32 * 1024 * 1024;

/// A client for the LOX24 API. Cheap to clone; clones share connections.
///
/// ```no_run
/// # async fn run() -> Result<(), lox24::Error> {
/// // From LOX24_TOKEN (and LOX24_BASE_URL, when set):
/// let client = lox24::Client::from_env()?;
///
/// // Or explicitly:
/// let client = lox24::Client::builder()
///     .token("1234567:e3f3a759b6677959b6ebfcxxxxxxxxxx")
///     .timeout(std::time::Duration::from_secs(30))
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    /// Every request goes through it; clones share it.
    pub(crate) transport: Arc<Transport>,
}

impl Client {
    /// A builder with LOX24's production URL and the default timeouts.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client with default settings for these credentials.
    pub fn new(credentials: Credentials) -> Result<Self, Error> {
        Self::builder().credentials(credentials).build()
    }

    /// A client configured from the environment: credentials from
    /// `LOX24_TOKEN`, and the base URL from `LOX24_BASE_URL` when it is set.
    pub fn from_env() -> Result<Self, Error> {
        let mut builder = Self::builder().credentials(Credentials::from_env()?);
        if let Ok(url) = std::env::var(BASE_URL_VARIABLE) {
            builder = builder.base_url(url);
        }
        builder.build()
    }

    /// Checks a base URL as [`ClientBuilder::build`] does, without building
    /// a client: the URL as requests will use it (no trailing slash), or
    /// [`ConfigError::InvalidBaseUrl`], which shows the URL with what could
    /// be a secret (userinfo, query, fragment) replaced by `***`. For a
    /// service that checks its configuration at start, or a tool that shows
    /// it.
    ///
    /// ```
    /// use lox24::{Client, ConfigError};
    ///
    /// assert_eq!(
    ///     Client::check_base_url("https://proxy.example/lox24/").unwrap(),
    ///     "https://proxy.example/lox24"
    /// );
    /// let Err(ConfigError::InvalidBaseUrl { url, reason }) =
    ///     Client::check_base_url("https://me:secret@proxy.example/")
    /// else {
    ///     panic!("credentials in a base URL are refused");
    /// };
    /// assert_eq!(url, "https://***@proxy.example/");
    /// assert_eq!(reason, "credentials belong in the token, not in the URL");
    /// ```
    pub fn check_base_url(url: &str) -> Result<String, ConfigError> {
        checked_base_url(url)
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.transport.base_url()
    }

    /// The retry policy of this client's requests.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.transport.retry_policy()
    }

    /// The most bytes read of an answer that is read whole
    /// ([`ClientBuilder::max_answer_bytes`]).
    pub fn max_answer_bytes(&self) -> usize {
        self.transport.limits().max_answer_bytes
    }

    /// Whether the client refuses to send because LOX24 answered 401 to one
    /// of its requests (see [`Error::LockedOut`]).
    pub fn is_locked_out(&self) -> bool {
        self.transport.lockout() == Lockout::Locked
    }

    /// Lets a locked-out client send again, once the credentials have been
    /// fixed on LOX24's side (an API key activated, say). Until one answer
    /// proves the credentials, the client sends one request at a time, at
    /// most three within any 65 seconds.
    /// Applies to this client and its clones.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// if client.is_locked_out() {
    ///     // ... after activating the key in the LOX24 account:
    ///     client.reset_lockout();
    /// }
    /// # Ok(()) }
    /// ```
    pub fn reset_lockout(&self) {
        self.transport.reset_lockout();
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url())
            .field("customer_id", &self.transport.customer_id())
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`].
///
/// ```
/// let client = lox24::Client::builder()
///     .customer_id_and_key("1234567", "e3f3a759b6677959b6ebfcxxxxxxxxxx")
///     .base_url("http://127.0.0.1:8080")
///     .connect_timeout(std::time::Duration::from_secs(2))
///     .build()?;
/// assert_eq!(client.base_url(), "http://127.0.0.1:8080");
/// # Ok::<(), lox24::Error>(())
/// ```
#[derive(Default)]
#[must_use]
pub struct ClientBuilder {
    credentials: Option<Result<Credentials, ConfigError>>,
    base_url: Option<String>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    http: Option<reqwest::ClientBuilder>,
    retry: Option<RetryPolicy>,
    max_answer_bytes: Option<usize>,
    max_listing_pages: Option<u32>,
}

impl ClientBuilder {
    /// Uses these credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(Ok(credentials));
        self
    }

    /// Uses a token `<customer id>:<API key>`; a malformed token makes
    /// [`ClientBuilder::build`] fail.
    pub fn token(mut self, token: &str) -> Self {
        self.credentials = Some(Credentials::from_token(token));
        self
    }

    /// Uses a customer id and an API key.
    pub fn customer_id_and_key(
        mut self,
        customer_id: impl Into<String>,
        api_key: impl Into<String>,
    ) -> Self {
        self.credentials = Some(Credentials::new(customer_id, api_key));
        self
    }

    /// Sends requests to another URL than `https://api.lox24.eu`, such as a
    /// proxy or a test server. Plain `http://` is accepted only for loopback
    /// hosts (`localhost`, `127.0.0.0/8`, `::1`): the token must not cross a
    /// network unencrypted.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// How long to wait for a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How long a whole request, answer included, may take (default 100 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Repeats failed requests by this policy (default:
    /// [`RetryPolicy::default`]); [`RetryPolicy::none`] turns retries off.
    ///
    /// ```
    /// let client = lox24::Client::builder()
    ///     .token("1234567:e3f3a759b6677959b6ebfcxxxxxxxxxx")
    ///     .retry(lox24::RetryPolicy::none())
    ///     .build()?;
    /// assert_eq!(client.retry_policy().max_attempts(), 1);
    /// # Ok::<(), lox24::Error>(())
    /// ```
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The most bytes read of an answer that is read whole (default
    /// [`DEFAULT_MAX_ANSWER_BYTES`]); a larger answer is an
    /// [`Error::UnexpectedResponse`], and no more of it is read. The CSV
    /// export is streamed and has no such limit.
    ///
    /// ```
    /// let client = lox24::Client::builder()
    ///     .token("1234567:e3f3a759b6677959b6ebfcxxxxxxxxxx")
    ///     .max_answer_bytes(4 * 1024 * 1024)
    ///     .build()?;
    /// assert_eq!(client.max_answer_bytes(), 4 * 1024 * 1024);
    /// # Ok::<(), lox24::Error>(())
    /// ```
    pub fn max_answer_bytes(mut self, bytes: usize) -> Self {
        self.max_answer_bytes = Some(bytes);
        self
    }

    /// The most pages a [`Listing`](crate::Listing) of this client reads
    /// (default [`DEFAULT_MAX_LISTING_PAGES`](crate::jsonld::DEFAULT_MAX_LISTING_PAGES));
    /// one listing can change it with [`Listing::max_pages`](crate::Listing::max_pages).
    ///
    /// ```
    /// let client = lox24::Client::builder()
    ///     .token("1234567:e3f3a759b6677959b6ebfcxxxxxxxxxx")
    ///     .max_listing_pages(100_000)
    ///     .build()?;
    /// # Ok::<(), lox24::Error>(())
    /// ```
    pub fn max_listing_pages(mut self, pages: u32) -> Self {
        self.max_listing_pages = Some(pages);
        self
    }

    /// Builds the HTTP client from this `reqwest` builder (for proxy and
    /// TLS settings, say). Its own timeouts then apply instead of
    /// [`ClientBuilder::timeout`] and [`ClientBuilder::connect_timeout`].
    /// Whatever it says of redirects, they are not followed: a followed
    /// redirect would carry the token to wherever it points. Clones of the
    /// [`Client`] share its connections.
    ///
    /// ```
    /// let client = lox24::Client::builder()
    ///     .token("1234567:e3f3a759b6677959b6ebfcxxxxxxxxxx")
    ///     .http_client(reqwest::Client::builder().pool_max_idle_per_host(2))
    ///     .build()?;
    /// # Ok::<(), lox24::Error>(())
    /// ```
    pub fn http_client(mut self, builder: reqwest::ClientBuilder) -> Self {
        self.http = Some(builder);
        self
    }

    /// Checks the settings and builds the client. Nothing is sent.
    pub fn build(self) -> Result<Client, Error> {
        let credentials = self
            .credentials
            .unwrap_or_else(Credentials::from_env)
            .map_err(Error::Config)?;
        let base_url = checked_base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        tls::provide_crypto();
        let http = match self.http {
            Some(builder) => builder,
            None => reqwest::Client::builder()
                .user_agent(USER_AGENT_VALUE)
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT)),
        }
        // Redirects are not followed, whoever made the builder: LOX24
        // documents none, and following one would carry the token header to
        // wherever it points.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(ConfigError::HttpClient)?;
        let retry = self.retry.unwrap_or_default();
        let limits = Limits {
            max_answer_bytes: self.max_answer_bytes.unwrap_or(DEFAULT_MAX_ANSWER_BYTES),
            max_listing_pages: self
                .max_listing_pages
                .unwrap_or(crate::jsonld::DEFAULT_MAX_LISTING_PAGES),
        };
        Ok(Client {
            transport: Arc::new(Transport::new(http, base_url, &credentials, retry, limits)),
        })
    }
}

/// The base URL without a trailing slash, or why it cannot be used.
fn checked_base_url(text: &str) -> Result<String, ConfigError> {
    let invalid = |reason| ConfigError::InvalidBaseUrl {
        url: redacted(text),
        reason,
    };
    let url = Url::parse(text).map_err(|_| invalid("not an absolute URL"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("credentials belong in the token, not in the URL"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("a base URL has no query or fragment"));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(invalid(
                "plain http is allowed only for loopback hosts (localhost, 127.0.0.0/8, ::1); use https",
            ));
        }
        _ => {
            return Err(invalid(
                "the scheme must be https (or http for a loopback host)",
            ));
        }
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// A URL as it may be shown in an error: what could be a secret (the
/// userinfo before `@`, the query, the fragment) replaced by `***`. Works on
/// the text, so that a URL too broken to parse is redacted too.
fn redacted(text: &str) -> String {
    let (before, hidden_tail) = match text.find(['?', '#']) {
        Some(at) => (&text[..at], Some(&text[at..=at])),
        None => (text, None),
    };
    let (scheme, rest) = match before.split_once("://") {
        Some((scheme, rest)) => (Some(scheme), rest),
        None => (None, before),
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let rest = match rest[..authority_end].rfind('@') {
        Some(at) => format!("***{}", &rest[at..]),
        None => rest.to_owned(),
    };
    let mut out = scheme.map_or_else(String::new, |scheme| format!("{scheme}://"));
    out.push_str(&rest);
    if let Some(mark) = hidden_tail {
        out.push_str(mark);
        out.push_str("***");
    }
    out
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(host)) => host.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        for (url, expected) in [
            ("https://api.lox24.eu/", Some("https://api.lox24.eu")),
            (
                "https://proxy.example/lox24/",
                Some("https://proxy.example/lox24"),
            ),
            ("http://127.0.0.1:8080", Some("http://127.0.0.1:8080")),
            ("http://127.9.9.9", Some("http://127.9.9.9")),
            ("http://[::1]:9000/", Some("http://[::1]:9000")),
            ("http://LOCALHOST:1", Some("http://localhost:1")),
            ("http://api.lox24.eu", None),
            ("http://10.0.0.1", None),
            ("http://localhost.example.com", None),
            ("ftp://api.lox24.eu", None),
            ("api.lox24.eu", None),
            ("https://user:pw@api.lox24.eu", None),
            ("https://api.lox24.eu/?x=1", None),
        ] {
            assert_eq!(checked_base_url(url).ok().as_deref(), expected, "{url}");
        }
    }
}
