//! Manifests that describe plugins, marketplaces and skills, in every agent's format (see
//! [`crate::model::manifests`] for the list and the specs), and the plugin parts they point at:
//! agents, commands, output styles, hooks, MCP servers and LSP servers.
//!
//! Reading is per file ([`Reader::file`]), so any walk can feed it; [`load`] walks the content
//! folder itself (dot-folders `.claude-plugin`, `.codex-plugin` and `.github` included).
//! [`Reader::finish`] then reads the parts of every plugin folder from the standard places
//! (`agents/`, `commands/`, `output-styles/`, `hooks/hooks.json`, `.mcp.json`, `.lsp.json`)
//! and from the manifests' custom paths and inline objects (`commands`, `agents`,
//! `outputStyles`, `hooks`, `mcpServers`, `lspServers`: a path, a list of paths or an object).
//!
//! **Which folders are plugins.** A folder with a plugin manifest (any format) or named by a
//! marketplace entry's relative `source`. A folder with neither is a plugin when it holds at
//! least two *kinds* of plugin parts — `skills/*/SKILL.md`, `agents/*.md`, `commands/*.md`,
//! `hooks/hooks.json`, `.mcp.json` — because one alone (a `skills/` folder) is how plain skill
//! repositories look, while agents next to commands or hooks is a plugin Claude Code would
//! load with `--plugin-dir`. The content root is never inferred (it would swallow the site).
//!
//! **Bad input** is a warning with file and line and a hint, and the rest builds: a manifest
//! that is not JSON (line and column), a marketplace entry whose relative source folder does
//! not exist (the entry's line; still listed), two entries of one name (the second's line);
//! unknown top-level marketplace keys (e.g. `renames`) are a note, as Claude Code ignores them.
//! `skill.json` is the skill manifest of the milestone spec in the sample content.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::diagnostics::{line_col, Diagnostic, Diagnostics};
pub use crate::model::manifests::{
    target, HookDecl, Interface, LspDecl, Manifests, Marketplace, MarketplacePlugin, McpDecl,
    PluginInfo, PluginManifest, PluginParts, PluginSource, SkillInterface, SkillManifest,
    TomlCommand,
};
use crate::util::path::{clean, join_rel, rel_path};

/// Top-level keys of a marketplace file that Claude Code documents; others get a note.
const MARKETPLACE_KEYS: &[&str] = &[
    "$schema",
    "name",
    "owner",
    "metadata",
    "plugins",
    "description",
    "version",
    "interface",
    "forceRemoveDeletedPlugins",
];

/// Whether discovery must enter (`is_dir`) or report `rel` (content-relative,
/// `/`-separated) for this reader although it is not content
/// ([`discover::is_content_path`](crate::load::discover::is_content_path)): the manifest
/// folders `.claude-plugin/` and `.codex-plugin/` (Claude Code, Codex), `.github/plugin/`
/// (Copilot CLI), `.agents/plugins/` (Codex marketplaces), and the hidden `.mcp.json` and
/// `.lsp.json` files of plugins. Other hidden names are not, nor anything under
/// [`SKIPPED_NAMES`](crate::load::discover::SKIPPED_NAMES).
pub fn is_manifest_path(rel: &str, is_dir: bool) -> bool {
    let parts: Vec<&str> = rel.split('/').filter(|p| !p.is_empty()).collect();
    for (i, part) in parts.iter().enumerate() {
        if crate::load::discover::SKIPPED_NAMES.contains(part) {
            return false;
        }
        if !part.starts_with('.') {
            continue;
        }
        if i + 1 == parts.len() && !is_dir {
            return matches!(*part, ".mcp.json" | ".lsp.json");
        }
        let next = parts.get(i + 1).copied();
        let entered = match *part {
            ".claude-plugin" | ".codex-plugin" => true,
            ".github" => next.is_none_or(|n| n == "plugin"),
            ".agents" => next.is_none_or(|n| n == "plugins"),
            _ => false,
        };
        if !entered {
            return false;
        }
    }
    true
}

/// File names that [`Reader::file`] may read as a manifest or a plugin's hooks, MCP or LSP
/// configuration (a superset: `plugin.json` anywhere, say). `serve` rebuilds everything when
/// one of them changes, since they feed the catalog and the audit.
pub const MANIFEST_NAMES: &[&str] = &[
    "plugin.json",
    "marketplace.json",
    "gemini-extension.json",
    "skill.json",
    "hooks.json",
    ".mcp.json",
    ".lsp.json",
    "openai.yaml",
];

/// Reads the manifests and plugin parts among `files`: discovery's list of every file it
/// reached (content-relative path, absolute path), in path order, so that there is one walk
/// and one rule of what is read (`load::discover`).
pub fn read<'a>(
    src: &Path,
    files: impl IntoIterator<Item = (&'a str, &'a Path)>,
    diags: &Diagnostics,
) -> Manifests {
    let mut reader = Reader::new(src);
    for (rel, abs) in files {
        reader.file(rel, abs, diags);
    }
    reader.finish(diags)
}

/// A manifest (or marketplace entry) adding custom paths or inline parts to a plugin folder:
/// (content-relative file it is read from, its keys, the plugin folder its paths are relative to).
type Extra = (String, Map<String, Value>, String);

