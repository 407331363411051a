//! The page half of the render stage: the template context of one page (site, page, sidebar,
//! breadcrumbs, previous/next) and the page through the theme ([`page_html`]); also pages
//! with no source of their own ([`generated_page`]: 404, search results).

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::model::{PageId, PageKind, Site};
use crate::util::path::{href_path, relative_root};

use super::markdown::{RenderedBody, TocEntry};
use super::templates::Theme;
use super::{agent_files, catalog_pages, csp, nav, HIGHLIGHT_CSS};

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

pub(crate) struct SharedContext {
    site: SiteContext,
    /// Where each page sits in the navigation (for its sidebar branch).
    nav_index: nav::NavIndex,
}

impl SharedContext {
    pub(crate) fn new(site: &Site) -> Self {
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
            nav_index: nav::NavIndex::new(&site.nav),
        }
    }
}

#[derive(Serialize)]
pub(crate) struct Link {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct ChildLink {
    title: String,
    url: String,
    description: String,
}

/// `page.tasks`: the page's task progress (`markdown::shows_task_progress` decides whether a
/// page has one; items in prompt-tag sections are not counted).
#[derive(Serialize)]
struct Tasks<'a> {
    done: usize,
    total: usize,
    /// `done * 100 / total`, rounded down.
    percent: usize,
    /// Headings (h2–h4) whose sections hold items, when there are two or more:
    /// `{id, title, level, done, total}`.
    sections: Vec<SectionTasks<'a>>,
}

#[derive(Serialize)]
struct SectionTasks<'a> {
    id: &'a str,
    title: &'a str,
    level: u8,
    done: usize,
    total: usize,
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
    tasks: Option<Tasks<'a>>,
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

pub(crate) fn link(site: &Site, id: PageId) -> Link {
    Link {
        title: site.pages[id].title.clone(),
        url: href_path(&site.pages[id].url),
    }
}

pub(crate) fn page_html(
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
            sections: body
                .toc
                .iter()
                .filter_map(|t| {
                    t.tasks.map(|c| SectionTasks {
                        id: &t.id,
                        title: &t.title,
                        level: t.level,
                        done: c.done,
                        total: c.total,
                    })
                })
                .collect(),
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
    let root = relative_root(&page.url);
    let nav_html = nav::branch_html(site, &shared.nav_index, Some(id), &root);
    let nav = theme
        .uses_nav_data()
        .then(|| nav::items(site, &site.nav, Some(id), &ancestor_set));
    let mut ctx = base_context(shared, &root, &nav_html, nav.as_deref());
    ctx.insert("page", &pc);
    ctx.insert("breadcrumbs", &breadcrumbs);
    ctx.insert("prev", &prev);
    ctx.insert("next", &next);
    let template = match page.kind {
        PageKind::Index => "index.html",
        PageKind::Section => "section.html",
        PageKind::Page | PageKind::Skill => "page.html",
        PageKind::Catalog => {
            ctx.insert("catalog", &catalog_pages::catalog_context(site, 1));
            "catalog.html"
        }
    };
    theme.render(template, &ctx)
}

/// A page with no source (404, search results) rendered with `template`: the site context,
/// the navigation, no body.
#[allow(clippy::too_many_arguments)]
pub(crate) fn generated_page(
    site: &Site,
    theme: &Theme,
    shared: &SharedContext,
    template: &str,
    title: &str,
    url: &str,
    root: &str,
    breadcrumbs: Vec<Link>,
) -> Result<String, String> {
    generated_page_with(
        site,
        theme,
        shared,
        template,
        title,
        url,
        root,
        breadcrumbs,
        None,
    )
}

/// [`generated_page`] with one more variable in the context (`file` for a file viewer page).
#[allow(clippy::too_many_arguments)]
pub(crate) fn generated_page_with(
    site: &Site,
    theme: &Theme,
    shared: &SharedContext,
    template: &str,
    title: &str,
    url: &str,
    root: &str,
    breadcrumbs: Vec<Link>,
    extra: Option<(&str, serde_json::Value)>,
) -> Result<String, String> {
    let mut ctx = generated_context(
        site,
        theme,
        shared,
        PageKind::Page,
        title,
        url,
        root,
        breadcrumbs,
    );
    if let Some((key, value)) = extra {
        ctx.insert(key, &value);
    }
    theme.render(template, &ctx)
}

/// Catalog pages 2, 3, … (`catalog/N.html`, [`catalog_pages::catalog_more_pages`]): the
/// rows after the first page's for readers without JavaScript, each through `catalog.html`
/// with its slice of the catalog. Returns (root-relative URL, HTML) pairs.
pub(crate) fn catalog_more_pages(
    site: &Site,
    theme: &Theme,
    shared: &SharedContext,
    catalog: PageId,
) -> Vec<(String, Result<String, String>)> {
    catalog_pages::catalog_more_pages(site)
        .into_iter()
        .map(|(url, cat)| {
            let title = format!(
                "{} (page {} of {})",
                site.pages[catalog].title,
                cat.page,
                cat.pages.len()
            );
            let root = relative_root(&url);
            let crumbs = vec![link(site, 0), link(site, catalog)];
            let mut ctx = generated_context(
                site,
                theme,
                shared,
                PageKind::Catalog,
                &title,
                &url,
                &root,
                crumbs,
            );
            ctx.insert("catalog", &cat);
            let html = theme.render("catalog.html", &ctx);
            (url, html)
        })
        .collect()
}

/// The context of a page with no source: the site, the navigation (nothing active), the
/// breadcrumbs, no body.
#[allow(clippy::too_many_arguments)]
fn generated_context(
    site: &Site,
    theme: &Theme,
    shared: &SharedContext,
    kind: PageKind,
    title: &str,
    url: &str,
    root: &str,
    breadcrumbs: Vec<Link>,
) -> tera::Context {
    let empty = serde_json::Map::new();
    let pc = PageContext {
        title,
        head_title: title,
        description: "",
        url: href_path(url),
        kind,
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
    let nav_html = nav::branch_html(site, &shared.nav_index, None, root);
    let nav = theme
        .uses_nav_data()
        .then(|| nav::items(site, &site.nav, None, &HashSet::new()));
    let mut ctx = base_context(shared, root, &nav_html, nav.as_deref());
    ctx.insert("page", &pc);
    ctx.insert("breadcrumbs", &breadcrumbs);
    ctx.insert("prev", &None::<Link>);
    ctx.insert("next", &None::<Link>);
    ctx
}

/// What every template gets besides the page: `root`, `site`, `highlight_css`,
/// `content_security_policy` ([`csp::CONTENT_SECURITY_POLICY`]), the sidebar's bounded branch
/// as HTML (`nav_html`, [`nav::branch_html`]), the navigation data file (`toc_js`,
/// [`nav::TOC_JS`]) and, when a template of the theme reads it, the sidebar as data (`nav`).
fn base_context(
    shared: &SharedContext,
    root: &str,
    nav_html: &str,
    nav: Option<&[nav::NavItem]>,
) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("root", root);
    ctx.insert("site", &shared.site);
    ctx.insert("highlight_css", HIGHLIGHT_CSS);
    ctx.insert("content_security_policy", csp::CONTENT_SECURITY_POLICY);
    ctx.insert("nav_html", nav_html);
    ctx.insert("toc_js", nav::TOC_JS);
    if let Some(nav) = nav {
        ctx.insert("nav", nav);
    }
    ctx
}
