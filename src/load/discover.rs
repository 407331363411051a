//! Discovery: finds the files of the content folder and reads the Markdown ones.
//!
//! Every file is either a page (`.md`/`.markdown`, decoded, front matter parsed, mdBook links
//! expanded) or an asset copied unchanged. A file named `.md` that is binary (it has NUL
//! bytes) is copied as an asset with a warning, never rendered or dropped.
//!
//! Which paths are read is decided by [`is_content_path`] (also used by `serve` to sort out
//! watcher events) and by the `.gitignore`/`.ignore` files of the project, read with the
//! `ignore` crate (ripgrep's walker): `.git`, `node_modules`, `target`, the build folder and
//! hidden files are skipped; hidden folders are read where skills live in 2026 — an agent's
//! folder (`.claude/skills`, `.agents/skills`, `.github/skills`, `.codex/skills`,
//! `.gemini/skills`, `.cursor/skills`, `.opencode/skills`, and their `agents/`, `commands/`,
//! `prompts/` folders) and category folders inside a skills folder (`skills/.curated/…`, as
//! in openai/skills).
//!
//! Symbolic links are followed while they stay inside the project root. A file reached
//! through several paths (a skills folder linked for several agents) is read once, at its
//! primary path (the one without a symbolic link, else the first); the other paths are
//! [`Page::aliases`] of its page. A link that leads outside the project is not followed and
//! comes back as [`Found::OutsideLink`]; a link loop is a warning.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde_json::Value;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::manifests;
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
    /// A file that is not content but that the manifest reader reads
    /// ([`manifests::is_manifest_path`]: `.claude-plugin/plugin.json`, `.mcp.json`, …): not
    /// published, not read here. `rel` is content-relative and `/`-separated.
    Manifest { rel: String, abs: PathBuf },
}

/// Folder names never entered, at any depth: version control, package managers' and
/// Cargo's output (as Zola, Hugo and mdBook skip them).
pub const SKIPPED_NAMES: &[&str] = &[".git", ".hg", ".svn", "node_modules", "target"];

/// The sub-folders of a hidden folder that discovery enters: where agents keep skills,
/// subagents, commands and prompt files (`.claude/skills`, `.github/agents`,
/// `.claude/commands`, `.github/prompts`). Everything else in a hidden folder (CI workflows,
/// settings, caches) is not part of the site.
pub const AGENT_SUBFOLDERS: &[&str] = &["skills", "agents", "commands", "prompts"];

/// Whether discovery reads the entry at content-relative path `rel` (`/`-separated;
/// `is_dir` tells whether the entry is a folder). The rules, in order, for each path
/// component:
/// - a name in [`SKIPPED_NAMES`] is never entered;
/// - a hidden file (`.env`, `.DS_Store`) is never read;
/// - a hidden folder is entered when it lies inside a folder named `skills` (category
///   folders such as `skills/.curated`), and otherwise only on the way to one of
///   [`AGENT_SUBFOLDERS`] (`.claude/skills/…`; `.claude/settings.json` is not read).
///
/// `.gitignore` rules and the build folder are applied by the walk, not here.
pub fn is_content_path(rel: &str, is_dir: bool) -> bool {
    let parts: Vec<&str> = rel.split('/').filter(|p| !p.is_empty()).collect();
    for (i, part) in parts.iter().enumerate() {
        if SKIPPED_NAMES.contains(part) {
            return false;
        }
        if !part.starts_with('.') || *part == "." || *part == ".." {
            continue;
        }
        let last = i + 1 == parts.len();
        if last && !is_dir {
            return false;
        }
        if parts[..i].contains(&"skills") {
            continue;
        }
        match parts.get(i + 1) {
            // The hidden folder itself: enter it; its children are filtered one by one.
            None => {}
            Some(next) if AGENT_SUBFOLDERS.contains(next) => {}
            Some(_) => return false,
        }
    }
    true
}

/// One file the walk reached, before reading.
struct Reached {
    rel: String,
    abs: PathBuf,
    real: Option<PathBuf>,
    /// The file itself is a symbolic link.
    file_link: bool,
    /// The path goes through a linked folder.
    in_linked_dir: bool,
}

