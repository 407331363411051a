//! Lint rules over skills and the catalog, shared by `skillsite check` and `build`: the
//! default profile. `check --profile skills-ref` runs [`skills_ref`] instead, the Agent Skills
//! reference validator reproduced.
//!
//! Every diagnostic is pushed with its `build` severity; the command's defaults and
//! `[skillsite.lints]` are applied by the diagnostics sink (`model::lints` lists every rule,
//! its default in `build` and `check`, and where it comes from; docs/lints.md explains them).
//!
//! From the Agent Skills specification (<https://agentskills.io/specification>) and its
//! reference validator: `skill-name` — `name` is, after NFKC, 1–64 characters of lowercase
//! Unicode letters, digits and hyphens, with no leading, trailing or double hyphen;
//! `skill-name-missing` — no `name`, or an empty one (the folder name is used, as Claude Code
//! does); `skill-name-folder` — `name` differs from the skill's folder (a warning in every
//! command: the spec's client implementation guide says to warn and load such a skill);
//! `skill-description` — `description` is 1–1024 characters; `skill-compatibility` —
//! `compatibility` is at most 500 characters; `skill-body-length` — the body stays under 500
//! lines (the spec's recommendation). skillsite's own: `unknown-dependency`,
//! `dependency-cycle` (names the cycle), `duplicate-skill` — two skills with one name in a
//! pack, `description-use-when` — description does not start with "Use when" (off unless
//! `[skillsite] lint-use-when = true`), `unknown-front-matter-key`.

pub mod skills_ref;
pub mod strict_yaml;

use std::collections::HashMap;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::catalog::{EdgeKind, Skill};
use crate::model::{PageKind, Site};
use crate::util::path::clean;

/// Front-matter keys a `SKILL.md` may carry without a warning: Agent Skills, Claude Code's
/// extras, and skillsite's catalog and page keys.
pub const KNOWN_KEYS: &[&str] = &[
    "name",
    "description",
    "license",
    "compatibility",
    "metadata",
    "allowed-tools",
    "when_to_use",
    "argument-hint",
    "disable-model-invocation",
    "user-invocable",
    "model",
    "context",
    "agent",
    "paths",
    "hooks",
    "version",
    "type",
    "types",
    "level",
    "depends-on",
    "tags",
    "related",
    "title",
    "weight",
    "draft",
];

