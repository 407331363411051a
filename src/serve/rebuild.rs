//! Rebuilds for `serve`: the whole pipeline, or just the pages a change affects.
//!
//! A full rebuild is [`build::render_site`], exactly what `build` runs (minus the write). An
//! edit to existing Markdown files takes the fast path: the files are read again with the
//! loader's own [`parse_page`], put in place of their pages in the loaded [`Site`], and
//! re-rendered with [`render::partial::render_pages`] together with the pages that depend
//! on them (see [`Engine::dependents`]). Anything else — `book.toml`, templates, `SUMMARY.md`,
//! files added or removed, a title, weight or draft flag that changed (they are in every
//! page's navigation) — runs the whole pipeline. A file that `build` copies is served from
//! disk, so a change to it re-renders nothing.
//!
//! A build that fails keeps the last good site in place (`Outcome::snapshot` is `None`); the
//! next change then runs the whole pipeline.
//!
//! [`build::render_site`]: crate::build::render_site
//! [`parse_page`]: crate::load::discover::parse_page
//! [`render::partial::render_pages`]: crate::render::partial::render_pages

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::snapshot::Snapshot;
use crate::build::{render_site, BuildOptions, BuildReport};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::index::incremental::Incremental;
use crate::load::config::Config;
use crate::load::discover::parse_page;
use crate::model::{Page, PageId, Site};
use crate::render::{partial::render_pages_with_bodies, templates::Theme, OutFile};
use crate::util::path::{clean, rel_path};
use crate::write::check_destination;

/// Above this many pages to re-render, the whole pipeline is about as fast and simpler.
const MAX_FAST_PAGES: usize = 200;

/// What one rebuild did.
#[derive(Debug)]
pub struct Outcome {
    /// The new site to serve; `None` when it did not change or the build failed.
    pub snapshot: Option<Arc<Snapshot>>,
    /// Served paths whose content changed (sorted); empty when the browser need not reload.
    pub changed: Vec<String>,
    /// Every diagnostic of the latest build, sorted by file and line.
    pub diagnostics: Arc<Vec<Diagnostic>>,
    /// Of which those that the previous build did not have.
    pub new_diagnostics: Vec<Diagnostic>,
    /// The build failed (fatal error, or any error): the last good site is still served.
    pub failed: bool,
    /// The whole pipeline ran (else the fast path).
    pub full: bool,
    /// Pages rendered.
    pub pages: usize,
    /// Wall time of the rebuild.
    pub elapsed: Duration,
    /// Wall time of each phase of a fast rebuild, in order (`serve --timings` prints them):
    /// `reload` (the changed files read again, and the transform stage after a catalog edit,
    /// whose parts `catalog`, `lint` and `audit` follow it), `render` (pages), `catalog files`
    /// (catalog.json, llms.txt, the agent files, after a catalog edit), `snapshot` (the new
    /// served files), `publish` (the diagnostics compared with the previous ones). Empty
    /// after a full rebuild.
    pub phases: Vec<(&'static str, Duration)>,
}

/// The state of the site being served, rebuilt on each change.
pub struct Engine {
    opts: BuildOptions,
    state: Option<State>,
    snapshot: Arc<Snapshot>,
    diagnostics: Arc<Vec<Diagnostic>>,
    /// The latest build failed: the next change rebuilds everything.
    broken: bool,
    dirs: Dirs,
    /// The project's build folder (canonical), never read nor written by `serve`.
    user_build: Option<PathBuf>,
    /// Counts the rebuilds that changed the search documents; a [`SearchJob`] started at an
    /// older count is stale ([`Engine::apply_search`]).
    search_generation: u64,
    /// What the last search export was made of, for the next ([`SearchJob::run`]).
    search_export: Arc<std::sync::Mutex<Option<Incremental>>>,
}

/// An export of the static search files to run off the rebuild loop ([`Engine::search_job`]).
pub struct SearchJob {
    generation: u64,
    docs: Vec<crate::index::SearchDoc>,
    /// What the last export was made of, shared with the engine (one job runs at a time).
    last: Arc<std::sync::Mutex<Option<Incremental>>>,
}

impl SearchJob {
    /// Exports the static search files of the job's documents, re-encoding only the
    /// documents that changed since the last export and compressing only the files whose
    /// bytes change ([`Incremental::export`]: the same bytes as the build's
    /// `index::export_docs`).
    pub fn run(self) -> SearchExport {
        let start = Instant::now();
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        let (files, stats) = match Incremental::export(last.take(), self.docs) {
            Ok((next, files, stats)) => {
                *last = Some(next);
                (Ok(files), Some((stats, start.elapsed())))
            }
            Err(e) => (Err(e), None),
        };
        SearchExport {
            generation: self.generation,
            files,
            stats,
        }
    }
}

/// What a [`SearchJob`] produced, for [`Engine::apply_search`].
pub struct SearchExport {
    generation: u64,
    files: Result<Vec<OutFile>, String>,
    stats: Option<(crate::index::incremental::Stats, Duration)>,
}

impl SearchExport {
    /// `serve --timings`: what the export did and how long it took, as one line
    /// (`search index: 1 page re-indexed, 4 of 187 files made anew, 9 ms`).
    pub fn describe(&self) -> Option<String> {
        let (s, took) = self.stats?;
        let what = if s.full {
            format!("{} pages indexed", s.docs)
        } else {
            format!(
                "{} page{} re-indexed",
                s.docs,
                if s.docs == 1 { "" } else { "s" }
            )
        };
        Some(format!(
            "search index: {what}, {} of {} files made anew, {} ms",
            s.compressed,
            s.files,
            took.as_millis()
        ))
    }
}

/// The last good site and what the fast path needs to know about it.
struct State {
    site: Site,
    theme: Theme,
    /// Canonical source path of each page.
    pages_by_real: HashMap<PathBuf, PageId>,
    /// Canonical source path of each copied file → served paths.
    copies_by_real: HashMap<PathBuf, Vec<String>>,
    /// Absolute (not canonical) source path of each copied file, to notice their removal.
    copies_abs: HashSet<PathBuf>,
    /// Source text of the pages that use `{{#include}}`, to find who includes a changed file.
    includers: HashMap<PageId, String>,
    /// The search index's documents: a re-rendered page replaces its own, and the static
    /// search files are exported again.
    search_docs: Vec<crate::index::SearchDoc>,
    /// The transform stage's diagnostics in the current diagnostics, replaced after a
    /// catalog edit.
    transform_diags: Vec<Diagnostic>,
    /// A fast rebuild changed search documents that no [`Engine::search_job`] has taken yet.
    search_pending: bool,
    /// The audit's page scans, for the transform stage's next run after a skill edit.
    audit_cache: crate::transform::audit::AuditCache,
    /// The ids each page's body defined when it was last rendered (`build::Rendered::anchor_ids`),
    /// so that a re-rendered page's anchor links are checked without rendering their targets.
    anchor_ids: Vec<Option<HashSet<String>>>,
}

/// What [`Engine::plan`] hands the fast path: the pages to render, the loader's diagnostics
/// of their files, and after a catalog edit the transform stage's new diagnostics.
struct Work {
    pages: Vec<PageId>,
    parse_diags: Diagnostics,
    transform_diags: Option<Vec<Diagnostic>>,
    /// After a catalog edit, the wall time of the transform stage's parts.
    transform_parts: Vec<(&'static str, Duration)>,
}

/// Canonical folders of the project, for sorting out watcher events.
#[derive(Debug, Clone, Default)]
struct Dirs {
    root: PathBuf,
    src: Option<PathBuf>,
    build: Option<PathBuf>,
    config: Option<PathBuf>,
    extra: Vec<PathBuf>,
}

/// How one changed path is handled.
#[derive(Debug, PartialEq, Eq)]
enum Change {
    Ignore,
    Full,
    Page(PageId),
    Copy(Vec<String>, String),
}

impl Engine {
    /// An engine for the project `opts.dir`; nothing is built until [`Engine::full`].
    pub fn new(opts: BuildOptions) -> Engine {
        let root = canonical(&opts.dir);
        Engine {
            opts,
            state: None,
            snapshot: Arc::new(Snapshot::placeholder()),
            diagnostics: Arc::default(),
            broken: true,
            dirs: Dirs {
                root,
                ..Dirs::default()
            },
            user_build: None,
            search_generation: 0,
            search_export: Arc::default(),
        }
    }

    /// The site currently served.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(&self.snapshot)
    }

