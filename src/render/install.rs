//! Install commands for a skill or a pack, per agent: what the skill page's install tabs,
//! the pack page and `catalog.json` (`skills[].install`, `packs[].install`) show.
//!
//! With `site-url` set, the first command of each tab installs from the published site
//! itself (`npx skills add https://catalog.example.org/ --skill NAME`, read from its
//! `.well-known/` indexes; `render::agent_files::install_command`). The repository is named
//! from book.toml's `git-repository-url`, else the `origin` remote of
//! the project's git repository ([`crate::model::Repository`]); a GitHub URL becomes the
//! `OWNER/REPO` shorthand both installers accept. Without either, the commands are the
//! "from a clone" forms (`npx skills add . --skill NAME`, `cp -r PATH …`) with a note saying
//! so. Commands follow:
//! - the `skills` CLI (npm `skills`, <https://github.com/vercel-labs/skills>):
//!   `npx skills add SOURCE --skill NAME [-a AGENT]`, agent ids from its `docs/agents.md`;
//! - Claude Code plugins (<https://docs.claude.com/en/docs/claude-code/plugin-marketplaces>):
//!   `/plugin marketplace add SOURCE`, then `/plugin install PLUGIN@MARKETPLACE`;
//! - a copy by hand into `~/.claude/skills/NAME` (personal) or `.claude/skills/NAME` (project).
//!
//! Names, paths and URLs come from third-party packs, so every shell word is quoted
//! (`shlex`) and `git clone` gets `--` before the URL; a plugin or marketplace name that is
//! not a plain `[A-Za-z0-9._-]+` word gets no slash command at all. The copy button copies
//! exactly one [`InstallMethod::command`].

use serde::Serialize;

use crate::model::catalog::{PackId, SkillId};
use crate::model::Site;

/// The agents that get a tab of their own: (`skills` CLI `--agent` id, label).
pub const AGENTS: &[(&str, &str)] = &[
    ("claude-code", "Claude Code"),
    ("codex", "Codex"),
    ("cursor", "Cursor"),
    ("github-copilot", "GitHub Copilot"),
    ("gemini-cli", "Gemini CLI"),
    ("opencode", "OpenCode"),
];

/// One tab: the ways to install for one agent (or `any` agent, the interactive CLI).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstallTab {
    /// `skills` CLI agent id (`claude-code`), or `any`.
    pub agent: String,
    /// Tab label (`Claude Code`, `Any agent`).
    pub label: String,
    /// The ways, best first.
    pub methods: Vec<InstallMethod>,
}

/// One command, copied as is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstallMethod {
    /// What it uses (`skills CLI`, `Claude Code plugin`, `Copy by hand`).
    pub label: String,
    /// The command, one line (slash commands are one per method).
    pub command: String,
    /// Where to run it, when it is not a plain shell ("in Claude Code", "in a clone of this
    /// repository").
    pub note: Option<String>,
}

/// Where the installers fetch the repository from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepoSource {
    /// A GitHub repository, as `OWNER/REPO`, with its clone URL.
    GitHub {
        /// `OWNER/REPO`.
        shorthand: String,
        /// `https://github.com/OWNER/REPO.git`.
        url: String,
    },
    /// Any other git URL (http(s), ssh, `git@host:path`), as written.
    Url(String),
    /// No repository known: commands run in a clone.
    Local,
}

impl RepoSource {
    /// The argument `npx skills add` and `/plugin marketplace add` take.
    fn arg(&self) -> &str {
        match self {
            RepoSource::GitHub { shorthand, .. } => shorthand,
            RepoSource::Url(u) => u,
            RepoSource::Local => ".",
        }
    }
}

/// The repository of the site: book.toml `git-repository-url`, else the `origin` remote.
/// URLs that are not http(s), ssh or scp-style git addresses (`file:`, `ext::`, an option
/// such as `--upload-pack=…`) are not used.
pub fn repo_source(site: &Site) -> RepoSource {
    let url = site
        .config
        .html
        .git_repository_url
        .clone()
        .or_else(|| site.repository.as_ref().and_then(|r| r.url.clone()));
    match url.as_deref().map(str::trim) {
        Some(u) if is_git_url(u) => match github_shorthand(u) {
            Some(shorthand) => RepoSource::GitHub {
                url: format!("https://github.com/{shorthand}.git"),
                shorthand,
            },
            None => RepoSource::Url(u.to_string()),
        },
        _ => RepoSource::Local,
    }
}

