//! Shared helpers for the integration tests: fixture copies and running the binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub mod skills;

/// Copies `tests/fixtures/NAME` into a fresh temporary folder and returns (guard, project path).
pub fn fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let dest = tmp.path().join(name);
    copy_dir(&src, &dest);
    (tmp, dest)
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// `skillsite ARGS...` with the current folder set to `cwd`.
pub fn skillsite(cwd: &Path) -> Command {
    let mut c = Command::cargo_bin("skillsite").expect("binary built");
    c.current_dir(cwd);
    c
}

/// Output of a finished command: (exit code, stdout, stderr).
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Whether the browser tests run: only with `SKILLSITE_BROWSER_TESTS=1` (they need node, npm
/// and Chromium, which a plain Rust setup does not have; CI sets it). Says so when skipped.
pub fn browser_tests_enabled() -> bool {
    let on = std::env::var("SKILLSITE_BROWSER_TESTS").ok().as_deref() == Some("1");
    if !on {
        eprintln!("skipped: set SKILLSITE_BROWSER_TESTS=1 to run the browser test (needs node, npm, chromium)");
    }
    on
}

/// Runs `node --test` on `tests/browser/FILES` with `env` (after `npm ci` there once) and
/// returns whether it passed; `SKILLSITE_BIN` is set to the binary under test.
pub fn node_tests(files: &[&str], env: &[(&str, &Path)]) -> bool {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    // npm ci again when a dependency added since the last install is missing (axe-core).
    if !dir.join("node_modules/playwright-core").is_dir()
        || !dir.join("node_modules/axe-core").is_dir()
    {
        let status = std::process::Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .status()
            .expect("runs npm ci");
        assert!(status.success(), "npm ci failed: {status}");
    }
    let mut node = std::process::Command::new("node");
    node.arg("--test")
        .args(files.iter().map(|f| dir.join(f)))
        .env("SKILLSITE_BIN", env!("CARGO_BIN_EXE_skillsite"));
    for (k, v) in env {
        node.env(k, v);
    }
    node.status().expect("runs node --test").success()
}
