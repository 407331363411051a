//! Browser test of `[output.html.redirect]` (`tests/browser/redirect.test.mjs`, playwright-core +
//! Debian's Chromium): builds `tests/fixtures/mdbook-links` into a temporary folder, serves it on
//! 127.0.0.1 and checks that each old URL, with and without a `#fragment`, lands on the new one.
//!
//! Runs only when `SKILLSITE_BROWSER_TESTS=1` (it needs node, npm and Chromium), as CI sets it.

mod common;

use common::{browser_tests_enabled, fixture, node_tests, run, skillsite};

#[test]
fn old_urls_land_on_the_new_pages_in_chromium() {
    if !browser_tests_enabled() {
        return;
    }
    let (tmp, project) = fixture("mdbook-links");
    let site = tmp.path().join("site");
    let (code, _, err) = run(skillsite(tmp.path())
        .arg("build")
        .arg(&project)
        .arg("-d")
        .arg(&site));
    // The fixture has two deliberate broken links (warnings), no errors.
    assert_eq!(code, 0, "{err}");
    assert!(
        node_tests(&["redirect.test.mjs"], &[("SKILLSITE_BOOK", &site)]),
        "redirect browser test failed"
    );
}
