//! Issue 11, part 1: every place a 2026 repository keeps skills — agent dot-folders, hidden
//! category folders inside `skills/`, nested skills — found once each; symbolic links that
//! alias a skill, lead outside the project or loop; `.gitignore`, caches and secrets skipped.

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::symlink;
use std::path::Path;

use common::{fixture, read, run, skillsite};
use serde_json::Value;

fn write(path: impl AsRef<Path>, text: &str) {
    let path = path.as_ref();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn skill_md(name: &str) -> String {
    format!("---\nname: {name}\ndescription: Should not be published.\n---\nbody\n")
}

#[test]
fn every_skill_root_is_found_once() {
    let (tmp, p) = fixture("layouts");
    // A skills folder linked for another agent, and one skill linked into a second folder.
    std::fs::create_dir_all(p.join(".windsurf")).unwrap();
    symlink("../skills", p.join(".windsurf/skills")).unwrap();
    symlink(
        "../../skills/.curated/curated-skill",
        p.join(".agents/skills/curated-skill"),
    )
    .unwrap();
    // A link out of the project and a loop.
    write(tmp.path().join("outside/secret.md"), "# private\n");
    symlink(tmp.path().join("outside"), p.join("skills/parent/outside")).unwrap();
    symlink("..", p.join("skills/parent/child/loop")).unwrap();
    // What is ignored, hidden or not content.
    write(p.join(".gitignore"), "drafts/\n");
    write(p.join("drafts/wip/SKILL.md"), &skill_md("wip"));
    write(p.join("skills/parent/.env"), "TOKEN=secret\n");
    write(
        p.join("node_modules/pkg/SKILL.md"),
        &skill_md("from-node-modules"),
    );
    write(p.join(".venv/lib/SKILL.md"), &skill_md("from-venv"));
    for i in 0..3000 {
        write(p.join(format!(".cache/blobs/{i}.md")), "# cached\n");
    }

    let (code, _, err) = run(skillsite(&p).arg("build"));
    assert_eq!(code, 0, "warnings only: {err}");
    let book = p.join("book");
    let catalog: Value = serde_json::from_str(&read(book.join("catalog.json"))).unwrap();
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for s in catalog["skills"].as_array().unwrap() {
        *count.entry(s["name"].as_str().unwrap().into()).or_default() += 1;
    }
    let expected = [
        "agents-only",
        "child",
        "claude-only",
        "codex-only",
        "curated-skill",
        "cursor-only",
        "experimental-skill",
        "gemini-only",
        "github-only",
        "opencode-only",
        "parent",
        "system-skill",
    ];
    assert_eq!(
        count.keys().map(String::as_str).collect::<Vec<_>>(),
        expected,
        "{err}"
    );
    assert!(
        count.values().all(|&n| n == 1),
        "each skill once: {count:?}"
    );

    let skill = |name: &str| {
        catalog["skills"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(
        skill("curated-skill")["aliases"],
        serde_json::json!([
            ".agents/skills/curated-skill",
            ".windsurf/skills/.curated/curated-skill"
        ])
    );
    assert_eq!(
        skill("parent")["aliases"],
        serde_json::json!([".windsurf/skills/parent"])
    );
    assert_eq!(skill("claude-only")["aliases"], serde_json::json!([]));

    // Pages where the files are; nothing at the alias paths.
    for page in [
        ".claude/skills/claude-only/index.html",
        ".github/skills/github-only/index.html",
        "skills/.curated/curated-skill/index.html",
        "skills/.system/system-skill/index.html",
        "skills/parent/index.html",
        "skills/parent/child/index.html",
        "skills/parent/reference.html",
    ] {
        assert!(book.join(page).is_file(), "{page} missing");
    }
    for absent in [
        ".windsurf",
        ".agents/skills/curated-skill",
        ".github/workflows",
        ".claude/settings.json",
        "skills/parent/.env",
        "skills/parent/outside",
        "drafts",
        "node_modules",
        ".venv",
        ".cache",
    ] {
        assert!(!book.join(absent).exists(), "{absent} was published");
    }
    assert!(
        book.join(".nojekyll").is_file(),
        "GitHub Pages would drop dot-folders"
    );

    // One warning per link problem, at the real path.
    assert_eq!(err.matches("warning[symlink-outside]").count(), 1, "{err}");
    assert!(
        err.contains("skills/parent/outside: warning[symlink-outside]"),
        "{err}"
    );
    assert_eq!(err.matches("warning[symlink-loop]").count(), 1, "{err}");
    assert!(
        err.contains("skills/parent/child/loop: warning[symlink-loop]"),
        "{err}"
    );
}

fn skill_entry(catalog: &Value, name: &str) -> Value {
    catalog["skills"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no skill {name}"))
        .clone()
}

fn commands(entry: &Value, agent: &str) -> Vec<String> {
    entry["install"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["agent"] == agent)
        .map(|m| m["command"].as_str().unwrap().to_string())
        .collect()
}

/// Issue 11, parts 5 and 6: a skill is titled by its name; Claude Code's fields are explained;
/// the `metadata` map is a definition list; author, version and licence are chips; install
/// commands per agent, from the repository URL or in the "from a clone" form.
#[test]
fn skill_page_title_fields_and_install_tabs() {
    let (_t, p) = fixture("layouts");
    write(
        p.join("skills/quoted/SKILL.md"),
        "---\nname: x; rm -rf ~\ndescription: A hostile name.\n---\nbody\n",
    );
    let (code, _, err) = run(skillsite(&p).arg("build"));
    assert_eq!(code, 0, "spec findings are warnings in build: {err}");
    let book = p.join("book");
    let html = read(book.join("skills/parent/index.html"));
    assert!(
        html.contains("<title>parent"),
        "the name, not the first heading"
    );
    assert!(html
        .contains("<dl class=\"metadata-map\"><dt><code>author</code></dt><dd>Example Org</dd>"));
    assert!(!html.contains("&lt;br&gt;") && !html.contains("&lt;br /&gt;"));
    assert!(html.contains(
        "<span class=\"metadata-about\">Claude Code: when true, only a person starts the skill"
    ));
    assert!(html.contains("title=\"author\">by Example Org</span>"));
    assert!(html.contains("title=\"version\">v1.2.0</span>"));
    assert!(html.contains("title=\"license\">Apache-2.0</span>"));
    // No repository known: the commands run in a clone, and say so.
    let catalog: Value = serde_json::from_str(&read(book.join("catalog.json"))).unwrap();
    let parent = skill_entry(&catalog, "parent");
    assert_eq!(
        commands(&parent, "any"),
        ["npx skills add . --skill parent"]
    );
    assert_eq!(
        commands(&parent, "claude-code"),
        [
            "npx skills add . --skill parent -a claude-code",
            "cp -r skills/parent ~/.claude/skills/parent"
        ]
    );
    assert!(html.contains("<label class=\"tab-label\" for=\"install-codex\">Codex</label>"));
    assert!(html.contains("<code>npx skills add . --skill parent -a github-copilot</code>"));
    assert!(html.contains("in a clone of this repository"));
    // A name from a hostile pack is one quoted shell word.
    let quoted = skill_entry(&catalog, "x; rm -rf ~");
    assert_eq!(
        commands(&quoted, "any"),
        ["npx skills add . --skill 'x; rm -rf ~'"]
    );

    // With the repository named in book.toml: the GitHub shorthand and a clone.
    write(
        p.join("book.toml"),
        "[book]\ntitle = \"Layouts\"\nsrc = \".\"\n[output.html]\ngit-repository-url = \"https://github.com/example/layouts\"\n",
    );
    let (code, _, err) = run(skillsite(&p).arg("build"));
    assert_eq!(code, 0, "{err}");
    let catalog: Value = serde_json::from_str(&read(book.join("catalog.json"))).unwrap();
    let parent = skill_entry(&catalog, "parent");
    assert_eq!(
        commands(&parent, "claude-code"),
        [
            "npx skills add example/layouts --skill parent -a claude-code",
            "git clone --depth 1 -- https://github.com/example/layouts.git /tmp/skillsite-parent && cp -r /tmp/skillsite-parent/skills/parent ~/.claude/skills/parent"
        ]
    );
    assert_eq!(
        commands(&parent, "gemini-cli"),
        ["npx skills add example/layouts --skill parent -a gemini-cli"]
    );
}
