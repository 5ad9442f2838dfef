//! Credentials as people keep them: `lox24 login`, `logout`, `config`,
//! profiles, and which token and address a command uses, end to end
//! against in-process sandboxes (see `common` for the runs' surroundings).

mod common;

use std::path::Path;

use common::{KEY, TOKEN, Tool, builder, sandbox};
use lox24_sandbox::{Operation, Sandbox};

/// The second account's token, for a second sandbox.
const OTHER_TOKEN: &str = "77:other-secret-fedcba9876543210";
const OTHER_KEY: &str = "other-secret-fedcba9876543210";

/// Every request that reached the sandbox, whatever its operation.
fn requests(sandbox: &Sandbox) -> u64 {
    Operation::ALL.iter().map(|&op| sandbox.requests(op)).sum()
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .expect("exists")
        .permissions()
        .mode()
        & 0o777
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_checks_the_token_with_one_request_and_stores_it_for_the_user_alone() {
    let sandbox = sandbox().await;
    let tool = Tool::new();
    let url = sandbox.base_url();
    let dir = tool.config_dir();

    let login = tool
        .run_with(
            &[("LOX24_BASE_URL", url)],
            Some(&format!("{TOKEN}\n")),
            &["login"],
        )
        .await;
    login.exit(0);
    assert_eq!(
        login.stdout,
        format!(
            "logged in to LOX24 as customer 4242, profile default\n  \
             balance      100.00 EUR\n  \
             address      {url}\n  \
             token        in {}/credentials.toml (readable only by you)\n",
            dir.display()
        )
    );
    assert_eq!(
        login.stderr,
        "note: the profile keeps the address from LOX24_BASE_URL\n"
    );
    assert_eq!(requests(&sandbox), 1);
    assert_eq!(sandbox.requests(Operation::GetAccount), 1);

    let credentials = dir.join("credentials.toml");
    assert_eq!(
        std::fs::read_to_string(&credentials).expect("written"),
        format!(
            "# lox24 tokens, one per profile, written by `lox24 login`. Keep this file readable \
             only by you.\n\n[default]\ntoken = \"{TOKEN}\"\n"
        )
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("config.toml")).expect("written"),
        format!(
            "# lox24 profiles: `lox24 login --profile NAME` adds one, `lox24 config` shows what \
             is in effect.\n# Tokens are not kept here: they are in the OS keychain or in \
             credentials.toml.\n\n[profiles.default]\nbase_url = \"{url}\"\ntoken_store = \
             \"file\"\n"
        )
    );
    #[cfg(unix)]
    {
        assert_eq!(mode(&credentials), 0o600);
        assert_eq!(mode(&dir), 0o700);
    }

    // Later commands need neither LOX24_TOKEN nor LOX24_BASE_URL.
    let created = tool.run(&["groups", "create", "VIP", "--json"]).await;
    assert_eq!(created.exit(0).json()["name"], "VIP");
    assert_eq!(sandbox.requests(Operation::CreateGroup), 1);

    let config = tool.run(&["config"]).await;
    assert_eq!(
        config.exit(0).stdout,
        format!(
            "  profile      default (default)\n  \
             token        4242:**** (from profile default, in {cred})\n  \
             address      {url} (from profile default)\n  \
             config dir   {dir} (from LOX24_CONFIG_DIR)\n  \
             profiles     default\n",
            cred = credentials.display(),
            dir = dir.display(),
        )
    );

    // Logging out removes the token and sends nothing.
    let logout = tool.run(&["logout"]).await;
    assert_eq!(
        logout.exit(0).stdout,
        format!(
            "logged out of profile default: its token was removed from {}\n",
            credentials.display()
        )
    );
    assert_eq!(
        std::fs::read_to_string(&credentials).expect("rewritten"),
        "# lox24 tokens, one per profile, written by `lox24 login`. Keep this file readable \
         only by you.\n\n"
    );
    let again = tool.run(&["logout"]).await;
    assert_eq!(
        again.exit(0).stdout,
        "profile default has no stored token: nothing to remove\n"
    );
    let without = tool.run(&["groups", "list"]).await;
    assert!(
        without
            .exit(2)
            .stderr
            .starts_with("error: no LOX24 token: none was given with --token or LOX24_TOKEN"),
        "{without:#?}"
    );
    assert_eq!(requests(&sandbox), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_token_is_refused_after_one_request_and_nothing_is_stored() {
    let sandbox = sandbox().await;
    let tool = Tool::new();
    let env = [("LOX24_BASE_URL", sandbox.base_url())];

    let wrong = tool
        .run_with(
            &env,
            Some("4242:wrong-key-0000\n"),
            &["login", "--profile", "work"],
        )
        .await;
    wrong.exit(3);
    assert_eq!(wrong.stdout, "");
    assert!(
        wrong
            .stderr
            .starts_with("error: could not log in: LOX24 did not accept the token"),
        "{wrong:#?}"
    );
    assert!(
        wrong.stderr.ends_with(
            "hint: Nothing was stored. Copy the token again from the API settings of your \
             LOX24 account and run `lox24 login` once more; more than three wrong tokens within \
             a minute block this IP address for ten minutes.\n"
        ),
        "{wrong:#?}"
    );
    assert!(!wrong.stderr.contains("wrong-key"), "{wrong:#?}");
    assert_eq!(requests(&sandbox), 1);
    assert!(!tool.config_dir().exists(), "nothing was written");

    // Malformed or missing tokens are refused before anything is sent.
    let malformed = tool
        .run_with(&env, Some("wrong-key-0000\n"), &["login"])
        .await;
    assert_eq!(
        malformed.exit(2).stderr,
        "error: the token is not `<customer id>:<API key>`: expected `<customer id>:<API key>`; \
         nothing was sent or stored\n\
         hint: Copy the token from the API settings of your LOX24 account and try again.\n"
    );
    let empty = tool.run_with(&env, Some(""), &["login"]).await;
    assert!(
        empty
            .exit(2)
            .stderr
            .starts_with("error: no token was given; nothing was sent or stored\n"),
        "{empty:#?}"
    );
    let bad_name = tool
        .run_with(&env, Some(TOKEN), &["login", "--profile", "my work"])
        .await;
    assert_eq!(
        bad_name.exit(2).stderr,
        "error: \"my work\" is not a profile name; use 1 to 64 letters, digits, - and _ (e.g. \
         work)\n"
    );
    assert_eq!(requests(&sandbox), 1);
    assert!(!tool.config_dir().exists(), "nothing was written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profiles_keep_accounts_apart_and_an_option_beats_the_environment_beats_the_profile() {
    let first = sandbox().await;
    let second = Sandbox::builder()
        .credentials(OTHER_TOKEN.parse().expect("a token"))
        .start()
        .await
        .expect("starts");
    let tool = Tool::new();
    tool.run_with(
        &[("LOX24_BASE_URL", first.base_url())],
        Some(TOKEN),
        &["login"],
    )
    .await
    .exit(0);
    tool.run_with(
        &[],
        Some(OTHER_TOKEN),
        &[
            "login",
            "--profile",
            "other",
            "--base-url",
            second.base_url(),
        ],
    )
    .await
    .exit(0);
    let account = |sandbox: &Sandbox| sandbox.requests(Operation::GetAccount);
    assert_eq!((account(&first), account(&second)), (1, 1));
    let groups = |sandbox: &Sandbox| sandbox.requests(Operation::ListGroups);

    // The profile: --profile, else LOX24_PROFILE, else `default`.
    tool.run(&["groups", "list"]).await.exit(0);
    assert_eq!((groups(&first), groups(&second)), (1, 0));
    let by_variable = [("LOX24_PROFILE", "other")];
    tool.run_with(&by_variable, None, &["groups", "list"])
        .await
        .exit(0);
    assert_eq!((groups(&first), groups(&second)), (1, 1));
    tool.run_with(
        &by_variable,
        None,
        &["groups", "list", "--profile", "default"],
    )
    .await
    .exit(0);
    assert_eq!((groups(&first), groups(&second)), (2, 1));

    // The token and address: the environment beats the profile...
    let environment = [
        ("LOX24_TOKEN", OTHER_TOKEN),
        ("LOX24_BASE_URL", second.base_url()),
    ];
    tool.run_with(&environment, None, &["groups", "list"])
        .await
        .exit(0);
    assert_eq!((groups(&first), groups(&second)), (2, 2));
    // ...and the options beat the environment.
    tool.run_with(
        &environment,
        None,
        &[
            "groups",
            "list",
            "--token",
            TOKEN,
            "--base-url",
            first.base_url(),
        ],
    )
    .await
    .exit(0);
    assert_eq!((groups(&first), groups(&second)), (3, 2));

    // `config` says what is in effect and where each comes from.
    let config = tool
        .run_with(
            &[("LOX24_PROFILE", "other"), ("LOX24_TOKEN", TOKEN)],
            None,
            &["config", "--base-url", first.base_url(), "--json"],
        )
        .await;
    let config = config.exit(0).json();
    assert_eq!(
        config,
        serde_json::json!({
            "profile": {"value": "other", "source": "LOX24_PROFILE"},
            "token": {"value": "4242:****", "source": "LOX24_TOKEN"},
            "base_url": {"value": first.base_url(), "source": "--base-url"},
            "config_dir": {
                "value": tool.config_dir().display().to_string(),
                "source": "LOX24_CONFIG_DIR"
            },
            "credentials_file": tool.config_dir().join("credentials.toml").display().to_string(),
            "profiles": ["default", "other"],
        })
    );
    let other = tool.run(&["config", "--profile", "other"]).await;
    let text = other.exit(0).stdout.clone();
    assert!(
        text.contains(&format!(
            "  token        77:**** (from profile other, in {})\n  \
             address      {} (from profile other)\n",
            tool.config_dir().join("credentials.toml").display(),
            second.base_url()
        )),
        "{other:#?}"
    );
    assert!(!text.contains(OTHER_KEY));

    // A profile that does not exist is named, not silently replaced.
    let unknown = tool.run(&["groups", "list", "--profile", "typo"]).await;
    assert!(
        unknown.exit(2).stderr.starts_with(&format!(
            "error: there is no profile \"typo\" (chosen with --profile) in {}\n\
             hint: `lox24 login --profile typo` creates it",
            tool.config_dir().join("config.toml").display()
        )),
        "{unknown:#?}"
    );

    // Logging one profile out leaves the other.
    tool.run(&["logout", "--profile", "other"]).await.exit(0);
    let gone = tool.run_with(&by_variable, None, &["groups", "list"]).await;
    assert!(
        gone.exit(2)
            .stderr
            .contains("profile \"other\" has none stored\nhint: Run `lox24 login --profile other`"),
        "{gone:#?}"
    );
    tool.run(&["groups", "list"]).await.exit(0);
    assert_eq!((groups(&first), groups(&second)), (4, 2));
}

/// With no keychain to reach (no D-Bus session here), `auto` keeps the
/// token in the file and says why; `keychain` refuses before sending.
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_keychain_the_token_goes_to_the_file_and_nothing_hangs() {
    let sandbox = builder().start().await.expect("starts");
    let tool = Tool::new().unset("LOX24_TOKEN_STORE");
    let env = [("LOX24_BASE_URL", sandbox.base_url())];

    let strict = tool
        .run_with(&env, Some(TOKEN), &["login", "--store", "keychain"])
        .await;
    assert!(
        strict.exit(1).stderr.starts_with(
            "error: cannot keep the token in the keychain: the OS keychain is not available ("
        ),
        "{strict:#?}"
    );
    assert!(
        strict.stderr.ends_with(
            "; nothing was sent\nhint: Keep it in a file readable only by you with --store file.\n"
        ),
        "{strict:#?}"
    );
    assert_eq!(requests(&sandbox), 0);

    let auto = tool.run_with(&env, Some(TOKEN), &["login"]).await;
    auto.exit(0);
    assert!(
        auto.stderr
            .starts_with("note: the OS keychain is not available ("),
        "{auto:#?}"
    );
    assert!(
        auto.stderr
            .contains("; the token is in a file readable only by you instead\n"),
        "{auto:#?}"
    );
    let stored = std::fs::read_to_string(tool.config_dir().join("credentials.toml"))
        .expect("the file store");
    assert!(stored.contains(KEY));
    tool.run(&["groups", "list"]).await.exit(0);
    assert_eq!(requests(&sandbox), 2);
}

/// Without LOX24_CONFIG_DIR, the configuration goes where the platform
/// keeps it: `$XDG_CONFIG_HOME/lox24` on Linux.
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_configuration_lives_in_the_platforms_place() {
    let sandbox = sandbox().await;
    let tool = Tool::new().unset("LOX24_CONFIG_DIR");
    tool.run_with(
        &[("LOX24_BASE_URL", sandbox.base_url())],
        Some(TOKEN),
        &["login"],
    )
    .await
    .exit(0);
    let dir = tool.home().join(".config").join("lox24");
    assert!(dir.join("credentials.toml").is_file());
    assert!(dir.join("config.toml").is_file());
    assert!(!tool.config_dir().exists());
    let config = tool.run(&["config", "--json"]).await;
    assert_eq!(
        config.exit(0).json()["config_dir"],
        serde_json::json!({"value": dir.display().to_string(), "source": "default"})
    );
}

/// `lox24 config` shows an address that cannot be used redacted, with the
/// reason, and sends nothing: a URL with a password in it is not printed.
#[tokio::test]
async fn config_shows_an_unusable_address_redacted_with_the_reason() {
    let tool = Tool::new();
    let given = "https://me:s3cret@proxy.example/lox24?key=abc";
    let config = tool
        .run_with(&[("LOX24_BASE_URL", given)], None, &["config"])
        .await;
    let out = &config.exit(0).stdout;
    assert!(
        out.contains(
            "  address      https://***@proxy.example/lox24?*** (from LOX24_BASE_URL) \
             (not usable: credentials belong in the token, not in the URL)\n"
        ),
        "{out}"
    );
    assert!(!out.contains("s3cret") && !out.contains("abc"), "{out}");

    let json = tool
        .run_with(
            &[("LOX24_BASE_URL", "http://api.lox24.eu/")],
            None,
            &["config", "--json"],
        )
        .await
        .exit(0)
        .json();
    assert_eq!(
        json["base_url"],
        serde_json::json!({"value": "http://api.lox24.eu/", "source": "LOX24_BASE_URL"})
    );
    assert_eq!(
        json["base_url_problem"],
        "plain http is allowed only for loopback hosts (localhost, 127.0.0.0/8, ::1); use https"
    );

    // A usable address is shown as requests use it, without a problem.
    let json = tool
        .run_with(
            &[("LOX24_BASE_URL", "https://proxy.example/lox24/")],
            None,
            &["config", "--json"],
        )
        .await
        .exit(0)
        .json();
    assert_eq!(json["base_url"]["value"], "https://proxy.example/lox24");
    assert!(json.get("base_url_problem").is_none(), "{json}");
}
