//! Integration tests: run the `skillsite` binary on fixture projects and check the HTML,
//! the files written and the diagnostics printed.

mod common;

use common::{fixture, read, run, skillsite};

/// Adds the files that cannot live in git as text: invalid UTF-8 and a binary `.md`.
fn add_bad_bytes(project: &std::path::Path) {
    let docs = project.join("content/docs");
    std::fs::write(
        docs.join("latin1.md"),
        b"# Caf\xe9 menu\n\nPrices in \xa3.\n",
    )
    .unwrap();
    std::fs::write(
        docs.join("image.md"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01",
    )
    .unwrap();
}

#[test]
fn messy_project_builds_with_warnings_and_keeps_every_page() {
    let (_t, p) = fixture("messy");
    add_bad_bytes(&p);
    let (code, _, err) = run(skillsite(&p).arg("build"));
    assert_eq!(code, 0, "{err}");
    let book = p.join("book");

    // Every Markdown page is there, the binary one copied as a file.
    for page in [
        "index.html",
        "docs/guide.html",
        "docs/colon.html",
        "docs/latin1.html",
        "pack/index.html",
        "pack/good-skill/index.html",
        "pack/bad-yaml-skill/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "docs/notes.txt",
        "docs/image.md",
    ] {
        assert!(book.join(page).is_file(), "missing {page}; stderr:\n{err}");
    }
    assert!(book.join(".skillsite-build").is_file());

    // Diagnostics: rule ids, file:line and hints.
    assert!(
        err.contains("content/README.md:5: warning[broken-link]: link `docs/missing.md`"),
        "{err}"
    );
    assert!(err.contains("content/README.md:5: warning[broken-anchor]: anchor `#no-such-heading` does not exist in `docs/guide.md`"), "{err}");
    assert!(
        err.contains("content/pack/bad-yaml-skill/SKILL.md:4: warning[front-matter]"),
        "{err}"
    );
    assert!(
        err.contains("content/docs/colon.md:3: warning[front-matter]"),
        "{err}"
    );
    assert!(
        err.contains("content/docs/latin1.md: warning[encoding]"),
        "{err}"
    );
    assert!(
        err.contains("content/docs/image.md: warning[binary-markdown]"),
        "{err}"
    );
    assert!(err.contains("= hint:"), "{err}");
    assert!(err.contains("Built 9 pages"), "{err}");

    // Lenient front matter: block scalar, recovered colon value, body kept for hopeless YAML.
    let skill = read(book.join("pack/good-skill/index.html"));
    assert!(
        skill.contains("Use when testing block scalars across lines."),
        "block scalar description"
    );
    let colon = read(book.join("docs/colon.html"));
    assert!(colon.contains("Use when: the value has a colon"));
    let bad = read(book.join("pack/bad-yaml-skill/index.html"));
    assert!(bad.contains("The body must survive."));
    let latin1 = read(book.join("docs/latin1.html"));
    assert!(
        latin1.contains("Caf\u{FFFD} menu"),
        "lossy decoding keeps the page"
    );
}

#[test]
fn markdown_features_render() {
    let (_t, p) = fixture("messy");
    let (code, _, err) = run(skillsite(&p).arg("build"));
    assert_eq!(code, 0, "{err}");
    let guide = read(p.join("book/docs/guide.html"));
    // Unique GitHub-style heading ids with anchors, and the in-page link to the second one.
    assert!(guide.contains("<h2 id=\"setup--install\">"), "{guide}");
    assert!(guide.contains("<h2 id=\"setup--install-1\">"));
    assert!(guide.contains("href=\"#setup--install\""));
    // Highlighting by class; unknown language escaped as plain text.
    assert!(guide.contains("data-lang=\"rust\""));
    assert!(guide.contains("class=\"hl-"));
    assert!(guide.contains("&lt;hi&gt;"));
    assert!(guide.contains("rate(http_requests_total[5m])"));
    // Task list with progress, alert, table, footnote, details kept.
    assert!(guide.contains("class=\"task-list\""));
    assert!(
        guide.contains("1 of 3") || guide.contains(">1</"),
        "task progress shown"
    );
    assert!(guide.contains("alert alert-warning"));
    assert!(guide.contains("<table>"));
    assert!(guide.contains("<details><summary>More</summary>"));
    assert!(guide.contains("<em>markdown</em>"));
    // Inline unknown tag kept as text; scripts, handlers and javascript: URLs removed.
    assert!(guide.contains("&lt;name&gt;"));
    assert!(!guide.contains("alert(\"x\")"));
    assert!(!guide.contains("javascript:"));
    assert!(!guide.contains("onclick"));
    // Heading attributes are user input too: escaped, never a live attribute.
    let colon = read(p.join("book/docs/colon.html"));
    assert!(colon.contains("Attribute injection"));
    assert!(
        !colon.contains("onmouseover=\"alert"),
        "escaped heading attribute"
    );
    // Links rewritten to built pages, relative.
    assert!(guide.contains("href=\"../index.html\""));
    let home = read(p.join("book/index.html"));
    assert!(home.contains("href=\"docs/guide.html\""));
    assert!(home.contains("href=\"pack/good-skill/index.html\""));
    assert!(home.contains("href=\"pack/index.html\""));
    // Edit link and relative assets; no absolute URLs to the site root.
    assert!(guide.contains("https://example.org/edit/content/docs/guide.md"));
    assert!(guide.contains("href=\"../static/css/skillsite.css\""));
    assert!(!guide.contains("href=\"/"), "no root-absolute links");
    // Sitemap lists pages under site-url.
    let sitemap = read(p.join("book/sitemap.xml"));
    assert!(sitemap.contains("<loc>https://example.org/docs/docs/guide.html</loc>"));
}

#[test]
fn prompt_tags_become_sections_with_rendered_markdown() {
    let (_t, p) = fixture("messy");
    run(skillsite(&p).arg("build"));
    let skill = read(p.join("book/pack/good-skill/index.html"));
    assert!(skill.contains("data-tag=\"objective\""), "{skill}");
    assert!(skill.contains("data-tag=\"essential_principles\""));
    assert!(skill.contains("data-tag=\"principle\""));
    assert!(skill.contains("name=\"safety\"") || skill.contains("name=&quot;safety&quot;"));
    assert!(
        skill.contains("<strong>this</strong>"),
        "markdown inside is rendered"
    );
    assert!(skill.contains("<table>"));
    assert!(!skill.contains("&lt;objective&gt;"));
    assert!(!skill.contains("&lt;/essential_principles&gt;"));
}

#[test]
fn strict_fails_and_keeps_the_previous_site() {
    let (_t, p) = fixture("messy");
    let (code, _, _) = run(skillsite(&p).arg("build"));
    assert_eq!(code, 0);
    let before = read(p.join("book/index.html"));
    std::fs::write(
        p.join("content/README.md"),
        "# Changed\n\n[broken](nope.md)\n",
    )
    .unwrap();
    let (code, _, err) = run(skillsite(&p).args(["build", "--strict"]));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error[broken-link]"),
        "warnings shown as errors: {err}"
    );
    assert!(err.contains("nothing written"));
    assert_eq!(
        read(p.join("book/index.html")),
        before,
        "previous site intact"
    );
}

