//! Stage 2, **transform**: derives what the pages alone do not say — the skill catalog
//! (packs, written and planned skills, dependency and cross-reference edges) and the lint
//! diagnostics over it. Runs after `load`, before `render`; works on the [`Site`] in place.
//!
//! [`Site`]: crate::model::Site

pub mod audit;
pub mod catalog;
pub mod lint;
pub mod plan;
pub mod xref;

use std::time::{Duration, Instant};

use crate::diagnostics::Diagnostics;
use crate::model::Site;

/// Options of the transform stage (from `[skillsite]` in book.toml).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransformOptions {
    /// Lint: warn when a description does not start with "Use when" (off by default).
    pub require_use_when: bool,
}

/// Wall time of the transform stage's three parts, in order: `catalog`, `lint`, `audit`.
pub type PartTimes = [(&'static str, Duration); 3];

/// Runs the transform stage: builds `site.catalog`, reports lint diagnostics, and audits
/// the packs into `site.audit` (hidden text is an error when `deny_hidden`, as in
/// `skillsite check`, else a warning).
///
/// Returns the wall time of its three parts, in order: `catalog`, `lint`, `audit` (shown by
/// `build --timings` and `serve --timings`).
pub fn transform(site: &mut Site, diags: &Diagnostics, deny_hidden: bool) -> PartTimes {
    transform_with(site, diags, deny_hidden, None)
}

/// [`transform`] for `serve`, which keeps the audit's page scans between runs
/// ([`audit::AuditCache`]; valid while the catalog's shape stays the same).
pub fn transform_with(
    site: &mut Site,
    diags: &Diagnostics,
    deny_hidden: bool,
    audit_cache: Option<&mut audit::AuditCache>,
) -> PartTimes {
    let t = Instant::now();
    catalog::build(site, diags);
    let catalog = t.elapsed();
    let t = Instant::now();
    lint::lint(site, diags);
    let lint = t.elapsed();
    let t = Instant::now();
    site.audit = audit::audit_with(site, diags, deny_hidden, audit_cache);
    add_catalog_page(site);
    [("catalog", catalog), ("lint", lint), ("audit", t.elapsed())]
}

/// Root-relative URL of the generated catalog page.
pub const CATALOG_URL: &str = "catalog.html";

/// Adds the catalog page (first in the navigation) when the site has any skill and no page
/// of its own at that URL.
fn add_catalog_page(site: &mut Site) {
    let c = &site.catalog;
    if (c.skills.is_empty() && c.packs.is_empty())
        || site.pages.iter().any(|p| p.url == CATALOG_URL)
    {
        return;
    }
    let mut page = crate::model::Page::new(CATALOG_URL, crate::model::PageKind::Catalog);
    page.title = "Skill catalog".into();
    let planned = c.skills.iter().filter(|s| s.planned).count();
    let packs = c.packs.len();
    page.description = format!(
        "{} skills in {} {}{}",
        c.skills.len(),
        packs,
        if packs == 1 { "pack" } else { "packs" },
        if planned > 0 {
            format!(", {planned} of them planned")
        } else {
            String::new()
        }
    );
    site.pages.push(page);
    let id = site.pages.len() - 1;
    site.nav.insert(
        0,
        crate::model::NavNode {
            page: Some(id),
            label: String::new(),
            children: Vec::new(),
        },
    );
}
