//! Pack plan documents: a pack overview whose `### N. skill-name` sections describe planned
//! skills (the format of the sample `axiom-cloud-infrastructure` plan).
//!
//! A section yields a planned skill when it carries at least one of `**Type:**`,
//! `**Skill Level:**` or `**Dependencies:**`. Inside it: `**Type:** Pattern/Reference` (several
//! types split on `/`, `,` and ` and `), `**Skill Level:**`, `**Dependencies:** a, b` ("None"
//! and "None (foundational skill)" mean no dependency), a fenced `yaml` block with `name` and
//! `description`, and a `**Cross-references:**` list of `- Relation: skill-a, skill-b (note)`.
//! `**Dependencies:**` lines outside such sections (e.g. under "Phase 1") are ignored.
//! A Markdown table whose header reads `Type | Count | Skills` is read as the plan's own
//! skill-type table, to be compared with the computed one.

use crate::util::slug::github_slug;

/// A skill described by a plan section.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PlannedSkill {
    /// Skill name from the heading (or the YAML block's `name`).
    pub name: String,
    /// Heading id of the section (GitHub-style, as the renderer makes it).
    pub anchor: String,
    /// 1-based line of the heading within the page body.
    pub line: usize,
    /// Types as written, split.
    pub types: Vec<String>,
    /// Level as written.
    pub level: Option<String>,
    /// Dependencies (skill names as written).
    pub depends_on: Vec<String>,
    /// Description from the YAML block.
    pub description: String,
    /// `(relation, skill name)` pairs from the Cross-references list.
    pub cross_refs: Vec<(String, String)>,
}

/// A row of the plan's hand-written type table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeRow {
    /// Type name (markup removed).
    pub kind: String,
    /// The count as written.
    pub count: Option<usize>,
    /// Skill names or abbreviations as written.
    pub skills: Vec<String>,
    /// 1-based line within the page body.
    pub line: usize,
}

/// What a plan document declares.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// `**Pack Name:**` value, if any.
    pub pack_name: Option<String>,
    /// Planned skills in document order.
    pub skills: Vec<PlannedSkill>,
    /// The hand-written type table, if any.
    pub type_table: Vec<TypeRow>,
}

