//! Agent-facing outputs of the catalog: `catalog.json` (schema in `docs/catalog.md`) and
//! `llms.txt` (<https://llmstxt.org>: a Markdown list of the skills with links).
//!
//! Descriptions go out with hidden characters replaced by visible markers
//! ([`crate::util::hidden::reveal_text`]): what an agent reads here is what a person reading
//! the file sees. `catalog.json` carries each skill's and pack's audit findings.

use serde::Serialize;
use serde_json::{Map, Value};

use std::borrow::Cow;

use crate::model::audit::{Audit, Owner};
use crate::model::catalog::{Catalog, EdgeKind, SkillId};
use crate::model::Site;
use crate::util::hidden::reveal_text;
use crate::util::path::href_path;

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
    description: Cow<'a, str>,
    version: Option<&'a str>,
    kind: crate::model::catalog::PackSource,
    source: &'a crate::model::manifests::PluginSource,
    external: bool,
    marketplace: Option<&'a str>,
    folder: Option<&'a str>,
    url: Option<String>,
    agents: &'a [String],
    author: Option<Cow<'a, str>>,
    license: Option<&'a str>,
    homepage: Option<&'a str>,
    repository: Option<&'a str>,
    keywords: &'a [String],
    category: Option<&'a str>,
    manifests: &'a [String],
    interface: Option<&'a crate::model::manifests::Interface>,
    components: JsonComponents<'a>,
    skills: Vec<String>,
    install: Vec<JsonInstall>,
    audit: JsonAudit<'a>,
}

/// `packs[].components` (docs/catalog.md): each part with its page `url` when it has one.
#[derive(Serialize)]
struct JsonComponents<'a> {
    agents: Vec<JsonPart<'a>>,
    commands: Vec<JsonPart<'a>>,
    output_styles: Vec<JsonPart<'a>>,
    hooks: &'a [crate::model::manifests::HookDecl],
    mcp_servers: &'a [crate::model::manifests::McpDecl],
    lsp_servers: &'a [crate::model::manifests::LspDecl],
    context_files: &'a [String],
}

/// An agent, command or output style in `catalog.json`.
#[derive(Serialize)]
struct JsonPart<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    invocation: Option<&'a str>,
    description: Cow<'a, str>,
    url: Option<String>,
    source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    model: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tools: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    color: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    argument_hint: Option<&'a str>,
}

/// A URL for `catalog.json`: `None` when the URL policy (`util::url`) blocks it.
fn safe_url(u: &Option<String>) -> Option<&str> {
    u.as_deref().filter(|u| crate::util::url::is_allowed(u))
}

fn json_components<'a>(
    site: &Site,
    c: &'a crate::model::catalog::Components,
) -> JsonComponents<'a> {
    let url = |page: Option<usize>| page.map(|id| href_path(&site.pages[id].url));
    JsonComponents {
        agents: c
            .agents
            .iter()
            .map(|a| JsonPart {
                name: &a.name,
                invocation: None,
                description: reveal_text(&a.description),
                url: url(a.page),
                source: &a.source,
                model: a.model.as_deref(),
                tools: Some(&a.tools),
                color: a.color.as_deref(),
                argument_hint: None,
            })
            .collect(),
        commands: c
            .commands
            .iter()
            .map(|a| JsonPart {
                name: &a.name,
                invocation: Some(&a.invocation),
                description: reveal_text(&a.description),
                url: url(a.page).or_else(|| {
                    site.assets
                        .iter()
                        .any(|x| x.to == a.source)
                        .then(|| href_path(&a.source))
                }),
                source: &a.source,
                model: a.model.as_deref(),
                tools: Some(&a.allowed_tools),
                color: None,
                argument_hint: a.argument_hint.as_deref(),
            })
            .collect(),
        output_styles: c
            .output_styles
            .iter()
            .map(|a| JsonPart {
                name: &a.name,
                invocation: None,
                description: reveal_text(&a.description),
                url: url(a.page),
                source: &a.source,
                model: None,
                tools: None,
                color: None,
                argument_hint: None,
            })
            .collect(),
        hooks: &c.hooks,
        mcp_servers: &c.mcp_servers,
        lsp_servers: &c.lsp_servers,
        context_files: &c.context_files,
    }
}

/// `audit` of a skill or pack in `catalog.json` (docs/catalog.md, docs/security.md).
#[derive(Serialize)]
struct JsonAudit<'a> {
    /// Findings by severity: `{"error": 0, "warning": 2, "note": 1}`.
    counts: JsonCounts,
    findings: Vec<JsonFinding<'a>>,
    hooks: Vec<&'a crate::model::audit::Hook>,
    mcp_servers: Vec<&'a crate::model::audit::McpServer>,
    scripts: Vec<&'a crate::model::audit::Script>,
}

#[derive(Serialize, Default)]
struct JsonCounts {
    error: usize,
    warning: usize,
    note: usize,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'static str,
    severity: crate::diagnostics::Severity,
    file: &'a str,
    line: usize,
    message: &'a str,
}

fn json_audit(audit: &Audit, owner: Owner) -> JsonAudit<'_> {
    use crate::diagnostics::Severity;
    let mut counts = JsonCounts::default();
    let findings = audit
        .findings
        .iter()
        .filter(|f| f.owner == owner)
        .map(|f| {
            match f.severity {
                Severity::Error => counts.error += 1,
                Severity::Warning => counts.warning += 1,
                Severity::Note => counts.note += 1,
            }
            JsonFinding {
                rule: f.rule,
                severity: f.severity,
                file: &f.file,
                line: f.line,
                message: &f.message,
            }
        })
        .collect();
    JsonAudit {
        counts,
        findings,
        hooks: audit.hooks.iter().filter(|h| h.owner == owner).collect(),
        mcp_servers: audit
            .mcp_servers
            .iter()
            .filter(|m| m.owner == owner)
            .collect(),
        scripts: audit.scripts.iter().filter(|s| s.owner == owner).collect(),
    }
}

