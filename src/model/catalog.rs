//! The skill catalog: packs, skills (written or planned) and the edges between them.
//!
//! Built by the transform stage ([`crate::transform::catalog`]) from skill pages (`SKILL.md`),
//! `skill.json` manifests, Claude Code plugin/marketplace manifests and pack plan documents.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::model::manifests::{HookDecl, Interface, LspDecl, McpDecl, PluginSource};
use crate::model::PageId;

/// Index into [`Catalog::packs`].
pub type PackId = usize;
/// Index into [`Catalog::skills`].
pub type SkillId = usize;

/// All packs and skills of a site.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Catalog {
    /// Packs, sorted by name.
    pub packs: Vec<Pack>,
    /// Skills, grouped by pack, each group in reading order (planned skills in plan order).
    pub skills: Vec<Skill>,
    /// Dependency and cross-reference edges, deduplicated.
    pub edges: Vec<Edge>,
}

/// Where a pack's identity comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PackSource {
    /// `.claude-plugin/plugin.json` in the pack folder.
    Plugin,
    /// An entry of a `.claude-plugin/marketplace.json`.
    Marketplace,
    /// Just a folder of skills.
    Folder,
}

/// A pack: a named group of skills.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pack {
    /// Pack name (plugin name, or folder name).
    pub name: String,
    /// Display title: the manifest's display name, else the pack page's own title, else the
    /// name as written (`transform::catalog`'s `title_pack` is the rule; never a title made from
    /// a folder name).
    pub title: String,
    /// Description from the manifest or the pack page.
    pub description: String,
    /// Version from the manifest, if any.
    pub version: Option<String>,
    /// Content-relative folder of the pack (`""` for the content root).
    pub folder: String,
    /// The pack's own page (its folder's section page), if it has one.
    #[serde(skip)]
    pub page: Option<PageId>,
    /// Where the name comes from.
    pub source: PackSource,
    /// The marketplace listing it, if any.
    pub marketplace: Option<String>,
    /// Its skills, in order.
    pub skills: Vec<SkillId>,
    /// Author, licence, links, keywords and category from the manifests.
    pub about: About,
    /// Codex's `interface` block (display name, descriptions, icon, brand colour), if any.
    pub interface: Option<Interface>,
    /// Where the plugin comes from: `{type: "path", path: folder}` for local packs, the
    /// marketplace entry's remote `source` for external ones.
    pub origin: PluginSource,
    /// True for a marketplace entry whose source is remote: we have none of its files.
    pub external: bool,
    /// The agents it targets ([`crate::model::manifests::target`] ids), sorted.
    pub targets: Vec<String>,
    /// Its agents, commands, output styles, hooks, MCP and LSP servers.
    pub components: Components,
}

/// A pack's manifest metadata beyond name, description and version.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct About {
    /// Author name.
    pub author: Option<String>,
    /// Licence id, as written.
    pub license: Option<String>,
    /// Homepage URL, as written (checked by `util::url` when shown).
    pub homepage: Option<String>,
    /// Repository URL, as written (checked by `util::url` when shown).
    pub repository: Option<String>,
    /// Keywords.
    pub keywords: Vec<String>,
    /// Category.
    pub category: Option<String>,
    /// Content-relative manifest files describing the pack.
    pub manifests: Vec<String>,
}

/// The parts of a plugin besides its skills (Claude Code plugin layout).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Components {
    /// Subagents (`agents/*.md`, `*.agent.md`).
    pub agents: Vec<Agent>,
    /// Slash commands (`commands/*.md`).
    pub commands: Vec<Command>,
    /// Output styles (`output-styles/*.md`).
    pub output_styles: Vec<OutputStyle>,
    /// Hooks (`hooks/hooks.json`, inline `hooks`).
    pub hooks: Vec<HookDecl>,
    /// MCP servers (`.mcp.json`, inline `mcpServers`, Gemini's `mcpServers`).
    pub mcp_servers: Vec<McpDecl>,
    /// LSP servers (`.lsp.json`, inline `lspServers`).
    pub lsp_servers: Vec<LspDecl>,
    /// Context files (Gemini's `GEMINI.md`), content-relative.
    pub context_files: Vec<String>,
}

