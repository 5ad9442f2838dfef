//! The mechanical part of the pipeline: from LOX24's document to the
//! operations we support, under our names, in the shapes progenitor reads.
//! Nothing here is a judgement about LOX24's API; those are the overlay's.
//!
//! 1. The operations `openapi/pipeline.yaml` lists are taken, under our
//!    `operationId`s, with the client's two declarations (`x-lox24-accept`,
//!    `x-lox24-repeatable`).
//! 2. LOX24's prose (German), code samples and examples are left out: our
//!    English prose comes from `openapi/descriptions.yaml`; the examples are
//!    in LOX24's documentation.
//! 3. Every component the operations reach is taken under the name the
//!    pipeline gives it (a component without a name is an error: a new
//!    schema needs a decision), with its `x-lox24-rust-type`, or written
//!    into the properties that use it when the pipeline says `inline`.
//! 4. Shapes for progenitor: lists answered inline are named
//!    (`<Item>List`, `<Item>CollectionJsonLd`); request bodies keep
//!    `application/json` only; array query parameters are left out (their
//!    mock helpers do not compile, progenitor #1260; the hand layer adds the
//!    ones it sends); error answers declare the media types the client reads
//!    raw, none of them `application/json`, so that one error type serves
//!    every status and any body (JSON, HTML, text) reaches our decoder.
//! 5. OpenAPI 3.1 schemas are written as 3.0 ([`crate::convert`]), and a
//!    named schema that allows null leaves the null to the places that use
//!    it (`allOf: [$ref], nullable: true`): the generator would make the
//!    named type a wrapper of an `Option`, which no field can hold as an
//!    optional value of that type.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::convert::to_openapi_30;

/// What we take from LOX24's document and how we name it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pipeline {
    pub operations: Vec<OperationChoice>,
    /// LOX24's schema name → ours (and the crate's type for it, if any).
    pub schemas: BTreeMap<String, SchemaChoice>,
    /// LOX24's parameter name → ours.
    pub parameters: BTreeMap<String, String>,
    /// LOX24's response name → ours.
    pub responses: BTreeMap<String, String>,
    /// LOX24's schemas that are written into the properties that use them
    /// instead of being named: the generator then names their types after
    /// the field (`GroupWriteName`), and a scalar needs no type of its own.
    #[serde(default)]
    pub inline: BTreeSet<String>,
    /// LOX24's webhook entries and the event each is read as by the
    /// crate's `webhook` module (OpenAPI 3.0 has no webhooks, so they are
    /// not in our spec).
    #[serde(default)]
    pub webhooks: Vec<WebhookChoice>,
    /// LOX24's operations and webhooks deliberately not taken, each with
    /// its reason.
    #[serde(default, rename = "left-out")]
    pub left_out: Vec<LeftOut>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookChoice {
    /// The key under `webhooks` in LOX24's document.
    pub upstream: String,
    /// The event's `name` on the wire.
    pub event: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeftOut {
    /// `METHOD /path`, or a key under `webhooks`.
    pub upstream: String,
    pub reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationChoice {
    /// `METHOD /path` in LOX24's document.
    pub upstream: String,
    /// Our `operationId`.
    pub id: String,
    /// `x-lox24-accept`.
    pub accept: String,
    /// `x-lox24-repeatable`.
    pub repeatable: bool,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum SchemaChoice {
    Name(String),
    Typed {
        name: String,
        #[serde(rename = "rust-type")]
        rust_type: String,
    },
}

impl SchemaChoice {
    fn name(&self) -> &str {
        match self {
            Self::Name(name) | Self::Typed { name, .. } => name,
        }
    }

    fn rust_type(&self) -> Option<&str> {
        match self {
            Self::Name(_) => None,
            Self::Typed { rust_type, .. } => Some(rust_type),
        }
    }
}

const METHODS: [&str; 4] = ["get", "put", "post", "delete"];

impl OperationChoice {
    /// (`get`, `/groups`) from `GET /groups`.
    pub fn method_and_path(&self) -> Result<(String, &str), String> {
        let (method, path) = self
            .upstream
            .split_once(' ')
            .ok_or_else(|| format!("{:?} is not `METHOD /path`", self.upstream))?;
        let method = method.to_ascii_lowercase();
        if !METHODS.contains(&method.as_str()) {
            return Err(format!("{:?}: unknown method", self.upstream));
        }
        Ok((method, path))
    }
}

/// The mechanical document: LOX24's, selected, renamed and reshaped.
pub fn normalise(upstream: &Value, pipeline: &Pipeline, version: &str) -> Result<Value, String> {
    let mut doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "LOX24 SMS API", "version": version},
        "servers": upstream.get("servers").cloned().unwrap_or(json!([])),
        "security": upstream.get("security").cloned().unwrap_or(json!([])),
        "paths": {},
        "components": {
            "securitySchemes": upstream.pointer("/components/securitySchemes").cloned().unwrap_or(json!({}))
        },
    });
    select_operations(upstream, pipeline, &mut doc)?;
    strip(&mut doc);
    drop_array_query_parameters(upstream, &mut doc);
    copy_components(upstream, pipeline, &mut doc)?;
    keep_json_request_bodies(&mut doc);
    name_inline_lists(&mut doc)?;
    declare_raw_error_bodies(&mut doc)?;
    to_openapi_30(&mut doc)?;
    move_null_to_uses(&mut doc);
    Ok(doc)
}

