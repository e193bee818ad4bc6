//! `POST /applications`: create an integration.

use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::client::{Answer, Body, RawAnswer};
use super::{OneTime, Operation, WebexClient, WebexError};
use crate::integration::IntegrationDraft;

/// The integration Webex created, with its one-time client secret.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedIntegration {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::optional"
    )]
    pub id: Option<String>,
    pub client_id: String,
    #[serde(skip_serializing)]
    pub client_secret: SecretString,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::optional"
    )]
    pub name: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::optional"
    )]
    pub description: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        rename = "type",
        deserialize_with = "crate::lenient::optional"
    )]
    pub kind: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::optional"
    )]
    pub friendly_id: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::optional"
    )]
    pub org_id: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::optional"
    )]
    pub contact_email: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::optional"
    )]
    pub company_name: Option<String>,
    #[serde(default, deserialize_with = "crate::lenient::strings")]
    pub redirect_urls: Vec<String>,
    #[serde(default, deserialize_with = "crate::lenient::strings")]
    pub scopes: Vec<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::optional"
    )]
    pub is_native: Option<bool>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::optional"
    )]
    pub is_featured: Option<bool>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::optional"
    )]
    pub submission_status: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::optional"
    )]
    pub created_by: Option<String>,
    /// ISO 8601, as Webex sent it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::optional"
    )]
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
    /// [`WebexError::UnreadableSecretAnswer`], carrying what arrived: it may hold the one-time
    /// secret, and the caller keeps it (the front ends put it in a recovery file).
    pub async fn create_integration(
        &self,
        admin_token: &SecretString,
        draft: &IntegrationDraft,
    ) -> Result<super::Tracked<CreatedIntegration>, WebexError> {
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
        let answer = keep_incomplete(answer, OneTime::Integration)?;
        read_secret_answer(&answer.body, None)
            .map(|i| answer.tracked(i))
            .map_err(|detail| unreadable(OneTime::Integration, &answer, detail))
    }
}

/// A 2xx that broke off while it may carry something shown once (`what`): what arrived is
/// kept, as [`WebexError::UnreadableSecretAnswer`], for the caller to save.
pub(crate) fn keep_incomplete(
    result: Result<Answer, WebexError>,
    what: OneTime,
) -> Result<Answer, WebexError> {
    result.map_err(|e| match e {
        WebexError::IncompleteAnswer {
            status,
            detail,
            partial,
            ..
        } => WebexError::UnreadableSecretAnswer {
            what,
            status,
            detail: format!("the answer {detail}"),
            raw: partial,
        },
        other => other,
    })
}

/// A whole 2xx answer carrying something shown once that could not be read: kept raw.
pub(crate) fn unreadable(what: OneTime, answer: &Answer, detail: String) -> WebexError {
    WebexError::UnreadableSecretAnswer {
        what,
        status: answer.status.as_u16(),
        detail,
        raw: RawAnswer(answer.body.clone()),
    }
}

/// An answer that carries a client secret: a create's, or (with `application`, what the
/// command already knows of the application) a rotation's.
///
/// Required: `clientSecret`, and `clientId` unless `application` gives it (the only public
/// evidence of the rotation answer reads just `clientSecret`). Every other field is optional
/// and taken from the answer first, then from `application`; see docs/webex-answers.md.
pub fn read_secret_answer(
    body: &[u8],
    application: Option<&Value>,
) -> Result<CreatedIntegration, String> {
    let answer: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let Value::Object(answer) = answer else {
        return Err("the answer is not a JSON object".into());
    };
    let mut merged = match application {
        Some(Value::Object(known)) => known.clone(),
        _ => Map::new(),
    };
    // A secret the list or read answer carried must never stand in for the new one.
    merged.remove("clientSecret");
    // The answer's fields win where they say something: a `null` or empty one keeps what the
    // application already told.
    merged.extend(
        answer
            .into_iter()
            .filter(|(_, v)| !v.is_null() && v.as_str() != Some("")),
    );
    for key in ["clientId", "clientSecret"] {
        if !merged.get(key).is_some_and(Value::is_string) {
            // Never the value itself: a malformed secret is still a secret.
            return Err(format!("{key} is missing, empty or not text"));
        }
    }
    serde_json::from_value(Value::Object(merged))
        .map_err(|_| "its fields could not be read".to_owned())
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
