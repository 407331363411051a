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
        Ok(Ok(svg)) => {
            let svg = crop(&tidy(&svg));
            let title = format!("Diagram: {}", summary_of_labels(&svg));
            Ok(with_title(&svg, &title, None))
        }
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

/// Empty space kept around the drawing when cropping (SVG px).
const MARGIN: f64 = 8.0;

/// Crops layout-rs's SVG to what it draws: node boxes (`<rect>`, `<ellipse>`) and edge paths
/// (their end and control points). layout-rs grows its canvas from (0, 0) and counts each
/// label as 10 px wide and 10 px per character tall, so its viewBox carries empty space
/// below and around the graph (40% of a 12-node pack diagram). The `width`/`height`
/// attributes become the cropped size (SVG px, drawn at 1:1 unless the page scales it).
pub fn crop(svg: &str) -> String {
    let body_start = svg.find("</defs>").map_or(0, |i| i + "</defs>".len());
    let body = &svg[body_start..];
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    let mut grow = |x: f64, y: f64| {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    };
    let mut rest = body;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        let num = |name: &str| attr(tag, name).and_then(|v| v.trim().parse::<f64>().ok());
        if tag.starts_with("rect") {
            if let (Some(x), Some(y), Some(w), Some(h)) =
                (num("x"), num("y"), num("width"), num("height"))
            {
                grow(x, y);
                grow(x + w, y + h);
            }
        } else if tag.starts_with("ellipse") {
            if let (Some(cx), Some(cy), Some(rx), Some(ry)) =
                (num("cx"), num("cy"), num("rx"), num("ry"))
            {
                grow(cx - rx, cy - ry);
                grow(cx + rx, cy + ry);
            }
        } else if tag.starts_with("path") {
            if let Some(d) = attr(tag, "d") {
                let nums: Vec<f64> = d
                    .split(|c: char| c.is_whitespace() || c == ',' || c.is_ascii_alphabetic())
                    .filter_map(|t| t.parse().ok())
                    .collect();
                for pair in nums.chunks_exact(2) {
                    grow(pair[0], pair[1]);
                }
            }
        }
        rest = &rest[end..];
    }
    if x0 > x1 || y0 > y1 {
        return svg.to_string();
    }
    let (x, y) = (x0 - MARGIN, y0 - MARGIN);
    let (w, h) = (x1 - x0 + 2.0 * MARGIN, y1 - y0 + 2.0 * MARGIN);
    let Some(open_start) = svg.find("<svg") else {
        return svg.to_string();
    };
    let open_end = svg[open_start..]
        .find('>')
        .map_or(svg.len(), |e| open_start + e);
    let mut open = svg[open_start..open_end].to_string();
    for (name, value) in [
        ("width", format!("{}", w.ceil())),
        ("height", format!("{}", h.ceil())),
        (
            "viewBox",
            format!("{} {} {} {}", x.floor(), y.floor(), w.ceil(), h.ceil()),
        ),
    ] {
        set_attr(&mut open, name, &value);
    }
    format!("{}{open}{}", &svg[..open_start], &svg[open_end..])
}

/// The value of attribute `name` in a start tag's text (`rect x="1" y = "2"`), if any.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut from = 0;
    while let Some(i) = tag[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = at == 0 || tag.as_bytes()[at - 1].is_ascii_whitespace();
        let after = tag[from..].trim_start();
        if !before_ok || !after.starts_with('=') {
            continue;
        }
        let value = after[1..].trim_start().strip_prefix('"')?;
        return value.find('"').map(|e| &value[..e]);
    }
    None
}

/// Sets (or adds) attribute `name` in a start tag's text.
fn set_attr(open: &mut String, name: &str, value: &str) {
    let needle = format!(" {name}=\"");
    if let Some(i) = open.find(&needle) {
        let v = i + needle.len();
        if let Some(len) = open[v..].find('"') {
            open.replace_range(v..v + len, value);
            return;
        }
    }
    open.push_str(&format!(" {name}=\"{value}\""));
}

/// The size a diagram is drawn at, in SVG px (`width`, `height` of its `<svg>`), if given.
pub fn natural_size(svg: &str) -> Option<(f64, f64)> {
    let open = &svg[svg.find("<svg")?..];
    let open = &open[..open.find('>')?];
    let num = |n: &str| {
        attr(open, n)?
            .trim()
            .trim_end_matches("px")
            .parse::<f64>()
            .ok()
    };
    Some((num("width")?, num("height")?))
}

