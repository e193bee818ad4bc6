use std::process::ExitCode;

use std::io::IsTerminal;
use webex_wizard::cli::{Cli, Command, GlobalArgs};
use webex_wizard::commands::{self, Context};
use webex_wizard::error::{CliError, Ended, exit};
use webex_wizard::logging;
use webex_wizard::text::visible;
use webex_wizard::tui;

fn main() -> ExitCode {
    // First, while there is one thread: children (the browser, clipboard tools) must never
    // inherit a token or secret from our environment.
    webex_wizard::secret::take_secret_variables();
    webex_wizard::output::guard_standard_streams();
    let cli = Cli::parse_args();
    // The FIPS build never runs with a TLS configuration that is not in FIPS mode.
    if let Err(e) = webex_wizard::net::fips_self_check() {
        eprintln!("error: {e}");
        return ExitCode::from(exit::LOCAL);
    }
    // The wizard owns the terminal: its log goes only to --log-file.
    let to_stderr = cli.command.is_some();
    if let Err(e) = logging::init(
        cli.global.verbose,
        cli.global.log_file.as_deref(),
        to_stderr,
    ) {
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
    let result = runtime.block_on(run(cli));
    // A read of standard input (the paste prompt) may still be blocked: don't wait for it.
    runtime.shutdown_background();
    match result {
        Ok(Ended::Quit) => ExitCode::SUCCESS,
        Ok(Ended::ProbeRefused) => ExitCode::from(exit::PROBE_REFUSED),
        Ok(Ended::ProbeFailed | Ended::ChecksFailed) => ExitCode::from(exit::UNAVAILABLE),
        // `status`: no usable admin token is kept here (none, expired, or no keyring).
        Ok(Ended::NotSignedIn) => ExitCode::from(exit::LOCAL),
        // The shell's convention for "killed by signal n".
        Ok(Ended::Signal(n)) => ExitCode::from(128 + n as u8),
        Err(e) => {
            // Errors carry Webex's and the browser's words: shown, never obeyed by the terminal.
            eprintln!("error: {}", visible(&e.to_string()));
            if let Some(raw) = e.unsaved_raw_answer() {
                eprintln!(
                    "----- the raw answer (kept nowhere else) -----\n{}\n-----",
                    visible(&String::from_utf8_lossy(raw))
                );
            }
            if let Some(next) = e.next_step() {
                eprintln!("  next: {}", visible(&next));
            }
            ExitCode::from(e.exit_code())
        }
    }
}

#[expect(clippy::too_many_lines, reason = "one short arm per subcommand")]
async fn run(cli: Cli) -> Result<Ended, CliError> {
    match &cli.command {
        Some(Command::Scopes(args)) => commands::scopes::run(args)?,
        Some(Command::Login(args)) => {
            let ctx = Context::from_args(&cli.global).await?;
            commands::signin::login(&ctx, args).await?;
        }
        Some(Command::Status(args)) => {
            let ctx = Context::from_args(&cli.global).await?;
            if !commands::signin::status(&ctx, args)? {
                return Ok(Ended::NotSignedIn);
            }
        }
        Some(Command::Logout) => {
            let ctx = Context::from_args(&cli.global).await?;
            commands::signin::logout(&ctx)?;
        }
        Some(Command::Completions(args)) => commands::shell::completions(args)?,
        Some(Command::Man(args)) => commands::shell::man(args)?,
        Some(Command::Sandbox(args)) => commands::sandbox::run(args, &cli.global).await?,
        Some(Command::Authorize(args)) => {
            // Here --timeout is the wait for the browser; Webex requests keep their default.
            let wait = cli
                .global
                .timeout
                .unwrap_or(commands::authorize::DEFAULT_WAIT);
            let global = GlobalArgs {
                timeout: None,
                ..cli.global.clone()
            };
            let ctx = Context::for_files(
                &global,
                args.client.credentials.as_deref().as_slice(),
                args.client.identity.as_deref(),
            )
            .await?;
            return commands::authorize::run(&ctx, args, wait).await;
        }
        Some(Command::TestScopes(args)) => {
            let ctx = Context::for_file(&cli.global, args.access_token_file.as_deref()).await?;
            return commands::scope_test::run(&ctx, args).await;
        }
        Some(Command::Tokens(args)) => return commands::tokens::run(args),
        Some(Command::Refresh(args)) if args.due => {
            return commands::tokens::run_due(&cli.global, args).await;
        }
        Some(Command::Refresh(args)) => {
            // Both files name a base: the refresh token and the secret go to one both agree on.
            let saved: Vec<&std::path::Path> = [
                args.client.credentials.as_deref(),
                args.refresh_token_file.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect();
            let ctx =
                Context::for_files(&cli.global, &saved, args.client.identity.as_deref()).await?;
            return commands::refresh::run(&ctx, args).await;
        }
        Some(Command::List(args)) => {
            return commands::manage::list(&Context::from_args(&cli.global).await?, args).await;
        }
        Some(Command::Show(args)) => {
            return commands::manage::show(&Context::from_args(&cli.global).await?, args).await;
        }
        Some(Command::RotateSecret(args)) => {
            let ctx = Context::from_args(&cli.global).await?;
            return commands::manage::rotate_secret(&ctx, args).await;
        }
        Some(Command::Authorizations(args)) => {
            let ctx = Context::from_args(&cli.global).await?;
            return match &args.command {
                webex_wizard::cli::AuthorizationsCommand::List(a) => {
                    commands::authorizations::list(&ctx, a).await
                }
                webex_wizard::cli::AuthorizationsCommand::Revoke(a) => {
                    commands::authorizations::revoke(&ctx, a).await
                }
            };
        }
        Some(Command::Bot(args)) => {
            let ctx = Context::from_args(&cli.global).await?;
            return match &args.command {
                webex_wizard::cli::BotCommand::Create(a) => {
                    // In a terminal, fields missing: ask for them in the wizard's bot form.
                    if let Some(prefill) = commands::bot::to_finish_in_wizard(a) {
                        return tui::run_with(&ctx, Some(tui::Given::Bot(prefill))).await;
                    }
                    commands::bot::create(&ctx, a).await
                }
            };
        }
        Some(Command::Update(args)) => {
            return commands::update::run(&Context::from_args(&cli.global).await?, args).await;
        }
        Some(Command::Delete(args)) => {
            return commands::manage::delete(&Context::from_args(&cli.global).await?, args).await;
        }
        Some(Command::Recovery(args)) => {
            return commands::recovery::run(args);
        }
        Some(Command::Report(args)) => {
            let ctx = Context::from_args(&cli.global).await?;
            return commands::report::run(&ctx, args).await;
        }
        Some(Command::Audit(args)) => {
            let ctx = Context::for_file(&cli.global, None).await?;
            return commands::audit::run(&ctx, args);
        }
        Some(Command::Handoff(args)) => {
            let ctx = Context::for_file(&cli.global, None).await?;
            return commands::handoff::run(&ctx, args);
        }
        Some(Command::Doctor(args)) => {
            // --credentials is read only for its redirect URLs: the admin token never goes to
            // the base a file names.
            let ctx = Context::from_args(&cli.global).await?;
            return commands::doctor::run(&ctx, args).await;
        }
        Some(Command::Create(args)) => {
            let ctx = Context::from_args(&cli.global).await?;
            // In a terminal, fields missing: ask for them in the wizard instead of refusing.
            if let Some(draft) = commands::create::to_finish_in_wizard(args, &ctx.policy)? {
                return tui::run_with(&ctx, Some(tui::Given::Integration(draft))).await;
            }
            return commands::create::run(&ctx, args).await;
        }
        None => {
            if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
                // Exit 1, as README's table says of "no usable terminal".
                return Err(CliError::Terminal(std::io::Error::other(
                    "the wizard needs a terminal; for scripts use a subcommand (create, scopes, sandbox), see 'webex-wizard --help'",
                )));
            }
            let ctx = Context::from_args(&cli.global).await?;
            return tui::run(&ctx).await;
        }
    }
    Ok(Ended::Quit)
}
