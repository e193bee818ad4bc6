//! The flags of the commands that manage what was created.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

/// Which applications `list` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum AppType {
    #[default]
    Integration,
    Bot,
    All,
}

#[derive(Args, Debug, Default)]
pub struct ListArgs {
    /// Which applications to show.
    #[arg(long = "type", value_enum, default_value = "integration")]
    pub app_type: AppType,
    /// Print the applications as a JSON array.
    #[arg(long)]
    pub json: bool,
}

/// `APP`: an application ID, a client ID, or an exact name (an ambiguous name is refused).
#[derive(Args, Debug, Default, Clone)]
pub struct AppArg {
    /// The application ID, the client ID, or the exact name.
    #[arg(value_name = "APP", value_parser = non_empty)]
    pub app: String,
}

#[derive(Args, Debug, Default)]
pub struct ShowArgs {
    #[command(flatten)]
    pub app: AppArg,
    /// Print the application as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug, Default)]
pub struct RotateArgs {
    #[command(flatten)]
    pub app: AppArg,
    /// Save the client ID and the new secret to this new file (0600; never overwrites).
    #[arg(long, value_name = "PATH")]
    pub save: Option<PathBuf>,
    /// Print the whole answer as JSON on stdout (the new client secret included).
    #[arg(long)]
    pub json: bool,
    /// Also write the credentials encrypted to this recipient; repeat for several.
    #[arg(long = "handoff-to", value_name = "RECIPIENT")]
    pub handoff_to: Vec<String>,
    /// Also hand the new secret to the recipients of this client's last hand-off (as this
    /// machine's audit trail records them); refused before rotating when there was none.
    #[arg(long = "handoff-again")]
    pub handoff_again: bool,
    /// Rotate without asking (needed without a terminal): the old secret dies at once.
    #[arg(long)]
    pub yes: bool,
}

#[derive(Args, Debug, Default)]
pub struct DeleteArgs {
    #[command(flatten)]
    pub app: AppArg,
    /// Delete without asking (needed without a terminal).
    #[arg(long)]
    pub yes: bool,
}

#[derive(Args, Debug, Default)]
pub struct UpdateArgs {
    #[command(flatten)]
    pub app: AppArg,
    /// A new name.
    #[arg(long)]
    pub name: Option<String>,
    /// A new description.
    #[arg(long)]
    pub description: Option<String>,
    /// A new contact e-mail.
    #[arg(long, value_name = "EMAIL")]
    pub contact_email: Option<String>,
    /// A new company name ('' removes it).
    #[arg(long, value_name = "NAME")]
    pub company: Option<String>,
    /// Add a redirect URL; repeat for several.
    #[arg(long = "add-redirect-url", value_name = "URL")]
    pub add_redirect_urls: Vec<String>,
    /// Remove a redirect URL; repeat for several.
    #[arg(long = "remove-redirect-url", value_name = "URL")]
    pub remove_redirect_urls: Vec<String>,
    /// Add Webex's three device-helper redirect URLs (those missing), for `authorize --device`.
    #[arg(long)]
    pub device_login: bool,
    /// Why an added broad scope is needed: one line, kept in the audit trail.
    #[arg(long, value_name = "TEXT")]
    pub justification: Option<String>,
    /// Add a scope; repeat for several.
    #[arg(long = "add-scope", value_name = "SCOPE")]
    pub add_scopes: Vec<String>,
    /// Remove a scope; repeat for several.
    #[arg(long = "remove-scope", value_name = "SCOPE")]
    pub remove_scopes: Vec<String>,
    /// Show the difference and the request; send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the updated application (or, with --dry-run, the request) as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct BotArgs {
    #[command(subcommand)]
    pub command: BotCommand,
}

#[derive(clap::Subcommand, Debug)]
pub enum BotCommand {
    /// Create a bot; its access token (botToken) is shown once, like a client secret
    /// (the `type` value `bot` and the avatar field `logo` are unverified on `FedRAMP`).
    Create(BotCreateArgs),
}

#[derive(Args, Debug, Default)]
#[command(group(clap::ArgGroup::new("avatar").multiple(false).args(["avatar_url", "avatar_file"])))]
pub struct BotCreateArgs {
    /// The bot's display name (required; in a terminal, asked for when missing).
    #[arg(long)]
    pub name: Option<String>,
    /// The bot's unique address, NAME@webex.bot (required).
    #[arg(long, value_name = "NAME@webex.bot")]
    pub bot_email: Option<String>,
    /// What the bot does (required).
    #[arg(long)]
    pub description: Option<String>,
    /// Who to contact about it (required).
    #[arg(long, value_name = "EMAIL")]
    pub contact_email: Option<String>,
    /// The avatar at a public https URL (sent as JSON).
    #[arg(long, value_name = "URL")]
    pub avatar_url: Option<String>,
    /// The avatar as a local PNG, JPEG or GIF of at most 1 MiB (sent as multipart/form-data).
    #[arg(long, value_name = "PATH")]
    pub avatar_file: Option<PathBuf>,
    /// Save the bot and its token to this new file (0600; never overwrites).
    #[arg(long, value_name = "PATH")]
    pub save: Option<PathBuf>,
    /// Print the whole answer as JSON on stdout (the bot token included).
    #[arg(long)]
    pub json: bool,
    /// Print what would be sent; send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Also write the bot and its token encrypted to this recipient; repeat for several.
    #[arg(long = "handoff-to", value_name = "RECIPIENT")]
    pub handoff_to: Vec<String>,
    /// Never ask: with fields missing or invalid, list the problems and exit 2, even in a
    /// terminal (where bot create otherwise opens the wizard with what was given filled in).
    #[arg(long)]
    pub no_input: bool,
}

#[derive(Args, Debug)]
pub struct AuthorizationsArgs {
    #[command(subcommand)]
    pub command: AuthorizationsCommand,
}

#[derive(clap::Subcommand, Debug)]
pub enum AuthorizationsCommand {
    /// A user's grants to integrations (admin API).
    List(AuthorizationsListArgs),
    /// Revoke a grant, or every grant of a client: its access and refresh tokens stop working.
    Revoke(AuthorizationsRevokeArgs),
}

#[derive(Args, Debug, Default)]
#[command(group(clap::ArgGroup::new("person").required(true).args(["person_email", "person_id"])))]
pub struct AuthorizationsListArgs {
    /// The user's e-mail.
    #[arg(long, value_name = "EMAIL", value_parser = non_empty)]
    pub person_email: Option<String>,
    /// The user's person ID.
    #[arg(long, value_name = "ID", value_parser = non_empty)]
    pub person_id: Option<String>,
    /// Print the authorizations as a JSON array.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug, Default)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["id", "client_id"])))]
pub struct AuthorizationsRevokeArgs {
    /// The authorization's ID (from `authorizations list`).
    #[arg(long, value_name = "ID", value_parser = non_empty)]
    pub id: Option<String>,
    /// Every authorization of this client ID.
    #[arg(long, value_name = "CLIENT_ID", value_parser = non_empty)]
    pub client_id: Option<String>,
    /// Only in this organization (with --client-id).
    #[arg(long, value_name = "ORG_ID", requires = "client_id", value_parser = non_empty)]
    pub org_id: Option<String>,
    /// Revoke without asking (needed without a terminal).
    #[arg(long)]
    pub yes: bool,
}

/// A value that names something: an empty or blank one (an unset shell variable, say) would
/// match whatever lacks the field, so it is refused.
pub fn non_empty(value: &str) -> Result<String, String> {
    if value.trim().is_empty() {
        Err("it is empty; give the ID, client ID or name (is a shell variable unset?)".into())
    } else {
        Ok(value.to_owned())
    }
}
