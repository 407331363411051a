//! `skillsite mcp [DIR]` (part of the binary): a Model Context Protocol server over stdio
//! (the official Rust SDK, `rmcp`) that lets an agent search and read a skill catalog.
//!
//! DIR is a built site (holding `catalog.json`), or a project whose build folder holds one:
//! then the server reads the built files (`catalog.json`, `.well-known/skills/index.json`,
//! the raw `SKILL.md` files and the tantivy index under `search/tantivy/`). Otherwise it runs
//! the stages `check` runs up to the search index — load, transform, the Markdown pass of the
//! render stage, the index — in memory (the index in RAM) and writes nothing.
//!
//! Tools (arguments and answers in `docs/catalog.md`, "MCP server"):
//! - `search_skills {query, pack?, type?, level?, limit?}`: the catalog search of
//!   `skillsite search` (`index::query`) restricted to written skills; each result has `name`,
//!   `pack`, `description`, `url` and the BM25 `score`, best first;
//! - `get_skill {name, pack?}`: the skill's metadata and file list (JSON), then its `SKILL.md`;
//! - `list_packs {}`: every pack with its skills.
//!
//! Resources: `skillsite://skill/PACK/NAME/SKILL.md` for each written skill (`text/markdown`).
//!
//! Everything it answers is text an agent reads, so hidden characters are replaced by visible
//! markers (`util::hidden::reveal_text`), as in `llms.txt`. It never writes a file and never
//! runs anything from the catalog. Diagnostics of an in-memory build go to stderr (stdout is
//! the protocol).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{
    CallToolResult, ContentBlock, Implementation, ListResourcesResult, PaginatedRequestParams,
    ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult, Resource,
    ResourceContents, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{schemars, tool, tool_handler, tool_router, ErrorData, RoleServer, ServerHandler};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use skillsite::diagnostics::{Diagnostics, Severity};
use skillsite::index::query::{SearchIndex, SearchOptions};
use skillsite::util::hidden::reveal_text;

/// Most results `search_skills` returns.
const MAX_LIMIT: usize = 50;

/// One skill as the server knows it.
#[derive(Debug, Clone, Serialize)]
struct SkillEntry {
    /// `pack:name`.
    id: String,
    name: String,
    pack: String,
    description: String,
    types: Vec<String>,
    level: Option<String>,
    /// The skill page: absolute when the site's `site-url` is known, else root-relative.
    url: String,
    /// Files of the skill folder (paths inside it, `SKILL.md` among them).
    files: Vec<String>,
    /// `npx skills add SITE --skill NAME` when the site is published and the skill is listed.
    #[serde(skip_serializing_if = "Option::is_none")]
    install: Option<String>,
    /// Root-relative page URL as the search index stores it (to map hits to skills).
    #[serde(skip)]
    page_url: String,
    /// Where the SKILL.md text is read from.
    #[serde(skip)]
    source: PathBuf,
}

#[derive(Debug, Clone, Serialize)]
struct PackEntry {
    name: String,
    title: String,
    description: String,
    skills: Vec<String>,
}

/// The catalog the server answers from.
struct Catalog {
    title: String,
    skills: Vec<SkillEntry>,
    packs: Vec<PackEntry>,
    search: SearchIndex,
}

