//! Rendering a subset of the pages, for `serve`'s incremental rebuilds.
//!
//! [`render_pages`] produces, for the pages it is given, exactly the bytes [`render`] would
//! (the test `partial_matches_full_render` holds the two together), and the diagnostics
//! those pages' files would get. It does not produce the site-wide generated files (404,
//! highlighting CSS, sitemap); those depend on navigation and configuration, whose changes
//! make `serve` run the whole pipeline instead.
//!
//! [`render`]: super::render_templates

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;

use super::markdown::RenderedBody;
use super::{
    check_anchors, page_body, page_html, templates::Theme, LinkIndex, OutFile, SharedContext,
};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{PageId, Site};
use crate::util::path::clean;

/// Renders the pages `ids` (body and template) as the full render would.
///
/// Returns one [`OutFile::Bytes`] per rendered page, in the order of `ids` (drafts and pages
/// whose template fails are left out; the failure is reported). Diagnostics pushed to `diags`
/// are those the full render reports *for these pages' files*: broken links, anchors that do
/// not exist in their target (targets outside `ids` have their bodies rendered just to know
/// their ids), template errors. Parse-time diagnostics (front matter, encoding) are the
/// loader's business, not this function's.
pub fn render_pages(
    site: &Site,
    theme: &Theme,
    ids: &[PageId],
    diags: &Diagnostics,
) -> Vec<OutFile> {
    render_pages_with_bodies(site, theme, ids, None, diags).0
}

/// [`render_pages`], also returning the rendered bodies (indexed by [`PageId`]; `Some` for the
/// pages of `ids`, and for the pages they link into), for the search index.
///
/// `known_ids`: the ids each page defined when it was last rendered (indexed by [`PageId`],
/// as `build::Rendered::anchor_ids`). A page that `ids` link into and whose ids are known is
/// then not rendered again for the anchor check: its body in the result holds only its ids.
/// The caller keeps them current (a page's ids change only when the page is rendered again).
/// `None`: render every such page.
pub fn render_pages_with_bodies(
    site: &Site,
    theme: &Theme,
    ids: &[PageId],
    known_ids: Option<&[Option<HashSet<String>>]>,
    diags: &Diagnostics,
) -> (Vec<OutFile>, Vec<Option<RenderedBody>>) {
    let links = LinkIndex::new(site);
    let cx = links.context(site);
    let unsafe_html = site.config.html.unsafe_raw_html;
    let ids: Vec<PageId> = {
        let mut seen = HashSet::new();
        ids.iter()
            .copied()
            .filter(|&id| id < site.pages.len() && !site.pages[id].draft && seen.insert(id))
            .collect()
    };

    // Bodies of the requested pages, then (diagnostics discarded) of the pages their anchor
    // links point into, so the anchors can be checked.
    let mut bodies: Vec<Option<RenderedBody>> = vec![None; site.pages.len()];
    let rendered: Vec<(PageId, RenderedBody)> = ids
        .par_iter()
        .map(|&id| (id, page_body(id, &cx, unsafe_html, diags)))
        .collect();
    let mut targets: Vec<PageId> = rendered
        .iter()
        .flat_map(|(_, b)| b.anchor_refs.iter().map(|r| r.page))
        .filter(|t| !ids.contains(t) && *t < site.pages.len() && !site.pages[*t].draft)
        .collect();
    targets.sort_unstable();
    targets.dedup();
    let ignored = Diagnostics::new();
    let extra: Vec<(PageId, RenderedBody)> = targets
        .par_iter()
        .map(
            |&id| match known_ids.and_then(|k| k.get(id)).and_then(Option::as_ref) {
                Some(known) => (
                    id,
                    RenderedBody {
                        ids: known.clone(),
                        ..RenderedBody::default()
                    },
                ),
                None => (id, page_body(id, &cx, unsafe_html, &ignored)),
            },
        )
        .collect();
    for (id, b) in rendered.into_iter().chain(extra) {
        bodies[id] = Some(b);
    }
    let anchors = Diagnostics::new();
    check_anchors(site, &bodies, &anchors);
    let own: HashSet<PathBuf> = ids
        .iter()
        .filter_map(|&id| site.pages[id].source.as_deref())
        .map(|s| clean(&site.config.src_dir().join(s)))
        .collect();
    for d in anchors.sorted() {
        if d.file.as_ref().is_some_and(|f| own.contains(f)) {
            diags.push(d);
        }
    }

    // Templates.
    let order = site.reading_order();
    let position: HashMap<PageId, usize> =
        order.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let shared = SharedContext::new(site);
    let files = ids
        .par_iter()
        .filter_map(|&id| {
            let body = bodies[id].as_ref()?;
            match page_html(site, theme, &shared, id, body, &order, &position) {
                Ok(h) => Some(OutFile::Bytes(site.pages[id].url.clone(), h.into_bytes())),
                Err(e) => {
                    let page = &site.pages[id];
                    let mut d =
                        Diagnostic::error("template", format!("cannot render `{}`: {e}", page.url))
                            .hint("check the theme's templates against docs/templates.md");
                    if let Some(s) = page.source.as_deref() {
                        d = d.at(clean(&site.config.src_dir().join(s)));
                    }
                    diags.push(d);
                    None
                }
            }
        })
        .collect();
    (files, bodies)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::{render_site, BuildOptions, BuildReport};

    fn fixture(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name)
    }

    /// Every page rendered alone is byte-identical to the full render, with the same
    /// diagnostics for its file.
    #[test]
    fn partial_matches_full_render() {
        for name in ["messy", "mdbook"] {
            let opts = BuildOptions {
                dir: fixture(name),
                dest: Some(std::env::temp_dir().join("skillsite-partial-test-unused")),
                ..Default::default()
            };
            let full_diags = Diagnostics::new();
            let rendered = render_site(&opts, &full_diags, &mut BuildReport::default())
                .expect("fixture builds");
            let site = &rendered.site;
            let theme = Theme::load(&site.config.root).expect("theme");
            for id in 0..site.pages.len() {
                let page = &site.pages[id];
                let diags = Diagnostics::new();
                let out = render_pages(site, &theme, &[id], &diags);
                if page.draft {
                    assert!(out.is_empty());
                    continue;
                }
                assert_eq!(out.len(), 1, "{name}: {}", page.url);
                let full = rendered
                    .files
                    .iter()
                    .find(|f| f.path() == page.url)
                    .expect("page in full render");
                assert_eq!(&out[0], full, "{name}: {} differs", page.url);
                let Some(source) = &page.source else { continue };
                let file = clean(&site.config.src_dir().join(source));
                // Render-stage diagnostics for this file: everything but the loader's rules.
                let loader = [
                    "front-matter",
                    "encoding",
                    "mojibake",
                    "include",
                    "binary-markdown",
                    "io",
                    // Site-wide: the agent files (well-known indexes) are not per page.
                    "agent-index",
                ];
                let expected: Vec<_> = full_diags
                    .sorted()
                    .into_iter()
                    .filter(|d| d.file.as_ref() == Some(&file) && !loader.contains(&d.rule))
                    .collect();
                assert_eq!(diags.sorted(), expected, "{name}: diagnostics of {source}");
            }
        }
    }
}
