//! Snapshot tests (insta) of rendered page bodies: the Markdown pipeline's full HTML for
//! fixture pages, so any change in rendering shows up as a reviewable diff.

use std::path::Path;

use skillsite::diagnostics::Diagnostics;
use skillsite::render::{markdown, sanitize};

fn body(project: &str, source: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(project);
    let diags = Diagnostics::new();
    let site = skillsite::load::load(&root, &diags).expect("fixture loads");
    let by_source = site
        .pages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.source.clone().map(|s| (s, i)))
        .collect();
    let by_url = site
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.url.clone(), i))
        .collect();
    let files = site.assets.iter().map(|a| a.to.clone()).collect();
    let skill_dirs = Default::default();
    let cx = markdown::LinkContext {
        site: &site,
        by_source: &by_source,
        by_url: &by_url,
        files: &files,
        skill_dirs: &skill_dirs,
    };
    let id = site.page_by_source(source).expect("page exists");
    sanitize::clean(&markdown::render(id, &cx, &diags).html)
}

#[test]
fn guide_page() {
    insta::assert_snapshot!(body("messy", "docs/guide.md"));
}

#[test]
fn skill_with_prompt_tags() {
    insta::assert_snapshot!(body("messy", "pack/good-skill/SKILL.md"));
}

#[test]
fn mdbook_chapter_with_includes() {
    insta::assert_snapshot!(body("mdbook", "guide/install.md"));
}
