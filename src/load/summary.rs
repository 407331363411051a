//! A parser for mdBook's `SUMMARY.md`, the file that lists a book's chapters.
//!
//! Follows mdBook's format (<https://rust-lang.github.io/mdBook/format/summary.html>): an
//! optional `# Summary` title, prefix chapters (links on their own lines before the first
//! list), numbered chapters as a nested list (`- [Title](path.md)`), part titles (`# Part`)
//! and separators (`---`) between them, suffix chapters after, and draft chapters written with
//! an empty target (`[Title]()`). Numbering continues across parts, as in mdBook.

/// One entry of a SUMMARY.md.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SummaryItem {
    /// A chapter link.
    Chapter(Chapter),
    /// A `# Part title` between groups of numbered chapters.
    PartTitle(String),
    /// A `---` line.
    Separator,
}

/// A chapter link and its nested chapters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapter {
    /// Link text (inline Markdown markers stripped).
    pub title: String,
    /// Link target relative to the content folder; `None` for a draft chapter.
    pub path: Option<String>,
    /// `1.2.`-style number for numbered chapters; empty for prefix/suffix chapters.
    pub number: String,
    /// 1-based line in SUMMARY.md.
    pub line: usize,
    /// Nested chapters.
    pub children: Vec<Chapter>,
}

/// A problem in SUMMARY.md: 1-based line and message.
pub type SummaryProblem = (usize, String);

/// Parses SUMMARY.md text. Lines that are neither chapters, part titles nor separators are
/// reported as problems (mdBook rejects them; skillsite skips them and builds on).
pub fn parse(text: &str) -> (Vec<SummaryItem>, Vec<SummaryProblem>) {
    let mut items: Vec<SummaryItem> = Vec::new();
    let mut problems = Vec::new();
    // Stack of (indent, path of indices into the current list of chapters).
    let mut stack: Vec<usize> = Vec::new(); // indents of open list levels
    let mut top_number = 0usize;
    let mut seen_title = false;
    let mut seen_chapter = false;
    let mut in_fence = false;

    // A link whose title runs over several lines (`[Soft\nline break](soft.md)`) is read as
    // one line, numbered by its first.
    let mut lines: Vec<(usize, String)> = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (i, raw) in text.lines().enumerate() {
        if let Some((n, mut acc)) = open.take() {
            acc.push(' ');
            acc.push_str(raw.trim());
            if acc.contains("](") || raw.trim().is_empty() {
                lines.push((n, acc));
            } else {
                open = Some((n, acc));
            }
            continue;
        }
        let t = raw.trim();
        let body = t.trim_start_matches(['-', '*', '+']).trim_start();
        if body.starts_with('[') && !t.contains("](") && !t.contains(']') {
            open = Some((i, raw.to_string()));
        } else {
            lines.push((i, raw.to_string()));
        }
    }
    if let Some(last) = open {
        lines.push(last);
    }
    for (i, raw) in &lines {
        let (i, raw) = (*i, raw.as_str());
        let line_no = i + 1;
        let trimmed = raw.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence || trimmed.is_empty() || trimmed.starts_with("<!--") {
            continue;
        }
        if let Some(h) = trimmed.strip_prefix('#') {
            let title = h.trim_start_matches('#').trim().to_string();
            if !seen_title && !seen_chapter {
                seen_title = true; // the book's own "# Summary" heading
            } else {
                items.push(SummaryItem::PartTitle(title));
            }
            stack.clear();
            continue;
        }
        if trimmed.chars().all(|c| c == '-' || c == '*' || c == '_') && trimmed.len() >= 3 {
            items.push(SummaryItem::Separator);
            stack.clear();
            continue;
        }
        let indent = raw.len() - raw.trim_start().len();
        let (is_list, rest) = match trimmed.get(..2) {
            Some("- " | "* " | "+ ") => (true, trimmed[2..].trim()),
            _ => (false, trimmed),
        };
        let Some((title, path)) = parse_link(rest) else {
            problems.push((
                line_no,
                format!("expected a chapter link `[Title](file.md)`, found `{trimmed}`"),
            ));
            continue;
        };
        seen_chapter = true;
        let mut chapter = Chapter {
            title,
            path,
            number: String::new(),
            line: line_no,
            children: Vec::new(),
        };
        if !is_list {
            items.push(SummaryItem::Chapter(chapter));
            stack.clear();
            continue;
        }
        // Work out the nesting level from the indentation.
        while stack.last().is_some_and(|&d| indent < d) {
            stack.pop();
        }
        if stack.last().is_none_or(|&d| indent > d)
            && (stack.is_empty() || last_chapter(&mut items, stack.len()).is_some())
        {
            stack.push(indent);
        }
        let depth = stack.len();
        if depth <= 1 {
            top_number += 1;
            chapter.number = format!("{top_number}.");
            items.push(SummaryItem::Chapter(chapter));
        } else if let Some(parent) = last_chapter(&mut items, depth - 1) {
            chapter.number = format!("{}{}.", parent.number, parent.children.len() + 1);
            parent.children.push(chapter);
        }
    }
    (items, problems)
}

