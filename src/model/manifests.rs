//! The manifests found in a content folder, as plain data, and the plugin parts they point at.
//!
//! Formats read (the loader, `load::manifests`, finds and reads them):
//! - Claude Code: `.claude-plugin/plugin.json` and `.claude-plugin/marketplace.json`
//!   (<https://docs.claude.com/en/docs/claude-code/plugins-reference>,
//!   <https://code.claude.com/docs/en/plugins/marketplace-reference>), and the plugin parts:
//!   `agents/*.md`, `commands/*.md`, `output-styles/*.md`, `hooks/hooks.json`, `.mcp.json`,
//!   `.lsp.json`, or the custom paths and inline objects of `plugin.json`;
//! - OpenAI Codex: `.codex-plugin/plugin.json` (with its `interface` block), the marketplace
//!   `.agents/plugins/marketplace.json` (entries' `source: {"source": "local", "path"}`) and a
//!   skill's `agents/openai.yaml` (<https://developers.openai.com/codex/plugins/build>);
//! - GitHub Copilot: `.github/plugin/marketplace.json`, `.github/plugin/plugin.json` and
//!   `*.agent.md` agent files;
//! - Gemini CLI: `gemini-extension.json` and its context file (`GEMINI.md` by default);
//! - `skill.json` skill manifests.

use serde::Serialize;
use serde_json::{Map, Value};

/// Target agent ids, as used in `catalog.json` (`skills[].agents`, `packs[].agents`).
pub mod target {
    /// Anthropic's Claude Code (`.claude-plugin/`, `SKILL.md`, `agents/*.md`).
    pub const CLAUDE_CODE: &str = "claude-code";
    /// OpenAI's Codex (`.codex-plugin/`, `agents/openai.yaml`).
    pub const CODEX: &str = "codex";
    /// GitHub Copilot (`.github/plugin/`, `*.agent.md`).
    pub const COPILOT: &str = "copilot";
    /// Google's Gemini CLI (`gemini-extension.json`).
    pub const GEMINI: &str = "gemini";
}

/// Metadata shared by a plugin manifest and a marketplace entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PluginInfo {
    /// Plugin name.
    pub name: String,
    /// Description, or empty.
    pub description: String,
    /// Version, if given.
    pub version: Option<String>,
    /// Author name (`author` as a string, or `author.name`).
    pub author: Option<String>,
    /// Licence id (`license`), as written.
    pub license: Option<String>,
    /// Homepage URL as written (the render stage passes it through `util::url`).
    pub homepage: Option<String>,
    /// Repository URL as written (a string, or `repository.url`).
    pub repository: Option<String>,
    /// Keywords (`keywords`, and marketplace `tags`).
    pub keywords: Vec<String>,
    /// Category (`category`, Codex `interface.category`).
    pub category: Option<String>,
}

/// Codex's `interface` block of `.codex-plugin/plugin.json`, or a skill's `agents/openai.yaml`
/// `interface` (display name, short description, icon, brand colour).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Interface {
    /// `displayName` / `display_name`.
    pub display_name: Option<String>,
    /// `shortDescription` / `short_description`.
    pub short_description: Option<String>,
    /// `longDescription`.
    pub long_description: Option<String>,
    /// `developerName`.
    pub developer: Option<String>,
    /// `category`.
    pub category: Option<String>,
    /// Icon path or URL as written (`composerIcon`, `logo`, `icon_small`, `icon_large`).
    pub icon: Option<String>,
    /// `brandColor` / `brand_color`, as written (`#F59E0B`).
    pub brand_color: Option<String>,
    /// `websiteURL`.
    pub website: Option<String>,
    /// `defaultPrompt` (one or several suggested prompts).
    pub default_prompts: Vec<String>,
}