/// See step 5 of the module's documentation.
fn move_null_to_uses(doc: &mut Value) {
    let mut nullable = BTreeSet::new();
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        for (name, schema) in schemas.iter_mut() {
            if let Value::Object(schema) = schema
                && schema.get("nullable") == Some(&Value::Bool(true))
                && !schema.contains_key("allOf")
            {
                schema.remove("nullable");
                nullable.insert(format!("#/components/schemas/{name}"));
            }
        }
    }
    fn uses(value: &mut Value, nullable: &BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                let target = |v: &Value| {
                    v.get("$ref")
                        .and_then(Value::as_str)
                        .is_some_and(|r| nullable.contains(r))
                };
                if map.len() == 1 && target(&Value::Object(map.clone())) {
                    let reference = Value::Object(std::mem::take(map));
                    *value = json!({"allOf": [reference], "nullable": true});
                    return;
                }
                if let Some(Value::Array(all)) = map.get("allOf")
                    && all.len() == 1
                    && target(&all[0])
                {
                    map.insert("nullable".into(), Value::Bool(true));
                    return;
                }
                map.values_mut().for_each(|v| uses(v, nullable));
            }
            Value::Array(items) => items.iter_mut().for_each(|v| uses(v, nullable)),
            _ => {}
        }
    }
    uses(doc, &nullable);
}

fn select_operations(upstream: &Value, pipeline: &Pipeline, doc: &mut Value) -> Result<(), String> {
    let mut tags = BTreeSet::new();
    let mut ids = BTreeSet::new();
    for choice in &pipeline.operations {
        let (method, path) = choice.method_and_path()?;
        let item = upstream
            .pointer(&format!("/paths/{}", escape(path)))
            .ok_or_else(|| format!("LOX24's document has no path {path} ({})", choice.upstream))?;
        let mut operation = item
            .get(&method)
            .cloned()
            .ok_or_else(|| format!("LOX24's document has no {}", choice.upstream))?;
        if !ids.insert(choice.id.clone()) {
            return Err(format!("operationId {} is chosen twice", choice.id));
        }
        let op = operation
            .as_object_mut()
            .ok_or("an operation that is not an object")?;
        if let Some(Value::Array(shared)) = item.get("parameters") {
            let own = op.entry("parameters").or_insert_with(|| json!([]));
            if let Value::Array(own) = own {
                own.extend(shared.iter().cloned());
            }
        }
        op.insert("operationId".into(), json!(choice.id));
        op.insert("x-lox24-accept".into(), json!(choice.accept));
        op.insert("x-lox24-repeatable".into(), json!(choice.repeatable));
        if let Some(Value::Array(names)) = op.get("tags") {
            tags.extend(names.iter().filter_map(Value::as_str).map(str::to_owned));
        }
        doc["paths"]
            .as_object_mut()
            .ok_or("paths")?
            .entry(path.to_owned())
            .or_insert_with(|| json!({}))[method.as_str()] = operation;
    }
    doc["tags"] = Value::Array(tags.into_iter().map(|name| json!({"name": name})).collect());
    Ok(())
}

