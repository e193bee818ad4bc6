//! Command-line definitions: the only place that knows about flags.

mod create;
mod manage;
mod tools;

pub use create::CreateArgs;

pub use manage::{
    AppArg, AppType, AuthorizationsArgs, AuthorizationsCommand, AuthorizationsListArgs,
    AuthorizationsRevokeArgs, BotArgs, BotCommand, BotCreateArgs, DeleteArgs, ListArgs, RotateArgs,
    ShowArgs, UpdateArgs,
};
pub use tools::{
    AuditAction, AuditArgs, CompletionsArgs, DoctorArgs, ExportFormat, HandoffArgs, LoginArgs,
    ManArgs, RecoveryArgs, ReportArgs, SandboxArgs, ScopesArgs, StatusArgs, TokensAction,
    TokensArgs,
};

use std::path::PathBuf;
use std::time::Duration;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  webex-wizard --demo create --from assets/example-integration.json
  webex-wizard login                       sign in once: the admin token into the OS keyring
  export WEBEX_ADMIN_TOKEN=...             or per command: a Control Hub admin token (12 h at most)
  webex-wizard create --name 'Audit reader' --description 'Reads the audit log' \\
      --contact-email me@agency.gov --redirect-url http://localhost:8080/callback \\
      --scope audit:events_read --save audit-reader.json
  webex-wizard create --from body.json --dry-run     print the request and a cURL; send nothing
  webex-wizard authorize --credentials audit-reader.json --save tokens.json
  webex-wizard refresh --credentials audit-reader.json --refresh-token-file tokens.json
  webex-wizard test-scopes --access-token-file tokens.json
  webex-wizard scopes --search audit
  webex-wizard list                                  what this admin created (experimental)
  webex-wizard rotate-secret 'Audit reader' --save new.json    same client ID, new secret (asks)
  webex-wizard doctor                                why it doesn't work here
  webex-wizard handoff --credentials app.json --to age1...   encrypted for a developer
  webex-wizard audit --since 2026-11-01              what was created, changed or handed over
  webex-wizard sandbox --port 8787                   serve the fake Webex API
  webex-wizard sandbox --reset                       forget what --demo commands created
  webex-wizard --demo                                the wizard, offline
  webex-wizard completions bash > ~/.local/share/bash-completion/completions/webex-wizard

Exit codes: 0 done; 1 no usable terminal, sandbox, file or folder here (nothing sent);
2 invalid input or usage (nothing sent); 3 Webex refused (4xx);
4 network failure, timeout, 5xx, or an answer that could not be read;
5 the authorization failed (declined, state mismatch, timeout, code or token refused);
6 test-scopes: a probe was refused (403) or the token is invalid (401).";

