//! A session with Webex, shared by the wizard and the subcommands: the environment and API base
//! (from the options, a saved file or `--demo`'s sandbox), the admin token's source, the
//! network (trust, proxy), the folders, and the audit trail.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use secrecy::SecretString;

use crate::cli::{EnvChoice, GlobalArgs};
use crate::env::{ApiBase, Dirs, Environment};
use crate::error::CliError;
use crate::net::Network;
use crate::sandbox::{Sandbox, SandboxConfig};
use crate::secret;
use crate::webex::{Timeouts, WebexClient};

/// Where an admin token came from.
pub const ADMIN_TOKEN_VAR: &str = "WEBEX_ADMIN_TOKEN";

const NO_TOKEN: &str = "no admin token: set WEBEX_ADMIN_TOKEN, or pass --token-file PATH ('-' reads standard input).\n  A FedRAMP admin token comes from Control Hub: sign in at https://admin-usgov.webex.com, open DevTools > Application > Session Storage, and copy accessToken (it lasts at most 12 hours).\n  To try webex-wizard offline, add --demo.";

/// The environment, token source and files every command works with.
pub struct Context {
    pub env: Environment,
    pub timeouts: Timeouts,
    pub dirs: Dirs,
    /// Trust sources, TLS configuration and proxy.
    pub network: Network,
    /// Where the audit trail is appended.
    pub audit_log: crate::audit::AuditLog,
    token_file: Option<PathBuf>,
    /// The in-process sandbox of `--demo`; kept alive as long as the context.
    demo: Option<Sandbox>,
    demo_fedramp: bool,
    /// The agency's scope policy (`--policy`, the config folder's, or the built-in rule).
    pub policy: crate::policy::Policy,
    /// The login kept in the OS keyring for this API base, asked for once, when needed.
    kept_login:
        std::sync::OnceLock<Result<Option<crate::signin::Login>, crate::signin::KeyringError>>,
}

impl Context {
    /// Resolve the global options; with `--demo`, start the sandbox on a loopback port, with
    /// the state earlier `--demo` commands left.
    pub async fn from_args(global: &GlobalArgs) -> Result<Self, CliError> {
        Self::for_file(global, None).await
    }

    /// Like [`Context::from_args`], for a command that reads `saved` (a credentials or tokens
    /// file): see [`Context::for_files`].
    pub async fn for_file(global: &GlobalArgs, saved: Option<&Path>) -> Result<Self, CliError> {
        Self::for_files(global, saved.as_slice(), None).await
    }

    /// Like [`Context::from_args`], for a command that reads `files` (credentials, tokens or
    /// age hand-offs, decrypted in memory with `identity`). Their `apiBase` is used unless
    /// `--env`, `--api-base` or `--demo` chose another (a warning says when they differ), but
    /// only when it is a base a secret may go to ([`crate::known_bases`]) and the files agree:
    /// otherwise the command is refused before anything is sent.
    pub async fn for_files(
        global: &GlobalArgs,
        files: &[&Path],
        identity: Option<&Path>,
    ) -> Result<Self, CliError> {
        let mut dirs = Dirs::discover().map_err(CliError::Folders)?;
        dirs.check().map_err(CliError::Folders)?;
        if global.store == Some(crate::cli::StoreChoice::Keyring) {
            // Chosen, so it must be there: say so now rather than after a one-time secret.
            crate::platform::keyring::probe()?;
            dirs.store = crate::env::Store::Keyring;
        }
        let timeouts = global.timeout.map(Timeouts::from_total).unwrap_or_default();
        let network = Network::new(global.ca_bundle.as_deref(), global.proxy.as_deref())?;
        for note in &network.trust().notes {
            eprintln!("warning: {note}");
        }
        let env_choice = global.env_choice();
        let from_files: Vec<(&Path, ApiBase)> = files
            .iter()
            .filter_map(|p| saved_api_base(p, identity).map(|b| (*p, b)))
            .collect();
        if global.demo && global.token_file.is_some() {
            eprintln!(
                "warning: --token-file is not used with --demo: the embedded sandbox's own admin token is."
            );
        }
        let (env, demo) = if global.demo {
            let config = SandboxConfig {
                answers: sandbox_answers(global)?,
                auto_approve: true,
                fedramp: env_choice == EnvChoice::Fedramp,
                state_file: Some(dirs.demo_sandbox()),
                ..SandboxConfig::default()
            };
            let sandbox = Sandbox::start(config, SocketAddr::from(([127, 0, 0, 1], 0)))
                .await
                .map_err(CliError::Sandbox)?;
            remember_base(&dirs, sandbox.base());
            (Environment::sandbox(sandbox.base().clone()), Some(sandbox))
        } else if let Some(base) = &global.api_base {
            let base =
                ApiBase::parse(base).map_err(|e| CliError::Usage(format!("--api-base: {e}")))?;
            remember_base(&dirs, &base);
            (Environment::custom(base), None)
        } else if global.env.is_none() && !from_files.is_empty() {
            (
                Environment::for_base(followed_base(&dirs, &from_files)?),
                None,
            )
        } else {
            match env_choice {
                EnvChoice::Fedramp => (Environment::fedramp(), None),
                EnvChoice::Commercial => (Environment::commercial(), None),
            }
        };
        for (path, base) in &from_files {
            if *base != env.base
                // Every --demo run's sandbox is the same service, whatever port it got.
                && !(global.demo && base.is_loopback())
            {
                eprintln!(
                    "warning: {} was saved for {base}; using {} ({}) as the options ask.",
                    path.display(),
                    env.base,
                    env.label()
                );
            }
        }
        let mut audit_log = crate::audit::AuditLog::for_session(
            crate::audit::path(global.audit_log.as_deref(), &dirs.state),
            &env,
        );
        audit_log.syslog = global
            .audit_syslog
            .as_deref()
            .map(crate::audit::syslog::Target::parse)
            .transpose()
            .map_err(|e| CliError::Usage(format!("--audit-syslog: {e}")))?;
        Ok(Context {
            env,
            timeouts,
            audit_log,
            dirs,
            network,
            token_file: global.token_file.clone(),
            demo,
            demo_fedramp: env_choice == EnvChoice::Fedramp,
            kept_login: std::sync::OnceLock::new(),
            policy: crate::policy::Policy::find(
                global.policy.as_deref(),
                crate::env::config_dir().as_deref(),
            )
            .map_err(|e| CliError::Usage(format!("--policy: {e}")))?,
        })
    }