impl Components {
    /// True when the pack has none of these parts.
    pub fn is_empty(&self) -> bool {
        self.agents.is_empty()
            && self.commands.is_empty()
            && self.output_styles.is_empty()
            && self.hooks.is_empty()
            && self.mcp_servers.is_empty()
            && self.lsp_servers.is_empty()
            && self.context_files.is_empty()
    }
}

/// A subagent: an `agents/*.md` file (Claude Code) or a `*.agent.md` file (GitHub Copilot).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agent {
    /// Front matter `name`, else the file stem (without `.agent`).
    pub name: String,
    /// Front matter `description`.
    pub description: String,
    /// Front matter `model` (`sonnet`, `opus`, `inherit`...).
    pub model: Option<String>,
    /// Front matter `tools` (a comma-separated string or a list).
    pub tools: Vec<String>,
    /// Front matter `color`.
    pub color: Option<String>,
    /// Content-relative source file.
    pub source: String,
    /// Its page, when discovery published the file.
    #[serde(skip)]
    pub page: Option<PageId>,
}

/// A slash command: a `commands/**/*.md` file, invoked as `/PLUGIN:NAME` (sub-folders add
/// `:`-separated parts, as Claude Code shows them), or a Gemini CLI `commands/**/*.toml` file,
/// invoked as `/NAME`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Command {
    /// The file stem (`review` for `commands/review.md`; `frontend:build` for
    /// `commands/frontend/build.md`).
    pub name: String,
    /// How it is typed: `/PLUGIN:NAME`.
    pub invocation: String,
    /// Front matter `description`, else the first line of the body.
    pub description: String,
    /// Front matter `argument-hint`.
    pub argument_hint: Option<String>,
    /// Front matter `allowed-tools` (a comma-separated string or a list).
    pub allowed_tools: Vec<String>,
    /// Front matter `model`.
    pub model: Option<String>,
    /// Content-relative source file.
    pub source: String,
    /// Its page, when discovery published the file (Gemini's TOML commands have none).
    #[serde(skip)]
    pub page: Option<PageId>,
}

/// An output style: an `output-styles/*.md` file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutputStyle {
    /// Front matter `name`, else the file stem.
    pub name: String,
    /// Front matter `description`.
    pub description: String,
    /// Content-relative source file.
    pub source: String,
    /// Its page, when discovery published the file.
    #[serde(skip)]
    pub page: Option<PageId>,
}

/// A plugin part that has a page: which pack, and which of its agents, commands or styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComponentRef {
    /// `packs[p].components.agents[i]`.
    Agent(PackId, usize),
    /// `packs[p].components.commands[i]`.
    Command(PackId, usize),
    /// `packs[p].components.output_styles[i]`.
    OutputStyle(PackId, usize),
}