/// The most recent chapter at nesting `depth` (1 = top level).
fn last_chapter(items: &mut [SummaryItem], depth: usize) -> Option<&mut Chapter> {
    let mut current = match items.last_mut() {
        Some(SummaryItem::Chapter(c)) if !c.number.is_empty() => c,
        _ => return None,
    };
    for _ in 1..depth {
        current = current.children.last_mut()?;
    }
    Some(current)
}

/// Parses `[Title](target)`; the target is `None` when empty (a draft).
fn parse_link(s: &str) -> Option<(String, Option<String>)> {
    let s = s.strip_prefix('[')?;
    // The title may itself contain brackets: find the `](` that closes it.
    let mut depth = 0i32;
    let mut close = None;
    for (i, c) in s.char_indices() {
        match c {
            '[' => depth += 1,
            ']' if depth == 0 => {
                close = Some(i);
                break;
            }
            ']' => depth -= 1,
            _ => {}
        }
    }
    let close = close?;
    let title = strip_inline(&s[..close]);
    let rest = s[close + 1..].strip_prefix('(')?;
    let end = rest.rfind(')')?;
    let target = rest[..end]
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>');
    let target = target.split_whitespace().next().unwrap_or("");
    let target = target.strip_prefix("./").unwrap_or(target);
    Some((title, (!target.is_empty()).then(|| target.to_string())))
}

/// The plain text of a link title written in Markdown (`*Italic* \`code\` \\*escape\\*` →
/// `Italic code *escape*`), read with pulldown-cmark as mdBook reads SUMMARY.md; a line break
/// in the title is a space.
fn strip_inline(s: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let mut out = String::new();
    for e in Parser::new(s) {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// `[build] create-missing` (mdBook): creates every chapter file that `SUMMARY.md` in `src`
/// names and that does not exist, holding `# Title\n` (the link text, `<`, `>` and `&`
/// escaped as mdBook writes them), with its folders. Paths that climb out of `src` are left
/// alone. Returns the created paths (content-relative); a file that cannot be created is a
/// `summary-missing` warning.
pub fn create_missing(
    src: &std::path::Path,
    diags: &crate::diagnostics::Diagnostics,
) -> Vec<String> {
    let file = src.join("SUMMARY.md");
    let Ok(text) = std::fs::read_to_string(&file) else {
        return Vec::new();
    };
    let (items, _) = parse(&text);
    let mut created = Vec::new();
    fn walk(
        c: &Chapter,
        src: &std::path::Path,
        file: &std::path::Path,
        diags: &crate::diagnostics::Diagnostics,
        created: &mut Vec<String>,
    ) {
        if let Some(path) = c.path.as_deref().map(|p| p.split('#').next().unwrap_or(p)) {
            let rel = crate::util::path::join_rel("", path);
            let escapes = path.split('/').any(|p| p == "..") || path.starts_with('/');
            let target = src.join(&rel);
            if !rel.is_empty() && !escapes && !target.exists() {
                let title = c
                    .title
                    .replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;");
                let made = target
                    .parent()
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .and_then(|()| std::fs::write(&target, format!("# {title}\n")));
                match made {
                    Ok(()) => created.push(rel),
                    Err(e) => diags.push(
                        crate::diagnostics::Diagnostic::warning(
                            "summary-missing",
                            format!("cannot create missing chapter `{rel}`: {e}"),
                        )
                        .at(crate::util::path::clean(file))
                        .line(c.line),
                    ),
                }
            }
        }
        for ch in &c.children {
            walk(ch, src, file, diags, created);
        }
    }
    for item in &items {
        if let SummaryItem::Chapter(c) = item {
            walk(c, src, &file, diags, &mut created);
        }
    }
    created
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mdbook_summary() {
        let text = "# Summary\n\n[Introduction](README.md)\n\n# User Guide\n\n- [Install](guide/install.md)\n    - [Linux](guide/linux.md)\n    - [Draft]()\n- [Use `it`](guide/use.md)\n\n---\n\n# Reference\n\n- [Config](ref/config.md)\n\n[Contributors](misc/contributors.md)\n";
        let (items, problems) = parse(text);
        assert!(problems.is_empty(), "{problems:?}");
        let SummaryItem::Chapter(intro) = &items[0] else {
            panic!()
        };
        assert_eq!(intro.number, "");
        assert_eq!(items[1], SummaryItem::PartTitle("User Guide".into()));
        let SummaryItem::Chapter(install) = &items[2] else {
            panic!()
        };
        assert_eq!(install.number, "1.");
        assert_eq!(install.children[0].number, "1.1.");
        assert_eq!(install.children[1].path, None);
        assert_eq!(install.children[1].number, "1.2.");
        let SummaryItem::Chapter(use_) = &items[3] else {
            panic!()
        };
        assert_eq!(use_.title, "Use it");
        assert_eq!(items[4], SummaryItem::Separator);
        let SummaryItem::Chapter(cfg) = &items[6] else {
            panic!()
        };
        assert_eq!(cfg.number, "3.", "numbering continues across parts");
        let SummaryItem::Chapter(c) = &items[7] else {
            panic!()
        };
        assert_eq!(c.number, "");
        assert_eq!(c.path.as_deref(), Some("misc/contributors.md"));
    }

    #[test]
    fn garbage_lines_are_problems() {
        let (items, problems) = parse("- [A](a.md)\nsome prose\n");
        assert_eq!(items.len(), 1);
        assert_eq!(problems[0].0, 2);
    }
}
