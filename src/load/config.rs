//! `book.toml`: the site configuration.
//!
//! The keys are mdBook's where mdBook has one (`[book]`, `[build]`, `[output.html]`, see
//! <https://rust-lang.github.io/mdBook/format/configuration/>), so an mdBook project builds
//! unchanged; skillsite's own options live under `[skillsite]`. Unknown keys are reported as
//! warnings naming the key and its line; mdBook keys that skillsite does not implement are
//! reported as "ignored"; a TOML syntax error is an error with file:line:column.

use std::path::{Path, PathBuf};

use crate::diagnostics::{line_col, Diagnostic, Diagnostics};
pub use crate::model::config::{
    BookConfig, Config, HtmlConfig, PlaygroundConfig, PreprocessorConfig, RevealComments,
    SkillsiteConfig,
};
use crate::model::lints::Level;

/// Keys mdBook knows that skillsite accepts but ignores (warned as "ignored").
const MDBOOK_IGNORED: &[(&str, &[&str])] = &[
    ("book", &["multilingual", "text-direction"]),
    ("build", &["use-default-preprocessors", "extra-watch-dirs"]),
    (
        "output.html",
        &[
            "theme",
            "mathjax-support",
            "copy-fonts",
            "print",
            "input-404",
            "live-reload-endpoint",
            "hash-files",
            "sidebar-header-nav",
            "site-url-prefix",
            "git-repository-icon",
            "edit-url-template-path",
        ],
    ),
];

impl Config {
    /// Loads the configuration for a project at `dir`.
    ///
    /// `dir` is a project root holding `book.toml`, or, without one, a folder of content built
    /// with defaults (then `root` and `src` are both `dir`, unless it has a `content/` or `src/`
    /// subfolder). Problems are pushed to `diags`; `Err` carries the diagnostic for a file that
    /// cannot be used at all (unreadable, TOML syntax error), and the build must stop.
    pub fn load(dir: &Path, diags: &Diagnostics) -> Result<Config, Diagnostic> {
        let file = crate::util::path::clean(&dir.join("book.toml"));
        if !file.is_file() {
            return Ok(Config::defaults(dir, None, None));
        }
        let text = std::fs::read_to_string(&file).map_err(|e| {
            Diagnostic::error("config", format!("cannot read book.toml: {e}")).at(&file)
        })?;
        Config::parse(dir, &file, &text, diags)
    }

    /// Parses `text` as the `book.toml` at `file` for the project at `root`.
    pub fn parse(
        root: &Path,
        file: &Path,
        text: &str,
        diags: &Diagnostics,
    ) -> Result<Config, Diagnostic> {
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            let (line, col) = e.span().map_or((0, 0), |s| line_col(text, s.start));
            Diagnostic::error("config-syntax", format!("invalid TOML: {}", e.message()))
                .at(file)
                .line(line)
                .column(col)
                .hint("fix the TOML syntax; strings need quotes and tables are written [name]")
        })?;
        let mut r = Reader { text, file, diags };
        let mut cfg = Config::defaults(root, Some(file.to_path_buf()), None);

        for (key, value) in &table {
            match (key.as_str(), value) {
                ("book", toml::Value::Table(t)) => r.book(t, &mut cfg),
                ("build", toml::Value::Table(t)) => r.build(t, &mut cfg),
                ("output", toml::Value::Table(t)) => r.output(t, &mut cfg),
                ("skillsite", toml::Value::Table(t)) => r.skillsite(t, &mut cfg.skillsite),
                ("preprocessor", toml::Value::Table(t)) => r.preprocessors(t, &mut cfg),
                // mdBook's `[rust]` has one key, `edition` (for running tests and the
                // playground; skillsite runs neither).
                ("rust", toml::Value::Table(t)) => {
                    for key in t.keys().filter(|k| k.as_str() != "edition") {
                        r.unknown("rust", key);
                    }
                }
                _ => r.unknown("", key),
            }
        }
        cfg.raw = raw_config(&table);
        // Re-derive src now that [book] src may have been given.
        if cfg.book.src.as_os_str().is_empty() {
            cfg.book.src = crate::model::config::default_src(root);
        }
        Ok(cfg)
    }
}

