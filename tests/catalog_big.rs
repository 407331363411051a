//! Issue 14, the catalog at scale: a generated site of 1,000 skills (tests/common/skills.rs)
//! builds a `catalog.html` of at most 300 KB holding the first 200 rows, pages `catalog/2.html`
//! … for readers without JavaScript, and `catalog/data.js` (one JSON call) with the rest; every
//! skill is reachable from them, every URL of the data file is a page the build wrote, and
//! hostile descriptions stay text. A small site shows the columns and facets that carry
//! information only. (docs/benchmarks.md records the same figures at 3,000 skills.)

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::skills::write_skill_site;
use common::{read, run, skillsite};

/// Rows printed per catalog page (`render::catalog_pages::CATALOG_PAGE_ROWS`).
const ROWS: usize = 200;

/// The `href`s of the `.skill-link` anchors of a catalog page, resolved against the site root
/// (`root` is the page's relative root: `""` or `"../"`).
fn skill_links(html: &str, root: &str) -> Vec<String> {
    html.split("<a href=\"")
        .skip(1)
        .filter_map(|s| {
            let (href, rest) = s.split_once('"')?;
            rest.starts_with(" class=\"skill-link")
                .then(|| href.strip_prefix(root).unwrap_or(href).to_string())
        })
        .collect()
}