    /// The diagnostics of the latest build.
    pub fn diagnostics(&self) -> Arc<Vec<Diagnostic>> {
        Arc::clone(&self.diagnostics)
    }

    /// Folders to watch, with `true` for recursive: the project root (for `book.toml`), the
    /// content, `themes/` and `static/` folders, and the folders of `additional-css/js`.
    /// Before the first good build, the whole root.
    pub fn watch_roots(&self) -> Vec<(PathBuf, bool)> {
        let Some(state) = &self.state else {
            return vec![(self.dirs.root.clone(), true)];
        };
        let root = &self.dirs.root;
        let mut out: Vec<(PathBuf, bool)> = Vec::new();
        let src = self.dirs.src.clone().unwrap_or_else(|| root.clone());
        out.push((root.clone(), src == *root));
        if src != *root {
            out.push((src, true));
        }
        for d in ["themes", "static"] {
            let p = root.join(d);
            if p.is_dir() {
                out.push((p, true));
            }
        }
        let c = &state.site.config;
        for p in c.html.additional_css.iter().chain(&c.html.additional_js) {
            if let Some(parent) = canonical(&c.root.join(p)).parent() {
                out.push((parent.to_path_buf(), false));
            }
        }
        let mut roots: Vec<(PathBuf, bool)> = Vec::new();
        for (p, rec) in out {
            if roots
                .iter()
                .any(|(q, r)| (*r && p.starts_with(q)) || (*q == p && *r == rec))
            {
                continue;
            }
            if rec {
                roots.retain(|(q, _)| !q.starts_with(&p));
            }
            roots.push((p, rec));
        }
        roots
    }

    /// Runs the whole pipeline.
    pub fn full(&mut self) -> Outcome {
        let start = Instant::now();
        let diags = Diagnostics::new();
        let mut report = BuildReport::default();
        // `serve` never writes the build folder, so a folder that `build` would refuse to
        // replace (mdBook's `book/`, say) must not stop it: render as if for another one.
        let mut opts = self.opts.clone();
        if let Ok(config) = Config::load(&opts.dir, &Diagnostics::new()) {
            let dest = config.build_dir();
            self.user_build = Some(canonical(&dest));
            if opts.dest.is_none() && check_destination(&dest, &config.src_dir()).is_err() {
                opts.dest = Some(std::env::temp_dir().join(format!(
                    ".skillsite-serve-{}-never-written",
                    std::process::id()
                )));
            }
        }
        let rendered = render_site(&opts, &diags, &mut report);
        // The theme again, for later fast rebuilds (render_site keeps its own to itself).
        let built = rendered.and_then(|r| match Theme::load(&r.site.config.root) {
            Ok(theme) => Some((r, theme)),
            Err(d) => {
                diags.push(d);
                None
            }
        });
        let Some((rendered, theme)) = built else {
            return self.finish(diags, None, true, 0, start);
        };
        let config = &rendered.site.config;
        let roots = vec![config.root.clone(), config.src_dir()];
        let mut state = State::new(rendered.site, theme, &rendered.files);
        state.search_docs = rendered.search_docs;
        state.transform_diags = rendered.transform_diagnostics;
        state.anchor_ids = rendered.anchor_ids;
        let (snapshot, warnings) = Snapshot::new(rendered.files, &roots);
        for w in warnings {
            diags.push(w);
        }
        if diags.has_errors() && self.state.is_some() {
            // Keep serving the last good site.
            return self.finish(diags, None, true, report.pages, start);
        }
        self.dirs = Dirs::of(&state.site, &self.opts.dir);
        self.state = Some(state);
        // Its search files are current: an export still running is stale.
        self.search_generation += 1;
        self.finish(
            diags,
            Some(Update::Full(snapshot)),
            true,
            report.pages,
            start,
        )
    }

    /// Brings the static search index up to date after a fast rebuild, in the calling thread:
    /// [`Engine::search_job`], [`SearchJob::run`] and [`Engine::apply_search`] in one call.
    /// Returns the snapshot to serve from now on, or `None` when nothing was pending.
    pub fn settle(&mut self) -> Option<Arc<Snapshot>> {
        let job = self.search_job()?;
        self.apply_search(job.run())
    }

    /// The export of the static search files that a fast rebuild left pending, or `None`.
    ///
    /// A fast rebuild sends its reload as soon as the pages are rendered and leaves the
    /// export (the changed pages re-indexed, the changed files made again: [`SearchJob::run`])
    /// to a job that the
    /// rebuild loop runs on a thread of its own, so that the next edit is not queued behind
    /// it. The job holds a copy of the search documents; [`Engine::apply_search`] takes its
    /// result only if no rebuild changed the documents since. The search files are not
    /// reloaded in browsers (the search box reads them on its next query).
    pub fn search_job(&mut self) -> Option<SearchJob> {
        let state = self.state.as_mut()?;
        if !std::mem::take(&mut state.search_pending) {
            return None;
        }
        Some(SearchJob {
            generation: self.search_generation,
            docs: state.search_docs.clone(),
            last: Arc::clone(&self.search_export),
        })
    }

    /// Puts an export's search files into the served site. `None` (nothing to serve anew)
    /// when the export failed, with a warning, or when a rebuild since changed the search
    /// documents: that rebuild left a newer job pending, or (a full rebuild) wrote the
    /// search files itself.
    pub fn apply_search(&mut self, export: SearchExport) -> Option<Arc<Snapshot>> {
        if export.generation != self.search_generation {
            return None;
        }
        match export.files {
            Ok(files) => {
                // The export is the whole of the index: files of an earlier one that it no
                // longer has (fewer shards) go.
                let (snapshot, _, warnings) = self.snapshot.replacing_search(files);
                for w in warnings {
                    eprintln!("{w}");
                }
                self.snapshot = Arc::new(snapshot);
                Some(Arc::clone(&self.snapshot))
            }
            Err(e) => {
                eprintln!("warning[search-index]: cannot update the search index: {e}");
                None
            }
        }
    }

    /// Whether `paths` would make the whole pipeline run (a file added or removed,
    /// `book.toml`, a template...), or the last build failed.
    pub fn needs_everything(&self, paths: &[PathBuf]) -> bool {
        let mut changes = paths
            .iter()
            .map(|p| self.classify(p))
            .filter(|c| *c != Change::Ignore)
            .peekable();
        changes.peek().is_some()
            && (self.broken || self.state.is_none() || changes.any(|c| c == Change::Full))
    }

    /// Handles a batch of changed paths (absolute, as the watcher reports them). `None` when
    /// none of them matters to the site.
    pub fn changed(&mut self, paths: &[PathBuf]) -> Option<Outcome> {
        let changes: Vec<Change> = paths
            .iter()
            .map(|p| self.classify(p))
            .filter(|c| *c != Change::Ignore)
            .collect();
        if changes.is_empty() {
            return None;
        }
        if self.broken || self.state.is_none() || changes.contains(&Change::Full) {
            let mut out = self.full();
            if out.snapshot.is_some() {
                out.changed.extend(
                    changes
                        .into_iter()
                        .filter_map(|c| {
                            if let Change::Copy(served, _) = c {
                                Some(served)
                            } else {
                                None
                            }
                        })
                        .flatten(),
                );
                out.changed.sort();
                out.changed.dedup();
            }
            return Some(out);
        }
        let mut pages = BTreeSet::new();
        let mut touched = Vec::new();
        let mut names = Vec::new();
        for c in changes {
            match c {
                Change::Page(id) => {
                    pages.insert(id);
                }
                Change::Copy(served, name) => {
                    touched.extend(served);
                    names.push(name);
                }
                Change::Ignore | Change::Full => {}
            }
        }
        let out = self
            .fast(pages, touched, names)
            .unwrap_or_else(|| self.full());
        // Nothing changed after all (the file was written with the same text): say nothing.
        (out.full || out.pages > 0 || !out.changed.is_empty() || out.snapshot.is_some())
            .then_some(out)
    }

