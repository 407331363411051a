//! The catalog as an install source for agent tools: the two well-known skill indexes, the
//! skills' files and reproducible archives behind them, `llms-full.txt`, and the Markdown
//! twin of every page. Layout and schemas: `docs/catalog.md`, "Agent files".
//!
//! - `.well-known/agent-skills/index.json`: the Agent Skills Discovery RFC 0.2.0
//!   (`$schema` [`DISCOVERY_SCHEMA`]; entries `{name, type, description, url, digest}`). A
//!   skill whose folder holds only its `SKILL.md` is a `skill-md` entry pointing at that file;
//!   a skill with more files is an `archive` entry pointing at `NAME.tar.gz` beside the index.
//!   `digest` is `sha256:` and the hex SHA-256 of the bytes behind `url`.
//! - `.well-known/skills/index.json`: the earlier layout the `skills` CLI (npm `skills`) also
//!   reads, `{"skills": [{name, description, files}]}`, every file served under
//!   `.well-known/skills/NAME/`.
//! - `llms-full.txt`: every written skill's `SKILL.md`, by pack, beside `llms.txt`.
//! - the Markdown twin of every page with a source file: that file as written, at its own
//!   path beside the page (`guide/setup.md` beside `guide/setup.html`, as a skill's `SKILL.md`
//!   already was), linked from the page head by `<link rel="alternate" type="text/markdown">`
//!   ([`markdown_url`]).
//!
//! What a skill publishes is what discovery found in its folder (pages and assets below it,
//! minus the folders of skills nested in it); the bytes are the files on disk, so an install
//! is byte-identical to the source folder. A skill is left out of both indexes, with an
//! `agent-index` warning saying why, when the `skills` CLI (1.7.4, `WellKnownProvider`) would
//! reject or mangle it: a name outside `^[a-z0-9-]{1,64}$` (or with a leading, trailing or
//! double hyphen), an empty description, a `SKILL.md` without `name` and `description` in its
//! front matter, a second skill of the same name, a symbolic link in its folder that points
//! outside the project (`site.outside_links`), a file over [`MAX_FILE_BYTES`], more than
//! [`MAX_FILES`] files, or a file path the CLI refuses (`..`, `\`, `#`, `?`, `%`, control
//! characters) or a ustar header cannot hold. A skill defined by a `skill.json` (no
//! `SKILL.md`) gets an `agent-index` note.
//!
//! Hidden characters: the index descriptions and `llms-full.txt` go out with hidden characters
//! replaced by visible markers ([`reveal_text`]), as `llms.txt` and `catalog.json` do. The
//! twins, the served skill files and the archives are the source bytes, unchanged: an install
//! must be the skill as written. Their audit findings are on the skill's HTML page and in
//! `catalog.json` (docs/security.md).

use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::catalog::SkillId;
use crate::model::{PageId, PageKind, Site};
use crate::render::OutFile;
use crate::util::hidden::reveal_text;
use crate::util::path::{clean, href_path};

/// `$schema` of the Agent Skills Discovery index, version 0.2.0.
pub const DISCOVERY_SCHEMA: &str = "https://schemas.agentskills.io/discovery/0.2.0/schema.json";
/// Folder of the RFC 0.2.0 index and archives (root-relative).
pub const AGENT_SKILLS_DIR: &str = ".well-known/agent-skills";
/// Folder of the earlier index and the skills' files (root-relative).
pub const SKILLS_DIR: &str = ".well-known/skills";
/// Largest file a published skill may hold: 10 MiB, the `skills` CLI's download limit.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;
/// Most files a published skill may hold: 1,000, the `skills` CLI's archive limit.
pub const MAX_FILES: usize = 1000;
/// Longest description in the RFC 0.2.0 index, in UTF-16 code units (the CLI checks
/// JavaScript's `length`); longer ones are cut with `…`.
pub const MAX_DESCRIPTION: usize = 1024;
/// Diagnostic rule of every skill left out of the indexes.
pub const RULE: &str = "agent-index";

