//! Stage 5, **write**: puts the rendered site on disk atomically.
//!
//! The site is written into a temporary folder next to the destination (`.book.tmp-PID` for
//! `book/`), then swapped in with two renames, so a failed or killed build leaves the previous
//! site intact. skillsite marks the folders it creates with a `.skillsite-build` file and
//! refuses to replace a non-empty folder without that mark, the content folder, or a folder
//! that contains the content folder: no command deletes anything outside its own output.
//!
//! Creating a folder is the dearest thing a build does to the file system: an ext4 folder
//! takes an inode and a block, and on ext4 without a journal the inode allocator also skips
//! every inode deleted in the last 60 s (300 s while its inode table block is dirty; Linux
//! `fs/ext4/ialloc.c`, `recently_deleted`), so each build that deleted the previous site's
//! folders makes the next one's folders dearer (docs/benchmarks.md, "Cost of the agent
//! files": 746 folders took 19 ms, then 250 ms after three such rounds). `build` therefore keeps the previous site's folders, emptied
//! of files, as a skeleton in the cache beside the build folder
//! ([`Staging::create_reusing`], `.skillsite-cache/NAME.folders`), and the next build writes
//! into them instead of creating them: every file is still written anew, and a folder the new
//! site does not need is removed before the swap, so the result is the same tree as a fresh
//! build.

use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::render::OutFile;

/// Name of the marker file in every build folder skillsite writes.
pub const MARKER: &str = ".skillsite-build";

/// Checks that `dest` may be (re)written for a project whose content is in `content`.
///
/// Errors: `dest` is the content folder, contains it, is a file, or is a non-empty folder
/// without skillsite's marker.
pub fn check_destination(dest: &Path, content: &Path) -> Result<(), Diagnostic> {
    let dest_abs = absolute(dest);
    let content_abs = std::fs::canonicalize(content).unwrap_or_else(|_| absolute(content));
    let dest_real = std::fs::canonicalize(dest).unwrap_or_else(|_| dest_abs.clone());
    let shown = crate::util::path::clean(dest).display().to_string();
    if dest_real == content_abs || dest_abs == content_abs {
        return Err(Diagnostic::error(
            "destination",
            format!("refusing to write the site into the content folder `{shown}`"),
        )
        .hint("choose another folder with `-d`, or set `[build] build-dir`"));
    }
    if content_abs.starts_with(&dest_real) || content_abs.starts_with(&dest_abs) {
        return Err(Diagnostic::error("destination", format!("refusing to write the site into `{shown}`: it contains the content folder"))
            .hint("the build folder is replaced on every build; choose a folder outside the content, e.g. `-d book`"));
    }
    if dest.is_file() {
        return Err(
            Diagnostic::error("destination", format!("`{shown}` is a file, not a folder"))
                .hint("choose another destination with `-d`"),
        );
    }
    if dest.is_dir() && !dest.join(MARKER).is_file() {
        let empty = std::fs::read_dir(dest)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(Diagnostic::error("destination", format!("refusing to replace `{shown}`: it is not empty and was not created by skillsite"))
                .hint(format!("choose an empty or new folder with `-d`, or remove `{shown}` yourself if it holds nothing you need")));
        }
    }
    Ok(())
}

/// Writes `files` as the complete new content of `dest`, atomically (see the module docs).
///
/// Errors: any I/O failure; then the temporary folder is removed and `dest` is untouched.
pub fn write(dest: &Path, files: &[OutFile]) -> Result<(), Diagnostic> {
    let staging = Staging::create(dest)?;
    staging.write(files)?;
    staging.commit()
}

/// A site being written: a temporary folder next to the destination that becomes the
/// destination on [`Staging::commit`]. Dropped without a commit (a failed or strict build, a
/// panic), it removes its folder and the destination is untouched.
///
/// `build` writes the pages into it while the index stage still runs, then the rest.
#[derive(Debug)]
pub struct Staging {
    dest: PathBuf,
    tmp: PathBuf,
    committed: bool,
    /// Where the previous site's folders are kept between builds
    /// ([`Staging::create_reusing`]), if they are.
    keep: Option<PathBuf>,
    /// Folders the staging folder started with (root-relative, from the skeleton at `keep`).
    reused: Vec<String>,
    /// What was written so far: each output path, and for each copied source the first
    /// output path it was copied to (later copies of it become hard links to that file).
    done: std::sync::Mutex<Written>,
}

