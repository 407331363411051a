//! The configuration of a project, as `book.toml` gives it (keys and their defaults).
//!
//! Plain data at the bottom of the pipeline; the loader (`load::config`) reads it from
//! `book.toml` with its diagnostics. The keys are mdBook's where mdBook has one (`[book]`,
//! `[build]`, `[output.html]`, see <https://rust-lang.github.io/mdBook/format/configuration/>);
//! skillsite's own options live under `[skillsite]`.

use std::path::{Path, PathBuf};

/// The whole configuration of one project, with defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The project root: the folder holding `book.toml` (or the content folder itself when
    /// there is no `book.toml`).
    pub root: PathBuf,
    /// Path of `book.toml`, when there is one.
    pub file: Option<PathBuf>,
    /// `[book]`.
    pub book: BookConfig,
    /// `[build] build-dir`: where the site is written, relative to `root` unless absolute.
    /// Default `book`, as in mdBook.
    pub build_dir: PathBuf,
    /// `[build] create-missing`: `skillsite build` creates each chapter file SUMMARY.md names
    /// and the content folder lacks, holding `# Title` (mdBook's rule and default, true);
    /// `check` and `serve` never write into the project. With false a missing chapter is a
    /// `summary-missing` warning.
    pub create_missing: bool,
    /// `[output.html]`.
    pub html: HtmlConfig,
    /// `[skillsite]`: skillsite's own options.
    pub skillsite: SkillsiteConfig,
    /// `[preprocessor.NAME]` tables naming an external preprocessor (mdBook's built-in `links`
    /// and `index` are skillsite's own and not listed), by name; run by `load::preprocess`.
    pub preprocessors: Vec<PreprocessorConfig>,
    /// The whole `book.toml` as JSON, `[book]` completed with its defaults: the `config`
    /// mdBook hands a preprocessor (`PreprocessorContext`). `Null` without `book.toml`.
    pub raw: serde_json::Value,
}

/// One `[preprocessor.NAME]` of `book.toml` (mdBook's keys,
/// <https://rust-lang.github.io/mdBook/format/configuration/preprocessors.html>).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreprocessorConfig {
    /// `NAME`.
    pub name: String,
    /// `command`: a command line, split as a shell would (no shell runs it); default
    /// `mdbook-NAME`. A relative program path is relative to the project root.
    pub command: String,
    /// `before`: names of preprocessors this one runs before.
    pub before: Vec<String>,
    /// `after`: names of preprocessors this one runs after.
    pub after: Vec<String>,
    /// `renderers`: the renderers it runs for; `None` means every one (skillsite renders
    /// only `html`).
    pub renderers: Option<Vec<String>>,
    /// `optional`: a missing command is a warning instead of an error. Default false.
    pub optional: bool,
    /// `timeout` (skillsite's key, seconds): how long each run may take before it is killed.
    /// Default 60.
    pub timeout_secs: u64,
    /// `protocol` (skillsite's key): `"0.5"` (default) speaks mdBook 0.5's JSON (`{"items"}`);
    /// `"0.4"` mdBook 0.4's (`{"sections", "__non_exhaustive"}`), which the many
    /// preprocessors built on the `mdbook` 0.4 crate read.
    pub protocol_04: bool,
    /// 1-based line of the `[preprocessor.NAME]` header in `book.toml`, 0 when unknown.
    pub line: usize,
}

/// `[skillsite]` keys.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SkillsiteConfig {
    /// `lint-use-when`: warn when a skill's description does not start with "Use when"
    /// (rule `description-use-when`). Default false.
    pub lint_use_when: bool,
    /// `reveal-comments`: which pages show their HTML comments in a labelled block
    /// (docs/security.md, "Hidden content"). Default [`RevealComments::AgentFiles`].
    pub reveal_comments: RevealComments,
    /// `[skillsite.lints]`: a level per rule id (`skill-name = "allow"`), applied over the
    /// command's defaults; see [`crate::model::lints`] and docs/lints.md. Only known rule ids
    /// are kept (the loader warns about the others).
    pub lints: std::collections::BTreeMap<String, crate::model::lints::Level>,
}

