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

use std::path::Path;
use std::process::Command;

use common::{fixture, run, skillsite};

#[test]
fn no_script_of_the_hostile_pack_runs_in_chromium() {
    if std::env::var("SKILLSITE_BROWSER_TESTS").ok().as_deref() != Some("1") {
        eprintln!("skipped: set SKILLSITE_BROWSER_TESTS=1 to run the browser test (needs node, npm, chromium)");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (tmp, project) = fixture("hostile");
    let site = tmp.path().join("site");
    let (code, _, err) = run(skillsite(tmp.path())
        .arg("build")
        .arg(&project)
        .arg("-d")
        .arg(&site));
    assert_eq!(code, 0, "{err}");
    let dir = root.join("tests/browser");
    if !dir.join("node_modules/playwright-core").is_dir() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .status()
            .expect("runs npm ci");
        assert!(status.success(), "npm ci failed: {status}");
    }
    let status = Command::new("node")
        .arg("--test")
        .arg(dir.join("hostile.test.mjs"))
        .env("SKILLSITE_BOOK", &site)
        .status()
        .expect("runs node --test");
    assert!(
        status.success(),
        "hostile browser test failed: {status} (see the summary above)"
    );
}