/// Where a marketplace entry's plugin comes from (`source`): a relative folder, or a remote
/// place we have no files of. Serialized into `catalog.json` as `packs[].source`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PluginSource {
    /// `path` (relative folder), `github`, `url`, `git-subdir`, `npm`, or another `source`
    /// value as written.
    #[serde(rename = "type")]
    pub kind: String,
    /// Git URL (`url`, `git-subdir`) or registry URL (`npm` `registry`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `owner/repo` (`github`, and `git-subdir` given as a repo).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    /// npm package name (`npm`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    /// Folder inside the repository (`git-subdir` `path`), or the relative source as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Branch or tag (`ref`), or the npm `version`.
    #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
    pub git_ref: Option<String>,
    /// Commit pinned (`sha`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha: Option<String>,
}

impl PluginSource {
    /// True for a source whose files are not in this project (anything but a relative path).
    pub fn is_remote(&self) -> bool {
        self.kind != "path"
    }
}

/// One hook a plugin (or a skill's front matter) registers: event → matcher → action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HookDecl {
    /// The event it runs on: `SessionStart`, `PreToolUse`, `UserPromptSubmit`...
    pub event: String,
    /// The matcher (tool names or sources, a regex), when given.
    pub matcher: Option<String>,
    /// Hook type: `command` (the default), `prompt`, `agent`, `http`...
    #[serde(rename = "type")]
    pub kind: String,
    /// The shell command (`command` hooks), as written.
    pub command: Option<String>,
    /// The URL (`http` hooks) or the prompt (`prompt` hooks), as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Content-relative, `/`-separated file declaring it.
    pub file: String,
    /// 1-based line of the command in `file`; 0 when unknown.
    pub line: usize,
}

/// One MCP server a plugin starts or connects to (`.mcp.json` or `mcpServers`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct McpDecl {
    /// The server's key in `mcpServers`.
    pub name: String,
    /// The program started (stdio servers).
    pub command: Option<String>,
    /// Its arguments.
    pub args: Vec<String>,
    /// The URL connected to (HTTP and SSE servers; Gemini's `httpUrl` too).
    pub url: Option<String>,
    /// `type` as written (`stdio`, `http`, `sse`), if given.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub transport: Option<String>,
    /// Content-relative, `/`-separated file declaring it.
    pub file: String,
    /// 1-based line of the server's key in `file`; 0 when unknown.
    pub line: usize,
}

/// One LSP server a plugin starts (`.lsp.json` or `lspServers`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LspDecl {
    /// The server's key in `lspServers`.
    pub name: String,
    /// The program started.
    pub command: Option<String>,
    /// Its arguments.
    pub args: Vec<String>,
    /// Languages it serves (the values of `extensionToLanguage`, deduplicated, sorted).
    pub languages: Vec<String>,
    /// File extensions it serves (the keys of `extensionToLanguage`, sorted).
    pub extensions: Vec<String>,
    /// Content-relative, `/`-separated file declaring it.
    pub file: String,
    /// 1-based line of the server's key in `file`; 0 when unknown.
    pub line: usize,
}

/// The parts of one plugin folder, read from the standard places and the manifests' custom
/// paths and inline objects. Paths are content-relative and `/`-separated.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PluginParts {
    /// Agent files (`agents/*.md`, `*.agent.md`, custom `agents` paths).
    pub agents: Vec<String>,
    /// Command files (`commands/**/*.md`, custom `commands` paths).
    pub commands: Vec<String>,
    /// Output-style files (`output-styles/*.md`, custom `outputStyles` paths).
    pub output_styles: Vec<String>,
    /// Hooks (`hooks/hooks.json`, `hooks` in a manifest).
    pub hooks: Vec<HookDecl>,
    /// MCP servers (`.mcp.json`, `mcpServers` in a manifest).
    pub mcp_servers: Vec<McpDecl>,
    /// LSP servers (`.lsp.json`, `lspServers` in a manifest).
    pub lsp_servers: Vec<LspDecl>,
    /// Context files (Gemini's `contextFileName`, default `GEMINI.md`, when present).
    pub context_files: Vec<String>,
    /// Gemini CLI custom commands (`commands/**/*.toml` of an extension).
    pub toml_commands: Vec<TomlCommand>,
}