/// Lists and reads every file below `src`, in parallel, sorted by relative path.
/// `skip` lists absolute folders not to enter (the build folder). `root` is the project root:
/// symbolic links are followed while their target stays inside it (see the module docs).
pub fn discover(src: &Path, root: &Path, skip: &[PathBuf], diags: &Diagnostics) -> Vec<Found> {
    let skip: Vec<PathBuf> = skip
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let src_real = std::fs::canonicalize(src).unwrap_or_else(|_| src.to_path_buf());
    let outside: Arc<Mutex<Vec<OutsideLink>>> = Arc::default();
    let linked_dirs: Arc<Mutex<Vec<String>>> = Arc::default();
    let mut walk = ignore::WalkBuilder::new(src);
    walk.hidden(false)
        .parents(true)
        .ignore(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .require_git(false)
        .follow_links(true)
        .sort_by_file_name(|a, b| a.cmp(b));
    {
        let src = src.to_path_buf();
        let outside = Arc::clone(&outside);
        let linked_dirs = Arc::clone(&linked_dirs);
        walk.filter_entry(move |e| {
            if e.depth() == 0 {
                return true;
            }
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            let rel = rel_path(&src, e.path());
            if !is_content_path(&rel, is_dir) && !manifests::is_manifest_path(&rel, is_dir) {
                return false;
            }
            if e.path_is_symlink() {
                // A dangling link is left to the walker, which reports it.
                if let Ok(target) = std::fs::canonicalize(e.path()) {
                    if !target.starts_with(&root) {
                        outside.lock().unwrap().push(OutsideLink {
                            path: rel,
                            target: std::fs::read_link(e.path()).unwrap_or(target),
                        });
                        return false;
                    }
                    if is_dir {
                        linked_dirs.lock().unwrap().push(rel.clone());
                    }
                }
            }
            !(is_dir && std::fs::canonicalize(e.path()).is_ok_and(|c| skip.contains(&c)))
        });
    }
    let mut reached: Vec<Reached> = Vec::new();
    let mut loops: Vec<(PathBuf, PathBuf)> = Vec::new();
    for entry in walk.build() {
        match entry {
            Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                let rel = rel_path(src, e.path());
                reached.push(Reached {
                    real: std::fs::canonicalize(e.path()).ok(),
                    file_link: e.path_is_symlink(),
                    in_linked_dir: false,
                    rel,
                    abs: e.into_path(),
                });
            }
            Ok(_) => {}
            Err(e) => match loop_of(&e) {
                Some(l) => loops.push(l),
                None => report_walk_error(&e, src, diags),
            },
        }
    }
    let linked_dirs = std::mem::take(&mut *linked_dirs.lock().unwrap());
    let under_linked = |p: &str| {
        linked_dirs
            .iter()
            .any(|d| p.starts_with(d.as_str()) && p[d.len()..].starts_with('/'))
    };
    for r in &mut reached {
        r.in_linked_dir = under_linked(&r.rel);
    }
    let (files, aliases) = dedupe(reached, &src_real);
    let mut found: Vec<Found> = files
        .into_par_iter()
        .map(|(rel, abs)| {
            if !is_content_path(&rel, false) {
                return Found::Manifest { rel, abs };
            }
            let mut f = read(rel, abs, diags);
            if let Found::Page(p) = &mut f {
                if let Some(a) = p.source.as_ref().and_then(|s| aliases.get(s)) {
                    p.aliases = a.clone();
                }
            }
            f
        })
        .collect();
    // One report per link, not one per path that reaches it through a linked folder.
    let real_place = |at: &Path| -> PathBuf {
        at.parent()
            .and_then(|p| std::fs::canonicalize(p).ok())
            .map_or_else(
                || at.to_path_buf(),
                |p| p.join(at.file_name().unwrap_or_default()),
            )
    };
    let mut outside = std::mem::take(&mut *outside.lock().unwrap());
    outside.sort_by_key(|l| (under_linked(&l.path), l.path.clone()));
    let mut seen = std::collections::HashSet::new();
    outside.retain(|l| seen.insert(real_place(&src.join(&l.path))));
    loops.sort_by_key(|(child, _)| {
        let rel = rel_path(src, child);
        (under_linked(&rel), rel)
    });
    let mut seen = std::collections::HashSet::new();
    for (child, ancestor) in loops {
        if seen.insert(real_place(&child)) {
            diags.push(
                Diagnostic::warning(
                    "symlink-loop",
                    format!(
                        "symbolic link loop: this link leads back to `{}`; not followed",
                        clean(&ancestor).display()
                    ),
                )
                .at(clean(&child))
                .hint("remove the link, or point it at a folder that does not contain it"),
            );
        }
    }
    found.extend(outside.into_iter().map(Found::OutsideLink));
    found
}

/// Primary content-relative path → the other paths reaching the same file.
type Aliases = HashMap<String, Vec<String>>;

