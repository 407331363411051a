//! The build driver: runs the stages in order — load → transform → render → index → write —
//! and reports. Three overlap: the index stage runs on its own thread, taking each page as
//! soon as its Markdown body is rendered, while the other pages render, then go through the
//! templates and are written. The agent files (`render::agent_files`) are made alongside the
//! Markdown pass and written before the template pass.
//!
//! `serve` (later) calls the same functions; nothing here prints except through the
//! progress bar, so callers decide how to show diagnostics.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::load::{self, config::Config};
use crate::render::{self, templates::Theme, OutFile};
use crate::util::path::clean;
use crate::write;

/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Project root (holding `book.toml`) or a plain content folder.
    pub dir: PathBuf,
    /// Output folder; relative paths are relative to the project root, as in mdBook.
    /// Default: `[build] build-dir`.
    pub dest: Option<PathBuf>,
    /// Treat warnings as errors: nothing is written when there is any.
    pub strict: bool,
    /// Show a progress bar on stderr (only drawn when stderr is a terminal).
    pub progress: bool,
    /// Every stage runs in memory and the destination is neither checked nor written
    /// (`skillsite check`, `skillsite serve`).
    pub in_memory: bool,
    /// `skillsite check`: the content rules get their `check` severity (model::lints: the
    /// Agent Skills findings and the audit's hidden-text findings are errors, not warnings).
    pub check: bool,
    /// Run no `[preprocessor.NAME]` of `book.toml` (`--no-preprocessors`; `check` never runs
    /// them). Each one skipped is a note.
    pub no_preprocessors: bool,
}

