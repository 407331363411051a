//! Structure: orders the discovered pages into a site, from SUMMARY.md or the folder tree.
//!
//! With a `SUMMARY.md` in the content folder, it defines order, nesting, numbering, part
//! titles and drafts exactly as in mdBook; Markdown files it does not list are still rendered
//! (reachable by links and search) but not shown in the navigation. Without one, the folder
//! tree does, as in Zola and Hugo: a folder's `index.md` or `README.md` (or `SKILL.md` for a
//! skill folder) is its section page, entries are sorted by front matter `weight`, then name.
//! URLs follow mdBook: `a/b.md` → `a/b.html`, a folder's section page → `a/index.html`.

use std::collections::{BTreeMap, HashMap};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::summary::{self, Chapter, SummaryItem};
use crate::model::{title_from_name, NavNode, Page, PageId, PageKind};

/// Pages and navigation built from the discovered pages.
#[derive(Debug, Default)]
pub struct Structure {
    /// Pages; `pages[0]` is the home page.
    pub pages: Vec<Page>,
    /// Sidebar tree.
    pub nav: Vec<NavNode>,
}

/// Names that make a file its folder's section page, in order of preference.
pub const INDEX_NAMES: &[&str] = &[
    "SKILL.md",
    "skill.md",
    "index.md",
    "_index.md",
    "README.md",
    "readme.md",
];

fn is_skill_file(name: &str) -> bool {
    name.eq_ignore_ascii_case("skill.md")
}

/// Builds the structure. `summary` is the SUMMARY.md text and its display path, when present.
pub fn build(
    found: Vec<Page>,
    site_title: &str,
    summary: Option<(&str, &std::path::Path)>,
    diags: &Diagnostics,
) -> Structure {
    match summary {
        Some((text, file)) => from_summary(found, site_title, text, file, diags),
        None => from_tree(found, site_title),
    }
}

fn split_dir(source: &str) -> (&str, &str) {
    source.rsplit_once('/').unwrap_or(("", source))
}

fn url_for(source: &str, is_index: bool) -> String {
    let (dir, name) = split_dir(source);
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    if is_index {
        format!("{prefix}index.html")
    } else {
        let stem = name
            .strip_suffix(".markdown")
            .or_else(|| name.strip_suffix(".md"))
            .unwrap_or(name);
        format!("{prefix}{stem}.html")
    }
}

fn finish(mut page: Page, url: String, kind: PageKind) -> Page {
    if page.title.is_empty() {
        let name = page.source.as_deref().map(split_dir).map_or("", |(d, n)| {
            if INDEX_NAMES.contains(&n) {
                d.rsplit('/').next().unwrap_or(d)
            } else {
                n
            }
        });
        // A skill without `name` is called by its folder name, as written (Claude Code).
        page.title = if kind == PageKind::Skill {
            name.to_string()
        } else {
            title_from_name(name)
        };
    }
    page.url = url;
    page.kind = kind;
    page
}

fn home(page: Page, site_title: &str) -> Page {
    let mut page = finish(page, "index.html".into(), PageKind::Index);
    if page.title.is_empty() {
        page.title = site_title.to_string();
    }
    page
}

// ---------------------------------------------------------------- folder tree

#[derive(Default)]
struct Dir {
    index: Option<Page>,
    files: Vec<Page>,
    dirs: Vec<String>,
}

fn from_tree(found: Vec<Page>, site_title: &str) -> Structure {
    let found = merge_identical(found);
    let mut dirs: BTreeMap<String, Dir> = BTreeMap::new();
    dirs.entry(String::new()).or_default();
    let mut linked: std::collections::HashSet<String> = std::collections::HashSet::new();
    for page in found {
        let source = page.source.clone().unwrap_or_default();
        let (dir, name) = split_dir(&source);
        let dir = dir.to_string();
        // Register the folder and all its ancestors, each linked once to its parent.
        let mut d = dir.clone();
        while !d.is_empty() && linked.insert(d.clone()) {
            let parent = split_dir(&d).0.to_string();
            dirs.entry(d.clone()).or_default();
            dirs.entry(parent.clone()).or_default().dirs.push(d.clone());
            d = parent;
        }
        dirs.entry(dir.clone()).or_default();
        let entry = dirs.get_mut(&dir).expect("registered above");
        let rank = |n: &str| INDEX_NAMES.iter().position(|x| *x == n);
        match (
            rank(name),
            entry
                .index
                .as_ref()
                .and_then(|i| i.source.as_deref().map(|s| split_dir(s).1))
                .and_then(rank),
        ) {
            (Some(new), Some(old)) if new < old => {
                let previous = entry.index.replace(page).expect("checked");
                entry.files.push(previous);
            }
            (Some(_), None) => entry.index = Some(page),
            _ => entry.files.push(page),
        }
    }
    let mut out = Structure::default();
    out.pages.push(Page::new("index.html", PageKind::Index)); // placeholder for the home page
    let root = dirs.remove("").unwrap_or_default();
    out.pages[0] = match root.index {
        Some(p) => home(p, site_title),
        None => {
            let mut p = Page::new("index.html", PageKind::Index);
            p.title = site_title.to_string();
            p
        }
    };
    out.nav = emit_children(
        Dir {
            index: None,
            ..root
        },
        None,
        &mut dirs,
        &mut out.pages,
    );
    out
}

