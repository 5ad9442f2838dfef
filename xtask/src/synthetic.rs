//! A synthetic LOX24 release, derived from the pinned document by
//! [`release`], with one change of each kind a maintainer must review: a
//! changed limit, a changed pattern, a new enum value, a removed field, a
//! new operation, a renamed webhook event, and a mistake LOX24 fixed (which
//! makes one of our deviations do nothing). The drift report must name each
//! of them and nothing else; after `update`, the generated limits follow
//! the new limit and the new pattern.

use std::{
    fs,
    path::{Path, PathBuf},
    sync::atomic::{AtomicU32, Ordering},
};

use serde_json::{Value, json};

use crate::{
    drift::{self, Finding},
    pin::Pin,
    spec::{self, Inputs, OVERLAY},
};

#[path = "../../build/limits.rs"]
#[allow(dead_code)]
mod limits;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The pinned document with the planted changes.
fn release(pinned: &Value) -> Value {
    let mut doc = pinned.clone();
    doc["info"]["version"] = json!("2.23");
    doc["x-doc-version"] = json!("2.23 (20251020)");
    let schemas = &mut doc["components"]["schemas"];
    // A changed limit.
    schemas["property.group.name"]["maxLength"] = json!(60);
    // A changed pattern: alphanumeric senders may hold `.` and `-`.
    schemas["property.messages.sender_id"]["pattern"] = json!(NEW_SENDER_PATTERN);
    // A new enum value.
    schemas["property.messages.service_code"]["enum"]
        .as_array_mut()
        .expect("an enum")
        .push(json!("rcs"));
    // A removed field.
    schemas["schema.bulks-bulk_read"]["properties"]
        .as_object_mut()
        .expect("properties")
        .remove("ip");
    // A mistake fixed: a campaign's cost is a number.
    schemas["property.bulks.msg_total_cost"]["type"] = json!("number");
    // An event renamed.
    let incoming = &mut doc["webhooks"]["webhooks.incoming-sms-received"]["post"]["requestBody"]["content"]
        ["application/json"]["schema"]["allOf"][1]["properties"]["name"];
    incoming["enum"] = json!(["sms.inbound"]);
    // A new operation.
    doc["paths"]["/groups/{id}/stats"] = json!({"get": {
        "operationId": "api_groups_stats_get_item",
        "parameters": [{"$ref": "#/components/parameters/path.groups.id"}],
        "responses": {"200": {"description": "Statistik"}}
    }});
    doc
}

/// The sender pattern of the synthetic release.
const NEW_SENDER_PATTERN: &str = r"^(\+?[1-9]\d{0,14}|[a-zA-Z0-9 .-]{1,11})$";

fn finding(section: &'static str, text: &str) -> Finding {
    Finding {
        section,
        text: text.to_owned(),
    }
}

