//! Issue 14, part 5 (and the task checkboxes of part 6): task progress only for real task
//! lists, with per-section counts; labelled task checkboxes; a skill's files as a tree with a
//! highlighted viewer page per text file; pack titles from manifests.

mod common;

use std::path::{Path, PathBuf};

use common::{fixture, read, run, skillsite};

/// A project with the pages these tests read, built; returns (guard, build folder).
fn built() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let src = t.path().join("site");
    let w = |rel: &str, text: &[u8]| {
        let p = src.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    w("README.md", b"# Home\n\nThe test site.\n");
    // A long spec: items under two h2 sections, one with two h3 sub-sections.
    w(
        "spec.md",
        b"# Milestone\n\nIntro.\n\n- [x] before any section\n\n## Loading\n\n- [x] loader\n- [ ] manifests\n- [ ] **signatures** with `code`\n\n## Lifecycle\n\nText.\n\n### States\n\n- [x] state machine\n- [x] hooks\n\n### Cleanup\n\n1. [ ] release\n2. [ ] caches\n   - plain nested bullet\n\n## Notes\n\nNo tasks here.\n",
    );
    // The same with raw HTML, so the body goes through the sanitizer; a hostile label too.
    w(
        "raw.md",
        b"# Raw\n\n<div class=\"note\">raw html</div>\n\n- [ ] first <em>item</em>\n- [x] second\n\n<label for=\"nav-toggle\" onclick=\"alert(1)\">hostile label</label>\n",
    );
    // A page that is not a skill, with a checklist inside a prompt tag and one outside.
    w(
        "guide.md",
        b"# Guide\n\n<instructions>\n- [ ] step for the agent\n- [ ] another step\n</instructions>\n\n- [x] real task\n- [ ] real task two\n",
    );
    // A folder pack whose README's front matter title happens to equal the folder's name.
    w("pack/README.md", b"---\ntitle: Pack\n---\n\nThe pack.\n");
    // A skill whose checklists are instructions.
    w(
        "pack/prompt-skill/SKILL.md",
        b"---\nname: prompt-skill\ndescription: Checklists for the agent.\n---\n\n# Prompt skill\n\n<instructions>\n- [ ] read the file\n- [ ] run the tests\n</instructions>\n\n<checklist>\n- [ ] clean up\n</checklist>\n\n- [ ] a plain checklist in a skill\n",
    );
    // A skill that asks for its progress.
    w(
        "pack/tracked-skill/SKILL.md",
        b"---\nname: tracked-skill\ndescription: Tracks its own rollout.\ntask-progress: true\n---\n\n# Tracked\n\n- [x] written\n- [ ] reviewed\n",
    );
    // A skill with files in folders: scripts, a reference, a binary and a big file.
    w(
        "pack/tools/SKILL.md",
        b"---\nname: tools\ndescription: A skill with files.\n---\n\n# Tools\n\nSee the scripts.\n",
    );
    w(
        "pack/tools/scripts/run.sh",
        "#!/bin/sh\n# </pre><script>alert(1)</script>\necho \"hi\" # a\u{202E}b\nexit 0\n"
            .as_bytes(),
    );
    w(
        "pack/tools/scripts/lib/util.py",
        b"def f(x):\n    return x + 1\n",
    );
    w("pack/tools/references/guide.md", b"# Guide\n\nRead me.\n");
    w(
        "pack/tools/assets/logo.png",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01",
    );
    w(
        "pack/tools/data/notes.txt",
        "é".repeat(140 * 1024).as_bytes(),
    );
    // Content already at a viewer's path wins.
    w("pack/tools/scripts/lib/other.py", b"print(2)\n");
    w(
        "pack/tools/files/scripts/lib/other.py.html",
        b"CONTENT WINS\n",
    );
    let book = t.path().join("book");
    let (code, _, err) = run(skillsite(t.path())
        .arg("build")
        .arg(&src)
        .arg("-d")
        .arg(&book));
    assert_eq!(code, 0, "{err}");
    (t, book)
}

/// The article of a page (the sidebar and header left out).
fn article(html: &str) -> &str {
    let start = html.find("<article").expect("an article");
    let end = html[start..].find("</article>").expect("closed") + start;
    &html[start..end]
}

/// The text of an HTML fragment, tags removed.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// The `N/M` count printed after heading `id`, if any.
fn section_count(html: &str, id: &str) -> Option<String> {
    let at = html.find(&format!("id=\"{id}\""))?;
    let rest = &html[at..];
    let end = rest.find("</h")?;
    let heading = &rest[..end];
    let mark = heading.find("class=\"section-tasks")?;
    let text = &heading[mark..];
    let open = text.find('>')? + 1;
    let close = text.find("</span>")?;
    Some(text[open..close].to_string())
}

