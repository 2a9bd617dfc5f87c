//! Command-line interface (CLI.md): the clap definitions and dispatch to
//! `cmd/`, one arm per subcommand.

use crate::authoring::record::Change;
use crate::cmd;
use crate::cmd::check::Format as CheckFormat;
use crate::cmd::draft::Format as DraftFormat;
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
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        help_heading = "Global options"
    )]
    pub root: Option<PathBuf>,
    /// The time taken as now (default: the clock): `YYYY-MM-DD HH:MM` in the site time zone, RFC 3339, a date, `-15m`, or `HH:MM` today
    #[arg(
        long,
        global = true,
        value_name = "TIME",
        allow_hyphen_values = true,
        help_heading = "Global options"
    )]
    pub now: Option<String>,
    /// Print results and errors only: no progress, no checklist after recording
    #[arg(
        short,
        long,
        global = true,
        conflicts_with = "verbose",
        help_heading = "Global options"
    )]
    pub quiet: bool,
    /// Print each step's timing and memory on stderr
    #[arg(short, long, global = true, help_heading = "Global options")]
    pub verbose: bool,
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
        /// How to print the findings
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
        /// Address to listen on
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Port; 0 picks a free one
        #[arg(short, long, default_value_t = 1111)]
        port: u16,
        /// Open the site in the browser once it is served
        #[arg(long)]
        open: bool,
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
        /// How to print the checklist
        #[arg(long, value_enum, default_value_t = DueFormat::Human)]
        format: DueFormat,
    },
    /// Record that a handler started work: responded_at (and roles.tech_lead)
    Respond {
        #[command(flatten)]
        on: On,
        /// Who responded; written as roles.tech_lead
        #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
        by: Option<String>,
    },
    /// Record a public status update (an `updates` entry)
    Update {
        #[command(flatten)]
        on: On,
        /// investigating, identified, monitoring or resolved
        #[arg(long, value_name = "S")]
        status: String,
        /// What the status page says
        #[arg(short, long, value_name = "TEXT", allow_hyphen_values = true)]
        message: String,
    },
    /// Record what happened, internally (a `timeline` entry)
    Log {
        #[command(flatten)]
        on: On,
        /// What happened (Markdown)
        #[arg(short, long, value_name = "TEXT", allow_hyphen_values = true)]
        message: String,
        /// Who did or said it
        #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
        by: Option<String>,
    },
    /// Record a notice that was sent (a `notifications` entry)
    Notify {
        #[command(flatten)]
        on: On,
        /// initial, progress, rectification, overdue, customer, leadership, resolution or other
        #[arg(long, value_name = "K", required_unless_present = "owed")]
        kind: Option<String>,
        /// sms, email, phone, chat, pager, pa, web or other (repeatable, or comma-separated)
        #[arg(long = "channel", value_name = "C", value_delimiter = ',')]
        channels: Vec<String>,
        /// A recipient key of sitrep.yaml, or a name (repeatable, or comma-separated)
        #[arg(
            long,
            value_name = "R",
            value_delimiter = ',',
            required_unless_present = "owed"
        )]
        to: Vec<String>,
        /// Copied recipients, as --to
        #[arg(long, value_name = "R", value_delimiter = ',')]
        cc: Vec<String>,
        /// A summary of what the notice said
        #[arg(short, long, value_name = "TEXT", allow_hyphen_values = true)]
        message: Option<String>,
        /// Record every notice `sitrep due` lists as owed, as the policy asks for it
        #[arg(long, conflicts_with_all = ["kind", "channels", "to", "cc", "message"])]
        owed: bool,
    },
    /// Record a change of level: an `escalations` entry and `severity`
    Escalate {
        #[command(flatten)]
        on: On,
        /// The new level (up or down)
        #[arg(long, value_name = "N", allow_hyphen_values = true)]
        level: String,
        /// Why the level changed
        #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
        reason: Option<String>,
    },
    /// Record that service was restored: recovered_at
    Recover {
        #[command(flatten)]
        on: On,
    },
    /// Record that the incident was fixed or handed over: resolved_at
    Resolve {
        #[command(flatten)]
        on: On,
    },
    /// Record that the incident was closed: closed_at, refused while closing would raise an error
    Close {
        #[command(flatten)]
        on: On,
        /// Record it even though closing now raises errors
        #[arg(long)]
        force: bool,
    },
    /// Print a notice for an incident from its template; writes nothing
    Draft {
        /// The incident's id
        id: String,
        /// initial, progress, rectification, overdue, customer, leadership or resolution
        kind: String,
        /// The time the notice is written for (default: now)
        #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
        at: Option<String>,
        /// text to copy, or eml for a mail client
        #[arg(long, value_enum, default_value_t = DraftFormat::Text)]
        format: DraftFormat,
        /// The eml's sender (default: a placeholder for the mail client to replace)
        #[arg(long, value_name = "ADDRESS")]
        from: Option<String>,
    },
    /// The monthly review: the month's incidents, targets, notices, times, recurring incidents and lessons
    Report {
        /// The month, YYYY-MM (incidents reported in it, site time zone)
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
        /// human, markdown (tables for the review's minutes), or json (the shape of CLI.md)
        #[arg(long, value_enum, default_value_t = cmd::report::Format::Human)]
        format: cmd::report::Format,
    },
    /// Import history from Statuspage or cState as records under incidents/imported/
    Import {
        #[command(subcommand)]
        from: ImportFrom,
        /// Say what would be imported; write nothing
        #[arg(long, global = true)]
        dry_run: bool,
    },
    /// Print shell completions (bash, zsh, fish, powershell, elvish)
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    Man,
}

