//! The `skillsite` command line: parses arguments, runs a command, prints diagnostics and a
//! summary, and sets the exit status (0 success, 1 errors, 2 usage).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

mod cli_search;
mod mcp;

use clap::{Parser, Subcommand};
use skillsite::build::{build, BuildOptions};
use skillsite::diagnostics::{Diagnostic, Diagnostics, Severity};

/// A static-site generator for skill packs, runbooks and architecture docs.
#[derive(Parser)]
#[command(name = "skillsite", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the build folder (default `book/`).
    Build {
        /// Project folder holding book.toml, or a folder of Markdown content.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Output folder (relative paths are relative to DIR, as in mdBook).
        #[arg(short = 'd', long = "dest-dir", value_name = "OUT")]
        dest_dir: Option<PathBuf>,
        /// Treat warnings as errors and write nothing if there is any (for CI).
        #[arg(long)]
        strict: bool,
        /// Print only errors and warnings, not the summary line.
        #[arg(short, long)]
        quiet: bool,
        /// Print the wall time of each stage (load, transform, markdown, agent files, templates,
        /// index, agent write, write; index runs alongside markdown and templates).
        #[arg(long)]
        timings: bool,
        /// Do not run the book's `[preprocessor.NAME]` commands (code the project names).
        #[arg(long)]
        no_preprocessors: bool,
    },
    /// Lint the project without writing a site: Agent Skills rules, dependencies, links.
    Check {
        /// Project folder holding book.toml, or a folder of Markdown content.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Fail (exit 1) on warnings too.
        #[arg(long)]
        strict: bool,
        /// Which rules: `default` (every stage: Agent Skills rules as the spec's client guide
        /// reads them, links, audit) or `skills-ref` (only the Agent Skills reference
        /// validator's rules and messages, for each skill folder of DIR).
        #[arg(long, value_enum, default_value_t = Profile::Default)]
        profile: Profile,
    },
    /// Search the site: words, "phrases", filters such as type:technique or kind:runbook.
    ///
    /// Uses the index `skillsite build` stored beside the build folder
    /// (.skillsite-cache/NAME/tantivy/); without one, indexes the site in memory first.
    Search {
        /// The query. Every word must match; words of 5+ letters tolerate typos.
        query: String,
        /// A project folder (holding book.toml), a built site, or its tantivy index folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Print the results as JSON.
        #[arg(long)]
        json: bool,
        /// Most results to print.
        #[arg(short = 'n', long, default_value_t = 10)]
        limit: usize,
        /// Treat the last word as a prefix, as the browser does while you type.
        #[arg(long)]
        prefix: bool,
    },
    /// Build the site and serve it on http://127.0.0.1:3000/, rebuilding and reloading the
    /// browser when files change. Nothing is written to the build folder.
    Serve {
        /// Project folder holding book.toml, or a folder of Markdown content.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Port to listen on (0 picks a free one).
        #[arg(short, long, default_value_t = 3000)]
        port: u16,
        /// Address to listen on. The default is loopback only; use 0.0.0.0 to let other
        /// machines read the site.
        #[arg(short = 'n', long, default_value = "127.0.0.1")]
        hostname: String,
        /// Open the site in the default web browser.
        #[arg(long)]
        open: bool,
        /// Do not run the book's `[preprocessor.NAME]` commands (code the project names).
        #[arg(long)]
        no_preprocessors: bool,
        /// Print how long each phase of a rebuild took (reload, render, catalog files, snapshot,
        /// publish).
        #[arg(long)]
        timings: bool,
    },
    /// Serve the skill catalog to agents over stdio: a Model Context Protocol server with the
    /// tools search_skills, get_skill and list_packs and each SKILL.md as a resource.
    ///
    /// Reads the built site when DIR is one (or its build folder holds one); otherwise loads
    /// the project in memory. Writes nothing and runs nothing from the catalog.
    Mcp {
        /// A project folder (holding book.toml) or a built site (holding catalog.json).
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Create a new project: book.toml, content/ with a pack, a skill and a runbook.
    Init {
        /// Folder to create the project in.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
}

/// Rule set of `check`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Profile {
    /// Every stage; lint levels from book.toml apply.
    Default,
    /// The Agent Skills reference validator (`skills-ref validate`), per skill folder.
    SkillsRef,
}

