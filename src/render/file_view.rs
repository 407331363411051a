//! The files of a skill folder, and a viewer page for each text file among them.
//!
//! A skill ships scripts, references and templates beside its `SKILL.md`. The skill page lists
//! them as a tree (`catalog_pages::SkillContext::files`); each text file links to a generated
//! **viewer page** that shows it highlighted (syntect, [`highlight`]) inside the theme, with
//! breadcrumbs back to the skill and a link to the raw file, which is published unchanged at
//! its own path for download. Nothing is ever run: a script is text on its viewer page, and the
//! raw link carries `download`.
//!
//! Which files get a viewer ([`viewer_path`]): assets (not Markdown pages, which are rendered
//! pages already) with a text extension or a known text file name ([`TEXT_EXTENSIONS`],
//! [`TEXT_NAMES`]), of at most [`MAX_VIEW_BYTES`], whose bytes are UTF-8 without NUL. Binary
//! and bigger files link to the raw file only.
//!
//! Where a viewer page goes: `<skill folder>/files/<path in the folder>.html`
//! (`pdf-tools/files/scripts/fill.py.html`). A content file or page can sit at that path in
//! principle (`pdf-tools/files/scripts/fill.py.html` as a file, or a `fill.py.md`): then the
//! content wins and the file gets no viewer, so a viewer never replaces or shadows a file of
//! the site. Viewer pages are not in `sitemap.xml`, the search index or the Markdown twins
//! (the raw file is their twin, published at its own path).
//!
//! Hidden characters (bidi controls, zero-width and tag characters, `util::hidden`) show as the
//! same marks as on pages ([`markdown::reveal_html`]).
//!
//! [`markdown::reveal_html`]: crate::render::markdown::reveal_html

use std::collections::HashSet;
use std::path::PathBuf;

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{PageId, Site};
use crate::util::path::{href_path, relative_root};

use super::page::{generated_page_with, link, SharedContext};
use super::templates::Theme;
use super::{highlight, OutFile};

/// Largest file shown on a viewer page: 256 KiB. Bigger files link to the raw file only.
pub const MAX_VIEW_BYTES: u64 = 256 * 1024;

/// Extensions (lowercase, without the dot) of files shown on a viewer page: scripts, source
/// code, configuration, data and templates.
pub const TEXT_EXTENSIONS: &[&str] = &[
    "bash",
    "bat",
    "c",
    "cc",
    "cfg",
    "cjs",
    "clj",
    "cmd",
    "conf",
    "cpp",
    "cs",
    "css",
    "csv",
    "cts",
    "dart",
    "diff",
    "dockerfile",
    "dot",
    "el",
    "env",
    "erb",
    "ex",
    "exs",
    "fish",
    "go",
    "gradle",
    "graphql",
    "groovy",
    "gv",
    "h",
    "hbs",
    "hcl",
    "hpp",
    "hs",
    "htm",
    "html",
    "ini",
    "j2",
    "java",
    "jinja",
    "jinja2",
    "js",
    "json",
    "jsonc",
    "jsonl",
    "jsx",
    "kt",
    "kts",
    "less",
    "liquid",
    "lua",
    "m",
    "mjs",
    "mk",
    "ml",
    "mmd",
    "mts",
    "mustache",
    "nix",
    "patch",
    "php",
    "pl",
    "pm",
    "properties",
    "proto",
    "ps1",
    "psm1",
    "py",
    "pyi",
    "r",
    "rb",
    "rs",
    "rst",
    "sass",
    "scala",
    "scss",
    "sh",
    "sql",
    "svelte",
    "swift",
    "tcl",
    "tex",
    "tf",
    "tfvars",
    "tmpl",
    "toml",
    "tpl",
    "ts",
    "tsv",
    "tsx",
    "txt",
    "vue",
    "xml",
    "xsd",
    "xsl",
    "yaml",
    "yml",
    "zsh",
];

/// File names (without extension) shown on a viewer page, with the syntax they are
/// highlighted as.
pub const TEXT_NAMES: &[(&str, &str)] = &[
    ("Dockerfile", "Dockerfile"),
    ("Makefile", "Makefile"),
    ("GNUmakefile", "Makefile"),
    ("Justfile", ""),
    ("Gemfile", "rb"),
    ("Rakefile", "rb"),
    ("Procfile", ""),
    ("LICENSE", ""),
    ("LICENCE", ""),
    ("NOTICE", ""),
    ("COPYING", ""),
    ("CODEOWNERS", ""),
];

