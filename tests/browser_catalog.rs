//! Browser test of the catalog page at scale (issue 14; playwright-core + Debian's Chromium):
//! generates a site of 450 skills in 6 packs (tests/common/skills.rs: varied types, levels,
//! tags, planned skills, hostile descriptions), builds it, and runs
//! `tests/browser/catalog-big.test.mjs` on it: the filter, sort, URL state, Back, Clear, views,
//! chip counts, rows from `catalog/data.js`, every skill reachable without JavaScript, and no
//! sideways scroll at 390 px.
//!
//! Runs only when `SKILLSITE_BROWSER_TESTS=1` (it needs node, npm and Chromium), as CI sets it.

mod common;

use common::skills::write_skill_site;
use common::{browser_tests_enabled, node_tests, run, skillsite};

#[test]
fn catalog_filter_sort_and_url_state_in_chromium() {
    if !browser_tests_enabled() {
        return;
    }
    let t = tempfile::tempdir().unwrap();
    write_skill_site(t.path(), 450, 6);
    let (code, _, err) = run(skillsite(t.path()).arg("build"));
    assert_eq!(code, 0, "{err}");
    let book = t.path().join("book");
    assert!(
        node_tests(
            &["catalog-big.test.mjs"],
            &[("SKILLSITE_CATALOG_BOOK", &book)]
        ),
        "browser tests failed"
    );
}
