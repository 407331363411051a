//! `skillsite search` (part of the binary, not the library): finds the stored index, or builds
//! one in memory, runs the query and prints the results as text or JSON.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use skillsite::build::{render_site, BuildOptions, BuildReport};
use skillsite::diagnostics::Diagnostics;
use skillsite::index::query::{locate, Results, SearchIndex, SearchOptions};
use skillsite::index::CACHE_TANTIVY_DIR;
use skillsite::render::OutFile;

/// Runs the command; exit status 0 (even without results), 1 when the site or the index
/// cannot be read.
pub fn run(query: &str, dir: &Path, json: bool, limit: usize, prefix: bool) -> ExitCode {
    let _tmp; // keeps the folder of an index built in memory alive
    let index = match locate(dir) {
        Some(path) => SearchIndex::open(&path),
        None => {
            eprintln!("note: no search index in the build folder; indexing {} in memory (`skillsite build` stores one)", dir.display());
            let diags = Diagnostics::new();
            let opts = BuildOptions {
                dir: dir.to_path_buf(),
                ..BuildOptions::default()
            };
            let Some(rendered) = render_site(&opts, &diags, &mut BuildReport::default()) else {
                crate::print_diagnostics(&diags, false, false);
                return ExitCode::from(1);
            };
            match write_index(&rendered.search_index) {
                Ok(t) => {
                    let r = SearchIndex::open(t.path());
                    _tmp = t;
                    r
                }
                Err(e) => Err(e),
            }
        }
    };
    let results = match index.and_then(|i| i.search(query, SearchOptions { limit, prefix })) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let mut out = std::io::stdout().lock();
    let written = if json {
        serde_json::to_writer_pretty(&mut out, &results)
            .map_err(std::io::Error::other)
            .and_then(|_| writeln!(out))
    } else {
        print_results(&mut out, &results, std::io::stdout().is_terminal())
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// Writes the tantivy files of a rendered site to a temporary folder.
fn write_index(files: &[OutFile]) -> Result<tempfile::TempDir, String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    for f in files {
        if let OutFile::Bytes(path, bytes) = f {
            if let Some(name) = path.strip_prefix(&format!("{CACHE_TANTIVY_DIR}/")) {
                std::fs::write(tmp.path().join(name), bytes).map_err(|e| e.to_string())?;
            }
        }
    }
    Ok(tmp)
}

/// Rank, title and facets; URL; snippet with the matched words in bold yellow on a terminal,
/// `**between stars**` otherwise.
fn print_results(out: &mut impl Write, r: &Results, color: bool) -> std::io::Result<()> {
    if r.hits.is_empty() {
        return writeln!(out, "No results for {:?}.", r.query);
    }
    let (bold, mark, dim, reset) = if color {
        ("\x1b[1m", "\x1b[1;33m", "\x1b[2m", "\x1b[0m")
    } else {
        ("", "", "", "")
    };
    for h in &r.hits {
        let mut facets: Vec<&str> = vec![h.kind.as_str()];
        if h.planned {
            facets.push("planned");
        }
        facets.extend(
            h.types
                .iter()
                .map(String::as_str)
                .chain([h.level.as_str()])
                .filter(|s| !s.is_empty()),
        );
        writeln!(
            out,
            "{:>2}. {bold}{}{reset}  {dim}[{}]{reset}",
            h.rank,
            h.title,
            facets.join(" · ")
        )?;
        writeln!(out, "    {}", h.url)?;
        if !h.snippet.is_empty() {
            let mut s = String::new();
            let mut at = 0;
            for &(a, b) in &h.highlights {
                if a < at
                    || b > h.snippet.len()
                    || !h.snippet.is_char_boundary(a)
                    || !h.snippet.is_char_boundary(b)
                {
                    continue;
                }
                s.push_str(&h.snippet[at..a]);
                if color {
                    s.push_str(&format!("{mark}{}{reset}", &h.snippet[a..b]));
                } else {
                    s.push_str(&format!("**{}**", &h.snippet[a..b]));
                }
                at = b;
            }
            s.push_str(&h.snippet[at..]);
            writeln!(out, "    {s}")?;
        }
    }
    let more = r.total.saturating_sub(r.hits.len());
    if more > 0 {
        writeln!(
            out,
            "{dim}({} results; {more} more: use -n){reset}",
            r.total
        )?;
    }
    Ok(())
}