/// Every checkbox in `html` sits in a `<label>` with its item's text.
fn assert_checkboxes_labelled(html: &str, expected: usize, page: &str) {
    let mut n = 0;
    let mut rest = html;
    while let Some(at) = rest.find("<input type=\"checkbox\" disabled") {
        let before = &rest[..at];
        assert!(
            before.ends_with("<label class=\"task-item\">"),
            "{page}: checkbox {n} not in a task label: …{}",
            &before[before.len().saturating_sub(80)..]
        );
        let after = &rest[at..];
        let close = after.find("</label>").expect("label closed");
        let label = text_of(&after[..close]);
        assert!(!label.is_empty(), "{page}: checkbox {n} has no label text");
        assert!(
            !after[..close].contains("<li") && !after[..close].contains("<ul"),
            "{page}: a label holds a nested list"
        );
        n += 1;
        rest = &after[close..];
    }
    assert_eq!(n, expected, "{page}: checkboxes");
}

#[test]
fn task_progress_counts_real_task_lists_per_section() {
    let (_t, book) = built();
    let spec = read(book.join("spec.html"));
    let a = article(&spec);
    assert!(
        a.contains("<strong>4</strong> of 8 tasks done (50%)"),
        "page total: {}",
        &a[..a.len().min(2000)]
    );
    assert_eq!(section_count(a, "loading").as_deref(), Some("1/3"));
    assert_eq!(section_count(a, "lifecycle").as_deref(), Some("2/4"));
    assert_eq!(section_count(a, "states").as_deref(), Some("2/2"));
    assert_eq!(section_count(a, "cleanup").as_deref(), Some("0/2"));
    assert_eq!(section_count(a, "notes"), None, "no tasks, no count");
    assert!(
        a.contains("class=\"section-tasks complete\""),
        "a finished section"
    );
    assert_checkboxes_labelled(a, 8, "spec.html");
    assert!(
        a.contains("<label class=\"task-item\"><input type=\"checkbox\" disabled> <strong>signatures</strong> with <code>code</code></label>"),
        "inline markup stays inside the label"
    );

    // A page with a checklist inside a prompt tag: only the real tasks count.
    let guide = read(book.join("guide.html"));
    let g = article(&guide);
    assert!(g.contains("<strong>1</strong> of 2 tasks done"), "{g}");
    assert_checkboxes_labelled(g, 4, "guide.html");

    // A skill: no progress at all, its checkboxes still labelled.
    let skill = read(book.join("pack/prompt-skill/index.html"));
    let s = article(&skill);
    assert!(!s.contains("tasks-progress"), "no task bar on a skill");
    assert!(!s.contains("section-tasks"));
    assert_checkboxes_labelled(s, 4, "prompt-skill");

    // Unless its front matter asks for it.
    let tracked = read(book.join("pack/tracked-skill/index.html"));
    assert!(
        article(&tracked).contains("<strong>1</strong> of 2 tasks done"),
        "task-progress: true"
    );
}

#[test]
fn checkbox_labels_survive_the_sanitizer_and_hostile_labels_lose_for() {
    let (_t, book) = built();
    let raw = read(book.join("raw.html"));
    let a = article(&raw);
    assert!(a.contains("raw html"), "the page was rendered");
    assert!(
        a.contains("<label class=\"task-item\"><input type=\"checkbox\" disabled=\"\"> first <em>item</em></label>"),
        "{a}"
    );
    assert!(a.contains("<label>hostile label</label>"), "{a}");
    assert!(!a.contains("onclick") && !a.contains("for=\"nav-toggle\""));
}

