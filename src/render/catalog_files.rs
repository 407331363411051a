//! Agent-facing outputs of the catalog: `catalog.json` (schema in `docs/catalog.md`) and
//! `llms.txt` (<https://llmstxt.org>: a Markdown list of the skills with links).

use serde::Serialize;
use serde_json::{Map, Value};

use crate::model::catalog::{Catalog, EdgeKind, SkillId};
use crate::model::Site;
use crate::render::markdown::href_path;

/// Root-relative URL of a skill's page (with the plan anchor for planned skills).
pub fn skill_url(site: &Site, id: SkillId) -> Option<String> {
    let s = &site.catalog.skills[id];
    let page = &site.pages[s.page?];
    Some(match &s.anchor {
        Some(a) => format!("{}#{a}", href_path(&page.url)),
        None => href_path(&page.url),
    })
}

/// `pack:name`, the id used in `catalog.json`.
pub fn skill_id(c: &Catalog, id: SkillId) -> String {
    let s = &c.skills[id];
    format!("{}:{}", c.packs[s.pack].name, s.name)
}

#[derive(Serialize)]
struct JsonCatalog<'a> {
    schema: &'static str,
    generator: String,
    site: JsonSite<'a>,
    packs: Vec<JsonPack<'a>>,
    skills: Vec<JsonSkill<'a>>,
    edges: Vec<JsonEdge>,
}

#[derive(Serialize)]
struct JsonSite<'a> {
    title: &'a str,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonPack<'a> {
    name: &'a str,
    title: &'a str,
    description: &'a str,
    version: Option<&'a str>,
    source: crate::model::catalog::PackSource,
    marketplace: Option<&'a str>,
    folder: &'a str,
    url: Option<String>,
    skills: Vec<String>,
}

#[derive(Serialize)]
struct JsonSkill<'a> {
    id: String,
    name: &'a str,
    pack: &'a str,
    description: &'a str,
    planned: bool,
    types: &'a [String],
    level: Option<&'a str>,
    tags: &'a [String],
    url: Option<String>,
    source: &'a str,
    raw: Option<String>,
    depends_on: Vec<String>,
    used_by: Vec<String>,
    related: Vec<String>,
    metadata: &'a Map<String, Value>,
}

#[derive(Serialize)]
struct JsonEdge {
    from: String,
    to: String,
    kind: &'static str,
    label: Option<String>,
}

/// `catalog.json`: every pack and skill with metadata, edges and root-relative URLs.
pub fn catalog_json(site: &Site) -> String {
    let c = &site.catalog;
    let ids = |it: &mut dyn Iterator<Item = SkillId>| -> Vec<String> {
        it.map(|i| skill_id(c, i)).collect()
    };
    let doc = JsonCatalog {
        schema: "https://skillsite.dev/schema/catalog-v1.json",
        generator: format!("skillsite {}", env!("CARGO_PKG_VERSION")),
        site: JsonSite {
            title: &site.config.book.title,
            url: site.config.html.site_url.as_deref(),
        },
        packs: c
            .packs
            .iter()
            .map(|p| JsonPack {
                name: &p.name,
                title: &p.title,
                description: &p.description,
                version: p.version.as_deref(),
                source: p.source,
                marketplace: p.marketplace.as_deref(),
                folder: &p.folder,
                url: p.page.map(|id| href_path(&site.pages[id].url)),
                skills: p.skills.iter().map(|&i| skill_id(c, i)).collect(),
            })
            .collect(),
        skills: (0..c.skills.len())
            .map(|i| {
                let s = &c.skills[i];
                JsonSkill {
                    id: skill_id(c, i),
                    name: &s.name,
                    pack: &c.packs[s.pack].name,
                    description: &s.description,
                    planned: s.planned,
                    types: &s.types,
                    level: s.level.as_deref(),
                    tags: &s.tags,
                    url: skill_url(site, i),
                    source: &s.source,
                    raw: (!s.planned).then(|| href_path(&s.source)),
                    depends_on: ids(&mut c
                        .out_edges(i)
                        .filter(|e| e.kind == EdgeKind::DependsOn)
                        .map(|e| e.to)),
                    used_by: ids(&mut c
                        .in_edges(i)
                        .filter(|e| e.kind == EdgeKind::DependsOn)
                        .map(|e| e.from)),
                    related: ids(&mut c
                        .out_edges(i)
                        .filter(|e| e.kind != EdgeKind::DependsOn)
                        .map(|e| e.to)),
                    metadata: &s.metadata,
                }
            })
            .collect(),
        edges: c
            .edges
            .iter()
            .map(|e| JsonEdge {
                from: skill_id(c, e.from),
                to: skill_id(c, e.to),
                kind: match e.kind {
                    EdgeKind::DependsOn => "depends-on",
                    EdgeKind::CrossRef { .. } => "cross-ref",
                },
                label: match &e.kind {
                    EdgeKind::CrossRef { label } => Some(label.clone()),
                    EdgeKind::DependsOn => None,
                },
            })
            .collect(),
    };
    serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into())
}

/// `llms.txt`: the site title, description, then each pack's skills with description and link.
pub fn llms_txt(site: &Site) -> String {
    let c = &site.catalog;
    let base = site
        .config
        .html
        .site_url
        .as_deref()
        .map(|u| {
            if u.ends_with('/') {
                u.to_string()
            } else {
                format!("{u}/")
            }
        })
        .unwrap_or_default();
    let mut out = format!("# {}\n\n", site.config.book.title);
    if !site.config.book.description.is_empty() {
        out.push_str(&format!("> {}\n\n", site.config.book.description));
    }
    for p in &c.packs {
        out.push_str(&format!("## {}\n\n", p.title));
        if !p.description.is_empty() {
            out.push_str(&format!("{}\n\n", p.description));
        }
        for &i in &p.skills {
            let s = &c.skills[i];
            let url = skill_url(site, i)
                .map(|u| format!("{base}{u}"))
                .unwrap_or_default();
            let planned = if s.planned { " (planned)" } else { "" };
            let desc = s
                .description
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            out.push_str(&format!("- [{}]({url}){planned}: {desc}\n", s.name));
        }
        out.push('\n');
    }
    out
}
