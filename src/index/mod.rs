//! Stage **index** (between render and write): full-text search over the rendered pages.
//!
//! From the text the render stage already extracted ([`text::PlainText`]) it builds
//!
//! - a tantivy index, which `skillsite search` queries ([`query`]), kept out of the site in a
//!   cache folder beside the build folder ([`cache_dir`]: `.skillsite-cache/book/tantivy/`
//!   for `book/`), so that a site's upload is only what browsers read;
//! - a static index for the browser exported from it ([`export`]): a manifest, term shards and
//!   per-page fragments under `search/`, loaded as `<script>`s so search works from `file://`;
//! - the results page `search/index.html` (rendered by the render stage with the theme).
//!
//! Everything indexed goes through one seam, [`SearchDoc`]: [`page_search_doc`] makes one per
//! built page (skills take their pack, types, level and tags from the catalog) and
//! [`planned_docs`] one per planned skill of the catalog (a section of a pack plan);
//! [`index_docs`] indexes any sequence of them.

pub mod analyze;
pub mod export;
pub mod incremental;
pub mod query;
pub mod schema;
/// The plain text of pages, collected by the render stage (re-exported: the index reads it).
pub use crate::render::text;

use std::path::Path;

use serde_json::Value;
use tantivy::{Index, IndexWriter, TantivyDocument};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::catalog::Skill;
use crate::model::{Page, PageId, PageKind, Site};
use crate::render::markdown::RenderedBody;
use crate::render::OutFile;
use schema::Fields;

/// Root-relative folder of everything search writes into the site.
pub const SEARCH_DIR: &str = "search";
/// Folder of the tantivy index inside the cache folder ([`cache_dir`]); the paths of
/// [`Indexed::tantivy`] start with it.
pub const CACHE_TANTIVY_DIR: &str = "tantivy";
/// Name of the folder, beside the build folder, holding what builds keep for the CLI and is
/// not published (the tantivy index). Projects should git-ignore it (`skillsite init` does).
pub const CACHE_DIR: &str = ".skillsite-cache";

/// The cache folder of the site built into `build_dir`: `.skillsite-cache/NAME` beside it
/// (`book/` → `.skillsite-cache/book/`), so several build folders do not share one.
pub fn cache_dir(build_dir: &Path) -> std::path::PathBuf {
    let parent = build_dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = build_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "book".into());
    parent.join(CACHE_DIR).join(name)
}

/// A section of a document: where its text starts, for snippets that link to the section.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    /// Heading id on the page (`""` for the top of the page).
    pub anchor: String,
    /// Heading text.
    pub heading: String,
    /// Byte offset of the section's text in [`SearchDoc::body`].
    pub offset: usize,
}

/// One searchable document: a page, or a planned skill.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchDoc {
    /// Display title.
    pub title: String,
    /// Root-relative URL of the page (`runbooks/deploy.html`), with `#anchor` for a planned
    /// skill described inside its pack plan.
    pub url: String,
    /// `skill`, `runbook`, `section` (folder pages, the home and catalog pages) or `page`
    /// (front matter `kind` overrides).
    pub kind: String,
    /// The pack a skill belongs to: the catalog's pack name (`axiom-cloud-infrastructure`);
    /// empty for other pages.
    pub pack: String,
    /// The pack's display title.
    pub pack_title: String,
    /// Skill types (`Technique`, `Pattern`, `Reference`...): the catalog's, else front matter
    /// `type` or `metadata.type`.
    pub types: Vec<String>,
    /// Skill level (`Fundamental`, `Intermediate`, `Advanced`...): the catalog's, else front
    /// matter `level`/`metadata.level`; empty when unknown.
    pub level: String,
    /// Tags, from `tags`/`metadata.tags` (a list or a comma-separated string).
    pub tags: Vec<String>,
    /// Heading texts (an h1 that repeats the title is left out).
    pub headings: Vec<String>,
    /// Sections of `body`, for snippets.
    pub sections: Vec<Section>,
    /// Prose text.
    pub body: String,
    /// Code block text.
    pub code: String,
    /// Front matter `description`.
    pub description: String,
    /// A skill planned in a pack plan but not written yet.
    pub planned: bool,
    /// The page this document is (`None` for planned skills and documents from elsewhere).
    pub page: Option<PageId>,
    /// BCP 47 language of the text: front matter `lang` (or `language`), else the site's
    /// (book.toml `language`, or the one detected from the text). The index is stemmed in
    /// English when the site is ([`index`]; [`index_stemming`] for `serve`); `""` counts as
    /// English.
    pub lang: String,
}

