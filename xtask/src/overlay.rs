//! OpenAPI Overlay 1.0: an ordered list of actions, each naming its targets
//! with an RFC 9535 JSONPath and either merging an `update` into them or
//! removing them. Every action of ours must say why (`description`).

use std::{fs, path::Path};

use serde::Deserialize;
use serde_json::Value;
use serde_json_path::JsonPath;

#[derive(Debug, Deserialize)]
pub struct Overlay {
    pub overlay: String,
    pub actions: Vec<Action>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Action {
    pub target: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub update: Option<Value>,
    #[serde(default)]
    pub remove: bool,
}

/// What one action did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// How many nodes the target selected.
    pub matched: usize,
    /// Whether the document changed.
    pub changed: bool,
}

impl Overlay {
    pub fn load(path: &Path) -> Result<Self, String> {
        let text =
            fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let overlay: Self = yaml_serde::from_str(&text)
            .map_err(|e| format!("{} is not an overlay: {e}", path.display()))?;
        if !overlay.overlay.starts_with("1.0") {
            return Err(format!(
                "{}: overlay version {} (this tool applies 1.0)",
                path.display(),
                overlay.overlay
            ));
        }
        for (i, action) in overlay.actions.iter().enumerate() {
            if action
                .description
                .as_deref()
                .is_none_or(|d| d.trim().is_empty())
            {
                return Err(format!(
                    "{}: action {i} ({}) has no description: say why",
                    path.display(),
                    action.target
                ));
            }
            if action.remove == action.update.is_some() {
                return Err(format!(
                    "{}: action {i} ({}) must either update or remove",
                    path.display(),
                    action.target
                ));
            }
        }
        Ok(overlay)
    }

    /// Applies every action in order, and says what each did.
    pub fn apply(&self, doc: &mut Value) -> Result<Vec<Applied>, String> {
        self.actions
            .iter()
            .map(|action| action.apply(doc))
            .collect()
    }
}

impl Action {
    pub fn apply(&self, doc: &mut Value) -> Result<Applied, String> {
        let path = JsonPath::parse(&self.target)
            .map_err(|e| format!("{} is not a JSONPath: {e}", self.target))?;
        let pointers: Vec<String> = path
            .query_located(doc)
            .iter()
            .map(|node| node.location().to_json_pointer())
            .collect();
        let before = doc.clone();
        if self.remove {
            remove_all(doc, &pointers);
        } else if let Some(update) = &self.update {
            for pointer in &pointers {
                if let Some(node) = doc.pointer_mut(pointer) {
                    merge(node, update);
                }
            }
        }
        Ok(Applied {
            matched: pointers.len(),
            changed: *doc != before,
        })
    }
}

/// Overlay 1.0's update: an object's properties are merged into the target
/// object, recursively (a property whose value is not an object, an array
/// included, replaces the target's); a targeted array gets the update's
/// items appended; any other value replaces the target.
pub fn merge(target: &mut Value, update: &Value) {
    match (target, update) {
        (Value::Object(target), Value::Object(update)) => {
            for (key, value) in update {
                match target.get_mut(key) {
                    Some(existing) if existing.is_object() && value.is_object() => {
                        merge(existing, value)
                    }
                    _ => {
                        target.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (Value::Array(target), Value::Array(update)) => target.extend(update.iter().cloned()),
        (Value::Array(target), update) => target.push(update.clone()),
        (target, update) => *target = update.clone(),
    }
}

/// Removes the nodes at `pointers`; array items from the last, so that the
/// indexes of the others stay right.
fn remove_all(doc: &mut Value, pointers: &[String]) {
    let mut targets: Vec<(String, String)> = pointers
        .iter()
        .filter_map(|p| {
            let (parent, key) = p.rsplit_once('/')?;
            Some((parent.to_owned(), key.replace("~1", "/").replace("~0", "~")))
        })
        .collect();
    targets.sort_by(|a, b| {
        let index = |key: &str| key.parse::<usize>().ok();
        a.0.cmp(&b.0).then(index(&b.1).cmp(&index(&a.1)))
    });
    for (parent, key) in targets {
        match doc.pointer_mut(&parent) {
            Some(Value::Object(map)) => {
                map.remove(&key);
            }
            Some(Value::Array(items)) => {
                if let Some(i) = key.parse::<usize>().ok().filter(|&i| i < items.len()) {
                    items.remove(i);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn action(target: &str, update: Option<Value>, remove: bool) -> Action {
        Action {
            target: target.into(),
            description: Some("test".into()),
            update,
            remove,
        }
    }

    #[test]
    fn updates_merge_objects_and_append_to_arrays() {
        let mut doc = json!({"a": {"b": 1, "c": {"d": 1}}, "list": [1]});
        let applied = action("$.a", Some(json!({"b": 2, "c": {"e": 3}})), false)
            .apply(&mut doc)
            .unwrap();
        assert_eq!(
            applied,
            Applied {
                matched: 1,
                changed: true
            }
        );
        assert_eq!(doc["a"], json!({"b": 2, "c": {"d": 1, "e": 3}}));
        action("$.list", Some(json!([2, 3])), false)
            .apply(&mut doc)
            .unwrap();
        assert_eq!(doc["list"], json!([1, 2, 3]));
        let again = action("$.a", Some(json!({"b": 2})), false)
            .apply(&mut doc)
            .unwrap();
        assert_eq!(
            again,
            Applied {
                matched: 1,
                changed: false
            },
            "a no-op is told"
        );
    }

    #[test]
    fn removals_keep_the_other_indexes_right() {
        let mut doc = json!({"p": [{"n": "x"}, {"n": "y"}, {"n": "x"}, {"n": "z"}]});
        let applied = action("$.p[?@.n == 'x']", None, true)
            .apply(&mut doc)
            .unwrap();
        assert_eq!(applied.matched, 2);
        assert_eq!(doc, json!({"p": [{"n": "y"}, {"n": "z"}]}));
        let mut doc = json!({"m": {"a/b": 1, "c": 2}});
        action("$.m['a/b']", None, true).apply(&mut doc).unwrap();
        assert_eq!(doc, json!({"m": {"c": 2}}));
    }
}