impl Staging {
    /// Creates the temporary folder `.NAME.tmp-PID` beside `dest` (removing leftovers of killed
    /// builds first) with skillsite's marker in it.
    ///
    /// Errors: the folders cannot be created.
    pub fn create(dest: &Path) -> Result<Staging, Diagnostic> {
        Self::create_in(dest, None)
    }

    /// [`Staging::create`] that starts from the folders of an earlier build kept at `folders`
    /// (an empty folder tree with skillsite's marker, as [`Staging::commit`] leaves it), moved
    /// into place with one rename; without them (none kept, another build took them, another
    /// file system) it starts empty. On commit the replaced site's folders are emptied of files
    /// and kept at `folders` for the next build; a kept folder the new site does not use is
    /// removed before the swap. `build` passes `.skillsite-cache/NAME.folders`
    /// ([`folders_cache`]).
    ///
    /// Errors: as [`Staging::create`].
    pub fn create_reusing(dest: &Path, folders: &Path) -> Result<Staging, Diagnostic> {
        Self::create_in(dest, Some(absolute(folders)))
    }

    fn create_in(dest: &Path, keep: Option<PathBuf>) -> Result<Staging, Diagnostic> {
        let dest = absolute(dest);
        let parent = dest
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "book".into());
        std::fs::create_dir_all(&parent).map_err(|e| io_error(&parent, "cannot create", e))?;
        remove_stale(&parent, &name);
        let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        let reused = keep.as_deref().and_then(|k| take_skeleton(k, &tmp));
        if reused.is_none() {
            std::fs::create_dir(&tmp).map_err(|e| io_error(&tmp, "cannot create", e))?;
        }
        let staging = Staging {
            dest,
            tmp,
            committed: false,
            keep,
            reused: reused.unwrap_or_default(),
            done: Default::default(),
        };
        std::fs::write(
            staging.tmp.join(MARKER),
            "This folder was written by skillsite; it is replaced on every build.\n",
        )
        .map_err(|e| io_error(&staging.tmp, "cannot write", e))?;
        Ok(staging)
    }

    /// Writes `files` into the folder, in parallel; a later call may overwrite a path an
    /// earlier one wrote.
    ///
    /// Errors: the first I/O failure, or a path that would leave the folder.
    ///
    /// A file copied from the same source as one written before (a skill's files are published
    /// beside its page and again under `.well-known/skills/`) is hard-linked to that one
    /// instead of copied, which saves creating an inode per file; a copy is made when the
    /// link fails. A path written a second time is unlinked first, so no other path changes.
    pub fn write(&self, files: &[OutFile]) -> Result<(), Diagnostic> {
        self.write_refs(&files.iter().collect::<Vec<_>>())
    }

    /// [`Self::write`] for a list of references (a part of an output list).
    pub fn write_refs(&self, files: &[&OutFile]) -> Result<(), Diagnostic> {
        let lock = || self.done.lock().unwrap_or_else(|e| e.into_inner());
        // First one file per new source, then the rest, linked to those.
        let (mut first, mut again) = (Vec::new(), Vec::new());
        {
            let mut done = lock();
            let mut seen: std::collections::HashSet<&Path> = Default::default();
            for &f in files {
                let rewrite = !done.paths.insert(f.path().to_string());
                if rewrite {
                    // Its bytes change: later copies must not link to it.
                    done.copies.retain(|_, p| p != f.path());
                }
                match f {
                    OutFile::Copy(_, from)
                        if done.copies.contains_key(from) || !seen.insert(from) =>
                    {
                        again.push((f, rewrite));
                    }
                    _ => first.push((f, rewrite)),
                }
            }
        }
        first
            .par_iter()
            .try_for_each(|(f, rewrite)| write_one(&self.tmp, f, *rewrite, None))?;
        {
            let mut done = lock();
            for (f, _) in &first {
                if let OutFile::Copy(to, from) = f {
                    done.copies
                        .entry(from.clone())
                        .or_insert_with(|| to.clone());
                }
            }
        }
        let done = lock().copies.clone();
        again.par_iter().try_for_each(|(f, rewrite)| {
            let link = match f {
                OutFile::Copy(_, from) => done.get(from).and_then(|p| safe_join(&self.tmp, p)),
                OutFile::Bytes(..) => None,
            };
            write_one(&self.tmp, f, *rewrite, link.as_deref())
        })
    }

    /// Swaps the folder in: `dest` → `.NAME.old-PID`, the folder → `dest`, then removes the
    /// old site.
    ///
    /// Errors: a rename fails; the previous site is put back.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        self.remove_unused_folders();
        let parent = self.tmp.parent().unwrap_or(Path::new("."));
        let name = self.dest.file_name().unwrap_or_default().to_string_lossy();
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        let had_old = self.dest.exists();
        if had_old {
            std::fs::rename(&self.dest, &old)
                .map_err(|e| io_error(&self.dest, "cannot move the previous site aside", e))?;
        }
        if let Err(e) = std::fs::rename(&self.tmp, &self.dest) {
            if had_old {
                let _ = std::fs::rename(&old, &self.dest);
            }
            return Err(io_error(
                &self.dest,
                "cannot move the new site into place",
                e,
            ));
        }
        self.committed = true;
        if had_old {
            let kept = self
                .keep
                .as_deref()
                .is_some_and(|keep| keep_skeleton(&old, keep));
            if !kept {
                let _ = std::fs::remove_dir_all(&old);
            }
        }
        Ok(())
    }

    /// Removes the folders the staging folder started with that hold nothing now (deepest
    /// first), so the tree is the one a fresh build makes: that one has no empty folder.
    fn remove_unused_folders(&self) {
        if self.reused.is_empty() {
            return;
        }
        let done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        let mut used: std::collections::HashSet<&str> = Default::default();
        for p in &done.paths {
            let mut p = p.as_str();
            while let Some(i) = p.rfind('/') {
                p = &p[..i];
                if !used.insert(p) {
                    break;
                }
            }
        }
        // `reused` lists parents before children; reversed, children go first.
        for rel in self.reused.iter().rev() {
            if !used.contains(rel.as_str()) {
                if let Some(dir) = safe_join(&self.tmp, rel) {
                    let _ = std::fs::remove_dir(dir);
                }
            }
        }
    }
}