/// Keeps one path per real file. Of the paths reaching one file, the primary is the one that
/// is the file's real path inside the content folder, else the first not under a symbolic
/// link, else the first in path order. The others are dropped, and recorded as aliases of the
/// primary when they are skill files (`SKILL.md`; a skill linked for several agents) or
/// lie under a linked folder; a file that is itself a link, elsewhere, stays a file of its
/// own (a shared reference page linked into two skills is published in both).
fn dedupe(reached: Vec<Reached>, src_real: &Path) -> (Vec<(String, PathBuf)>, Aliases) {
    let mut groups: BTreeMap<PathBuf, Vec<usize>> = BTreeMap::new();
    for (i, r) in reached.iter().enumerate() {
        if let Some(real) = &r.real {
            groups.entry(real.clone()).or_default().push(i);
        }
    }
    let mut keep = vec![true; reached.len()];
    let mut aliases: HashMap<String, Vec<String>> = HashMap::new();
    for (real, members) in &groups {
        if members.len() < 2 {
            continue;
        }
        let primary = members
            .iter()
            .copied()
            .find(|&i| src_real.join(&reached[i].rel) == *real)
            .or_else(|| {
                members
                    .iter()
                    .copied()
                    .find(|&i| !reached[i].file_link && !reached[i].in_linked_dir)
            })
            .unwrap_or(members[0]);
        for &i in members {
            if i == primary {
                continue;
            }
            let r = &reached[i];
            let skill_file = r
                .rel
                .rsplit('/')
                .next()
                .is_some_and(|n| n.eq_ignore_ascii_case("SKILL.md"));
            if skill_file || r.in_linked_dir {
                keep[i] = false;
                aliases
                    .entry(reached[primary].rel.clone())
                    .or_default()
                    .push(r.rel.clone());
            }
        }
    }
    let files = reached
        .into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(r, _)| (r.rel, r.abs))
        .collect();
    (files, aliases)
}

/// The (link, ancestor) of a symbolic link loop the walk met, if `e` is one.
fn loop_of(e: &ignore::Error) -> Option<(PathBuf, PathBuf)> {
    match e {
        ignore::Error::Loop { ancestor, child } => Some((child.clone(), ancestor.clone())),
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => loop_of(err),
        _ => None,
    }
}

/// Turns an error of the walk into a warning with the path it concerns and a hint.
fn report_walk_error(e: &ignore::Error, src: &Path, diags: &Diagnostics) {
    fn parts(e: &ignore::Error) -> (Option<PathBuf>, &ignore::Error) {
        match e {
            ignore::Error::WithPath { path, err } => (Some(path.clone()), parts(err).1),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                parts(err)
            }
            _ => (None, e),
        }
    }
    let (path, inner) = parts(e);
    let path = path.unwrap_or_else(|| src.to_path_buf());
    let d = match inner {
        ignore::Error::Partial(_) | ignore::Error::Glob { .. } => {
            Diagnostic::warning("gitignore", format!("cannot use an ignore file: {inner}"))
                .hint("fix the pattern; the other rules of the file still apply")
        }
        _ => Diagnostic::warning("io", format!("cannot read: {inner}"))
            .hint("check permissions and symbolic links; the file is skipped"),
    };
    diags.push(d.at(clean(&path)));
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

/// The title a page gets from its file, before the structure stage fills in fallbacks (an
/// empty string then): front matter `title`, else the first `#` heading of `body` (after
/// includes), else front matter `name`. A skill (`SKILL.md`) is called by its name, as agents
/// and skill directories show it (Claude Code's `/name`, skills.sh), since its first heading
/// is often a section ("Requirements for Outputs"): `title`, `display-name`, `name`; without
/// one, Claude Code uses the folder name, which the structure stage fills in. `serve` compares
/// titles with this rule to know whether an edit changes the navigation.
pub fn loaded_title(
    rel: &str,
    front_matter: &serde_json::Map<String, Value>,
    body: &str,
) -> String {
    let is_skill = rel
        .rsplit('/')
        .next()
        .is_some_and(|n| n.eq_ignore_ascii_case("SKILL.md"));
    if is_skill {
        string(front_matter, "title")
            .or_else(|| string(front_matter, "display-name"))
            .or_else(|| string(front_matter, "display_name"))
            .or_else(|| string(front_matter, "name"))
    } else {
        string(front_matter, "title")
            .or_else(|| first_heading(body))
            .or_else(|| string(front_matter, "name"))
    }
    .unwrap_or_default()
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
    page.title = loaded_title(&rel, &fm.data, &expanded.text);
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
    fn content_paths_follow_where_agents_keep_skills() {
        for (rel, dir) in [
            (".claude", true),
            (".claude/skills", true),
            (".claude/skills/tdd/SKILL.md", false),
            (".github/agents/reviewer.agent.md", false),
            (".claude/commands/ship.md", false),
            ("skills/.curated", true),
            ("skills/.curated/pdf/SKILL.md", false),
            ("plugins/p/skills/.system/x/.hidden-cat/SKILL.md", false),
            ("docs/guide.md", false),
        ] {
            assert!(is_content_path(rel, dir), "{rel} should be read");
        }
        for (rel, dir) in [
            (".git", true),
            ("skills/.git/config", false),
            ("node_modules/x/SKILL.md", false),
            ("target/doc/index.md", false),
            (".env", false),
            ("skills/pdf/.env", false),
            (".DS_Store", false),
            (".github/workflows", true),
            (".github/workflows/ci.yml", false),
            (".claude/settings.json", false),
            (".venv/lib", true),
            ("docs/.obsidian/workspace.md", false),
        ] {
            assert!(!is_content_path(rel, dir), "{rel} should be skipped");
        }
    }

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