    /// Append `entry` (with the environment and API base) to the audit trail. A line that can't
    /// be written is a warning, never a reason to lose anything else.
    pub fn audit(&self, entry: crate::audit::Entry) {
        if let Err(e) = self.audit_log.write(&self.env.base, entry) {
            eprintln!(
                "warning: the audit line could not be written to {}: {e}",
                self.audit_log.path.display()
            );
        }
    }

    /// Who the admin token belongs to (`/people/me`), for the audit line's actor; `None` when
    /// it can't be told (the action itself then reports what is wrong with the token).
    pub async fn actor(&self, client: &WebexClient) -> Option<crate::webex::people::Person> {
        let token = self.admin_token().ok()?;
        client
            .people_me(&token, crate::webex::Operation::CheckAdminToken)
            .await
            .ok()
    }

    /// `--token-file` was given.
    pub fn has_token_file(&self) -> bool {
        self.token_file.is_some()
    }

    /// Whether the `--demo` sandbox behaves as `FedRAMP`.
    pub fn sandbox_is_fedramp(&self) -> bool {
        self.demo_fedramp
    }

    /// The in-process sandbox of `--demo`.
    pub fn sandbox(&self) -> Option<&Sandbox> {
        self.demo.as_ref()
    }

    pub fn is_demo(&self) -> bool {
        self.demo.is_some()
    }

    /// The admin token: the sandbox's under `--demo`, else `--token-file`, else
    /// `$WEBEX_ADMIN_TOKEN`, else the one `webex-wizard login` kept in the OS keyring for this
    /// API base (an expired one is refused, never sent).
    pub fn admin_token(&self) -> Result<SecretString, CliError> {
        if let Some(sandbox) = &self.demo {
            return Ok(sandbox.admin_token().clone());
        }
        if let Some(path) = &self.token_file {
            return secret::read_secret_file(path).map_err(|source| CliError::ReadFile {
                path: path.clone(),
                source,
            });
        }
        if let Some(token) = secret::secret_from_env(ADMIN_TOKEN_VAR) {
            return Ok(token);
        }
        match self.kept_login() {
            Ok(Some(login)) if !login.is_expired(time::OffsetDateTime::now_utc()) => {
                tracing::info!(
                    api_base = %self.env.base,
                    person = %login.person,
                    expires = %crate::types::rfc3339(login.expires_at),
                    "admin token: the one kept in the OS keyring by webex-wizard login"
                );
                Ok(login.token.clone())
            }
            Ok(Some(login)) => Err(CliError::Usage(format!(
                "the admin token kept in the OS keyring for {} ({}) expired at {}; nothing was sent.\n  Sign in again with a fresh token from Control Hub: webex-wizard login",
                self.env.base,
                crate::text::visible(&login.person),
                crate::types::rfc3339(login.expires_at)
            ))),
            Ok(None) => Err(CliError::Usage(format!(
                "{NO_TOKEN}\n  Or sign in once: webex-wizard login (keeps it in the OS keyring)."
            ))),
            // No keyring here is usual (SSH, containers): only said at -v. One that is there
            // and refused (locked, no answer) is said, since a login may be waiting in it.
            Err(crate::signin::KeyringError::Unavailable(why)) => {
                tracing::info!(%why, "no admin token from the OS keyring");
                Err(CliError::Usage(NO_TOKEN.into()))
            }
            Err(e) => Err(CliError::Usage(format!(
                "{NO_TOKEN}\n  The OS keyring could not be read ({e}); unlock it to use the token `webex-wizard login` kept."
            ))),
        }
    }