/// The data file's arguments: (fields, rows).
fn data_rows(js: &str) -> (Vec<String>, Vec<serde_json::Value>) {
    let body = js
        .trim_end()
        .strip_prefix("window.__skillsiteCatalog.rows(")
        .and_then(|s| s.strip_suffix(");"))
        .expect("catalog/data.js is one window.__skillsiteCatalog.rows(...) call");
    let args: Vec<serde_json::Value> =
        serde_json::from_str(&format!("[{body}]")).expect("its arguments are JSON");
    assert_eq!(args.len(), 2, "rows(FIELDS, ROWS)");
    let fields = args[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect();
    (fields, args[1].as_array().unwrap().clone())
}

/// Builds `dir` (a generated site) into `dir/book`.
fn build(dir: &Path) -> std::path::PathBuf {
    let (code, _, err) = run(skillsite(dir).arg("build"));
    assert_eq!(code, 0, "{err}");
    dir.join("book")
}

#[test]
fn a_big_catalog_is_paged_and_every_skill_is_reachable() {
    let t = tempfile::tempdir().unwrap();
    let gen = write_skill_site(t.path(), 1000, 12);
    let book = build(t.path());
    let catalog: serde_json::Value =
        serde_json::from_str(&read(book.join("catalog.json"))).unwrap();
    let want: BTreeSet<String> = catalog["skills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["url"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        want.len(),
        gen.len(),
        "every generated skill is in catalog.json"
    );

    // The first page: at most 300 KB, the first 200 rows, links to the other pages.
    let first = read(book.join("catalog.html"));
    assert!(
        first.len() <= 300 * 1024,
        "catalog.html is {} bytes",
        first.len()
    );
    assert_eq!(first.matches("<tr data-pack=").count(), ROWS);
    assert!(first.contains("data-src=\"catalog/data.js\""));
    let pages = gen.len().div_ceil(ROWS);
    for n in 2..=pages {
        assert!(
            first.contains(&format!("href=\"catalog/{n}.html\"")),
            "page 1 links page {n}"
        );
    }
    assert!(!book.join(format!("catalog/{}.html", pages + 1)).exists());

    // Without JavaScript: the pages hold every skill once.
    let mut seen: Vec<String> = skill_links(&first, "");
    for n in 2..=pages {
        let page = read(book.join(format!("catalog/{n}.html")));
        assert!(
            page.len() <= 300 * 1024,
            "catalog/{n}.html is {} bytes",
            page.len()
        );
        assert!(
            page.contains("href=\"../static/css/catalog.css\""),
            "page {n} is styled from its own depth"
        );
        assert!(page.contains(&format!("aria-current=\"page\">{n}</span>")));
        assert!(
            !page.contains("data-tools"),
            "the filter lives on page 1 only"
        );
        seen.extend(skill_links(&page, "../"));
    }
    let planned = gen.iter().filter(|s| s.planned).count();
    // Planned skills link to their plan section, written ones to their page: one link each.
    assert_eq!(seen.len(), gen.len(), "one row per skill across the pages");
    assert_eq!(seen.iter().cloned().collect::<BTreeSet<_>>(), want);
    assert!(planned > 0);

    // With JavaScript: page 1's rows plus the data file's are every skill, in catalog order.
    let (fields, rows) = data_rows(&read(book.join("catalog/data.js")));
    assert_eq!(
        fields,
        [
            "name",
            "url",
            "planned",
            "pack",
            "types",
            "level",
            "tags",
            "description",
            "audit",
            "agents"
        ]
    );
    assert_eq!(rows.len(), gen.len() - ROWS);
    let mut from_data: Vec<String> = skill_links(&first, "");
    for r in &rows {
        let url = r[1].as_str().expect("every generated skill has a URL");
        // A page (or plan section) the build wrote, relative to the site root.
        assert!(
            !url.starts_with('/') && !url.contains(':') && !url.contains('\\'),
            "{url}"
        );
        let file = url.split('#').next().unwrap();
        assert!(book.join(file).is_file(), "{url} is not a built page");
        from_data.push(url.to_string());
    }
    let catalog_order: Vec<String> = catalog["skills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["url"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(from_data, catalog_order);

    // Hostile descriptions are text: no markup in the rows, the data file keeps them as strings.
    assert!(
        !first.contains("<script>alert("),
        "a description became markup"
    );
    assert!(first.contains("&lt;script&gt;alert("));
    assert!(!first.contains("href=\"javascript:"));
    let long = "QmFzZTY0IGRhdGEgd2l0aG91dCBhbnkgc3BhY2Vz".repeat(10);
    assert!(rows
        .iter()
        .any(|r| r[7].as_str().is_some_and(|d| d.contains(&long))));
    assert!(rows
        .iter()
        .any(|r| r[7].as_str().is_some_and(|d| d.contains("<script>alert("))));

    // Facets and columns: several packs, types and levels here, so all are shown.
    for f in ["pack", "type", "level", "tag", "status"] {
        assert!(first.contains(&format!("data-facet=\"{f}\"")), "{f} facet");
    }
    assert!(first.contains("<th data-sort-key=\"type\">Type</th>"));
    assert!(first.contains("<th data-sort-key=\"level\">Level</th>"));
}

#[test]
fn columns_and_facets_without_information_are_left_out() {
    // One pack, no types, no levels, every skill written: no Pack/Type/Level column and no
    // Pack, Type, Level or Status facet; a small catalog has one page and no data file.
    let t = tempfile::tempdir().unwrap();
    let content = t.path().join("content/only");
    for (i, name) in ["one-skill", "two-skill", "three-skill"].iter().enumerate() {
        let dir = content.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        let tags = if i == 0 { "[ops]" } else { "[]" };
        std::fs::write(
            dir.join("SKILL.md"),
            format!("---\nname: {name}\ndescription: Use when testing {name}\nmetadata:\n  tags: {tags}\n---\n\n# {name}\n"),
        )
        .unwrap();
    }
    std::fs::write(
        t.path().join("book.toml"),
        "[book]\ntitle = \"Small\"\nsrc = \"content\"\n",
    )
    .unwrap();
    let book = build(t.path());
    let html = read(book.join("catalog.html"));
    assert_eq!(html.matches("<tr data-pack=").count(), 3);
    for col in ["pack", "type", "level"] {
        assert!(
            !html.contains(&format!("data-sort-key=\"{col}\"")),
            "no {col} column"
        );
    }
    for f in ["pack", "type", "level", "status"] {
        assert!(
            !html.contains(&format!("data-facet=\"{f}\"")),
            "no {f} facet"
        );
    }
    // A value some skills have and others lack still filters.
    assert!(html.contains("data-facet=\"tag\""));
    assert!(!html.contains("data-src="));
    assert!(!html.contains("data-pager"));
    assert!(!book.join("catalog/data.js").exists());
    assert!(!book.join("catalog/2.html").exists());
}