fn is_git_url(u: &str) -> bool {
    let lower = u.to_ascii_lowercase();
    let scp = u
        .split_once(':')
        .is_some_and(|(host, _)| host.contains('@') && !host.contains('/'));
    (lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("ssh://")
        || scp)
        && !u.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// `OWNER/REPO` of a GitHub URL (`https://github.com/o/r`, `…/o/r.git`, `…/o/r/tree/main/x`,
/// `git@github.com:o/r.git`, `ssh://git@github.com/o/r`), when both parts are plain names.
pub fn github_shorthand(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://github.com/")
        .or_else(|| url.strip_prefix("http://github.com/"))
        .or_else(|| url.strip_prefix("https://www.github.com/"))
        .or_else(|| url.strip_prefix("git@github.com:"))
        .or_else(|| url.strip_prefix("ssh://git@github.com/"))?;
    let mut parts = rest.split('/');
    let owner = parts.next()?;
    let repo = parts.next()?;
    let repo = repo.strip_suffix(".git").unwrap_or(repo);
    let plain = |s: &str| {
        !s.is_empty()
            && !s.starts_with('.')
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    (plain(owner) && plain(repo)).then(|| format!("{owner}/{repo}"))
}

/// A shell word, quoted when it needs it (`'it'"'"'s'`); never empty.
fn sh(word: &str) -> String {
    shlex::try_quote(word).map_or_else(|_| "''".to_string(), |q| q.into_owned())
}

fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('-')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Path of a content-relative folder from the top of the repository (`plugins/p/skills/x`).
fn repo_path(site: &Site, folder: &str) -> String {
    let src = site.config.book.src.to_string_lossy().replace('\\', "/");
    let sub = site
        .repository
        .as_ref()
        .map(|r| r.subdir.as_str())
        .unwrap_or("");
    [
        sub,
        src.trim_start_matches("./").trim_end_matches('/'),
        folder,
    ]
    .iter()
    .filter(|p| !p.is_empty() && **p != ".")
    .copied()
    .collect::<Vec<_>>()
    .join("/")
}

/// The two Claude Code slash commands for a plugin listed in a marketplace, when the names
/// are plain words.
fn plugin_methods(source: &RepoSource, plugin: &str, marketplace: &str) -> Vec<InstallMethod> {
    if !plain_name(plugin) || !plain_name(marketplace) {
        return Vec::new();
    }
    let where_ = match source {
        RepoSource::Local => "in Claude Code, started in a clone of this repository",
        _ => "in Claude Code",
    };
    vec![
        InstallMethod {
            label: "Add the marketplace".into(),
            command: format!("/plugin marketplace add {}", source.arg()),
            note: Some(where_.into()),
        },
        InstallMethod {
            label: "Install the plugin".into(),
            command: format!("/plugin install {plugin}@{marketplace}"),
            note: Some("in Claude Code".into()),
        },
    ]
}

fn local_note(source: &RepoSource) -> Option<String> {
    (*source == RepoSource::Local).then(|| {
        "in a clone of this repository; set git-repository-url in book.toml to name it".to_string()
    })
}

/// The install tabs of a written skill: "Any agent" (the interactive `skills` CLI), then one
/// tab per [`AGENTS`] entry; Claude Code's tab also has the plugin commands when the skill's
/// pack is a marketplace plugin, and a copy by hand. Planned skills have none.
pub fn for_skill(site: &Site, id: SkillId) -> Vec<InstallTab> {
    let c = &site.catalog;
    let s = &c.skills[id];
    if s.planned {
        return Vec::new();
    }
    let source = repo_source(site);
    let name = sh(&s.name);
    let src = sh(source.arg());
    let cli = |agent: Option<&str>| InstallMethod {
        label: "skills CLI".into(),
        command: match agent {
            Some(a) => format!("npx skills add {src} --skill {name} -a {a}"),
            None => format!("npx skills add {src} --skill {name}"),
        },
        note: local_note(&source),
    };
    // From the published site itself (its `.well-known/` skill indexes), when it has a URL.
    let from_site = crate::render::agent_files::install_command(site, id);
    let site_cli = |agent: Option<&str>| {
        from_site.as_ref().map(|c| InstallMethod {
            label: "skills CLI, from this site".into(),
            command: match agent {
                Some(a) => format!("{c} -a {a}"),
                None => c.clone(),
            },
            note: None,
        })
    };
    let mut tabs = vec![InstallTab {
        agent: "any".into(),
        label: "Any agent".into(),
        methods: site_cli(None).into_iter().chain([cli(None)]).collect(),
    }];
    let pack = &c.packs[s.pack];
    for (agent, label) in AGENTS {
        let mut methods = Vec::new();
        if *agent == "claude-code" {
            if let Some(mk) = &pack.marketplace {
                methods.extend(plugin_methods(&source, &pack.name, mk));
            }
        }
        methods.extend(site_cli(Some(agent)));
        methods.push(cli(Some(agent)));
        if *agent == "claude-code" {
            let path = sh(&repo_path(site, &s.folder));
            let (command, note) = match &source {
                RepoSource::Local => (
                    format!("cp -r {path} ~/.claude/skills/{name}"),
                    local_note(&source),
                ),
                RepoSource::GitHub { url, .. } | RepoSource::Url(url) => {
                    let dir = sh(&format!("/tmp/skillsite-{}", s.name.replace('/', "-")));
                    (
                        format!(
                            "git clone --depth 1 -- {} {dir} && cp -r {dir}/{path} ~/.claude/skills/{name}",
                            sh(url)
                        ),
                        Some("or copy into a project's .claude/skills/ instead".into()),
                    )
                }
            };
            methods.push(InstallMethod {
                label: "Copy by hand".into(),
                command,
                note,
            });
        }
        tabs.push(InstallTab {
            agent: (*agent).into(),
            label: (*label).into(),
            methods,
        });
    }
    tabs
}

/// Packs with more written skills than this get no `skills` CLI command listing them all.
pub const MAX_PACK_SKILLS: usize = 20;

/// How to install a whole pack: the Claude Code plugin commands when it is a marketplace
/// plugin, and the `skills` CLI with each of its written skills (`--skill a --skill b`, up to
/// [`MAX_PACK_SKILLS`]).
pub fn for_pack(site: &Site, id: PackId) -> Vec<InstallTab> {
    let c = &site.catalog;
    let pack = &c.packs[id];
    let source = repo_source(site);
    let mut tabs = Vec::new();
    if let Some(mk) = &pack.marketplace {
        let methods = plugin_methods(&source, &pack.name, mk);
        if !methods.is_empty() {
            tabs.push(InstallTab {
                agent: "claude-code".into(),
                label: "Claude Code".into(),
                methods,
            });
        }
    }
    let skills: Vec<String> = pack
        .skills
        .iter()
        .map(|&s| &c.skills[s])
        .filter(|s| !s.planned)
        .map(|s| format!(" --skill {}", sh(&s.name)))
        .collect();
    // One `--skill` per skill reads well up to a screenful; a bigger pack is installed skill
    // by skill from its skills' pages, or as a plugin.
    if !skills.is_empty() && skills.len() <= MAX_PACK_SKILLS {
        tabs.push(InstallTab {
            agent: "any".into(),
            label: "Any agent".into(),
            methods: vec![InstallMethod {
                label: "skills CLI".into(),
                command: format!("npx skills add {}{}", sh(source.arg()), skills.concat()),
                note: local_note(&source),
            }],
        });
    }
    tabs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_urls_become_shorthands() {
        for u in [
            "https://github.com/obra/superpowers",
            "https://github.com/obra/superpowers.git",
            "https://github.com/obra/superpowers/tree/main/skills",
            "git@github.com:obra/superpowers.git",
            "ssh://git@github.com/obra/superpowers",
        ] {
            assert_eq!(
                github_shorthand(u).as_deref(),
                Some("obra/superpowers"),
                "{u}"
            );
        }
        assert_eq!(github_shorthand("https://gitlab.com/o/r"), None);
        assert_eq!(github_shorthand("https://github.com/o/r;rm -rf"), None);
    }

    #[test]
    fn only_git_urls_are_used() {
        assert!(is_git_url("https://git.example.org/a/b.git"));
        assert!(is_git_url("git@example.org:a/b.git"));
        assert!(!is_git_url("--upload-pack=touch /tmp/x"));
        assert!(!is_git_url("file:///etc"));
        assert!(!is_git_url("ext::sh -c touch% /tmp/pwned"));
        assert!(!is_git_url("https://x/a b"));
    }

    #[test]
    fn hostile_names_are_quoted() {
        assert_eq!(sh("tdd"), "tdd");
        assert_eq!(sh("x; rm -rf ~"), "'x; rm -rf ~'");
        assert!(!plain_name("a b"));
        assert!(!plain_name("-x"));
    }
}