/// The outcome of a build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildReport {
    /// Pages rendered (drafts excluded).
    pub pages: usize,
    /// Of which skill pages.
    pub skills: usize,
    /// Files copied unchanged.
    pub assets: usize,
    /// Where the site was written, or `None` when nothing was written.
    pub dest: Option<PathBuf>,
    /// Wall time of the whole build.
    pub elapsed: Duration,
    /// Wall time of each stage that ran, in order: `load`, `transform`, `markdown` (the render
    /// stage's Markdown pass), `agent files` (making the agent files of
    /// [`render::agent_files::agent_files`]: indexes, archives, `llms-full.txt`, the list of
    /// copies and Markdown twins; alongside `markdown`), `templates` (the template pass),
    /// `index`, `agent write`
    /// (writing the agent files into the build folder: the part of the write stage they cost)
    /// and `write` (everything else). `index` runs from the start of `markdown` (it takes each
    /// page as soon as its body is rendered) until after `templates` and the first part of
    /// `write` (the pages), so the times add up to more than [`Self::elapsed`].
    pub stages: Vec<(&'static str, Duration)>,
    /// Wall time of the transform stage's parts (`catalog`, `lint`, `audit`), within its
    /// `transform` entry of [`BuildReport::stages`].
    pub transform_parts: Vec<(&'static str, Duration)>,
    /// Documents in the search index (pages and planned skills); 0 when not indexed.
    pub search_docs: usize,
}

/// A site rendered in memory, ready to write (or to serve).
#[derive(Debug)]
pub struct Rendered {
    /// The loaded site model.
    pub site: crate::model::Site,
    /// Every output file, unique paths, generated or copied.
    pub files: Vec<OutFile>,
    /// Where `build` would write it (`-d` or `[build] build-dir`, joined to the root).
    pub dest: PathBuf,
    /// The tantivy search index (files under `tantivy/`, not in `files`: it is not part of the
    /// site), which `build` writes into the cache folder beside the build folder
    /// (`crate::index::cache_dir`) for `skillsite search`.
    pub search_index: Vec<OutFile>,
    /// The documents of the search index, for `serve`'s incremental re-exports.
    pub search_docs: Vec<crate::index::SearchDoc>,
    /// What the transform stage reported (also in the build's diagnostics), for `serve`,
    /// which re-runs that stage after a skill edit and replaces these.
    pub transform_diagnostics: Vec<Diagnostic>,
    /// The ids each page's body defines ([`render::markdown::RenderedBody::ids`], indexed by
    /// page; `None` for a page without a body), kept only for an in-memory build (`serve`),
    /// whose partial renders check anchor links into pages they do not render again.
    pub anchor_ids: Vec<Option<std::collections::HashSet<String>>>,
}

/// Builds the site. Returns the report; whether the build *failed* is read from `diags`
/// (any error, or with `strict` any warning). Nothing is written when loading or the theme
/// fails, or in strict mode when there is any diagnostic; page-level errors (a page whose
/// template fails) leave that page out and the rest of the site is written.
pub fn build(opts: &BuildOptions, diags: &Diagnostics) -> BuildReport {
    let start = Instant::now();
    let mut report = BuildReport::default();
    // The pages go into the staging folder as soon as they are rendered, while the index
    // stage still runs; the rest (search files, copies) once everything is rendered.
    let mut staging: Option<write::Staging> = None;
    let mut early: HashSet<String> = HashSet::new();
    let mut early_copies: HashMap<String, PathBuf> = HashMap::new();
    let mut write_time = Duration::ZERO;
    let mut agent_write_time = None;
    let mut failed = false;
    let rendered = render_site_with(opts, diags, &mut report, &mut |dest, files, part| {
        if failed {
            return;
        }
        // The agent files come first, then the template pass's output, which holds them
        // again (at their place in the list, for `Rendered::files`): written once.
        let staged = match staging.take() {
            Some(s) => Ok(s),
            None => {
                let t = Instant::now();
                // The previous site's folders, kept in the cache, are reused (write module
                // docs). Counted under `write`, not under the part written first.
                let s = write::Staging::create_reusing(dest, &write::folders_cache(dest));
                write_time += t.elapsed();
                s
            }
        };
        let t = Instant::now();
        let todo: Vec<&OutFile> = files
            .iter()
            .filter(|f| match f {
                OutFile::Bytes(p, _) => !early.contains(p),
                OutFile::Copy(p, from) => early_copies.get(p) != Some(from),
            })
            .collect();
        let written = staged.and_then(|s| s.write_refs(&todo).map(|()| s));
        match written {
            Ok(s) => {
                for f in todo {
                    match f {
                        OutFile::Bytes(p, _) => {
                            early.insert(p.clone());
                        }
                        OutFile::Copy(p, from) => {
                            early_copies.insert(p.clone(), from.clone());
                        }
                    }
                }
                staging = Some(s);
            }
            Err(e) => {
                failed = true;
                diags.push(e);
            }
        }
        match part {
            Part::Agent => agent_write_time = Some(t.elapsed()),
            Part::Pages => write_time += t.elapsed(),
        }
    });
    let Some(Rendered {
        mut files,
        dest,
        search_index,
        ..
    }) = rendered
    else {
        report.elapsed = start.elapsed();
        return report;
    };
    let blocked = diags.has_errors() && files.is_empty()
        || (opts.strict && diags.count(Severity::Warning) > 0);
    if let (false, Some(staging)) = (blocked, staging) {
        let t = Instant::now();
        // Written early and not replaced by a later source (a copied file of the same path,
        // which `dedupe` kept instead): skip.
        files.retain(|f| match f {
            OutFile::Bytes(p, _) => !early.contains(p),
            OutFile::Copy(p, from) => early_copies.get(p) != Some(from),
        });
        match staging.write(&files).and_then(|()| staging.commit()) {
            Ok(()) => report.dest = Some(dest.clone()),
            Err(e) => diags.push(e),
        }
        // The tantivy index, for `skillsite search`, outside the site (atomically too).
        if report.dest.is_some() && !search_index.is_empty() {
            let cache = crate::index::cache_dir(&dest);
            if let Err(e) = write::write(&cache, &search_index) {
                diags.push(
                    Diagnostic::warning(
                        "search-index",
                        format!(
                            "cannot store the search index in {}: {}",
                            cache.display(),
                            e.message
                        ),
                    )
                    .hint("`skillsite search` indexes the site in memory instead"),
                );
            }
        }
        write_time += t.elapsed();
        if let Some(agent) = agent_write_time {
            report.stages.push(("agent write", agent));
        }
        report.stages.push(("write", write_time));
    }
    report.elapsed = start.elapsed();
    report
}

/// Runs every stage but `write`: load, render, and the list of files to copy. `None` when a
/// fatal error (configuration, theme, missing content folder, refused destination) stops the
/// build before anything is rendered; the reason is in `diags`. Fills `report`'s counts.
pub fn render_site(
    opts: &BuildOptions,
    diags: &Diagnostics,
    report: &mut BuildReport,
) -> Option<Rendered> {
    render_site_with(opts, diags, report, &mut |_, _, _| {})
}

/// Which output [`render_site_with`] hands to its `early` callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// The agent files (`render::agent_files::agent_files`), as soon as they are made.
    Agent,
    /// The output of the template pass (pages, generated pages, theme files, and the agent
    /// files again, at their place in the list).
    Pages,
}

