//! `cargo xtask spec drift <new.json>`: what a new LOX24 document changes
//! against the pinned one, for a maintainer to decide on before
//! `cargo xtask spec update`: operations added and removed; in the
//! operations we use, parameters, bodies and statuses; in every schema they
//! reach, fields, types, limits, patterns, enums and required flags;
//! webhooks; and every deviation of ours whose target is gone or which no
//! longer changes anything (LOX24 may have fixed what it corrected). Prose
//! and examples are not compared: ours are our own.

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::Path,
    process::ExitCode,
};

use serde_json::Value;

use crate::{
    normalise::{self, escape},
    pin::{self, Pin},
    spec::{DESCRIPTIONS, Inputs, OVERLAY},
};

/// Keys that carry prose or samples, not meaning.
const PROSE: &[&str] = &[
    "description",
    "summary",
    "examples",
    "example",
    "x-codeSamples",
    "x-enum-descriptions",
    "title",
    "deprecated",
    "tags",
];

/// One thing to review, under a heading.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    pub section: &'static str,
    pub text: String,
}

pub fn run(root: &Path, new_path: &Path, markdown: bool) -> Result<ExitCode, String> {
    let pin = Pin::load(root)?;
    let old = pin.document(root)?;
    let bytes =
        fs::read(new_path).map_err(|e| format!("cannot read {}: {e}", new_path.display()))?;
    let new = pin::parse(&bytes, new_path)?;
    let inputs = Inputs::load(root)?;
    let findings = report(&old, &new, &inputs);
    let version = |doc: &Value| {
        doc.pointer("/info/version")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_owned()
    };
    let coverage = Coverage::of(&new, &inputs);
    print!(
        "{}",
        render(
            &findings,
            &coverage,
            &version(&old),
            &version(&new),
            markdown
        )
    );
    Ok(if findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Everything that needs a decision before `new` replaces `old`.
pub fn report(old: &Value, new: &Value, inputs: &Inputs) -> Vec<Finding> {
    let mut findings = Vec::new();
    operations(old, new, inputs, &mut findings);
    components(old, new, inputs, &mut findings);
    webhooks(old, new, &mut findings);
    event_names(new, inputs, &mut findings);
    deviations(new, inputs, &mut findings);
    findings.sort();
    findings.dedup();
    findings
}

pub fn render(
    findings: &[Finding],
    coverage: &Coverage,
    old: &str,
    new: &str,
    markdown: bool,
) -> String {
    let mut out = String::new();
    let title = format!("LOX24's document {old} → {new}");
    if markdown {
        out.push_str(&format!("## {title}\n\n"));
    } else {
        out.push_str(&format!("{title}\n"));
    }
    out.push_str(&coverage.render(new, markdown));
    if findings.is_empty() {
        out.push_str("nothing to decide: `cargo xtask spec update` can follow\n");
        return out;
    }
    let mut sections: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for f in findings {
        sections.entry(f.section).or_default().push(&f.text);
    }
    for (section, items) in sections {
        if markdown {
            out.push_str(&format!("\n### {section}\n\n"));
            for item in items {
                out.push_str(&format!("- {item}\n"));
            }
        } else {
            out.push_str(&format!("\n{section}:\n"));
            for item in items {
                out.push_str(&format!("  - {item}\n"));
            }
        }
    }
    out.push_str(&format!(
        "\n{} to decide before `cargo xtask spec update`\n",
        findings.len()
    ));
    out
}

/// How much of a LOX24 document the crate takes: operations in our spec,
/// webhooks read by `lox24::webhook`, and what is left out, with the
/// reason given in `openapi/pipeline.yaml` or none yet (a new entry that
/// needs a decision).
#[derive(Debug, PartialEq, Eq)]
pub struct Coverage {
    pub operations: (usize, usize),
    pub webhooks: (usize, usize),
    /// `entry: reason` for each entry not taken.
    pub left_out: Vec<String>,
}

impl Coverage {
    pub fn of(doc: &Value, inputs: &Inputs) -> Self {
        let pipeline = &inputs.pipeline;
        let reason = |entry: &str| {
            pipeline
                .left_out
                .iter()
                .find(|l| l.upstream == entry)
                .map_or("not decided yet", |l| l.reason.as_str())
                .to_owned()
        };
        let mut left_out = Vec::new();
        let operations = all_operations(doc);
        let taken: BTreeSet<&str> = pipeline
            .operations
            .iter()
            .map(|o| o.upstream.as_str())
            .collect();
        for op in operations.keys() {
            if !taken.contains(op.as_str()) {
                left_out.push(format!("{op}: {}", reason(op)));
            }
        }
        let hooks: Vec<&String> = doc["webhooks"]
            .as_object()
            .map(|h| h.keys().collect())
            .unwrap_or_default();
        let read: BTreeSet<&str> = pipeline
            .webhooks
            .iter()
            .map(|w| w.upstream.as_str())
            .collect();
        for hook in &hooks {
            if !read.contains(hook.as_str()) {
                left_out.push(format!("webhook {hook}: {}", reason(hook)));
            }
        }
        Self {
            operations: (
                operations
                    .keys()
                    .filter(|o| taken.contains(o.as_str()))
                    .count(),
                operations.len(),
            ),
            webhooks: (
                hooks.iter().filter(|h| read.contains(h.as_str())).count(),
                hooks.len(),
            ),
            left_out,
        }
    }

    fn render(&self, version: &str, markdown: bool) -> String {
        let (ops, all_ops) = self.operations;
        let (hooks, all_hooks) = self.webhooks;
        let mut out = format!(
            "{version} covered: {ops} of {all_ops} operations in our spec, \
             {hooks} of {all_hooks} webhooks read by `lox24::webhook`\n"
        );
        for entry in &self.left_out {
            let bullet = if markdown { "- " } else { "  - " };
            out.push_str(&format!("{bullet}left out: {entry}\n"));
        }
        out
    }
}

/// `METHOD /path` of every operation, with its operationId.
fn all_operations(doc: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                out.insert(format!("{} {path}", method.to_uppercase()), id.to_owned());
            }
        }
    }
    out
}