/// Runs the server until the client closes stdin. Exit status 1 when the catalog cannot be
/// loaded or the transport fails.
pub fn run(dir: &Path) -> ExitCode {
    let catalog = match load(dir) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    eprintln!(
        "skillsite mcp: serving {} skills of {:?} over stdio",
        catalog.skills.len(),
        catalog.title
    );
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let server = Server::new(catalog);
    let result = runtime.block_on(async move {
        use rmcp::ServiceExt;
        let service = server
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| e.to_string())?;
        service.waiting().await.map_err(|e| e.to_string())?;
        Ok::<(), String>(())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// The built site of `dir`: `dir` itself when it holds `catalog.json`, else the project's build
/// folder when that does.
fn built_site(dir: &Path) -> Option<PathBuf> {
    if dir.join("catalog.json").is_file() {
        return Some(dir.to_path_buf());
    }
    let diags = Diagnostics::new();
    let config = skillsite::load::config::Config::load(dir, &diags).ok()?;
    let built = config.build_dir();
    built.join("catalog.json").is_file().then_some(built)
}

fn load(dir: &Path) -> Result<Catalog, String> {
    match built_site(dir) {
        Some(built) => {
            eprintln!(
                "skillsite mcp: reading the built site in {}",
                skillsite::util::path::clean(&built).display()
            );
            load_built(&built)
        }
        None => {
            eprintln!(
                "skillsite mcp: no built site; loading {} in memory",
                dir.display()
            );
            load_memory(dir)
        }
    }
}

fn absolute(base: &str, url: &str) -> String {
    if base.is_empty() {
        url.to_string()
    } else {
        format!("{}/{url}", base.trim_end_matches('/'))
    }
}

/// From a built site: `catalog.json`, the file lists of `.well-known/skills/index.json`, the raw
/// `SKILL.md` files and `search/tantivy/`.
fn load_built(built: &Path) -> Result<Catalog, String> {
    let read_json = |rel: &str| -> Result<Value, String> {
        let path = built.join(rel);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    };
    let catalog = read_json("catalog.json")?;
    let files: HashMap<String, Vec<String>> = read_json(".well-known/skills/index.json")
        .ok()
        .and_then(|v| v.get("skills").cloned())
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|e| {
            let name = e.get("name")?.as_str()?.to_string();
            let files = e
                .get("files")?
                .as_array()?
                .iter()
                .filter_map(|f| f.as_str().map(str::to_string))
                .collect();
            Some((name, files))
        })
        .collect();
    let str_of = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let base = catalog
        .get("site")
        .and_then(|s| str_of(s, "url"))
        .unwrap_or_default();
    let title = catalog
        .get("site")
        .and_then(|s| str_of(s, "title"))
        .unwrap_or_default();
    let mut first_of_name: HashMap<String, usize> = HashMap::new();
    let mut skills = Vec::new();
    for s in catalog
        .get("skills")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if s.get("planned").and_then(Value::as_bool).unwrap_or(false) {
            continue;
        }
        let (Some(name), Some(raw)) = (str_of(s, "name"), str_of(s, "raw")) else {
            continue;
        };
        let page_url = str_of(s, "url").unwrap_or_default();
        // The well-known index lists the first skill of a name (catalog order).
        let first = !first_of_name.contains_key(&name);
        first_of_name.entry(name.clone()).or_insert(skills.len());
        let listed = first.then(|| files.get(&name).cloned()).flatten();
        let http = base.starts_with("https://") || base.starts_with("http://");
        let install = match (&listed, http) {
            (Some(_), true) => Some(format!(
                "npx skills add {} --skill {name}",
                shlex::try_quote(&base).map_err(|e| e.to_string())?
            )),
            _ => None,
        };
        skills.push(SkillEntry {
            id: str_of(s, "id").unwrap_or_else(|| name.clone()),
            pack: str_of(s, "pack").unwrap_or_default(),
            description: str_of(s, "description").unwrap_or_default(),
            types: s
                .get("types")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|t| t.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
            level: str_of(s, "level"),
            url: absolute(&base, &page_url),
            files: listed.unwrap_or_else(|| vec!["SKILL.md".into()]),
            install,
            page_url,
            source: built.join(skillsite::util::path::percent_decode_lossy(&raw)),
            name,
        });
    }
    let packs = catalog
        .get("packs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| PackEntry {
            name: str_of(p, "name").unwrap_or_default(),
            title: str_of(p, "title").unwrap_or_default(),
            description: str_of(p, "description").unwrap_or_default(),
            skills: p
                .get("skills")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|t| t.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect();
    // The CLI's tantivy index lives beside the build folder (`.skillsite-cache/`), not in it.
    let tantivy = skillsite::index::query::locate(built).ok_or_else(|| {
        format!(
            "no search index for `{}` (build the site first, or point at the project)",
            built.display()
        )
    })?;
    let search = SearchIndex::open(&tantivy)?;
    Ok(Catalog {
        title,
        skills,
        packs,
        search,
    })
}

/// In memory: load, transform, the Markdown pass and the search index in RAM; nothing written.
fn load_memory(dir: &Path) -> Result<Catalog, String> {
    if !dir.is_dir() {
        return Err(format!("`{}` is not a folder", dir.display()));
    }
    let diags = Diagnostics::new();
    let config = skillsite::load::config::Config::load(dir, &diags).map_err(|d| d.to_string())?;
    let mut site = skillsite::load::load_with(config, &diags).map_err(|d| d.to_string())?;
    skillsite::transform::transform(&mut site, &diags, false);
    let bodies = skillsite::render::render_bodies(&site, &diags, &|_, _| {});
    let mut docs: Vec<_> = bodies
        .iter()
        .enumerate()
        .filter_map(|(id, b)| {
            b.as_ref()
                .map(|b| skillsite::index::page_search_doc(&site, id, b))
        })
        .collect();
    docs.extend(skillsite::index::planned_docs(&site, &bodies));
    let built = skillsite::index::build_index(docs, None).map_err(|e| e.to_string())?;
    let search = SearchIndex::from_index(built.index)?;
    let (warnings, errors) = (diags.count(Severity::Warning), diags.count(Severity::Error));
    if warnings + errors > 0 {
        eprintln!("skillsite mcp: {warnings} warnings, {errors} errors (run `skillsite check` to see them)");
    }
    let c = &site.catalog;
    let base = site.config.html.site_url.clone().unwrap_or_default();
    let files = skillsite::render::agent_files::skill_files(&site);
    let src = site.config.src_dir();
    let skills = (0..c.skills.len())
        .filter(|&i| !c.skills[i].planned)
        .map(|i| {
            let s = &c.skills[i];
            let page_url =
                skillsite::render::catalog_files::skill_url(&site, i).unwrap_or_default();
            SkillEntry {
                id: skillsite::render::catalog_files::skill_id(c, i),
                name: s.name.clone(),
                pack: c.packs[s.pack].name.clone(),
                description: s.description.clone(),
                types: s.types.clone(),
                level: s.level.clone(),
                url: absolute(&base, &page_url),
                files: files[i].iter().map(|(f, _)| f.clone()).collect(),
                install: skillsite::render::agent_files::install_command(&site, i),
                page_url,
                source: src.join(&s.source),
            }
        })
        .collect();
    let packs = c
        .packs
        .iter()
        .map(|p| PackEntry {
            name: p.name.clone(),
            title: p.title.clone(),
            description: p.description.clone(),
            skills: p
                .skills
                .iter()
                .map(|&i| skillsite::render::catalog_files::skill_id(c, i))
                .collect(),
        })
        .collect();
    Ok(Catalog {
        title: site.config.book.title.clone(),
        skills,
        packs,
        search,
    })
}

// ------------------------------------------------------------------ the server

#[derive(Clone)]
struct Server {
    catalog: std::sync::Arc<Catalog>,
    tool_router: ToolRouter<Self>,
}

/// Arguments of `search_skills`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
struct SearchArgs {
    /// Words to look for (every word must match; words of 5+ letters tolerate typos;
    /// "quoted phrases" and filters such as tag:cloud work as in the site's search).
    query: String,
    /// Only skills of this pack (its name).
    #[serde(default)]
    pack: Option<String>,
    /// Only skills of this type (Technique, Pattern, Reference...).
    #[serde(default, rename = "type")]
    kind: Option<String>,
    /// Only skills of this level (Fundamental, Intermediate, Advanced...).
    #[serde(default)]
    level: Option<String>,
    /// Most results (default 10, at most 50).
    #[serde(default)]
    limit: Option<u32>,
}

/// Arguments of `get_skill`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
struct GetArgs {
    /// The skill's name, or its id `pack:name`.
    name: String,
    /// The pack, when several packs have a skill of this name.
    #[serde(default)]
    pack: Option<String>,
}

/// Arguments of `list_packs` (none).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
struct NoArgs {}

#[derive(Serialize)]
struct SearchResult<'a> {
    name: &'a str,
    pack: &'a str,
    id: &'a str,
    description: String,
    url: &'a str,
    score: f32,
}

