//! The file watcher: notify's platform watcher (inotify on Linux), with a debounce of our own
//! that knows when a write has finished.
//!
//! A save is several events: an editor truncates, writes (in one or many `write` calls),
//! closes, or writes a temporary file and renames it into place, possibly with a backup
//! renamed aside and removed. Reporting each event would rebuild a half-written file; waiting
//! a fixed time after every event (as `notify-debouncer-full` does) puts that wait on every
//! save. So a batch of paths is reported when the watcher has been quiet for
//!
//! - [`SETTLE`] if every path's last event *ends* a change: the file was closed after writing
//!   (inotify's `IN_CLOSE_WRITE`), renamed, removed, or is a folder that was created; or
//! - [`DEBOUNCE`] if a file is still open for writing (its last event is a creation or a data
//!   change, as on platforms without close events),
//!
//! and at the latest [`MAX_WAIT`] after its first event, so a file written without end does
//! not hold back the others. The rebuild loop in `serve/mod.rs` then merges batches that arrive
//! while it is busy or within a burst, so a `git checkout` touching a thousand files causes one
//! rebuild.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

/// Quiet time that ends a batch whose every change has ended (closed after writing, renamed,
/// removed): the events of one save arrive within microseconds of each other on Linux, the
/// widest gap being an editor's rename of the old file aside and its creation of the new one
/// (vim's `writebackup`), which are consecutive calls. Once created, the new file is open
/// until it is closed, so [`DEBOUNCE`] covers its writing and `fsync`. A gap wider than this
/// costs one more rebuild, never a wrong site.
pub const SETTLE: Duration = Duration::from_millis(1);
/// Quiet time that ends a batch holding a file that may still be being written.
pub const DEBOUNCE: Duration = Duration::from_millis(30);
/// Longest time from a batch's first event to its report.
pub const MAX_WAIT: Duration = Duration::from_millis(500);

/// A running watcher; dropping it stops watching (the debounce thread ends with it).
pub struct Watcher {
    watcher: RecommendedWatcher,
    roots: Vec<(PathBuf, bool)>,
    /// The roots' paths, shared with the debounce thread (for a rescan).
    watched: Arc<Mutex<Vec<PathBuf>>>,
}

