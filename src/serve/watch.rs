//! The file watcher: notify with notify-debouncer-full, reporting batches of changed paths.
//!
//! The debouncer merges the events of each path over [`DEBOUNCE`] (an editor's
//! write-rename-chmod sequence is one change); the rebuild loop in `serve/mod.rs` then merges
//! batches that arrive while it is busy or within a burst, so a `git checkout` touching a
//! thousand files causes one rebuild.

use std::path::PathBuf;
use std::sync::mpsc::Sender;
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
}

impl Watcher {
    /// Starts a watcher that sends each debounced batch of changed paths (deduplicated,
    /// absolute) to `tx`. Watches nothing until [`Watcher::set_roots`].
    ///
    /// Errors: the platform watcher cannot be created (e.g. the inotify instance limit).
    pub fn new(tx: Sender<Vec<PathBuf>>) -> Result<Watcher, String> {
        let handler = move |result: DebounceEventResult| match result {
            Ok(events) => {
                let mut paths: Vec<PathBuf> = Vec::new();
                for e in events.iter().filter(|e| relevant(&e.kind)) {
                    for p in &e.paths {
                        if !paths.contains(p) {
                            paths.push(p.clone());
                        }
                    }
                }
                if !paths.is_empty() {
                    let _ = tx.send(paths);
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
