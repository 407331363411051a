//! Lint levels: every rule id skillsite reports about *content* (as opposed to its own
//! configuration, I/O or templates), its default severity in `build` and in `check`, where the
//! rule comes from, and how `[skillsite.lints]` in book.toml changes it.
//!
//! Levels work as in clippy and ruff: `RULE = "allow"` silences a rule, `"warn"` makes it a
//! warning, `"deny"` makes it an error, in every command. Without a level a rule has the
//! default of [`RULES`] for the command: spec findings in content (a skill's name,
//! description, compatibility; hidden text) are warnings in `build` and `serve`, so a catalog
//! of third-party packs still publishes, and errors in `check`. `--strict` then promotes every
//! warning (never a note) to an error; that is done by the CLI, after the levels.
//!
//! The levels are applied in one place, the diagnostics sink
//! ([`crate::diagnostics::Diagnostics::set_levels`]), from the map [`severities`] computes; a
//! stage pushes a diagnostic with its `build` severity and never looks at the levels.

use std::collections::{BTreeMap, HashMap};

use crate::diagnostics::Severity;

/// A level given in `[skillsite.lints]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// `"allow"`: the rule is not reported.
    Allow,
    /// `"warn"`: reported as a warning (fails only with `--strict`).
    Warn,
    /// `"deny"`: reported as an error (the command exits 1).
    Deny,
}

impl Level {
    /// Reads `"allow"`, `"warn"` or `"deny"`.
    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "allow" => Some(Level::Allow),
            "warn" => Some(Level::Warn),
            "deny" => Some(Level::Deny),
            _ => None,
        }
    }
}

/// Which command runs, for the default severities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// `build` and `serve`: publish what can be published.
    #[default]
    Build,
    /// `check`: report every spec finding as an error.
    Check,
}

/// Where a rule comes from (docs/lints.md groups them so).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The Agent Skills specification (<https://agentskills.io/specification>).
    AgentSkills,
    /// Claude Code's skill and plugin documentation.
    ClaudeCode,
    /// skillsite's catalog and page rules.
    Skillsite,
    /// skillsite's security audit (docs/security.md).
    Audit,
}

/// One content rule: its id, default severity per command, origin and a one-line summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The rule id diagnostics carry, e.g. `skill-name`.
    pub id: &'static str,
    /// Default severity in `build` and `serve` (and the one a stage pushes).
    pub build: Severity,
    /// Default severity in `check`.
    pub check: Severity,
    /// Where the rule comes from.
    pub origin: Origin,
    /// What it reports.
    pub summary: &'static str,
}

const fn rule(
    id: &'static str,
    build: Severity,
    check: Severity,
    origin: Origin,
    summary: &'static str,
) -> Rule {
    Rule {
        id,
        build,
        check,
        origin,
        summary,
    }
}

use Origin::{AgentSkills, Audit, ClaudeCode, Skillsite};
use Severity::{Error, Note, Warning};

