//! Browser test of the hostile pack (`tests/browser/hostile.test.mjs`, playwright-core +
//! Debian's Chromium): builds `tests/fixtures/hostile` into a temporary folder, serves it on
//! 127.0.0.1 and opens it from `file://`, fires every event handler, focuses every element,
//! clicks every link and chip, types hostile search queries, and fails when any script of the
//! pack runs (a dialog, an `alert`/`confirm`/`prompt`/`print`/`open` call), when a script is
//! requested from a foreign host, or when the DOM keeps an `on*` attribute, a non-allowed URL
//! scheme or a script that is not ours. The summary it prints lists every fired vector with its
//! page and marker.
//!
//! Runs only when `SKILLSITE_BROWSER_TESTS=1` (it needs node, npm and Chromium), as CI sets it.

mod common;

use common::{browser_tests_enabled, fixture, node_tests, run, skillsite};

#[test]
fn no_script_of_the_hostile_pack_runs_in_chromium() {
    if !browser_tests_enabled() {
        return;
    }
    let (tmp, project) = fixture("hostile");
    let site = tmp.path().join("site");
    let (code, _, err) = run(skillsite(tmp.path())
        .arg("build")
        .arg(&project)
        .arg("-d")
        .arg(&site));
    assert_eq!(code, 0, "{err}");
    assert!(
        node_tests(&["hostile.test.mjs"], &[("SKILLSITE_BOOK", &site)]),
        "hostile browser test failed (see the summary above)"
    );
}
