//! Command-line interface (CLI.md): parsing, dispatch and exit codes.

use crate::check;
use crate::diag::{count, Diagnostic};
use crate::load;
use crate::model::site::Site;
use crate::output::{self, Totals};
use crate::time;
use anyhow::{anyhow, Context, Result};
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "sitrep",
    version,
    about = "Status pages, runbooks and incident records as a static site, checked against your operations procedure."
)]
pub struct Cli {
    /// The site folder (default: the nearest folder, from the current one
    /// up, that holds sitrep.yaml)
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// The time taken as now: RFC 3339, `YYYY-MM-DD HH:MM` in the site time zone, or a date
    #[arg(long, global = true, value_name = "TIME")]
    pub now: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
    Junit,
    Gitlab,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the inputs, then render the whole site into the output folder
    Build {
        /// Output folder (default: `output_dir` of sitrep.yaml, `internal/`; with --public
        /// `public_output_dir`, `public/`)
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Override `base_url`
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Build draft runbooks too
        #[arg(long)]
        drafts: bool,
        /// Build the public view: only what customers may see
        #[arg(long)]
        public: bool,
        /// Replace an output folder that sitrep did not write or that holds the other
        /// view (never the site's own folders)
        #[arg(long)]
        force: bool,
    },
    /// Validate everything and write nothing
    Check {
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Fail on warnings too
        #[arg(long)]
        deny_warnings: bool,
        /// Limit the report to these records (repeatable)
        #[arg(long, value_name = "ID")]
        incident: Vec<String>,
    },
    /// Build and serve the site locally
    Serve {
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Port; 0 picks a free one
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Build draft runbooks too
        #[arg(long)]
        drafts: bool,
        /// Serve the public view
        #[arg(long)]
        public: bool,
    },
    /// Create a new site: sitrep.yaml, one runbook, one incident
    Init {
        /// Folder to create the site in (default: the current folder)
        dir: Option<PathBuf>,
    },
    /// Print the policy in force as YAML
    Policy,
    /// Write a new incident record or runbook
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
    /// For open incidents: which notices and targets fall due next, and which are late
    Due {
        /// Only these incidents (repeatable)
        #[arg(long, value_name = "ID")]
        incident: Vec<String>,
        #[arg(long, value_enum, default_value_t = DueFormat::Human)]
        format: DueFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DueFormat {
    Human,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// Write incidents/<ID>.yaml with the next free id and reported_at = now
    Incident {
        #[arg(long)]
        title: String,
        /// Severity level (1 is the most severe)
        #[arg(long)]
        severity: String,
        /// Affected service id (repeatable)
        #[arg(long = "service", value_name = "ID")]
        services: Vec<String>,
    },
    /// Write content/PATH.md with front matter filled in
    Runbook {
        /// Path below content/, with or without .md (`outage/database`)
        path: String,
        #[arg(long)]
        title: Option<String>,
    },
}

/// An error that ends the command with exit code 2 (CLI.md).
fn usage(e: anyhow::Error) -> ExitCode {
    eprintln!("error: {e:#}");
    ExitCode::from(2)
}

pub fn color_enabled() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stderr().is_terminal()
        && std::io::stdout().is_terminal()
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => usage(e),
    }
}

pub fn resolve_now(now: Option<&str>, zone: &time::Zone) -> Result<DateTime<Utc>> {
    match now {
        None => Ok(Utc::now()),
        Some(t) => time::parse_now(t, zone).ok_or_else(|| anyhow!("--now `{t}` is not a time: use RFC 3339 (2026-03-14T02:40:00Z), `YYYY-MM-DD HH:MM` or `YYYY-MM-DD`")),
    }
}

pub fn totals(site: &Site) -> Totals {
    Totals {
        files: site.file_count(),
        runbooks: site.runbook_count(),
        incidents: site.incident_count(),
    }
}

fn out(text: &str) -> Result<()> {
    let mut o = std::io::stdout().lock();
    written_to_stdout(o.write_all(text.as_bytes()).and_then(|_| o.flush()))
}