/// Parses a page body; returns `None` when it is not a pack plan (no skill sections).
pub fn parse(body: &str) -> Option<Plan> {
    // Every page goes through here (the catalog asks each whether it is a plan): most have no
    // `### N. name` heading at all, which a plan needs, and are answered by this scan alone.
    if !has_numbered_h3(body) {
        return None;
    }
    let lines: Vec<&str> = body.lines().collect();
    let fenced = fenced(&lines);
    let mut plan = Plan::default();
    let mut current: Option<PlannedSkill> = None;
    let mut has_fields = false;
    let mut in_xrefs = false;
    let mut yaml: Option<String> = None;
    let mut slugs = std::collections::HashMap::<String, usize>::new();

    let finish = |cur: &mut Option<PlannedSkill>, has: &mut bool, plan: &mut Plan| {
        if let Some(s) = cur.take() {
            if *has {
                plan.skills.push(s);
            }
        }
        *has = false;
    };

    for (i, raw) in lines.iter().enumerate() {
        let line = raw.trim();
        if let Some(y) = yaml.as_mut() {
            if line.starts_with("```") {
                let text = yaml.take().unwrap_or_default();
                if let (Some(cur), Ok(serde_json::Value::Object(m))) = (
                    current.as_mut(),
                    serde_saphyr::from_str::<serde_json::Value>(&text),
                ) {
                    if let Some(d) = m.get("description").and_then(|v| v.as_str()) {
                        cur.description = d.trim().to_string();
                    }
                    if let Some(n) = m.get("name").and_then(|v| v.as_str()) {
                        if cur.name.is_empty() {
                            cur.name = n.trim().to_string();
                        }
                    }
                }
            } else {
                y.push_str(raw);
                y.push('\n');
            }
            continue;
        }
        if line.starts_with('#') && !fenced[i] {
            let level = line.chars().take_while(|&c| c == '#').count();
            let text = line[level..].trim();
            let slug = github_slug(&text.replace(['`', '*'], ""));
            let n = slugs.entry(slug.clone()).or_insert(0);
            let anchor = if *n == 0 {
                slug.clone()
            } else {
                format!("{slug}-{n}")
            };
            *n += 1;
            if level <= 3 {
                finish(&mut current, &mut has_fields, &mut plan);
                in_xrefs = false;
            }
            if level == 3 {
                if let Some(name) = numbered_skill(text) {
                    current = Some(PlannedSkill {
                        name,
                        anchor,
                        line: i + 1,
                        ..Default::default()
                    });
                }
            }
            continue;
        }
        if fenced[i] {
            if current.is_some() && (line == "```yaml" || line == "```yml") {
                yaml = Some(String::new());
            }
            continue;
        }
        if plan.pack_name.is_none() {
            if let Some(v) = field(line, "Pack Name") {
                plan.pack_name = Some(v.trim_matches('`').to_string());
            }
        }
        if line.starts_with('|') && plan.type_table.is_empty() {
            if let Some(rows) = type_table(&lines, i) {
                plan.type_table = rows;
            }
        }
        let Some(cur) = current.as_mut() else {
            continue;
        };
        if let Some(v) = field(line, "Type") {
            cur.types = split_types(v);
            has_fields = true;
        } else if let Some(v) = field(line, "Skill Level").or_else(|| field(line, "Level")) {
            cur.level = Some(v.to_string());
            has_fields = true;
        } else if let Some(v) = field(line, "Dependencies") {
            cur.depends_on = names(v);
            has_fields = true;
        } else if line.starts_with("**Cross-references:**")
            || line.starts_with("**Cross-References:**")
        {
            in_xrefs = true;
        } else if in_xrefs {
            if let Some(item) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
                if let Some((label, rest)) = item.split_once(':') {
                    for name in names(rest) {
                        cur.cross_refs.push((label.trim().to_string(), name));
                    }
                }
            } else if !line.is_empty() {
                in_xrefs = false;
            }
        }
    }
    finish(&mut current, &mut has_fields, &mut plan);
    (!plan.skills.is_empty()).then_some(plan)
}

/// Whether some line is a level-3 ATX heading whose text starts with a digit (`### 6. name`,
/// also `###6.`, as `parse` reads headings): the cheap test that `parse` starts with.
fn has_numbered_h3(body: &str) -> bool {
    body.contains("###")
        && body.lines().any(|line| {
            line.trim_start()
                .strip_prefix("###")
                .filter(|rest| !rest.starts_with('#'))
                .is_some_and(|rest| rest.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        })
}

/// `6. terraform-state-management` → `terraform-state-management`.
fn numbered_skill(text: &str) -> Option<String> {
    let (num, rest) = text.split_once(". ")?;
    if num.is_empty() || !num.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let name = rest.trim().trim_matches('`').trim();
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    ok.then(|| name.to_string())
}

/// The value of a `**Label:** value` line.
fn field<'a>(line: &'a str, label: &str) -> Option<&'a str> {
    let rest = line.strip_prefix("**")?.strip_prefix(label)?;
    let rest = rest
        .strip_prefix(":**")
        .or_else(|| rest.strip_prefix("**:"))?;
    Some(rest.trim())
}

pub use crate::model::front_matter::split_types;

/// Skill names in `a, b (note), c`; "None..." gives nothing; only kebab-case words count.
fn names(v: &str) -> Vec<String> {
    let v = v.trim();
    if v.to_ascii_lowercase().starts_with("none") {
        return Vec::new();
    }
    let mut depth = 0;
    let mut cleaned = String::new();
    for c in v.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth == 0 => cleaned.push(c),
            _ => {}
        }
    }
    cleaned
        .split([',', ';'])
        .map(|n| n.trim().trim_matches(['`', '*']).trim())
        .filter(|n| {
            !n.is_empty()
                && n.contains('-')
                && n.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == ':')
        })
        .map(str::to_string)
        .collect()
}

