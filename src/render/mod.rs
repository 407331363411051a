//! Stage 3, **render**: Markdown bodies to HTML (in parallel), then whole pages through the
//! theme's templates, plus the generated files (highlight CSS, 404, sitemap, robots.txt).
//!
//! The output is a list of [`OutFile`]s in memory; the `write` stage puts them on disk.

pub mod agent_files;
pub mod catalog_files;
pub mod catalog_pages;
pub mod csp;
pub mod diagram;
pub mod highlight;
pub mod install;
pub mod markdown;
pub mod mermaid;
pub mod nav;
pub mod partial;
pub mod prompt_tags;
pub mod redirect;
pub mod sanitize;
pub mod templates;
pub mod text;

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{PageId, PageKind, Site};
use crate::util::path::clean;
use crate::util::path::{href_path, relative_root};
use markdown::{LinkContext, RenderedBody, TocEntry};
use templates::Theme;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutFile {
    /// Generated content: root-relative path and bytes.
    Bytes(String, Vec<u8>),
    /// A file copied from disk: root-relative destination and absolute source.
    Copy(String, std::path::PathBuf),
}

impl OutFile {
    /// Root-relative destination path.
    pub fn path(&self) -> &str {
        match self {
            OutFile::Bytes(p, _) | OutFile::Copy(p, _) => p,
        }
    }
}

/// Root-relative URL of the generated highlighting stylesheet.
pub const HIGHLIGHT_CSS: &str = "static/css/highlight.css";

/// Counts reported by a render.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderStats {
    /// Pages written (drafts excluded, home page included).
    pub pages: usize,
    /// Of which skill pages.
    pub skills: usize,
}

/// The first half of the render stage: every page's Markdown body to HTML, in parallel, and
/// the check of anchor links between them. Returns one entry per page, indexed by [`PageId`]
/// (`None` for drafts).
///
/// `done` is called once per page, from the render threads, as soon as its body exists (with
/// `None` for a draft): `build` hands each page to the index stage there. The threads take the
/// pages in [`PageId`] order, so the bodies come out close to that order.
pub fn render_bodies(
    site: &Site,
    diags: &Diagnostics,
    done: &(dyn Fn(PageId, Option<&RenderedBody>) + Sync),
) -> Vec<Option<RenderedBody>> {
    let links = LinkIndex::new(site);
    let cx = links.context(site);
    let unsafe_html = site.config.html.unsafe_raw_html;
    // A home page copied from the first chapter (mdBook's rule without README.md) reports
    // nothing: the chapter's own page reports its problems once, with its file.
    let copied_home = copied_home(site);
    let quiet = Diagnostics::new();
    let mut rendered: Vec<(PageId, Option<RenderedBody>)> = (0..site.pages.len())
        .par_bridge()
        .map(|id| {
            let d = if copied_home && id == 0 {
                &quiet
            } else {
                diags
            };
            let body = (!site.pages[id].draft).then(|| page_body(id, &cx, unsafe_html, d));
            done(id, body.as_ref());
            (id, body)
        })
        .collect();
    rendered.sort_unstable_by_key(|(id, _)| *id);
    let bodies: Vec<Option<RenderedBody>> = rendered.into_iter().map(|(_, b)| b).collect();
    check_anchors(site, &bodies, diags);
    bodies
}

