//! Mermaid diagrams drawn at build time, without JavaScript: ```` ```mermaid ```` fences become
//! inline SVG through `mermaid-rs-renderer` (mmdr; flowchart/graph, sequence, class, state,
//! ER, pie, gantt, timeline, journey, mindmap, git graph and more).
//!
//! Why mmdr and not `merman` (docs/diagrams.md has the measurements): merman follows
//! mermaid.js closely, so its SVG carries `<style>` elements, `style` attributes and HTML
//! labels in `<foreignObject>`, all of which our Content-Security-Policy blocks (no inline
//! style), and it is four times heavier to build; mmdr writes plain SVG presentation
//! attributes and builds in a fraction of the time.
//!
//! The source is third-party, so:
//! - interactivity is dropped before rendering: `click`, `href` and `callback` lines (mermaid's
//!   own "loose" security level would turn them into links or script calls);
//! - the SVG is checked against an allow-list of SVG elements and attributes; anything else
//!   (a link, an event handler, `<foreignObject>`, `<script>`, `style`) is refused and the
//!   fence falls back to highlighted code with a warning;
//! - a panic in the renderer is caught, and a render that takes longer than [`TIME_LIMIT`]
//!   is abandoned (the fence falls back to code).
//!
//! Results are cached by content hash for the life of the process, like DOT diagrams.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// A diagram that takes longer than this to render is shown as code.
pub const TIME_LIMIT: Duration = Duration::from_secs(2);

/// Sources longer than this are not rendered (bytes).
pub const MAX_SOURCE: usize = 64 * 1024;

fn cache() -> &'static Mutex<HashMap<u64, Result<String, String>>> {
    static CACHE: OnceLock<Mutex<HashMap<u64, Result<String, String>>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// Renders Mermaid source to an `<svg class="diagram mermaid" role="img">` element.
/// Errors: a message saying why (the parser's message, the time limit, a refused element).
pub fn mermaid_to_svg(src: &str) -> Result<String, String> {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    src.hash(&mut h);
    let key = h.finish();
    if let Some(hit) = cache().lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return hit.clone();
    }
    let result = render_uncached(src);
    cache()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, result.clone());
    result
}

fn render_uncached(src: &str) -> Result<String, String> {
    if src.len() > MAX_SOURCE {
        return Err(format!(
            "the diagram source is {} bytes; sources over {MAX_SOURCE} bytes are not drawn",
            src.len()
        ));
    }
    let prepared = prepare(src);
    if prepared.trim().is_empty() {
        return Err("the diagram is empty".into());
    }
    // The renderer loads the system's font database on first use (~0.1 s, seconds on a busy
    // machine in a debug build): do that once, untimed, so the limit measures the diagram.
    static WARM: OnceLock<()> = OnceLock::new();
    WARM.get_or_init(|| {
        crate::render::diagram::quietly(|| {
            let _ =
                std::panic::catch_unwind(|| mermaid_rs_renderer::render("flowchart TD\n  A --> B"));
        })
    });
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("mermaid".into())
        .spawn(move || {
            crate::render::diagram::quietly(|| {
                let out = std::panic::catch_unwind(|| mermaid_rs_renderer::render(&prepared));
                let _ = tx.send(match out {
                    Ok(Ok(svg)) => Ok(svg),
                    Ok(Err(e)) => Err(format!("cannot parse the Mermaid diagram: {e}")),
                    Err(_) => Err("the Mermaid renderer failed on this diagram".to_string()),
                });
            })
        })
        .map_err(|e| format!("cannot start the Mermaid renderer: {e}"))?;
    let svg = match rx.recv_timeout(TIME_LIMIT) {
        Ok(r) => r?,
        Err(_) => {
            return Err(format!(
                "the Mermaid renderer took longer than {} s",
                TIME_LIMIT.as_secs()
            ))
        }
    };
    check(&svg)?;
    Ok(tidy(&svg))
}

