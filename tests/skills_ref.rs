//! Differential test of `skillsite check --profile skills-ref` against the Agent Skills
//! reference validator itself (`skills-ref` 0.1.1 from PyPI, its `agentskills validate DIR`
//! command) as the oracle: each case is written to a temporary skill folder, both tools
//! validate it, and they must agree on the verdict (valid or invalid) and, where our message
//! is meant to be the validator's, on the first error's text.
//!
//! The cases are the boundaries of each rule (lengths 64/65, 1024/1025, 500/501; BOM, CRLF,
//! CR; flow style, anchors, aliases, tags, duplicate keys, tabs; Unicode names under NFKC;
//! missing and empty names; empty front matter; a leading blank line; unknown keys; a folder
//! mismatch) and the inputs of the validator's own tests (agentskills/agentskills,
//! `skills-ref/tests/test_validator.py` and `test_parser.py`), written anew here.
//!
//! A third test writes 1,500 random front matters (fixed seed) built from the fragments
//! strictyaml is picky about and compares both tools on each, the validator through its Python
//! API in one process.
//!
//! `.ci/run` installs the validator (`pip install skills-ref==0.1.1`). Without it the test
//! prints why and passes, except under `CI=true`, where it must run.

use std::path::{Path, PathBuf};
use std::process::Command;

/// How far our first message must match the validator's.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Msg {
    /// The same text.
    Same,
    /// Both start with `Invalid YAML in frontmatter:` (the rest is ruamel's wording).
    Yaml,
    /// Only the verdict (the validator crashes, e.g. on a file that is not UTF-8).
    Verdict,
}