fn operations(old: &Value, new: &Value, inputs: &Inputs, findings: &mut Vec<Finding>) {
    let (before, after) = (all_operations(old), all_operations(new));
    let ours: BTreeSet<&str> = inputs
        .pipeline
        .operations
        .iter()
        .map(|o| o.upstream.as_str())
        .collect();
    for (op, id) in &after {
        if !before.contains_key(op) {
            findings.push(Finding {
                section: "Operations added",
                text: format!("{op} ({id})"),
            });
        }
    }
    for (op, id) in &before {
        if !after.contains_key(op) {
            let used = if ours.contains(op.as_str()) {
                " — we use it"
            } else {
                ""
            };
            findings.push(Finding {
                section: "Operations removed",
                text: format!("{op} ({id}){used}"),
            });
        }
    }
    for choice in &inputs.pipeline.operations {
        let Ok((method, path)) = choice.method_and_path() else {
            continue;
        };
        let pointer = format!("/paths/{}/{method}", escape(path));
        let (Some(a), Some(b)) = (old.pointer(&pointer), new.pointer(&pointer)) else {
            continue;
        };
        let (a, b) = (operation_view(old, a), operation_view(new, b));
        for change in diff(&a, &b) {
            findings.push(Finding {
                section: "Operations we use",
                text: format!("{} ({}): {change}", choice.upstream, choice.id),
            });
        }
    }
}

