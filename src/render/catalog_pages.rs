//! Template context for the catalog: the pack panel (computed skill-type and level tables,
//! written-vs-planned progress, dependency diagram), the skill panel (metadata, relations,
//! files, install snippet) and the catalog page (every skill in one filterable table).
//!
//! All URLs are root-relative; templates prefix them with `root` (see `docs/templates.md`).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::model::audit::Owner;
use crate::model::catalog::{EdgeKind, PackId, PackSource, SkillId};
use crate::model::{PageId, Site};
use crate::render::catalog_files::skill_url;
use crate::render::diagram;
use crate::util::hidden::reveal_text;
use crate::util::path::{href_path, relative_root};

/// A link to a skill.
#[derive(Debug, Clone, Serialize)]
pub struct SkillLink {
    /// Skill name.
    pub name: String,
    /// Root-relative URL (page, or plan section for planned skills).
    pub url: Option<String>,
    /// Planned (no SKILL.md yet).
    pub planned: bool,
    /// Relation label for cross-references (`Builds on`, `mentions`...).
    pub label: Option<String>,
}

/// One row of a computed table: a type (or level), how many skills, which.
#[derive(Debug, Clone, Serialize)]
pub struct CountRow {
    /// Type or level name.
    pub name: String,
    /// Number of skills.
    pub count: usize,
    /// The skills.
    pub skills: Vec<SkillLink>,
}

/// A skill row of a pack's or the catalog's table.
#[derive(Debug, Clone, Serialize)]
pub struct SkillRow {
    /// Name and link.
    #[serde(flatten)]
    pub link: SkillLink,
    /// Pack name.
    pub pack: String,
    /// Types.
    pub types: Vec<String>,
    /// Level or empty.
    pub level: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Description.
    pub description: String,
    /// Rule ids of the skill's audit findings, sorted, or `["no findings"]` (the catalog's
    /// Audit facet; filled on the catalog page only).
    pub audit: Vec<String>,
    /// Target agents (`claude-code`, `codex`, `copilot`, `gemini`...); empty: any client.
    pub agents: Vec<String>,
}

/// `page.pack`: the panel on a pack's page.
#[derive(Debug, Clone, Serialize)]
pub struct PackContext {
    /// Pack name.
    pub name: String,
    /// Pack title.
    pub title: String,
    /// `plugin`, `marketplace` or `folder`.
    pub source: PackSource,
    /// `plugin` for plugin and marketplace packs, else `pack` (for the panel's wording).
    pub kind: &'static str,
    /// Version, if any.
    pub version: Option<String>,
    /// Written skills.
    pub written: usize,
    /// Planned skills.
    pub planned: usize,
    /// written * 100 / total.
    pub percent: usize,
    /// Skills in order.
    pub skills: Vec<SkillRow>,
    /// Computed skill-type table (a skill of several types counts under each).
    pub type_table: Vec<CountRow>,
    /// Computed level table.
    pub level_table: Vec<CountRow>,
    /// Inline SVG of the dependency diagram (dependencies only; links relative to this page),
    /// if the pack has dependency edges.
    pub diagram: Option<String>,
    /// The same with cross-references as dashed, labelled edges, if there are any.
    pub diagram_full: Option<String>,
    /// The "What this can run" panel: the pack's own hooks, MCP servers, scripts and
    /// findings (its skills' are on their pages), and how many findings its skills have.
    pub can_run: CanRun,
    /// Description from the manifests (or the pack page).
    pub description: String,
    /// Author, licence, links (already checked by `util::url`; `None` when blocked),
    /// keywords, category, manifest files.
    pub about: AboutContext,
    /// Target agents.
    pub agents: Vec<String>,
    /// A remote marketplace entry: no files here.
    pub external: bool,
    /// The marketplace listing it.
    pub marketplace: Option<String>,
    /// Where it comes from, for people: `github acme/tool @ v1.2`, `npm @acme/x 1.0`...
    pub origin: String,
    /// `/plugin install NAME@MARKETPLACE` when a marketplace lists it.
    pub install: Option<String>,
    /// Install tabs for the whole pack (`render::install::for_pack`): Claude Code's
    /// `/plugin` commands when a marketplace lists it, the `skills` CLI with its skills.
    pub install_tabs: Vec<crate::render::install::InstallTab>,
    /// Its agents, commands, output styles, hooks, MCP and LSP servers.
    pub parts: PartsContext,
}

/// A pack's manifest metadata for its page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AboutContext {
    /// Author.
    pub author: Option<String>,
    /// Licence.
    pub license: Option<String>,
    /// Homepage URL (allowed by `util::url`).
    pub homepage: Option<String>,
    /// Repository URL (allowed by `util::url`).
    pub repository: Option<String>,
    /// Keywords.
    pub keywords: Vec<String>,
    /// Category.
    pub category: Option<String>,
    /// Codex display name, when it differs from the name.
    pub display_name: Option<String>,
    /// Codex brand colour, when it is a `#rgb`/`#rrggbb` colour.
    pub brand_color: Option<String>,
    /// Content-relative manifest files.
    pub manifests: Vec<String>,
}

/// The parts of a plugin on its page and its card, with counts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PartsContext {
    /// Number of skills.
    pub skills: usize,
    /// Agents.
    pub agents: Vec<PartRow>,
    /// Commands.
    pub commands: Vec<PartRow>,
    /// Output styles.
    pub output_styles: Vec<PartRow>,
    /// Hooks, every type (the "What this can run" panel lists the command hooks the audit saw).
    pub hooks: Vec<HookPartRow>,
    /// MCP servers.
    pub mcp_servers: Vec<ServerRow>,
    /// LSP servers.
    pub lsp_servers: Vec<ServerRow>,
    /// Context files (Gemini), with their page URLs when published.
    pub context_files: Vec<PartRow>,
    /// True when there is no agent, command, style, hook, server or context file.
    pub empty: bool,
}

/// An agent, command, output style or context file of a plugin.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PartRow {
    /// Name (commands: as invoked, `/plugin:name`).
    pub name: String,
    /// Description.
    pub description: String,
    /// Root-relative URL of its page, when published.
    pub url: Option<String>,
    /// Model (agents, commands).
    pub model: Option<String>,
    /// Tools (agents' `tools`, commands' `allowed-tools`).
    pub tools: Vec<String>,
    /// Agents' `color`.
    pub color: Option<String>,
    /// Commands' `argument-hint`.
    pub argument_hint: Option<String>,
}

/// A hook of a plugin.
#[derive(Debug, Clone, Serialize)]
pub struct HookPartRow {
    /// Event.
    pub event: String,
    /// Matcher, or empty.
    pub matcher: String,
    /// `command`, `prompt`, `http`...
    pub kind: String,
    /// The command, prompt or URL.
    pub action: String,
    /// `file:line`.
    pub place: String,
}

/// An MCP or LSP server of a plugin.
#[derive(Debug, Clone, Serialize)]
pub struct ServerRow {
    /// Name.
    pub name: String,
    /// `command args...` it starts, or the URL it connects to.
    pub runs: String,
    /// MCP: transport (`stdio`, `http`, `sse`); LSP: languages.
    pub detail: String,
    /// `file:line`.
    pub place: String,
}

/// `catalog.plugins`: a plugin card of the catalog page.
#[derive(Debug, Clone, Serialize)]
pub struct PluginCard {
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Root-relative URL of its page, if it has one.
    pub url: Option<String>,
    /// Version.
    pub version: Option<String>,
    /// Remote marketplace entry.
    pub external: bool,
    /// A local marketplace entry whose folder is missing (no page).
    pub missing: bool,
    /// Where it comes from, for people.
    pub origin: String,
    /// Install command, when a marketplace lists it.
    pub install: Option<String>,
    /// Target agents.
    pub agents: Vec<String>,
    /// `3 skills · 2 agents · 1 command · 1 hook · 1 MCP server`.
    pub counts: String,
}

/// `page.component`: the panel of an agent's, command's or output style's page.
#[derive(Debug, Clone, Serialize)]
pub struct ComponentContext {
    /// `agent`, `command` or `output style`.
    pub kind: &'static str,
    /// Name; for commands, as invoked (`/plugin:name`).
    pub name: String,
    /// The plugin.
    pub pack: PackLink,
    /// Name, description, model, tools, colour, argument hint.
    pub row: PartRow,
    /// Target agents (its pack's; `copilot` for `*.agent.md`).
    pub agents: Vec<String>,
}

