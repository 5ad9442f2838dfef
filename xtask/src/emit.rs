//! Writes the generated spec as YAML, with its keys in the order a reader of
//! an OpenAPI document expects (`openapi`, `info`, … `paths`, `components`;
//! in an operation `operationId` before `parameters` before `responses`),
//! the rest (paths, property and schema names) alphabetically. The order is
//! a function of the content only, so the file's diff shows real changes.

use serde_json::Value;

/// Keys in the order they are written, wherever they appear.
const ORDER: &[&str] = &[
    // document
    "openapi",
    "info",
    "servers",
    "security",
    "tags",
    "paths",
    "components",
    // info, tags
    "title",
    "version",
    // path items, in the order of the methods
    "get",
    "put",
    "post",
    "delete",
    // operations
    "operationId",
    "x-lox24-accept",
    "x-lox24-repeatable",
    "summary",
    // parameters
    "name",
    "in",
    // schemas and everything else
    "x-lox24-rust-type",
    "description",
    "required",
    "type",
    "format",
    "nullable",
    "enum",
    "default",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "items",
    "additionalProperties",
    "allOf",
    "oneOf",
    "properties",
    "parameters",
    "requestBody",
    "responses",
    "headers",
    "content",
    "schema",
    "example",
    // components
    "securitySchemes",
    "schemas",
];

/// The document as YAML, after `header` (comment lines).
pub fn yaml(doc: &Value, header: &str) -> Result<String, String> {
    let body = yaml_serde::to_string(&ordered(doc)).map_err(|e| e.to_string())?;
    Ok(format!("{header}{body}"))
}

fn ordered(value: &Value) -> yaml_serde::Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by_key(|k| (rank(k), k.as_str()));
            let mut out = yaml_serde::Mapping::new();
            for key in keys {
                out.insert(yaml_serde::Value::String(key.clone()), ordered(&map[key]));
            }
            yaml_serde::Value::Mapping(out)
        }
        Value::Array(items) => yaml_serde::Value::Sequence(items.iter().map(ordered).collect()),
        Value::String(s) => yaml_serde::Value::String(s.clone()),
        Value::Bool(b) => yaml_serde::Value::Bool(*b),
        Value::Null => yaml_serde::Value::Null,
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => yaml_serde::Value::Number(u.into()),
            (_, Some(i), _) => yaml_serde::Value::Number(i.into()),
            (_, _, Some(f)) => yaml_serde::Value::Number(f.into()),
            _ => yaml_serde::Value::Null,
        },
    }
}

/// Known keys by their place in [`ORDER`]; any other after them.
fn rank(key: &str) -> usize {
    ORDER.iter().position(|k| *k == key).unwrap_or(ORDER.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_come_in_reading_order_then_alphabetically() {
        let doc = json!({
            "paths": {"/b": {}, "/a": {"post": {"responses": {}, "operationId": "x"}, "get": {}}},
            "info": {"version": "1", "title": "t"},
            "openapi": "3.0.3"
        });
        let text = yaml(&doc, "# head\n").unwrap();
        assert_eq!(
            text,
            "# head\nopenapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get: {}\n    post:\n      operationId: x\n      responses: {}\n  /b: {}\n"
        );
    }
}