impl Watcher {
    /// Starts a watcher that hands each debounced batch of changed paths (deduplicated,
    /// absolute, in the order first seen) to `send`, on the watcher's debounce thread. Watches
    /// nothing until [`Watcher::set_roots`].
    ///
    /// Errors: the platform watcher cannot be created (e.g. the inotify instance limit) or the
    /// debounce thread cannot be started.
    ///
    /// When the kernel's event queue overflowed (inotify's `IN_Q_OVERFLOW`, a burst of more
    /// changes than `fs.inotify.max_queued_events`), which paths changed is unknown: the batch
    /// is then the watched roots themselves, which the rebuild loop answers with a full build.
    pub fn new(send: impl Fn(Vec<PathBuf>) + Send + 'static) -> Result<Watcher, String> {
        let watched: Arc<Mutex<Vec<PathBuf>>> = Arc::default();
        let roots = Arc::clone(&watched);
        let (tx, rx) = mpsc::channel();
        let watcher =
            notify::recommended_watcher(tx).map_err(|e| format!("cannot watch files: {e}"))?;
        std::thread::Builder::new()
            .name("skillsite-watch".into())
            .spawn(move || debounce(&rx, &roots, &send))
            .map_err(|e| format!("cannot start the file watcher's thread: {e}"))?;
        Ok(Watcher {
            watcher,
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
            let _ = self.watcher.unwatch(p);
        }
        for (p, rec) in roots.iter().filter(|r| !self.roots.contains(r)) {
            let mode = if *rec {
                RecursiveMode::Recursive
            } else {
                RecursiveMode::NonRecursive
            };
            if let Err(e) = self.watcher.watch(p, mode) {
                problems.push(format!("cannot watch `{}`: {e}", p.display()));
            }
        }
        *self.watched.lock().unwrap_or_else(|e| e.into_inner()) =
            roots.iter().map(|(p, _)| p.clone()).collect();
        self.roots = roots;
        (added, problems)
    }
}

/// The debounce loop: collects events from `rx` into a [`Batch`] and hands it to `send` when
/// it is due; ends when the platform watcher (the sender) is dropped.
fn debounce(
    rx: &mpsc::Receiver<notify::Result<Event>>,
    roots: &Mutex<Vec<PathBuf>>,
    send: &dyn Fn(Vec<PathBuf>),
) {
    let mut batch = Batch::default();
    loop {
        let received = match batch.due_in(Instant::now()) {
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(wait) => rx.recv_timeout(wait),
        };
        match received {
            Ok(Ok(event)) => batch.add(&event, Instant::now()),
            Ok(Err(e)) => eprintln!("warning[watch]: {e}"),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        if batch.due_in(Instant::now()) == Some(Duration::ZERO) {
            let rescan = batch.rescan;
            let mut paths = std::mem::take(&mut batch).paths;
            if rescan {
                eprintln!("warning[watch]: the file watcher lost events (too many changes at once); rebuilding everything");
                for root in roots.lock().unwrap_or_else(|e| e.into_inner()).iter() {
                    if !paths.contains(root) {
                        paths.push(root.clone());
                    }
                }
            }
            if !paths.is_empty() {
                send(paths);
            }
        }
    }
}

/// The changes seen since the last report.
#[derive(Debug, Default)]
struct Batch {
    /// Changed paths, in the order first seen.
    paths: Vec<PathBuf>,
    seen: HashSet<PathBuf>,
    /// Paths whose last event leaves them possibly open for writing.
    open: HashSet<PathBuf>,
    /// The platform watcher lost events.
    rescan: bool,
    first: Option<Instant>,
    last: Option<Instant>,
}

impl Batch {
    /// Records `event`, received at `now`.
    fn add(&mut self, event: &Event, now: Instant) {
        if event.need_rescan() {
            self.rescan = true;
        } else if !relevant(&event.kind) {
            return;
        }
        self.first.get_or_insert(now);
        self.last = Some(now);
        let ends = ends_change(&event.kind);
        for p in &event.paths {
            if self.seen.insert(p.clone()) {
                self.paths.push(p.clone());
            }
            if ends {
                self.open.remove(p);
            } else {
                self.open.insert(p.clone());
            }
        }
    }

    /// How long until the batch is due at `now`: `None` when it is empty (wait for an event),
    /// zero when it is due.
    fn due_in(&self, now: Instant) -> Option<Duration> {
        let (first, last) = (self.first?, self.last?);
        let quiet = if self.open.is_empty() {
            SETTLE
        } else {
            DEBOUNCE
        };
        let due = (last + quiet).min(first + MAX_WAIT);
        Some(due.saturating_duration_since(now))
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

/// Events after which the path is complete: closed after writing, renamed, removed, a folder
/// created. A created file or changed data may be followed by more writes.
fn ends_change(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Access(AccessKind::Close(AccessMode::Write))
            | EventKind::Modify(ModifyKind::Name(_))
            | EventKind::Remove(_)
            | EventKind::Create(CreateKind::Folder)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{DataChange, RemoveKind, RenameMode};

    fn ev(kind: EventKind, path: &str) -> Event {
        Event::new(kind).add_path(PathBuf::from(path))
    }

    const WRITE: EventKind = EventKind::Modify(ModifyKind::Data(DataChange::Any));
    const CLOSE: EventKind = EventKind::Access(AccessKind::Close(AccessMode::Write));

    #[test]
    fn a_closed_write_is_due_after_the_settle_time() {
        let t = Instant::now();
        let mut b = Batch::default();
        assert_eq!(b.due_in(t), None, "an empty batch waits for events");
        b.add(&ev(WRITE, "/p/a.md"), t);
        assert_eq!(
            b.due_in(t),
            Some(DEBOUNCE),
            "an open file waits the debounce"
        );
        b.add(&ev(CLOSE, "/p/a.md"), t + Duration::from_millis(1));
        assert_eq!(b.due_in(t + Duration::from_millis(1)), Some(SETTLE));
        assert_eq!(
            b.due_in(t + Duration::from_millis(10)),
            Some(Duration::ZERO)
        );
        assert_eq!(b.paths, [PathBuf::from("/p/a.md")], "one path, once");
    }

    #[test]
    fn an_open_file_holds_back_the_batch() {
        let t = Instant::now();
        let mut b = Batch::default();
        b.add(&ev(CLOSE, "/p/a.md"), t);
        b.add(&ev(EventKind::Create(CreateKind::File), "/p/b.md"), t);
        assert_eq!(b.due_in(t), Some(DEBOUNCE));
        // A rename into place ends the change of its target (an editor's atomic save).
        b.add(
            &ev(
                EventKind::Modify(ModifyKind::Name(RenameMode::To)),
                "/p/b.md",
            ),
            t + Duration::from_millis(2),
        );
        assert_eq!(b.due_in(t + Duration::from_millis(2)), Some(SETTLE));
    }

    #[test]
    fn a_file_written_without_end_is_reported_after_the_longest_wait() {
        let t = Instant::now();
        let mut b = Batch::default();
        let mut now = t;
        while now < t + MAX_WAIT {
            b.add(&ev(WRITE, "/p/log.md"), now);
            now += Duration::from_millis(20);
        }
        assert_eq!(b.due_in(now), Some(Duration::ZERO));
    }

    #[test]
    fn reads_and_metadata_changes_are_ignored_and_a_lost_queue_is_a_rescan() {
        let t = Instant::now();
        let mut b = Batch::default();
        b.add(
            &ev(
                EventKind::Access(AccessKind::Open(AccessMode::Read)),
                "/p/a.md",
            ),
            t,
        );
        b.add(
            &ev(
                EventKind::Modify(ModifyKind::Metadata(notify::event::MetadataKind::Any)),
                "/p/a.md",
            ),
            t,
        );
        assert_eq!(b.due_in(t), None);
        b.add(&ev(EventKind::Remove(RemoveKind::File), "/p/a.md"), t);
        assert_eq!(b.due_in(t), Some(SETTLE));
        b.add(
            &Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan),
            t,
        );
        assert!(b.rescan);
    }
}