/// The source as given to the renderer: interactive lines (`click`, `href`, `callback`)
/// removed, and, in a sequence diagram, a `participant` line added for each actor that is
/// only used in messages (mermaid.js declares those implicitly; mmdr wants them declared).
pub fn prepare(src: &str) -> String {
    let lines: Vec<&str> = src
        .lines()
        .filter(|l| {
            let first = l.split_whitespace().next().unwrap_or("");
            !matches!(first, "click" | "href" | "callback")
        })
        .collect();
    let Some(head) = lines.iter().position(|l| !l.trim().is_empty()) else {
        return String::new();
    };
    if lines[head].trim() != "sequenceDiagram" {
        return lines.join("\n");
    }
    // Each actor used in a message before any declaration gets a `participant` line just
    // before that message, so the order of first appearance (mermaid.js's order) is kept.
    let mut known: Vec<String> = Vec::new();
    let mut out: Vec<String> = lines[..=head].iter().map(|l| l.to_string()).collect();
    for l in &lines[head + 1..] {
        let t = l.trim();
        let mut words = t.split_whitespace();
        match words.next() {
            Some("participant" | "actor") => {
                if let Some(name) = words.next() {
                    known.push(name.to_string());
                }
            }
            Some("create") => {
                if let (Some(_), Some(name)) = (words.next(), words.next()) {
                    known.push(name.to_string());
                }
            }
            _ => {
                for name in message_actors(t) {
                    if !known.iter().any(|k| k == name) {
                        out.push(format!("    participant {name}"));
                        known.push(name.to_string());
                    }
                }
            }
        }
        out.push(l.to_string());
    }
    out.join("\n")
}

/// The two actors of a sequence message line (`A->>B: text`, `A-->>+B: text`, `A-xB: t`),
/// or none for other lines.
fn message_actors(line: &str) -> Vec<&str> {
    let Some(colon) = line.find(':') else {
        return Vec::new();
    };
    let arrow = &line[..colon];
    let Some(at) = arrow.find('-') else {
        return Vec::new();
    };
    let from = arrow[..at].trim();
    let to = arrow[at..]
        .trim_start_matches(['-', '>', '<', 'x', ')', '+'])
        .trim();
    let plain = |n: &str| {
        !n.is_empty()
            && !n.contains(char::is_whitespace)
            && n.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.'))
    };
    if plain(from) && plain(to) {
        vec![from, to]
    } else {
        Vec::new()
    }
}

/// SVG elements a diagram may contain.
const ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "defs",
    "marker",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "title",
    "desc",
    "clipPath",
    "linearGradient",
    "radialGradient",
    "stop",
    "pattern",
    "symbol",
];

/// Refuses SVG with anything outside [`ELEMENTS`], event handlers, links or styles.
fn check(svg: &str) -> Result<(), String> {
    let mut rest = svg;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let name: String = rest
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == ':' || *c == '-')
            .collect();
        if name.is_empty() || rest.starts_with('?') || rest.starts_with('!') {
            if rest.starts_with("!--") || rest.starts_with('?') {
                continue;
            }
            return Err("the renderer wrote markup that is not SVG; not embedded".into());
        }
        if !ELEMENTS.contains(&name.as_str()) {
            return Err(format!(
                "the renderer wrote a <{name}> element, which is not allowed in a diagram; not embedded"
            ));
        }
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        for attr in attributes(tag) {
            let lower = attr.to_ascii_lowercase();
            if lower.starts_with("on") || lower == "style" || lower.ends_with("href") {
                return Err(format!(
                    "the renderer wrote a `{attr}` attribute, which is not allowed in a diagram; not embedded"
                ));
            }
        }
    }
    Ok(())
}

/// Attribute names of a start tag's text (`svg width="1" x:y='2'` → [width, x:y]).
fn attributes(tag: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = tag.char_indices().peekable();
    // Skip the element name.
    while let Some(&(_, c)) = chars.peek() {
        if c.is_whitespace() {
            break;
        }
        chars.next();
    }
    loop {
        while chars
            .peek()
            .is_some_and(|&(_, c)| c.is_whitespace() || c == '/')
        {
            chars.next();
        }
        let Some(&(start, _)) = chars.peek() else {
            break;
        };
        let mut end = start;
        while let Some(&(i, c)) = chars.peek() {
            if c == '=' || c.is_whitespace() || c == '/' {
                break;
            }
            end = i + c.len_utf8();
            chars.next();
        }
        if end > start {
            out.push(tag[start..end].to_string());
        }
        if chars.peek().is_some_and(|&(_, c)| c == '=') {
            chars.next();
            match chars.peek().map(|&(_, c)| c) {
                Some(q @ ('"' | '\'')) => {
                    chars.next();
                    for (_, c) in chars.by_ref() {
                        if c == q {
                            break;
                        }
                    }
                }
                _ => {
                    while chars.peek().is_some_and(|&(_, c)| !c.is_whitespace()) {
                        chars.next();
                    }
                }
            }
        } else if end == start {
            chars.next();
        }
    }
    out
}

