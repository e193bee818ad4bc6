//! `webex-wizard scopes`: list and search the scope catalog.

use std::fmt::Write as _;

use crate::catalog::{Catalog, FedrampAvailability};
use crate::cli::ScopesArgs;
use crate::error::CliError;

pub fn run(args: &ScopesArgs) -> Result<(), CliError> {
    let catalog = Catalog::embedded();
    let found: Vec<_> = catalog
        .search(args.search.as_deref().unwrap_or(""))
        .collect();
    // Data on standard output, every write checked: a full disk or closed pipe is exit 4,
    // as for every other command (crate::output::print_stdout).
    if args.json {
        return crate::output::print_stdout(&(crate::output::json_text(&found) + "\n"));
    }
    let mut out = String::new();
    let width = found.iter().map(|s| s.name.len()).max().unwrap_or(4).max(5);
    let _ = writeln!(
        out,
        "{:width$}  {:10}  {:7}  SUMMARY",
        "SCOPE", "WHO", "FEDRAMP"
    );
    for s in &found {
        let fedramp = match s.fedramp {
            FedrampAvailability::Yes => "yes",
            FedrampAvailability::No => "no",
            FedrampAvailability::Unknown => "?",
        };
        let deprecated = if s.deprecated { " (deprecated)" } else { "" };
        let _ = writeln!(
            out,
            "{:width$}  {:10}  {:7}  {}{deprecated}",
            s.name,
            s.audience.label(),
            fedramp,
            s.summary
        );
    }
    crate::output::print_stdout(out.trim_end())?;
    // The legend on stderr, beside the count: the table on stdout stays a table for scripts.
    eprintln!(
        "{} of {} scopes. FEDRAMP: yes = offered on Webex for Government, no = not offered there, ? = not verified yet.",
        found.len(),
        catalog.scopes().len()
    );
    Ok(())
}
