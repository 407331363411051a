//! The URL policy: which URLs skillsite writes into `href`, `src`, `action`, `formaction`,
//! `xlink:href`, `poster` and CSS `url()`, on every page and in every output.
//!
//! Allowed: `http:`, `https:`, `mailto:`, `tel:`, scheme-relative (`//host/...`), relative
//! paths, queries and fragments. Everything else — `javascript:`, `vbscript:`, `data:`,
//! `file:`, `blob:` and any other scheme — is blocked. The scheme is read the way a browser
//! reads it (WHATWG URL): HTML character references decoded (`&#106;avascript:`), ASCII tab
//! and newline removed anywhere (`java\tscript:`), leading and trailing C0 controls and spaces
//! stripped (`  javascript:`), and the scheme compared case-insensitively (`JaVaScRiPt:`).
//!
//! The policy is an allow-list, as OWASP's XSS prevention cheat sheet and ammonia's
//! `url_schemes` recommend: a scheme a browser gains later is blocked until added here.

use std::borrow::Cow;

/// Schemes allowed in any URL skillsite writes (lowercase, without `:`).
pub const ALLOWED_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// Why a URL was blocked: its scheme as a browser would read it (lowercase), e.g.
/// `javascript`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocked {
    /// The scheme, lowercased, as the browser would see it after decoding.
    pub scheme: String,
}

impl std::fmt::Display for Blocked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}:` URLs are not allowed", self.scheme)
    }
}

/// Checks `url` against the policy. `url` may still hold HTML character references (as in a
/// template value or a raw attribute); already-decoded text (pulldown-cmark's `dest_url`,
/// ammonia's attribute values) is checked the same way.
///
/// Returns `Err` with the scheme when the URL is blocked.
pub fn check(url: &str) -> Result<(), Blocked> {
    let decoded = decode_char_refs(url);
    // WHATWG URL parsing: strip leading/trailing C0 controls and spaces, remove ASCII tab
    // and newline anywhere.
    let trimmed = decoded.trim_matches(|c: char| c <= ' ');
    let s: String = trimmed
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    match scheme(&s) {
        None => Ok(()),
        Some(sc) if ALLOWED_SCHEMES.contains(&sc.as_str()) => Ok(()),
        Some(sc) => Err(Blocked { scheme: sc }),
    }
}

/// True when [`check`] allows `url`.
pub fn is_allowed(url: &str) -> bool {
    check(url).is_ok()
}

/// The scheme of `s` (lowercased), if it has one: an ASCII letter followed by letters,
/// digits, `+`, `-` or `.`, before the first `:`, with no `/`, `?` or `#` before it.
fn scheme(s: &str) -> Option<String> {
    let colon = s.find(':')?;
    let head = &s[..colon];
    let mut chars = head.chars();
    let first = chars.next()?;
    if !first.is_ascii_alphabetic()
        || !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        // `/a:b`, `?x:y`, `#a:b`, `./x:y` are relative; a non-ASCII "scheme" is not one a
        // browser knows, but it is not relative either: block it.
        return if head.contains(['/', '?', '#']) {
            None
        } else {
            Some(head.to_lowercase())
        };
    }
    Some(head.to_ascii_lowercase())
}

/// Decodes numeric character references (`&#106;`, `&#x6A;`, with or without `;`) and the
/// named ones that can build a scheme (`&colon;`, `&Tab;`, `&NewLine;`, `&amp;`...). Other
/// text is kept as it is.
pub fn decode_char_refs(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let (ch, used) = char_ref(rest);
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[used..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// One character reference at the start of `s` (which starts with `&`): the character and
/// the bytes it used.
fn char_ref(s: &str) -> (Option<char>, usize) {
    let b = s.as_bytes();
    if b.get(1) == Some(&b'#') {
        let (hex, start) = match b.get(2) {
            Some(b'x' | b'X') => (true, 3),
            _ => (false, 2),
        };
        let mut end = start;
        while end < b.len()
            && (if hex {
                b[end].is_ascii_hexdigit()
            } else {
                b[end].is_ascii_digit()
            })
        {
            end += 1;
        }
        if end == start {
            return (None, 0);
        }
        let n = u32::from_str_radix(&s[start..end], if hex { 16 } else { 10 }).unwrap_or(0xFFFD);
        let c = char::from_u32(n)
            .filter(|c| *c != '\0')
            .unwrap_or('\u{FFFD}');
        let used = if b.get(end) == Some(&b';') {
            end + 1
        } else {
            end
        };
        return (Some(c), used);
    }
    const NAMED: &[(&str, char)] = &[
        ("&colon;", ':'),
        ("&Tab;", '\t'),
        ("&NewLine;", '\n'),
        ("&amp;", '&'),
        ("&AMP;", '&'),
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&apos;", '\''),
        ("&sol;", '/'),
        ("&lpar;", '('),
        ("&rpar;", ')'),
        ("&period;", '.'),
        ("&nbsp;", '\u{a0}'),
    ];
    for (name, c) in NAMED {
        if s.starts_with(name) {
            return (Some(*c), name.len());
        }
    }
    (None, 0)
}

/// Checks every `url(...)` in a CSS declaration list (a `style` attribute); `Err` with the
/// first blocked scheme. Escapes in CSS (`\6a avascript`) are not decoded, so a backslash
/// inside `url()` blocks the declaration too.
pub fn check_css(css: &str) -> Result<(), Blocked> {
    let lower = css.to_ascii_lowercase();
    let mut rest = lower.as_str();
    while let Some(i) = rest.find("url(") {
        let after = &rest[i + 4..];
        let end = after.find(')').unwrap_or(after.len());
        let arg = after[..end].trim().trim_matches(|c| c == '"' || c == '\'');
        if arg.contains('\\') {
            return Err(Blocked {
                scheme: "css-escape".into(),
            });
        }
        check(arg)?;
        rest = &after[end..];
    }
    if lower.contains("expression(") || lower.contains("\\") {
        return Err(Blocked {
            scheme: "css-expression".into(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_web_and_relative() {
        for ok in [
            "https://example.org/a?b#c",
            "HTTP://x",
            "mailto:a@b.c",
            "tel:+1",
            "//cdn.example.org/x.png",
            "a/b.html",
            "../x.md#y",
            "#frag",
            "?q=1:2",
            "/abs/path:with-colon",
            "./x:y",
            "",
        ] {
            assert!(is_allowed(ok), "{ok}");
        }
    }

    #[test]
    fn blocks_script_schemes_in_every_disguise() {
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "  javascript:alert(1)",
            "\u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "&#106;avascript:alert(1)",
            "&#x6A;avascript:alert(1)",
            "&#0000106&#0000097vascript:alert(1)",
            "javascript&colon;alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "data:image/svg+xml;base64,AAAA",
            "file:///etc/passwd",
            "blob:https://x/y",
        ] {
            assert!(!is_allowed(bad), "{bad:?}");
        }
        assert_eq!(check("JaVaScRiPt:x").unwrap_err().scheme, "javascript");
    }

    #[test]
    fn css_urls() {
        assert!(check_css("text-align: center").is_ok());
        assert!(check_css("background: url(a.png)").is_ok());
        assert!(check_css("background: url('javascript:alert(1)')").is_err());
        assert!(check_css("background: url(\\6a avascript:x)").is_err());
        assert!(check_css("width: expression(alert(1))").is_err());
    }
}
