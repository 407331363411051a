//! Graphviz diagrams drawn at build time with layout-rs: ```` ```dot ```` / ```` ```graphviz ````
//! fences in pages, and the generated dependency graph of each pack.
//!
//! layout-rs panics on an empty graph and on some inputs, rejects some DOT (`a -> {b c}`, HTML
//! labels, `#` comments) and gets slow above ~100 nodes (0.5–3.6 s at 300). So: empty graphs and
//! graphs over [`MAX_NODES`] nodes are not laid out, panics are caught (and kept off stderr),
//! and every failure returns an error the caller reports while showing the DOT source as code.
//! Results are cached by content hash for the life of the process (`serve` rebuilds reuse them).

use std::cell::Cell;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Mutex, OnceLock};

use layout::backends::svg::SVGWriter;
use layout::gv::{DotParser, GraphBuilder};

/// Graphs with more nodes than this are not laid out (shown as source with a warning).
pub const MAX_NODES: usize = 150;

/// Graphs whose edges weigh more than this are not laid out: each edge counts 1 and a
/// labelled edge 2. layout-rs's crossing optimizer grows steeply with edge density: measured
/// here, 50 nodes with 60 edges take 23 ms, with 100 edges 0.3 s, with 150 edges 2.8 s
/// (8 s when labelled).
pub const MAX_EDGE_WEIGHT: usize = 100;

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

fn cache() -> &'static Mutex<HashMap<u64, Result<String, String>>> {
    static CACHE: OnceLock<Mutex<HashMap<u64, Result<String, String>>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// Installs (once) a panic hook that stays silent while a layout runs on this thread.
fn install_quiet_hook() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Runs `f` with panic messages of this thread kept off stderr (a caught renderer panic is
/// reported as a diagnostic instead).
pub(crate) fn quietly<T>(f: impl FnOnce() -> T) -> T {
    install_quiet_hook();
    QUIET.with(|q| q.set(true));
    let out = f();
    QUIET.with(|q| q.set(false));
    out
}

/// Lays out DOT source and returns an SVG element (`<svg class="diagram" ...>`), fonts left to
/// the page's CSS. Errors: a message saying why (parse error, empty, too large, layout failure).
pub fn dot_to_svg(dot: &str) -> Result<String, String> {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    dot.hash(&mut h);
    let key = h.finish();
    if let Some(hit) = cache().lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return hit.clone();
    }
    let result = layout_uncached(dot);
    cache()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, result.clone());
    result
}

fn layout_uncached(dot: &str) -> Result<String, String> {
    // layout-rs does not accept `#` line comments (Graphviz does): drop them first.
    let cleaned: String = dot
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let edge_lines = cleaned
        .lines()
        .filter(|l| l.contains("->") || l.contains(" -- "));
    let weight: usize = edge_lines
        .map(|l| {
            (l.matches("->").count() + l.matches(" -- ").count())
                * if l.contains("label") { 2 } else { 1 }
        })
        .sum();
    if weight > MAX_EDGE_WEIGHT {
        return Err(format!("the graph has too many edges to lay out quickly (weight {weight}, limit {MAX_EDGE_WEIGHT}; labelled edges count twice)"));
    }
    let graph = DotParser::new(&cleaned)
        .process()
        .map_err(|e| format!("cannot parse the DOT graph: {e}"))?;
    install_quiet_hook();
    QUIET.with(|q| q.set(true));
    let outcome = std::panic::catch_unwind(|| {
        let mut builder = GraphBuilder::new();
        builder.visit_graph(&graph);
        let mut vg = builder.get();
        let n = vg.num_nodes();
        if n == 0 {
            return Err("the graph has no nodes".to_string());
        }
        if n > MAX_NODES {
            return Err(format!("the graph has {n} nodes; diagrams over {MAX_NODES} nodes are not drawn (layout time grows steeply)"));
        }
        let mut svg = SVGWriter::new();
        vg.do_it(false, false, false, &mut svg);
        Ok(svg.finalize())
    });
    QUIET.with(|q| q.set(false));
    match outcome {
        Ok(Ok(svg)) => Ok(tidy(&svg)),
        Ok(Err(e)) => Err(e),
        Err(_) => Err("the layout engine failed on this graph".to_string()),
    }
}

/// Makes layout-rs's SVG embeddable: a class for styling, no XML prolog, and no `<style>`
/// element (the Content-Security-Policy allows no inline style; see `render::csp`): its font
/// classes (`.a14 { font-size: 14px; font-family: Times, serif; }`) become `font-size`
/// attributes on the text, and the text takes the page's font from the stylesheet.
fn tidy(svg: &str) -> String {
    let start = svg.find("<svg").unwrap_or(0);
    let s = svg[start..].replacen("<svg", "<svg class=\"diagram\" role=\"img\"", 1);
    let (Some(open), Some(close)) = (s.find("<style>"), s.find("</style>")) else {
        return s;
    };
    if close < open {
        return s;
    }
    // `.aNN { font-size: Spx; ... }` → (`class="aNN"`, `font-size="S"`).
    let sizes: Vec<(String, String)> = s[open + "<style>".len()..close]
        .lines()
        .filter_map(|rule| {
            let class = rule.trim().strip_prefix('.')?.split_whitespace().next()?;
            let size = rule.split("font-size:").nth(1)?.trim_start();
            let size: String = size
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            (!size.is_empty()).then(|| {
                (
                    format!("class=\"{class}\""),
                    format!("font-size=\"{size}\""),
                )
            })
        })
        .collect();
    let mut end = close + "</style>".len();
    if s[end..].starts_with('\n') {
        end += 1;
    }
    let mut out = format!("{}{}", &s[..open], &s[end..]);
    for (class, size) in &sizes {
        out = out.replace(class.as_str(), size);
    }
    out
}