impl SearchDoc {
    /// The display values of facet `i` of [`schema::FACETS`] (`kind`, `pack`, `type`, `level`,
    /// `tags`, `status`). Filters match their lowercased form ([`facet_key`]).
    pub fn facet_values(&self, i: usize) -> Vec<String> {
        let one = |s: &str| {
            if s.trim().is_empty() {
                Vec::new()
            } else {
                vec![s.trim().to_string()]
            }
        };
        match schema::FACETS[i] {
            "kind" => one(&self.kind),
            "pack" => one(&self.pack),
            "type" => self.types.iter().flat_map(|t| one(t)).collect(),
            "level" => one(&self.level),
            "tags" => self.tags.iter().flat_map(|t| one(t)).collect(),
            "status" => vec![if self.planned { "planned" } else { "published" }.to_string()],
            _ => Vec::new(),
        }
    }

    /// The text indexed in the `url` field: the URL's words, without `index.html`/`.html`.
    pub fn url_text(&self) -> String {
        let path = self.url.split('#').next().unwrap_or("");
        let path = path.strip_suffix("index.html").unwrap_or(path);
        path.strip_suffix(".html").unwrap_or(path).to_string()
    }
}

/// The indexed form of a facet value: trimmed and lowercased.
pub fn facet_key(value: &str) -> String {
    value.trim().to_lowercase()
}

/// What the index stage produces.
#[derive(Debug, Default)]
pub struct Indexed {
    /// The static browser index: site files under [`SEARCH_DIR`], served and published.
    /// Deterministic: the same documents give the same bytes.
    pub files: Vec<OutFile>,
    /// The tantivy index, files under [`CACHE_TANTIVY_DIR`] (their names are random segment ids):
    /// `build` writes them into the [`cache_dir`], `serve` has no use for them.
    pub tantivy: Vec<OutFile>,
    /// The documents, in index order; `serve` updates the changed pages' documents and calls
    /// [`export_docs`] again.
    pub docs: Vec<SearchDoc>,
}

/// The stage entry: indexes `docs` — each rendered page's ([`page_search_doc`]; drafts have
/// no body and are skipped, the 404 page is not a page), then the planned skills of pack plans
/// ([`planned_docs`]) — and exports the index. `docs` may be fed while the render stage still
/// runs (`build` sends each page's document as soon as its body is rendered); the index takes
/// them in the order given. Failures are reported as a warning and leave search out of the
/// site.
///
/// `lang` is the site's language (book.toml `language` or the detected one): it picks the
/// stemming ([`analyze::Stemming::for_language`]).
pub fn index(
    docs: impl IntoIterator<Item = SearchDoc>,
    lang: &str,
    diags: &Diagnostics,
) -> Indexed {
    match index_docs(docs, analyze::Stemming::for_language(lang)) {
        Ok(indexed) => indexed,
        Err(e) => {
            diags.push(
                Diagnostic::warning(
                    "search-index",
                    format!("cannot build the search index: {e}"),
                )
                .hint("the site is written without search"),
            );
            Indexed::default()
        }
    }
}