/// Create a Webex for Government (`FedRAMP`) OAuth integration, then prove that it works.
#[derive(Parser, Debug)]
#[command(name = "webex-wizard", about, after_help = EXAMPLES, disable_version_flag = true)]
pub struct Cli {
    /// Print the version and what this build is: commit, date, target, TLS stack, and the
    /// cryptographic module with its CMVP status.
    #[arg(short = 'V', long)]
    pub version: bool,
    /// With --version: the same facts as JSON, for inventory tools.
    #[arg(long = "json", id = "version_json", requires = "version")]
    pub version_json: bool,
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The Webex cloud to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EnvChoice {
    /// Webex for Government: <https://api-usgov.webex.com/v1>
    Fedramp,
    /// Commercial Webex: <https://webexapis.com/v1>
    Commercial,
}

/// Options every command takes, before or after the subcommand.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// The Webex cloud [default: fedramp, or the `apiBase` of the file a command reads].
    #[arg(long = "env", global = true, value_enum)]
    pub env: Option<EnvChoice>,
    /// Any other API base (a proxy, a sandbox); https, or http on loopback only.
    #[arg(long, global = true, value_name = "URL")]
    pub api_base: Option<String>,
    /// Run offline against the embedded sandbox, with its demo admin token.
    #[arg(long, global = true)]
    pub demo: bool,
    /// Which answers the embedded sandbox gives (--demo, `sandbox`): `documented` [default],
    /// exactly the fields Webex documents, or `observed`, the richer answers seen in
    /// third-party code [env: `WEBEX_WIZARD_SANDBOX_ANSWERS`, read only by --demo and `sandbox`].
    #[arg(long, global = true, value_enum, value_name = "PROFILE")]
    pub sandbox_answers: Option<crate::sandbox::Answers>,
    /// Read the admin token from this file ('-' reads standard input) instead of $`WEBEX_ADMIN_TOKEN`.
    #[arg(long, global = true, value_name = "PATH")]
    pub token_file: Option<PathBuf>,
    /// Seconds to wait for each Webex request [default: 30]; for `authorize`, seconds to wait
    /// for the browser to come back [default: 300].
    #[arg(long, global = true, value_name = "SECONDS", value_parser = parse_seconds)]
    pub timeout: Option<Duration>,
    /// Also trust the CA certificates in this PEM file (an agency's TLS-inspection CA);
    /// `SSL_CERT_FILE` is honoured the same way. The system store is trusted as well.
    #[arg(long, global = true, value_name = "FILE")]
    pub ca_bundle: Option<PathBuf>,
    /// Send requests to Webex through this proxy (http://[user:password@]host:port), instead of
    /// `HTTPS_PROXY`/`ALL_PROXY`; `NO_PROXY` still applies, and loopback never uses a proxy.
    #[arg(long, global = true, value_name = "URL")]
    pub proxy: Option<String>,
    /// Append the audit trail here instead of audit.jsonl in the state folder (a shared folder
    /// the agency collects, say).
    #[arg(long, global = true, value_name = "PATH")]
    pub audit_log: Option<PathBuf>,
    /// The agency's scope policy (TOML: `deny_scopes`, `deny_classes`, `justify_classes`,
    /// `max_scopes`) [default: `policy.toml` in the config folder, if there is one].
    #[arg(long, global = true, value_name = "FILE", env = "WEBEX_WIZARD_POLICY")]
    pub policy: Option<PathBuf>,
    /// Also send each audit line, as it is written, to this syslog collector (RFC 5424):
    /// `udp://HOST:PORT`, `tcp://HOST:PORT` (octet-counted) or `unix:///PATH` (`/dev/log`).
    #[arg(
        long,
        global = true,
        value_name = "URL",
        env = "WEBEX_WIZARD_AUDIT_SYSLOG"
    )]
    pub audit_syslog: Option<String>,
    /// Log requests to stderr (-v: method, URL, status, time, trackingId; -vv: more).
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub verbose: u8,
    /// Also write the log to this file.
    #[arg(long, global = true, value_name = "PATH")]
    pub log_file: Option<PathBuf>,
    /// Where credentials and tokens go when no path is given: `file` [default], 0600 files in
    /// the data folder, or `keyring`, the OS keyring (refused where there is none; never a file
    /// instead). A path of `keyring:NAME` does the same for one save or read.
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "WHERE",
        env = "WEBEX_WIZARD_STORE"
    )]
    pub store: Option<StoreChoice>,
}

/// `--store`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StoreChoice {
    /// 0600 files in the data folder.
    File,
    /// The OS keyring (the Secret Service on Linux).
    Keyring,
}

/// The global options that do nothing for a subcommand, hidden from its `--help` (still
/// accepted, so scripts that pass them everywhere keep working).
/// Every global option: the commands that take none of them hide them all.
const ALL_GLOBALS: &[&str] = &[
    "env",
    "api_base",
    "demo",
    "sandbox_answers",
    "token_file",
    "timeout",
    "verbose",
    "log_file",
    "ca_bundle",
    "proxy",
    "audit_log",
    "audit_syslog",
    "policy",
    "store",
];

const UNUSED_GLOBALS: &[(&str, &[&str])] = &[
    ("scopes", ALL_GLOBALS),
    ("completions", ALL_GLOBALS),
    ("man", ALL_GLOBALS),
    (
        "sandbox",
        &[
            "api_base",
            "demo",
            "sandbox_answers",
            "token_file",
            "timeout",
            "ca_bundle",
            "proxy",
            "audit_log",
            "audit_syslog",
            "policy",
            "store",
        ],
    ),
];

/// The doc comments clap shows as help are written for rustdoc, with backticks around names
/// (`FedRAMP`, `$WEBEX_ADMIN_TOKEN`): a terminal shows them as stray characters, so help text
/// goes out without them, in every subcommand.
fn without_backticks(mut command: clap::Command) -> clap::Command {
    let plain = |s: &clap::builder::StyledStr| s.to_string().replace('`', "");
    if let Some(about) = command.get_about().map(plain) {
        command = command.about(about);
    }
    if let Some(about) = command.get_long_about().map(plain) {
        command = command.long_about(about);
    }
    let ids: Vec<clap::Id> = command
        .get_arguments()
        .map(|a| a.get_id().clone())
        .collect();
    for id in ids {
        command = command.mut_arg(id, |mut arg| {
            if let Some(help) = arg.get_help().map(plain) {
                arg = arg.help(help);
            }
            if let Some(help) = arg.get_long_help().map(plain) {
                arg = arg.long_help(help);
            }
            arg
        });
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        command = command.mut_subcommand(name, without_backticks);
    }
    command
}

