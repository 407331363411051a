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

// ------------------------------------------------------------------------------ preprocessors

fn python3_available() -> bool {
    let ok = std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipped: the script preprocessors of this test need python3");
    }
    ok
}

#[test]
fn script_preprocessor_transforms_the_book() {
    if !python3_available() {
        return;
    }
    let (_t, p) = fixture("mdbook-preprocessor");
    let (code, _, err) = run(skillsite(&p).args(["build", "--strict"]));
    assert_eq!(code, 0, "{err}");
    let book = p.join("book");
    assert!(read(book.join("index.html")).contains("Say HELLO! to the reader."));
    let usage = read(book.join("usage.html"));
    assert!(usage.contains("Run it, then CHECK! the result."), "{usage}");
    assert!(usage.contains("<title>1 Usage"), "{usage}");
    assert!(read(book.join("details.html")).contains("<title>1.1 Details"));
    // The context it was given: mdBook's fields, book.toml as JSON.
    let input: serde_json::Value =
        serde_json::from_str(&read(p.join("preprocessor-input.json"))).unwrap();
    let ctx = &input[0];
    assert_eq!(ctx["renderer"], "html");
    assert_eq!(ctx["mdbook_version"], "0.5.4");
    assert_eq!(
        ctx["root"].as_str().unwrap(),
        std::fs::canonicalize(&p).unwrap().to_str().unwrap()
    );
    assert_eq!(
        ctx["config"]["preprocessor"]["shout"]["command"],
        "python3 preprocessors/shout.py --suffix !"
    );
    // `check` and `--no-preprocessors` run nothing.
    std::fs::remove_file(p.join("preprocessor-input.json")).unwrap();
    let (code, _, err) = run(skillsite(&p).args(["check"]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("preprocessor `shout`"), "{err}");
    assert!(!p.join("preprocessor-input.json").exists());
    let (code, _, err) = run(skillsite(&p).args(["build", "--no-preprocessors"]));
    assert_eq!(code, 0, "{err}");
    assert!(!p.join("preprocessor-input.json").exists());
    assert!(read(book.join("index.html")).contains("Say {{shout hello}} to the reader."));
}

/// mdBook's own `extension_compatibility` test: the `[context, book]` a preprocessor gets is
/// exactly mdBook 0.5's, and a preprocessor that returns the book unchanged changes no page.
#[test]
fn preprocessor_input_round_trips_mdbook_json() {
    if !python3_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/mdbook-testsuite/books/preprocessor/extension_compatibility");
    let p = tmp.path().join("book-src");
    common::copy_dir(&src, &p);
    // First without the preprocessor (it is optional and absent).
    let (code, _, err) = run(skillsite(&p).arg("build"));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning[preprocessor-missing]: the command `./my-preprocessor` for preprocessor `my-preprocessor` was not found"),
        "{err}"
    );
    let pages = |dir: &std::path::Path| -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = [
            "index.html",
            "prefix.html",
            "chapter_1.html",
            "part/chapter.html",
            "part/sub-chapter.html",
            "suffix.html",
        ]
        .iter()
        .map(|f| (f.to_string(), read(dir.join(f))))
        .collect();
        out.sort();
        out
    };
    let before = pages(&p.join("book"));
    let echo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/mdbook-preprocessor/preprocessors/echo.py");
    std::fs::copy(&echo, p.join("my-preprocessor")).unwrap();
    let (code, _, err) = run(skillsite(&p).arg("build"));
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("preprocessor-missing"), "{err}");
    let got: serde_json::Value =
        serde_json::from_str(&read(p.join("preprocessor-input.json"))).unwrap();
    let root = std::fs::canonicalize(&p).unwrap();
    let want = read(p.join("expected-preprocessor-input.json"))
        .replace("[ROOT]", root.to_str().unwrap())
        .replace("[VERSION]", "0.5.4");
    let want: serde_json::Value = serde_json::from_str(&want).unwrap();
    assert_eq!(got, want);
    assert_eq!(pages(&p.join("book")), before);
}

