//! `jdclass scan PATH...`: classify a corpus in parallel, streaming.

use super::{Config, Outcome};
use anyhow::{bail, Result};

/// Flags of `jdclass scan`.
#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// Files, directories, or `-` for stdin.
    #[arg(value_name = "PATH")]
    paths: Vec<String>,
}

/// Scan the inputs.
pub fn run(_config: &Config, _args: &ScanArgs) -> Result<Outcome> {
    bail!("scan: under construction in this work tree")
}
