//! XML-style prompt tags: `<objective>`, `<zone_constraints>`, `<principle name="x">`.
//!
//! Agent prompts and skills often wrap Markdown in made-up tags. CommonMark passes a line like
//! `<objective>` through as a raw HTML block (so the Markdown inside is not rendered) and escapes
//! tags with `_` as text. Before parsing, this module rewrites each such tag that stands alone on
//! its line (outside code fences, with a matching closing line) into a labelled, collapsible
//! `<details class="prompt-tag">` block with blank lines around, so the inner Markdown renders.
//! A one-line `<tag>text</tag>` becomes the same block around `text`. Known HTML elements
//! (`<details>`, `<div>`...) are never touched.

/// Known HTML element names (WHATWG HTML Living Standard, plus SVG/MathML roots).
pub const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "bdi",
    "bdo",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "link",
    "main",
    "map",
    "mark",
    "math",
    "menu",
    "meta",
    "meter",
    "nav",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "param",
    "picture",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "script",
    "search",
    "section",
    "select",
    "slot",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
];

/// True for a known HTML element name (case-insensitive).
pub fn is_html_element(name: &str) -> bool {
    HTML_ELEMENTS.iter().any(|e| e.eq_ignore_ascii_case(name))
}

/// The rewritten text and, for each of its lines, the 1-based line of the input it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewritten {
    /// Markdown with prompt tags replaced.
    pub text: String,
    /// `line_map[i]` is the input line of output line `i + 1`.
    pub line_map: Vec<usize>,
}

/// A parsed opening tag line: name and the raw attribute text.
fn open_tag(line: &str) -> Option<(&str, &str)> {
    let inner = line.strip_prefix('<')?.strip_suffix('>')?;
    if inner.starts_with('/') || inner.ends_with('/') {
        return None;
    }
    let end = inner
        .find(|c: char| c.is_whitespace())
        .unwrap_or(inner.len());
    let name = &inner[..end];
    valid_name(name).then(|| (name, inner[end..].trim()))
}

fn close_tag(line: &str) -> Option<&str> {
    let name = line.strip_prefix("</")?.strip_suffix('>')?.trim();
    valid_name(name).then_some(name)
}

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.' || c == ':')
        && !is_html_element(name)
}

