//! Search: the index stage's files, `skillsite search` on the sample site (text and JSON), and
//! the browser client's ranking (run with Node when it is installed) agreeing with the CLI.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{read, run, skillsite};

/// The sample site built once for every test: (guard, output folder).
fn sample() -> &'static (tempfile::TempDir, PathBuf) {
    static SITE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    SITE.get_or_init(|| {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("book");
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let (code, _, err) = run(skillsite(root).arg("build").arg(".").arg("-d").arg(&out));
        assert_eq!(code, 0, "{err}");
        (t, out)
    })
}

fn search_json(args: &[&str]) -> serde_json::Value {
    let (_, out) = sample();
    let mut cmd = skillsite(out);
    cmd.arg("search").args(args).arg(out).arg("--json");
    let (code, stdout, stderr) = run(&mut cmd);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

fn urls(v: &serde_json::Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["url"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn build_writes_the_index_and_the_static_export() {
    let (_, out) = sample();
    // The tantivy index is kept beside the site, not in it.
    assert!(!out.join("search/tantivy").exists());
    assert!(out
        .parent()
        .unwrap()
        .join(".skillsite-cache/book/tantivy/meta.json")
        .is_file());
    let manifest = read(out.join("search/manifest.js"));
    assert!(
        manifest.starts_with("window.__skillsiteSearch.manifest({"),
        "{manifest}"
    );
    assert!(out.join("search/index.html").is_file());
    assert!(out.join("search/facets/kind.js").is_file());
    assert!(out.join("search/docs/0.js").is_file());
    assert!(out.join("static/js/search-core.js").is_file());
    // Shards and lexicons are numbered runs of terms; "terraform" is in one of each.
    for dir in ["shards", "lex"] {
        let files: Vec<PathBuf> = std::fs::read_dir(out.join("search").join(dir))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        assert!(
            out.join("search").join(dir).join("0.js").is_file(),
            "{files:?}"
        );
        // Written gzip-compressed (base64 of the bytes): unpacked to be read.
        let text = |f: &PathBuf| {
            let (_, args) = skillsite::index::export::unpack(&read(f))
                .unwrap_or_else(|| panic!("{} does not unpack", f.display()));
            serde_json::Value::Array(args).to_string()
        };
        assert!(
            files.iter().any(|f| text(f).contains("\"terraform\"")),
            "{dir}: {files:?}"
        );
    }
    // Every page has the search slot; without JS it stays hidden.
    let html = read(out.join("runbooks/incident-response.html"));
    assert!(
        html.contains(r#"<div id="search" data-root="../" hidden></div>"#),
        "{html}"
    );
}

#[test]
fn drafts_and_404_are_not_indexed() {
    let (_, out) = sample();
    // Fragments come in runs of consecutive documents: docs/C.js holds the run starting at
    // the manifest's chunks[C].
    let chunks = std::fs::read_dir(out.join("search/docs")).unwrap().count();
    let mut urls = Vec::new();
    for c in 0..chunks {
        let d = read(out.join(format!("search/docs/{c}.js")));
        // The fragments are written gzip-compressed, as a base64 string.
        assert!(
            d.starts_with(&format!("window.__skillsiteSearch.docs({c},\"H4sI")),
            "docs/{c}.js: {d}"
        );
        let (name, args) = skillsite::index::export::unpack(&d)
            .unwrap_or_else(|| panic!("docs/{c}.js does not unpack: {d}"));
        assert_eq!((name.as_str(), &args[0]), ("docs", &serde_json::json!(c)));
        let frags = args[1].as_array().unwrap();
        urls.extend(frags.iter().map(|f| f["u"].as_str().unwrap().to_string()));
    }
    let manifest = read(out.join("search/manifest.js"));
    assert!(
        manifest.contains(&format!("\"docs\":{},", urls.len())),
        "every document has one fragment: {} fragments, {manifest}",
        urls.len()
    );
    assert!(!urls.iter().any(|u| u.contains("404")), "{urls:?}");
    assert!(
        urls.iter().any(|u| u == "runbooks/incident-response.html"),
        "{urls:?}"
    );
}

#[test]
fn terraform_state_ranks_the_skill_first() {
    let v = search_json(&["terraform state"]);
    let u = urls(&v);
    assert_eq!(
        u[0], "axiom-cloud-infrastructure/terraform-state-management/index.html",
        "{v:#}"
    );
    let first = &v["hits"][0];
    assert_eq!(first["kind"], "skill");
    assert_eq!(first["types"], serde_json::json!(["technique"]));
    assert!(first["snippet"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains("state"));
}

#[test]
fn incident_finds_the_runbooks_and_the_planned_skill() {
    let v = search_json(&["incident"]);
    let u = urls(&v);
    assert!(
        u.iter().any(|u| u == "runbooks/incident-response.html"),
        "{u:?}"
    );
    assert!(u.iter().any(|u| u == "runbooks/index.html"), "{u:?}");
    let planned: Vec<&serde_json::Value> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["planned"] == true)
        .collect();
    assert!(
        planned
            .iter()
            .any(|h| h["title"] == "incident-response-workflows"
                && h["url"]
                    == "axiom-cloud-infrastructure/index.html#12-incident-response-workflows"),
        "{v:#}"
    );
    // The runbook and the planned skill named after it lead.
    let top2: Vec<&str> = u.iter().take(2).map(String::as_str).collect();
    assert!(top2.contains(&"runbooks/incident-response.html"), "{u:?}");
    assert!(
        top2.contains(&"axiom-cloud-infrastructure/index.html#12-incident-response-workflows"),
        "{u:?}"
    );
}

#[test]
fn filters_phrases_and_typos() {
    let v = search_json(&["kind:runbook"]);
    assert_eq!(v["total"], 3, "{v:#}");
    assert!(urls(&v).iter().all(|u| u.starts_with("runbooks/")));
    let v = search_json(&["state type:technique"]);
    assert!(
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["types"].as_array().unwrap().contains(&"technique".into())),
        "{v:#}"
    );
    assert!(v["total"].as_u64().unwrap() >= 2, "{v:#}");
    // A typo in a long word still finds it.
    let v = search_json(&["terrafrom"]);
    assert_eq!(
        urls(&v)[0],
        "axiom-cloud-infrastructure/terraform-state-management/index.html",
        "{v:#}"
    );
    // A phrase must appear as written.
    let loose = search_json(&["state lock"])["total"].as_u64().unwrap();
    let exact = search_json(&["\"state lock\""])["total"].as_u64().unwrap();
    assert!(exact >= 1 && exact <= loose, "{exact} {loose}");
    // Prefix mode completes the last word.
    let v = search_json(&["terraf", "--prefix"]);
    assert!(v["total"].as_u64().unwrap() >= 2, "{v:#}");
    assert_eq!(search_json(&["terraf"])["total"], 0);
}

#[test]
fn text_output_and_in_memory_index() {
    // On the project folder (book/ not built there): indexes in memory, says so on stderr.
    let t = tempfile::tempdir().unwrap();
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content/runbooks"),
        &t.path().join("runbooks"),
    );
    let (code, stdout, stderr) = run(skillsite(t.path()).arg("search").arg("rollback"));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("in memory"), "{stderr}");
    assert!(stdout.starts_with(" 1. Roll back a deployment"), "{stdout}");
    assert!(
        stdout.contains("runbooks/rollback-a-deployment.html"),
        "{stdout}"
    );
    assert!(stdout.contains("**"), "highlighted: {stdout}");
    let (code, stdout, _) = run(skillsite(t.path()).arg("search").arg("zzzzqqq"));
    assert_eq!(code, 0);
    assert!(stdout.contains("No results"), "{stdout}");
}

/// The browser client, run by Node on the exported files, ranks like the CLI (top 5) for a
/// set of queries. Skipped when `node` is not installed.
#[test]
fn browser_ranking_matches_the_cli() {
    if std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("node not found; skipping the JS parity test");
        return;
    }
    let (_, out) = sample();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/search.parity.cjs");
    let queries = [
        ("terraform state", false),
        ("incident", false),
        ("incident response", false),
        ("kubernetes deployment", false),
        ("rollback", false),
        ("secrets rotation", false),
        ("state type:technique", false),
        ("kind:runbook", false),
        ("terrafrom", false),
        ("deploym", true),
        ("skill regis", true),
        ("architecture", false),
        ("level:advanced", false),
        ("monitoring alerts", false),
        ("docker", false),
        ("the", false),
        ("kubernets deploymnt", false),
        ("rollbak", false),
        ("secre", true),
        ("incident respo", true),
        ("ca", true),
        ("pipeline level:advanced", true),
        // Phrases: exact in the browser too (positions files).
        ("\"incident response\"", false),
        ("\"response incident\"", false),
        ("\"terraform state\"", false),
        ("\"state terraform\"", false),
        ("\"remote state\" terraform", false),
        ("deploy \"kubernetes deployment\"", false),
        ("\"rolling back\"", true),
        ("\"the skill\"", false),
    ];
    for (q, prefix) in queries {
        let mut args = vec![q];
        if prefix {
            args.push("--prefix");
        }
        let cli = search_json(&args);
        let cli_top: Vec<String> = urls(&cli).into_iter().take(5).collect();
        let mut node = std::process::Command::new("node");
        node.arg(&script).arg(out).arg(q);
        if prefix {
            node.arg("--prefix");
        }
        let o = node.output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let js: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let js_top: Vec<String> = js["hits"]
            .as_array()
            .unwrap()
            .iter()
            .take(5)
            .map(|h| h["url"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(js_top, cli_top, "query {q:?}: browser vs CLI");
        assert_eq!(js["total"], cli["total"], "query {q:?}: totals");
        // Scores agree to f32 rounding.
        for (a, b) in js["hits"]
            .as_array()
            .unwrap()
            .iter()
            .zip(cli["hits"].as_array().unwrap())
        {
            let (a, b) = (a["score"].as_f64().unwrap(), b["score"].as_f64().unwrap());
            assert!(
                (a - b).abs() <= 1e-4 * b.abs().max(1.0),
                "query {q:?}: score {a} vs {b}"
            );
        }
    }
}

/// The browser's analyzer (runs, CJK bigrams, lowercasing, diacritics folding, Snowball
/// English port) gives exactly the index's terms (`index::analyze`), stemmed and not, on every
/// word of the sample content and on tricky Unicode in many scripts. Skipped when `node` is
/// not installed.
#[test]
fn browser_analyzer_matches_the_index() {
    if std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("node not found; skipping the analyzer parity test");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut text = String::from(
        "ΣΊΣΥΦΟΣ İstanbul STRASSE straße naïve café Ünïcödé 東京タワー ١٢٣ ½ x² \
         caresses ponies ties cats agreed disabled matting mating meeting milling messing \
         generously happily skies dying lying crying sky news howe atlas cosmos bias andes \
         succeeded proceeded exceeded inning outing canning herring earring evening \
         communism generous organization universal emergency arsenal past pasted \
         aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa \
         ééééééééééééééééééé éééééééééééééééééééé y Y yes yyy 'quoted' it's o'neill \
         在庫管理システムのサプライチェーン・ロジスティクス 代码审查和数据库设计 코드 리뷰와 테스트 \
         ｶﾞｲﾄﾞ ＡＢＣ１２３ 々〇 𠀋𡈽 PostgreSQL数据库v2 Привет мир Γειά σου مرحبا بالعالم \
         हिन्दी भाषा ภาษาไทย e\u{301}cole ﬁle ㍻ 🚀emoji👩‍💻code <script>alert(1)</script> .*+?^${}()|[]\\",
    );
    for e in walk(&root.join("content")) {
        text.push('\n');
        text.push_str(&std::fs::read_to_string(e).unwrap_or_default());
    }
    for (stemming, name) in [
        (skillsite::index::analyze::Stemming::English, "en"),
        (skillsite::index::analyze::Stemming::None, ""),
    ] {
        let want = skillsite::index::analyze::analyze(&text, stemming);
        let script = "const c = require(process.argv[1]); let s = ''; \
                      process.stdin.on('data', d => s += d); \
                      process.stdin.on('end', () => process.stdout.write(JSON.stringify(c.analyze(s, process.argv[2]))));";
        let mut child = std::process::Command::new("node")
            .arg("-e")
            .arg(script)
            .arg(root.join("themes/default/static/js/search-core.js"))
            .arg(name)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        let got: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
        assert!(want.len() > 20_000, "{}", want.len());
        for (i, (g, w)) in got.iter().zip(&want).enumerate() {
            assert_eq!(g, w, "token {i} ({name:?})");
        }
        assert_eq!(got.len(), want.len());
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// A small English pack where `postgres` is a common word and one skill is about PostgreSQL.
fn postgres_site() -> &'static (tempfile::TempDir, PathBuf) {
    static SITE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    SITE.get_or_init(|| {
        let t = tempfile::tempdir().unwrap();
        let src = t.path().join("src");
        let skill = |name: &str, desc: &str, body: &str| {
            let d = src.join("skills").join(name);
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(
                d.join("SKILL.md"),
                format!("---\nname: {name}\ndescription: {desc}\n---\n\n# {name}\n\n{body}\n"),
            )
            .unwrap();
        };
        std::fs::create_dir_all(&src).unwrap();
        std::fs::write(
            src.join("README.md"),
            "# Database skills\n\nSkills for databases.\n",
        )
        .unwrap();
        for i in 0..20 {
            skill(
                &format!("db-helper-{i:02}"),
                "Use when a service talks to a database",
                &"Connect to postgres with a pooled client; postgres needs a migration plan. "
                    .repeat(1 + i % 4),
            );
        }
        skill(
            "postgresql-table-design",
            "Design PostgreSQL tables: keys, indexes, partitioning",
            "Choose primary keys, normalise, add indexes for the queries you run.",
        );
        skill(
            "redis-caching",
            "Cache hot keys in Redis",
            "Expire keys; avoid thundering herds.",
        );
        let out = t.path().join("book");
        let (code, _, err) = run(skillsite(&src).arg("build").arg(".").arg("-d").arg(&out));
        assert_eq!(code, 0, "{err}");
        (t, out)
    })
}

/// The word being typed is also a prefix even when it is a word of its own: `postgres` finds
/// the *PostgreSQL Table Design* skill in the top 3, below no page that merely mentions
/// `postgres` less; the browser client ranks the same.
#[test]
fn a_typed_word_is_also_a_prefix() {
    let (_, out) = postgres_site();
    let (code, stdout, stderr) = run(skillsite(out)
        .arg("search")
        .arg("postgres")
        .arg(out)
        .arg("--prefix")
        .arg("--json"));
    assert_eq!(code, 0, "{stderr}");
    let cli: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let top: Vec<String> = urls(&cli).into_iter().take(3).collect();
    assert!(
        top.contains(&"skills/postgresql-table-design/index.html".to_string()),
        "{top:?}"
    );
    // Every page with the whole word is still found.
    assert_eq!(cli["total"], 21, "{cli}");
    if std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_err()
    {
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/search.parity.cjs");
    for (q, prefix) in [
        ("postgres", true),
        ("postgre", true),
        ("postgres", false),
        ("postgresql", true),
    ] {
        let mut node = std::process::Command::new("node");
        node.arg(&script).arg(out).arg(q);
        let mut cmd = skillsite(out);
        cmd.arg("search").arg(q).arg(out).arg("--json");
        if prefix {
            node.arg("--prefix");
            cmd.arg("--prefix");
        }
        let o = node.output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let js: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let (_, stdout, _) = run(&mut cmd);
        let cli: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        let js_urls: Vec<&str> = js["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["url"].as_str().unwrap())
            .collect();
        let cli_urls: Vec<&str> = cli["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["url"].as_str().unwrap())
            .collect();
        assert_eq!(js_urls, cli_urls, "{q:?} prefix={prefix}");
        assert_eq!(js["total"], cli["total"], "{q:?}");
    }
}

/// `build` keeps the tantivy index in `.skillsite-cache/` beside the build folder, out of the
/// published site, and replaces it on the next build; `skillsite search` finds it from the
/// project folder and from the built site.
#[test]
fn the_cli_index_lives_in_a_cache_beside_the_site() {
    let (_t, dir) = common::fixture("cjk-zh");
    for _ in 0..2 {
        let (code, _, err) = run(skillsite(&dir).arg("build"));
        assert_eq!(code, 0, "{err}");
    }
    assert!(!dir.join("book/search/tantivy").exists());
    assert!(dir
        .join(".skillsite-cache/book/tantivy/meta.json")
        .is_file());
    // One index, no leftovers of the previous build but its folders, emptied, for the next
    // build to reuse (src/write/mod.rs).
    let mut entries: Vec<String> = std::fs::read_dir(dir.join(".skillsite-cache"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    assert_eq!(entries, ["book", "book.folders"]);
    for target in [dir.clone(), dir.join("book")] {
        let (code, stdout, stderr) = run(skillsite(&dir)
            .arg("search")
            .arg("数据库")
            .arg(&target)
            .arg("--json"));
        assert_eq!(code, 0, "{stderr}");
        assert!(!stderr.contains("in memory"), "{stderr}");
        let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert!(v["total"].as_u64().unwrap() > 0, "{v}");
    }
}

/// Bad input never fails: an empty query, 1,000 characters, regex and HTML metacharacters,
/// emoji, mixed scripts in one word, and a page holding a 200 KB single-word token; the CLI
/// exits 0 with JSON and the browser client (Node) resolves with the CLI's total.
#[test]
fn bad_input_gives_results_or_none_never_a_failure() {
    let t = tempfile::tempdir().unwrap();
    let src = t.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    let token = "z".repeat(200 * 1024);
    std::fs::write(
        src.join("README.md"),
        format!("# Odd page\n\nA token: {token} then words.\n\nMixed: Kubernetes集群 and Привет世界 and naïve🚀rocket.\n"),
    )
    .unwrap();
    std::fs::write(
        src.join("other.md"),
        "# Other\n\nPlain words about clusters.\n",
    )
    .unwrap();
    let out = t.path().join("book");
    let (code, _, err) = run(skillsite(&src).arg("build").arg(".").arg("-d").arg(&out));
    assert_eq!(code, 0, "{err}");
    let long = "deploy ".repeat(143);
    let queries: Vec<String> = vec![
        String::new(),
        "   ".into(),
        long[..1000].to_string(),
        "x".repeat(1000),
        ".*+?^${}()|[]\\\\ /a(b/".into(),
        "<script>alert(1)</script> &amp; \"".into(),
        "🚀🔥 👩‍💻".into(),
        "naïve🚀rocket".into(),
        "Kubernetes集群".into(),
        "Привет世界".into(),
        // A query as long as a command-line argument may be (the 200 KB token is in the page).
        "z".repeat(100 * 1024),
        "\"".into(),
        "\"unclosed phrase".into(),
        "kind: tag:\"\" type:".into(),
        "\u{7}\u{202e}\u{feff}".into(),
    ];
    let node = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/search.parity.cjs");
    for q in &queries {
        for prefix in [false, true] {
            let mut cmd = skillsite(&out);
            cmd.arg("search").arg("--json");
            if prefix {
                cmd.arg("--prefix");
            }
            cmd.arg("--").arg(q).arg(&out);
            let (code, stdout, stderr) = run(&mut cmd);
            let shown: String = q.chars().take(40).collect();
            assert_eq!(code, 0, "{shown:?}: {stderr}");
            let cli: serde_json::Value = serde_json::from_str(&stdout)
                .unwrap_or_else(|e| panic!("{shown:?}: {e}: {stdout}"));
            if !node {
                continue;
            }
            let mut js = std::process::Command::new("node");
            js.arg(&script).arg(&out).arg(q);
            if prefix {
                js.arg("--prefix");
            }
            let o = js.output().unwrap();
            assert!(
                o.status.success(),
                "{shown:?}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            let js: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            assert_eq!(js["total"], cli["total"], "{shown:?} prefix={prefix}");
        }
    }
    // The mixed-script words are found by their parts.
    for q in ["集群", "kubernetes", "rocket", "naive", "世界"] {
        let (code, stdout, _) = run(skillsite(&out).arg("search").arg(q).arg(&out).arg("--json"));
        assert_eq!(code, 0);
        let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(v["total"], 1, "{q}: {v}");
    }
}