/// Why `name` cannot be a name in the discovery index, if it cannot: the RFC 0.2.0 schema
/// allows `^[a-z0-9-]{1,64}$` only (ASCII, unlike the Agent Skills spec's Unicode letters),
/// with no leading, trailing or double hyphen as the spec says.
pub fn discovery_name_problem(name: &str) -> Option<String> {
    if name.is_empty() || name.len() > 64 {
        return Some(format!(
            "is {} characters long (1 to 64 allowed)",
            name.chars().count()
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Some(format!(
            "has `{c}`; it may only contain lowercase letters a-z, digits and hyphens"
        ));
    }
    if name.starts_with('-') || name.ends_with('-') || name.contains("--") {
        return Some("starts or ends with a hyphen, or has two in a row".into());
    }
    None
}

/// The one-line install of skill `id` from the published site:
/// `npx skills add https://catalog.example.org/ --skill NAME`.
///
/// `None` when `[output.html] site-url` is unset or not `http(s)://` (the `skills` CLI reads
/// well-known indexes only over HTTP), when the skill is planned, or when its name is not a
/// valid discovery name ([`discovery_name_problem`]);
/// such a skill is not in the indexes. The URL is shell-quoted when it needs it. Whether the
/// skill was left out of the indexes for another reason (a limit, a duplicate name) is not
/// checked here: that needs its files (see [`publish_plan`]).
pub fn install_command(site: &Site, id: SkillId) -> Option<String> {
    let url = site.config.html.site_url.as_deref()?;
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://"))
        || !crate::util::url::is_allowed(url)
    {
        return None;
    }
    let s = site.catalog.skills.get(id)?;
    if s.planned || discovery_name_problem(&s.name).is_some() {
        return None;
    }
    let url = shlex::try_quote(url).ok()?;
    Some(format!("npx skills add {url} --skill {}", s.name))
}

/// Root-relative path of the Markdown twin of page `id`: its source file, published at its
/// content-relative path (`guide/setup.md` beside `guide/setup.html`; a skill's `SKILL.md`,
/// which the build publishes beside its page anyway); for the catalog page `llms.txt`. `None`
/// for generated pages without a source and for drafts.
pub fn markdown_url(site: &Site, id: PageId) -> Option<String> {
    let page = &site.pages[id];
    if page.draft {
        return None;
    }
    if page.kind == PageKind::Catalog {
        return (!site.catalog.skills.is_empty()).then(|| "llms.txt".to_string());
    }
    page.source.clone()
}

/// The Markdown twins: each page's source file copied to its content-relative path (see
/// [`markdown_url`]), except the written skills' own files, which `build` already publishes
/// beside their pages.
pub fn markdown_twins(site: &Site) -> Vec<OutFile> {
    let src = site.config.src_dir();
    let skills: std::collections::HashSet<&str> = site
        .catalog
        .skills
        .iter()
        .filter(|s| !s.planned)
        .map(|s| s.source.as_str())
        .collect();
    site.pages
        .iter()
        .filter(|p| !p.draft && p.kind != PageKind::Catalog)
        .filter_map(|p| {
            let source = p.source.as_ref()?;
            (!skills.contains(source.as_str()))
                .then(|| OutFile::Copy(source.clone(), src.join(source)))
        })
        .collect()
}

/// A skill that goes into the indexes: its name and its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publishable {
    /// The skill.
    pub skill: SkillId,
    /// Its files: path inside the skill folder (`/`-separated; the defining file is always
    /// `SKILL.md`) and absolute source path, sorted by path, `SKILL.md` among them.
    pub files: Vec<(String, PathBuf)>,
}

/// Which written skills go into the indexes, in catalog order, with their files; every skill
/// left out gets an [`RULE`] diagnostic (see the module docs for the reasons).
pub fn publish_plan(site: &Site, diags: &Diagnostics) -> Vec<Publishable> {
    plan_with(site, &Sources::default(), diags)
}

/// Each written skill's defining file (`SKILL.md`), read once for the digest or archive of the
/// indexes and for `llms-full.txt`: its absolute path and what reading it gave, by
/// [`SkillId`] (`None` for planned skills and when not read).
#[derive(Debug, Default)]
struct Sources(Vec<Option<(PathBuf, std::io::Result<Vec<u8>>)>>);

impl Sources {
    /// Reads every written skill's defining file, in parallel.
    fn read(site: &Site) -> Self {
        let src = site.config.src_dir();
        Sources(
            site.catalog
                .skills
                .par_iter()
                .map(|s| {
                    (!s.planned).then(|| {
                        let path = src.join(&s.source);
                        let bytes = std::fs::read(&path);
                        (path, bytes)
                    })
                })
                .collect(),
        )
    }

    /// The bytes of skill `id`'s defining file, when it was read and `from` is that file.
    fn bytes(&self, id: SkillId, from: &std::path::Path) -> Option<&[u8]> {
        match self.0.get(id)? {
            Some((path, Ok(bytes))) if path == from => Some(bytes),
            _ => None,
        }
    }
}

/// [`publish_plan`] with the skills' defining files already read (their sizes need no
/// `stat`).
fn plan_with(site: &Site, sources: &Sources, diags: &Diagnostics) -> Vec<Publishable> {
    let c = &site.catalog;
    let src = site.config.src_dir();
    let written: Vec<SkillId> = (0..c.skills.len())
        .filter(|&i| !c.skills[i].planned)
        .collect();
    let index = FileIndex::new(site);
    let mut seen: std::collections::HashSet<&str> = Default::default();
    let mut out = Vec::new();
    for &id in &written {
        let s = &c.skills[id];
        let leave_out = |why: String| {
            diags.push(
                Diagnostic::warning(
                    RULE,
                    format!("skill `{}` is left out of the agent skill indexes: {why}", s.name),
                )
                .at(clean(&src.join(&s.source)))
                .line(s.line)
                .hint("agent tools (`npx skills add SITE`) install only the skills listed in .well-known/"),
            );
        };
        let file_name = s.source.rsplit('/').next().unwrap_or("");
        if !file_name.eq_ignore_ascii_case("skill.md") {
            diags.push(
                Diagnostic::note(
                    RULE,
                    format!("skill `{}` is defined by `{file_name}`, not a SKILL.md: not in the agent skill indexes", s.name),
                )
                .at(clean(&src.join(&s.source))),
            );
            continue;
        }
        if let Some(problem) = discovery_name_problem(&s.name) {
            leave_out(format!(
                "its name {problem} (Agent Skills Discovery RFC 0.2.0)"
            ));
            continue;
        }
        if s.description.trim().is_empty() {
            leave_out("it has no description".into());
            continue;
        }
        let page = s.page.map(|p| &site.pages[p]);
        let fm_str = |k: &str| {
            page.and_then(|p| p.front_matter.get(k))
                .and_then(|v| v.as_str())
                .is_some()
        };
        if !fm_str("name") || !fm_str("description") {
            leave_out("its front matter lacks `name` or `description`, which the `skills` CLI reads from SKILL.md".into());
            continue;
        }
        if !seen.insert(s.name.as_str()) {
            leave_out("another skill of the same name is published first".into());
            continue;
        }
        let prefix = if s.folder.is_empty() {
            String::new()
        } else {
            format!("{}/", s.folder)
        };
        if let Some(link) = site
            .outside_links
            .iter()
            .find(|l| l.path.starts_with(&prefix))
        {
            leave_out(format!(
                "`{}` is a symbolic link to `{}`, outside the project",
                link.path,
                link.target.display()
            ));
            continue;
        }
        let files = index.files_of(site, id);
        if files.len() > MAX_FILES {
            leave_out(format!(
                "its folder holds {} files; the `skills` CLI takes at most {MAX_FILES}",
                files.len()
            ));
            continue;
        }
        if let Some((p, why)) = files
            .iter()
            .find_map(|(p, _)| path_problem(p).map(|w| (p, w)))
        {
            leave_out(format!("the file path `{p}` {why}"));
            continue;
        }
        if let Some((p, len)) = files.iter().find_map(|(p, from)| {
            let len = match sources.bytes(id, from) {
                Some(bytes) => bytes.len() as u64,
                None => std::fs::metadata(from).map(|m| m.len()).unwrap_or(0),
            };
            (len > MAX_FILE_BYTES).then_some((p, len))
        }) {
            leave_out(format!(
                "`{p}` is {:.1} MiB; the `skills` CLI downloads files of at most 10 MiB",
                len as f64 / (1024.0 * 1024.0)
            ));
            continue;
        }
        out.push(Publishable { skill: id, files });
    }
    out
}

/// Every written skill's files (see [`Publishable::files`]), indexed by [`SkillId`]; empty
/// for planned skills. What a skill folder holds is what discovery found below it, minus the
/// folders of other skills nested in it.
pub fn skill_files(site: &Site) -> Vec<Vec<(String, PathBuf)>> {
    let index = FileIndex::new(site);
    (0..site.catalog.skills.len())
        .map(|id| {
            if site.catalog.skills[id].planned {
                Vec::new()
            } else {
                index.files_of(site, id)
            }
        })
        .collect()
}

/// The site's files sorted by content-relative path, and the written skills' folders.
struct FileIndex<'a> {
    /// (content-relative path, absolute path) of every page source and asset.
    all: Vec<(&'a str, PathBuf)>,
    folders: Vec<&'a str>,
}

impl<'a> FileIndex<'a> {
    fn new(site: &'a Site) -> Self {
        let src = site.config.src_dir();
        let mut all: Vec<(&str, PathBuf)> = site
            .pages
            .iter()
            .filter_map(|p| p.source.as_deref().map(|s| (s, src.join(s))))
            .chain(site.assets.iter().map(|a| (a.to.as_str(), a.from.clone())))
            .collect();
        all.sort_by(|a, b| a.0.cmp(b.0));
        let folders = site
            .catalog
            .skills
            .iter()
            .filter(|s| !s.planned)
            .map(|s| s.folder.as_str())
            .collect();
        FileIndex { all, folders }
    }

    /// The files of skill `id`, sorted, its defining file as `SKILL.md`.
    fn files_of(&self, site: &Site, id: SkillId) -> Vec<(String, PathBuf)> {
        let s = &site.catalog.skills[id];
        let prefix = if s.folder.is_empty() {
            String::new()
        } else {
            format!("{}/", s.folder)
        };
        // Folders of other skills inside this one: their files are theirs.
        let nested: Vec<String> = self
            .folders
            .iter()
            .filter(|f| f.len() > s.folder.len() && f.starts_with(&prefix))
            .map(|f| format!("{f}/"))
            .collect();
        let start = self.all.partition_point(|(p, _)| *p < prefix.as_str());
        let mut files = Vec::new();
        for (path, from) in self.all[start..]
            .iter()
            .take_while(|(p, _)| p.starts_with(&prefix))
        {
            if nested.iter().any(|n| path.starts_with(n.as_str())) {
                continue;
            }
            let rel = if *path == s.source {
                "SKILL.md".to_string()
            } else {
                path[prefix.len()..].to_string()
            };
            files.push((rel, from.clone()));
        }
        files.sort();
        files.dedup_by(|a, b| a.0 == b.0);
        files
    }
}

/// Why the `skills` CLI or a ustar header would refuse `path` (inside a skill folder), or
/// `None`. The CLI's rules: no `..`, no leading `/` or `\`, no `\`, no NUL
/// (`isSafeLegacyFilePath`, `normalizeArchivePath`); `#`, `?` and `%` would change the URL it
/// fetches; ustar holds a 100-byte name after a 155-byte folder prefix.
fn path_problem(path: &str) -> Option<&'static str> {
    if path.contains("..") || path.starts_with('/') || path.contains('\\') {
        return Some("has `..`, `\\` or a leading `/`, which the `skills` CLI refuses");
    }
    if path
        .chars()
        .any(|c| c.is_control() || matches!(c, '#' | '?' | '%'))
    {
        return Some("has a control character, `#`, `?` or `%`, which break its URL");
    }
    if tar::Header::new_ustar().set_path(path).is_err() {
        return Some("is too long for a tar (ustar) header");
    }
    None
}

