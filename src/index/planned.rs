//! Planned skills read from pack plan documents, so search finds a skill before it is written.
//!
//! A stand-in until the catalog stage lands (it reads plans properly and will feed
//! [`SearchDoc`]s with `planned: true` through [`super::index_docs`]). It recognises the
//! plan layout of the sample pack: a heading `### N. skill-name` followed by lines such as
//! `**Type:** Technique`, `**Skill Level:** Intermediate` and a fenced YAML block with
//! `description: ...`. It scans the page's Markdown lines (no second Markdown parse).

use super::{SearchDoc, Section};
use crate::model::{Page, PageKind, Site};
use crate::render::markdown::RenderedBody;

/// Planned skills of every section page that looks like a pack plan, minus the skills that
/// are already written (a `SKILL.md` whose folder or front-matter `name` matches).
pub fn planned_skills(site: &Site, bodies: &[Option<RenderedBody>]) -> Vec<SearchDoc> {
    let written_names: std::collections::HashSet<String> = site
        .pages
        .iter()
        .filter(|p| p.kind == PageKind::Skill)
        .flat_map(|p| {
            let folder = p
                .url
                .trim_end_matches("/index.html")
                .rsplit('/')
                .next()
                .unwrap_or("")
                .to_lowercase();
            let name = p
                .front_matter
                .get("name")
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_lowercase();
            [folder, name]
        })
        .filter(|n| !n.is_empty())
        .collect();
    let mut out = Vec::new();
    for (page, body) in site.pages.iter().zip(bodies) {
        let Some(body) = body else { continue };
        if !matches!(page.kind, PageKind::Section | PageKind::Index) {
            continue;
        }
        for skill in plan_entries(page, body) {
            if !written_names.contains(&skill.title.to_lowercase()) {
                out.push(skill);
            }
        }
    }
    out
}

/// The planned skills of one plan page.
fn plan_entries(page: &Page, body: &RenderedBody) -> Vec<SearchDoc> {
    let mut out: Vec<SearchDoc> = Vec::new();
    // The skill being read: its document, its text lines, its heading level.
    let mut current: Option<(SearchDoc, Vec<String>, usize)> = None;
    let pack = page.url.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    let mut in_fence = false;
    let finish = |cur: Option<(SearchDoc, Vec<String>, usize)>, out: &mut Vec<SearchDoc>| {
        if let Some((mut doc, lines, _)) = cur {
            if !doc.r#type.is_empty() || !doc.description.is_empty() {
                doc.body = lines.join("\n");
                out.push(doc);
            }
        }
    };
    for line in page.body.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if !in_fence && trimmed.starts_with('#') {
            let level = trimmed.chars().take_while(|c| *c == '#').count();
            let text = trimmed[level..].trim();
            if current.as_ref().is_some_and(|c| level <= c.2) {
                finish(current.take(), &mut out);
            }
            if let Some(name) = skill_heading(text) {
                // The heading id the renderer gave this heading (h2–h4 are in the toc).
                let anchor = body
                    .toc
                    .iter()
                    .find(|t| t.title == text)
                    .map(|t| t.id.clone())
                    .unwrap_or_else(|| crate::render::markdown::github_slug(text));
                let doc = SearchDoc {
                    title: name.to_string(),
                    url: format!("{}#{anchor}", page.url),
                    kind: "skill".into(),
                    pack: pack.clone(),
                    pack_title: page.title.clone(),
                    planned: true,
                    headings: vec![text.to_string()],
                    sections: vec![Section {
                        anchor,
                        heading: text.to_string(),
                        offset: 0,
                    }],
                    ..SearchDoc::default()
                };
                current = Some((doc, Vec::new(), level));
            }
            continue;
        }
        let Some((doc, lines, _)) = current.as_mut() else {
            continue;
        };
        if let Some(v) = field(trimmed, &["Type"]) {
            doc.r#type = v;
        } else if let Some(v) = field(trimmed, &["Skill Level", "Level"]) {
            doc.level = v;
        } else if let Some(v) = field(trimmed, &["Tags"]) {
            doc.tags = v
                .split(',')
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect();
        } else if let Some(d) = trimmed.strip_prefix("description:") {
            doc.description = d.trim().trim_matches('"').to_string();
        } else if in_fence && trimmed.starts_with("name:") {
            // The YAML block's name repeats the heading.
        } else if !trimmed.is_empty() && trimmed != "---" {
            lines.push(strip_markup(trimmed));
        }
    }
    finish(current.take(), &mut out);
    out
}

/// `6. terraform-state-management` → `terraform-state-management` (a kebab-case name after a
/// number).
fn skill_heading(text: &str) -> Option<&str> {
    let (num, rest) = text.split_once(". ")?;
    if num.is_empty() || !num.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let name = rest.trim().trim_matches('`');
    let ok = name.len() >= 3
        && name.contains('-')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    ok.then_some(name)
}

/// The value of a `**Key:** value` line.
fn field(line: &str, keys: &[&str]) -> Option<String> {
    let rest = line.strip_prefix("**")?;
    keys.iter().find_map(|k| {
        let after = rest.strip_prefix(k)?;
        let after = after
            .strip_prefix(":**")
            .or_else(|| after.strip_prefix("**:"))?;
        let v = after.trim();
        (!v.is_empty()).then(|| v.to_string())
    })
}

fn strip_markup(line: &str) -> String {
    line.trim_start_matches(['-', '*', '>', ' '])
        .replace("**", "")
        .replace('`', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_and_fields() {
        assert_eq!(
            skill_heading("6. terraform-state-management"),
            Some("terraform-state-management")
        );
        assert_eq!(skill_heading("Phase 1: Containerization"), None);
        assert_eq!(skill_heading("1. Overview"), None);
        assert_eq!(
            field("**Type:** Technique", &["Type"]),
            Some("Technique".into())
        );
        assert_eq!(
            field("**Skill Level:** Advanced", &["Skill Level"]),
            Some("Advanced".into())
        );
        assert_eq!(field("**Dependencies:** x", &["Type"]), None);
    }

    #[test]
    fn reads_a_plan() {
        let mut page = Page::new("pack/index.html", PageKind::Section);
        page.title = "Pack plan".into();
        page.body = "# Pack\n\n## Skills\n\n### 1. first-skill\n\n**Type:** Technique\n**Skill Level:** Fundamental\n\n```yaml\nname: first-skill\ndescription: Use when testing - covers tests\n```\n\n**What it teaches:**\n- Writing `tests`\n\n### 2. second-skill\n\n**Type:** Pattern\n\n## Timeline\n\nLater.\n".into();
        let body = RenderedBody::default();
        let docs = plan_entries(&page, &body);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].title, "first-skill");
        assert_eq!(docs[0].url, "pack/index.html#1-first-skill");
        assert_eq!(docs[0].r#type, "Technique");
        assert_eq!(docs[0].level, "Fundamental");
        assert_eq!(docs[0].description, "Use when testing - covers tests");
        assert!(docs[0].body.contains("Writing tests"), "{}", docs[0].body);
        assert!(docs[0].planned);
        assert_eq!(docs[1].r#type, "Pattern");
        assert!(!docs[1].body.contains("Later"), "{}", docs[1].body);
    }
}
