//! External preprocessors (`[preprocessor.NAME]` in `book.toml`) through mdBook's protocol.
//!
//! The protocol (mdBook 0.5, <https://rust-lang.github.io/mdBook/for_developers/preprocessors.html>,
//! checked against mdBook's `extension_compatibility` test):
//!
//! 1. `COMMAND supports html`: exit status 0 means the preprocessor handles the `html`
//!    renderer; any other status skips it.
//! 2. `COMMAND` with the JSON array `[context, book]` on stdin, where `context` is
//!    `{"root", "config", "renderer": "html", "mdbook_version"}` and `book` is
//!    `{"items": [...]}` (see [`book_json`]); it prints the changed book on stdout.
//!
//! `COMMAND` is the `command` key split as a shell would (no shell runs it), default
//! `mdbook-NAME`; a relative program path is relative to the project root, which is also the
//! working folder. Order: by name, then `before`/`after`; mdBook's built-in `links` and
//! `index` are skillsite's own, run before (when loading the pages). `renderers` without
//! `html` skips one. `protocol = "0.4"` (skillsite's key) speaks mdBook 0.4's JSON instead,
//! `{"sections": [...], "__non_exhaustive": null}`, for preprocessors built on the `mdbook`
//! 0.4 crate (most of crates.io's); their output is read in either form.
//!
//! Problems: a missing command is an error naming the command to install (a warning with
//! `optional = true`); a non-zero exit, a run longer than `timeout` seconds (default 60; the
//! process group is killed), output that is not a book in JSON, and an ordering cycle are
//! errors naming the preprocessor and its command. They are returned as `Err`: the build
//! stops and writes nothing.
//!
//! Running a preprocessor runs code the project names, as mdBook does: `skillsite check`
//! runs none, `build --no-preprocessors` and `serve --no-preprocessors` neither (see
//! docs/security.md).

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::config::PreprocessorConfig;
use crate::model::{NavNode, PageId, Site};

/// The renderer skillsite is, as a preprocessor is told (`context.renderer`).
pub const RENDERER: &str = "html";

/// The mdBook version skillsite speaks the protocol of (`context.mdbook_version`).
pub const MDBOOK_VERSION: &str = "0.5.4";

/// The version told to a preprocessor with `protocol = "0.4"`.
pub const MDBOOK_04_VERSION: &str = "0.4.52";