/// The "What this can run" panel of a skill or pack page (docs/security.md), from the audit
/// stage's [`crate::model::audit::Audit`].
#[derive(Debug, Clone, Default, Serialize)]
pub struct CanRun {
    /// Hooks that run a command, with their event and matcher.
    pub hooks: Vec<HookRow>,
    /// MCP servers: what they start or connect to.
    pub mcp_servers: Vec<McpRow>,
    /// Script files shipped in the folder.
    pub scripts: Vec<ScriptRow>,
    /// Tools the skill asks for (`allowed-tools` as declared), or an agent's `tools`.
    pub tools: Vec<String>,
    /// Every finding, most severe first.
    pub findings: Vec<FindingRow>,
    /// Findings by severity.
    pub errors: usize,
    /// Findings by severity.
    pub warnings: usize,
    /// Findings by severity.
    pub notes: usize,
    /// On a skill page: hooks of its pack, which run once the plugin is installed.
    pub pack_hooks: usize,
    /// On a skill page: MCP servers of its pack.
    pub pack_mcp_servers: usize,
    /// On a pack page: warnings and errors in its skills.
    pub skill_findings: usize,
    /// Nothing to show (no hooks, servers, scripts, tools or findings).
    pub empty: bool,
}

/// One hook of the panel.
#[derive(Debug, Clone, Serialize)]
pub struct HookRow {
    /// Event (`SessionStart`, `PreToolUse`...).
    pub event: String,
    /// Matcher, or empty.
    pub matcher: String,
    /// The command it runs.
    pub command: String,
    /// `file:line` it is declared at (content-relative).
    pub place: String,
}

/// One MCP server of the panel.
#[derive(Debug, Clone, Serialize)]
pub struct McpRow {
    /// Server name.
    pub name: String,
    /// `command args...` it starts, or the URL it connects to.
    pub runs: String,
    /// `file:line` it is declared at.
    pub place: String,
}

/// One script of the panel.
#[derive(Debug, Clone, Serialize)]
pub struct ScriptRow {
    /// Content-relative path.
    pub file: String,
    /// Root-relative URL of the copied file, when it is in the site.
    pub url: Option<String>,
    /// Size in bytes.
    pub bytes: u64,
    /// The size for people: `812 B`, `3.4 KB`, `1.2 MB`.
    pub size: String,
    /// Findings in it.
    pub findings: usize,
}

/// One finding of the panel.
#[derive(Debug, Clone, Serialize)]
pub struct FindingRow {
    /// Rule id.
    pub rule: &'static str,
    /// `error`, `warning` or `note`.
    pub severity: &'static str,
    /// `file:line`.
    pub place: String,
    /// What was found.
    pub message: String,
    /// The offending text (hidden characters revealed), or empty.
    pub excerpt: String,
}

/// `page.skill`: the panel on a skill's page.
#[derive(Debug, Clone, Serialize)]
pub struct SkillContext {
    /// Skill name.
    pub name: String,
    /// Pack name, title and URL.
    pub pack: PackLink,
    /// Types.
    pub types: Vec<String>,
    /// Level.
    pub level: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Every front-matter/manifest key with a display value, in source order.
    pub metadata: Vec<MetaRow>,
    /// Author, version and licence (top-level keys, else in `metadata`), for the header.
    pub chips: Vec<Chip>,
    /// Skills it depends on.
    pub depends_on: Vec<SkillLink>,
    /// Skills that depend on it.
    pub used_by: Vec<SkillLink>,
    /// Cross-referenced skills (both directions), with labels.
    pub related: Vec<SkillLink>,
    /// The skill folder's files.
    pub files: Vec<FileRow>,
    /// Root-relative URL of the raw SKILL.md / skill.json.
    pub raw_url: String,
    /// Install tabs, one per agent (`render::install::for_skill`).
    pub install: Vec<crate::render::install::InstallTab>,
    /// The "What this can run" panel.
    pub can_run: CanRun,
    /// Target agents (empty: any Agent Skills client).
    pub agents: Vec<String>,
}

/// Pack name, title and URL.
#[derive(Debug, Clone, Serialize)]
pub struct PackLink {
    /// Name.
    pub name: String,
    /// Title.
    pub title: String,
    /// Root-relative URL of its page.
    pub url: Option<String>,
}

/// A metadata key and its value made readable.
#[derive(Debug, Clone, Serialize)]
pub struct MetaRow {
    /// Key.
    pub key: String,
    /// Display value (lists joined with ", "); empty when `entries` holds a map.
    pub value: String,
    /// A map value's keys and display values (the `metadata` map), shown as a definition list.
    pub entries: Vec<MetaEntry>,
    /// What the key does, for keys of the Agent Skills spec and Claude Code ([`FIELD_HELP`]).
    pub about: Option<&'static str>,
}

/// One key of a map value in the metadata panel.
#[derive(Debug, Clone, Serialize)]
pub struct MetaEntry {
    /// Key.
    pub key: String,
    /// Display value (nested maps as `k: v` joined with "; ").
    pub value: String,
}

/// A chip in a skill's header: author, version, licence.
#[derive(Debug, Clone, Serialize)]
pub struct Chip {
    /// `author`, `version` or `license`.
    pub key: &'static str,
    /// The value as shown.
    pub value: String,
}

/// SKILL.md front-matter keys and what they do, from the Agent Skills specification
/// (<https://agentskills.io/specification>) and Claude Code's skill reference
/// (<https://docs.claude.com/en/docs/claude-code/skills>).
pub const FIELD_HELP: &[(&str, &str)] = &[
    ("name", "The skill's id: lowercase letters, digits and hyphens, equal to its folder name; Claude Code's /command. Defaults to the folder name."),
    ("description", "What the skill does and when to use it; agents read it to decide when to load the skill (at most 1,024 characters)."),
    ("license", "The licence of the skill."),
    ("compatibility", "What the skill needs to run: products, system packages, network (at most 500 characters)."),
    ("metadata", "Free key–value pairs for clients (author, version, …)."),
    ("allowed-tools", "Tools the agent may use without asking while the skill is active."),
    ("when_to_use", "Claude Code: more on when to use the skill, added to the description the model sees."),
    ("argument-hint", "Claude Code: the hint shown after /name in the command menu, such as [issue-number]."),
    ("arguments", "Claude Code: named arguments of /name, substituted into the body."),
    ("disable-model-invocation", "Claude Code: when true, only a person starts the skill with /name; the model never loads it on its own."),
    ("user-invocable", "Claude Code: when false, the skill is not in the / menu; only the model loads it."),
    ("model", "Claude Code: the model used while the skill runs."),
    ("effort", "Claude Code: the reasoning effort while the skill runs (low, medium, high, …)."),
    ("context", "Claude Code: fork runs the skill in a separate subagent context instead of the conversation."),
    ("agent", "Claude Code: the subagent type that runs the skill when context is fork."),
    ("hooks", "Claude Code: hooks active while the skill runs; they run commands (see What this can run)."),
    ("paths", "Claude Code: file patterns; the skill is offered only when working on matching files."),
    ("shell", "Claude Code: the shell for the skill's inline command blocks (bash or powershell)."),
    ("version", "The skill's version."),
    ("author", "Who wrote the skill."),
];

/// The key's help text in [`FIELD_HELP`].
pub fn field_help(key: &str) -> Option<&'static str> {
    FIELD_HELP.iter().find(|(k, _)| *k == key).map(|(_, h)| *h)
}

