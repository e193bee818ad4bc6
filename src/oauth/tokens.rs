//! The tokens the token endpoint issued, as JSON and in words for people.

pub use crate::types::ScopeSource;
use crate::types::rfc3339;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde_json::{Map, Value, json};
use time::OffsetDateTime;

/// Tokens from the token endpoint.
#[derive(Clone)]
pub struct Tokens {
    pub access_token: SecretString,
    pub expires_in: Option<Duration>,
    pub refresh_token: Option<SecretString>,
    pub refresh_token_expires_in: Option<Duration>,
    pub token_type: String,
    pub scopes: Vec<String>,
    /// Whether `scopes` were listed by Webex or are the ones requested (the answer had none).
    pub scope_source: ScopeSource,
    pub obtained_at: OffsetDateTime,
}

/// What people are told when the scopes are the requested ones.
pub const AS_REQUESTED: &str = "as requested; Webex did not list the granted scopes";

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
    /// Read a token answer (authorization code or refresh grant). Only `access_token` is
    /// required; Webex documents `expires_in`, `refresh_token` and `refresh_token_expires_in`
    /// too, and neither `token_type` (absent: Bearer) nor `scope` (absent: `requested`, RFC 6749
    /// section 5.1). Unknown fields are ignored; lifetimes may be numbers or digit strings. See
    /// docs/webex-answers.md.
    pub fn read(body: &[u8], requested: &[String]) -> Result<Tokens, String> {
        let value: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
        let Value::Object(answer) = value else {
            return Err("the answer is not a JSON object".into());
        };
        let text = |key: &str| {
            answer
                .get(key)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
        };
        let access_token = text("access_token")
            .ok_or("it has no access_token")?
            .to_owned();
        let scope = text("scope").map(|s| {
            s.split_whitespace()
                .map(str::to_owned)
                .collect::<Vec<String>>()
        });
        let (scopes, scope_source) = match scope {
            Some(listed) if !listed.is_empty() => (listed, ScopeSource::Granted),
            _ if requested.is_empty() => (Vec::new(), ScopeSource::Unknown),
            _ => (requested.to_vec(), ScopeSource::Requested),
        };
        Ok(Tokens {
            access_token: SecretString::from(access_token),
            expires_in: seconds(&answer, "expires_in"),
            refresh_token: text("refresh_token").map(|r| SecretString::from(r.to_owned())),
            refresh_token_expires_in: seconds(&answer, "refresh_token_expires_in"),
            token_type: text("token_type").unwrap_or("Bearer").to_owned(),
            scopes,
            scope_source,
            obtained_at: OffsetDateTime::now_utc(),
        })
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
            "scopeSource": self.scope_source.as_str(),
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
        lines.push(format!("Scopes:         {}", self.scopes_in_words()));
        lines
    }
}

impl Tokens {
    /// What people are told about where the scopes come from, unless Webex listed them.
    pub fn scope_note(&self) -> Option<&'static str> {
        match self.scope_source {
            ScopeSource::Granted => None,
            ScopeSource::Requested => Some(AS_REQUESTED),
            ScopeSource::Unknown => Some(NOT_KNOWN),
        }
    }

    /// The scopes for people, saying when they are not the ones Webex listed.
    pub fn scopes_in_words(&self) -> String {
        match self.scope_note() {
            None => self.scopes.join(" "),
            Some(note) if self.scopes.is_empty() => format!("({note})"),
            Some(note) => format!("{} ({note})", self.scopes.join(" ")),
        }
    }
}

/// What people are told when neither Webex nor the request said which scopes a token has.
pub const NOT_KNOWN: &str = "Webex did not list the scopes, and none were known from a tokens file: pass --scope to test-scopes";

/// A lifetime in seconds: a whole number, or one written as digits (anything else: unknown).
fn seconds(answer: &Map<String, Value>, key: &str) -> Option<Duration> {
    let value = answer.get(key)?;
    value
        .as_u64()
        .or_else(|| value.as_str()?.trim().parse().ok())
        .map(Duration::from_secs)
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
