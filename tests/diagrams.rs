//! Pack diagrams, diagram boxes and narrow screens (issue 14, parts 3 and 6).
//!
//! A site generated here holds what the sample lacks: a pack of 14 skills with 13 dependencies
//! (`graph/`), a pack of 60 skills with one (`flat/`), a pack without any (`none/`), a pack of 45 skills with edges in
//! several components (`split/`), a skill whose description and body carry hostile long
//! strings (a 300-character URL, base64, a `=====` rule line, a 12-column table), and a page with
//! a Mermaid and a DOT fence (`fences.md`).
//!
//! Without a browser: the SVGs have a `<title>` and `aria-describedby` text, their viewBox is
//! cropped, no-edge packs get no diagram, large packs are drawn per component. With
//! `SKILLSITE_BROWSER_TESTS=1`: `tests/browser/diagrams.test.mjs` (label sizes, zoom buttons,
//! no horizontal page scroll at 390 px, here and on the sample site) and
//! `tests/browser/a11y.test.mjs` (axe-core on the sample site).

mod common;

use std::fmt::Write as _;
use std::path::Path;

use common::{browser_tests_enabled, node_tests, read, run, skillsite};

/// Writes the generated site into `dir` (book.toml and content/).
pub fn diagram_site(dir: &Path) {
    let content = dir.join("content");
    let write = |rel: &str, text: &str| {
        let p = content.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(dir.join("book.toml"), "[book]\ntitle = \"Diagrams\"\n").unwrap();
    write("README.md", "# Diagrams\n\nPacks for the diagram tests.\n");
    // 14 skills: a tree two to three levels deep, each depending on its parent.
    let names = [
        "foundations-of-testing",
        "unit-testing-basics",
        "integration-testing-basics",
        "property-based-testing",
        "snapshot-testing-practices",
        "contract-testing-between-services",
        "end-to-end-testing-in-browsers",
        "mutation-testing",
        "test-doubles-and-mocks",
        "flaky-test-triage",
        "performance-testing",
        "load-testing-with-k6",
        "chaos-engineering-experiments",
        "testing-infrastructure-as-code",
    ];
    write(
        "graph/README.md",
        "# Graph pack\n\nFourteen skills that build on each other.\n",
    );
    for (i, n) in names.iter().enumerate() {
        let dep = if i == 0 {
            String::new()
        } else {
            format!("depends-on: [{}]\n", names[(i - 1) / 3])
        };
        write(
            &format!("graph/{n}/SKILL.md"),
            &format!(
                "---\nname: {n}\ndescription: Use when {n} matters\n{dep}---\n\n# {n}\n\nBody.\n"
            ),
        );
    }
    write(
        "flat/README.md",
        "# Flat pack\n\nSixty skills, one dependency.\n",
    );
    for i in 0..60 {
        let dep = if i == 1 {
            "depends-on: [flat-skill-00]\n"
        } else {
            ""
        };
        write(
            &format!("flat/flat-skill-{i:02}/SKILL.md"),
            &format!(
                "---\nname: flat-skill-{i:02}\ndescription: Use when flat {i}\n{dep}---\n\nBody.\n"
            ),
        );
    }
    write(
        "none/README.md",
        "# No-edge pack\n\nThree skills, no dependencies.\n",
    );
    for i in 0..3 {
        write(
            &format!("none/none-skill-{i}/SKILL.md"),
            &format!("---\nname: none-skill-{i}\ndescription: Use when none {i}\n---\n\nBody.\n"),
        );
    }
    // 45 skills in 15 chains of three: over the 40-node limit, drawn per component.
    write("split/README.md", "# Split pack\n\nFifteen small chains.\n");
    for c in 0..15 {
        for k in 0..3 {
            let dep = if k == 0 {
                String::new()
            } else {
                format!("depends-on: [chain-{c:02}-{}]\n", k - 1)
            };
            write(
                &format!("split/chain-{c:02}-{k}/SKILL.md"),
                &format!("---\nname: chain-{c:02}-{k}\ndescription: Use when chaining {c}\n{dep}---\n\nBody.\n"),
            );
        }
    }
    let url = format!("https://example.com/{}", "a".repeat(300));
    let b64 = "QUJD".repeat(120);
    let mut table = String::from("|");
    for c in 0..12 {
        let _ = write!(table, " column-{c}-heading |");
    }
    table.push_str("\n|");
    table.push_str(&"---|".repeat(12));
    table.push_str("\n|");
    for c in 0..12 {
        let _ = write!(table, " value-{c}-without-spaces-{} |", "x".repeat(20));
    }
    table.push('\n');
    write("long/README.md", "# Long pack\n\nHostile long strings.\n");
    write(
        "long/long-strings/SKILL.md",
        &format!(
            "---\nname: long-strings\ndescription: Use when {b64} {url}\n---\n\n# Long strings\n\n{url}\n\n{b64}\n\n{}\n\n`{b64}`\n\n```text\n{b64}\n```\n\n{table}\n",
            "=".repeat(150)
        ),
    );
    write(
        "fences.md",
        "# Fences\n\n```mermaid\nflowchart TD\n  A[Start] --> B{Ready?}\n  B -->|Yes| C[Ship it]\n  B -->|No| D[Fix it]\n  D --> B\n```\n\n```dot\ndigraph { rankdir=LR; parse -> check -> render -> write; }\n```\n",
    );
    // A DOT fence far wider than the column: one root and 24 children on one rank.
    let mut wide = String::from("# Wide\n\n```dot\ndigraph {\n");
    for i in 0..24 {
        let _ = writeln!(wide, "  root -> \"child-number-{i:02}\";");
    }
    wide.push_str("}\n```\n");
    write("wide.md", &wide);
}

/// Builds the generated site in a temporary folder, or under `$SKILLSITE_DIAGRAM_SITE` when set
/// (kept, for looking at it: `src/` and `book/` there).
fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let base = std::env::var_os("SKILLSITE_DIAGRAM_SITE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| t.path().to_path_buf());
    let src = base.join("src");
    diagram_site(&src);
    let book = base.join("book");
    let (code, _, err) = run(skillsite(&src).arg("build").arg(".").arg("-d").arg(&book));
    assert_eq!(code, 0, "{err}");
    (t, book)
}

/// The opening `<svg ...>` tags of a page's diagrams.
fn svg_tags(html: &str) -> Vec<&str> {
    html.match_indices("<svg class=\"diagram")
        .map(|(i, _)| &html[i..i + html[i..].find('>').unwrap()])
        .collect()
}

fn attr<'a>(tag: &'a str, name: &str) -> &'a str {
    let at = tag
        .find(&format!(" {name}=\""))
        .unwrap_or_else(|| panic!("no {name} in {tag}"));
    let v = &tag[at + name.len() + 3..];
    &v[..v.find('"').unwrap()]
}

