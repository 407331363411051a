//! The `skillsite` command line: parses arguments, runs a command, prints diagnostics and a
//! summary, and sets the exit status (0 success, 1 errors, 2 usage).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

mod cli_search;

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
        /// Print the wall time of each stage (load, transform, markdown, templates, index, write;
        /// index runs alongside templates).
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
    },
    /// Search the site: words, "phrases", filters such as type:technique or kind:runbook.
    ///
    /// Uses the index `skillsite build` stored in the build folder (search/tantivy/); without
    /// one, indexes the site in memory first.
    Search {
        /// The query. Every word must match; words of 5+ letters tolerate typos.
        query: String,
        /// A project folder (holding book.toml), a built site, or its search/tantivy folder.
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
    },
    /// Create a new project: book.toml, content/ with a pack, a skill and a runbook.
    Init {
        /// Folder to create the project in.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
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
                    eprintln!("{stage:>10}: {:8.1} ms", d.as_secs_f64() * 1000.0);
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
            strict,
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
        } => match skillsite::serve::serve(skillsite::serve::ServeOptions {
            dir,
            hostname,
            port,
            open,
            no_preprocessors,
        }) {
            Ok(()) => ExitCode::SUCCESS,
            Err(d) => {
                eprintln!("{d}");
                ExitCode::from(1)
            }
        },
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
