/// The most characters of a body kept in an error.
pub(crate) const EXCERPT_CHARS: usize = 200;

/// A short, single-line rendering of a body that is not a JSON error: HTML
/// tags are dropped (a proxy's error page becomes "502 Bad Gateway nginx"),
/// whitespace is collapsed, and the text is cut at [`EXCERPT_CHARS`].
/// `None` for an empty body.
///
/// One pass over the body, which stops as soon as the excerpt is full: the
/// cost grows with the size of the body, never with its square, whatever
/// tags it holds.
pub(crate) fn excerpt(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let mut out = Collapsed::default();
    if text.trim_start().starts_with('<') {
        visible_text(&text, &mut out);
    } else {
        out.push(&text);
    }
    out.finish()
}

/// Text with its whitespace collapsed to single spaces, kept up to
/// [`EXCERPT_CHARS`] characters.
#[derive(Default)]
struct Collapsed {
    out: String,
    chars: usize,
    /// Whitespace (or a tag) since the last character kept.
    gap: bool,
    /// More text came than fits.
    cut: bool,
}

impl Collapsed {
    /// Adds `text`; `false` once the excerpt is full and nothing more is needed.
    fn push(&mut self, text: &str) -> bool {
        for c in text.chars() {
            if c.is_whitespace() {
                self.gap();
                continue;
            }
            if self.chars == EXCERPT_CHARS {
                self.cut = true;
                return false;
            }
            if std::mem::take(&mut self.gap) {
                self.out.push(' ');
                self.chars += 1;
                if self.chars == EXCERPT_CHARS {
                    self.cut = true;
                    return false;
                }
            }
            self.out.push(c);
            self.chars += 1;
        }
        true
    }

    /// A separation between words (whitespace, a tag).
    fn gap(&mut self) {
        self.gap = !self.out.is_empty();
    }

    fn finish(mut self) -> Option<String> {
        if self.cut {
            // A space right before the cut says nothing.
            if self.out.ends_with(' ') {
                self.out.pop();
            }
            self.out.push('…');
        }
        (!self.out.is_empty()).then_some(self.out)
    }
}

/// The text outside of `<…>`, with the contents of `<script>` and `<style>`
/// left out, into `out`. Each byte is looked at a bounded number of times.
fn visible_text(html: &str, out: &mut Collapsed) {
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        if !out.push(&rest[..start]) {
            return;
        }
        out.gap();
        let tag = &rest[start + 1..];
        let Some(end) = tag.find('>') else {
            // An unclosed tag ends the text.
            return;
        };
        let name = tag[..end].trim_start();
        rest = &tag[end + 1..];
        if let Some(hidden) = ["script", "style"]
            .into_iter()
            .find(|hidden| starts_with_ignoring_case(name, hidden))
        {
            rest = closing_tag(rest, hidden).map_or("", |at| &rest[at..]);
        }
    }
    out.push(rest);
}

/// Where `</name` first appears in `text`, in any case.
fn closing_tag(text: &str, name: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(found) = text[from..].find("</") {
        let at = from + found;
        if bytes
            .get(at + 2..at + 2 + name.len())
            .is_some_and(|candidate| candidate.eq_ignore_ascii_case(name.as_bytes()))
        {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

fn starts_with_ignoring_case(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix.as_bytes()))
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
    fn hidden_elements_close_in_any_case_and_text_after_them_is_kept() {
        assert_eq!(
            excerpt(
                b"<p>before</p><SCRIPT type=x>var a = '<b>';</ScRiPt >after<style>p{}</STYLE>end"
            )
            .as_deref(),
            Some("before after end")
        );
        assert_eq!(excerpt(b"<script>never closed <p>text").as_deref(), None);
    }

    #[test]
    fn text_is_cut_between_words_without_a_trailing_space() {
        let body = format!("{} tail", "y".repeat(EXCERPT_CHARS - 1));
        let cut = excerpt(body.as_bytes()).unwrap();
        assert_eq!(cut, format!("{}…", "y".repeat(EXCERPT_CHARS - 1)));
        let exact = "z".repeat(EXCERPT_CHARS);
        assert_eq!(excerpt(exact.as_bytes()).as_deref(), Some(exact.as_str()));
    }

    #[test]
    fn unclosed_tags_end_the_text() {
        assert_eq!(excerpt(b"<p>cut here <b").as_deref(), Some("cut here"));
    }
}
