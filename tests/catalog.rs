//! Issue 3: the skill catalog on real files — every input format (SKILL.md, skill.json,
//! plugin.json, marketplace.json, pack plans), every lint rule, the catalog outputs and pages.

mod common;

use std::path::Path;

use common::{fixture, read, run, skillsite};
use serde_json::Value;

fn catalog_json(book: &Path) -> Value {
    serde_json::from_str(&read(book.join("catalog.json"))).expect("catalog.json is JSON")
}

fn skill<'a>(c: &'a Value, id: &str) -> &'a Value {
    c["skills"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no skill {id} in {c:#}"))
}

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_input_format_becomes_packs_and_skills() {
    let (_t, p) = fixture("catalog");
    let (code, _, err) = run(skillsite(&p).arg("build"));
    assert_eq!(
        code, 0,
        "the fixture's spec findings (duplicate, bad name) are warnings in build (docs/lints.md): {err}"
    );
    let book = p.join("book");
    assert!(book.join("index.html").is_file());
    let c = catalog_json(&book);

    // Packs: plugin.json name, folder name, marketplace entries carving one folder.
    let packs: Vec<(&str, &str)> = c["packs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["kind"].as_str().unwrap()))
        .collect();
    for expected in [
        ("alpha-pack", "plugin"),
        ("beta", "folder"),
        ("gamma", "marketplace"),
        ("delta", "marketplace"),
    ] {
        assert!(packs.contains(&expected), "{expected:?} in {packs:?}");
    }
    assert_eq!(
        names(
            &c["packs"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["name"] == "gamma")
                .unwrap()["skills"]
        ),
        ["gamma:g-one"]
    );
    assert_eq!(
        names(
            &c["packs"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["name"] == "delta")
                .unwrap()["skills"]
        ),
        ["delta:d-one"]
    );

    // SKILL.md: block-scalar description, list-valued allowed-tools kept, metadata type and tags.
    let one = skill(&c, "alpha-pack:alpha-one");
    assert_eq!(
        one["description"],
        "Use when testing block scalar descriptions."
    );
    assert_eq!(
        one["metadata"]["allowed-tools"],
        serde_json::json!(["Read", "Bash"])
    );
    assert_eq!(one["types"], serde_json::json!(["Technique"]));
    assert_eq!(one["tags"], serde_json::json!(["testing", "fixtures"]));
    assert_eq!(one["planned"], false);
    assert_eq!(one["url"], "alpha/alpha-one/index.html");
    assert_eq!(one["raw"], "alpha/alpha-one/SKILL.md");
    assert!(
        book.join("alpha/alpha-one/SKILL.md").is_file(),
        "raw SKILL.md published"
    );

    // Name that differs from its folder keeps its name.
    assert_eq!(
        skill(&c, "alpha-pack:alpha-2")["url"],
        "alpha/alpha-two/index.html"
    );

    // Planned skill from the pack plan, with "Pattern/Reference" as two types.
    let planned = skill(&c, "alpha-pack:alpha-planned");
    assert_eq!(planned["planned"], true);
    assert_eq!(
        planned["types"],
        serde_json::json!(["Pattern", "Reference"])
    );
    assert_eq!(planned["description"], "Use when planning is all there is");
    assert_eq!(planned["url"], "alpha/index.html#2-alpha-planned");
    assert_eq!(names(&planned["depends_on"]), ["alpha-pack:alpha-one"]);

    // Two packs with a skill of the same name: both kept, references resolve within the pack.
    skill(&c, "alpha-pack:shared-name");
    skill(&c, "beta:shared-name");
    assert!(names(&one["related"]).contains(&"alpha-pack:shared-name".to_string()));
    assert!(names(&planned["related"]).contains(&"alpha-pack:shared-name".to_string()));

    // skill.json manifest: metadata and dependencies.
    let tool = skill(&c, "catalog-fixture:tool-skill");
    assert_eq!(tool["metadata"]["version"], "0.3.0");
    assert_eq!(names(&tool["depends_on"]), ["alpha-pack:alpha-one"]);
    assert_eq!(tool["url"], "tool-skill/index.html");

    // Cross-references: REQUIRED SUB-SKILL is a dependency, a link to SKILL.md a cross-ref,
    // `chr1:1000-2000` and `xml:space` are not edges.
    assert!(
        names(&one["depends_on"]).contains(&"alpha-pack:alpha-2".to_string()),
        "{one:#}"
    );
    assert!(names(&skill(&c, "alpha-pack:alpha-2")["related"])
        .contains(&"alpha-pack:alpha-one".to_string()));
    let used_by = names(&one["used_by"]);
    assert!(
        used_by.contains(&"catalog-fixture:tool-skill".to_string())
            && used_by.contains(&"alpha-pack:alpha-planned".to_string()),
        "{used_by:?}"
    );

    // llms.txt lists skills with descriptions and links.
    let llms = read(book.join("llms.txt"));
    assert!(llms.contains("- [alpha-one](alpha/alpha-one/index.html): Use when testing block scalar descriptions."), "{llms}");
    assert!(llms.contains("(planned)"));
}

#[test]
fn every_lint_rule_fires_where_it_should() {
    let (_t, p) = fixture("catalog");
    let (code, out, err) = run(skillsite(&p).args(["check", "--format", "json"]));
    assert_eq!(code, 1, "{err}");
    assert!(!p.join("book").exists(), "check writes nothing");
    let diags: Vec<Value> = serde_json::from_str(&out).expect("JSON diagnostics");
    let has = |rule: &str, file_end: &str| {
        diags
            .iter()
            .any(|d| d["rule"] == rule && d["file"].as_str().is_some_and(|f| f.ends_with(file_end)))
    };
    // Positive cases.
    assert!(has("skill-name", "beta/bad-name/SKILL.md"));
    assert!(has("skill-name-folder", "alpha/alpha-two/SKILL.md"));
    assert!(has("duplicate-skill", "beta/dup-b/SKILL.md"));
    assert!(has("dependency-cycle", "beta/beta-cycle/SKILL.md"));
    assert!(has("unknown-dependency", "alpha/alpha-two/SKILL.md"));
    assert!(has("description-use-when", "alpha/alpha-two/SKILL.md"));
    assert!(has("unknown-front-matter-key", "alpha/alpha-two/SKILL.md"));
    assert!(has("type-table", "alpha/README.md"));
    assert!(
        has("diagram", "alpha/alpha-one/SKILL.md"),
        "empty DOT graph reported, not a panic"
    );
    // Negative cases: valid skills draw no rule (notes are information, such as the audit's
    // `broad-tool-permission` for `allowed-tools: [Read, Bash]`).
    for good in [
        "alpha/alpha-one/SKILL.md",
        "alpha/shared-name/SKILL.md",
        "beta/shared-name/SKILL.md",
        "market/skills/g-one/SKILL.md",
        "tool-skill/skill.json",
    ] {
        let rules: Vec<&Value> = diags
            .iter()
            .filter(|d| {
                d["file"].as_str().is_some_and(|f| f.ends_with(good))
                    && d["rule"] != "diagram"
                    // Publishing, not lint: the well-known index lists one skill per name.
                    && d["rule"] != "agent-index"
                    && d["severity"] != "note"
            })
            .collect();
        assert!(rules.is_empty(), "{good}: {rules:?}");
    }
    assert!(
        !diags.iter().any(|d| d["rule"] == "duplicate-skill"
            && d["message"].as_str().unwrap().contains("shared-name")),
        "same name in two packs is fine"
    );
    assert!(
        diags.iter().any(|d| d["rule"] == "agent-index"
            && d["file"]
                .as_str()
                .is_some_and(|f| f.ends_with("beta/shared-name/SKILL.md"))),
        "but only the first is in the well-known skill indexes"
    );
    // The cycle is named, the line points at the key.
    let cycle = diags
        .iter()
        .find(|d| d["rule"] == "dependency-cycle")
        .unwrap();
    assert!(cycle["message"]
        .as_str()
        .unwrap()
        .contains("beta-cycle → beta-loop → beta-cycle"));
    let unknown = diags
        .iter()
        .find(|d| d["rule"] == "unknown-dependency")
        .unwrap();
    assert_eq!(unknown["line"], 5, "the depends-on line");

    // Human format: file:line: level[rule] with a hint; --strict fails on warnings alone.
    let (_, _, human) = run(skillsite(&p).arg("check"));
    assert!(
        human.contains("beta/bad-name/SKILL.md:2: error[skill-name]"),
        "{human}"
    );
    let (_t2, q) = fixture("messy");
    let (code, _, _) = run(skillsite(&q).arg("check"));
    assert_eq!(code, 0, "warnings only");
    let (code, _, _) = run(skillsite(&q).args(["check", "--strict"]));
    assert_eq!(code, 1);
}

#[test]
fn catalog_pages_show_tables_diagrams_and_panels() {
    let (_t, p) = fixture("catalog");
    run(skillsite(&p).arg("build"));
    let book = p.join("book");
    // Catalog page: every skill in one table with filter chips.
    let cat = read(book.join("catalog.html"));
    assert_eq!(cat.matches("<tr data-pack=").count(), 13);
    assert!(cat.contains("data-facet=\"type\""));
    assert!(cat.contains("data-status=\"planned\""));
    // Pack page: computed type table counts a Pattern/Reference skill under both.
    let pack = read(book.join("alpha/index.html"));
    let types = &pack
        [pack.find("class=\"type-table\"").unwrap()..pack.find("class=\"level-table\"").unwrap()];
    assert!(
        types.contains("Pattern</td><td class=\"num\">1")
            && types.contains("Reference</td><td class=\"num\">1"),
        "{types}"
    );
    assert!(
        pack.contains("<svg class=\"diagram\""),
        "dependency diagram"
    );
    assert!(
        pack.contains("class=\"diagram-link\""),
        "nodes link to skill pages"
    );
    // Skill page: metadata panel with every key, relations, files, install snippet.
    let one = read(book.join("alpha/alpha-one/index.html"));
    assert!(one.contains("<code>allowed-tools</code>"));
    assert!(one.contains("Used by"));
    assert!(
        one.contains("href=\"../../alpha/alpha-one/SKILL.md\""),
        "raw file link"
    );
    assert!(
        one.contains("cp -r content/alpha/alpha-one ~/.claude/skills/alpha-one"),
        "path from the repository root"
    );
    // ```dot fences: the real one drawn, the empty one shown as code.
    assert_eq!(one.matches("<svg class=\"diagram\"").count(), 1);
    assert!(one.contains("data-lang=\"dot\""));
    let two = read(book.join("alpha/alpha-two/index.html"));
    assert!(
        two.contains("<code>colour</code>"),
        "unknown keys shown too"
    );
    let tool = read(book.join("tool-skill/index.html"));
    assert!(tool.contains("run.sh"), "file tree of the skill folder");
}