/// A file or folder of a skill folder, in the tree the skill page shows
/// ([`crate::render::file_view::skill_files`] lists the files).
#[derive(Debug, Clone, Serialize)]
pub struct FileRow {
    /// Path relative to the skill folder (a folder's without the trailing `/`).
    pub path: String,
    /// File or folder name.
    pub name: String,
    /// Nesting depth (0 = in the skill folder itself).
    pub depth: usize,
    /// Root-relative URL the name links to: the rendered page for Markdown, the viewer page
    /// for a text file, else the raw file; empty for a folder.
    pub url: String,
    /// Rendered Markdown (true) or not.
    pub rendered: bool,
    /// `url` is a viewer page (a highlighted text file).
    pub viewer: bool,
    /// Root-relative URL of the file as published, byte for byte (empty for a folder).
    pub raw_url: String,
    /// `812 B`, `3.4 KB` for assets; empty for pages and folders.
    pub size: String,
    /// True for a folder; its files and folders are in `children`.
    pub folder: bool,
    /// A folder's entries: folders first, then files, each by name.
    pub children: Vec<FileRow>,
}

/// Skill rows printed in the HTML of each catalog page (`catalog.html`, `catalog/2.html`, …).
/// The catalog's script gets the rows after the first page from [`CATALOG_DATA`]; readers
/// without JavaScript follow the page links (docs/catalog.md, "The catalog page").
pub const CATALOG_PAGE_ROWS: usize = 200;

/// Root-relative URL of the catalog's data file: the skill rows after the first
/// [`CATALOG_PAGE_ROWS`], as one `window.__skillsiteCatalog.rows(FIELDS, ROWS)` call
/// ([`catalog_data_js`]). Written only when there are more rows than fit on the first page.
pub const CATALOG_DATA: &str = "catalog/data.js";

/// Root-relative URL of catalog page `n` (1-based): `catalog.html` for the first
/// ([`crate::transform::CATALOG_URL`]), else `catalog/N.html`.
pub fn catalog_page_url(n: usize) -> String {
    if n <= 1 {
        crate::transform::CATALOG_URL.to_string()
    } else {
        format!("catalog/{n}.html")
    }
}

/// How many catalog pages `skills` rows take (at least 1).
pub fn catalog_page_count(skills: usize) -> usize {
    skills.div_ceil(CATALOG_PAGE_ROWS).max(1)
}

/// `catalog`: the catalog page's table and facets, for page `page` of `pages`.
#[derive(Debug, Clone, Serialize)]
pub struct CatalogContext {
    /// The skills of this page: rows `offset + 1 ..= offset + skills.len()` of the catalog
    /// (catalog order: by pack, then as the pack lists them).
    pub skills: Vec<SkillRow>,
    /// Every skill of the site (written and planned).
    pub total: usize,
    /// How many rows come before this page's.
    pub offset: usize,
    /// Facets with at least two values (a facet with one value filters nothing): pack,
    /// type, level, tag, status, audit, agent → values with counts over every skill.
    pub facets: Vec<Facet>,
    /// Which optional columns carry information (see [`CatalogColumns`]).
    pub columns: CatalogColumns,
    /// A card per plugin (plugin and marketplace packs, external ones included); first page only.
    pub plugins: Vec<PluginCard>,
    /// Written and planned totals.
    pub written: usize,
    /// Planned total.
    pub planned: usize,
    /// This page's number, from 1.
    pub page: usize,
    /// Every catalog page (empty when there is only one), for the pager readers without
    /// JavaScript follow.
    pub pages: Vec<CatalogPageLink>,
    /// Root-relative URL of the data file with the rows after the first page
    /// ([`CATALOG_DATA`]), on the first page of a catalog with more than one page.
    pub data_url: Option<String>,
}

/// The catalog table's optional columns: each is shown only when its values differ between
/// skills (issue 14: no Type column where no skill declares a type).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct CatalogColumns {
    /// More than one pack.
    pub pack: bool,
    /// Some skill declares a type, and not every skill the same ones.
    pub types: bool,
    /// Some skill declares a level, and not every skill the same one.
    pub level: bool,
}

/// A link to one catalog page.
#[derive(Debug, Clone, Serialize)]
pub struct CatalogPageLink {
    /// Page number, from 1.
    pub number: usize,
    /// Root-relative URL ([`catalog_page_url`]).
    pub url: String,
    /// First and last row on it, 1-based.
    pub first: usize,
    /// Last row on it.
    pub last: usize,
    /// The page being rendered.
    pub current: bool,
}

/// One filter group of the catalog page.
#[derive(Debug, Clone, Serialize)]
pub struct Facet {
    /// `pack`, `type`, `level`, `tag`, `status`, `audit` or `agent` (the row's `data-KEY`).
    pub key: String,
    /// Heading.
    pub label: String,
    /// Values with counts, most frequent first.
    pub values: Vec<(String, usize)>,
}

fn link(site: &Site, id: SkillId, label: Option<String>) -> SkillLink {
    let s = &site.catalog.skills[id];
    SkillLink {
        name: s.name.clone(),
        url: skill_url(site, id),
        planned: s.planned,
        label,
    }
}

fn row(site: &Site, id: SkillId) -> SkillRow {
    let s = &site.catalog.skills[id];
    SkillRow {
        link: link(site, id, None),
        pack: site.catalog.packs[s.pack].name.clone(),
        types: s.types.clone(),
        level: s.level.clone().unwrap_or_default(),
        tags: s.tags.clone(),
        description: s.description.clone(),
        audit: Vec::new(),
        agents: s.targets.clone(),
    }
}

fn count_rows(site: &Site, ids: &[SkillId], key: impl Fn(SkillId) -> Vec<String>) -> Vec<CountRow> {
    let mut order: Vec<String> = Vec::new();
    let mut map: HashMap<String, Vec<SkillId>> = HashMap::new();
    for &id in ids {
        let mut keys = key(id);
        if keys.is_empty() {
            keys.push("(none)".into());
        }
        for k in keys {
            if !map.contains_key(&k) {
                order.push(k.clone());
            }
            map.entry(k).or_default().push(id);
        }
    }
    let mut rows: Vec<CountRow> = order
        .into_iter()
        .map(|k| {
            let skills = map[&k]
                .iter()
                .map(|&i| link(site, i, None))
                .collect::<Vec<_>>();
            CountRow {
                count: skills.len(),
                name: k,
                skills,
            }
        })
        .collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    rows
}

/// The pack panel for pack `p`, shown on page `on_page`.
pub fn pack_context(site: &Site, p: PackId, on_page: PageId) -> PackContext {
    let c = &site.catalog;
    let pack = &c.packs[p];
    let ids = &pack.skills;
    let planned = ids.iter().filter(|&&i| c.skills[i].planned).count();
    let written = ids.len() - planned;
    PackContext {
        name: pack.name.clone(),
        title: pack.title.clone(),
        source: pack.source,
        kind: if pack.source == PackSource::Folder {
            "pack"
        } else {
            "plugin"
        },
        version: pack.version.clone(),
        written,
        planned,
        percent: written * 100 / ids.len().max(1),
        skills: ids.iter().map(|&i| row(site, i)).collect(),
        type_table: count_rows(site, ids, |i| c.skills[i].types.clone()),
        level_table: count_rows(site, ids, |i| {
            c.skills[i].level.clone().into_iter().collect()
        }),
        diagram: pack_diagram(site, p, on_page, false),
        diagram_full: pack_diagram(site, p, on_page, true),
        can_run: can_run(site, Owner::Pack(p)),
        description: pack.description.clone(),
        about: about(pack),
        agents: pack.targets.clone(),
        external: pack.external,
        marketplace: pack.marketplace.clone(),
        origin: origin_text(pack),
        install: install_command(site, pack),
        install_tabs: crate::render::install::for_pack(site, p),
        parts: parts(site, p),
    }
}

fn about(pack: &crate::model::catalog::Pack) -> AboutContext {
    let a = &pack.about;
    let url = |u: &Option<String>| u.clone().filter(|u| crate::util::url::is_allowed(u));
    let i = pack.interface.as_ref();
    AboutContext {
        author: a.author.clone(),
        license: a.license.clone(),
        homepage: url(&a.homepage),
        repository: url(&a.repository),
        keywords: a.keywords.clone(),
        category: a.category.clone(),
        display_name: i
            .and_then(|i| i.display_name.clone())
            .filter(|d| *d != pack.name),
        brand_color: i.and_then(|i| i.brand_color.clone()).filter(|c| {
            let hex = c.strip_prefix('#').unwrap_or("");
            matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit())
        }),
        manifests: a.manifests.clone(),
    }
}