    /// The fast path; `None` when the change turns out to need the whole pipeline.
    fn fast(
        &mut self,
        pages: BTreeSet<PageId>,
        touched: Vec<String>,
        names: Vec<String>,
    ) -> Option<Outcome> {
        let start = Instant::now();
        let state = self.state.as_mut()?;
        let mut phases: Vec<(&'static str, Duration)> = Vec::new();
        let mut lap = Instant::now();
        let mut phase = |phases: &mut Vec<_>, name: &'static str| {
            phases.push((name, lap.elapsed()));
            lap = Instant::now();
        };
        let Some(work) = Self::plan(state, pages, names, &self.diagnostics)? else {
            // Only copied files changed (they are read from disk on each request), or nothing.
            let diags = Diagnostics::new();
            for d in self.diagnostics.iter() {
                diags.push(d.clone());
            }
            let mut out = self.finish(diags, None, false, 0, start);
            out.changed = touched;
            out.changed.sort();
            return Some(out);
        };
        let Work {
            pages: ids,
            parse_diags,
            transform_diags,
            transform_parts,
        } = work;
        phase(&mut phases, "reload");
        phases.extend(transform_parts);

        // Render, and swap the diagnostics of the re-rendered files.
        let render_diags = Diagnostics::new();
        let known =
            (state.anchor_ids.len() == state.site.pages.len()).then_some(&state.anchor_ids[..]);
        let (mut files, bodies) =
            render_pages_with_bodies(&state.site, &state.theme, &ids, known, &render_diags);
        if known.is_some() {
            for &id in &ids {
                if let Some(b) = bodies.get(id).and_then(Option::as_ref) {
                    state.anchor_ids[id] = Some(b.ids.clone());
                }
            }
        }
        // Search: the re-rendered pages' documents change, and so do the static index files.
        let pages_rendered = files.len();
        let mut reindex = false;
        for &id in &ids {
            let Some(body) = bodies.get(id).and_then(Option::as_ref) else {
                continue;
            };
            if let Some(doc) = state.search_docs.iter_mut().find(|d| d.page == Some(id)) {
                *doc = crate::index::page_search_doc(&state.site, id, body);
                reindex = true;
            }
        }
        // The static search files are exported again by a `search_job`, after the reload is out.
        state.search_pending |= reindex;
        if reindex {
            self.search_generation += 1;
        }
        phase(&mut phases, "render");
        // After a catalog edit, the site-wide files made from the catalog
        // (`render::catalog_outputs`; their diagnostics replace the previous ones).
        let agent_diags = Diagnostics::new();
        if transform_diags.is_some() {
            let agent = crate::render::catalog_outputs(&state.site, &state.theme, &agent_diags);
            // The snapshot only replaces files: a file of the agent indexes or of the catalog's
            // further pages added or gone (a skill left out now, say) takes the whole pipeline.
            let listed = |p: &str| p.starts_with(".well-known/") || p.starts_with("catalog/");
            let before: BTreeSet<&str> = self
                .snapshot
                .files
                .keys()
                .map(String::as_str)
                .filter(|p| listed(p))
                .collect();
            let after: BTreeSet<&str> = agent
                .iter()
                .map(OutFile::path)
                .filter(|p| listed(p))
                .collect();
            if before != after {
                return None;
            }
            files.extend(agent);
            phase(&mut phases, "catalog files");
        }
        let src = state.site.config.src_dir();
        let own: HashSet<PathBuf> = ids
            .iter()
            .filter_map(|&id| state.site.pages[id].source.as_deref())
            .map(|s| clean(&src.join(s)))
            .collect();
        let diags = Diagnostics::new();
        // A catalog edit replaces every diagnostic of the transform stage and of the agent
        // files, whatever file it is about.
        let replaced = |d: &Diagnostic| {
            transform_diags.is_some()
                && (d.rule == crate::render::agent_files::RULE || state.transform_diags.contains(d))
        };
        for d in self
            .diagnostics
            .iter()
            .filter(|d| !d.file.as_ref().is_some_and(|f| own.contains(f)) && !replaced(d))
        {
            diags.push(d.clone());
        }
        for d in parse_diags
            .sorted()
            .into_iter()
            .chain(render_diags.sorted())
            .chain(agent_diags.sorted())
        {
            diags.push(d);
        }
        if let Some(t) = transform_diags {
            for d in &t {
                diags.push(d.clone());
            }
            state.transform_diags = t;
        }
        if diags.has_errors() {
            return Some(self.finish(diags, None, false, pages_rendered, start));
        }
        let (snapshot, mut changed, warnings) = self.snapshot.with(files);
        changed.retain(|p| !is_search_data(p));
        for w in warnings {
            diags.push(w);
        }
        changed.extend(touched);
        changed.sort();
        changed.dedup();
        phase(&mut phases, "snapshot");
        let mut out = self.finish(
            diags,
            Some(Update::Partial(snapshot)),
            false,
            pages_rendered,
            start,
        );
        out.changed = changed;
        phase(&mut phases, "publish");
        out.phases = phases;
        Some(out)
    }

    /// Reads the changed pages (and the pages including a changed file) again and puts them
    /// in place; when one of them feeds the catalog, runs the transform stage again
    /// ([`recatalog`]). Returns the pages to render with the loader's diagnostics for them;
    /// `Some(None)` when no page is affected; `None` when the whole pipeline must run (a
    /// title, weight or draft flag changed, a pack plan or the catalog's shape changed, or
    /// too many pages are affected).
    fn plan(
        state: &mut State,
        mut pages: BTreeSet<PageId>,
        mut names: Vec<String>,
        prior: &[Diagnostic],
    ) -> Option<Option<Work>> {
        let site = &state.site;
        // Pages that include a changed file, transitively through included Markdown.
        names.extend(pages.iter().filter_map(|&id| file_name(site, id)));
        let mut i = 0;
        while i < names.len() {
            for (&id, text) in &state.includers {
                if text.contains(&names[i]) && pages.insert(id) {
                    names.extend(file_name(site, id));
                }
            }
            i += 1;
        }
        if pages.is_empty() {
            return Some(None);
        }
        // Skills, pack pages, plugin agents/commands/styles and pack plans feed the catalog (pack tables, diagrams, used-by
        // links, catalog.json): the transform stage must run again, so take the full path.
        let catalog = &site.catalog;
        // The audit (also part of the transform stage) reads skill folders, agents and commands.
        let feeds_catalog = |id: PageId, p: &Page| {
            p.kind == crate::model::PageKind::Skill
                || catalog.pack_by_page(id).is_some()
                || catalog.component_by_page(id).is_some()
                || crate::transform::plan::parse(&p.body).is_some()
                || p.source
                    .as_deref()
                    .is_some_and(|s| crate::transform::audit::audits_page(site, s))
        };
        // A pack plan's sections are planned skills with search documents of their own: the
        // whole pipeline. Other catalog feeds take the catalog path (`recatalog`).
        let is_plan = |p: &Page| crate::transform::plan::parse(&p.body).is_some();
        let mut catalog_edit = false;
        for &id in &pages {
            if is_plan(&site.pages[id]) {
                return None;
            }
            catalog_edit |= feeds_catalog(id, &site.pages[id]);
        }
        let parse_diags = Diagnostics::new();
        let mut reparsed: Vec<(PageId, Page)> = Vec::new();
        let mut edited = BTreeSet::new();
        let mut render = BTreeSet::new();
        for &id in &pages {
            let diags = Diagnostics::new();
            let new = reparse(site, id, &diags)?;
            if new == site.pages[id] {
                // An event without a change: a second event for the same write, a `touch`.
                continue;
            }
            if is_plan(&new) {
                return None;
            }
            catalog_edit |= feeds_catalog(id, &new);
            for d in diags.sorted() {
                parse_diags.push(d);
            }
            if new.description != site.pages[id].description {
                render.insert(site.pages[id].parent.unwrap_or(0));
            }
            edited.insert(id);
            reparsed.push((id, new));
        }
        if edited.is_empty() {
            return Some(None);
        }
        let pages = edited;
        render.extend(pages.iter().copied());
        // Pages that link to an edited page check their anchors against its headings: they
        // are rendered again when its headings (or anything else that can make an id) moved.
        let moved: BTreeSet<PageId> = reparsed
            .iter()
            .filter(|(id, new)| anchor_lines(&site.pages[*id].body) != anchor_lines(&new.body))
            .map(|(id, _)| *id)
            .collect();
        if !moved.is_empty() {
            render.extend(Self::dependents(site, &moved)?);
        }
        if render.len() > MAX_FAST_PAGES {
            return None;
        }
        // Pages re-rendered for their dependencies are read again too, so that all of their
        // file's diagnostics can be replaced.
        // (A generated page, such as a folder's section page, has no file: rendered as it is.)
        for &id in render.difference(&pages) {
            if site.pages[id].source.is_some() {
                reparsed.push((id, reparse(site, id, &parse_diags)?));
            }
        }
        for (id, page) in reparsed {
            match read_source(&state.site, id).filter(|t| has_include(t)) {
                Some(text) => state.includers.insert(id, text),
                None => state.includers.remove(&id),
            };
            state.site.pages[id] = page;
        }
        let mut transform_parts = Vec::new();
        let transform_diags = if catalog_edit {
            // The loader's front-matter warnings after this edit: those of other files, and
            // the re-read files' new ones.
            let reread: HashSet<PathBuf> = render
                .iter()
                .filter_map(|&id| state.site.pages[id].source.as_deref())
                .map(|s| clean(&state.site.config.src_dir().join(s)))
                .collect();
            let front_matter: Vec<Diagnostic> = prior
                .iter()
                .filter(|d| d.rule == "front-matter")
                .filter(|d| !d.file.as_ref().is_some_and(|f| reread.contains(f)))
                .cloned()
                .chain(
                    parse_diags
                        .sorted()
                        .into_iter()
                        .filter(|d| d.rule == "front-matter"),
                )
                .collect();
            let (more, tdiags, parts) = recatalog(state, front_matter)?;
            transform_parts = parts.to_vec();
            let more: Vec<PageId> = more.difference(&render).copied().collect();
            if render.len() + more.len() > MAX_FAST_PAGES {
                return None;
            }
            // Their files did not change, but their diagnostics are replaced with the
            // re-rendered pages': read them again for those (the pages themselves stay, as
            // the transform stage left them).
            for &id in &more {
                if state.site.pages[id].source.is_some() {
                    reparse(&state.site, id, &parse_diags)?;
                }
            }
            render.extend(more);
            Some(tdiags)
        } else {
            None
        };
        Some(Some(Work {
            pages: render.into_iter().collect(),
            parse_diags,
            transform_diags,
            transform_parts,
        }))
    }

