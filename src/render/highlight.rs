//! Syntax highlighting at build time with syntect and two-face's syntax set (bat's ~220
//! syntaxes, which add TOML, Dockerfile, Terraform/HCL, TypeScript... to syntect's defaults).
//!
//! Output is flat, in the style of Pygments' and Chroma's short token classes: one
//! `<span class="hl-X">` per run of text of the same *category* ([`CATEGORIES`]: comment,
//! string, keyword...), never nested, and no span around plain text. A token's category is the
//! one whose TextMate scope selector matches its scope stack best (TextMate's ranking, the one
//! themes use: the deepest scope wins, then the longest selector). Classes, never inline
//! styles, so one stylesheet ([`css`]) gives a light and a dark theme, derived from syntect's
//! InspiredGitHub and base16-ocean.dark. The syntax set is loaded once per process and shared
//! by all render threads. Unknown languages (e.g. `promql`) fall back to escaped plain text.
//!
//! **Class names**: `hl-` and one to three lower-case letters (`hl-k`, `hl-s`, `hl-gi`). The
//! `hl-` prefix belongs to the highlighter: no other class of the theme starts with it, so
//! nothing else the theme styles collides with a token class.
//!
//! Whitespace between two runs of one category goes inside their span (it shows no colour), so
//! `pub fn` is one span and so are consecutive comment lines. On the blocks of
//! `tests/fixtures/highlight/README.md`, 93% of the visible characters look in their category
//! as the themes show their whole scope stack (a unit test keeps it at 90% or more); the rest
//! are choices: a string's quotes take its colour (base16-ocean shows them plain: one span,
//! not three), Markdown punctuation takes the colour of what it marks, diff lines are coloured
//! in light mode too.
//!
//! Parsing is where the time goes (syntect runs its grammar's regexes over every line: 15,000
//! to 100,000 lines a second per core, depending on the grammar). Code repeats whole lines — blank
//! lines, closing braces, imports, the same command in many runbooks — so each render thread
//! keeps the lines it parsed ([`LineCache`]): a line parsed again from the same parser state
//! gives the same scope operations and the same next state. The category of a scope stack is
//! worked out once per distinct stack on each thread, too (stacks repeat far more than lines).

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::str::FromStr;
use std::sync::OnceLock;

use syntect::highlighting::{Color, FontStyle, Highlighter, ScopeSelectors, Style, ThemeSet};
use syntect::parsing::{ParseState, Scope, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

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

/// A token category: its class (`hl-` + `class`), what it holds, the TextMate scope selectors
/// that give it (comma-separated, TextMate's syntax: `a b` a scope inside another, `a - b` an
/// exclusion), and the sample scope stacks its look is taken from in each theme ([`css`]: the
/// first sample the theme gives a colour or font style of its own).
#[derive(Debug, Clone, Copy)]
pub struct Category {
    /// The class without its `hl-` prefix.
    pub class: &'static str,
    /// What the category holds, in words.
    pub what: &'static str,
    /// The scope selectors that pick the category.
    pub selectors: &'static str,
    /// Scope stacks (space-separated scopes, outermost first) whose style in a theme is the
    /// category's there.
    pub samples: &'static [&'static str],
}

const fn cat(
    class: &'static str,
    what: &'static str,
    selectors: &'static str,
    samples: &'static [&'static str],
) -> Category {
    Category {
        class,
        what,
        selectors,
        samples,
    }
}

