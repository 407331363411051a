//! Lint levels (docs/lints.md): spec findings in content are warnings in `build` (which then
//! exits 0 and writes the site) and errors in `check`; `--strict` fails on warnings;
//! `[skillsite.lints]` allows, warns or denies a rule in every command; an unknown rule id in
//! book.toml is a warning at its line with the close ids; a SKILL.md without `name` (or with
//! `name: ""`) is reported and listed under its folder name.

mod common;

use std::path::Path;

use common::{read, run, skillsite};
use serde_json::Value;

/// A project like the public repositories of issue 11: a skill named `Agent Development`
/// with a 1,068-character description, one without a name, one with `name: ""`, one valid.
fn project(book_toml: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("pack");
    let put = |rel: &str, text: &str| {
        let f = root.join(rel);
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(f, text).unwrap();
    };
    put("book.toml", book_toml);
    put("content/README.md", "# Skills\n");
    put(
        "content/agent-development/SKILL.md",
        &format!(
            "---\nname: Agent Development\ndescription: {}\n---\n\n# Agent development\n",
            "x".repeat(1068)
        ),
    );
    put(
        "content/no-name/SKILL.md",
        "---\ndescription: Use when a skill has no name\n---\n\nBody.\n",
    );
    put(
        "content/empty-name/SKILL.md",
        "---\nname: \"\"\ndescription: Use when the name is empty\n---\n\nBody.\n",
    );
    put(
        "content/good/SKILL.md",
        "---\nname: good\ndescription: Use when all is well\n---\n\nBody.\n",
    );
    (tmp, root)
}

fn json_check(p: &Path, extra: &[&str]) -> (i32, Vec<Value>) {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    let (code, out, err) = run(skillsite(p).args(&args));
    let diags: Vec<Value> =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    (code, diags)
}

fn severity_of<'a>(diags: &'a [Value], rule: &str) -> Vec<&'a str> {
    diags
        .iter()
        .filter(|d| d["rule"] == rule)
        .map(|d| d["severity"].as_str().unwrap())
        .collect()
}

#[test]
fn build_warns_and_publishes_check_fails_on_spec_findings() {
    let (_t, p) = project("[book]\ntitle = \"Pack\"\n");
    let (code, _, err) = run(skillsite(&p).arg("build"));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("content/agent-development/SKILL.md:2: warning[skill-name]: Skill name 'Agent Development' must be lowercase"),
        "{err}"
    );
    assert!(
        err.contains(
            "warning[skill-description]: description is 1068 characters; the limit is 1024"
        ),
        "{err}"
    );
    assert!(!err.contains("error["), "{err}");
    // The site is written, and every skill is in the catalog (the unnamed ones under their
    // folder's name).
    let catalog: Value =
        serde_json::from_str(&read(p.join("book/catalog.json"))).expect("catalog.json");
    let names: Vec<&str> = catalog["skills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    for n in ["Agent Development", "no-name", "empty-name", "good"] {
        assert!(names.contains(&n), "{n} in {names:?}");
    }
    // Missing and empty names are reported.
    assert!(
        err.contains("content/no-name/SKILL.md:1: warning[skill-name-missing]: skill has no `name`; the folder name `no-name` is used"),
        "{err}"
    );
    assert!(
        err.contains("content/empty-name/SKILL.md:2: warning[skill-name-missing]: `name` is empty or not a string; the folder name `empty-name` is used"),
        "{err}"
    );
    assert!(!err.contains("content/good/"), "{err}");

    // `check`: the same findings are errors, exit 1.
    let (code, diags) = json_check(&p, &[]);
    assert_eq!(code, 1);
    assert_eq!(severity_of(&diags, "skill-name"), ["error"]);
    assert_eq!(severity_of(&diags, "skill-description"), ["error"]);
    assert_eq!(
        severity_of(&diags, "skill-name-missing"),
        ["error", "error"]
    );

    // `build --strict` fails on the warnings and writes nothing new.
    std::fs::remove_dir_all(p.join("book")).unwrap();
    let (code, _, err) = run(skillsite(&p).args(["build", "--strict"]));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[skill-name]"), "{err}");
    assert!(!p.join("book/index.html").exists());
}

