//! The sidebar at scale (issue 14, "navigation in O(1) per page"): every page's HTML carries
//! a bounded branch of the tree, whatever the number of pages, and `toc.js` carries the whole
//! tree once, safe as a script. Sites are generated here: `sections` top-level folders of
//! `subs` sub-folders each, the pages spread over all folders.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{read, run, skillsite};
use serde_json::Value;

/// Writes a folder-tree site of `pages` pages (no SUMMARY.md) under `dir`; returns its root.
fn generate(dir: &Path, pages: usize, sections: usize, subs: usize) -> PathBuf {
    let root = dir.join(format!("site-{pages}"));
    let src = root.join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"Nav test\"\nsrc = \"src\"\n",
    )
    .unwrap();
    std::fs::write(src.join("README.md"), "# Nav test\n\nHome.\n").unwrap();
    let mut folders = Vec::new();
    for s in 1..=sections {
        let sec = format!("sec-{s:02}");
        std::fs::create_dir_all(src.join(&sec)).unwrap();
        std::fs::write(
            src.join(&sec).join("README.md"),
            format!("# Section {s:02}\n\nA section.\n"),
        )
        .unwrap();
        folders.push(sec.clone());
        for u in 1..=subs {
            let sub = format!("{sec}/sub-{u:02}");
            std::fs::create_dir_all(src.join(&sub)).unwrap();
            std::fs::write(
                src.join(&sub).join("README.md"),
                format!("# Sub-section {s:02}.{u:02}\n\nA sub-section.\n"),
            )
            .unwrap();
            folders.push(sub);
        }
    }
    for i in 0..pages {
        let folder = &folders[i % folders.len()];
        std::fs::write(
            src.join(folder).join(format!("page-{:04}.md", i + 1)),
            format!("# Page {:04}\n\nText of page {}.\n", i + 1, i + 1),
        )
        .unwrap();
    }
    root
}

fn build(root: &Path) -> PathBuf {
    let out = root.join("book");
    let (code, _, err) = run(skillsite(root).arg("build").arg(".").arg("-d").arg(&out));
    assert_eq!(code, 0, "{err}");
    out
}

/// The `<nav id="sidebar">` element of a built page.
fn sidebar(html: &str) -> &str {
    let start = html.find("<nav id=\"sidebar\"").expect("a sidebar");
    let end = start + html[start..].find("</nav>").expect("closed") + "</nav>".len();
    &html[start..end]
}

/// Every `.html` page of the built site (not the 404 and search pages), by root-relative path.
fn pages(out: &Path) -> BTreeMap<String, String> {
    let mut all = BTreeMap::new();
    for e in walkdir::WalkDir::new(out).into_iter().flatten() {
        let rel = e
            .path()
            .strip_prefix(out)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel.ends_with(".html") && rel != "404.html" && !rel.starts_with("search/") {
            all.insert(rel, read(e.path()));
        }
    }
    all
}

/// The JSON inside `toc.js` (the argument of its wrapper function).
fn toc(out: &Path) -> (String, Value) {
    let text = read(out.join("toc.js"));
    let start = text.find("})(").expect("wrapper") + 3;
    let end = text.rfind(");").expect("wrapper end");
    let json: Value = serde_json::from_str(&text[start..end]).expect("toc.js holds JSON");
    (text, json)
}

fn toc_urls(nodes: &Value, out: &mut Vec<String>) {
    for n in nodes.as_array().unwrap() {
        if let Some(u) = n.get("u").and_then(Value::as_str) {
            out.push(u.to_string());
        }
        if let Some(c) = n.get("c") {
            toc_urls(c, out);
        }
    }
}

fn toc_titles(nodes: &Value, out: &mut Vec<String>) {
    for n in nodes.as_array().unwrap() {
        out.push(n["t"].as_str().unwrap().to_string());
        if let Some(c) = n.get("c") {
            toc_titles(c, out);
        }
    }
}

#[test]
fn page_nav_is_bounded_and_toc_lists_every_page_once() {
    let t = tempfile::tempdir().unwrap();
    // 3 sections of 2 sub-sections: 9 folders, 28 and 111 pages a folder.
    let mut largest = Vec::new();
    for n in [250, 1000] {
        let out = build(&generate(t.path(), n, 3, 2));
        let all = pages(&out);
        assert_eq!(all.len(), n + 1 + 9, "pages, home and section pages");
        let (max_page, max) = all
            .iter()
            .map(|(p, html)| (p.clone(), sidebar(html).len()))
            .max_by_key(|(_, len)| *len)
            .unwrap();
        largest.push((n, max_page, max));

        // toc.js: the home page, then every other page exactly once.
        let (_, json) = toc(&out);
        let mut urls = vec![json["home"]["u"].as_str().unwrap().to_string()];
        toc_urls(&json["tree"], &mut urls);
        let mut sorted = urls.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), urls.len(), "an entry twice in toc.js");
        let built: Vec<String> = all.keys().cloned().collect();
        assert_eq!(sorted, built, "toc.js lists exactly the built pages");
    }
    let (_, _, small) = largest[0];
    let (_, ref page, big) = largest[1];
    // The largest sidebar does not grow with the site (only the digits of "N more" may).
    assert!(
        big <= small + 16,
        "largest sidebar: {small} bytes at 250 pages, {big} at 1000 ({page})"
    );
    assert!(big < 16_000, "{big} bytes of navigation in {page}");
}