/// Indexes `docs` into a fresh tantivy index and exports it: the tantivy files and the browser
/// index.
///
/// Errors: tantivy or temporary-folder failures, as text.
pub fn index_docs(
    docs: impl IntoIterator<Item = SearchDoc>,
    stemming: analyze::Stemming,
) -> Result<Indexed, String> {
    let tmp = tempfile::Builder::new()
        .prefix("skillsite-index-")
        .tempdir()
        .map_err(|e| format!("cannot create a temporary folder: {e}"))?;
    let built = build_index_with(docs, Some(tmp.path()), stemming).map_err(|e| e.to_string())?;
    let mut tantivy = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(tmp.path())
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        if name.ends_with(".lock") {
            continue;
        }
        let bytes = std::fs::read(tmp.path().join(&name))
            .map_err(|e| format!("cannot read the index file {name}: {e}"))?;
        tantivy.push(OutFile::Bytes(format!("{CACHE_TANTIVY_DIR}/{name}"), bytes));
    }
    let files = export::export(&built).map_err(|e| e.to_string())?;
    Ok(Indexed {
        files,
        tantivy,
        docs: built.docs,
    })
}

/// The browser index of `docs` alone (the tantivy index is built in memory and dropped): what
/// `serve` needs after a page changed. The stemming is the documents' ([`index_stemming`]).
///
/// Errors: tantivy failures, as text.
pub fn export_docs(docs: Vec<SearchDoc>) -> Result<Indexed, String> {
    let stemming = index_stemming(&docs);
    let built = build_index_with(docs, None, stemming).map_err(|e| e.to_string())?;
    let files = export::export(&built).map_err(|e| e.to_string())?;
    Ok(Indexed {
        files,
        tantivy: Vec::new(),
        docs: built.docs,
    })
}

/// A tantivy index with its documents.
pub struct BuiltIndex {
    /// The index (one segment).
    pub index: Index,
    /// Its field handles.
    pub fields: Fields,
    /// The documents, in tantivy doc-id order (`docs[i]` is doc `i` of the single segment).
    pub docs: Vec<SearchDoc>,
}

/// Indexes `docs` in a folder (`Some`) or in memory (`None`), as one segment, so that the
/// tantivy doc ids are the positions in [`BuiltIndex::docs`] and the browser breaks score ties
/// the same way tantivy does (lower doc id first).
///
/// The stemming is the documents' ([`index_stemming`]); [`build_index_with`] takes it (and
/// indexes the documents as they come).
pub fn build_index(
    docs: impl IntoIterator<Item = SearchDoc>,
    dir: Option<&Path>,
) -> tantivy::Result<BuiltIndex> {
    let docs: Vec<SearchDoc> = docs.into_iter().collect();
    let stemming = index_stemming(&docs);
    build_index_with(docs, dir, stemming)
}

/// [`build_index`] with the text fields analyzed with `stemming` ([`analyze`]).
pub fn build_index_with(
    docs: impl IntoIterator<Item = SearchDoc>,
    dir: Option<&Path>,
    stemming: analyze::Stemming,
) -> tantivy::Result<BuiltIndex> {
    let fields = Fields::with_stemming(stemming);
    let index = match dir {
        Some(d) => Index::create_in_dir(d, fields.schema.clone())?,
        None => Index::create_in_ram(fields.schema.clone()),
    };
    analyze::register(&index);
    let mut writer: IndexWriter = index.writer_with_num_threads(1, 256 * 1024 * 1024)?;
    let mut kept = Vec::new();
    for d in docs {
        writer.add_document(to_tantivy(&fields, &d, kept.len() as u64))?;
        kept.push(d);
    }
    writer.commit()?;
    let segments = index.searchable_segment_ids()?;
    if segments.len() > 1 {
        writer.merge(&segments).wait()?;
    }
    writer.garbage_collect_files().wait()?;
    writer.wait_merging_threads()?;
    // Reorder the documents to tantivy's doc ids.
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let mut ordered: Vec<Option<SearchDoc>> = kept.into_iter().map(Some).collect();
    let mut out = Vec::with_capacity(ordered.len());
    for seg in searcher.segment_readers() {
        let ords = seg.fast_fields().u64("ord")?;
        for doc in 0..seg.max_doc() {
            let ord = ords.first(doc).unwrap_or(0) as usize;
            if let Some(d) = ordered.get_mut(ord).and_then(Option::take) {
                out.push(d);
            }
        }
    }
    Ok(BuiltIndex {
        index,
        fields,
        docs: out,
    })
}