/// The token categories: the scopes that InspiredGitHub and base16-ocean.dark style (the
/// names follow the TextMate / Sublime Text scope naming conventions,
/// <https://www.sublimetext.com/docs/scope_naming.html>), with short classes after Pygments'
/// and Chroma's token types (`c` comment, `s` string, `k` keyword, `nf` function name, `gi`
/// inserted...). Scopes neither theme styles (most `punctuation`, `meta`, `entity.name.type`)
/// are in no category, so they take the category of the scopes around them, as they take the
/// colour around them in the themes. Where the themes style parts of a token apart that one
/// category holds together (base16-ocean shows a string's quotes in the plain text colour),
/// the category wins: one span per string, not three.
pub const CATEGORIES: &[Category] = &[
    cat(
        "c",
        "comment",
        "comment, punctuation.definition.comment",
        &["comment"],
    ),
    cat(
        "s",
        "string (with its quotes), symbol",
        "string, constant.other.symbol",
        &["string"],
    ),
    cat(
        "sr",
        "regular expression",
        "string.regexp",
        &["string.regexp"],
    ),
    cat(
        "se",
        "escape in a string",
        "constant.character.escape",
        &["constant.character.escape"],
    ),
    cat(
        "m",
        "number, language constant (true, null), other constant, placeholder",
        "constant, variable.other.constant",
        &["constant.numeric"],
    ),
    cat(
        "k",
        "keyword, storage (fn, let, const, class, u64)",
        "keyword, storage",
        &["keyword"],
    ),
    cat("o", "operator", "keyword.operator", &["keyword.operator"]),
    cat(
        "t",
        "built-in type or object, library constant",
        "support.type, support.constant",
        &["support.type"],
    ),
    cat(
        "nc",
        "class name, inherited class, library class",
        "entity.name.class, entity.name.type.class, support.class, entity.other.inherited-class",
        &["entity.name.class"],
    ),
    cat(
        "nf",
        "function name where it is defined",
        "entity.name.function",
        &["entity.name.function"],
    ),
    cat(
        "nb",
        "built-in or library function",
        "support.function",
        &["support.function"],
    ),
    cat(
        "fc",
        "function called",
        "variable.function",
        &["variable.function"],
    ),
    cat(
        "v",
        "variable, parameter, member",
        "variable - variable.parameter.function",
        &["variable"],
    ),
    cat(
        "nt",
        "tag name; key (YAML, TOML)",
        "entity.name.tag",
        &["entity.name.tag"],
    ),
    cat(
        "na",
        "attribute name",
        "entity.other.attribute-name",
        &["entity.other.attribute-name"],
    ),
    cat(
        "gh",
        "heading, section name",
        "markup.heading, entity.name.section",
        &["text.html.markdown markup.heading entity.name.section"],
    ),
    cat(
        "gs",
        "bold text",
        "markup.bold",
        &["text.html.markdown markup.bold"],
    ),
    cat(
        "ge",
        "italic text",
        "markup.italic",
        &["text.html.markdown markup.italic"],
    ),
    cat(
        "gl",
        "link, image, URL",
        "meta.link, meta.image, markup.underline.link, string.other.link",
        &["text.html.markdown meta.link"],
    ),
    cat(
        "gc",
        "inline or fenced code (Markdown)",
        "markup.raw",
        &["text.html.markdown markup.raw.inline"],
    ),
    cat(
        "gb",
        "list item (Markdown)",
        "markup.list",
        &["text.html.markdown markup.list"],
    ),
    cat(
        "gi",
        "inserted line (diff)",
        "markup.inserted",
        &["markup.inserted", "markup.inserted.git_gutter"],
    ),
    cat(
        "gd",
        "deleted line (diff)",
        "markup.deleted",
        &["markup.deleted", "markup.deleted.git_gutter"],
    ),
    cat(
        "gm",
        "changed line (diff)",
        "markup.changed",
        &["markup.changed", "markup.changed.git_gutter"],
    ),
    cat(
        "dh",
        "diff file header and hunk range",
        "meta.diff.header, meta.diff.range",
        &["meta.diff.header"],
    ),
    cat("err", "invalid code", "invalid", &["invalid"]),
];

/// The categories the two themes style, with their selectors compiled, and the category of a
/// scope stack.
struct Matcher {
    /// `(selectors, index in CATEGORIES)` of the categories kept: one that neither theme
    /// gives a colour or font style of its own (its sample looks like plain text in both) is
    /// left out, so that its scopes take the category of the scopes around them, as in the
    /// themes (a `punctuation` inside a string is string-coloured).
    rules: Vec<(ScopeSelectors, u8)>,
    /// `<span class="hl-X">` for each category.
    open: Vec<String>,
}