/// Where `sitrep import` reads from.
#[derive(Debug, Subcommand)]
pub enum ImportFrom {
    /// Statuspage v2 JSON: summary.json, components.json, incidents.json, scheduled-maintenances.json, in any mix
    Statuspage {
        /// The JSON files
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// A cState site: its config.yml and content/issues/
    Cstate {
        /// The cState site's folder
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
}

/// The incident a recording command writes to, and when.
#[derive(Debug, clap::Args)]
pub struct On {
    /// The incident's id
    pub id: String,
    /// When it happened (default: now): `-15m`, the last `HH:MM`, or a record time
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub at: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// Write incidents/<ID>.yaml with the next free id and reported_at = now
    Incident {
        /// The title, as the status page shows it
        #[arg(long)]
        title: String,
        /// Severity level (1 is the most severe)
        #[arg(long)]
        severity: String,
        /// Affected service id (repeatable)
        #[arg(long = "service", value_name = "ID")]
        services: Vec<String>,
        /// The incident manager (roles.incident_manager)
        #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
        manager: Option<String>,
        /// The incident this one is part of
        #[arg(long, value_name = "ID")]
        parent: Option<String>,
        /// When it was reported (default: now)
        #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
        at: Option<String>,
        /// When impact began, if before the report
        #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
        started: Option<String>,
        /// none, degraded_performance, partial_outage or major_outage
        #[arg(long, value_name = "IMPACT")]
        impact: Option<String>,
    },
    /// Write a maintenance window record
    Maintenance {
        /// The title, as the status page shows it
        #[arg(long)]
        title: String,
        /// Service under maintenance (repeatable)
        #[arg(long = "service", value_name = "ID")]
        services: Vec<String>,
        /// When the window starts
        #[arg(long, value_name = "TIME")]
        from: String,
        /// When the window ends
        #[arg(long, value_name = "TIME")]
        until: String,
    },
    /// Write content/PATH.md with front matter filled in
    Runbook {
        /// Path below content/, with or without .md (`outage/database`)
        path: String,
        /// The title (default: from the file's name)
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
        (None, Command::Init { .. } | Command::Completions { .. } | Command::Man) => {
            PathBuf::from(".")
        }
        (None, _) => find_root(),
    };
    let now = cli.now.as_deref();
    crate::term::set_verbosity(cli.quiet, cli.verbose);
    let quiet = cli.quiet;
    let record = |on: &On, change: Change| {
        cmd::record::run(&root, now, on.at.as_deref(), &on.id, &change, quiet)
    };
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
                    manager,
                    parent,
                    at,
                    started,
                    impact,
                } => cmd::new::What::Incident(crate::authoring::NewIncident {
                    title,
                    severity,
                    services,
                    manager: manager.as_deref(),
                    parent: parent.as_deref(),
                    at: at.as_deref(),
                    started: started.as_deref(),
                    impact: impact.as_deref(),
                }),
                NewCommand::Maintenance {
                    title,
                    services,
                    from,
                    until,
                } => cmd::new::What::Maintenance {
                    title,
                    services,
                    from,
                    until,
                },
                NewCommand::Runbook { path, title } => cmd::new::What::Runbook {
                    path,
                    title: title.as_deref(),
                },
            };
            cmd::new::run(&root, now, what)
        }
        Command::Due { incident, format } => cmd::due::run(&root, now, &incident, format),
        Command::Respond { on, by } => record(&on, Change::Respond { by }),
        Command::Update {
            on,
            status,
            message,
        } => record(&on, Change::Update { status, message }),
        Command::Log { on, message, by } => record(&on, Change::Log { message, by }),
        Command::Notify {
            on,
            kind,
            channels,
            to,
            cc,
            message,
            owed,
        } => match kind {
            Some(kind) if !owed => record(
                &on,
                Change::Notify {
                    kind,
                    channels,
                    to,
                    cc,
                    message,
                },
            ),
            _ => record(&on, Change::NotifyOwed),
        },
        Command::Escalate { on, level, reason } => record(&on, Change::Escalate { level, reason }),
        Command::Recover { on } => record(&on, Change::Recover),
        Command::Resolve { on } => record(&on, Change::Resolve),
        Command::Close { on, force } => record(&on, Change::Close { force }),
        Command::Draft {
            id,
            kind,
            at,
            format,
            from,
        } => cmd::draft::run(
            &root,
            now,
            at.as_deref(),
            &id,
            &kind,
            format,
            from.as_deref(),
        ),
        Command::Report { month, format } => cmd::report::run(&root, now, &month, format),
        Command::Import { from, dry_run } => cmd::import::run(&root, now, &from, dry_run),
        Command::Completions { shell } => cmd::completions::run(shell),
        Command::Man => cmd::man::run(),
        Command::Serve {
            bind,
            port,
            open,
            drafts,
            public,
        } => {
            let opts = BuildOptions {
                drafts,
                public,
                ..BuildOptions::default()
            };
            cmd::serve::run(&root, now, opts, &bind, port, open)
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
