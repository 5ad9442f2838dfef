//! `lox24 phones import`: a contacts CSV into a group through the upload
//! engine, with the rejected-rows file, the report and `--resume`.

use std::{
    fs::File,
    io::{self, BufWriter, Read, Write},
    path::{Path, PathBuf},
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use clap::Args;
use lox24::{
    Column, GroupId,
    upload::{DEFAULT_BATCH_SIZE, Stop, UploadReport},
};
use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;

use super::{
    csv_input::{Mapping, Names, Rows, parse_separator},
    feed,
    ledger::Ledger,
    progress,
    rejected::{RejectedRows, default_path},
    repeats::{LISTED, Seen},
};
use crate::{
    context::Context,
    failure::{CliError, Exit, advice, exit_of},
    options::{PhoneArgs, parse_column_name, parse_duration, parse_group_id},
    output::{ImportSummary, ReconciledView, RepeatView, StopView, count},
};

/// Requests on their way at once, at most: more would weigh on LOX24 for a
/// gain only very slow links would see.
const MAX_CONCURRENCY: usize = 16;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CSV (`-` for stdin): a header row, then one entry per row. The
    /// headers `phone`, `a` … `e` and `callback_data` are read (in any case
    /// and order; the group's own column names count too); other columns
    /// are ignored.
    #[arg(value_name = "FILE")]
    input: PathBuf,

    /// The group the entries go into (with --resume: the report's group).
    #[arg(long, value_name = "ID", value_parser = parse_group_id,
          required_unless_present = "resume")]
    group: Option<GroupId>,

    /// The header of the column with the numbers (default `phone`).
    #[arg(long, value_name = "NAME")]
    phone_column: Option<String>,

    /// `--column a=first_name`: the header whose values go into column a.
    /// Repeat for more columns.
    #[arg(long = "column", value_name = "LETTER=NAME", value_parser = parse_column_name)]
    columns: Vec<(Column, String)>,

    /// The header of the callback data (default `callback_data`).
    #[arg(long, value_name = "NAME")]
    callback_column: Option<String>,

    /// The field separator: `,`, `;`, `tab`, … (default: guessed from the
    /// header row).
    #[arg(long, value_name = "CHAR", value_parser = parse_separator)]
    separator: Option<u8>,

    #[command(flatten)]
    phones_policy: PhoneArgs,

    /// Entries per request.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_BATCH_SIZE,
          value_parser = parse_batch_size)]
    batch_size: usize,

    /// Requests on their way at once, fixed (1 to 16). By default the
    /// number adapts to LOX24: it starts at 4, grows while LOX24 keeps up
    /// and falls when LOX24 slows down, up to 16.
    #[arg(long, value_name = "N", value_parser = parse_concurrency)]
    concurrency: Option<usize>,

    /// Where refused and unreadable rows go, with their line and reason
    /// (default: beside the input, `NAME.rejected.csv`). Rewritten by every
    /// run.
    #[arg(long, value_name = "PATH")]
    rejected: Option<PathBuf>,

    /// Where the report goes when not every row was created (default: with
    /// --resume the report resumed, else beside the input,
    /// `NAME.report.json`).
    #[arg(long, value_name = "PATH")]
    report: Option<PathBuf>,

    /// Send only what an earlier import of the same file left: the rows its
    /// report says were not sent. Give the same file and options.
    #[arg(long, value_name = "REPORT")]
    resume: Option<PathBuf>,

    /// With --resume: send the rows whose fate is unknown too, without
    /// reading the group first (implies --no-exactly-once). LOX24 may have
    /// stored them already; they may end up in the group twice.
    #[arg(long, requires = "resume")]
    resend_unknown: bool,

    /// Send every row, also one whose number (as it will be sent, after
    /// --country and the like) is that of an earlier row. By default such a
    /// row is not sent and is counted as repeated: the import remembers
    /// each distinct number of the file with the line of its first row,
    /// 19 to 39 bytes a number (some 36 MB for a million; numbers sent as
    /// written that are not E.164 take more, kept as text). A resume needs
    /// the same choice as the import it resumes (another one is refused).
    #[arg(long)]
    keep_repeats: bool,

    /// Send plainly: do not read the group before and after the upload to
    /// settle rows whose fate is unknown (they are then left unknown, for
    /// --resume).
    #[arg(long)]
    no_exactly_once: bool,

    /// Before each reading of the group, wait this long (e.g. 10s), so that
    /// a request LOX24 carries out after its answer was given up on is in
    /// the group when it is read, not sent again. The sandbox stores at once:
    /// 0 there (the default).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration,
          conflicts_with_all = ["no_exactly_once", "resend_unknown"])]
    reconcile_after: Option<Duration>,
}

