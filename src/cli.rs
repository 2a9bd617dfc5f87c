//! Command-line interface (CLI.md): the clap definitions and dispatch to
//! `cmd/`, one arm per subcommand.

use crate::cmd;
use crate::cmd::check::Format as CheckFormat;
use crate::cmd::due::Format as DueFormat;
use crate::pipeline::BuildOptions;
use anyhow::Result;
use clap::{Parser, Subcommand};
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
        #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
        format: CheckFormat,
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

pub fn run(cli: Cli) -> Result<ExitCode> {
    let root = match (&cli.root, &cli.command) {
        (Some(r), _) => site_root(r),
        // A new site goes where it is asked for, not into an enclosing one.
        (None, Command::Init { .. }) => PathBuf::from("."),
        (None, _) => find_root(),
    };
    let now = cli.now.as_deref();
    match cli.command {
        Command::Init { dir } => cmd::init::run(&dir.unwrap_or(root), now),
        Command::Policy => cmd::policy::run(&root),
        Command::Check {
            format,
            deny_warnings,
            incident,
        } => cmd::check::run(&root, now, format, deny_warnings, &incident),
        Command::Build {
            output,
            base_url,
            drafts,
            public,
            force,
        } => {
            let opts = BuildOptions {
                output,
                base_url,
                drafts,
                public,
                now: cmd::now_at(&root, now)?,
                force,
            };
            cmd::build::run(&root, &opts)
        }
        Command::New { what } => {
            let what = match &what {
                NewCommand::Incident {
                    title,
                    severity,
                    services,
                } => cmd::new::What::Incident {
                    title,
                    severity,
                    services,
                },
                NewCommand::Runbook { path, title } => cmd::new::What::Runbook {
                    path,
                    title: title.as_deref(),
                },
            };
            cmd::new::run(&root, now, what)
        }
        Command::Due { incident, format } => cmd::due::run(&root, now, &incident, format),
        Command::Serve {
            bind,
            port,
            drafts,
            public,
        } => {
            let opts = BuildOptions {
                drafts,
                public,
                ..BuildOptions::default()
            };
            cmd::serve::run(&root, now, opts, &bind, port)
        }
    }
}

/// `--root` as given, or its folder when it names sitrep.yaml itself.
fn site_root(given: &std::path::Path) -> PathBuf {
    if given.file_name() == Some(std::ffi::OsStr::new(crate::model::config::CONFIG_FILE))
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
    if here.join(crate::model::config::CONFIG_FILE).is_file() {
        return here;
    }
    std::env::current_dir()
        .ok()
        .and_then(|cwd| {
            cwd.ancestors()
                .skip(1)
                .find(|d| d.join(crate::model::config::CONFIG_FILE).is_file())
                .map(std::path::Path::to_path_buf)
        })
        .unwrap_or(here)
}
