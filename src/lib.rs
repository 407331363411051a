//! skillsite: a static-site generator for skill packs (folders of `SKILL.md` files for AI
//! agents), runbooks and architecture docs.
//!
//! The build is a pipeline of stages, one module each, working on the plain data model in
//! [`model`]; a stage uses only the modules below it (`tests/layering.rs` checks it, and
//! `docs/architecture.md` draws it). From the bottom:
//!
//! 0. [`util`] (URL policy, hidden text, paths, slugs) and [`diagnostics`]: the ground floor;
//! 1. [`model`]: the site, its pages and navigation, configuration, manifests, the skill
//!    catalog and the audit's findings (plain data);
//! 2. [`load`]: `book.toml`, discovery, decoding (mojibake repair), front matter, SUMMARY.md;
//! 3. [`transform`]: the catalog (packs, skills, plans, edges), its lint rules and the
//!    security audit;
//! 4. [`render`]: Markdown, highlighting, prompt tags, diagrams, sanitizing, templates
//!    (pages in parallel), catalog pages and `catalog.json`/`llms.txt`, the search text;
//! 5. [`index`]: the search index (tantivy) and its static export for the browser, from the
//!    text the render stage extracted;
//! 6. [`write`](mod@write): the atomic swap of the output folder.
//!
//! [`build::build`] runs them in order; [`serve`] re-runs them for what changed; the CLI in
//! `main.rs` only parses arguments and prints.

// Fatal errors are returned as a `Diagnostic` (file, line, column, message, hint): large for a
// `Result` error, but only ever on the one path that stops a build, never in a hot loop.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod diagnostics;
pub mod index;
pub mod init;
pub mod load;
pub mod model;
pub mod render;
pub mod sarif;
pub mod serve;
pub mod transform;
pub mod util;
pub mod write;
