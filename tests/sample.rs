//! The bundled sample site (`content/`, built from the seed documents) renders as the
//! README promises: one page per seed, mojibake repaired, prompt tags as sections, task progress.

mod common;

use std::path::Path;

use common::{read, run, skillsite};

fn build_sample() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("book");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, _, err) = run(skillsite(root).arg("build").arg(".").arg("-d").arg(&out));
    assert_eq!(code, 0, "{err}");
    (t, out, err)
}

#[test]
fn every_seed_has_a_page() {
    let (_t, out, err) = build_sample();
    for page in [
        "index.html",
        "axiom-cloud-infrastructure/index.html",
        "platform-skills/platform-engineering-devops/index.html",
        "platform-skills/devops-crypto-architect/index.html",
        "architecture/aspora-production-architecture.html",
        "milestones/skill-registry-milestone.html",
        "runbooks/index.html",
    ] {
        assert!(out.join(page).is_file(), "{page} missing; {err}");
    }
    // The one expected warning family: seed 003 is mojibake, seed 004 links to local files.
    assert!(
        err.contains("aspora-production-architecture.md: warning[mojibake]"),
        "{err}"
    );
}

#[test]
fn seed_003_mojibake_is_repaired() {
    let (_t, out, _) = build_sample();
    let html = read(out.join("architecture/aspora-production-architecture.html"));
    assert!(html.contains("┌──"));
    assert!(!html.contains("â”"));
    assert!(!html.contains("â€"));
    assert!(html.contains("Aspora Platform — Production Engineering Architecture"));
    // Its hand-written table of contents links resolve to the generated heading ids.
    assert!(html.contains("href=\"#model-training--feedback-loop\""));
    assert!(html.contains("id=\"model-training--feedback-loop\""));
    // Languages highlighted: TypeScript, Python, YAML.
    for lang in ["typescript", "python", "yaml"] {
        assert!(html.contains(&format!("data-lang=\"{lang}\"")), "{lang}");
    }
}

#[test]
fn seed_002_prompt_tags_render_markdown_inside() {
    let (_t, out, _) = build_sample();
    let html = read(out.join("platform-skills/devops-crypto-architect/index.html"));
    assert!(!html.contains("&lt;objective&gt;"));
    assert!(!html.contains("&lt;zone_constraints&gt;"));
    assert!(html.contains("data-tag=\"zone_constraints\""));
    let zone = html.find("data-tag=\"zone_constraints\"").unwrap();
    let table = html[zone..].find("<table>").unwrap();
    let close = html[zone..].find("</details>").unwrap();
    assert!(
        table < close,
        "the zone table renders as <table> inside its section"
    );
}

#[test]
fn seed_004_shows_task_progress() {
    let (_t, out, _) = build_sample();
    let html = read(out.join("milestones/skill-registry-milestone.html"));
    assert_eq!(
        html.matches("<input type=\"checkbox\" disabled").count(),
        190
    );
    assert!(html.contains("of 190 tasks"), "progress summary");
    assert!(html.contains("data-lang=\"typescript\""));
    assert!(html.contains("data-lang=\"bash\""));
}

#[test]
fn seed_001_setext_and_rules_follow_commonmark() {
    let (_t, out, _) = build_sample();
    let html = read(out.join("platform-skills/platform-engineering-devops/index.html"));
    assert!(
        html.contains("<h2 id=\"1-purpose\">"),
        "numbered sections become headings"
    );
    assert!(html.contains("<hr"), "rules stay rules");
}

#[test]
fn axiom_pack_catalog_matches_the_plan() {
    let (_t, out, err) = build_sample();
    let c: serde_json::Value = serde_json::from_str(&read(out.join("catalog.json"))).unwrap();
    let axiom: Vec<&serde_json::Value> = c["skills"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["pack"] == "axiom-cloud-infrastructure")
        .collect();
    assert_eq!(axiom.len(), 12, "12 skills from seed 000");
    let written: Vec<&str> = axiom
        .iter()
        .filter(|s| s["planned"] == false)
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        written,
        ["terraform-state-management"],
        "the one SKILL.md supersedes its plan section"
    );
    let cps = axiom
        .iter()
        .find(|s| s["name"] == "cloud-provider-selection")
        .unwrap();
    assert_eq!(cps["types"], serde_json::json!(["Pattern", "Reference"]));
    assert_eq!(cps["level"], "Fundamental");
    let deps = c["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["kind"] == "depends-on"
                && e["from"]
                    .as_str()
                    .unwrap()
                    .starts_with("axiom-cloud-infrastructure:")
        })
        .count();
    assert_eq!(deps, 10, "the 10 edges of the **Dependencies:** lines");
    // The computed type table counts cloud-provider-selection under Pattern and Reference,
    // and the hand-written appendix draws a warning.
    let pack = read(out.join("axiom-cloud-infrastructure/index.html"));
    let table = &pack
        [pack.find("class=\"type-table\"").unwrap()..pack.find("class=\"level-table\"").unwrap()];
    let pattern = &table[table.find("Pattern</td>").unwrap()..];
    let pattern = &pattern[..pattern.find("</tr>").unwrap()];
    assert!(
        pattern.contains("<td class=\"num\">5</td>")
            && pattern.contains("cloud-provider-selection"),
        "{pattern}"
    );
    let reference = &table[table.find("Reference</td>").unwrap()..];
    assert!(reference[..reference.find("</tr>").unwrap()].contains("cloud-provider-selection"));
    assert!(
        err.contains("axiom-cloud-infrastructure/README.md:874: warning[type-table]"),
        "{err}"
    );
    assert!(pack.contains("<svg class=\"diagram\""));
    assert!(pack.contains("<strong>1</strong> of 12 skills written"));
}

#[test]
fn superpowers_corpus_builds_with_diagrams_and_edges() {
    // A trimmed copy of the MIT superpowers pack (tests/fixtures/superpowers/VENDORED.md).
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/superpowers");
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("sp");
    let (code, _, err) = run(skillsite(Path::new(env!("CARGO_MANIFEST_DIR")))
        .arg("build")
        .arg(&corpus)
        .arg("-d")
        .arg(&out));
    assert_eq!(code, 0, "{err}");
    let c: serde_json::Value = serde_json::from_str(&read(out.join("catalog.json"))).unwrap();
    assert_eq!(c["skills"].as_array().unwrap().len(), 14);
    assert_eq!(c["packs"][0]["name"], "superpowers");
    let edge = |from: &str, kind: &str, to: &str| {
        c["edges"].as_array().unwrap().iter().any(|e| {
            e["from"] == format!("superpowers:{from}")
                && e["kind"] == kind
                && e["to"] == format!("superpowers:{to}")
        })
    };
    assert!(
        edge(
            "executing-plans",
            "depends-on",
            "finishing-a-development-branch"
        ),
        "REQUIRED SUB-SKILL"
    );
    assert!(
        edge(
            "systematic-debugging",
            "cross-ref",
            "test-driven-development"
        ),
        "superpowers:x mention"
    );
    let tdd = read(out.join("skills/test-driven-development/index.html"));
    assert!(tdd.contains("<svg class=\"diagram\""), "```dot fence drawn");
    assert!(tdd.contains("Used by"));
    let finishing = read(out.join("skills/finishing-a-development-branch/index.html"));
    assert!(
        finishing.contains("href=\"../../skills/executing-plans/index.html\""),
        "used-by link"
    );
    for skill in ["brainstorming", "writing-skills", "using-superpowers"] {
        assert!(out.join(format!("skills/{skill}/index.html")).is_file());
    }
}
