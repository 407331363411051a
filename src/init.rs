//! `skillsite init`: scaffolds a new project.
//!
//! Writes `book.toml`, a `content/` folder with a home page, one pack holding one skill and a
//! runbook, and a `.gitignore` for the build folder and the search cache
//! (`.skillsite-cache/`). Never overwrites: if any of these files
//! exists, nothing is written and the error names the file.

use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// The files `init` writes: (path relative to the project, contents).
pub const FILES: &[(&str, &str)] = &[
    ("book.toml", "[book]\ntitle = \"My skill catalog\"\nauthors = []\ndescription = \"Skills, runbooks and docs for our agents\"\nlanguage = \"en\"\nsrc = \"content\"\n\n[build]\nbuild-dir = \"book\"\n\n[output.html]\n# site-url = \"https://example.org/skills/\"\n# git-repository-url = \"https://github.com/you/your-skills\"\n# edit-url-template = \"https://github.com/you/your-skills/edit/main/{path}\"\n\n[skillsite]\n"),
    (".gitignore", "/book\n/.skillsite-cache\n"),
    ("content/README.md", "# My skill catalog\n\nWelcome. This site is built with [skillsite](https://github.com/skillsite/skillsite).\n\n- [Example pack](example-pack/README.md): one skill to start from\n- [Runbooks](runbooks/README.md): what to do when things break\n"),
    ("content/example-pack/README.md", "# Example pack\n\nA pack is a folder of skills. Each skill is a folder with a `SKILL.md`.\n\n- [hello-world](hello-world/SKILL.md)\n"),
    ("content/example-pack/hello-world/SKILL.md", "---\nname: hello-world\ndescription: Use when you need an example of a skill - shows the front matter and body layout of an Agent Skills SKILL.md\nlicense: MIT\nmetadata:\n  type: Reference\n  level: Fundamental\n---\n\n# Hello world\n\n## Overview\n\nA skill tells an agent *when* to do something and *how*. The `description` above is what the\nagent reads to decide whether to load this skill.\n\n## Quick reference\n\n| Step | Command |\n|------|---------|\n| Build the site | `skillsite build` |\n| Check the skills | `skillsite check` |\n\n```bash\nskillsite build --strict\n```\n"),
    ("content/runbooks/README.md", "# Runbooks\n\nStep-by-step procedures for operators.\n\n- [Restart the service](restart-the-service.md)\n"),
    ("content/runbooks/restart-the-service.md", "---\ntitle: Restart the service\ndescription: Safe restart procedure with checks before and after\n---\n\n> [!WARNING]\n> Announce the restart in the team channel first.\n\n- [ ] Check the dashboards are green\n- [ ] Restart: `systemctl restart my-service`\n- [ ] Check the health endpoint returns 200\n"),
];

/// Creates the project in `dir` (created if missing). Returns the paths written.
///
/// Errors: a file that would be overwritten (nothing is written then), or an I/O failure.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    if let Some((path, _)) = FILES.iter().find(|(p, _)| dir.join(p).exists()) {
        let shown = crate::util::path::clean(&dir.join(path));
        return Err(Diagnostic::error("init", format!("`{}` already exists; nothing was written", shown.display()))
            .hint("run `skillsite init` in an empty folder, or pass a new folder: `skillsite init my-site`"));
    }
    let mut written = Vec::new();
    for (path, text) in FILES {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::error("io", format!("cannot create `{}`: {e}", parent.display()))
            })?;
        }
        std::fs::write(&target, text).map_err(|e| {
            Diagnostic::error("io", format!("cannot write `{}`: {e}", target.display()))
        })?;
        written.push(target);
    }
    Ok(written)
}
