//! The progress bar of an import, on stderr.
//!
//! It counts rows settled (an outcome known, or found unreadable). It starts
//! as a spinner with the count and the rate; for a file (not a pipe) a
//! thread counts the rows meanwhile, and once it knows the total the spinner
//! becomes a bar with an ETA. Counting parses the file once more without
//! building entries, a small cost next to the requests (stdin cannot be read
//! twice, so it keeps the spinner).

use std::{fmt, fs::File, io::BufReader, path::Path, time::Duration};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use lox24::upload::{Phase, Progress};

use super::csv_input::count_rows;

// Counts in plain digits, as in the summary and in `--json`: indicatif's
// `human_pos` and `per_sec` would group thousands with commas.
const SPINNER: &str = "{spinner} {pos} rows, {rate} {msg}";
const BAR: &str = "{wide_bar} {pos}/{len} rows, {rate}, ETA {eta} {msg}";

/// A bar that draws on stderr, or a hidden one (`--json`, `--quiet`, or
/// stderr is not a terminal).
pub fn new(visible: bool) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) = style(SPINNER) {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Counts the rows of the file at `path` on another thread and turns the
/// spinner into a bar when done. Does nothing for a hidden bar, for stdin or
/// for anything that is not a regular file.
pub fn count_in_background(bar: &ProgressBar, path: &Path, separator: u8) {
    if bar.is_hidden() || path.as_os_str() == "-" {
        return;
    }
    let Ok(file) = File::open(path) else { return };
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return;
    }
    let bar = bar.clone();
    let _ = std::thread::Builder::new()
        .name("csv counter".to_owned())
        .spawn(move || {
            // A count that fails leaves the spinner, which is still right.
            if let Ok(rows) = count_rows(BufReader::new(file), separator)
                && let Ok(style) = style(BAR)
                && !bar.is_finished()
            {
                bar.set_length(rows);
                bar.set_style(style);
            }
        });
}

/// A template with the tool's `{rate}`.
fn style(template: &str) -> Result<ProgressStyle, indicatif::style::TemplateError> {
    Ok(ProgressStyle::with_template(template)?.with_key(
        "rate",
        |state: &ProgressState, out: &mut dyn fmt::Write| {
            let _ = out.write_str(&rate(state.per_sec()));
        },
    ))
}

/// `1250 rows/s`.
fn rate(per_sec: f64) -> String {
    format!("{per_sec:.0} rows/s")
}

/// The counts behind the bar.
pub fn describe(bar: &ProgressBar, progress: &Progress) {
    let mut message = format!("· {} created", progress.created);
    for (count, what) in [
        (progress.rejected, "rejected"),
        (progress.not_sent, "not sent"),
        (progress.unknown, "unknown"),
        (progress.in_flight, "on their way"),
    ] {
        if count > 0 {
            message.push_str(&format!(", {count} {what}"));
        }
    }
    match progress.phase {
        Phase::Baseline => message.push_str(" · reading the group before sending"),
        Phase::Reconcile => message.push_str(&format!(
            " · reading the group to settle the unknown rows (round {})",
            progress.round
        )),
        Phase::Resend => message.push_str(&format!(
            " · sending again what is not in the group (round {})",
            progress.round
        )),
        _ => {}
    }
    if progress.settled > 0 {
        message.push_str(&format!(", {} settled", progress.settled));
    }
    bar.set_message(message);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_templates_parse_and_count_in_plain_digits() {
        for template in [SPINNER, BAR] {
            assert!(style(template).is_ok(), "{template}");
            assert!(!template.contains("human_"), "{template}");
            assert!(!template.contains("per_sec"), "{template}");
        }
        assert_eq!(rate(7000.4), "7000 rows/s");
    }

    #[test]
    fn a_hidden_bar_counts_nothing_and_draws_nothing() {
        let bar = new(false);
        assert!(bar.is_hidden());
        count_in_background(&bar, Path::new("Cargo.toml"), b',');
        assert_eq!(bar.length(), None);
    }
}
