//! The sidebar: the navigation tree of one page, as template data ([`items`], the `nav`
//! variable) and as the built-in theme's HTML ([`html`], the `nav_html` variable).
//!
//! Both show every top-level entry and, below them, only the entries on the path to the
//! current page (plus its own children), so a 2,000-page site does not repeat its whole tree
//! in every page. The HTML is made here rather than by a recursive Tera macro: the sidebar is
//! the largest part of most pages' chrome, and a macro call per entry cost about a tenth of a
//! 2,000-page build.

use std::collections::HashSet;
use std::fmt::Write as _;

use serde::Serialize;

use super::templates::escape_html;
use crate::model::{NavNode, PageId, Site};
use crate::util::path::href_path;

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

/// The built-in theme's sidebar for `items`: nested `<ol class="nav-list">`, with URLs
/// prefixed by `root` (the page's relative path to the site root). Entries whose children are
/// listed get a fold button (shown by the theme's script).
pub fn html(items: &[NavItem], root: &str) -> String {
    let mut out = String::with_capacity(4096);
    list(items, root, &mut out);
    out
}

fn list(items: &[NavItem], root: &str, out: &mut String) {
    out.push_str("\n<ol class=\"nav-list\">");
    for item in items {
        if item.part {
            if item.title.is_empty() {
                out.push_str("\n  <li class=\"nav-separator\" aria-hidden=\"true\"></li>");
            } else {
                let _ = write!(
                    out,
                    "\n  <li class=\"nav-part\">{}</li>",
                    escape_html(&item.title)
                );
            }
            continue;
        }
        let linked = item.url.is_some() && !item.draft;
        out.push_str("\n  <li class=\"nav-item");
        if item.active {
            out.push_str(" active");
        }
        if item.expanded {
            out.push_str(" expanded");
        }
        if !linked {
            out.push_str(" draft");
        }
        out.push_str("\">\n    <div class=\"nav-row\">");
        let label = |out: &mut String| {
            if !item.number.is_empty() {
                let _ = write!(
                    out,
                    "<span class=\"nav-number\">{}</span> ",
                    escape_html(&item.number)
                );
            }
            let _ = write!(
                out,
                "<span class=\"nav-title\">{}</span>",
                escape_html(&item.title)
            );
        };
        match item.url.as_deref().filter(|_| linked) {
            Some(url) => {
                let _ = write!(
                    out,
                    "\n      <a href=\"{}{}\"{}>",
                    escape_html(root),
                    escape_html(url),
                    if item.active {
                        " aria-current=\"page\""
                    } else {
                        ""
                    }
                );
                label(out);
                out.push_str("</a>");
            }
            None => {
                out.push_str("\n      <span class=\"nav-draft\" title=\"Not written yet\">");
                label(out);
                out.push_str("</span>");
            }
        }
        let open = !item.children.is_empty();
        if open && linked {
            let _ = write!(
                out,
                "\n      <button type=\"button\" class=\"nav-fold\" aria-expanded=\"{}\" aria-label=\"Toggle {}\" hidden></button>",
                item.expanded,
                escape_html(&item.title)
            );
        }
        out.push_str("\n    </div>");
        if open {
            // Children are listed only on the current path, so they start unfolded.
            out.push_str("\n    <div class=\"nav-children\">");
            list(&item.children, root, out);
            out.push_str("\n    </div>");
        }
        out.push_str("\n  </li>");
    }
    out.push_str("\n</ol>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(title: &str, url: Option<&str>) -> NavItem {
        NavItem {
            title: title.into(),
            url: url.map(Into::into),
            number: String::new(),
            active: false,
            expanded: false,
            draft: false,
            part: false,
            has_children: false,
            children: Vec::new(),
        }
    }

    #[test]
    fn marks_the_current_path_and_escapes() {
        let mut section = item("Guides & <notes>", Some("guides/index.html"));
        section.expanded = true;
        section.has_children = true;
        let mut current = item("Deploy", Some("guides/deploy.html"));
        current.active = true;
        current.expanded = true;
        current.number = "1.1.".into();
        section.children = vec![current];
        let mut closed = item("Runbooks", Some("runbooks/index.html"));
        closed.has_children = true;
        let mut draft = item("Later", None);
        draft.draft = true;
        let mut part = item("Reference", None);
        part.part = true;
        let mut sep = item("", None);
        sep.part = true;
        let html = html(&[section, closed, draft, part, sep], "../");
        assert!(html.contains(r#"<a href="../guides/index.html"><span class="nav-title">Guides &amp; &lt;notes&gt;</span></a>"#), "{html}");
        assert!(
            html.contains(r#"<li class="nav-item active expanded">"#),
            "{html}"
        );
        assert!(html.contains(r#"<a href="../guides/deploy.html" aria-current="page"><span class="nav-number">1.1.</span> <span class="nav-title">Deploy</span></a>"#), "{html}");
        assert!(
            html.contains(r#"aria-expanded="true" aria-label="Toggle Guides &amp; &lt;notes&gt;""#),
            "{html}"
        );
        // An entry off the current path lists no children: it is reached through its page.
        assert!(
            html.contains("<span class=\"nav-title\">Runbooks</span></a>\n    </div>\n  </li>"),
            "{html}"
        );
        assert!(!html.contains("Toggle Runbooks"), "{html}");
        assert!(
            html.contains("<div class=\"nav-children\">\n<ol class=\"nav-list\">"),
            "{html}"
        );
        assert!(html.contains(r#"<li class="nav-item draft">"#), "{html}");
        assert!(html.contains(r#"<span class="nav-draft" title="Not written yet"><span class="nav-title">Later</span></span>"#), "{html}");
        assert!(
            html.contains(r#"<li class="nav-part">Reference</li>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<li class="nav-separator" aria-hidden="true"></li>"#),
            "{html}"
        );
        assert_eq!(html.matches("<ol").count(), html.matches("</ol>").count());
    }
}
