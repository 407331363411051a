//! The file watcher: notify with notify-debouncer-full, reporting batches of changed paths.
//!
//! The debouncer merges the events of each path over [`DEBOUNCE`] (an editor's
//! write-rename-chmod sequence is one change); the rebuild loop in `serve/mod.rs` then merges
//! batches that arrive while it is busy or within a burst, so a `git checkout` touching a
//! thousand files causes one rebuild.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use notify_debouncer_full::notify::event::{AccessKind, AccessMode, ModifyKind};
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

/// How long a path must be quiet before its events are reported.
pub const DEBOUNCE: Duration = Duration::from_millis(30);

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    roots: Vec<(PathBuf, bool)>,
    /// The roots' paths, shared with the event handler (for a rescan).
    watched: Arc<Mutex<Vec<PathBuf>>>,
}

impl Watcher {
    /// Starts a watcher that hands each debounced batch of changed paths (deduplicated,
    /// absolute) to `send`, on the watcher's thread. Watches nothing until [`Watcher::set_roots`].
    ///
    /// Errors: the platform watcher cannot be created (e.g. the inotify instance limit).
    ///
    /// When the kernel's event queue overflowed (inotify's `IN_Q_OVERFLOW`, a burst of more
    /// changes than `fs.inotify.max_queued_events`), which paths changed is unknown: the batch
    /// is then the watched roots themselves, which the rebuild loop answers with a full build.
    pub fn new(send: impl Fn(Vec<PathBuf>) + Send + 'static) -> Result<Watcher, String> {
        let watched: Arc<Mutex<Vec<PathBuf>>> = Arc::default();
        let roots_for_handler = Arc::clone(&watched);
        let handler = move |result: DebounceEventResult| match result {
            Ok(events) => {
                let mut paths: Vec<PathBuf> = Vec::new();
                if events.iter().any(|e| e.need_rescan()) {
                    eprintln!("warning[watch]: the file watcher lost events (too many changes at once); rebuilding everything");
                    paths.extend(
                        roots_for_handler
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .iter()
                            .cloned(),
                    );
                }
                for e in events.iter().filter(|e| relevant(&e.kind)) {
                    for p in &e.paths {
                        if !paths.contains(p) {
                            paths.push(p.clone());
                        }
                    }
                }
                if !paths.is_empty() {
                    send(paths);
                }
            }
            Err(errors) => {
                for e in errors {
                    eprintln!("warning[watch]: {e}");
                }
            }
        };
        let debouncer = new_debouncer(DEBOUNCE, Some(DEBOUNCE / 3), handler)
            .map_err(|e| format!("cannot watch files: {e}"))?;
        Ok(Watcher {
            debouncer,
            roots: Vec::new(),
            watched,
        })
    }

    /// Watches exactly `roots` (path, recursive) from now on. Returns whether a folder was
    /// added (changes made in it before now were not seen) and the problems (a folder that
    /// cannot be watched is reported and skipped).
    pub fn set_roots(&mut self, roots: Vec<(PathBuf, bool)>) -> (bool, Vec<String>) {
        let mut problems = Vec::new();
        let added = roots.iter().any(|r| !self.roots.contains(r));
        for (p, _) in self.roots.iter().filter(|r| !roots.contains(r)) {
            let _ = self.debouncer.unwatch(p);
        }
        for (p, rec) in roots.iter().filter(|r| !self.roots.contains(r)) {
            let mode = if *rec {
                RecursiveMode::Recursive
            } else {
                RecursiveMode::NonRecursive
            };
            if let Err(e) = self.debouncer.watch(p, mode) {
                problems.push(format!("cannot watch `{}`: {e}", p.display()));
            }
        }
        *self.watched.lock().unwrap_or_else(|e| e.into_inner()) =
            roots.iter().map(|(p, _)| p.clone()).collect();
        self.roots = roots;
        (added, problems)
    }
}

/// Events that may change the site: not reads, not metadata-only changes.
fn relevant(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        _ => true,
    }
}
