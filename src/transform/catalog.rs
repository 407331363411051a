//! Builds the [`Catalog`] from the loaded site: packs, written and planned skills, edges.
//!
//! Packs: a skill belongs to the plugin that lists it in a marketplace's `skills`, else to the
//! nearest folder above it with a plugin manifest (`.claude-plugin/plugin.json`,
//! `.codex-plugin/plugin.json`, `.github/plugin/plugin.json`, `gemini-extension.json`), named as
//! a marketplace plugin's `source`, or inferred as a plugin (`load::manifests`), else to its
//! parent folder. Every plugin is a pack even without skills, and so is every marketplace entry:
//! one whose `source` is remote is an *external* pack (metadata only, no page). Several
//! manifests in one folder describe one pack (Claude Code's names it); each adds its agent to
//! the pack's targets. A plugin pack's agents, commands, output styles, hooks, MCP and LSP
//! servers come from `Manifests::parts`, with each agent's and command's front matter from its
//! page. Skills: pages from `SKILL.md`, folders with `skill.json`, and sections of pack plans
//! (planned; a written skill of the same name in the pack supersedes its plan section and
//! inherits type and level it does not declare itself). A skill targets the agents of the
//! folders it was found in ([`folder_targets`]), Codex when it has `agents/openai.yaml`, and
//! its pack's; none means any Agent Skills client.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use serde_json::{Map, Value};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::catalog::{
    About, Agent, Catalog, Command, Components, Edge, EdgeKind, OutputStyle, Pack, PackSource,
    Skill, SkillId,
};
use crate::model::manifests::{
    target, Manifests, PluginInfo, PluginManifest, PluginParts, PluginSource,
};
use crate::model::{PageId, PageKind, Site};
use crate::transform::{plan, xref};
use crate::util::path::clean;

/// Builds the catalog and stores it in `site.catalog`; marks folders with a `skill.json`
/// (and a page) as skill pages. Problems found on the way (hand-written type tables that
/// disagree) go to `diags`; the lint rules are in [`crate::transform::lint`].
pub fn build(site: &mut Site, diags: &Diagnostics) {
    let mut b = Builder {
        site,
        packs: Vec::new(),
        skills: Vec::new(),
        edges: Vec::new(),
        plan_pos: HashMap::new(),
    };
    b.written_skills();
    b.plugin_packs();
    b.planned_skills(diags);
    b.describe_packs();
    b.body_references();
    let Builder {
        packs,
        skills,
        edges,
        plan_pos,
        ..
    } = b;
    let mut catalog = order(packs, skills, edges, &plan_pos);
    dedupe_edges(&mut catalog);
    site.catalog = catalog;
}

/// Where a pack's name and description come from.
struct Origin {
    name: String,
    folder: String,
    source: PackSource,
    marketplace: Option<String>,
    description: String,
    version: Option<String>,
}

struct Builder<'a> {
    site: &'a mut Site,
    packs: Vec<Pack>,
    skills: Vec<Skill>,
    edges: Vec<Edge>,
    /// Position of each skill in its pack's plan, so plan order wins over discovery order.
    plan_pos: HashMap<SkillId, usize>,
}

/// The origin of the plugin whose manifests are in `folder` (Claude Code's manifest first).
fn plugin_origin(m: &Manifests, folder: &str) -> Origin {
    let mut list: Vec<&PluginManifest> = m.plugins_in(folder).collect();
    list.sort_by_key(|p| target_rank(p.target));
    let first = list[0];
    Origin {
        name: first.info.name.clone(),
        folder: folder.to_string(),
        source: PackSource::Plugin,
        marketplace: None,
        description: list
            .iter()
            .find(|p| !p.info.description.is_empty())
            .map(|p| p.info.description.clone())
            .unwrap_or_default(),
        version: list.iter().find_map(|p| p.info.version.clone()),
    }
}

/// Which manifest names a plugin when several describe one folder.
fn target_rank(t: &str) -> usize {
    [
        target::CLAUDE_CODE,
        target::CODEX,
        target::COPILOT,
        target::GEMINI,
    ]
    .iter()
    .position(|x| *x == t)
    .unwrap_or(9)
}

/// Target agents implied by the folders a skill was found in: `.claude/skills` → Claude Code,
/// `.codex/skills` and `.agents/skills` → Codex (a skill's aliases count too), `.github/skills` → Copilot, `.gemini/skills`
/// → Gemini, `.cursor/skills` → cursor, `.opencode/skills` → opencode.
pub fn folder_targets(folder: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in folder.split('/') {
        let t = match part {
            ".claude" => target::CLAUDE_CODE,
            ".codex" | ".agents" => target::CODEX,
            ".github" => target::COPILOT,
            ".gemini" => target::GEMINI,
            ".cursor" => "cursor",
            ".opencode" => "opencode",
            _ => continue,
        };
        out.push(t.to_string());
    }
    out
}