/// Leaves out LOX24's prose, code samples, examples and default-valued
/// noise (`deprecated: false`, parameter serialisation defaults).
fn strip(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|key, v| match key.as_str() {
                "description" | "summary" => !v.is_string(),
                "x-codeSamples" | "x-enum-descriptions" => false,
                "deprecated" => v != &Value::Bool(false),
                "examples" => !v.is_object(),
                "allowEmptyValue" | "allowReserved" => false,
                _ => true,
            });
            if map.contains_key("in") && map.contains_key("name") {
                // A parameter: `style` and `explode` only matter for arrays
                // and objects, which progenitor cannot serialise anyway.
                let scalar = map
                    .get("schema")
                    .and_then(|s| s.get("type"))
                    .is_none_or(|t| t != "array" && t != "object");
                if scalar {
                    map.remove("style");
                    map.remove("explode");
                }
            }
            for child in map.values_mut() {
                strip(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip),
        _ => {}
    }
}

/// Copies every component the document reaches, under its new name, and
/// rewrites the references.
fn copy_components(upstream: &Value, pipeline: &Pipeline, doc: &mut Value) -> Result<(), String> {
    let mut renames = BTreeMap::new();
    let mut inlines = BTreeMap::new();
    let mut missing = BTreeSet::new();
    let mut pending: Vec<String> = refs(doc).into_iter().collect();
    let mut seen = BTreeSet::new();
    while let Some(reference) = pending.pop() {
        if !seen.insert(reference.clone()) {
            continue;
        }
        let Some((kind, name)) = reference
            .strip_prefix("#/components/")
            .and_then(|r| r.split_once('/'))
        else {
            return Err(format!("a reference outside components: {reference}"));
        };
        if kind == "schemas" && pipeline.inline.contains(name) {
            let mut content = upstream
                .pointer(&format!("/components/schemas/{}", escape(name)))
                .cloned()
                .ok_or_else(|| format!("LOX24's document has no {reference}"))?;
            strip(&mut content);
            pending.extend(refs(&content));
            inlines.insert(reference.clone(), content);
            continue;
        }
        let (ours, rust_type) = match kind {
            "schemas" => match pipeline.schemas.get(name) {
                Some(choice) => (choice.name().to_owned(), choice.rust_type()),
                None => {
                    missing.insert(reference.clone());
                    continue;
                }
            },
            "parameters" | "responses" => {
                let map = if kind == "parameters" {
                    &pipeline.parameters
                } else {
                    &pipeline.responses
                };
                match map.get(name) {
                    Some(ours) => (ours.clone(), None),
                    None => {
                        missing.insert(reference.clone());
                        continue;
                    }
                }
            }
            other => return Err(format!("a reference to components/{other}: {reference}")),
        };
        let mut component = upstream
            .pointer(&format!("/components/{kind}/{}", escape(name)))
            .cloned()
            .ok_or_else(|| format!("LOX24's document has no {reference}"))?;
        strip(&mut component);
        pending.extend(refs(&component));
        if let (Some(rust_type), Value::Object(map)) = (rust_type, &mut component) {
            map.insert("x-lox24-rust-type".into(), json!(rust_type));
        }
        let slot = doc["components"]
            .as_object_mut()
            .ok_or("components")?
            .entry(kind.to_owned())
            .or_insert_with(|| json!({}));
        if slot.get(&ours).is_some() {
            return Err(format!("two components are named {kind}/{ours}"));
        }
        slot[ours.as_str()] = component;
        let new = format!("#/components/{kind}/{ours}");
        renames.insert(reference.clone(), new);
    }
    if !missing.is_empty() {
        let list: Vec<String> = missing.into_iter().collect();
        return Err(format!(
            "components without a name in openapi/pipeline.yaml (decide what to call them): {}",
            list.join(", ")
        ));
    }
    // Inlined schemas may refer to each other: until none is left.
    while refs(doc).iter().any(|r| inlines.contains_key(r)) {
        inline_refs(doc, &inlines);
    }
    rewrite_refs(doc, &renames);
    Ok(())
}