/// Where `build` keeps the folders of the site in `dest` between builds
/// ([`Staging::create_reusing`]): `.skillsite-cache/NAME.folders` beside it.
pub fn folders_cache(dest: &Path) -> PathBuf {
    let mut cache = crate::index::cache_dir(dest).into_os_string();
    cache.push(".folders");
    PathBuf::from(cache)
}

/// Moves the skeleton at `keep` to `tmp` and lists its folders (root-relative, parents first).
/// `None`, leaving nothing at `tmp`, when there is no skeleton or it is not skillsite's, or a
/// rename or listing fails. Any file found in it but the marker is removed.
fn take_skeleton(keep: &Path, tmp: &Path) -> Option<Vec<String>> {
    if !keep.join(MARKER).is_file() || std::fs::rename(keep, tmp).is_err() {
        return None;
    }
    let mut folders = Vec::new();
    for e in walkdir::WalkDir::new(tmp).min_depth(1).sort_by_file_name() {
        let Ok(e) = e else {
            let _ = std::fs::remove_dir_all(tmp);
            return None;
        };
        let rel = crate::util::path::rel_path(tmp, e.path());
        if e.file_type().is_dir() {
            folders.push(rel);
        } else if rel != MARKER && std::fs::remove_file(e.path()).is_err() {
            let _ = std::fs::remove_dir_all(tmp);
            return None;
        }
    }
    Some(folders)
}

/// Empties the replaced site `old` of everything but its folders and marker, and moves it to
/// `keep`. `false` when it could not (`keep` is taken, a removal failed): the caller removes
/// `old`.
fn keep_skeleton(old: &Path, keep: &Path) -> bool {
    if !old.join(MARKER).is_file() {
        return false;
    }
    for e in walkdir::WalkDir::new(old).min_depth(1) {
        let Ok(e) = e else { return false };
        if !e.file_type().is_dir()
            && e.path() != old.join(MARKER)
            && std::fs::remove_file(e.path()).is_err()
        {
            return false;
        }
    }
    if let Some(parent) = keep.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    std::fs::rename(old, keep).is_ok()
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

/// See [`Staging::done`].
#[derive(Debug, Default)]
struct Written {
    paths: std::collections::HashSet<String>,
    copies: std::collections::HashMap<PathBuf, String>,
}

/// Writes one file under `root`. `rewrite`: the path was written before (unlink it first, so a
/// hard link to it keeps its bytes). `link`: an output file with the same bytes to hard-link.
fn write_one(
    root: &Path,
    file: &OutFile,
    rewrite: bool,
    link: Option<&Path>,
) -> Result<(), Diagnostic> {
    let rel = file.path();
    let target = safe_join(root, rel).ok_or_else(|| {
        Diagnostic::error(
            "write",
            format!("refusing to write `{rel}` outside the build folder"),
        )
    })?;
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, "cannot create", e))?;
    }
    if rewrite {
        let _ = std::fs::remove_file(&target);
    }
    let put = || {
        if let Some(existing) = link {
            if std::fs::hard_link(existing, &target).is_ok() {
                return Ok(());
            }
        }
        match file {
            OutFile::Bytes(_, bytes) => {
                std::fs::write(&target, bytes).map_err(|e| io_error(&target, "cannot write", e))
            }
            OutFile::Copy(_, from) => std::fs::copy(from, &target)
                .map(|_| ())
                .map_err(|e| io_error(from, "cannot copy", e)),
        }
    };
    match put() {
        // A folder kept from an earlier build where this build has a file
        // (`Staging::create_reusing`): it holds no file, so it goes.
        Err(_) if target.is_dir() && only_folders(&target) => {
            std::fs::remove_dir_all(&target).map_err(|e| io_error(&target, "cannot remove", e))?;
            put()
        }
        other => other,
    }
}