/// The second half of the render stage: whole pages through the theme's templates, in
/// parallel (`progress` counts them), and the generated files: highlight CSS, the theme's
/// static files, 404 and search pages, `.nojekyll`, `catalog.json`, `llms.txt` and the agent files
/// ([`agent_files`]: well-known skill indexes, archives, `llms-full.txt`) when there are
/// skills, every page's Markdown twin, sitemap and robots.txt when `site-url` is set.
pub fn render_templates(
    site: &Site,
    theme: &Theme,
    bodies: &[Option<RenderedBody>],
    progress: &indicatif::ProgressBar,
    diags: &Diagnostics,
) -> (Vec<OutFile>, RenderStats) {
    // Whole pages through the templates, in parallel.
    let order = site.reading_order();
    let position: HashMap<PageId, usize> =
        order.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let shared = SharedContext::new(site);
    progress.set_length(site.pages.len() as u64);
    let mut out: Vec<OutFile> = bodies
        .par_iter()
        .enumerate()
        .filter_map(|(id, body)| {
            let body = body.as_ref()?;
            let html = page_html(site, theme, &shared, id, body, &order, &position);
            progress.inc(1);
            match html {
                Ok(h) => Some(OutFile::Bytes(site.pages[id].url.clone(), h.into_bytes())),
                Err(e) => {
                    let page = &site.pages[id];
                    let file = page
                        .source
                        .as_deref()
                        .map(|s| clean(&site.config.src_dir().join(s)));
                    let mut d =
                        Diagnostic::error("template", format!("cannot render `{}`: {e}", page.url))
                            .hint("check the theme's templates against docs/templates.md");
                    if let Some(f) = file {
                        d = d.at(f);
                    }
                    diags.push(d);
                    None
                }
            }
        })
        .collect();
    let stats = RenderStats {
        pages: out.len(),
        skills: site
            .pages
            .iter()
            .filter(|p| p.kind == PageKind::Skill && !p.draft)
            .count(),
    };

    if !site.catalog.skills.is_empty() || !site.catalog.packs.is_empty() {
        out.push(OutFile::Bytes(
            "catalog.json".into(),
            catalog_files::catalog_json(site).into_bytes(),
        ));
        out.push(OutFile::Bytes(
            "llms.txt".into(),
            catalog_files::llms_txt(site).into_bytes(),
        ));
    }
    // As mdBook does: GitHub Pages runs Jekyll unless told not to, and Jekyll drops every
    // path starting with `.` or `_` (`.claude/skills/…`, `.well-known/…`).
    out.push(OutFile::Bytes(".nojekyll".into(), Vec::new()));
    // The well-known skill indexes, archives, llms-full.txt and the Markdown twins.
    out.extend(agent_files::agent_files(site, diags));
    out.push(OutFile::Bytes(
        HIGHLIGHT_CSS.into(),
        highlight::css().into_bytes(),
    ));
    for (path, bytes) in templates::STATIC {
        out.push(OutFile::Bytes((*path).to_string(), bytes.to_vec()));
    }
    match not_found(site, theme, &shared) {
        Ok(html) => out.push(OutFile::Bytes("404.html".into(), html.into_bytes())),
        Err(e) => diags.push(Diagnostic::error(
            "template",
            format!("cannot render 404.html: {e}"),
        )),
    }
    match search_page(site, theme, &shared) {
        Ok(html) => out.push(OutFile::Bytes(SEARCH_PAGE.into(), html.into_bytes())),
        Err(e) => diags.push(Diagnostic::error(
            "template",
            format!("cannot render {SEARCH_PAGE}: {e}"),
        )),
    }
    if let Some(cname) = &site.config.html.cname {
        // `[output.html] cname` (mdBook): GitHub Pages' custom domain file.
        out.push(OutFile::Bytes(
            "CNAME".into(),
            format!("{cname}\n").into_bytes(),
        ));
    }
    if !site.config.html.redirect.is_empty() {
        let mut taken: HashSet<String> = out.iter().map(|f| f.path().to_string()).collect();
        taken.extend(site.assets.iter().map(|a| a.to.clone()));
        out.extend(redirect::outputs(site, &taken, diags));
    }
    if let Some(url) = &site.config.html.site_url {
        out.push(OutFile::Bytes(
            "sitemap.xml".into(),
            sitemap(site, url).into_bytes(),
        ));
        let base = url.trim_end_matches('/');
        out.push(OutFile::Bytes(
            "robots.txt".into(),
            format!("User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n").into_bytes(),
        ));
    }
    (out, stats)
}

/// One page's body as every render makes it: Markdown, sanitizing (only when the source has
/// raw HTML; with `unsafe_html` the permissive [`sanitize::clean_trusted`]), the diagrams put in, a generated `<h1>` when the page has none.
pub(crate) fn page_body(
    id: PageId,
    cx: &LinkContext<'_>,
    unsafe_html: bool,
    diags: &Diagnostics,
) -> RenderedBody {
    let page = &cx.site.pages[id];
    let mut body = markdown::render(id, cx, diags);
    if body.raw_html {
        body.html = if unsafe_html {
            sanitize::clean_trusted(&body.html)
        } else {
            sanitize::clean(&body.html)
        };
    }
    body.finish_html();
    if !body.has_h1 {
        body.html = format!(
            "<h1 id=\"{}\">{}</h1>\n{}",
            unique_h1_id(&body),
            // The template escape: hidden characters in a title shown as markers.
            templates::escape_html(&page.title),
            body.html
        );
    }
    body
}