/// Replaces each `{$ref: r}` whose target is inlined by the target's content.
fn inline_refs(value: &mut Value, inlines: &BTreeMap<String, Value>) {
    match value {
        Value::Object(map) => {
            if let Some(content) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| inlines.get(r))
            {
                *value = content.clone();
                return;
            }
            map.values_mut().for_each(|v| inline_refs(v, inlines));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| inline_refs(v, inlines)),
        _ => {}
    }
}

/// Every `$ref` below `value`.
pub fn refs(value: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    walk_refs(value, &mut |r| {
        out.insert(r.to_owned());
    });
    out
}

fn walk_refs(value: &Value, f: &mut impl FnMut(&str)) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                f(r);
            }
            map.values().for_each(|v| walk_refs(v, f));
        }
        Value::Array(items) => items.iter().for_each(|v| walk_refs(v, f)),
        _ => {}
    }
}

fn rewrite_refs(value: &mut Value, renames: &BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref")
                && let Some(new) = renames.get(r.as_str())
            {
                *r = new.clone();
            }
            map.values_mut().for_each(|v| rewrite_refs(v, renames));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_refs(v, renames)),
        _ => {}
    }
}

/// Array query parameters generate mock helpers that do not compile
/// (progenitor #1260): they are left out, before their components are
/// named; the hand layer adds the ones it sends (`status_code[]`).
fn drop_array_query_parameters(upstream: &Value, doc: &mut Value) {
    let is_array = |p: &Value| {
        let p = match p["$ref"].as_str() {
            Some(r) => upstream
                .pointer(r.trim_start_matches('#'))
                .unwrap_or(&Value::Null),
            None => p,
        };
        p["in"] == "query" && p.pointer("/schema/type") == Some(&json!("array"))
    };
    for_each_operation(doc, |_, _, op| {
        if let Some(Value::Array(parameters)) = op.get_mut("parameters") {
            parameters.retain(|p| !is_array(p));
        }
    });
}

/// A request body in one media type, `application/json`: progenitor takes
/// one, and the client sends JSON.
fn keep_json_request_bodies(doc: &mut Value) {
    for_each_operation(doc, |_, _, op| {
        if let Some(Value::Object(content)) = op
            .get_mut("requestBody")
            .and_then(|body| body.get_mut("content"))
        {
            content.retain(|media, _| media == "application/json");
        }
    });
}

/// Lists answered inline get names, so that the crate's list type can stand
/// in for them: a bare array of `X` is `XList`, a Hydra collection of
/// `XJsonLd` is `XCollectionJsonLd`, both read by
/// `HydraCollection<the type of X>`.
fn name_inline_lists(doc: &mut Value) -> Result<(), String> {
    let schemas = doc["components"]["schemas"].clone();
    let mut hoisted: Vec<(String, Value)> = Vec::new();
    let mut problems = Vec::new();
    for_each_operation(doc, |path, method, op| {
        let Some(Value::Object(responses)) = op.get_mut("responses") else {
            return;
        };
        for response in responses.values_mut() {
            let Some(Value::Object(content)) = response.get_mut("content") else {
                continue;
            };
            for (media, body) in content.iter_mut() {
                let Some(schema) = body.get_mut("schema") else {
                    continue;
                };
                if schema.get("$ref").is_some() {
                    continue;
                }
                let item = schema
                    .pointer("/items/$ref")
                    .or_else(|| schema.pointer("/properties/hydra:member/items/$ref"))
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/components/schemas/"))
                    .map(str::to_owned);
                let Some(item) = item else { continue };
                let base = item.strip_suffix("JsonLd").unwrap_or(&item).to_owned();
                let name = if schema.get("items").is_some() {
                    format!("{base}List")
                } else {
                    format!("{base}CollectionJsonLd")
                };
                let mut named = schema.clone();
                match schemas[&item]["x-lox24-rust-type"].as_str() {
                    Some(rust_type) => {
                        named["x-lox24-rust-type"] =
                            json!(format!("crate::jsonld::HydraCollection<{rust_type}>"));
                    }
                    None => problems.push(format!(
                        "{method} {path} ({media}) lists {item}, which has no x-lox24-rust-type"
                    )),
                }
                *schema = json!({"$ref": format!("#/components/schemas/{name}")});
                hoisted.push((name, named));
            }
        }
    });
    if !problems.is_empty() {
        return Err(problems.join("; "));
    }
    let schemas = doc["components"]["schemas"]
        .as_object_mut()
        .ok_or("components.schemas")?;
    for (name, schema) in hoisted {
        match schemas.get(&name) {
            Some(existing) if existing != &schema => {
                return Err(format!("two different lists would be named {name}"));
            }
            _ => {
                schemas.insert(name, schema);
            }
        }
    }
    Ok(())
}