    /// Pages to re-render, besides the edited ones, when `edited` change without touching
    /// the navigation: the pages that link to them (their anchor checks depend on the
    /// edited pages' headings). The edited pages' parents, whose child lists show
    /// descriptions, are added by the caller when a description changed. `None` when too
    /// many pages depend on them for the fast path to pay off.
    ///
    /// This is the one place that knows what a page's output depends on: a stage that makes
    /// pages show other pages' content must add its rule here.
    fn dependents(site: &Site, edited: &BTreeSet<PageId>) -> Option<BTreeSet<PageId>> {
        let needles: Vec<String> = edited
            .iter()
            .filter_map(|&id| link_needle(site, id))
            .collect();
        let out: BTreeSet<PageId> = site
            .pages
            .par_iter()
            .enumerate()
            .filter(|(id, p)| {
                !edited.contains(id)
                    && p.source.is_some()
                    && !p.draft
                    && needles.iter().any(|n| p.body.contains(n.as_str()))
            })
            .map(|(id, _)| id)
            .collect();
        (out.len() <= MAX_FAST_PAGES).then_some(out)
    }

    /// Sorts out one path reported by the watcher.
    fn classify(&self, path: &Path) -> Change {
        let d = &self.dirs;
        let under = |base: &Path| path.strip_prefix(base).ok().map(|r| r.to_path_buf());
        // The project or content folder itself: the watcher lost track (a queue overflow,
        // `watch::Watcher::new`) or the folder was replaced.
        if path == d.root || d.src.as_deref() == Some(path) {
            return Change::Full;
        }
        if ignored_name(path) {
            return Change::Ignore;
        }
        if d.build
            .iter()
            .chain(&self.user_build)
            .any(|b| path.starts_with(b))
        {
            return Change::Ignore;
        }
        // Manifests feed the catalog (pack names, skill.json skills) and the audit (hooks, MCP
        // servers): rebuild it all.
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        if crate::load::manifests::MANIFEST_NAMES.contains(&name.as_ref()) {
            return Change::Full;
        }
        // A path discovery does not read (hidden files, `.git`, `node_modules`, hidden
        // folders other than agents' skill folders): the one rule, `is_content_path`.
        if let Some(rel) = d.src.as_deref().and_then(under).or_else(|| under(&d.root)) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            if !crate::load::discover::is_content_path(&rel, path.is_dir()) {
                return Change::Ignore;
            }
        }
        if Some(path) == d.config.as_deref() || path == d.root.join("book.toml") {
            return Change::Full;
        }
        let Some(state) = &self.state else {
            return Change::Full;
        };
        if path.starts_with(d.root.join("themes")) {
            return Change::Full;
        }
        let src = d.src.as_deref().unwrap_or(&d.root);
        if path == src.join("SUMMARY.md") {
            return Change::Full;
        }
        if path.is_file() {
            if let Ok(real) = std::fs::canonicalize(path) {
                if let Some(&id) = state.pages_by_real.get(&real) {
                    return Change::Page(id);
                }
                if let Some(served) = state.copies_by_real.get(&real) {
                    // A file of a skill folder or a pack's agents/commands: the audit reads it
                    // (scripts, for instance), and skill pages show what it found.
                    if served
                        .iter()
                        .any(|s| crate::transform::audit::audits_page(&state.site, s))
                    {
                        return Change::Full;
                    }
                    let name = path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    return Change::Copy(served.clone(), name);
                }
            }
        }
        let in_site_dirs = path.starts_with(src)
            || path.starts_with(d.root.join("static"))
            || d.extra.iter().any(|e| path == e);
        if path.exists() {
            // Added (or a folder): part of the site if it is in the site's folders.
            return if in_site_dirs {
                Change::Full
            } else {
                Change::Ignore
            };
        }
        // Gone: matters only when it was part of the site (or a folder holding some of it);
        // an editor's temporary file, created and removed within one batch, does not.
        let real = path
            .parent()
            .map(canonical)
            .zip(path.file_name())
            .map(|(p, n)| p.join(n));
        let was = |p: &Path| {
            state
                .pages_by_real
                .keys()
                .chain(state.copies_by_real.keys())
                .any(|k| k.starts_with(p))
        };
        if state.copies_abs.contains(path)
            || was(path)
            || real.as_deref().is_some_and(was)
            || path == src
            || path == d.root.join("static")
        {
            Change::Full
        } else {
            Change::Ignore
        }
    }

    fn finish(
        &mut self,
        diags: Diagnostics,
        update: Option<Update>,
        full: bool,
        pages: usize,
        start: Instant,
    ) -> Outcome {
        // A partial rebuild's own diagnostics get the lint levels of the site it updates (a full
        // rebuild got them from `render_site`, from the book.toml it read).
        if let (false, Some(state)) = (full, &self.state) {
            diags.set_levels(crate::model::lints::severities(
                crate::model::lints::Mode::Build,
                &state.site.config.skillsite.lints,
            ));
        }
        let failed = update.is_none() && diags.has_errors() || (full && update.is_none());
        let list = diags.sorted();
        let previous: HashSet<String> = self.diagnostics.iter().map(ToString::to_string).collect();
        let new_diagnostics: Vec<Diagnostic> = list
            .iter()
            .filter(|d| !previous.contains(&d.to_string()))
            .cloned()
            .collect();
        self.diagnostics = Arc::new(list);
        self.broken = failed
            || self
                .diagnostics
                .iter()
                .any(|d| d.severity == Severity::Error);
        let mut changed = Vec::new();
        let snapshot = match update {
            Some(Update::Full(s)) => {
                changed = self.snapshot.diff(&s);
                changed.retain(|p| !is_search_data(p));
                Some(s)
            }
            Some(Update::Partial(s)) => Some(s),
            None => None,
        }
        .map(|s| {
            let s = Arc::new(s);
            self.snapshot = Arc::clone(&s);
            s
        });
        Outcome {
            snapshot,
            changed,
            diagnostics: Arc::clone(&self.diagnostics),
            new_diagnostics,
            failed,
            full,
            pages,
            elapsed: start.elapsed(),
            phases: Vec::new(),
        }
    }
}

/// Files of the static search index: they change with any text, but no page shows them, so
/// they are not announced for reload (the search box reads the new ones on its next load).
fn is_search_data(path: &str) -> bool {
    path.starts_with("search/") && path.ends_with(".js")
}

enum Update {
    Full(Snapshot),
    Partial(Snapshot),
}