fn bad_preprocessor(mode: &str, extra: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let (t, p) = fixture("mdbook-preprocessor");
    std::fs::write(
        p.join("book.toml"),
        format!("[book]\ntitle = \"Bad\"\n\n[preprocessor.bad]\ncommand = \"python3 preprocessors/bad.py {mode}\"\n{extra}"),
    )
    .unwrap();
    (t, p)
}

#[test]
fn failing_hanging_and_garbage_preprocessors_stop_the_build() {
    if !python3_available() {
        return;
    }
    for (mode, extra, says) in [
        ("fail", "", "exited unsuccessfully with exit status: 1"),
        (
            "hang",
            "timeout = 1\n",
            "did not finish within 1 s and was stopped",
        ),
        ("garbage", "", "did not print a book in JSON"),
    ] {
        let (_t, p) = bad_preprocessor(mode, extra);
        let start = std::time::Instant::now();
        let (code, _, err) = run(skillsite(&p).arg("build"));
        assert_eq!(code, 1, "{mode}: {err}");
        assert!(
            err.contains(&format!(
                "book.toml:4: error[preprocessor]: preprocessor `bad` (`python3 preprocessors/bad.py {mode}`)"
            )),
            "{mode}: {err}"
        );
        assert!(err.contains(says), "{mode}: {err}");
        assert!(!p.join("book").exists(), "{mode}: nothing is written");
        assert!(start.elapsed() < std::time::Duration::from_secs(30));
    }
}

#[test]
fn missing_unsupported_and_other_renderer_preprocessors() {
    let (_t, p) = fixture("mdbook-preprocessor");
    std::fs::write(
        p.join("book.toml"),
        "[preprocessor.nowhere]\ncommand = \"trduyvbhijnorgevfuhn\"\n",
    )
    .unwrap();
    let (code, _, err) = run(skillsite(&p).arg("build"));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error[preprocessor]: the command `trduyvbhijnorgevfuhn` wasn't found; is the `nowhere` preprocessor installed?"),
        "{err}"
    );
    assert!(err.contains("optional = true"), "{err}");
    assert!(!p.join("book").exists());
    // The default command is `mdbook-NAME`.
    std::fs::write(
        p.join("book.toml"),
        "[preprocessor.trduyvbhij]\noptional = true\n",
    )
    .unwrap();
    let (code, _, err) = run(skillsite(&p).arg("build"));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("the command `mdbook-trduyvbhij`"), "{err}");
    if !python3_available() {
        return;
    }
    // Says it does not support html: skipped; `renderers` without html: skipped.
    for toml in [
        "[preprocessor.bad]\ncommand = \"python3 preprocessors/bad.py unsupported\"\n",
        "[preprocessor.bad]\ncommand = \"python3 preprocessors/bad.py fail\"\nrenderers = [\"pdf\"]\n",
    ] {
        std::fs::write(p.join("book.toml"), toml).unwrap();
        let (code, _, err) = run(skillsite(&p).args(["build", "--strict"]));
        assert_eq!(code, 0, "{toml}: {err}");
        assert!(!p.join("ran").exists());
    }
}

/// A real preprocessor from crates.io: mdbook-admonish (built on the `mdbook` 0.4 crate, so
/// `protocol = "0.4"`). Skipped unless `mdbook-admonish` is on PATH
/// (`cargo install mdbook-admonish`).
#[test]
fn mdbook_admonish_from_crates_io() {
    let found = std::process::Command::new("mdbook-admonish")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("skipped: mdbook-admonish is not installed (`cargo install mdbook-admonish` to run this test)");
        return;
    }
    let (_t, p) = fixture("mdbook-preprocessor");
    std::fs::write(
        p.join("book.toml"),
        "[book]\ntitle = \"Admonish\"\n\n[preprocessor.admonish]\ncommand = \"mdbook-admonish\"\nassets_version = \"3.0.2\"\nprotocol = \"0.4\"\n",
    )
    .unwrap();
    std::fs::write(
        p.join("src/usage.md"),
        "# Usage\n\n```admonish warning title=\"Careful\"\nDo not run this twice.\n```\n",
    )
    .unwrap();
    let (code, _, err) = run(skillsite(&p).arg("build"));
    assert_eq!(code, 0, "{err}");
    let usage = read(p.join("book/usage.html"));
    assert!(usage.contains("admonition"), "{usage}");
    assert!(usage.contains("Careful"), "{usage}");
    assert!(usage.contains("Do not run this twice."), "{usage}");
    assert!(!usage.contains("```admonish"), "{usage}");
}