pub async fn run(args: ImportArgs, cx: &Context) -> Result<Exit, CliError> {
    let policy = args.phones_policy.policy()?;
    let resuming = match args.resume.as_deref() {
        Some(path) => Some(read_report(path, args.keep_repeats)?),
        None => None,
    };
    let group = match (args.group, &resuming) {
        (Some(given), Some(report)) if given != report.group() => {
            return Err(CliError::usage(format!(
                "the report is of an import into group {}, not {given}; drop --group or give \
                 the report of this group",
                report.group()
            )));
        }
        (Some(group), _) => group,
        (None, Some(report)) => report.group(),
        (None, None) => return Err(CliError::usage("give the group with --group ID")),
    };
    let paths = Paths::new(&args)?;

    let client = cx.client()?;
    let target = client.get_group(&group).await.map_err(|e| {
        CliError::from(e)
            .doing(format!("read group {group}"))
            .hint_not_found(
                "`lox24 groups list` shows the groups there are; `lox24 groups create NAME` \
                 makes one.",
            )
    })?;

    let shown = paths.input.display().to_string();
    let rows = Rows::open(open_input(&paths.input)?, args.separator)
        .map_err(|e| CliError::usage(format!("{shown}: {e}")))?;
    let names = Names {
        phone: args.phone_column.clone(),
        columns: args.columns.clone(),
        callback_data: args.callback_column.clone(),
    };
    let mapping = Mapping::new(rows.headers(), &names, Some(&target))
        .map_err(|e| CliError::usage(format!("{shown}: {e}")))?;
    cx.out.note(describe_mapping(&mapping));

    let bar = progress::new(cx.out.shows_progress());
    progress::count_in_background(&bar, &paths.input, rows.separator());
    let ledger = Arc::new(Mutex::new(Ledger::new(
        RejectedRows::new(paths.rejected.clone(), mapping.headers()),
        bar.clone(),
    )));
    let (failed_tx, failed_rx) = oneshot::channel();
    let seen = (!args.keep_repeats).then(|| Seen::new(policy));
    let entries = feed::entries(feed::start(rows, mapping, seen), ledger.clone(), failed_tx);

    let created_before = resuming.as_ref().map_or(0, |r| r.summary().created);
    let exactly_once = !args.no_exactly_once && !args.resend_unknown;
    let upload = match resuming {
        Some(report) => client
            .resume_upload_stream(report, entries)
            .resend_unknown(args.resend_unknown),
        None => client.upload_phone_stream(&group, entries),
    };
    let outcomes = ledger.clone();
    let counts = bar.clone();
    let interrupted = Arc::new(AtomicBool::new(false));
    let upload = match args.concurrency {
        Some(requests) => upload.concurrency(requests),
        None => upload.max_concurrency(MAX_CONCURRENCY),
    };
    let upload = match (exactly_once, args.reconcile_after) {
        (true, Some(wait)) => upload.exactly_once().reconcile_after(wait),
        (true, None) => upload.exactly_once(),
        (false, _) => upload,
    };
    // Exactly-once mode hands a row's outcome on again when reconciliation
    // or a resend changes it; the ledger takes each row once, in order.
    let mut next_row = 0;
    let mut report = upload
        .batch_size(args.batch_size)
        .phone_policy(policy)
        .keep_created(false)
        .on_outcome(move |index, _, outcome| {
            if index < next_row {
                return;
            }
            next_row = index + 1;
            outcomes
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .settle(outcome);
        })
        .on_progress(move |p| progress::describe(&counts, p))
        .cancel_on(stop_signal(failed_rx, interrupted.clone(), cx))
        .await;

    let mut ledger = ledger.lock().unwrap_or_else(PoisonError::into_inner);
    let rejected_written = ledger.finish();
    bar.finish_and_clear();

    let summary = report.summary();
    let unreadable = ledger.unreadable();
    let repeated = ledger.repeated();
    let rest_unread = report.total().is_none();
    let complete = !rest_unread
        && summary.created == summary.total()
        && unreadable == 0
        && report.stop().is_none();
    // A report is written when something is left to do or to look at, and
    // over an earlier one (resuming from that must not send rows again).
    let report_written = (!complete || paths.report.exists()).then(|| {
        let options = ImportOptions {
            keep_repeats: args.keep_repeats,
        };
        write_report(&paths.report, &report, options)
    });

    let resume_hint = format!(
        "run again with the same options and --resume {}",
        paths.report.display()
    );
    let left = report.to_resend(true) > 0 || rest_unread;
    let stop_error = report.take_error();
    let read_failure = ledger.read_failure().map(|reason| {
        CliError::io(
            format!("read {shown} after line {}", ledger.last_line()),
            io::Error::other(reason.to_owned()),
        )
        .hint(format!("Fix the file, then {resume_hint}."))
    });

    // The first thing that went wrong decides the exit status.
    let created_now = summary.created.saturating_sub(created_before);
    let (exit, problem) = if let Some(error) = read_failure {
        (Exit::Local, Some(error))
    } else if let Some(Err(e)) = report_written.as_ref() {
        let error = CliError::io(
            format!("write the report {}", paths.report.display()),
            io::Error::new(e.kind(), e.to_string()),
        )
        .hint(
            "Without it, --resume cannot tell which rows were sent. Give another path with \
             --report and import again.",
        );
        (Exit::Local, Some(error))
    } else if let Err(e) = rejected_written {
        let error = CliError::io(
            format!("write the rejected rows to {}", paths.rejected.display()),
            e,
        );
        (Exit::Local, Some(error))
    } else if complete {
        (Exit::Success, None)
    } else {
        let exit = match &stop_error {
            Some(error) if created_now == 0 => exit_of(error),
            _ => Exit::Partial,
        };
        let stopped = stop_problem(
            report.stop(),
            stop_error,
            interrupted.load(Ordering::SeqCst),
            &resume_hint,
        );
        (exit, stopped)
    };

    let view = ImportSummary {
        group,
        input: shown,
        rows: summary.total() + unreadable + repeated.count,
        created: summary.created,
        rejected: summary.rejected,
        unreadable,
        repeated: repeated.count,
        repeats: repeated
            .listed
            .iter()
            .map(|&(line, first_line)| RepeatView { line, first_line })
            .collect(),
        not_sent: summary.not_sent,
        unknown: summary.unknown,
        reconciled: report.reconciliation().map(|done| ReconciledView {
            settled: done.settled(),
            found: done.rounds.iter().map(|r| r.found).sum(),
            missing: done.rounds.iter().map(|r| r.missing).sum(),
            rounds: done.rounds.len() as u32,
        }),
        rest_unread,
        request_ids: report.request_ids().to_vec(),
        rejected_file: (ledger.rejected().rows() > 0)
            .then(|| ledger.rejected().path().display().to_string()),
        report_file: matches!(report_written, Some(Ok(())))
            .then(|| paths.report.display().to_string()),
        stopped: report.stop().map(StopView::of),
        resume: left.then_some(resume_hint),
        exit_status: exit as u8,
    };
    cx.out.show(&view)?;

    if let Some(problem) = &problem {
        cx.out.error_text(problem);
    }
    notes(cx, &view, &paths.report);
    Ok(exit)
}

