//! mdBook books as mdBook builds them (issue 16): `.html` links to chapters, redirects.

mod common;

use common::{fixture, read, run, skillsite};

#[test]
fn html_chapter_links_resolve_and_are_checked() {
    let (_t, p) = fixture("mdbook-links");
    let (code, _, err) = run(skillsite(&p).arg("build"));
    assert_eq!(code, 0, "{err}");
    // Exactly the two deliberate problems, nothing about the `.html` links that exist.
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("warning[")).collect();
    assert_eq!(warnings.len(), 2, "{err}");
    assert!(
        err.contains("borrowing.md:6: warning[broken-link]: link `missing.html`"),
        "{err}"
    );
    assert!(
        err.contains("borrowing.md:6: warning[broken-anchor]: anchor `#nope`"),
        "{err}"
    );
    let book = p.join("book");
    let home = read(book.join("index.html"));
    for href in [
        "href=\"guide/ownership.html#what-is-ownership\"",
        "href=\"guide/index.html\"",
        "href=\"guide/borrowing.html\"",
        "href=\"old/start.html\"",
    ] {
        assert!(home.contains(href), "{href} in {home}");
    }
    let guide = read(book.join("guide/index.html"));
    assert!(
        guide.contains("href=\"../guide/ownership.html\""),
        "{guide}"
    );
    assert!(guide.contains("href=\"../index.html\""), "{guide}");
}

#[test]
fn html_chapter_links_build_strict() {
    let (_t, p) = fixture("mdbook-links");
    // Without the two deliberate problems, `--strict` passes: no false warning.
    std::fs::write(
        p.join("src/guide/borrowing.md"),
        "# Borrowing\n\n## References\n\nBack to [ownership](ownership.html#what-is-ownership).\n",
    )
    .unwrap();
    let (code, _, err) = run(skillsite(&p).args(["build", "--strict"]));
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("warning["), "{err}");
}

#[test]
fn redirects_are_written_with_an_external_script() {
    let (_t, p) = fixture("mdbook-links");
    let (code, _, err) = run(skillsite(&p).arg("build"));
    assert_eq!(code, 0, "{err}");
    let book = p.join("book");
    let old = read(book.join("old/start.html"));
    assert!(
        old.contains("<meta http-equiv=\"refresh\" content=\"0; URL=../guide/ownership.html\">"),
        "{old}"
    );
    assert!(old.contains("<link rel=\"canonical\" href=\"../guide/ownership.html\">"));
    assert!(old.contains("src=\"../static/js/redirect.js\""), "{old}");
    assert!(
        old.contains(
            "data-fragments=\"{&quot;#gone&quot;:&quot;../guide/ownership.html#borrowing&quot;}\""
        ),
        "{old}"
    );
    assert!(old.contains("Content-Security-Policy"));
    // No inline script: every <script> has a src.
    assert_eq!(
        old.matches("<script").count(),
        old.matches("<script src=").count()
    );
    let moved = read(book.join("moved.html"));
    assert!(moved.contains("URL=https://example.org/moved/"), "{moved}");
    assert!(book.join("static/js/redirect.js").is_file());
}

#[test]
fn bad_redirects_are_errors_naming_the_old_path() {
    let (_t, p) = fixture("mdbook-links");
    let toml = read(p.join("book.toml"));
    std::fs::write(
        p.join("book.toml"),
        format!(
            "{toml}\"/guide/ownership.html\" = \"x.html\"\n\"/only.html#frag\" = \"x.html\"\n\"/../escape.html\" = \"x.html\"\n\"/js.html\" = \"javascript:alert(1)\"\n"
        ),
    )
    .unwrap();
    let (code, _, err) = run(skillsite(&p).arg("build"));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(
            "error[redirect]: redirect found for existing chapter at `/guide/ownership.html`"
        ),
        "{err}"
    );
    assert!(
        err.contains("redirect entry for `/only.html` only has source paths with `#` fragments"),
        "{err}"
    );
    assert!(err.contains("redirect `/../escape.html`"), "{err}");
    assert!(
        err.contains("warning[unsafe-url]: redirect `/js.html` is not written"),
        "{err}"
    );
    let book = p.join("book");
    // The chapter is intact, the good redirects are still written, the bad ones are not.
    assert!(read(book.join("guide/ownership.html")).contains("Values have an owner."));
    assert!(book.join("old/start.html").is_file());
    assert!(!book.join("only.html").exists());
    assert!(!book.join("js.html").exists());
    assert!(!p.join("escape.html").exists());
}
