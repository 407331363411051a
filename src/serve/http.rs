//! HTTP: routing and serving files from the in-memory [`Snapshot`].
//!
//! A request path is percent-decoded, split into segments, and looked up in the snapshot's
//! map; nothing is ever joined onto a folder on disk, so `..`, `%2e%2e`, `//etc/passwd` or
//! backslashes cannot reach outside the site: such paths are refused (404) before the
//! lookup anyway. Folders serve their `index.html` (`/docs` redirects to `/docs/` so that
//! relative links work); there are no directory listings; a missing path gets the site's
//! `404.html` with status 404.
//!
//! On a loopback address, requests whose `Host` is not a loopback name are refused (403):
//! that stops DNS-rebinding pages from reading the local site through the browser.

use std::sync::{Arc, RwLock};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::reload::{self, Hub};
use super::snapshot::{content_type, Served, Snapshot};
use crate::render::csp;

/// Shared state of the server.
pub struct App {
    /// The site being served; replaced whole after each rebuild.
    pub snapshot: RwLock<Arc<Snapshot>>,
    /// The live-reload channel.
    pub hub: Hub,
    /// When bound to loopback: host names accepted in the `Host` header (without port).
    pub allowed_hosts: Option<Vec<String>>,
}

impl App {
    /// The current snapshot.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(&self.snapshot.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Replaces the snapshot.
    pub fn set_snapshot(&self, s: Arc<Snapshot>) {
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = s;
    }
}

/// The router: the live-reload endpoints under `/__skillsite/`, every other path from the
/// snapshot.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/__skillsite/events", get(reload::events))
        .route("/__skillsite/reload.js", get(reload::script))
        .fallback(file)
        .layer(middleware::from_fn_with_state(Arc::clone(&app), host_guard))
        .layer(middleware::map_response(security_headers))
        .with_state(app)
}

/// Headers on every response (pages, files, the reload endpoints, errors): the site's
/// Content-Security-Policy with `frame-ancestors 'none'` ([`csp::header_policy`]; the pages
/// carry the same policy in a `<meta>`, which cannot say `frame-ancestors`), `nosniff`, and
/// no `Referer` to other sites.
async fn security_headers(mut r: Response) -> Response {
    static POLICY: std::sync::OnceLock<HeaderValue> = std::sync::OnceLock::new();
    static NOT_FOUND: std::sync::OnceLock<HeaderValue> = std::sync::OnceLock::new();
    let policy = if r.status() == StatusCode::NOT_FOUND {
        // The 404 page's own policy: it allows the page's one inline script by its hash.
        NOT_FOUND.get_or_init(|| {
            HeaderValue::from_str(&format!(
                "{}; frame-ancestors 'none'",
                csp::not_found_policy()
            ))
            .expect("the policy is a valid header value")
        })
    } else {
        POLICY.get_or_init(|| {
            HeaderValue::from_str(&csp::header_policy())
                .expect("the policy is a valid header value")
        })
    };
    let h = r.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, policy.clone());
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    r
}

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A key of the snapshot's map.
    File(String),
    /// A folder asked for without its trailing slash: redirect to this path.
    Redirect(String),
    /// Nothing (or a path that is refused).
    NotFound,
}

/// Resolves the raw (still percent-encoded) request path against the snapshot.
pub fn resolve(snap: &Snapshot, raw: &str) -> Resolved {
    let Some(decoded) = percent_decode(raw) else {
        return Resolved::NotFound;
    };
    if decoded.contains(['\\', '\0']) {
        return Resolved::NotFound;
    }
    let mut segments = Vec::new();
    for s in decoded.split('/') {
        match s {
            "" => {}
            "." | ".." => return Resolved::NotFound,
            s => segments.push(s),
        }
    }
    let key = segments.join("/");
    if key.is_empty() || decoded.ends_with('/') {
        let index = if key.is_empty() {
            "index.html".to_string()
        } else {
            format!("{key}/index.html")
        };
        return if snap.files.contains_key(&index) {
            Resolved::File(index)
        } else {
            Resolved::NotFound
        };
    }
    if snap.files.contains_key(&key) {
        return Resolved::File(key);
    }
    if snap.files.contains_key(&format!("{key}/index.html")) {
        // Keep the encoded form; collapse leading slashes so `//host` cannot redirect offsite.
        return Resolved::Redirect(format!("/{}/", raw.trim_start_matches('/')));
    }
    Resolved::NotFound
}

pub use crate::util::path::percent_decode;

async fn file(State(app): State<Arc<App>>, req: Request) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "405 Method Not Allowed\n",
        )
            .into_response();
    }
    // The build number first, then the snapshot: the snapshot is replaced before its build
    // is announced, so the page is at least as new as `build` says (see `stamp`).
    let build = app.hub.build();
    let snap = app.snapshot();
    if snap.placeholder {
        return page(
            StatusCode::SERVICE_UNAVAILABLE,
            "index.html",
            stamp(Bytes::from(reload::placeholder_html()), build),
        );
    }
    match resolve(&snap, req.uri().path()) {
        Resolved::File(key) => match read(&snap, &key).await {
            Some(bytes) if key.ends_with(".html") => {
                page(StatusCode::OK, &key, stamp(bytes, build))
            }
            Some(bytes) => page(StatusCode::OK, &key, bytes),
            None => not_found(&snap).await,
        },
        Resolved::Redirect(to) => {
            let to = match req.uri().query() {
                Some(q) => format!("{to}?{q}"),
                None => to,
            };
            (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, to)]).into_response()
        }
        Resolved::NotFound => not_found(&snap).await,
    }
}

