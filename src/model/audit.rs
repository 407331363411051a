//! What an untrusted pack can run and hide: the findings of the audit stage
//! ([`crate::transform::audit`]), and the hooks, MCP servers and scripts it found.
//!
//! Plain data, filled once per build after the catalog; the render stage shows it (skill
//! pages, the "What this can run" panel) and `skillsite check` reports it.

use serde::Serialize;

use crate::diagnostics::Severity;
use crate::model::catalog::{PackId, SkillId};

/// Who a finding, hook, server or script belongs to: the deepest written skill whose folder
/// holds the file, else the pack whose folder holds it, else the site.
///
/// Serialized as `{"kind": "skill", "id": 3}`, `{"kind": "pack", "id": 0}` or
/// `{"kind": "site"}`; ids index [`crate::model::catalog::Catalog::skills`] and `packs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "lowercase")]
pub enum Owner {
    /// A written skill (its `SKILL.md`, supporting files, scripts, front-matter hooks).
    Skill(SkillId),
    /// A pack (its `hooks/hooks.json`, `.mcp.json`, `plugin.json`, agents, commands, scripts).
    Pack(PackId),
    /// Neither (a symbolic link elsewhere in the content folder).
    Site,
}

/// One audit finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Rule id, kebab-case: `hidden-unicode`, `hidden-comment`, `remote-exec`,
    /// `obfuscated-exec`, `credential-access`, `hook-command`, `mcp-server`,
    /// `broad-tool-permission`, `symlink-outside`, `unreadable-file`, `binary-file`,
    /// `large-file` (see `docs/security.md`).
    pub rule: &'static str,
    /// Error, warning or note (hidden text is an error in `skillsite check` only).
    pub severity: Severity,
    /// The skill, pack or site the file belongs to.
    pub owner: Owner,
    /// The file, relative to the content folder, `/`-separated (`pack/skills/x/SKILL.md`).
    pub file: String,
    /// 1-based line in `file`; 0 when unknown.
    pub line: usize,
    /// What was found, one sentence, no trailing period.
    pub message: String,
    /// What to do about it.
    pub hint: String,
    /// The offending text (the line, comment or command), at most 200 characters, hidden
    /// characters replaced by visible markers ([`crate::util::hidden::reveal_text`]).
    pub excerpt: String,
}

/// One hook of type `command` a pack or skill registers with the agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hook {
    /// The pack (`hooks/hooks.json`, `plugin.json`) or skill (front matter) declaring it.
    pub owner: Owner,
    /// The event it runs on: `SessionStart`, `PreToolUse`, `UserPromptSubmit`...
    pub event: String,
    /// The matcher (tool names or sources, a regex), when given.
    pub matcher: Option<String>,
    /// The shell command, as written.
    pub command: String,
    /// Content-relative, `/`-separated file declaring it.
    pub file: String,
    /// 1-based line of the command in `file`; 0 when unknown.
    pub line: usize,
}

/// One MCP server a pack starts or connects to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct McpServer {
    /// The pack declaring it.
    pub owner: Owner,
    /// The server's key in `mcpServers`.
    pub name: String,
    /// The program started (stdio servers).
    pub command: Option<String>,
    /// Its arguments.
    pub args: Vec<String>,
    /// The URL connected to (HTTP and SSE servers).
    pub url: Option<String>,
    /// Content-relative, `/`-separated file declaring it (`.mcp.json` or
    /// `.claude-plugin/plugin.json`).
    pub file: String,
    /// 1-based line of the server's key in `file`; 0 when unknown.
    pub line: usize,
}

/// One script or executable shipped in a skill or pack folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Script {
    /// The skill or pack shipping it.
    pub owner: Owner,
    /// Content-relative, `/`-separated path.
    pub file: String,
    /// Size on disk, in bytes.
    pub bytes: u64,
    /// Number of findings in it.
    pub findings: usize,
}

/// Everything the audit stage found; empty before it runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Audit {
    /// Findings, sorted by file and line.
    pub findings: Vec<Finding>,
    /// Command hooks, sorted by file and line.
    pub hooks: Vec<Hook>,
    /// MCP servers, sorted by file and line.
    pub mcp_servers: Vec<McpServer>,
    /// Scripts, sorted by path.
    pub scripts: Vec<Script>,
}

impl Audit {
    /// Moves everything of `other` into `self` (unsorted: the audit stage sorts once, at the
    /// end).
    pub fn append(&mut self, mut other: Audit) {
        self.findings.append(&mut other.findings);
        self.hooks.append(&mut other.hooks);
        self.mcp_servers.append(&mut other.mcp_servers);
        self.scripts.append(&mut other.scripts);
    }

    /// The findings owned by `skill` (its files, scripts and front matter).
    pub fn for_skill(&self, skill: SkillId) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(move |f| f.owner == Owner::Skill(skill))
    }

    /// The findings owned by `pack` itself (hooks, MCP servers, agents, commands, scripts
    /// outside its skills); its skills' findings are under [`Self::for_skill`].
    pub fn for_pack(&self, pack: PackId) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(move |f| f.owner == Owner::Pack(pack))
    }

    /// The rule ids of `skill`'s findings, sorted and unique (for a catalog facet).
    pub fn rules_of_skill(&self, skill: SkillId) -> Vec<&'static str> {
        let mut rules: Vec<&'static str> = self.for_skill(skill).map(|f| f.rule).collect();
        rules.sort_unstable();
        rules.dedup();
        rules
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &'static str, owner: Owner) -> Finding {
        Finding {
            rule,
            severity: Severity::Warning,
            owner,
            file: "a/SKILL.md".into(),
            line: 1,
            message: String::new(),
            hint: String::new(),
            excerpt: String::new(),
        }
    }

    #[test]
    fn helpers_filter_by_owner() {
        let a = Audit {
            findings: vec![
                finding("remote-exec", Owner::Skill(1)),
                finding("hidden-unicode", Owner::Skill(1)),
                finding("remote-exec", Owner::Skill(1)),
                finding("hook-command", Owner::Pack(0)),
                finding("symlink-outside", Owner::Site),
            ],
            ..Audit::default()
        };
        assert_eq!(a.rules_of_skill(1), ["hidden-unicode", "remote-exec"]);
        assert_eq!(a.for_pack(0).count(), 1);
        assert_eq!(a.for_skill(2).count(), 0);
        assert_eq!(
            serde_json::to_value(Owner::Skill(3)).unwrap(),
            serde_json::json!({"kind": "skill", "id": 3})
        );
        assert_eq!(
            serde_json::to_value(Owner::Site).unwrap(),
            serde_json::json!({"kind": "site"})
        );
    }
}