#[test]
fn toml_syntax_error_stops_with_file_line_column() {
    let (_t, p) = fixture("bad-toml");
    let (code, _, err) = run(skillsite(&p).arg("build"));
    assert_eq!(code, 1);
    assert!(err.contains("book.toml:2:"), "{err}");
    assert!(err.contains("error[config-syntax]"), "{err}");
    assert!(!p.join("book").exists());
}

#[test]
fn mdbook_project_follows_summary() {
    let (_t, p) = fixture("mdbook");
    let (code, _, err) = run(skillsite(&p).arg("build"));
    assert_eq!(code, 0, "{err}");
    // An optional preprocessor that is not installed is a warning; unsupported keys too.
    assert!(
        err.contains("warning[preprocessor-missing]: the command `mdbook-katex` for preprocessor `katex` was not found"),
        "{err}"
    );
    assert!(
        err.contains(
            "book.toml:14: warning[config-unsupported]: mdBook key `output.html.mathjax-support`"
        ),
        "{err}"
    );
    let book = p.join("book");
    let install = read(book.join("guide/install.html"));
    // Nav: numbering, part title, draft without link, order.
    let i_install = install.find("1.</").or_else(|| install.find("1.")).unwrap();
    assert!(install.contains("User Guide"));
    assert!(install.contains("On Mars"));
    assert!(install.contains("1.1."));
    assert!(
        install.find("Installation").unwrap() < install.find("Appendix").unwrap_or(usize::MAX)
            || i_install > 0
    );
    // Includes: anchor and line range.
    assert!(
        install.contains("Included <strong>from an anchor</strong>."),
        "{install}"
    );
    assert!(install.contains("helper"));
    assert!(!install.contains("first line"));
    // {{#title}} overrides the <title>.
    let linux = read(book.join("guide/linux.html"));
    assert!(
        linux.contains("<title>Linux install"),
        "{}",
        &linux[..linux.len().min(600)]
    );
    // README.md becomes index.html; prev/next follow SUMMARY order.
    let home = read(book.join("index.html"));
    assert!(home.contains("Welcome to the book."));
    let usage = read(book.join("guide/usage.html"));
    assert!(
        usage.contains("href=\"install.html#installation\"")
            || usage.contains("href=\"../guide/install.html#installation\""),
        "{usage}"
    );
    assert!(!book.join("guide/mars.html").exists());
    // Dark default theme mapped from mdBook's `navy`.
    assert!(home.contains("dark"));
}

