//! `skillsite serve`: builds the site, serves it over HTTP from memory, rebuilds on changes
//! and reloads the browser.
//!
//! - [`rebuild`]: the engine, running the `build` pipeline (whole, or for the pages a change
//!   affects); it never writes the site to disk.
//! - [`snapshot`]: the served files (path → bytes, or a file read on request).
//! - [`http`]: routing, path resolution, content types, 404.
//! - [`watch`]: the debounced file watcher.
//! - [`reload`]: the live-reload channel, its script and the error overlay.
//!
//! Threads: the HTTP server runs on a small tokio runtime; rebuilds run on one plain thread
//! (rendering itself is parallel with rayon), which swaps the snapshot and notifies browsers.

pub mod http;
pub mod rebuild;
pub mod reload;
pub mod snapshot;
pub mod watch;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::build::BuildOptions;
use crate::diagnostics::{Diagnostic, Severity};
use http::App;
use rebuild::{Engine, Outcome};

/// Options of `skillsite serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Project root (holding `book.toml`) or a plain content folder.
    pub dir: PathBuf,
    /// Host name or IP address to listen on; loopback (`127.0.0.1`) by default.
    pub hostname: String,
    /// TCP port; 0 picks a free one (printed).
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// Run no `[preprocessor.NAME]` of `book.toml` (`--no-preprocessors`).
    pub no_preprocessors: bool,
    /// Print the wall time of each phase of a rebuild after its summary line (`--timings`).
    pub timings: bool,
}

/// A batch with more paths than this, or one that needs the whole pipeline, is treated as
/// the start of a burst (a checkout, a generator): the rebuild waits for [`QUIET`] without
/// events so that it runs once for the whole burst.
const BURST: usize = 4;
/// Quiet time that ends a burst.
const QUIET: Duration = Duration::from_millis(150);
/// Longest wait for a burst to end.
const MAX_BURST: Duration = Duration::from_secs(3);
/// After Ctrl-C, how long open connections get to finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