/// What to do about rows refused or of unknown fate.
fn notes(cx: &Context, view: &ImportSummary, report: &Path) {
    // A file of a header alone, or of blank lines, is most likely not the
    // file meant: say so rather than a silent success.
    if view.rows == 0 && view.stopped.is_none() {
        cx.out.note(format!(
            "note: {} has no data rows (blank lines and the header are not rows): nothing was sent.",
            match view.input.as_str() {
                "-" => "standard input",
                file => file,
            }
        ));
    }
    if view.unknown > 0 {
        let one = view.unknown == 1;
        cx.out.note(format!(
            "note: {} may or may not have been stored: {} got no clear answer. Check the group \
             (`lox24 groups show {}`); --resume {} --resend-unknown sends {} again ({} may then \
             be in the group twice).",
            count(view.unknown, "row", "rows"),
            if one { "its request" } else { "their requests" },
            view.group,
            report.display(),
            if one { "it" } else { "them" },
            if one { "it" } else { "they" },
        ));
    }
    if view.repeated > 0 {
        cx.out.note(format!(
            "note: {} not sent: {} number is that of an earlier row (--json lists the first \
             {LISTED} by line; --keep-repeats sends such rows).",
            match view.repeated {
                1 => "1 row was".to_owned(),
                n => format!("{n} rows were"),
            },
            if view.repeated == 1 {
                "its"
            } else {
                "each one's"
            },
        ));
    }
    if let Some(file) = &view.rejected_file {
        let refused = view.rejected + view.unreadable;
        cx.out.note(format!(
            "note: {} refused; {file} lists {} with {} line and reason. Correct {} there and \
             import that file.",
            match refused {
                1 => "1 row was".to_owned(),
                n => format!("{n} rows were"),
            },
            if refused == 1 { "it" } else { "them" },
            if refused == 1 { "its" } else { "their" },
            if refused == 1 { "it" } else { "them" },
        ));
    }
}

