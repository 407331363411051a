//! Stage 3, **render**: Markdown bodies to HTML (in parallel), then whole pages through the
//! theme's templates, plus the generated files (highlight CSS, 404, sitemap, robots.txt).
//!
//! - `body`: one page's Markdown to sanitized HTML, link index, anchor check;
//! - `page`: the template context and one page through the theme;
//! - `site_files`: 404, the search page, sitemap;
//! - [`partial`]: the same for a subset of pages (`serve`).
//!
//! The output is a list of [`OutFile`]s in memory; the `write` stage puts them on disk.

pub mod agent_files;
mod body;
pub mod catalog_files;
pub mod catalog_pages;
pub mod csp;
pub mod diagram;
pub mod file_view;
pub mod highlight;
pub mod install;
pub mod markdown;
pub mod mermaid;
pub mod nav;
mod page;
pub mod partial;
pub mod prompt_tags;
pub mod redirect;
pub mod sanitize;
mod site_files;
pub mod templates;
pub mod text;

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{PageId, PageKind, Site};
use crate::util::path::clean;
use markdown::RenderedBody;
use templates::Theme;

pub(crate) use body::{check_anchors, copied_home, page_body, LinkIndex};
pub(crate) use page::{page_html, SharedContext};
pub use site_files::SEARCH_PAGE;
use site_files::{not_found, search_page, sitemap};

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

/// The files of a big catalog besides `catalog.html` (docs/catalog.md, "The catalog page"):
/// pages `catalog/2.html`, `catalog/3.html`, … for readers without JavaScript, and
/// `catalog/data.js`, the rows the first page's script loads. Empty when the site has no
/// catalog page or every skill fits on its first page. A page that does not render is an
/// error in `diags` and is left out. `serve` calls this again after a catalog edit.
pub fn catalog_more_files(site: &Site, theme: &Theme, diags: &Diagnostics) -> Vec<OutFile> {
    let mut out = Vec::new();
    let Some(cat) = site
        .pages
        .iter()
        .position(|p| p.kind == PageKind::Catalog && !p.draft)
    else {
        return out;
    };
    let shared = SharedContext::new(site);
    for (url, html) in page::catalog_more_pages(site, theme, &shared, cat) {
        match html {
            Ok(h) => out.push(OutFile::Bytes(url, h.into_bytes())),
            Err(e) => diags.push(
                Diagnostic::error("template", format!("cannot render `{url}`: {e}"))
                    .hint("check the theme's templates against docs/templates.md"),
            ),
        }
    }
    if let Some(js) = catalog_pages::catalog_data_js(site) {
        out.push(OutFile::Bytes(
            catalog_pages::CATALOG_DATA.into(),
            js.into_bytes(),
        ));
    }
    out
}

/// The second half of the render stage: whole pages through the theme's templates, in
/// parallel (`progress` counts them), and the generated files: highlight CSS, the theme's
/// static files, the navigation tree (`toc.js`, [`nav::toc_js`]), the viewer pages of skills'
/// text files ([`file_view`]), 404 and search pages, `.nojekyll`, `catalog.json`, `llms.txt`,
/// sitemap and robots.txt when `site-url` is set, and `agent`: the agent files
/// ([`agent_files::agent_files`]: well-known skill indexes, archives, `llms-full.txt`, every
/// page's Markdown twin), which the caller makes (`build` makes them alongside the Markdown
/// pass) and which go into the list where [`catalog_outputs`] puts them.
pub fn render_templates(
    site: &Site,
    theme: &Theme,
    bodies: &[Option<RenderedBody>],
    agent: Vec<OutFile>,
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

    out.extend(catalog_outputs_with(site, theme, diags, agent));
    // As mdBook does: GitHub Pages runs Jekyll unless told not to, and Jekyll drops every
    // path starting with `.` or `_` (`.claude/skills/…`, `.well-known/…`).
    out.push(OutFile::Bytes(".nojekyll".into(), Vec::new()));
    // The whole navigation tree, once, for static/js/nav.js.
    out.push(OutFile::Bytes(
        nav::TOC_JS.into(),
        nav::toc_js(site).into_bytes(),
    ));
    out.push(OutFile::Bytes(
        HIGHLIGHT_CSS.into(),
        highlight::css().into_bytes(),
    ));
    for (path, bytes) in templates::STATIC {
        out.push(OutFile::Bytes((*path).to_string(), bytes.to_vec()));
    }
    // The viewer pages of the skills' text files (render::file_view).
    out.extend(file_view::viewer_pages(site, theme, &shared, diags));
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

/// The site-wide files made from the catalog (besides `catalog.html` and the pack and skill
/// pages): the catalog's further pages and data file ([`catalog_more_files`]),
/// `catalog.json` and `llms.txt` when there are skills or packs, and the agent files
/// ([`agent_files::agent_files`]: the well-known skill indexes, archives, `llms-full.txt`,
/// every page's Markdown twin). `serve` makes them again after a skill edit, so a new file
/// of this kind belongs here.
pub fn catalog_outputs(site: &Site, theme: &Theme, diags: &Diagnostics) -> Vec<OutFile> {
    catalog_outputs_with(site, theme, diags, agent_files::agent_files(site, diags))
}

/// [`catalog_outputs`] with the agent files already made.
fn catalog_outputs_with(
    site: &Site,
    theme: &Theme,
    diags: &Diagnostics,
    agent: Vec<OutFile>,
) -> Vec<OutFile> {
    let mut out = catalog_more_files(site, theme, diags);
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
    out.extend(agent);
    out
}
