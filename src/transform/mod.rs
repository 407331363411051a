//! Stage 2, **transform**: derives what the pages alone do not say — the skill catalog
//! (packs, written and planned skills, dependency and cross-reference edges) and the lint
//! diagnostics over it. Runs after `load`, before `render`; works on the [`Site`] in place.
//!
//! [`Site`]: crate::model::Site

pub mod catalog;
pub mod lint;
pub mod plan;
pub mod xref;

use crate::diagnostics::Diagnostics;
use crate::model::Site;

/// Options of the transform stage (from `[skillsite]` in book.toml).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransformOptions {
    /// Lint: warn when a description does not start with "Use when" (off by default).
    pub require_use_when: bool,
}

/// Runs the transform stage: builds `site.catalog` and reports lint diagnostics.
pub fn transform(site: &mut Site, diags: &Diagnostics) {
    catalog::build(site, diags);
    lint::lint(site, diags);
}