/// Runs the configured preprocessors over `site`'s chapters, in order. Each one gets the book
/// as the previous one left it; the pages' bodies and titles are replaced by what the last
/// one returns. `Err` carries the first fatal problem (the rest are not run).
pub fn run(site: &mut Site, diags: &Diagnostics) -> Result<(), Diagnostic> {
    if site.config.preprocessors.is_empty() {
        return Ok(());
    }
    let file = site
        .config
        .file
        .clone()
        .unwrap_or_else(|| site.config.root.join("book.toml"));
    let file = crate::util::path::clean(&file);
    let order = order(&site.config.preprocessors).map_err(|cycle| {
        Diagnostic::error(
            "preprocessor",
            format!(
                "the preprocessors' `before`/`after` form a cycle: {}",
                cycle.join(" → ")
            ),
        )
        .at(&file)
        .hint("remove one of the `before`/`after` entries")
    })?;
    let root = std::fs::canonicalize(&site.config.root).unwrap_or(site.config.root.clone());
    // The home page copied from the first chapter (no README.md) follows that chapter.
    let home_copy = (site.pages[0].source.is_none() && !site.pages[0].body.is_empty())
        .then(|| {
            (1..site.pages.len()).find(|&i| {
                site.pages[i].source.is_some() && site.pages[i].body == site.pages[0].body
            })
        })
        .flatten();
    let mut book = book_json(site);
    for i in order {
        let p = &site.config.preprocessors[i];
        if p.renderers
            .as_ref()
            .is_some_and(|r| !r.iter().any(|r| r == RENDERER))
        {
            continue;
        }
        let err = |msg: String, hint: &str| {
            Diagnostic::error("preprocessor", msg)
                .at(&file)
                .line(p.line)
                .hint(hint.to_string())
        };
        let Some(argv) = shlex::split(&p.command).filter(|a| !a.is_empty()) else {
            return Err(err(
                format!(
                    "preprocessor `{}`: cannot read its command `{}`",
                    p.name, p.command
                ),
                "check the quoting of `command`",
            ));
        };
        let timeout = Duration::from_secs(p.timeout_secs);
        let program = program_path(&argv[0], &root);
        let probe = run_command(
            &program,
            &argv[1..],
            &["supports", RENDERER],
            &root,
            None,
            timeout,
        );
        match probe {
            Err(RunError::NotFound) if p.optional => {
                diags.push(
                    Diagnostic::warning(
                        "preprocessor-missing",
                        format!(
                            "the command `{}` for preprocessor `{}` was not found; it is optional, so the book is built without it",
                            argv[0], p.name
                        ),
                    )
                    .at(&file)
                    .line(p.line)
                    .hint(format!("install it (`cargo install mdbook-{}` for most) to build the book as its author does", p.name)),
                );
                continue;
            }
            Err(RunError::NotFound) => {
                return Err(err(
                    format!(
                        "the command `{}` wasn't found; is the `{}` preprocessor installed?",
                        argv[0], p.name
                    ),
                    &format!(
                        "install it (`cargo install mdbook-{}` for most), or set `optional = true` in `[preprocessor.{}]` to build without it",
                        p.name, p.name
                    ),
                ))
            }
            Err(e) => {
                return Err(err(
                    format!("preprocessor `{}` (`{}`) failed its `supports {RENDERER}` check: {e}", p.name, p.command),
                    "run the command by hand to see why",
                ))
            }
            Ok((status, _)) if !status.success() => continue,
            Ok(_) => {}
        }
        // mdBook 0.4 reads the config back as TOML, which has no null: leave those keys out.
        let config = if p.protocol_04 {
            without_nulls(&site.config.raw)
        } else {
            site.config.raw.clone()
        };
        let context = json!({
            "root": root.to_string_lossy(),
            "config": config,
            "renderer": RENDERER,
            "mdbook_version": if p.protocol_04 { MDBOOK_04_VERSION } else { MDBOOK_VERSION },
        });
        let sent = if p.protocol_04 {
            json!({ "sections": book["items"], "__non_exhaustive": null })
        } else {
            book.clone()
        };
        let input = serde_json::to_vec(&json!([context, sent])).expect("JSON values serialize");
        let (status, stdout) = run_command(&program, &argv[1..], &[], &root, Some(input), timeout)
            .map_err(|e| {
                err(
                    format!("preprocessor `{}` (`{}`) {e}", p.name, p.command),
                    "run the command by hand to see why; `timeout = SECONDS` in its section allows longer runs",
                )
            })?;
        if !status.success() {
            return Err(err(
                format!(
                    "preprocessor `{}` (`{}`) exited unsuccessfully with {status}",
                    p.name, p.command
                ),
                "its own messages, if any, are printed above",
            ));
        }
        book = parse_book(&stdout).map_err(|e| {
            err(
                format!(
                    "preprocessor `{}` (`{}`) did not print a book in JSON: {e}",
                    p.name, p.command
                ),
                "a preprocessor prints the book it was given (`{\"items\": [...]}`), changed, on stdout",
            )
        })?;
    }
    apply(site, &book, diags, &file);
    if let Some(i) = home_copy {
        site.pages[0].body = site.pages[i].body.clone();
    }
    Ok(())
}

/// The order to run them in: by name, then `before`/`after` (names that are not external
/// preprocessors, such as `links`, are ignored). `Err` holds the names of a cycle.
fn order(ps: &[PreprocessorConfig]) -> Result<Vec<usize>, Vec<String>> {
    let mut by_name: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, p) in ps.iter().enumerate() {
        by_name.insert(&p.name, i);
    }
    // edges[a] contains b: a runs before b.
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); ps.len()];
    for (i, p) in ps.iter().enumerate() {
        for b in &p.before {
            if let Some(&j) = by_name.get(b.as_str()) {
                edges[i].push(j);
            }
        }
        for a in &p.after {
            if let Some(&j) = by_name.get(a.as_str()) {
                edges[j].push(i);
            }
        }
    }
    let mut indegree = vec![0usize; ps.len()];
    for e in &edges {
        for &j in e {
            indegree[j] += 1;
        }
    }
    let mut out = Vec::new();
    let mut done = vec![false; ps.len()];
    while out.len() < ps.len() {
        // The first name (alphabetically) with nothing left before it.
        let Some(&next) = by_name.values().find(|&&i| !done[i] && indegree[i] == 0) else {
            return Err(by_name
                .iter()
                .filter(|(_, &i)| !done[i])
                .map(|(n, _)| (*n).to_string())
                .collect());
        };
        done[next] = true;
        out.push(next);
        for &j in &edges[next] {
            indegree[j] -= 1;
        }
    }
    Ok(out)
}

