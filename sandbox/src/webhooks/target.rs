//! Where events may go: this machine only, unless the sandbox is told
//! otherwise, so that tests and demos never reach the internet.

use std::net::IpAddr;

use url::{Host, Url};

/// The webhook URL, if it is one the sandbox may post to: `http` (the
/// sandbox speaks no TLS) and, unless `remote` is allowed, a loopback host
/// (127.0.0.0/8, ::1 or `localhost`).
pub(crate) fn check_url(raw: &str, remote: bool) -> Result<Url, String> {
    let url = Url::parse(raw).map_err(|e| format!("the webhook URL {raw:?} is not a URL ({e})"))?;
    if url.scheme() != "http" {
        return Err(format!(
            "the webhook URL {raw:?} must start with http:// (the sandbox posts without TLS)"
        ));
    }
    let loopback = match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    if !loopback && !remote {
        return Err(format!(
            "the webhook URL {raw:?} is not on this machine: the sandbox posts only to \
             127.0.0.0/8, [::1] or localhost"
        ));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_urls_pass_and_others_are_refused_with_a_reason() {
        for good in [
            "http://127.0.0.1:9000/hook",
            "http://127.1.2.3/",
            "http://[::1]:80/x",
            "http://LOCALHOST:8080",
        ] {
            assert!(check_url(good, false).is_ok(), "{good}");
        }
        let remote = check_url("http://192.168.1.5/hook", false).unwrap_err();
        assert!(remote.contains("not on this machine"), "{remote}");
        assert!(check_url("http://example.com/", false).is_err());
        assert!(check_url("http://example.com/", true).is_ok());
        let tls = check_url("https://127.0.0.1/", false).unwrap_err();
        assert!(tls.contains("http://"), "{tls}");
        assert!(
            check_url("not a url", false)
                .unwrap_err()
                .contains("not a URL")
        );
    }
}