/// The input, the rejected-rows file and the report.
struct Paths {
    input: PathBuf,
    rejected: PathBuf,
    report: PathBuf,
}

impl Paths {
    fn new(args: &ImportArgs) -> Result<Self, CliError> {
        let input = args.input.clone();
        let rejected = args
            .rejected
            .clone()
            .unwrap_or_else(|| default_path(&input, "rejected.csv"));
        let report = args
            .report
            .clone()
            .or_else(|| args.resume.clone())
            .unwrap_or_else(|| default_path(&input, "report.json"));
        if rejected == report || rejected == input || report == input {
            return Err(CliError::usage(format!(
                "the input ({}), the rejected rows ({}) and the report ({}) must be different \
                 files; choose others with --rejected and --report",
                input.display(),
                rejected.display(),
                report.display()
            )));
        }
        Ok(Self {
            input,
            rejected,
            report,
        })
    }
}

fn open_input(path: &Path) -> Result<Box<dyn Read + Send>, CliError> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(io::stdin()));
    }
    File::open(path)
        .map(|f| Box::new(f) as Box<dyn Read + Send>)
        .map_err(|e| CliError::io(format!("read {}", path.display()), e))
}

/// The options of an import that change which rows reach the engine, kept
/// in its report (as `"import"`, beside the library's fields, which it
/// ignores) so that a resume cannot hand the engine other rows.
#[derive(Clone, Copy, Serialize, Deserialize)]
struct ImportOptions {
    keep_repeats: bool,
}

impl ImportOptions {
    /// A report without them was written before repeated rows were left
    /// out: every row was sent.
    const BEFORE: Self = Self { keep_repeats: true };
}

/// The report file: the library's report and the import's options.
#[derive(Serialize)]
struct ReportFile<'a> {
    #[serde(flatten)]
    report: &'a UploadReport,
    import: ImportOptions,
}

/// Reads the report to resume, refusing one of an import with another
/// `--keep-repeats` choice: the rows left out would differ, and with them
/// the rows the report counts by their place in the input.
fn read_report(path: &Path, keep_repeats: bool) -> Result<UploadReport, CliError> {
    #[derive(Deserialize)]
    struct Options {
        #[serde(default)]
        import: Option<ImportOptions>,
    }
    let bytes = std::fs::read(path)
        .map_err(|e| CliError::io(format!("read the report {}", path.display()), e))?;
    let report = UploadReport::from_json(&bytes).map_err(|e| {
        CliError::usage(format!(
            "{} is not a report of `lox24 phones import` this version can read ({e}); give \
             the report file an import wrote",
            path.display()
        ))
    })?;
    let recorded = serde_json::from_slice::<Options>(&bytes)
        .map_err(|e| {
            CliError::usage(format!(
                "{}: its `import` options cannot be read ({e}); give the report file an \
                 import wrote",
                path.display()
            ))
        })?
        .import
        .unwrap_or(ImportOptions::BEFORE);
    match (recorded.keep_repeats, keep_repeats) {
        (true, false) => Err(CliError::usage(format!(
            "{} is the report of an import that sent every row, repeated numbers too \
             (--keep-repeats, or a version of lox24 before that option); resume it with \
             --keep-repeats",
            path.display()
        ))),
        (false, true) => Err(CliError::usage(format!(
            "{} is the report of an import that left out rows repeating an earlier row's \
             number; resume it without --keep-repeats",
            path.display()
        ))),
        _ => Ok(report),
    }
}