/// An operation as compared: parameters keyed by place and name (resolved),
/// the request's media types and schemas, the statuses and their bodies.
fn operation_view(doc: &Value, op: &Value) -> BTreeMap<String, String> {
    let mut view = BTreeMap::new();
    for parameter in op["parameters"].as_array().into_iter().flatten() {
        let resolved = resolve(doc, parameter);
        let key = format!(
            "parameter {} `{}`",
            resolved["in"].as_str().unwrap_or("?"),
            resolved["name"].as_str().unwrap_or("?")
        );
        flatten(&resolved, &key, &mut view);
    }
    if let Some(body) = op.get("requestBody") {
        flatten(&resolve(doc, body), "request body", &mut view);
    }
    for (status, response) in op["responses"].as_object().into_iter().flatten() {
        let response = resolve(doc, response);
        let key = format!("status {status}");
        view.insert(key.clone(), "declared".into());
        if let Some(content) = response.get("content") {
            flatten(content, &key, &mut view);
        }
    }
    view
}

fn resolve(doc: &Value, value: &Value) -> Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(r) => doc
            .pointer(r.trim_start_matches('#'))
            .cloned()
            .unwrap_or(Value::Null),
        None => value.clone(),
    }
}

/// The components the operations we use reach, by LOX24's name.
fn reached(doc: &Value, inputs: &Inputs) -> BTreeMap<String, Value> {
    let mut pending = Vec::new();
    for choice in &inputs.pipeline.operations {
        if let Ok((method, path)) = choice.method_and_path()
            && let Some(op) = doc.pointer(&format!("/paths/{}/{method}", escape(path)))
        {
            pending.extend(normalise::refs(op));
        }
    }
    let mut out = BTreeMap::new();
    while let Some(r) = pending.pop() {
        if out.contains_key(&r) {
            continue;
        }
        let node = doc
            .pointer(r.trim_start_matches('#'))
            .cloned()
            .unwrap_or(Value::Null);
        pending.extend(normalise::refs(&node));
        out.insert(r, node);
    }
    out
}

fn components(old: &Value, new: &Value, inputs: &Inputs, findings: &mut Vec<Finding>) {
    let (before, after) = (reached(old, inputs), reached(new, inputs));
    let named = |r: &str| -> Option<String> {
        let (kind, name) = r.strip_prefix("#/components/")?.split_once('/')?;
        match kind {
            "schemas" if inputs.pipeline.inline.contains(name) => Some("inline".to_owned()),
            "schemas" => inputs.pipeline.schemas.get(name).map(|c| match c {
                normalise::SchemaChoice::Name(n)
                | normalise::SchemaChoice::Typed { name: n, .. } => n.clone(),
            }),
            "parameters" => inputs.pipeline.parameters.get(name).cloned(),
            "responses" => inputs.pipeline.responses.get(name).cloned(),
            _ => None,
        }
    };
    for (r, node) in &after {
        let label = r.trim_start_matches("#/components/");
        match before.get(r) {
            None => findings.push(Finding {
                section: "Components we reach",
                text: match named(r) {
                    Some(ours) => format!("{label} (ours: {ours}) now reached"),
                    None => format!("{label}: new, needs a name in openapi/pipeline.yaml"),
                },
            }),
            Some(old_node) => {
                let ours = named(r)
                    .map(|n| format!(" (ours: {n})"))
                    .unwrap_or_default();
                let mut a = BTreeMap::new();
                let mut b = BTreeMap::new();
                flatten(old_node, "", &mut a);
                flatten(node, "", &mut b);
                for change in diff(&a, &b) {
                    findings.push(Finding {
                        section: "Components we reach",
                        text: format!("{label}{ours}: {change}"),
                    });
                }
            }
        }
    }
    for r in before.keys() {
        if !after.contains_key(r) {
            findings.push(Finding {
                section: "Components we reach",
                text: format!(
                    "{} no longer reached",
                    r.trim_start_matches("#/components/")
                ),
            });
        }
    }
}

