//! The tokens the token endpoint issued, as JSON and in words for people.

use crate::types::rfc3339;
use std::time::Duration;

use oauth2::TokenResponse;
use oauth2::basic::BasicTokenType;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::WebexTokenResponse;

/// Tokens from the token endpoint.
#[derive(Clone)]
pub struct Tokens {
    pub access_token: SecretString,
    pub expires_in: Option<Duration>,
    pub refresh_token: Option<SecretString>,
    pub refresh_token_expires_in: Option<Duration>,
    pub token_type: String,
    pub scopes: Vec<String>,
    pub obtained_at: OffsetDateTime,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("expires_in", &self.expires_in)
            .field("refresh_token_expires_in", &self.refresh_token_expires_in)
            .field("token_type", &self.token_type)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

/// The value of the `format` key of a tokens file.
pub const TOKENS_FORMAT: &str = "webex-wizard.tokens.v1";

impl Tokens {
    pub(super) fn from_response(response: &WebexTokenResponse) -> Self {
        Tokens {
            access_token: SecretString::from(response.access_token().secret().clone()),
            expires_in: response.expires_in(),
            refresh_token: response
                .refresh_token()
                .map(|r| SecretString::from(r.secret().clone())),
            refresh_token_expires_in: response
                .extra_fields()
                .refresh_token_expires_in
                .map(Duration::from_secs),
            token_type: match response.token_type() {
                BasicTokenType::Bearer => "Bearer".into(),
                BasicTokenType::Mac => "MAC".into(),
                BasicTokenType::Extension(other) => other.clone(),
            },
            scopes: response
                .scopes()
                .map(|s| s.iter().map(|s| s.to_string()).collect())
                .unwrap_or_default(),
            obtained_at: OffsetDateTime::now_utc(),
        }
    }

    pub fn expires_at(&self) -> Option<OffsetDateTime> {
        self.expires_in.map(|d| later_by(self.obtained_at, d))
    }

    pub fn refresh_expires_at(&self) -> Option<OffsetDateTime> {
        self.refresh_token_expires_in
            .map(|d| later_by(self.obtained_at, d))
    }

    /// The file `--save` writes: tokens, their expiry as seconds and as dates, and for what.
    pub fn to_json_exposing_secrets(&self, api_base: &str, client_id: &str) -> Value {
        let mut value = json!({
            "format": TOKENS_FORMAT,
            "apiBase": api_base,
            "clientId": client_id,
            "tokenType": self.token_type,
            "accessToken": self.access_token.expose_secret(),
            "scope": self.scopes.join(" "),
            "obtainedAt": rfc3339(self.obtained_at),
        });
        let map = value.as_object_mut().expect("an object");
        if let Some(d) = self.expires_in {
            map.insert("expiresIn".into(), d.as_secs().into());
        }
        if let Some(t) = self.expires_at() {
            map.insert("expiresAt".into(), rfc3339(t).into());
        }
        if let Some(r) = &self.refresh_token {
            map.insert("refreshToken".into(), r.expose_secret().into());
        }
        if let Some(d) = self.refresh_token_expires_in {
            map.insert("refreshTokenExpiresIn".into(), d.as_secs().into());
        }
        if let Some(t) = self.refresh_expires_at() {
            map.insert("refreshTokenExpiresAt".into(), rfc3339(t).into());
        }
        value
    }

    /// Lines for people: type, scopes and expiries, never a token.
    pub fn summary(&self) -> Vec<String> {
        let mut lines = vec![format!("Token type:     {}", self.token_type)];
        lines.push(format!(
            "Access token:   expires {}",
            expiry_words(self.expires_at(), self.expires_in)
        ));
        match &self.refresh_token {
            Some(_) => lines.push(format!(
                "Refresh token:  expires {}",
                expiry_words(self.refresh_expires_at(), self.refresh_token_expires_in)
            )),
            None => lines.push("Refresh token:  none returned".into()),
        }
        lines.push(format!(
            "Scopes:         {}",
            if self.scopes.is_empty() {
                "(not listed in the answer)".to_owned()
            } else {
                self.scopes.join(" ")
            }
        ));
        lines
    }
}

/// "2026-12-08 14:03 UTC (in 14 days)", or "at an unknown time".
pub fn expiry_words(at: Option<OffsetDateTime>, within: Option<Duration>) -> String {
    match (at, within) {
        (Some(at), Some(d)) => {
            let format =
                time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
            format!(
                "{} ({})",
                at.format(&format).unwrap_or_else(|_| at.to_string()),
                in_words(d)
            )
        }
        _ => "at a time Webex did not say".into(),
    }
}

/// `t + d`, held at the last instant `time` knows (year 9999) when an answer's lifetime
/// reaches past it: the tokens were issued, so a silly `expires_in` must not lose them.
pub fn later_by(t: OffsetDateTime, d: Duration) -> OffsetDateTime {
    t.checked_add(time::Duration::try_from(d).unwrap_or(time::Duration::MAX))
        .unwrap_or_else(|| time::PrimitiveDateTime::MAX.assume_utc())
}

/// "in 14 days", "in 5 hours", "in 3 minutes".
pub fn in_words(d: Duration) -> String {
    let s = d.as_secs();
    // Rounded to the nearest unit: a token issued a second ago still lasts "14 days".
    let (unit, name) = if s >= 2 * 86_400 {
        (86_400, "days")
    } else if s >= 2 * 3_600 {
        (3_600, "hours")
    } else if s >= 120 {
        (60, "minutes")
    } else {
        (1, "seconds")
    };
    format!("in {} {name}", s.saturating_add(unit / 2) / unit)
}
