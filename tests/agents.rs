//! The agent-facing outputs of a build (`src/render/agent_files.rs`) and `skillsite mcp`
//! (`src/mcp.rs`), on `tests/fixtures/agents`: the well-known skill indexes and what they point
//! at, reproducible archives, the skills left out with a warning, `llms-full.txt`, the Markdown
//! twins, and the MCP server spoken to over stdio in JSON-RPC. The real `skills` CLI and MCP
//! inspector run in `tests/agents_cli.rs`.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{fixture, read, run, skillsite};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

fn build(project: &Path, dest: &Path) -> String {
    let (code, _, err) = run(skillsite(project).arg("build").arg(".").arg("-d").arg(dest));
    assert_eq!(code, 0, "{err}");
    err
}

fn json_file(path: impl AsRef<Path>) -> Value {
    serde_json::from_str(&read(path)).unwrap()
}

fn sha256(bytes: &[u8]) -> String {
    let h = Sha256::digest(bytes);
    format!(
        "sha256:{}",
        h.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}

/// Every file below `dir`: relative path → bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walk(dir) {
        let rel = e
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        out.insert(rel, std::fs::read(&e).unwrap());
    }
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// The files of a `.tar.gz`: path → (bytes, mode, mtime).
fn untar(bytes: &[u8]) -> BTreeMap<String, (Vec<u8>, u32, u64)> {
    let mut ar = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    ar.entries()
        .unwrap()
        .map(|e| {
            let mut e = e.unwrap();
            let path = e.path().unwrap().to_string_lossy().into_owned();
            let (mode, mtime) = (e.header().mode().unwrap(), e.header().mtime().unwrap());
            let mut data = Vec::new();
            e.read_to_end(&mut data).unwrap();
            (path, (data, mode, mtime))
        })
        .collect()
}

const SKILLS: &str = "content/toolbox/skills";

#[test]
fn well_known_indexes_point_at_the_skills_bytes() {
    let (_t, project) = fixture("agents");
    let book = project.join("book");
    build(&project, &book);
    let wk = book.join(".well-known");

    // RFC 0.2.0
    let v2 = json_file(wk.join("agent-skills/index.json"));
    assert_eq!(
        v2["$schema"],
        "https://schemas.agentskills.io/discovery/0.2.0/schema.json"
    );
    let entries = v2["skills"].as_array().unwrap();
    let names: Vec<&str> = entries
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["multi-file", "one-file"]);
    let index_url = wk.join("agent-skills/index.json");
    for e in entries {
        let keys: Vec<&String> = e.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["description", "digest", "name", "type", "url"]);
        // The url is relative to the index; the digest is of the bytes served there.
        let target = index_url.parent().unwrap().join(e["url"].as_str().unwrap());
        let bytes = std::fs::read(&target).unwrap_or_else(|e| panic!("{target:?}: {e}"));
        assert_eq!(e["digest"].as_str().unwrap(), sha256(&bytes));
        let desc = e["description"].as_str().unwrap();
        assert!(!desc.is_empty() && desc.chars().count() <= 1024);
    }
    let one = &entries[1];
    assert_eq!(one["type"], "skill-md");
    assert_eq!(one["url"], "../skills/one-file/SKILL.md");
    assert_eq!(
        std::fs::read(wk.join("skills/one-file/SKILL.md")).unwrap(),
        std::fs::read(project.join(SKILLS).join("one-file/SKILL.md")).unwrap()
    );
    let multi = &entries[0];
    assert_eq!(multi["type"], "archive");
    assert_eq!(multi["url"], "multi-file.tar.gz");

    // The archive holds the skill folder, byte for byte, with fixed metadata.
    let archive = untar(&std::fs::read(wk.join("agent-skills/multi-file.tar.gz")).unwrap());
    let source = tree(&project.join(SKILLS).join("multi-file"));
    assert_eq!(
        archive.keys().collect::<Vec<_>>(),
        source.keys().collect::<Vec<_>>()
    );
    for (path, (bytes, mode, mtime)) in &archive {
        assert_eq!(bytes, &source[path], "{path}");
        assert_eq!(*mtime, 0, "{path}");
        let expected = if path.ends_with(".sh") { 0o755 } else { 0o644 };
        assert_eq!(*mode, expected, "{path}");
    }

    // The earlier layout: the file list, each file served under .well-known/skills/NAME/.
    let v1 = json_file(wk.join("skills/index.json"));
    let multi = v1["skills"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "multi-file")
        .unwrap();
    assert_eq!(
        multi["files"],
        json!([
            "SKILL.md",
            "references/data.csv",
            "references/deep/notes.md",
            "references/guide.md",
            "scripts/migrate.sh"
        ])
    );
    assert_eq!(tree(&wk.join("skills/multi-file")), source);
}

