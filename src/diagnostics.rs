//! Diagnostics: warnings and errors collected by every stage of the pipeline.
//!
//! A stage never prints; it pushes a [`Diagnostic`] into the shared [`Diagnostics`] sink
//! (thread-safe, so the parallel render stage can report too). The CLI prints them at the end
//! in `file:line:col: level[rule]: message` form followed by an indented `= hint:` line, the
//! format of rustc and most compilers, so editors and CI annotators can jump to the place.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};

/// How bad a diagnostic is, in increasing order. `--strict` promotes every warning to an
/// error (never a note); notes never make a command fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Information worth knowing, not a problem: what a pack runs (hooks, MCP servers) or
    /// declares (broad tool permissions). `skillsite check` prints notes, `build` counts them.
    Note,
    /// The site still builds; the output may be incomplete or different from what was meant.
    Warning,
    /// The input could not be used; `build` exits with status 1.
    Error,
}

/// One problem found in the input, with its place and a hint on how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// Warning or error.
    pub severity: Severity,
    /// A stable, kebab-case rule id, e.g. `broken-link`, `front-matter`, `config-unknown-key`.
    pub rule: &'static str,
    /// The file the problem is in, as given to the tool (relative to the project root when possible).
    pub file: Option<PathBuf>,
    /// 1-based line number in `file`, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    pub column: Option<usize>,
    /// What is wrong, one sentence, no trailing period.
    pub message: String,
    /// How to fix it, when there is something useful to say.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A warning for `rule` with `message` and no location yet.
    pub fn warning(rule: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, rule, message)
    }

    /// A note for `rule` with `message` and no location yet.
    pub fn note(rule: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Note, rule, message)
    }

    /// An error for `rule` with `message` and no location yet.
    pub fn error(rule: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, rule, message)
    }

    fn new(severity: Severity, rule: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            rule,
            file: None,
            line: None,
            column: None,
            message: message.into(),
            hint: None,
        }
    }

    /// Sets the file.
    pub fn at(mut self, file: impl AsRef<Path>) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self
    }

    /// Sets the 1-based line (0 is treated as unknown).
    pub fn line(mut self, line: usize) -> Self {
        self.line = (line > 0).then_some(line);
        self
    }

    /// Sets the 1-based column (0 is treated as unknown).
    pub fn column(mut self, column: usize) -> Self {
        self.column = (column > 0).then_some(column);
        self
    }

    /// Sets the hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}", file.display())?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(col) = self.column {
                    write!(f, ":{col}")?;
                }
            }
            write!(f, ": ")?;
        }
        write!(f, "{}[{}]: {}", self.severity, self.rule, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {hint}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A thread-safe collection of diagnostics, shared by all stages of one build.
///
/// The sink also applies the lint levels (`[skillsite.lints]` and the command's defaults, see
/// `model::lints`): [`Diagnostics::set_levels`] gives each rule id its severity, or `None` to
/// drop it. Levels are applied when the diagnostics are read ([`Diagnostics::sorted`],
/// [`Diagnostics::count`]), so they hold for what was pushed before they were set too; a rule
/// without a level keeps the severity it was pushed with.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Mutex<Vec<Diagnostic>>,
    levels: RwLock<HashMap<&'static str, Option<Severity>>>,
}

impl Diagnostics {
    /// An empty sink.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one diagnostic.
    pub fn push(&self, diagnostic: Diagnostic) {
        self.items
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(diagnostic);
    }

    /// Sets the severity of each rule id in `levels` (`None`: the rule is not reported),
    /// replacing earlier levels.
    pub fn set_levels(&self, levels: HashMap<&'static str, Option<Severity>>) {
        *self.levels.write().unwrap_or_else(|e| e.into_inner()) = levels;
    }

    /// Number of diagnostics of `severity` so far (after the levels).
    pub fn count(&self, severity: Severity) -> usize {
        let levels = self.levels.read().unwrap_or_else(|e| e.into_inner());
        self.lock()
            .iter()
            .filter(|d| levels.get(d.rule).copied().unwrap_or(Some(d.severity)) == Some(severity))
            .count()
    }

    /// True when at least one error was recorded (after the levels).
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// How many diagnostics were pushed so far (before the levels): a mark for [`Self::since`].
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether nothing was pushed.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// The diagnostics pushed after mark `n` ([`Self::len`]), after the levels, sorted as
    /// [`Self::sorted`]: what one stage reported.
    pub fn since(&self, n: usize) -> Vec<Diagnostic> {
        let mut items: Vec<Diagnostic> = {
            let all = self.lock();
            let later = Diagnostics::new();
            for d in all.iter().skip(n) {
                later.push(d.clone());
            }
            later.set_levels(
                self.levels
                    .read()
                    .unwrap_or_else(|e| e.into_inner())
                    .clone(),
            );
            later.sorted()
        };
        items.shrink_to_fit();
        items
    }

    /// All diagnostics after the levels, sorted by file, line and column so output is stable
    /// across runs whatever order the parallel stages reported in.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut items = self.leveled();
        items.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
        });
        items
    }

    /// The diagnostics with the levels applied, in the order pushed.
    fn leveled(&self) -> Vec<Diagnostic> {
        let levels = self.levels.read().unwrap_or_else(|e| e.into_inner());
        self.lock()
            .iter()
            .filter_map(|d| match levels.get(d.rule) {
                None => Some(d.clone()),
                Some(None) => None,
                Some(Some(severity)) => Some(Diagnostic {
                    severity: *severity,
                    ..d.clone()
                }),
            })
            .collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Diagnostic>> {
        self.items.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Converts a byte offset in `text` to a 1-based (line, column) pair; column counts characters.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_has_place_rule_and_hint() {
        let d = Diagnostic::warning("broken-link", "link to `x.md` does not resolve")
            .at("a/b.md")
            .line(3)
            .column(7)
            .hint("check the path");
        assert_eq!(
            d.to_string(),
            "a/b.md:3:7: warning[broken-link]: link to `x.md` does not resolve\n  = hint: check the path"
        );
    }

    #[test]
    fn levels_change_or_drop_a_rule_also_for_what_was_pushed_before() {
        let d = Diagnostics::new();
        d.push(Diagnostic::warning("skill-name", "a"));
        d.push(Diagnostic::warning("broken-link", "b"));
        d.push(Diagnostic::error("io", "c"));
        assert_eq!(d.count(Severity::Error), 1);
        d.set_levels(HashMap::from([
            ("skill-name", Some(Severity::Error)),
            ("broken-link", None),
        ]));
        assert_eq!(d.count(Severity::Error), 2);
        assert_eq!(d.count(Severity::Warning), 0);
        let rules: Vec<_> = d.sorted().iter().map(|x| x.rule).collect();
        assert_eq!(rules, ["skill-name", "io"]);
        d.push(Diagnostic::warning("skill-name", "later"));
        assert_eq!(d.count(Severity::Error), 3);
    }

    #[test]
    fn line_col_counts_chars() {
        let t = "ab\ncé d";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, t.find('d').unwrap()), (2, 4));
    }
}
