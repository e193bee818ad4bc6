//! Refreshing a saved tokens file, for both front ends: `refresh --due`, and proving a rotated
//! secret (`rotate-secret` and the wizard's rotation). The new tokens are kept in a 0600
//! recovery copy before the file is touched; then the file is replaced atomically (0600); one
//! audit line per refresh.

use std::path::PathBuf;

use time::OffsetDateTime;

use crate::audit::AuditLog;
use crate::credentials::SavedCredentials;
use crate::env::Dirs;
use crate::files::{LoadError, SaveError};
use crate::token_radar::{SavedTokens, scan};
use crate::webex::{WebexClient, WebexError};

/// Why a refresh did not replace the file (the old file is then untouched).
#[derive(Debug, thiserror::Error)]
pub enum RefreshFailure {
    #[error("{0}")]
    Read(#[from] LoadError),
    /// Webex refused or could not be reached; an answer that can't be read is kept raw.
    #[error("{0}")]
    Webex(WebexError),
    /// The new tokens are in their recovery copy (it says where), not in the file.
    #[error("the new tokens could not be written ({0}); they are kept in the recovery folder")]
    NotWritten(SaveError),
}

/// Refresh the tokens file `s` with the client ID and secret of `saved`, through `client`.
pub async fn refresh_file(
    client: &WebexClient,
    dirs: &Dirs,
    log: &AuditLog,
    s: &SavedTokens,
    saved: &SavedCredentials,
) -> Result<(), RefreshFailure> {
    let (token, scopes, source) = crate::secret::read_token_file(&s.path, "refreshToken")?;
    let creds = crate::oauth::ClientCredentials {
        client_id: saved.integration.client_id.clone(),
        client_secret: saved.integration.client_secret.clone(),
    };
    let result = crate::oauth::refresh(client, &creds, &token, &scopes, source).await;
    let entry = crate::audit::Entry::new("refresh")
        .application(
            None,
            Some(&creds.client_id),
            saved.integration.name.as_deref(),
        )
        .outcome(&result);
    let write = |entry| {
        if let Err(e) = log.write(client.base(), entry) {
            tracing::warn!(error = %e, "the audit line could not be written");
        }
    };
    let tokens = match result {
        Ok(t) => t.value,
        Err(e) => {
            write(entry);
            return Err(RefreshFailure::Webex(
                crate::secrets::delivery::keep_raw_answer(&dirs.recovery(), e),
            ));
        }
    };
    let bytes =
        crate::credentials::tokens_file_bytes(&tokens, client.base().as_str(), &creds.client_id);
    // New tokens are kept before the file is touched; only then is the old file replaced, at
    // once and never half. The recovery copy goes once the file holds them.
    let kept = crate::secrets::delivery::keep_on_arrival(
        &dirs.recovery(),
        crate::webex::OneTime::Tokens,
        &bytes,
    );
    let written = crate::files::replace_private(&s.path, &bytes);
    if let (Ok(()), Ok(copy)) = (&written, &kept) {
        let _ = std::fs::remove_file(copy);
    }
    write(match &written {
        Ok(()) => entry,
        Err(_) => entry.failed_locally("not-written"),
    });
    written.map_err(RefreshFailure::NotWritten)
}

/// What proving a new secret found.
#[derive(Debug)]
pub enum Proof {
    /// Webex refreshed this tokens file with the new secret.
    Works(PathBuf),
    /// Refreshing this file with the new secret failed (the secret stays kept).
    Failed(PathBuf, String),
    /// No saved refresh token of this client to try it with.
    NoTokens,
}

impl Proof {
    /// The sentence to show.
    pub fn words(&self) -> String {
        match self {
            Proof::Works(p) => format!("The new secret works: Webex refreshed {} with it.", p.display()),
            Proof::Failed(p, why) => format!(
                "The new secret is kept, but refreshing {} with it failed: {why}",
                p.display()
            ),
            Proof::NoTokens => "No saved refresh token of this client to prove the new secret with: authorizing with it checks it.".into(),
        }
    }
}

/// After a rotation, once the new secret is kept: refresh the newest saved refresh token of its
/// client with it.
pub async fn prove_new_secret(
    client: &WebexClient,
    dirs: &Dirs,
    log: &AuditLog,
    saved: &SavedCredentials,
) -> Proof {
    let now = OffsetDateTime::now_utc();
    let newest = scan(dirs, &[dirs.tokens()], &[], now, crate::token_radar::soon())
        .into_iter()
        .filter(|s| {
            s.client_id == saved.integration.client_id && s.has_refresh_token && s.status.is_alive()
        })
        .max_by_key(|s| s.refresh_expires);
    let Some(s) = newest else {
        return Proof::NoTokens;
    };
    match refresh_file(client, dirs, log, &s, saved).await {
        Ok(()) => Proof::Works(s.path),
        Err(e) => Proof::Failed(s.path, e.to_string()),
    }
}
