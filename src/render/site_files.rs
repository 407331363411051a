//! Site-wide generated files of the render stage: `404.html`, the search results page,
//! `sitemap.xml` and `robots.txt`.

use crate::model::Site;
use crate::util::path::{href_path, relative_root};

use super::page::{generated_page, link, SharedContext};
use super::templates::Theme;
use super::{csp, highlight};

pub(crate) fn not_found(
    site: &Site,
    theme: &Theme,
    shared: &SharedContext,
) -> Result<String, String> {
    // Hosts serve 404.html for any missing path, so relative URLs would break: use the
    // site's absolute path when site-url is known, as mdBook does.
    let root = site
        .config
        .html
        .site_url
        .as_deref()
        .map_or_else(String::new, |u| {
            let path = u
                .split_once("://")
                .map_or(u, |(_, rest)| rest.find('/').map_or("/", |i| &rest[i..]));
            if path.ends_with('/') {
                path.to_string()
            } else {
                format!("{path}/")
            }
        });
    let html = generated_page(
        site,
        theme,
        shared,
        "404.html",
        "Page not found",
        "404.html",
        &root,
        Vec::new(),
    )?;
    if !root.is_empty() {
        return Ok(html);
    }
    // Without site-url the page's links are relative to the site root, wherever the host
    // serves it: an inline script (allowed by its hash in this page's policy only) finds the
    // root and points them there (static/js/rebase-404.js).
    // The built-in theme prints the policy as it is; a theme of its own may escape it.
    let script = format!("<script>{}</script>", csp::NOT_FOUND_SCRIPT);
    let html = if html.contains(csp::CONTENT_SECURITY_POLICY) {
        html.replacen(csp::CONTENT_SECURITY_POLICY, &csp::not_found_policy(), 1)
    } else {
        let escape = crate::render::templates::escape_html;
        html.replacen(
            &escape(csp::CONTENT_SECURITY_POLICY),
            &escape(&csp::not_found_policy()),
            1,
        )
    };
    Ok(match html.rfind("</body>") {
        Some(i) => format!("{}{script}\n{}", &html[..i], &html[i..]),
        None => html + &script,
    })
}

/// Root-relative path of the search results page (`search/index.html?q=...`).
pub const SEARCH_PAGE: &str = "search/index.html";

/// The search results page: the theme's `search.html`; the browser client fills it from `?q=`.
pub(crate) fn search_page(
    site: &Site,
    theme: &Theme,
    shared: &SharedContext,
) -> Result<String, String> {
    let root = relative_root(SEARCH_PAGE);
    generated_page(
        site,
        theme,
        shared,
        "search.html",
        "Search",
        SEARCH_PAGE,
        &root,
        vec![link(site, 0)],
    )
}

pub(crate) fn sitemap(site: &Site, base: &str) -> String {
    let base = if base.ends_with('/') {
        base.to_string()
    } else {
        format!("{base}/")
    };
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for p in site.pages.iter().filter(|p| !p.draft) {
        let url = if p.url == "index.html" {
            String::new()
        } else {
            href_path(&p.url)
        };
        s.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            highlight::escape(&format!("{base}{url}"))
        ));
    }
    s.push_str("</urlset>\n");
    s
}