/// Which pages show HTML comments (`[skillsite] reveal-comments`).
///
/// A comment is invisible in a browser but read by an agent that reads the file, so in files
/// an agent obeys it is shown; in plain docs it stays hidden unless `"all"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RevealComments {
    /// `"agent-files"` (default): skill files (`SKILL.md` and every page in a skill's folder)
    /// and agent or command files (pages in an `agents/` or `commands/` folder).
    #[default]
    AgentFiles,
    /// `"all"`: every page.
    All,
}

/// `[book]` keys (mdBook's).
#[derive(Debug, Clone, PartialEq)]
pub struct BookConfig {
    /// Site title; default: the project folder's name.
    pub title: String,
    /// Authors, shown in the footer and the `<meta name="author">`.
    pub authors: Vec<String>,
    /// One-line site description, used as the default `<meta name="description">`.
    pub description: String,
    /// BCP 47 language tag of the content; default `en`, or the language detected from the
    /// pages' text when book.toml does not set it (`build` calls
    /// `index::analyze::detect_language`: a mostly Chinese, Japanese or Korean site).
    pub language: String,
    /// Whether book.toml sets `language` (otherwise `build` may replace the default).
    pub language_set: bool,
    /// Content folder, relative to `root`. Default: `content/` if it exists, else `src/`
    /// (mdBook's default), else the root itself.
    pub src: PathBuf,
}

/// `[output.html]` keys (mdBook's, plus `unsafe-raw-html`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HtmlConfig {
    /// Absolute URL the site is published at (`https://example.org/docs/`); enables
    /// `sitemap.xml` and `robots.txt`.
    pub site_url: Option<String>,
    /// Repository link shown in the header.
    pub git_repository_url: Option<String>,
    /// "Edit this page" URL; `{path}` is replaced by the page's source path relative to the
    /// project root (mdBook's placeholder).
    pub edit_url_template: Option<String>,
    /// Extra stylesheets, paths relative to the project root, copied into the site.
    pub additional_css: Vec<PathBuf>,
    /// Extra scripts, paths relative to the project root, copied into the site.
    pub additional_js: Vec<PathBuf>,
    /// `light`, `dark` or `auto` (follow the reader's system setting, the default).
    pub default_theme: String,
    /// Theme used in dark mode; informational for the default theme.
    pub preferred_dark_theme: String,
    /// Keep raw HTML in Markdown as written instead of sanitizing it. Default false: catalogs
    /// render third-party packs, so `<script>`, event handlers and `javascript:` URLs are removed.
    pub unsafe_raw_html: bool,
    /// `[output.html.redirect]`: old root-relative path (as written, `/old/page.html` or
    /// `/old/page.html#section`) → where the browser goes instead (a URL or a path relative to
    /// the old page, as in mdBook). Targets passed the URL policy (`util::url`) when read.
    /// mdBook's rule (<https://rust-lang.github.io/mdBook/format/configuration/renderers.html#outputhtmlredirect>):
    /// a page is written at each old path without a fragment; entries with a `#fragment` map
    /// that fragment of the old page to its own target.
    pub redirect: std::collections::BTreeMap<String, String>,
    /// `smart-punctuation` (and mdBook's older `curly-quotes`): pulldown-cmark's
    /// `ENABLE_SMART_PUNCTUATION` (curly quotes, `--` → en dash, `---` → em dash, `...` → …).
    /// Default **false**, unlike mdBook 0.5 (true): skill files are instructions, and `--force`
    /// or a `"literal"` in their prose must reach the reader as written.
    pub smart_punctuation: bool,
    /// `[output.html.code.hidelines]`: fence language → the line prefix that hides a line
    /// (`python = "~"`); a fence's own `hidelines=PREFIX` attribute wins. Rust always uses
    /// rustdoc's `# ` rule. Hidden lines are kept in the page behind a toggle.
    pub code_hidelines: std::collections::BTreeMap<String, String>,
    /// `[output.html.playground]`.
    pub playground: PlaygroundConfig,
    /// `[output.html.fold]`: `enable` (default false) and `level` (default 0). skillsite's
    /// sidebar always lists the entries on the path to the current page; with `enable`, the
    /// entries above `level` also list their children, as mdBook unfolds them.
    pub fold_level: Option<usize>,
    /// `no-section-label`: the sidebar shows no SUMMARY.md numbers (`1.2.`). Default false.
    pub no_section_label: bool,
    /// `cname`: written to a `CNAME` file at the site root (GitHub Pages' custom domain).
    pub cname: Option<String>,
    /// `[output.html.search]`.
    pub search: SearchConfig,
}

