//! Highlighting throughput: every fenced code block of a folder's Markdown files, through
//! skillsite's highlighter (syntect with the per-thread line cache, flat category spans) and
//! through syntect's own `ClassedHTMLGenerator` (no cache, one nested span per scope: what
//! skillsite wrote before its category classes), each on a fresh thread (an empty cache),
//! median of 3. The generator is a yardstick that does not change with skillsite's code.
//!
//! ```bash
//! cargo bench --bench highlight -- content ../shared/corpus/superpowers /tmp/b2k/src
//! ```
//!
//! Figures are in `docs/benchmarks.md` ("Highlighting").

use std::sync::Arc;
use std::time::Instant;

use skillsite::render::highlight;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::util::LinesWithEndings;

fn main() {
    let dirs: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if dirs.is_empty() {
        eprintln!("usage: cargo bench --bench highlight -- DIR...");
        std::process::exit(2);
    }
    let reference_set = Arc::new(two_face::syntax::extra_newlines());
    for dir in dirs {
        let blocks = Arc::new(code_blocks(&dir));
        let lines: usize = blocks.iter().map(|(_, code)| code.lines().count()).sum();
        // Compile the grammars' regexes in both syntax sets first.
        for (lang, code) in blocks.iter() {
            highlight::highlight(code, lang);
            uncached(&reference_set, code, lang);
        }
        let (mut cached, mut plain) = (Vec::new(), Vec::new());
        for _ in 0..3 {
            let b = blocks.clone();
            plain.push(on_fresh_thread({
                let set = reference_set.clone();
                move || b.iter().for_each(|(l, c)| drop(uncached(&set, c, l)))
            }));
            let b = blocks.clone();
            cached.push(on_fresh_thread(move || {
                b.iter().for_each(|(l, c)| drop(highlight::highlight(c, l)))
            }));
        }
        let (plain, cached) = (median(plain), median(cached));
        println!(
            "{dir}: {} blocks, {lines} lines; syntect {:.0} ms ({:.0} lines/s), with the line cache {:.0} ms ({:.0}%)",
            blocks.len(),
            plain * 1e3,
            lines as f64 / plain,
            cached * 1e3,
            cached / plain * 100.0
        );
    }
}

/// Fenced blocks (``` only) in a language the highlighter knows: `(language, code)`.
fn code_blocks(dir: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if entry.path().extension().is_none_or(|x| x != "md") {
            continue;
        }
        let Ok(bytes) = std::fs::read(entry.path()) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let (mut lang, mut code) = (None::<String>, String::new());
        for line in text.lines() {
            if let Some(info) = line.trim_start().strip_prefix("```") {
                match lang.take() {
                    Some(l) => blocks.push((l, std::mem::take(&mut code))),
                    None => lang = Some(info.trim().to_string()),
                }
            } else if lang.is_some() {
                code.push_str(line);
                code.push('\n');
            }
        }
    }
    blocks.retain(|(lang, _)| highlight::find(lang).is_some());
    blocks
}

/// syntect's generator over `set`, with the syntax skillsite picks for `lang`.
fn uncached(set: &syntect::parsing::SyntaxSet, code: &str, lang: &str) -> String {
    let name = &highlight::find(lang).expect("known language").name;
    let syntax = set.find_syntax_by_name(name).expect("same syntax set");
    let style = ClassStyle::SpacedPrefixed { prefix: "sy-" };
    let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, set, style);
    for line in LinesWithEndings::from(code) {
        gen.parse_html_for_line_which_includes_newline(line)
            .expect("syntect parses");
    }
    gen.finalize()
}

fn on_fresh_thread(work: impl FnOnce() + Send + 'static) -> f64 {
    std::thread::spawn(move || {
        let t = Instant::now();
        work();
        t.elapsed().as_secs_f64()
    })
    .join()
    .expect("bench thread")
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
