//! skillsite: a static-site generator for skill packs (folders of `SKILL.md` files for AI
//! agents), runbooks and architecture docs.
//!
//! The build is a pipeline of stages, one module each, working on the plain data model in
//! [`model`]:
//!
//! 1. [`load`]: `book.toml`, discovery, decoding (mojibake repair), front matter, SUMMARY.md;
//! 2. [`model`]: the site, its pages and navigation, the skill catalog;
//! 3. [`transform`]: the catalog (packs, skills, plans, edges) and its lint rules;
//! 4. [`render`]: Markdown, highlighting, prompt tags, diagrams, sanitizing, templates
//!    (pages in parallel), catalog pages and `catalog.json`/`llms.txt`;
//! 5. [`index`]: the search index (tantivy) and its static export for the browser, from the
//!    text the render stage extracted;
//! 6. [`write`]: the atomic swap of the output folder.
//!
//! [`build::build`] runs them in order; the CLI in `main.rs` only parses arguments and prints.

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