fn json_text(v: &impl Serialize) -> ContentBlock {
    ContentBlock::text(serde_json::to_string_pretty(v).unwrap_or_else(|_| "{}".into()))
}

/// `name:"value"` for the query language (quotes inside the value dropped).
fn filter(name: &str, value: &str) -> String {
    format!(" {name}:\"{}\"", value.replace('"', ""))
}

#[tool_router]
impl Server {
    fn new(catalog: Catalog) -> Self {
        Server {
            catalog: std::sync::Arc::new(catalog),
            tool_router: Self::tool_router(),
        }
    }

    fn find(&self, name: &str, pack: Option<&str>) -> Option<&SkillEntry> {
        let (pack, name) = match (pack, name.split_once(':')) {
            (None, Some((p, n))) => (Some(p), n),
            _ => (pack, name),
        };
        let mut found = self.catalog.skills.iter().filter(|s| s.name == name);
        match pack {
            Some(p) => found.find(|s| s.pack == p),
            None => found.next(),
        }
    }

    /// Searches the catalog's skills.
    #[tool(
        description = "Search the skill catalog. Returns the best matching skills first, each with name, pack, description, url and score. Use get_skill to read one."
    )]
    fn search_skills(
        &self,
        Parameters(args): Parameters<SearchArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        let mut q = args.query.clone();
        q.push_str(" kind:skill");
        if let Some(p) = args.pack.as_deref().filter(|p| !p.trim().is_empty()) {
            q.push_str(&filter("pack", p));
        }
        if let Some(t) = args.kind.as_deref().filter(|p| !p.trim().is_empty()) {
            q.push_str(&filter("type", t));
        }
        if let Some(l) = args.level.as_deref().filter(|p| !p.trim().is_empty()) {
            q.push_str(&filter("level", l));
        }
        let limit = (args.limit.unwrap_or(10) as usize).clamp(1, MAX_LIMIT);
        let results = self
            .catalog
            .search
            .search(
                &q,
                SearchOptions {
                    // Planned skills are in the index too; ask for a few more.
                    limit: limit * 2 + 10,
                    prefix: false,
                },
            )
            .map_err(|e| ErrorData::internal_error(e, None))?;
        let by_url: HashMap<&str, &SkillEntry> = self
            .catalog
            .skills
            .iter()
            .map(|s| (s.page_url.as_str(), s))
            .collect();
        let hits: Vec<SearchResult> = results
            .hits
            .iter()
            .filter(|h| !h.planned)
            .filter_map(|h| by_url.get(h.url.as_str()).map(|s| (h, *s)))
            .take(limit)
            .map(|(h, s)| SearchResult {
                name: &s.name,
                pack: &s.pack,
                id: &s.id,
                description: reveal_text(&s.description).into_owned(),
                url: &s.url,
                score: h.score,
            })
            .collect();
        Ok(CallToolResult::success(vec![json_text(
            &serde_json::json!({ "query": args.query, "results": hits }),
        )]))
    }

    /// One skill: metadata and files, then its SKILL.md.
    #[tool(
        description = "Get one skill: its metadata and list of files (JSON), then the text of its SKILL.md."
    )]
    fn get_skill(
        &self,
        Parameters(args): Parameters<GetArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        let Some(s) = self.find(&args.name, args.pack.as_deref()) else {
            return Ok(CallToolResult::error(vec![ContentBlock::text(format!(
                "no skill named {:?}; use search_skills or list_packs",
                args.name
            ))]));
        };
        let text = read_skill(s).map_err(|e| ErrorData::internal_error(e, None))?;
        let mut meta = s.clone();
        meta.description = reveal_text(&s.description).into_owned();
        Ok(CallToolResult::success(vec![
            json_text(&meta),
            ContentBlock::text(text),
        ]))
    }

    /// Every pack with its skills.
    #[tool(description = "List the catalog's packs: name, title, description and skill ids.")]
    fn list_packs(&self, Parameters(_): Parameters<NoArgs>) -> Result<CallToolResult, ErrorData> {
        let packs: Vec<PackEntry> = self
            .catalog
            .packs
            .iter()
            .map(|p| PackEntry {
                description: reveal_text(&p.description).into_owned(),
                title: reveal_text(&p.title).into_owned(),
                ..p.clone()
            })
            .collect();
        Ok(CallToolResult::success(vec![json_text(
            &serde_json::json!({ "title": self.catalog.title, "packs": packs }),
        )]))
    }
}