/// Reads manifests one file at a time; [`Reader::finish`] resolves the plugin parts.
#[derive(Debug)]
pub struct Reader {
    src: PathBuf,
    out: Manifests,
    /// Per folder, the kinds of plugin parts seen (for plugins without a manifest).
    kinds: BTreeMap<String, BTreeSet<&'static str>>,
    /// Per plugin folder, the manifests' custom paths and inline parts to add.
    extra: BTreeMap<String, Vec<Extra>>,
}

impl Reader {
    /// A reader for the content folder `src`.
    pub fn new(src: &Path) -> Reader {
        Reader {
            src: src.to_path_buf(),
            out: Manifests::default(),
            kinds: BTreeMap::new(),
            extra: BTreeMap::new(),
        }
    }

    /// Reads `abs` (content-relative path `rel`, `/`-separated) when it is a manifest or a
    /// plugin part; any other file is ignored.
    pub fn file(&mut self, rel: &str, abs: &Path, diags: &Diagnostics) {
        let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        let (parent, dir_name) = dir.rsplit_once('/').unwrap_or(("", dir));
        // Plugin parts, for plugins without a manifest.
        let part = match (dir_name, name) {
            ("agents", n) if n.ends_with(".md") => Some((parent, "agents")),
            ("commands", n) if n.ends_with(".md") => Some((parent, "commands")),
            ("hooks", "hooks.json") => Some((parent, "hooks")),
            (_, ".mcp.json") => Some((dir, "mcp")),
            (_, "SKILL.md") => {
                let (grand, p) = parent.rsplit_once('/').unwrap_or(("", parent));
                (p == "skills").then_some((grand, "skills"))
            }
            _ => None,
        };
        if let Some((folder, kind)) = part {
            self.kinds
                .entry(folder.to_string())
                .or_default()
                .insert(kind);
        }
        match (dir_name, name) {
            (".claude-plugin", "plugin.json") => {
                self.plugin(rel, parent, target::CLAUDE_CODE, abs, diags)
            }
            (".claude-plugin", "marketplace.json") => {
                self.marketplace(rel, parent, target::CLAUDE_CODE, abs, diags)
            }
            (".codex-plugin", "plugin.json") => self.plugin(rel, parent, target::CODEX, abs, diags),
            ("plugin", "plugin.json" | "marketplace.json") if parent_is_github(parent) => {
                let root = parent.rsplit_once('/').map_or("", |(r, _)| r);
                if name == "plugin.json" {
                    self.plugin(rel, root, target::COPILOT, abs, diags);
                } else {
                    self.marketplace(rel, root, target::COPILOT, abs, diags);
                }
            }
            ("plugins", "marketplace.json")
                if parent == ".agents" || parent.ends_with("/.agents") =>
            {
                let root = parent.rsplit_once('/').map_or("", |(r, _)| r);
                self.marketplace(rel, root, target::CODEX, abs, diags);
            }
            (_, "gemini-extension.json") => self.plugin(rel, dir, target::GEMINI, abs, diags),
            ("agents", "openai.yaml")
                if abs
                    .parent()
                    .and_then(Path::parent)
                    .is_some_and(|p| p.join("SKILL.md").is_file()) =>
            {
                self.openai_yaml(rel, parent, abs, diags)
            }
            (_, "skill.json") if !dir_name.starts_with('.') => {
                if let Some((data, _)) = read_json(abs, diags) {
                    self.out.skills.push(SkillManifest {
                        folder: dir.to_string(),
                        source: rel.to_string(),
                        data,
                    });
                }
            }
            _ => {}
        }
    }

    fn plugin(
        &mut self,
        rel: &str,
        folder: &str,
        tgt: &'static str,
        abs: &Path,
        diags: &Diagnostics,
    ) {
        let Some((data, _)) = read_json(abs, diags) else {
            return;
        };
        let mut info = plugin_info(&data);
        if info.name.is_empty() {
            info.name = folder.rsplit('/').next().unwrap_or("").to_string();
        }
        let interface = data
            .get("interface")
            .and_then(Value::as_object)
            .map(interface_of);
        if let Some(i) = &interface {
            if info.description.is_empty() {
                info.description = i
                    .short_description
                    .clone()
                    .or_else(|| i.long_description.clone())
                    .unwrap_or_default();
            }
            if info.category.is_none() {
                info.category = i.category.clone();
            }
        }
        if tgt == target::GEMINI {
            let cmds = self.toml_commands(folder, diags);
            self.out
                .parts
                .entry(folder.to_string())
                .or_default()
                .toml_commands
                .extend(cmds);
            // Gemini: `contextFileName` (a string or a list), default GEMINI.md.
            let names: Vec<String> = match data.get("contextFileName") {
                Some(v) => list_of(v),
                None => vec!["GEMINI.md".into()],
            };
            let files: Vec<String> = names
                .iter()
                .map(|n| join_rel(folder, n))
                .filter(|f| self.src.join(f).is_file() && self.inside(&self.src.join(f)))
                .collect();
            self.out
                .parts
                .entry(folder.to_string())
                .or_default()
                .context_files
                .extend(files);
        }
        self.extra.entry(folder.to_string()).or_default().push((
            rel.to_string(),
            data,
            folder.to_string(),
        ));
        self.out.plugins.push(PluginManifest {
            folder: folder.to_string(),
            file: rel.to_string(),
            target: tgt,
            info,
            interface,
        });
    }