/// The agents, commands, output styles, hooks and servers of a plugin, with the metadata of
/// each agent and command from its page's front matter.
fn components(
    pages: &[crate::model::Page],
    by_source: &HashMap<String, PageId>,
    plugin: &str,
    folder: &str,
    parts: &PluginParts,
) -> Components {
    let fm_of = |src: &str| -> (Option<PageId>, Map<String, Value>, String) {
        match by_source.get(src) {
            Some(&id) => (
                Some(id),
                pages[id].front_matter.clone(),
                pages[id].body.clone(),
            ),
            None => (None, Map::new(), String::new()),
        }
    };
    let stem = |src: &str| -> String {
        let n = src.rsplit('/').next().unwrap_or(src);
        let n = n.strip_suffix(".md").unwrap_or(n);
        n.strip_suffix(".agent").unwrap_or(n).to_string()
    };
    let agents = parts
        .agents
        .iter()
        .map(|src| {
            let (page, fm, _) = fm_of(src);
            Agent {
                name: str_of(&fm, "name").unwrap_or_else(|| stem(src)),
                description: str_of(&fm, "description").unwrap_or_default(),
                model: str_of(&fm, "model"),
                tools: fm.get("tools").map(tool_list).unwrap_or_default(),
                color: str_of(&fm, "color"),
                source: src.clone(),
                page,
            }
        })
        .collect();
    let commands_dir = if folder.is_empty() {
        "commands/".to_string()
    } else {
        format!("{folder}/commands/")
    };
    let mut commands: Vec<Command> = parts
        .commands
        .iter()
        .map(|src| {
            let (page, fm, body) = fm_of(src);
            let name = match src.strip_prefix(&commands_dir) {
                Some(rel) => rel.strip_suffix(".md").unwrap_or(rel).replace('/', ":"),
                None => stem(src),
            };
            let description = str_of(&fm, "description").unwrap_or_else(|| {
                body.lines()
                    .map(|l| l.trim().trim_start_matches('#').trim())
                    .find(|l| !l.is_empty())
                    .unwrap_or("")
                    .chars()
                    .take(200)
                    .collect()
            });
            Command {
                invocation: format!("/{plugin}:{name}"),
                name,
                description,
                argument_hint: str_of(&fm, "argument-hint"),
                allowed_tools: fm.get("allowed-tools").map(tool_list).unwrap_or_default(),
                model: str_of(&fm, "model"),
                source: src.clone(),
                page,
            }
        })
        .collect();
    commands.extend(parts.toml_commands.iter().map(|t| Command {
        invocation: format!("/{}", t.name),
        name: t.name.clone(),
        description: t.description.clone(),
        argument_hint: None,
        allowed_tools: Vec::new(),
        model: None,
        source: t.file.clone(),
        page: None,
    }));
    let output_styles = parts
        .output_styles
        .iter()
        .map(|src| {
            let (page, fm, _) = fm_of(src);
            OutputStyle {
                name: str_of(&fm, "name").unwrap_or_else(|| stem(src)),
                description: str_of(&fm, "description").unwrap_or_default(),
                source: src.clone(),
                page,
            }
        })
        .collect();
    Components {
        agents,
        commands,
        output_styles,
        hooks: parts.hooks.clone(),
        mcp_servers: parts.mcp_servers.clone(),
        lsp_servers: parts.lsp_servers.clone(),
        context_files: parts.context_files.clone(),
    }
}

/// Tools as written: a list, or a string split at commas (`Read, Grep, Bash(git:*)`).
fn tool_list(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => s
            .split(',')
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
        other => list(other),
    }
}

fn dir_of(source: &str) -> &str {
    source.rsplit_once('/').map_or("", |(d, _)| d)
}

fn parent_folder(folder: &str) -> &str {
    folder.rsplit_once('/').map_or("", |(d, _)| d)
}

fn is_under(path: &str, folder: &str) -> bool {
    folder.is_empty() || path == folder || path.starts_with(&format!("{folder}/"))
}

