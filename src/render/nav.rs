//! The sidebar, in three forms:
//!
//! - [`branch_html`], the built-in theme's HTML (the `nav_html` variable): a bounded branch
//!   of the tree for readers without JavaScript — the home page, the ancestors of the current
//!   page, the current page with up to [`WINDOW`]` * 2 + 1` of its children, a window of
//!   [`WINDOW`] siblings on each side, and "N more in SECTION" links to the pages that list
//!   the rest. Its size does not grow with the site: at 10,000 pages a page carried 109 KB of
//!   navigation when every top-level entry and the whole current path were printed.
//! - [`toc_js`], the whole tree once, as data in a script file ([`TOC_JS`], loaded with
//!   `<script src>`: a `fetch` of JSON fails from `file://`), from which the theme's
//!   `static/js/nav.js` builds the full, foldable sidebar — the design of mdBook 0.5's
//!   `toc.js`.
//! - [`items`], the tree as template data (the `nav` variable) for themes that write their
//!   own sidebar: every top-level entry and the entries on the path to the current page.
//!
//! The HTML is made here rather than by a recursive Tera macro: a macro call per entry cost
//! about a tenth of a 2,000-page build.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use serde::Serialize;

use super::templates::escape_html;
use crate::model::{NavNode, PageId, Site};
use crate::util::path::href_path;

/// Root-relative path of the generated navigation data file.
pub const TOC_JS: &str = "toc.js";

/// Siblings shown on each side of the current page in [`branch_html`]; a page shows at most
/// `2 * WINDOW + 1` of its children. Few: the branch is for readers without JavaScript
/// (`nav.js` shows the whole tree), who follow "N more in SECTION" to the section's page.
pub const WINDOW: usize = 5;

/// One entry of the sidebar (see `docs/templates.md`, "nav item").
#[derive(Debug, Serialize)]
pub struct NavItem {
    /// Page title, or the part title / separator label.
    pub title: String,
    /// Root-relative URL; `None` for drafts, part titles and separators.
    pub url: Option<String>,
    /// SUMMARY.md numbering such as `"1.2."`, or empty.
    pub number: String,
    /// The current page.
    pub active: bool,
    /// The current page or one of its ancestors (its children are listed).
    pub expanded: bool,
    /// A draft chapter (listed, not linked).
    pub draft: bool,
    /// A part title (`# Part` in SUMMARY.md) or, with an empty title, a separator.
    pub part: bool,
    /// Whether the entry has children, listed or not.
    pub has_children: bool,
    /// The children, filled only when `expanded`.
    pub children: Vec<NavItem>,
}

/// The sidebar of page `current` (`None` for generated pages: nothing expanded). `ancestors`
/// are the current page's ancestors.
///
/// `[output.html.fold]` with `enable` and `level = N` also expands the entries of the first
/// `N` levels (mdBook's fold level); `no-section-label` drops the numbers.
pub fn items(
    site: &Site,
    nodes: &[NavNode],
    current: Option<PageId>,
    ancestors: &HashSet<PageId>,
) -> Vec<NavItem> {
    items_at(site, nodes, current, ancestors, 0)
}

fn items_at(
    site: &Site,
    nodes: &[NavNode],
    current: Option<PageId>,
    ancestors: &HashSet<PageId>,
    depth: usize,
) -> Vec<NavItem> {
    let html = &site.config.html;
    let unfolded = html.fold_level.is_some_and(|level| depth < level);
    nodes
        .iter()
        .map(|n| {
            let page = n.page.map(|id| &site.pages[id]);
            let active = n.page.is_some() && n.page == current;
            let expanded = active
                || n.page.is_some_and(|id| ancestors.contains(&id))
                || (unfolded && !n.children.is_empty());
            NavItem {
                title: page.map_or_else(|| n.label.clone(), |p| p.title.clone()),
                url: page.filter(|p| !p.draft).map(|p| href_path(&p.url)),
                number: page
                    .filter(|_| !html.no_section_label)
                    .map_or_else(String::new, |p| p.number.clone()),
                active,
                expanded,
                draft: page.is_some_and(|p| p.draft),
                part: n.page.is_none(),
                has_children: !n.children.is_empty(),
                children: if expanded {
                    items_at(site, &n.children, current, ancestors, depth + 1)
                } else {
                    Vec::new()
                },
            }
        })
        .collect()
}

// ------------------------------------------------------------------ where pages sit

/// Where each page sits in the navigation tree: the child indices from `site.nav` down to
/// its entry (the first entry, in reading order, when SUMMARY.md lists a page twice). Built
/// once per render; pages outside the navigation (not listed in SUMMARY.md, generated pages)
/// have no place.
#[derive(Debug, Default)]
pub struct NavIndex {
    paths: HashMap<PageId, Vec<usize>>,
}

