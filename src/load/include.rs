//! mdBook's built-in preprocessor links: `{{#include}}` and `{{#title}}`.
//!
//! Supported forms (<https://rust-lang.github.io/mdBook/format/mdbook.html>):
//! `{{#include file.rs}}`, `{{#include file.rs:10}}` (from line 10), `{{#include file.rs:2:10}}`,
//! `{{#include file.rs::10}}`, `{{#include file.rs:anchor}}` (between `ANCHOR: anchor` and
//! `ANCHOR_END: anchor` comments, the marker lines themselves dropped), and `{{#title Text}}`.
//! `{{#rustdoc_include}}` includes the whole file with the lines outside the selection hidden
//! (`# `, rustdoc's rule), `{{#playground file.rs attrs}}` includes the file as a ```` ```rust,attrs ````
//! fence. Other `{{#...}}` links are left as text with a warning. Paths are relative to the
//! including file; includes nest up to 10 deep. A backslash before the link
//! (`\{{#include x}}`) escapes it, as in mdBook; spaces may stand between `{{` and `#`. A
//! link indented on its line (in a list item, a block quote) indents every included line the
//! same way (mdBook 0.5).

use std::path::Path;

/// Result of expanding the links in one page.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Expanded {
    /// The text with links replaced.
    pub text: String,
    /// The title set by `{{#title}}`, if any.
    pub title: Option<String>,
    /// Problems: (1-based line in the input text, message).
    pub problems: Vec<(usize, String)>,
}

/// Expands the links in `text`, a page located in folder `dir`.
pub fn expand(text: &str, dir: &Path) -> Expanded {
    let mut out = Expanded::default();
    out.text = expand_depth(text, dir, 0, &mut out.title, &mut out.problems, true);
    out
}

/// The next link in `s`: (offset of its `{{`, offset just after its `#`). mdBook allows
/// spaces between `{{` and `#` (`{{ #include file }}`).
fn find_link(s: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(i) = s[from..].find("{{") {
        let at = from + i;
        let after = s[at + 2..].trim_start_matches([' ', '\t']);
        if after.starts_with('#') {
            return Some((at, s.len() - after.len() + 1));
        }
        from = at + 2;
    }
    None
}

fn expand_depth(
    text: &str,
    dir: &Path,
    depth: usize,
    title: &mut Option<String>,
    problems: &mut Vec<(usize, String)>,
    top: bool,
) -> String {
    if !text.contains("{{") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut consumed = 0usize;
    while let Some((start, body)) = find_link(rest) {
        let line = text[..consumed + start].matches('\n').count() + 1;
        if start > 0 && rest.as_bytes()[start - 1] == b'\\' {
            out.push_str(&rest[..start - 1]);
            out.push_str(&rest[start..body]);
            consumed += body;
            rest = &rest[body..];
            continue;
        }
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let inner = rest[body..start + end].trim();
        let (cmd, arg) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        let arg = arg.trim();
        // What precedes the link on its line, when it is only indentation and `>` markers
        // (a list item, a block quote): every further line of the included text gets it too,
        // so the text stays inside the list or quote (mdBook 0.5).
        let line_start = out.rfind('\n').map_or(0, |i| i + 1);
        let prefix = out[line_start..].to_string();
        let prefix = prefix
            .chars()
            .all(|c| c == ' ' || c == '\t' || c == '>')
            .then_some(prefix)
            .filter(|p| !p.is_empty());
        let included = match cmd {
            "include" => Some(include(arg, dir, Mode::Include).map(|t| (t, arg))),
            "rustdoc_include" => Some(include(arg, dir, Mode::Rustdoc).map(|t| (t, arg))),
            // `{{#playground file.rs attrs}}`: the file as a Rust fence (mdBook's links.rs).
            "playground" => {
                let mut words = arg.split_whitespace();
                let file = words.next().unwrap_or("");
                let attrs: Vec<&str> = words.collect();
                Some(include(file, dir, Mode::Include).map(|t| {
                    let info = if attrs.is_empty() {
                        "rust".to_string()
                    } else {
                        format!("rust,{}", attrs.join(","))
                    };
                    (
                        format!("```{info}\n{}\n```\n", t.trim_end_matches('\n')),
                        file,
                    )
                }))
            }
            _ => None,
        };
        match (cmd, included) {
            (_, Some(Ok((included, arg)))) if depth < 10 => {
                let sub_dir = dir
                    .join(arg.split(':').next().unwrap_or(""))
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| dir.to_path_buf());
                let mut ignored = None;
                let mut sub_problems = Vec::new();
                let expanded = expand_depth(
                    &included,
                    &sub_dir,
                    depth + 1,
                    &mut ignored,
                    &mut sub_problems,
                    false,
                );
                match &prefix {
                    Some(p) => {
                        let body = expanded.strip_suffix('\n');
                        let joined = body.unwrap_or(&expanded).replace('\n', &format!("\n{p}"));
                        out.push_str(&joined);
                        if body.is_some() {
                            out.push('\n');
                        }
                    }
                    None => out.push_str(&expanded),
                }
                problems.extend(sub_problems.into_iter().map(|(_, m)| (line, m)));
            }
            (_, Some(Ok(_))) => problems.push((
                line,
                format!("`{{{{#{cmd} {arg}}}}}` nests more than 10 deep; not expanded"),
            )),
            (_, Some(Err(msg))) => problems.push((line, msg)),
            ("title", None) if top => *title = Some(arg.to_string()),
            ("title", None) => {}
            _ => {
                problems.push((
                    line,
                    format!("`{{{{#{cmd}}}}}` is not supported; left as text"),
                ));
                out.push_str(&rest[start..start + end + 2]);
            }
        }
        consumed += start + end + 2;
        rest = &rest[start + end + 2..];
    }
    out.push_str(rest);
    out
}

