//! Live reload: a server-sent-events channel at `/__skillsite/events`, the script served at
//! `/__skillsite/reload.js` that every served HTML page loads, and the error overlay.
//!
//! Messages (SSE `event:` name, JSON `data:`):
//!
//! - `hello` `{"server": "…", "build": n}`: first message of each connection. A browser that
//!   sees another `server` id after reconnecting reloads (the server was restarted).
//!
//! Every message has the SSE `id` of its build. A browser that reconnects sends it back
//! (`Last-Event-ID`), and a tab that takes over the stream from a closed one asks with
//! `?since=BUILD`: the `reload` messages it missed are sent again first.
//! - `diagnostics` `{"build": n, "failed": bool, "errors": n, "warnings": n, "items": [...]}`:
//!   sent on connection and after every build. Each item has `severity` (`warning`/`error`),
//!   `rule`, `file`, `line`, `column`, `message`, `hint` (the last four may be null) and
//!   `new` (not in the build before). The script shows them in an overlay, and removes it
//!   when `items` is empty.
//! - `reload` `{"build": n, "paths": [...], "all": bool}`: served paths whose content
//!   changed (`all` when too many to list). The script reloads the page when its own path is
//!   listed (keeping the scroll position), swaps stylesheets in place when only CSS changed,
//!   and otherwise does nothing.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, HeaderMap, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::IntoResponse;
use futures_util::stream::{self, Stream, StreamExt};
use serde::Serialize;
use tokio::sync::{broadcast, watch};

use super::http::App;
use crate::diagnostics::{Diagnostic, Severity};

/// The browser script, served at `/__skillsite/reload.js`.
pub const SCRIPT: &str = include_str!("../../themes/default/serve/reload.js");

/// Above this many changed paths, a `reload` message says `all` instead of listing them.
const MAX_PATHS: usize = 500;

/// One message to every connected browser.
#[derive(Debug, Clone)]
pub struct Message {
    /// The build it belongs to (the SSE `id`, sent back by reconnecting browsers as
    /// `Last-Event-ID`).
    pub build: u64,
    /// SSE event name.
    pub event: &'static str,
    /// JSON payload.
    pub data: String,
}

/// The broadcast hub: the rebuild loop sends, each `/__skillsite/events` connection receives.
pub struct Hub {
    tx: broadcast::Sender<Message>,
    /// The latest `diagnostics` message, for browsers that connect later.
    latest: Mutex<Message>,
    build: Mutex<u64>,
    server: String,
    shutdown: watch::Sender<bool>,
    /// The latest `reload` messages, replayed to browsers that missed them (see [`events`]).
    history: Mutex<History>,
}

/// The latest [`HISTORY`] `reload` messages.
#[derive(Default)]
struct History {
    messages: std::collections::VecDeque<Message>,
    /// The newest build whose `reload` message was dropped.
    dropped: u64,
}

/// How many `reload` messages are kept for replay.
const HISTORY: usize = 64;

#[derive(Serialize)]
struct Item<'a> {
    severity: Severity,
    rule: &'a str,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
    hint: Option<&'a str>,
    new: bool,
}

impl Hub {
    /// A hub with no diagnostics yet.
    pub fn new() -> Hub {
        let (tx, _) = broadcast::channel(64);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Hub {
            tx,
            latest: Mutex::new(Message {
                build: 0,
                event: "diagnostics",
                data: diagnostics_json(0, false, &[], &[]),
            }),
            build: Mutex::new(0),
            server: format!("{:x}-{nanos:x}", std::process::id()),
            shutdown: watch::channel(false).0,
            history: Mutex::default(),
        }
    }