impl NavIndex {
    /// Indexes `nav` (`site.nav`).
    pub fn new(nav: &[NavNode]) -> Self {
        fn walk(nodes: &[NavNode], path: &mut Vec<usize>, out: &mut HashMap<PageId, Vec<usize>>) {
            for (i, n) in nodes.iter().enumerate() {
                path.push(i);
                if let Some(id) = n.page {
                    out.entry(id).or_insert_with(|| path.clone());
                }
                walk(&n.children, path, out);
                path.pop();
            }
        }
        let mut paths = HashMap::new();
        walk(nav, &mut Vec::new(), &mut paths);
        NavIndex { paths }
    }

    /// The child indices leading to `id`'s entry, or `None` when it is not in the tree.
    pub fn path(&self, id: PageId) -> Option<&[usize]> {
        self.paths.get(&id).map(Vec::as_slice)
    }
}

// ------------------------------------------------------------------ the bounded branch

/// The built-in theme's sidebar for page `current` (`None` for generated pages: 404,
/// search), with URLs prefixed by `root` (the page's relative path to the site root): nested
/// `<ol>` lists (the outer one `class="nav-list"`) holding
///
/// 1. the home page;
/// 2. the current page's ancestors, each with only the next one under it;
/// 3. the current page among at most [`WINDOW`] siblings on each side (more on one side when
///    the other has fewer), then, when the section has more, an entry "N more in SECTION"
///    (`li.nav-more`) linking to the parent page (which lists all its children; the home page
///    for top-level entries);
/// 4. under the current page (`aria-current="page"`), its first `2 * WINDOW + 1` children
///    and "N more in PAGE" when it has more.
///
/// A page outside the navigation, and the home page itself, get the home page with the
/// first top-level entries. The size is bounded by the depth of the tree, not by its number
/// of pages; `static/js/nav.js` replaces it with the full tree from [`toc_js`].
///
/// The markup is the shortest the theme's CSS styles (it is in every page): an entry is
/// `<li><a href>TITLE</a></li>` (a draft: `<span class="nav-draft">`; a number:
/// `<span class="nav-number">`), one entry a line, no indentation, and a link to a page is
/// relative to the current page's folder (`page-2.html`, `../index.html`) rather than to the
/// site root.
pub fn branch_html(site: &Site, index: &NavIndex, current: Option<PageId>, root: &str) -> String {
    let mut out = String::with_capacity(1024);
    // The current page's folder, when links can be made relative to it (`root` is then the
    // way up from it: `relative_root`).
    let from = current
        .map(|id| href_path(&site.pages[id].url))
        .filter(|url| root == crate::util::path::relative_root(url));
    let b = Branch {
        site,
        root,
        from: from
            .as_deref()
            .map(|u| u.rsplit_once('/').map_or("", |(dir, _)| dir)),
    };
    out.push_str("\n<ol class=\"nav-list\">");
    let path = current.filter(|&id| id != 0).and_then(|id| index.path(id));
    match path {
        None => {
            // The home page (or a page with no place): home, then its "children", the
            // top-level entries.
            let home_active = current == Some(0);
            b.open_item(&mut out, 0, None, home_active);
            b.close_item(&mut out);
            b.window(&mut out, &site.nav, None, None);
        }
        Some(path) => {
            b.open_item(&mut out, 0, None, false);
            b.close_item(&mut out);
            let mut nodes = &site.nav;
            let mut parent: Option<PageId> = None;
            let (last, ancestors) = path.split_last().expect("a path is never empty");
            for &i in ancestors {
                let n = &nodes[i];
                b.open_node(&mut out, n, false);
                out.push_str("<ol>");
                nodes = &n.children;
                parent = n.page;
            }
            b.window(&mut out, nodes, Some(*last), parent);
            for _ in ancestors {
                out.push_str("\n</ol>");
                b.close_item(&mut out);
            }
        }
    }
    out.push_str("\n</ol>\n");
    out
}

/// Whether `n` is the home page's own entry without children, left out of the lists (the
/// home page is always first).
fn is_bare_home(n: &NavNode) -> bool {
    n.page == Some(0) && n.children.is_empty()
}

struct Branch<'a> {
    site: &'a Site,
    root: &'a str,
    /// The folder of the current page (`href`-encoded, no trailing `/`; `""` at the root),
    /// when links are written relative to it.
    from: Option<&'a str>,
}

