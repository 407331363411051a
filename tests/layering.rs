//! The pipeline's layering (docs/architecture.md): each stage may use only the stages below
//! it. From the bottom: `util` and `diagnostics` (the ground floor), `model`, `load`,
//! `transform`, `render`, `index`, `write`; `build`, `serve`, `sarif`, `init`, `cli_search`
//! and `main` sit on top and may use anything.
//!
//! The test reads every file of `src/` (outside `#[cfg(test)]` modules and comments) for
//! `crate::STAGE` paths, and fails on an import of a stage above the file's own (or of a
//! sibling stage of the same layer). `KNOWN` would list upward imports still to be removed;
//! the test also fails when one of them is gone, so the list only shrinks.

use std::collections::BTreeSet;
use std::path::Path;

/// Layer of each top-level module; a module may import only modules of a lower layer (or its
/// own).
fn layer(module: &str) -> Option<u8> {
    Some(match module {
        "util" | "diagnostics" => 0,
        "model" => 1,
        "load" => 2,
        "transform" => 3,
        "render" => 4,
        "index" => 5,
        "write" => 6,
        "build" | "serve" | "sarif" | "init" | "cli_search" | "main" | "lib" => 9,
        _ => return None,
    })
}

/// Upward imports not yet removed: (from, to). Empty since the re-layout moved the config and
/// manifest types into `model` and the search text collector into `render`; keep it so.
const KNOWN: &[(&str, &str)] = &[];

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The `(from, to)` pairs of cross-module imports in `src/`, with one example place each.
fn imports() -> Vec<(String, String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for f in files {
        let rel = f
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let module = rel
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string();
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("#[cfg(test)]") {
                break; // unit tests may set up whatever they need
            }
            if code.starts_with("//") {
                continue;
            }
            let mut rest = code;
            while let Some(i) = rest.find("crate::") {
                let after = &rest[i + 7..];
                let to: String = after
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                rest = &after[to.len()..];
                if to != module && seen.insert((module.clone(), to.clone())) {
                    out.push((module.clone(), to, format!("src/{rel}:{}", n + 1)));
                }
            }
        }
    }
    out
}

#[test]
fn no_stage_imports_a_stage_above_it() {
    let mut upward = Vec::new();
    let mut still = BTreeSet::new();
    for (from, to, place) in imports() {
        let (Some(a), Some(b)) = (layer(&from), layer(&to)) else {
            continue;
        };
        if b > a || (b == a && a != 9) {
            if KNOWN.contains(&(from.as_str(), to.as_str())) {
                still.insert((from, to));
            } else {
                upward.push(format!(
                    "{place}: `{from}` imports `{to}`, a stage above it"
                ));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "move the item down (to util/ or model/) instead:\n{}",
        upward.join("\n")
    );
    let gone: Vec<_> = KNOWN
        .iter()
        .filter(|(f, t)| !still.contains(&(f.to_string(), t.to_string())))
        .collect();
    assert!(
        gone.is_empty(),
        "these upward imports are gone: remove them from KNOWN: {gone:?}"
    );
}

#[test]
fn the_checker_sees_imports() {
    let all = imports();
    assert!(all.iter().any(|(f, t, _)| f == "render" && t == "model"));
    assert!(all.iter().any(|(f, t, _)| f == "transform" && t == "util"));
}