/// `book.toml` as the JSON mdBook gives a preprocessor: the table as written, `[book]`
/// completed with mdBook's defaults (`authors`, `description`, `language`, `text-direction`,
/// `title`) as mdBook 0.5 serializes its `BookConfig`.
fn raw_config(table: &toml::Table) -> serde_json::Value {
    let mut v = serde_json::to_value(table).unwrap_or(serde_json::Value::Null);
    if let Some(obj) = v.as_object_mut() {
        let book = obj
            .entry("book")
            .or_insert_with(|| serde_json::Value::Object(Default::default()));
        if let Some(b) = book.as_object_mut() {
            b.entry("authors").or_insert_with(|| serde_json::json!([]));
            b.entry("description").or_insert(serde_json::Value::Null);
            b.entry("language")
                .or_insert_with(|| serde_json::json!("en"));
            b.entry("text-direction").or_insert(serde_json::Value::Null);
            b.entry("title").or_insert(serde_json::Value::Null);
        }
    }
    v
}

/// Walks the TOML table and reports on keys with their line numbers.
struct Reader<'a> {
    text: &'a str,
    file: &'a Path,
    diags: &'a Diagnostics,
}

impl Reader<'_> {
    fn book(&mut self, t: &toml::Table, cfg: &mut Config) {
        for (key, v) in t {
            match key.as_str() {
                "title" => self.string("book", key, v).map(|s| cfg.book.title = s),
                "description" => self
                    .string("book", key, v)
                    .map(|s| cfg.book.description = s),
                "language" => self.string("book", key, v).map(|s| {
                    cfg.book.language_set = !s.trim().is_empty();
                    cfg.book.language = s;
                }),
                "src" => self
                    .string("book", key, v)
                    .map(|s| cfg.book.src = PathBuf::from(s)),
                "authors" => self.strings("book", key, v).map(|s| cfg.book.authors = s),
                _ => {
                    self.known_or_unknown("book", key);
                    None
                }
            };
        }
    }

    fn build(&mut self, t: &toml::Table, cfg: &mut Config) {
        for (key, v) in t {
            match key.as_str() {
                "build-dir" => self
                    .string("build", key, v)
                    .map(|s| cfg.build_dir = s.into()),
                "create-missing" => match v.as_bool() {
                    Some(b) => {
                        cfg.create_missing = b;
                        None
                    }
                    None => {
                        self.type_error("build", key, "true or false");
                        None
                    }
                },
                _ => {
                    self.known_or_unknown("build", key);
                    None
                }
            };
        }
    }

    fn output(&mut self, t: &toml::Table, cfg: &mut Config) {
        for (name, v) in t {
            match (name.as_str(), v) {
                ("html", toml::Value::Table(html)) => self.html(html, &mut cfg.html),
                _ => self.warn(
                    "config-unsupported",
                    "output",
                    name,
                    format!("renderer `output.{name}` is not supported and is not run"),
                    "skillsite renders HTML only; remove the section or build it with mdBook",
                ),
            }
        }
    }

    fn html(&mut self, t: &toml::Table, h: &mut HtmlConfig) {
        const S: &str = "output.html";
        for (key, v) in t {
            match key.as_str() {
                "site-url" => h.site_url = self.url(S, key, v),
                "git-repository-url" => h.git_repository_url = self.url(S, key, v),
                "edit-url-template" => h.edit_url_template = self.url(S, key, v),
                "additional-css" => {
                    h.additional_css = self.paths(S, key, v);
                }
                "additional-js" => {
                    h.additional_js = self.paths(S, key, v);
                }
                "default-theme" => {
                    if let Some(s) = self.string(S, key, v) {
                        h.default_theme = match s.as_str() {
                            "light" | "rust" => "light".into(),
                            "dark" | "navy" | "coal" | "ayu" => "dark".into(),
                            _ => "auto".into(),
                        };
                    }
                }
                "preferred-dark-theme" => {
                    if let Some(s) = self.string(S, key, v) {
                        h.preferred_dark_theme = s;
                    }
                }
                "unsafe-raw-html" => match v.as_bool() {
                    Some(b) => h.unsafe_raw_html = b,
                    None => self.type_error(S, key, "true or false"),
                },
                "smart-punctuation" | "curly-quotes" => match v.as_bool() {
                    Some(b) => h.smart_punctuation = b,
                    None => self.type_error(S, key, "true or false"),
                },
                "code" => match v.as_table() {
                    Some(t) => self.code(t, h),
                    None => self.type_error(S, key, "a table"),
                },
                "playground" => match v.as_table() {
                    Some(t) => self.playground(t, &mut h.playground),
                    None => self.type_error(S, key, "a table"),
                },
                "fold" => match v.as_table() {
                    Some(t) => {
                        let enable = t
                            .get("enable")
                            .and_then(toml::Value::as_bool)
                            .unwrap_or(false);
                        let level = t
                            .get("level")
                            .and_then(toml::Value::as_integer)
                            .unwrap_or(0);
                        for k in t.keys().filter(|k| *k != "enable" && *k != "level") {
                            self.unknown("output.html.fold", k);
                        }
                        h.fold_level = enable.then_some(level.max(0) as usize);
                    }
                    None => self.type_error(S, key, "a table"),
                },
                "no-section-label" => match v.as_bool() {
                    Some(b) => h.no_section_label = b,
                    None => self.type_error(S, key, "true or false"),
                },
                "cname" => match self.string(S, key, v) {
                    Some(c) if !c.is_empty() && !c.contains(['/', '\n', ' ']) => h.cname = Some(c),
                    Some(_) => self.type_error(S, key, "a domain name"),
                    None => {}
                },
                "search" => match v.as_table() {
                    Some(t) => self.search(t, &mut h.search),
                    None => self.type_error(S, key, "a table"),
                },
                "redirect" => match v.as_table() {
                    Some(t) => self.redirects(t, h),
                    None => self.type_error(S, key, "a table of old path = new URL"),
                },
                _ => self.known_or_unknown(S, key),
            }
        }
    }

    /// `[output.html.redirect]`: each value must be a string passing the URL policy; a blocked
    /// one is dropped with an `unsafe-url` warning naming the old path.
    fn redirects(&self, t: &toml::Table, h: &mut HtmlConfig) {
        const S: &str = "output.html.redirect";
        for (old, v) in t {
            let Some(target) = v.as_str() else {
                self.type_error(S, old, "a string (the new URL)");
                continue;
            };
            match crate::util::url::check(target) {
                Ok(()) => {
                    h.redirect.insert(old.clone(), target.to_string());
                }
                Err(b) => self.warn(
                    "unsafe-url",
                    S,
                    old,
                    format!("redirect `{old}` is not written: its target is blocked: {b}"),
                    "use an http(s) URL or a relative path",
                ),
            }
        }
    }

    /// `[output.html.search]`: `enable`, `limit-results`, `use-boolean-and` and `chapter` are
    /// used; mdBook's tuning keys of its own index (`boost-*`, `teaser-word-count`, `expand`,
    /// `heading-split-level`, `copy-js`) are warned as not supported.
    fn search(&self, t: &toml::Table, s: &mut crate::model::config::SearchConfig) {
        const S: &str = "output.html.search";
        for (key, v) in t {
            match key.as_str() {
                "enable" => match v.as_bool() {
                    Some(b) => s.enable = b,
                    None => self.type_error(S, key, "true or false"),
                },
                "use-boolean-and" => match v.as_bool() {
                    Some(b) => s.use_boolean_and = b,
                    None => self.type_error(S, key, "true or false"),
                },
                "limit-results" => match v.as_integer() {
                    Some(n) if n > 0 => s.limit_results = n as usize,
                    _ => self.type_error(S, key, "a number above 0"),
                },
                "chapter" => match v.as_table() {
                    Some(chapters) => {
                        for (path, c) in chapters {
                            match c.get("enable").and_then(toml::Value::as_bool) {
                                Some(b) => {
                                    s.chapter.insert(path.clone(), b);
                                }
                                None => self.type_error(
                                    "output.html.search.chapter",
                                    path,
                                    "a table `{ enable = true|false }`",
                                ),
                            }
                        }
                    }
                    None => self.type_error(S, key, "a table of path = { enable = … }"),
                },
                "teaser-word-count"
                | "boost-title"
                | "boost-hierarchy"
                | "boost-paragraph"
                | "expand"
                | "heading-split-level"
                | "copy-js" => self.warn(
                    "config-unsupported",
                    S,
                    key,
                    format!("mdBook key `{S}.{key}` is not supported by skillsite; ignored"),
                    "skillsite's search has its own ranking; the key can stay for mdBook",
                ),
                _ => self.unknown(S, key),
            }
        }
    }

    /// `[output.html.code]`: `hidelines` (language → prefix).
    fn code(&self, t: &toml::Table, h: &mut HtmlConfig) {
        const S: &str = "output.html.code";
        for (key, v) in t {
            match (key.as_str(), v.as_table()) {
                ("hidelines", Some(langs)) => {
                    for (lang, prefix) in langs {
                        match prefix.as_str() {
                            Some(p) if !p.is_empty() => {
                                h.code_hidelines.insert(lang.clone(), p.to_string());
                            }
                            _ => self.type_error(
                                "output.html.code.hidelines",
                                lang,
                                "a non-empty string",
                            ),
                        }
                    }
                }
                ("hidelines", None) => self.type_error(S, key, "a table of language = prefix"),
                _ => self.unknown(S, key),
            }
        }
    }

    /// `[output.html.playground]`: `runnable` and `copyable` are used; `editable`,
    /// `line-numbers` and `copy-js` (an editor, numbered lines, the playground's own script)
    /// are warned as not supported.
    fn playground(&self, t: &toml::Table, p: &mut PlaygroundConfig) {
        const S: &str = "output.html.playground";
        for (key, v) in t {
            match key.as_str() {
                "runnable" => match v.as_bool() {
                    Some(b) => p.runnable = b,
                    None => self.type_error(S, key, "true or false"),
                },
                "copyable" => match v.as_bool() {
                    Some(b) => p.copyable = b,
                    None => self.type_error(S, key, "true or false"),
                },
                "editable" | "line-numbers" | "copy-js" => self.warn(
                    "config-unsupported",
                    S,
                    key,
                    format!("mdBook key `{S}.{key}` is not supported by skillsite; ignored"),
                    "skillsite shows code without an editor or a runner; the key can stay for mdBook",
                ),
                _ => self.unknown(S, key),
            }
        }
    }

    /// `[preprocessor.NAME]` tables. `links` and `index` are mdBook's built-ins, which
    /// skillsite does itself: they are not run. Other keys of a table are the preprocessor's
    /// own settings (it reads them from the context), so they are not reported.
    fn preprocessors(&self, t: &toml::Table, cfg: &mut Config) {
        const S: &str = "preprocessor";
        for (name, v) in t {
            if name == "links" || name == "index" {
                continue;
            }
            let Some(table) = v.as_table() else {
                self.type_error(S, name, "a table");
                continue;
            };
            let section = format!("{S}.{name}");
            let list = |key: &str| -> Vec<String> {
                table
                    .get(key)
                    .and_then(|v| self.strings(&section, key, v))
                    .unwrap_or_default()
            };
            let command = match table.get("command") {
                Some(v) => match self.string(&section, "command", v) {
                    Some(c) => c,
                    None => continue,
                },
                None => format!("mdbook-{name}"),
            };
            let optional = match table.get("optional") {
                Some(v) => v.as_bool().unwrap_or_else(|| {
                    self.type_error(&section, "optional", "true or false");
                    false
                }),
                None => false,
            };
            let timeout_secs = match table.get("timeout") {
                Some(v) => match v.as_integer() {
                    Some(n) if n > 0 => n as u64,
                    _ => {
                        self.type_error(&section, "timeout", "a number of seconds above 0");
                        60
                    }
                },
                None => 60,
            };
            let protocol_04 = match table.get("protocol").map(|v| v.as_str()) {
                None | Some(Some("0.5")) => false,
                Some(Some("0.4")) => true,
                Some(_) => {
                    self.type_error(&section, "protocol", "\"0.4\" or \"0.5\"");
                    false
                }
            };
            cfg.preprocessors.push(PreprocessorConfig {
                name: name.clone(),
                command,
                before: list("before"),
                after: list("after"),
                renderers: table
                    .get("renderers")
                    .and_then(|v| self.strings(&section, "renderers", v)),
                optional,
                timeout_secs,
                protocol_04,
                line: self.key_line(S, name),
            });
        }
    }

    fn skillsite(&mut self, t: &toml::Table, s: &mut SkillsiteConfig) {
        for (key, v) in t {
            match key.as_str() {
                "lint-use-when" => match v.as_bool() {
                    Some(b) => s.lint_use_when = b,
                    None => self.type_error("skillsite", key, "true or false"),
                },
                "reveal-comments" => match v.as_str() {
                    Some("agent-files") => s.reveal_comments = RevealComments::AgentFiles,
                    Some("all") => s.reveal_comments = RevealComments::All,
                    _ => self.type_error("skillsite", key, "\"agent-files\" or \"all\""),
                },
                "lints" => match v.as_table() {
                    Some(t) => self.lints(t, &mut s.lints),
                    None => self.type_error(
                        "skillsite",
                        key,
                        "a table of `rule = \"allow\" | \"warn\" | \"deny\"`",
                    ),
                },
                _ => self.unknown("skillsite", key),
            }
        }
    }

    /// `[skillsite.lints]`: `RULE = "allow" | "warn" | "deny"` for the content rules of
    /// [`crate::model::lints::RULES`]. An unknown rule id is a `config-unknown-key` warning at
    /// its line whose hint lists the close ids; a value other than the three levels is a
    /// `config-type` warning. Either way the entry is ignored.
    fn lints(&mut self, t: &toml::Table, out: &mut std::collections::BTreeMap<String, Level>) {
        const S: &str = "skillsite.lints";
        for (key, v) in t {
            if crate::model::lints::find(key).is_none() {
                let close = crate::model::lints::close_names(key);
                let hint = if close.is_empty() {
                    "the rule ids are listed in docs/lints.md".to_string()
                } else {
                    format!(
                        "did you mean {}? (every rule id is in docs/lints.md)",
                        close
                            .iter()
                            .map(|c| format!("`{c}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                self.warn(
                    "config-unknown-key",
                    S,
                    key,
                    format!("unknown lint rule `{key}` in [skillsite.lints]; ignored"),
                    &hint,
                );
                continue;
            }
            match v.as_str().and_then(Level::parse) {
                Some(level) => {
                    out.insert(key.clone(), level);
                }
                None => self.type_error(S, key, "\"allow\", \"warn\" or \"deny\""),
            }
        }
    }

    fn string(&self, section: &str, key: &str, v: &toml::Value) -> Option<String> {
        match v.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.type_error(section, key, "a string");
                None
            }
        }
    }

    /// A string that becomes a link on every page: checked against the URL policy
    /// ([`crate::util::url`]); a blocked one is dropped with an `unsafe-url` warning.
    fn url(&self, section: &str, key: &str, v: &toml::Value) -> Option<String> {
        let s = self.string(section, key, v)?;
        match crate::util::url::check(&s) {
            Ok(()) => Some(s),
            Err(b) => {
                self.warn(
                    "unsafe-url",
                    section,
                    key,
                    format!("`{section}.{key}` is not used: {b}"),
                    "use an http(s) URL or a relative path",
                );
                None
            }
        }
    }

    fn strings(&self, section: &str, key: &str, v: &toml::Value) -> Option<Vec<String>> {
        match v {
            toml::Value::String(s) => Some(vec![s.clone()]),
            toml::Value::Array(a) if a.iter().all(|x| x.is_str()) => Some(
                a.iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect(),
            ),
            _ => {
                self.type_error(section, key, "a list of strings");
                None
            }
        }
    }

    fn paths(&self, section: &str, key: &str, v: &toml::Value) -> Vec<PathBuf> {
        self.strings(section, key, v)
            .unwrap_or_default()
            .into_iter()
            .map(PathBuf::from)
            .collect()
    }

    fn type_error(&self, section: &str, key: &str, expected: &str) {
        let line = self.key_line(section, key);
        self.diags.push(
            Diagnostic::warning(
                "config-type",
                format!("`{section}.{key}` must be {expected}; ignored"),
            )
            .at(self.file)
            .line(line),
        );
    }

    fn known_or_unknown(&self, section: &str, key: &str) {
        let ignored = MDBOOK_IGNORED
            .iter()
            .any(|(s, keys)| *s == section && keys.contains(&key));
        if ignored {
            self.warn(
                "config-unsupported",
                section,
                key,
                format!("mdBook key `{section}.{key}` is not supported by skillsite; ignored"),
                "remove it, or keep it if the same book.toml is also built with mdBook",
            );
        } else {
            self.unknown(section, key);
        }
    }

    fn unknown(&self, section: &str, key: &str) {
        let full = if section.is_empty() {
            key.to_string()
        } else {
            format!("{section}.{key}")
        };
        self.warn(
            "config-unknown-key",
            section,
            key,
            format!("unknown key `{full}` in book.toml; ignored"),
            "check the spelling against the keys listed in the README's Configuration section",
        );
    }

    fn warn(&self, rule: &'static str, section: &str, key: &str, msg: String, hint: &str) {
        let line = self.key_line(section, key);
        self.diags.push(
            Diagnostic::warning(rule, msg)
                .at(self.file)
                .line(line)
                .hint(hint),
        );
    }

    /// Best-effort line of `key` inside `[section]` (or of the `[section.key]` header).
    fn key_line(&self, section: &str, key: &str) -> usize {
        let mut current = String::new();
        for (i, raw) in self.text.lines().enumerate() {
            let line = raw.trim();
            if let Some(h) = line.strip_prefix('[') {
                current = h.trim_end_matches(']').trim().to_string();
                if current == format!("{section}.{key}") || (section.is_empty() && current == key) {
                    return i + 1;
                }
                continue;
            }
            let k = line
                .split('=')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches('"');
            if current == section && k == key && line.contains('=') {
                return i + 1;
            }
        }
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Result<Config, Diagnostic>, Vec<Diagnostic>) {
        let d = Diagnostics::new();
        let r = Config::parse(Path::new("/nonexistent"), Path::new("book.toml"), text, &d);
        (r, d.sorted())
    }

    #[test]
    fn reads_mdbook_keys() {
        let (cfg, diags) = parse(
            "[book]\ntitle = \"T\"\nauthors = [\"A\", \"B\"]\nsrc = \"docs\"\n[build]\nbuild-dir = \"out\"\n[output.html]\nsite-url = \"https://x.org/\"\ndefault-theme = \"navy\"\n",
        );
        let cfg = cfg.unwrap();
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(cfg.book.title, "T");
        assert_eq!(cfg.book.authors, ["A", "B"]);
        assert_eq!(cfg.book.src, PathBuf::from("docs"));
        assert_eq!(cfg.build_dir, PathBuf::from("out"));
        assert_eq!(cfg.html.site_url.as_deref(), Some("https://x.org/"));
        assert_eq!(cfg.html.default_theme, "dark");
    }

    #[test]
    fn unknown_key_is_named_with_its_line() {
        let (cfg, diags) = parse("[book]\ntitle = \"T\"\ntitel = \"oops\"\n");
        assert!(cfg.is_ok());
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].rule, "config-unknown-key");
        assert!(diags[0].message.contains("book.titel"));
        assert_eq!(diags[0].line, Some(3));
    }

    #[test]
    fn renderers_are_reported_unsupported_and_preprocessors_read() {
        let (cfg, diags) = parse("[preprocessor.katex]\nafter = [\"links\"]\nmacros = \"m.txt\"\n[preprocessor.links]\n[preprocessor.x]\ncommand = \"./x.sh --flag\"\noptional = true\ntimeout = 5\nrenderers = [\"html\"]\n[output.pdf]\n");
        let cfg = cfg.unwrap();
        let rules: Vec<_> = diags.iter().map(|d| (d.rule, d.line)).collect();
        assert_eq!(rules, [("config-unsupported", Some(10))], "{diags:?}");
        let names: Vec<_> = cfg.preprocessors.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["katex", "x"]);
        let k = &cfg.preprocessors[0];
        assert_eq!(
            (k.command.as_str(), k.line, k.timeout_secs),
            ("mdbook-katex", 1, 60)
        );
        assert_eq!(k.after, ["links"]);
        let x = &cfg.preprocessors[1];
        assert_eq!(
            (x.command.as_str(), x.optional, x.timeout_secs),
            ("./x.sh --flag", true, 5)
        );
        assert_eq!(x.renderers.as_deref(), Some(&["html".to_string()][..]));
        assert_eq!(cfg.raw["preprocessor"]["katex"]["macros"], "m.txt");
        assert_eq!(cfg.raw["book"]["language"], "en");
    }

    #[test]
    fn lint_levels_are_read_and_unknown_rules_named_with_close_ids() {
        let (cfg, diags) = parse(
            "[book]\ntitle = \"T\"\n[skillsite.lints]\nskill-name = \"allow\"\nbroken-link = \"deny\"\nskill-nmae = \"warn\"\nskill-description = \"off\"\n",
        );
        let cfg = cfg.unwrap();
        assert_eq!(
            cfg.skillsite.lints.iter().collect::<Vec<_>>(),
            [
                (&"broken-link".to_string(), &Level::Deny),
                (&"skill-name".to_string(), &Level::Allow)
            ]
        );
        assert_eq!(diags.len(), 2, "{diags:?}");
        let unknown = diags
            .iter()
            .find(|d| d.rule == "config-unknown-key")
            .unwrap();
        assert_eq!(unknown.line, Some(6));
        assert!(unknown.message.contains("skill-nmae"));
        assert!(
            unknown.hint.as_deref().unwrap().contains("`skill-name`"),
            "{unknown:?}"
        );
        let bad = diags.iter().find(|d| d.rule == "config-type").unwrap();
        assert_eq!(bad.line, Some(7));
        // The inline form, under [skillsite].
        let (cfg, diags) = parse("[skillsite]\nlints = { skill-name = \"deny\" }\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(cfg.unwrap().skillsite.lints["skill-name"], Level::Deny);
    }

    #[test]
    fn syntax_error_has_line_and_column() {
        let (cfg, _) = parse("[book]\ntitle = \"T\nx = 1\n");
        let err = cfg.unwrap_err();
        assert_eq!(err.rule, "config-syntax");
        assert_eq!(err.line, Some(2));
        assert!(err.column.is_some());
    }
}