impl Cli {
    /// The command line definition, with each subcommand's help showing only what it uses.
    pub fn command_for_help() -> clap::Command {
        let mut command = <Cli as clap::CommandFactory>::command();
        for (name, unused) in UNUSED_GLOBALS {
            // A subcommand that already has an argument keeps it when the globals are handed
            // down, so a hidden copy of the same definition hides the global there.
            let hidden: Vec<clap::Arg> = command
                .get_arguments()
                .filter(|a| unused.contains(&a.get_id().as_str()))
                .map(|a| a.clone().hide(true))
                .collect();
            // Say so where the heading would be, so a missing heading doesn't read as an omission.
            let all = <GlobalArgs as clap::Args>::augment_args(clap::Command::new("globals"))
                .get_arguments()
                .count();
            let note = if unused.len() == all {
                "Global options: none change this command (they are accepted, so scripts that pass them everywhere keep working)."
            } else {
                "Global options not listed here are accepted and change nothing for this command."
            };
            command = command.mut_subcommand(*name, |sub| sub.args(hidden).after_help(note));
        }
        without_backticks(command)
    }

    /// Parse the process's arguments (exits with clap's message on a usage error).
    pub fn parse_args() -> Cli {
        let matches = Cli::command_for_help()
            .try_get_matches()
            .unwrap_or_else(|e| exit_for(&e));
        let cli = <Cli as clap::FromArgMatches>::from_arg_matches(&matches)
            .unwrap_or_else(|e| exit_for(&e));
        if cli.version {
            print_version(cli.version_json);
        }
        cli
    }
}

/// `--version` (`--json`: for inventory tools); like `--help`, exits 4 when it could not be
/// written.
fn print_version(json: bool) -> ! {
    use std::io::Write;
    let text = if json {
        let mut text =
            serde_json::to_string_pretty(&crate::build_facts::json()).unwrap_or_default();
        text.push('\n');
        text
    } else {
        crate::build_facts::text()
    };
    let mut out = std::io::stdout().lock();
    let written = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    std::process::exit(if written.is_ok() { 0 } else { 4 });
}

/// Leave as clap would, but with the one rule for standard output: `--help` or `--version` that
/// could not be written (a full disk, a closed pipe) exits 4, like any other output.
fn exit_for(e: &clap::Error) -> ! {
    use std::io::Write;
    if e.use_stderr() {
        e.exit();
    }
    let written = e.print().and_then(|()| std::io::stdout().flush());
    std::process::exit(if written.is_ok() { 0 } else { 4 });
}

impl GlobalArgs {
    /// The cloud asked for, `FedRAMP` when none was.
    pub fn env_choice(&self) -> EnvChoice {
        self.env.unwrap_or(EnvChoice::Fedramp)
    }

    /// Whether `--env`, `--api-base` or `--demo` chose where requests go.
    pub fn chose_base(&self) -> bool {
        self.env.is_some() || self.api_base.is_some() || self.demo
    }
}