/// Quotes a string as a DOT id.
pub fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Wraps the text of each node labelled with a key of `links` in an `<a href>` (layout-rs has
/// no URL attribute, so a DOT `URL`/`href` written in content never becomes a link). Labels are
/// matched as the exact, escaped text of a `<text>` element; a URL the policy of
/// [`crate::util::url`] blocks is not linked.
pub fn link_nodes(svg: &str, links: &HashMap<String, String>) -> String {
    let mut out = String::with_capacity(svg.len() + links.len() * 64);
    let mut rest = svg;
    while let Some(i) = rest.find("<text") {
        let Some(end_rel) = rest[i..].find("</text>") else {
            break;
        };
        let end = i + end_rel + "</text>".len();
        let elem = &rest[i..end];
        let label = strip_tags(elem);
        out.push_str(&rest[..i]);
        // The targets are our own page URLs; the policy check is defence in depth.
        match links
            .get(label.trim())
            .filter(|h| crate::util::url::is_allowed(h))
        {
            Some(href) => {
                out.push_str(&format!(
                    "<a href=\"{}\" class=\"diagram-link\">",
                    crate::render::templates::escape_html(href)
                ));
                out.push_str(elem);
                out.push_str("</a>");
            }
            None => out.push_str(elem),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The text content of an SVG fragment (tags removed, lines joined by spaces, entities kept).
fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Prefixes every `id` in an SVG (and the `#id` references to it) with `prefix-`, so several
/// diagrams on one page do not share arrow markers and label paths.
pub fn uniquify_ids(svg: &str, prefix: &str) -> String {
    let mut ids = Vec::new();
    let mut rest = svg;
    while let Some(i) = rest.find(" id=\"") {
        let after = &rest[i + 5..];
        let Some(end) = after.find('"') else { break };
        ids.push(after[..end].to_string());
        rest = &after[end..];
    }
    let mut out = svg.to_string();
    for id in ids {
        out = out
            .replace(&format!(" id=\"{id}\""), &format!(" id=\"{prefix}-{id}\""))
            .replace(&format!("url(#{id})"), &format!("url(#{prefix}-{id})"))
            .replace(
                &format!("href=\"#{id}\""),
                &format!("href=\"#{prefix}-{id}\""),
            );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_a_small_graph() {
        let svg =
            dot_to_svg("digraph { rankdir=LR; a -> b [label=\"uses\"]; b -> c [style=dashed]; }")
                .unwrap();
        assert!(svg.starts_with("<svg class=\"diagram\""), "{svg}");
        assert!(svg.contains(">uses<"));
        assert!(!svg.contains("Times"));
    }

    #[test]
    fn font_classes_become_attributes_without_a_style_element() {
        let svg = "<?xml?>\n<svg width=\"1\">\n</defs><style>\n.a15 { font-size: 15px; font-family: Times, serif; }\n.a14 { font-size: 14px; font-family: Times, serif; }\n</style>\n<g><text x=\"1\" class=\"a14\">a</text><text class=\"a15\">b</text></g></svg>\n";
        assert_eq!(
            tidy(svg),
            "<svg class=\"diagram\" role=\"img\" width=\"1\">\n</defs><g><text x=\"1\" font-size=\"14\">a</text><text font-size=\"15\">b</text></g></svg>\n"
        );
        let real = dot_to_svg("digraph { a -> b }").unwrap();
        assert!(
            !real.contains("<style") && !real.contains("style="),
            "{real}"
        );
        assert!(real.contains("font-size=\""), "{real}");
    }

    #[test]
    fn empty_graph_is_an_error_not_a_panic() {
        assert!(dot_to_svg("digraph { }").unwrap_err().contains("no nodes"));
        assert!(dot_to_svg("digraph G {\n}\n").is_err());
    }

    #[test]
    fn bad_dot_is_an_error() {
        assert!(dot_to_svg("this is not dot")
            .unwrap_err()
            .contains("cannot parse"));
    }

    #[test]
    fn too_large_is_refused() {
        let mut dot = String::from("digraph {\n");
        for i in 0..=MAX_NODES {
            dot.push_str(&format!("n{i};\n"));
        }
        dot.push('}');
        assert!(dot_to_svg(&dot).unwrap_err().contains("not drawn"));
    }

    #[test]
    fn dense_graphs_are_refused_quickly() {
        let mut dot = String::from("digraph {\n");
        for i in 0..40 {
            for j in 1..4 {
                dot.push_str(&format!("n{i} -> n{} [label=\"x\"];\n", (i + j * 7) % 40));
            }
        }
        dot.push('}');
        let start = std::time::Instant::now();
        assert!(dot_to_svg(&dot).unwrap_err().contains("too many edges"));
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn hash_comments_are_dropped() {
        assert!(dot_to_svg("digraph {\n# comment\na -> b;\n}").is_ok());
    }

    #[test]
    fn nodes_get_links() {
        let svg = dot_to_svg("digraph { alpha -> beta; }").unwrap();
        let links = HashMap::from([("alpha".to_string(), "a.html".to_string())]);
        let linked = link_nodes(&svg, &links);
        assert!(
            linked.contains("<a href=\"a.html\" class=\"diagram-link\"><text"),
            "{linked}"
        );
        assert_eq!(linked.matches("diagram-link").count(), 1);
    }

    #[test]
    fn ids_are_made_unique() {
        let svg = dot_to_svg("digraph { a -> b [label=\"x\"]; }").unwrap();
        let u = uniquify_ids(&svg, "d1");
        assert!(u.contains("id=\"d1-arrow0\""));
        assert!(u.contains("href=\"#d1-arrow0\""));
        assert!(!u.contains("\"#arrow0\""));
    }
}