/// Every rule skillsite reports about content, in docs/lints.md's order. Rules about the
/// configuration (`config-*`), the file system (`io`, `write`, `destination`), the theme
/// (`template`) and the server are not here: they cannot be given a level.
pub const RULES: &[Rule] = &[
    // Agent Skills specification.
    rule(
        "skill-name",
        Warning,
        Error,
        AgentSkills,
        "`name` is not 1-64 lowercase letters, digits and single hyphens",
    ),
    rule(
        "skill-name-missing",
        Warning,
        Error,
        AgentSkills,
        "a SKILL.md without `name` (or `name: \"\"`); the folder name is used, as Claude Code does",
    ),
    rule(
        "skill-name-folder",
        Warning,
        Warning,
        AgentSkills,
        "`name` differs from the skill's folder (the client guide: warn and load)",
    ),
    rule(
        "skill-description",
        Warning,
        Error,
        AgentSkills,
        "`description` missing, empty or over 1024 characters",
    ),
    rule(
        "skill-compatibility",
        Warning,
        Error,
        AgentSkills,
        "`compatibility` over 500 characters",
    ),
    rule(
        "skill-body-length",
        Warning,
        Warning,
        AgentSkills,
        "SKILL.md body over the recommended 500 lines",
    ),
    rule(
        "unknown-front-matter-key",
        Warning,
        Warning,
        ClaudeCode,
        "a SKILL.md key that neither Agent Skills, Claude Code nor skillsite defines",
    ),
    // skillsite's catalog.
    rule(
        "duplicate-skill",
        Warning,
        Error,
        Skillsite,
        "two skills of one name in a pack",
    ),
    rule(
        "unknown-dependency",
        Warning,
        Warning,
        Skillsite,
        "`depends-on` names a skill the site does not have",
    ),
    rule(
        "dependency-cycle",
        Warning,
        Warning,
        Skillsite,
        "skills that depend on each other in a cycle",
    ),
    rule(
        "description-use-when",
        Warning,
        Warning,
        Skillsite,
        "description does not start with \"Use when\" (only with `lint-use-when = true`)",
    ),
    rule(
        "type-table",
        Warning,
        Warning,
        Skillsite,
        "a pack plan's hand-written type table disagrees with its sections",
    ),
    rule(
        "manifest",
        Warning,
        Warning,
        ClaudeCode,
        "a plugin, marketplace or skill manifest that cannot be read",
    ),
    // skillsite's pages.
    rule(
        "front-matter",
        Warning,
        Warning,
        Skillsite,
        "front matter that is not valid YAML or TOML",
    ),
    rule(
        "broken-link",
        Warning,
        Warning,
        Skillsite,
        "a relative link to a file or page that does not exist",
    ),
    rule(
        "broken-anchor",
        Warning,
        Warning,
        Skillsite,
        "a link to a `#fragment` the target page does not have",
    ),
    rule(
        "unsafe-url",
        Warning,
        Warning,
        Skillsite,
        "a link or image whose URL scheme the URL policy blocks",
    ),
    rule(
        "mojibake",
        Warning,
        Warning,
        Skillsite,
        "double-encoded UTF-8, repaired",
    ),
    rule(
        "encoding",
        Warning,
        Warning,
        Skillsite,
        "a file that is not UTF-8, decoded as Windows-1252",
    ),
    rule(
        "binary-markdown",
        Warning,
        Warning,
        Skillsite,
        "a `.md` file that is binary; skipped",
    ),
    rule(
        "include",
        Warning,
        Warning,
        Skillsite,
        "an `{{#include}}` that cannot be resolved",
    ),
    rule(
        "summary",
        Warning,
        Warning,
        Skillsite,
        "a SUMMARY.md line that cannot be used",
    ),
    rule(
        "summary-missing",
        Warning,
        Warning,
        Skillsite,
        "a SUMMARY.md entry whose file does not exist",
    ),
    rule(
        "diagram",
        Warning,
        Warning,
        Skillsite,
        "a dot/graphviz or mermaid fence that cannot be drawn",
    ),
    rule(
        "symlink-loop",
        Warning,
        Warning,
        Skillsite,
        "a symbolic link that leads back into a folder containing it; not followed",
    ),
    rule(
        "gitignore",
        Warning,
        Warning,
        Skillsite,
        "a .gitignore or .ignore pattern that cannot be used",
    ),
    rule(
        "marketplace-entry",
        Warning,
        Warning,
        ClaudeCode,
        "a marketplace entry without a usable name or source",
    ),
    rule(
        "marketplace-source",
        Warning,
        Warning,
        ClaudeCode,
        "a marketplace entry whose relative source folder does not exist",
    ),
    rule(
        "marketplace-duplicate",
        Warning,
        Warning,
        ClaudeCode,
        "two marketplace entries with one name; the first is used",
    ),
    rule(
        "marketplace-key",
        Note,
        Note,
        ClaudeCode,
        "a marketplace top-level key skillsite does not read (such as renames)",
    ),
    rule(
        "output-collision",
        Warning,
        Warning,
        Skillsite,
        "a content file that would overwrite a generated page",
    ),
    // The security audit (docs/security.md).
    rule(
        "hidden-unicode",
        Warning,
        Error,
        Audit,
        "invisible Unicode in a skill, agent, command, hook or script",
    ),
    rule(
        "hidden-comment",
        Warning,
        Error,
        Audit,
        "an HTML comment in a skill, agent or command",
    ),
    rule(
        "remote-exec",
        Warning,
        Warning,
        Audit,
        "a download piped or fed to a shell or interpreter",
    ),
    rule(
        "obfuscated-exec",
        Warning,
        Warning,
        Audit,
        "decoded text run by a shell, eval or exec",
    ),
    rule(
        "credential-access",
        Warning,
        Warning,
        Audit,
        "reads of credential files, keychains or secret variables",
    ),
    rule(
        "symlink-outside",
        Warning,
        Warning,
        Audit,
        "a symbolic link whose target is outside the project",
    ),
    rule(
        "unreadable-file",
        Warning,
        Warning,
        Audit,
        "a pack file that cannot be read or parsed",
    ),
    rule(
        "hook-command",
        Note,
        Note,
        Audit,
        "a hook that runs a command",
    ),
    rule(
        "mcp-server",
        Note,
        Note,
        Audit,
        "an MCP server the agent starts or connects to",
    ),
    rule(
        "broad-tool-permission",
        Note,
        Note,
        Audit,
        "unrestricted shell or tool access in allowed-tools",
    ),
    rule(
        "binary-file",
        Note,
        Note,
        Audit,
        "a binary file among a pack's scripts; not scanned",
    ),
    rule(
        "large-file",
        Note,
        Note,
        Audit,
        "a script over 1 MiB; only its first MiB is scanned",
    ),
];