fn webhooks(old: &Value, new: &Value, findings: &mut Vec<Finding>) {
    let hooks = |doc: &Value| doc["webhooks"].as_object().cloned().unwrap_or_default();
    let (before, after) = (hooks(old), hooks(new));
    for (name, hook) in &after {
        match before.get(name) {
            None => findings.push(Finding {
                section: "Webhooks",
                text: format!("{name}: new"),
            }),
            Some(old_hook) => {
                let (mut a, mut b) = (BTreeMap::new(), BTreeMap::new());
                flatten(&resolve_all(old, old_hook), "", &mut a);
                flatten(&resolve_all(new, hook), "", &mut b);
                for change in diff(&a, &b) {
                    findings.push(Finding {
                        section: "Webhooks",
                        text: format!("{name}: {change}"),
                    });
                }
            }
        }
    }
    for name in before.keys() {
        if !after.contains_key(name) {
            findings.push(Finding {
                section: "Webhooks",
                text: format!("{name}: removed"),
            });
        }
    }
}

/// Each webhook the crate reads must still arrive under the event name the
/// pipeline records (the crate's `webhook` module matches on it).
fn event_names(new: &Value, inputs: &Inputs, findings: &mut Vec<Finding>) {
    for choice in &inputs.pipeline.webhooks {
        let Some(hook) = new["webhooks"].get(&choice.upstream) else {
            continue; // reported as removed
        };
        let names = event_names_of(new, hook);
        if !names.is_empty() && !names.contains(&choice.event) {
            findings.push(Finding {
                section: "Webhooks",
                text: format!(
                    "{}: arrives as {} where openapi/pipeline.yaml says {}",
                    choice.upstream,
                    names.into_iter().collect::<Vec<_>>().join(", "),
                    choice.event
                ),
            });
        }
    }
}

/// The event names a webhook entry declares: its schema's `name` enum, or
/// its examples' `name` when it has no schema.
fn event_names_of(doc: &Value, hook: &Value) -> BTreeSet<String> {
    let text = |value: &Value| value.as_str().map(str::to_owned);
    let body = &hook["post"]["requestBody"]["content"]["application/json"];
    let declared: BTreeSet<String> = body["schema"]["allOf"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|part| {
            part["properties"]["name"]["enum"]
                .as_array()
                .into_iter()
                .flatten()
        })
        .filter_map(text)
        .collect();
    if !declared.is_empty() {
        return declared;
    }
    body["examples"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(_, example)| text(&resolve(doc, example)["value"]["name"]))
        .collect()
}

/// A webhook with the components it refers to inlined (once), so that a
/// change of its payload's schema shows.
fn resolve_all(doc: &Value, value: &Value) -> Value {
    fn go(doc: &Value, value: &Value, depth: u32) -> Value {
        if depth > 8 {
            return value.clone();
        }
        match value {
            Value::Object(map) => match map.get("$ref").and_then(Value::as_str) {
                Some(r) => go(
                    doc,
                    &doc.pointer(r.trim_start_matches('#'))
                        .cloned()
                        .unwrap_or(Value::Null),
                    depth + 1,
                ),
                None => Value::Object(
                    map.iter()
                        .map(|(k, v)| (k.clone(), go(doc, v, depth)))
                        .collect(),
                ),
            },
            Value::Array(items) => Value::Array(items.iter().map(|v| go(doc, v, depth)).collect()),
            other => other.clone(),
        }
    }
    go(doc, value, 0)
}

/// Our deviations against the new document: a target that selects nothing,
/// or an update that no longer changes anything.
fn deviations(new: &Value, inputs: &Inputs, findings: &mut Vec<Finding>) {
    let version = new
        .pointer("/info/version")
        .and_then(Value::as_str)
        .unwrap_or("?");
    let mut doc = match normalise::normalise(new, &inputs.pipeline, version) {
        Ok(doc) => doc,
        Err(error) => {
            findings.push(Finding {
                section: "Pipeline",
                text: format!(
                    "the new document does not go through openapi/pipeline.yaml: {error}"
                ),
            });
            return;
        }
    };
    for (name, overlay) in [
        (OVERLAY, &inputs.overlay),
        (DESCRIPTIONS, &inputs.descriptions),
    ] {
        for (i, action) in overlay.actions.iter().enumerate() {
            let why = first_sentence(action.description.as_deref().unwrap_or_default());
            match action.apply(&mut doc) {
                Err(error) => findings.push(Finding {
                    section: "Our deviations",
                    text: format!("{name} action {i}: {error}"),
                }),
                // Prose for something LOX24 removed is only stale: `spec`
                // says so when it runs; the removal itself is reported above.
                Ok(applied) if applied.matched == 0 && name == DESCRIPTIONS => {}
                Ok(applied) if applied.matched == 0 => findings.push(Finding {
                    section: "Our deviations",
                    text: format!("{name} action {i} ({}): its target is gone — {why}", action.target),
                }),
                Ok(applied) if !applied.changed && action.update.is_some() && name == OVERLAY => findings.push(Finding {
                    section: "Our deviations",
                    text: format!(
                        "{name} action {i} ({}) no longer changes anything: LOX24's document may now say the same — {why}",
                        action.target
                    ),
                }),
                Ok(_) => {}
            }
        }
    }
}