/// Rewrites prompt tags in `text` (see the module docs).
pub fn rewrite(text: &str) -> Rewritten {
    let lines: Vec<&str> = text.lines().collect();
    let fenced = fenced_lines(&lines);
    // Pass 1: find opening lines with a matching closing line at the same nesting.
    let mut action: Vec<Option<Action>> = vec![None; lines.len()];
    let mut stack: Vec<(usize, &str)> = Vec::new();
    for (i, raw) in lines.iter().enumerate() {
        if fenced[i] || indent(raw) > 3 {
            continue;
        }
        let line = raw.trim();
        if let Some((name, attrs)) = one_liner(line) {
            action[i] = Some(Action::OneLine(name.to_string(), attrs.to_string()));
        } else if let Some((name, _)) = open_tag(line) {
            stack.push((i, name));
        } else if let Some(name) = close_tag(line) {
            if let Some(pos) = stack.iter().rposition(|(_, n)| *n == name) {
                let (open, _) = stack[pos];
                stack.truncate(pos);
                action[open] = Some(Action::Open);
                action[i] = Some(Action::Close);
            }
        }
    }
    if action.iter().all(Option::is_none) {
        return Rewritten {
            text: text.to_string(),
            line_map: (1..=lines.len()).collect(),
        };
    }
    // Pass 2: emit.
    let mut out = Rewritten {
        text: String::with_capacity(text.len() + 256),
        line_map: Vec::with_capacity(lines.len() + 64),
    };
    let push = |s: &str, from: usize, out: &mut Rewritten| {
        out.text.push_str(s);
        out.text.push('\n');
        out.line_map.push(from);
    };
    for (i, raw) in lines.iter().enumerate() {
        let n = i + 1;
        match &action[i] {
            None => push(raw, n, &mut out),
            Some(Action::Open) => {
                let (name, attrs) = open_tag(raw.trim()).expect("checked in pass 1");
                push("", n, &mut out);
                push(&summary(name, attrs), n, &mut out);
                push("", n, &mut out);
            }
            Some(Action::Close) => {
                push("", n, &mut out);
                push("</details>", n, &mut out);
                push("", n, &mut out);
            }
            Some(Action::OneLine(name, attrs)) => {
                let line = raw.trim();
                let inner = &line
                    [line.find('>').map_or(0, |p| p + 1)..line.rfind("</").unwrap_or(line.len())];
                push("", n, &mut out);
                push(&summary(name, attrs), n, &mut out);
                push("", n, &mut out);
                push(inner.trim(), n, &mut out);
                push("", n, &mut out);
                push("</details>", n, &mut out);
                push("", n, &mut out);
            }
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Action {
    Open,
    Close,
    OneLine(String, String),
}

fn one_liner(line: &str) -> Option<(&str, &str)> {
    let gt = line.find('>')?;
    let (name, attrs) = open_tag(&line[..=gt])?;
    let close = format!("</{name}>");
    (line.ends_with(&close) && line.len() > gt + 1 + close.len()).then_some((name, attrs))
}

/// The opening of the block: a readable label (`zone_constraints` → "Zone constraints") and
/// the tag name itself, plus its attributes, in the summary line.
fn summary(name: &str, attrs: &str) -> String {
    let esc = crate::render::highlight::escape;
    let label = crate::model::title_from_name(name);
    let attrs_html = if attrs.is_empty() {
        String::new()
    } else {
        format!(" <span class=\"prompt-tag-attrs\">{}</span>", esc(attrs))
    };
    format!(
        "<details class=\"prompt-tag\" data-tag=\"{}\" open><summary><span class=\"prompt-tag-label\">{}</span> <code class=\"prompt-tag-name\">{}</code>{attrs_html}</summary>",
        esc(name),
        esc(&label),
        esc(name)
    )
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// Marks lines inside fenced code blocks (the fence lines included).
fn fenced_lines(lines: &[&str]) -> Vec<bool> {
    let mut out = vec![false; lines.len()];
    let mut fence: Option<(char, usize)> = None;
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        let c = t.chars().next().unwrap_or(' ');
        let run = t.chars().take_while(|&x| x == c).count();
        match fence {
            Some((fc, len)) => {
                out[i] = true;
                if c == fc && run >= len && t[run..].trim().is_empty() {
                    fence = None;
                }
            }
            None if (c == '`' || c == '~') && run >= 3 && indent(l) <= 3 => {
                out[i] = true;
                fence = Some((c, run));
            }
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_become_details_with_markdown_inside() {
        let r = rewrite("intro\n<objective>\nDo **this**.\n</objective>\n<zone_constraints>\n## Zone\n| a |\n</zone_constraints>\n");
        assert!(r.text.contains("<details class=\"prompt-tag\" data-tag=\"objective\" open><summary><span class=\"prompt-tag-label\">Objective</span> <code class=\"prompt-tag-name\">objective</code></summary>\n\nDo **this**.\n\n</details>"), "{}", r.text);
        assert!(r.text.contains("data-tag=\"zone_constraints\""));
        assert_eq!(r.line_map.len(), r.text.lines().count());
        let zone = r.text.lines().position(|l| l == "## Zone").unwrap();
        assert_eq!(r.line_map[zone], 6);
    }

    #[test]
    fn attributes_nesting_and_one_liners() {
        let r = rewrite("<principles>\n<principle name=\"x\">\ntext\n</principle>\n</principles>\n<note>short</note>\n");
        assert_eq!(r.text.matches("<details").count(), 3, "{}", r.text);
        assert!(r.text.contains("name=&quot;x&quot;") || r.text.contains("name=\"x\""));
        assert!(r.text.contains("\nshort\n"));
    }

    #[test]
    fn html_code_and_unclosed_are_left_alone() {
        let src = "<details>\n<summary>S</summary>\n</details>\n```\n<objective>\n</objective>\n```\n<lonely>\n";
        assert_eq!(rewrite(src).text, src);
    }
}
