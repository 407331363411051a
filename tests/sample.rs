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
