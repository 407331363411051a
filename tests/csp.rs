//! The Content-Security-Policy in the built site: every generated `.html` file carries the
//! policy of `render::csp` in a `<meta>` right after `<meta charset>`, and nothing in it
//! would need `'unsafe-inline'`: no `<script>` without `src`, no `on*=` attribute, no
//! `javascript:` URL, no `<style>` element and no `style=` attribute other than the
//! table-alignment values the policy allows by hash. Checked on the sample site, the messy
//! fixture and the vendored superpowers pack, and on a page that uses every feature of the
//! default theme that once had an inline style or script (task bar, diagram, table alignment).

mod common;

use std::path::{Path, PathBuf};

use common::{run, skillsite};
use skillsite::render::csp::{
    not_found_policy, CONTENT_SECURITY_POLICY, HASHED_STYLE_ATTRIBUTES, NOT_FOUND_SCRIPT,
};

/// The `<meta>` as the theme prints it (the policy unescaped: it has no `"`, `&` or `<`).
fn meta() -> String {
    format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}\">")
}

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            html_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "html") {
            out.push(p);
        }
    }
}

/// One start tag: its lowercase name and its attributes (lowercase name, raw value).
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
    /// Byte offset just after the tag's `>`.
    end: usize,
}

/// Start tags of `html`, read the way a browser tokenizes them (quoted values may hold `>`).
/// Text outside tags is never looked at: escaped code such as `&lt;a onclick=` is not a tag.
fn tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' || !b.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic()) {
            // Skip comments whole: `<!-- <script> -->` is not a tag.
            if b[i..].starts_with(b"<!--") {
                i = b[i..]
                    .windows(3)
                    .position(|w| w == b"-->")
                    .map_or(b.len(), |e| i + e + 3);
            } else {
                i += 1;
            }
            continue;
        }
        let mut j = i + 1;
        while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' && b[j] != b'/' {
            j += 1;
        }
        let name = html[i + 1..j].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while j < b.len() && (b[j].is_ascii_whitespace() || b[j] == b'/') {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' {
                break;
            }
            let start = j;
            while j < b.len() && !b[j].is_ascii_whitespace() && !matches!(b[j], b'=' | b'>' | b'/')
            {
                j += 1;
            }
            let attr = html[start..j].to_ascii_lowercase();
            let mut value = String::new();
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < b.len() && b[j] == b'=' {
                j += 1;
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                    let q = b[j];
                    let from = j + 1;
                    j = from + html[from..].bytes().position(|c| c == q).unwrap_or(0);
                    value = html[from..j].to_string();
                    j += 1;
                } else {
                    let from = j;
                    while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                        j += 1;
                    }
                    value = html[from..j].to_string();
                }
            }
            if attr.is_empty() {
                j += 1;
            } else {
                attrs.push((attr, value));
            }
        }
        out.push(Tag {
            name,
            attrs,
            end: j + 1,
        });
        i = j + 1;
    }
    out
}

/// Everything in `html` that the policy would block, or that breaks it (missing meta).
fn problems(html: &str) -> Vec<String> {
    let mut bad = Vec::new();
    let meta = meta();
    match html.find("<meta charset=\"utf-8\">") {
        Some(at) => {
            let after = html[at + "<meta charset=\"utf-8\">".len()..].trim_start();
            if !after.starts_with(&meta) {
                bad.push("the CSP <meta> is not right after <meta charset>".to_string());
            }
        }
        None => bad.push("no <meta charset=\"utf-8\">".to_string()),
    }
    if html
        .matches("http-equiv=\"Content-Security-Policy\"")
        .count()
        != 1
    {
        bad.push("not exactly one CSP <meta>".to_string());
    }
    for t in tags(html) {
        if t.name == "script" {
            let src = t.attrs.iter().any(|(a, v)| a == "src" && !v.is_empty());
            let body = html[t.end..].split("</script>").next().unwrap_or("");
            if !src || !body.trim().is_empty() {
                bad.push(format!("inline <script> at byte {}", t.end));
            }
        }
        if t.name == "style" {
            bad.push("<style> element".to_string());
        }
        for (a, v) in &t.attrs {
            if a.starts_with("on") {
                bad.push(format!("<{} {a}=\"{v}\">", t.name));
            }
            if a == "style" && !HASHED_STYLE_ATTRIBUTES.contains(&v.as_str()) {
                bad.push(format!("<{} style=\"{v}\">", t.name));
            }
            let v = v.trim_start().to_ascii_lowercase();
            if matches!(
                a.as_str(),
                "href" | "src" | "action" | "formaction" | "xlink:href"
            ) && (v.starts_with("javascript:") || v.starts_with("&#"))
            {
                bad.push(format!("<{} {a}=\"{v}\">", t.name));
            }
        }
    }
    bad
}