impl State {
    fn new(site: Site, theme: Theme, files: &[OutFile]) -> State {
        let src = site.config.src_dir();
        let pages_by_real = site
            .pages
            .iter()
            .enumerate()
            .filter_map(|(id, p)| {
                Some((
                    std::fs::canonicalize(src.join(p.source.as_deref()?)).ok()?,
                    id,
                ))
            })
            .collect();
        let mut copies_by_real: HashMap<PathBuf, Vec<String>> = HashMap::new();
        let mut copies_abs = HashSet::new();
        for f in files {
            if let OutFile::Copy(to, from) = f {
                copies_abs.insert(std::path::absolute(from).unwrap_or_else(|_| from.clone()));
                if let Ok(real) = std::fs::canonicalize(from) {
                    copies_by_real.entry(real).or_default().push(to.clone());
                }
            }
        }
        let includers = (0..site.pages.len())
            .into_par_iter()
            .filter_map(|id| {
                read_source(&site, id)
                    .filter(|t| has_include(t))
                    .map(|t| (id, t))
            })
            .collect();
        State {
            site,
            theme,
            pages_by_real,
            copies_by_real,
            copies_abs,
            includers,
            search_docs: Vec::new(),
            anchor_ids: Vec::new(),
            transform_diags: Vec::new(),
            search_pending: false,
            audit_cache: Default::default(),
        }
    }
}

impl Dirs {
    fn of(site: &Site, dir: &Path) -> Dirs {
        let c = &site.config;
        Dirs {
            root: canonical(dir),
            src: Some(canonical(&c.src_dir())),
            build: Some(canonical(&c.build_dir())),
            config: c.file.as_deref().map(canonical),
            extra: c
                .html
                .additional_css
                .iter()
                .chain(&c.html.additional_js)
                .map(|p| canonical(&c.root.join(p)))
                .collect(),
        }
    }
}

/// Reads page `id` again and carries over what the structure stage set (url, kind, number,
/// parent, title). `None` when the page cannot be updated in place: unreadable or binary,
/// or its title, weight or draft flag changed.
fn reparse(site: &Site, id: PageId, diags: &Diagnostics) -> Option<Page> {
    let old = &site.pages[id];
    let source = old.source.clone()?;
    let abs = site.config.src_dir().join(&source);
    let bytes = std::fs::read(&abs).ok()?;
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return None;
    }
    let new = parse_page(&bytes, source, &abs, diags);
    let key = |p: &Page, title: String| {
        (
            title,
            p.front_matter.contains_key("title"),
            p.head_title.clone(),
            p.weight,
            p.draft,
        )
    };
    if key(&new, new.title.clone()) != key(old, parsed_title(old)) {
        return None;
    }
    // Pages of one folder with the same content are one page (`load::structure`): a page
    // merged with others, or one that now matches another, changes the navigation.
    if !old.aliases.is_empty() || has_twin(site, id, &new) {
        return None;
    }
    Some(Page {
        url: old.url.clone(),
        kind: old.kind,
        title: old.title.clone(),
        number: old.number.clone(),
        parent: old.parent,
        ..new
    })
}

/// Whether another page of `id`'s folder has `new`'s content (see [`reparse`]).
fn has_twin(site: &Site, id: PageId, new: &Page) -> bool {
    fn dir(p: &Page) -> Option<&str> {
        let s = p.source.as_deref()?;
        Some(s.rsplit_once('/').map_or("", |(d, _)| d))
    }
    !new.body.trim().is_empty()
        && site.pages.iter().enumerate().any(|(i, p)| {
            i != id
                && p.source.is_some()
                && dir(p) == dir(new)
                && p.body == new.body
                && p.front_matter == new.front_matter
        })
}

/// After pages that feed the catalog were edited and put in place: runs the transform stage
/// (catalog, lints, audit) again on the whole site, which is fast (72 ms at 1,000 skills,
/// docs/benchmarks.md), and says which pages show what changed. Returns those pages and the
/// stage's diagnostics; `None` when the catalog's shape changed (a skill or pack added,
/// removed or renamed, moved to another pack, a planned skill changed, a pack title, the
/// audit of the site itself), which the whole pipeline handles.
///
/// The pages: of every pack with a changed skill entry, audit or pack entry, its page, its skills'
/// pages and its agents', commands' and output styles' pages; the pages of skills linked to
/// a changed skill (dependencies, cross-references and used-by lists, before and after); the
/// catalog page; and the marketplace pages (their plugin cards). This is the one place that
/// knows which pages show catalog data: a template that shows more must add its rule here
/// (`fast_path_matches_a_fresh_build` compares every byte with a fresh build).
fn recatalog(
    state: &mut State,
    front_matter: Vec<Diagnostic>,
) -> Option<(
    BTreeSet<PageId>,
    Vec<Diagnostic>,
    crate::transform::PartTimes,
)> {
    use crate::model::audit::Owner;
    let old = std::mem::take(&mut state.site.catalog);
    let old_audit = std::mem::take(&mut state.site.audit);
    let diags = Diagnostics::new();
    diags.set_levels(crate::model::lints::severities(
        crate::model::lints::Mode::Build,
        &state.site.config.skillsite.lints,
    ));
    // The lints skip what the loader already reported (a skill whose front matter does not
    // parse): they see the loader's current front-matter warnings, as in a build.
    for d in front_matter {
        diags.push(d);
    }
    let mark = diags.len();
    let catalog_page = state
        .site
        .pages
        .iter()
        .position(|p| p.kind == crate::model::PageKind::Catalog && p.source.is_none());
    let catalog_description = catalog_page.map(|i| state.site.pages[i].description.clone());
    let parts = crate::transform::transform_with(
        &mut state.site,
        &diags,
        false,
        Some(&mut state.audit_cache),
    );
    let site = &state.site;
    let new = &site.catalog;
    // The generated catalog page was added once and its description counts the skills.
    if catalog_page.map(|i| site.pages[i].description.clone()) != catalog_description {
        return None;
    }
    if old.packs.len() != new.packs.len() || old.skills.len() != new.skills.len() {
        return None;
    }
    let same_skill = |a: &crate::model::catalog::Skill, b: &crate::model::catalog::Skill| {
        a.name == b.name
            && a.pack == b.pack
            && a.page == b.page
            && a.folder == b.folder
            && a.planned == b.planned
            && a.anchor == b.anchor
            && (!a.planned || a == b)
    };
    if old
        .skills
        .iter()
        .zip(&new.skills)
        .any(|(a, b)| !same_skill(a, b))
    {
        return None;
    }
    if old
        .packs
        .iter()
        .zip(&new.packs)
        .any(|(a, b)| a.name != b.name || a.title != b.title || a.page != b.page)
    {
        return None;
    }
    // Changed skills: their catalog entry changed. (An edited page whose entry, edges and
    // audit findings did not change is rendered again as any edited page is; the pages that
    // show its entry — pack page, siblings, catalog — are the same as before.)
    let mut skills: BTreeSet<usize> = (0..new.skills.len())
        .filter(|&i| old.skills[i] != new.skills[i])
        .collect();
    let mut packs: BTreeSet<usize> = (0..new.packs.len())
        .filter(|&i| old.packs[i] != new.packs[i])
        .collect();
    // Audit entries that differ, by owner.
    let mut owners: Vec<Owner> = Vec::new();
    macro_rules! diff_owners {
        ($field:ident) => {
            for x in old_audit
                .$field
                .iter()
                .filter(|x| !site.audit.$field.contains(x))
            {
                owners.push(x.owner);
            }
            for x in site
                .audit
                .$field
                .iter()
                .filter(|x| !old_audit.$field.contains(x))
            {
                owners.push(x.owner);
            }
        };
    }
    diff_owners!(findings);
    diff_owners!(hooks);
    diff_owners!(mcp_servers);
    diff_owners!(scripts);
    for o in owners {
        match o {
            Owner::Skill(s) => {
                skills.insert(s);
            }
            Owner::Pack(p) => {
                packs.insert(p);
            }
            Owner::Site => return None,
        }
    }
    // Edges that changed, and every edge of a changed skill: both ends.
    let mut linked: BTreeSet<usize> = BTreeSet::new();
    for e in old.edges.iter().chain(&new.edges) {
        let changed = !old.edges.contains(e) || !new.edges.contains(e);
        if changed || skills.contains(&e.from) || skills.contains(&e.to) {
            linked.insert(e.from);
            linked.insert(e.to);
        }
    }
    packs.extend(skills.iter().map(|&s| new.skills[s].pack));
    let mut out: BTreeSet<PageId> = BTreeSet::new();
    for s in skills.iter().chain(&linked) {
        out.extend(new.skills[*s].page);
    }
    for &p in &packs {
        let pack = &new.packs[p];
        out.extend(pack.page);
        out.extend(
            new.skills
                .iter()
                .filter(|s| s.pack == p)
                .filter_map(|s| s.page),
        );
        let c = &pack.components;
        out.extend(c.agents.iter().filter_map(|a| a.page));
        out.extend(c.commands.iter().filter_map(|a| a.page));
        out.extend(c.output_styles.iter().filter_map(|a| a.page));
    }
    // The catalog page and the marketplace pages show the entries, edges and audit badges:
    // unchanged when none of those changed (a skill's body edited, say).
    if !(skills.is_empty() && packs.is_empty() && linked.is_empty()) {
        out.extend(catalog_page);
        out.extend(
            (0..site.pages.len())
                .filter(|&id| !crate::render::catalog_pages::marketplaces_on(site, id).is_empty()),
        );
    }
    Some((out, diags.since(mark), parts))
}