fn parse_seconds(text: &str) -> Result<Duration, String> {
    let secs: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a number of seconds"))?;
    if !(secs > 0.0 && secs <= 86_400.0) {
        return Err("give a number of seconds greater than 0 and at most 86400".into());
    }
    Ok(Duration::from_secs_f64(secs))
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Sign in once: check a Control Hub admin token and keep it in the OS keyring for this
    /// API base (masked prompt, or --with-token from standard input).
    Login(LoginArgs),
    /// Whose admin token is kept for this API base, its org, when it expires, where it is kept.
    Status(StatusArgs),
    /// Remove the admin token kept in the OS keyring for this API base.
    Logout,
    /// Create an integration from flags or a JSON file (for scripts).
    Create(CreateArgs),
    /// Authorize an integration in the browser and get its tokens (authorization code + PKCE).
    Authorize(AuthorizeArgs),
    /// Get a new access token with a refresh token; `--due` refreshes every saved tokens file
    /// that needs it (for a timer).
    Refresh(RefreshArgs),
    /// Every saved tokens file: when its access and refresh tokens expire, and what to do.
    Tokens(TokensArgs),
    /// Call each scope's read-only request with an access token and say what works.
    TestScopes(TestScopesArgs),
    /// List the applications this admin can see, newest first (experimental: seen on
    /// commercial Webex).
    List(ListArgs),
    /// Show one application (experimental: seen on commercial Webex).
    Show(ShowArgs),
    /// Give an integration a new client secret, same client ID; the old secret stops working
    /// (experimental: seen on commercial Webex).
    RotateSecret(RotateArgs),
    /// Change an application's fields, redirect URLs or scopes: shows the difference, checks it
    /// with create's rules, then sends the whole object (experimental: seen on commercial Webex).
    Update(UpdateArgs),
    /// Delete an application; it can't be restored (experimental: seen on commercial Webex).
    Delete(DeleteArgs),
    /// A user's grants to integrations: `authorizations list`, `authorizations revoke`.
    Authorizations(AuthorizationsArgs),
    /// Bots: `bot create`.
    Bot(BotArgs),
    /// The audit trail: who created, changed, revealed or handed over what, and when;
    /// `audit verify` checks its hash chain.
    Audit(AuditArgs),
    /// Every application this admin can see, for an assessor: creator, created, scopes by
    /// class, redirect URLs, the secret's last rotation, flags (experimental).
    Report(ReportArgs),
    /// Encrypt a credentials file for developers (age format: age or SSH public keys).
    Handoff(HandoffArgs),
    /// What was kept because it could not be delivered: list, show, and remove after confirming.
    Recovery(RecoveryArgs),
    /// Check why it doesn't work here: DNS, TCP, TLS (and which CA), proxy, FIPS, clock,
    /// admin token, redirect ports, clipboard, browser, terminal.
    Doctor(DoctorArgs),
    /// List the OAuth scope catalog.
    Scopes(ScopesArgs),
    /// Serve the embedded sandbox, a fake Webex API, on 127.0.0.1.
    Sandbox(SandboxArgs),
    /// Print the shell completion script for bash, zsh, fish, powershell or elvish.
    Completions(CompletionsArgs),
    /// Print the man page, or write one page per subcommand into a folder (`--dir`).
    Man(ManArgs),
}

/// Which integration: a credentials file, or a client ID with the secret from a file or
/// `$WEBEX_CLIENT_SECRET` (never as an argument).
#[derive(Args, Debug, Default, Clone)]
pub struct ClientArgs {
    /// A credentials file saved by the wizard or `create --save`: client ID, secret, redirect URLs, scopes.
    #[arg(long, value_name = "PATH")]
    pub credentials: Option<PathBuf>,
    /// The integration's client ID.
    #[arg(long, value_name = "ID", value_parser = manage::non_empty)]
    pub client_id: Option<String>,
    /// Read the client secret from this file ('-' reads standard input) instead of $`WEBEX_CLIENT_SECRET`.
    #[arg(long, value_name = "PATH")]
    pub client_secret_file: Option<PathBuf>,
    /// Decrypt an age-encrypted --credentials file (a hand-off) with this age identity file or
    /// SSH private key; a key's passphrase is asked on the terminal. Nothing decrypted is written.
    #[arg(long, value_name = "KEY")]
    pub identity: Option<PathBuf>,
}

#[derive(Args, Debug, Default)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "each bool is a command-line switch"
)]
pub struct AuthorizeArgs {
    #[command(flatten)]
    pub client: ClientArgs,
    /// The redirect URL to use; one registered on the integration [default: the credentials' first loopback URL].
    #[arg(long = "redirect-url", value_name = "URL")]
    pub redirect_url: Option<String>,
    /// A scope to ask for; repeat for several [default: every scope in the credentials file].
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scopes: Vec<String>,
    /// Do not open a browser; print the URL only.
    #[arg(long)]
    pub no_browser: bool,
    /// Leave PKCE out, only for a server that refuses it. Not recommended: the state is visible
    /// to other local users (it is in the browser's command line), and without PKCE one of them
    /// could answer the redirect with a code of their own.
    #[arg(long)]
    pub no_pkce: bool,
    /// Also show the URL as a QR code, to open it on another device.
    #[arg(long)]
    pub qr: bool,
    /// Save the tokens to this new file (0600; never overwrites).
    #[arg(long, value_name = "PATH")]
    pub save: Option<PathBuf>,
    /// Print the tokens as JSON on stdout (access and refresh token included).
    #[arg(long)]
    pub json: bool,
    /// Device login (OAuth device grant), for SSH sessions and machines without a browser:
    /// shows a code to enter at Webex's address in any browser, and waits. The integration must
    /// list Webex's three device-helper redirect URLs (`create`/`update --device-login` adds
    /// them). Experimental on `FedRAMP`.
    #[arg(long, conflicts_with_all = ["redirect_url", "no_browser", "no_pkce"])]
    pub device: bool,
}