    fn marketplace(
        &mut self,
        rel: &str,
        root: &str,
        tgt: &'static str,
        abs: &Path,
        diags: &Diagnostics,
    ) {
        let Some((data, text)) = read_json(abs, diags) else {
            return;
        };
        let file = clean(abs);
        for key in data
            .keys()
            .filter(|k| !MARKETPLACE_KEYS.contains(&k.as_str()))
        {
            let line = text
                .find(&format!("\"{key}\""))
                .map_or(1, |i| line_col(&text, i).0);
            diags.push(
                Diagnostic::note("marketplace-key", format!("unknown top-level key `{key}` in the marketplace; ignored"))
                    .at(&file)
                    .line(line)
                    .hint("Claude Code ignores keys it does not know; `claude plugin validate` reports them"),
            );
        }
        // `metadata.pluginRoot`: the base folder of relative sources.
        let plugin_root = data
            .get("metadata")
            .and_then(|m| m.get("pluginRoot"))
            .and_then(Value::as_str)
            .map_or_else(|| root.to_string(), |r| join_rel(root, r));
        let entries: Vec<&Value> = data
            .get("plugins")
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        let offsets = item_offsets(&text, "plugins");
        let mut plugins: Vec<MarketplacePlugin> = Vec::new();
        let mut lines_by_name: std::collections::HashMap<String, usize> = Default::default();
        for (i, entry) in entries.iter().enumerate() {
            let line = offsets.get(i).map_or(1, |&o| line_col(&text, o).0);
            let Some(p) = entry.as_object() else {
                diags.push(
                    Diagnostic::warning(
                        "marketplace-entry",
                        "a plugin entry that is not an object; ignored",
                    )
                    .at(&file)
                    .line(line)
                    .hint("each entry of `plugins` is an object with at least `name` and `source`"),
                );
                continue;
            };
            let info = plugin_info(p);
            if info.name.is_empty() {
                diags.push(
                    Diagnostic::warning("marketplace-entry", "a plugin entry without a `name`; ignored")
                        .at(&file)
                        .line(line)
                        .hint("give the entry a `name`: it is what `/plugin install NAME@MARKETPLACE` uses"),
                );
                continue;
            }
            if let Some(first) = lines_by_name.get(&info.name) {
                diags.push(
                    Diagnostic::warning(
                        "marketplace-duplicate",
                        format!(
                            "two plugins named `{}` in the marketplace (the first at line {first})",
                            info.name
                        ),
                    )
                    .at(&file)
                    .line(line)
                    .hint("plugin names are unique in a marketplace: rename or remove one entry"),
                );
            }
            lines_by_name.entry(info.name.clone()).or_insert(line);
            let source = source_of(p.get("source"));
            let folder = (!source.is_remote()).then(|| {
                let s = source.path.as_deref().unwrap_or(".");
                // `./x` is relative to the marketplace root; a bare `x` to `pluginRoot`.
                if s.starts_with("./") || s.starts_with("../") || s == "." {
                    join_rel(root, s)
                } else {
                    join_rel(&plugin_root, s)
                }
            });
            if let Some(f) = &folder {
                if !self.src.join(f).is_dir() {
                    diags.push(
                        Diagnostic::warning("marketplace-source", format!("plugin `{}`: source folder `{f}` does not exist", info.name))
                            .at(&file)
                            .line(line)
                            .hint("fix `source` (relative to the marketplace root, or to `metadata.pluginRoot`), or add the folder; the plugin is listed without its files"),
                    );
                } else {
                    self.extra.entry(f.clone()).or_default().push((
                        rel.to_string(),
                        p.clone(),
                        f.clone(),
                    ));
                }
            }
            let skills = p.get("skills").and_then(Value::as_array).map(|a| {
                let base = folder.clone().unwrap_or_else(|| root.to_string());
                a.iter()
                    .filter_map(Value::as_str)
                    .map(|s| join_rel(&base, s))
                    .collect()
            });
            plugins.push(MarketplacePlugin {
                info,
                source,
                folder,
                skills,
                strict: p.get("strict").and_then(Value::as_bool),
                line,
            });
        }
        self.out.marketplaces.push(Marketplace {
            name: str_of(&data, "name").unwrap_or_default(),
            file: rel.to_string(),
            folder: root.to_string(),
            target: tgt,
            plugins,
        });
    }

    fn openai_yaml(&mut self, rel: &str, skill: &str, abs: &Path, diags: &Diagnostics) {
        let text = match std::fs::read_to_string(abs) {
            Ok(t) => t,
            Err(e) => {
                diags.push(
                    Diagnostic::warning("manifest", format!("cannot read: {e}")).at(clean(abs)),
                );
                return;
            }
        };
        match serde_saphyr::from_str::<Value>(&text) {
            Ok(Value::Object(m)) => {
                let i = m
                    .get("interface")
                    .and_then(Value::as_object)
                    .map(interface_of)
                    .unwrap_or_default();
                self.out.skill_interfaces.push(SkillInterface {
                    folder: skill.to_string(),
                    file: rel.to_string(),
                    interface: i,
                });
            }
            Ok(_) => diags.push(
                Diagnostic::warning("manifest", "agents/openai.yaml must be a YAML mapping; ignored")
                    .at(clean(abs))
                    .line(1),
            ),
            Err(e) => diags.push(
                Diagnostic::warning("manifest", format!("invalid YAML: {e}; ignored"))
                    .at(clean(abs))
                    .hint("fix the YAML: Codex reads `interface.display_name`, `short_description`, `icon_small`, `brand_color`"),
            ),
        }
    }