fn check_site(book: &Path) -> usize {
    let mut files = Vec::new();
    html_files(book, &mut files);
    assert!(!files.is_empty(), "no .html in {}", book.display());
    let mut all = Vec::new();
    for f in &files {
        let mut html = common::read(f);
        if f.file_name().is_some_and(|n| n == "404.html") && html.contains(NOT_FOUND_SCRIPT) {
            // Without site-url, 404.html carries its root finder inline and its policy allows
            // exactly that script by hash; everything else is checked as on any page.
            let ours = format!("<script>{NOT_FOUND_SCRIPT}</script>");
            let policy = not_found_policy();
            assert_eq!(html.matches(&ours).count(), 1, "404.html: one root finder");
            assert!(
                html.contains(&policy),
                "404.html: its policy allows the root finder"
            );
            html = html
                .replacen(&ours, "", 1)
                .replacen(&policy, CONTENT_SECURITY_POLICY, 1);
        }
        for p in problems(&html) {
            all.push(format!("{}: {p}", f.strip_prefix(book).unwrap().display()));
        }
    }
    assert!(all.is_empty(), "{}", all.join("\n"));
    files.len()
}

#[test]
fn checker_finds_what_the_policy_blocks() {
    let ok = format!("<head>\n<meta charset=\"utf-8\">\n  {}\n<script src=\"a.js\"></script></head><td style=\"text-align: center\">x</td><pre>&lt;a onclick=\"x\"&gt;</pre><!-- <script>x</script> --><p title=\"a > b onclick=x\">", meta());
    assert_eq!(problems(&ok), Vec::<String>::new());
    for bad in [
        "<script>alert(1)</script>",
        "<SCRIPT >alert(1)</SCRIPT>",
        "<script src=\"a.js\">alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg><a xlink:href=\"javascript:alert(1)\">",
        "<a href=\" JavaScript:alert(1)\">",
        "<div style=\"color: red\">",
        "<svg><style>a{}</style></svg>",
        "<body/onload=alert(1)>",
    ] {
        assert!(
            !problems(&format!("{ok}{bad}")).is_empty(),
            "not caught: {bad}"
        );
    }
    assert!(!problems("<meta charset=\"utf-8\"><title>x</title>").is_empty());
}

#[test]
fn every_built_page_has_the_policy_and_nothing_inline() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let t = tempfile::tempdir().unwrap();
    let book = t.path().join("sample");
    let (code, _, err) = run(skillsite(root).arg("build").arg(".").arg("-d").arg(&book));
    assert_eq!(code, 0, "{err}");
    let n = check_site(&book);
    assert!(n >= 10, "{n} pages");
    for name in ["messy", "superpowers", "catalog", "mdbook"] {
        let (_tmp, p) = common::fixture(name);
        let out = p.join("csp-out");
        run(skillsite(&p).arg("build").arg("-d").arg(&out));
        check_site(&out);
    }
}

#[test]
fn theme_features_that_had_inline_styles_need_none() {
    let t = tempfile::tempdir().unwrap();
    let src = t.path().join("site");
    std::fs::create_dir_all(src.join("pack/skill-a/scripts/deep")).unwrap();
    std::fs::write(
        src.join("README.md"),
        "# Home\n\n| L | C | R |\n|:--|:-:|--:|\n| a | b | c |\n\n```dot\ndigraph { a -> b [label=\"uses\"]; }\n```\n\n- [x] done\n- [ ] todo\n",
    )
    .unwrap();
    std::fs::write(
        src.join("pack/skill-a/SKILL.md"),
        "---\nname: skill-a\ndescription: A skill with files in sub-folders.\n---\n\n# Skill A\n\nText.\n",
    )
    .unwrap();
    std::fs::write(src.join("pack/skill-a/scripts/run.sh"), "echo hi\n").unwrap();
    std::fs::write(src.join("pack/skill-a/scripts/deep/x.py"), "print(1)\n").unwrap();
    let book = t.path().join("book");
    let (code, _, err) = run(skillsite(t.path())
        .arg("build")
        .arg(&src)
        .arg("-d")
        .arg(&book));
    assert_eq!(code, 0, "{err}");
    check_site(&book);
    let home = common::read(book.join("index.html"));
    for v in HASHED_STYLE_ATTRIBUTES {
        assert!(home.contains(&format!("style=\"{v}\"")), "{v}");
    }
    assert!(home.contains("<svg class=\"tasks-bar-fill\""), "task bar");
    assert!(home.contains("<svg class=\"diagram\""), "diagram");
    let skill = common::read(book.join("pack/skill-a/index.html"));
    assert!(
        skill.contains("deep/</summary>") && skill.matches("<ul class=\"file-tree\">").count() >= 3,
        "the file tree nests its folders (no inline indentation)"
    );
}
