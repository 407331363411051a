//! The manifests found in a content folder, as plain data: Claude Code's
//! `.claude-plugin/plugin.json` and `.claude-plugin/marketplace.json`
//! (<https://docs.claude.com/en/docs/claude-code/plugins-reference>) and `skill.json` skill
//! manifests. The loader (`load::manifests`) finds and reads them.

use serde_json::{Map, Value};

/// A `plugin.json`.
#[derive(Debug, Clone, PartialEq)]
pub struct PluginManifest {
    /// Content-relative folder of the plugin (the folder holding `.claude-plugin/`).
    pub folder: String,
    /// Plugin name.
    pub name: String,
    /// Description, or empty.
    pub description: String,
    /// Version, if given.
    pub version: Option<String>,
}

/// One plugin entry of a `marketplace.json`.
#[derive(Debug, Clone, PartialEq)]
pub struct MarketplacePlugin {
    /// Plugin name.
    pub name: String,
    /// Description, or empty.
    pub description: String,
    /// Version, if given.
    pub version: Option<String>,
    /// Content-relative folder of the plugin's source (`None` for remote sources).
    pub folder: Option<String>,
    /// Content-relative skill folders the entry carves out (`skills: [...]`), if any.
    pub skills: Option<Vec<String>>,
}

/// A `marketplace.json`.
#[derive(Debug, Clone, PartialEq)]
pub struct Marketplace {
    /// Marketplace name.
    pub name: String,
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

/// Every manifest found in the content folder.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Manifests {
    /// `plugin.json` files.
    pub plugins: Vec<PluginManifest>,
    /// `marketplace.json` files.
    pub marketplaces: Vec<Marketplace>,
    /// `skill.json` files.
    pub skills: Vec<SkillManifest>,
}
