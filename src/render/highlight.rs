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

/// The site's code background in light mode (`--code-bg` in skillsite.css).
pub const LIGHT_CODE_BG: [u8; 3] = [0xf6, 0xf8, 0xfa];
/// The site's code background in dark mode (`--code-bg` of the dark theme in skillsite.css).
pub const DARK_CODE_BG: [u8; 3] = [0x16, 0x1b, 0x22];
/// The contrast ratio every token colour reaches on the code background: WCAG 2.x's 4.5:1 for
/// normal text (success criterion 1.4.3), which axe-core's `color-contrast` rule checks.
pub const MIN_CONTRAST: f64 = 4.5;

/// The stylesheet for highlighted code: InspiredGitHub in light mode, base16-ocean.dark in
/// dark mode (`html[data-theme="dark"]`, or the system setting when no theme was chosen).
/// Token colours that fall below [`MIN_CONTRAST`] on the site's code background (InspiredGitHub's
/// comments, `#969896` on `#f6f8fa`, are 2.7:1; base16-ocean's comments `#65737e` on `#161b22`
/// 3.4:1) are darkened (light) or lightened (dark) just enough, keeping their hue.
pub fn css() -> String {
    let themes = ThemeSet::load_defaults();
    let light = css_for_theme_with_class_style(&themes.themes["InspiredGitHub"], CLASS_STYLE)
        .unwrap_or_default();
    let dark = css_for_theme_with_class_style(&themes.themes["base16-ocean.dark"], CLASS_STYLE)
        .unwrap_or_default();
    // In dark mode the light rules still apply where the dark theme has no rule for a scope
    // (InspiredGitHub's `.sy-support.sy-type` `#0086b3`: 3.5:1 on the dark background), so
    // the dark block first repeats the light rules, lightened for the dark background (the
    // prefix makes them outweigh the light rules), then the dark theme's rules, whose prefix
    // carries `:not(#_)` (an id's weight) so that each of them outweighs every repeated rule.
    let light_on_dark = readable(&light, DARK_CODE_BG);
    let light = readable(&light, LIGHT_CODE_BG);
    let dark = readable(&dark, DARK_CODE_BG);
    let mut out = String::from("/* Generated by skillsite from syntect themes; do not edit. */\n");
    out.push_str(&scope(&light, ""));
    // Dark rules apply on screens only, so printing from a dark-mode system stays light.
    for (open, root) in [
        ("@media screen {\n", "html[data-theme=\"dark\"]"),
        (
            "@media screen and (prefers-color-scheme: dark) {\n",
            "html:not([data-theme=\"light\"])",
        ),
    ] {
        out.push_str(open);
        out.push_str(&scope(&light_on_dark, &format!("{root} ")));
        out.push_str(&scope(&dark, &format!("{root}:not(#_) ")));
        out.push_str("}\n");
    }
    out
}

/// WCAG 2.x relative luminance of an sRGB colour.
fn luminance(c: [u8; 3]) -> f64 {
    let lin = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
}

/// WCAG 2.x contrast ratio of two colours (1 to 21).
pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `fg` mixed towards black (on a light `bg`) or white (on a dark one) in small steps until it
/// reaches [`MIN_CONTRAST`] on `bg`; unchanged when it already does.
pub fn ensure_contrast(fg: [u8; 3], bg: [u8; 3]) -> [u8; 3] {
    let target = if luminance(bg) > 0.18 { 0.0 } else { 255.0 };
    let mut c = fg;
    for step in 1..=20 {
        if contrast(c, bg) >= MIN_CONTRAST {
            break;
        }
        let t = f64::from(step) / 20.0;
        c = fg.map(|v| (f64::from(v) + (target - f64::from(v)) * t).round() as u8);
    }
    c
}

/// Rewrites every `color: #rrggbb` of a stylesheet to reach [`MIN_CONTRAST`] on `bg`.
fn readable(css: &str, bg: [u8; 3]) -> String {
    let mut out = String::with_capacity(css.len());
    for line in css.lines() {
        let t = line.trim_start();
        let hex = t
            .strip_prefix("color:")
            .map(|r| r.trim().trim_end_matches(';').trim())
            .filter(|h| h.len() == 7 && h.starts_with('#'))
            .and_then(|h| {
                let v = u32::from_str_radix(&h[1..], 16).ok()?;
                Some([(v >> 16) as u8, (v >> 8) as u8, v as u8])
            });
        match hex {
            Some(c) => {
                let [r, g, b] = ensure_contrast(c, bg);
                let indent = &line[..line.len() - t.len()];
                out.push_str(&format!("{indent}color: #{r:02x}{g:02x}{b:02x};\n"));
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
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
    fn token_colours_reach_4_5_to_1_on_the_code_background() {
        assert!(contrast([0x96, 0x98, 0x96], LIGHT_CODE_BG) < 3.0);
        let fixed = ensure_contrast([0x96, 0x98, 0x96], LIGHT_CODE_BG);
        assert!(contrast(fixed, LIGHT_CODE_BG) >= MIN_CONTRAST, "{fixed:?}");
        assert_eq!(ensure_contrast([0, 0, 0], LIGHT_CODE_BG), [0, 0, 0]);
        let css = css();
        let (light, dark) = css.split_once("@media screen {").unwrap();
        for (part, bg) in [(light, LIGHT_CODE_BG), (dark, DARK_CODE_BG)] {
            for hex in part
                .lines()
                .filter_map(|l| l.trim().strip_prefix("color: #"))
            {
                let v = u32::from_str_radix(hex.trim_end_matches(';'), 16).unwrap();
                let c = [(v >> 16) as u8, (v >> 8) as u8, v as u8];
                assert!(contrast(c, bg) >= MIN_CONTRAST, "#{hex} on {bg:?}");
            }
        }
        assert!(
            !light.contains("#969896"),
            "InspiredGitHub's comment grey is darkened"
        );
        assert!(
            dark.contains("html[data-theme=\"dark\"] .sy-")
                && dark.contains("html[data-theme=\"dark\"]:not(#_) .sy-"),
            "light rules fill the dark theme's gaps"
        );
    }

    #[test]
    fn css_has_light_and_dark() {
        let css = css();
        assert!(css.contains(".sy-"));
        assert!(css.contains("html[data-theme=\"dark\"] .sy-"));
        assert!(css.contains("prefers-color-scheme: dark"));
    }
}