impl Branch<'_> {
    /// `nodes` around `current` (an index into `nodes`; `None`: the first entries), the home
    /// page left out (it is always first). `parent` is the page listing `nodes` (`None`: the
    /// home page). With `current`, its children follow it, one level down.
    fn window(
        &self,
        out: &mut String,
        nodes: &[NavNode],
        current: Option<usize>,
        parent: Option<PageId>,
    ) {
        let shown: Vec<usize> = (0..nodes.len())
            .filter(|&i| !is_bare_home(&nodes[i]))
            .collect();
        let at = current.and_then(|c| shown.iter().position(|&i| i == c));
        let size = shown.len().min(2 * WINDOW + 1);
        let start = at.map_or(0, |at| at.saturating_sub(WINDOW).min(shown.len() - size));
        let end = start + size;
        for &i in &shown[start..end] {
            let n = &nodes[i];
            if Some(i) == current {
                self.open_node(out, n, true);
                if !n.children.is_empty() {
                    out.push_str("<ol>");
                    self.window(out, &n.children, None, n.page);
                    out.push_str("\n</ol>");
                }
                self.close_item(out);
            } else {
                self.open_node(out, n, false);
                if n.page.is_some() {
                    self.close_item(out);
                }
            }
        }
        let hidden = shown[..start]
            .iter()
            .chain(&shown[end..])
            .filter(|&&i| nodes[i].page.is_some())
            .count();
        if hidden > 0 {
            let page = parent.unwrap_or(0);
            let p = &self.site.pages[page];
            let _ = write!(
                out,
                "\n<li class=\"nav-more\"><a href=\"{}\">{} more in {}</a></li>",
                escape_html(&self.href(&p.url)),
                hidden,
                escape_html(&p.title)
            );
        }
    }

    /// The `href` of the page at root-relative `url`: relative to the current page's folder
    /// when there is one, else `root` + the URL.
    fn href(&self, url: &str) -> String {
        let url = href_path(url);
        match self.from {
            Some(from) => crate::util::path::relative_href(from, &url),
            None => format!("{}{url}", self.root),
        }
    }

    /// Opens the entry of `n`: a part title or separator is written whole; a page entry is
    /// left open (`<li>` with its link) for [`Self::close_item`].
    fn open_node(&self, out: &mut String, n: &NavNode, active: bool) {
        match n.page {
            None if n.label.is_empty() => {
                out.push_str("\n<li class=\"nav-separator\" aria-hidden=\"true\"></li>")
            }
            None => {
                let _ = write!(
                    out,
                    "\n<li class=\"nav-part\">{}</li>",
                    escape_html(&n.label)
                );
            }
            Some(id) => self.open_item(out, id, Some(n), active),
        }
    }

    fn open_item(&self, out: &mut String, id: PageId, node: Option<&NavNode>, active: bool) {
        let html = &self.site.config.html;
        let page = &self.site.pages[id];
        let number = if html.no_section_label || node.is_none() {
            ""
        } else {
            page.number.as_str()
        };
        let label = |out: &mut String| {
            if !number.is_empty() {
                let _ = write!(
                    out,
                    "<span class=\"nav-number\">{}</span> ",
                    escape_html(number)
                );
            }
            out.push_str(&escape_html(&page.title));
        };
        if page.draft {
            out.push_str("\n<li><span class=\"nav-draft\" title=\"Not written yet\">");
            label(out);
            out.push_str("</span>");
            return;
        }
        let _ = write!(
            out,
            "\n<li><a href=\"{}\"",
            escape_html(&self.href(&page.url))
        );
        if active {
            out.push_str(" aria-current=\"page\"");
        }
        if !page.aliases.is_empty() {
            let _ = write!(
                out,
                " title=\"Also published as {}\"",
                escape_html(&page.aliases.join(", "))
            );
        }
        out.push('>');
        label(out);
        out.push_str("</a>");
    }

    fn close_item(&self, out: &mut String) {
        out.push_str("</li>");
    }
}

// ------------------------------------------------------------------ the whole tree, once

/// One entry of `toc.js`, with one-letter keys (the file lists every page).
#[derive(Serialize)]
struct TocNode<'a> {
    /// Title (page title, part title; empty for a separator).
    t: &'a str,
    /// Root-relative, `href`-encoded URL; absent for drafts, part titles and separators.
    #[serde(skip_serializing_if = "Option::is_none")]
    u: Option<String>,
    /// SUMMARY.md numbering.
    #[serde(skip_serializing_if = "str::is_empty")]
    n: &'a str,
    /// A draft chapter (`1`).
    #[serde(skip_serializing_if = "is_zero")]
    d: u8,
    /// A part title, or with an empty title a separator (`1`).
    #[serde(skip_serializing_if = "is_zero")]
    p: u8,
    /// Other paths of the same file ([`crate::model::Page::aliases`]).
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    a: &'a [String],
    /// Children.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    c: Vec<TocNode<'a>>,
}