fn matcher() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| {
        let styles = category_styles();
        let rules = CATEGORIES
            .iter()
            .zip(styles)
            .enumerate()
            .filter(|(_, (_, s))| s.light.is_some() || s.dark.is_some())
            .map(|(i, (c, _))| {
                let sel = ScopeSelectors::from_str(c.selectors).expect("valid selectors");
                (sel, i as u8)
            })
            .collect();
        let open = CATEGORIES
            .iter()
            .map(|c| format!("<span class=\"hl-{}\">", c.class))
            .collect();
        Matcher { rules, open }
    })
}

impl Matcher {
    /// The category of a token with scopes `stack` (outermost first): the category with the
    /// best match (TextMate's score: [`ScopeSelectors::does_match`]), the first on a tie;
    /// `None` for plain text.
    fn category(&self, stack: &[Scope]) -> Option<u8> {
        let mut best: Option<(syntect::parsing::MatchPower, u8)> = None;
        for (sel, cat) in &self.rules {
            if let Some(power) = sel.does_match(stack) {
                if best.is_none_or(|(b, _)| power > b) {
                    best = Some((power, *cat));
                }
            }
        }
        best.map(|(_, c)| c)
    }
}

/// Highlights `code` as `lang` and returns HTML: text with flat `<span class="hl-X">` runs (no
/// `<pre>`/`<code>` wrapper; `<`, `>` and `&` escaped). Unknown languages and highlighting
/// failures give escaped plain text.
pub fn highlight(code: &str, lang: &str) -> String {
    let Some(syntax) = find(lang) else {
        return escape(code);
    };
    LINES
        .with_borrow_mut(|cache| classed_html(cache, syntax, code))
        .unwrap_or_else(|| escape(code))
}

/// Flat classed HTML for `code`; `None` when syntect fails on a line.
fn classed_html(cache: &mut LineCache, syntax: &SyntaxReference, code: &str) -> Option<String> {
    let m = matcher();
    let mut state = ParseState::new(syntax);
    let mut scopes = ScopeStack::new();
    let mut out = Runs::new(m, code.len());
    let mut cat = None;
    for line in LinesWithEndings::from(code) {
        let ops = cache.parse(&mut state, scopes.as_slice(), line)?;
        // The category is looked up where text follows scope operations (several operations
        // often sit at one index); a line without any keeps the one it started with.
        let mut at = 0;
        let mut moved = false;
        for (i, op) in &ops {
            if *i > at {
                if moved {
                    cat = cache.category(m, scopes.as_slice());
                }
                out.push(&line[at..*i], cat);
                at = *i;
            }
            scopes.apply(op).ok()?;
            moved = true;
        }
        if moved {
            cat = cache.category(m, scopes.as_slice());
        }
        out.push(&line[at..], cat);
    }
    Some(out.finish())
}

/// The HTML of a code block as it is written: runs of text of one category in one span, the
/// whitespace between two runs of the same category inside it (whitespace shows no colour).
struct Runs<'m> {
    m: &'m Matcher,
    html: String,
    /// The category of the open span.
    open: Option<u8>,
    /// Whitespace after the open span's text, not yet written: inside the span if the next
    /// text is of its category, after it otherwise.
    held: String,
}

impl<'m> Runs<'m> {
    fn new(m: &'m Matcher, len: usize) -> Self {
        Runs {
            m,
            html: String::with_capacity(len * 2),
            open: None,
            held: String::new(),
        }
    }

    fn push(&mut self, text: &str, cat: Option<u8>) {
        if text.is_empty() {
            return;
        }
        if cat.is_some() && cat == self.open {
            self.html.push_str(&self.held);
            self.held.clear();
        } else if self.open.is_some() && text.bytes().all(|b| b.is_ascii_whitespace()) {
            self.held.push_str(text);
            return;
        } else {
            self.close();
            if let Some(c) = cat {
                if !text.bytes().all(|b| b.is_ascii_whitespace()) {
                    self.html.push_str(&self.m.open[usize::from(c)]);
                    self.open = Some(c);
                }
            }
        }
        pulldown_cmark_escape::escape_html_body_text(&mut self.html, text)
            .expect("writing to a String");
    }