#[derive(Serialize)]
struct JsonSkill<'a> {
    id: String,
    name: &'a str,
    pack: &'a str,
    description: Cow<'a, str>,
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
    aliases: &'a [String],
    install: Vec<JsonInstall>,
    agents: &'a [String],
    interface: Option<&'a crate::model::manifests::Interface>,
    audit: JsonAudit<'a>,
}

#[derive(Serialize)]
struct JsonEdge {
    from: String,
    to: String,
    kind: &'static str,
    label: Option<String>,
}

/// One install command of `skills[].install` / `packs[].install`.
#[derive(Serialize)]
struct JsonInstall {
    agent: String,
    label: String,
    command: String,
}

fn json_install(tabs: Vec<crate::render::install::InstallTab>) -> Vec<JsonInstall> {
    tabs.into_iter()
        .flat_map(|t| {
            let agent = t.agent;
            t.methods.into_iter().map(move |m| JsonInstall {
                agent: agent.clone(),
                label: m.label,
                command: m.command,
            })
        })
        .collect()
}

/// `catalog.json`: every pack and skill with metadata, edges and root-relative URLs.
pub fn catalog_json(site: &Site) -> String {
    let c = &site.catalog;
    let ids = |it: &mut dyn Iterator<Item = SkillId>| -> Vec<String> {
        it.map(|i| skill_id(c, i)).collect()
    };
    let doc = JsonCatalog {
        schema: "https://skillsite.dev/schema/catalog-v2.json",
        generator: format!("skillsite {}", env!("CARGO_PKG_VERSION")),
        site: JsonSite {
            title: &site.config.book.title,
            url: site.config.html.site_url.as_deref(),
        },
        packs: c
            .packs
            .iter()
            .enumerate()
            .map(|(id, p)| JsonPack {
                name: &p.name,
                title: &p.title,
                description: reveal_text(&p.description),
                version: p.version.as_deref(),
                kind: p.source,
                source: &p.origin,
                external: p.external,
                marketplace: p.marketplace.as_deref(),
                folder: (!p.external).then_some(p.folder.as_str()),
                url: p.page.map(|id| href_path(&site.pages[id].url)),
                agents: &p.targets,
                author: p.about.author.as_deref().map(reveal_text),
                license: p.about.license.as_deref(),
                homepage: safe_url(&p.about.homepage),
                repository: safe_url(&p.about.repository),
                keywords: &p.about.keywords,
                category: p.about.category.as_deref(),
                manifests: &p.about.manifests,
                interface: p.interface.as_ref(),
                components: json_components(site, &p.components),
                skills: p.skills.iter().map(|&i| skill_id(c, i)).collect(),
                install: json_install(crate::render::install::for_pack(site, id)),
                audit: json_audit(&site.audit, Owner::Pack(id)),
            })
            .collect(),
        skills: (0..c.skills.len())
            .map(|i| {
                let s = &c.skills[i];
                JsonSkill {
                    id: skill_id(c, i),
                    name: &s.name,
                    pack: &c.packs[s.pack].name,
                    description: reveal_text(&s.description),
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
                    aliases: &s.aliases,
                    install: json_install(crate::render::install::for_skill(site, i)),
                    agents: &s.targets,
                    interface: s.interface.as_ref(),
                    audit: json_audit(&site.audit, Owner::Skill(i)),
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

/// `llms.txt`: the site title, description, then each pack's skills with description and link,
/// its agents and commands (`- agent [name](url): description`, `- command [/plugin:name](url):
/// description`) and, for an external plugin, its install command.
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
        out.push_str(&format!("## {}\n\n", reveal_text(&p.title)));
        if !p.description.is_empty() {
            out.push_str(&format!("{}\n\n", reveal_text(&p.description)));
        }
        for &i in &p.skills {
            let s = &c.skills[i];
            let url = skill_url(site, i)
                .map(|u| format!("{base}{u}"))
                .unwrap_or_default();
            let planned = if s.planned { " (planned)" } else { "" };
            let desc = reveal_text(&s.description);
            let desc = desc.split_whitespace().collect::<Vec<_>>().join(" ");
            out.push_str(&format!("- [{}]({url}){planned}: {desc}\n", s.name));
        }
        // A plugin's agents and commands; for an external plugin, how to get it.
        let one_line = |t: &str| {
            reveal_text(t)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        let link = |page: Option<usize>| {
            page.map(|id| format!("{base}{}", href_path(&site.pages[id].url)))
                .unwrap_or_default()
        };
        for a in &p.components.agents {
            out.push_str(&format!(
                "- agent [{}]({}): {}\n",
                reveal_text(&a.name),
                link(a.page),
                one_line(&a.description)
            ));
        }
        for cmd in &p.components.commands {
            out.push_str(&format!(
                "- command [{}]({}): {}\n",
                reveal_text(&cmd.invocation),
                link(cmd.page),
                one_line(&cmd.description)
            ));
        }
        if p.external {
            if let Some(m) = &p.marketplace {
                out.push_str(&format!(
                    "- external plugin: `/plugin install {}@{}`\n",
                    reveal_text(&p.name),
                    reveal_text(m)
                ));
            }
        }
        out.push('\n');
    }
    out
}
