//! Errors as text (stderr) and as the JSON document of `--json`.

use std::fmt::Write as _;

use serde::Serialize;

use crate::failure::{CliError, Exit, wording};

/// `error: …`, the fields LOX24 named, the request id and the advice.
pub fn human(error: &CliError) -> String {
    let mut out = format!("error: {error}\n");
    if let Some(e) = error.lox24() {
        for v in e.violations() {
            match v.property_path.as_str() {
                "" => {
                    let _ = writeln!(out, "  - {}", v.message);
                }
                path => {
                    let _ = writeln!(out, "  - {path}: {}", v.message);
                }
            }
        }
    }
    if let Some(advice) = error.advice() {
        let _ = writeln!(out, "hint: {advice}");
    }
    out
}

/// `{"error": {...}}`.
#[derive(Serialize)]
pub struct ErrorDocument {
    error: ErrorBody,
}

#[derive(Serialize)]
struct ErrorBody {
    /// `usage`, `api`, `unreachable`, …: the meaning of the exit status.
    kind: &'static str,
    exit_status: u8,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    violations: Vec<Violation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retry_after_secs: Option<u64>,
}

#[derive(Serialize)]
struct Violation {
    field: String,
    message: String,
}

impl ErrorDocument {
    pub fn of(error: &CliError) -> Self {
        let exit = error.exit();
        let lox24 = error.lox24();
        Self {
            error: ErrorBody {
                kind: exit.kind(),
                exit_status: exit as u8,
                message: error.to_string(),
                hint: error.advice(),
                status: lox24.and_then(lox24::Error::status),
                request_id: lox24.and_then(|e| e.request_id()).map(str::to_owned),
                violations: violations(error),
                retry_after_secs: lox24
                    .and_then(lox24::Error::retry_after)
                    .map(|d| d.as_secs()),
            },
        }
    }

    /// A usage error found while parsing the command line.
    pub fn usage(message: &str) -> Self {
        Self {
            error: ErrorBody {
                kind: Exit::Usage.kind(),
                exit_status: Exit::Usage as u8,
                message: message.trim().to_owned(),
                hint: None,
                status: None,
                request_id: None,
                violations: Vec::new(),
                retry_after_secs: None,
            },
        }
    }
}

/// The field refused before sending, or the fields LOX24 refused.
fn violations(error: &CliError) -> Vec<Violation> {
    if let Some((field, message)) = error.invalid_field() {
        let message = match error.lox24() {
            Some(lox24::Error::Validation(v)) => wording::describe_invalid(v),
            _ => message.to_owned(),
        };
        return vec![Violation {
            field: field.to_owned(),
            message,
        }];
    }
    error
        .lox24()
        .map(|e| {
            e.violations()
                .iter()
                .map(|v| Violation {
                    field: v.property_path.clone(),
                    message: v.message.clone(),
                })
                .collect()
        })
        .unwrap_or_default()
}