/// The media types every error answer declares: API Platform's two error
/// shapes, and text (a proxy's page). None is `application/json`, so the
/// generated client hands the raw body to the crate's error decoder.
fn declare_raw_error_bodies(doc: &mut Value) -> Result<(), String> {
    let schemas = &doc["components"]["schemas"];
    for needed in ["Problem", "HydraError"] {
        if schemas.get(needed).is_none() {
            return Err(format!(
                "error answers refer to the schema {needed}: name LOX24's error body so in openapi/pipeline.yaml"
            ));
        }
    }
    let mut error_responses = BTreeSet::new();
    for_each_operation(doc, |_, _, op| {
        if let Some(Value::Object(responses)) = op.get("responses") {
            for (status, response) in responses {
                if status.starts_with(['4', '5'])
                    && let Some(r) = response["$ref"].as_str()
                {
                    error_responses
                        .insert(r.trim_start_matches("#/components/responses/").to_owned());
                }
            }
        }
    });
    let content = json!({
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}},
        "application/ld+json": {"schema": {"$ref": "#/components/schemas/HydraError"}},
        "text/plain": {"schema": {"type": "string"}},
    });
    for name in error_responses {
        if let Some(Value::Object(response)) =
            doc.pointer_mut(&format!("/components/responses/{name}"))
        {
            response.insert("content".into(), content.clone());
        }
    }
    Ok(())
}

/// Calls `f(path, method, operation)` for every operation.
pub fn for_each_operation(doc: &mut Value, mut f: impl FnMut(&str, &str, &mut Map<String, Value>)) {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Value::Object(item) = item else { continue };
        for method in METHODS {
            if let Some(Value::Object(op)) = item.get_mut(method) {
                f(path, method, op);
            }
        }
    }
}

/// Removes the components nothing refers to, until none is left.
pub fn prune(doc: &mut Value) {
    loop {
        let used = refs(doc);
        let mut removed = false;
        for kind in ["schemas", "parameters", "responses"] {
            if let Some(Value::Object(map)) = doc.pointer_mut(&format!("/components/{kind}")) {
                let before = map.len();
                map.retain(|name, _| used.contains(&format!("#/components/{kind}/{name}")));
                removed |= map.len() < before;
            }
        }
        if !removed {
            return;
        }
    }
}

