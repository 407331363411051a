//! The plain data model every stage works on: a [`Site`] of [`Page`]s in reading order, the
//! navigation tree, and the static files to copy. No behaviour beyond small accessors; the
//! stages (`load`, `transform`, `render`, `write`) are functions over these types.

use std::path::PathBuf;

use serde_json::{Map, Value};

use crate::model::config::Config;

pub mod audit;
pub mod catalog;
pub mod config;
pub mod front_matter;
pub mod lints;
pub mod manifests;

/// Index of a page in [`Site::pages`].
pub type PageId = usize;

/// What role a page plays; templates choose their layout from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    /// An ordinary Markdown page.
    Page,
    /// A folder's page (`index.md`/`README.md`, or generated when the folder has none).
    Section,
    /// The site's home page (root `index.md`/`README.md`, or generated).
    Index,
    /// A skill's `SKILL.md` (Agent Skills format), or a folder with a `skill.json`.
    Skill,
    /// The generated catalog page listing every skill.
    Catalog,
}

/// One page of the site.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Source path relative to the content folder, with `/` separators (`runbooks/deploy.md`);
    /// `None` for generated section pages and SUMMARY.md drafts.
    pub source: Option<String>,
    /// Root-relative output path with `/` separators (`runbooks/deploy.html`, `runbooks/index.html`).
    pub url: String,
    /// Layout role.
    pub kind: PageKind,
    /// Display title: front matter `title`, else the first `#` heading, else the SUMMARY.md
    /// link text, else the file or folder name made readable.
    pub title: String,
    /// The HTML `<title>` when it differs from `title` (mdBook's `{{#title}}`).
    pub head_title: Option<String>,
    /// Front matter `description`, or empty.
    pub description: String,
    /// All front-matter keys as given.
    pub front_matter: Map<String, Value>,
    /// 1-based file line of each top-level front-matter key.
    pub front_matter_lines: std::collections::BTreeMap<String, usize>,
    /// Markdown body (front matter removed, mdBook `{{#include}}` expanded).
    pub body: String,
    /// 1-based line in the source file where `body` starts, so diagnostics found in the body
    /// can report file lines.
    pub body_line: usize,
    /// SUMMARY.md section number such as `1.2.`, or empty.
    pub number: String,
    /// A SUMMARY.md draft chapter (`[Title]()`): in the nav, not rendered.
    pub draft: bool,
    /// Sort key within a folder (front matter `weight`, default 0).
    pub weight: i64,
    /// The parent section page, `None` for top-level pages and the home page.
    pub parent: Option<PageId>,
    /// Other content-relative paths that reach the same file through symbolic links
    /// (`.claude/skills/tdd/SKILL.md` when `.claude/skills` links to `skills/`), or files of
    /// the same folder with the same content (`CLAUDE.md` beside `AGENTS.md`, merged by the
    /// folder-tree structure), sorted; the page is built once, at `source`.
    pub aliases: Vec<String>,
}

impl Page {
    /// A page with the given url and kind and everything else empty.
    pub fn new(url: impl Into<String>, kind: PageKind) -> Self {
        Page {
            source: None,
            url: url.into(),
            kind,
            title: String::new(),
            head_title: None,
            description: String::new(),
            front_matter: Map::new(),
            front_matter_lines: Default::default(),
            body: String::new(),
            body_line: 1,
            number: String::new(),
            draft: false,
            weight: 0,
            parent: None,
            aliases: Vec::new(),
        }
    }
}

/// One entry of the navigation tree (the sidebar).
#[derive(Debug, Clone, PartialEq)]
pub struct NavNode {
    /// The page this entry links to; `None` for SUMMARY.md part titles and separators.
    pub page: Option<PageId>,
    /// Title for part titles (pages use their own title).
    pub label: String,
    /// Nested entries.
    pub children: Vec<NavNode>,
}

/// A file copied into the site unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Absolute source path.
    pub from: PathBuf,
    /// Root-relative destination path with `/` separators.
    pub to: String,
}

/// A symbolic link in the content folder whose target resolves outside the project root.
/// Discovery does not follow it (nothing behind it is published or read); the audit stage
/// reports it as `symlink-outside`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutsideLink {
    /// Content-relative path of the link, `/`-separated.
    pub path: String,
    /// What the link points at, as written in the link (`std::fs::read_link`).
    pub target: PathBuf,
}

/// The git repository a project lives in, as read by `load::git`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repository {
    /// URL of the `origin` remote as written (`git@github.com:o/r.git`, `https://…`), if any.
    pub url: Option<String>,
    /// The project root relative to the repository's top folder, `/`-separated (`""` when
    /// book.toml is at the top).
    pub subdir: String,
}

/// The whole site after loading: configuration, pages in reading order, navigation, assets.
#[derive(Debug, Clone)]
pub struct Site {
    /// The configuration it was loaded with.
    pub config: Config,
    /// All pages; `pages[0]` is the home page. Order is reading order except that drafts
    /// are skipped when walking prev/next.
    pub pages: Vec<Page>,
    /// The sidebar tree. Does not include the home page itself.
    pub nav: Vec<NavNode>,
    /// Non-Markdown files from the content folder.
    pub assets: Vec<Asset>,
    /// Symbolic links that point outside the project root (not followed).
    pub outside_links: Vec<OutsideLink>,
    /// Plugin, marketplace and `skill.json` manifests found in the content folder.
    pub manifests: manifests::Manifests,
    /// The git repository holding the project, when there is one (for install commands).
    pub repository: Option<Repository>,
    /// The skill catalog, filled by the transform stage (empty before it runs).
    pub catalog: catalog::Catalog,
    /// What the packs can run and hide, filled by the transform stage's audit (empty
    /// before it runs).
    pub audit: audit::Audit,
}

impl Site {
    /// The page whose source path (content-relative, `/`-separated) is `source`.
    pub fn page_by_source(&self, source: &str) -> Option<PageId> {
        self.pages
            .iter()
            .position(|p| p.source.as_deref() == Some(source))
    }

    /// Reading order: page ids as they appear in the nav (depth first), home page first,
    /// drafts excluded.
    pub fn reading_order(&self) -> Vec<PageId> {
        fn walk(nodes: &[NavNode], site: &Site, out: &mut Vec<PageId>) {
            for n in nodes {
                if let Some(id) = n.page {
                    if !site.pages[id].draft && !out.contains(&id) {
                        out.push(id);
                    }
                }
                walk(&n.children, site, out);
            }
        }
        let mut out = vec![0];
        walk(&self.nav, self, &mut out);
        out
    }
}

/// Turns a file or folder name into a readable title: `rotate-secrets.md` → `Rotate secrets`.
pub fn title_from_name(name: &str) -> String {
    let stem = name.strip_suffix(".md").unwrap_or(name);
    let words = stem.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
