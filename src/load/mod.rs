//! Stage 1, **load**: configuration, discovery, decoding, front matter, SUMMARY.md.
//!
//! [`load`] turns a project folder into a [`Site`]: it reads `book.toml`, finds and reads every
//! file of the content folder (in parallel), and orders the pages from `SUMMARY.md` or the
//! folder tree. Nothing is rendered here.

pub mod config;
pub mod decode;
pub mod discover;
pub mod front_matter;
pub mod git;
pub mod include;
pub mod manifests;
pub mod preprocess;
pub mod structure;
pub mod summary;

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Site;
use config::Config;
use discover::Found;

/// Loads the project at `dir` (a folder with `book.toml`, or a plain content folder).
///
/// Errors: the diagnostic for a configuration that cannot be used (TOML syntax error) or a
/// content folder that does not exist; every other problem is pushed to `diags` and the site
/// is still returned.
pub fn load(dir: &Path, diags: &Diagnostics) -> Result<Site, Diagnostic> {
    let config = Config::load(dir, diags)?;
    load_with(config, diags)
}

/// Loads the content of a project whose configuration is already read.
pub fn load_with(config: Config, diags: &Diagnostics) -> Result<Site, Diagnostic> {
    let src = config.src_dir();
    if !src.is_dir() {
        return Err(Diagnostic::error(
            "content-missing",
            format!(
                "content folder `{}` does not exist",
                crate::util::path::clean(&src).display()
            ),
        )
        .at(config.file.clone().map_or_else(
            || crate::util::path::clean(&config.root),
            |f| crate::util::path::clean(&f),
        ))
        .hint("create it, or set `[book] src` in book.toml to the folder holding your Markdown"));
    }
    let found = discover::discover(&src, &config.root, &[config.build_dir()], diags);
    let mut pages = Vec::new();
    let mut assets = Vec::new();
    let mut outside_links = Vec::new();
    let mut summary_text = None;
    let page_paths: Vec<(String, PathBuf)> = found
        .iter()
        .filter_map(|f| match f {
            Found::Page(p) => p.source.as_ref().map(|s| (s.clone(), src.join(s))),
            _ => None,
        })
        .collect();
    let mut files: Vec<(&str, &Path)> = page_paths
        .iter()
        .map(|(r, a)| (r.as_str(), a.as_path()))
        .chain(found.iter().filter_map(|f| match f {
            Found::Asset(a) => Some((a.to.as_str(), a.from.as_path())),
            Found::Manifest { rel, abs } => Some((rel.as_str(), abs.as_path())),
            _ => None,
        }))
        .collect();
    files.sort_by(|a, b| a.0.cmp(b.0));
    let manifests = manifests::read(&src, files, diags);
    for f in found {
        match f {
            Found::Page(p) if p.source.as_deref() == Some("SUMMARY.md") => {
                summary_text = Some(p.body.clone())
            }
            Found::Page(p) => pages.push(*p),
            Found::Asset(a) => assets.push(a),
            Found::OutsideLink(l) => outside_links.push(l),
            Found::Manifest { .. } => {}
        }
    }
    let summary_file = crate::util::path::clean(&src.join("SUMMARY.md"));
    let structure = structure::build(
        pages,
        &config.book.title,
        summary_text.as_deref().map(|t| (t, summary_file.as_path())),
        diags,
    );
    check_search_chapters(&config, &structure.pages, diags);
    let repository = git::repository(&config.root);
    Ok(Site {
        config,
        pages: structure.pages,
        nav: structure.nav,
        assets,
        outside_links,
        manifests,
        repository,
        catalog: Default::default(),
        audit: Default::default(),
    })
}

/// `[output.html.search.chapter]` paths must name a chapter or a folder of chapters (mdBook
/// refuses the book otherwise; skillsite warns and builds).
fn check_search_chapters(config: &Config, pages: &[crate::model::Page], diags: &Diagnostics) {
    for path in config.html.search.chapter.keys() {
        let p = path.trim_end_matches('/');
        let found = pages
            .iter()
            .filter_map(|pg| pg.source.as_deref())
            .any(|s| s == p || s.starts_with(&format!("{p}/")));
        if !found {
            let file = config
                .file
                .clone()
                .unwrap_or_else(|| config.root.join("book.toml"));
            diags.push(
                Diagnostic::warning(
                    "config",
                    format!("`[output.html.search.chapter]` names `{path}`, which is not a chapter or folder of the book"),
                )
                .at(crate::util::path::clean(&file))
                .hint("write the path of a chapter file or folder, relative to the content folder"),
            );
        }
    }
}