/// A JSON Pointer segment for `key` (RFC 6901).
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pipeline(yaml: &str) -> Pipeline {
        yaml_serde::from_str(yaml).unwrap()
    }

    #[test]
    fn operations_are_taken_renamed_with_their_components() {
        let upstream = json!({
            "servers": [{"url": "https://api.example", "description": ""}],
            "paths": {"/things/{id}": {"get": {
                "operationId": "api_things_get_item", "tags": ["things"],
                "summary": "Ein Ding", "x-codeSamples": [{"lang": "Bash"}],
                "parameters": [{"$ref": "#/components/parameters/path.id"},
                               {"$ref": "#/components/parameters/filter.tags"}],
                "responses": {
                    "200": {"description": "ok", "content": {
                        "application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/thing"}}}}},
                    "404": {"$ref": "#/components/responses/404"}}
            }}},
            "components": {
                "parameters": {
                    "path.id": {"name": "id", "in": "path", "required": true, "style": "simple", "explode": false,
                                "allowEmptyValue": false, "schema": {"type": "integer"}},
                    "filter.tags": {"name": "tags[]", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}}},
                "responses": {"404": {"description": "Nicht gefunden"}},
                "schemas": {
                    "thing": {"description": "Ding", "properties": {
                        "description": {"type": ["string", "null"]},
                        "size": {"$ref": "#/components/schemas/size"}}},
                    "size": {"type": "integer", "minimum": 0},
                    "problem": {"type": "object"}, "problem.ld": {"type": "object"}}}
        });
        let pipeline = pipeline(
            "operations: [{upstream: \"GET /things/{id}\", id: getThings, accept: application/json, repeatable: true}]
schemas: {thing: {name: Thing, rust-type: crate::Thing}, size: Size}
parameters: {path.id: ThingIdPath}
responses: {'404': NotFound}",
        );
        let mut doc = normalise(&upstream, &pipeline, "9.9");
        // The error bodies' schemas are not reached here: named and added by hand.
        assert!(
            doc.as_ref().is_err_and(|e| e.contains("Problem")),
            "{doc:?}"
        );
        let mut upstream = upstream;
        upstream["paths"]["/things/{id}"]["get"]["responses"]["400"] = json!({"content": {"application/json": {"schema": {"oneOf": [
                {"$ref": "#/components/schemas/problem"}, {"$ref": "#/components/schemas/problem.ld"}]}}}});
        let mut pipeline = pipeline;
        pipeline
            .schemas
            .insert("problem".into(), SchemaChoice::Name("Problem".into()));
        pipeline
            .schemas
            .insert("problem.ld".into(), SchemaChoice::Name("HydraError".into()));
        doc = normalise(&upstream, &pipeline, "9.9");
        let doc = doc.unwrap();
        let op = &doc["paths"]["/things/{id}"]["get"];
        assert_eq!(op["operationId"], "getThings");
        assert_eq!(
            (
                op["x-lox24-accept"].clone(),
                op["x-lox24-repeatable"].clone()
            ),
            (json!("application/json"), json!(true))
        );
        assert!(op.get("summary").is_none() && op.get("x-codeSamples").is_none());
        assert_eq!(
            op["parameters"],
            json!([{"$ref": "#/components/parameters/ThingIdPath"}]),
            "the array parameter is left out"
        );
        assert_eq!(
            doc["components"]["parameters"]["ThingIdPath"],
            json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}})
        );
        assert_eq!(
            op["responses"]["200"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/ThingList"})
        );
        assert_eq!(
            doc["components"]["schemas"]["ThingList"]["x-lox24-rust-type"],
            "crate::jsonld::HydraCollection<crate::Thing>"
        );
        assert_eq!(
            doc["components"]["schemas"]["Thing"]["properties"]["description"],
            json!({"type": "string", "nullable": true}),
            "a property named description stays"
        );
        assert_eq!(
            doc["components"]["schemas"]["Thing"]["properties"]["size"],
            json!({"$ref": "#/components/schemas/Size"})
        );
        assert!(
            doc["components"]["responses"]["NotFound"]["content"]
                .get("application/json")
                .is_none()
        );
        assert_eq!(doc["servers"], json!([{"url": "https://api.example"}]));

        let mut unnamed = Pipeline {
            schemas: BTreeMap::new(),
            ..pipeline
        };
        unnamed
            .schemas
            .insert("thing".into(), SchemaChoice::Name("Thing".into()));
        let err = normalise(&upstream, &unnamed, "9.9").unwrap_err();
        assert!(err.contains("#/components/schemas/size"), "{err}");
    }
}