    /// The number of the newest announced build (0 before the first).
    pub fn build(&self) -> u64 {
        *self.build.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Announces a finished build: its diagnostics (always) and, when `changed` is not empty,
    /// a reload of those served paths.
    pub fn publish(
        &self,
        failed: bool,
        diagnostics: &[Diagnostic],
        new: &[Diagnostic],
        changed: &[String],
    ) {
        let build = {
            let mut b = self.build.lock().unwrap_or_else(|e| e.into_inner());
            *b += 1;
            *b
        };
        let msg = Message {
            build,
            event: "diagnostics",
            data: diagnostics_json(build, failed, diagnostics, new),
        };
        *self.latest.lock().unwrap_or_else(|e| e.into_inner()) = msg.clone();
        let _ = self.tx.send(msg);
        if !changed.is_empty() {
            let all = changed.len() > MAX_PATHS || changed.iter().any(String::is_empty);
            let paths: &[String] = if all { &[] } else { changed };
            let data =
                serde_json::json!({ "build": build, "paths": paths, "all": all }).to_string();
            let msg = Message {
                build,
                event: "reload",
                data,
            };
            {
                let mut h = self.history.lock().unwrap_or_else(|e| e.into_inner());
                h.messages.push_back(msg.clone());
                if h.messages.len() > HISTORY {
                    if let Some(old) = h.messages.pop_front() {
                        h.dropped = old.build;
                    }
                }
            }
            let _ = self.tx.send(msg);
        }
    }

    /// Ends every event stream (so that graceful shutdown does not wait for browsers).
    pub fn shutdown(&self) {
        self.shutdown.send_replace(true);
    }

    fn hello(&self) -> Message {
        let build = *self.build.lock().unwrap_or_else(|e| e.into_inner());
        Message {
            build,
            event: "hello",
            data: serde_json::json!({ "server": self.server, "build": build }).to_string(),
        }
    }
}

impl Default for Hub {
    fn default() -> Self {
        Hub::new()
    }
}

fn diagnostics_json(build: u64, failed: bool, all: &[Diagnostic], new: &[Diagnostic]) -> String {
    // Notes (hooks, MCP servers: what a pack runs) are not problems to overlay on the page.
    let all: Vec<&Diagnostic> = all
        .iter()
        .filter(|d| d.severity != Severity::Note)
        .collect();
    let items: Vec<Item<'_>> = all
        .iter()
        .map(|d| Item {
            severity: d.severity,
            rule: d.rule,
            file: d.file.as_ref().map(|f| f.display().to_string()),
            line: d.line,
            column: d.column,
            message: &d.message,
            hint: d.hint.as_deref(),
            new: new.contains(*d),
        })
        .collect();
    let errors = all.iter().filter(|d| d.severity == Severity::Error).count();
    serde_json::json!({ "build": build, "failed": failed, "errors": errors, "warnings": all.len() - errors, "items": items }).to_string()
}

fn event(m: Message) -> Result<Event, Infallible> {
    Ok(Event::default()
        .id(m.build.to_string())
        .event(m.event)
        .data(m.data))
}

/// A `reload` of everything.
fn reload_all() -> Message {
    Message {
        build: 0,
        event: "reload",
        data: r#"{"build":0,"paths":[],"all":true}"#.into(),
    }
}

impl Hub {
    /// The `reload` messages of the builds after `since`, for a browser that was not
    /// connected then; a reload of everything when they are no longer all kept.
    fn missed(&self, since: u64) -> Vec<Message> {
        let h = self.history.lock().unwrap_or_else(|e| e.into_inner());
        if since < h.dropped {
            return vec![reload_all()];
        }
        h.messages
            .iter()
            .filter(|m| m.build > since)
            .cloned()
            .collect()
    }
}

/// `GET /__skillsite/events[?since=BUILD]`: the SSE stream — `hello`, the `reload` messages
/// of the builds after `since` (or after the `Last-Event-ID` header a reconnecting browser
/// sends), the current `diagnostics`, then every message as it comes.
pub async fn events(
    State(app): State<Arc<App>>,
    uri: Uri,
    headers: HeaderMap,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let hub = &app.hub;
    let rx = hub.tx.subscribe();
    let since = uri
        .query()
        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("since=")))
        .or_else(|| headers.get("last-event-id").and_then(|v| v.to_str().ok()))
        .and_then(|v| v.trim().parse::<u64>().ok());
    let mut first = vec![hub.hello()];
    if let Some(since) = since {
        first.extend(hub.missed(since));
    }
    first.push(hub.latest.lock().unwrap_or_else(|e| e.into_inner()).clone());
    let shutdown = hub.shutdown.subscribe();
    let rest = stream::unfold((rx, shutdown), |(mut rx, mut shutdown)| async move {
        if *shutdown.borrow() {
            return None;
        }
        let msg = tokio::select! {
            m = rx.recv() => match m {
                Ok(m) => m,
                // Too slow to keep up: reload everything rather than miss a change.
                Err(broadcast::error::RecvError::Lagged(_)) => reload_all(),
                Err(broadcast::error::RecvError::Closed) => return None,
            },
            _ = shutdown.changed() => return None,
        };
        Some((msg, (rx, shutdown)))
    });
    Sse::new(stream::iter(first).chain(rest).map(event))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// `GET /__skillsite/reload.js`.
pub async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        SCRIPT,
    )
}

/// The page served while no build has succeeded: the overlay shows why.
pub fn placeholder_html() -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>skillsite: build failed</title>\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head>\
         <body>\
         <h1>The site could not be built</h1><p>The errors are listed below and in the terminal. \
         This page reloads by itself once they are fixed.</p>{}</body></html>\n",
        crate::render::csp::CONTENT_SECURITY_POLICY,
        super::snapshot::SCRIPT_TAG
    )
}