impl Builder<'_> {
    /// Where the pack of a skill in `folder` comes from (see the module docs for the order).
    fn origin(&self, folder: &str) -> Origin {
        let m = &self.site.manifests;
        // 1. A marketplace entry that carves this skill out of a shared folder.
        for mk in &m.marketplaces {
            if let Some(p) = mk.plugins.iter().find(|p| {
                p.skills
                    .as_ref()
                    .is_some_and(|s| s.iter().any(|f| f == folder))
            }) {
                return Origin {
                    name: p.info.name.clone(),
                    folder: p.folder.clone().unwrap_or_default(),
                    source: PackSource::Marketplace,
                    marketplace: Some(mk.name.clone()),
                    description: p.info.description.clone(),
                    version: p.info.version.clone(),
                };
            }
        }
        // 2. The nearest folder above it with a plugin manifest, named as a marketplace
        //    source, or inferred as a plugin.
        let mut best: Option<Origin> = None;
        let deeper =
            |best: &Option<Origin>, f: &str| best.as_ref().is_none_or(|b| f.len() > b.folder.len());
        for p in m.plugins.iter().filter(|p| is_under(folder, &p.folder)) {
            if deeper(&best, &p.folder) {
                best = Some(plugin_origin(m, &p.folder));
            }
        }
        for f in m.inferred.iter().filter(|f| is_under(folder, f)) {
            if deeper(&best, f) {
                best = Some(Origin {
                    name: f.rsplit('/').next().unwrap_or(f).to_string(),
                    folder: f.clone(),
                    source: PackSource::Plugin,
                    marketplace: None,
                    description: String::new(),
                    version: None,
                });
            }
        }
        for mk in &m.marketplaces {
            for p in mk.plugins.iter().filter(|p| p.skills.is_none()) {
                let Some(f) = p.folder.as_deref().filter(|f| is_under(folder, f)) else {
                    continue;
                };
                let same = best.as_ref().is_some_and(|b| b.folder == f);
                if same {
                    // The same plugin, also listed in a marketplace.
                    if let Some(b) = best.as_mut() {
                        if b.marketplace.is_none() {
                            b.marketplace = Some(mk.name.clone());
                        }
                        if b.name != p.info.name
                            && b.source == PackSource::Plugin
                            && m.plugins_in(f).next().is_none()
                        {
                            b.name = p.info.name.clone();
                        }
                        if b.description.is_empty() {
                            b.description = p.info.description.clone();
                        }
                        if b.version.is_none() {
                            b.version = p.info.version.clone();
                        }
                    }
                } else if deeper(&best, f) {
                    best = Some(Origin {
                        name: p.info.name.clone(),
                        folder: f.to_string(),
                        source: PackSource::Marketplace,
                        marketplace: Some(mk.name.clone()),
                        description: p.info.description.clone(),
                        version: p.info.version.clone(),
                    });
                }
            }
        }
        // 3. The parent folder (the site itself for a skill at the content root).
        best.unwrap_or_else(|| {
            let f = parent_folder(folder).to_string();
            let name = if f.is_empty() {
                slug_of(&self.site.config.book.title)
            } else {
                f.rsplit('/').next().unwrap_or(&f).to_string()
            };
            Origin {
                name,
                folder: f,
                source: PackSource::Folder,
                marketplace: None,
                description: String::new(),
                version: None,
            }
        })
    }

    /// The pack for a skill in `folder`, created on first use.
    fn pack_for(&mut self, folder: &str) -> usize {
        let o = self.origin(folder);
        self.pack_of_origin(o, false)
    }

    /// The pack of `o`, created on first use (`external`: a remote marketplace entry).
    fn pack_of_origin(&mut self, o: Origin, external: bool) -> usize {
        if let Some(i) = self
            .packs
            .iter()
            .position(|p| p.name == o.name && p.folder == o.folder && p.external == external)
        {
            return i;
        }
        let page = if external {
            None
        } else {
            self.section_page(&o.folder)
        };
        let (title, page_desc) = page.map_or((o.name.clone(), String::new()), |id| {
            (
                self.site.pages[id].title.clone(),
                self.site.pages[id].description.clone(),
            )
        });
        self.packs.push(Pack {
            title,
            description: if o.description.is_empty() {
                page_desc
            } else {
                o.description
            },
            version: o.version,
            origin: PluginSource {
                kind: "path".into(),
                path: Some(o.folder.clone()),
                ..PluginSource::default()
            },
            name: o.name,
            folder: o.folder,
            page,
            source: o.source,
            marketplace: o.marketplace,
            skills: Vec::new(),
            about: About::default(),
            interface: None,
            external,
            targets: Vec::new(),
            components: Components::default(),
        });
        self.packs.len() - 1
    }

    /// Every plugin is a pack, with skills or without: plugin manifests, inferred plugins and
    /// every marketplace entry (remote sources as external packs).
    fn plugin_packs(&mut self) {
        let m = self.site.manifests.clone();
        let mut folders: Vec<&str> = m.plugins.iter().map(|p| p.folder.as_str()).collect();
        folders.extend(m.inferred.iter().map(String::as_str));
        for f in folders {
            // Through `origin` so a marketplace entry naming the folder is taken into account.
            let o = self.origin(&crate::util::path::join_rel(f, ".plugin"));
            if o.folder == f {
                self.pack_of_origin(o, false);
            }
        }
        for mk in &m.marketplaces {
            for p in &mk.plugins {
                let exists = self.packs.iter().any(|x| {
                    x.name == p.info.name
                        && !x.external
                        && (p.folder.as_deref() == Some(x.folder.as_str())
                            || x.marketplace.as_deref() == Some(&mk.name))
                });
                if exists {
                    continue;
                }
                let o = Origin {
                    name: p.info.name.clone(),
                    folder: p.folder.clone().unwrap_or_default(),
                    source: PackSource::Marketplace,
                    marketplace: Some(mk.name.clone()),
                    description: p.info.description.clone(),
                    version: p.info.version.clone(),
                };
                self.pack_of_origin(o, p.source.is_remote());
            }
        }
    }

    /// Fills each pack's metadata, targets and parts from the manifests, and its skills'
    /// targets.
    fn describe_packs(&mut self) {
        let m = self.site.manifests.clone();
        let by_source: HashMap<String, PageId> = self
            .site
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.draft)
            .filter_map(|(i, p)| p.source.clone().map(|s| (s, i)))
            .collect();
        for id in 0..self.packs.len() {
            let (name, folder, external, source) = {
                let p = &self.packs[id];
                (p.name.clone(), p.folder.clone(), p.external, p.source)
            };
            let mut infos: Vec<PluginInfo> = Vec::new();
            let mut targets: Vec<String> = Vec::new();
            let mut about = About::default();
            let mut carve_out = false;
            if !external && source != PackSource::Folder {
                for pm in m.plugins_in(&folder) {
                    infos.push(pm.info.clone());
                    targets.push(pm.target.to_string());
                    about.manifests.push(pm.file.clone());
                    if self.packs[id].interface.is_none() {
                        self.packs[id].interface = pm.interface.clone();
                    }
                }
            }
            for mk in &m.marketplaces {
                for e in &mk.plugins {
                    let same = e.info.name == name
                        && if external {
                            e.source.is_remote()
                                && self.packs[id].marketplace.as_deref() == Some(&mk.name)
                        } else {
                            !e.source.is_remote() && e.folder.as_deref() == Some(folder.as_str())
                        };
                    if same {
                        infos.push(e.info.clone());
                        targets.push(mk.target.to_string());
                        if !about.manifests.contains(&mk.file) {
                            about.manifests.push(mk.file.clone());
                        }
                        carve_out |= e.skills.is_some();
                        if external && !self.packs[id].origin.is_remote() {
                            // The first entry of a name wins (a duplicate is a warning).
                            self.packs[id].origin = e.source.clone();
                        }
                    }
                }
            }
            if m.inferred.contains(&folder) && source == PackSource::Plugin {
                // A plugin without a manifest has Claude Code's layout.
                targets.push(target::CLAUDE_CODE.into());
            }
            let first = |f: &dyn Fn(&PluginInfo) -> Option<String>| infos.iter().find_map(f);
            about.author = first(&|i| i.author.clone());
            about.license = first(&|i| i.license.clone());
            about.homepage = first(&|i| i.homepage.clone());
            about.repository = first(&|i| i.repository.clone());
            about.category = first(&|i| i.category.clone());
            for i in &infos {
                for k in &i.keywords {
                    if !about.keywords.contains(k) {
                        about.keywords.push(k.clone());
                    }
                }
            }
            let pack = &mut self.packs[id];
            if pack.description.is_empty() {
                pack.description =
                    first(&|i| (!i.description.is_empty()).then(|| i.description.clone()))
                        .unwrap_or_default();
            }
            if pack.version.is_none() {
                pack.version = first(&|i| i.version.clone());
            }
            pack.about = about;
            // Parts: the folder's, unless the pack only carves skills out of a shared folder.
            if !external && !carve_out && source != PackSource::Folder {
                if let Some(parts) = m.parts.get(&folder) {
                    pack.components =
                        components(&self.site.pages, &by_source, &name, &folder, parts);
                    if parts.agents.iter().any(|a| a.ends_with(".agent.md")) {
                        targets.push(target::COPILOT.into());
                    }
                }
            }
            // A pack page without a description of its own (a card on its parent's page)
            // takes the pack's.
            if let Some(page) = pack
                .page
                .filter(|&p| p != 0 && source != PackSource::Folder)
            {
                if self.site.pages[page].description.is_empty() && !pack.description.is_empty() {
                    self.site.pages[page].description = pack.description.clone();
                }
            }
            targets.sort();
            targets.dedup();
            self.packs[id].targets = targets;
            self.title_pack(id);
        }
        // Skills: where they were found, their openai.yaml, their pack's manifests.
        for s in &mut self.skills {
            // The skill's folder and every alias of it (`.claude/skills` linked to `skills/`).
            let mut t: Vec<String> = std::iter::once(&s.folder)
                .chain(&s.aliases)
                .flat_map(|f| folder_targets(f))
                .collect();
            if let Some(i) = m.skill_interfaces.iter().find(|i| i.folder == s.folder) {
                t.push(target::CODEX.into());
                s.interface = Some(i.interface.clone());
            }
            t.extend(self.packs[s.pack].targets.iter().cloned());
            t.sort();
            t.dedup();
            s.targets = t;
        }
        // Folder packs: the union of their skills' targets.
        for id in 0..self.packs.len() {
            if self.packs[id].source == PackSource::Folder {
                let mut t: Vec<String> = self
                    .skills
                    .iter()
                    .filter(|s| s.pack == id)
                    .flat_map(|s| s.targets.iter().cloned())
                    .collect();
                t.sort();
                t.dedup();
                self.packs[id].targets = t;
            }
        }
    }

    /// The pack's title, the one rule for it: the manifest's display name (Codex
    /// `interface.displayName`), else the title its page gives itself (README front matter
    /// `title` or `#` heading; the home page's title for the content root), else the pack's
    /// name as the manifest writes it (plugin.json `name`, the marketplace entry's `name`; a
    /// folder pack's folder name), never a title made from the folder name ("Api scaffolding"
    /// for `api-scaffolding`). A pack page whose title was made from its folder name (no README,
    /// or one without a heading) takes the pack's title, so its heading, breadcrumbs and
    /// sidebar entry say the same.
    fn title_pack(&mut self, id: usize) {
        let pack = &self.packs[id];
        let display = pack
            .interface
            .as_ref()
            .and_then(|i| i.display_name.as_deref())
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_string);
        let folder_name = pack.folder.rsplit('/').next().unwrap_or(&pack.folder);
        // The page's own title, when it is not the loader's fallback from the folder name.
        let own = pack.page.and_then(|p| {
            let page = &self.site.pages[p];
            let written = |key: &str| {
                page.front_matter
                    .get(key)
                    .and_then(Value::as_str)
                    .is_some_and(|t| !t.trim().is_empty())
            };
            let fallback = p != 0
                && (page.source.is_none()
                    || (page.title == crate::model::title_from_name(folder_name)
                        && !written("title")
                        && !written("name")
                        && crate::load::discover::first_heading(&page.body).is_none()));
            (!fallback && !page.title.is_empty()).then(|| page.title.clone())
        });
        let title = display.or(own.clone()).unwrap_or_else(|| pack.name.clone());
        if let (Some(p), None) = (pack.page, &own) {
            self.site.pages[p].title = title.clone();
        }
        self.packs[id].title = title;
    }

    /// The section page of a content folder (`""` → the home page).
    fn section_page(&self, folder: &str) -> Option<PageId> {
        if folder.is_empty() {
            return Some(0);
        }
        let url = format!("{folder}/index.html");
        self.site
            .pages
            .iter()
            .position(|p| p.url == url && !p.draft)
    }

    fn written_skills(&mut self) {
        let skill_pages: Vec<PageId> = (0..self.site.pages.len())
            .filter(|&i| self.site.pages[i].kind == PageKind::Skill)
            .collect();
        for id in skill_pages {
            let page = &self.site.pages[id];
            let source = page.source.clone().unwrap_or_default();
            let folder = dir_of(&source).to_string();
            let fm = page.front_matter.clone();
            let line = page.front_matter_lines.get("name").copied().unwrap_or(1);
            let name = str_of(&fm, "name")
                .unwrap_or_else(|| folder.rsplit('/').next().unwrap_or("").to_string());
            let description = str_of(&fm, "description").unwrap_or_default();
            // The Agent Skills client guide: a skill without a description (or whose front
            // matter cannot be read) is not loaded. Its page stays; lint reports it.
            if description.is_empty() {
                continue;
            }
            let pack = self.pack_for(&folder);
            self.skills.push(skill_from_map(
                name,
                pack,
                Some(id),
                &folder,
                &source,
                line,
                description,
                &fm,
            ));
            if let Some(skill) = self.skills.last_mut() {
                skill.aliases = self.site.pages[id]
                    .aliases
                    .iter()
                    .map(|a| dir_of(a).to_string())
                    .collect();
            }
        }
        // Folders with skill.json and no SKILL.md.
        let manifests = self.site.manifests.skills.clone();
        for m in manifests {
            if self.skills.iter().any(|s| s.folder == m.folder) {
                continue;
            }
            let page = self.section_page(&m.folder);
            if let Some(p) = page {
                if p != 0 {
                    self.site.pages[p].kind = PageKind::Skill;
                }
            }
            let name = str_of(&m.data, "name")
                .unwrap_or_else(|| m.folder.rsplit('/').next().unwrap_or("").to_string());
            let description = str_of(&m.data, "description").unwrap_or_default();
            let pack = self.pack_for(&m.folder);
            let mut skill = skill_from_map(
                name,
                pack,
                page,
                &m.folder,
                &m.source,
                1,
                description,
                &m.data,
            );
            // skill.json: "dependencies": {"name": "^1.0"} or ["name"].
            match m.data.get("dependencies") {
                Some(Value::Object(d)) => skill.depends_on.extend(d.keys().cloned()),
                Some(Value::Array(a)) => skill
                    .depends_on
                    .extend(a.iter().filter_map(Value::as_str).map(str::to_string)),
                _ => {}
            }
            self.skills.push(skill);
        }
    }

    fn planned_skills(&mut self, diags: &Diagnostics) {
        let plans: Vec<(PageId, plan::Plan)> = self
            .site
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.draft && p.source.is_some())
            .filter_map(|(i, p)| plan::parse(&p.body).map(|pl| (i, pl)))
            .collect();
        for (page_id, pl) in plans {
            let page = &self.site.pages[page_id];
            let source = page.source.clone().unwrap_or_default();
            let body_line = page.body_line;
            let folder = dir_of(&source).to_string();
            // The plan's pack: named by the plan, else the pack of its folder.
            let pack = match pl
                .pack_name
                .as_ref()
                .and_then(|n| self.packs.iter().position(|p| &p.name == n))
            {
                Some(p) => p,
                None => {
                    let p = self.pack_for(&format!("{folder}/.plan"));
                    if let Some(n) = &pl.pack_name {
                        if self.packs[p].source == PackSource::Folder {
                            self.packs[p].name = n.clone();
                        }
                    }
                    p
                }
            };
            if self.packs[pack].page.is_none() {
                self.packs[pack].page = Some(page_id);
            }
            let mut ids = Vec::new();
            for ps in &pl.skills {
                let existing = self
                    .skills
                    .iter()
                    .position(|s| s.name == ps.name && s.pack == pack);
                let id = match existing {
                    Some(i) => {
                        let s = &mut self.skills[i];
                        s.in_plan = true;
                        if s.types.is_empty() {
                            s.types = ps.types.clone();
                        }
                        if s.level.is_none() {
                            s.level = ps.level.clone();
                        }
                        for d in &ps.depends_on {
                            if !s.depends_on.contains(d) {
                                s.depends_on.push(d.clone());
                            }
                        }
                        i
                    }
                    None => {
                        let mut metadata = Map::new();
                        metadata.insert("type".into(), Value::String(ps.types.join("/")));
                        if let Some(l) = &ps.level {
                            metadata.insert("level".into(), Value::String(l.clone()));
                        }
                        self.skills.push(Skill {
                            name: ps.name.clone(),
                            pack,
                            page: Some(page_id),
                            anchor: Some(ps.anchor.clone()),
                            planned: true,
                            in_plan: true,
                            description: ps.description.clone(),
                            types: ps.types.clone(),
                            level: ps.level.clone(),
                            tags: Vec::new(),
                            depends_on: ps.depends_on.clone(),
                            related: Vec::new(),
                            folder: format!(
                                "{}{}",
                                if folder.is_empty() {
                                    String::new()
                                } else {
                                    format!("{folder}/")
                                },
                                ps.name
                            ),
                            source: source.clone(),
                            line: body_line + ps.line - 1,
                            metadata,
                            aliases: Vec::new(),
                            targets: Vec::new(),
                            interface: None,
                        });
                        self.skills.len() - 1
                    }
                };
                let next = self.plan_pos.len();
                self.plan_pos.entry(id).or_insert(next);
                ids.push((id, ps.cross_refs.clone()));
            }
            for (id, refs) in ids {
                for (label, name) in refs {
                    if let Some(to) = self.resolve(&name, pack) {
                        self.edges.push(Edge {
                            from: id,
                            to,
                            kind: EdgeKind::CrossRef { label },
                        });
                    }
                }
            }
            compare_type_table(self, pack, &pl, &source, body_line, diags);
        }
        // Dependency edges for every skill (written and planned).
        for id in 0..self.skills.len() {
            for dep in self.skills[id].depends_on.clone() {
                if let Some(to) = self.resolve(&dep, self.skills[id].pack) {
                    if to != id {
                        self.edges.push(Edge {
                            from: id,
                            to,
                            kind: EdgeKind::DependsOn,
                        });
                    }
                }
            }
            for rel in self.skills[id].related.clone() {
                if let Some(to) = self.resolve(&rel, self.skills[id].pack) {
                    if to != id {
                        self.edges.push(Edge {
                            from: id,
                            to,
                            kind: EdgeKind::CrossRef {
                                label: "related".into(),
                            },
                        });
                    }
                }
            }
        }
    }

    /// A skill by name, `pack:name` id, preferring the same pack.
    fn resolve(&self, name: &str, pack: usize) -> Option<SkillId> {
        let (pack_name, skill) = match name.split_once(':') {
            Some((p, s)) => (Some(p), s),
            None => (None, name),
        };
        let candidates: Vec<SkillId> = (0..self.skills.len())
            .filter(|&i| self.skills[i].name == skill)
            .collect();
        if let Some(pn) = pack_name {
            return candidates
                .into_iter()
                .find(|&i| self.packs[self.skills[i].pack].name == pn);
        }
        candidates
            .iter()
            .copied()
            .find(|&i| self.skills[i].pack == pack)
            .or_else(|| candidates.first().copied())
    }

    fn body_references(&mut self) {
        let pack_names: HashSet<String> = self.packs.iter().map(|p| p.name.clone()).collect();
        let skill_names: HashSet<String> = self.skills.iter().map(|s| s.name.clone()).collect();
        // The scans (the text of every written skill) in parallel, the resolution in order.
        let scans: Vec<(usize, Vec<xref::Reference>)> = {
            let (skills, pages) = (&self.skills, &self.site.pages);
            (0..skills.len())
                .into_par_iter()
                .filter_map(|id| {
                    let s = &skills[id];
                    let page = s.page.filter(|_| !s.planned)?;
                    let refs = xref::scan(
                        &pages[page].body,
                        dir_of(&s.source),
                        &pack_names,
                        &skill_names,
                    );
                    Some((id, refs))
                })
                .collect()
        };
        let mut found = Vec::new();
        for (id, refs) in scans {
            let s = &self.skills[id];
            for r in refs {
                let to = match &r.target {
                    xref::Target::Name(n) => self.resolve(n, s.pack),
                    xref::Target::Folder(f) => self
                        .skills
                        .iter()
                        .position(|x| !x.planned && &x.folder == f),
                };
                if let Some(to) = to {
                    if to != id {
                        let kind = if r.required {
                            EdgeKind::DependsOn
                        } else {
                            EdgeKind::CrossRef {
                                label: r.label.clone(),
                            }
                        };
                        found.push(Edge { from: id, to, kind });
                    }
                }
            }
        }
        self.edges.extend(found);
    }
}

