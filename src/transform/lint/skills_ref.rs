//! `skillsite check --profile skills-ref`: the Agent Skills reference validator
//! (`skills-ref validate DIR`, the Python package `skills-ref` 0.1.1 on PyPI, from
//! agentskills/agentskills), reproduced rule for rule and message for message.
//!
//! It reads each skill's `SKILL.md` (or `skill.md`) bytes itself, not through the site's
//! lenient front-matter reader, and does what `skills_ref.validator.validate` does:
//!
//! 1. the file is read as UTF-8 with universal newlines (`\r\n` and `\r` become `\n`); a BOM
//!    is kept, so a file starting with one fails the next step;
//! 2. it must start with `---` at byte 0 (a blank line first fails), and the front matter is
//!    the text up to the next `---` *anywhere* (Python's `content.split("---", 2)`);
//! 3. the front matter is read as strictyaml reads it ([`super::strict_yaml`]): every value a
//!    string; flow style, anchors, tags, duplicate keys and tabs are invalid YAML; it must be
//!    a mapping (empty front matter is not);
//! 4. only `name`, `description`, `license`, `compatibility`, `metadata` and `allowed-tools`
//!    may appear at the top level;
//! 5. `name`: a non-empty string; after NFKC, at most 64 characters, lowercase, no leading,
//!    trailing or double hyphen, only Unicode letters and digits (General_Category L or N,
//!    Python's `str.isalnum`) and hyphens, and equal to the folder's name (also NFKC);
//! 6. `description`: a non-empty string of at most 1024 characters; `compatibility`: a string
//!    of at most 500 characters.
//!
//! Every failed check is one message, in the validator's words and order; a skill is valid
//! when there is none. Differences: a file that is not UTF-8 is reported (the validator
//! stops with a traceback); YAML error texts are ours after the validator's
//! `Invalid YAML in frontmatter: ` prefix. The differential test (`tests/skills_ref.rs`) runs
//! the real validator on the same cases.

use std::path::{Path, PathBuf};

use super::strict_yaml::{self, Yaml};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::util::path::clean;

/// Longest name, in characters after NFKC (`MAX_SKILL_NAME_LENGTH`).
pub const MAX_NAME: usize = 64;
/// Longest description, in characters (`MAX_DESCRIPTION_LENGTH`).
pub const MAX_DESCRIPTION: usize = 1024;
/// Longest compatibility text, in characters (`MAX_COMPATIBILITY_LENGTH`).
pub const MAX_COMPATIBILITY: usize = 500;
/// The top-level keys the validator allows (`ALLOWED_FIELDS`), sorted as its message lists them.
pub const ALLOWED_FIELDS: &[&str] = &[
    "allowed-tools",
    "compatibility",
    "description",
    "license",
    "metadata",
    "name",
];

/// One failed check: the rule id skillsite files it under, the 1-based line in SKILL.md
/// (1 when the check is about the whole file) and the validator's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// `front-matter`, `unknown-front-matter-key`, `skill-name-missing`, `skill-name`,
    /// `skill-name-folder`, `skill-description` or `skill-compatibility`.
    pub rule: &'static str,
    /// 1-based line.
    pub line: usize,
    /// The validator's message.
    pub message: String,
}

fn finding(rule: &'static str, line: usize, message: impl Into<String>) -> Finding {
    Finding {
        rule,
        line,
        message: message.into(),
    }
}

/// The skill file of `dir`: `SKILL.md`, else `skill.md` (`find_skill_md`).
pub fn skill_file(dir: &Path) -> Option<PathBuf> {
    ["SKILL.md", "skill.md"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.exists())
}

