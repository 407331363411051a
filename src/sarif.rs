//! SARIF 2.1.0 output of `skillsite check --format sarif`: every diagnostic as a result, for
//! code-scanning tools (GitHub code scanning, IDE SARIF viewers).
//!
//! One run; `tool.driver` names skillsite with its version and lists the rules that occur
//! (audit rules with their description and a `helpUri` into `docs/security.md`, the other
//! content rules with their summary and `docs/lints.md`); each result
//! has `ruleId`, `level` (`error`, `warning`, `note`), `message.text` (message and hint) and a
//! location relative to the project root (`uriBaseId` `%SRCROOT%`), with `startLine` when
//! the line is known.

use std::path::Path;

use serde_json::{json, Value};

use crate::diagnostics::{Diagnostic, Severity};
use crate::util::path::clean;

/// The tool's home page, SARIF `informationUri`.
pub const INFORMATION_URI: &str = "https://github.com/skillsite/skillsite";

/// The SARIF 2.1.0 log of `diags`, with file paths made relative to `root` (the project folder
/// as given on the command line). With `strict`, warnings are reported as errors, as the
/// human output does.
pub fn sarif(diags: &[Diagnostic], root: &Path, strict: bool) -> Value {
    let root = clean(root);
    let mut rule_ids: Vec<&'static str> = diags.iter().map(|d| d.rule).collect();
    rule_ids.sort_unstable();
    rule_ids.dedup();
    let rules: Vec<Value> = rule_ids.iter().map(|id| rule(id)).collect();
    let results: Vec<Value> = diags
        .iter()
        .map(|d| {
            let level = match d.severity {
                Severity::Warning if strict => "error",
                s => level(s),
            };
            let mut text = d.message.clone();
            if let Some(h) = &d.hint {
                text.push_str(". ");
                text.push_str(h);
            }
            let mut result = json!({
                "ruleId": d.rule,
                "ruleIndex": rule_ids.iter().position(|r| *r == d.rule).unwrap_or(0),
                "level": level,
                "message": { "text": text },
            });
            if let Some(file) = &d.file {
                let rel = file.strip_prefix(&root).unwrap_or(file);
                let uri = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .filter(|c| c != "/" && !c.is_empty())
                    .collect::<Vec<_>>()
                    .join("/");
                let mut physical = json!({
                    "artifactLocation": { "uri": uri, "uriBaseId": "%SRCROOT%" }
                });
                if let Some(line) = d.line {
                    let mut region = json!({ "startLine": line });
                    if let Some(col) = d.column {
                        region["startColumn"] = json!(col);
                    }
                    physical["region"] = region;
                }
                result["locations"] = json!([{ "physicalLocation": physical }]);
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "skillsite",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": INFORMATION_URI,
                    "rules": rules,
                }
            },
            "results": results,
        }]
    })
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Note => "note",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

/// The SARIF `reportingDescriptor` of a rule.
fn rule(id: &str) -> Value {
    match crate::transform::audit::RULES
        .iter()
        .find(|(r, _, _)| *r == id)
    {
        Some((_, severity, description)) => json!({
            "id": id,
            "shortDescription": { "text": description },
            "helpUri": format!("{INFORMATION_URI}/blob/main/docs/security.md#{id}"),
            "defaultConfiguration": { "level": level(*severity) },
        }),
        None => match crate::model::lints::find(id) {
            // The other content rules: their summary and `check` severity (docs/lints.md).
            Some(r) => json!({
                "id": id,
                "shortDescription": { "text": r.summary },
                "helpUri": format!("{INFORMATION_URI}/blob/main/docs/lints.md#the-rules"),
                "defaultConfiguration": { "level": level(r.check) },
            }),
            None => json!({
                "id": id,
                "shortDescription": { "text": format!("skillsite check rule `{id}`") },
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sarif_has_rules_results_and_relative_locations() {
        let diags = vec![
            Diagnostic::error(
                "hidden-unicode",
                "hidden text: U+202E RIGHT-TO-LEFT OVERRIDE",
            )
            .at("proj/content/pack/s/SKILL.md")
            .line(7)
            .hint("remove them"),
            Diagnostic::note("hook-command", "runs `x` on SessionStart")
                .at("proj/content/hooks/hooks.json"),
            Diagnostic::warning("broken-link", "link `x.md` does not resolve")
                .at("proj/content/a.md")
                .line(2)
                .column(3),
            Diagnostic::warning("config", "no book.toml"),
        ];
        let v = sarif(&diags, Path::new("./proj"), false);
        assert_eq!(v["version"], "2.1.0");
        assert_eq!(
            v["$schema"],
            "https://json.schemastore.org/sarif-2.1.0.json"
        );
        let run = &v["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "skillsite");
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(
            ids,
            ["broken-link", "config", "hidden-unicode", "hook-command"]
        );
        assert_eq!(
            rules[2]["helpUri"],
            "https://github.com/skillsite/skillsite/blob/main/docs/security.md#hidden-unicode"
        );
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 4);
        assert_eq!(results[0]["level"], "error");
        assert_eq!(
            results[0]["message"]["text"],
            "hidden text: U+202E RIGHT-TO-LEFT OVERRIDE. remove them"
        );
        let loc = &results[0]["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "content/pack/s/SKILL.md");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(loc["region"]["startLine"], 7);
        assert_eq!(results[1]["level"], "note");
        assert!(results[1]["locations"][0]["physicalLocation"]
            .get("region")
            .is_none());
        assert_eq!(
            results[2]["locations"][0]["physicalLocation"]["region"]["startColumn"],
            3
        );
        assert!(results[3].get("locations").is_none());
        assert_eq!(results[3]["ruleIndex"], 1);
        let strict = sarif(&diags, Path::new("proj"), true);
        assert_eq!(strict["runs"][0]["results"][2]["level"], "error");
        assert_eq!(strict["runs"][0]["results"][1]["level"], "note");
    }
}