#[derive(Args, Debug, Default)]
pub struct RefreshArgs {
    #[command(flatten)]
    pub client: ClientArgs,
    /// The refresh token: a file holding it, or a tokens file saved by `authorize --save`
    /// ('-' reads standard input) [default: $`WEBEX_REFRESH_TOKEN`].
    #[arg(long, value_name = "PATH")]
    pub refresh_token_file: Option<PathBuf>,
    /// Save the new tokens to this new file (0600; never overwrites).
    #[arg(long, value_name = "PATH")]
    pub save: Option<PathBuf>,
    /// Print the tokens as JSON on stdout (access and refresh token included).
    #[arg(long)]
    pub json: bool,
    /// Refresh every saved tokens file whose access token has expired or whose refresh token
    /// expires within --within days, each with the saved credentials of its client ID;
    /// replaces each file atomically. Quiet unless something happened (-v lists all).
    #[arg(long, conflicts_with_all = ["refresh_token_file", "save", "json", "credentials", "client_id"])]
    pub due: bool,
    /// With --due: the refresh window, in days.
    #[arg(long, value_name = "DAYS", default_value_t = crate::token_radar::SOON_DAYS, requires = "due", value_parser = clap::value_parser!(u32).range(0..=3650))]
    pub within: u32,
    /// With --due: also the tokens files in this folder; repeat for several.
    #[arg(long = "dir", value_name = "DIR", requires = "due")]
    pub dirs: Vec<PathBuf>,
}

#[derive(Args, Debug, Default)]
pub struct TestScopesArgs {
    /// The access token: a file holding it, or a tokens file saved by `authorize --save`
    /// (whose granted scopes are then tested by default) ('-' reads standard input)
    /// [default: $`WEBEX_ACCESS_TOKEN`].
    #[arg(long, value_name = "PATH")]
    pub access_token_file: Option<PathBuf>,
    /// A scope to test; repeat for several.
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scopes: Vec<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn subcommand_help_shows_its_own_options_first_and_only_the_globals_it_uses() {
        let mut command = Cli::command_for_help();
        command.build();
        let create = command
            .find_subcommand_mut("create")
            .unwrap()
            .render_long_help()
            .to_string();
        let own = create.find("--name").unwrap();
        let globals = create.find("Global options:").unwrap();
        assert!(own < globals, "{create}");
        assert!(create[globals..].contains("--token-file"), "{create}");
        let scopes = command
            .find_subcommand_mut("scopes")
            .unwrap()
            .render_long_help()
            .to_string();
        assert!(scopes.contains("--search"), "{scopes}");
        for unused in ["--token-file", "--api-base", "--demo", "--timeout"] {
            assert!(!scopes.contains(unused), "{scopes}");
        }
        assert!(
            scopes.contains("Global options: none change this command"),
            "{scopes}"
        );
        let sandbox = command
            .find_subcommand_mut("sandbox")
            .unwrap()
            .render_long_help()
            .to_string();
        assert!(
            sandbox.contains("--env") && !sandbox.contains("--token-file"),
            "{sandbox}"
        );
        // Hidden, not removed: scripts that pass them everywhere keep working.
        let matches = Cli::command_for_help()
            .try_get_matches_from(["webex-wizard", "scopes", "--demo"])
            .unwrap();
        assert!(matches.subcommand_matches("scopes").is_some());
    }

    #[test]
    fn global_options_work_before_and_after_the_subcommand() {
        let a =
            Cli::try_parse_from(["webex-wizard", "--demo", "--timeout", "2.5", "scopes"]).unwrap();
        let b =
            Cli::try_parse_from(["webex-wizard", "scopes", "--demo", "--timeout", "2.5"]).unwrap();
        assert!(a.global.demo && b.global.demo);
        assert!(a.global.chose_base() && a.global.env.is_none());
        let plain = Cli::try_parse_from(["webex-wizard", "scopes"]).unwrap();
        assert!(!plain.global.chose_base());
        assert_eq!(plain.global.env_choice(), EnvChoice::Fedramp);
        assert_eq!(a.global.timeout, Some(Duration::from_millis(2500)));
        assert_eq!(a.global.timeout, b.global.timeout);
        assert!(Cli::try_parse_from(["webex-wizard", "--timeout", "0", "scopes"]).is_err());
    }
}