/// Where a pack comes from, for people: the local folder, or the remote source.
fn origin_text(pack: &crate::model::catalog::Pack) -> String {
    let o = &pack.origin;
    if !o.is_remote() {
        return if pack.folder.is_empty() {
            "this project".into()
        } else {
            format!("{}/", pack.folder)
        };
    }
    let mut out = o.kind.clone();
    for part in [&o.repo, &o.package, &o.url, &o.path].into_iter().flatten() {
        out.push(' ');
        out.push_str(part);
    }
    if let Some(r) = &o.git_ref {
        out.push_str(" @ ");
        out.push_str(r);
    }
    if let Some(sha) = &o.sha {
        out.push_str(&format!(" ({})", sha.chars().take(12).collect::<String>()));
    }
    out
}

/// `/plugin install NAME@MARKETPLACE` for a pack a Claude Code marketplace lists (Copilot's
/// and Codex's marketplaces install from their own interfaces; none is shown for them).
fn install_command(site: &Site, pack: &crate::model::catalog::Pack) -> Option<String> {
    let m = pack.marketplace.as_ref().filter(|m| !m.is_empty())?;
    let claude = site
        .manifests
        .marketplaces
        .iter()
        .any(|x| &x.name == m && x.target == crate::model::manifests::target::CLAUDE_CODE);
    claude.then(|| format!("/plugin install {}@{m}", pack.name))
}

/// The parts of pack `p` for its page and card.
pub fn parts(site: &Site, p: PackId) -> PartsContext {
    let pack = &site.catalog.packs[p];
    let c = &pack.components;
    let url = |page: Option<PageId>| page.map(|id| href_path(&site.pages[id].url));
    let join = |cmd: &Option<String>, args: &[String], u: &Option<String>| match (cmd, u) {
        (Some(c), _) => std::iter::once(c.as_str())
            .chain(args.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" "),
        (None, Some(u)) => u.clone(),
        (None, None) => String::new(),
    };
    let mut out = PartsContext {
        skills: pack.skills.len(),
        agents: c
            .agents
            .iter()
            .map(|a| PartRow {
                name: a.name.clone(),
                description: a.description.clone(),
                url: url(a.page),
                model: a.model.clone(),
                tools: a.tools.clone(),
                color: a.color.clone(),
                argument_hint: None,
            })
            .collect(),
        commands: c
            .commands
            .iter()
            .map(|a| PartRow {
                name: a.invocation.clone(),
                description: a.description.clone(),
                // A TOML command has no page: link its file, published as is.
                url: url(a.page).or_else(|| asset_url(site, &a.source)),
                model: a.model.clone(),
                tools: a.allowed_tools.clone(),
                color: None,
                argument_hint: a.argument_hint.clone(),
            })
            .collect(),
        output_styles: c
            .output_styles
            .iter()
            .map(|a| PartRow {
                name: a.name.clone(),
                description: a.description.clone(),
                url: url(a.page),
                ..PartRow::default()
            })
            .collect(),
        hooks: c
            .hooks
            .iter()
            .map(|h| HookPartRow {
                event: h.event.clone(),
                matcher: h.matcher.clone().unwrap_or_default(),
                kind: h.kind.clone(),
                action: h
                    .command
                    .clone()
                    .or_else(|| h.url.clone())
                    .unwrap_or_default(),
                place: place(&h.file, h.line),
            })
            .collect(),
        mcp_servers: c
            .mcp_servers
            .iter()
            .map(|m| ServerRow {
                name: m.name.clone(),
                runs: join(&m.command, &m.args, &m.url),
                detail: m
                    .transport
                    .clone()
                    .unwrap_or_else(|| if m.command.is_some() { "stdio" } else { "http" }.into()),
                place: place(&m.file, m.line),
            })
            .collect(),
        lsp_servers: c
            .lsp_servers
            .iter()
            .map(|m| ServerRow {
                name: m.name.clone(),
                runs: join(&m.command, &m.args, &None),
                detail: m.languages.join(", "),
                place: place(&m.file, m.line),
            })
            .collect(),
        context_files: c
            .context_files
            .iter()
            .map(|f| PartRow {
                name: f.clone(),
                url: site
                    .page_by_source(f)
                    .map(|id| href_path(&site.pages[id].url)),
                ..PartRow::default()
            })
            .collect(),
        empty: false,
    };
    out.empty = c.is_empty();
    out
}

/// The root-relative URL of a file copied into the site unchanged, if it is.
fn asset_url(site: &Site, source: &str) -> Option<String> {
    site.assets
        .iter()
        .any(|a| a.to == source)
        .then(|| href_path(source))
}