/// The rule of `id`, when it is a content rule.
pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// The severity each content rule gets in `mode` with the levels of `[skillsite.lints]`
/// (`None`: not reported), for [`crate::diagnostics::Diagnostics::set_levels`]. Names that are
/// not rules are left out (book.toml's loader warns about them).
pub fn severities(
    mode: Mode,
    levels: &BTreeMap<String, Level>,
) -> HashMap<&'static str, Option<Severity>> {
    RULES
        .iter()
        .map(|r| {
            let severity = match levels.get(r.id) {
                Some(Level::Allow) => None,
                Some(Level::Warn) => Some(Warning),
                Some(Level::Deny) => Some(Error),
                None => Some(match mode {
                    Mode::Build => r.build,
                    Mode::Check => r.check,
                }),
            };
            (r.id, severity)
        })
        .collect()
}

/// Rule ids close to `name` (a typo in book.toml): edit distance at most 3, or sharing a
/// `-`-separated word; closest first, at most five.
pub fn close_names(name: &str) -> Vec<&'static str> {
    let words: Vec<&str> = name.split('-').filter(|w| w.len() > 2).collect();
    let mut scored: Vec<(usize, &'static str)> = RULES
        .iter()
        .filter_map(|r| {
            let d = edit_distance(name, r.id);
            let shares = r.id.split('-').any(|w| words.contains(&w));
            (d <= 3 || shares).then_some((d, r.id))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(5).map(|(_, id)| id).collect()
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_findings_are_warnings_in_build_and_errors_in_check() {
        let none = BTreeMap::new();
        let build = severities(Mode::Build, &none);
        let check = severities(Mode::Check, &none);
        assert_eq!(build["skill-name"], Some(Warning));
        assert_eq!(check["skill-name"], Some(Error));
        assert_eq!(check["skill-name-folder"], Some(Warning));
        assert_eq!(check["hook-command"], Some(Note));
        let levels = BTreeMap::from([
            ("skill-name".to_string(), Level::Allow),
            ("broken-link".to_string(), Level::Deny),
            ("hidden-unicode".to_string(), Level::Warn),
        ]);
        for mode in [Mode::Build, Mode::Check] {
            let s = severities(mode, &levels);
            assert_eq!(s["skill-name"], None);
            assert_eq!(s["broken-link"], Some(Error));
            assert_eq!(s["hidden-unicode"], Some(Warning));
        }
    }

    #[test]
    fn ids_are_unique_and_close_names_find_typos() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate rule id");
        assert_eq!(close_names("skill-nmae")[0], "skill-name");
        assert!(close_names("broken-links").contains(&"broken-link"));
        assert!(close_names("zzzzzzzzzz").is_empty());
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