/// Validates the skill folder `dir` as `skills-ref validate DIR` does; empty when valid.
pub fn validate_dir(dir: &Path) -> (Option<PathBuf>, Vec<Finding>) {
    if !dir.is_dir() {
        let m = if dir.exists() {
            format!("Not a directory: {}", dir.display())
        } else {
            format!("Path does not exist: {}", dir.display())
        };
        return (None, vec![finding("front-matter", 1, m)]);
    }
    let Some(file) = skill_file(dir) else {
        return (
            None,
            vec![finding(
                "front-matter",
                1,
                "Missing required file: SKILL.md",
            )],
        );
    };
    let folder = folder_name(dir);
    let findings = match std::fs::read(&file) {
        Ok(bytes) => validate_bytes(&bytes, &folder),
        Err(e) => vec![finding(
            "front-matter",
            1,
            format!("cannot read {}: {e}", file.display()),
        )],
    };
    (Some(file), findings)
}

/// The folder's own name (of its absolute form when `dir` is `.` or ends in `..`).
fn folder_name(dir: &Path) -> String {
    let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    name(dir)
        .filter(|n| n != "..")
        .or_else(|| std::fs::canonicalize(dir).ok().as_deref().and_then(name))
        .unwrap_or_default()
}

/// Validates the bytes of a SKILL.md in a folder named `folder`.
pub fn validate_bytes(bytes: &[u8], folder: &str) -> Vec<Finding> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return vec![finding(
            "front-matter",
            1,
            "SKILL.md is not valid UTF-8 (the reference validator stops on it)",
        )];
    };
    let content = text.replace("\r\n", "\n").replace('\r', "\n");
    let Some(after) = content.strip_prefix("---") else {
        return vec![finding(
            "front-matter",
            1,
            "SKILL.md must start with YAML frontmatter (---)",
        )];
    };
    let Some(end) = after.find("---") else {
        return vec![finding(
            "front-matter",
            1,
            "SKILL.md frontmatter not properly closed with ---",
        )];
    };
    let front = &after[..end];
    let map = match strict_yaml::parse(front) {
        Ok(Yaml::Map(m)) => m,
        Ok(_) => {
            return vec![finding(
                "front-matter",
                1,
                "SKILL.md frontmatter must be a YAML mapping",
            )]
        }
        Err(e) => {
            return vec![finding(
                "front-matter",
                e.line,
                format!("Invalid YAML in frontmatter: {e}"),
            )]
        }
    };
    validate_metadata(&map, Some(folder))
}

/// The checks on a parsed front matter (`validate_metadata`), in the validator's order.
pub fn validate_metadata(map: &[(String, usize, Yaml)], folder: Option<&str>) -> Vec<Finding> {
    let mut out = Vec::new();
    let get = |k: &str| map.iter().find(|(key, _, _)| key == k);
    let mut extra: Vec<&(String, usize, Yaml)> = map
        .iter()
        .filter(|(k, _, _)| !ALLOWED_FIELDS.contains(&k.as_str()))
        .collect();
    if !extra.is_empty() {
        let line = extra.iter().map(|e| e.1).min().unwrap_or(1);
        extra.sort_by(|a, b| a.0.cmp(&b.0));
        let names: Vec<&str> = extra.iter().map(|e| e.0.as_str()).collect();
        let allowed: Vec<String> = ALLOWED_FIELDS.iter().map(|f| format!("'{f}'")).collect();
        out.push(finding(
            "unknown-front-matter-key",
            line,
            format!(
                "Unexpected fields in frontmatter: {}. Only [{}] are allowed.",
                names.join(", "),
                allowed.join(", ")
            ),
        ));
    }
    match get("name") {
        None => out.push(finding(
            "skill-name-missing",
            1,
            "Missing required field in frontmatter: name",
        )),
        Some((_, line, value)) => match value {
            Yaml::Str(s) if !py_strip(s).is_empty() => {
                for (rule, m) in name_problems(s, folder) {
                    out.push(finding(rule, *line, m));
                }
            }
            _ => out.push(finding(
                "skill-name-missing",
                *line,
                "Field 'name' must be a non-empty string",
            )),
        },
    }
    match get("description") {
        None => out.push(finding(
            "skill-description",
            1,
            "Missing required field in frontmatter: description",
        )),
        Some((_, line, value)) => match value {
            Yaml::Str(s) if !py_strip(s).is_empty() => {
                let n = s.chars().count();
                if n > MAX_DESCRIPTION {
                    out.push(finding(
                        "skill-description",
                        *line,
                        format!(
                            "Description exceeds {MAX_DESCRIPTION} character limit ({n} chars)"
                        ),
                    ));
                }
            }
            _ => out.push(finding(
                "skill-description",
                *line,
                "Field 'description' must be a non-empty string",
            )),
        },
    }
    if let Some((_, line, value)) = get("compatibility") {
        match value {
            Yaml::Str(s) => {
                let n = s.chars().count();
                if n > MAX_COMPATIBILITY {
                    out.push(finding(
                        "skill-compatibility",
                        *line,
                        format!(
                            "Compatibility exceeds {MAX_COMPATIBILITY} character limit ({n} chars)"
                        ),
                    ));
                }
            }
            _ => out.push(finding(
                "skill-compatibility",
                *line,
                "Field 'compatibility' must be a string",
            )),
        }
    }
    out
}

