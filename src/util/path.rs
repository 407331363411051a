//! Path helpers shared by every stage: content-relative paths with `/` separators, the URLs
//! of built pages as they appear in `href`s, and paths shown in diagnostics.

use std::path::{Component, Path, PathBuf};

/// `rel` as a `/`-separated path relative to `base`.
pub fn rel_path(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The path without `.` components, for readable diagnostics (`./content/a.md` → `content/a.md`).
pub fn clean(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

/// Joins a relative path (`./skills/a`, `../x`) to a content-relative folder, resolving
/// `.` and `..`; climbing above the content root stops at the root.
pub fn join_rel(folder: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for p in rel.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// `../` repeated once per folder level of `url` (empty for root pages).
pub fn relative_root(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

/// A root-relative output path as it must appear in an `href` (spaces and `#`, `?`, `%`
/// percent-encoded).
pub fn href_path(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            '%' => out.push_str("%25"),
            '"' => out.push_str("%22"),
            c => out.push(c),
        }
    }
    out
}

/// The `href` from a page in folder `from` to the output path `url`, both root-relative and
/// already `href`-encoded ([`href_path`]), `from` without a trailing `/` (`""` for the site
/// root): `("a/b", "a/c/d.html")` → `"../c/d.html"`. A first segment holding `:` gets `./`
/// so that it cannot read as a URL scheme (`a:b.html` → `./a:b.html`).
pub fn relative_href(from: &str, url: &str) -> String {
    let here: Vec<&str> = if from.is_empty() {
        Vec::new()
    } else {
        from.split('/').collect()
    };
    let there: Vec<&str> = url.split('/').collect();
    let (dirs, file) = there.split_at(there.len() - 1);
    let common = here.iter().zip(dirs).take_while(|(a, b)| a == b).count();
    let mut out = "../".repeat(here.len() - common);
    for d in &dirs[common..] {
        out.push_str(d);
        out.push('/');
    }
    out.push_str(file[0]);
    if out
        .split('/')
        .next()
        .is_some_and(|first| first.contains(':'))
    {
        out.insert_str(0, "./");
    }
    out
}

/// Decodes `%XX` escapes (URLs in links, `href_path` output, request paths). Strict: `None`
/// for a malformed escape (`%zz`, a `%` near the end) or bytes that are not UTF-8, which is
/// what a server must refuse.
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hi = hex(*b.get(i + 1)?)?;
            let lo = hex(*b.get(i + 2)?)?;
            out.push(hi * 16 + lo);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Decodes the `%XX` escapes that are well formed and keeps everything else as written
/// (`a%20b%zz` → `a b%zz`); bytes that are not UTF-8 become U+FFFD. For resolving links in
/// content, where a stray `%` is text.
pub fn percent_decode_lossy(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if let (Some(hi), Some(lo)) = (
                b.get(i + 1).and_then(|&c| hex(c)),
                b.get(i + 2).and_then(|&c| hex(c)),
            ) {
                out.push(hi * 16 + lo);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_strict_and_lossy() {
        assert_eq!(percent_decode("a%20b").as_deref(), Some("a b"));
        assert_eq!(percent_decode("a%2"), None);
        assert_eq!(percent_decode("%ff"), None);
        assert_eq!(percent_decode_lossy("a%20b%zz%"), "a b%zz%");
        // A `%` before a multi-byte character is text, not a panic.
        assert_eq!(percent_decode_lossy("%é%C3%A9"), "%éé");
        assert_eq!(percent_decode_lossy("%aé.md"), "%aé.md");
    }

    #[test]
    fn paths() {
        assert_eq!(relative_root("a/b/c.html"), "../../");
        assert_eq!(relative_href("a/b", "a/c/d.html"), "../c/d.html");
        assert_eq!(relative_href("", "a/d.html"), "a/d.html");
        assert_eq!(relative_href("a", "index.html"), "../index.html");
        assert_eq!(relative_href("a", "a/b.html"), "b.html");
        assert_eq!(relative_href("", "a:b.html"), "./a:b.html");
        assert_eq!(relative_root("index.html"), "");
        assert_eq!(href_path("a b/#x?.html"), "a%20b/%23x%3F.html");
        assert_eq!(join_rel("pack/skill", "../other/./x"), "pack/other/x");
        assert_eq!(
            rel_path(Path::new("/a/b"), Path::new("/a/b/c/d.md")),
            "c/d.md"
        );
        assert_eq!(
            clean(Path::new("./content/a.md")),
            PathBuf::from("content/a.md")
        );
    }
}