/// How an included file's lines are used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `{{#include}}`: the selected lines only.
    Include,
    /// `{{#rustdoc_include}}`: every line, those outside the selection hidden with rustdoc's
    /// `# ` (mdBook's rule, so the playground gets the whole file).
    Rustdoc,
}

/// Reads the file named by an include argument (`path[:from[:to]]` or `path:anchor`).
fn include(arg: &str, dir: &Path, mode: Mode) -> Result<String, String> {
    let mut parts = arg.splitn(2, ':');
    let file = parts.next().unwrap_or("").trim();
    let range = parts.next();
    let path = dir.join(file);
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot include `{file}`: {e}"))?;
    let content = String::from_utf8_lossy(&bytes);
    let lines: Vec<&str> = content.lines().collect();
    let (from, to) = match range {
        None | Some("") => (0, lines.len()),
        Some(r) => {
            let (a, b) = r.split_once(':').unwrap_or((
                r,
                if r.chars().all(|c| c.is_ascii_digit()) {
                    "\u{0}"
                } else {
                    ""
                },
            ));
            let num = |s: &str| s.trim().parse::<usize>().ok();
            if !a.is_empty() && num(a).is_none() {
                anchor(&lines, a.trim())
                    .ok_or_else(|| format!("anchor `{a}` not found in `{file}`"))?
            } else {
                let from = num(a).unwrap_or(1).max(1) - 1;
                let to = if b == "\u{0}" {
                    from + 1
                } else {
                    num(b).unwrap_or(lines.len())
                };
                // mdBook: `file:2` is line 2 only, `file:2:` from line 2 to the end.
                (
                    from.min(lines.len()),
                    to.min(lines.len()).max(from.min(lines.len())),
                )
            }
        }
    };
    let is_marker = |l: &str| l.contains("ANCHOR:") || l.contains("ANCHOR_END:");
    let mut text = match mode {
        Mode::Include => lines[from..to]
            .iter()
            .filter(|l| !is_marker(l))
            .copied()
            .collect::<Vec<_>>()
            .join("\n"),
        Mode::Rustdoc => lines
            .iter()
            .enumerate()
            .filter(|(_, l)| !is_marker(l))
            .map(|(i, l)| {
                if (from..to).contains(&i) {
                    (*l).to_string()
                } else {
                    format!("# {l}")
                }
            })
            .collect::<Vec<_>>()
            .join("\n"),
    };
    if content.ends_with('\n') || range.is_some() {
        text.push('\n');
    }
    Ok(text)
}

/// The line range `[start, end)` between the `ANCHOR: name` and `ANCHOR_END: name` lines.
fn anchor(lines: &[&str], name: &str) -> Option<(usize, usize)> {
    let is_marker = |l: &str, kind: &str| {
        l.split(kind).nth(1).is_some_and(|rest| {
            rest.trim_start()
                .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                .next()
                == Some(name)
        })
    };
    let start = lines.iter().position(|l| is_marker(l, "ANCHOR:"))?;
    let end = lines[start + 1..]
        .iter()
        .position(|l| is_marker(l, "ANCHOR_END:"))
        .map_or(lines.len(), |e| start + 1 + e);
    Some((start + 1, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("code.rs"),
            "line1\nline2\n// ANCHOR: main\nfn main() {}\n// ANCHOR_END: main\nline6\n",
        )
        .unwrap();
        dir
    }

    #[test]
    fn whole_file_ranges_and_anchors() {
        let d = fixture();
        let e = expand("a\n{{#include code.rs}}\nb", d.path());
        assert!(
            e.text.starts_with("a\nline1\nline2\nfn main() {}\nline6\n"),
            "{:?}",
            e.text
        );
        assert_eq!(expand("{{#include code.rs:2}}", d.path()).text, "line2\n");
        assert_eq!(
            expand("{{#include code.rs:1:2}}", d.path()).text,
            "line1\nline2\n"
        );
        assert_eq!(expand("{{#include code.rs::1}}", d.path()).text, "line1\n");
        assert_eq!(expand("{{#include code.rs:5:}}", d.path()).text, "line6\n");
        assert_eq!(
            expand("{{#include code.rs:main}}", d.path()).text,
            "fn main() {}\n"
        );
    }

    #[test]
    fn title_escape_and_problems() {
        let d = fixture();
        let e = expand(
            "{{#title Custom}}\n\\{{#include code.rs}}\n{{#include nope.rs}}\n{{#playground x.rs}}",
            d.path(),
        );
        assert_eq!(e.title.as_deref(), Some("Custom"));
        assert!(e.text.contains("{{#include code.rs}}"));
        assert_eq!(e.problems.len(), 2);
        assert_eq!(e.problems[0].0, 3);
    }

    #[test]
    fn rustdoc_playground_spaces_and_indentation() {
        let d = fixture();
        assert_eq!(
            expand("{{#rustdoc_include code.rs:main}}", d.path()).text,
            "# line1\n# line2\nfn main() {}\n# line6\n"
        );
        assert_eq!(
            expand("{{#playground code.rs:main editable}}", d.path()).text,
            "```rust,editable\nfn main() {}\n```\n"
        );
        assert_eq!(expand("{{ #include code.rs:2 }}", d.path()).text, "line2\n");
        assert_eq!(
            expand(
                "- item:\n  ```\n  {{#include code.rs:1:2}}\n  ```\n",
                d.path()
            )
            .text,
            "- item:\n  ```\n  line1\n  line2\n\n  ```\n"
        );
        assert_eq!(
            expand("> {{#include code.rs:1:2}}", d.path()).text,
            "> line1\n> line2\n"
        );
    }
}