/// Pages of one folder with the same content (front matter and body) are one page: the
/// first by [`INDEX_NAMES`] rank, then by path, is kept; the others become its
/// [`Page::aliases`]. That is `AGENTS.md` and `CLAUDE.md` of one repository, one a copy or a
/// symbolic link of the other (discovery keeps a linked file of its own when it is not a
/// skill file): without this the sidebar lists the same text twice. Empty pages stay apart
/// (two placeholders are not one page). Only for the folder tree: a SUMMARY.md lists what its
/// author chose.
fn merge_identical(found: Vec<Page>) -> Vec<Page> {
    use std::hash::{Hash, Hasher};
    let mut groups: HashMap<(String, u64), Vec<usize>> = HashMap::new();
    for (i, p) in found.iter().enumerate() {
        let Some(source) = p.source.as_deref() else {
            continue;
        };
        if p.body.trim().is_empty() {
            continue;
        }
        let mut h = std::collections::hash_map::DefaultHasher::new();
        p.body.hash(&mut h);
        groups
            .entry((split_dir(source).0.to_string(), h.finish()))
            .or_default()
            .push(i);
    }
    let rank = |p: &Page| {
        let name = p.source.as_deref().map_or("", |s| split_dir(s).1);
        (
            INDEX_NAMES
                .iter()
                .position(|n| *n == name)
                .unwrap_or(INDEX_NAMES.len()),
            p.source.clone(),
        )
    };
    let mut merged_into: HashMap<usize, usize> = HashMap::new();
    for members in groups.values().filter(|m| m.len() > 1) {
        let mut members = members.clone();
        members.sort_by_key(|&i| rank(&found[i]));
        let mut left = members;
        while let Some((&primary, rest)) = left.split_first() {
            let (same, other): (Vec<usize>, Vec<usize>) = rest.iter().partition(|&&i| {
                found[i].body == found[primary].body
                    && found[i].front_matter == found[primary].front_matter
            });
            for i in same {
                merged_into.insert(i, primary);
            }
            left = other;
        }
    }
    if merged_into.is_empty() {
        return found;
    }
    let mut aliases: HashMap<usize, Vec<String>> = HashMap::new();
    for (&i, &primary) in &merged_into {
        let p = &found[i];
        let entry = aliases.entry(primary).or_default();
        entry.extend(p.source.clone());
        entry.extend(p.aliases.iter().cloned());
    }
    found
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !merged_into.contains_key(i))
        .map(|(i, mut p)| {
            if let Some(a) = aliases.remove(&i) {
                p.aliases.extend(a);
                p.aliases.sort();
            }
            p
        })
        .collect()
}

/// Emits a folder's files and subfolders as pages (sorted by weight, then name) and returns
/// their nav nodes.
fn emit_children(
    dir: Dir,
    parent: Option<PageId>,
    dirs: &mut BTreeMap<String, Dir>,
    pages: &mut Vec<Page>,
) -> Vec<NavNode> {
    enum Entry {
        File(Page),
        Folder(String, Dir),
    }
    let mut entries: Vec<(i64, String, Entry)> = Vec::new();
    for page in dir.files {
        let name = page
            .source
            .as_deref()
            .map(|s| split_dir(s).1.to_lowercase())
            .unwrap_or_default();
        entries.push((page.weight, name, Entry::File(page)));
    }
    for d in dir.dirs {
        let sub = dirs.remove(&d).unwrap_or_default();
        if sub.index.is_none() && sub.files.is_empty() && sub.dirs.is_empty() {
            continue;
        }
        let weight = sub.index.as_ref().map_or(0, |p| p.weight);
        let name = split_dir(&d).1.to_lowercase();
        entries.push((weight, name, Entry::Folder(d, sub)));
    }
    entries.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let mut nav = Vec::new();
    for (_, _, entry) in entries {
        match entry {
            Entry::File(page) => {
                let source = page.source.clone().unwrap_or_default();
                let mut page = finish(page, url_for(&source, false), PageKind::Page);
                page.parent = parent;
                pages.push(page);
                nav.push(NavNode {
                    page: Some(pages.len() - 1),
                    label: String::new(),
                    children: Vec::new(),
                });
            }
            Entry::Folder(path, mut sub) => {
                let url = format!("{path}/index.html");
                let mut page = match sub.index.take() {
                    Some(p) => {
                        let skill = p
                            .source
                            .as_deref()
                            .is_some_and(|s| is_skill_file(split_dir(s).1));
                        finish(
                            p,
                            url,
                            if skill {
                                PageKind::Skill
                            } else {
                                PageKind::Section
                            },
                        )
                    }
                    None => {
                        let mut p = Page::new(url, PageKind::Section);
                        p.title = title_from_name(split_dir(&path).1);
                        p
                    }
                };
                page.parent = parent;
                pages.push(page);
                let id = pages.len() - 1;
                let children = emit_children(sub, Some(id), dirs, pages);
                nav.push(NavNode {
                    page: Some(id),
                    label: String::new(),
                    children,
                });
            }
        }
    }
    nav
}

