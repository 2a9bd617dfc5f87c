//! sitrep: a static site of runbooks and incident records, and a check of
//! every incident against the operations procedure.
//!
//! Data flows one way: [`load`] reads the files into the [`model`],
//! [`check`] reports [`diag::Diagnostic`]s, [`render`] writes the site.

pub mod authoring;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod diag;
pub mod due;
pub mod escape;
pub mod frontmatter;
pub mod hash;
pub mod import;
pub mod json;
pub mod load;
pub mod markdown;
pub mod model;
pub mod outdir;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod render;
pub mod report;
pub mod serve;
pub mod term;
pub mod time;
pub mod yaml;

/// `sitrep.yaml` is part of the model (`model::config`); kept at the root
/// for its users.
pub use model::config;