/// Builds a skill from front matter or a manifest (catalog keys at the top or in `metadata`).
#[allow(clippy::too_many_arguments)]
fn skill_from_map(
    name: String,
    pack: usize,
    page: Option<PageId>,
    folder: &str,
    source: &str,
    line: usize,
    description: String,
    map: &Map<String, Value>,
) -> Skill {
    let fields = crate::model::front_matter::CatalogFields::read(map);
    Skill {
        name,
        pack,
        page,
        anchor: None,
        planned: false,
        in_plan: false,
        description,
        types: fields.types,
        level: fields.level,
        tags: fields.tags,
        depends_on: fields.depends_on,
        related: fields.related,
        folder: folder.to_string(),
        source: source.to_string(),
        line,
        metadata: map.clone(),
        aliases: Vec::new(),
        targets: Vec::new(),
        interface: None,
    }
}

pub use crate::model::front_matter::list;

fn str_of(map: &Map<String, Value>, key: &str) -> Option<String> {
    match map.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

fn slug_of(title: &str) -> String {
    crate::util::slug::github_slug(title)
}

/// Warns when a plan's hand-written type table disagrees with the types of its sections.
fn compare_type_table(
    b: &Builder<'_>,
    pack: usize,
    pl: &plan::Plan,
    source: &str,
    body_line: usize,
    diags: &Diagnostics,
) {
    if pl.type_table.is_empty() {
        return;
    }
    let pack_skills: Vec<&Skill> = b.skills.iter().filter(|s| s.pack == pack).collect();
    let file = clean(&b.site.config.src_dir().join(source));
    let mut types: Vec<&str> = pack_skills
        .iter()
        .flat_map(|s| s.types.iter().map(String::as_str))
        .collect();
    types.sort_unstable();
    types.dedup();
    for t in types {
        if !pl.type_table.iter().any(|r| r.kind.eq_ignore_ascii_case(t)) {
            let names: Vec<&str> = pack_skills
                .iter()
                .filter(|s| s.types.iter().any(|x| x == t))
                .map(|s| s.name.as_str())
                .collect();
            diags.push(
                Diagnostic::warning("type-table", format!("hand-written skill-type table has no row for `{t}` ({})", names.join(", ")))
                    .at(&file)
                    .line((body_line + pl.type_table[0].line).saturating_sub(3))
                    .hint("the pack page shows the table computed from each skill's **Type:**; update or remove the hand-written one"),
            );
        }
    }
    for row in &pl.type_table {
        let computed: Vec<&str> = pack_skills
            .iter()
            .filter(|s| s.types.iter().any(|t| t.eq_ignore_ascii_case(&row.kind)))
            .map(|s| s.name.as_str())
            .collect();
        let listed: Vec<&str> = row
            .skills
            .iter()
            .filter_map(|abbr| match_abbreviation(abbr, &pack_skills))
            .collect();
        let missing: Vec<&str> = computed
            .iter()
            .copied()
            .filter(|n| !listed.contains(n))
            .collect();
        let extra: Vec<&str> = listed
            .iter()
            .copied()
            .filter(|n| !computed.contains(n))
            .collect();
        let count_off = row.count.is_some_and(|c| c != computed.len());
        if missing.is_empty() && extra.is_empty() && !count_off {
            continue;
        }
        let mut parts = Vec::new();
        if count_off {
            parts.push(format!(
                "it counts {} {} skills, the skill sections give {}",
                row.count.unwrap_or(0),
                row.kind,
                computed.len()
            ));
        }
        if !missing.is_empty() {
            parts.push(format!("missing from the row: {}", missing.join(", ")));
        }
        if !extra.is_empty() {
            parts.push(format!("listed but not of this type: {}", extra.join(", ")));
        }
        diags.push(
            Diagnostic::warning("type-table", format!("hand-written skill-type table disagrees with the skills' types for `{}`: {}", row.kind, parts.join("; ")))
                .at(&file)
                .line(body_line + row.line - 1)
                .hint("the pack page shows the table computed from each skill's **Type:**; update or remove the hand-written one"),
        );
    }
}

/// Matches an abbreviation such as `multi-stage-builds` to the one skill whose name contains
/// all its words in order (`multi-stage-docker-builds`).
fn match_abbreviation<'a>(abbr: &str, skills: &[&'a Skill]) -> Option<&'a str> {
    let abbr = abbr.trim().trim_matches('`').to_lowercase();
    if let Some(s) = skills.iter().find(|s| s.name == abbr) {
        return Some(s.name.as_str());
    }
    let words: Vec<&str> = abbr.split(['-', ' ']).filter(|w| !w.is_empty()).collect();
    let matches: Vec<&'a str> = skills
        .iter()
        .filter(|s| {
            let mut parts = s.name.split('-');
            words
                .iter()
                .all(|w| parts.any(|p| p == *w || (p.starts_with(*w) && w.len() >= 4)))
        })
        .map(|s| s.name.as_str())
        .collect();
    (matches.len() == 1).then(|| matches[0])
}

