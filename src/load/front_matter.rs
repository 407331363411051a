//! Front matter: the metadata block at the top of a Markdown file.
//!
//! Two forms, as in Zola and Hugo: YAML between `---` lines (the form of Agent Skills'
//! `SKILL.md`, <https://agentskills.io/specification>) and TOML between `+++` lines.
//! Real files are messy, so YAML is read leniently, the way Claude Code reads `SKILL.md`:
//! when the block does not parse, each `key: value` line whose value contains `: ` or
//! starts with a YAML indicator is quoted and the block is parsed again; when that fails too,
//! the page keeps its body with empty metadata and a warning gives the file and line.
//! A page is never dropped because of its front matter.

use serde_json::{Map, Value};

/// Which syntax a front-matter block was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `---` fenced YAML.
    Yaml,
    /// `+++` fenced TOML.
    Toml,
}

/// A source split into front matter and body.
#[derive(Debug, Clone, PartialEq)]
pub struct Split<'a> {
    /// The metadata as a JSON object (empty when there was none or it could not be parsed).
    pub data: Map<String, Value>,
    /// The Markdown after the closing fence (the whole text when there was no front matter).
    pub body: &'a str,
    /// 1-based line of `body`'s first line in the file, for diagnostics.
    pub body_line: usize,
    /// The syntax found, if any.
    pub format: Option<Format>,
    /// 1-based file line of each top-level key, for diagnostics.
    pub key_lines: std::collections::BTreeMap<String, usize>,
    /// Problems: `(line, message, recovered)`; `recovered` is true when the lenient retry
    /// parsed the block after all. `line` is 1-based within the file.
    pub problems: Vec<(usize, String, bool)>,
}

/// Splits `text` into front matter and body and parses the front matter. Never fails.
pub fn split(text: &str) -> Split<'_> {
    let none = Split {
        data: Map::new(),
        body: text,
        body_line: 1,
        format: None,
        key_lines: Default::default(),
        problems: Vec::new(),
    };
    let (fence, format) = if text.starts_with("---") {
        ("---", Format::Yaml)
    } else if text.starts_with("+++") {
        ("+++", Format::Toml)
    } else {
        return none;
    };
    // The opening fence must be alone on its line.
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != fence {
        return none;
    }
    // Find the closing fence line.
    let mut offset = first_end + 1;
    let mut line_no = 2;
    let mut close = None;
    while offset <= text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let line = text[offset..end].trim_end();
        if line == fence || (format == Format::Yaml && line == "...") {
            close = Some((offset, end));
            break;
        }
        if end == text.len() {
            break;
        }
        offset = end + 1;
        line_no += 1;
    }
    let Some((close_start, close_end)) = close else {
        return none;
    };
    let block = &text[(first_end + 1).min(close_start)..close_start];
    if format == Format::Yaml && !looks_like_yaml_mapping(block) {
        // `---` used as a thematic break at the top of a page: not front matter.
        return none;
    }
    let body_start = (close_end + 1).min(text.len());
    let mut out = Split {
        data: Map::new(),
        body: &text[body_start..],
        body_line: line_no + 1,
        format: Some(format),
        key_lines: key_lines(block, format),
        problems: Vec::new(),
    };
    match format {
        Format::Toml => match toml::from_str::<toml::Table>(block) {
            Ok(t) => out.data = toml_to_json(toml::Value::Table(t)),
            Err(e) => {
                let line = e
                    .span()
                    .map_or(0, |s| block[..s.start].matches('\n').count())
                    + 2;
                out.problems.push((
                    line,
                    format!("invalid TOML front matter: {}", e.message()),
                    false,
                ));
            }
        },
        Format::Yaml => parse_yaml(block, &mut out),
    }
    out
}

/// Top-level keys and their file lines (the block starts on line 2).
fn key_lines(block: &str, format: Format) -> std::collections::BTreeMap<String, usize> {
    let sep = if format == Format::Yaml { ':' } else { '=' };
    let mut out = std::collections::BTreeMap::new();
    for (i, line) in block.lines().enumerate() {
        if line.starts_with([' ', '\t', '-', '#', '[']) {
            continue;
        }
        if let Some((k, _)) = line.split_once(sep) {
            let k = k.trim().trim_matches(['"', '\'']);
            if !k.is_empty() {
                out.entry(k.to_string()).or_insert(i + 2);
            }
        }
    }
    out
}

