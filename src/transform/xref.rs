//! Cross-references between skills found in skill bodies.
//!
//! Recognised forms: `plugin:skill` ids (`superpowers:test-driven-development`) whose plugin is
//! a known pack; `**REQUIRED SUB-SKILL:** Use x` and `**REQUIRED BACKGROUND:** x` (these are
//! dependencies, not mere mentions); relative links to another skill's `SKILL.md`; a known
//! skill name in backticks or bold followed by the word "skill". Everything else — `chr1:1000`,
//! `xml:space`, names that are no skill — is not an edge: the caller only keeps references
//! that resolve to a known skill.

use std::collections::HashSet;

/// What a reference points at.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// A skill name, possibly `pack:name`.
    Name(String),
    /// A content-relative skill folder (from a link to its `SKILL.md`).
    Folder(String),
}

/// One reference found in a body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    /// Target.
    pub target: Target,
    /// True for REQUIRED SUB-SKILL / REQUIRED BACKGROUND.
    pub required: bool,
    /// Relation label for the diagram: `mentions` or `links to`.
    pub label: String,
}

/// Scans `body` of a skill in content folder `dir`.
pub fn scan(
    body: &str,
    dir: &str,
    packs: &HashSet<String>,
    skills: &HashSet<String>,
) -> Vec<Reference> {
    let mut out: Vec<Reference> = Vec::new();
    let mut push = |r: Reference| {
        if !out.contains(&r) {
            out.push(r);
        }
    };
    for line in body.lines() {
        let upper = line.to_ascii_uppercase();
        // Only what follows the marker on its line is required.
        let marker = upper
            .find("REQUIRED SUB-SKILL")
            .or_else(|| upper.find("REQUIRED BACKGROUND"));
        let required_at = |pos: usize| marker.is_some_and(|m| pos > m);
        // plugin:skill ids.
        for (start, _) in line.match_indices(':') {
            let before = &line[..start];
            let plugin: String = before
                .chars()
                .rev()
                .take_while(|c| is_name_char(*c))
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let skill: String = line[start + 1..]
                .chars()
                .take_while(|c| is_name_char(*c))
                .collect();
            if !plugin.is_empty()
                && packs.contains(&plugin)
                && skills.contains(skill.trim_end_matches('-'))
            {
                let required = required_at(start);
                let label = if required { "requires" } else { "mentions" };
                push(Reference {
                    target: Target::Name(format!("{plugin}:{}", skill.trim_end_matches('-'))),
                    required,
                    label: label.into(),
                });
            }
        }
        // REQUIRED SUB-SKILL: Use name (without plugin prefix).
        if let Some(pos) = marker {
            let rest = &line[pos..];
            for word in rest.split(|c: char| !is_name_char(c)) {
                if word.contains('-')
                    && skills.contains(word)
                    && !rest.contains(&format!(":{word}"))
                {
                    push(Reference {
                        target: Target::Name(word.to_string()),
                        required: true,
                        label: "requires".into(),
                    });
                }
            }
        }
        // `name` skill / **name** skill.
        for (open, close) in [("`", "`"), ("**", "**")] {
            let mut rest = line;
            while let Some(a) = rest.find(open) {
                let required = required_at(line.len() - rest.len() + a);
                let after = &rest[a + open.len()..];
                let Some(b) = after.find(close) else { break };
                let name = &after[..b];
                let tail = after[b + close.len()..].trim_start().to_ascii_lowercase();
                if skills.contains(name)
                    && (tail.starts_with("skill") || tail.starts_with("sub-skill"))
                {
                    push(Reference {
                        target: Target::Name(name.to_string()),
                        required,
                        label: if required { "requires" } else { "mentions" }.into(),
                    });
                }
                rest = &after[b + close.len()..];
            }
        }
        // Links to ../other/SKILL.md.
        let mut rest = line;
        while let Some(p) = rest.find("](") {
            let required = required_at(line.len() - rest.len() + p);
            let after = &rest[p + 2..];
            let end = after.find(')').unwrap_or(after.len());
            let target = after[..end].split('#').next().unwrap_or("").trim();
            if target.ends_with("SKILL.md") && !target.contains("://") {
                let folder = crate::util::path::join_rel(dir, target.trim_end_matches("SKILL.md"));
                push(Reference {
                    target: Target::Folder(folder),
                    required,
                    label: if required { "requires" } else { "links to" }.into(),
                });
            }
            rest = &after[end.min(after.len())..];
        }
    }
    out
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(items: &[&str]) -> HashSet<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn finds_the_documented_forms_only() {
        let packs = set(&["superpowers"]);
        let skills = set(&[
            "test-driven-development",
            "finishing-a-development-branch",
            "writing-skills",
            "brainstorming",
        ]);
        let body = "Use superpowers:test-driven-development first.\n- **REQUIRED SUB-SKILL:** Use superpowers:finishing-a-development-branch\nSee the `writing-skills` skill and [b](../brainstorming/SKILL.md).\nNot edges: chr1:1000-2000, xml:space, superpowers:unknown-thing, `brainstorming` alone.\n";
        let refs = scan(body, "skills/x", &packs, &skills);
        let got: Vec<(Target, bool, &str)> = refs
            .iter()
            .map(|r| (r.target.clone(), r.required, r.label.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    Target::Name("superpowers:test-driven-development".into()),
                    false,
                    "mentions"
                ),
                (
                    Target::Name("superpowers:finishing-a-development-branch".into()),
                    true,
                    "requires"
                ),
                (Target::Name("writing-skills".into()), false, "mentions"),
                (
                    Target::Folder("skills/brainstorming".into()),
                    false,
                    "links to"
                ),
            ]
        );
    }
}