/// A program named in `command`: a relative path with a `/` is relative to the project root;
/// a bare name is looked up on `PATH`.
fn program_path(program: &str, root: &Path) -> PathBuf {
    let p = Path::new(program);
    if p.is_relative() && program.contains('/') {
        root.join(p)
    } else {
        p.to_path_buf()
    }
}

/// Why a command did not give an exit status.
#[derive(Debug)]
enum RunError {
    NotFound,
    Timeout(Duration),
    Io(std::io::Error),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::NotFound => write!(f, "was not found"),
            RunError::Timeout(d) => {
                write!(f, "did not finish within {} s and was stopped", d.as_secs())
            }
            RunError::Io(e) => write!(f, "could not be run: {e}"),
        }
    }
}

/// Runs `program args extra` in `root` with `input` on stdin (or none), its stderr passed
/// through; returns the exit status and stdout, or the reason there is none. After
/// `timeout` the process (and on Unix its whole process group) is killed.
fn run_command(
    program: &Path,
    args: &[String],
    extra: &[&str],
    root: &Path,
    input: Option<Vec<u8>>,
    timeout: Duration,
) -> Result<(ExitStatus, Vec<u8>), RunError> {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .args(extra)
        .current_dir(root)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let mut child = cmd.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => RunError::NotFound,
        _ => RunError::Io(e),
    })?;
    if let (Some(mut stdin), Some(bytes)) = (child.stdin.take(), input) {
        // A preprocessor may print before it has read everything: write on another thread.
        std::thread::spawn(move || {
            let _ = stdin.write_all(&bytes);
        });
    }
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() >= timeout => {
                kill(&mut child);
                return Err(RunError::Timeout(timeout));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(RunError::Io(e)),
        }
    };
    Ok((status, reader.join().unwrap_or_default()))
}