/// Diagnostic output format of `check`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// `file:line:col: level[rule]: message` lines with hints.
    Human,
    /// A JSON array of diagnostics.
    Json,
    /// SARIF 2.1.0, for code-scanning tools (GitHub code scanning, IDEs).
    Sarif,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            dir,
            dest_dir,
            strict,
            quiet,
            timings,
            no_preprocessors,
        } => {
            let diags = Diagnostics::new();
            let opts = BuildOptions {
                dir,
                dest: dest_dir,
                strict,
                progress: std::io::stderr().is_terminal(),
                in_memory: false,
                check: false,
                no_preprocessors,
            };
            let report = build(&opts, &diags);
            // Notes (what the packs run: hooks, MCP servers) are counted, not listed; `check`
            // lists them.
            print_diagnostics(&diags, strict, false);
            if timings {
                for (stage, d) in &report.stages {
                    eprintln!("{stage:>11}: {:8.1} ms", d.as_secs_f64() * 1000.0);
                    if *stage == "transform" {
                        for (part, d) in &report.transform_parts {
                            eprintln!("{:>13}: {:8.1} ms", part, d.as_secs_f64() * 1000.0);
                        }
                    }
                }
            }
            let warnings = diags.count(Severity::Warning);
            let errors = diags.count(Severity::Error);
            let notes = diags.count(Severity::Note);
            let failed = errors > 0 || (strict && warnings > 0);
            if !quiet || failed {
                let counts = format!(
                    "{} {}, {} {}{}",
                    warnings,
                    plural(warnings, "warning"),
                    errors,
                    plural(errors, "error"),
                    notes_suffix(notes)
                );
                match &report.dest {
                    Some(dest) => eprintln!(
                        "Built {} {} ({} {}, {} {}) into {} in {:.2} s; {counts}",
                        report.pages,
                        plural(report.pages, "page"),
                        report.skills,
                        plural(report.skills, "skill"),
                        report.assets,
                        plural(report.assets, "file"),
                        skillsite::util::path::clean(dest).display(),
                        report.elapsed.as_secs_f64()
                    ),
                    None => eprintln!(
                        "Build failed after {:.2} s, nothing written; {counts}{}",
                        report.elapsed.as_secs_f64(),
                        if strict && errors == 0 {
                            " (--strict)"
                        } else {
                            ""
                        }
                    ),
                }
            }
            if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Check {
            dir,
            format,
            strict: _,
            profile: Profile::SkillsRef,
        } => check_skills_ref(&dir, format),
        Command::Check {
            dir,
            format,
            strict,
            profile: Profile::Default,
        } => {
            let diags = Diagnostics::new();
            let opts = BuildOptions {
                dir: dir.clone(),
                in_memory: true,
                check: true,
                ..BuildOptions::default()
            };
            let mut report = skillsite::build::BuildReport::default();
            let rendered = skillsite::build::render_site(&opts, &diags, &mut report);
            let warnings = diags.count(Severity::Warning);
            let errors = diags.count(Severity::Error);
            let notes = diags.count(Severity::Note);
            match format {
                Format::Json => {
                    // A closed pipe (`| head`) is not an error worth a panic.
                    let json = serde_json::to_string_pretty(&diags.sorted())
                        .unwrap_or_else(|_| "[]".into());
                    let _ = writeln!(std::io::stdout().lock(), "{json}");
                }
                Format::Sarif => {
                    let sarif = skillsite::sarif::sarif(&diags.sorted(), &dir, strict);
                    let json = serde_json::to_string_pretty(&sarif).unwrap_or_else(|_| "{}".into());
                    let _ = writeln!(std::io::stdout().lock(), "{json}");
                }
                Format::Human => {
                    print_diagnostics(&diags, strict, true);
                    let skills = rendered.as_ref().map_or(0, |r| r.site.catalog.skills.len());
                    eprintln!(
                        "Checked {} pages and {skills} {}: {warnings} {}, {errors} {}{}",
                        report.pages,
                        plural(skills, "skill"),
                        plural(warnings, "warning"),
                        plural(errors, "error"),
                        notes_suffix(notes)
                    );
                }
            }
            if errors > 0 || (strict && warnings > 0) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Search {
            query,
            dir,
            json,
            limit,
            prefix,
        } => cli_search::run(&query, &dir, json, limit, prefix),
        Command::Serve {
            dir,
            port,
            hostname,
            open,
            no_preprocessors,
            timings,
        } => match skillsite::serve::serve(skillsite::serve::ServeOptions {
            dir,
            hostname,
            port,
            open,
            no_preprocessors,
            timings,
        }) {
            Ok(()) => ExitCode::SUCCESS,
            Err(d) => {
                eprintln!("{d}");
                ExitCode::from(1)
            }
        },
        Command::Mcp { dir } => mcp::run(&dir),
        Command::Init { dir } => match skillsite::init::init(&dir) {
            Ok(files) => {
                for f in &files {
                    eprintln!("created {}", f.display());
                }
                eprintln!(
                    "Next: skillsite build {} && open {}/book/index.html",
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(d) => {
                eprintln!("{d}");
                ExitCode::from(1)
            }
        },
    }
}

/// `check --profile skills-ref`: validates each skill folder of `dir` as the Agent Skills
/// reference validator does and prints, per skill, `Valid skill: DIR` or `Validation failed
/// for DIR:` with its errors (the validator's lines), then a count. Exit 1 when any skill is
/// invalid. The build folder of `dir`'s book.toml is not searched for skills.
fn check_skills_ref(dir: &std::path::Path, format: Format) -> ExitCode {
    use skillsite::transform::lint::skills_ref;
    let diags = Diagnostics::new();
    if !dir.exists() {
        eprintln!("error: `{}` does not exist", dir.display());
        return ExitCode::from(2);
    }
    // A path to a SKILL.md is its folder, as for the validator.
    let is_skill_file = dir.is_file()
        && dir
            .file_name()
            .is_some_and(|n| n.to_string_lossy().eq_ignore_ascii_case("skill.md"));
    let root = if is_skill_file {
        match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        }
    } else {
        dir.to_path_buf()
    };
    let skip = match skillsite::load::config::Config::load(&root, &Diagnostics::new()) {
        Ok(c) if root.join("book.toml").is_file() => vec![c.build_dir()],
        _ => vec![root.join("book")],
    };
    let reports = skills_ref::check(&root, &skip, &diags);
    let invalid = reports.iter().filter(|r| !r.diagnostics.is_empty()).count();
    // In the validator's order: skill by skill, each skill's errors as it lists them.
    let in_order: Vec<&Diagnostic> = reports.iter().flat_map(|r| &r.diagnostics).collect();
    match format {
        Format::Json => {
            let json = serde_json::to_string_pretty(&in_order).unwrap_or_else(|_| "[]".into());
            let _ = writeln!(std::io::stdout().lock(), "{json}");
        }
        Format::Sarif => {
            let sarif = skillsite::sarif::sarif(&diags.sorted(), &root, false);
            let json = serde_json::to_string_pretty(&sarif).unwrap_or_else(|_| "{}".into());
            let _ = writeln!(std::io::stdout().lock(), "{json}");
        }
        Format::Human => {
            for r in &reports {
                if r.diagnostics.is_empty() {
                    eprintln!("Valid skill: {}", r.dir.display());
                } else {
                    eprintln!("Validation failed for {}:", r.dir.display());
                    for d in &r.diagnostics {
                        eprintln!("  {d}");
                    }
                }
            }
            eprintln!(
                "Checked {} {} with the skills-ref profile: {} valid, {invalid} invalid",
                reports.len(),
                plural(reports.len(), "skill"),
                reports.len() - invalid
            );
        }
    }
    if invalid > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Prints the diagnostics to stderr; `strict` shows warnings as errors; notes only when
/// `notes`.
pub(crate) fn print_diagnostics(diags: &Diagnostics, strict: bool, notes: bool) {
    for d in diags.sorted() {
        if d.severity == Severity::Note && !notes {
            continue;
        }
        let d = if strict && d.severity == Severity::Warning {
            Diagnostic {
                severity: Severity::Error,
                ..d
            }
        } else {
            d
        };
        eprintln!("{d}");
    }
}

/// `, 3 notes` (nothing when there are none).
fn notes_suffix(notes: usize) -> String {
    if notes == 0 {
        String::new()
    } else {
        format!(", {notes} {}", plural(notes, "note"))
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

/// mimalloc instead of the system allocator: the render, template and index stages allocate
/// many small strings from several threads, where glibc's malloc spent about a fifth of a
/// build's CPU time (see docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