/// Runs every rule and pushes the diagnostics.
pub fn lint(site: &Site, diags: &Diagnostics) {
    let cat = &site.catalog;
    let src = site.config.src_dir();
    for s in cat.skills.iter().filter(|s| !s.planned) {
        let file = clean(&src.join(&s.source));
        let page = s.page.map(|p| &site.pages[p]);
        let line_of = |key: &str| {
            page.and_then(|p| p.front_matter_lines.get(key).copied())
                .unwrap_or(s.line)
        };
        let is_manifest = s.source.ends_with(".json");
        // A front-matter block that did not parse is already reported (rule `front-matter`);
        // do not pile "no description" on top of it.
        let broken_front_matter =
            page.is_some_and(|p| p.front_matter.is_empty() && p.body_line > 1) && !is_manifest;
        // name
        let folder_name = s.folder.rsplit('/').next().unwrap_or(&s.folder);
        let given = page
            .filter(|_| !is_manifest && !broken_front_matter)
            .map(|p| p.front_matter.get("name"));
        match given {
            Some(None) => diags.push(
                Diagnostic::warning(
                    "skill-name-missing",
                    format!("skill has no `name`; the folder name `{folder_name}` is used"),
                )
                .at(&file)
                .line(1)
                .hint(format!("add `name: {folder_name}`: Agent Skills requires it (Claude Code defaults it to the folder name)")),
            ),
            Some(Some(v)) if v.as_str().is_none_or(|n| n.trim().is_empty()) => diags.push(
                Diagnostic::warning(
                    "skill-name-missing",
                    format!("`name` is empty or not a string; the folder name `{folder_name}` is used"),
                )
                .at(&file)
                .line(line_of("name"))
                .hint(format!("set `name: {folder_name}`, or remove the key")),
            ),
            _ => {
                if let Some(problem) = name_problem(&s.name) {
                    // The validator's words; they name the skill unless they are about hyphens.
                    let message = if problem.starts_with("Skill name '") {
                        problem
                    } else {
                        format!("{problem}: `{}`", s.name)
                    };
                    diags.push(
                        Diagnostic::warning("skill-name", message)
                            .at(&file)
                            .line(line_of("name"))
                            .hint("Agent Skills names are 1-64 characters: lowercase letters, digits and single hyphens"),
                    );
                }
            }
        }
        // Compared after NFKC, as the reference validator does (`café` in either form).
        if !folder_name.is_empty()
            && skills_ref::nfkc(folder_name) != skills_ref::nfkc(skills_ref::py_strip(&s.name))
            && !s.folder.is_empty()
        {
            diags.push(
                Diagnostic::warning("skill-name-folder", format!("skill name `{}` does not match its folder `{folder_name}`", s.name))
                    .at(&file)
                    .line(line_of("name"))
                    .hint(format!("rename the folder to `{}` or set `name: {folder_name}`; agents look skills up by name", s.name)),
            );
        }
        // description
        let len = s.description.chars().count();
        if len == 0 && !broken_front_matter {
            diags.push(
                Diagnostic::warning("skill-description", "skill has no `description`")
                    .at(&file)
                    .line(if is_manifest { 1 } else { line_of("description") })
                    .hint("add `description:` saying what the skill does and when to use it; agents choose skills by it"),
            );
        } else if len > 1024 {
            diags.push(
                Diagnostic::warning(
                    "skill-description",
                    format!("description is {len} characters; the limit is 1024"),
                )
                .at(&file)
                .line(line_of("description"))
                .hint("move detail into the body; keep the description to what and when"),
            );
        }
        if site.config.skillsite.lint_use_when
            && len > 0
            && !s
                .description
                .trim_start()
                .to_lowercase()
                .starts_with("use when")
        {
            diags.push(
                Diagnostic::warning(
                    "description-use-when",
                    "description does not start with \"Use when\"",
                )
                .at(&file)
                .line(line_of("description"))
                .hint("start with the situations that call for the skill: \"Use when ...\""),
            );
        }
        if let Some(c) = s.metadata.get("compatibility").and_then(|v| v.as_str()) {
            let n = c.chars().count();
            if n > 500 {
                diags.push(
                    Diagnostic::warning(
                        "skill-compatibility",
                        format!("compatibility is {n} characters; the limit is 500"),
                    )
                    .at(&file)
                    .line(line_of("compatibility"))
                    .hint("keep it to the environments the skill needs"),
                );
            }
        }
        if let Some(p) = page {
            let lines = p.body.lines().count();
            if lines > 500 && !is_manifest {
                diags.push(
                    Diagnostic::warning("skill-body-length", format!("SKILL.md body is {lines} lines; the Agent Skills spec recommends under 500"))
                        .at(&file)
                        .line(p.body_line)
                        .hint("move reference material into separate files in the skill folder and link them"),
                );
            }
            if !is_manifest {
                for key in p.front_matter.keys() {
                    if !KNOWN_KEYS.contains(&key.as_str()) {
                        diags.push(
                            Diagnostic::warning("unknown-front-matter-key", format!("unknown front-matter key `{key}`"))
                                .at(&file)
                                .line(line_of(key))
                                .hint("custom keys belong under `metadata:`; it is shown on the skill page"),
                        );
                    }
                }
            }
        }
    }
    // SKILL.md pages the catalog left out: no description, or front matter that cannot be
    // read (the loader's `front-matter` warning says why), the client guide's reasons to skip
    // a skill.
    let listed: std::collections::HashSet<usize> =
        cat.skills.iter().filter_map(|s| s.page).collect();
    let yaml_reported: std::collections::HashSet<std::path::PathBuf> = diags
        .sorted()
        .into_iter()
        .filter(|d| d.rule == "front-matter")
        .filter_map(|d| d.file)
        .collect();
    for (id, p) in site.pages.iter().enumerate() {
        if p.kind != PageKind::Skill || p.draft || listed.contains(&id) {
            continue;
        }
        let file = clean(&src.join(p.source.as_deref().unwrap_or_default()));
        if yaml_reported.contains(&file) {
            continue; // the loader's `front-matter` warning is enough; do not pile on
        }
        diags.push(
            Diagnostic::warning("skill-description", "skill has no `description`; it is not listed in the catalog (agents that follow the Agent Skills client guide do not load it)")
                .at(&file)
                .line(p.front_matter_lines.get("description").copied().unwrap_or(1))
                .hint("add `description:` saying what the skill does and when to use it; agents choose skills by it"),
        );
    }
    for s in &cat.skills {
        let file = clean(&src.join(&s.source));
        let dep_line = s
            .page
            .filter(|_| !s.planned)
            .and_then(|p| site.pages[p].front_matter_lines.get("depends-on").copied())
            .unwrap_or(s.line);
        for dep in &s.depends_on {
            let known = cat.skills.iter().any(|o| {
                o.name == *dep
                    || dep
                        .split_once(':')
                        .is_some_and(|(p, n)| o.name == n && cat.packs[o.pack].name == p)
            });
            if !known {
                diags.push(
                    Diagnostic::warning("unknown-dependency", format!("skill `{}` depends on `{dep}`, which is not a skill of this site", s.name))
                        .at(&file)
                        .line(dep_line)
                        .hint("check the spelling, or add the skill (a planned section in the pack plan is enough)"),
                );
            }
        }
    }
    duplicates(site, diags);
    cycles(site, diags);
}

