//! Search in Chinese and Japanese: words inside longer runs of CJK text are found by the CLI
//! and by the browser client (run with Node), the site's language is detected from the text,
//! and the static index stays small in files and manifest bytes.
//!
//! Fixtures: `tests/fixtures/cjk-ja` (inventory and supply-chain skills) and
//! `tests/fixtures/cjk-zh` (code review and engineering skills), 30 skills each, no
//! `language` set.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{fixture, read, run, skillsite};

const JA_WORDS: [&str; 14] = [
    "在庫",
    "サプライチェーン",
    "発注",
    "物流",
    "需要予測",
    "調達",
    "倉庫",
    "検査",
    "照合",
    "配送",
    "品質",
    "リードタイム",
    "安全在庫",
    "欠品",
];
const ZH_WORDS: [&str; 14] = [
    "审查",
    "数据库",
    "测试",
    "性能",
    "安全",
    "部署",
    "日志",
    "监控",
    "权限",
    "重构",
    "迁移",
    "配置",
    "代码审查",
    "覆盖率",
];

/// Builds fixture `name`; returns (guard, project, built site).
fn build(name: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let (t, dir) = fixture(name);
    let out = t.path().join("book");
    let (code, _, err) = run(skillsite(&dir).arg("build").arg(".").arg("-d").arg(&out));
    assert_eq!(code, 0, "{err}");
    (t, dir, out)
}

/// Every Markdown file of the project with the URL of its page and its text.
fn pages(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            if p.extension().is_none_or(|x| x != "md") {
                continue;
            }
            let rel = p
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let url = match rel.rsplit_once('/') {
                Some((folder, "SKILL.md" | "README.md")) => format!("{folder}/index.html"),
                None if rel == "README.md" => "index.html".to_string(),
                _ => rel.replace(".md", ".html"),
            };
            out.push((url, read(&p)));
        }
    }
    out.sort();
    out
}

fn cli_urls(site: &Path, query: &str) -> BTreeSet<String> {
    let (code, stdout, stderr) = run(skillsite(site)
        .arg("search")
        .arg(query)
        .arg(site)
        .arg("--json")
        .arg("-n")
        .arg("1000"));
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["url"].as_str().unwrap().to_string())
        .collect()
}

fn node_available() -> bool {
    std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok()
}

/// Every hit of the browser client (`search.parity.cjs --all`), and its JSON.
fn js_search(site: &Path, query: &str, prefix: bool) -> (BTreeSet<String>, serde_json::Value) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/search.parity.cjs");
    let mut cmd = std::process::Command::new("node");
    cmd.arg(&script).arg(site).arg(query).arg("--all");
    if prefix {
        cmd.arg("--prefix");
    }
    let o = cmd.output().unwrap();
    assert!(
        o.status.success(),
        "{query:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let urls = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["url"].as_str().unwrap().to_string())
        .collect();
    (urls, v)
}

/// Recall of every word (pages whose source contains it, found by `search`), checked ≥ 0.9
/// each; returns the mean.
fn recall(
    label: &str,
    pages: &[(String, String)],
    words: &[&str],
    search: &dyn Fn(&str) -> BTreeSet<String>,
) -> f64 {
    let mut sum = 0.0;
    for w in words {
        let truth: BTreeSet<&String> = pages
            .iter()
            .filter(|(_, text)| text.contains(w))
            .map(|(u, _)| u)
            .collect();
        assert!(!truth.is_empty(), "{w} is in no page");
        let found = search(w);
        let hit = truth.iter().filter(|u| found.contains(u.as_str())).count();
        let r = hit as f64 / truth.len() as f64;
        assert!(
            r >= 0.9,
            "{label} {w}: recall {r:.2} ({hit} of {}): missing {:?}",
            truth.len(),
            truth
                .iter()
                .filter(|u| !found.contains(u.as_str()))
                .collect::<Vec<_>>()
        );
        sum += r;
    }
    sum / words.len() as f64
}

fn check_language(out: &Path, lang: &str) {
    let html = read(out.join("index.html"));
    assert!(
        html.contains(&format!("<html lang=\"{lang}\"")),
        "{}",
        &html[..200.min(html.len())]
    );
    let manifest = read(out.join("search/manifest.js"));
    assert!(
        manifest.contains("\"stem\":\"\""),
        "not stemmed: {manifest}"
    );
}