/// A skill, written (`SKILL.md` or `skill.json`) or planned (a section of a pack plan).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skill {
    /// Skill name: front matter `name`, else the folder name.
    pub name: String,
    /// Owning pack.
    pub pack: PackId,
    /// The skill's page: its `SKILL.md` page when written; for planned skills the pack plan.
    #[serde(skip)]
    pub page: Option<PageId>,
    /// Anchor of the plan section for planned skills.
    pub anchor: Option<String>,
    /// True when the skill exists only in a pack plan.
    pub planned: bool,
    /// True when a pack plan also lists it (for written skills: written from a plan).
    pub in_plan: bool,
    /// Description (Agent Skills `description`).
    pub description: String,
    /// Types: `Technique`, `Pattern`, `Reference`... ("Pattern/Reference" gives two).
    pub types: Vec<String>,
    /// Level: `Fundamental`, `Intermediate`, `Advanced`...
    pub level: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Names of skills this one depends on, as written.
    pub depends_on: Vec<String>,
    /// Names of related skills, as written.
    pub related: Vec<String>,
    /// Content-relative folder of the skill.
    pub folder: String,
    /// Content-relative path of the defining file (`SKILL.md`, `skill.json` or the plan).
    pub source: String,
    /// 1-based line of the definition in `source` (the plan section's heading for planned skills).
    pub line: usize,
    /// Every metadata key as written (front matter, or the manifest), for the metadata panel.
    pub metadata: Map<String, Value>,
    /// Other content-relative folders that reach this skill through symbolic links
    /// (`.claude/skills/tdd` when `.claude/skills` links to `skills/`), sorted; the skill is
    /// listed once, at `folder`.
    pub aliases: Vec<String>,
    /// The agents it targets ([`crate::model::manifests::target`] ids), sorted: from where
    /// it was found (`.claude/skills`, `.codex/skills`...) and the manifests that describe it
    /// or its pack.
    pub targets: Vec<String>,
    /// Codex's per-skill `agents/openai.yaml` interface, if any.
    pub interface: Option<Interface>,
}

/// The kind of an edge between two skills.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum EdgeKind {
    /// `depends-on`, `**Dependencies:**`, `skill.json` dependencies, REQUIRED SUB-SKILL.
    DependsOn,
    /// A cross-reference, with its relation label ("Builds on", "mentions"...).
    CrossRef {
        /// The relation as written ("Works with"), or `mentions` for references in prose.
        label: String,
    },
}

/// A directed edge `from → to`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Edge {
    /// The skill that refers.
    pub from: SkillId,
    /// The skill referred to.
    pub to: SkillId,
    /// Dependency or cross-reference.
    #[serde(flatten)]
    pub kind: EdgeKind,
}

impl Catalog {
    /// The skill whose page is `page`, if any (written skills only).
    pub fn skill_by_page(&self, page: PageId) -> Option<SkillId> {
        self.skills
            .iter()
            .position(|s| !s.planned && s.page == Some(page))
    }

    /// The pack whose own page is `page`, if any.
    pub fn pack_by_page(&self, page: PageId) -> Option<PackId> {
        self.packs.iter().position(|p| p.page == Some(page))
    }

    /// The agent, command or output style whose page is `page`, if any.
    pub fn component_by_page(&self, page: PageId) -> Option<ComponentRef> {
        for (p, pack) in self.packs.iter().enumerate() {
            let c = &pack.components;
            if let Some(i) = c.agents.iter().position(|a| a.page == Some(page)) {
                return Some(ComponentRef::Agent(p, i));
            }
            if let Some(i) = c.commands.iter().position(|a| a.page == Some(page)) {
                return Some(ComponentRef::Command(p, i));
            }
            if let Some(i) = c.output_styles.iter().position(|a| a.page == Some(page)) {
                return Some(ComponentRef::OutputStyle(p, i));
            }
        }
        None
    }

    /// Skills named `name`, preferring the one in `pack`.
    pub fn resolve(&self, name: &str, pack: Option<PackId>) -> Option<SkillId> {
        let mut found = self
            .skills
            .iter()
            .enumerate()
            .filter(|(_, s)| s.name == name);
        let first = found.next()?;
        if pack.is_none() || first.1.pack == pack.unwrap_or(usize::MAX) {
            return Some(first.0);
        }
        Some(
            found
                .find(|(_, s)| Some(s.pack) == pack)
                .map_or(first.0, |(i, _)| i),
        )
    }

    /// Edges out of `skill`.
    pub fn out_edges(&self, skill: SkillId) -> impl Iterator<Item = &Edge> {
        self.edges.iter().filter(move |e| e.from == skill)
    }

    /// Edges into `skill` (its "used by").
    pub fn in_edges(&self, skill: SkillId) -> impl Iterator<Item = &Edge> {
        self.edges.iter().filter(move |e| e.to == skill)
    }
}
