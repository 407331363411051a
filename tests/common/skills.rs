//! A generator of big skill sites for the catalog tests (issue 14): `skills` skills in `packs`
//! folder packs, with varied types, levels, tags and statuses (every 10th skill is planned: a
//! section of its pack's plan, no `SKILL.md`), and some hostile descriptions (`<script>`,
//! `javascript:` links, a 400-character string without spaces). Deterministic: the same
//! arguments write the same files.

use std::path::Path;

/// One generated skill, as the catalog should list it.
#[derive(Debug, Clone)]
pub struct GenSkill {
    /// Pack folder (and pack name): `pack-01`.
    pub pack: String,
    /// Skill name.
    pub name: String,
    /// Declared type, if any.
    pub kind: Option<&'static str>,
    /// Declared level, if any.
    pub level: Option<&'static str>,
    /// Tags.
    pub tags: Vec<&'static str>,
    /// Planned (a plan section only).
    pub planned: bool,
    /// Description as written.
    pub description: String,
}

const WORDS: &[&str] = &[
    "cache", "deploy", "trace", "index", "shard", "audit", "stream", "token", "queue", "metric",
    "backup", "lint", "proxy", "schema", "vault", "router",
];
const TYPES: &[Option<&str>] = &[
    Some("Technique"),
    Some("Pattern"),
    Some("Reference"),
    None,
    Some("Discipline"),
];
const LEVELS: &[Option<&str>] = &[
    Some("Beginner"),
    Some("Intermediate"),
    Some("Advanced"),
    None,
];
const TAGS: &[&str] = &[
    "ops", "security", "data", "frontend", "testing", "cloud", "ml",
];

/// The description of skill `i`: hostile for a few.
fn description(i: usize, name: &str) -> String {
    match i % 53 {
        7 => format!("Use when <script>alert('{name}')</script> shows up in a description"),
        19 => format!("Use when a [link](javascript:alert(1)) hides in {name}"),
        31 => format!(
            "Use when {name} meets a long token {}",
            "QmFzZTY0IGRhdGEgd2l0aG91dCBhbnkgc3BhY2Vz".repeat(10)
        ),
        _ => format!(
            "Use when you need to {} the {} of a {} service ({name}); covers set-up, checks and rollback.",
            WORDS[(i * 7) % WORDS.len()],
            WORDS[(i * 3 + 1) % WORDS.len()],
            WORDS[(i * 5 + 2) % WORDS.len()]
        ),
    }
}

/// YAML single-quoted scalar.
fn yaml(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Writes `book.toml` and `content/` for a site of `skills` skills in `packs` packs into
/// `dir`; returns every skill written (in generation order, not catalog order).
pub fn write_skill_site(dir: &Path, skills: usize, packs: usize) -> Vec<GenSkill> {
    let content = dir.join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(
        dir.join("book.toml"),
        "[book]\ntitle = \"Generated catalog\"\nsrc = \"content\"\n\n[build]\nbuild-dir = \"book\"\n",
    )
    .unwrap();
    std::fs::write(
        content.join("README.md"),
        "# Generated catalog\n\nSkills.\n",
    )
    .unwrap();
    let mut all = Vec::new();
    for i in 0..skills {
        let pack = format!("pack-{:02}", i % packs.max(1) + 1);
        // Names whose alphabetical order is not the catalog order.
        let name = format!(
            "{}-{}-{i:04}",
            WORDS[(i * 11 + 3) % WORDS.len()],
            WORDS[(i * 13 + 5) % WORDS.len()]
        );
        let tags: Vec<&str> = (0..i % 3).map(|k| TAGS[(i + k * 2) % TAGS.len()]).collect();
        all.push(GenSkill {
            description: description(i, &name),
            pack,
            name,
            kind: TYPES[i % TYPES.len()],
            level: LEVELS[(i / 2) % LEVELS.len()],
            tags,
            planned: i % 10 == 9,
        });
    }
    for p in 1..=packs.max(1) {
        let pack = format!("pack-{p:02}");
        let dirp = content.join(&pack);
        std::fs::create_dir_all(&dirp).unwrap();
        let mut plan = format!("# {pack} plan\n\n**Pack Name:** {pack}\n\n");
        let mut n = 0;
        for s in all.iter().filter(|s| s.pack == pack) {
            if s.planned {
                n += 1;
                plan.push_str(&format!("### {n}. {}\n\n", s.name));
                if let Some(t) = s.kind {
                    plan.push_str(&format!("**Type:** {t}\n"));
                }
                if let Some(l) = s.level {
                    plan.push_str(&format!("**Skill Level:** {l}\n"));
                }
                plan.push_str(&format!(
                    "**Dependencies:** None\n\n```yaml\nname: {}\ndescription: {}\n```\n\n",
                    s.name,
                    yaml(&s.description)
                ));
                continue;
            }
            let folder = dirp.join(&s.name);
            std::fs::create_dir_all(&folder).unwrap();
            let mut fm = format!(
                "---\nname: {}\ndescription: {}\nmetadata:\n",
                s.name,
                yaml(&s.description)
            );
            if let Some(t) = s.kind {
                fm.push_str(&format!("  type: {t}\n"));
            }
            if let Some(l) = s.level {
                fm.push_str(&format!("  level: {l}\n"));
            }
            fm.push_str(&format!("  tags: [{}]\n", s.tags.join(", ")));
            fm.push_str(&format!(
                "---\n\n# {}\n\n{}\n",
                s.name,
                s.description.replace('<', "&lt;")
            ));
            std::fs::write(folder.join("SKILL.md"), fm).unwrap();
        }
        std::fs::write(dirp.join("README.md"), plan).unwrap();
    }
    all
}