/// Runs the server until Ctrl-C (or SIGTERM). Build problems never stop it: they are shown
/// in the terminal and in the browser, and the last good site stays served.
///
/// Errors (exit status 1): `dir` is not a folder, the address cannot be listened on, the
/// async runtime or the file watcher cannot start.
#[allow(clippy::result_large_err)] // the crate's convention: a fatal error is one Diagnostic
pub fn serve(opts: ServeOptions) -> Result<(), Diagnostic> {
    if !opts.dir.is_dir() {
        return Err(Diagnostic::error(
            "project",
            format!("`{}` is not a folder", opts.dir.display()),
        )
        .hint("pass a folder holding book.toml or Markdown files"));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("skillsite-http")
        .enable_all()
        .build()
        .map_err(|e| Diagnostic::error("serve", format!("cannot start the async runtime: {e}")))?;
    let listener = runtime.block_on(tokio::net::TcpListener::bind((opts.hostname.as_str(), opts.port))).map_err(|e| {
        Diagnostic::error("serve", format!("cannot listen on {}:{}: {e}", opts.hostname, opts.port)).hint("another program may be using the port: choose another with `-p PORT` (0 picks a free one)")
    })?;
    let addr = listener.local_addr().map_err(|e| {
        Diagnostic::error("serve", format!("cannot read the listening address: {e}"))
    })?;

    // The watcher starts before the first build, on the whole project folder: a file saved
    // while that build runs is queued and rebuilt right after it, not lost.
    let (tx, rx) = mpsc::channel();
    let changes = tx.clone();
    let mut watcher = watch::Watcher::new(move |paths| {
        let _ = changes.send(Event::Changed(paths));
    })
    .map_err(|e| {
        Diagnostic::error("serve", e)
            .hint("on Linux, raise fs.inotify.max_user_instances / max_user_watches")
    })?;

    // First build, before serving.
    let mut engine = Engine::new(BuildOptions {
        dir: opts.dir.clone(),
        dest: None,
        strict: false,
        progress: std::io::IsTerminal::is_terminal(&std::io::stderr()),
        in_memory: true,
        check: false,
        no_preprocessors: opts.no_preprocessors,
    });
    let before = engine.watch_roots();
    for p in watcher.set_roots(before.clone()).1 {
        eprintln!("warning[watch]: {p}");
    }
    let mut first = engine.full();
    // The site's own folders, now that book.toml is read. One that the first watch did not
    // cover (a `src` or `additional-css` folder outside the project) may have changed unseen
    // during the build: build once more.
    let (_, problems) = watcher.set_roots(engine.watch_roots());
    for p in problems {
        eprintln!("warning[watch]: {p}");
    }
    let unseen = engine
        .watch_roots()
        .iter()
        .any(|(p, _)| !before.iter().any(|(q, rec)| *rec && p.starts_with(q)));
    if unseen {
        first = engine.full();
    }
    print_outcome(&first, None);

    let app = Arc::new(App {
        snapshot: RwLock::new(engine.snapshot()),
        hub: reload::Hub::new(),
        allowed_hosts: addr
            .ip()
            .is_loopback()
            .then(|| allowed_hosts(&opts.hostname)),
    });
    app.hub.publish(first.failed, &first.diagnostics, &[], &[]);

    let rebuild_app = Arc::clone(&app);
    std::thread::Builder::new()
        .name("skillsite-rebuild".into())
        .spawn(move || rebuild_loop(engine, watcher, tx, rx, &rebuild_app, opts.timings))
        .map_err(|e| Diagnostic::error("serve", format!("cannot start the rebuild thread: {e}")))?;

    let url = url_for(&opts.hostname, addr);
    if !addr.ip().is_loopback() {
        eprintln!(
            "warning[serve]: listening on {addr}: other machines on the network can read this site"
        );
    }
    eprintln!("Serving at {url} (Ctrl-C to stop)");
    if opts.open {
        open_browser(&url);
    }

    let router = http::router(Arc::clone(&app));
    runtime.block_on(async move {
        let (stop_tx, mut stop_rx) = tokio::sync::watch::channel(false);
        let hub_app = Arc::clone(&app);
        let server = axum::serve(listener, router).with_graceful_shutdown(async move {
            shutdown_signal().await;
            eprintln!("\nStopping…");
            hub_app.hub.shutdown();
            let _ = stop_tx.send(true);
        });
        tokio::select! {
            r = server => {
                if let Err(e) = r {
                    eprintln!("error[serve]: {e}");
                }
            }
            _ = async {
                let _ = stop_rx.wait_for(|s| *s).await;
                tokio::time::sleep(SHUTDOWN_GRACE).await;
            } => {}
        }
    });
    runtime.shutdown_timeout(Duration::from_millis(200));
    Ok(())
}

/// What the rebuild loop waits for.
enum Event {
    /// A batch of changed paths from the watcher.
    Changed(Vec<PathBuf>),
    /// A search export finished on its own thread.
    Exported(rebuild::SearchExport),
}

/// Waits for batches of changed paths, merges bursts, rebuilds, publishes. After a fast
/// rebuild, the static search files are exported on a thread of their own (one at a time),
/// so an edit made meanwhile is rebuilt at once; an export made stale by it is dropped and
/// the next one started ([`Engine::search_job`]).
fn rebuild_loop(
    mut engine: Engine,
    mut watcher: watch::Watcher,
    tx: mpsc::Sender<Event>,
    rx: Receiver<Event>,
    app: &App,
    timings: bool,
) {
    // Paths from the queue; an export's result is kept for the loop to apply.
    fn take(event: Event, paths: &mut Vec<PathBuf>, exported: &mut Option<rebuild::SearchExport>) {
        match event {
            Event::Changed(more) => paths.extend(more),
            Event::Exported(e) => *exported = Some(e),
        }
    }
    let mut exporting = false;
    let mut exported = None;
    loop {
        let Ok(event) = rx.recv() else { return };
        let mut paths = Vec::new();
        take(event, &mut paths, &mut exported);
        while let Ok(more) = rx.try_recv() {
            take(more, &mut paths, &mut exported);
        }
        if paths.len() > BURST || engine.needs_everything(&paths) {
            let until = Instant::now() + MAX_BURST;
            loop {
                match rx.recv_timeout(QUIET.min(until.saturating_duration_since(Instant::now()))) {
                    Ok(more) => take(more, &mut paths, &mut exported),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
                if Instant::now() >= until {
                    break;
                }
            }
        }
        if let Some(e) = exported.take() {
            exporting = false;
            if timings {
                if let Some(line) = e.describe() {
                    eprintln!("{line}");
                }
            }
            if let Some(s) = engine.apply_search(e) {
                app.set_snapshot(s);
            }
        }
        if !paths.is_empty() {
            paths.sort();
            paths.dedup();
            if let Some(mut outcome) = engine.changed(&paths) {
                publish(app, &outcome, &paths);
                if timings {
                    print_phases(&outcome);
                }
                // A folder that just appeared (`themes/`, `static/`, the content folder) is
                // watched from now on; what was written into it before is picked up by one
                // more build.
                while outcome.full {
                    let (added, problems) = watcher.set_roots(engine.watch_roots());
                    for p in problems {
                        eprintln!("warning[watch]: {p}");
                    }
                    if !added {
                        break;
                    }
                    outcome = engine.full();
                    publish(app, &outcome, &paths);
                }
            }
        }
        if !exporting {
            if let Some(job) = engine.search_job() {
                let tx = tx.clone();
                let spawned = std::thread::Builder::new()
                    .name("skillsite-search-export".into())
                    .spawn(move || {
                        let _ = tx.send(Event::Exported(job.run()));
                    });
                match spawned {
                    Ok(_) => exporting = true,
                    Err(e) => eprintln!("warning[search-index]: cannot start the export: {e}"),
                }
            }
        }
    }
}

/// `serve --timings`: one line with the phases of a fast rebuild.
fn print_phases(o: &Outcome) {
    if o.phases.is_empty() {
        return;
    }
    let phases: Vec<String> = o
        .phases
        .iter()
        .map(|(name, d)| format!("{name} {:.1} ms", d.as_secs_f64() * 1000.0))
        .collect();
    eprintln!("  timings: {}", phases.join(", "));
}

fn publish(app: &App, outcome: &Outcome, paths: &[PathBuf]) {
    if let Some(s) = &outcome.snapshot {
        app.set_snapshot(Arc::clone(s));
    }
    app.hub.publish(
        outcome.failed,
        &outcome.diagnostics,
        &outcome.new_diagnostics,
        &outcome.changed,
    );
    print_outcome(outcome, Some(paths));
}

/// Prints a build's diagnostics (after the first build only the new ones) and a summary.
fn print_outcome(o: &Outcome, trigger: Option<&[PathBuf]>) {
    // Notes (what the packs run) are not problems: counted by `build`, listed by `check`.
    let shown: Vec<&Diagnostic> = if trigger.is_some() {
        o.new_diagnostics.iter().collect()
    } else {
        o.diagnostics.iter().collect()
    };
    let shown: Vec<&Diagnostic> = shown
        .into_iter()
        .filter(|d| d.severity != Severity::Note)
        .collect();
    let notes = o
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Note)
        .count();
    for d in &shown {
        eprintln!("{d}");
    }
    let warnings = o
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    let errors = o.diagnostics.len() - warnings - notes;
    let mut counts = format!(
        "{} {}, {} {}",
        warnings,
        plural(warnings, "warning"),
        errors,
        plural(errors, "error")
    );
    let repeated = o.diagnostics.len() - notes - shown.len();
    if repeated > 0 {
        counts.push_str(&format!(" ({repeated} already shown)"));
    }
    let ms = o.elapsed.as_secs_f64() * 1000.0;
    let what = match trigger {
        None => String::new(),
        Some(paths) => {
            let first = paths.first().map(|p| rebuild::shown(p)).unwrap_or_default();
            let more = if paths.len() > 1 {
                format!(" and {} more", paths.len() - 1)
            } else {
                String::new()
            };
            format!("{first}{more} changed:")
        }
    };
    if o.failed {
        match trigger {
            None => eprintln!(
                "Build failed after {ms:.0} ms; serving an error page until it is fixed; {counts}"
            ),
            Some(_) => eprintln!(
                "{what} build failed after {ms:.0} ms; still serving the last good site; {counts}"
            ),
        }
    } else if trigger.is_none() {
        eprintln!(
            "Built {} {} in {ms:.0} ms; {counts}",
            o.pages,
            plural(o.pages, "page")
        );
    } else if o.full {
        eprintln!(
            "{what} rebuilt {} {} in {ms:.0} ms; {counts}",
            o.pages,
            plural(o.pages, "page")
        );
    } else if o.pages > 0 {
        eprintln!(
            "{what} re-rendered {} {} in {ms:.0} ms; {counts}",
            o.pages,
            plural(o.pages, "page")
        );
    } else {
        eprintln!(
            "{what} copied file{} in {ms:.0} ms",
            if o.changed.len() == 1 { "" } else { "s" }
        );
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

fn url_for(hostname: &str, addr: SocketAddr) -> String {
    let host = if hostname.contains(':') && !hostname.starts_with('[') {
        format!("[{hostname}]")
    } else {
        hostname.to_string()
    };
    let host = if host == "0.0.0.0" || host == "[::]" {
        addr.ip().to_string()
    } else {
        host
    };
    format!("http://{host}:{}/", addr.port())
}

fn allowed_hosts(hostname: &str) -> Vec<String> {
    let mut out: Vec<String> = ["localhost", "127.0.0.1", "[::1]"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let given = if hostname.contains(':') && !hostname.starts_with('[') {
        format!("[{hostname}]")
    } else {
        hostname.to_string()
    };
    out.push(given.to_ascii_lowercase());
    out
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}

/// Opens `url` in the default browser; a failure is only a warning.
fn open_browser(url: &str) {
    #[cfg(target_os = "macos")]
    let mut cmd = std::process::Command::new("open");
    #[cfg(target_os = "windows")]
    let mut cmd = {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    };
    #[cfg(not(any(target_os = "macos", target_os = "windows")))]
    let mut cmd = std::process::Command::new("xdg-open");
    cmd.arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if let Err(e) = cmd.spawn() {
        eprintln!("warning[serve]: cannot open a browser: {e}; open {url} yourself");
    }
}
