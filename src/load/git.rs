//! The project's git repository, read from its files (no `git` binary, no libgit2): where it
//! is and the URL of its `origin` remote, so install commands can name the repository
//! (`npx skills add OWNER/REPO`) when book.toml has no `git-repository-url`.

use std::path::{Path, PathBuf};

use crate::model::Repository;

/// The git repository holding `root`, if any: walks up from `root` to the first folder with a
/// `.git` folder or file (a worktree's `.git` file, `gitdir: …`), reads `[remote "origin"]
/// url` from its config (for a worktree, the main repository's config, through `commondir`).
/// `None` when `root` is in no repository; `url` is `None` when there is no `origin`.
pub fn repository(root: &Path) -> Option<Repository> {
    let root = std::fs::canonicalize(root).ok()?;
    let top = root.ancestors().find(|d| d.join(".git").exists())?;
    let git = top.join(".git");
    let git_dir = if git.is_file() {
        let text = std::fs::read_to_string(&git).ok()?;
        let dir = PathBuf::from(text.trim().strip_prefix("gitdir:")?.trim());
        let dir = if dir.is_absolute() {
            dir
        } else {
            top.join(dir)
        };
        match std::fs::read_to_string(dir.join("commondir")) {
            Ok(c) => dir.join(c.trim()),
            Err(_) => dir,
        }
    } else {
        git
    };
    let config = std::fs::read_to_string(git_dir.join("config")).unwrap_or_default();
    let subdir = root
        .strip_prefix(top)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    Some(Repository {
        url: origin_url(&config),
        subdir,
    })
}

/// `url` of `[remote "origin"]` in the text of a git config file.
pub fn origin_url(config: &str) -> Option<String> {
    let mut in_origin = false;
    for line in config.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            let section: String = t.chars().filter(|c| !c.is_whitespace()).collect();
            in_origin = section == "[remote\"origin\"]";
        } else if in_origin {
            if let Some((k, v)) = t.split_once('=') {
                if k.trim() == "url" {
                    let v = v.trim().trim_matches('"');
                    return (!v.is_empty()).then(|| v.to_string());
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_origin_remote() {
        let config = "[core]\n\tbare = false\n[remote \"upstream\"]\n\turl = https://x/y\n[remote \"origin\"]\n\turl = git@github.com:obra/superpowers.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n";
        assert_eq!(
            origin_url(config).as_deref(),
            Some("git@github.com:obra/superpowers.git")
        );
        assert_eq!(origin_url("[core]\n"), None);
    }
}