/// `3 skills · 2 agents · 1 command`: the non-zero counts of a pack's parts.
fn counts_text(parts: &PartsContext) -> String {
    let items = [
        (parts.skills, "skill", "skills"),
        (parts.agents.len(), "agent", "agents"),
        (parts.commands.len(), "command", "commands"),
        (parts.output_styles.len(), "output style", "output styles"),
        (parts.hooks.len(), "hook", "hooks"),
        (parts.mcp_servers.len(), "MCP server", "MCP servers"),
        (parts.lsp_servers.len(), "LSP server", "LSP servers"),
    ];
    items
        .iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// `page.marketplace`: the plugins a marketplace file lists, on the page of its root folder.
#[derive(Debug, Clone, Serialize)]
pub struct MarketplaceContext {
    /// Marketplace name (what `/plugin install NAME@MARKETPLACE` uses).
    pub name: String,
    /// Content-relative path of the marketplace file.
    pub file: String,
    /// The agent it is for (`claude-code`, `copilot`).
    pub agent: &'static str,
    /// A card per entry, in the file's order.
    pub plugins: Vec<PluginCard>,
}

/// The marketplaces whose root folder's page is `page` (the home page for the content root).
pub fn marketplaces_on(site: &Site, page: PageId) -> Vec<MarketplaceContext> {
    let url = &site.pages[page].url;
    site.manifests
        .marketplaces
        .iter()
        .filter(|m| {
            if m.folder.is_empty() {
                page == 0
            } else {
                *url == format!("{}/index.html", m.folder)
            }
        })
        .map(|m| {
            let mut ids: Vec<PackId> = Vec::new();
            for e in &m.plugins {
                if let Some(i) = site.catalog.packs.iter().position(|p| {
                    p.name == e.info.name && p.marketplace.as_deref() == Some(m.name.as_str())
                }) {
                    if !ids.contains(&i) {
                        ids.push(i);
                    }
                }
            }
            MarketplaceContext {
                name: m.name.clone(),
                file: m.file.clone(),
                agent: m.target,
                plugins: ids.into_iter().map(|i| plugin_card(site, i)).collect(),
            }
        })
        .collect()
}

fn plugin_card(site: &Site, i: PackId) -> PluginCard {
    let p = &site.catalog.packs[i];
    let parts = parts(site, i);
    PluginCard {
        name: p.name.clone(),
        description: p.description.clone(),
        url: p.page.map(|id| href_path(&site.pages[id].url)),
        version: p.version.clone(),
        external: p.external,
        missing: !p.external && p.page.is_none(),
        origin: origin_text(p),
        install: install_command(site, p),
        agents: p.targets.clone(),
        counts: counts_text(&parts),
    }
}

/// The plugin cards of the catalog page: every plugin and marketplace pack.
pub fn plugin_cards(site: &Site) -> Vec<PluginCard> {
    let c = &site.catalog;
    c.packs
        .iter()
        .enumerate()
        .filter(|(_, p)| p.source != PackSource::Folder)
        .map(|(i, _)| plugin_card(site, i))
        .collect()
}

/// The panel of the page of an agent, command or output style.
pub fn component_context(site: &Site, r: crate::model::catalog::ComponentRef) -> ComponentContext {
    use crate::model::catalog::ComponentRef;
    let (p, kind, i) = match r {
        ComponentRef::Agent(p, i) => (p, "agent", i),
        ComponentRef::Command(p, i) => (p, "command", i),
        ComponentRef::OutputStyle(p, i) => (p, "output style", i),
    };
    let parts = parts(site, p);
    let mut row = match r {
        ComponentRef::Agent(..) => parts.agents[i].clone(),
        ComponentRef::Command(..) => parts.commands[i].clone(),
        ComponentRef::OutputStyle(..) => parts.output_styles[i].clone(),
    };
    // The page shows its front matter description under the title already.
    let page = match r {
        ComponentRef::Agent(..) => site.catalog.packs[p].components.agents[i].page,
        ComponentRef::Command(..) => site.catalog.packs[p].components.commands[i].page,
        ComponentRef::OutputStyle(..) => site.catalog.packs[p].components.output_styles[i].page,
    };
    if page.is_some_and(|id| site.pages[id].description == row.description) {
        row.description.clear();
    }
    let pack = &site.catalog.packs[p];
    let mut agents = pack.targets.clone();
    if let ComponentRef::Agent(_, i) = r {
        if pack.components.agents[i].source.ends_with(".agent.md") {
            agents.retain(|a| a == crate::model::manifests::target::COPILOT);
            if agents.is_empty() {
                agents.push(crate::model::manifests::target::COPILOT.into());
            }
        }
    }
    ComponentContext {
        kind,
        name: row.name.clone(),
        pack: PackLink {
            name: pack.name.clone(),
            title: pack.title.clone(),
            url: pack.page.map(|id| href_path(&site.pages[id].url)),
        },
        row,
        agents,
    }
}

/// `812 B`, `3.4 KB`, `1.2 MB` (powers of 1,000, as file managers show sizes).
pub(crate) fn human_size(bytes: u64) -> String {
    match bytes {
        0..=999 => format!("{bytes} B"),
        1_000..=999_999 => format!("{:.1} KB", bytes as f64 / 1e3),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}

fn place(file: &str, line: usize) -> String {
    if line > 0 {
        format!("{file}:{line}")
    } else {
        file.to_string()
    }
}

/// The panel for a skill or a pack: what the audit found that `owner` owns.
pub fn can_run(site: &Site, owner: Owner) -> CanRun {
    use crate::diagnostics::Severity;
    let a = &site.audit;
    let mut findings: Vec<&crate::model::audit::Finding> =
        a.findings.iter().filter(|f| f.owner == owner).collect();
    findings.sort_by(|x, y| {
        y.severity
            .cmp(&x.severity)
            .then_with(|| (&x.file, x.line).cmp(&(&y.file, y.line)))
    });
    let count = |sev: Severity| findings.iter().filter(|f| f.severity == sev).count();
    let mut panel = CanRun {
        hooks: a
            .hooks
            .iter()
            .filter(|h| h.owner == owner)
            .map(|h| HookRow {
                event: h.event.clone(),
                matcher: h.matcher.clone().unwrap_or_default(),
                command: h.command.clone(),
                place: place(&h.file, h.line),
            })
            .collect(),
        mcp_servers: a
            .mcp_servers
            .iter()
            .filter(|m| m.owner == owner)
            .map(|m| McpRow {
                name: m.name.clone(),
                runs: match (&m.command, &m.url) {
                    (Some(c), _) => std::iter::once(c.as_str())
                        .chain(m.args.iter().map(String::as_str))
                        .collect::<Vec<_>>()
                        .join(" "),
                    (None, Some(u)) => u.clone(),
                    (None, None) => String::new(),
                },
                place: place(&m.file, m.line),
            })
            .collect(),
        scripts: a
            .scripts
            .iter()
            .filter(|sc| sc.owner == owner)
            .map(|sc| ScriptRow {
                file: sc.file.clone(),
                url: site
                    .assets
                    .iter()
                    .any(|x| x.to == sc.file)
                    .then(|| href_path(&sc.file)),
                bytes: sc.bytes,
                size: human_size(sc.bytes),
                findings: sc.findings,
            })
            .collect(),
        tools: Vec::new(),
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        notes: count(Severity::Note),
        findings: findings
            .iter()
            .map(|f| FindingRow {
                rule: f.rule,
                severity: match f.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Note => "note",
                },
                place: place(&f.file, f.line),
                message: f.message.clone(),
                // Most messages quote the excerpt already.
                excerpt: if f.message.contains(f.excerpt.as_str()) {
                    String::new()
                } else {
                    f.excerpt.clone()
                },
            })
            .collect(),
        ..CanRun::default()
    };
    match owner {
        Owner::Skill(id) => {
            let s = &site.catalog.skills[id];
            for key in ["allowed-tools", "tools"] {
                match s.metadata.get(key) {
                    Some(Value::String(t)) => panel.tools.extend(
                        t.split(|c: char| c == ',' || c.is_whitespace())
                            .filter(|t| !t.is_empty())
                            .map(String::from),
                    ),
                    Some(Value::Array(list)) => panel
                        .tools
                        .extend(list.iter().filter_map(|v| v.as_str()).map(String::from)),
                    _ => {}
                }
            }
            let pack = Owner::Pack(s.pack);
            panel.pack_hooks = a.hooks.iter().filter(|h| h.owner == pack).count();
            panel.pack_mcp_servers = a.mcp_servers.iter().filter(|m| m.owner == pack).count();
        }
        Owner::Pack(p) => {
            panel.skill_findings = site.catalog.packs[p]
                .skills
                .iter()
                .flat_map(|&i| a.for_skill(i))
                .filter(|f| f.severity >= Severity::Warning)
                .count();
        }
        Owner::Site => {}
    }
    panel.empty = panel.hooks.is_empty()
        && panel.mcp_servers.is_empty()
        && panel.scripts.is_empty()
        && panel.tools.is_empty()
        && panel.findings.is_empty();
    panel
}

/// Fill colours by skill type (light; in dark mode the stylesheet turns fills into tints of
/// the page background and text into the page's text colour, see `svg.diagram` in skillsite.css).
fn type_colour(t: Option<&String>) -> &'static str {
    match t.map(|s| s.to_ascii_lowercase()).as_deref() {
        Some("technique") => "#dbeafe",
        Some("pattern") => "#dcfce7",
        Some("reference") => "#fef3c7",
        Some("discipline") => "#fce7f3",
        Some(_) => "#ede9fe",
        None => "#f3f4f6",
    }
}

/// Above this many skills with edges, a pack diagram is drawn one connected component at a
/// time (largest first) instead of as one graph (issue 14: graphs over ~40 nodes).
pub const DIAGRAM_SPLIT: usize = 40;

/// The width of the page's content column on a 1400 px window (CSS px), which a diagram
/// should fit at 1:1 so its 14 px labels stay readable (never below 11 px).
pub const COLUMN_PX: f64 = 737.0;