    /// Resolves the plugin folders and their parts; returns everything read.
    pub fn finish(mut self, diags: &Diagnostics) -> Manifests {
        let mut folders: BTreeSet<String> =
            self.out.plugins.iter().map(|p| p.folder.clone()).collect();
        for m in &self.out.marketplaces {
            for p in &m.plugins {
                // A marketplace entry carving skills out of a shared folder is not the folder's plugin.
                if let (Some(f), None) = (&p.folder, &p.skills) {
                    if self.src.join(f).is_dir() {
                        folders.insert(f.clone());
                    }
                }
            }
        }
        for (folder, kinds) in &self.kinds {
            if !folder.is_empty() && kinds.len() >= 2 && !folders.contains(folder) {
                self.out.inferred.push(folder.clone());
                folders.insert(folder.clone());
            }
        }
        for folder in folders {
            let mut parts = self.out.parts.remove(&folder).unwrap_or_default();
            self.standard_parts(&folder, &mut parts, diags);
            for (file, data, base) in self.extra.remove(&folder).unwrap_or_default() {
                self.custom_parts(&file, &data, &base, &mut parts, diags);
            }
            for list in [
                &mut parts.agents,
                &mut parts.commands,
                &mut parts.output_styles,
                &mut parts.context_files,
            ] {
                list.sort();
                list.dedup();
            }
            parts.hooks.dedup();
            dedup_by_key(&mut parts.mcp_servers, |m| (m.name.clone(), m.file.clone()));
            dedup_by_key(&mut parts.lsp_servers, |m| (m.name.clone(), m.file.clone()));
            self.out.parts.insert(folder, parts);
        }
        self.out
    }

    fn standard_parts(&self, folder: &str, parts: &mut PluginParts, diags: &Diagnostics) {
        parts
            .agents
            .extend(self.md_files(&join_rel(folder, "agents")));
        parts
            .commands
            .extend(self.md_files(&join_rel(folder, "commands")));
        parts
            .output_styles
            .extend(self.md_files(&join_rel(folder, "output-styles")));
        let hooks = join_rel(folder, "hooks/hooks.json");
        if let Some((v, text)) = self.json_quiet(&hooks) {
            parts.hooks.extend(parse_hooks(&v, Some(&text), &hooks, 1));
        }
        let mcp = join_rel(folder, ".mcp.json");
        if let Some((v, text)) = self.json_quiet(&mcp) {
            parts.mcp_servers.extend(parse_mcp_servers(&v, &text, &mcp));
        }
        let lsp = join_rel(folder, ".lsp.json");
        if let Some((v, text)) = self.json_at(&lsp, diags) {
            parts.lsp_servers.extend(parse_lsp_servers(&v, &text, &lsp));
        }
    }

    /// The custom paths and inline objects of a manifest or marketplace entry `data` read
    /// from `file`, relative to the plugin folder `base`.
    fn custom_parts(
        &self,
        file: &str,
        data: &Map<String, Value>,
        base: &str,
        parts: &mut PluginParts,
        diags: &Diagnostics,
    ) {
        let text = std::fs::read_to_string(self.src.join(file)).unwrap_or_default();
        let key_line = |key: &str| {
            text.find(&format!("\"{key}\""))
                .map_or(1, |i| line_col(&text, i).0)
        };
        for (key, list) in [
            ("agents", &mut parts.agents),
            ("commands", &mut parts.commands),
            ("outputStyles", &mut parts.output_styles),
        ] {
            let paths: Vec<String> = match data.get(key) {
                Some(Value::Object(m)) => m
                    .values()
                    .filter_map(|v| v.get("source").and_then(Value::as_str))
                    .map(str::to_string)
                    .collect(),
                Some(v) => list_of(v),
                None => continue,
            };
            for p in paths {
                let rel = join_rel(base, &p);
                let file = self.src.join(&rel);
                if rel.ends_with(".md") && file.is_file() {
                    if !self.inside(&file) {
                        continue;
                    }
                    list.push(rel);
                } else {
                    list.extend(self.md_files(&rel));
                }
            }
        }
        // hooks / mcpServers / lspServers: a path, a list of paths, or an inline object.
        let files_of =
            |v: &Value| -> Vec<String> { list_of(v).iter().map(|p| join_rel(base, p)).collect() };
        match data.get("hooks") {
            Some(v @ Value::Object(_)) => {
                parts
                    .hooks
                    .extend(parse_hooks(v, Some(&text), file, key_line("hooks")))
            }
            Some(v) => {
                for f in files_of(v) {
                    if let Some((v, t)) = self.json_quiet(&f) {
                        parts.hooks.extend(parse_hooks(&v, Some(&t), &f, 1));
                    }
                }
            }
            None => {}
        }
        for (key, lsp) in [("mcpServers", false), ("lspServers", true)] {
            match data.get(key) {
                Some(v @ Value::Object(_)) => {
                    if lsp {
                        parts.lsp_servers.extend(parse_lsp_servers(v, &text, file));
                    } else {
                        parts.mcp_servers.extend(parse_mcp_servers(v, &text, file));
                    }
                }
                Some(v) => {
                    for f in files_of(v) {
                        let read = if lsp {
                            self.json_at(&f, diags)
                        } else {
                            self.json_quiet(&f)
                        };
                        if let Some((v, t)) = read {
                            if lsp {
                                parts.lsp_servers.extend(parse_lsp_servers(&v, &t, &f));
                            } else {
                                parts.mcp_servers.extend(parse_mcp_servers(&v, &t, &f));
                            }
                        }
                    }
                }
                None => {}
            }
        }
    }