#[test]
fn pack_diagrams_are_titled_described_cropped_and_only_where_there_are_edges() {
    let (_t, book) = built();
    let graph = read(book.join("graph/index.html"));
    let tags = svg_tags(&graph);
    assert_eq!(tags.len(), 1, "one dependency diagram");
    let tag = tags[0];
    // Title first inside the SVG, description by id.
    let after = &graph[graph.find(tag).unwrap() + tag.len() + 1..];
    assert!(
        after.starts_with("<title>Dependencies of "),
        "{}",
        &after[..80]
    );
    let desc = attr(tag, "aria-describedby");
    let desc_el = &graph[graph
        .find(&format!("id=\"{desc}\""))
        .expect("description element")..];
    assert!(
        desc_el.contains("<p>14 skills, 13 dependencies:</p>"),
        "{}",
        &desc_el[..200]
    );
    assert!(desc_el.contains("<li>unit-testing-basics depends on foundations-of-testing</li>"));
    // Cropped: the viewBox starts where the drawing starts, and it is laid out to fit the
    // column at 1:1 (labels 14 px) or close to it.
    let vb: Vec<f64> = attr(tag, "viewBox")
        .split(' ')
        .map(|v| v.parse().unwrap())
        .collect();
    let width: f64 = attr(tag, "width").parse().unwrap();
    assert_eq!(vb[2], width);
    assert!(vb[0] != 0.0 || vb[1] != 0.0, "cropped viewBox: {vb:?}");
    assert!(
        width <= 737.0 * 14.0 / 11.0,
        "fits at >= 11 px labels: {width}"
    );
    // One edge among 60 skills: the two skills it links, not one row of 60 boxes.
    let flat = read(book.join("flat/index.html"));
    let tags = svg_tags(&flat);
    assert_eq!(tags.len(), 1);
    let svg = &flat[flat.find(tags[0]).unwrap()..];
    let svg = &svg[..svg.find("</svg>").unwrap()];
    assert_eq!(svg.matches("<rect").count(), 2, "{svg}");
    assert!(attr(tags[0], "width").parse::<f64>().unwrap() < 737.0);
    // No edges: no diagram at all.
    let none = read(book.join("none/index.html"));
    assert!(
        svg_tags(&none).is_empty(),
        "no diagram for a pack without edges"
    );
    // 45 skills with edges: one drawing per component, each titled.
    let split = read(book.join("split/index.html"));
    let parts = svg_tags(&split);
    assert_eq!(parts.len(), 15, "one diagram per chain");
    assert!(split.contains("part 15 of 15 (3 skills)</title>"));
    // DOT and Mermaid fences have titles too.
    let fences = read(book.join("fences.html"));
    assert_eq!(svg_tags(&fences).len(), 2, "both fences drawn");
    assert!(
        fences.contains("<title>Diagram: parse, check, render, write</title>"),
        "dot title"
    );
    assert!(fences.matches("<title>").count() >= 2, "mermaid title");
}

#[test]
fn diagrams_and_narrow_screens_in_chromium() {
    if !browser_tests_enabled() {
        return;
    }
    let (_t, book) = built();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let s = tempfile::tempdir().unwrap();
    let sample = s.path().join("book");
    let (code, _, err) = run(skillsite(root).arg("build").arg(".").arg("-d").arg(&sample));
    assert_eq!(code, 0, "{err}");
    assert!(
        node_tests(
            &["diagrams.test.mjs", "a11y.test.mjs"],
            &[
                ("SKILLSITE_DIAGRAM_BOOK", &book),
                ("SKILLSITE_BOOK", &sample)
            ],
        ),
        "browser tests failed"
    );
}