#[test]
fn skill_files_are_a_tree_with_viewer_pages() {
    let (_t, book) = built();
    let page = read(book.join("pack/tools/index.html"));
    let footer = &page[page.find("id=\"skill-files\"").expect("files heading")..];
    let footer = &footer[..footer.find("</section>").unwrap()];
    // Folders nest: scripts/ holds lib/, which holds util.py; names, not full paths.
    // (The content's own `files/` folder comes first, with a `scripts/` of its own.)
    let scripts = footer.rfind("scripts/</summary>").expect("scripts folder");
    let lib = scripts
        + footer[scripts..]
            .find("lib/</summary>")
            .expect("lib folder");
    let util = lib + footer[lib..].find(">util.py</a>").expect("util.py by name");
    assert!(scripts < lib && lib < util, "{footer}");
    assert!(!footer.contains(">scripts/lib/util.py<"), "no full paths");
    let nested = &footer[scripts..util];
    assert_eq!(
        nested.matches("<ul class=\"file-tree\">").count(),
        2,
        "scripts/ and lib/ each open a nested list: {nested}"
    );
    // A text file links to its viewer page and to the raw file beside it.
    assert!(
        footer.contains("<a href=\"../../pack/tools/files/scripts/run.sh.html\">run.sh</a> <a class=\"file-raw muted\" href=\"../../pack/tools/scripts/run.sh\" download"),
        "{footer}"
    );
    // Markdown links to its page; a binary and a big file to the raw file only.
    assert!(
        footer.contains("<a href=\"../../pack/tools/references/guide.html\">guide.md</a>"),
        "{footer}"
    );
    assert!(
        footer.contains("<a href=\"../../pack/tools/assets/logo.png\">logo.png</a>"),
        "{footer}"
    );
    assert!(
        footer.contains("<a href=\"../../pack/tools/data/notes.txt\">notes.txt</a>"),
        "{footer}"
    );
    assert!(!book.join("pack/tools/files/assets/logo.png.html").exists());
    assert!(
        !book.join("pack/tools/files/data/notes.txt.html").exists(),
        "over 256 KiB"
    );
    // Content at a viewer's path wins: the file is published, no viewer replaces it.
    assert_eq!(
        read(book.join("pack/tools/files/scripts/lib/other.py.html")),
        "CONTENT WINS\n"
    );
    assert!(
        footer.contains("<a href=\"../../pack/tools/scripts/lib/other.py\">other.py</a>"),
        "{footer}"
    );

    // The viewer page: in the theme, highlighted, escaped, hidden characters marked.
    let viewer = read(book.join("pack/tools/files/scripts/run.sh.html"));
    assert!(viewer.contains("<meta http-equiv=\"Content-Security-Policy\""));
    assert!(
        viewer.contains("href=\"../../../../static/css/skillsite.css\""),
        "theme assets from the page's depth"
    );
    let v = article(&viewer);
    assert!(v.contains("<code>scripts/run.sh</code></h1>"), "{v}");
    assert!(v.contains("class=\"hl-"), "highlighted: {v}");
    assert!(
        v.contains("&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;")
            || v.contains("&lt;script&gt;"),
        "escaped: {v}"
    );
    assert!(!v.contains("<script>alert"), "never markup: {v}");
    assert!(
        v.contains("<mark class=\"hidden-char\""),
        "U+202E shown: {v}"
    );
    assert!(
        v.contains("href=\"../../../../pack/tools/index.html\">tools</a>"),
        "breadcrumb to the skill: {v}"
    );
    assert!(
        v.contains("href=\"../../../../pack/tools/scripts/run.sh\" download>Download raw file</a>"),
        "{v}"
    );
    assert!(
        v.contains("nothing on this page runs it"),
        "a script says it is not run"
    );
    // The raw file is published unchanged.
    assert!(read(book.join("pack/tools/scripts/run.sh")).contains("<script>alert(1)</script>"));
    let py = read(book.join("pack/tools/files/scripts/lib/util.py.html"));
    assert!(article(&py).contains("class=\"hl-"), "python highlighted");
}

fn catalog(book: &Path) -> serde_json::Value {
    serde_json::from_str(&read(book.join("catalog.json"))).unwrap()
}

fn titles(book: &Path) -> Vec<(String, String)> {
    catalog(book)["packs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["title"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn build_fixture(name: &str, sub: &str) -> (tempfile::TempDir, PathBuf) {
    let (t, dir) = fixture(name);
    let book = t.path().join("book");
    let (code, _, err) = run(skillsite(&dir)
        .arg("build")
        .arg(dir.join(sub))
        .arg("-d")
        .arg(&book));
    assert_eq!(code, 0, "{err}");
    (t, book)
}

#[test]
fn pack_titles_come_from_manifests() {
    // A title the README writes stays, even when it reads like the folder's name.
    let (_t0, book) = built();
    assert!(
        titles(&book).contains(&("pack".into(), "Pack".into())),
        "{:?}",
        titles(&book)
    );

    // wshobson-agents: plugin folders without a README; names as the manifests write them.
    let (_t, book) = build_fixture("wshobson-agents", ".");
    let t = titles(&book);
    for name in ["debugging-toolkit", "git-pr-workflows"] {
        assert!(
            t.contains(&(name.to_string(), name.to_string())),
            "{name}: {t:?}"
        );
    }
    let page = read(book.join("plugins/git-pr-workflows/index.html"));
    assert!(
        !page.contains("Git pr workflows"),
        "no title made from the slug"
    );
    assert!(
        page.contains("<h1 id=\"title\">git-pr-workflows</h1>"),
        "the page's heading"
    );

    // The plugins fixture: a README title stays, a Codex display name wins, a plugin without a
    // README is called by its manifest name.
    let (_t2, book) = build_fixture("plugins", ".");
    let t = titles(&book);
    for (name, title) in &t {
        let slug_title = {
            let words = name.replace(['-', '_'], " ");
            let mut c = words.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        };
        assert!(
            title != &slug_title || title == name,
            "{name} is titled from its slug: {title}"
        );
    }
    assert!(t.contains(&("toolbox".into(), "toolbox".into())), "{t:?}");
}