/// True when the first meaningful line reads `key:` (so a `---` rule followed by prose and
/// another `---` is not mistaken for front matter and its text is kept).
fn looks_like_yaml_mapping(block: &str) -> bool {
    let Some(first) = block
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
    else {
        return true;
    };
    first.split_once(':').is_some_and(|(k, _)| {
        let k = k.trim_matches(['"', '\'']);
        !k.is_empty()
            && k.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
    })
}

fn parse_yaml(block: &str, out: &mut Split<'_>) {
    if block.trim().is_empty() {
        return;
    }
    match yaml_map(block) {
        Ok(map) => out.data = map,
        Err((line, msg)) => {
            let file_line = line + 1; // block starts on line 2
            match yaml_map(&quote_plain_values(block)) {
                Ok(map) => {
                    out.data = map;
                    out.problems.push((file_line, msg, true));
                }
                Err(_) => out.problems.push((file_line, msg, false)),
            }
        }
    }
}

/// Parses a YAML mapping; `Err((line within block, message))`.
fn yaml_map(block: &str) -> Result<Map<String, Value>, (usize, String)> {
    match serde_saphyr::from_str::<Value>(block) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(Value::Null) => Ok(Map::new()),
        Ok(other) => Err((
            1,
            format!(
                "front matter must be a mapping of keys to values, found {}",
                kind(&other)
            ),
        )),
        Err(e) => {
            let line = e.location().map_or(1, |l| l.line() as usize);
            let msg = e.to_string();
            let first = msg
                .lines()
                .next()
                .unwrap_or("invalid YAML")
                .trim()
                .to_string();
            Err((line.max(1), format!("invalid YAML front matter: {first}")))
        }
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Array(_) => "a list",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        _ => "something else",
    }
}

/// The lenient retry: quotes top-level plain scalars that YAML would misread, e.g.
/// `description: Use when: you need X` → `description: 'Use when: you need X'`.
fn quote_plain_values(block: &str) -> String {
    let mut out = String::with_capacity(block.len() + 32);
    for line in block.lines() {
        let quoted = (|| {
            if line.starts_with([' ', '\t', '#', '-']) {
                return None;
            }
            let (key, value) = line.split_once(':')?;
            let value = value.trim();
            if key.trim().is_empty() || key.contains(' ') && !key.starts_with(['"', '\'']) {
                return None;
            }
            if value.is_empty() || value.starts_with(['|', '>', '"', '\'', '[', '{', '&', '*']) {
                return None;
            }
            let needs = value.contains(": ")
                || value.contains(" #")
                || value.starts_with(['@', '`', '%', '!', ',', '?', ':']);
            needs.then(|| format!("{key}: '{}'", value.replace('\'', "''")))
        })();
        out.push_str(quoted.as_deref().unwrap_or(line));
        out.push('\n');
    }
    out
}

/// Converts TOML to the JSON model used for all metadata (dates become strings).
pub fn toml_to_json(v: toml::Value) -> Map<String, Value> {
    match convert(v) {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

fn convert(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(convert).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, convert(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_block_scalar_description() {
        let s = split("---\nname: x\ndescription: >-\n  Use when\n  things.\n---\n# Body\n");
        assert_eq!(s.data["description"], "Use when things.");
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_line, 7);
        assert!(s.problems.is_empty());
    }

    #[test]
    fn unquoted_colon_is_recovered_with_a_warning() {
        let s = split("---\nname: x\ndescription: Use when: you need it\n---\nbody");
        assert_eq!(s.data["description"], "Use when: you need it");
        assert_eq!(s.problems.len(), 1);
        assert!(s.problems[0].2, "recovered");
        assert_eq!(s.body, "body");
    }

    #[test]
    fn hopeless_yaml_keeps_body() {
        let s = split("---\nname: [unclosed\n  - : :\n---\nstill here\n");
        assert!(s.data.is_empty());
        assert_eq!(s.body, "still here\n");
        assert_eq!(s.problems.len(), 1);
        assert!(!s.problems[0].2);
        assert!(s.problems[0].0 >= 2);
    }

    #[test]
    fn toml_front_matter() {
        let s = split("+++\ntitle = \"T\"\nweight = 3\n+++\nbody");
        assert_eq!(s.format, Some(Format::Toml));
        assert_eq!(s.data["title"], "T");
        assert_eq!(s.data["weight"], 3);
    }

    #[test]
    fn a_rule_is_not_front_matter() {
        let s = split("---\n\nno closing fence here\n");
        assert!(s.format.is_none());
        let s = split("----- title\n");
        assert!(s.format.is_none());
        let s = split("---\nJust prose.\n---\nMore\n");
        assert!(s.format.is_none());
        assert!(s.body.contains("Just prose."));
    }
}
