//! OpenAPI 3.1 schemas as OpenAPI 3.0 says them, for progenitor (which reads
//! 3.0 only). Each rewrite keeps the meaning:
//!
//! - `type: [T, "null"]` → `type: T, nullable: true`;
//! - `oneOf`/`anyOf` of one schema and `{type: "null"}` → that schema, nullable
//!   (a `$ref` as `allOf: [$ref]`, since 3.0 ignores siblings of a `$ref`);
//! - `null` in an `enum` → `nullable: true`; an `enum` without `type` gets the
//!   type of its values;
//! - `const: v` → `enum: [v]`;
//! - a schema's `examples: [a, …]` → `example: a`;
//! - numeric `exclusiveMinimum`/`exclusiveMaximum` → the 3.0 boolean form.

use serde_json::{Map, Value, json};

/// Rewrites every schema below `value`.
pub fn to_openapi_30(value: &mut Value) -> Result<(), String> {
    match value {
        Value::Object(map) => {
            for child in map.values_mut() {
                to_openapi_30(child)?;
            }
            schema(map)
        }
        Value::Array(items) => items.iter_mut().try_for_each(to_openapi_30),
        _ => Ok(()),
    }
}

/// One object, if it is a 3.1 schema (its children are already converted).
fn schema(map: &mut Map<String, Value>) -> Result<(), String> {
    if let Some(Value::Array(types)) = map.get("type") {
        let others: Vec<&Value> = types
            .iter()
            .filter(|t| t.as_str() != Some("null"))
            .collect();
        let nullable = others.len() < types.len();
        let single = match others.as_slice() {
            [one] => (*one).clone(),
            [] => return Err("a schema whose only type is null".into()),
            many => return Err(format!("a schema with several types: {many:?}")),
        };
        map.insert("type".into(), single);
        if nullable {
            map.insert("nullable".into(), Value::Bool(true));
        }
    }
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(alternatives)) = map.get(key) else {
            continue;
        };
        let is_null = |s: &Value| s.get("type").and_then(Value::as_str) == Some("null");
        if !alternatives.iter().any(is_null) {
            continue;
        }
        let rest: Vec<Value> = alternatives
            .iter()
            .filter(|s| !is_null(s))
            .cloned()
            .collect();
        map.remove(key);
        map.insert("nullable".into(), Value::Bool(true));
        match rest.as_slice() {
            [one] if one.get("$ref").is_some() => {
                map.insert("allOf".into(), json!([one]));
            }
            [Value::Object(one)] => {
                for (k, v) in one {
                    map.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
            _ => {
                map.insert(key.into(), Value::Array(rest));
            }
        }
    }
    if let Some(Value::Array(values)) = map.get_mut("enum") {
        let before = values.len();
        values.retain(|v| !v.is_null());
        if values.len() < before {
            map.insert("nullable".into(), Value::Bool(true));
        }
    }
    if !map.contains_key("type")
        && let Some(Value::Array(values)) = map.get("enum")
    {
        let kind = if values.iter().all(Value::is_string) {
            Some("string")
        } else if values.iter().all(|v| v.is_i64() || v.is_u64()) {
            Some("integer")
        } else {
            None
        };
        if let Some(kind) = kind {
            map.insert("type".into(), Value::String(kind.into()));
        }
    }
    if let Some(value) = map.remove("const") {
        map.insert("enum".into(), json!([value]));
    }
    if let Some(Value::Array(examples)) = map.get("examples") {
        let first = examples.first().cloned();
        map.remove("examples");
        if let Some(first) = first {
            map.entry("example").or_insert(first);
        }
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(limit) = map.get(exclusive).filter(|v| v.is_number()).cloned() {
            map.insert(bound.into(), limit);
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn converted(mut value: Value) -> Value {
        to_openapi_30(&mut value).unwrap();
        value
    }

    #[test]
    fn nulls_become_nullable() {
        assert_eq!(
            converted(json!({"type": ["string", "null"], "maxLength": 50})),
            json!({"type": "string", "nullable": true, "maxLength": 50})
        );
        assert_eq!(
            converted(json!({"oneOf": [{"$ref": "#/x"}, {"type": "null"}]})),
            json!({"allOf": [{"$ref": "#/x"}], "nullable": true})
        );
        assert_eq!(
            converted(
                json!({"oneOf": [{"type": "object", "additionalProperties": {"$ref": "#/p"}}, {"type": "null"}]})
            ),
            json!({"type": "object", "additionalProperties": {"$ref": "#/p"}, "nullable": true})
        );
        assert_eq!(
            converted(json!({"enum": ["DE", "EN", null], "type": ["string", "null"]})),
            json!({"enum": ["DE", "EN"], "type": "string", "nullable": true})
        );
    }

    #[test]
    fn other_31_forms() {
        assert_eq!(
            converted(json!({"enum": ["direct", "text2speech"]})),
            json!({"enum": ["direct", "text2speech"], "type": "string"})
        );
        assert_eq!(converted(json!({"const": 5})), json!({"enum": [5]}));
        assert_eq!(
            converted(json!({"type": "string", "examples": ["a", "b"]})),
            json!({"type": "string", "example": "a"})
        );
        assert_eq!(
            converted(json!({"type": "integer", "exclusiveMinimum": 0})),
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
        );
        // A media type's `examples` is a map in 3.0 as well: left alone.
        let media = json!({"examples": {"one": {"value": 1}}});
        assert_eq!(converted(media.clone()), media);
        assert!(to_openapi_30(&mut json!({"type": ["string", "integer"]})).is_err());
    }
}
