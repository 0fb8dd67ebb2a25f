//! `jdclass serve`: start the HTTP API and the page, print the URL, stop gracefully on
//! Ctrl-C or SIGTERM. Everything else lives in the library's `serve` module.

use super::{Config, LexiconOpt, Outcome};
use anyhow::{Context, Result};
use jdclass::serve::{Options, Server, DEFAULT_ADDR, DEFAULT_MAX_BODY};
use std::io::Write;
use std::net::SocketAddr;
use std::time::Duration;

/// The environment variable that may hold the token instead of `--token`.
const TOKEN_ENV: &str = "JDCLASS_TOKEN";

/// Flags of `jdclass serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0: any free port; the one bound is printed).
    #[arg(long, default_value = DEFAULT_ADDR, value_name = "IP:PORT")]
    addr: SocketAddr,

    /// Require `Authorization: Bearer TOKEN` on the API (also read from JDCLASS_TOKEN).
    /// Required when the address is not loopback.
    #[arg(long, value_name = "TOKEN")]
    token: Option<String>,

    /// Largest request body accepted, in bytes (a posting, or a whole scan batch).
    #[arg(long, default_value_t = DEFAULT_MAX_BODY, value_name = "BYTES")]
    max_body: u64,

    /// Time budget of one request's classification work, in seconds (a scan gets 6×).
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    timeout: f64,

    /// Requests classifying at once; more are answered 503 with Retry-After (0: one per core).
    #[arg(long, default_value_t = 0, value_name = "N")]
    concurrency: usize,

    #[command(flatten)]
    pub lexicon: LexiconOpt,
}

/// Serve until Ctrl-C or SIGTERM.
pub fn run(config: Config, args: &ServeArgs) -> Result<Outcome> {
    init_logging();
    if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 86_400.0) {
        anyhow::bail!("--timeout takes seconds between 0 and 86400, not {}", args.timeout);
    }
    let token = args.token.clone().or_else(|| std::env::var(TOKEN_ENV).ok().filter(|t| !t.is_empty()));
    let options = Options {
        addr: args.addr,
        token,
        max_body: args.max_body,
        timeout: Duration::from_secs_f64(args.timeout),
        concurrency: if args.concurrency == 0 { jdclass::serve::default_concurrency() } else { args.concurrency },
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("jdclass-serve")
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let authenticated = options.token.is_some();
        let server = Server::bind(options, config.classifier).await?;
        let addr = server.local_addr();
        let shown = if addr.ip().is_unspecified() { format!("localhost:{}", addr.port()) } else { addr.to_string() };
        let banner = || -> std::io::Result<()> {
            let mut out = std::io::stdout().lock();
            writeln!(out, "jdclass serve: listening on http://{addr}/")?;
            writeln!(out, "open http://{shown}/ in a browser; API docs at http://{shown}/openapi.json; Ctrl-C stops")?;
            if authenticated {
                writeln!(out, "the API requires `Authorization: Bearer TOKEN`")?;
            }
            out.flush()
        };
        // Whoever started the server may read the first line and close the pipe
        // (`jdclass serve | head -1`, a launcher taking the URL): the server keeps
        // serving, and says so on stderr.
        if let Err(e) = banner() {
            tracing::warn!("cannot write the start-up lines to stdout ({e}); serving on http://{addr}/ anyway");
        }
        server.run(jdclass::serve::shutdown::signal()).await?;
        tracing::info!("stopped");
        Ok(Outcome::Success)
    })
}

/// Logs to stderr: a line per request at `info` (RUST_LOG overrides).
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("jdclass=info,tower_http=info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