/// One file of a skill folder, as the skill page lists it.
#[derive(Debug, Clone)]
pub struct SkillFile {
    /// Path relative to the skill folder, `/`-separated.
    pub rel: String,
    /// Root-relative URL of the file as published (a page's Markdown source, an asset).
    pub raw: String,
    /// Root-relative URL of the rendered page, for Markdown files.
    pub page: Option<String>,
    /// Root-relative output path of its viewer page, for text files ([`viewer_path`]).
    pub viewer: Option<String>,
    /// Size in bytes (0 for pages).
    pub bytes: u64,
    /// Absolute path of an asset (`None` for pages).
    pub from: Option<PathBuf>,
}

/// Every file below skill folder `folder` (pages and assets, drafts left out), sorted by path;
/// text assets carry their viewer page.
pub fn skill_files(site: &Site, folder: &str) -> Vec<SkillFile> {
    let prefix = if folder.is_empty() {
        String::new()
    } else {
        format!("{folder}/")
    };
    let viewers = format!("{prefix}files/");
    // Output paths under `files/` that content already takes: a viewer never goes there.
    let mut taken: HashSet<&str> = HashSet::new();
    let mut out: Vec<SkillFile> = Vec::new();
    for p in site.pages.iter().filter(|p| !p.draft) {
        if p.url.starts_with(&viewers) {
            taken.insert(&p.url);
        }
        if let Some(src) = p.source.as_deref().filter(|s| s.starts_with(&prefix)) {
            out.push(SkillFile {
                rel: src[prefix.len()..].to_string(),
                raw: href_path(src),
                page: Some(href_path(&p.url)),
                viewer: None,
                bytes: 0,
                from: None,
            });
        }
    }
    for a in &site.assets {
        if a.to.starts_with(&viewers) {
            taken.insert(&a.to);
        }
    }
    for a in site.assets.iter().filter(|a| a.to.starts_with(&prefix)) {
        let rel = &a.to[prefix.len()..];
        let bytes = std::fs::metadata(&a.from).map_or(0, |m| m.len());
        let viewer = format!("{viewers}{rel}.html");
        let viewer = (!taken.contains(viewer.as_str()) && is_viewable(rel, &a.from, bytes))
            .then_some(viewer);
        out.push(SkillFile {
            rel: rel.to_string(),
            raw: href_path(&a.to),
            page: None,
            viewer,
            bytes,
            from: Some(a.from.clone()),
        });
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    out.dedup_by(|a, b| a.rel == b.rel);
    out
}

/// The language token the file at `rel` is highlighted as (its extension, or the syntax of a
/// [`TEXT_NAMES`] entry), `None` when it is not a text file by name.
pub fn text_lang(rel: &str) -> Option<String> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if let Some((_, lang)) = TEXT_NAMES.iter().find(|(n, _)| *n == name) {
        return Some((*lang).to_string());
    }
    let (stem, ext) = name.rsplit_once('.')?;
    if stem.is_empty() {
        return None;
    }
    let ext = ext.to_ascii_lowercase();
    TEXT_EXTENSIONS.contains(&ext.as_str()).then_some(ext)
}

/// Whether the asset at `rel` (skill-relative) read from `from` gets a viewer page: a text
/// name ([`text_lang`]), at most [`MAX_VIEW_BYTES`], UTF-8 without NUL.
fn is_viewable(rel: &str, from: &std::path::Path, bytes: u64) -> bool {
    text_lang(rel).is_some() && bytes <= MAX_VIEW_BYTES && read_text(from).is_some()
}

/// The file's text when it is UTF-8 without NUL bytes and at most [`MAX_VIEW_BYTES`].
fn read_text(from: &std::path::Path) -> Option<String> {
    let bytes = std::fs::read(from).ok()?;
    if bytes.len() as u64 > MAX_VIEW_BYTES || bytes.contains(&0) {
        return None;
    }
    String::from_utf8(bytes).ok()
}

/// `file` in the viewer template: the file and its highlighted text.
#[derive(Serialize)]
struct FileContext<'a> {
    /// Path in the skill folder.
    path: &'a str,
    /// File name.
    name: &'a str,
    /// Root-relative URL of the raw file.
    raw_url: &'a str,
    /// `812 B`, `3.4 KB`.
    size: String,
    /// Number of lines.
    lines: usize,
    /// The syntax's name (`Python`, `Bourne Again Shell (bash)`), or `Plain text`.
    language: String,
    /// Whether the file is a script (an interpreter's or a shell's file): the page says it is
    /// shown, not run.
    script: bool,
    /// The skill: `{name, url}`.
    skill: super::page::Link,
    /// `<div class="code-block">…</div>`, escaped and highlighted, hidden characters marked.
    html: String,
}