/// Whether the tree at `dir` holds folders only (no file, no link).
fn only_folders(dir: &Path) -> bool {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .all(|e| e.is_ok_and(|e| e.file_type().is_dir()))
}

/// Joins a `/`-separated relative path under `root`, refusing `..`, absolute paths and drive prefixes.
fn safe_join(root: &Path, rel: &str) -> Option<PathBuf> {
    let mut out = root.to_path_buf();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p if Path::new(p)
                .components()
                .any(|c| !matches!(c, Component::Normal(_))) =>
            {
                return None
            }
            p => out.push(p),
        }
    }
    Some(out)
}

/// Removes leftovers of killed builds (`.book.tmp-*`, `.book.old-*`) that carry our marker.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        let ours =
            n.starts_with(&format!(".{name}.tmp-")) || n.starts_with(&format!(".{name}.old-"));
        if ours && e.path().join(MARKER).is_file() {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

fn io_error(path: &Path, what: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error("io", format!("{what} `{}`: {e}", path.display()))
}

/// `path` made absolute against the current folder, with `.` and `..` resolved lexically.
fn absolute(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_of_one_source_are_linked_and_rewrites_do_not_leak() {
        let t = tempfile::tempdir().unwrap();
        let src = t.path().join("a.md");
        std::fs::write(&src, "source").unwrap();
        let dest = t.path().join("book");
        let staging = Staging::create(&dest).unwrap();
        staging
            .write(&[
                OutFile::Copy("a.md".into(), src.clone()),
                OutFile::Copy("x/a.md".into(), src.clone()),
            ])
            .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let ino = |p: &str| std::fs::metadata(staging.tmp.join(p)).unwrap().ino();
            assert_eq!(ino("a.md"), ino("x/a.md"), "linked, not copied");
        }
        staging
            .write(&[
                OutFile::Copy("y/a.md".into(), src.clone()),
                OutFile::Bytes("a.md".into(), b"generated".to_vec()),
            ])
            .unwrap();
        staging
            .write(&[OutFile::Copy("z/a.md".into(), src.clone())])
            .unwrap();
        staging.commit().unwrap();
        let read = |p: &str| std::fs::read_to_string(dest.join(p)).unwrap();
        assert_eq!(read("a.md"), "generated");
        for p in ["x/a.md", "y/a.md", "z/a.md"] {
            assert_eq!(read(p), "source", "{p}");
        }
    }

    /// Every path below `dir` (`/` after a folder) with its bytes, the marker left out.
    fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
        walkdir::WalkDir::new(dir)
            .min_depth(1)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_name() != MARKER)
            .map(|e| {
                let rel = crate::util::path::rel_path(dir, e.path());
                if e.file_type().is_dir() {
                    (format!("{rel}/"), Vec::new())
                } else {
                    (rel, std::fs::read(e.path()).unwrap())
                }
            })
            .collect()
    }

    #[test]
    fn reused_folders_give_the_tree_of_a_fresh_build() {
        let t = tempfile::tempdir().unwrap();
        let (dest, keep, fresh) = (
            t.path().join("out"),
            t.path().join("cache/out.folders"),
            t.path().join("fresh"),
        );
        let build = |dest: &Path, files: &[OutFile]| {
            let s = Staging::create_reusing(dest, &keep).unwrap();
            s.write(files).unwrap();
            s.commit().unwrap();
        };
        let bytes = |p: &str, b: &str| OutFile::Bytes(p.into(), b.as_bytes().to_vec());
        build(
            &dest,
            &[
                bytes("a/b/c.html", "1"),
                bytes("gone/x.html", "stale"),
                bytes("x/y/z.html", "1"),
                bytes("f/g.html", "a folder before, a file after"),
            ],
        );
        assert!(!keep.exists(), "no site replaced yet, nothing kept");
        let second = [
            bytes("a/b/c.html", "2"),
            bytes("a/d.html", "2"),
            bytes("x/w.html", "2"),
            bytes("f", "a file now"),
        ];
        build(&dest, &second);
        // The first site's folders are kept, without its files.
        let kept = tree(&keep);
        assert!(kept.iter().all(|(p, _)| p.ends_with('/')), "{kept:?}");
        assert!(kept.iter().any(|(p, _)| p == "gone/"));
        #[cfg(unix)]
        let ino = |p: &Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).unwrap());
        #[cfg(unix)]
        let folder_a = ino(&keep.join("a"));
        build(&dest, &second);
        // The third build used the first site's folders: same inode for `a/`.
        #[cfg(unix)]
        assert_eq!(ino(&dest.join("a")), folder_a);
        write(&fresh, &second).unwrap();
        assert_eq!(
            tree(&dest),
            tree(&fresh),
            "unused folders (gone/, x/y/, f/) removed"
        );
        assert!(dest.join(MARKER).is_file());
    }

    #[test]
    fn refuses_content_and_foreign_folders() {
        let t = tempfile::tempdir().unwrap();
        let content = t.path().join("content");
        std::fs::create_dir_all(&content).unwrap();
        assert!(check_destination(&content, &content).is_err());
        assert!(check_destination(t.path(), &content).is_err());
        let foreign = t.path().join("foreign");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("keep.txt"), "x").unwrap();
        assert!(check_destination(&foreign, &content).is_err());
        assert!(check_destination(&t.path().join("new"), &content).is_ok());
        assert!(
            check_destination(&content.join("book"), &content).is_ok(),
            "inside content is allowed; it is skipped"
        );
    }

    #[test]
    fn writes_atomically_and_replaces_own_output() {
        let t = tempfile::tempdir().unwrap();
        let dest = t.path().join("out");
        write(&dest, &[OutFile::Bytes("a/b.html".into(), b"1".to_vec())]).unwrap();
        assert!(dest.join(MARKER).is_file());
        write(&dest, &[OutFile::Bytes("c.html".into(), b"2".to_vec())]).unwrap();
        assert!(!dest.join("a/b.html").exists(), "old output replaced");
        assert_eq!(std::fs::read(dest.join("c.html")).unwrap(), b"2");
        let leftovers: Vec<_> = std::fs::read_dir(t.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }

    /// A temporary folder holding a built site `out/` whose index.html is "old".
    fn old_site() -> (tempfile::TempDir, PathBuf) {
        let t = tempfile::tempdir().unwrap();
        let dest = t.path().join("out");
        write(
            &dest,
            &[OutFile::Bytes("index.html".into(), b"old".to_vec())],
        )
        .unwrap();
        (t, dest)
    }

    #[test]
    fn failed_write_keeps_previous_site() {
        let (t, dest) = old_site();
        let missing = t.path().join("does-not-exist.png");
        let err = write(
            &dest,
            &[
                OutFile::Bytes("index.html".into(), b"new".to_vec()),
                OutFile::Copy("img.png".into(), missing),
            ],
        );
        assert!(err.is_err());
        assert_eq!(std::fs::read(dest.join("index.html")).unwrap(), b"old");
        assert_eq!(
            std::fs::read_dir(t.path()).unwrap().count(),
            1,
            "temporary folder removed"
        );
    }

    #[test]
    fn staging_is_removed_unless_committed() {
        let (t, dest) = old_site();
        {
            let staging = Staging::create(&dest).unwrap();
            staging
                .write(&[OutFile::Bytes("index.html".into(), b"new".to_vec())])
                .unwrap();
            assert_eq!(std::fs::read_dir(t.path()).unwrap().count(), 2);
        }
        assert_eq!(std::fs::read(dest.join("index.html")).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(t.path()).unwrap().count(), 1);
        // Two writes: the second overrides a path of the first.
        let staging = Staging::create(&dest).unwrap();
        staging
            .write(&[OutFile::Bytes("index.html".into(), b"a".to_vec())])
            .unwrap();
        staging
            .write(&[OutFile::Bytes("index.html".into(), b"b".to_vec())])
            .unwrap();
        staging.commit().unwrap();
        assert_eq!(std::fs::read(dest.join("index.html")).unwrap(), b"b");
    }

    #[test]
    fn safe_join_refuses_escapes() {
        let r = Path::new("/r");
        assert_eq!(safe_join(r, "a/b.html"), Some(PathBuf::from("/r/a/b.html")));
        assert_eq!(safe_join(r, "../x"), None);
    }
}