fn written_to_stdout(result: std::io::Result<()>) -> Result<()> {
    match result {
        Ok(()) => Ok(()),
        // A closed pipe (`| head`) is not an error of ours.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(e).context("cannot write to stdout"),
    }
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    let root = match (&cli.root, &cli.command) {
        (Some(r), _) => site_root(r),
        // A new site goes where it is asked for, not into an enclosing one.
        (None, Command::Init { .. }) => PathBuf::from("."),
        (None, _) => find_root(),
    };
    match cli.command {
        Command::Init { dir } => {
            // A new site's time zone is UTC (its sitrep.yaml says so).
            let now = resolve_now(cli.now.as_deref(), &time::Zone::default())?;
            crate::render::init::init(&dir.unwrap_or(root), now).map(|()| ExitCode::SUCCESS)
        }
        Command::Policy => {
            let (cfg, diags) = load::load_config(&root)?;
            if let Some(d) = diags.iter().find(|d| d.level == crate::diag::Level::Error) {
                return Err(anyhow!(
                    "{}:{}:{}: {} [{}]",
                    d.file,
                    d.line,
                    d.column,
                    d.message,
                    d.rule
                ));
            }
            out(&cfg.policy.to_yaml())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            format,
            deny_warnings,
            incident,
        } => {
            let t = std::time::Instant::now();
            let site = load::load(&root)?;
            trace("load", t);
            let now = resolve_now(cli.now.as_deref(), &site.config.timezone)?;
            if let Some(e) = site.unknown_id(&incident) {
                return Err(anyhow!(e));
            }
            let diags = check::filter_incidents(check::check(&site, now), &incident);
            trace("check", t);
            let text = match format {
                Format::Human => output::human(&diags, &root, totals(&site), color_enabled()),
                Format::Json => {
                    let now = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                    let mut w = std::io::BufWriter::new(std::io::stdout().lock());
                    let written = output::write_json(&mut w, &diags, &now, totals(&site))
                        .and_then(|()| w.flush());
                    written_to_stdout(written)?;
                    String::new()
                }
                Format::Github => output::github(&diags),
                Format::Sarif => output::sarif(&diags),
                Format::Junit => {
                    let files: Vec<String> = std::iter::once(crate::config::CONFIG_FILE.to_owned())
                        .chain(site.runbooks.iter().map(|r| r.file.clone()))
                        .chain(site.records.iter().map(|r| r.file.clone()))
                        .collect();
                    output::junit(&diags, &files)
                }
                Format::Gitlab => output::gitlab(&diags),
            };
            out(&text)?;
            trace("output", t);
            let code = exit_for(&diags, deny_warnings);
            // The process ends here: freeing a large site piece by piece
            // (half a second for 100,000 records) would only delay the exit.
            std::mem::forget((site, diags, text));
            Ok(code)
        }
        Command::Build {
            output,
            base_url,
            drafts,
            public,
            force,
        } => {
            let opts = crate::render::BuildOptions {
                output,
                base_url,
                drafts,
                public,
                now: cli.now.clone(),
                force,
            };
            crate::render::build::run(&root, &opts)
        }
        Command::New { what } => crate::authoring::run(&root, cli.now.as_deref(), what),
        Command::Due { incident, format } => {
            crate::due::run(&root, cli.now.as_deref(), &incident, format)
        }
        Command::Serve {
            bind,
            port,
            drafts,
            public,
        } => {
            let opts = crate::render::BuildOptions {
                output: None,
                base_url: None,
                drafts,
                public,
                now: cli.now.clone(),
                force: false,
            };
            crate::serve::run(&root, &opts, &bind, port)
        }
    }
}

/// `--root` as given, or its folder when it names sitrep.yaml itself.
fn site_root(given: &std::path::Path) -> PathBuf {
    if given.file_name() == Some(std::ffi::OsStr::new(crate::config::CONFIG_FILE))
        && given.is_file()
    {
        return given
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), std::path::Path::to_path_buf);
    }
    given.to_path_buf()
}

/// The current folder when it holds sitrep.yaml, else the nearest parent
/// that does (as cargo finds Cargo.toml), else the current folder (whose
/// error then says to run `sitrep init`).
fn find_root() -> PathBuf {
    let here = PathBuf::from(".");
    if here.join(crate::config::CONFIG_FILE).is_file() {
        return here;
    }
    std::env::current_dir()
        .ok()
        .and_then(|cwd| {
            cwd.ancestors()
                .skip(1)
                .find(|d| d.join(crate::config::CONFIG_FILE).is_file())
                .map(std::path::Path::to_path_buf)
        })
        .unwrap_or(here)
}

/// With `SITREP_TRACE` set, prints when each step of a command ended.
pub fn trace(step: &str, since: std::time::Instant) {
    if std::env::var_os("SITREP_TRACE").is_some() {
        // Resident memory from /proc (Linux), to see which step holds it.
        let rss_mb = std::fs::read_to_string("/proc/self/statm")
            .ok()
            .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
            .map_or(0, |pages| pages * 4096 / 1_000_000);
        eprintln!(
            "trace: {step} done at {:.1} ms, {rss_mb} MB resident",
            since.elapsed().as_secs_f64() * 1000.0
        );
    }
}

/// 0 when no unwaived error (and with --deny-warnings no warning) is left.
pub fn exit_for(diags: &[Diagnostic], deny_warnings: bool) -> ExitCode {
    let c = count(diags);
    if c.errors > 0 || (deny_warnings && c.warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