/// What link resolution needs, built once per render: page ids by source path and by output
/// path, and every content file's path.
pub(crate) struct LinkIndex {
    by_source: HashMap<String, PageId>,
    by_url: HashMap<String, PageId>,
    files: HashSet<String>,
    skill_dirs: HashSet<String>,
}

impl LinkIndex {
    pub(crate) fn new(site: &Site) -> LinkIndex {
        let by_source: HashMap<String, PageId> = site
            .pages
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.source.clone().map(|s| (s, i)))
            .collect();
        let mut files: HashSet<String> = site.assets.iter().map(|a| a.to.clone()).collect();
        files.extend(by_source.keys().cloned());
        // The old paths of `[output.html.redirect]` are served too (a redirect page each).
        files.extend(
            site.config
                .html
                .redirect
                .keys()
                .filter_map(|old| redirect::output_path(old.split('#').next().unwrap_or(old))),
        );
        let by_url = site
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.draft && !p.url.is_empty())
            .map(|(i, p)| (p.url.clone(), i))
            .collect();
        let skill_dirs = site
            .catalog
            .skills
            .iter()
            .filter(|s| !s.planned)
            .map(|s| s.folder.clone())
            .collect();
        LinkIndex {
            by_source,
            by_url,
            files,
            skill_dirs,
        }
    }

    pub(crate) fn context<'a>(&'a self, site: &'a Site) -> LinkContext<'a> {
        LinkContext {
            site,
            by_source: &self.by_source,
            by_url: &self.by_url,
            files: &self.files,
            skill_dirs: &self.skill_dirs,
        }
    }
}

fn unique_h1_id(body: &RenderedBody) -> String {
    let mut id = "title".to_string();
    let mut n = 0;
    while body.ids.contains(&id) {
        n += 1;
        id = format!("title-{n}");
    }
    id
}

/// Whether the home page is a copy of the first chapter (no README.md in a SUMMARY.md book,
/// `load::structure`): no source file of its own, but a body.
pub(crate) fn copied_home(site: &Site) -> bool {
    site.pages
        .first()
        .is_some_and(|p| p.source.is_none() && !p.body.is_empty())
}

fn check_anchors(site: &Site, bodies: &[Option<RenderedBody>], diags: &Diagnostics) {
    let copied_home = copied_home(site);
    for (id, body) in bodies.iter().enumerate() {
        let Some(body) = body else { continue };
        if copied_home && id == 0 {
            continue;
        }
        for r in &body.anchor_refs {
            let Some(Some(target)) = bodies.get(r.page) else {
                continue;
            };
            if target.ids.contains(&r.anchor) || r.anchor.is_empty() || r.anchor == "title" {
                continue;
            }
            let page = &site.pages[id];
            let file = clean(
                &site
                    .config
                    .src_dir()
                    .join(page.source.as_deref().unwrap_or("")),
            );
            let where_ = if r.page == id {
                "this page".to_string()
            } else {
                format!(
                    "`{}`",
                    site.pages[r.page]
                        .source
                        .as_deref()
                        .unwrap_or(&site.pages[r.page].url)
                )
            };
            let mut d = Diagnostic::warning(
                "broken-anchor",
                format!("anchor `#{}` does not exist in {where_}", r.anchor),
            )
            .at(file)
            .line(r.line);
            if let Some(near) = closest(&r.anchor, &target.ids) {
                d = d.hint(format!("did you mean `#{near}`? heading ids are GitHub-style: lowercase, punctuation removed, spaces as `-`"));
            } else {
                d = d.hint(
                    "heading ids are GitHub-style: lowercase, punctuation removed, spaces as `-`",
                );
            }
            diags.push(d);
        }
    }
}

