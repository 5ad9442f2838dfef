//! The pin of LOX24's document: which file, which version and date, where it
//! is published, and its checksum, so that the spec is always generated from
//! exactly the document that was reviewed.

use std::{fs, path::Path};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Where the pinned document and its pin file live, below the workspace root.
pub const UPSTREAM_DIR: &str = "openapi/upstream";
const PIN_FILE: &str = "pin.yaml";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pin {
    /// The document's file name in `openapi/upstream/`.
    pub file: String,
    /// The document's `info.version`.
    pub version: String,
    /// The document's own date (`x-doc-version`), `YYYY-MM-DD`.
    pub date: String,
    /// Where LOX24 publishes it.
    pub url: String,
    /// SHA-256 of the file, in hex.
    pub sha256: String,
}

impl Pin {
    pub fn load(root: &Path) -> Result<Self, String> {
        let path = root.join(UPSTREAM_DIR).join(PIN_FILE);
        let text = fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        yaml_serde::from_str(&text).map_err(|e| format!("{} is not a pin: {e}", path.display()))
    }

    /// The pinned document, after checking it against the checksum.
    pub fn document(&self, root: &Path) -> Result<Value, String> {
        let path = root.join(UPSTREAM_DIR).join(&self.file);
        let bytes = fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let sum = sha256(&bytes);
        if sum != self.sha256 {
            return Err(format!(
                "{} has sha256 {sum}, the pin says {}: the pinned document was changed by hand",
                path.display(),
                self.sha256
            ));
        }
        parse(&bytes, &path)
    }

    /// The pin of a document as LOX24 published it.
    pub fn of(file: &str, bytes: &[u8], doc: &Value, url: &str) -> Result<Self, String> {
        let version = doc
            .pointer("/info/version")
            .and_then(Value::as_str)
            .ok_or("the document has no info.version")?
            .to_owned();
        Ok(Self {
            file: file.to_owned(),
            version,
            date: date_of(doc).unwrap_or_else(|| "unknown".to_owned()),
            url: url.to_owned(),
            sha256: sha256(bytes),
        })
    }

    pub fn save(&self, root: &Path) -> Result<(), String> {
        let text = format!(
            "# The LOX24 document that openapi/lox24.yaml is generated from, as published.\n\
             # `cargo xtask spec update <file>` moves the pin; `cargo xtask spec` checks\n\
             # the file against the checksum before it reads it.\n\
             file: {}\nversion: \"{}\"\ndate: \"{}\"\nurl: {}\nsha256: {}\n",
            self.file, self.version, self.date, self.url, self.sha256
        );
        let path = root.join(UPSTREAM_DIR).join(PIN_FILE);
        fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    }
}

/// Reads a JSON document.
pub fn parse(bytes: &[u8], path: &Path) -> Result<Value, String> {
    serde_json::from_slice(bytes).map_err(|e| format!("{} is not JSON: {e}", path.display()))
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// LOX24 writes its document's date into `x-doc-version` as `2.22 (20250915)`.
fn date_of(doc: &Value) -> Option<String> {
    let text = doc.get("x-doc-version")?.as_str()?;
    let digits = text.split('(').nth(1)?.split(')').next()?;
    (digits.len() == 8 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{}-{}-{}", &digits[..4], &digits[4..6], &digits[6..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_date_comes_from_lox24s_doc_version() {
        let doc = json!({"info": {"version": "2.22"}, "x-doc-version": "2.22 (20250915)"});
        let pin = Pin::of("x.json", b"{}", &doc, "https://example.invalid/x.json").unwrap();
        assert_eq!(
            (pin.version.as_str(), pin.date.as_str()),
            ("2.22", "2025-09-15")
        );
        assert_eq!(
            pin.sha256,
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
        assert_eq!(date_of(&json!({"x-doc-version": "2.22"})), None);
    }
}
