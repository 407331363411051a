//! Syntax highlighting at build time with syntect and two-face's syntax set (bat's ~220
//! syntaxes, which add TOML, Dockerfile, Terraform/HCL, TypeScript... to syntect's defaults).
//!
//! Output uses CSS classes (`sy-` prefixed scopes), never inline styles, so one stylesheet
//! ([`css`]) gives a light and a dark theme. The syntax set is loaded once per process and
//! shared by all render threads. Unknown languages (e.g. `promql`) fall back to escaped plain text.
//!
//! Parsing is where the time goes (syntect runs its grammar's regexes over every line: 15,000
//! to 100,000 lines a second per core, depending on the grammar). Code repeats whole lines — blank
//! lines, closing braces, imports, the same command in many runbooks — so each render thread
//! keeps the lines it parsed ([`LineCache`]): a line parsed again from the same parser state
//! gives the same scope operations and the same next state.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, line_tokens_to_classed_spans, ClassStyle};
use syntect::parsing::{ParseState, Scope, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "sy-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// Common fence names that are not a syntax's own name or extension.
fn alias(lang: &str) -> &str {
    match lang {
        "shell" | "console" | "shell-session" | "zsh" | "sh" => "bash",
        "terraform" | "tf" | "hcl" => "tf",
        "dockerfile" | "docker" => "Dockerfile",
        "yml" => "yaml",
        "jsonc" | "json5" => "json",
        "golang" => "go",
        "py" | "python3" => "python",
        "rs" => "rust",
        "ts" | "typescript" => "ts",
        "tsx" => "tsx",
        "js" | "javascript" | "node" => "js",
        "ps" | "ps1" | "pwsh" | "powershell" => "ps1",
        "md" | "markdown" => "md",
        "text" | "txt" | "plain" | "plaintext" | "ascii" => "",
        other => other,
    }
}

/// The syntax for a fence language, if syntect knows it.
pub fn find(lang: &str) -> Option<&'static SyntaxReference> {
    let lang = alias(lang.trim());
    if lang.is_empty() {
        return None;
    }
    let set = syntaxes();
    set.find_syntax_by_token(lang)
        .or_else(|| set.find_syntax_by_token(&lang.to_lowercase()))
}

/// Highlights `code` as `lang` and returns HTML spans (no `<pre>`/`<code>` wrapper).
/// Unknown languages and highlighting failures give escaped plain text.
///
/// The output is the same as syntect's `ClassedHTMLGenerator` gives (spans opened and not yet
/// closed at the end are closed).
pub fn highlight(code: &str, lang: &str) -> String {
    let Some(syntax) = find(lang) else {
        return escape(code);
    };
    LINES
        .with_borrow_mut(|cache| classed_html(cache, syntax, code))
        .unwrap_or_else(|| escape(code))
}

/// Classed HTML spans for `code`; `None` when syntect fails on a line.
fn classed_html(cache: &mut LineCache, syntax: &SyntaxReference, code: &str) -> Option<String> {
    let mut state = ParseState::new(syntax);
    let mut scopes = ScopeStack::new();
    let mut html = String::with_capacity(code.len() * 4);
    let mut open_spans = 0isize;
    for line in LinesWithEndings::from(code) {
        let ops = cache.parse(&mut state, scopes.as_slice(), line)?;
        let (spans, delta) =
            line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, &mut scopes).ok()?;
        open_spans += delta;
        html.push_str(&spans);
    }
    for _ in 0..open_spans {
        html.push_str("</span>");
    }
    Some(html)
}

thread_local! {
    static LINES: RefCell<LineCache> = RefCell::new(LineCache::default());
}

/// Lines parsed on this thread: for a line's text, the parser states it was parsed from, each
/// with the scope operations syntect gave and the state after the line.
/// [`ParseState::parse_line`] is a function of the state and the text alone (the state holds
/// the context stack, whose ids name the syntax, and any captured text a grammar refers back
/// to), so a hit gives exactly what parsing again would.
///
/// Entries are found by a hash of the text and of the scopes open at the start of the line
/// (which tell most states apart cheaply: a blank line is parsed in many states), then
/// compared in full.
///
/// Bounded: at [`LineCache::MAX_LINES`] entries it starts again empty (about 0.5 KB an entry).
#[derive(Default)]
pub struct LineCache {
    lines: HashMap<u64, Vec<ParsedLine>, rustc_hash::FxBuildHasher>,
    entries: usize,
}

struct ParsedLine {
    text: Box<str>,
    before: ParseState,
    ops: Vec<(usize, ScopeStackOp)>,
    after: ParseState,
}

impl LineCache {
    /// Entries kept per thread before the cache is emptied.
    pub const MAX_LINES: usize = 32 * 1024;

    /// The scope operations of `line` parsed from `state` (with `scopes` open), which is moved
    /// on to the state after the line. `None` when syntect fails.
    fn parse(
        &mut self,
        state: &mut ParseState,
        scopes: &[Scope],
        line: &str,
    ) -> Option<Vec<(usize, ScopeStackOp)>> {
        let mut hasher = rustc_hash::FxHasher::default();
        (scopes, line).hash(&mut hasher);
        let key = hasher.finish();
        if let Some(hit) = self
            .lines
            .get(&key)
            .and_then(|seen| seen.iter().find(|p| &*p.text == line && p.before == *state))
        {
            state.clone_from(&hit.after);
            return Some(hit.ops.clone());
        }
        let before = state.clone();
        let ops = state.parse_line(line, syntaxes()).ok()?;
        if self.entries >= Self::MAX_LINES {
            self.lines.clear();
            self.entries = 0;
        }
        self.entries += 1;
        self.lines.entry(key).or_default().push(ParsedLine {
            text: line.into(),
            before,
            ops: ops.clone(),
            after: state.clone(),
        });
        Some(ops)
    }
}

