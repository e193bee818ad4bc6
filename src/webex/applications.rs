//! `POST /applications`: create an integration.

use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::client::Body;
use super::{Operation, WebexClient, WebexError};
use crate::integration::IntegrationDraft;

/// The integration Webex created, with its one-time client secret.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedIntegration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub client_id: String,
    #[serde(skip_serializing)]
    pub client_secret: SecretString,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "type")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub friendly_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    #[serde(default)]
    pub redirect_urls: Vec<String>,
    #[serde(default)]
    pub scopes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_native: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_featured: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submission_status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    /// ISO 8601, as Webex sent it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// Fields Webex added that we do not know yet; kept so nothing is lost.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl CreatedIntegration {
    /// The whole answer as JSON, client secret included: only for showing or saving it.
    pub fn to_json_exposing_secret(&self) -> Value {
        let mut value = serde_json::to_value(self).expect("plain fields serialize");
        if let Value::Object(map) = &mut value {
            map.insert(
                "clientSecret".into(),
                Value::String(self.client_secret.expose_secret().to_owned()),
            );
        }
        value
    }
}

impl WebexClient {
    /// Create an integration. Any 2xx is success. A 2xx whose answer can't be read whole is
    /// [`WebexError::CreatedButUnreadable`], carrying what arrived: it may hold the one-time
    /// secret, and the caller keeps it (the front ends put it in a recovery file).
    pub async fn create_integration(
        &self,
        admin_token: &SecretString,
        draft: &IntegrationDraft,
    ) -> Result<CreatedIntegration, WebexError> {
        let body = draft.to_request_json().into_bytes();
        let answer = self
            .send(
                Operation::CreateIntegration,
                Method::POST,
                "/applications",
                Some(admin_token),
                Body::Json(body),
            )
            .await;
        read_secret_answer(keep_incomplete(answer)?)
    }
}

/// A 2xx that broke off while it may carry a one-time secret: what arrived is kept, as
/// [`WebexError::CreatedButUnreadable`], for the caller to save.
pub(super) fn keep_incomplete(
    result: Result<super::client::Answer, WebexError>,
) -> Result<super::client::Answer, WebexError> {
    result.map_err(|e| match e {
        WebexError::IncompleteAnswer {
            status,
            detail,
            partial,
            ..
        } => WebexError::CreatedButUnreadable {
            status,
            detail: format!("the answer {detail}"),
            raw: partial,
        },
        other => other,
    })
}

/// An answer that carries a one-time client secret (create, rotation). One that can't be read
/// is [`WebexError::CreatedButUnreadable`] with the raw bytes, for the caller to keep.
pub(super) fn read_secret_answer(
    answer: super::client::Answer,
) -> Result<CreatedIntegration, WebexError> {
    match serde_json::from_slice::<CreatedIntegration>(&answer.body) {
        Ok(created)
            if !created.client_id.is_empty()
                && !created.client_secret.expose_secret().is_empty() =>
        {
            Ok(created)
        }
        result => Err(WebexError::CreatedButUnreadable {
            status: answer.status.as_u16(),
            detail: match result {
                Err(e) => e.to_string(),
                Ok(_) => "clientId or clientSecret is empty".into(),
            },
            raw: super::client::RawAnswer(answer.body),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_integration_keeps_unknown_fields_and_hides_the_secret() {
        let raw = r#"{"id":"A1","clientId":"C1","clientSecret":"S3CRET","scopes":["a:b"],"futureField":42}"#;
        let created: CreatedIntegration = serde_json::from_str(raw).unwrap();
        assert!(!format!("{created:?}").contains("S3CRET"));
        assert!(!serde_json::to_string(&created).unwrap().contains("S3CRET"));
        let full = created.to_json_exposing_secret();
        assert_eq!(full["clientSecret"], "S3CRET");
        assert_eq!(full["futureField"], 42);
    }
}