#[test]
fn refuses_foreign_destination_and_content_folder() {
    let (_t, p) = fixture("messy");
    let foreign = p.join("precious");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("thesis.txt"), "do not delete").unwrap();
    let (code, _, err) = run(skillsite(&p).args(["build", "-d", "precious"]));
    assert_eq!(code, 1);
    assert!(err.contains("not created by skillsite"), "{err}");
    assert_eq!(read(foreign.join("thesis.txt")), "do not delete");

    let (code, _, err) = run(skillsite(&p).args(["build", "-d", "content"]));
    assert_eq!(code, 1);
    assert!(err.contains("content folder"), "{err}");
    let (code, _, err) = run(skillsite(&p).args(["build", "-d", "."]));
    assert_eq!(code, 1);
    assert!(err.contains("contains the content folder"), "{err}");
    assert!(p.join("content/README.md").is_file());
}

#[test]
fn usage_errors_exit_2() {
    let (_t, p) = fixture("messy");
    let (code, _, _) = run(skillsite(&p).args(["build", "--no-such-flag"]));
    assert_eq!(code, 2);
    let (code, _, _) = run(skillsite(&p).arg("frobnicate"));
    assert_eq!(code, 2);
}

#[test]
fn init_scaffolds_a_project_that_builds_and_refuses_to_overwrite() {
    let t = tempfile::tempdir().unwrap();
    let (code, _, err) = run(skillsite(t.path()).args(["init", "site"]));
    assert_eq!(code, 0, "{err}");
    let site = t.path().join("site");
    assert!(site
        .join("content/example-pack/hello-world/SKILL.md")
        .is_file());
    assert_eq!(read(site.join(".gitignore")), "/book\n/.skillsite-cache\n");
    let (code, _, err) = run(skillsite(&site).args(["build", "--strict"]));
    assert_eq!(code, 0, "a fresh project builds cleanly: {err}");
    assert!(site
        .join("book/example-pack/hello-world/index.html")
        .is_file());

    std::fs::write(site.join("book.toml"), "[book]\ntitle = \"mine\"\n").unwrap();
    let (code, _, err) = run(skillsite(&site).arg("init"));
    assert_eq!(code, 1);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(read(site.join("book.toml")), "[book]\ntitle = \"mine\"\n");
}

#[test]
fn content_folder_without_book_toml_builds_with_defaults() {
    let (_t, p) = fixture("messy");
    let content = p.join("content");
    let out = p.join("out");
    let (code, _, err) = run(skillsite(&p).args(["build", "content", "-d"]).arg(&out));
    assert_eq!(code, 0, "{err}");
    assert!(out.join("docs/guide.html").is_file());
    assert!(!content.join("book").exists());
}

/// A `%` before a multi-byte character in a link (`%aé.md`) once panicked the link checker
/// (a string slice inside a character); now it is a link to a missing file, like any other.
#[test]
fn percent_before_a_multibyte_character_is_not_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("index.md"),
        "# T\n\n[x](%aé.md) [y](%C3%A9.md)\n",
    )
    .unwrap();
    let (code, _, err) = run(skillsite(tmp.path()).arg("build"));
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains("warning[broken-link]"), "{err}");
}