/// A skill with its bytes read: what both indexes list.
struct Packed {
    skill: SkillId,
    /// Paths inside the folder.
    files: Vec<(String, PathBuf)>,
    /// `skill-md` or `archive`.
    kind: &'static str,
    /// Root-relative path of the artifact (`.well-known/agent-skills/NAME.tar.gz` or the
    /// served `SKILL.md`).
    artifact: String,
    /// The archive's bytes (`None` for `skill-md`, whose file is copied).
    archive: Option<Vec<u8>>,
    digest: String,
}

#[derive(Serialize)]
struct DiscoveryIndex<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    skills: Vec<DiscoveryEntry<'a>>,
}

#[derive(Serialize)]
struct DiscoveryEntry<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    description: String,
    url: String,
    digest: &'a str,
}

#[derive(Serialize)]
struct LegacyIndex<'a> {
    skills: Vec<LegacyEntry<'a>>,
}

#[derive(Serialize)]
struct LegacyEntry<'a> {
    name: &'a str,
    description: String,
    files: Vec<&'a str>,
}

/// The well-known indexes and what they point at (see the module docs): both `index.json`
/// files, each archive, and copies of every published skill's files under
/// `.well-known/skills/NAME/`. Skills are packed in parallel. A file that cannot be read
/// leaves its skill out with an [`RULE`] warning. Empty when no skill is published.
pub fn well_known(site: &Site, diags: &Diagnostics) -> Vec<OutFile> {
    well_known_with(site, &Sources::read(site), diags)
}

