//! `jdclass check FILE --as ROLE`: does a posting read as the role it is meant to hire?

use super::{Config, Outcome};
use anyhow::{bail, Result};

/// Flags of `jdclass check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The posting.
    file: String,
}

/// Check one posting.
pub fn run(_config: &Config, _args: &CheckArgs) -> Result<Outcome> {
    bail!("check: under construction in this work tree")
}
