//! The typed reading of the catalog keys of front matter (a SKILL.md's or any page's) and of
//! skill manifests (`skill.json`): one list of keys and aliases, used by the catalog
//! (`transform::catalog`), and through it by the skill and pack pages, `catalog.json`, the
//! agent files and the search index, so that every view of a skill reads the same fields.
//!
//! Each key is looked up at the top level first, then under `metadata:` (where the Agent
//! Skills specification puts fields it does not define, <https://agentskills.io/specification>).

use serde_json::{Map, Value};

/// The skill's types: `type: technique` (this project's seeds), `types:` and `skill-type`
/// (other packs). A value may name several: `technique/reference`, `a and b`, `a, b`.
pub const TYPE_KEYS: &[&str] = &["type", "types", "skill-type", "skill_type"];
/// The skill's level (`beginner`, `core`, …): the first value only.
pub const LEVEL_KEYS: &[&str] = &["level", "skill-level", "skill_level"];
/// Free tags: `tags:` or npm-style `keywords:`.
pub const TAG_KEYS: &[&str] = &["tags", "keywords"];
/// Names of skills this one needs.
pub const DEPENDS_KEYS: &[&str] = &["depends-on", "depends_on", "requires"];
/// Names of skills worth reading alongside.
pub const RELATED_KEYS: &[&str] = &["related"];

/// The catalog fields of one front matter or manifest. Empty lists and `None` when absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatalogFields {
    /// [`TYPE_KEYS`], each value split by [`split_types`].
    pub types: Vec<String>,
    /// [`LEVEL_KEYS`], the first value.
    pub level: Option<String>,
    /// [`TAG_KEYS`].
    pub tags: Vec<String>,
    /// [`DEPENDS_KEYS`].
    pub depends_on: Vec<String>,
    /// [`RELATED_KEYS`].
    pub related: Vec<String>,
}

impl CatalogFields {
    /// Reads the fields of `map` (front matter as JSON, or a manifest object).
    pub fn read(map: &Map<String, Value>) -> CatalogFields {
        CatalogFields {
            types: get(map, TYPE_KEYS)
                .map(|v| list(v).iter().flat_map(|t| split_types(t)).collect())
                .unwrap_or_default(),
            level: get(map, LEVEL_KEYS).and_then(|v| list(v).into_iter().next()),
            tags: get(map, TAG_KEYS).map(list).unwrap_or_default(),
            depends_on: get(map, DEPENDS_KEYS).map(list).unwrap_or_default(),
            related: get(map, RELATED_KEYS).map(list).unwrap_or_default(),
        }
    }
}

/// The value of the first of `keys` present at the top level of `map`, else under its
/// `metadata` object.
pub fn get<'a>(map: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a Value> {
    let meta = map.get("metadata").and_then(Value::as_object);
    keys.iter()
        .find_map(|k| map.get(*k))
        .or_else(|| meta.and_then(|m| keys.iter().find_map(|k| m.get(*k))))
}

/// A string or list value as a list of strings (`"a, b"` → `[a, b]`; `"a b"` stays one item;
/// numbers as text; other values and empty items dropped).
pub fn list(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => s
            .split(',')
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
            .collect(),
        Value::Array(a) => a
            .iter()
            .filter_map(|x| match x {
                Value::String(s) => Some(s.trim().to_string()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .filter(|x| !x.is_empty())
            .collect(),
        Value::Number(n) => vec![n.to_string()],
        _ => Vec::new(),
    }
}

/// Splits one type value: `technique/reference`, `a and b`, `a, b`, `a + b`, with Markdown
/// emphasis stars removed (`**technique**`, as the seeds' plan tables write them).
pub fn split_types(v: &str) -> Vec<String> {
    v.replace(" and ", "/")
        .split(['/', ',', '+'])
        .map(|t| t.trim().trim_matches('*').trim())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(v: Value) -> CatalogFields {
        CatalogFields::read(v.as_object().unwrap())
    }

    #[test]
    fn aliases_and_metadata() {
        let f = read(json!({
            "skill-type": "technique and **reference**",
            "metadata": {"level": ["core", "extra"], "keywords": "a, b", "requires": ["x"]},
            "related": "y",
        }));
        assert_eq!(f.types, ["technique", "reference"]);
        assert_eq!(f.level.as_deref(), Some("core"));
        assert_eq!(f.tags, ["a", "b"]);
        assert_eq!(f.depends_on, ["x"]);
        assert_eq!(f.related, ["y"]);
        // The top level wins over metadata.
        let f = read(json!({"tags": ["top"], "metadata": {"tags": ["meta"]}}));
        assert_eq!(f.tags, ["top"]);
        assert_eq!(read(json!({})), CatalogFields::default());
    }

    #[test]
    fn lists() {
        assert_eq!(list(&json!("a b, c")), ["a b", "c"]);
        assert_eq!(list(&json!([" a ", 2, null, ""])), ["a", "2"]);
        assert!(list(&json!({"a": 1})).is_empty());
    }
}