/// The dependency diagram of a pack: skills coloured by type and linked to their pages,
/// dependencies solid (from the dependency to the skill that builds on it); with
/// `cross_refs`, cross-references too, dashed with their label. `None` when there is no edge
/// of the kinds asked for (for `cross_refs`: no cross-reference at all).
///
/// Only skills with an edge are drawn (the rest are listed in the pack's tables): a pack of
/// 134 skills without dependencies gets no diagram. Each drawing is laid out top-to-bottom,
/// or left-to-right when that is narrower and the top-to-bottom one is wider than
/// [`COLUMN_PX`]; over [`DIAGRAM_SPLIT`] skills, each connected component is drawn on its own.
/// Returned HTML: one or more `<svg class="diagram">`, each with a `<title>` and
/// `aria-describedby` pointing at a visually hidden text description (`N skills, M
/// dependencies:` and the list of edges) that follows them.
pub fn pack_diagram(site: &Site, p: PackId, on_page: PageId, cross_refs: bool) -> Option<String> {
    let c = &site.catalog;
    let pack = &c.packs[p];
    let ids = &pack.skills;
    let edges: Vec<_> = c
        .edges
        .iter()
        .filter(|e| c.skills[e.from].pack == p && c.skills[e.to].pack == p)
        .filter(|e| cross_refs || e.kind == EdgeKind::DependsOn)
        .collect();
    let has_kind = |dep: bool| edges.iter().any(|e| (e.kind == EdgeKind::DependsOn) == dep);
    if edges.is_empty() || (cross_refs && !has_kind(false)) {
        return None;
    }
    // Skills with an edge, in pack order, and the connected components they form.
    let drawn: Vec<SkillId> = ids
        .iter()
        .copied()
        .filter(|&i| edges.iter().any(|e| e.from == i || e.to == i))
        .collect();
    let index: HashMap<SkillId, usize> = drawn.iter().enumerate().map(|(k, &i)| (i, k)).collect();
    let mut parent: Vec<usize> = (0..drawn.len()).collect();
    fn root(parent: &mut [usize], mut k: usize) -> usize {
        while parent[k] != k {
            parent[k] = parent[parent[k]];
            k = parent[k];
        }
        k
    }
    for e in &edges {
        let (a, b) = (
            root(&mut parent, index[&e.from]),
            root(&mut parent, index[&e.to]),
        );
        parent[a] = b;
    }
    let mut groups: Vec<Vec<SkillId>> = if drawn.len() > DIAGRAM_SPLIT {
        let mut by_root: BTreeMap<usize, Vec<SkillId>> = BTreeMap::new();
        for (k, &i) in drawn.iter().enumerate() {
            let r = root(&mut parent, k);
            by_root.entry(r).or_default().push(i);
        }
        by_root.into_values().collect()
    } else {
        vec![drawn.clone()]
    };
    groups.sort_by_key(|g| std::cmp::Reverse(g.len()));

    let root_url = relative_root(&site.pages[on_page].url);
    let links: HashMap<String, String> = ids
        .iter()
        .filter_map(|&i| {
            skill_url(site, i).map(|u| {
                (
                    crate::render::templates::escape_html(&c.skills[i].name),
                    format!("{root_url}{u}"),
                )
            })
        })
        .collect();
    let esc = crate::render::templates::escape_html;
    let prefix = if cross_refs { "packx" } else { "pack" };
    let desc_id = format!("{prefix}-desc");
    let deps = edges
        .iter()
        .filter(|e| e.kind == EdgeKind::DependsOn)
        .count();
    let refs = edges.len() - deps;
    let mut html = String::new();
    let mut not_drawn = Vec::new();
    for (n, group) in groups.iter().enumerate() {
        let members: std::collections::HashSet<SkillId> = group.iter().copied().collect();
        let group_edges: Vec<_> = edges.iter().filter(|e| members.contains(&e.from)).collect();
        // DOT edges as drawn: (upper, lower) names, the edge's attributes.
        let drawn_edges: Vec<(&str, &str, String)> = group_edges
            .iter()
            .map(|e| {
                let (a, b) = (c.skills[e.from].name.as_str(), c.skills[e.to].name.as_str());
                match &e.kind {
                    EdgeKind::DependsOn => (b, a, String::new()),
                    EdgeKind::CrossRef { label } => (
                        a,
                        b,
                        format!(
                            " [style=dashed color=\"#6b7280\" label={}]",
                            diagram::quote(&label.to_lowercase())
                        ),
                    ),
                }
            })
            .collect();
        let dot = |rankdir: &str, spacers: &[(&str, &str)]| {
            let mut dot = format!("digraph pack {{\n  rankdir={rankdir};\n  node [shape=box];\n");
            for &i in group {
                let s = &c.skills[i];
                let border = if s.planned { "#9ca3af" } else { "#1f2937" };
                dot.push_str(&format!(
                    "  {} [label={} fontsize={LAYOUT_FONT} style=filled fillcolor=\"{}\" color=\"{border}\"];\n",
                    diagram::quote(&s.name),
                    diagram::quote(&layout_label(&wrap_name(&s.name))),
                    type_colour(s.types.first())
                ));
            }
            for (a, b, attrs) in &drawn_edges {
                dot.push_str(&format!(
                    "  {} -> {}{attrs};\n",
                    diagram::quote(a),
                    diagram::quote(b)
                ));
            }
            for (a, b) in spacers {
                dot.push_str(&format!(
                    "  {} -> {} [color=\"{SPACER}\"];\n",
                    diagram::quote(a),
                    diagram::quote(b)
                ));
            }
            dot.push_str("}\n");
            dot
        };
        let width = |svg: &String| diagram::natural_size(svg).map_or(f64::MAX, |s| s.0);
        let draw = |dot: &str| diagram::dot_to_svg(dot).map(|svg| node_font(&svg));
        let mut svg = draw(&dot("TB", &[]));
        if let Ok(tb) = &svg {
            let tb_width = width(tb);
            if tb_width > COLUMN_PX {
                // Wrap the widest ranks: rows of at most `per_row` skills, the extra rows held
                // below by spacer edges (drawn, then removed from the SVG).
                let names: Vec<&str> = group.iter().map(|&i| c.skills[i].name.as_str()).collect();
                let pairs: Vec<(&str, &str)> =
                    drawn_edges.iter().map(|(a, b, _)| (*a, *b)).collect();
                let ranks = layers(&names, &pairs);
                let widest = ranks.iter().map(Vec::len).max().unwrap_or(1).max(1);
                let per_node = tb_width / widest as f64;
                let per_row = ((COLUMN_PX / per_node).floor() as usize).max(2);
                let spacers = wrap_ranks(&ranks, per_row);
                let mut best = tb.clone();
                if !spacers.is_empty() {
                    if let Ok(wrapped) = draw(&dot("TB", &spacers)) {
                        let wrapped = diagram::crop(&remove_spacers(&wrapped));
                        if width(&wrapped) < width(&best) {
                            best = wrapped;
                        }
                    }
                }
                if width(&best) > COLUMN_PX {
                    if let Ok(lr) = draw(&dot("LR", &[])) {
                        if width(&lr) < width(&best) {
                            best = lr;
                        }
                    }
                }
                svg = Ok(best);
            }
        }
        let Ok(svg) = svg else {
            not_drawn.push(group.len());
            continue;
        };
        let id = if n == 0 {
            prefix.to_string()
        } else {
            format!("{prefix}{n}")
        };
        let what = if cross_refs {
            "Dependencies and cross-references"
        } else {
            "Dependencies"
        };
        let title = if groups.len() > 1 {
            format!(
                "{what} of {}, part {} of {} ({} skills)",
                esc(&pack.title),
                n + 1,
                groups.len(),
                group.len()
            )
        } else {
            format!("{what} of {} ({} skills)", esc(&pack.title), group.len())
        };
        let svg = diagram::uniquify_ids(&diagram::link_nodes(&svg, &links), &id);
        html.push_str(&diagram::with_title(&svg, &title, Some(&desc_id)));
        html.push('\n');
    }
    if html.is_empty() {
        return None;
    }
    if !not_drawn.is_empty() {
        html.push_str(&format!(
            "<p class=\"diagram-note\">{} group{} of skills ({} skills) not drawn: too large to lay out; the edges are listed in the skills' pages.</p>\n",
            not_drawn.len(),
            if not_drawn.len() == 1 { "" } else { "s" },
            not_drawn.iter().sum::<usize>()
        ));
    }
    // The text description (visually hidden, read by screen readers through aria-describedby).
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut head = format!(
        "{}, {}",
        plural(drawn.len(), "skill", "skills"),
        plural(deps, "dependency", "dependencies")
    );
    if cross_refs {
        head.push_str(&format!(
            ", {}",
            plural(refs, "cross-reference", "cross-references")
        ));
    }
    html.push_str(&format!(
        "<div class=\"diagram-desc\" id=\"{desc_id}\"><p>{head}:</p><ul>"
    ));
    for e in &edges {
        let (a, b) = (esc(&c.skills[e.from].name), esc(&c.skills[e.to].name));
        match &e.kind {
            EdgeKind::DependsOn => html.push_str(&format!("<li>{a} depends on {b}</li>")),
            EdgeKind::CrossRef { label } => html.push_str(&format!(
                "<li>{a} → {b} ({})</li>",
                esc(&label.to_lowercase())
            )),
        }
    }
    html.push_str("</ul></div>\n");
    Some(html)
}

/// The font size pack diagram nodes are laid out with (px). layout-rs counts every character
/// as wide as the font size is tall (14 px for a 14 px font, about twice a sans-serif
/// letter), which made a 12-node pack 1,595 px wide; laid out at 9 px, a node is as wide as its
/// label drawn at [`NODE_FONT`], and [`layout_label`] adds blank lines for the height.
const LAYOUT_FONT: usize = 9;

/// The font size pack diagram labels are drawn at (px), at 1:1.
const NODE_FONT: usize = 14;

