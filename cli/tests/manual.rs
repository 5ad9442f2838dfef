//! Shell completions and man pages, from the built binary.

mod common;

use std::process::{Command, Stdio};

use common::{Tool, path_str, tempdir};

/// The first line of each shell's script (blank lines aside), and a line only a script that
/// completes the subcommands' own options has.
const SHELLS: [(&str, &str, &str); 5] = [
    ("bash", "_lox24() {", "cmd=\"lox24__subcmd__login\""),
    ("zsh", "#compdef lox24", "'--store=[Where to keep the token"),
    (
        "fish",
        "# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.",
        "__fish_lox24_using_subcommand login\" -l store",
    ),
    (
        "powershell",
        "using namespace System.Management.Automation",
        "'lox24;login' {",
    ),
    ("elvish", "use builtin;", "&'lox24;login'= {"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completions_are_written_for_each_shell() {
    let tool = Tool::new();
    for (shell, first_line, login_line) in SHELLS {
        let run = tool.run(&["completions", shell]).await;
        run.exit(0);
        assert_eq!(run.stderr, "", "{shell}");
        let first = run.stdout.lines().find(|line| !line.is_empty());
        assert_eq!(first, Some(first_line), "{shell}");
        assert!(
            run.stdout.lines().any(|line| line.contains(login_line)),
            "{shell}: no line with {login_line:?}"
        );
        for option in ["profile", "since", "store"] {
            // fish names long options with -l.
            let named = [format!("--{option}"), format!("-l {option}")];
            assert!(
                named.iter().any(|n| run.stdout.contains(n.as_str())),
                "{shell}: {option}"
            );
        }
    }

    // bash can tell whether its script parses.
    let script = tool.run(&["completions", "bash"]).await.stdout;
    let file = tempdir().join("lox24.bash");
    std::fs::write(&file, script).expect("written");
    let parsed = Command::new("bash")
        .args(["-n", path_str(&file)])
        .stdin(Stdio::null())
        .status();
    if let Ok(status) = parsed {
        assert!(status.success(), "bash -n refused the script");
    }

    let unknown = tool.run(&["completions", "tcsh"]).await;
    assert!(
        unknown
            .exit(2)
            .stderr
            .contains("invalid value 'tcsh' for '<SHELL>'"),
        "{unknown:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn man_pages_are_written_for_every_command() {
    let tool = Tool::new();
    let page = tool.run(&["man"]).await;
    page.exit(0);
    assert!(
        page.stdout.contains(".TH lox24 1  \"lox24 0.1.0\" \n"),
        "{page:#?}"
    );
    assert!(
        page.stdout
            .contains("\n.SH NAME\nlox24 \\- Groups, phone uploads")
    );
    assert!(page.stdout.contains("lox24\\-login(1)"), "{page:#?}");

    let dir = tempdir().join("man1");
    let written = tool.run(&["man", "--dir", path_str(&dir)]).await;
    let names = [
        "lox24-account.1",
        "lox24-blocked-add.1",
        "lox24-blocked-list.1",
        "lox24-blocked-remove.1",
        "lox24-blocked.1",
        "lox24-bulks-cancel.1",
        "lox24-bulks-dryrun.1",
        "lox24-bulks-list.1",
        "lox24-bulks-send.1",
        "lox24-bulks-status.1",
        "lox24-bulks-wait.1",
        "lox24-bulks.1",
        "lox24-completions.1",
        "lox24-config.1",
        "lox24-groups-create.1",
        "lox24-groups-delete.1",
        "lox24-groups-list.1",
        "lox24-groups-show.1",
        "lox24-groups.1",
        "lox24-links-clicks.1",
        "lox24-links-create.1",
        "lox24-links-delete.1",
        "lox24-links-list.1",
        "lox24-links-show.1",
        "lox24-links.1",
        "lox24-login.1",
        "lox24-logout.1",
        "lox24-man.1",
        "lox24-phones-import.1",
        "lox24-phones.1",
        "lox24-replies-list.1",
        "lox24-replies.1",
        "lox24-sandbox.1",
        "lox24-sms-dryrun.1",
        "lox24-sms-list.1",
        "lox24-sms-send.1",
        "lox24-sms-status.1",
        "lox24-sms.1",
        "lox24-text-check.1",
        "lox24-text.1",
        "lox24-webhook-listen.1",
        "lox24-webhook.1",
        "lox24.1",
    ];
    let expected: String = names
        .iter()
        .map(|name| format!("{}\n", dir.join(name).display()))
        .collect();
    assert_eq!(written.exit(0).stdout, expected);
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("the directory")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    on_disk.sort();
    assert_eq!(on_disk, names);
    let login = std::fs::read_to_string(dir.join("lox24-login.1")).expect("the login page");
    assert!(login.contains(".TH lox24-login 1"), "{login}");
    assert!(login.contains("\\-\\-store"), "{login}");
}