async fn read(snap: &Snapshot, key: &str) -> Option<Bytes> {
    match snap.files.get(key)? {
        Served::Memory(b) => Some(b.clone()),
        // Checked again now: the link may have been changed since the build.
        Served::Disk(from) => tokio::fs::read(snap.real_path(from)?)
            .await
            .ok()
            .map(Bytes::from),
    }
}

/// The page with its live-reload tag saying which build it comes from
/// (`/__skillsite/reload.js?b=BUILD`): the script then asks the event stream for the reloads
/// of every later build, so an edit saved while the page was loading is not missed.
fn stamp(html: Bytes, build: u64) -> Bytes {
    let tag = super::snapshot::SCRIPT_TAG.as_bytes();
    let Some(at) = html.windows(tag.len()).rposition(|w| w == tag) else {
        return html;
    };
    let src = "/__skillsite/reload.js";
    let cut = at + tag.len() - "\"></script>".len();
    debug_assert_eq!(&html[cut - src.len()..cut], src.as_bytes());
    let mut out = Vec::with_capacity(html.len() + 24);
    out.extend_from_slice(&html[..cut]);
    out.extend_from_slice(format!("?b={build}").as_bytes());
    out.extend_from_slice(&html[cut..]);
    Bytes::from(out)
}

async fn not_found(snap: &Snapshot) -> Response {
    match read(snap, "404.html").await {
        Some(b) => page(StatusCode::NOT_FOUND, "404.html", b),
        None => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "404 Not Found\n",
        )
            .into_response(),
    }
}

fn page(status: StatusCode, key: &str, body: Bytes) -> Response {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(key)),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

async fn host_guard(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    if let Some(allowed) = &app.allowed_hosts {
        if !host_allowed(req.headers(), allowed) {
            return (StatusCode::FORBIDDEN, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "403 Forbidden: this server only answers requests for a loopback host name (127.0.0.1, localhost); start it with -n to serve another name\n").into_response();
        }
    }
    next.run(req).await
}

/// Whether the `Host` header (port removed) is one of `allowed` or a `*.localhost` name.
/// A request without `Host` (HTTP/1.0 tools) is allowed: browsers always send one.
fn host_allowed(headers: &HeaderMap, allowed: &[String]) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return true;
    };
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']')
            .next()
            .map(|h| format!("[{h}]"))
            .unwrap_or_default()
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h).to_string()
    };
    let name = name.to_ascii_lowercase();
    name.ends_with(".localhost") || allowed.iter().any(|a| a.eq_ignore_ascii_case(&name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap() -> Snapshot {
        let mut s = Snapshot::default();
        for k in [
            "index.html",
            "docs/index.html",
            "docs/guide.html",
            "404.html",
            "a b.html",
        ] {
            s.files
                .insert(k.into(), Served::Memory(Bytes::from_static(b"x")));
        }
        s
    }

    #[test]
    fn resolves_files_folders_and_redirects() {
        let s = snap();
        assert_eq!(resolve(&s, "/"), Resolved::File("index.html".into()));
        assert_eq!(
            resolve(&s, "/docs/"),
            Resolved::File("docs/index.html".into())
        );
        assert_eq!(
            resolve(&s, "/docs/guide.html"),
            Resolved::File("docs/guide.html".into())
        );
        assert_eq!(
            resolve(&s, "/a%20b.html"),
            Resolved::File("a b.html".into())
        );
        assert_eq!(resolve(&s, "/docs"), Resolved::Redirect("/docs/".into()));
        assert_eq!(resolve(&s, "//docs"), Resolved::Redirect("/docs/".into()));
        assert_eq!(resolve(&s, "/nope.html"), Resolved::NotFound);
        assert_eq!(resolve(&s, "/docs/guide.html/"), Resolved::NotFound);
    }

    #[test]
    fn refuses_traversal() {
        let s = snap();
        for p in [
            "/../etc/passwd",
            "/docs/../index.html",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/docs/%2e%2e/index.html",
            "/..%5c..%5cetc%5cpasswd",
            "/docs\\guide.html",
            "/%00",
            "/%zz",
            "/%c0%ae%c0%ae/",
            "/./index.html",
        ] {
            assert_eq!(resolve(&s, p), Resolved::NotFound, "{p}");
        }
        // Absolute paths are just segments of the site: not found, never the real file.
        assert_eq!(resolve(&s, "//etc/passwd"), Resolved::NotFound);
    }

    #[test]
    fn pages_are_stamped_with_their_build() {
        let page = format!("<p>x</p>{}</body>", super::super::snapshot::SCRIPT_TAG);
        let out = stamp(Bytes::from(page), 42);
        assert_eq!(
            std::str::from_utf8(&out).unwrap(),
            "<p>x</p><script src=\"/__skillsite/reload.js?b=42\"></script></body>"
        );
        let plain = stamp(Bytes::from_static(b"<p>no tag</p>"), 1);
        assert_eq!(&plain[..], b"<p>no tag</p>");
    }

    #[test]
    fn host_names() {
        let allowed = vec![
            "127.0.0.1".to_string(),
            "localhost".to_string(),
            "[::1]".to_string(),
        ];
        let h = |v: &str| {
            let mut m = HeaderMap::new();
            m.insert(header::HOST, HeaderValue::from_str(v).unwrap());
            m
        };
        assert!(host_allowed(&h("127.0.0.1:3000"), &allowed));
        assert!(host_allowed(&h("LOCALHOST:3000"), &allowed));
        assert!(host_allowed(&h("[::1]:3000"), &allowed));
        assert!(host_allowed(&h("docs.localhost:3000"), &allowed));
        assert!(!host_allowed(&h("evil.example:3000"), &allowed));
        assert!(!host_allowed(&h("localhost.evil.example"), &allowed));
        assert!(host_allowed(&HeaderMap::new(), &allowed));
    }
}