    /// A Gemini extension's `commands/**/*.toml`; a file that is not TOML is a warning.
    fn toml_commands(&self, folder: &str, diags: &Diagnostics) -> Vec<TomlCommand> {
        let base = join_rel(folder, "commands");
        let dir = self.src.join(&base);
        if !dir.is_dir() || !self.inside(&dir) {
            return Vec::new();
        }
        let mut out = Vec::new();
        for e in walkdir::WalkDir::new(&dir)
            .max_depth(4)
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .filter(|e| {
                e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "toml")
            })
        {
            let file = rel_path(&self.src, e.path());
            let rel = file.strip_prefix(&format!("{base}/")).unwrap_or(&file);
            let text = std::fs::read_to_string(e.path()).unwrap_or_default();
            let table = match toml::from_str::<toml::Table>(&text) {
                Ok(t) => t,
                Err(err) => {
                    let line = err.span().map_or(1, |s| line_col(&text, s.start).0);
                    diags.push(
                        Diagnostic::warning(
                            "manifest",
                            format!("invalid TOML: {}; ignored", err.message()),
                        )
                        .at(clean(e.path()))
                        .line(line)
                        .hint(
                            "a Gemini CLI command is a TOML file with `description` and `prompt`",
                        ),
                    );
                    continue;
                }
            };
            let get = |k: &str| {
                table
                    .get(k)
                    .and_then(toml::Value::as_str)
                    .map(str::trim)
                    .unwrap_or("")
            };
            let description = if get("description").is_empty() {
                get("prompt")
                    .lines()
                    .next()
                    .unwrap_or("")
                    .chars()
                    .take(200)
                    .collect()
            } else {
                get("description").to_string()
            };
            out.push(TomlCommand {
                name: rel.strip_suffix(".toml").unwrap_or(rel).replace('/', ":"),
                description,
                file,
            });
        }
        out
    }

    /// Content-relative `.md` files below the folder `rel` (any depth; `README.md` and
    /// `index.md`, which are section pages, left out), sorted.
    fn md_files(&self, rel: &str) -> Vec<String> {
        let dir = self.src.join(rel);
        if !dir.is_dir() || !self.inside(&dir) {
            return Vec::new();
        }
        walkdir::WalkDir::new(&dir)
            .max_depth(4)
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .filter(|e| {
                let n = e.file_name().to_string_lossy();
                n.ends_with(".md")
                    && !n.eq_ignore_ascii_case("readme.md")
                    && !n.eq_ignore_ascii_case("index.md")
            })
            .map(|e| rel_path(&self.src, e.path()))
            .collect()
    }

    /// True when `path`, symbolic links resolved, is inside the content folder: a part behind
    /// a link out of it is not read (the audit stage reports such links, `symlink-outside`).
    fn inside(&self, path: &Path) -> bool {
        let root = std::fs::canonicalize(&self.src).unwrap_or_else(|_| self.src.clone());
        std::fs::canonicalize(path).is_ok_and(|p| p.starts_with(root))
    }

    /// The same for hooks and MCP files, whose invalid JSON the audit stage reports
    /// (`unreadable-file`, with its line): no second warning here.
    fn json_quiet(&self, rel: &str) -> Option<(Value, String)> {
        self.json_at(rel, &Diagnostics::new())
    }

    /// The JSON file at content-relative `rel`, when it exists (invalid JSON: a warning).
    fn json_at(&self, rel: &str, diags: &Diagnostics) -> Option<(Value, String)> {
        let path = self.src.join(rel);
        if !path.is_file() || !self.inside(&path) {
            return None;
        }
        read_json(&path, diags).map(|(m, t)| (Value::Object(m), t))
    }
}

fn parent_is_github(dir: &str) -> bool {
    dir == ".github" || dir.ends_with("/.github")
}

fn dedup_by_key<T, K: Ord>(v: &mut Vec<T>, key: impl Fn(&T) -> K) {
    let mut seen = BTreeSet::new();
    v.retain(|x| seen.insert(key(x)));
}

/// The name, description, version, author, licence, links and keywords of a manifest or
/// marketplace entry.
pub fn plugin_info(m: &Map<String, Value>) -> PluginInfo {
    let author = match m.get("author") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Object(a)) => str_of(a, "name"),
        _ => None,
    };
    let repository = match m.get("repository") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Object(r)) => str_of(r, "url"),
        _ => None,
    };
    let mut keywords: Vec<String> = m.get("keywords").map(list_of).unwrap_or_default();
    for t in m.get("tags").map(list_of).unwrap_or_default() {
        if !keywords.contains(&t) {
            keywords.push(t);
        }
    }
    PluginInfo {
        name: str_of(m, "name").unwrap_or_default(),
        description: str_of(m, "description").unwrap_or_default(),
        version: str_of(m, "version"),
        author,
        license: str_of(m, "license"),
        homepage: str_of(m, "homepage"),
        repository,
        keywords,
        category: str_of(m, "category"),
    }
}

