//! JSON manifests that describe packs and skills:
//! Claude Code's `.claude-plugin/plugin.json` and `.claude-plugin/marketplace.json`
//! (<https://docs.claude.com/en/docs/claude-code/plugins-reference>), and `skill.json` skill
//! manifests (name, version, description, author, license, dependencies, permissions,
//! entrypoint, exports — the format of the milestone spec in the sample content).
//!
//! Unreadable or invalid JSON is a warning with file and line; the rest of the site builds.

use std::path::Path;

use serde_json::{Map, Value};

use crate::diagnostics::{Diagnostic, Diagnostics};
pub use crate::model::manifests::{
    Manifests, Marketplace, MarketplacePlugin, PluginManifest, SkillManifest,
};
use crate::util::path::{clean, rel_path};

/// Finds and reads the manifests below `src` (skipping `.git`, `node_modules`, `target`).
pub fn load(src: &Path, diags: &Diagnostics) -> Manifests {
    let mut out = Manifests::default();
    let walker = walkdir::WalkDir::new(src)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let n = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(n == ".git"
                    || n == "node_modules"
                    || n == "target"
                    || (n.starts_with('.') && n != ".claude-plugin" && e.file_type().is_dir()))
        });
    for e in walker.flatten() {
        if !e.file_type().is_file() {
            continue;
        }
        let name = e.file_name().to_string_lossy();
        let in_plugin_dir = e
            .path()
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|n| n == ".claude-plugin");
        let kind = match (name.as_ref(), in_plugin_dir) {
            ("plugin.json", true) => 0,
            ("marketplace.json", true) => 1,
            ("skill.json", false) => 2,
            _ => continue,
        };
        let Some(data) = read_json(e.path(), diags) else {
            continue;
        };
        let file_dir = e.path().parent().unwrap_or(src);
        let folder = if kind == 2 {
            rel_path(src, file_dir)
        } else {
            rel_path(src, file_dir.parent().unwrap_or(src))
        };
        match kind {
            0 => out.plugins.push(PluginManifest {
                name: str_of(&data, "name")
                    .unwrap_or_else(|| folder.rsplit('/').next().unwrap_or("").to_string()),
                description: str_of(&data, "description").unwrap_or_default(),
                version: str_of(&data, "version"),
                folder,
            }),
            1 => out.marketplaces.push(marketplace(&data, &folder)),
            _ => out.skills.push(SkillManifest {
                source: rel_path(src, e.path()),
                folder,
                data,
            }),
        }
    }
    out
}

fn marketplace(data: &Map<String, Value>, folder: &str) -> Marketplace {
    let plugins = data
        .get("plugins")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_object)
                .map(|p| {
                    let resolve = |s: &str| crate::util::path::join_rel(folder, s);
                    MarketplacePlugin {
                        name: str_of(p, "name").unwrap_or_default(),
                        description: str_of(p, "description").unwrap_or_default(),
                        version: str_of(p, "version"),
                        folder: p.get("source").and_then(Value::as_str).map(resolve),
                        skills: p.get("skills").and_then(Value::as_array).map(|a| {
                            a.iter()
                                .filter_map(Value::as_str)
                                .map(|s| {
                                    let base = p
                                        .get("source")
                                        .and_then(Value::as_str)
                                        .map(resolve)
                                        .unwrap_or_else(|| folder.to_string());
                                    crate::util::path::join_rel(&base, s)
                                })
                                .collect()
                        }),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    Marketplace {
        name: str_of(data, "name").unwrap_or_default(),
        plugins,
    }
}

fn read_json(path: &Path, diags: &Diagnostics) -> Option<Map<String, Value>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            diags
                .push(Diagnostic::warning("manifest", format!("cannot read: {e}")).at(clean(path)));
            return None;
        }
    };
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(m)) => Some(m),
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
    map.get(key).and_then(Value::as_str).map(str::to_string)
}