    fn close(&mut self) {
        if self.open.take().is_some() {
            self.html.push_str("</span>");
        }
        self.html.push_str(&self.held);
        self.held.clear();
    }

    fn finish(mut self) -> String {
        self.close();
        self.html
    }
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
/// Also the category of each scope stack met on this thread (a few hundred per grammar).
///
/// Bounded: at [`LineCache::MAX_LINES`] lines (about 0.5 KB an entry) or
/// [`LineCache::MAX_STACKS`] stacks it starts again empty.
#[derive(Default)]
pub struct LineCache {
    lines: HashMap<u64, Vec<ParsedLine>, rustc_hash::FxBuildHasher>,
    entries: usize,
    stacks: HashMap<Box<[Scope]>, Option<u8>, rustc_hash::FxBuildHasher>,
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
    /// Scope stacks whose category is kept per thread before that cache is emptied.
    pub const MAX_STACKS: usize = 16 * 1024;

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

    /// [`Matcher::category`] of `stack`, worked out once per distinct stack.
    fn category(&mut self, m: &Matcher, stack: &[Scope]) -> Option<u8> {
        if let Some(&c) = self.stacks.get(stack) {
            return c;
        }
        let c = m.category(stack);
        if self.stacks.len() >= Self::MAX_STACKS {
            self.stacks.clear();
        }
        self.stacks.insert(stack.into(), c);
        c
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

/// The syntect theme of light mode.
pub const LIGHT_THEME: &str = "InspiredGitHub";
/// The syntect theme of dark mode.
pub const DARK_THEME: &str = "base16-ocean.dark";

/// How a scope stack or a category looks in one mode: its colour (`#rrggbb`, alpha blended
/// onto the code background; `None` for the plain text colour) and font style.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Look {
    color: Option<[u8; 3]>,
    font: FontStyle,
}

/// A category's look in light and in dark mode; `None` where it looks like plain text.
#[derive(Debug, Clone, Copy)]
struct CategoryStyle {
    light: Option<Look>,
    dark: Option<Look>,
}

/// The two themes, loaded once.
struct Themes {
    light: Highlighter<'static>,
    dark: Highlighter<'static>,
}

fn themes() -> &'static Themes {
    static SET: OnceLock<ThemeSet> = OnceLock::new();
    static T: OnceLock<Themes> = OnceLock::new();
    T.get_or_init(|| {
        let set = SET.get_or_init(ThemeSet::load_defaults);
        Themes {
            light: Highlighter::new(&set.themes[LIGHT_THEME]),
            dark: Highlighter::new(&set.themes[DARK_THEME]),
        }
    })
}

impl Themes {
    /// How `stack` looks in light mode (InspiredGitHub's [`Highlighter::style_for_stack`])
    /// and in dark mode: base16-ocean.dark's colour and font style where that theme sets them
    /// for the stack, InspiredGitHub's where it does not (base16-ocean sets no font style but
    /// for Markdown, and no colour for `support.type`, diff headers...: keywords stay bold and
    /// comments italic in both modes, as they were with syntect's per-scope stylesheets).
    fn looks(&self, stack: &[Scope]) -> [Option<Look>; 2] {
        let look = |color: Option<Color>, bg, font: FontStyle| {
            let color = color.map(|c| blend(c, bg));
            (color.is_some() || !font.is_empty()).then_some(Look { color, font })
        };
        let own = |h: &Highlighter<'_>, s: Style| {
            (s.foreground != h.get_default().foreground).then_some(s.foreground)
        };
        let light = self.light.style_for_stack(stack);
        let light_fg = own(&self.light, light);
        let dark_set = self.dark.style_mod_for_stack(stack);
        let dark = self.dark.style_for_stack(stack);
        let dark_fg = match dark_set.foreground {
            Some(_) => own(&self.dark, dark),
            None => light_fg,
        };
        let dark_font = dark_set.font_style.unwrap_or(light.font_style);
        [
            look(light_fg, LIGHT_CODE_BG, light.font_style),
            look(dark_fg, DARK_CODE_BG, dark_font),
        ]
    }
}

