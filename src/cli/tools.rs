//! The flags of the commands around the main flow: doctor, scopes, the sandbox.

use std::path::PathBuf;

use clap::Args;

#[derive(Args, Debug, Default)]
pub struct DoctorArgs {
    /// Print the checks as JSON: {"ok": bool, "checks": [{check, status, detail, advice, data}]}.
    #[arg(long)]
    pub json: bool,
    /// Also check that this credentials file's loopback redirect ports are free now.
    #[arg(long, value_name = "PATH")]
    pub credentials: Option<std::path::PathBuf>,
}

#[derive(Args, Debug, Default)]
pub struct ReportArgs {
    /// Only applications created on or after this day or time (2026-11-01, or RFC 3339).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Print JSON: one object per application.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV (RFC 4180), for a spreadsheet.
    #[arg(long)]
    pub csv: bool,
}

#[derive(Args, Debug, Default)]
pub struct LoginArgs {
    /// Read the token from standard input instead of asking for it (for scripts:
    /// `webex-wizard login --with-token < token.txt`).
    #[arg(long)]
    pub with_token: bool,
}

#[derive(Args, Debug, Default)]
pub struct StatusArgs {
    /// Print JSON: {"apiBase", "signedIn", "expired", "person", "orgId", "expiresAt", "expiryKnown", "keptIn", "inUse", "tokenSource"}.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell or elvish.
    #[arg(value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Args, Debug, Default)]
pub struct ManArgs {
    /// Write webex-wizard.1 and one page per subcommand (webex-wizard-create.1, …) here
    /// instead of printing the main page.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Args, Debug, Default)]
pub struct ScopesArgs {
    /// Show only scopes whose name or summary contains this text.
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct SandboxArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Approve authorizations at once instead of showing the consent page. Any local user (or
    /// program) that knows a client ID can then get codes and tokens for it from this sandbox,
    /// without a consent page: keep it to a machine of your own.
    #[arg(long)]
    pub auto_approve: bool,
    /// How many integrations the demo admin may own (Webex allows 20).
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub max_integrations: usize,
    /// Keep this sandbox's integrations, codes and tokens in FILE (0600) across runs; without
    /// it they live in memory only.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Which answers to give (the same as --sandbox-answers): `documented` [default] or
    /// `observed`.
    #[arg(long, value_enum, value_name = "PROFILE")]
    pub answers: Option<crate::sandbox::Answers>,
    /// Forget what `--demo` commands created (integrations, codes, tokens), then exit.
    #[arg(long, conflicts_with_all = ["state", "port", "auto_approve"])]
    pub reset: bool,
}

#[derive(Args, Debug, Default)]
#[command(group(clap::ArgGroup::new("recipients").required(true).multiple(true).args(["to", "to_file"])))]
pub struct HandoffArgs {
    /// The credentials file to hand over (a plain one, or an age file with --identity).
    #[arg(long, value_name = "FILE")]
    pub credentials: PathBuf,
    /// A recipient: an age public key (age1…), an SSH public key (ssh-ed25519 …, ssh-rsa …), or
    /// a .pub file; repeat for several.
    #[arg(long, value_name = "RECIPIENT")]
    pub to: Vec<String>,
    /// A file of recipients, one per line (as `age -R` reads them).
    #[arg(long, value_name = "FILE")]
    pub to_file: Vec<PathBuf>,
    /// Where to write it (0600, never overwriting) [default: FILE.age next to FILE].
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// ASCII armor (-----BEGIN AGE ENCRYPTED FILE-----), for e-mail or chat.
    #[arg(long)]
    pub armor: bool,
    /// Decrypt an encrypted --credentials with this age identity file or SSH private key.
    #[arg(long, value_name = "KEY")]
    pub identity: Option<PathBuf>,
}

#[derive(Args, Debug, Default)]
#[command(args_conflicts_with_subcommands = true)]
pub struct TokensArgs {
    #[command(subcommand)]
    pub action: Option<TokensAction>,
    /// Tokens files to look at, besides the data folder's tokens folder.
    #[arg(value_name = "FILE")]
    pub files: Vec<std::path::PathBuf>,
    /// Also every tokens file in this folder; repeat for several.
    #[arg(long = "dir", value_name = "DIR")]
    pub dirs: Vec<std::path::PathBuf>,
    /// A refresh token expiring within this many days is "refresh soon".
    #[arg(long, value_name = "DAYS", default_value_t = crate::token_radar::SOON_DAYS, value_parser = clap::value_parser!(u32).range(0..=3650))]
    pub within: u32,
    /// Print JSON (never a token: dates, names and scopes only).
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Subcommand, Debug)]
pub enum TokensAction {
    /// Print a systemd user service and timer (daily, catching up after sleep) and the
    /// equivalent crontab line that run `refresh --due` with this binary.
    Schedule {
        /// Print them (the only form: nothing is installed for you).
        #[arg(long, required = true)]
        print: bool,
    },
}

#[derive(Args, Debug, Default)]
pub struct RecoveryArgs {
    /// Show the Nth file (as `recovery` numbers them) whole, secrets included, on stdout.
    #[arg(long, value_name = "N", conflicts_with_all = ["remove", "remove_all"])]
    pub show: Option<usize>,
    /// Remove the Nth file, after you confirm (or --yes).
    #[arg(long, value_name = "N", conflicts_with = "remove_all")]
    pub remove: Option<usize>,
    /// Remove every file, after you confirm (or --yes).
    #[arg(long = "remove-all")]
    pub remove_all: bool,
    /// Remove without asking (needed without a terminal).
    #[arg(long)]
    pub yes: bool,
    /// List as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug, Default)]
#[command(args_conflicts_with_subcommands = true)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub action: Option<AuditAction>,
    /// Only entries from this day or time on (2026-11-01, or RFC 3339).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Print the entries as a JSON array.
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Subcommand, Debug)]
pub enum AuditAction {
    /// Check the trail's hash chain: exit 0 intact, 4 broken (names the first line that was
    /// changed, removed or reordered).
    Verify {
        /// Print the verdict as JSON: {"intact", "lines", "beforeChain", "brokenAt", "what"}.
        #[arg(long)]
        json: bool,
    },
    /// Write the trail for a forwarder: `json` (the lines as written), `syslog` (RFC 5424, one
    /// message a line) or `cef` (`ArcSight` Common Event Format).
    Export {
        /// The format.
        #[arg(long, value_enum, default_value = "json")]
        format: ExportFormat,
        /// Only entries from this day or time on (2026-11-01, or RFC 3339).
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
    },
}

/// `audit export --format`.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Json,
    Syslog,
    Cef,
}