/// Codex's `interface` (camelCase in `.codex-plugin/plugin.json`, snake_case in a skill's
/// `agents/openai.yaml`).
pub fn interface_of(m: &Map<String, Value>) -> Interface {
    let get = |keys: &[&str]| keys.iter().find_map(|k| str_of(m, k));
    Interface {
        display_name: get(&["displayName", "display_name"]),
        short_description: get(&["shortDescription", "short_description"]),
        long_description: get(&["longDescription", "long_description"]),
        developer: get(&["developerName", "developer_name"]),
        category: get(&["category"]),
        icon: get(&["composerIcon", "logo", "icon_small", "icon_large", "icon"]),
        brand_color: get(&["brandColor", "brand_color"]),
        website: get(&["websiteURL", "website_url"]),
        default_prompts: m
            .get("defaultPrompt")
            .or_else(|| m.get("default_prompt"))
            .map(list_of)
            .unwrap_or_default(),
    }
}

/// A marketplace entry's `source`: a string is a relative folder; an object has `source`
/// (`github`, `url`, `git-subdir`, `npm`...) with `repo`, `url`, `package`, `path`, `ref`,
/// `sha` or `version`. A missing source means the marketplace root (`.`).
fn source_of(v: Option<&Value>) -> PluginSource {
    match v {
        Some(Value::String(s)) => {
            // A string that is a URL is a remote source as well.
            if s.contains("://") || s.starts_with("git@") {
                PluginSource {
                    kind: "url".into(),
                    url: Some(s.clone()),
                    ..PluginSource::default()
                }
            } else {
                PluginSource {
                    kind: "path".into(),
                    path: Some(s.clone()),
                    ..PluginSource::default()
                }
            }
        }
        Some(Value::Object(o)) => {
            let kind = str_of(o, "source")
                .or_else(|| str_of(o, "type"))
                .unwrap_or_else(|| "url".into());
            if matches!(kind.as_str(), "path" | "local" | "relative") {
                return PluginSource {
                    kind: "path".into(),
                    path: str_of(o, "path").or_else(|| Some(".".into())),
                    ..PluginSource::default()
                };
            }
            let registry = str_of(o, "registry");
            PluginSource {
                url: str_of(o, "url").or(registry),
                repo: str_of(o, "repo").or_else(|| str_of(o, "repository")),
                package: str_of(o, "package"),
                path: str_of(o, "path").or_else(|| str_of(o, "subdir")),
                git_ref: str_of(o, "ref").or_else(|| str_of(o, "version")),
                sha: str_of(o, "sha"),
                kind,
            }
        }
        _ => PluginSource {
            kind: "path".into(),
            path: Some(".".into()),
            ..PluginSource::default()
        },
    }
}

/// The hooks of a hooks configuration: `{"hooks": {EVENT: [...]}}` or the event map itself;
/// each event holds matcher groups `{"matcher": "...", "hooks": [{"type": "command",
/// "command": "..."}]}` (or a single hook). `text` is the file's text, for lines (each
/// command is looked up after the previous one); `line` is the fallback line. Used by the
/// loader (plugin parts) and the audit stage (its `hook-command` rule), so both read hooks
/// the same way.
pub fn parse_hooks(value: &Value, text: Option<&str>, file: &str, line: usize) -> Vec<HookDecl> {
    let mut out = Vec::new();
    let Some(map) = value.as_object() else {
        return out;
    };
    let events = match map.get("hooks").and_then(Value::as_object) {
        Some(inner) => inner,
        None => map,
    };
    let mut from = 0;
    for (event, groups) in events {
        let groups: Vec<&Value> = match groups {
            Value::Array(a) => a.iter().collect(),
            Value::Object(_) => vec![groups],
            _ => continue,
        };
        for g in groups {
            let Some(g) = g.as_object() else { continue };
            let matcher = g
                .get("matcher")
                .and_then(Value::as_str)
                .filter(|m| !m.is_empty())
                .map(str::to_string);
            let list: Vec<&Map<String, Value>> = match g.get("hooks") {
                Some(Value::Array(a)) => a.iter().filter_map(Value::as_object).collect(),
                _ => vec![g],
            };
            for h in list {
                let kind = h
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or("command")
                    .to_string();
                let command = h.get("command").and_then(Value::as_str).map(str::to_string);
                let url = str_of(h, "url").or_else(|| str_of(h, "prompt"));
                let Some(needle) = command.as_deref().or(url.as_deref()) else {
                    continue;
                };
                let l = text
                    .and_then(|t| {
                        let needle = serde_json::to_string(needle).ok()?;
                        let i = t.get(from..)?.find(&needle).map(|i| i + from)?;
                        from = i + needle.len();
                        Some(line_col(t, i).0)
                    })
                    .unwrap_or(line);
                out.push(HookDecl {
                    event: event.clone(),
                    matcher: matcher.clone(),
                    kind,
                    command,
                    url,
                    file: file.to_string(),
                    line: l,
                });
            }
        }
    }
    out
}

/// Finds the line of each server key of a `mcpServers`/`lspServers` map in `text`, in order.
fn key_line(text: &str, name: &str, from: &mut usize) -> usize {
    serde_json::to_string(name)
        .ok()
        .and_then(|needle| {
            let rest = text.get(*from..)?;
            let i = rest
                .find(&format!("{needle}:"))
                .or_else(|| rest.find(&needle))?
                + *from;
            *from = i + needle.len();
            Some(line_col(text, i).0)
        })
        .unwrap_or(1)
}