/// A Gemini CLI custom command: a TOML file with `description` and `prompt`
/// (<https://github.com/google-gemini/gemini-cli/blob/main/docs/cli/custom-commands.md>).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TomlCommand {
    /// Its name: the path below `commands/` without `.toml`, folders joined with `:`
    /// (`git/commit.toml` → `git:commit`).
    pub name: String,
    /// `description`, else the prompt's first line.
    pub description: String,
    /// Content-relative path of the file.
    pub file: String,
}

/// A plugin manifest: Claude Code's or Copilot's `plugin.json`, Codex's
/// `.codex-plugin/plugin.json`, or a Gemini `gemini-extension.json`.
#[derive(Debug, Clone, PartialEq)]
pub struct PluginManifest {
    /// Content-relative folder of the plugin (the folder holding `.claude-plugin/`).
    pub folder: String,
    /// Content-relative path of the manifest.
    pub file: String,
    /// The agent it is for ([`target`]).
    pub target: &'static str,
    /// Name, description, version, author, licence, links, keywords.
    pub info: PluginInfo,
    /// Codex's `interface` block.
    pub interface: Option<Interface>,
}

/// One plugin entry of a `marketplace.json`.
#[derive(Debug, Clone, PartialEq)]
pub struct MarketplacePlugin {
    /// Name, description, version, author, licence, links, keywords, category.
    pub info: PluginInfo,
    /// Where the plugin comes from.
    pub source: PluginSource,
    /// Content-relative folder of the plugin's source (`None` for remote sources).
    pub folder: Option<String>,
    /// Content-relative skill folders the entry carves out (`skills: [...]`), if any.
    pub skills: Option<Vec<String>>,
    /// `strict` as written (`false`: the entry is the whole manifest).
    pub strict: Option<bool>,
    /// 1-based line of the entry in the marketplace file.
    pub line: usize,
}

/// A marketplace file (Claude Code's, Copilot's or Codex's `marketplace.json`).
#[derive(Debug, Clone, PartialEq)]
pub struct Marketplace {
    /// Marketplace name.
    pub name: String,
    /// Content-relative path of the file.
    pub file: String,
    /// Content-relative marketplace root (the folder holding `.claude-plugin/`, `.github/` or
    /// `.agents/`).
    pub folder: String,
    /// The agent it is for ([`target`]).
    pub target: &'static str,
    /// Its plugins.
    pub plugins: Vec<MarketplacePlugin>,
}

/// A `skill.json`.
#[derive(Debug, Clone, PartialEq)]
pub struct SkillManifest {
    /// Content-relative folder holding it.
    pub folder: String,
    /// Content-relative path of the file.
    pub source: String,
    /// All keys.
    pub data: Map<String, Value>,
}

/// A skill's `agents/openai.yaml` (Codex's per-skill metadata).
#[derive(Debug, Clone, PartialEq)]
pub struct SkillInterface {
    /// Content-relative folder of the skill (the folder holding `agents/`).
    pub folder: String,
    /// Content-relative path of the file.
    pub file: String,
    /// What it says.
    pub interface: Interface,
}

/// Every manifest found in the content folder.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Manifests {
    /// Plugin manifests (every format), in walk order.
    pub plugins: Vec<PluginManifest>,
    /// `marketplace.json` files.
    pub marketplaces: Vec<Marketplace>,
    /// `skill.json` files.
    pub skills: Vec<SkillManifest>,
    /// Skills' `agents/openai.yaml` files.
    pub skill_interfaces: Vec<SkillInterface>,
    /// Folders that are plugins without any manifest or marketplace entry (the rule is in
    /// `load::manifests`), content-relative.
    pub inferred: Vec<String>,
    /// The parts of every plugin folder (manifest folders, local marketplace sources and
    /// inferred plugins), by content-relative folder.
    pub parts: std::collections::BTreeMap<String, PluginParts>,
}

impl Manifests {
    /// The plugin manifests of `folder`, Claude Code's first.
    pub fn plugins_in<'a>(&'a self, folder: &'a str) -> impl Iterator<Item = &'a PluginManifest> {
        self.plugins.iter().filter(move |p| p.folder == folder)
    }
}