struct Case {
    /// A label for failures.
    label: &'static str,
    /// The skill folder's name.
    folder: String,
    /// The skill file's name (`SKILL.md`, `skill.md`) and bytes; `None`: no file at all.
    file: Option<(&'static str, Vec<u8>)>,
    msg: Msg,
}

fn case(label: &'static str, folder: &str, text: &str) -> Case {
    Case {
        label,
        folder: folder.to_string(),
        file: Some(("SKILL.md", text.as_bytes().to_vec())),
        msg: Msg::Same,
    }
}

fn yaml(label: &'static str, folder: &str, text: &str) -> Case {
    Case {
        msg: Msg::Yaml,
        ..case(label, folder, text)
    }
}

/// `---\nname: NAME\ndescription: DESC\n---\nBody\n` plus extra front-matter lines.
fn skill(name: &str, desc: &str, extra: &str) -> String {
    format!("---\nname: {name}\ndescription: {desc}\n{extra}---\n# Title\n\nBody\n")
}

fn cases() -> Vec<Case> {
    let a64 = "a".repeat(64);
    let a65 = "a".repeat(65);
    let d1024 = "d".repeat(1024);
    let d1025 = "d".repeat(1025);
    let e1024 = "é".repeat(1024); // characters, not bytes
    let c500 = "c".repeat(500);
    let c501 = "c".repeat(501);
    let fi33 = "\u{fb01}".repeat(33); // 33 characters, 66 after NFKC
    let mut v = vec![
        // The basics and the validator's own test inputs.
        case("valid", "my-skill", &skill("my-skill", "A test skill", "")),
        case(
            "uppercase",
            "MySkill",
            &skill("MySkill", "A test skill", ""),
        ),
        case(
            "name 70",
            &"a".repeat(70),
            &skill(&"a".repeat(70), "A test skill", ""),
        ),
        case(
            "leading hyphen",
            "-my-skill",
            &skill("-my-skill", "A test skill", ""),
        ),
        case(
            "trailing hyphen",
            "my-skill-",
            &skill("my-skill-", "A test skill", ""),
        ),
        case(
            "double hyphen",
            "my--skill",
            &skill("my--skill", "A test skill", ""),
        ),
        case(
            "underscore",
            "my_skill",
            &skill("my_skill", "A test skill", ""),
        ),
        case(
            "folder mismatch",
            "wrong-name",
            &skill("correct-name", "A test skill", ""),
        ),
        case(
            "unknown key",
            "my-skill",
            &skill(
                "my-skill",
                "A test skill",
                "unknown_field: should not be here\n",
            ),
        ),
        case(
            "unknown keys sorted",
            "my-skill",
            &skill("my-skill", "d", "zeta: 1\ntype: x\nAuthor: y\n"),
        ),
        case(
            "all fields",
            "my-skill",
            &skill(
                "my-skill",
                "A test skill",
                "license: MIT\nmetadata:\n  author: Test\n",
            ),
        ),
        case(
            "metadata version",
            "my-skill",
            &skill(
                "my-skill",
                "A test skill",
                "metadata:\n  author: Test Author\n  version: 1.0\n",
            ),
        ),
        case(
            "allowed-tools string",
            "my-skill",
            &skill(
                "my-skill",
                "A test skill",
                "allowed-tools: Bash(jq:*) Bash(git:*)\n",
            ),
        ),
        yaml(
            "allowed-tools flow list",
            "my-skill",
            &skill(
                "my-skill",
                "A test skill",
                "allowed-tools: [Read, Write, Edit, Bash]\n",
            ),
        ),
        case(
            "allowed-tools block list",
            "my-skill",
            &skill(
                "my-skill",
                "A test skill",
                "allowed-tools:\n  - Read\n  - Bash\n  - Grep\n",
            ),
        ),
        case(
            "allowed-tools number item",
            "my-skill",
            &skill(
                "my-skill",
                "A test skill",
                "allowed-tools:\n  - Read\n  - 123\n",
            ),
        ),
        case(
            "allowed-tools number",
            "my-skill",
            &skill("my-skill", "A test skill", "allowed-tools: 123\n"),
        ),
        case(
            "chinese",
            "技能",
            &skill("技能", "A skill with Chinese name", ""),
        ),
        case(
            "russian hyphens",
            "мой-навык",
            &skill("мой-навык", "A skill with Russian name", ""),
        ),
        case(
            "russian",
            "навык",
            &skill("навык", "A skill with Russian lowercase name", ""),
        ),
        case(
            "russian uppercase",
            "НАВЫК",
            &skill("НАВЫК", "A skill with Russian uppercase name", ""),
        ),
        case(
            "description 1100",
            "my-skill",
            &skill("my-skill", &"x".repeat(1100), ""),
        ),
        case(
            "compatibility",
            "my-skill",
            &skill(
                "my-skill",
                "A test skill",
                "compatibility: Requires Python 3.11+\n",
            ),
        ),
        case(
            "compatibility 550",
            "my-skill",
            &skill(
                "my-skill",
                "A test skill",
                &format!("compatibility: {}\n", "x".repeat(550)),
            ),
        ),
        case(
            "nfkc cafe",
            "café",
            &skill("cafe\u{301}", "A test skill", ""),
        ),
        case("no front matter", "my-skill", "# No frontmatter here"),
        case(
            "not closed",
            "my-skill",
            "---\nname: my-skill\ndescription: A test skill\n",
        ),
        yaml(
            "unclosed flow",
            "my-skill",
            "---\nname: [invalid\ndescription: broken\n---\nBody here\n",
        ),
        case(
            "list front matter",
            "my-skill",
            "---\n- just\n- a\n- list\n---\nBody\n",
        ),
        case(
            "missing name",
            "my-skill",
            "---\ndescription: A test skill\n---\nBody\n",
        ),
        case(
            "missing description",
            "my-skill",
            "---\nname: my-skill\n---\nBody\n",
        ),
        // Lengths.
        case("name 64", &a64, &skill(&a64, "d", "")),
        case("name 65", &a65, &skill(&a65, "d", "")),
        case(
            "name 33 ligatures = 66 after NFKC",
            &fi33,
            &skill(&fi33, "d", ""),
        ),
        case("description 1024", "s", &skill("s", &d1024, "")),
        case("description 1025", "s", &skill("s", &d1025, "")),
        case("description 1024 multibyte", "s", &skill("s", &e1024, "")),
        case(
            "description 1025 folded",
            "s",
            &format!(
                "---\nname: s\ndescription: >\n  {}\n  {}\n---\n",
                "d".repeat(600),
                "d".repeat(423)
            ),
        ),
        case(
            "description 1024 folded strip",
            "s",
            &format!(
                "---\nname: s\ndescription: >-\n  {}\n  {}\n---\n",
                "d".repeat(600),
                "d".repeat(423)
            ),
        ),
        case(
            "compatibility 500",
            "s",
            &skill("s", "d", &format!("compatibility: {c500}\n")),
        ),
        case(
            "compatibility 501",
            "s",
            &skill("s", "d", &format!("compatibility: {c501}\n")),
        ),
        case(
            "compatibility empty",
            "s",
            &skill("s", "d", "compatibility:\n"),
        ),
        case(
            "compatibility list",
            "s",
            &skill("s", "d", "compatibility:\n  - linux\n"),
        ),
        // Bytes and line breaks.
        case("bom", "s", &format!("\u{feff}{}", skill("s", "d", ""))),
        case("crlf", "s", &skill("s", "d", "").replace('\n', "\r\n")),
        case("cr", "s", &skill("s", "d", "").replace('\n', "\r")),
        case(
            "leading blank line",
            "s",
            &format!("\n{}", skill("s", "d", "")),
        ),
        case("leading space", "s", &format!(" {}", skill("s", "d", ""))),
        case("empty front matter", "s", "---\n---\nBody\n"),
        case("comment-only front matter", "s", "---\n# nothing\n---\n"),
        case("scalar front matter", "s", "---\njust text\n---\n"),
        yaml("four dashes", "s", "----\nname: s\ndescription: d\n---\n"),
        case(
            "split inside a value",
            "s",
            "---\nname: s\ndescription: a---b\n---\n",
        ),
        case(
            "split after a space",
            "s",
            "---\nname: s\ndescription: a --- b\n---\n",
        ),
        case(
            "no newline after dashes",
            "s",
            "---name: s\ndescription: d\n---\n",
        ),
        Case {
            label: "skill.md lowercase",
            folder: "s".into(),
            file: Some(("skill.md", skill("s", "d", "").into_bytes())),
            msg: Msg::Same,
        },
        Case {
            label: "no skill file",
            folder: "s".into(),
            file: None,
            msg: Msg::Same,
        },
        Case {
            label: "not utf-8",
            folder: "s".into(),
            file: Some((
                "SKILL.md",
                b"---\nname: s\ndescription: caf\xe9\n---\n".to_vec(),
            )),
            msg: Msg::Verdict,
        },
        // strictyaml.
        yaml("flow map", "s", &skill("s", "d", "metadata: {a: b}\n")),
        yaml("anchor", "s", &skill("s", "&d text", "")),
        yaml("alias", "s", &skill("s", "d", "license: *x\n")),
        yaml("tag", "s", &skill("s", "!!str d", "")),
        yaml(
            "duplicate key",
            "s",
            "---\nname: s\ndescription: d\nname: s\n---\n",
        ),
        yaml(
            "duplicate nested key",
            "s",
            &skill("s", "d", "metadata:\n  a: 1\n  a: 2\n"),
        ),
        yaml(
            "tab indentation",
            "s",
            &skill("s", "d", "metadata:\n\ta: 1\n"),
        ),
        yaml(
            "tab after colon",
            "s",
            "---\nname:\ts\ndescription: d\n---\n",
        ),
        yaml(
            "tab in value",
            "s",
            "---\nname: s\ndescription: a\tb\n---\n",
        ),
        case(
            "tab in quoted value",
            "s",
            "---\nname: s\ndescription: \"a\tb\"\n---\n",
        ),
        case(
            "tab in comment",
            "s",
            "---\nname: s # a\tcomment\ndescription: d\n---\n",
        ),
        yaml(
            "colon space in value",
            "s",
            &skill("s", "Use when: the user asks", ""),
        ),
        case(
            "colon space quoted",
            "s",
            &skill("s", "'Use when: the user asks'", ""),
        ),
        case(
            "colon without space",
            "s",
            &skill("s", "see https://example.org/x", ""),
        ),
        case("hash comment", "s", &skill("s", "d # not part of it", "")),
        yaml(
            "inconsistent nested indentation",
            "s",
            &skill("s", "d", "metadata:\n  a: b\nlicense:\n    c: d\n"),
        ),
        case(
            "nested mapping value",
            "s",
            &skill("s", "d", "license:\n  spdx: MIT\n"),
        ),
        case(
            "description mapping",
            "s",
            "---\nname: s\ndescription:\n  a: b\n---\n",
        ),
        case(
            "yes null tilde are strings",
            "s",
            &skill("s", "yes", "license: null\ncompatibility: ~\n"),
        ),
        case(
            "multi-line plain",
            "s",
            "---\nname: s\ndescription: one\n  two\n  three\n---\n",
        ),
        yaml(
            "continuation at column 0",
            "s",
            "---\nname: s\ndescription: one\ntwo\n---\n",
        ),
        case(
            "literal block",
            "s",
            "---\nname: s\ndescription: |\n  line one\n  line two\n---\n",
        ),
        case(
            "double-quoted escapes",
            "s",
            "---\nname: \"s\"\ndescription: \"a\\tb\\u00e9\"\n---\n",
        ),
        yaml(
            "bad escape",
            "s",
            "---\nname: s\ndescription: \"a\\qb\"\n---\n",
        ),
        case(
            "single-quoted",
            "s",
            "---\nname: 's'\ndescription: 'it''s'\n---\n",
        ),
        yaml(
            "text after quote",
            "s",
            "---\nname: 's'x\ndescription: d\n---\n",
        ),
        yaml("percent start", "s", &skill("s", "%d", "")),
        yaml("backtick start", "s", &skill("s", "`d`", "")),
        yaml("sequence entry in value", "s", &skill("s", "- d", "")),
        case(
            "document end marker",
            "s",
            "---\nname: s\ndescription: d\n...\n---\n",
        ),
        // Names.
        case("empty name", "s", "---\nname:\ndescription: d\n---\n"),
        case(
            "empty quoted name",
            "s",
            "---\nname: ''\ndescription: d\n---\n",
        ),
        case(
            "blank quoted name",
            "s",
            "---\nname: '   '\ndescription: d\n---\n",
        ),
        case("name list", "s", "---\nname:\n  - s\ndescription: d\n---\n"),
        case(
            "padded quoted name",
            "s",
            "---\nname: ' s '\ndescription: d\n---\n",
        ),
        case(
            "nbsp padded name",
            "s",
            "---\nname: \u{a0}s\u{a0}\ndescription: d\n---\n",
        ),
        case(
            "empty description",
            "s",
            "---\nname: s\ndescription: ''\n---\n",
        ),
        case(
            "ligature name, plain folder",
            "file",
            &skill("\u{fb01}le", "d", ""),
        ),
        case(
            "plain name, ligature folder",
            "\u{fb01}le",
            &skill("file", "d", ""),
        ),
        case("fullwidth name", "abc", &skill("ａｂｃ", "d", "")),
        case("title-case letter", "ǆ", &skill("ǅ", "d", "")),
        case("greek final sigma", "λόγος", &skill("λόγος", "d", "")),
        case("arabic-indic digits", "مهارة-٣", &skill("مهارة-٣", "d", "")),
        case("devanagari marks", "हिन्दी", &skill("हिन्दी", "d", "")),
        case("roman numeral", "ⅻ", &skill("ⅻ", "d", "")),
        case("emoji", "s😀", &skill("s😀", "d", "")),
        case(
            "space in name",
            "agent development",
            &skill("agent development", "d", ""),
        ),
        case(
            "agent development",
            "agent-development",
            &skill("Agent Development", "d", ""),
        ),
        case("dotted name", "a.b", &skill("a.b", "d", "")),
    ];
    v.sort_by_key(|c| c.label); // a stable order for the failure list
    v
}

/// The validator's command, or why it cannot run.
fn oracle() -> Result<Vec<String>, String> {
    let works = |cmd: &[&str]| {
        Command::new(cmd[0])
            .args(&cmd[1..])
            .arg("--version")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    };
    for cmd in [vec!["agentskills"], vec!["python3", "-m", "skills_ref.cli"]] {
        if let Some(version) = works(&cmd) {
            if !version.contains("0.1.1") {
                return Err(format!(
                    "`{}` is {}, not skills-ref 0.1.1",
                    cmd.join(" "),
                    version.trim()
                ));
            }
            let mut v: Vec<String> = cmd.iter().map(|s| s.to_string()).collect();
            v.push("validate".into());
            return Ok(v);
        }
    }
    Err("neither `agentskills` nor `python3 -m skills_ref.cli` runs (pip install skills-ref==0.1.1)".into())
}

/// Verdict and first error of the validator on `dir`.
fn run_oracle(cmd: &[String], dir: &Path) -> (bool, Option<String>) {
    let out = Command::new(&cmd[0])
        .args(&cmd[1..])
        .arg(dir)
        .output()
        .expect("run the validator");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let first = stderr
        .lines()
        .find_map(|l| l.strip_prefix("  - "))
        .map(str::to_string);
    (out.status.success(), first)
}

/// Verdict and first error of `skillsite check --profile skills-ref --format json` on `dir`.
fn run_ours(dir: &Path) -> (bool, Option<String>, usize) {
    let out = Command::new(env!("CARGO_BIN_EXE_skillsite"))
        .args(["check", "--profile", "skills-ref", "--format", "json"])
        .arg(dir)
        .output()
        .expect("run skillsite");
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("skillsite printed JSON");
    let list = json.as_array().expect("a JSON array");
    let first = list
        .first()
        .and_then(|d| d["message"].as_str())
        .map(str::to_string);
    (out.status.success(), first, list.len())
}

fn write_case(root: &Path, i: usize, c: &Case) -> PathBuf {
    let dir = root.join(format!("{i:03}")).join(&c.folder);
    std::fs::create_dir_all(&dir).unwrap();
    if let Some((name, bytes)) = &c.file {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    dir
}

#[test]
fn skills_ref_profile_agrees_with_the_reference_validator() {
    let cmd = match oracle() {
        Ok(cmd) => cmd,
        Err(why) => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("the reference validator must run in CI: {why}");
            }
            eprintln!("skipped: {why}");
            return;
        }
    };
    let tmp = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let cases = cases();
    let (mut valid, mut invalid) = (0, 0);
    for (i, c) in cases.iter().enumerate() {
        let dir = write_case(tmp.path(), i, c);
        let (oracle_ok, oracle_first) = run_oracle(&cmd, &dir);
        let (ours_ok, ours_first, _) = run_ours(&dir);
        if oracle_ok {
            valid += 1;
        } else {
            invalid += 1;
        }
        if oracle_ok != ours_ok {
            failures.push(format!(
                "{}: validator says {}, skillsite says {} (validator: {oracle_first:?}; skillsite: {ours_first:?})",
                c.label,
                if oracle_ok { "valid" } else { "invalid" },
                if ours_ok { "valid" } else { "invalid" },
            ));
            continue;
        }
        if oracle_ok {
            continue;
        }
        let (o, s) = (
            oracle_first.clone().unwrap_or_default(),
            ours_first.clone().unwrap_or_default(),
        );
        let agree = match c.msg {
            Msg::Same => o == s,
            Msg::Yaml => {
                let p = "Invalid YAML in frontmatter:";
                o.starts_with(p) && s.starts_with(p)
            }
            Msg::Verdict => true,
        };
        if !agree {
            failures.push(format!(
                "{} ({:?}): first error differs\n    validator: {o}\n    skillsite: {s}",
                c.label, c.msg
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases disagree:\n  {}",
        failures.len(),
        cases.len(),
        failures.join("\n  ")
    );
    // The cases cover both verdicts (a test of an always-valid or always-invalid tool fails).
    assert!(
        valid >= 20 && invalid >= 40,
        "{valid} valid, {invalid} invalid"
    );
    eprintln!(
        "{} cases agree ({valid} valid, {invalid} invalid)",
        cases.len()
    );
}

/// One run over a folder of several skills reports each of them, the valid and the invalid,
/// and exits 1; no oracle needed.
#[test]
fn skills_ref_profile_reports_each_skill_of_a_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let put = |rel: &str, text: &str| {
        let dir = root.join(rel);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("SKILL.md"), text).unwrap();
    };
    put("skills/good", &skill("good", "d", ""));
    put("skills/Bad", &skill("Bad", "d", ""));
    put(".claude/skills/hidden", &skill("hidden", "d", "type: x\n"));
    // The build folder holds copies of SKILL.md; they are not skills.
    put("book/skills/Bad", &skill("Bad", "d", ""));
    let out = Command::new(env!("CARGO_BIN_EXE_skillsite"))
        .args(["check", "--profile", "skills-ref"])
        .arg(root)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("Valid skill: "), "{err}");
    assert!(err.contains("skills/good"), "{err}");
    assert_eq!(err.matches("Validation failed for ").count(), 2, "{err}");
    assert!(
        err.contains("error[skill-name]: Skill name 'Bad' must be lowercase"),
        "{err}"
    );
    assert!(
        err.contains("error[unknown-front-matter-key]: Unexpected fields in frontmatter: type."),
        "{err}"
    );
    assert!(
        err.contains("Checked 3 skills with the skills-ref profile: 1 valid, 2 invalid"),
        "{err}"
    );
    assert!(!err.contains("book/"), "{err}");
    // A path to the SKILL.md itself is its folder, as for the validator.
    let out = Command::new(env!("CARGO_BIN_EXE_skillsite"))
        .args(["check", "--profile", "skills-ref"])
        .arg(root.join("skills/good/SKILL.md"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Also given as a bare file name from inside the folder; and a file that is not a skill.
    let out = Command::new(env!("CARGO_BIN_EXE_skillsite"))
        .args(["check", "--profile", "skills-ref", "SKILL.md"])
        .current_dir(root.join("skills/good"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(root.join("notes.txt"), "x").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_skillsite"))
        .args(["check", "--profile", "skills-ref"])
        .arg(root.join("notes.txt"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("Not a directory: "), "{err}");
}

/// A small deterministic generator (xorshift64*), so that a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// A random front matter built from the fragments strictyaml is picky about: quoting,
/// indicators, comments, tabs, nesting, block scalars, continuation lines, BOM and CRLF.
fn random_skill(rng: &mut Rng) -> String {
    let long = "x".repeat(1023);
    let long_y = format!("{long}y");
    let long_yy = format!("{long}yy");
    let long_quoted = format!("'{long} '");
    let block_long = format!("\n  {long}\n");
    let block_split = format!("\n  {}\n  {}\n", &long[..512], &long[..510]);
    let block_split_blank = format!("\n  {}\n\n  {}\n", &long[..512], &long[..510]);
    let name64 = "x".repeat(64);
    let name65 = "x".repeat(65);
    let keys = [
        "name",
        "description",
        "license",
        "compatibility",
        "metadata",
        "allowed-tools",
        "type",
        "'name'",
        "\"description\"",
        "x y",
        "name ",
        "-k",
        "? name",
        "name:x",
        "'na''me'",
        "name #x",
        "metadata ",
        "NAME",
    ];
    let vals = [
        "s",
        "d",
        "",
        " ",
        "'q'",
        "\"dq\"",
        "a: b",
        "a:b",
        "a #c",
        "a#c",
        "[a]",
        "{a: 1}",
        "&x a",
        "*x",
        "!t a",
        "- a",
        "-a",
        "? a",
        "%a",
        "@a",
        "`a`",
        "'it''s'",
        "\"e\\tq\"",
        "\"bad\\q\"",
        "a\tb",
        "yes",
        "~",
        "null",
        "1.0",
        "'unterminated",
        "\"x\" y",
        "a, b",
        "a]",
        "a}",
        "...",
        "a'b",
        "a\"b",
        "'multi\n  line'",
        "\"multi\n\n  line\"",
        "\"esc\\\n  aped\"",
        "'a: b'",
        "a  ",
        "a ' b",
        &name64,
        &name65,
        "ﬁle",
        "Ünï",
        "ǅ",
        "a-b",
        "a--b",
        &long,
        &long_y,
        &long_yy,
        &long_quoted,
    ];
    let nested = [
        "\n  k: v",
        "\n  - a\n  - b",
        "\n- a",
        "\n  k: v\n  k: w",
        "\n    deep: x",
        "\n\tk: v",
        "\n  a\n  b",
        "\n  |\n  x",
        "\n  k:\n    j: v",
        "\n  - k: v\n    j: w",
        "\n  -\n    a",
        " # c\n  k: v",
        "\n  # c\n  k: v",
        "\n  k: v\n   j: w",
        "\n  k: v\n j: w",
    ];
    let continuations = [
        "\n  more",
        "\n\n  more",
        "\nmore",
        "\n  more: x",
        "\n  # c",
        "\n   x\n  y",
        "\n  - z",
    ];
    let blocks = [
        "\n  l1\n  l2\n",
        "\n  l1\n\n  l2\n",
        "\n   l1\n  l2\n",
        "\n l1\n",
        "\nl1\n",
        "\n  l1\n    l2\n  l3\n",
        "\n\n  l1\n",
        &block_long,
        &block_split,
        &block_split_blank,
        "\n  x\n  # not a comment\n",
        "\n  x\n# comment\n",
        "\n  \tx\n",
    ];
    let names = [
        "S",
        "ſ",
        "ﬆ",
        "s ",
        "'s'",
        "\"s\"",
        "s\u{a0}",
        "\u{a0}s",
        "'\u{3000}s'",
        "s-",
        "-s",
        "s--s",
        "ß",
        "ς",
        "σ",
        "ǆ",
        "ⅼ",
        "١",
        "s_s",
        "s.s",
    ];
    let mut lines: Vec<String> = Vec::new();
    if rng.chance(60) {
        lines.push("name: s".into());
    } else if rng.chance(30) {
        lines.push(format!("name: {}", rng.pick(&names)));
    }
    if rng.chance(60) {
        let d = rng.pick(&["d", "'d'", "d # c", "|\n  d\n", ">-\n  d\n  e", "d\n  more"]);
        lines.push(format!("description: {d}"));
    }
    for _ in 0..[0, 0, 1, 1, 2, 3][rng.below(6)] {
        let key = rng.pick(&keys);
        let r = rng.below(10);
        let mut line = if r < 5 {
            let v = rng.pick(&vals);
            if rng.chance(15) {
                let b = rng.pick(&["|", ">", "|-", ">+", "|2", ">-1"]);
                format!("{key}: {b}{}", rng.pick(&blocks))
            } else if rng.chance(20) {
                format!("{key}: {v}{}", rng.pick(&continuations))
            } else {
                format!("{key}: {v}")
            }
        } else if r < 8 {
            format!("{key}:{}", rng.pick(&nested))
        } else {
            format!("{key}: {}{}", rng.pick(&vals), rng.pick(&vals))
        };
        if rng.chance(10) {
            line = format!("  {line}");
        }
        if rng.chance(5) {
            line = format!("# comment {}\n{line}", rng.pick(&vals));
        }
        if rng.chance(5) {
            line.push_str(" # trailing");
        }
        if rng.chance(3) {
            line.push_str("\n\n");
        }
        lines.push(line);
    }
    let mut front = lines.join("\n");
    if rng.chance(10) {
        front = front.replace('\n', "\r\n");
    }
    let mut text = format!(
        "---\n{front}{}---\nbody\n",
        if front.is_empty() { "" } else { "\n" }
    );
    if rng.chance(5) {
        text.insert(0, '\u{feff}');
    }
    text
}

/// 1,500 random front matters (a fixed seed), checked in one run of each tool: the validator
/// through its Python API (`skills_ref.validator.validate`, what `agentskills validate`
/// calls), skillsite on the whole tree. Same verdict for each, and the same first message
/// unless it is a YAML error.
#[test]
fn random_front_matter_agrees_with_the_reference_validator() {
    if let Err(why) = oracle() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("the reference validator must run in CI: {why}");
        }
        eprintln!("skipped: {why}");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("tree");
    let mut rng = Rng(0x5eed_cafe_f00d_0001);
    let mut dirs = Vec::new();
    for i in 0..1500 {
        let dir = root.join(format!("{i:04}")).join("s");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("SKILL.md"), random_skill(&mut rng)).unwrap();
        dirs.push(dir);
    }
    // The oracle: one Python process, one JSON line of messages per folder.
    let script = "import json, sys\nfrom skills_ref.validator import validate\nfor d in sys.stdin.read().splitlines():\n    print(json.dumps(validate(d)))\n";
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3");
    {
        use std::io::Write;
        let list: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(list.join("\n").as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "the validator's API failed");
    let oracle: Vec<Vec<String>> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(oracle.len(), dirs.len());
    // skillsite, once over the tree.
    let out = Command::new(env!("CARGO_BIN_EXE_skillsite"))
        .args(["check", "--profile", "skills-ref", "--format", "json"])
        .arg(&root)
        .output()
        .unwrap();
    let ours: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut by_dir: std::collections::HashMap<PathBuf, Vec<String>> = Default::default();
    for d in &ours {
        let file = PathBuf::from(d["file"].as_str().unwrap());
        let dir = file.parent().unwrap().to_path_buf();
        by_dir
            .entry(dir)
            .or_default()
            .push(d["message"].as_str().unwrap().to_string());
    }
    let mut failures = Vec::new();
    let mut valid = 0;
    for (dir, expected) in dirs.iter().zip(&oracle) {
        let got = by_dir.get(dir).cloned().unwrap_or_default();
        let text = std::fs::read_to_string(dir.join("SKILL.md")).unwrap();
        valid += usize::from(expected.is_empty());
        if expected.is_empty() != got.is_empty() {
            failures.push(format!(
                "verdict differs for {text:?}: validator {expected:?}, skillsite {got:?}"
            ));
        } else if let (Some(e), Some(g)) = (expected.first(), got.first()) {
            if !e.starts_with("Invalid YAML in frontmatter:") && e != g {
                failures.push(format!(
                    "first message differs for {text:?}: validator {e:?}, skillsite {g:?}"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} random cases disagree:\n{}",
        failures.len(),
        dirs.len(),
        failures[..failures.len().min(10)].join("\n")
    );
    assert!(
        valid > 100 && valid < 1400,
        "{valid} valid: the generator lost its mix"
    );
}