fn check_site(name: &str, lang: &str, words: &[&str]) {
    let (_t, dir, out) = build(name);
    check_language(&out, lang);
    let pages = pages(&dir);
    let cli = recall(&format!("{name} CLI"), &pages, words, &|w| {
        cli_urls(&out, w)
    });
    assert!(cli >= 0.9, "{name}: CLI recall {cli}");
    if !node_available() {
        eprintln!("node not found; skipping the browser half");
        return;
    }
    let js = recall(&format!("{name} browser"), &pages, words, &|w| {
        js_search(&out, w, false).0
    });
    assert!(js >= 0.9, "{name}: browser recall {js}");
    // Phrases: the bigrams of a quoted run at consecutive positions, in the CLI and the
    // browser alike; a run whose bigrams are all on the page but not in this order is not a
    // phrase match.
    for w in words.iter().take(6) {
        let phrase = format!("\"{w}\"");
        let cli = cli_urls(&out, &phrase);
        let truth: BTreeSet<String> = pages
            .iter()
            .filter(|(_, t)| t.contains(w))
            .map(|(u, _)| u.clone())
            .collect();
        assert!(
            truth.iter().filter(|u| cli.contains(*u)).count() * 10 >= truth.len() * 9,
            "{phrase}"
        );
        assert_eq!(
            js_search(&out, &phrase, false).0,
            cli,
            "{phrase}: browser vs CLI"
        );
    }
    // Typing: every prefix of a word finds at least the pages of the whole word, and the same
    // pages as the CLI's prefix mode (a single character stands for the bigrams it starts).
    for w in words.iter().take(4) {
        let chars: Vec<char> = w.chars().collect();
        for k in 1..=chars.len() {
            let typed: String = chars[..k].iter().collect();
            let (js_urls, v) = js_search(&out, &typed, true);
            let (code, stdout, stderr) = run(skillsite(&out)
                .arg("search")
                .arg(&typed)
                .arg(&out)
                .arg("--json")
                .arg("--prefix")
                .arg("-n")
                .arg("1000"));
            assert_eq!(code, 0, "{stderr}");
            let c: serde_json::Value = serde_json::from_str(&stdout).unwrap();
            assert_eq!(v["total"], c["total"], "{typed:?}: totals");
            let cli_urls: BTreeSet<String> = c["hits"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h["url"].as_str().unwrap().to_string())
                .collect();
            assert_eq!(js_urls, cli_urls, "{typed:?}");
        }
    }
}

#[test]
fn japanese_words_inside_runs_are_found() {
    check_site("cjk-ja", "ja", &JA_WORDS);
}

#[test]
fn chinese_words_inside_runs_are_found() {
    check_site("cjk-zh", "zh", &ZH_WORDS);
}

/// A larger Japanese site (the fixture's skills ten times over, 300 skills): the static index
/// has at most about 2 files per 10 pages and a small manifest, whatever the number of
/// bigrams.
#[test]
fn cjk_index_has_few_files_and_a_small_manifest() {
    let (t, dir) = fixture("cjk-ja");
    let skills = dir.join("skills");
    let originals: Vec<PathBuf> = std::fs::read_dir(&skills)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    for copy in 1..10 {
        for o in &originals {
            let name = format!("{}-{copy}", o.file_name().unwrap().to_string_lossy());
            let target = skills.join(&name);
            std::fs::create_dir_all(&target).unwrap();
            let text = read(o.join("SKILL.md")).replacen(
                &format!("name: {}", o.file_name().unwrap().to_string_lossy()),
                &format!("name: {name}"),
                1,
            );
            // Vary the text a little so the copies are not identical.
            std::fs::write(
                target.join("SKILL.md"),
                format!("{text}\n第{copy}版の補足。\n"),
            )
            .unwrap();
        }
    }
    let out = t.path().join("book");
    let (code, _, err) = run(skillsite(&dir).arg("build").arg(".").arg("-d").arg(&out));
    assert_eq!(code, 0, "{err}");
    // "Built 304 pages (...)" on stderr.
    let pages = err
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or_else(|| panic!("{err}"));
    assert!(pages >= 300, "{err}");
    let mut files = 0;
    let mut stack = vec![out.join("search")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            if e.path().is_dir() {
                if e.file_name() != "tantivy" {
                    stack.push(e.path());
                }
            } else {
                files += 1;
            }
        }
    }
    assert!(files <= pages / 5 + 16, "{files} files for {pages} pages");
    let manifest = std::fs::metadata(out.join("search/manifest.js"))
        .unwrap()
        .len();
    assert!(manifest < 8 * 1024, "manifest {manifest} bytes");
    let found = cli_urls(&out, "サプライチェーン");
    assert!(found.len() >= 100, "{}", found.len());
}