/// The spec site's client implementation guide: a name that differs from the folder is a
/// warning and the skill is loaded; a skill without a description, or whose YAML cannot be
/// read, is not loaded (its page is still built).
#[test]
fn the_default_profile_skips_only_skills_without_description_or_readable_yaml() {
    let (_t, p) = project("[book]\ntitle = \"Pack\"\n");
    let put = |rel: &str, text: &str| {
        let f = p.join("content").join(rel);
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(f, text).unwrap();
    };
    put(
        "renamed/SKILL.md",
        "---\nname: other-name\ndescription: Use when renamed\n---\n\nBody.\n",
    );
    put(
        "no-description/SKILL.md",
        "---\nname: no-description\n---\n\nBody.\n",
    );
    put(
        "broken-yaml/SKILL.md",
        "---\nname: broken-yaml\ndescription: [unclosed\n  - x: {\n---\n\nBody.\n",
    );
    let (code, _, err) = run(skillsite(&p).arg("build"));
    assert_eq!(code, 0, "{err}");
    let catalog: Value =
        serde_json::from_str(&read(p.join("book/catalog.json"))).expect("catalog.json");
    let names: Vec<&str> = catalog["skills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"other-name"), "{names:?}");
    assert!(!names.contains(&"no-description"), "{names:?}");
    assert!(!names.contains(&"broken-yaml"), "{names:?}");
    // Their pages are still there.
    assert!(p.join("book/no-description/index.html").is_file());
    assert!(p.join("book/broken-yaml/index.html").is_file());
    assert!(
        err.contains("content/no-description/SKILL.md:1: warning[skill-description]: skill has no `description`; it is not listed in the catalog"),
        "{err}"
    );
    // Unreadable YAML: the loader's warning, not a second one on top.
    assert!(
        err.contains("content/broken-yaml/SKILL.md:4: warning[front-matter]"),
        "{err}"
    );
    assert!(
        !err.contains("content/broken-yaml/SKILL.md:1: warning[skill-description]"),
        "{err}"
    );
    put("empty-front-matter/SKILL.md", "---\n---\n\nBody.\n");
    let (_, _, err) = run(skillsite(&p).arg("build"));
    assert!(
        err.contains("content/empty-front-matter/SKILL.md:1: warning[skill-description]: skill has no `description`"),
        "{err}"
    );
    assert!(
        err.contains("content/renamed/SKILL.md:2: warning[skill-name-folder]"),
        "{err}"
    );
    // In check the mismatch stays a warning, the missing description is an error.
    let (_, diags) = json_check(&p, &[]);
    let folder = severity_of(&diags, "skill-name-folder");
    assert!(
        !folder.is_empty() && folder.iter().all(|s| *s == "warning"),
        "{folder:?}"
    );
    assert!(severity_of(&diags, "skill-description").contains(&"error"));
}

#[test]
fn book_toml_levels_allow_warn_and_deny_in_every_command() {
    let (_t, p) = project(
        "[book]\ntitle = \"Pack\"\n\n[skillsite.lints]\nskill-name = \"allow\"\nskill-description = \"warn\"\nskill-name-missing = \"allow\"\n",
    );
    // check: the allowed rules are gone, the warned one is a warning: exit 0.
    let (code, diags) = json_check(&p, &[]);
    assert_eq!(code, 0, "{diags:?}");
    assert!(severity_of(&diags, "skill-name").is_empty());
    assert!(severity_of(&diags, "skill-name-missing").is_empty());
    assert_eq!(severity_of(&diags, "skill-description"), ["warning"]);
    // --strict still denies warnings.
    let (code, _) = json_check(&p, &["--strict"]);
    assert_eq!(code, 1);

    // deny makes a rule an error in build too.
    let (_t2, q) =
        project("[book]\ntitle = \"Pack\"\n\n[skillsite.lints]\nskill-name = \"deny\"\n");
    let (code, _, err) = run(skillsite(&q).arg("build"));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[skill-name]"), "{err}");
    assert!(err.contains("warning[skill-description]"), "{err}");
}

#[test]
fn an_unknown_rule_id_is_a_warning_at_its_line_with_close_ids() {
    let (_t, p) = project(
        "[book]\ntitle = \"Pack\"\n\n[skillsite.lints]\nskill-nmae = \"allow\"\nbroken-links = \"deny\"\n",
    );
    let (code, _, err) = run(skillsite(&p).arg("build"));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("book.toml:5: warning[config-unknown-key]: unknown lint rule `skill-nmae` in [skillsite.lints]; ignored"),
        "{err}"
    );
    assert!(err.contains("did you mean `skill-name`"), "{err}");
    assert!(
        err.contains("book.toml:6: warning[config-unknown-key]"),
        "{err}"
    );
    assert!(err.contains("`broken-link`"), "{err}");
    // The misspelt level did not apply: skill-name is still reported.
    assert!(err.contains("warning[skill-name]"), "{err}");
}