#[test]
fn the_drift_report_names_every_planted_change_and_nothing_else() {
    let root = root();
    let pinned = Pin::load(&root).unwrap().document(&root).unwrap();
    let inputs = Inputs::load(&root).unwrap();
    let cost_action = inputs
        .overlay
        .actions
        .iter()
        .position(|a| a.target.contains("msg_total_cost"))
        .expect("the deviation for the cost");

    let findings = drift::report(&pinned, &release(&pinned), &inputs);

    let mut expected = vec![
        finding(
            "Operations added",
            "GET /groups/{id}/stats (api_groups_stats_get_item)",
        ),
        finding(
            "Components we reach",
            "schemas/property.group.name (ours: inline): maxLength: 50 → 60",
        ),
        finding(
            "Components we reach",
            r#"schemas/property.messages.service_code (ours: ServiceCode): enum: ["direct","text2speech","text2speech_ssml"] → ["direct","text2speech","text2speech_ssml","rcs"]"#,
        ),
        finding(
            "Components we reach",
            "schemas/schema.bulks-bulk_read (ours: Bulk): properties/ip: removed",
        ),
        finding(
            "Components we reach",
            &format!(
                "schemas/property.messages.sender_id (ours: SenderId): pattern: {} → {}",
                json!(r"^(\+?[1-9]\d{0,14}|[a-zA-Z0-9 ]{1,11})$"),
                json!(NEW_SENDER_PATTERN)
            ),
        ),
        finding(
            "Components we reach",
            r#"schemas/property.bulks.msg_total_cost (ours: inline): type: "integer" → "number""#,
        ),
        finding(
            "Webhooks",
            "webhooks.incoming-sms-received: post/requestBody/content/application/json/schema/allOf/1/properties/name/enum: [\"sms.incoming\"] → [\"sms.inbound\"]",
        ),
        finding(
            "Webhooks",
            "webhooks.incoming-sms-received: arrives as sms.inbound where openapi/pipeline.yaml says sms.incoming",
        ),
        finding(
            "Our deviations",
            &format!(
                "{OVERLAY} action {cost_action} ({}) no longer changes anything: LOX24's document may now say the same — {}",
                inputs.overlay.actions[cost_action].target,
                drift::first_sentence(
                    inputs.overlay.actions[cost_action]
                        .description
                        .as_deref()
                        .unwrap_or_default()
                )
            ),
        ),
    ];
    expected.sort();
    assert_eq!(findings, expected);

    let coverage = drift::Coverage::of(&release(&pinned), &inputs);
    assert_eq!(coverage.operations, (56, 57));
    assert_eq!(
        coverage.left_out,
        ["GET /groups/{id}/stats: not decided yet"]
    );
    let text = drift::render(&findings, &coverage, "2.22", "2.23", true);
    assert!(
        text.starts_with(
            "## LOX24's document 2.22 → 2.23\n\n2.23 covered: 56 of 57 operations in our spec, \
             12 of 12 webhooks read by `lox24::webhook`\n- left out: GET /groups/{id}/stats: not decided yet\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("\n### Operations added\n\n- GET /groups/{id}/stats"),
        "{text}"
    );
    assert!(text.contains("no longer changes anything: LOX24's document may now say the same — A mistake in LOX24's document: the cost of a campaign is declared an integer, but it is an amount of money with cents (a message costs a few cents)."), "{text}");
    assert!(
        text.ends_with("9 to decide before `cargo xtask spec update`\n"),
        "{text}"
    );
}

#[test]
fn the_pinned_document_has_no_drift() {
    let root = root();
    let pinned = Pin::load(&root).unwrap().document(&root).unwrap();
    let inputs = Inputs::load(&root).unwrap();
    assert_eq!(drift::report(&pinned, &pinned, &inputs), []);
    let coverage = drift::Coverage::of(&pinned, &inputs);
    assert_eq!(
        (coverage.operations, coverage.webhooks),
        ((56, 56), (12, 12))
    );
    assert_eq!(coverage.left_out, Vec::<String>::new());
}

#[test]
fn after_update_the_generated_limits_follow_the_new_limit_and_pattern() {
    let root = root();
    let pinned = Pin::load(&root).unwrap().document(&root).unwrap();
    let copy = TempRoot::of(&root);
    let new = copy.0.join("lox24-openapi-2.23-de.json");
    fs::write(&new, serde_json::to_vec(&release(&pinned)).unwrap()).unwrap();

    spec::update(&copy.0, &new, None).unwrap();

    let pin = Pin::load(&copy.0).unwrap();
    assert_eq!(
        (pin.file.as_str(), pin.version.as_str(), pin.date.as_str()),
        ("lox24-openapi-2.23-de.json", "2.23", "2025-10-20")
    );
    assert!(
        !copy
            .0
            .join("openapi/upstream/lox24-openapi-2.22-de.json")
            .exists()
    );
    let text = fs::read_to_string(copy.0.join(spec::SPEC)).unwrap();
    assert!(
        text.contains("  version: '2.23'\n"),
        "info.version follows the pin"
    );
    let doc: Value = yaml_serde::from_str(&text).unwrap();
    assert_eq!(
        doc["components"]["schemas"]["GroupWrite"]["properties"]["name"]["maxLength"],
        60
    );
    // The table of limits the client checks before sending, as build.rs
    // makes it: a group's name may now have 60 characters.
    let table = limits::generate(&doc).unwrap();
    let group_write = table
        .split("pub mod group_write {")
        .nth(1)
        .expect("the group's rules");
    assert!(
        group_write.contains(r#"field: "name", min_chars: Some(1), max_chars: Some(60)"#),
        "{group_write}"
    );
    // The sender rules of campaigns and messages take the new pattern.
    for schema in ["pub mod bulk_write {", "pub mod sms_write {"] {
        let rules = table.split(schema).nth(1).expect("the schema's rules");
        let sender = rules
            .lines()
            .find(|line| line.contains("pub static SENDER_ID"))
            .expect("a sender rule");
        assert!(sender.contains("[a-zA-Z0-9 .-]{1,11}"), "{sender}");
    }
    // And the spec regenerates from the moved pin as it was written.
    assert_eq!(spec::render(&copy.0).unwrap(), text);
}

/// A copy of the workspace's `openapi/` folder in a folder of its own,
/// removed when dropped.
struct TempRoot(PathBuf);

impl TempRoot {
    fn of(root: &Path) -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "lox24-xtask-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        ));
        copy_dir(&root.join("openapi"), &dir.join("openapi"));
        Self(dir)
    }
}

impl Drop for TempRoot {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn a_deviation_whose_target_is_gone_is_named_and_blocks_the_update() {
    let root = root();
    let pinned = Pin::load(&root).unwrap().document(&root).unwrap();
    let mut inputs = Inputs::load(&root).unwrap();
    // As if LOX24 had removed what one of our deviations points at.
    inputs.overlay.actions.push(crate::overlay::Action {
        target: "$.components.schemas.NoLongerThere".into(),
        description: Some("A mistake in LOX24's document. Second sentence.".into()),
        update: None,
        remove: true,
    });
    let gone = inputs.overlay.actions.len() - 1;

    let findings = drift::report(&pinned, &pinned, &inputs);
    let text = format!(
        "{OVERLAY} action {gone} ($.components.schemas.NoLongerThere): its target is gone — \
         A mistake in LOX24's document."
    );
    assert_eq!(findings, [finding("Our deviations", &text)]);

    // The terminal form: the title, the coverage, each section, the count.
    let coverage = drift::Coverage::of(&pinned, &inputs);
    let report = drift::render(&findings, &coverage, "2.22", "2.22", false);
    assert!(
        report.starts_with("LOX24's document 2.22 → 2.22\n"),
        "{report}"
    );
    assert!(
        report.ends_with(&format!(
            "\nOur deviations:\n  - {text}\n\n1 to decide before `cargo xtask spec update`\n"
        )),
        "{report}"
    );
    let clean = drift::render(&[], &coverage, "2.22", "2.22", false);
    assert!(
        clean.ends_with("nothing to decide: `cargo xtask spec update` can follow\n"),
        "{clean}"
    );
}

#[test]
fn the_exit_status_says_whether_anything_needs_a_decision() {
    let root = root();
    let pinned = Pin::load(&root).unwrap().document(&root).unwrap();
    let dir = std::env::temp_dir().join(format!("lox24-drift-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let same = dir.join("same.json");
    let newer = dir.join("newer.json");
    fs::write(&same, serde_json::to_vec(&pinned).unwrap()).unwrap();
    fs::write(&newer, serde_json::to_vec(&release(&pinned)).unwrap()).unwrap();

    assert_eq!(
        drift::run(&root, &same, false).unwrap(),
        std::process::ExitCode::SUCCESS
    );
    assert_eq!(
        drift::run(&root, &newer, true).unwrap(),
        std::process::ExitCode::FAILURE
    );
    assert!(drift::run(&root, &dir.join("missing.json"), false).is_err());
    fs::remove_dir_all(&dir).unwrap();
}