/// The id most similar to `anchor` (shares the longest common prefix), if any is close.
fn closest<'a>(anchor: &str, ids: &'a HashSet<String>) -> Option<&'a str> {
    ids.iter()
        .map(|id| {
            (
                id.chars()
                    .zip(anchor.chars())
                    .take_while(|(a, b)| a == b)
                    .count(),
                id,
            )
        })
        .filter(|(n, _)| *n >= 4)
        .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, id)| id.as_str())
}

// ------------------------------------------------------------------ template context

/// Site-wide part of the context, built once.
#[derive(Serialize)]
struct SiteContext {
    title: String,
    description: String,
    language: String,
    authors: Vec<String>,
    default_theme: String,
    preferred_dark_theme: String,
    git_repository_url: Option<String>,
    additional_css: Vec<String>,
    additional_js: Vec<String>,
    /// `[output.html.search]` for the browser search (`site.search` in templates).
    search: SearchContext,
}

/// The browser search's settings from `[output.html.search]` (mdBook's keys), printed by the
/// theme as `data-` attributes of `#search`.
#[derive(Serialize)]
struct SearchContext {
    enable: bool,
    limit_results: usize,
    use_boolean_and: bool,
}

struct SharedContext {
    site: SiteContext,
}

impl SharedContext {
    fn new(site: &Site) -> Self {
        let c = &site.config;
        let urls = |paths: &[std::path::PathBuf]| {
            paths
                .iter()
                .map(|p| href_path(&p.to_string_lossy().replace('\\', "/")))
                .collect()
        };
        SharedContext {
            site: SiteContext {
                title: c.book.title.clone(),
                description: c.book.description.clone(),
                language: c.book.language.clone(),
                authors: c.book.authors.clone(),
                default_theme: c.html.default_theme.clone(),
                preferred_dark_theme: c.html.preferred_dark_theme.clone(),
                git_repository_url: c.html.git_repository_url.clone(),
                additional_css: urls(&c.html.additional_css),
                additional_js: urls(&c.html.additional_js),
                search: SearchContext {
                    enable: c.html.search.enable,
                    limit_results: c.html.search.limit_results,
                    use_boolean_and: c.html.search.use_boolean_and,
                },
            },
        }
    }
}

#[derive(Serialize)]
struct Link {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct ChildLink {
    title: String,
    url: String,
    description: String,
}

#[derive(Serialize)]
struct Tasks {
    done: usize,
    total: usize,
    percent: usize,
}

#[derive(Serialize)]
struct PageContext<'a> {
    title: &'a str,
    head_title: &'a str,
    description: &'a str,
    url: String,
    kind: PageKind,
    content: &'a str,
    /// `content` split after its leading `<h1>`: the h1 (empty when the content does not open
    /// with one) and the rest, so a theme can put things right under the title.
    content_h1: &'a str,
    content_rest: &'a str,
    toc: &'a [TocEntry],
    tasks: Option<Tasks>,
    edit_url: Option<String>,
    front_matter: &'a serde_json::Map<String, serde_json::Value>,
    source_path: Option<&'a str>,
    /// Root-relative URL of the page's Markdown twin (`agent_files::markdown_url`), for the
    /// head's `<link rel="alternate" type="text/markdown">`.
    markdown_url: Option<String>,
    children: Vec<ChildLink>,
    pack: Option<catalog_pages::PackContext>,
    skill: Option<catalog_pages::SkillContext>,
    /// The panel of a plugin's agent, command or output style page.
    component: Option<catalog_pages::ComponentContext>,
    /// The marketplaces whose root folder this page is, with a card per plugin.
    marketplaces: Vec<catalog_pages::MarketplaceContext>,
}

/// `html` (trimmed) split after its first `</h1>` when it opens with an `<h1`; else `("", html)`.
fn split_h1(html: &str) -> (&str, &str) {
    let body = html.trim();
    match body.find("</h1>") {
        Some(end) if body.starts_with("<h1") => body.split_at(end + "</h1>".len()),
        _ => ("", html),
    }
}

fn ancestors(site: &Site, id: PageId) -> Vec<PageId> {
    let mut out = Vec::new();
    let mut cur = site.pages[id].parent;
    while let Some(p) = cur {
        if out.contains(&p) {
            break;
        }
        out.push(p);
        cur = site.pages[p].parent;
    }
    out.reverse();
    out
}