fn type_table(lines: &[&str], start: usize) -> Option<Vec<TypeRow>> {
    let cells = |l: &str| -> Vec<String> {
        l.trim()
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().replace("**", ""))
            .collect()
    };
    let header = cells(lines[start]);
    let lower: Vec<String> = header.iter().map(|h| h.to_lowercase()).collect();
    let (t, c, s) = (
        lower.iter().position(|h| h == "type")?,
        lower.iter().position(|h| h == "count"),
        lower.iter().position(|h| h == "skills")?,
    );
    let mut rows = Vec::new();
    for (i, l) in lines.iter().enumerate().skip(start + 2) {
        if !l.trim().starts_with('|') {
            break;
        }
        let row = cells(l);
        rows.push(TypeRow {
            kind: row.get(t)?.clone(),
            count: c.and_then(|c| row.get(c)).and_then(|v| v.parse().ok()),
            skills: row
                .get(s)?
                .split(',')
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty())
                .collect(),
            line: i + 1,
        });
    }
    Some(rows)
}

fn fenced(lines: &[&str]) -> Vec<bool> {
    let mut out = vec![false; lines.len()];
    let mut open = false;
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            out[i] = true;
            open = !open;
        } else {
            out[i] = open;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbered_h3_prefilter() {
        use super::has_numbered_h3 as h;
        assert!(h("# Plan\n\n### 1. alpha\n"));
        assert!(h("  ###6. alpha"));
        assert!(h("text\n###\t2. beta\n"));
        assert!(!h("#### 1. too deep\n## 2. too high\n### Overview\n"));
        assert!(!h("no headings at all"));
    }

    use super::*;

    const PLAN: &str = "# Plan\n\n**Pack Name:** demo-pack\n\n## Skills\n\n### 1. first-skill\n\n**Type:** Technique\n**Skill Level:** Fundamental\n**Dependencies:** None (foundational skill)\n\n```yaml\nname: first-skill\ndescription: Use when starting\n```\n\n### 2. second-skill\n\n**Type:** Pattern/Reference\n**Skill Level:** Intermediate\n**Dependencies:** first-skill, other-thing (note)\n\n**Cross-references:**\n- Builds on: first-skill\n- Related to: third-skill (smaller), fourth-skill\n\n## Phases\n\n### Phase 1: Setup\n**Dependencies:** None\n\n| Type | Count | Skills |\n|------|-------|--------|\n| **Technique** | 1 | first |\n| **Pattern** | 0 | |\n";

    #[test]
    fn reads_planned_skills_and_table() {
        let plan = parse(PLAN).unwrap();
        assert_eq!(plan.pack_name.as_deref(), Some("demo-pack"));
        assert_eq!(plan.skills.len(), 2, "Phase 1 is not a skill");
        let a = &plan.skills[0];
        assert_eq!(
            (a.name.as_str(), a.anchor.as_str(), a.line),
            ("first-skill", "1-first-skill", 7)
        );
        assert_eq!(a.types, ["Technique"]);
        assert!(a.depends_on.is_empty());
        assert_eq!(a.description, "Use when starting");
        let b = &plan.skills[1];
        assert_eq!(b.types, ["Pattern", "Reference"]);
        assert_eq!(b.depends_on, ["first-skill", "other-thing"]);
        assert_eq!(
            b.cross_refs,
            [
                ("Builds on".to_string(), "first-skill".to_string()),
                ("Related to".into(), "third-skill".into()),
                ("Related to".into(), "fourth-skill".into())
            ]
        );
        assert_eq!(plan.type_table.len(), 2);
        assert_eq!(plan.type_table[0].kind, "Technique");
        assert_eq!(plan.type_table[0].count, Some(1));
        assert_eq!(plan.type_table[0].skills, ["first"]);
    }

    #[test]
    fn ordinary_pages_are_not_plans() {
        assert!(parse("# Doc\n\n### 1. Introduction\n\nText.\n").is_none());
    }
}