/// The stemming of an index of `docs`: English when at least half of them are in English
/// ([`SearchDoc::lang`]), else none (the analyzers have no other stemmer). `build` uses the
/// site's language instead, so that indexing can start before every page is rendered; the
/// two agree unless front matter `lang` overrides the site's on most pages.
pub fn index_stemming(docs: &[SearchDoc]) -> analyze::Stemming {
    let english = docs
        .iter()
        .filter(|d| analyze::Stemming::for_language(&d.lang) == analyze::Stemming::English)
        .count();
    if english * 2 >= docs.len() {
        analyze::Stemming::English
    } else {
        analyze::Stemming::None
    }
}

fn to_tantivy(fields: &Fields, d: &SearchDoc, ord: u64) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    let url_text = d.url_text();
    let text: [&[String]; 6] = [
        std::slice::from_ref(&d.title),
        &d.headings,
        std::slice::from_ref(&d.description),
        std::slice::from_ref(&d.body),
        std::slice::from_ref(&d.code),
        std::slice::from_ref(&url_text),
    ];
    for (f, values) in fields.text.iter().zip(text) {
        for v in values.iter().filter(|v| !v.is_empty()) {
            doc.add_text(*f, v);
        }
    }
    for (i, f) in fields.facets.iter().enumerate() {
        for v in d.facet_values(i) {
            doc.add_text(*f, facet_key(&v));
        }
    }
    doc.add_text(fields.href, &d.url);
    doc.add_u64(fields.ord, ord);
    doc
}

// ------------------------------------------------------------------ pages → documents

/// One [`SearchDoc`] per planned skill of the catalog (a section of its pack plan), from the
/// plan pages' bodies (indexed by [`PageId`]), in catalog order. Indexed after the pages.
pub fn planned_docs(site: &Site, bodies: &[Option<RenderedBody>]) -> Vec<SearchDoc> {
    let mut docs = Vec::new();
    for skill in site.catalog.skills.iter().filter(|s| s.planned) {
        let Some(page_id) = skill.page else { continue };
        let page = &site.pages[page_id];
        let Some(Some(body)) = bodies.get(page_id) else {
            continue;
        };
        docs.push(planned_doc(site, skill, page, body));
    }
    docs
}

/// The document of page `id`, from its rendered body.
pub fn page_search_doc(site: &Site, id: PageId, body: &RenderedBody) -> SearchDoc {
    page_doc(site, id, &site.pages[id], body)
}

fn page_doc(site: &Site, id: PageId, page: &Page, body: &RenderedBody) -> SearchDoc {
    let plain = &body.plain;
    // Sections: h1 starts at the top; h2–h4 have the toc's ids, in order.
    let mut toc = body.toc.iter();
    let mut sections = vec![Section::default()];
    for h in &plain.headings {
        if (2..=4).contains(&h.level) {
            if let Some(t) = toc.next() {
                sections.push(Section {
                    anchor: t.id.clone(),
                    heading: h.text.clone(),
                    offset: h.offset,
                });
            }
        }
    }
    let headings = plain
        .headings
        .iter()
        .filter(|h| !(h.level == 1 && h.text.eq_ignore_ascii_case(&page.title)))
        .map(|h| h.text.clone())
        .collect();
    // The catalog's reading of the keys (aliases, `metadata:`), for pages that are not skills;
    // a skill's come from its catalog entry below.
    let fields = crate::model::front_matter::CatalogFields::read(&page.front_matter);
    let mut doc = SearchDoc {
        title: page.title.clone(),
        url: page.url.clone(),
        kind: kind_of(page),
        pack: String::new(),
        pack_title: String::new(),
        types: fields.types,
        level: fields.level.unwrap_or_default(),
        tags: fields.tags,
        headings,
        sections,
        body: plain.body.clone(),
        code: plain.code.clone(),
        description: page.description.clone(),
        planned: false,
        page: Some(id),
        lang: page_lang(site, page),
    };
    if let Some(skill) = site
        .catalog
        .skill_by_page(id)
        .map(|s| &site.catalog.skills[s])
    {
        apply_skill(site, skill, &mut doc);
    }
    doc
}