fn args_of(s: &Map<String, Value>) -> Vec<String> {
    s.get("args")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The server map of a manifest value: its `key` object (`mcpServers`), else the value itself
/// (a `.mcp.json` or `.lsp.json` may hold the map directly).
fn servers_map<'a>(value: &'a Value, key: &str) -> Option<&'a Map<String, Value>> {
    let map = value.as_object()?;
    Some(map.get(key).and_then(Value::as_object).unwrap_or(map))
}

/// The MCP servers of an `mcpServers` map (or a `.mcp.json` holding one): each with a
/// `command` (and `args`) or a `url` (Gemini: `httpUrl`); entries with neither are skipped.
/// Shared by the loader and the audit stage (rule `mcp-server`).
pub fn parse_mcp_servers(value: &Value, text: &str, file: &str) -> Vec<McpDecl> {
    let mut out = Vec::new();
    let Some(servers) = servers_map(value, "mcpServers") else {
        return out;
    };
    let mut from = 0;
    for (name, server) in servers {
        let Some(s) = server.as_object() else {
            continue;
        };
        let command = str_of(s, "command");
        let url = str_of(s, "url").or_else(|| str_of(s, "httpUrl"));
        if command.is_none() && url.is_none() {
            continue;
        }
        out.push(McpDecl {
            name: name.clone(),
            args: args_of(s),
            command,
            url,
            transport: str_of(s, "type").or_else(|| str_of(s, "transport")),
            file: file.to_string(),
            line: key_line(text, name, &mut from),
        });
    }
    out
}

/// The LSP servers of an `lspServers` map (or a `.lsp.json`): `command`, `args`,
/// `extensionToLanguage` (extension → language id).
pub fn parse_lsp_servers(value: &Value, text: &str, file: &str) -> Vec<LspDecl> {
    let mut out = Vec::new();
    let Some(servers) = servers_map(value, "lspServers") else {
        return out;
    };
    let mut from = 0;
    for (name, server) in servers {
        let Some(s) = server.as_object() else {
            continue;
        };
        let ext = s.get("extensionToLanguage").and_then(Value::as_object);
        let mut languages: Vec<String> = ext
            .map(|m| {
                m.values()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        languages.sort();
        languages.dedup();
        out.push(LspDecl {
            name: name.clone(),
            command: str_of(s, "command"),
            args: args_of(s),
            languages,
            extensions: ext.map(|m| m.keys().cloned().collect()).unwrap_or_default(),
            file: file.to_string(),
            line: key_line(text, name, &mut from),
        });
    }
    out
}

/// Byte offsets of the elements of the top-level array `key` of the JSON object in `text`
/// (`text` must parse; used for the line of each marketplace entry).
pub fn item_offsets(text: &str, key: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    let mut in_array = false;
    let mut expect_item = false;
    let mut last_key: Option<(usize, usize)> = None;
    let needle = format!("\"{key}\"");
    while i < b.len() {
        let c = b[i];
        match c {
            b'"' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if in_array && expect_item && depth == 2 {
                    out.push(start);
                    expect_item = false;
                }
                if depth == 1 {
                    last_key = Some((start, i + 1));
                }
            }
            b'{' | b'[' => {
                if in_array && expect_item && depth == 2 {
                    out.push(i);
                    expect_item = false;
                }
                depth += 1;
                if c == b'[' && depth == 2 {
                    if let Some((s, e)) = last_key {
                        if text.get(s..e) == Some(needle.as_str()) {
                            in_array = true;
                            expect_item = true;
                        }
                    }
                }
            }
            b'}' | b']' => {
                if c == b']' && depth == 2 && in_array {
                    return out;
                }
                depth = depth.saturating_sub(1);
            }
            b',' if in_array && depth == 2 => expect_item = true,
            c if in_array && expect_item && depth == 2 && !c.is_ascii_whitespace() => {
                out.push(i);
                expect_item = false;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Reads a JSON object; unreadable or invalid JSON is a warning (rule `manifest`) with line
/// and column. Returns the object and the text.
fn read_json(path: &Path, diags: &Diagnostics) -> Option<(Map<String, Value>, String)> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            diags
                .push(Diagnostic::warning("manifest", format!("cannot read: {e}")).at(clean(path)));
            return None;
        }
    };
    let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
    match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(m)) => Some((m, body.to_string())),
        Ok(_) => {
            diags.push(
                Diagnostic::warning("manifest", "manifest must be a JSON object; ignored")
                    .at(clean(path))
                    .line(1),
            );
            None
        }
        Err(e) => {
            diags.push(
                Diagnostic::warning("manifest", format!("invalid JSON: {e}; ignored"))
                    .at(clean(path))
                    .line(e.line())
                    .column(e.column())
                    .hint("fix the JSON (trailing commas and comments are not allowed)"),
            );
            None
        }
    }
}

