//! What a site is made of, read from its files with positions.

pub mod comment;
pub mod config;
pub mod incident;
pub mod policy;
pub mod read;
pub mod runbook;
pub mod site;
