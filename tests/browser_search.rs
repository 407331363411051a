//! Browser tests of the built site (playwright-core + Debian's Chromium): builds the sample site
//! into a temporary folder, then
//!
//! - `tests/browser/search.test.mjs` types queries in the search box over HTTP (under a
//!   sub-path) and from `file://`, and compares the results with `skillsite search`;
//! - `tests/browser/catalog.test.mjs` clicks the catalog page's filter chips and checks the
//!   rows shown;
//! - `tests/browser/csp.test.mjs` opens the pages over HTTP and from `file://` and checks the
//!   Content-Security-Policy: present, enforced, and violated by nothing of ours (also on a
//!   small second site with aligned table columns, a diagram, and a skill's script shown on
//!   its viewer page).
//!
//! Runs only when `SKILLSITE_BROWSER_TESTS=1` (it needs node, npm and Chromium), as CI sets it.

mod common;

use std::path::Path;

use common::{browser_tests_enabled, node_tests, run, skillsite};

#[test]
fn search_box_and_catalog_chips_in_chromium() {
    if !browser_tests_enabled() {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let t = tempfile::tempdir().unwrap();
    let book = t.path().join("book");
    let (code, _, err) = run(skillsite(root).arg("build").arg(".").arg("-d").arg(&book));
    assert_eq!(code, 0, "{err}");
    // A second site beside the first (same HTTP root): what the sample has none of.
    let extra_src = t.path().join("extra-src");
    std::fs::create_dir_all(&extra_src).unwrap();
    std::fs::write(
        extra_src.join("README.md"),
        "# Extra\n\n| Left | Centre | Right | None |\n|:-----|:------:|------:|------|\n| a | b | c | d |\n\n```dot\ndigraph { a -> b [label=\"uses\"]; }\n```\n\n- [ ] one\n- [x] two\n",
    )
    .unwrap();
    // A skill with a script: its viewer page (render::file_view) under the policy.
    std::fs::create_dir_all(extra_src.join("tools/scripts")).unwrap();
    std::fs::write(
        extra_src.join("tools/SKILL.md"),
        "---\nname: tools\ndescription: A skill with a script.\n---\n\n# Tools\n\nRun the script.\n",
    )
    .unwrap();
    std::fs::write(
        extra_src.join("tools/scripts/run.sh"),
        "#!/bin/sh\n# </pre><script>alert(1)</script>\nfor f in *.md; do echo \"$f\"; done\n",
    )
    .unwrap();
    let extra = t.path().join("extra");
    let (code, _, err) = run(skillsite(root)
        .arg("build")
        .arg(&extra_src)
        .arg("-d")
        .arg(&extra));
    assert_eq!(code, 0, "{err}");
    assert!(
        node_tests(
            &[
                "search.test.mjs",
                "catalog.test.mjs",
                "csp.test.mjs",
                "notfound.test.mjs"
            ],
            &[("SKILLSITE_BOOK", &book), ("SKILLSITE_EXTRA_BOOK", &extra)],
        ),
        "browser tests failed"
    );
}

/// A folder-tree site three folders deep (`sec-S/sub-U/deep-D/page-P.md`), with a title that
/// is HTML, for `tests/browser/nav.test.mjs`.
fn deep_site(src: &Path) {
    let write = |rel: &str, text: String| {
        let path = src.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("README.md", "# Deep site\n\nThe home page.\n".into());
    write(
        "hostile.md",
        "---\ntitle: \"<img src=x onerror=alert(1)>\"\n---\n\nA hostile title.\n".into(),
    );
    for s in 1..=3 {
        write(
            &format!("sec-{s}/README.md"),
            format!("# Section {s}\n\nText.\n"),
        );
        for u in 1..=2 {
            let sub = format!("sec-{s}/sub-{u}");
            write(
                &format!("{sub}/README.md"),
                format!("# Sub {s}.{u}\n\nText.\n"),
            );
            for d in 1..=2 {
                let deep = format!("{sub}/deep-{d}");
                write(
                    &format!("{deep}/README.md"),
                    format!("# Deep {s}.{u}.{d}\n\nText.\n"),
                );
                for p in 1..=5 {
                    write(
                        &format!("{deep}/page-{p}.md"),
                        format!("# Page {s}.{u}.{d}.{p}\n\nText of the page.\n"),
                    );
                }
            }
        }
    }
}

#[test]
fn sidebar_in_chromium() {
    if !browser_tests_enabled() {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let t = tempfile::tempdir().unwrap();
    let src = t.path().join("deep-src");
    deep_site(&src);
    let book = t.path().join("nav-book");
    let (code, _, err) = run(skillsite(root).arg("build").arg(&src).arg("-d").arg(&book));
    assert_eq!(code, 0, "{err}");
    assert!(
        node_tests(&["nav.test.mjs"], &[("SKILLSITE_NAV_BOOK", &book)]),
        "browser tests failed"
    );
}