fn link(site: &Site, id: PageId) -> Link {
    Link {
        title: site.pages[id].title.clone(),
        url: href_path(&site.pages[id].url),
    }
}

fn page_html(
    site: &Site,
    theme: &Theme,
    shared: &SharedContext,
    id: PageId,
    body: &RenderedBody,
    order: &[PageId],
    position: &HashMap<PageId, usize>,
) -> Result<String, String> {
    let page = &site.pages[id];
    let chain = ancestors(site, id);
    let ancestor_set: HashSet<PageId> = chain.iter().copied().collect();
    let mut breadcrumbs = Vec::new();
    if id != 0 {
        breadcrumbs.push(link(site, 0));
        breadcrumbs.extend(chain.iter().filter(|&&a| a != 0).map(|&a| link(site, a)));
    }
    let (prev, next) = match position.get(&id) {
        Some(&i) => (
            i.checked_sub(1).map(|j| link(site, order[j])),
            order.get(i + 1).map(|&j| link(site, j)),
        ),
        None => (None, None),
    };
    let children: Vec<ChildLink> = if page.kind == PageKind::Index {
        site.nav
            .iter()
            .filter_map(|n| n.page)
            .filter(|&c| c != 0)
            .collect::<Vec<_>>()
    } else {
        site.pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.parent == Some(id))
            .map(|(i, _)| i)
            .collect()
    }
    .into_iter()
    .filter(|&c| !site.pages[c].draft)
    .map(|c| {
        let p = &site.pages[c];
        ChildLink {
            title: p.title.clone(),
            url: href_path(&p.url),
            description: p.description.clone(),
        }
    })
    .collect();
    let edit_url = match (&site.config.html.edit_url_template, &page.source) {
        (Some(t), Some(source)) => {
            let src = site.config.book.src.to_string_lossy().replace('\\', "/");
            let src = src.trim_start_matches("./").trim_matches('/');
            let path = if src.is_empty() || src == "." {
                source.clone()
            } else {
                format!("{src}/{source}")
            };
            Some(t.replace("{path}", &path))
        }
        _ => None,
    };
    let (content_h1, content_rest) = split_h1(&body.html);
    let pc = PageContext {
        title: &page.title,
        head_title: page.head_title.as_deref().unwrap_or(&page.title),
        description: &page.description,
        url: href_path(&page.url),
        kind: page.kind,
        content: &body.html,
        content_h1,
        content_rest,
        toc: &body.toc,
        tasks: body.tasks.map(|(done, total)| Tasks {
            done,
            total,
            percent: done * 100 / total.max(1),
        }),
        edit_url,
        front_matter: &page.front_matter,
        source_path: page.source.as_deref(),
        markdown_url: agent_files::markdown_url(site, id).map(|u| href_path(&u)),
        children,
        pack: site
            .catalog
            .pack_by_page(id)
            .map(|p| catalog_pages::pack_context(site, p, id)),
        skill: site
            .catalog
            .skill_by_page(id)
            .map(|s| catalog_pages::skill_context(site, s)),
        component: site
            .catalog
            .component_by_page(id)
            .map(|r| catalog_pages::component_context(site, r)),
        marketplaces: catalog_pages::marketplaces_on(site, id),
    };
    let nav = nav::items(site, &site.nav, Some(id), &ancestor_set);
    let mut ctx = base_context(theme, shared, &relative_root(&page.url), &nav);
    ctx.insert("page", &pc);
    ctx.insert("breadcrumbs", &breadcrumbs);
    ctx.insert("prev", &prev);
    ctx.insert("next", &next);
    let template = match page.kind {
        PageKind::Index => "index.html",
        PageKind::Section => "section.html",
        PageKind::Page | PageKind::Skill => "page.html",
        PageKind::Catalog => {
            ctx.insert("catalog", &catalog_pages::catalog_context(site));
            "catalog.html"
        }
    };
    theme.render(template, &ctx)
}