#[test]
fn notes_never_fail_and_hidden_text_follows_the_levels() {
    // A skill with a zero-width space: hidden-unicode is a warning in build, an error in
    // check; `hidden-unicode = "warn"` keeps it a warning in check.
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("p");
    std::fs::create_dir_all(p.join("content/s")).unwrap();
    std::fs::write(
        p.join("content/s/SKILL.md"),
        "---\nname: s\ndescription: Use when testing\nallowed-tools: Bash\n---\n\nRun\u{200b} this.\n",
    )
    .unwrap();
    std::fs::write(p.join("book.toml"), "[book]\ntitle = \"P\"\n").unwrap();
    let (code, diags) = json_check(&p, &[]);
    assert_eq!(code, 1);
    assert_eq!(severity_of(&diags, "hidden-unicode"), ["error"]);
    let (code, _, err) = run(skillsite(&p).arg("build"));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("warning[hidden-unicode]"), "{err}");
    std::fs::write(
        p.join("book.toml"),
        "[book]\ntitle = \"P\"\n[skillsite.lints]\nhidden-unicode = \"warn\"\n",
    )
    .unwrap();
    let (code, diags) = json_check(&p, &[]);
    assert_eq!(code, 0, "{diags:?}");
    // The broad tool permission is a note: --strict does not fail on it.
    assert_eq!(severity_of(&diags, "broad-tool-permission"), ["note"]);
    std::fs::write(
        p.join("book.toml"),
        "[book]\ntitle = \"P\"\n[skillsite.lints]\nhidden-unicode = \"allow\"\n",
    )
    .unwrap();
    let (code, diags) = json_check(&p, &["--strict"]);
    assert_eq!(code, 0, "{diags:?}");
}

/// Every rule id a stage reports about content has a level entry (model::lints::RULES): read
/// from the sources, so a new rule cannot be added without one.
#[test]
fn every_content_rule_is_registered() {
    // Rules that are not about content: configuration, files, templates, the server.
    const NOT_CONTENT: &[&str] = &[
        "config",
        "config-syntax",
        "config-type",
        "config-unknown-key",
        "config-unsupported",
        "config-missing-file",
        "content-missing",
        "destination",
        "init",
        "io",
        // book.toml's preprocessors and `[output.html.redirect]`: the project's own tooling and
        // configuration, errors that stop a build whatever the levels (docs/mdbook.md).
        "preprocessor",
        "preprocessor-missing",
        "redirect",
        "project",
        "search-index",
        "serve",
        "serve-outside",
        "template",
        "write",
    ];
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let registry = read(src.join("model/lints.rs"));
    let registered: Vec<String> = regex::Regex::new(r#"\brule\(\s*"([a-z0-9-]+)""#)
        .unwrap()
        .captures_iter(&registry)
        .map(|c| c[1].to_string())
        .collect();
    assert!(registered.len() > 30, "{registered:?}");
    let mut missing = Vec::new();
    let mut stack = vec![src.clone()];
    let re = regex::Regex::new(r#"Diagnostic::(?:error|warning|note)\(\s*"([a-z0-9-]+)""#).unwrap();
    let audit = regex::Regex::new(r#"rule: "([a-z0-9-]+)""#).unwrap();
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|x| x != "rs") || path.ends_with("sarif.rs") {
                continue;
            }
            let text = read(&path);
            // Only the code, not the unit tests.
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            for c in re.captures_iter(code).chain(audit.captures_iter(code)) {
                let id = &c[1];
                if !NOT_CONTENT.contains(&id) && !registered.iter().any(|r| r == id) {
                    missing.push(format!("{id} ({})", path.display()));
                }
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "rule ids without a level in src/model/lints.rs RULES (add them with their build and check severity, and to docs/lints.md): {missing:?}"
    );
}