/// [`well_known`] with the skills' defining files already read.
fn well_known_with(site: &Site, sources: &Sources, diags: &Diagnostics) -> Vec<OutFile> {
    let plan = plan_with(site, sources, diags);
    if plan.is_empty() {
        return Vec::new();
    }
    let c = &site.catalog;
    let src = site.config.src_dir();
    let packed: Vec<Packed> = plan
        .into_par_iter()
        .filter_map(|p| {
            let name = &c.skills[p.skill].name;
            let packed = if p.files.len() == 1 {
                let from = &p.files[0].1;
                let bytes = match sources.bytes(p.skill, from) {
                    Some(b) => Ok(std::borrow::Cow::Borrowed(b)),
                    None => std::fs::read(from).map(std::borrow::Cow::Owned),
                };
                bytes.map_err(|e| (from.clone(), e)).map(|bytes| Packed {
                    skill: p.skill,
                    kind: "skill-md",
                    artifact: format!("{SKILLS_DIR}/{name}/SKILL.md"),
                    archive: None,
                    digest: digest(&bytes),
                    files: p.files.clone(),
                })
            } else {
                read_all(&p.files, |from| sources.bytes(p.skill, from)).map(|contents| {
                    let bytes = tar_gz(&contents);
                    Packed {
                        skill: p.skill,
                        kind: "archive",
                        artifact: format!("{AGENT_SKILLS_DIR}/{name}.tar.gz"),
                        digest: digest(&bytes),
                        archive: Some(bytes),
                        files: p.files.clone(),
                    }
                })
            };
            match packed {
                Ok(p) => Some(p),
                Err((path, e)) => {
                    diags.push(
                        Diagnostic::warning(
                            RULE,
                            format!("skill `{name}` is left out of the agent skill indexes: cannot read `{}`: {e}", clean(&path).display()),
                        )
                        .at(clean(&src.join(&c.skills[p.skill].source))),
                    );
                    None
                }
            }
        })
        .collect();
    if packed.is_empty() {
        return Vec::new();
    }
    let description = |id: SkillId| {
        let d = reveal_text(c.skills[id].description.trim());
        let d = d.split_whitespace().collect::<Vec<_>>().join(" ");
        truncate_utf16(&d, MAX_DESCRIPTION)
    };
    let discovery = DiscoveryIndex {
        schema: DISCOVERY_SCHEMA,
        skills: packed
            .iter()
            .map(|p| DiscoveryEntry {
                name: &c.skills[p.skill].name,
                kind: p.kind,
                description: description(p.skill),
                // Relative to the index, so the site works under any base path.
                url: relative_to_index(&p.artifact),
                digest: &p.digest,
            })
            .collect(),
    };
    let legacy = LegacyIndex {
        skills: packed
            .iter()
            .map(|p| LegacyEntry {
                name: &c.skills[p.skill].name,
                description: description(p.skill),
                files: p.files.iter().map(|(f, _)| f.as_str()).collect(),
            })
            .collect(),
    };
    let mut out = vec![
        OutFile::Bytes(
            format!("{AGENT_SKILLS_DIR}/index.json"),
            to_json(&discovery).into_bytes(),
        ),
        OutFile::Bytes(
            format!("{SKILLS_DIR}/index.json"),
            to_json(&legacy).into_bytes(),
        ),
    ];
    for p in packed {
        let name = &c.skills[p.skill].name;
        for (rel, from) in &p.files {
            out.push(OutFile::Copy(
                format!("{SKILLS_DIR}/{name}/{rel}"),
                from.clone(),
            ));
        }
        if let Some(bytes) = p.archive {
            out.push(OutFile::Bytes(p.artifact, bytes));
        }
    }
    out
}