fn not_found(site: &Site, theme: &Theme, shared: &SharedContext) -> Result<String, String> {
    // Hosts serve 404.html for any missing path, so relative URLs would break: use the
    // site's absolute path when site-url is known, as mdBook does.
    let root = site
        .config
        .html
        .site_url
        .as_deref()
        .map_or_else(String::new, |u| {
            let path = u
                .split_once("://")
                .map_or(u, |(_, rest)| rest.find('/').map_or("/", |i| &rest[i..]));
            if path.ends_with('/') {
                path.to_string()
            } else {
                format!("{path}/")
            }
        });
    let html = generated_page(
        site,
        theme,
        shared,
        "404.html",
        "Page not found",
        "404.html",
        &root,
        Vec::new(),
    )?;
    if !root.is_empty() {
        return Ok(html);
    }
    // Without site-url the page's links are relative to the site root, wherever the host
    // serves it: an inline script (allowed by its hash in this page's policy only) finds the
    // root and points them there (static/js/rebase-404.js).
    let policy = crate::render::templates::escape_html(csp::CONTENT_SECURITY_POLICY);
    let script = format!("<script>{}</script>", csp::NOT_FOUND_SCRIPT);
    let html = html.replacen(
        &policy,
        &crate::render::templates::escape_html(&csp::not_found_policy()),
        1,
    );
    Ok(match html.rfind("</body>") {
        Some(i) => format!("{}{script}\n{}", &html[..i], &html[i..]),
        None => html + &script,
    })
}

/// Root-relative path of the search results page (`search/index.html?q=...`).
pub const SEARCH_PAGE: &str = "search/index.html";

/// The search results page: the theme's `search.html`; the browser client fills it from `?q=`.
fn search_page(site: &Site, theme: &Theme, shared: &SharedContext) -> Result<String, String> {
    let root = relative_root(SEARCH_PAGE);
    generated_page(
        site,
        theme,
        shared,
        "search.html",
        "Search",
        SEARCH_PAGE,
        &root,
        vec![link(site, 0)],
    )
}

/// A page with no source (404, search results) rendered with `template`: the site context,
/// the navigation, no body.
#[allow(clippy::too_many_arguments)]
fn generated_page(
    site: &Site,
    theme: &Theme,
    shared: &SharedContext,
    template: &str,
    title: &str,
    url: &str,
    root: &str,
    breadcrumbs: Vec<Link>,
) -> Result<String, String> {
    let empty = serde_json::Map::new();
    let pc = PageContext {
        title,
        head_title: title,
        description: "",
        url: href_path(url),
        kind: PageKind::Page,
        content: "",
        content_h1: "",
        content_rest: "",
        toc: &[],
        tasks: None,
        edit_url: None,
        front_matter: &empty,
        source_path: None,
        markdown_url: None,
        children: Vec::new(),
        pack: None,
        skill: None,
        component: None,
        marketplaces: Vec::new(),
    };
    let nav = nav::items(site, &site.nav, None, &HashSet::new());
    let mut ctx = base_context(theme, shared, root, &nav);
    ctx.insert("page", &pc);
    ctx.insert("breadcrumbs", &breadcrumbs);
    ctx.insert("prev", &None::<Link>);
    ctx.insert("next", &None::<Link>);
    theme.render(template, &ctx)
}

/// What every template gets besides the page: `root`, `site`, `highlight_css`,
/// `content_security_policy` ([`csp::CONTENT_SECURITY_POLICY`]), the sidebar as HTML
/// (`nav_html`) and, when a template of the theme reads it, as data (`nav`).
fn base_context(
    theme: &Theme,
    shared: &SharedContext,
    root: &str,
    nav: &[nav::NavItem],
) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("root", root);
    ctx.insert("site", &shared.site);
    ctx.insert("highlight_css", HIGHLIGHT_CSS);
    ctx.insert("content_security_policy", csp::CONTENT_SECURITY_POLICY);
    ctx.insert("nav_html", &nav::html(nav, root));
    if theme.uses_nav_data() {
        ctx.insert("nav", nav);
    }
    ctx
}

fn sitemap(site: &Site, base: &str) -> String {
    let base = if base.ends_with('/') {
        base.to_string()
    } else {
        format!("{base}/")
    };
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for p in site.pages.iter().filter(|p| !p.draft) {
        let url = if p.url == "index.html" {
            String::new()
        } else {
            href_path(&p.url)
        };
        s.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            highlight::escape(&format!("{base}{url}"))
        ));
    }
    s.push_str("</urlset>\n");
    s
}
