//! One file per subcommand; [`Context`] is what they share.

pub mod audit;
pub mod authorizations;
pub mod authorize;
pub mod bot;
pub mod create;
pub mod doctor;
pub mod handoff;
pub mod manage;
pub mod recovery;
pub mod refresh;
pub mod report;
pub mod sandbox;
pub mod scope_test;
pub mod scopes;
pub mod shell;
pub mod signin;
pub mod tokens;
pub mod update;

use std::path::Path;

use crate::error::CliError;
pub use crate::session::{
    ADMIN_TOKEN_VAR, Context, SANDBOX_ANSWERS_VAR, sandbox_answers, saved_api_base,
};

/// Ask `prompt` on standard error and read the answer from the terminal (without its newline).
pub(super) fn ask(prompt: &str) -> Result<String, CliError> {
    use std::io::{BufRead, Write};
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut typed = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut typed)
        .map_err(CliError::Terminal)?;
    Ok(typed.trim_end_matches(['\r', '\n']).to_owned())
}

/// `--save PATH` must be a new file that can be created, before anything is sent.
/// Whether a `create` or `bot create` may open the wizard for what is missing: in a terminal
/// (standard input and output), and not a script's run (`scripted`: `--no-input`, `--json`,
/// `--dry-run`, `--save`, `--handoff-to`).
pub(crate) fn may_ask(scripted: bool) -> bool {
    use std::io::IsTerminal;
    !scripted && std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

pub fn check_save(save: Option<&Path>) -> Result<(), CliError> {
    match save {
        Some(path) => crate::files::check_can_create(path)
            .map_err(|e| CliError::Usage(format!("--save: {e}"))),
        None => Ok(()),
    }
}