/// Extensions of files an interpreter or shell runs.
const SCRIPT_EXTENSIONS: &[&str] = &[
    "bash", "bat", "cjs", "cmd", "fish", "js", "mjs", "php", "pl", "ps1", "psm1", "py", "rb", "sh",
    "ts", "zsh",
];

/// The viewer pages of every written skill's text files. A file that is no longer viewable
/// when its page is written (changed during the build) is an `io` warning; a template error
/// an error.
pub(crate) fn viewer_pages(
    site: &Site,
    theme: &Theme,
    shared: &SharedContext,
    diags: &Diagnostics,
) -> Vec<OutFile> {
    use rayon::prelude::*;
    let mut jobs: Vec<(PageId, &str, SkillFile)> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for s in site.catalog.skills.iter().filter(|s| !s.planned) {
        let Some(page) = s.page.filter(|&p| !site.pages[p].draft) else {
            continue;
        };
        for f in skill_files(site, &s.folder) {
            if let Some(v) = &f.viewer {
                if seen.insert(v.clone()) {
                    jobs.push((page, s.name.as_str(), f));
                }
            }
        }
    }
    jobs.par_iter()
        .filter_map(|(page, skill, f)| {
            let path = f.viewer.as_deref()?;
            let from = f.from.as_deref()?;
            let Some(text) = read_text(from) else {
                diags.push(
                    Diagnostic::warning(
                        "io",
                        format!(
                            "`{}` changed while building (no longer UTF-8 text of at most 256 KiB): its viewer page is not written",
                            f.rel
                        ),
                    )
                    .at(crate::util::path::clean(from))
                    .hint("build again; the file itself is published as it is"),
                );
                return None;
            };
            match viewer_html(site, theme, shared, *page, skill, f, &text, path) {
                Ok(html) => Some(OutFile::Bytes(path.to_string(), html.into_bytes())),
                Err(e) => {
                    diags.push(
                        Diagnostic::error("template", format!("cannot render `{path}`: {e}"))
                            .at(crate::util::path::clean(from))
                            .hint("check the theme's file.html against docs/templates.md"),
                    );
                    None
                }
            }
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn viewer_html(
    site: &Site,
    theme: &Theme,
    shared: &SharedContext,
    page: PageId,
    skill: &str,
    f: &SkillFile,
    text: &str,
    path: &str,
) -> Result<String, String> {
    let lang = text_lang(&f.rel).unwrap_or_default();
    let language =
        highlight::find(&lang).map_or_else(|| "Plain text".to_string(), |s| s.name.clone());
    let name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
    let ext = name
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    let first_line = text.lines().next().unwrap_or("");
    let file = FileContext {
        path: &f.rel,
        name,
        raw_url: &f.raw,
        size: super::catalog_pages::human_size(f.bytes),
        lines: text.lines().count(),
        language,
        script: SCRIPT_EXTENSIONS.contains(&ext.as_str()) || first_line.starts_with("#!"),
        skill: link(site, page),
        html: super::markdown::numbered_code_block(&lang, text),
    };
    let mut crumbs = vec![link(site, 0)];
    let mut chain = Vec::new();
    let mut cur = site.pages[page].parent;
    while let Some(p) = cur {
        if chain.contains(&p) || p == 0 {
            break;
        }
        chain.push(p);
        cur = site.pages[p].parent;
    }
    crumbs.extend(chain.into_iter().rev().map(|p| link(site, p)));
    if page != 0 {
        crumbs.push(link(site, page));
    }
    let value = serde_json::to_value(&file).map_err(|e| e.to_string())?;
    generated_page_with(
        site,
        theme,
        shared,
        "file.html",
        &format!("{} · {skill}", f.rel),
        path,
        &relative_root(path),
        crumbs,
        Some(("file", value)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_names_and_extensions() {
        assert_eq!(text_lang("scripts/fill.py").as_deref(), Some("py"));
        assert_eq!(text_lang("scripts/RUN.SH").as_deref(), Some("sh"));
        assert_eq!(text_lang("Dockerfile").as_deref(), Some("Dockerfile"));
        assert_eq!(
            text_lang("graphviz-conventions.dot").as_deref(),
            Some("dot")
        );
        assert_eq!(text_lang("LICENSE").as_deref(), Some(""));
        assert_eq!(text_lang("assets/logo.png"), None);
        assert_eq!(text_lang("archive.tar.gz"), None);
        assert_eq!(
            text_lang(".env"),
            None,
            "a hidden file is not content anyway"
        );
        assert_eq!(text_lang("notes"), None);
    }
}
