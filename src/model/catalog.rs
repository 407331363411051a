//! The skill catalog: packs, skills (written or planned) and the edges between them.
//!
//! Built by the transform stage ([`crate::transform::catalog`]) from skill pages (`SKILL.md`),
//! `skill.json` manifests, Claude Code plugin/marketplace manifests and pack plan documents.

use serde::Serialize;
use serde_json::{Map, Value};

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
    /// Display title (the pack page's title, else the name).
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