/// [`render_site`], handing the agent files and then the output of the template pass to
/// `early` together with the destination as soon as each exists, while the index stage still
/// runs. Those files are also in the result.
fn render_site_with(
    opts: &BuildOptions,
    diags: &Diagnostics,
    report: &mut BuildReport,
    early: &mut dyn FnMut(&Path, &[OutFile], Part),
) -> Option<Rendered> {
    let fatal = |d: Diagnostic| {
        diags.push(d);
        None
    };
    if !opts.dir.is_dir() {
        return fatal(
            Diagnostic::error(
                "project",
                format!("`{}` is not a folder", opts.dir.display()),
            )
            .hint("pass a folder holding book.toml or Markdown files"),
        );
    }
    let mut config = match Config::load(&opts.dir, diags) {
        Ok(c) => c,
        Err(d) => return fatal(d),
    };
    if let Some(d) = &opts.dest {
        config.build_dir = d.clone();
    }
    // Lint levels: the command's defaults (spec findings are warnings in `build` and `serve`,
    // errors in `check`) under `[skillsite.lints]`; the sink applies them to every diagnostic.
    let mode = if opts.check {
        crate::model::lints::Mode::Check
    } else {
        crate::model::lints::Mode::Build
    };
    diags.set_levels(crate::model::lints::severities(
        mode,
        &config.skillsite.lints,
    ));
    let dest = config.build_dir();
    if !opts.in_memory {
        if let Err(d) = write::check_destination(&dest, &config.src_dir()) {
            return fatal(d);
        }
    }
    let theme = match Theme::load(&config.root) {
        Ok(t) => t,
        Err(d) => return fatal(d),
    };
    if !opts.in_memory && config.create_missing {
        // mdBook's `[build] create-missing`: only `build` writes into the project.
        load::summary::create_missing(&config.src_dir(), diags);
    }
    let t = Instant::now();
    let mut site = match load::load_with(config, diags) {
        Ok(s) => s,
        Err(d) => return fatal(d),
    };
    if opts.check || opts.no_preprocessors {
        for p in std::mem::take(&mut site.config.preprocessors) {
            diags.push(
                Diagnostic::note(
                    "preprocessor",
                    format!("preprocessor `{}` (`{}`) not run", p.name, p.command),
                )
                .hint(if opts.check {
                    "`skillsite check` runs no code of the project; `skillsite build` runs it"
                } else {
                    "--no-preprocessors was given"
                }),
            );
        }
    }
    if let Err(d) = load::preprocess::run(&mut site, diags) {
        return fatal(d);
    }
    if !site.config.book.language_set {
        // A Chinese or Japanese site without `language` is not published as `lang="en"`, nor
        // stemmed as English.
        let texts = site.pages.iter().map(|p| p.body.as_str());
        if let Some(lang) = crate::index::analyze::detect_language(texts) {
            site.config.book.language = lang.to_string();
        }
    }
    report.stages.push(("load", t.elapsed()));
    let t = Instant::now();
    // (Into the build's sink: a lint looks at what the loader reported.)
    let mark = diags.len();
    let parts = crate::transform::transform(&mut site, diags, opts.check);
    let transform_diagnostics = diags.since(mark);
    report.stages.push(("transform", t.elapsed()));
    report.transform_parts = parts.to_vec();
    let bar = if opts.progress && site.pages.len() >= 200 {
        let bar = indicatif::ProgressBar::new(site.pages.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} rendering {pos}/{len} pages {wide_bar} {elapsed}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    // The index stage runs on its own thread from the start of the render stage: each page's
    // document is sent to it as soon as the page's body is rendered, and it indexes them in
    // page order while the other pages render and then go through the templates. It reads
    // nothing else of the render stage, so it fills the cores tantivy's single writer thread
    // would leave idle.
    let (mut files, stats, search, index_time, anchor_ids) = std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::channel();
        let index = scope.spawn(|| {
            let t = Instant::now();
            let search =
                crate::index::index(InOrder::new(receive), &site.config.book.language, diags);
            (search, t.elapsed())
        });
        let site = &site;
        // The agent files (indexes, archives, llms-full.txt, the list of copies) read the
        // catalog and the skills' files, not the rendered bodies: they are made alongside the
        // Markdown pass, on whichever core it leaves free.
        let ((bodies, markdown_time), (agent, agent_time)) = rayon::join(
            || {
                let t = Instant::now();
                let bodies = render::render_bodies(site, diags, &|id, body| {
                    // `[output.html.search.chapter]` may leave a chapter out of the index.
                    let indexed = site
                        .config
                        .html
                        .search
                        .indexes(site.pages[id].source.as_deref());
                    let doc = body
                        .filter(|_| indexed)
                        .map(|b| crate::index::page_search_doc(site, id, b));
                    // A send fails only when the index stage stopped on an error it reported.
                    let _ = send.send((id, doc));
                });
                (bodies, t.elapsed())
            },
            || {
                let t = Instant::now();
                let agent = render::agent_files::agent_files(site, diags);
                (agent, t.elapsed())
            },
        );
        report.stages.push(("markdown", markdown_time));
        report.stages.push(("agent files", agent_time));
        let pages = site.pages.len();
        for (i, doc) in crate::index::planned_docs(site, &bodies)
            .into_iter()
            .enumerate()
        {
            let _ = send.send((pages + i, Some(doc)));
        }
        drop(send);
        early(&dest, &agent, Part::Agent);
        let t = Instant::now();
        let (files, stats) = render::render_templates(site, &theme, &bodies, agent, &bar, diags);
        report.stages.push(("templates", t.elapsed()));
        bar.finish_and_clear();
        early(&dest, &files, Part::Pages);
        let anchor_ids = if opts.in_memory {
            bodies.into_iter().map(|b| b.map(|b| b.ids)).collect()
        } else {
            Vec::new()
        };
        let (search, index_time) = index
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (files, stats, search, index_time, anchor_ids)
    });
    report.stages.push(("index", index_time));
    report.search_docs = search.docs.len();
    files.extend(search.files);
    report.pages = stats.pages;
    report.skills = stats.skills;

    // Copied files: content assets, additional css/js, the project's static/ folder.
    let page_paths: std::collections::HashSet<String> =
        files.iter().map(|f| f.path().to_string()).collect();
    for a in &site.assets {
        if page_paths.contains(&a.to) {
            diags.push(
                Diagnostic::warning(
                    "output-collision",
                    format!("`{}` would overwrite a generated page; not copied", a.to),
                )
                .at(clean(&a.from))
                .hint("rename the file"),
            );
            continue;
        }
        files.push(OutFile::Copy(a.to.clone(), a.from.clone()));
    }
    report.assets = site.assets.len();
    // Each written skill's own file, published raw next to its page.
    for s in site.catalog.skills.iter().filter(|s| !s.planned) {
        files.push(OutFile::Copy(
            s.source.clone(),
            site.config.src_dir().join(&s.source),
        ));
    }
    let root = &site.config.root;
    for p in site
        .config
        .html
        .additional_css
        .iter()
        .chain(&site.config.html.additional_js)
    {
        let from = root.join(p);
        if from.is_file() {
            files.push(OutFile::Copy(p.to_string_lossy().replace('\\', "/"), from));
        } else {
            diags.push(
                Diagnostic::warning(
                    "config-missing-file",
                    format!("additional file `{}` does not exist", p.display()),
                )
                .at(clean(&root.join("book.toml")))
                .hint("paths in additional-css / additional-js are relative to the project root"),
            );
        }
    }
    copy_static(&root.join("static"), &mut files);
    Some(Rendered {
        files: dedupe(files),
        dest,
        site,
        search_index: search.tantivy,
        search_docs: search.docs,
        transform_diagnostics,
        anchor_ids,
    })
}

