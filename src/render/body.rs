//! The body half of the render stage: one page's Markdown to sanitized HTML
//! ([`page_body`]), the link index it resolves links with ([`LinkIndex`]), and the check of
//! anchor links between the rendered bodies ([`check_anchors`]).

use std::collections::{HashMap, HashSet};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{PageId, Site};
use crate::util::path::clean;

use super::markdown::{self, LinkContext, RenderedBody};
use super::{redirect, sanitize, templates};

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
        let mut by_source: HashMap<String, PageId> = site
            .pages
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.source.clone().map(|s| (s, i)))
            .collect();
        // A link to another path of a page's file (`CLAUDE.md` merged into `AGENTS.md`, a
        // skill linked for another agent) leads to the page.
        for (i, p) in site.pages.iter().enumerate() {
            for a in &p.aliases {
                by_source.entry(a.clone()).or_insert(i);
            }
        }
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

pub(crate) fn check_anchors(site: &Site, bodies: &[Option<RenderedBody>], diags: &Diagnostics) {
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