/// HTML-escapes text for element content.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    pulldown_cmark_escape::escape_html_body_text(&mut out, text).expect("writing to a String");
    out
}

/// The stylesheet for highlighted code: InspiredGitHub in light mode, base16-ocean.dark in
/// dark mode (`html[data-theme="dark"]`, or the system setting when no theme was chosen).
pub fn css() -> String {
    let themes = ThemeSet::load_defaults();
    let light = css_for_theme_with_class_style(&themes.themes["InspiredGitHub"], CLASS_STYLE)
        .unwrap_or_default();
    let dark = css_for_theme_with_class_style(&themes.themes["base16-ocean.dark"], CLASS_STYLE)
        .unwrap_or_default();
    let mut out = String::from("/* Generated by skillsite from syntect themes; do not edit. */\n");
    out.push_str(&scope(&light, ""));
    // Dark rules apply on screens only, so printing from a dark-mode system stays light.
    out.push_str("@media screen {\n");
    out.push_str(&scope(&dark, "html[data-theme=\"dark\"] "));
    out.push_str("}\n@media screen and (prefers-color-scheme: dark) {\n");
    out.push_str(&scope(&dark, "html:not([data-theme=\"light\"]) "));
    out.push_str("}\n");
    out
}

/// Prefixes every selector of a flat stylesheet with `prefix`; drops the theme's
/// background colour for the code wrapper so the site's own code background shows.
fn scope(css: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(css.len() * 2);
    for line in css.lines() {
        let t = line.trim_start();
        if t.ends_with('{') && t.starts_with('.') {
            let sel = t.trim_end_matches('{').trim();
            let scoped: Vec<String> = sel
                .split(',')
                .map(|s| format!("{prefix}{}", s.trim()))
                .collect();
            out.push_str(&scoped.join(", "));
            out.push_str(" {\n");
        } else if t.starts_with("background-color") {
            continue;
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_from_two_face_and_aliases() {
        for lang in [
            "rust",
            "toml",
            "ts",
            "typescript",
            "hcl",
            "terraform",
            "dockerfile",
            "yaml",
            "bash",
            "shell",
            "json",
            "python",
            "promql-not",
        ] {
            let found = find(lang).is_some();
            assert_eq!(found, lang != "promql-not", "{lang}");
        }
    }

    #[test]
    fn classes_not_inline_styles_and_escaping() {
        let html = highlight("fn main() { let x = \"<b>\"; }\n", "rust");
        assert!(html.contains("class=\"sy-"), "{html}");
        assert!(!html.contains("style="));
        assert!(html.contains("&lt;b&gt;"));
        assert_eq!(highlight("a < b\n", "promql"), "a &lt; b\n");
    }

    /// What syntect's own generator gives, without the line cache.
    fn reference(code: &str, lang: &str) -> String {
        let mut gen = syntect::html::ClassedHTMLGenerator::new_with_class_style(
            find(lang).unwrap(),
            syntaxes(),
            CLASS_STYLE,
        );
        for line in LinesWithEndings::from(code) {
            gen.parse_html_for_line_which_includes_newline(line)
                .unwrap();
        }
        gen.finalize()
    }

    #[test]
    fn cached_lines_give_what_syntect_gives() {
        // `x = 1;` and `let s = "a";` come back in other parser states: inside a block
        // comment, inside a raw string, after a heredoc opened. A cache keyed on the text
        // alone would colour them as the first occurrence.
        let cases = [
            (
                "rust",
                "let x = 1;\n/*\nlet x = 1;\n*/\nlet x = 1;\nlet s = r#\"\nlet x = 1;\n\"#;\n",
            ),
            ("python", "x = 1\n\"\"\"\nx = 1\n\"\"\"\nx = 1\n"),
            (
                "bash",
                "echo hi\ncat <<EOF\necho hi\nEOF\necho hi\ncat <<END\nEOF\necho hi\nEND\n",
            ),
            ("yaml", "a: 1\nb: |\n  a: 1\na: 1\n"),
            ("ts", "const a = 1;\n`\nconst a = 1;\n`;\nconst a = 1;\n"),
        ];
        for (lang, code) in cases {
            let want = reference(code, lang);
            // Twice: the second time every line is a hit.
            assert_eq!(highlight(code, lang), want, "{lang}");
            assert_eq!(highlight(code, lang), want, "{lang}, from the cache");
        }
        // The states differ, so the repeated lines must not all be highlighted alike.
        let html = highlight(cases[0].1, "rust");
        let lines: Vec<&str> = html.split('\n').collect();
        assert_ne!(lines[0], lines[2], "{html}");
    }

    #[test]
    fn css_has_light_and_dark() {
        let css = css();
        assert!(css.contains(".sy-"));
        assert!(css.contains("html[data-theme=\"dark\"] .sy-"));
        assert!(css.contains("prefers-color-scheme: dark"));
    }
}