/// Writes the report whole or not at all: into a file beside it, then
/// renamed over it (it may be the report being resumed).
fn write_report(path: &Path, report: &UploadReport, import: ImportOptions) -> io::Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let mut out = BufWriter::new(File::create(&partial)?);
    serde_json::to_writer_pretty(&mut out, &ReportFile { report, import })?;
    out.write_all(b"\n")?;
    out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    std::fs::rename(&partial, path)
}

/// Stops the upload on Ctrl-C or when the file cannot be read on. A second
/// Ctrl-C ends the process at once (the report is then not written).
async fn stop_signal(
    read_failed: oneshot::Receiver<()>,
    interrupted: Arc<AtomicBool>,
    cx: &Context,
) {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let read_failed = async {
        if read_failed.await.is_err() {
            // The reader ended without a failure.
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        () = ctrl_c => {
            interrupted.store(true, Ordering::SeqCst);
            cx.out.note(
                "stopping: waiting for the requests on their way (Ctrl-C again quits at once, \
                 without a report)",
            );
            tokio::spawn(async {
                if tokio::signal::ctrl_c().await.is_ok() {
                    std::process::exit(130);
                }
            });
        }
        () = read_failed => {}
    }
}

/// Why the upload stopped, as an error with what to do; `None` if it did
/// not stop (or stopped for a read failure, reported as such).
fn stop_problem(
    stop: Option<&Stop>,
    error: Option<lox24::Error>,
    interrupted: bool,
    resume_hint: &str,
) -> Option<CliError> {
    let (problem, advice) = match (stop?, error) {
        (Stop::Cancelled, _) if interrupted => {
            (CliError::usage("the import was interrupted"), None)
        }
        (Stop::Error(_), Some(error @ lox24::Error::Validation(_))) => (
            CliError::from(error).doing("resume the import"),
            Some(
                "The file or the options differ from those of the import the report is of; \
                 resume with the same file and options."
                    .to_owned(),
            ),
        ),
        (Stop::Error(_), Some(error)) => {
            let advice = stop_advice(&error);
            (CliError::from(error).doing("import every row"), advice)
        }
        (Stop::Error(failure), None) => (
            CliError::usage(format!("could not import every row: {failure}")),
            None,
        ),
        _ => return None,
    };
    let resume = format!("To send only the rows not sent, {resume_hint}.");
    Some(problem.hint(match advice {
        Some(advice) => format!("{advice} {resume}"),
        None => resume,
    }))
}

/// The advice for an error that stopped an import. Where the general
/// advice says to repeat the command (which would send the created rows
/// again) or speaks of other commands, it is replaced.
fn stop_advice(error: &lox24::Error) -> Option<String> {
    match error {
        lox24::Error::InsufficientFunds(_) => Some("Top up the LOX24 account.".to_owned()),
        lox24::Error::Transport(_) => Some(crate::failure::CHECK_ADDRESS.to_owned()),
        lox24::Error::Server(_) => Some(format!(
            "LOX24 failed on its side; wait a few minutes.{}",
            error
                .request_id()
                .map(|id| format!(" If it persists, quote request id {id} to LOX24 support."))
                .unwrap_or_default()
        )),
        _ => advice(error),
    }
}

fn describe_mapping(mapping: &Mapping) -> String {
    let view = mapping.view();
    let mut parts = vec![format!("phone ← {:?}", view.phone)];
    for (letter, header) in &view.columns {
        parts.push(format!("{letter} ← {header:?}"));
    }
    if let Some(header) = &view.callback_data {
        parts.push(format!("callback_data ← {header:?}"));
    }
    let mut text = format!("reading {}", parts.join(", "));
    if !view.ignored.is_empty() {
        let ignored: Vec<String> = view.ignored.iter().map(|h| format!("{h:?}")).collect();
        text.push_str(&format!("; ignoring {}", ignored.join(", ")));
    }
    text
}

fn parse_batch_size(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!(
            "{text:?} is not a batch size; give a whole number from 1"
        )),
    }
}

fn parse_concurrency(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_CONCURRENCY).contains(&n) => Ok(n),
        _ => Err(format!(
            "{text:?} is not a concurrency; give a whole number from 1 to {MAX_CONCURRENCY}"
        )),
    }
}