/// Each category's look in the two modes ([`Themes::looks`]): that of its first sample that
/// does not look like plain text there; `None` where every sample does.
fn category_styles() -> &'static [CategoryStyle] {
    static S: OnceLock<Vec<CategoryStyle>> = OnceLock::new();
    S.get_or_init(|| {
        let t = themes();
        CATEGORIES
            .iter()
            .map(|c| {
                let looks: Vec<[Option<Look>; 2]> = c
                    .samples
                    .iter()
                    .map(|s| t.looks(ScopeStack::from_str(s).expect("valid sample").as_slice()))
                    .collect();
                CategoryStyle {
                    light: looks.iter().find_map(|l| l[0]),
                    dark: looks.iter().find_map(|l| l[1]),
                }
            })
            .collect()
    })
}

/// A theme colour as opaque sRGB on `bg`.
fn blend(c: Color, bg: [u8; 3]) -> [u8; 3] {
    let a = f64::from(c.a) / 255.0;
    let mix = |v: u8, b: u8| (f64::from(v) * a + f64::from(b) * (1.0 - a)).round() as u8;
    [mix(c.r, bg[0]), mix(c.g, bg[1]), mix(c.b, bg[2])]
}

/// The stylesheet for highlighted code: one rule per [`Category`] with its colour and font
/// style in InspiredGitHub ([`LIGHT_THEME`]), and for dark mode (`html[data-theme="dark"]`, or
/// the system setting when no theme was chosen) in base16-ocean.dark ([`DARK_THEME`]). A
/// category a theme shows as plain text has the page's text colour there (`inherit`).
/// Colours that fall below [`MIN_CONTRAST`] on the site's code background (InspiredGitHub's
/// comments, `#969896` on `#f6f8fa`, are 2.7:1; base16-ocean's comments `#65737e` on `#161b22`
/// 3.4:1) are darkened (light) or lightened (dark) just enough, keeping their hue.
pub fn css() -> String {
    let styles = category_styles();
    let mut out = String::from(
        "/* Generated by skillsite from syntect's InspiredGitHub and base16-ocean.dark themes; do not edit. */\n",
    );
    for (c, s) in CATEGORIES.iter().zip(styles) {
        if s.light.is_none() && s.dark.is_none() {
            continue;
        }
        if let Some(l) = s.light {
            out.push_str(&rule(
                &format!(".hl-{}", c.class),
                Some(l),
                None,
                LIGHT_CODE_BG,
            ));
        }
    }
    // Dark rules apply on screens only, so printing from a dark-mode system stays light.
    for (open, root) in [
        ("@media screen {\n", "html[data-theme=\"dark\"]"),
        (
            "@media screen and (prefers-color-scheme: dark) {\n",
            "html:not([data-theme=\"light\"])",
        ),
    ] {
        out.push_str(open);
        for (c, s) in CATEGORIES.iter().zip(styles) {
            if s.light.is_none() && s.dark.is_none() {
                continue;
            }
            out.push_str(&rule(
                &format!("{root} .hl-{}", c.class),
                s.dark,
                s.light,
                DARK_CODE_BG,
            ));
        }
        out.push_str("}\n");
    }
    out
}

