//! `completions` and `man`: shell completions and man pages, made from the very definitions
//! that parse the arguments (what `--help` shows), so they can't fall behind.

use std::path::Path;

use crate::cli::{Cli, CompletionsArgs, ManArgs};
use crate::error::CliError;

/// The command tree as the user meets it (globals handed down, the unused ones hidden), without
/// clap's `help` subcommands (`--help` says the same, and they would be pages of their own).
fn command() -> clap::Command {
    fn without_help(command: clap::Command) -> clap::Command {
        command
            .disable_help_subcommand(true)
            .mut_subcommands(without_help)
    }
    // Not built here: the generators build it themselves, and clap_complete names bash's
    // functions wrongly for a hyphenated program once its subcommands' bin names are set.
    without_help(Cli::command_for_help()).version(crate::build_facts::VERSION)
}

pub fn completions(args: &CompletionsArgs) -> Result<(), CliError> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command(), "webex-wizard", &mut script);
    let mut script = String::from_utf8_lossy(&script).into_owned();
    if args.shell == clap_complete::Shell::Bash {
        // clap_complete 4.6 names a subcommand's `case` label with every '-' of the program's
        // name turned into its subcommand separator ("webex__subcmd__wizard__subcmd__create")
        // but sets the variable it matches from "webex__wizard": no subcommand would complete.
        script = script.replace("webex__subcmd__wizard", "webex__wizard");
    }
    crate::output::print_stdout(script.trim_end())
}

pub fn man(args: &ManArgs) -> Result<(), CliError> {
    match &args.dir {
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(command())
                .render(&mut page)
                .map_err(CliError::Output)?;
            crate::output::print_stdout(String::from_utf8_lossy(&page).trim_end())
        }
        Some(dir) => write_pages(dir),
    }
}

/// webex-wizard.1 and one page per subcommand, nested ones too (webex-wizard-bot-create.1).
fn write_pages(dir: &Path) -> Result<(), CliError> {
    let failed = |e: std::io::Error| CliError::Folders(format!("{}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(failed)?;
    clap_mangen::generate_to(command(), dir).map_err(failed)?;
    let mut pages: Vec<String> = std::fs::read_dir(dir)
        .map_err(failed)?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with("webex-wizard") && name.ends_with(".1"))
        .collect();
    pages.sort();
    eprintln!("Wrote {} man pages to {}:", pages.len(), dir.display());
    for page in &pages {
        eprintln!("  {page}");
    }
    eprintln!(
        "Read one with: man -l {}",
        dir.join("webex-wizard.1").display()
    );
    Ok(())
}