/// Why `name` breaks the Agent Skills naming rule (the reference validator's first message
/// about it, [`skills_ref::name_problems`], without the folder check), or `None` when valid.
pub fn name_problem(name: &str) -> Option<String> {
    if skills_ref::py_strip(name).is_empty() {
        return Some("Field 'name' must be a non-empty string".into());
    }
    skills_ref::name_problems(name, None)
        .into_iter()
        .next()
        .map(|(_, m)| m)
}

fn duplicates(site: &Site, diags: &Diagnostics) {
    let mut seen: HashMap<(usize, &str), &Skill> = HashMap::new();
    for s in &site.catalog.skills {
        if let Some(first) = seen.get(&(s.pack, s.name.as_str())) {
            if s.planned || first.planned {
                continue; // a plan section and its written skill are merged, not duplicates
            }
            diags.push(
                Diagnostic::warning(
                    "duplicate-skill",
                    format!(
                        "two skills named `{}` in pack `{}`",
                        s.name, site.catalog.packs[s.pack].name
                    ),
                )
                .at(clean(&site.config.src_dir().join(&s.source)))
                .line(s.line)
                .hint(format!(
                    "the other one is `{}`; skill names must be unique within a pack",
                    first.source
                )),
            );
        } else {
            seen.insert((s.pack, s.name.as_str()), s);
        }
    }
}

/// Reports each dependency cycle once, naming it `a → b → a`.
fn cycles(site: &Site, diags: &Diagnostics) {
    let cat = &site.catalog;
    let n = cat.skills.len();
    let mut adj = vec![Vec::new(); n];
    for e in cat.edges.iter().filter(|e| e.kind == EdgeKind::DependsOn) {
        adj[e.from].push(e.to);
    }
    // 0 = new, 1 = on stack, 2 = done
    let mut state = vec![0u8; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut reported: Vec<Vec<usize>> = Vec::new();
    fn dfs(
        v: usize,
        adj: &[Vec<usize>],
        state: &mut [u8],
        stack: &mut Vec<usize>,
        found: &mut Vec<Vec<usize>>,
    ) {
        state[v] = 1;
        stack.push(v);
        for &w in &adj[v] {
            if state[w] == 1 {
                let start = stack.iter().position(|&x| x == w).unwrap_or(0);
                found.push(stack[start..].to_vec());
            } else if state[w] == 0 {
                dfs(w, adj, state, stack, found);
            }
        }
        stack.pop();
        state[v] = 2;
    }
    for v in 0..n {
        if state[v] == 0 {
            dfs(v, &adj, &mut state, &mut stack, &mut reported);
        }
    }
    for cycle in reported {
        let first = &cat.skills[cycle[0]];
        let mut names: Vec<&str> = cycle.iter().map(|&i| cat.skills[i].name.as_str()).collect();
        names.push(&first.name);
        diags.push(
            Diagnostic::warning("dependency-cycle", format!("dependency cycle: {}", names.join(" → ")))
                .at(clean(&site.config.src_dir().join(&first.source)))
                .line(first.line)
                .hint("a skill cannot depend on itself through others; make one of these a `related` link instead"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_rules_have_their_check_severity_in_the_lint_registry() {
        for (id, severity, _) in crate::transform::audit::RULES {
            let rule = crate::model::lints::find(id)
                .unwrap_or_else(|| panic!("{id} not in model::lints::RULES"));
            assert_eq!(rule.check, *severity, "{id}");
        }
    }

    #[test]
    fn names_follow_the_spec() {
        assert_eq!(name_problem("good-name-2"), None);
        assert!(name_problem("").is_some());
        assert!(name_problem("Bad").is_some());
        assert!(name_problem("-lead").is_some());
        assert!(name_problem("trail-").is_some());
        assert!(name_problem("dou--ble").is_some());
        assert!(name_problem(&"a".repeat(65)).is_some());
        assert!(name_problem("snake_case").is_some());
        assert_eq!(name_problem("навык-2"), None);
        assert!(name_problem("Agent Development")
            .unwrap()
            .contains("must be lowercase"));
    }
}