/// One CSS rule: `look`'s colour (made readable on `bg`) and the font styles it changes from
/// `over`, the look of the rule it overrides (`None` for none): a colour or font style
/// `over` set and `look` lacks is reset.
fn rule(selector: &str, look: Option<Look>, over: Option<Look>, bg: [u8; 3]) -> String {
    let mut out = format!("{selector} {{\n");
    let font = look.map_or(FontStyle::empty(), |l| l.font);
    let was = over.map_or(FontStyle::empty(), |l| l.font);
    match look.and_then(|l| l.color) {
        Some(c) => {
            let [r, g, b] = ensure_contrast(c, bg);
            out.push_str(&format!("  color: #{r:02x}{g:02x}{b:02x};\n"));
        }
        None if over.is_some_and(|l| l.color.is_some()) => {
            out.push_str("  color: inherit;\n");
        }
        None => {}
    }
    for (flag, on, off) in [
        (
            FontStyle::BOLD,
            "font-weight: bold;",
            "font-weight: normal;",
        ),
        (
            FontStyle::ITALIC,
            "font-style: italic;",
            "font-style: normal;",
        ),
        (
            FontStyle::UNDERLINE,
            "text-decoration: underline;",
            "text-decoration: none;",
        ),
    ] {
        match (font.contains(flag), was.contains(flag)) {
            (true, false) => out.push_str(&format!("  {on}\n")),
            (false, true) => out.push_str(&format!("  {off}\n")),
            _ => {}
        }
    }
    out.push_str("}\n");
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

    /// `(character, class)` of highlighted HTML; panics on a nested span, a span without a
    /// `hl-` class, an empty span, or markup other than spans and `&lt;`/`&gt;`/`&amp;`.
    fn decode(html: &str) -> Vec<(char, Option<String>)> {
        let mut out = Vec::new();
        let mut class: Option<String> = None;
        let mut in_span = 0;
        let mut rest = html;
        while let Some(c) = rest.chars().next() {
            if let Some(r) = rest.strip_prefix("<span class=\"hl-") {
                assert!(class.is_none(), "nested span at {rest:?} in {html}");
                let end = r.find("\">").expect("closed tag");
                class = Some(r[..end].to_string());
                in_span = 0;
                rest = &r[end + 2..];
            } else if let Some(r) = rest.strip_prefix("</span>") {
                assert!(class.take().is_some(), "unopened </span> in {html}");
                assert!(in_span > 0, "empty span in {html}");
                rest = r;
            } else if let Some((r, ch)) = [("&lt;", '<'), ("&gt;", '>'), ("&amp;", '&')]
                .iter()
                .find_map(|(e, ch)| rest.strip_prefix(e).map(|r| (r, *ch)))
            {
                out.push((ch, class.clone()));
                in_span += 1;
                rest = r;
            } else {
                assert!(
                    c != '<' && c != '&',
                    "unexpected markup at {rest:?} in {html}"
                );
                out.push((c, class.clone()));
                in_span += 1;
                rest = &rest[c.len_utf8()..];
            }
        }
        assert!(class.is_none(), "unclosed span in {html}");
        out
    }

    /// A straightforward highlighter to compare with: syntect's parser without the line cache,
    /// and each token's category found by trying every category's selectors on its whole scope
    /// stack (the best TextMate score, the first category on a tie); `(character, class)`.
    fn reference(code: &str, lang: &str) -> Vec<(char, Option<&'static str>)> {
        let styles = category_styles();
        let rules: Vec<(ScopeSelectors, &'static str)> = CATEGORIES
            .iter()
            .zip(styles)
            .filter(|(_, s)| s.light.is_some() || s.dark.is_some())
            .map(|(c, _)| (ScopeSelectors::from_str(c.selectors).unwrap(), c.class))
            .collect();
        let class_of = |stack: &ScopeStack| {
            let mut best = None;
            for (sel, class) in &rules {
                if let Some(p) = sel.does_match(stack.as_slice()) {
                    if best.is_none_or(|(b, _)| p > b) {
                        best = Some((p, *class));
                    }
                }
            }
            best.map(|(_, c)| c)
        };
        let mut state = ParseState::new(find(lang).unwrap());
        let mut stack = ScopeStack::new();
        let mut out = Vec::new();
        for line in LinesWithEndings::from(code) {
            let ops = state.parse_line(line, syntaxes()).unwrap();
            let mut at = 0;
            for (i, op) in &ops {
                let class = class_of(&stack);
                out.extend(line[at..*i].chars().map(|c| (c, class)));
                at = *i;
                stack.apply(op).unwrap();
            }
            let class = class_of(&stack);
            out.extend(line[at..].chars().map(|c| (c, class)));
        }
        out
    }

    /// The highlighter's output against [`reference`]: the same text, the same class on every
    /// character but whitespace (which shows no colour: it may join the span around it).
    fn assert_like_reference(code: &str, lang: &str, html: &str) {
        let got = decode(html);
        let want = reference(code, lang);
        let text: String = got.iter().map(|(c, _)| c).collect();
        assert_eq!(text, code, "{lang}: the text, unchanged");
        for (i, ((c, g), (_, w))) in got.iter().zip(&want).enumerate() {
            if !c.is_whitespace() {
                assert_eq!(g.as_deref(), *w, "{lang}: class of {c:?} at {i} in {html}");
            }
        }
    }

    #[test]
    fn flat_classes_not_inline_styles_and_escaping() {
        let code = "fn main() { let x = \"<b>\" && 1; }\n";
        let html = highlight(code, "rust");
        assert!(html.contains("<span class=\"hl-k\">fn</span>"), "{html}");
        assert!(
            html.contains("<span class=\"hl-s\">\"&lt;b&gt;\"</span>"),
            "{html}"
        );
        assert!(!html.contains("style=") && !html.contains("sy-"), "{html}");
        assert_like_reference(code, "rust", &html);
        assert_eq!(highlight("a < b\n", "promql"), "a &lt; b\n");
    }

    #[test]
    fn runs_of_one_category_are_one_span() {
        // Two keywords with a space between: one span; two comment lines: one span; plain
        // text (`x`, `=`... in base16 and InspiredGitHub alike) outside any span.
        let html = highlight("pub fn f() {}\n// one\n// two\n", "rust");
        assert!(
            html.starts_with("<span class=\"hl-k\">pub fn</span> "),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"hl-c\">// one\n// two\n</span>"),
            "{html}"
        );
        let html = highlight("a: 1\n", "yaml");
        assert_eq!(
            html,
            "<span class=\"hl-nt\">a</span>: <span class=\"hl-m\">1</span>\n"
        );
        // No span holds only whitespace, and no two spans of one class are apart by
        // whitespace alone.
        for (lang, code) in fixture_blocks() {
            let html = highlight(&code, &lang);
            let runs = decode(&html);
            let mut spans: Vec<(Option<String>, String)> = Vec::new();
            for (c, class) in runs {
                match spans.last_mut() {
                    Some((k, text)) if *k == class => text.push(c),
                    _ => spans.push((class, c.to_string())),
                }
            }
            for w in spans.windows(3) {
                if w[0].0.is_some() && w[1].0.is_none() && w[1].1.trim().is_empty() {
                    assert_ne!(w[0].0, w[2].0, "{lang}: {:?} could be one span", w);
                }
            }
            for (class, text) in &spans {
                assert!(
                    class.is_none() || !text.trim().is_empty(),
                    "{lang}: span {class:?} of whitespace"
                );
            }
        }
    }

    #[test]
    fn cached_lines_give_what_the_reference_gives() {
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
            // Twice: the second time every line and every scope stack is a hit.
            let first = highlight(code, lang);
            assert_like_reference(code, lang, &first);
            assert_eq!(highlight(code, lang), first, "{lang}, from the cache");
        }
        // The states differ, so the repeated lines must not all be highlighted alike.
        let html = highlight(cases[0].1, "rust");
        let lines: Vec<&str> = html.split('\n').collect();
        assert_ne!(lines[0], lines[2], "{html}");
        for (lang, code) in fixture_blocks() {
            assert_like_reference(&code, &lang, &highlight(&code, &lang));
        }
    }

    /// The fenced blocks of `tests/fixtures/highlight/README.md`: `(language, code)`.
    fn fixture_blocks() -> Vec<(String, String)> {
        let text = include_str!("../../tests/fixtures/highlight/README.md");
        let mut blocks = Vec::new();
        let (mut lang, mut code) = (None::<String>, String::new());
        for line in text.lines() {
            if let Some(info) = line.strip_prefix("```") {
                match lang.take() {
                    Some(l) => blocks.push((l, std::mem::take(&mut code))),
                    None => lang = Some(info.trim().to_string()),
                }
            } else if lang.is_some() {
                code.push_str(line);
                code.push('\n');
            }
        }
        assert!(blocks.len() >= 10, "{} blocks", blocks.len());
        blocks
    }

    /// Share of the visible characters of the fixture's blocks that look in their category
    /// as the themes show their whole scope stack ([`Themes::looks`], what syntect's
    /// per-scope stylesheets gave): `(light, dark)`, 0 to 1.
    fn agreement() -> (f64, f64) {
        let styles = category_styles();
        let m = matcher();
        let (mut same, mut total) = ([0usize; 2], 0usize);
        for (lang, code) in fixture_blocks() {
            let mut state = ParseState::new(find(&lang).unwrap());
            let mut stack = ScopeStack::new();
            for line in LinesWithEndings::from(code.as_str()) {
                let ops = state.parse_line(line, syntaxes()).unwrap();
                let mut count = |text: &str, stack: &ScopeStack| {
                    let n = text.chars().filter(|c| !c.is_whitespace()).count();
                    let theirs = themes().looks(stack.as_slice());
                    let cat = m.category(stack.as_slice()).map(usize::from);
                    let ours = cat.map_or([None, None], |c| [styles[c].light, styles[c].dark]);
                    total += n;
                    for t in 0..2 {
                        if theirs[t] == ours[t] {
                            same[t] += n;
                        }
                    }
                };
                let mut at = 0;
                for (i, op) in &ops {
                    count(&line[at..*i], &stack);
                    at = *i;
                    stack.apply(op).unwrap();
                }
                count(&line[at..], &stack);
            }
        }
        (same[0] as f64 / total as f64, same[1] as f64 / total as f64)
    }

    #[test]
    fn categories_keep_the_themes_colours() {
        let (light, dark) = agreement();
        println!("agreement with the themes: light {light:.3}, dark {dark:.3}");
        assert!(
            light >= 0.9 && dark >= 0.9,
            "light {light:.3}, dark {dark:.3}"
        );
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
            let mut n = 0;
            for hex in part
                .lines()
                .filter_map(|l| l.trim().strip_prefix("color: #"))
            {
                let v = u32::from_str_radix(hex.trim_end_matches(';'), 16).unwrap();
                let c = [(v >> 16) as u8, (v >> 8) as u8, v as u8];
                assert!(contrast(c, bg) >= MIN_CONTRAST, "#{hex} on {bg:?}");
                n += 1;
            }
            assert!(n >= 10, "{n} colours");
        }
        assert!(
            !light.contains("#969896"),
            "InspiredGitHub's comment grey is darkened"
        );
    }

    #[test]
    fn css_has_a_rule_per_class_in_light_and_dark() {
        let css = css();
        assert!(css.contains("prefers-color-scheme: dark"));
        let styles = category_styles();
        for (c, s) in CATEGORIES.iter().zip(styles) {
            assert!(
                s.light.is_some() || s.dark.is_some(),
                "{}: neither theme styles {:?}",
                c.class,
                c.samples
            );
            let dark = format!("html[data-theme=\"dark\"] .hl-{} {{", c.class);
            assert!(css.contains(&dark), "{dark}");
            let light = format!("\n.hl-{} {{", c.class);
            assert_eq!(css.contains(&light), s.light.is_some(), "{light}");
            assert!(
                c.class.len() <= 3 && c.class.bytes().all(|b| b.is_ascii_lowercase()),
                "{}",
                c.class
            );
        }
        // base16-ocean sets no font style for keywords: they stay bold in dark mode. It sets
        // one for Markdown headings (none): InspiredGitHub's bold is reset there.
        let dark_rule = |class: &str| {
            let open = format!("html[data-theme=\"dark\"] .hl-{class} {{");
            let rest = css.split(open.as_str()).nth(1).unwrap();
            rest.split('}').next().unwrap().to_string()
        };
        assert!(!dark_rule("k").contains("font-weight"), "{css}");
        assert!(dark_rule("gh").contains("font-weight: normal;"), "{css}");
        // A category the dark theme shows plain takes the page's text colour there.
        assert!(css.contains("color: inherit;"), "{css}");
    }
}