/// Makes the SVG embeddable: our classes and role, its natural width kept (also as
/// `data-width`, read by diagram.js), no fixed height (the viewBox keeps the aspect ratio), and
/// a `<title>` naming the kind of diagram and its first labels.
fn tidy(svg: &str) -> String {
    let start = svg.find("<svg").unwrap_or(0);
    let s = &svg[start..];
    let open_end = s.find('>').unwrap_or(s.len());
    let mut open = s[..open_end].to_string();
    for attr in ["width", "height"] {
        if let Some(i) = open.find(&format!(" {attr}=\"")) {
            let after = i + attr.len() + 3;
            if let Some(len) = open[after..].find('"') {
                let value = open[after..after + len].to_string();
                open.replace_range(i..after + len + 1, "");
                // The width stays (the diagram is drawn at 1:1 in its scrolling box, so its
                // labels keep their size; diagram.js zooms); the height follows the viewBox.
                if attr == "width" {
                    open.push_str(&format!(" width=\"{value}\" data-width=\"{value}\""));
                }
            }
        }
    }
    let open = open.replacen("<svg", "<svg class=\"diagram mermaid\" role=\"img\"", 1);
    let svg = format!("{open}{}", &s[open_end..]);
    // Its accessible name: the kind of diagram and its first labels.
    let kind = src_kind(&svg);
    let title = format!(
        "Mermaid {kind}: {}",
        crate::render::diagram::summary_of_labels(&svg)
    );
    crate::render::diagram::with_title(&svg, &title, None)
}

/// What mmdr says it drew (`aria-roledescription="flowchart-v2"` and the like), in words.
fn src_kind(svg: &str) -> &'static str {
    let open = &svg[..svg.find('>').unwrap_or(svg.len())];
    let role = open
        .split("aria-roledescription=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or("");
    match role {
        r if r.starts_with("flowchart") || r.starts_with("graph") => "flowchart",
        r if r.starts_with("sequence") => "sequence diagram",
        r if r.starts_with("class") => "class diagram",
        r if r.starts_with("state") => "state diagram",
        _ => "diagram",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_the_four_common_kinds() {
        for src in [
            "flowchart TD\n  A[Start] --> B{Ok?}\n  B -->|Yes| C[Done]\n",
            "sequenceDiagram\n  Alice->>John: Hello John\n  John-->>Alice: Great!\n",
            "classDiagram\n  Animal <|-- Duck\n  Animal : +int age\n",
            "stateDiagram-v2\n  [*] --> Still\n  Still --> Moving\n  Moving --> [*]\n",
        ] {
            let svg = mermaid_to_svg(src).unwrap_or_else(|e| panic!("{src}: {e}"));
            assert!(
                svg.starts_with("<svg class=\"diagram mermaid\" role=\"img\""),
                "{svg}"
            );
            assert!(svg.contains("viewBox"), "{svg}");
        }
    }

    #[test]
    fn implicit_participants_are_declared() {
        let p = prepare(
            "sequenceDiagram\n  participant Alice\n  Alice->>John: Hi\n  John-->>+Bob: Yo\n",
        );
        assert_eq!(
            p,
            "sequenceDiagram\n  participant Alice\n    participant John\n  Alice->>John: Hi\n    participant Bob\n  John-->>+Bob: Yo"
        );
    }

    #[test]
    fn links_and_scripts_never_reach_the_page() {
        let svg = mermaid_to_svg(
            "flowchart TD\n  A[\"<img src=x onerror=alert(1)>\"] --> B[\"<script>alert(1)</script>\"]\n  click A \"javascript:alert(1)\"\n  click B call alert()\n",
        )
        .unwrap();
        assert!(!svg.contains("javascript:"), "{svg}");
        assert!(!svg.contains("<script") && !svg.contains("<img") && !svg.contains("<a "));
        assert!(check("<svg><a href=\"x\"></a></svg>").is_err());
        assert!(check("<svg><g onload=\"x()\"></g></svg>").is_err());
        assert!(check("<svg><foreignObject></foreignObject></svg>").is_err());
        assert!(check("<svg><rect style=\"x\"/></svg>").is_err());
        assert!(check("<svg><rect fill=\"#fff\" x='1'/></svg>").is_ok());
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        assert!(mermaid_to_svg("flowchart TD\n  A --> \n  ((((\n").is_err());
        assert!(mermaid_to_svg("").is_err());
        assert!(mermaid_to_svg("not a diagram at all").is_err());
        assert!(mermaid_to_svg(&"x".repeat(MAX_SOURCE + 1)).is_err());
    }
}