// ---------------------------------------------------------------- SUMMARY.md

fn from_summary(
    found: Vec<Page>,
    site_title: &str,
    text: &str,
    file: &std::path::Path,
    diags: &Diagnostics,
) -> Structure {
    let (items, problems) = summary::parse(text);
    for (line, msg) in problems {
        diags.push(
            Diagnostic::warning("summary", msg)
                .at(file)
                .line(line)
                .hint(
                "SUMMARY.md lines are `# Part`, `- [Title](file.md)`, `[Title](file.md)` or `---`",
            ),
        );
    }
    let mut by_source: HashMap<String, Page> = found
        .into_iter()
        .filter_map(|p| p.source.clone().map(|s| (s, p)))
        .collect();
    let mut out = Structure::default();
    // The home page: root index.md/README.md if present, else generated.
    let home_source = ["index.md", "README.md", "readme.md"]
        .into_iter()
        .find(|n| by_source.contains_key(*n))
        .map(String::from);
    out.pages.push(
        match home_source.as_ref().and_then(|s| by_source.remove(s)) {
            Some(p) => home(p, site_title),
            None => {
                let mut p = Page::new("index.html", PageKind::Index);
                p.title = site_title.to_string();
                p
            }
        },
    );
    let mut ctx = SummaryCtx {
        by_source: &mut by_source,
        home: home_source,
        file,
        diags,
        pages: &mut out.pages,
    };
    for item in items {
        match item {
            SummaryItem::Chapter(c) => {
                let node = ctx.chapter(c, None);
                out.nav.push(node);
            }
            SummaryItem::PartTitle(t) => out.nav.push(NavNode {
                page: None,
                label: t,
                children: Vec::new(),
            }),
            SummaryItem::Separator => out.nav.push(NavNode {
                page: None,
                label: String::new(),
                children: Vec::new(),
            }),
        }
    }
    // No README.md/index.md: as mdBook, the home page is a copy of the first chapter that is
    // not a draft (its own page stays too).
    if out.pages[0].source.is_none() {
        let first =
            (1..out.pages.len()).find(|&i| !out.pages[i].draft && out.pages[i].source.is_some());
        if let Some(i) = first {
            let mut home = out.pages[i].clone();
            home.url = "index.html".into();
            home.kind = PageKind::Index;
            home.parent = None;
            home.number = String::new();
            home.source = None;
            home.aliases = Vec::new();
            out.pages[0] = home;
        }
    }
    // Pages SUMMARY.md does not list are still rendered, outside the navigation.
    let mut rest: Vec<Page> = by_source
        .into_values()
        .filter(|p| p.source.as_deref() != Some("SUMMARY.md"))
        .collect();
    rest.sort_by(|a, b| a.source.cmp(&b.source));
    for p in rest {
        let source = p.source.clone().unwrap_or_default();
        let is_index = is_summary_index(split_dir(&source).1);
        out.pages
            .push(finish(p, url_for(&source, is_index), PageKind::Page));
    }
    out
}

/// Whether a SUMMARY.md chapter file becomes its folder's `index.html`: mdBook's index
/// preprocessor takes any `README` whatever its case (`Readme.md`); skillsite adds `index.md`.
fn is_summary_index(name: &str) -> bool {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    stem.eq_ignore_ascii_case("readme") || name == "index.md"
}

struct SummaryCtx<'a> {
    by_source: &'a mut HashMap<String, Page>,
    home: Option<String>,
    file: &'a std::path::Path,
    diags: &'a Diagnostics,
    pages: &'a mut Vec<Page>,
}

