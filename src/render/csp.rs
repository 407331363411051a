//! The Content-Security-Policy of every generated page: one definition, printed by the theme
//! as a `<meta http-equiv>` (templates get it as `content_security_policy`) and sent by
//! `serve` as a header ([`header_policy`]), so the two cannot drift.
//!
//! Skill packs are third-party and may be hostile: even if some HTML of theirs reaches a page
//! (with `unsafe-raw-html`, or through a sanitizer bug), the browser must run no script of
//! theirs. So only script *files* from the site itself run: no inline `<script>`, no `on*=`
//! attributes, no `javascript:` URLs, no `eval`. See `docs/security.md` (section 3).

/// The policy of the built site, as put in every page's
/// `<meta http-equiv="Content-Security-Policy">`.
///
/// Directives are those of [Content Security Policy Level 3](https://www.w3.org/TR/CSP3/)
/// (§6 "Content Security Policy Directives"):
///
/// - `default-src 'self'`: anything not listed below (fetch/XHR, media, workers, manifests)
///   only from the site itself.
/// - `script-src 'self'`: only script files of the site (the theme's, `additional-js`, the
///   search index shards). No `'unsafe-inline'`, no `'unsafe-eval'`: inline scripts, event
///   handler attributes and `javascript:` URLs never run (CSP3 §6.1.2, §8.2).
/// - `style-src 'self' 'unsafe-hashes' …`: stylesheet files of the site, plus the three
///   `style="text-align: …"` attributes that Markdown tables carry (pulldown-cmark's column
///   alignment), allowed by hash (CSP3 §6.1.3, §2.3.1 `'unsafe-hashes'`). No other inline
///   style: the theme uses classes and SVG attributes instead.
/// - `img-src 'self' data: https: http:`: content may show remote images (as on GitHub);
///   `data:` for the theme's CSS icons.
/// - `media-src 'self' https: http:`: the same for `<video>` and `<audio>`.
/// - `font-src 'self'`, `connect-src 'self'`: fonts and fetches only from the site.
/// - `object-src 'none'`: no plugins (`<object>`, `<embed>`).
/// - `base-uri 'none'`: no `<base>` to re-point the relative script URLs elsewhere.
/// - `form-action 'none'`: our forms never submit (the search box is handled in script), so no
///   injected form can post anywhere.
/// - `frame-src 'none'`: no frames inside our pages.
///
/// `frame-ancestors` cannot be delivered by a `<meta>` element (CSP3 §6.4.2; browsers ignore
/// it and log an error), so only [`header_policy`] has it.
pub const CONTENT_SECURITY_POLICY: &str = concat!(
    "default-src 'self'; ",
    "script-src 'self'; ",
    "style-src 'self' 'unsafe-hashes' ",
    // sha256 of `text-align: left`, `text-align: center`, `text-align: right`.
    "'sha256-6l+tpow5lGPV0MHWZlDv8nD7HrL77FGFldqQ7zc5gxY=' ",
    "'sha256-Y9v1MZrln1N8aPBY5lmpxYKwFkcp/nyBMMEnn7WFjuw=' ",
    "'sha256-i0JPB0qmRu5AViJTxOIzqXnfGoiWFw+oNAm4uJd7ZQk='; ",
    "img-src 'self' data: https: http:; ",
    "media-src 'self' https: http:; ",
    "font-src 'self'; ",
    "connect-src 'self'; ",
    "object-src 'none'; ",
    "base-uri 'none'; ",
    "form-action 'none'; ",
    "frame-src 'none'"
);

/// The policy `serve` sends as a `Content-Security-Policy` header: [`CONTENT_SECURITY_POLICY`]
/// plus `frame-ancestors 'none'` (no other site may frame the pages), which only a header can
/// carry.
/// The script inlined into `404.html` when `site-url` is not set: it finds the site root
/// from the address and points the page's relative links there (a host serves 404.html at
/// any depth). Fixed text, never data.
pub const NOT_FOUND_SCRIPT: &str = include_str!("../../themes/default/static/js/rebase-404.js");

/// The policy of `404.html` without `site-url`: [`CONTENT_SECURITY_POLICY`] with the SHA-256
/// of [`NOT_FOUND_SCRIPT`] added to `script-src` (CSP Level 2 hash source), so that one
/// inline script, and no other, runs there.
pub fn not_found_policy() -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    let hash = base64::engine::general_purpose::STANDARD
        .encode(sha2::Sha256::digest(NOT_FOUND_SCRIPT.as_bytes()));
    CONTENT_SECURITY_POLICY.replacen(
        "script-src 'self'; ",
        &format!("script-src 'self' 'sha256-{hash}'; "),
        1,
    )
}

pub fn header_policy() -> String {
    format!("{CONTENT_SECURITY_POLICY}; frame-ancestors 'none'")
}

/// The `style="…"` attribute values [`CONTENT_SECURITY_POLICY`] allows by hash.
pub const HASHED_STYLE_ATTRIBUTES: &[&str] = &[
    "text-align: left",
    "text-align: center",
    "text-align: right",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_is_one_line_without_inline_script_or_frame_ancestors() {
        let p = CONTENT_SECURITY_POLICY;
        assert!(!p.contains('\n') && !p.contains('"'));
        let script = p.split("; ").find(|d| d.starts_with("script-src")).unwrap();
        assert_eq!(script, "script-src 'self'");
        assert!(!p.contains("unsafe-inline") && !p.contains("unsafe-eval"));
        assert!(!p.contains("frame-ancestors"));
        assert!(header_policy().starts_with(p));
        assert!(header_policy().ends_with("; frame-ancestors 'none'"));
    }
}