/// The problems of a (non-empty) `name`, as `_validate_name` words them, each with its rule
/// id; with `folder`, also the folder-name check. Empty when the name is valid.
pub fn name_problems(name: &str, folder: Option<&str>) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let name = nfkc(py_strip(name));
    let n = name.chars().count();
    if n > MAX_NAME {
        out.push((
            "skill-name",
            format!("Skill name '{name}' exceeds {MAX_NAME} character limit ({n} chars)"),
        ));
    }
    if name != name.to_lowercase() {
        out.push((
            "skill-name",
            format!("Skill name '{name}' must be lowercase"),
        ));
    }
    if name.starts_with('-') || name.ends_with('-') {
        out.push((
            "skill-name",
            "Skill name cannot start or end with a hyphen".to_string(),
        ));
    }
    if name.contains("--") {
        out.push((
            "skill-name",
            "Skill name cannot contain consecutive hyphens".to_string(),
        ));
    }
    if !name.chars().all(|c| c == '-' || is_alnum(c)) {
        out.push((
            "skill-name",
            format!(
                "Skill name '{name}' contains invalid characters. Only letters, digits, and hyphens are allowed."
            ),
        ));
    }
    if let Some(folder) = folder {
        if nfkc(folder) != name {
            out.push((
                "skill-name-folder",
                format!("Directory name '{folder}' must match skill name '{name}'"),
            ));
        }
    }
    out
}

/// Python's `str.isalnum` for one character: General_Category L* or N* (the same set in
/// Unicode 14, Python 3.11's version; checked over every code point).
pub fn is_alnum(c: char) -> bool {
    use icu_properties::props::{GeneralCategory, GeneralCategoryGroup};
    let gc = icu_properties::CodePointMapData::<GeneralCategory>::new().get(c);
    GeneralCategoryGroup::Letter.contains(gc) || GeneralCategoryGroup::Number.contains(gc)
}

/// Unicode NFKC (Python's `unicodedata.normalize("NFKC", s)`).
pub fn nfkc(s: &str) -> String {
    icu_normalizer::ComposingNormalizerBorrowed::new_nfkc()
        .normalize(s)
        .into_owned()
}

/// Python's `str.strip()`: White_Space and the separators U+001C–U+001F.
pub fn py_strip(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
}

/// The skill folders under `root` in path order: `root` itself when it holds a SKILL.md (or
/// skill.md), and every folder below it that does, hidden ones included (skills live in
/// `.claude/skills` and the like). Not entered: what `.gitignore` (and `.git/info/exclude`,
/// `.ignore`) ignores, `.git`, `node_modules`, and the folders in `skip` (the build folder,
/// whose copies of SKILL.md are not skills). Symbolic links are not followed. When there is
/// none, `[root]`, so that `root` is reported as the validator reports a folder without
/// SKILL.md.
pub fn skill_dirs(root: &Path, skip: &[PathBuf]) -> Vec<PathBuf> {
    let skip: Vec<PathBuf> = skip
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    let mut out: Vec<PathBuf> = ignore::WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(move |e| {
            let name = e.file_name().to_string_lossy();
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            !(e.depth() > 0 && is_dir && (name == ".git" || name == "node_modules"))
                && !(is_dir && std::fs::canonicalize(e.path()).is_ok_and(|p| skip.contains(&p)))
        })
        .build()
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_dir()) && skill_file(e.path()).is_some())
        .map(|e| e.into_path())
        .collect();
    if out.is_empty() {
        out.push(root.to_path_buf());
    }
    out
}

