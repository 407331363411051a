//! The theme: Tera templates and static files.
//!
//! The built-in theme (`themes/default/` of this repository: `templates/`, `static/css`,
//! `static/js`, and `serve/reload.js` for `serve`) is compiled into the binary, so an installed `skillsite` needs no files beside it. A project overrides any
//! template by putting a file of the same name in its own `themes/` folder, and any static
//! file by putting it in its own `static/` folder. The context each template receives is
//! documented in `docs/templates.md`.

use std::path::Path;

use tera::Tera;

use crate::diagnostics::Diagnostic;

/// Built-in templates: (name, source).
const BUILTIN: &[(&str, &str)] = &[
    (
        "macros.html",
        include_str!("../../themes/default/templates/macros.html"),
    ),
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "page.html",
        include_str!("../../themes/default/templates/page.html"),
    ),
    (
        "section.html",
        include_str!("../../themes/default/templates/section.html"),
    ),
    (
        "index.html",
        include_str!("../../themes/default/templates/index.html"),
    ),
    (
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "catalog.html",
        include_str!("../../themes/default/templates/catalog.html"),
    ),
    (
        "search.html",
        include_str!("../../themes/default/templates/search.html"),
    ),
    (
        "file.html",
        include_str!("../../themes/default/templates/file.html"),
    ),
];

/// Built-in static files: (root-relative output path, bytes).
pub const STATIC: &[(&str, &[u8])] = &[
    (
        "static/css/skillsite.css",
        include_bytes!("../../themes/default/static/css/skillsite.css"),
    ),
    (
        "static/js/theme.js",
        include_bytes!("../../themes/default/static/js/theme.js"),
    ),
    (
        "static/js/skillsite.js",
        include_bytes!("../../themes/default/static/js/skillsite.js"),
    ),
    (
        "static/js/nav.js",
        include_bytes!("../../themes/default/static/js/nav.js"),
    ),
    (
        "static/js/diagram.js",
        include_bytes!("../../themes/default/static/js/diagram.js"),
    ),
    (
        "static/js/search-core.js",
        include_bytes!("../../themes/default/static/js/search-core.js"),
    ),
    (
        "static/js/search.js",
        include_bytes!("../../themes/default/static/js/search.js"),
    ),
    (
        "static/favicon.svg",
        include_bytes!("../../themes/default/static/favicon.svg"),
    ),
    (
        "static/css/search.css",
        include_bytes!("../../themes/default/static/css/search.css"),
    ),
    (
        "static/css/catalog.css",
        include_bytes!("../../themes/default/static/css/catalog.css"),
    ),
    (
        "static/js/catalog.js",
        include_bytes!("../../themes/default/static/js/catalog.js"),
    ),
];

/// A loaded theme, ready to render (shared read-only by the render threads).
pub struct Theme {
    tera: Tera,
    nav_data: bool,
}

impl Theme {
    /// Loads the built-in templates and the project's overrides from `root/themes/*.html`.
    ///
    /// Errors: a template that does not parse, with the template's file and Tera's message.
    pub fn load(root: &Path) -> Result<Theme, Diagnostic> {
        let mut templates: Vec<(String, String, String)> = BUILTIN
            .iter()
            .map(|(n, s)| {
                (
                    n.to_string(),
                    dedent(s),
                    format!("themes/default/templates/{n} (built in)"),
                )
            })
            .collect();
        let dir = root.join("themes");
        if let Ok(entries) = std::fs::read_dir(&dir) {
            let mut paths: Vec<_> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "html"))
                .collect();
            paths.sort();
            for path in paths {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let text = std::fs::read_to_string(&path).map_err(|e| {
                    Diagnostic::error("template", format!("cannot read template: {e}")).at(&path)
                })?;
                let shown = crate::util::path::clean(&path).display().to_string();
                match templates.iter_mut().find(|t| t.0 == name) {
                    Some(t) => *t = (name, text, shown),
                    None => templates.push((name, text, shown)),
                }
            }
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        // Tera's default also escapes `/` (as `&#x2F;`), which makes every URL unreadable.
        tera.set_escape_fn(escape_html);
        tera.add_raw_templates(templates.iter().map(|(n, t, _)| (n.as_str(), t.as_str())))
            .map_err(|e| {
                let msg = error_chain(&e);
                // Tera names the template it failed on; point at its file.
                let file = templates.iter().find(|(n, _, _)| {
                    msg.contains(&format!("'{n}'")) || msg.contains(&format!("`{n}`"))
                });
                let d = Diagnostic::error("template", msg.clone())
                    .hint("fix the Tera syntax; see docs/templates.md for the context");
                match file {
                    Some((_, _, shown)) => d.at(shown),
                    None => d,
                }
            })?;
        let nav_data = templates
            .iter()
            .any(|(_, source, _)| reads_variable(source, "nav"));
        Ok(Theme { tera, nav_data })
    }

    /// Whether a template reads the `nav` variable (the sidebar as data). The built-in theme
    /// prints `nav_html` instead, so the data is only put in the context for themes that use
    /// it: serializing it costs more than rendering the HTML.
    pub fn uses_nav_data(&self) -> bool {
        self.nav_data
    }

    /// Renders template `name` with `context`. Errors carry Tera's message chain.
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String, String> {
        self.tera.render(name, context).map_err(|e| error_chain(&e))
    }
}