/// Pretty JSON with a final newline.
fn to_json<T: Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

/// `.well-known/skills/a/SKILL.md` → `../skills/a/SKILL.md`; `.well-known/agent-skills/a.tar.gz`
/// → `a.tar.gz` (URLs relative to `.well-known/agent-skills/index.json`).
fn relative_to_index(artifact: &str) -> String {
    crate::util::path::relative_href(&href_path(AGENT_SKILLS_DIR), &href_path(artifact))
}

type ReadError = (PathBuf, std::io::Error);

/// The files of an archive: path inside it, bytes (`known` gives those already read) and
/// whether the file is executable.
fn read_all<'a>(
    files: &[(String, PathBuf)],
    known: impl Fn(&std::path::Path) -> Option<&'a [u8]>,
) -> Result<Vec<(String, Vec<u8>, bool)>, ReadError> {
    files
        .iter()
        .map(|(rel, from)| {
            let bytes = match known(from) {
                Some(b) => b.to_vec(),
                None => std::fs::read(from).map_err(|e| (from.clone(), e))?,
            };
            Ok((rel.clone(), bytes, is_executable(from)))
        })
        .collect()
}

#[cfg(unix)]
fn is_executable(path: &std::path::Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(_: &std::path::Path) -> bool {
    false
}

/// `sha256:` and the lowercase hex SHA-256 of `bytes` (the RFC 0.2.0 `digest`).
pub fn digest(bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    let mut s = String::with_capacity(7 + 64);
    s.push_str("sha256:");
    for b in hash.iter() {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// A reproducible `.tar.gz` of `files` (path inside the archive, bytes, executable), in the
/// order given (callers sort by path): ustar headers, no folder entries, mode 0644 (0755 when
/// executable), mtime 0, uid/gid 0 with empty owner names; gzip with mtime 0, no file name,
/// OS "unknown". The same files give the same bytes on every machine and build.
///
/// Deflate at level 3: on the superpowers pack's 8 archives (280 KiB of tar) it takes 31% fewer
/// instructions than the default level 6 for 3% more bytes (96,638 instead of 93,604; level 1
/// would give 122,661); docs/benchmarks.md, "Cost of the agent files".
pub fn tar_gz(files: &[(String, Vec<u8>, bool)]) -> Vec<u8> {
    let gz = crate::util::gzip::encoder(Vec::new(), 3);
    let mut tar = tar::Builder::new(gz);
    tar.mode(tar::HeaderMode::Deterministic);
    for (path, bytes, exec) in files {
        let mut h = tar::Header::new_ustar();
        h.set_size(bytes.len() as u64);
        h.set_mode(if *exec { 0o755 } else { 0o644 });
        h.set_mtime(0);
        h.set_uid(0);
        h.set_gid(0);
        let _ = h.set_username("");
        let _ = h.set_groupname("");
        h.set_entry_type(tar::EntryType::Regular);
        // Writing into memory does not fail; paths were checked by `path_problem`.
        let _ = tar.append_data(&mut h, path, bytes.as_slice());
    }
    let gz = match tar.into_inner() {
        Ok(gz) => gz,
        Err(_) => return Vec::new(),
    };
    gz.finish().unwrap_or_default()
}

/// `text` cut to at most `max` UTF-16 code units, ending in `…` when cut.
fn truncate_utf16(text: &str, max: usize) -> String {
    if text.encode_utf16().count() <= max {
        return text.to_string();
    }
    let mut n = 1; // the ellipsis
    let mut out = String::new();
    for c in text.chars() {
        n += c.len_utf16();
        if n > max {
            break;
        }
        out.push(c);
    }
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// `llms-full.txt`: the site title and description, then for each pack (`## title`) each
/// written skill (`### name`, its page URL and source path) followed by its `SKILL.md` as
/// written, in a fenced block longer than any backtick run inside it, with hidden characters
/// replaced by visible markers. The text is the file on disk when it is UTF-8, else the
/// decoded page (front matter and body).
pub fn llms_full_txt(site: &Site) -> String {
    llms_full_with(site, &Sources::read(site))
}

/// [`llms_full_txt`] with the skills' defining files already read.
fn llms_full_with(site: &Site, sources: &Sources) -> String {
    let c = &site.catalog;
    let base = site
        .config
        .html
        .site_url
        .as_deref()
        .map(|u| format!("{}/", u.trim_end_matches('/')))
        .unwrap_or_default();
    let mut out = format!("# {}\n\n", reveal_text(&site.config.book.title));
    if !site.config.book.description.is_empty() {
        out.push_str(&format!(
            "> {}\n\n",
            reveal_text(&site.config.book.description)
        ));
    }
    out.push_str(
        "Every skill's SKILL.md, by pack. Hidden characters are shown as ⟦…⟧ markers.\n\n",
    );
    for p in &c.packs {
        let written: Vec<SkillId> = p
            .skills
            .iter()
            .copied()
            .filter(|&i| !c.skills[i].planned)
            .collect();
        if written.is_empty() {
            continue;
        }
        out.push_str(&format!("## {}\n\n", reveal_text(&p.title)));
        for i in written {
            let s = &c.skills[i];
            out.push_str(&format!("### {}\n\n", reveal_text(&s.name)));
            if let Some(url) = super::catalog_files::skill_url(site, i) {
                out.push_str(&format!("URL: {base}{url}\n"));
            }
            out.push_str(&format!("Source: {}\n\n", s.source));
            let read = match sources.0.get(i) {
                Some(Some((_, Ok(bytes)))) => std::str::from_utf8(bytes).ok(),
                _ => None,
            };
            let text =
                reveal_text(read.unwrap_or_else(|| {
                    s.page.map(|id| site.pages[id].body.as_str()).unwrap_or("")
                }));
            let fence = "`".repeat(longest_run(&text, b'`').max(2) + 1);
            out.push_str(&fence);
            out.push_str("markdown\n");
            out.push_str(&text);
            if !text.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(&format!("{fence}\n\n"));
        }
    }
    out
}

/// The longest run of the ASCII byte `ch` in `text`.
fn longest_run(text: &str, ch: u8) -> usize {
    let (mut best, mut run) = (0, 0);
    for &c in text.as_bytes() {
        if c == ch {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

/// Everything this module adds to a build: the well-known indexes and skill files,
/// `llms-full.txt` (when there are skills) and the Markdown twins.
pub fn agent_files(site: &Site, diags: &Diagnostics) -> Vec<OutFile> {
    let mut out = Vec::new();
    if !site.catalog.skills.is_empty() {
        let sources = Sources::read(site);
        out.extend(well_known_with(site, &sources, diags));
        out.push(OutFile::Bytes(
            "llms-full.txt".into(),
            llms_full_with(site, &sources).into_bytes(),
        ));
    }
    out.extend(markdown_twins(site));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archives_are_reproducible_ustar() {
        let files = vec![
            (
                "SKILL.md".to_string(),
                b"---\nname: a\n---\n".to_vec(),
                false,
            ),
            ("scripts/run.sh".to_string(), b"#!/bin/sh\n".to_vec(), true),
        ];
        let a = tar_gz(&files);
        assert_eq!(a, tar_gz(&files));
        assert_eq!(&a[..2], &[0x1f, 0x8b]);
        // gzip mtime 0, OS unknown
        assert_eq!(&a[4..8], &[0, 0, 0, 0]);
        assert_eq!(a[9], 255);
        let mut tar = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&a[..]), &mut tar).unwrap();
        let mut ar = tar::Archive::new(&tar[..]);
        let entries: Vec<(String, u32, u64)> = ar
            .entries()
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let h = e.header();
                (
                    e.path().unwrap().to_string_lossy().into_owned(),
                    h.mode().unwrap(),
                    h.mtime().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            entries,
            [
                ("SKILL.md".to_string(), 0o644, 0),
                ("scripts/run.sh".to_string(), 0o755, 0)
            ]
        );
        assert_eq!(&tar[257..262], b"ustar");
    }

    #[test]
    fn digest_is_sha256_hex() {
        assert_eq!(
            digest(b"abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn descriptions_are_cut_in_utf16_units() {
        assert_eq!(truncate_utf16("short", 10), "short");
        let long = "é".repeat(2000);
        let cut = truncate_utf16(&long, MAX_DESCRIPTION);
        assert_eq!(cut.encode_utf16().count(), MAX_DESCRIPTION);
        assert!(cut.ends_with('…'));
        // An astral character counts two units and is never split.
        let cut = truncate_utf16(&"😀".repeat(600), MAX_DESCRIPTION);
        assert!(cut.encode_utf16().count() <= MAX_DESCRIPTION);
    }

    #[test]
    fn paths_the_cli_refuses() {
        assert_eq!(path_problem("references/a.md"), None);
        assert!(path_problem("a/../b").is_some());
        assert!(path_problem("a..b").is_some());
        assert!(path_problem("a\\b").is_some());
        assert!(path_problem("a#b").is_some());
        assert!(path_problem(&"x".repeat(120)).is_some());
        assert_eq!(
            path_problem(&format!("{}/{}", "d".repeat(100), "f".repeat(90))),
            None
        );
    }

    #[test]
    fn relative_urls() {
        assert_eq!(
            relative_to_index(".well-known/agent-skills/a.tar.gz"),
            "a.tar.gz"
        );
        assert_eq!(
            relative_to_index(".well-known/skills/a/SKILL.md"),
            "../skills/a/SKILL.md"
        );
    }
}
