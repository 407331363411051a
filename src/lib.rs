//! skillsite: a static-site generator for skill packs (folders of `SKILL.md` files for AI
//! agents), runbooks and architecture docs.
//!
//! The build is a pipeline of stages, one module each, working on the plain data model in
//! [`model`]:
//!
//! 1. [`load`]: `book.toml`, discovery, decoding (mojibake repair), front matter, SUMMARY.md;
//! 2. [`model`]: the site, its pages and navigation;
//! 3. [`render`]: Markdown, highlighting, prompt tags, sanitizing, templates (pages in parallel);
//! 4. [`write`]: the atomic swap of the output folder.
//!
//! [`build::build`] runs them in order; the CLI in `main.rs` only parses arguments and prints.

pub mod build;
pub mod diagnostics;
pub mod init;
pub mod load;
pub mod model;
pub mod render;
pub mod serve;
pub mod write;
