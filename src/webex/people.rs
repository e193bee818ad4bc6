//! `GET /people/me`: who a token belongs to.

use reqwest::Method;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use super::{Operation, WebexClient, WebexError};

/// The person a token belongs to. Only `id` is required (People API); see docs/webex-answers.md.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    pub id: String,
    #[serde(default, deserialize_with = "crate::lenient::strings")]
    pub emails: Vec<String>,
    #[serde(default, deserialize_with = "crate::lenient::optional")]
    pub display_name: Option<String>,
    #[serde(default, deserialize_with = "crate::lenient::optional")]
    pub org_id: Option<String>,
}

impl Person {
    /// "Display Name <email>", or whatever of it is known.
    pub fn describe(&self) -> String {
        match (&self.display_name, self.emails.first()) {
            (Some(n), Some(e)) => format!("{n} <{e}>"),
            (Some(n), None) => n.clone(),
            (None, Some(e)) => e.clone(),
            (None, None) => self.id.clone(),
        }
    }
}

impl WebexClient {
    /// Check a token by asking who it belongs to.
    pub async fn people_me(
        &self,
        token: &SecretString,
        operation: Operation,
    ) -> Result<Person, WebexError> {
        let answer = self
            .send(
                operation,
                Method::GET,
                "/people/me",
                Some(token),
                super::client::Body::None,
            )
            .await?;
        serde_json::from_slice(&answer.body).map_err(|e| WebexError::UnreadableAnswer {
            status: answer.status.as_u16(),
            detail: e.to_string(),
        })
    }
}