/// A node label for layout at [`LAYOUT_FONT`]: blank lines (a space each) added so the box is
/// as tall as the label's lines drawn at [`NODE_FONT`].
fn layout_label(label: &str) -> String {
    let lines = label.lines().count().max(1);
    let needed = (lines * NODE_FONT).div_ceil(LAYOUT_FONT);
    let mut out = label.to_string();
    for _ in lines..needed {
        out.push_str("\n ");
    }
    out
}

/// Draws the node labels of a pack diagram at [`NODE_FONT`] (they were laid out at
/// [`LAYOUT_FONT`]) and drops the blank padding lines of [`layout_label`].
fn node_font(svg: &str) -> String {
    svg.replace(
        &format!("font-size=\"{LAYOUT_FONT}\""),
        &format!("font-size=\"{NODE_FONT}\""),
    )
    .replace("<tspan x = ", "<tspan x=")
    .split("<tspan x=")
    .enumerate()
    .map(|(k, part)| {
        // A padding line is a tspan holding one space: `"X" dy="1.0em"> </tspan>`.
        if k > 0
            && part
                .split_once("> </tspan>")
                .is_some_and(|(head, _)| !head.contains('<'))
        {
            let (_, rest) = part.split_once("> </tspan>").unwrap();
            rest.to_string()
        } else if k > 0 {
            format!("<tspan x={part}")
        } else {
            part.to_string()
        }
    })
    .collect()
}

/// The colour of spacer edges in pack diagrams: edges added to the DOT source to push the
/// second and later rows of a wrapped rank down, and removed from the SVG.
const SPACER: &str = "#fffffe";

/// Ranks of a graph laid out top to bottom (longest path from the nodes without edges in):
/// `names` in their order, `edges` as (upper, lower). Cycles are cut by capping the passes.
fn layers<'a>(names: &[&'a str], edges: &[(&str, &str)]) -> Vec<Vec<&'a str>> {
    let mut rank: HashMap<&str, usize> = names.iter().map(|&n| (n, 0)).collect();
    for _ in 0..names.len() {
        let mut changed = false;
        for (a, b) in edges {
            let (Some(&ra), Some(&rb)) = (rank.get(a), rank.get(b)) else {
                continue;
            };
            if rb < ra + 1 && ra + 1 < names.len() {
                rank.insert(b, ra + 1);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let depth = rank.values().max().copied().unwrap_or(0);
    let mut out = vec![Vec::new(); depth + 1];
    for &n in names {
        out[rank[n]].push(n);
    }
    out
}

/// Spacer edges that wrap each rank of more than `per_row` nodes into rows: the k-th node of
/// each row above the k-th node of the next.
fn wrap_ranks<'a>(ranks: &[Vec<&'a str>], per_row: usize) -> Vec<(&'a str, &'a str)> {
    let mut out = Vec::new();
    for rank in ranks.iter().filter(|r| r.len() > per_row) {
        let rows: Vec<&[&str]> = rank.chunks(per_row).collect();
        for pair in rows.windows(2) {
            for (k, &lower) in pair[1].iter().enumerate() {
                out.push((pair[0][k.min(pair[0].len() - 1)], lower));
            }
        }
    }
    out
}

/// Removes the spacer edges (their `<g>` with the path, and the empty label after it).
fn remove_spacers(svg: &str) -> String {
    let needle = format!("stroke=\"{SPACER}ff\"");
    let mut out = svg.to_string();
    while let Some(at) = out.find(&needle) {
        let Some(start) = out[..at].rfind("<g") else {
            break;
        };
        let Some(end_rel) = out[at..].find("</g>") else {
            break;
        };
        let mut end = at + end_rel + "</g>".len();
        let rest = &out[end..];
        let trimmed = rest.trim_start();
        if trimmed.starts_with("<text><textPath") {
            if let Some(t) = trimmed.find("</text>") {
                end += rest.len() - trimmed.len() + t + "</text>".len();
            }
        }
        out.replace_range(start..end, "");
    }
    out
}

/// Breaks a kebab-case name after hyphens into lines of about 18 characters (DOT `\n`), so
/// diagram nodes stay narrow: `infrastructure-as-code-principles` → `infrastructure-as-\ncode-principles`.
fn wrap_name(name: &str) -> String {
    let mut out = String::new();
    let mut line = 0;
    for (i, part) in name.split('-').enumerate() {
        if i > 0 {
            out.push('-');
            line += 1;
            if line + part.len() > 18 {
                out.push('\n');
                line = 0;
            }
        }
        out.push_str(part);
        line += part.len();
    }
    out
}

/// The skill panel for skill `id`.
pub fn skill_context(site: &Site, id: SkillId) -> SkillContext {
    let c = &site.catalog;
    let s = &c.skills[id];
    let pack = &c.packs[s.pack];
    let depends_on = c
        .out_edges(id)
        .filter(|e| e.kind == EdgeKind::DependsOn)
        .map(|e| link(site, e.to, None))
        .collect();
    let used_by = c
        .in_edges(id)
        .filter(|e| e.kind == EdgeKind::DependsOn)
        .map(|e| link(site, e.from, None))
        .collect();
    let mut related: Vec<SkillLink> = Vec::new();
    for e in c
        .edges
        .iter()
        .filter(|e| e.kind != EdgeKind::DependsOn && (e.from == id || e.to == id))
    {
        let (other, label) = match &e.kind {
            EdgeKind::CrossRef { label } if e.from == id => (e.to, label.clone()),
            EdgeKind::CrossRef { label } => (e.from, format!("{label} (from)")),
            EdgeKind::DependsOn => continue,
        };
        if !related.iter().any(|r| r.name == c.skills[other].name) {
            related.push(link(site, other, Some(label)));
        }
    }
    SkillContext {
        name: s.name.clone(),
        pack: PackLink {
            name: pack.name.clone(),
            title: pack.title.clone(),
            url: pack.page.map(|p| href_path(&site.pages[p].url)),
        },
        types: s.types.clone(),
        level: s.level.clone(),
        tags: s.tags.clone(),
        metadata: s
            .metadata
            .iter()
            .map(|(k, v)| match v {
                Value::Object(m) => MetaRow {
                    key: k.clone(),
                    value: String::new(),
                    entries: m
                        .iter()
                        .map(|(k, v)| MetaEntry {
                            key: k.clone(),
                            value: display(v).replace('\n', "; "),
                        })
                        .collect(),
                    about: field_help(k),
                },
                _ => MetaRow {
                    key: k.clone(),
                    value: display(v),
                    entries: Vec::new(),
                    about: field_help(k),
                },
            })
            .collect(),
        chips: chips(&s.metadata),
        depends_on,
        used_by,
        related,
        files: files(site, &s.folder),
        raw_url: href_path(&s.source),
        install: crate::render::install::for_skill(site, id),
        can_run: can_run(site, Owner::Skill(id)),
        agents: s.targets.clone(),
    }
}

/// Author, version and licence of a skill: a top-level key, else the same key in its
/// `metadata` map; an author object shows its `name`.
fn chips(map: &Map<String, Value>) -> Vec<Chip> {
    let meta = map.get("metadata").and_then(Value::as_object);
    ["author", "version", "license"]
        .into_iter()
        .filter_map(|key| {
            let v = map.get(key).or_else(|| meta.and_then(|m| m.get(key)))?;
            let value = match v {
                Value::Object(o) => o.get("name").map(display)?,
                v => display(v),
            };
            let value = value.trim().to_string();
            (!value.is_empty()).then_some(Chip { key, value })
        })
        .collect()
}

/// A metadata value as text: strings as is, lists joined, maps as `key: value` lines.
fn display(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(display).collect::<Vec<_>>().join(", "),
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| format!("{k}: {}", display(v)))
            .collect::<Vec<_>>()
            .join("\n"),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The tree of a skill folder's files: folders hold their entries (folders first).