fn is_zero(v: &u8) -> bool {
    *v == 0
}

#[derive(Serialize)]
struct Toc<'a> {
    /// The home page (always first in the sidebar; left out of `tree`).
    home: TocNode<'a>,
    /// `[output.html.fold] level` when folding is enabled: entries above it start unfolded.
    fold: Option<usize>,
    tree: Vec<TocNode<'a>>,
}

fn toc_nodes<'a>(site: &'a Site, nodes: &'a [NavNode]) -> Vec<TocNode<'a>> {
    let numbers = !site.config.html.no_section_label;
    nodes
        .iter()
        .filter(|n| !is_bare_home(n))
        .map(|n| match n.page {
            Some(id) => {
                let p = &site.pages[id];
                TocNode {
                    t: &p.title,
                    u: (!p.draft).then(|| href_path(&p.url)),
                    n: if numbers { &p.number } else { "" },
                    d: p.draft.into(),
                    p: 0,
                    a: &p.aliases,
                    c: toc_nodes(site, &n.children),
                }
            }
            None => TocNode {
                t: &n.label,
                u: None,
                n: "",
                d: 0,
                p: 1,
                a: &[],
                c: Vec::new(),
            },
        })
        .collect()
}

/// The text of [`TOC_JS`]: the whole navigation tree as a script that sets
/// `window.skillsiteToc` to `{home, fold, tree, base}` and calls `window.skillsiteNav()` when
/// `static/js/nav.js` has already run (the 404 page loads the two in any order). `base` is the
/// site root as the browser resolved this script's URL, so the links work from any page,
/// under a sub-path and on the 404 page at any depth. A tree entry is
/// `{t: title, u?: root-relative URL, n?: number, d?: draft, p?: part, a?: aliases, c?: children}`.
///
/// Titles are content, so the data is JSON written by serde_json with `<`, `>`, `&`, U+2028
/// and U+2029 escaped as `\uXXXX` as well: the file stays inert when parsed as HTML
/// (`</script>`, `<!--`) and valid in any JavaScript engine (line separators in strings).
pub fn toc_js(site: &Site) -> String {
    let home = &site.pages[0];
    let toc = Toc {
        home: TocNode {
            t: &home.title,
            u: Some(href_path(&home.url)),
            n: "",
            d: 0,
            p: 0,
            a: &home.aliases,
            c: Vec::new(),
        },
        fold: site.config.html.fold_level,
        tree: toc_nodes(site, &site.nav),
    };
    let json = serde_json::to_string(&toc).expect("the tree is plain data");
    let mut out = String::with_capacity(json.len() + 400);
    out.push_str(
        "/* The navigation tree of this site, written by skillsite for static/js/nav.js. */\n\
         (function (toc) {\n  var s = document.currentScript;\n  \
         toc.base = s && s.src ? s.src.replace(/[^\\/]*$/, \"\") : \"\";\n  \
         window.skillsiteToc = toc;\n  \
         if (typeof window.skillsiteNav === \"function\") window.skillsiteNav();\n})(",
    );
    out.push_str(&script_safe(&json));
    out.push_str(");\n");
    out
}

/// `json` with the characters that could end a `<script>` element or a JavaScript line
/// escaped. They can only occur inside JSON strings, where `\uXXXX` means the same.
pub fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_escapes_what_could_end_a_script() {
        let json = serde_json::to_string("</script><!-- a & b \u{2028}\u{2029}").unwrap();
        let safe = script_safe(&json);
        assert_eq!(
            safe,
            r#""\u003c/script\u003e\u003c!-- a \u0026 b \u2028\u2029""#
        );
        let back: String = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, "</script><!-- a & b \u{2028}\u{2029}");
    }

    #[test]
    fn the_index_finds_the_first_entry_of_a_page() {
        let leaf = |id| NavNode {
            page: Some(id),
            label: String::new(),
            children: Vec::new(),
        };
        let nav = vec![
            NavNode {
                page: None,
                label: "Part".into(),
                children: Vec::new(),
            },
            NavNode {
                page: Some(1),
                label: String::new(),
                children: vec![leaf(2), leaf(3)],
            },
            leaf(3),
        ];
        let index = NavIndex::new(&nav);
        assert_eq!(index.path(1), Some(&[1][..]));
        assert_eq!(index.path(3), Some(&[1, 1][..]));
        assert_eq!(index.path(9), None);
    }
}