/// The labels of a diagram (the text of its `<text>` elements, entities kept), first eight
/// and a count of the rest: `a, b, c and 4 more`.
pub fn summary_of_labels(svg: &str) -> String {
    let mut labels: Vec<String> = Vec::new();
    let mut rest = svg;
    while let Some(i) = rest.find("<text") {
        let Some(end) = rest[i..].find("</text>") else {
            break;
        };
        let label = strip_tags(&rest[i..i + end]);
        if !label.is_empty() && !labels.contains(&label) {
            labels.push(label);
        }
        rest = &rest[i + end..];
    }
    if labels.is_empty() {
        return "no labels".into();
    }
    let more = labels.len().saturating_sub(8);
    labels.truncate(8);
    let mut out = labels.join(", ");
    if more > 0 {
        out.push_str(&format!(" and {more} more"));
    }
    out
}

/// Gives an SVG element its accessible name: a `<title>` first inside it (`title` is HTML text,
/// already escaped), and `aria-describedby` pointing at the id of a longer text description
/// on the page, if given. Call after [`uniquify_ids`] (the id is used as given).
pub fn with_title(svg: &str, title: &str, described_by: Option<&str>) -> String {
    let Some(open_start) = svg.find("<svg") else {
        return svg.to_string();
    };
    let Some(open_end) = svg[open_start..].find('>').map(|e| open_start + e) else {
        return svg.to_string();
    };
    let mut open = svg[open_start..open_end].to_string();
    if let Some(id) = described_by {
        set_attr(&mut open, "aria-describedby", id);
    }
    let mut out = String::with_capacity(svg.len() + title.len() + 64);
    out.push_str(&svg[..open_start]);
    out.push_str(&open);
    out.push('>');
    let after = &svg[open_end + 1..];
    // A title already there (set by an earlier call) is replaced.
    let after = match after.trim_start().strip_prefix("<title>") {
        Some(t) => t
            .find("</title>")
            .map_or(after, |e| &t[e + "</title>".len()..]),
        None => after,
    };
    out.push_str(&format!("<title>{title}</title>"));
    out.push_str(after);
    out
}

/// Quotes a string as a DOT id.
pub fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Wraps the text of each node labelled with a key of `links` in an `<a href>` (layout-rs has
/// no URL attribute, so a DOT `URL`/`href` written in content never becomes a link). Labels are
/// matched as the exact, escaped text of a `<text>` element; a URL the policy of
/// [`crate::util::url`] blocks is not linked. An SVG that gets links has `role="group"`
/// instead of `role="img"` (an image's content is presentational: links inside one are
/// focusable but hidden from assistive technology; axe-core's `nested-interactive`).
pub fn link_nodes(svg: &str, links: &HashMap<String, String>) -> String {
    let out = link_nodes_inner(svg, links);
    if out.len() == svg.len() {
        return out;
    }
    out.replacen(
        "<svg class=\"diagram\" role=\"img\"",
        "<svg class=\"diagram\" role=\"group\"",
        1,
    )
}

fn link_nodes_inner(svg: &str, links: &HashMap<String, String>) -> String {
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
        assert!(
            linked.starts_with("<svg class=\"diagram\" role=\"group\""),
            "{linked}"
        );
    }

    #[test]
    fn the_view_box_is_cropped_to_the_drawing() {
        let svg = dot_to_svg("digraph { a -> b; a -> c; }").unwrap();
        let (w, h) = natural_size(&svg).unwrap();
        let raw = {
            let graph = DotParser::new("digraph { a -> b; a -> c; }")
                .process()
                .unwrap();
            let mut builder = GraphBuilder::new();
            builder.visit_graph(&graph);
            let mut vg = builder.get();
            let mut writer = SVGWriter::new();
            vg.do_it(false, false, false, &mut writer);
            natural_size(&writer.finalize()).unwrap()
        };
        assert!(
            w <= raw.0 && h < raw.1,
            "cropped {w}x{h}, layout-rs {raw:?}"
        );
        let vb = attr(&svg[..svg.find('>').unwrap()], "viewBox").unwrap();
        assert!(!vb.starts_with("0 0"), "{vb}");
    }

    #[test]
    fn diagrams_have_a_title() {
        let svg = dot_to_svg("digraph { alpha -> beta; }").unwrap();
        assert!(svg.contains("<title>Diagram: alpha, beta</title>"), "{svg}");
        let again = with_title(&svg, "Deps", Some("d-desc"));
        assert_eq!(again.matches("<title>").count(), 1, "{again}");
        assert!(
            again.contains("aria-describedby=\"d-desc\"><title>Deps</title>"),
            "{again}"
        );
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