fn files(site: &Site, folder: &str) -> Vec<FileRow> {
    let mut root: Vec<FileRow> = Vec::new();
    for f in crate::render::file_view::skill_files(site, folder) {
        let parts: Vec<&str> = f.rel.split('/').collect();
        let mut level = &mut root;
        for (depth, dir) in parts[..parts.len() - 1].iter().enumerate() {
            let at = match level.iter().position(|r| r.folder && r.name == *dir) {
                Some(i) => i,
                None => {
                    level.push(FileRow {
                        path: parts[..=depth].join("/"),
                        name: (*dir).to_string(),
                        depth,
                        url: String::new(),
                        rendered: false,
                        viewer: false,
                        raw_url: String::new(),
                        size: String::new(),
                        folder: true,
                        children: Vec::new(),
                    });
                    level.len() - 1
                }
            };
            level = &mut level[at].children;
        }
        let name = parts[parts.len() - 1].to_string();
        level.push(FileRow {
            url: f
                .page
                .clone()
                .or_else(|| f.viewer.as_deref().map(href_path))
                .unwrap_or_else(|| f.raw.clone()),
            rendered: f.page.is_some(),
            viewer: f.viewer.is_some(),
            raw_url: f.raw,
            size: if f.page.is_some() {
                String::new()
            } else {
                human_size(f.bytes)
            },
            folder: false,
            children: Vec::new(),
            depth: parts.len() - 1,
            path: f.rel,
            name,
        });
    }
    sort_tree(&mut root);
    root
}

fn sort_tree(rows: &mut [FileRow]) {
    rows.sort_by(|a, b| b.folder.cmp(&a.folder).then_with(|| a.name.cmp(&b.name)));
    for r in rows.iter_mut() {
        sort_tree(&mut r.children);
    }
}

/// Every skill's catalog row, in catalog order, with its Audit facet values filled in.
fn catalog_rows(site: &Site) -> Vec<SkillRow> {
    let c = &site.catalog;
    // The Audit facet: each skill's rule ids, from one pass over the findings.
    let mut audit: Vec<Vec<String>> = vec![Vec::new(); c.skills.len()];
    for f in &site.audit.findings {
        if let Owner::Skill(i) = f.owner {
            if !audit[i].iter().any(|r| r == f.rule) {
                audit[i].push(f.rule.to_string());
            }
        }
    }
    audit
        .into_iter()
        .enumerate()
        .map(|(i, mut rules)| {
            rules.sort_unstable();
            if rules.is_empty() && !c.skills[i].planned {
                rules.push("no findings".into());
            }
            SkillRow {
                audit: rules,
                ..row(site, i)
            }
        })
        .collect()
}

/// The catalog page context for page `page` (1-based; clamped to the last page): facets and
/// columns over every skill, the rows of that page ([`CATALOG_PAGE_ROWS`] a page), the page
/// links, and on the first page the plugin cards and the data file's URL.
pub fn catalog_context(site: &Site, page: usize) -> CatalogContext {
    catalog_context_from(site, &catalog_rows(site), page)
}

/// [`catalog_context`] from rows already computed by `catalog_rows` (so the pages of a big
/// catalog share one pass over the skills).
fn catalog_context_from(site: &Site, rows: &[SkillRow], page: usize) -> CatalogContext {
    let facet = |key: &str, label: &str, f: &dyn Fn(&SkillRow) -> Vec<String>| -> Facet {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for r in rows {
            for v in f(r) {
                *counts.entry(v).or_default() += 1;
            }
        }
        let mut values: Vec<(String, usize)> = counts.into_iter().collect();
        values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Facet {
            key: key.into(),
            label: label.into(),
            values,
        }
    };
    let status = |r: &SkillRow| if r.link.planned { "planned" } else { "written" };
    let planned = rows.iter().filter(|r| r.link.planned).count();
    let facets = vec![
        facet("pack", "Pack", &|r| vec![r.pack.clone()]),
        facet("type", "Type", &|r| r.types.clone()),
        facet("level", "Level", &|r| {
            (!r.level.is_empty())
                .then(|| r.level.clone())
                .into_iter()
                .collect()
        }),
        facet("tag", "Tag", &|r| r.tags.clone()),
        facet("status", "Status", &|r| vec![status(r).to_string()]),
        facet("audit", "Audit", &|r| r.audit.clone()),
        facet("agent", "Agent", &|r| r.agents.clone()),
    ]
    .into_iter()
    // A facet whose one value every skill has, or none, filters nothing.
    .filter(|f| f.values.len() > 1 || f.values.first().is_some_and(|v| v.1 < rows.len()))
    .collect();
    // A column is shown when its cells differ between rows.
    let differ = |f: &dyn Fn(&SkillRow) -> Vec<String>| {
        rows.first()
            .is_some_and(|first| rows.iter().any(|r| f(r) != f(first)))
    };
    let columns = CatalogColumns {
        pack: differ(&|r| vec![r.pack.clone()]),
        types: differ(&|r| r.types.clone()),
        level: differ(&|r| vec![r.level.clone()]),
    };
    let count = catalog_page_count(rows.len());
    let page = page.clamp(1, count);
    let offset = (page - 1) * CATALOG_PAGE_ROWS;
    let end = (offset + CATALOG_PAGE_ROWS).min(rows.len());
    let pages = if count > 1 {
        (1..=count)
            .map(|n| CatalogPageLink {
                number: n,
                url: catalog_page_url(n),
                first: (n - 1) * CATALOG_PAGE_ROWS + 1,
                last: (n * CATALOG_PAGE_ROWS).min(rows.len()),
                current: n == page,
            })
            .collect()
    } else {
        Vec::new()
    };
    CatalogContext {
        skills: rows[offset.min(end)..end].to_vec(),
        total: rows.len(),
        offset,
        facets,
        columns,
        plugins: if page == 1 {
            plugin_cards(site)
        } else {
            Vec::new()
        },
        written: rows.len() - planned,
        planned,
        page,
        pages,
        data_url: (page == 1 && count > 1).then(|| CATALOG_DATA.to_string()),
    }
}

/// The contexts of catalog pages 2, 3, … (empty when every skill fits on the first page),
/// with each page's root-relative URL.
pub fn catalog_more_pages(site: &Site) -> Vec<(String, CatalogContext)> {
    let rows = catalog_rows(site);
    (2..=catalog_page_count(rows.len()))
        .map(|n| (catalog_page_url(n), catalog_context_from(site, &rows, n)))
        .collect()
}

/// The field names of each row of [`catalog_data_js`], in order.
pub const CATALOG_DATA_FIELDS: &[&str] = &[
    "name",
    "url",
    "planned",
    "pack",
    "types",
    "level",
    "tags",
    "description",
    "audit",
    "agents",
];

/// The catalog's data file ([`CATALOG_DATA`]), or `None` when every skill fits on the first
/// page: `window.__skillsiteCatalog.rows(FIELDS, ROWS);` with `FIELDS` the JSON list
/// [`CATALOG_DATA_FIELDS`] and `ROWS` a JSON list of rows `[name, url, planned, pack, types,
/// level, tags, description, audit, agents]` for every skill after the first
/// [`CATALOG_PAGE_ROWS`], in catalog order. A script rather than JSON because `fetch` fails
/// from `file://` (as for the search index, `src/index/export.rs`). It is data only: one call
/// with JSON arguments; every `url` is a root-relative page URL the build made
/// ([`skill_url`]) or `null`, never a URL from content; texts have hidden characters
/// replaced by visible markers, as the page's HTML has (`util::hidden::reveal_text`).
pub fn catalog_data_js(site: &Site) -> Option<String> {
    let rows = catalog_rows(site);
    if rows.len() <= CATALOG_PAGE_ROWS {
        return None;
    }
    let text = |s: &str| Value::String(reveal_text(s).into_owned());
    let list = |v: &[String]| Value::Array(v.iter().map(|s| text(s)).collect());
    let data: Vec<Value> = rows[CATALOG_PAGE_ROWS..]
        .iter()
        .map(|r| {
            Value::Array(vec![
                text(&r.link.name),
                r.link.url.clone().map_or(Value::Null, Value::String),
                Value::Bool(r.link.planned),
                text(&r.pack),
                list(&r.types),
                text(&r.level),
                list(&r.tags),
                text(&r.description),
                list(&r.audit),
                list(&r.agents),
            ])
        })
        .collect();
    Some(format!(
        "window.__skillsiteCatalog.rows({},{});\n",
        serde_json::to_string(CATALOG_DATA_FIELDS).unwrap_or_default(),
        serde_json::to_string(&data).unwrap_or_default()
    ))
}