impl SummaryCtx<'_> {
    fn chapter(&mut self, c: Chapter, parent: Option<PageId>) -> NavNode {
        let id = match &c.path {
            Some(path) if Some(path) == self.home.as_ref() => {
                if self.pages[0].number.is_empty() {
                    self.pages[0].number = c.number.clone();
                }
                0
            }
            Some(path) => {
                let path = path.split('#').next().unwrap_or(path).to_string();
                let is_index = is_summary_index(split_dir(&path).1);
                let mut page = match self.by_source.remove(&path) {
                    Some(p) => p,
                    None => {
                        let known = self
                            .pages
                            .iter()
                            .any(|p| p.source.as_deref() == Some(path.as_str()));
                        if !known {
                            self.diags.push(
                                Diagnostic::warning("summary-missing", format!("chapter `{}` links to `{path}`, which does not exist", c.title))
                                    .at(self.file)
                                    .line(c.line)
                                    .hint("create the file, fix the path, or make it a draft with `[Title]()`"),
                            );
                        }
                        let mut p = Page::new(String::new(), PageKind::Page);
                        p.draft = true;
                        p
                    }
                };
                if page.title.is_empty() || page.front_matter.get("title").is_none() {
                    page.title = c.title.clone();
                }
                page.number = c.number.clone();
                page.parent = parent;
                let draft = page.draft;
                let mut page = finish(
                    page,
                    if draft {
                        String::new()
                    } else {
                        url_for(&path, is_index)
                    },
                    if is_index {
                        PageKind::Section
                    } else {
                        PageKind::Page
                    },
                );
                page.draft = draft;
                self.pages.push(page);
                self.pages.len() - 1
            }
            None => {
                let mut p = Page::new(String::new(), PageKind::Page);
                p.title = c.title.clone();
                p.number = c.number.clone();
                p.draft = true;
                p.parent = parent;
                self.pages.push(p);
                self.pages.len() - 1
            }
        };
        let children = c
            .children
            .into_iter()
            .map(|ch| self.chapter(ch, Some(id)))
            .collect();
        NavNode {
            page: Some(id),
            label: String::new(),
            children,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(source: &str, title: &str) -> Page {
        let mut p = Page::new(String::new(), PageKind::Page);
        p.source = Some(source.into());
        p.title = title.into();
        p
    }

    #[test]
    fn folder_tree_sections_and_skills() {
        let found = vec![
            page("README.md", "Home"),
            page("b.md", "B"),
            page("a/README.md", "A"),
            page("a/x.md", "X"),
            page("pack/skill-one/SKILL.md", "Skill one"),
            page("pack/skill-one/reference.md", "Ref"),
        ];
        let s = from_tree(found, "Site");
        assert_eq!(s.pages[0].title, "Home");
        assert_eq!(s.pages[0].kind, PageKind::Index);
        let urls: Vec<_> = s.pages.iter().map(|p| (p.url.as_str(), p.kind)).collect();
        assert_eq!(
            urls,
            [
                ("index.html", PageKind::Index),
                ("a/index.html", PageKind::Section),
                ("a/x.html", PageKind::Page),
                ("b.html", PageKind::Page),
                ("pack/index.html", PageKind::Section),
                ("pack/skill-one/index.html", PageKind::Skill),
                ("pack/skill-one/reference.html", PageKind::Page),
            ]
        );
        assert_eq!(s.pages[4].title, "Pack", "generated section title");
        assert_eq!(s.pages[2].parent, Some(1));
        assert_eq!(s.nav.len(), 3);
    }

    #[test]
    fn summary_orders_numbers_and_drafts() {
        let found = vec![
            page("README.md", ""),
            page("intro.md", "Intro H1"),
            page("ch/one.md", ""),
            page("orphan.md", "O"),
        ];
        let d = Diagnostics::new();
        let summary = "# Summary\n[Intro](intro.md)\n- [One](ch/one.md)\n  - [Later]()\n- [Missing](nope.md)\n";
        let s = from_summary(
            found,
            "Book",
            summary,
            std::path::Path::new("SUMMARY.md"),
            &d,
        );
        let got: Vec<_> = s
            .pages
            .iter()
            .map(|p| (p.url.as_str(), p.title.as_str(), p.number.as_str(), p.draft))
            .collect();
        assert_eq!(
            got,
            [
                ("index.html", "Book", "", false),
                ("intro.html", "Intro", "", false),
                ("ch/one.html", "One", "1.", false),
                ("", "Later", "1.1.", true),
                ("", "Missing", "2.", true),
                ("orphan.html", "O", "", false),
            ]
        );
        let diags = d.sorted();
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].line, Some(5));
    }
}