/// The first sentence of a reason, its lines joined.
pub fn first_sentence(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match joined.find(". ") {
        Some(end) => joined[..=end].to_owned(),
        None => joined,
    }
}

/// `value` as `path → leaf`, prose left out; arrays of scalars (`enum`,
/// `required`, `type`) are one leaf.
fn flatten(value: &Value, path: &str, out: &mut BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if PROSE.contains(&key.as_str()) {
                    continue;
                }
                let sub = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}/{key}")
                };
                flatten(child, &sub, out);
            }
        }
        Value::Array(items) if items.iter().all(|v| !v.is_object() && !v.is_array()) => {
            out.insert(path.to_owned(), value.to_string());
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                flatten(child, &format!("{path}/{i}"), out);
            }
        }
        leaf => {
            out.insert(path.to_owned(), leaf.to_string());
        }
    }
}

/// The changes from `a` to `b`, a property added or removed as a whole said
/// once.
fn diff(a: &BTreeMap<String, String>, b: &BTreeMap<String, String>) -> Vec<String> {
    let mut out = Vec::new();
    let whole = |path: &str| -> Option<String> {
        // `properties/ip/$ref` → `properties/ip`.
        let at = path.find("properties/")?;
        let rest = &path[at + "properties/".len()..];
        let name = rest.split('/').next()?;
        Some(format!("{}properties/{name}", &path[..at]))
    };
    let prefixed = |map: &BTreeMap<String, String>, prefix: &str| {
        map.keys()
            .any(|k| k == prefix || k.starts_with(&format!("{prefix}/")))
    };
    let mut said = BTreeSet::new();
    for (path, value) in a {
        match b.get(path) {
            Some(other) if other != value => out.push(format!("{path}: {value} → {other}")),
            Some(_) => {}
            None => match whole(path).filter(|p| !prefixed(b, p)) {
                Some(property) => {
                    if said.insert(property.clone()) {
                        out.push(format!("{property}: removed"));
                    }
                }
                None => out.push(format!("{path}: {value} removed")),
            },
        }
    }
    for (path, value) in b {
        if !a.contains_key(path) {
            match whole(path).filter(|p| !prefixed(a, p)) {
                Some(property) => {
                    if said.insert(property.clone()) {
                        out.push(format!("{property}: added"));
                    }
                }
                None => out.push(format!("{path}: {value} added")),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn changes_are_said_once_and_prose_is_ignored() {
        let old = json!({"description": "Alt", "properties": {"ip": {"$ref": "#/x"}, "name": {"maxLength": 50, "type": "string"}}, "required": ["name"]});
        let new = json!({"description": "Neu", "properties": {"name": {"maxLength": 60, "type": "string"}, "tag": {"type": "string"}}, "required": ["name", "tag"]});
        let (mut a, mut b) = (BTreeMap::new(), BTreeMap::new());
        flatten(&old, "", &mut a);
        flatten(&new, "", &mut b);
        assert_eq!(
            diff(&a, &b),
            [
                "properties/ip: removed",
                "properties/name/maxLength: 50 → 60",
                "required: [\"name\"] → [\"name\",\"tag\"]",
                "properties/tag: added",
            ]
        );
    }
}
