/// The most characters of a body kept in an error.
pub(crate) const EXCERPT_CHARS: usize = 200;

/// A short, single-line rendering of a body that is not a JSON error: HTML
/// tags are dropped (a proxy's error page becomes "502 Bad Gateway nginx"),
/// whitespace is collapsed, and the text is cut at [`EXCERPT_CHARS`].
/// `None` for an empty body.
pub(crate) fn excerpt(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let text = if text.trim_start().starts_with('<') {
        strip_tags(&text)
    } else {
        text.into_owned()
    };
    let mut out = String::new();
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
        if out.chars().count() > EXCERPT_CHARS {
            break;
        }
    }
    if out.chars().count() > EXCERPT_CHARS {
        out = out.chars().take(EXCERPT_CHARS).collect();
        out.push('…');
    }
    (!out.is_empty()).then_some(out)
}

/// Text outside of `<…>`, with the contents of `<script>` and `<style>` left out.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        out.push(' ');
        let tag = &rest[start..];
        let Some(end) = tag.find('>') else {
            rest = "";
            break;
        };
        let name = tag[1..end].trim_start().to_ascii_lowercase();
        rest = &tag[end + 1..];
        for hidden in ["script", "style"] {
            if name.starts_with(hidden) {
                let close = format!("</{hidden}");
                let lower = rest.to_ascii_lowercase();
                rest = lower.find(&close).map_or("", |at| &rest[at..]);
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_pages_become_their_text() {
        let page = b"<html><head><title>502 Bad Gateway</title><style>body{}</style></head>\n\
            <body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
        assert_eq!(
            excerpt(page).as_deref(),
            Some("502 Bad Gateway 502 Bad Gateway nginx")
        );
    }

    #[test]
    fn long_text_is_cut_and_marked() {
        let body = "x".repeat(1000);
        let cut = excerpt(body.as_bytes()).unwrap();
        assert_eq!(cut.chars().count(), EXCERPT_CHARS + 1);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn empty_and_blank_bodies_have_no_excerpt() {
        assert_eq!(excerpt(b""), None);
        assert_eq!(excerpt(b" \r\n "), None);
    }

    #[test]
    fn invalid_utf8_does_not_panic() {
        assert_eq!(
            excerpt(b"bad \xff byte").as_deref(),
            Some("bad \u{fffd} byte")
        );
    }

    #[test]
    fn unclosed_tags_end_the_text() {
        assert_eq!(excerpt(b"<p>cut here <b").as_deref(), Some("cut here"));
    }
}