/// `source` without the spaces and tabs that start its lines. The built-in templates are
/// indented for reading; the indentation is not printed, since every page repeats it (about
/// 350 bytes a page). Safe for them: a newline stays where there was one (whitespace between
/// tags still collapses to one space), and none has a `<pre>`, `<textarea>` or attribute
/// value that spans lines (`tests` below checks). A project's own templates are used as
/// written.
fn dedent(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    for (i, line) in source.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(line.trim_start_matches([' ', '\t']));
    }
    out
}

/// Whether `name` appears as a variable inside a Tera tag (`{{ }}` or `{% %}`) of `source`: a
/// whole identifier, not a field (`page.nav`), not part of a longer name (`nav_html`) or of a
/// dashed word in a string (`"nav-list"`).
fn reads_variable(source: &str, name: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_' || c == '-' || c == '.';
    let mut rest = source;
    while let Some(open) = rest.find(['{']) {
        let after = &rest[open + 1..];
        let close = match after.chars().next() {
            Some('{') => "}}",
            Some('%') => "%}",
            _ => {
                rest = after;
                continue;
            }
        };
        let Some(end) = after.find(close) else { break };
        let tag = &after[1..end];
        let mut from = 0;
        while let Some(i) = tag[from..].find(name) {
            let at = from + i;
            let before = tag[..at].chars().next_back();
            let next = tag[at + name.len()..].chars().next();
            if !before.is_some_and(ident) && !next.is_some_and(|c| ident(c) && c != '.') {
                return true;
            }
            from = at + name.len();
        }
        rest = &after[end + close.len()..];
    }
    false
}

/// Escapes text for HTML element content and quoted attribute values: `& < > " '`.
///
/// It is also Tera's escape function, so every value a template prints (titles, descriptions,
/// front-matter values) passes here: hidden characters ([`crate::util::hidden`]) are replaced
/// by visible plain-text markers (`⟦U+202E⟧`, `⟦hidden text: …⟧`), which read the same in
/// element content and in attributes.
pub fn escape_html(input: &str) -> String {
    let revealed;
    let input = if crate::util::hidden::may_contain(input) {
        revealed = crate::util::hidden::reveal_text(input);
        revealed.as_ref()
    } else {
        input
    };
    let mut out = String::with_capacity(input.len() + 8);
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Tera's error and its causes on one line ("Failed to render 'page.html': Variable `x` not found").
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_variables_in_tags_only() {
        assert!(reads_variable("{% for item in nav %}", "nav"));
        assert!(reads_variable("{{ nav | length }}", "nav"));
        assert!(reads_variable("{{ nav.0.title }}", "nav"));
        assert!(!reads_variable("{{ nav_html | safe }}", "nav"));
        assert!(!reads_variable(
            r#"<nav class="nav-list">{{ page.nav }}"#,
            "nav"
        ));
        assert!(!reads_variable(
            r#"{% if x %}<ol class="nav-list">{% endif %}"#,
            "nav"
        ));
        assert!(!reads_variable("{{ m::nav_items(items=x) }}", "nav"));
        // The built-in theme prints the sidebar from nav_html.
        assert!(!BUILTIN.iter().any(|(_, s)| reads_variable(s, "nav")));
    }

    #[test]
    fn built_in_templates_can_lose_their_indentation() {
        assert_eq!(dedent("<a>\n  <b>\n\t\tc\n</a>"), "<a>\n<b>\nc\n</a>");
        for (name, source) in BUILTIN {
            // Tera comments are not printed.
            let mut text = String::new();
            let mut rest = *source;
            while let Some(open) = rest.find("{#") {
                text.push_str(&rest[..open]);
                let close = rest[open..].find("#}").map_or(rest.len(), |c| open + c + 2);
                text.extend(rest[open..close].matches('\n'));
                rest = &rest[close..];
            }
            text.push_str(rest);
            for (i, line) in text.lines().enumerate() {
                // An attribute value (or Tera string) that goes on to the next line would lose
                // its spaces; so would the text of a <pre> or <textarea>.
                assert!(
                    line.matches('"').count() % 2 == 0,
                    "{name}:{}: a quoted value spans lines",
                    i + 1
                );
                for tag in ["<pre", "<textarea"] {
                    if line.contains(tag) {
                        let end = format!("</{}>", &tag[1..]);
                        assert!(line.contains(&end), "{name}:{}: {tag} spans lines", i + 1);
                    }
                }
            }
        }
    }
}