#[test]
fn output_html_keys_fold_labels_cname_search_hidelines() {
    let (_t, p) = fixture("mdbook-links");
    let toml = read(p.join("book.toml"));
    std::fs::write(
        p.join("book.toml"),
        toml.replace(
            "[output.html.redirect]",
            "[output.html]\nno-section-label = true\ncname = \"docs.example.org\"\nfold = { enable = true, level = 1 }\nsmart-punctuation = true\n\n[output.html.search]\nlimit-results = 7\nuse-boolean-and = true\nchapter = { \"guide/borrowing.md\" = { enable = false }, \"nowhere/\" = { enable = false } }\n\n[output.html.code.hidelines]\npython = \"~\"\n\n[output.html.redirect]",
        ),
    )
    .unwrap();
    std::fs::write(
        p.join("src/guide/borrowing.md"),
        "# Borrowing\n\n## References\n\nIt's \"quoted\" -- and done...\n\n```python\n~import os\nprint(os.name)\n```\n\n```rust\n# let hidden = 1;\nlet shown = 2;\n```\n",
    )
    .unwrap();
    let (code, _, err) = run(skillsite(&p).arg("build"));
    assert_eq!(code, 0, "{err}");
    // The only warning: the search chapter path that names nothing.
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("warning[")).collect();
    assert_eq!(warnings.len(), 1, "{err}");
    assert!(
        err.contains("`[output.html.search.chapter]` names `nowhere/`"),
        "{err}"
    );
    let book = p.join("book");
    assert_eq!(read(book.join("CNAME")), "docs.example.org\n");
    let home = read(book.join("index.html"));
    // fold level 1: static/js/nav.js unfolds the top level (a page's own HTML lists only its
    // branch, whatever the fold level); no section labels anywhere.
    let toc = read(book.join("toc.js"));
    assert!(toc.contains(r#""fold":1,"#), "{toc}");
    assert!(toc.contains(r#""t":"Ownership""#), "{toc}");
    assert!(!toc.contains(r#""n":"#), "no section labels: {toc}");
    assert!(!home.contains("nav-number"), "no section labels: {home}");
    assert!(
        home.contains("data-limit=\"7\" data-boolean-and=\"true\""),
        "{home}"
    );
    let b = read(book.join("guide/borrowing.html"));
    assert!(b.contains("It’s “quoted” – and done…"), "{b}");
    // Hidden lines are kept, in mdBook's `boring` spans, behind a toggle.
    assert!(b.contains("class=\"boring-toggle\""), "{b}");
    // python 1; rust: the hidden line and mdBook's three wrapper lines.
    assert_eq!(b.matches("<span class=\"boring\">").count(), 5, "{b}");
    assert!(b.contains("import"), "{b}");
    assert!(!b.contains("~import"), "{b}");
    assert!(!b.contains("# let hidden"), "{b}");
    // The disabled chapter is not in the search index.
    let index: String = std::fs::read_dir(book.join("search/docs"))
        .unwrap()
        .filter_map(|e| std::fs::read_to_string(e.unwrap().path()).ok())
        .map(|text| {
            let (_, args) = skillsite::index::export::unpack(&text).expect("a fragment file");
            serde_json::Value::Array(args).to_string()
        })
        .collect();
    assert!(index.contains("ownership.html"), "index lists pages");
    assert!(
        !index.contains("borrowing.html"),
        "borrowing.md is left out"
    );
}