#[test]
fn the_current_branch_is_in_the_html() {
    let t = tempfile::tempdir().unwrap();
    let out = build(&generate(t.path(), 1000, 3, 2));
    // Folders in order: sec-01, sec-01/sub-01, sec-01/sub-02, sec-02, ...; page i + 1 is in
    // folder i % 9. sec-02/sub-01 holds pages 5, 14, 23, ... (111 pages); page 455 is its
    // 51st, in the middle.
    let html = read(out.join("sec-02/sub-01/page-0455.html"));
    let nav = sidebar(&html);
    assert!(
        nav.contains(r#"data-current="sec-02&#x2F;sub-01&#x2F;page-0455.html""#)
            || nav.contains(r#"data-current="sec-02/sub-01/page-0455.html""#),
        "{nav}"
    );
    for link in [
        // Links relative to the page's folder, one entry a line.
        "\n<li><a href=\"../../index.html\">Nav test</a></li>\n",
        "\n<li><a href=\"../index.html\">Section 02</a><ol>\n",
        "\n<li><a href=\"index.html\">Sub-section 02.01</a><ol>\n",
        "\n<li><a href=\"page-0455.html\" aria-current=\"page\">Page 0455</a></li>\n",
    ] {
        assert!(nav.contains(link), "missing {link} in {nav}");
    }
    // Five siblings on each side (pages 410..=500 step 9), nothing further.
    for k in 1..=5 {
        for p in [455 - 9 * k, 455 + 9 * k] {
            assert!(
                nav.contains(&format!("page-{p:04}.html")),
                "sibling {p}: {nav}"
            );
        }
    }
    for p in [455 - 54, 455 + 54] {
        assert!(
            !nav.contains(&format!("page-{p:04}.html")),
            "far sibling {p}: {nav}"
        );
    }
    assert!(
        !nav.contains("Section 01") && !nav.contains("Section 03"),
        "{nav}"
    );
    assert!(
        nav.contains(
            r#"<li class="nav-more"><a href="index.html">100 more in Sub-section 02.01</a></li>"#
        ),
        "{nav}"
    );
    assert_eq!(nav.matches("<ol").count(), nav.matches("</ol>").count());
    assert_eq!(nav.matches("<li").count(), nav.matches("</li>").count());

    // A section page: its first children in tree order (pages sort before the `sub-`
    // folders), bounded.
    let html = read(out.join("sec-02/index.html"));
    let nav = sidebar(&html);
    assert!(
        nav.contains(r#"<a href="index.html" aria-current="page">Section 02</a>"#),
        "{nav}"
    );
    assert!(
        nav.contains("Page 0004") && nav.contains("Page 0094"),
        "{nav}"
    );
    assert!(
        !nav.contains("Page 0103") && !nav.contains("Sub-section 02.01"),
        "{nav}"
    );
    assert!(
        nav.contains("Section 01") && nav.contains("Section 03"),
        "siblings: {nav}"
    );
    // 2 sub-sections + 111 pages, 11 shown.
    assert!(nav.contains(">102 more in Section 02</a>"), "{nav}");

    // The home page: itself, then the first top-level entries.
    let html = read(out.join("index.html"));
    let nav = sidebar(&html);
    assert!(
        nav.contains(r#"<a href="index.html" aria-current="page">Nav test</a>"#),
        "{nav}"
    );
    assert!(nav.contains("Section 03"), "{nav}");
    assert!(!nav.contains("more in"), "three sections fit: {nav}");
}

#[test]
fn hostile_titles_are_inert_in_toc_js() {
    let t = tempfile::tempdir().unwrap();
    let src = t.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("README.md"), "# Home\n").unwrap();
    let hostile = "</script><script>alert(1)</script>";
    let separator = "Line\u{2028}separated\u{2029}title & <!-- comment";
    std::fs::write(
        src.join("a.md"),
        format!("---\ntitle: \"{hostile}\"\n---\n\nA.\n"),
    )
    .unwrap();
    std::fs::write(src.join("b.md"), format!("# {separator}\n\nB.\n")).unwrap();
    let out = t.path().join("out");
    let (code, _, err) = run(skillsite(t.path())
        .arg("build")
        .arg(&src)
        .arg("-d")
        .arg(&out));
    assert_eq!(code, 0, "{err}");
    let (text, json) = toc(&out);
    let data = &text[text.find("})(").unwrap()..];
    for bad in ["</script", "<script", "<!--", "\u{2028}", "\u{2029}", "&"] {
        assert!(!data.contains(bad), "toc.js contains {bad:?}: {text}");
    }
    assert!(
        text.contains("\\u003c/script\\u003e") && text.contains("\\u2028"),
        "{text}"
    );
    let mut titles = Vec::new();
    toc_titles(&json["tree"], &mut titles);
    assert!(titles.contains(&hostile.to_string()), "{titles:?}");
    assert!(titles.contains(&separator.to_string()), "{titles:?}");
    // The page's own branch escapes the title as HTML.
    let page = read(out.join("a.html"));
    let nav = sidebar(&page);
    assert!(
        nav.contains("&lt;&#x2F;script&gt;&lt;script&gt;alert(1)")
            || nav.contains("&lt;/script&gt;&lt;script&gt;alert(1)"),
        "{nav}"
    );
    assert!(!nav.contains("<script"), "{nav}");
}

#[test]
fn identical_files_of_one_folder_are_one_entry() {
    let t = tempfile::tempdir().unwrap();
    let src = t.path().join("src");
    std::fs::create_dir_all(src.join("team")).unwrap();
    std::fs::write(
        src.join("README.md"),
        "# Home\n\nSee [the rules](CLAUDE.md).\n",
    )
    .unwrap();
    let rules = "# Agent rules\n\nRun the tests before you commit.\n";
    std::fs::write(src.join("AGENTS.md"), rules).unwrap();
    std::fs::write(src.join("CLAUDE.md"), rules).unwrap();
    // The same text in another folder is another page (it has another place).
    std::fs::write(src.join("team/AGENTS.md"), rules).unwrap();
    // Two empty placeholders stay two pages.
    std::fs::write(src.join("later.md"), "").unwrap();
    std::fs::write(src.join("todo.md"), "").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("AGENTS.md", src.join("team/CLAUDE.md")).unwrap();
    let out = t.path().join("out");
    let (code, _, err) = run(skillsite(t.path())
        .arg("build")
        .arg(&src)
        .arg("-d")
        .arg(&out));
    assert_eq!(code, 0, "{err}");
    assert!(
        !err.contains("broken-link"),
        "the link to CLAUDE.md leads to the page: {err}"
    );
    let (_, json) = toc(&out);
    let mut urls = Vec::new();
    toc_urls(&json["tree"], &mut urls);
    urls.sort();
    // team/AGENTS.md is not a section page (no README.md there): a page of its own, with
    // its link team/CLAUDE.md merged into it.
    let want = [
        "AGENTS.html",
        "later.html",
        "team/AGENTS.html",
        "team/index.html",
        "todo.html",
    ];
    assert_eq!(urls, want, "{json}");
    assert!(!out.join("CLAUDE.html").exists());
    assert!(!out.join("team/CLAUDE.html").exists());
    let root = &json["tree"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["u"] == "AGENTS.html")
        .unwrap()["a"];
    assert_eq!(root, &serde_json::json!(["CLAUDE.md"]), "{json}");
    // The home page links to the merged page.
    let home = read(out.join("index.html"));
    assert!(home.contains(r#"href="AGENTS.html""#), "{home}");
    let agents = read(out.join("AGENTS.html"));
    assert!(
        agents.contains(r#"title="Also published as CLAUDE.md""#),
        "{}",
        sidebar(&agents)
    );
}

/// What a page repeats around its content (issue 14, "output bytes"): the `<head>`, header,
/// sidebar branch, breadcrumbs, "On this page", pager and scripts. Bounded, and written
/// without what only costs bytes: inline SVG icons (they are CSS masks), `&#39;` in the
/// policy, indentation.
#[test]
fn page_chrome_is_small() {
    let t = tempfile::tempdir().unwrap();
    let out = build(&generate(t.path(), 250, 3, 2));
    let html = read(out.join("sec-02/sub-01/page-0131.html"));
    let start = html.find("<div class=\"content\">").expect("content");
    let end = start + html[start..].find("\n</div>\n").expect("content end");
    let chrome = html.len() - (end - start);
    // 4,112 bytes when written (the sidebar 1,048 of them: home, two ancestors, 11 siblings
    // and "N more"; the policy 454), 5,992 before the sidebar, icons, policy and indentation
    // were made shorter.
    assert!(chrome < 4_400, "{chrome} bytes of chrome:\n{html}");
    let outside = format!("{}{}", &html[..start], &html[end..]);
    assert!(!outside.contains("<svg"), "{outside}");
    assert!(!outside.contains("&#39;"), "{outside}");
    assert!(
        !outside
            .lines()
            .any(|l| l.starts_with(' ') || l.starts_with('\t')),
        "indented lines: {outside}"
    );
}