    /// The login `webex-wizard login` kept for this API base (the keyring is asked once).
    pub fn kept_login(&self) -> &Result<Option<crate::signin::Login>, crate::signin::KeyringError> {
        self.kept_login
            .get_or_init(|| crate::signin::kept(self.env.base.as_str()))
    }

    /// Where the admin token comes from, in words, without reading it.
    pub fn token_source(&self) -> Option<&'static str> {
        if self.demo.is_some() {
            Some("the sandbox (--demo)")
        } else if self.token_file.is_some() {
            Some("--token-file")
        } else if secret::secret_from_env(ADMIN_TOKEN_VAR).is_some() {
            Some(ADMIN_TOKEN_VAR)
        } else {
            None
        }
    }

    pub fn client(&self) -> Result<WebexClient, CliError> {
        Ok(WebexClient::new(
            self.env.base.clone(),
            self.timeouts,
            &self.network,
        )?)
    }
}

/// Where the sandbox's answer profile may come from, besides `--sandbox-answers`.
pub const SANDBOX_ANSWERS_VAR: &str = "WEBEX_WIZARD_SANDBOX_ANSWERS";

/// The answers the embedded sandbox gives: `--sandbox-answers`, else
/// `$WEBEX_WIZARD_SANDBOX_ANSWERS`, else documented. Read only where a sandbox starts, so a
/// stale variable never stands in the way of a command against Webex.
pub fn sandbox_answers(global: &GlobalArgs) -> Result<crate::sandbox::Answers, CliError> {
    use clap::ValueEnum;
    if let Some(chosen) = global.sandbox_answers {
        return Ok(chosen);
    }
    match std::env::var(SANDBOX_ANSWERS_VAR) {
        Ok(v) if !v.trim().is_empty() => crate::sandbox::Answers::from_str(v.trim(), true)
            .map_err(|_| {
                CliError::Usage(format!(
                    "{SANDBOX_ANSWERS_VAR}={}: the sandbox's answers are 'documented' or 'observed'",
                    crate::text::visible(&v)
                ))
            }),
        _ => Ok(crate::sandbox::Answers::Documented),
    }
}

/// Record a base the user chose; failing to is a warning, never a reason to stop.
fn remember_base(dirs: &Dirs, base: &ApiBase) {
    if let Err(e) = crate::known_bases::remember(&dirs.state, base) {
        eprintln!("warning: could not record {base} as a base you chose: {e}");
    }
}

/// The one `apiBase` that `files` name, when a secret may go there without asking: they agree,
/// and it is Webex's or a base this user chose before. Otherwise a usage error that names the
/// host and what to do.
fn followed_base(dirs: &Dirs, files: &[(&Path, ApiBase)]) -> Result<ApiBase, CliError> {
    let (path, base) = &files[0];
    if let Some((other_path, other)) = files.iter().find(|(_, b)| b != base) {
        return Err(CliError::Usage(format!(
            "{} was saved for {base} and {} for {other}; a secret goes only to an API base you choose, so say which with --api-base URL (or --env)",
            crate::text::visible(&path.display().to_string()),
            crate::text::visible(&other_path.display().to_string()),
        )));
    }
    if !crate::known_bases::is_known(&dirs.state, base) {
        return Err(CliError::Usage(format!(
            "{} names the API base {base}, which is neither a Webex environment nor a base you chose on this machine, so nothing was sent there (a file can be written by anyone).\n  If you trust it, run the command again with --api-base {base} (remembered from then on); for Webex, add --env fedramp or --env commercial.",
            crate::text::visible(&path.display().to_string()),
        )));
    }
    Ok(base.clone())
}

/// The `apiBase` a credentials or tokens file was saved for, if it names a valid one.
pub fn saved_api_base(path: &Path, identity: Option<&Path>) -> Option<ApiBase> {
    if path == Path::new("-") {
        return None;
    }
    let text = match identity {
        Some(_) => crate::secrets::sealed::read_plain(path, identity).ok()?,
        None => crate::files::read_document(path, crate::platform::limits::DOCUMENT).ok()?,
    };
    let value: serde_json::Value = serde_json::from_slice(&text).ok()?;
    ApiBase::parse(value.get("apiBase")?.as_str()?).ok()
}
