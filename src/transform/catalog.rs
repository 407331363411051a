//! Builds the [`Catalog`] from the loaded site: packs, written and planned skills, edges.
//!
//! Packs: a skill belongs to the plugin that lists it in a marketplace's `skills`, else to the
//! nearest folder above it with `.claude-plugin/plugin.json` or named as a marketplace plugin's
//! `source`, else to its parent folder. Skills: pages from `SKILL.md`, folders with `skill.json`,
//! and sections of pack plans (planned; a written skill of the same name in the pack supersedes
//! its plan section and inherits type and level it does not declare itself).

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::catalog::{Catalog, Edge, EdgeKind, Pack, PackSource, Skill, SkillId};
use crate::model::{PageId, PageKind, Site};
use crate::transform::{plan, xref};
use crate::util::path::clean;

/// Catalog keys read from front matter, top level or inside `metadata`.
const TYPE_KEYS: &[&str] = &["type", "types", "skill-type", "skill_type"];

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
    b.planned_skills(diags);
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
                    name: p.name.clone(),
                    folder: p.folder.clone().unwrap_or_default(),
                    source: PackSource::Marketplace,
                    marketplace: Some(mk.name.clone()),
                    description: p.description.clone(),
                    version: p.version.clone(),
                };
            }
        }
        // 2. The nearest folder above it with a plugin.json or named as a marketplace source.
        let mut best: Option<Origin> = None;
        let deeper =
            |best: &Option<Origin>, f: &str| best.as_ref().is_none_or(|b| f.len() > b.folder.len());
        for p in m.plugins.iter().filter(|p| is_under(folder, &p.folder)) {
            if deeper(&best, &p.folder) {
                best = Some(Origin {
                    name: p.name.clone(),
                    folder: p.folder.clone(),
                    source: PackSource::Plugin,
                    marketplace: None,
                    description: p.description.clone(),
                    version: p.version.clone(),
                });
            }
        }
        for mk in &m.marketplaces {
            for p in mk.plugins.iter().filter(|p| p.skills.is_none()) {
                let Some(f) = p.folder.as_deref().filter(|f| is_under(folder, f)) else {
                    continue;
                };
                let same = best
                    .as_ref()
                    .is_some_and(|b| b.folder == f && b.name == p.name);
                if same {
                    // The same plugin, also listed in a marketplace.
                    if let Some(b) = best.as_mut() {
                        b.marketplace = Some(mk.name.clone());
                    }
                } else if deeper(&best, f) {
                    best = Some(Origin {
                        name: p.name.clone(),
                        folder: f.to_string(),
                        source: PackSource::Marketplace,
                        marketplace: Some(mk.name.clone()),
                        description: p.description.clone(),
                        version: p.version.clone(),
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
        if let Some(i) = self
            .packs
            .iter()
            .position(|p| p.name == o.name && p.folder == o.folder)
        {
            return i;
        }
        let page = self.section_page(&o.folder);
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
            name: o.name,
            folder: o.folder,
            page,
            source: o.source,
            marketplace: o.marketplace,
            skills: Vec::new(),
        });
        self.packs.len() - 1
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
        let mut found = Vec::new();
        for id in 0..self.skills.len() {
            let s = &self.skills[id];
            if s.planned {
                continue;
            }
            let Some(page) = s.page else { continue };
            let refs = xref::scan(
                &self.site.pages[page].body,
                dir_of(&s.source),
                &pack_names,
                &skill_names,
            );
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
    let meta = map.get("metadata").and_then(Value::as_object);
    let get = |keys: &[&str]| -> Option<&Value> {
        keys.iter()
            .find_map(|k| map.get(*k))
            .or_else(|| meta.and_then(|m| keys.iter().find_map(|k| m.get(*k))))
    };
    let types = get(TYPE_KEYS)
        .map(|v| list(v).iter().flat_map(|t| plan::split_types(t)).collect())
        .unwrap_or_default();
    Skill {
        name,
        pack,
        page,
        anchor: None,
        planned: false,
        in_plan: false,
        description,
        types,
        level: get(&["level", "skill-level", "skill_level"])
            .and_then(|v| list(v).into_iter().next()),
        tags: get(&["tags", "keywords"]).map(list).unwrap_or_default(),
        depends_on: get(&["depends-on", "depends_on", "requires"])
            .map(list)
            .unwrap_or_default(),
        related: get(&["related"]).map(list).unwrap_or_default(),
        folder: folder.to_string(),
        source: source.to_string(),
        line,
        metadata: map.clone(),
    }
}

/// A string or list value as a list of strings (`"a, b"` → [a, b]; `"a b"` stays one item).
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
            .collect(),
        Value::Number(n) => vec![n.to_string()],
        _ => Vec::new(),
    }
}

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