/// The lines of a Markdown body that can give an anchor id, in order: every line with a `#`
/// (ATX headings, also in block quotes and list items; heading attributes `{#id}`), setext
/// headings (the underline, also after `>`, and the line above it), and HTML that can carry
/// an `id` or `name` (any line with `id=`, `name=` or `<h`, in any case). Two bodies with the
/// same lines have the same ids; the test over-approximates (a shell comment counts), which
/// only costs a re-render.
fn anchor_lines(body: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut prev = "";
    for line in body.lines() {
        let t = line.trim().trim_start_matches(['>', ' ', '\t']);
        let setext =
            !t.is_empty() && (t.bytes().all(|b| b == b'=') || t.bytes().all(|b| b == b'-'));
        if setext {
            out.push(prev);
        }
        let html = (line.contains('=') || line.contains('<')) && {
            let lower = line.to_ascii_lowercase();
            lower.contains("id=") || lower.contains("name=") || lower.contains("<h")
        };
        if setext || html || line.contains('#') {
            out.push(line);
        }
        prev = line;
    }
    out
}

/// The title the loader gave `p` from its file (`load::discover::loaded_title`, the one rule).
fn parsed_title(p: &Page) -> String {
    crate::load::discover::loaded_title(p.source.as_deref().unwrap_or(""), &p.front_matter, &p.body)
}

fn read_source(site: &Site, id: PageId) -> Option<String> {
    let source = site.pages[id].source.as_deref()?;
    std::fs::read_to_string(site.config.src_dir().join(source)).ok()
}

fn has_include(text: &str) -> bool {
    text.contains("{{#include") || text.contains("{{#rustdoc_include")
}

/// The file name of page `id`'s source (`guide.md`).
fn file_name(site: &Site, id: PageId) -> Option<String> {
    site.pages[id]
        .source
        .as_deref()
        .map(|s| s.rsplit('/').next().unwrap_or(s).to_string())
}

/// What a link to page `id` must contain: its file name, or for a folder's page
/// (`README.md`, `index.md`, `SKILL.md`) the folder's name, since links may name the folder.
fn link_needle(site: &Site, id: PageId) -> Option<String> {
    let source = site.pages[id].source.as_deref()?;
    let (dir, name) = source.rsplit_once('/').unwrap_or(("", source));
    let index = ["readme.md", "index.md", "_index.md", "skill.md"]
        .contains(&name.to_ascii_lowercase().as_str());
    Some(if index && !dir.is_empty() {
        dir.rsplit('/').next().unwrap_or(dir).to_string()
    } else {
        name.to_string()
    })
}

/// Editor and system temporary files that never become part of the site.
fn ignored_name(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return false;
    };
    name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swx", ".swo", ".tmp", ".crdownload"]
            .iter()
            .any(|e| name.ends_with(e))
        || name == "4913"
}

/// The canonical form of `p`, or `p` made absolute when it does not exist.
fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p)
        .unwrap_or_else(|_| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()))
}

