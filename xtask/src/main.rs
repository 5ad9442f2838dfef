//! Maintenance tasks of the workspace, run as `cargo xtask <task>`.
//!
//! `spec`: our OpenAPI document, `openapi/lox24.yaml`, is a function of
//! LOX24's published one (pinned in `openapi/upstream/`), of what we take
//! from it and how we name it (`openapi/pipeline.yaml`), of our reasoned
//! deviations (`openapi/overlay.yaml`) and of our English prose
//! (`openapi/descriptions.yaml`).
//!
//! ```text
//! cargo xtask spec                      regenerate openapi/lox24.yaml
//! cargo xtask spec --check              fail when the committed file is not what the inputs give
//! cargo xtask spec drift NEW [--markdown]
//!                                       what a new LOX24 document changes (exit 1: decisions needed)
//! cargo xtask spec update NEW [--url URL]
//!                                       move the pin to NEW and regenerate
//! ```

mod convert;
mod drift;
mod emit;
mod normalise;
mod overlay;
mod pin;
mod spec;
#[cfg(test)]
mod synthetic;

use std::{path::PathBuf, process::ExitCode};

const USAGE: &str = "usage: cargo xtask spec [--check]
       cargo xtask spec drift <new-upstream.json> [--markdown]
       cargo xtask spec update <new-upstream.json> [--url <public URL>]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let root = workspace_root();
    let outcome = match args.as_slice() {
        ["spec"] => spec::write(&root).map(|path| {
            println!("wrote {}", path.display());
            ExitCode::SUCCESS
        }),
        ["spec", "--check"] => spec::check(&root),
        ["spec", "drift", new, rest @ ..] if rest.iter().all(|a| *a == "--markdown") => {
            let markdown = !rest.is_empty();
            drift::run(&root, new.as_ref(), markdown)
        }
        ["spec", "update", new] => spec::update(&root, new.as_ref(), None),
        ["spec", "update", new, "--url", url] => spec::update(&root, new.as_ref(), Some(url)),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    outcome.unwrap_or_else(|error| {
        eprintln!("error: {error}");
        ExitCode::from(2)
    })
}

/// The workspace's root: this crate's parent folder.
fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}