/// Kills a timed-out child and, on Unix, the process group it leads (its own children).
fn kill(child: &mut std::process::Child) {
    #[cfg(unix)]
    {
        let _ = Command::new("kill")
            .args(["-KILL", &format!("-{}", child.id())])
            .stderr(Stdio::null())
            .status();
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// `v` with every `null` object member removed, at any depth (TOML cannot hold a null).
fn without_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, x)| !x.is_null())
                .map(|(k, x)| (k.clone(), without_nulls(x)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// Reads a preprocessor's output: a book object (`{"items": [...]}`; mdBook 0.4's
/// `{"sections": [...]}` is accepted too).
fn parse_book(stdout: &[u8]) -> Result<Value, String> {
    let v: Value = serde_json::from_slice(stdout).map_err(|e| e.to_string())?;
    let items = v
        .get("items")
        .or_else(|| v.get("sections"))
        .and_then(Value::as_array)
        .ok_or("no `items` list")?;
    Ok(json!({ "items": items }))
}

/// The book as mdBook hands it to a preprocessor: `{"items": [BookItem...]}` where an item is
/// `{"Chapter": {name, content, number, sub_items, path, source_path, parent_names}}`,
/// `{"PartTitle": "..."}` or `"Separator"` (mdBook 0.5 `mdbook_core::book`). `number` is the
/// section number as a list (`[3, 1]`) or null; a draft has empty `content` and null paths;
/// a `README.md` chapter's `path` is `index.md` (mdBook's index preprocessor) while its
/// `source_path` stays.
pub fn book_json(site: &Site) -> Value {
    fn items(nodes: &[NavNode], site: &Site, parents: &mut Vec<String>) -> Vec<Value> {
        nodes
            .iter()
            .map(|n| match n.page {
                Some(id) => chapter(id, n, site, parents),
                None if n.label.is_empty() => json!("Separator"),
                None => json!({ "PartTitle": n.label }),
            })
            .collect()
    }
    fn chapter(id: PageId, n: &NavNode, site: &Site, parents: &mut Vec<String>) -> Value {
        let page = &site.pages[id];
        let number: Vec<u64> = page
            .number
            .split('.')
            .filter_map(|s| s.parse().ok())
            .collect();
        let source = if page.draft {
            None
        } else {
            page.source.clone()
        };
        let path = source.as_deref().map(|s| {
            let (dir, name) = s.rsplit_once('/').map_or(("", s), |(d, n)| (d, n));
            let stem = name.rsplit_once('.').map_or(name, |(st, _)| st);
            if stem.eq_ignore_ascii_case("readme") {
                if dir.is_empty() {
                    "index.md".to_string()
                } else {
                    format!("{dir}/index.md")
                }
            } else {
                s.to_string()
            }
        });
        let content = if page.draft { "" } else { page.body.as_str() };
        parents.push(page.title.clone());
        let sub_items = items(&n.children, site, parents);
        parents.pop();
        json!({ "Chapter": {
            "name": page.title,
            "content": content,
            "number": if number.is_empty() { Value::Null } else { json!(number) },
            "sub_items": sub_items,
            "path": path,
            "source_path": source,
            "parent_names": parents.clone(),
        }})
    }
    json!({ "items": items(&site.nav, site, &mut Vec::new()) })
}

/// Puts a returned book's chapters back into the pages, matched by `source_path` (else
/// `path`): `content` becomes the body, `name` the title. A chapter that matches no page
/// (added by the preprocessor) is a warning; skillsite builds the pages it found.
fn apply(site: &mut Site, book: &Value, diags: &Diagnostics, file: &Path) {
    let by_source: HashMap<String, PageId> = site
        .pages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.source.clone().map(|s| (s, i)))
        .collect();
    let mut stack: Vec<&Value> = book["items"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    while let Some(item) = stack.pop() {
        let Some(ch) = item.get("Chapter") else {
            continue;
        };
        if let Some(subs) = ch["sub_items"].as_array() {
            stack.extend(subs.iter());
        }
        let key = ch["source_path"].as_str().or_else(|| ch["path"].as_str());
        let Some(key) = key else { continue };
        let Some(&id) = by_source.get(key).or_else(|| {
            // `index.md` stands for a README.md chapter.
            key.strip_suffix("index.md")
                .and_then(|d| by_source.get(&format!("{d}README.md")))
        }) else {
            diags.push(
                Diagnostic::warning(
                    "preprocessor",
                    format!("a preprocessor returned chapter `{key}`, which is not a page of the book; it is not built"),
                )
                .at(file)
                .hint("skillsite builds the chapters SUMMARY.md and the content folder give"),
            );
            continue;
        };
        let page = &mut site.pages[id];
        if let Some(c) = ch["content"].as_str() {
            page.body = c.to_string();
        }
        if let Some(n) = ch["name"].as_str() {
            page.title = n.to_string();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str, before: &[&str], after: &[&str]) -> PreprocessorConfig {
        PreprocessorConfig {
            name: name.into(),
            command: format!("mdbook-{name}"),
            before: before.iter().map(|s| s.to_string()).collect(),
            after: after.iter().map(|s| s.to_string()).collect(),
            renderers: None,
            optional: false,
            timeout_secs: 60,
            protocol_04: false,
            line: 0,
        }
    }

    #[test]
    fn order_by_name_then_before_after() {
        let ps = [
            p("c", &[], &[]),
            p("b", &[], &["links"]),
            p("a", &[], &["c"]),
        ];
        let names = |o: Vec<usize>| {
            o.into_iter()
                .map(|i| ps[i].name.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(order(&ps).unwrap()), ["b", "c", "a"]);
        let ps2 = [p("x", &["y"], &[]), p("y", &["x"], &[])];
        assert_eq!(order(&ps2).unwrap_err(), ["x", "y"]);
    }

    #[test]
    fn reads_books_of_both_versions() {
        assert!(parse_book(b"{\"items\": []}").is_ok());
        assert!(parse_book(b"{\"sections\": [], \"__non_exhaustive\": null}").is_ok());
        assert!(parse_book(b"[1]").is_err());
        assert!(parse_book(b"not json").is_err());
    }
}
