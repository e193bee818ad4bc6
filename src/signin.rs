//! Signing in once: the Control Hub admin token kept in the OS keyring, one entry per API base,
//! with whose it is and when it expires kept beside it. Every command and the wizard use it when
//! neither `WEBEX_ADMIN_TOKEN` nor `--token-file` is given; an expired one is reported, never
//! sent. Nothing here ever writes the token to a file: with no keyring, signing in is refused.

use secrecy::zeroize::Zeroizing;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

pub use crate::platform::keyring::KeyringError;

/// The keyring service every webex-wizard entry is filed under.
pub const SERVICE: &str = "webex-wizard";
/// What the entry's JSON says it is.
const FORMAT: &str = "webex-wizard.admin-login.v1";
/// Control Hub admin tokens last at most this long: the expiry when Webex doesn't say.
pub const MAX_LIFETIME: time::Duration = time::Duration::hours(12);

/// A signed-in admin: the token, whose it is, and until when it works.
#[derive(Debug, Clone)]
pub struct Login {
    pub api_base: String,
    pub token: SecretString,
    pub expires_at: OffsetDateTime,
    /// Webex said when it expires; otherwise it is the 12-hour upper bound from sign-in.
    pub expiry_known: bool,
    /// "Display Name <email>".
    pub person: String,
    pub person_id: String,
    pub email: Option<String>,
    pub org_id: Option<String>,
    pub saved_at: OffsetDateTime,
}

impl Login {
    /// Whose token it is, as the audit trail's actor.
    pub fn actor(&self) -> crate::webex::people::Person {
        crate::webex::people::Person {
            id: self.person_id.clone(),
            emails: self.email.iter().cloned().collect(),
            display_name: None,
            org_id: self.org_id.clone(),
        }
    }

    pub fn is_expired(&self, now: OffsetDateTime) -> bool {
        now >= self.expires_at
    }
}

/// The JSON kept in the keyring (the token with what `status` shows without a request).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Kept {
    format: String,
    api_base: String,
    token: String,
    #[serde(with = "time::serde::rfc3339")]
    expires_at: OffsetDateTime,
    expiry_known: bool,
    person: String,
    person_id: String,
    #[serde(default)]
    email: Option<String>,
    org_id: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    saved_at: OffsetDateTime,
}

/// The keyring account for an API base: `admin-token https://api-usgov.webex.com/v1`.
pub fn account(api_base: &str) -> String {
    format!("admin-token {api_base}")
}

/// Keep `login` in the keyring, replacing the one for its API base.
pub fn keep(login: &Login) -> Result<(), KeyringError> {
    let kept = Kept {
        format: FORMAT.into(),
        api_base: login.api_base.clone(),
        token: login.token.expose_secret().to_owned(),
        expires_at: login.expires_at,
        expiry_known: login.expiry_known,
        person: login.person.clone(),
        person_id: login.person_id.clone(),
        email: login.email.clone(),
        org_id: login.org_id.clone(),
        saved_at: login.saved_at,
    };
    let bytes = Zeroizing::new(serde_json::to_vec(&kept).unwrap_or_default());
    drop(Zeroizing::new(kept.token));
    crate::platform::keyring::set(SERVICE, &account(&login.api_base), bytes.to_vec())
}

/// The login kept for `api_base`, if any.
pub fn kept(api_base: &str) -> Result<Option<Login>, KeyringError> {
    let Some(bytes) = crate::platform::keyring::get(SERVICE, &account(api_base))? else {
        return Ok(None);
    };
    let bytes = Zeroizing::new(bytes);
    let kept: Kept = serde_json::from_slice(&bytes)
        .ok()
        .filter(|k: &Kept| k.format == FORMAT && k.api_base == api_base)
        .ok_or_else(|| {
            KeyringError::Failed(format!(
                "the keyring entry for {api_base} is not one webex-wizard wrote; remove it with `webex-wizard logout` and sign in again"
            ))
        })?;
    let token = SecretString::from(kept.token);
    Ok(Some(Login {
        api_base: kept.api_base,
        token,
        expires_at: kept.expires_at,
        expiry_known: kept.expiry_known,
        person: kept.person,
        person_id: kept.person_id,
        email: kept.email,
        org_id: kept.org_id,
        saved_at: kept.saved_at,
    }))
}

/// Remove the login for `api_base`; `false` when there was none.
pub fn forget(api_base: &str) -> Result<bool, KeyringError> {
    crate::platform::keyring::delete(SERVICE, &account(api_base))
}

/// Whether a keyring can be used here, and its backend's name (for `doctor`).
pub fn keyring_status() -> (&'static str, Result<(), KeyringError>) {
    (
        crate::platform::keyring::backend(),
        crate::platform::keyring::probe(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_named_for_its_api_base() {
        assert_eq!(
            account("https://api-usgov.webex.com/v1"),
            "admin-token https://api-usgov.webex.com/v1"
        );
    }

    #[test]
    fn a_login_is_expired_from_its_expiry_on() {
        let now = OffsetDateTime::now_utc();
        let login = Login {
            api_base: "https://api-usgov.webex.com/v1".into(),
            token: SecretString::from("t"),
            expires_at: now,
            expiry_known: false,
            person: "A <a@example.gov>".into(),
            person_id: "p".into(),
            email: None,
            org_id: None,
            saved_at: now - MAX_LIFETIME,
        };
        assert!(login.is_expired(now));
        assert!(!login.is_expired(now - time::Duration::seconds(1)));
        // Its Debug never shows the token.
        assert!(!format!("{login:?}").contains("token: \"t\""));
    }
}