/// `path` relative to the current folder when below it, for messages.
pub fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().ok().map(|c| canonical(&c));
    match cwd.and_then(|c| {
        path.strip_prefix(c)
            .ok()
            .map(|r| rel_path(Path::new(""), r))
    }) {
        Some(r) if !r.is_empty() => r,
        _ => path.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A copy of `tests/fixtures/NAME` in a temporary folder, and an engine built on it.
    fn project(name: &str) -> (tempfile::TempDir, PathBuf, Engine) {
        let tmp = tempfile::tempdir().unwrap();
        let dest = tmp.path().join(name);
        copy_dir(
            &PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(name),
            &dest,
        );
        let mut engine = Engine::new(BuildOptions {
            dir: dest.clone(),
            ..BuildOptions::default()
        });
        let first = engine.full();
        assert!(!first.failed, "{:?}", first.diagnostics);
        (tmp, dest, engine)
    }

    fn copy_dir(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                copy_dir(&e.path(), &to.join(e.file_name()));
            } else {
                std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    }

    /// Applies `edit`, reports `changed` to the engine, and checks that the result is what a
    /// build from scratch gives: same files, same bytes, same diagnostics.
    fn check(
        engine: &mut Engine,
        dir: &Path,
        changed: &[&str],
        expect_full: bool,
        edit: impl FnOnce(),
    ) -> Outcome {
        check_with(engine, dir, changed, Some(expect_full), edit)
    }

    fn check_with(
        engine: &mut Engine,
        dir: &Path,
        changed: &[&str],
        expect_full: Option<bool>,
        edit: impl FnOnce(),
    ) -> Outcome {
        edit();
        let paths: Vec<PathBuf> = changed.iter().map(|p| canonical(&dir.join(p))).collect();
        let out = engine.changed(&paths).expect("a relevant change");
        engine.settle();
        if let Some(full) = expect_full {
            assert_eq!(out.full, full, "full rebuild? changed {changed:?}");
        }
        let mut fresh = Engine::new(BuildOptions {
            dir: dir.to_path_buf(),
            ..BuildOptions::default()
        });
        let want = fresh.full();
        let (got_snap, want_snap) = (engine.snapshot(), fresh.snapshot());
        let mut keys: Vec<&String> = want_snap.files.keys().collect();
        keys.sort();
        let mut got_keys: Vec<&String> = got_snap.files.keys().collect();
        got_keys.sort();
        assert_eq!(got_keys, keys, "same files after {changed:?}");
        for k in keys {
            assert!(
                got_snap.files[k] == want_snap.files[k],
                "{k} differs from a fresh build after {changed:?}"
            );
        }
        assert_eq!(
            *out.diagnostics, *want.diagnostics,
            "diagnostics after {changed:?}"
        );
        out
    }

    /// [`check`], whichever path the engine takes.
    fn check_any(
        engine: &mut Engine,
        dir: &Path,
        changed: &[&str],
        edit: impl FnOnce(),
    ) -> Outcome {
        check_with(engine, dir, changed, None, edit)
    }

    fn append(path: PathBuf, text: &str) {
        let mut s = std::fs::read_to_string(&path).unwrap();
        s.push_str(text);
        std::fs::write(path, s).unwrap();
    }

    fn replace(path: PathBuf, from: &str, to: &str) {
        let s = std::fs::read_to_string(&path).unwrap();
        assert!(s.contains(from), "{from:?} in {}", path.display());
        std::fs::write(path, s.replacen(from, to, 1)).unwrap();
    }

    #[test]
    fn partial_rebuilds_apply_the_lint_levels() {
        let (_t, dir, mut e) = project("messy");
        append(
            dir.join("book.toml"),
            "\n[skillsite.lints]\nbroken-link = \"allow\"\nbroken-anchor = \"allow\"\n",
        );
        let first = e.full();
        assert!(!first.diagnostics.iter().any(|d| d.rule == "broken-link"));
        // A new broken link in one page: the fast path, and still not reported.
        let out = check(&mut e, &dir, &["content/docs/colon.md"], false, || {
            append(dir.join("content/docs/colon.md"), "\n[gone](nowhere.md)\n")
        });
        assert!(
            !out.diagnostics.iter().any(|d| d.rule == "broken-link"),
            "{:?}",
            out.diagnostics
        );
    }

    #[test]
    fn anchor_lines_see_every_kind_of_heading() {
        let base = "Intro.\n\n## Setup\n\nText.\n";
        assert_eq!(
            anchor_lines(base),
            anchor_lines(&format!("{base}\nMore text.\n"))
        );
        for edit in [
            "\n### New\n",
            "\n> ## Quoted\n",
            "\n- ## In a list\n",
            "\nSetext\n======\n",
            "\n> Quoted setext\n> ---\n",
            "\n<H2 ID=\"x\">Raw</H2>\n",
            "\n<a name=\"old\"></a>\n",
            "\nA paragraph {#custom}\n",
        ] {
            assert_ne!(
                anchor_lines(base),
                anchor_lines(&format!("{base}{edit}")),
                "{edit:?}"
            );
        }
    }

    #[test]
    fn a_stale_search_export_is_dropped() {
        let (_t, dir, mut e) = project("messy");
        let page = dir.join("content/docs/colon.md");
        let paths = [canonical(&page)];
        let search_files = |e: &Engine| {
            let snap = e.snapshot();
            let mut v: Vec<(String, crate::serve::snapshot::Served)> = snap
                .files
                .iter()
                .filter(|(p, _)| is_search_data(p))
                .map(|(p, f)| (p.clone(), f.clone()))
                .collect();
            v.sort_by(|a, b| a.0.cmp(&b.0));
            v
        };
        let before = search_files(&e);
        append(page.clone(), "\nZanzibarword appears once.\n");
        assert!(!e.changed(&paths).unwrap().full);
        let first = e.search_job().expect("an export is pending");
        assert!(e.search_job().is_none(), "one job per pending export");
        // A second edit before the first export is applied: the first is stale.
        append(page.clone(), "\nQuokkaword appears once.\n");
        assert!(!e.changed(&paths).unwrap().full);
        assert!(e.apply_search(first.run()).is_none());
        assert_eq!(
            search_files(&e),
            before,
            "a stale export changed the served files"
        );
        // The newer job brings the search files up to date, as a fresh build has them.
        let second = e
            .search_job()
            .expect("the second edit left an export pending");
        assert!(e.apply_search(second.run()).is_some());
        let mut fresh = Engine::new(BuildOptions {
            dir: dir.clone(),
            ..BuildOptions::default()
        });
        fresh.full();
        assert_eq!(search_files(&e), search_files(&fresh));
        assert_ne!(search_files(&e), before);
    }

    #[test]
    fn fast_path_matches_a_fresh_build() {
        let (_t, dir, mut e) = project("messy");
        let c = dir.join("content");

        // A body edit: only that page.
        let out = check(&mut e, &dir, &["content/docs/colon.md"], false, || {
            append(c.join("docs/colon.md"), "\nA new paragraph.\n")
        });
        assert_eq!(out.changed, vec!["docs/colon.html"]);

        // A new heading that a link elsewhere points at: the linking page's warning goes.
        let out = check(&mut e, &dir, &["content/docs/guide.md"], false, || {
            append(c.join("docs/guide.md"), "\n## No such heading\n")
        });
        assert!(
            out.diagnostics.iter().all(|d| d.rule != "broken-anchor"),
            "{:?}",
            out.diagnostics
        );
        // The linking page edited next checks its anchor against the ids guide.md has now
        // (kept from its last render, not rendered again): still no warning.
        let out = check(&mut e, &dir, &["content/README.md"], false, || {
            append(c.join("README.md"), "\nAnother paragraph.\n")
        });
        assert_eq!(out.pages, 1, "only the edited page is rendered");
        assert!(
            out.diagnostics.iter().all(|d| d.rule != "broken-anchor"),
            "{:?}",
            out.diagnostics
        );
        // The heading goes again: the warning comes back (on guide.md's re-render of its
        // dependents), and stays after another edit of the linking page.
        check(&mut e, &dir, &["content/docs/guide.md"], false, || {
            replace(c.join("docs/guide.md"), "\n## No such heading\n", "\n")
        });
        let out = check(&mut e, &dir, &["content/README.md"], false, || {
            append(c.join("README.md"), "\nA third paragraph.\n")
        });
        assert!(
            out.diagnostics.iter().any(|d| d.rule == "broken-anchor"),
            "{:?}",
            out.diagnostics
        );

        // A skill's description shows in its pack's tables and the catalog: the catalog path
        // runs the transform stage again and re-renders the pages that show it.
        let out = check(
            &mut e,
            &dir,
            &["content/pack/good-skill/SKILL.md"],
            false,
            || {
                replace(
                    c.join("pack/good-skill/SKILL.md"),
                    "Use when testing block scalars",
                    "Use when checking serve",
                );
            },
        );
        assert!(
            out.changed.contains(&"pack/index.html".to_string()),
            "{:?}",
            out.changed
        );

        // Bad YAML: a warning with its line, the page still built; then fixed again.
        let good = std::fs::read_to_string(c.join("docs/colon.md")).unwrap();
        // (The metadata is lost, and with it the title: the navigation changes.)
        let out = check(&mut e, &dir, &["content/docs/colon.md"], true, || {
            std::fs::write(
                c.join("docs/colon.md"),
                good.replacen("title:", "title: [unclosed\nx:", 1),
            )
            .unwrap()
        });
        assert!(
            out.new_diagnostics
                .iter()
                .any(|d| d.rule == "front-matter" && d.line.is_some()),
            "{:?}",
            out.new_diagnostics
        );
        check(&mut e, &dir, &["content/docs/colon.md"], true, || {
            std::fs::write(c.join("docs/colon.md"), &good).unwrap()
        });
        // Bad YAML in a key that is not the title (of a skill: the full path, see above).
        let out = check(
            &mut e,
            &dir,
            &["content/pack/good-skill/SKILL.md"],
            true,
            || {
                replace(
                    c.join("pack/good-skill/SKILL.md"),
                    "name: good-skill",
                    "name: good-skill\ntags: [a, b",
                );
            },
        );
        assert!(
            out.new_diagnostics.iter().any(|d| d.rule == "front-matter"),
            "{:?}",
            out.new_diagnostics
        );

        // A title is in every page's navigation: everything.
        check(&mut e, &dir, &["content/docs/guide.md"], true, || {
            replace(
                c.join("docs/guide.md"),
                "title: The guide",
                "title: The renamed guide",
            )
        });

        // A copied file: nothing to render, the browser is told.
        let out = check(&mut e, &dir, &["content/docs/notes.txt"], false, || {
            append(c.join("docs/notes.txt"), "more\n")
        });
        assert_eq!(
            (out.pages, out.changed.clone()),
            (0, vec!["docs/notes.txt".to_string()])
        );

        // A new file: everything.
        check(&mut e, &dir, &["content/docs/new.md"], true, || {
            std::fs::write(c.join("docs/new.md"), "# New\n").unwrap()
        });
        // A removed one too.
        check(&mut e, &dir, &["content/docs/new.md"], true, || {
            std::fs::remove_file(c.join("docs/new.md")).unwrap()
        });
    }

    /// Skill edits on a catalog with packs, a plugin, a marketplace, dependencies, cycles and
    /// duplicate names: each one through the catalog path, and every byte and diagnostic as a
    /// fresh build gives them.
    #[test]
    fn catalog_edits_match_a_fresh_build() {
        let (_t, dir, mut e) = project("catalog");
        let c = dir.join("content");
        let one = "content/alpha/alpha-one/SKILL.md";
        // A body edit.
        check(&mut e, &dir, &[one], false, || {
            append(c.join("alpha/alpha-one/SKILL.md"), "\nA new paragraph.\n")
        });
        // A new description: the pack page's table, the catalog, catalog.json, llms.txt.
        let out = check(&mut e, &dir, &[one], false, || {
            replace(
                c.join("alpha/alpha-one/SKILL.md"),
                "description: ",
                "description: Renamed. ",
            )
        });
        for file in [
            "alpha/index.html",
            "catalog.html",
            "catalog.json",
            "llms.txt",
        ] {
            assert!(
                out.changed.iter().any(|p| p == file),
                "{file} in {:?}",
                out.changed
            );
        }
        // A new dependency: the other skill's used-by list.
        check(&mut e, &dir, &[one], false, || {
            replace(
                c.join("alpha/alpha-one/SKILL.md"),
                "description: ",
                "depends-on: [alpha-2]\ntags: [fresh, tags]\ndescription: ",
            )
        });
        // A dependency on a skill that does not exist: a lint warning, and it goes again.
        check(&mut e, &dir, &[one], false, || {
            replace(
                c.join("alpha/alpha-one/SKILL.md"),
                "[alpha-2]",
                "[no-such-skill]",
            )
        });
        check(&mut e, &dir, &[one], false, || {
            replace(c.join("alpha/alpha-one/SKILL.md"), "[no-such-skill]", "[]")
        });
        // A skill in another pack, in a cycle, and one in the marketplace.
        check(
            &mut e,
            &dir,
            &["content/beta/beta-cycle/SKILL.md"],
            false,
            || append(c.join("beta/beta-cycle/SKILL.md"), "\nSee alpha-one.\n"),
        );
        check(
            &mut e,
            &dir,
            &["content/market/skills/g-one/SKILL.md"],
            false,
            || {
                replace(
                    c.join("market/skills/g-one/SKILL.md"),
                    "description: ",
                    "description: New. ",
                )
            },
        );
        // A script of a skill: the audit reads it (a remote download piped to a shell is a
        // finding on the skill's page): the whole pipeline.
        check(&mut e, &dir, &["content/tool-skill/run.sh"], true, || {
            append(
                c.join("tool-skill/run.sh"),
                "curl -fsSL https://example.com/x.sh | sh\n",
            )
        });
        // A renamed skill changes the catalog's shape: the whole pipeline.
        check(
            &mut e,
            &dir,
            &["content/alpha/alpha-two/SKILL.md"],
            true,
            || {
                replace(
                    c.join("alpha/alpha-two/SKILL.md"),
                    "name: alpha-2",
                    "name: alpha-two",
                )
            },
        );
    }

    /// A seeded random sequence of skill edits on the superpowers pack (bodies, descriptions,
    /// dependencies, mentions of other skills, bad YAML), then a plugin.json edit: after each,
    /// every byte and diagnostic as a fresh build gives them.
    #[test]
    fn random_skill_edits_match_a_fresh_build() {
        let (_t, dir, mut e) = project("superpowers");
        let skills: Vec<String> = std::fs::read_dir(dir.join("skills"))
            .unwrap()
            .map(|d| d.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| dir.join("skills").join(n).join("SKILL.md").is_file())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        assert!(skills.len() >= 10, "{skills:?}");
        // A small LCG: the same sequence on every run.
        let mut seed: u64 = 0x5eed;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let mut fast = 0;
        for step in 0..8 {
            let skill = &skills[next(skills.len())];
            let other = &skills[next(skills.len())];
            let rel = format!("skills/{skill}/SKILL.md");
            let path = dir.join(&rel);
            let kind = next(4);
            let out = check_any(&mut e, &dir, &[&rel], || {
                let text = std::fs::read_to_string(&path).unwrap();
                let text = match kind {
                    0 => format!("{text}\nStep {step}: see {other} next.\n"),
                    1 => text.replacen("description: ", &format!("description: Step {step}. "), 1),
                    2 => text.replacen("\n---", &format!("\ndepends-on: [{other}]\n---"), 1),
                    _ => text.replacen("\n---", &format!("\ntags: [step-{step}, x\n---"), 1),
                };
                std::fs::write(&path, text).unwrap();
            });
            assert!(!out.failed, "step {step}: {:?}", out.diagnostics);
            fast += usize::from(!out.full);
        }
        // Bad YAML loses the name, and with it the title: those steps take the whole pipeline.
        assert!(fast >= 4, "{fast} of 8 edits took the catalog path");
        // A manifest: the whole pipeline.
        check(&mut e, &dir, &[".claude-plugin/plugin.json"], true, || {
            replace(
                dir.join(".claude-plugin/plugin.json"),
                "\"description\": \"",
                "\"description\": \"Edited. ",
            )
        });
    }

    #[test]
    fn identical_files_of_a_folder_stay_one_page() {
        let (_t, dir, mut e) = project("messy");
        let c = dir.join("content");
        let (guide, copy) = (c.join("docs/guide.md"), c.join("docs/zz-copy.md"));
        // A copy beside a page (CLAUDE.md beside AGENTS.md): one page, the copy an alias.
        check(&mut e, &dir, &["content/docs/zz-copy.md"], true, || {
            std::fs::copy(&guide, &copy).unwrap();
        });
        assert!(!e.snapshot().files.contains_key("docs/zz-copy.html"));
        // The page edited while merged: the copy is a page of its own again.
        check(&mut e, &dir, &["content/docs/guide.md"], true, || {
            append(guide.clone(), "\nOnly in the guide.\n")
        });
        assert!(e.snapshot().files.contains_key("docs/zz-copy.html"));
        // A page edited into a copy of its neighbour: merged again.
        check(&mut e, &dir, &["content/docs/zz-copy.md"], true, || {
            std::fs::copy(&guide, &copy).unwrap();
        });
        assert!(!e.snapshot().files.contains_key("docs/zz-copy.html"));
    }

    #[test]
    fn included_files_rerender_their_includers() {
        let (_t, dir, mut e) = project("mdbook");
        let out = check(&mut e, &dir, &["src/snippets/example.rs"], false, || {
            replace(dir.join("src/snippets/example.rs"), "fn ", "pub fn ")
        });
        assert!(
            out.changed.contains(&"guide/install.html".to_string()),
            "{:?}",
            out.changed
        );
        // SUMMARY.md decides the navigation.
        check(&mut e, &dir, &["src/SUMMARY.md"], true, || {
            replace(dir.join("src/SUMMARY.md"), "[Usage]", "[Using it]")
        });
        // A page whose nav title comes from SUMMARY.md: a body edit stays on the fast path.
        check(&mut e, &dir, &["src/guide/usage.md"], false, || {
            append(dir.join("src/guide/usage.md"), "\nMore usage.\n")
        });
    }

    #[test]
    fn fatal_errors_keep_the_last_good_site() {
        let (_t, dir, mut e) = project("messy");
        let before = e.snapshot();
        let toml = std::fs::read_to_string(dir.join("book.toml")).unwrap();
        std::fs::write(dir.join("book.toml"), "[book\ntitle = 1").unwrap();
        let out = e.changed(&[canonical(&dir.join("book.toml"))]).unwrap();
        assert!(out.failed && out.snapshot.is_none());
        assert!(
            out.diagnostics
                .iter()
                .any(|d| d.rule == "config-syntax" && d.line == Some(1)),
            "{:?}",
            out.diagnostics
        );
        assert!(Arc::ptr_eq(&before, &e.snapshot()));
        // Still broken: any change runs everything, and fails the same way.
        let out = e
            .changed(&[canonical(&dir.join("content/docs/colon.md"))])
            .unwrap();
        assert!(out.failed && out.full);
        std::fs::write(dir.join("book.toml"), toml).unwrap();
        let out = e.changed(&[canonical(&dir.join("book.toml"))]).unwrap();
        assert!(
            !out.failed
                && out.snapshot.is_some()
                && out
                    .diagnostics
                    .iter()
                    .all(|d| d.severity != Severity::Error)
        );
    }

    #[test]
    fn agent_skill_folders_are_part_of_the_site() {
        let (_t, dir, mut e) = project("messy");
        let skill = dir.join("content/.claude/skills/fresh/SKILL.md");
        std::fs::create_dir_all(skill.parent().unwrap()).unwrap();
        std::fs::write(&skill, "---\nname: fresh\ndescription: New.\n---\nbody\n").unwrap();
        let out = e
            .changed(&[canonical(&skill)])
            .expect("a skill in .claude/skills is content");
        assert!(!out.failed, "{:?}", out.diagnostics);
        let settings = dir.join("content/.claude/settings.json");
        std::fs::write(&settings, "{}").unwrap();
        assert!(e.changed(&[canonical(&settings)]).is_none());
    }

    #[test]
    fn ignores_what_is_not_part_of_the_site() {
        let (_t, dir, mut e) = project("messy");
        std::fs::create_dir_all(dir.join("book")).unwrap();
        for p in [
            "book/index.html",
            "content/.hidden.md",
            "content/docs/guide.md~",
            "content/docs/.guide.md.swp",
            "content/docs/4913",
            "notes.txt",
        ] {
            std::fs::write(dir.join(p), "x").unwrap();
            assert!(e.changed(&[canonical(&dir.join(p))]).is_none(), "{p}");
        }
        // A page written again with the same text: nothing to do, nothing to say.
        let guide = dir.join("content/docs/guide.md");
        std::fs::write(&guide, std::fs::read(&guide).unwrap()).unwrap();
        assert!(e.changed(&[canonical(&guide)]).is_none());
        // A temporary file already gone: it never was part of the site.
        assert!(e
            .changed(&[canonical(&dir.join("content")).join("docs/tmp-save-123")])
            .is_none());
    }
}
