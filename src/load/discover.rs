//! Discovery: finds the files of the content folder and reads the Markdown ones.
//!
//! Every file is either a page (`.md`/`.markdown`, decoded, front matter parsed, mdBook links
//! expanded) or an asset copied unchanged. Hidden entries (`.git`, `.claude-plugin`...),
//! `node_modules`, `target` and the build folder are skipped. A file named `.md` that is binary
//! (it has NUL bytes) is copied as an asset with a warning, never rendered or dropped.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::Value;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{decode, front_matter, include};
use crate::model::{Asset, OutsideLink, Page, PageKind};
use crate::util::path::{clean, rel_path};

/// A file found in the content folder.
#[derive(Debug)]
pub enum Found {
    /// A Markdown file, read; `url` and `kind` are not set yet (the structure stage does that).
    Page(Box<Page>),
    /// Anything else.
    Asset(Asset),
    /// A symbolic link whose target is outside the project root: not followed, not read.
    OutsideLink(OutsideLink),
}

/// Lists and reads every file below `src`, in parallel, sorted by relative path.
/// `skip` lists absolute folders not to enter (the build folder). Symbolic links are followed
/// while their target stays inside `root` (the project root); a link that leads outside it is
/// not followed and comes back as [`Found::OutsideLink`], so nothing outside the project is
/// ever published or read because a pack says so.
pub fn discover(src: &Path, root: &Path, skip: &[PathBuf], diags: &Diagnostics) -> Vec<Found> {
    let skip: Vec<PathBuf> = skip
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    let mut outside: Vec<OutsideLink> = Vec::new();
    let walker = walkdir::WalkDir::new(src)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            let name = e.file_name().to_string_lossy();
            if name.starts_with('.') || name == "node_modules" || name == "target" {
                return false;
            }
            if e.path_is_symlink() {
                // A dangling link is left to the walker, which reports it.
                if let Ok(target) = std::fs::canonicalize(e.path()) {
                    if !target.starts_with(&root) {
                        outside.push(OutsideLink {
                            path: rel_path(src, e.path()),
                            target: std::fs::read_link(e.path()).unwrap_or(target),
                        });
                        return false;
                    }
                }
            }
            !(e.file_type().is_dir()
                && std::fs::canonicalize(e.path()).is_ok_and(|c| skip.contains(&c)))
        });
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let rel = rel_path(src, e.path());
                files.push((rel, e.into_path()));
            }
            Ok(_) => {}
            Err(e) => {
                let path = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| src.to_path_buf());
                diags.push(
                    Diagnostic::warning("io", format!("cannot read: {e}"))
                        .at(clean(&path))
                        .hint("check permissions and symbolic links; the file is skipped"),
                );
            }
        }
    }
    let mut found: Vec<Found> = files
        .into_par_iter()
        .map(|(rel, abs)| read(rel, abs, diags))
        .collect();
    found.extend(outside.into_iter().map(Found::OutsideLink));
    found
}

fn read(rel: String, abs: PathBuf, diags: &Diagnostics) -> Found {
    let is_md = rel.ends_with(".md") || rel.ends_with(".markdown");
    if !is_md {
        return Found::Asset(Asset { from: abs, to: rel });
    }
    let bytes = match std::fs::read(&abs) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::error("io", format!("cannot read: {e}")).at(clean(&abs)));
            return Found::Asset(Asset { from: abs, to: rel });
        }
    };
    if bytes.iter().take(8192).any(|&b| b == 0) {
        diags.push(
            Diagnostic::warning(
                "binary-markdown",
                "binary file with a Markdown extension; copied as is, not rendered",
            )
            .at(clean(&abs))
            .hint("rename it, or remove it from the content folder"),
        );
        return Found::Asset(Asset { from: abs, to: rel });
    }
    Found::Page(Box::new(parse_page(&bytes, rel, &abs, diags)))
}

/// Turns the bytes of one Markdown file into a [`Page`] (url and kind still unset).
pub fn parse_page(bytes: &[u8], rel: String, abs: &Path, diags: &Diagnostics) -> Page {
    let file = clean(abs);
    let (text, report) = decode::decode(bytes);
    if report.lossy {
        diags.push(
            Diagnostic::warning(
                "encoding",
                "file is not valid UTF-8; invalid bytes were replaced with U+FFFD",
            )
            .at(&file)
            .hint("save the file as UTF-8"),
        );
    }
    if report.mojibake_repaired {
        diags.push(
            Diagnostic::warning("mojibake", "text was double-encoded UTF-8 (mojibake such as `â€”` for `—`); repaired for the site")
                .at(&file)
                .hint("re-save the source as UTF-8 to fix it at the source"),
        );
    }
    let fm = front_matter::split(&text);
    for (line, msg, recovered) in &fm.problems {
        let d = Diagnostic::warning("front-matter", msg.clone())
            .at(&file)
            .line(*line);
        diags.push(if *recovered {
            d.hint("parsed after quoting values that contain `: `; quote such values yourself")
        } else {
            d.hint("the page is built with empty metadata; quote values that contain `: ` or `#`, or use a block scalar (`>-`)")
        });
    }
    let dir = abs.parent().unwrap_or(Path::new("."));
    let expanded = include::expand(fm.body, dir);
    for (line, msg) in expanded.problems {
        diags.push(
            Diagnostic::warning("include", msg)
                .at(&file)
                .line(fm.body_line + line - 1),
        );
    }
    let mut page = Page::new(String::new(), PageKind::Page);
    page.head_title = expanded.title;
    page.title = string(&fm.data, "title")
        .or_else(|| first_heading(&expanded.text))
        .or_else(|| string(&fm.data, "name"))
        .unwrap_or_default();
    page.description = string(&fm.data, "description").unwrap_or_default();
    page.weight = fm.data.get("weight").and_then(Value::as_i64).unwrap_or(0);
    page.draft = fm
        .data
        .get("draft")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    page.front_matter = fm.data;
    page.front_matter_lines = fm.key_lines;
    page.body = expanded.text;
    page.body_line = fm.body_line;
    page.source = Some(rel);
    page
}

fn string(map: &serde_json::Map<String, Value>, key: &str) -> Option<String> {
    match map.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The text of the first ATX `#` heading outside code fences, inline markers removed.
pub fn first_heading(body: &str) -> Option<String> {
    let mut fence: Option<&str> = None;
    for line in body.lines() {
        let t = line.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if t.starts_with("```") {
            fence = Some("```");
        } else if t.starts_with("~~~") {
            fence = Some("~~~");
        } else if let Some(h) = t.strip_prefix("# ") {
            let h = h.trim().trim_end_matches('#').trim();
            // Drop `{#id .class}` heading attributes.
            let h = match h.rfind(" {") {
                Some(i) if h.ends_with('}') => &h[..i],
                _ => h,
            };
            let plain = h.replace(['`', '*'], "");
            if !plain.is_empty() {
                return Some(plain);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_heading_skips_code() {
        assert_eq!(
            first_heading("```\n# not\n```\n# Yes `code`\n").as_deref(),
            Some("Yes code")
        );
        assert_eq!(first_heading("## h2 only\n"), None);
        assert_eq!(first_heading("# T {#id}\n").as_deref(), Some("T"));
    }
}