/// The skill's SKILL.md with hidden characters revealed.
fn read_skill(s: &SkillEntry) -> Result<String, String> {
    let bytes = std::fs::read(&s.source).map_err(|e| format!("{}: {e}", s.source.display()))?;
    Ok(reveal_text(&String::from_utf8_lossy(&bytes)).into_owned())
}

fn resource_uri(s: &SkillEntry) -> String {
    format!("skillsite://skill/{}/{}/SKILL.md", s.pack, s.name)
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(
            ServerCapabilities::builder()
                .enable_tools()
                .enable_resources()
                .build(),
        )
        .with_server_info(Implementation::new("skillsite", env!("CARGO_PKG_VERSION")))
        .with_instructions(format!(
            "The skill catalog {:?}: search_skills finds skills, get_skill returns one's SKILL.md and files, list_packs lists the packs. Each skill's SKILL.md is also a resource.",
            self.catalog.title
        ))
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        let resources = self
            .catalog
            .skills
            .iter()
            .map(|s| {
                Resource::new(resource_uri(s), s.id.clone())
                    .with_title(format!("{} (SKILL.md)", s.name))
                    .with_description(reveal_text(&s.description).into_owned())
                    .with_mime_type("text/markdown")
            })
            .collect();
        Ok(ListResourcesResult::with_all_items(resources))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        let Some(s) = self
            .catalog
            .skills
            .iter()
            .find(|s| resource_uri(s) == request.uri)
        else {
            return Err(ErrorData::resource_not_found(
                format!("no resource {}", request.uri),
                None,
            ));
        };
        let text = read_skill(s).map_err(|e| ErrorData::internal_error(e, None))?;
        Ok(ReadResourceResult::new(vec![
            ResourceContents::text(text, request.uri).with_mime_type("text/markdown")
        ])
        .into())
    }
}