/// Sorts packs by name and skills by pack (keeping their order), remapping ids.
fn order(
    mut packs: Vec<Pack>,
    skills: Vec<Skill>,
    edges: Vec<Edge>,
    plan_pos: &HashMap<SkillId, usize>,
) -> Catalog {
    let mut pack_order: Vec<usize> = (0..packs.len()).collect();
    pack_order.sort_by(|&a, &b| {
        packs[a]
            .name
            .cmp(&packs[b].name)
            .then(packs[a].folder.cmp(&packs[b].folder))
    });
    let pack_map: HashMap<usize, usize> = pack_order
        .iter()
        .enumerate()
        .map(|(new, &old)| (old, new))
        .collect();
    let mut skill_order: Vec<usize> = (0..skills.len()).collect();
    skill_order.sort_by_key(|&i| {
        (
            pack_map[&skills[i].pack],
            plan_pos.get(&i).copied().unwrap_or(usize::MAX),
            i,
        )
    });
    let skill_map: HashMap<usize, usize> = skill_order
        .iter()
        .enumerate()
        .map(|(new, &old)| (old, new))
        .collect();
    let mut new_packs: Vec<Pack> = pack_order
        .iter()
        .map(|&i| std::mem::replace(&mut packs[i], placeholder()))
        .collect();
    let mut skills: Vec<Option<Skill>> = skills.into_iter().map(Some).collect();
    let new_skills: Vec<Skill> = skill_order
        .iter()
        .filter_map(|&i| skills[i].take())
        .map(|mut s| {
            s.pack = pack_map[&s.pack];
            s
        })
        .collect();
    for p in &mut new_packs {
        p.skills.clear();
    }
    for (i, s) in new_skills.iter().enumerate() {
        new_packs[s.pack].skills.push(i);
    }
    let edges = edges
        .into_iter()
        .map(|e| Edge {
            from: skill_map[&e.from],
            to: skill_map[&e.to],
            kind: e.kind,
        })
        .collect();
    Catalog {
        packs: new_packs,
        skills: new_skills,
        edges,
    }
}

fn placeholder() -> Pack {
    Pack {
        name: String::new(),
        title: String::new(),
        description: String::new(),
        version: None,
        folder: String::new(),
        page: None,
        source: PackSource::Folder,
        marketplace: None,
        skills: Vec::new(),
        about: About::default(),
        interface: None,
        origin: PluginSource::default(),
        external: false,
        targets: Vec::new(),
        components: Components::default(),
    }
}

/// Removes duplicate edges, and cross-references that repeat a dependency between the same pair.
fn dedupe_edges(c: &mut Catalog) {
    let deps: HashSet<(usize, usize)> = c
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::DependsOn)
        .map(|e| (e.from, e.to))
        .collect();
    let mut seen = HashSet::new();
    let mut seen_pairs = HashSet::new();
    c.edges.retain(|e| {
        if e.kind != EdgeKind::DependsOn
            && (deps.contains(&(e.from, e.to)) || !seen_pairs.insert((e.from, e.to, 1)))
        {
            return false;
        }
        seen.insert(e.clone())
    });
}
