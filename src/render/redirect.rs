//! `[output.html.redirect]`: a small page at each old path that sends the browser to the new
//! one, as mdBook writes them (mdBook 0.5 `html_handlebars::hbs_renderer::emit_redirects` and
//! its `redirect.hbs`).
//!
//! Each page has a `<meta http-equiv="refresh">` to the default target (the entry without a
//! `#fragment`), a canonical link and a plain link. A `#fragment` on the old URL is carried
//! over by [`REDIRECT_JS`] (an external script: the CSP allows no inline script, see
//! `render::csp`): a fragment that has its own entry (`"/old.html#intro" = "new.html#start"`)
//! goes to that entry's target, any other fragment is appended to the default target. The
//! fragment map is data in a `data-` attribute (escaped JSON), never HTML built by script.
//!
//! Rules, from mdBook: an old path that is also a chapter is an error (the redirect would
//! replace the page); an old path with only fragment entries is an error (there is no default
//! target). skillsite also refuses an old path that climbs out of the site (`..`) or that
//! another output file already uses. Each problem is a `redirect` error naming the old path;
//! the other redirects and the rest of the site are still written.

use std::collections::{BTreeMap, HashSet};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::render::templates::escape_html;
use crate::render::OutFile;
use crate::util::path::relative_root;

/// Root-relative path of the script every redirect page loads.
pub const REDIRECT_JS_PATH: &str = "static/js/redirect.js";

/// The script: reads `data-default` and `data-fragments` of its own `<script>` element (in
/// `<head>`, before the meta refresh) and, when the URL has a fragment, replaces the location
/// (the meta refresh handles the rest).
pub const REDIRECT_JS: &[u8] = include_bytes!("../../themes/default/static/js/redirect.js");

/// One old path: its default target and the targets of its fragments (`#old` → URL).
#[derive(Debug, Default)]
struct Entry {
    default: Option<String>,
    fragments: BTreeMap<String, String>,
}

/// Root-relative output path of an old path from `[output.html.redirect]` (`/a/b.html` →
/// `a/b.html`, `/a/` → `a/index.html`); `None` when it is empty or climbs out with `..`.
pub fn output_path(old: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for p in old.split('/') {
        match p {
            "" | "." => {}
            ".." => return None,
            other => parts.push(other),
        }
    }
    if parts.is_empty() || old.ends_with('/') {
        parts.push("index.html");
    }
    Some(parts.join("/"))
}

/// The redirect pages of `site` (and the script they load, when there is any page), given the
/// paths of the other output files (`taken`). Problems go to `diags` as `redirect` errors.
pub fn outputs(site: &Site, taken: &HashSet<String>, diags: &Diagnostics) -> Vec<OutFile> {
    let config = &site.config;
    let mut entries: BTreeMap<String, (String, Entry)> = BTreeMap::new();
    let file = config
        .file
        .clone()
        .unwrap_or_else(|| config.root.join("book.toml"));
    let file = crate::util::path::clean(&file);
    let error = |msg: String, hint: &str| {
        diags.push(Diagnostic::error("redirect", msg).at(&file).hint(hint));
    };
    for (old, target) in &config.html.redirect {
        let (path, fragment) = match old.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (old.as_str(), None),
        };
        let Some(out) = output_path(path) else {
            error(
                format!("redirect `{old}`: the old path is not a path inside the site"),
                "write the old page's path from the site root, e.g. `/old/page.html`",
            );
            continue;
        };
        let (_, entry) = entries
            .entry(out)
            .or_insert_with(|| (path.to_string(), Entry::default()));
        match fragment {
            Some(f) => {
                entry.fragments.insert(format!("#{f}"), target.clone());
            }
            None => entry.default = Some(target.clone()),
        }
    }
    let pages: HashSet<&str> = site
        .pages
        .iter()
        .filter(|p| !p.draft)
        .map(|p| p.url.as_str())
        .collect();
    let mut out = Vec::new();
    for (path, (old, entry)) in entries {
        if pages.contains(path.as_str()) {
            error(
                format!("redirect found for existing chapter at `{old}`"),
                "delete the redirect or remove the chapter (as in mdBook)",
            );
            continue;
        }
        if taken.contains(&path) {
            error(
                format!("redirect `{old}` would replace the site's file `{path}`"),
                "delete the redirect or move the file",
            );
            continue;
        }
        let Some(default) = entry.default else {
            error(
                format!("redirect entry for `{old}` only has source paths with `#` fragments"),
                "add an entry without the `#` fragment to give the default destination (as in mdBook)",
            );
            continue;
        };
        out.push(OutFile::Bytes(
            path.clone(),
            page(&path, &default, &entry.fragments).into_bytes(),
        ));
    }
    if !out.is_empty() {
        out.push(OutFile::Bytes(
            REDIRECT_JS_PATH.into(),
            REDIRECT_JS.to_vec(),
        ));
    }
    out
}

/// The HTML of the redirect page written at root-relative `path`.
fn page(path: &str, default: &str, fragments: &BTreeMap<String, String>) -> String {
    let to = escape_html(default);
    let map = escape_html(&serde_json::to_string(fragments).unwrap_or_else(|_| "{}".into()));
    let csp = crate::render::csp::CONTENT_SECURITY_POLICY;
    let script = format!("{}{REDIRECT_JS_PATH}", relative_root(path));
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"utf-8\">\n    \
         <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n    \
         <title>Redirecting...</title>\n    \
         <script src=\"{script}\" data-default=\"{to}\" data-fragments=\"{map}\"></script>\n    \
         <meta http-equiv=\"refresh\" content=\"0; URL={to}\">\n    \
         <link rel=\"canonical\" href=\"{to}\">\n    \
         <meta name=\"robots\" content=\"noindex\">\n  </head>\n  <body>\n    \
         <p>Redirecting to... <a href=\"{to}\">{to}</a>.</p>\n  \
         </body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths() {
        assert_eq!(output_path("/a/b.html").as_deref(), Some("a/b.html"));
        assert_eq!(output_path("old.html").as_deref(), Some("old.html"));
        assert_eq!(output_path("/dir/").as_deref(), Some("dir/index.html"));
        assert_eq!(output_path("/../x.html"), None);
        assert_eq!(output_path("/"), Some("index.html".into()));
    }

    #[test]
    fn page_escapes_and_maps_fragments() {
        let mut f = BTreeMap::new();
        f.insert("#old".to_string(), "index.html#new\"><x".to_string());
        let html = page("nested/page.html", "https://e.org/?a=1&b=2", &f);
        assert!(html.contains("content=\"0; URL=https://e.org/?a=1&amp;b=2\""));
        assert!(html.contains("src=\"../static/js/redirect.js\""));
        assert!(
            html.contains(
                "data-fragments=\"{&quot;#old&quot;:&quot;index.html#new\\&quot;&gt;&lt;x&quot;}\""
            ),
            "{html}"
        );
        assert!(!html.contains("<script>"));
    }
}
