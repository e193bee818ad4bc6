//! `webex-wizard sandbox`: serve the embedded fake Webex API until stopped.

use std::net::SocketAddr;

use clap::ValueEnum;
use secrecy::ExposeSecret;

use crate::cli::{EnvChoice, GlobalArgs, SandboxArgs};
use crate::env::Dirs;
use crate::error::CliError;
use crate::sandbox::{Sandbox, SandboxConfig};

pub async fn run(args: &SandboxArgs, global: &GlobalArgs) -> Result<(), CliError> {
    if args.reset {
        return reset();
    }
    let env = global.env_choice();
    if let Some(path) = &args.state {
        crate::sandbox::check_state_file(path).map_err(CliError::Usage)?;
    }
    let answers = match args.answers {
        Some(a) => a,
        None => super::sandbox_answers(global)?,
    };
    let config = SandboxConfig {
        answers,
        auto_approve: args.auto_approve,
        fedramp: env == EnvChoice::Fedramp,
        max_integrations: args.max_integrations,
        state_file: args.state.clone(),
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start(config, SocketAddr::from(([127, 0, 0, 1], args.port)))
        .await
        .map_err(CliError::Sandbox)?;
    let flavour = if env == EnvChoice::Fedramp {
        "FedRAMP"
    } else {
        "commercial"
    };
    println!("API base:     {}", sandbox.base());
    eprintln!(
        "Answers:      {} (--answers documented|observed)",
        answers
            .to_possible_value()
            .map_or_else(String::new, |v| v.get_name().to_owned())
    );
    // The sandbox's own token: printing it is the point, it opens nothing real.
    println!("Admin token:  {}", sandbox.admin_token().expose_secret());
    eprintln!(
        "The webex-wizard sandbox is serving a fake Webex API ({flavour} behaviour) on {}.\nTry, in another terminal:\n  WEBEX_ADMIN_TOKEN={} webex-wizard --api-base {} create --from assets/example-integration.json\nPress Ctrl-C to stop.",
        sandbox.addr(),
        sandbox.admin_token().expose_secret(),
        sandbox.base()
    );
    wait_for_stop().await;
    eprintln!("Sandbox stopped.");
    Ok(())
}

async fn wait_for_stop() {
    crate::platform::signals::Signals::new().next().await;
}

/// Remove the `--demo` sandbox's saved state.
fn reset() -> Result<(), CliError> {
    let dirs = Dirs::discover().map_err(CliError::Folders)?;
    let path = dirs.demo_sandbox();
    match std::fs::remove_file(&path) {
        Ok(()) => eprintln!(
            "Forgot the --demo sandbox's integrations, codes and tokens ({} removed).",
            path.display()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("The --demo sandbox has no saved state; nothing to forget.");
        }
        Err(e) => {
            return Err(CliError::Folders(format!(
                "could not remove {}: {e}",
                path.display()
            )));
        }
    }
    Ok(())
}