/// `[output.html.search]` keys skillsite uses (mdBook's names); the others are warned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchConfig {
    /// `enable` (default true): the browser search is offered.
    pub enable: bool,
    /// `limit-results` (default 30, mdBook's): most results the browser shows.
    pub limit_results: usize,
    /// `use-boolean-and` (default false, mdBook's): every word must match.
    pub use_boolean_and: bool,
    /// `[output.html.search.chapter]`: content-relative path of a chapter or a folder
    /// (`"appendix/"` or `"appendix"`) → whether its pages are indexed; the longest matching
    /// path wins, as in mdBook.
    pub chapter: std::collections::BTreeMap<String, bool>,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            enable: true,
            limit_results: 30,
            use_boolean_and: false,
            chapter: Default::default(),
        }
    }
}

impl SearchConfig {
    /// Whether the page built from content-relative `source` is indexed
    /// (`[output.html.search.chapter]`; pages without a source are).
    pub fn indexes(&self, source: Option<&str>) -> bool {
        let Some(source) = source else { return true };
        self.chapter
            .iter()
            .filter(|(path, _)| {
                let p = path.trim_end_matches('/');
                source == p || source.starts_with(&format!("{p}/")) || p.is_empty()
            })
            .max_by_key(|(path, _)| path.trim_end_matches('/').len())
            .is_none_or(|(_, enable)| *enable)
    }
}

/// `[output.html.playground]` keys (mdBook's). skillsite has no runner: Rust blocks are
/// shown as mdBook shows them before it runs anything (its `fn main` wrapper as hidden lines)
/// and stay copyable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaygroundConfig {
    /// `runnable` (default true): Rust blocks get mdBook's hidden `#![allow(unused)]` and
    /// `fn main() {` wrapper when they have no `fn main` of their own.
    pub runnable: bool,
    /// `copyable` (default true): code blocks get a copy button.
    pub copyable: bool,
}

impl Default for PlaygroundConfig {
    fn default() -> Self {
        PlaygroundConfig {
            runnable: true,
            copyable: true,
        }
    }
}

impl Config {
    /// The configuration used when there is no `book.toml` (or as the base before reading it).
    pub(crate) fn defaults(root: &Path, file: Option<PathBuf>, src: Option<PathBuf>) -> Config {
        let title = std::fs::canonicalize(root)
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "Documentation".to_string());
        Config {
            root: root.to_path_buf(),
            file: file.clone(),
            book: BookConfig {
                title,
                authors: Vec::new(),
                description: String::new(),
                language: "en".into(),
                language_set: false,
                src: match (src, file) {
                    (Some(s), _) => s,
                    (None, None) => default_src(root),
                    (None, Some(_)) => PathBuf::new(),
                },
            },
            build_dir: PathBuf::from("book"),
            create_missing: true,
            html: HtmlConfig {
                default_theme: "auto".into(),
                preferred_dark_theme: "dark".into(),
                ..HtmlConfig::default()
            },
            skillsite: SkillsiteConfig::default(),
            preprocessors: Vec::new(),
            raw: serde_json::Value::Null,
        }
    }

    /// Absolute (or root-joined) content folder.
    pub fn src_dir(&self) -> PathBuf {
        self.root.join(&self.book.src)
    }

    /// Absolute (or root-joined) build folder.
    pub fn build_dir(&self) -> PathBuf {
        self.root.join(&self.build_dir)
    }
}

/// mdBook's rule, extended: `content/` if present, else `src/` if present, else the root.
pub(crate) fn default_src(root: &Path) -> PathBuf {
    ["content", "src"]
        .into_iter()
        .find(|d| root.join(d).is_dir())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."))
}