#[test]
fn two_builds_give_identical_archives_and_indexes() {
    let (_t, project) = fixture("agents");
    let (a, b) = (project.join("a"), project.join("b"));
    build(&project, &a);
    // A later mtime on every source file must not change a byte.
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
    for f in walk(&project.join(SKILLS)) {
        std::fs::File::options()
            .write(true)
            .open(&f)
            .unwrap()
            .set_modified(later)
            .unwrap();
    }
    build(&project, &b);
    let (ta, tb) = (tree(&a.join(".well-known")), tree(&b.join(".well-known")));
    assert!(ta.contains_key("agent-skills/multi-file.tar.gz"));
    assert_eq!(ta, tb);
}

#[test]
fn skills_an_agent_tool_would_refuse_are_left_out_with_a_warning() {
    let (_t, project) = fixture("agents");
    let skills = project.join(SKILLS);
    let write = |rel: &str, text: &str| {
        let p = skills.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    let skill = |name: &str, folder: &str| {
        write(
            &format!("{folder}/SKILL.md"),
            &format!(
                "---\nname: {name}\ndescription: Use when testing {folder}.\n---\n\n# {folder}\n"
            ),
        );
    };
    skill("Bad_Name", "bad-name");
    write(
        "folder-name/SKILL.md",
        "---\ndescription: Use when the name comes from the folder.\n---\n\n# Folder name\n",
    );
    skill("linked", "linked");
    let outside = project.parent().unwrap().join("secret.txt");
    std::fs::write(&outside, "secret").unwrap();
    std::os::unix::fs::symlink(&outside, skills.join("linked/secret.txt")).unwrap();
    skill("crowded", "crowded");
    for i in 0..1000 {
        write(&format!("crowded/refs/{i:04}.txt"), "x");
    }
    skill("heavy", "heavy");
    std::fs::File::create(skills.join("heavy/blob.bin"))
        .unwrap()
        .set_len(10 * 1024 * 1024 + 1)
        .unwrap();
    skill("oddpath", "oddpath");
    write("oddpath/what?.txt", "?");
    // The same name in a second pack: the first (catalog order) is published.
    std::fs::create_dir_all(project.join("content/zzz/one-file")).unwrap();
    std::fs::write(
        project.join("content/zzz/one-file/SKILL.md"),
        "---\nname: one-file\ndescription: Use when shadowing.\n---\n\n# Shadow\n",
    )
    .unwrap();
    // Hidden characters in a description are shown in the index, as in llms.txt.
    write(
        "hidden-desc/SKILL.md",
        "---\nname: hidden-desc\ndescription: \"Use when formatting dates.\u{E0049}\u{E0047}\"\n---\n\n# Hidden\n",
    );

    let book = project.join("book");
    let (_, _, err) = run(skillsite(&project)
        .arg("build")
        .arg(".")
        .arg("-d")
        .arg(&book));
    let warned = |name: &str, why: &str| {
        let line = err
            .lines()
            .find(|l| l.contains("warning[agent-index]") && l.contains(&format!("skill `{name}` ")))
            .unwrap_or_else(|| panic!("no agent-index warning for {name}:\n{err}"));
        assert!(line.contains(why), "{line}");
    };
    warned("Bad_Name", "may only contain lowercase letters");
    warned("folder-name", "front matter lacks `name` or `description`");
    warned("linked", "is a symbolic link to");
    warned(
        "crowded",
        "holds 1001 files; the `skills` CLI takes at most 1000",
    );
    warned("heavy", "`blob.bin` is 10.0 MiB");
    warned("oddpath", "`what?.txt`");
    warned(
        "one-file",
        "another skill of the same name is published first",
    );

    let v2 = json_file(book.join(".well-known/agent-skills/index.json"));
    let names: Vec<&str> = v2["skills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["hidden-desc", "multi-file", "one-file"]);
    let one = &v2["skills"][2];
    assert_eq!(
        one["digest"].as_str().unwrap(),
        sha256(&std::fs::read(skills.join("one-file/SKILL.md")).unwrap()),
        "the first one-file is published, not the shadow"
    );
    assert_eq!(
        v2["skills"][0]["description"],
        "Use when formatting dates.⟦hidden text: IG⟧"
    );
    let v1 = json_file(book.join(".well-known/skills/index.json"));
    assert_eq!(v1["skills"].as_array().unwrap().len(), 3);
    assert!(!book.join(".well-known/skills/linked").exists());
    assert!(!book
        .join(".well-known/agent-skills/crowded.tar.gz")
        .exists());
}

#[test]
fn llms_full_txt_and_markdown_twins() {
    let (_t, project) = fixture("agents");
    let book = project.join("book");
    build(&project, &book);
    let full = read(book.join("llms-full.txt"));
    assert!(full.starts_with("# Agents fixture\n\n> Skills installed by agent tools\n"));
    for name in ["one-file", "multi-file"] {
        let source = read(project.join(SKILLS).join(name).join("SKILL.md"));
        assert!(
            full.contains(&format!("```markdown\n{source}```\n")),
            "{name}'s SKILL.md verbatim in llms-full.txt"
        );
        assert!(full.contains(&format!(
            "URL: https://skills.example.org/catalog/toolbox/skills/{name}/index.html"
        )));
    }
    assert!(full.find("## Toolbox").unwrap() < full.find("### multi-file").unwrap());

    // Each page's source beside it at its own path, linked from the head.
    let page = read(book.join("toolbox/skills/multi-file/index.html"));
    assert!(page.contains(
        r#"<link rel="alternate" type="text/markdown" href="../../../toolbox/skills/multi-file/SKILL.md">"#
    ));
    assert_eq!(
        std::fs::read(book.join("toolbox/skills/multi-file/SKILL.md")).unwrap(),
        std::fs::read(project.join(SKILLS).join("multi-file/SKILL.md")).unwrap()
    );
    let guide = read(book.join("toolbox/skills/multi-file/references/guide.html"));
    assert!(guide.contains(
        r#"type="text/markdown" href="../../../../toolbox/skills/multi-file/references/guide.md">"#
    ));
    assert_eq!(
        read(book.join("toolbox/skills/multi-file/references/guide.md")),
        read(project.join(SKILLS).join("multi-file/references/guide.md"))
    );
    assert!(read(book.join("index.html")).contains(r#"type="text/markdown" href="README.md">"#));
    assert_eq!(
        read(book.join("README.md")),
        read(project.join("content/README.md"))
    );
    assert!(read(book.join("catalog.html"))
        .contains(r#"<link rel="alternate" type="text/markdown" href="llms.txt">"#));
    // A page without a source (the 404 page) has no twin and no link.
    assert!(!read(book.join("404.html")).contains("text/markdown"));
}

#[test]
fn install_command_needs_a_site_url_and_a_valid_name() {
    let (_t, project) = fixture("agents");
    let diags = skillsite::diagnostics::Diagnostics::new();
    let load = |project: &Path| {
        let config = skillsite::load::config::Config::load(project, &diags).unwrap();
        let mut site = skillsite::load::load_with(config, &diags).unwrap();
        skillsite::transform::transform(&mut site, &diags, false);
        site
    };
    let site = load(&project);
    let id = |site: &skillsite::model::Site, name: &str| {
        site.catalog
            .skills
            .iter()
            .position(|s| s.name == name)
            .unwrap()
    };
    use skillsite::render::agent_files::install_command;
    assert_eq!(
        install_command(&site, id(&site, "one-file")).as_deref(),
        Some("npx skills add https://skills.example.org/catalog/ --skill one-file")
    );
    let mut no_url = site.clone();
    no_url.config.html.site_url = None;
    assert_eq!(install_command(&no_url, id(&site, "one-file")), None);
    let mut bad = site.clone();
    let i = id(&site, "one-file");
    bad.catalog.skills[i].name = "One File".into();
    assert_eq!(install_command(&bad, i), None);
    let mut odd = site.clone();
    odd.config.html.site_url = Some("https://example.org/a b/".into());
    assert_eq!(
        install_command(&odd, i).as_deref(),
        Some("npx skills add 'https://example.org/a b/' --skill one-file")
    );
}

/// A line-delimited JSON-RPC session with `skillsite mcp DIR`: sends `requests` (each gets an
/// id from 1) after the MCP handshake and returns the results by id.
fn mcp_session(dir: &Path, requests: &[(&str, Value)]) -> Vec<Value> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_skillsite"))
        .arg("mcp")
        .arg(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut send = move |v: Value| {
        writeln!(stdin, "{v}").unwrap();
        stdin.flush().unwrap();
    };
    let mut recv = |id: u64| -> Value {
        loop {
            let mut line = String::new();
            assert!(
                stdout.read_line(&mut line).unwrap() > 0,
                "server closed stdout"
            );
            let v: Value = serde_json::from_str(&line).unwrap();
            if v["id"] == id {
                assert!(v.get("error").is_none(), "{v}");
                return v["result"].clone();
            }
        }
    };
    send(
        json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {},
        "clientInfo": {"name": "skillsite-tests", "version": "0"}}}),
    );
    let init = recv(0);
    assert_eq!(init["serverInfo"]["name"], "skillsite");
    send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
    let mut out = Vec::new();
    for (i, (method, params)) in requests.iter().enumerate() {
        let id = i as u64 + 1;
        send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        out.push(recv(id));
    }
    drop(send); // closes stdin: the server ends
    assert!(child.wait().unwrap().success());
    out
}

fn tool_text(result: &Value, i: usize) -> &str {
    result["content"][i]["text"].as_str().unwrap()
}

#[test]
fn mcp_server_searches_and_reads_skills_in_memory_and_from_a_build() {
    let (_t, project) = fixture("agents");
    std::fs::create_dir_all(project.join(SKILLS).join("hidden-desc")).unwrap();
    std::fs::write(
        project.join(SKILLS).join("hidden-desc/SKILL.md"),
        "---\nname: hidden-desc\ndescription: Use when formatting dates.\n---\n\n# Hidden\n\nSay hi\u{200B}there.\n",
    )
    .unwrap();
    let requests = [
        ("tools/list", json!({})),
        (
            "tools/call",
            json!({"name": "search_skills", "arguments": {"query": "flux capacitor"}}),
        ),
        (
            "tools/call",
            json!({"name": "search_skills", "arguments": {"query": "widget", "pack": "nope"}}),
        ),
        (
            "tools/call",
            json!({"name": "get_skill", "arguments": {"name": "toolbox:multi-file"}}),
        ),
        ("tools/call", json!({"name": "list_packs", "arguments": {}})),
        ("resources/list", json!({})),
        (
            "resources/read",
            json!({"uri": "skillsite://skill/toolbox/hidden-desc/SKILL.md"}),
        ),
    ];
    let book = project.join("book");
    // First in memory (no build folder yet: nothing may be written), then from the build.
    let memory = mcp_session(&project, &requests);
    assert!(!book.exists(), "skillsite mcp wrote a build folder");
    build(&project, &book);
    let built = mcp_session(&book, &requests);
    for r in [&memory, &built] {
        let tools: Vec<&str> = r[0]["tools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        assert_eq!(tools, ["get_skill", "list_packs", "search_skills"]);
        let found: Value = serde_json::from_str(tool_text(&r[1], 0)).unwrap();
        let first = &found["results"][0];
        assert_eq!(first["name"], "multi-file", "{found}");
        assert_eq!(first["pack"], "toolbox");
        assert_eq!(
            first["url"],
            "https://skills.example.org/catalog/toolbox/skills/multi-file/index.html"
        );
        assert!(first["score"].as_f64().unwrap() > 0.0);
        let none: Value = serde_json::from_str(tool_text(&r[2], 0)).unwrap();
        assert_eq!(none["results"], json!([]));
        let meta: Value = serde_json::from_str(tool_text(&r[3], 0)).unwrap();
        assert_eq!(meta["files"].as_array().unwrap().len(), 5);
        assert_eq!(
            meta["install"],
            "npx skills add https://skills.example.org/catalog/ --skill multi-file"
        );
        assert_eq!(
            tool_text(&r[3], 1),
            read(project.join(SKILLS).join("multi-file/SKILL.md"))
        );
        let packs: Value = serde_json::from_str(tool_text(&r[4], 0)).unwrap();
        assert_eq!(packs["packs"][0]["name"], "toolbox");
        let uris: Vec<&str> = r[5]["resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["uri"].as_str().unwrap())
            .collect();
        assert!(uris.contains(&"skillsite://skill/toolbox/one-file/SKILL.md"));
        // Hidden characters are shown to the agent as markers.
        let text = r[6]["contents"][0]["text"].as_str().unwrap();
        assert!(text.contains("Say hi⟦U+200B⟧there."), "{text}");
    }
}