/// Takes pack, types, level and tags (and a missing description) from the catalog.
fn apply_skill(site: &Site, skill: &Skill, doc: &mut SearchDoc) {
    if let Some(pack) = site.catalog.packs.get(skill.pack) {
        doc.pack = pack.name.clone();
        doc.pack_title = pack.title.clone();
    }
    if !skill.types.is_empty() {
        doc.types = skill.types.clone();
    }
    if let Some(level) = &skill.level {
        doc.level = level.clone();
    }
    if !skill.tags.is_empty() {
        doc.tags = skill.tags.clone();
    }
    if doc.description.is_empty() {
        doc.description = skill.description.clone();
    }
}

/// A planned skill: its section of the pack plan (heading to the next heading of the same or
/// a higher level), linked by anchor.
fn planned_doc(site: &Site, skill: &Skill, plan: &Page, body: &RenderedBody) -> SearchDoc {
    let plain = &body.plain;
    let anchor = skill.anchor.clone().unwrap_or_default();
    // The section's heading: the toc entry with this anchor, matched to the plain headings
    // (h2–h4, in the same order).
    let toc_pos = body.toc.iter().position(|t| t.id == anchor);
    let mut seen = 0;
    let mut heading = None;
    for (i, h) in plain.headings.iter().enumerate() {
        if (2..=4).contains(&h.level) {
            if Some(seen) == toc_pos {
                heading = Some(i);
                break;
            }
            seen += 1;
        }
    }
    let (text, title) = match heading {
        Some(i) => {
            let h = &plain.headings[i];
            let end = plain.headings[i + 1..]
                .iter()
                .find(|n| n.level <= h.level)
                .map_or(plain.body.len(), |n| n.offset);
            (
                plain.body.get(h.offset..end).unwrap_or("").to_string(),
                h.text.clone(),
            )
        }
        None => (String::new(), skill.name.clone()),
    };
    let mut doc = SearchDoc {
        title: skill.name.clone(),
        url: if anchor.is_empty() {
            plan.url.clone()
        } else {
            format!("{}#{anchor}", plan.url)
        },
        kind: "skill".into(),
        headings: vec![title.clone()],
        sections: vec![Section {
            anchor,
            heading: title,
            offset: 0,
        }],
        body: text,
        description: skill.description.clone(),
        planned: true,
        lang: page_lang(site, plan),
        ..SearchDoc::default()
    };
    apply_skill(site, skill, &mut doc);
    doc
}

/// `skill` for skills, `runbook` for pages in a `runbooks` folder, `section` for section,
/// home and catalog pages, else `page`; a front matter `kind` string wins.
fn kind_of(page: &Page) -> String {
    let own = fm_string(page, "kind");
    if !own.is_empty() {
        return own.to_lowercase();
    }
    match page.kind {
        PageKind::Skill => "skill",
        PageKind::Section | PageKind::Index | PageKind::Catalog => "section",
        PageKind::Page
            if page
                .url
                .split('/')
                .rev()
                .skip(1)
                .any(|d| d.eq_ignore_ascii_case("runbooks")) =>
        {
            "runbook"
        }
        PageKind::Page => "page",
    }
    .to_string()
}

/// The language of `page`: front matter `lang` or `language`, else the site's.
fn page_lang(site: &Site, page: &Page) -> String {
    let own = fm_string(page, "lang");
    let own = if own.is_empty() {
        fm_string(page, "language")
    } else {
        own
    };
    if own.is_empty() {
        site.config.book.language.clone()
    } else {
        own
    }
}

/// Front matter `key` or `metadata.key` as text (`model::front_matter::get`).
fn fm_string(page: &Page, key: &str) -> String {
    match crate::model::front_matter::get(&page.front_matter, &[key]) {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}
