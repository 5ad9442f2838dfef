//! What the end-to-end tests share: the test token, sandboxes that accept
//! it, and the built `lox24` run as a child process in surroundings of its
//! own.
//!
//! Every run gets a fresh home: none of the machine's LOX24_* variables,
//! HOME, XDG_CONFIG_HOME and LOX24_CONFIG_DIR in a temporary directory,
//! tokens in the file store and a D-Bus address where nothing listens, so
//! that no test reads or writes the user's configuration or keychain. Every
//! run checks that the API key appears in neither stdout nor stderr.

// Each test file uses its own part of these helpers.
#![allow(dead_code)]

use std::{
    ffi::OsString,
    io::Write,
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use lox24_sandbox::{ManualClock, Sandbox, SandboxBuilder};
use serde_json::Value;

/// The credentials of the tests' sandboxes; the key must never be printed.
pub const TOKEN: &str = "4242:cli-secret-0123456789abcdef";
pub const KEY: &str = "cli-secret-0123456789abcdef";

/// The variables of the tool that a test machine may have set.
const VARIABLES: [&str; 5] = [
    "LOX24_TOKEN",
    "LOX24_BASE_URL",
    "LOX24_PROFILE",
    "LOX24_CONFIG_DIR",
    "LOX24_TOKEN_STORE",
];

pub fn builder() -> SandboxBuilder {
    Sandbox::builder().credentials(TOKEN.parse().expect("a token"))
}

pub async fn sandbox() -> Sandbox {
    builder().start().await.expect("the sandbox starts")
}

/// 2026-06-01 08:00:00 UTC: where [`sandbox_at_start`]'s clock starts.
pub const START: u64 = 1_780_300_800;

/// A sandbox on a manual clock at [`START`], and the clock.
pub async fn sandbox_at_start() -> (Sandbox, ManualClock) {
    let clock = ManualClock::at_unix(START);
    let sandbox = builder()
        .clock(clock.clone())
        .start()
        .await
        .expect("the sandbox starts");
    (sandbox, clock)
}

/// Runs the tool against `sandbox`, times shown in UTC.
pub async fn run_utc(sandbox: &Sandbox, args: &[&str]) -> Run {
    let env = [
        ("LOX24_BASE_URL", sandbox.base_url()),
        ("LOX24_TOKEN", TOKEN),
        ("TZ", "UTC"),
    ];
    Tool::new().run_with(&env, None, args).await
}

/// The library's client of `sandbox`, to read back what the tool stored.
pub fn client(sandbox: &Sandbox) -> lox24::Client {
    sandbox.client().expect("a client")
}

/// What a run of the tool left.
#[derive(Debug)]
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn exit(&self, expected: i32) -> &Self {
        assert_eq!(self.status, expected, "exit status of {self:#?}");
        self
    }

    /// stdout as the one JSON document `--json` promises.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}): {self:#?}"))
    }
}

/// The tool in a home of its own, for several runs that share it.
pub struct Tool {
    home: PathBuf,
    unset: Vec<&'static str>,
}

impl Tool {
    /// A fresh home.
    pub fn new() -> Self {
        Self {
            home: tempdir(),
            unset: Vec::new(),
        }
    }

    /// Leaves out one of the variables every run gets (LOX24_CONFIG_DIR,
    /// LOX24_TOKEN_STORE).
    pub fn unset(mut self, name: &'static str) -> Self {
        self.unset.push(name);
        self
    }

    pub fn home(&self) -> &Path {
        &self.home
    }

    /// The configuration directory the runs are given (LOX24_CONFIG_DIR).
    pub fn config_dir(&self) -> PathBuf {
        self.home.join("lox24-config")
    }

    /// The command, ready to run: its surroundings and `env` on top.
    pub fn command(&self, env: &[(&str, &str)], args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_lox24"));
        command.args(args);
        for name in VARIABLES {
            command.env_remove(name);
        }
        let own: [(&str, OsString); 5] = [
            ("HOME", self.home.clone().into()),
            ("XDG_CONFIG_HOME", self.home.join(".config").into()),
            ("LOX24_CONFIG_DIR", self.config_dir().into()),
            ("LOX24_TOKEN_STORE", "file".into()),
            (
                "DBUS_SESSION_BUS_ADDRESS",
                format!("unix:path={}", self.home.join("no-bus").display()).into(),
            ),
        ];
        for (name, value) in own {
            if !self.unset.contains(&name) {
                command.env(name, value);
            }
        }
        for (name, value) in env {
            command.env(name, value);
        }
        command
    }

    pub async fn run(&self, args: &[&str]) -> Run {
        self.run_with(&[], None, args).await
    }

    /// Runs `lox24 args…` with `env` on top of the surroundings and `stdin`
    /// as its standard input (closed when `None`).
    pub async fn run_with(&self, env: &[(&str, &str)], stdin: Option<&str>, args: &[&str]) -> Run {
        let mut command = self.command(env, args);
        command
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let input = stdin.map(str::to_owned);
        let output = tokio::task::spawn_blocking(move || {
            let mut child = command.spawn()?;
            if let (Some(text), Some(mut pipe)) = (input, child.stdin.take()) {
                // The tool may refuse its arguments and exit before it reads
                // its input; the pipe is then closed, which is no failure.
                match pipe.write_all(text.as_bytes()) {
                    Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
                        return Err(error);
                    }
                    _ => {}
                }
            }
            child.wait_with_output()
        })
        .await
        .expect("joined")
        .expect("the binary runs");
        let run = Run {
            status: output.status.code().expect("exited, not killed"),
            stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
            stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
        };
        assert!(
            !run.stdout.contains(KEY) && !run.stderr.contains(KEY),
            "the API key was printed: {run:#?}"
        );
        run
    }
}

/// Runs `lox24 args…` in a fresh home against `base_url`, with
/// LOX24_TOKEN = TOKEN unless `env` sets it, stdin closed.
pub async fn lox24_with(base_url: &str, env: &[(&str, &str)], args: &[&str]) -> Run {
    let env = [
        &[("LOX24_BASE_URL", base_url), ("LOX24_TOKEN", TOKEN)][..],
        env,
    ]
    .concat();
    Tool::new().run_with(&env, None, args).await
}

pub async fn lox24(sandbox: &Sandbox, args: &[&str]) -> Run {
    lox24_with(sandbox.base_url(), &[], args).await
}

/// The words of a text, one space apart: help as clap wraps it to any width.
pub fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn path_str(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// A loopback address where nothing listens.
pub async fn closed_port() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bound");
    let addr = listener.local_addr().expect("an address");
    drop(listener);
    format!("http://{addr}")
}

/// A fresh directory under the target's temporary directory.
pub fn tempdir() -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "cli-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("created");
    dir
}