fn str_of(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A string or a list of strings as a list.
fn list_of(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plugins_inferred_from_two_kinds_of_parts() {
        let dir = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write("only-skills/skills/x/SKILL.md", "---\nname: x\n---\n");
        write("pair/agents/a.md", "a");
        write("pair/commands/c.md", "c");
        write("hooked/skills/y/SKILL.md", "---\nname: y\n---\n");
        write("hooked/hooks/hooks.json", "{\"hooks\": {}}");
        write("agents/root.md", "r");
        write("commands/root.md", "r");
        let diags = Diagnostics::new();
        let files: Vec<(&str, std::path::PathBuf)> = [
            "agents/root.md",
            "commands/root.md",
            "hooked/hooks/hooks.json",
            "hooked/skills/y/SKILL.md",
            "only-skills/skills/x/SKILL.md",
            "pair/agents/a.md",
            "pair/commands/c.md",
        ]
        .iter()
        .map(|r| (*r, dir.path().join(r)))
        .collect();
        let m = read(
            dir.path(),
            files.iter().map(|(r, a)| (*r, a.as_path())),
            &diags,
        );
        assert_eq!(m.inferred, ["hooked", "pair"]);
        assert_eq!(m.parts["pair"].agents, ["pair/agents/a.md"]);
        assert_eq!(m.parts["pair"].commands, ["pair/commands/c.md"]);
        assert!(
            !m.parts.contains_key(""),
            "the content root is never inferred"
        );
        assert!(diags.sorted().is_empty());
    }

    #[test]
    fn manifest_paths() {
        for (rel, dir) in [
            (".claude-plugin", true),
            ("p/.claude-plugin/plugin.json", false),
            ("p/.codex-plugin/plugin.json", false),
            (".github", true),
            (".github/plugin/marketplace.json", false),
            (".agents/plugins/marketplace.json", false),
            ("p/.mcp.json", false),
            ("p/.lsp.json", false),
        ] {
            assert!(is_manifest_path(rel, dir), "{rel}");
        }
        for (rel, dir) in [
            (".github/workflows", true),
            (".env", false),
            (".claude/settings.json", false),
            ("node_modules/p/.claude-plugin/plugin.json", false),
            (".git", true),
        ] {
            assert!(!is_manifest_path(rel, dir), "{rel}");
        }
    }

    #[test]
    fn item_offsets_find_each_entry() {
        let text = "{\n  \"name\": \"m\",\n  \"x\": [1],\n  \"plugins\": [\n    {\"name\": \"a\", \"v\": [1, {\"b\": 2}]},\n    \"s\",\n    {\"name\": \"c\"}\n  ]\n}";
        let lines: Vec<usize> = item_offsets(text, "plugins")
            .into_iter()
            .map(|o| line_col(text, o).0)
            .collect();
        assert_eq!(lines, [5, 6, 7]);
        assert!(item_offsets("{\"plugins\": []}", "plugins").is_empty());
    }

    #[test]
    fn sources_of_every_type() {
        let s = |j: &str| source_of(serde_json::from_str::<Value>(j).ok().as_ref());
        assert_eq!(s("\"./p\"").kind, "path");
        let g = s("{\"source\": \"github\", \"repo\": \"o/r\", \"ref\": \"v1\", \"sha\": \"abc\"}");
        assert_eq!(
            (
                g.kind.as_str(),
                g.repo.as_deref(),
                g.git_ref.as_deref(),
                g.sha.as_deref()
            ),
            ("github", Some("o/r"), Some("v1"), Some("abc"))
        );
        let n = s("{\"source\": \"npm\", \"package\": \"@a/b\", \"version\": \"1.2.0\"}");
        assert_eq!(
            (n.package.as_deref(), n.git_ref.as_deref()),
            (Some("@a/b"), Some("1.2.0"))
        );
        let d = s(
            "{\"source\": \"git-subdir\", \"url\": \"https://x/y.git\", \"path\": \"plugins/z\"}",
        );
        assert!(d.is_remote());
        assert_eq!(d.path.as_deref(), Some("plugins/z"));
        assert_eq!(s("\"https://x/y.git\"").kind, "url");
    }

    #[test]
    fn hooks_mcp_and_lsp_with_lines() {
        let text = "{\n\"hooks\": {\n \"PreToolUse\": [\n  {\"matcher\": \"Bash\", \"hooks\": [\n   {\"type\": \"command\", \"command\": \"a.sh\"},\n   {\"type\": \"prompt\", \"prompt\": \"check\"}]}]}}";
        let v: Value = serde_json::from_str(text).unwrap();
        let h = parse_hooks(&v, Some(text), "h.json", 1);
        assert_eq!(h.len(), 2);
        assert_eq!(
            (h[0].kind.as_str(), h[0].command.as_deref(), h[0].line),
            ("command", Some("a.sh"), 5)
        );
        assert_eq!(
            (h[1].kind.as_str(), h[1].url.as_deref(), h[1].line),
            ("prompt", Some("check"), 6)
        );
        let text = "{\"mcpServers\": {\n\"db\": {\"command\": \"npx\", \"args\": [\"-y\", \"db\"]},\n\"web\": {\"type\": \"http\", \"url\": \"https://x\"},\n\"bad\": {}}}";
        let m = parse_mcp_servers(&serde_json::from_str(text).unwrap(), text, ".mcp.json");
        assert_eq!(m.len(), 2);
        assert_eq!(
            (m[0].name.as_str(), m[0].line, m[0].args.len()),
            ("db", 2, 2)
        );
        assert_eq!(
            (m[1].transport.as_deref(), m[1].url.as_deref(), m[1].line),
            (Some("http"), Some("https://x"), 3)
        );
        let text = "{\"go\": {\"command\": \"gopls\", \"args\": [\"serve\"], \"extensionToLanguage\": {\".go\": \"go\"}}}";
        let l = parse_lsp_servers(&serde_json::from_str(text).unwrap(), text, ".lsp.json");
        assert_eq!(
            (
                l[0].name.as_str(),
                l[0].languages.clone(),
                l[0].extensions.clone()
            ),
            ("go", vec!["go".to_string()], vec![".go".to_string()])
        );
    }
}