/// Items sent with their position (`0, 1, 2...`, each once, in any order; `None` for a
/// position with nothing to give), yielded in position order as soon as the next one has
/// arrived. Ends when every sender is gone.
struct InOrder<T> {
    receive: std::sync::mpsc::Receiver<(usize, Option<T>)>,
    next: usize,
    early: HashMap<usize, Option<T>>,
}

impl<T> InOrder<T> {
    fn new(receive: std::sync::mpsc::Receiver<(usize, Option<T>)>) -> Self {
        InOrder {
            receive,
            next: 0,
            early: HashMap::new(),
        }
    }
}

impl<T> Iterator for InOrder<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        loop {
            if let Some(item) = self.early.remove(&self.next) {
                self.next += 1;
                match item {
                    Some(item) => return Some(item),
                    None => continue,
                }
            }
            match self.receive.recv() {
                Ok((i, item)) => {
                    self.early.insert(i, item);
                }
                // Senders gone with a gap (a position never sent): go on past it.
                Err(_) => self.next = *self.early.keys().min()?,
            }
        }
    }
}

/// Adds the project's `static/` folder (over the built-in theme's files of the same name).
fn copy_static(dir: &Path, files: &mut Vec<OutFile>) {
    if !dir.is_dir() {
        return;
    }
    for e in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if e.file_type().is_file() {
            let rel = crate::util::path::rel_path(dir, e.path());
            files.push(OutFile::Copy(format!("static/{rel}"), e.into_path()));
        }
    }
}