/// The outcome for one skill folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillReport {
    /// The folder, as found under the root given.
    pub dir: PathBuf,
    /// Its diagnostics (errors), empty when valid.
    pub diagnostics: Vec<Diagnostic>,
}

/// Validates every skill folder of `root` ([`skill_dirs`]) and pushes each failed check to
/// `diags` as an error at `SKILL.md:line` with its rule id; returns one report per skill.
pub fn check(root: &Path, skip: &[PathBuf], diags: &Diagnostics) -> Vec<SkillReport> {
    skill_dirs(root, skip)
        .into_iter()
        .map(|dir| {
            let (file, findings) = validate_dir(&dir);
            let at = clean(&file.unwrap_or_else(|| dir.clone()));
            let diagnostics: Vec<Diagnostic> = findings
                .into_iter()
                .map(|f| {
                    Diagnostic::error(f.rule, f.message)
                        .at(&at)
                        .line(f.line)
                        .hint(hint(f.rule))
                })
                .collect();
            for d in &diagnostics {
                diags.push(d.clone());
            }
            SkillReport {
                dir: clean(&dir),
                diagnostics,
            }
        })
        .collect()
}

fn hint(rule: &str) -> &'static str {
    match rule {
        "front-matter" => "start the file with `---` at its first byte (no BOM, no blank line), give a YAML mapping and close it with `---`; quote values that hold `: `, `#`, `[` or `{`",
        "unknown-front-matter-key" => "move client-specific keys under `metadata:` (a map of strings)",
        "skill-name-missing" => "add `name:` equal to the folder's name",
        "skill-name" => "names are 1-64 lowercase letters, digits and single hyphens",
        "skill-name-folder" => "rename the folder or the skill so that they match",
        "skill-description" => "say what the skill does and when to use it, in at most 1024 characters",
        _ => "keep `compatibility` a string of at most 500 characters",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(text: &str, folder: &str) -> Option<String> {
        validate_bytes(text.as_bytes(), folder)
            .into_iter()
            .next()
            .map(|f| f.message)
    }

    #[test]
    fn valid_skill_and_the_file_rules() {
        assert_eq!(
            first("---\nname: a\ndescription: d\n---\nbody\n", "a"),
            None
        );
        assert_eq!(
            first("---\r\nname: a\r\ndescription: d\r\n---\r\n", "a"),
            None
        );
        assert_eq!(
            first("\u{feff}---\nname: a\ndescription: d\n---\n", "a").as_deref(),
            Some("SKILL.md must start with YAML frontmatter (---)")
        );
        assert_eq!(
            first("\n---\nname: a\ndescription: d\n---\n", "a").as_deref(),
            Some("SKILL.md must start with YAML frontmatter (---)")
        );
        assert_eq!(
            first("---\nname: a\n", "a").as_deref(),
            Some("SKILL.md frontmatter not properly closed with ---")
        );
        assert_eq!(
            first("---\n---\n", "a").as_deref(),
            Some("SKILL.md frontmatter must be a YAML mapping")
        );
        // The split is on the next `---` anywhere, as Python's str.split does.
        assert_eq!(first("---\nname: a\ndescription: x---y\n---\n", "a"), None);
        assert!(first("---\nname: a\ndescription: [x]\n---\n", "a")
            .unwrap()
            .starts_with("Invalid YAML in frontmatter: "));
        assert!(validate_bytes(b"---\nname: \xff\n---\n", "a")[0]
            .message
            .contains("UTF-8"));
    }

    #[test]
    fn field_rules_in_the_validators_order_and_words() {
        let all = validate_bytes(b"---\nname: Bad--Name-\ntype: x\nauthor: y\n---\n", "bad");
        let messages: Vec<&str> = all.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "Unexpected fields in frontmatter: author, type. Only ['allowed-tools', 'compatibility', 'description', 'license', 'metadata', 'name'] are allowed.",
                "Skill name 'Bad--Name-' must be lowercase",
                "Skill name cannot start or end with a hyphen",
                "Skill name cannot contain consecutive hyphens",
                "Directory name 'bad' must match skill name 'Bad--Name-'",
                "Missing required field in frontmatter: description",
            ]
        );
        assert_eq!(all[0].line, 3);
        assert_eq!(all[1].line, 2);
        assert_eq!(
            first("---\ndescription: d\n---\n", "a").as_deref(),
            Some("Missing required field in frontmatter: name")
        );
        assert_eq!(
            first("---\nname: ''\ndescription: d\n---\n", "a").as_deref(),
            Some("Field 'name' must be a non-empty string")
        );
        assert_eq!(
            first("---\nname:\n  - a\ndescription: d\n---\n", "a").as_deref(),
            Some("Field 'name' must be a non-empty string")
        );
        let long = "a".repeat(65);
        assert_eq!(
            first(&format!("---\nname: {long}\ndescription: d\n---\n"), &long).as_deref(),
            Some("Skill name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' exceeds 64 character limit (65 chars)")
        );
        let d = "x".repeat(1025);
        assert_eq!(
            first(&format!("---\nname: a\ndescription: {d}\n---\n"), "a").as_deref(),
            Some("Description exceeds 1024 character limit (1025 chars)")
        );
        let c = "x".repeat(501);
        assert_eq!(
            first(
                &format!("---\nname: a\ndescription: d\ncompatibility: {c}\n---\n"),
                "a"
            )
            .as_deref(),
            Some("Compatibility exceeds 500 character limit (501 chars)")
        );
        assert_eq!(
            first(
                "---\nname: a\ndescription: d\ncompatibility:\n  - x\n---\n",
                "a"
            )
            .as_deref(),
            Some("Field 'compatibility' must be a string")
        );
    }

    #[test]
    fn names_are_unicode_after_nfkc() {
        assert!(name_problems("ﬁle", Some("file")).is_empty()); // U+FB01 → "fi"
        assert!(name_problems("навык", Some("навык")).is_empty());
        assert!(name_problems("技能", Some("技能")).is_empty());
        assert!(name_problems("café", Some("cafe\u{301}")).is_empty());
        assert_eq!(
            name_problems("Навык", None)[0].1,
            "Skill name 'Навык' must be lowercase"
        );
        assert_eq!(name_problems("snake_case", None).len(), 1);
        assert_eq!(name_problems("a b", None).len(), 1);
        assert!(!is_alnum('\u{301}'));
        assert!(is_alnum('٣') && is_alnum('Ⅻ'));
    }

    #[test]
    fn skill_dirs_skip_the_build_folder_and_report_an_empty_root() {
        let t = tempfile::tempdir().unwrap();
        for d in [
            "a",
            ".claude/skills/b",
            "book/a",
            "node_modules/c",
            "ignored/d",
        ] {
            std::fs::create_dir_all(t.path().join(d)).unwrap();
            std::fs::write(t.path().join(d).join("SKILL.md"), "---\n---\n").unwrap();
        }
        std::fs::write(t.path().join(".gitignore"), "ignored/\n").unwrap();
        let dirs = skill_dirs(t.path(), &[t.path().join("book")]);
        let rel: Vec<String> = dirs
            .iter()
            .map(|d| crate::util::path::rel_path(t.path(), d))
            .collect();
        assert_eq!(rel, [".claude/skills/b", "a"]);
        let empty = tempfile::tempdir().unwrap();
        assert_eq!(skill_dirs(empty.path(), &[]), [empty.path().to_path_buf()]);
        assert_eq!(
            validate_dir(empty.path()).1[0].message,
            "Missing required file: SKILL.md"
        );
    }
}
