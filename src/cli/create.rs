//! The flags of `create`.

use std::path::PathBuf;

use clap::Args;

#[derive(Args, Debug, Default)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "each bool is a command-line switch"
)]
pub struct CreateArgs {
    /// The integration's name.
    #[arg(long)]
    pub name: Option<String>,
    /// What the integration does.
    #[arg(long)]
    pub description: Option<String>,
    /// Who to contact about it.
    #[arg(long, value_name = "EMAIL")]
    pub contact_email: Option<String>,
    /// Company name (optional).
    #[arg(long, value_name = "NAME")]
    pub company: Option<String>,
    /// A redirect URL; repeat for several.
    #[arg(long = "redirect-url", value_name = "URL")]
    pub redirect_urls: Vec<String>,
    /// Also list Webex's three device-helper redirect URLs, so that `authorize --device` (device
    /// login, for SSH sessions) works with this integration.
    #[arg(long)]
    pub device_login: bool,
    /// A scope; repeat for several.
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scopes: Vec<String>,
    /// A JSON file with the Applications API body; flags override its fields.
    #[arg(long, value_name = "FILE.json")]
    pub from: Option<PathBuf>,
    /// Print the whole answer as JSON on stdout (client secret included).
    #[arg(long)]
    pub json: bool,
    /// Save the client ID and secret to this new file (0600; never overwrites).
    #[arg(long, value_name = "PATH")]
    pub save: Option<PathBuf>,
    /// Print the request body and an equivalent cURL command; send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Also write the credentials encrypted to this recipient (age1…, ssh-ed25519 …, ssh-rsa …,
    /// or a .pub file), right after the answer; repeat for several.
    #[arg(long = "handoff-to", value_name = "RECIPIENT")]
    pub handoff_to: Vec<String>,
    /// Why a broad scope is needed (admin write, compliance, `spark:all`, or what `--policy`
    /// names): one line, kept in the audit trail.
    #[arg(long, value_name = "TEXT")]
    pub justification: Option<String>,
    /// Never ask: with fields missing or invalid, list the problems and exit 2, even in a
    /// terminal (where create otherwise opens the wizard with what was given filled in).
    #[arg(long)]
    pub no_input: bool,
}
