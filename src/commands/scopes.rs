//! `webex-wizard scopes`: list and search the scope catalog.

use std::io::Write;

use crate::catalog::{Catalog, FedrampAvailability};
use crate::cli::ScopesArgs;
use crate::error::CliError;

pub fn run(args: &ScopesArgs) -> Result<(), CliError> {
    let catalog = Catalog::embedded();
    let found: Vec<_> = catalog
        .search(args.search.as_deref().unwrap_or(""))
        .collect();
    let mut out = std::io::stdout().lock();
    if args.json {
        let text = crate::output::json_text(&found);
        let _ = writeln!(out, "{text}");
        return Ok(());
    }
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
    eprintln!("{} of {} scopes.", found.len(), catalog.scopes().len());
    Ok(())
}
