//! The `jdclass` binary: parse flags, run, map the outcome to an exit code.
//! All classification logic lives in the library.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code.into(),
        Err(err) if cli::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("jdclass: {err:#}");
            cli::Outcome::Error.into()
        }
    }
}
