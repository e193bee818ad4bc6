use std::process::ExitCode;

use clap::Parser;
use webex_wizard::cli::{Cli, Command};
use webex_wizard::commands::{self, Context};
use webex_wizard::error::{CliError, exit};
use webex_wizard::logging;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(e) = logging::init(cli.global.verbose, cli.global.log_file.as_deref(), true) {
        eprintln!("error: {e}");
        return ExitCode::from(exit::USAGE);
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: could not start the async runtime: {e}");
            return ExitCode::from(exit::UNAVAILABLE);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            if let Some(next) = e.next_step() {
                eprintln!("  next: {next}");
            }
            ExitCode::from(e.exit_code())
        }
    }
}

async fn run(cli: Cli) -> Result<(), CliError> {
    match &cli.command {
        Some(Command::Scopes(args)) => commands::scopes::run(args),
        Some(Command::Sandbox(args)) => commands::sandbox::run(args, cli.global.env).await,
        Some(Command::Create(args)) => {
            let ctx = Context::from_args(&cli.global).await?;
            commands::create::run(&ctx, args).await
        }
        None => Err(CliError::Usage(
            "the interactive wizard is not available yet: use a subcommand (create, scopes, sandbox); see 'webex-wizard --help'".into(),
        )),
    }
}