/// Keeps the last file for each output path (later sources override earlier ones).
fn dedupe(files: Vec<OutFile>) -> Vec<OutFile> {
    let mut last: HashMap<String, usize> = HashMap::new();
    for (i, f) in files.iter().enumerate() {
        last.insert(f.path().to_string(), i);
    }
    files
        .into_iter()
        .enumerate()
        .filter(|(i, f)| last.get(f.path()) == Some(i))
        .map(|(_, f)| f)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::InOrder;

    #[test]
    fn in_order_yields_by_position_skipping_empty_ones() {
        let (send, receive) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || InOrder::new(receive).collect::<Vec<&str>>());
        for (i, item) in [
            (3, Some("d")),
            (1, None),
            (0, Some("a")),
            (4, Some("e")),
            (2, Some("c")),
        ] {
            send.send((i, item)).unwrap();
        }
        drop(send);
        assert_eq!(reader.join().unwrap(), ["a", "c", "d", "e"]);
        // A position never sent does not hold back the rest.
        let (send, receive) = std::sync::mpsc::channel();
        send.send((2, Some(2))).unwrap();
        send.send((0, Some(0))).unwrap();
        drop(send);
        assert_eq!(InOrder::new(receive).collect::<Vec<i32>>(), [0, 2]);
    }
}
