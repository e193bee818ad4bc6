//! `POST /applications`: create an integration.

use std::path::Path;

use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::client::Body;
use super::{Operation, WebexClient, WebexError};
use crate::env::ApiBase;

/// What the user asks for: the fields of the Applications API body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IntegrationDraft {
    pub name: String,
    pub description: String,
    pub contact_email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    pub redirect_urls: Vec<String>,
    pub scopes: Vec<String>,
}

/// The exact body Webex receives: `type` first, trimmed values, `companyName` only when given.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RequestBody<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'a str,
    description: &'a str,
    contact_email: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    company_name: Option<&'a str>,
    redirect_urls: Vec<&'a str>,
    scopes: &'a [String],
}

impl IntegrationDraft {
    fn request_body(&self) -> RequestBody<'_> {
        RequestBody {
            kind: "integration",
            name: self.name.trim(),
            description: self.description.trim(),
            contact_email: self.contact_email.trim(),
            company_name: self
                .company_name
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty()),
            redirect_urls: self.redirect_urls.iter().map(|u| u.trim()).collect(),
            scopes: &self.scopes,
        }
    }

    /// The JSON body, compact, as it is sent.
    pub fn to_request_json(&self) -> String {
        serde_json::to_string(&self.request_body()).expect("plain strings serialize")
    }

    /// The JSON body, indented for people.
    pub fn to_request_json_pretty(&self) -> String {
        serde_json::to_string_pretty(&self.request_body()).expect("plain strings serialize")
    }

    /// The JSON body as a value, for `--json` output.
    pub fn to_request_value(&self) -> Value {
        serde_json::to_value(self.request_body()).expect("plain strings serialize")
    }

    /// An equivalent cURL command; the token is written as `$WEBEX_ADMIN_TOKEN`, never its value.
    ///
    /// The body is the indented JSON: its line breaks fall between JSON tokens, never inside a
    /// string, so the command stays valid however it is copied line by line.
    pub fn curl_command(&self, base: &ApiBase) -> String {
        format!(
            "curl --request POST {} \\\n  --header \"Authorization: Bearer $WEBEX_ADMIN_TOKEN\" \\\n  --header 'Content-Type: application/json' \\\n  --data-raw {}",
            shell_quote(&base.join("/applications")),
            shell_quote(&self.to_request_json_pretty())
        )
    }
}

/// Single-quote a string for POSIX shells.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// A body in a `--from` file: every field optional, so flags can fill or override it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DraftFile {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub contact_email: Option<String>,
    pub company_name: Option<String>,
    pub redirect_urls: Option<Vec<String>>,
    pub scopes: Option<Vec<String>>,
}

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
    /// Create an integration. Any 2xx is success. If a 2xx answer cannot be read, its raw
    /// body is saved (0600) under `recovery_dir` so the one-time secret is never lost.
    pub async fn create_integration(
        &self,
        admin_token: &SecretString,
        draft: &IntegrationDraft,
        recovery_dir: &Path,
    ) -> Result<CreatedIntegration, WebexError> {
        let body = draft.to_request_json().into_bytes();
        let keep = |status: u16, detail: String, raw: bytes::Bytes| {
            // Whatever arrived of a 2xx may hold the one-time secret: keep it first.
            let saved_to = crate::files::save_recovery(recovery_dir, "create-answer", "txt", &raw)
                .map_err(|e| e.to_string());
            WebexError::UnreadableCreateAnswer {
                status,
                detail,
                saved_to,
                raw: super::client::RawAnswer(raw),
            }
        };
        let answer = match self
            .send(
                Operation::CreateIntegration,
                Method::POST,
                "/applications",
                Some(admin_token),
                Body::Json(body),
            )
            .await
        {
            Ok(answer) => answer,
            Err(WebexError::IncompleteAnswer {
                status,
                detail,
                partial,
                ..
            }) => return Err(keep(status, format!("the answer {detail}"), partial.0)),
            Err(e) => return Err(e),
        };
        match serde_json::from_slice::<CreatedIntegration>(&answer.body) {
            Ok(created)
                if !created.client_id.is_empty()
                    && !created.client_secret.expose_secret().is_empty() =>
            {
                Ok(created)
            }
            result => {
                let detail = match result {
                    Err(e) => e.to_string(),
                    Ok(_) => "clientId or clientSecret is empty".into(),
                };
                Err(keep(answer.status.as_u16(), detail, answer.body))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_body_is_exactly_the_documented_json() {
        let draft = IntegrationDraft {
            name: " My Admin Integration ".into(),
            description: "A brief description of the app".into(),
            contact_email: "myEmail@example.com".into(),
            company_name: Some("My Company".into()),
            redirect_urls: vec!["https://my-application.example.com/".into()],
            scopes: vec!["audit:events_read".into()],
        };
        assert_eq!(
            draft.to_request_json(),
            r#"{"type":"integration","name":"My Admin Integration","description":"A brief description of the app","contactEmail":"myEmail@example.com","companyName":"My Company","redirectUrls":["https://my-application.example.com/"],"scopes":["audit:events_read"]}"#
        );
        let no_company = IntegrationDraft {
            company_name: Some("  ".into()),
            ..draft
        };
        assert!(!no_company.to_request_json().contains("companyName"));
    }

    #[test]
    fn curl_quotes_single_quotes_and_never_holds_a_token() {
        let draft = IntegrationDraft {
            name: "Bob's app".into(),
            ..Default::default()
        };
        let base = ApiBase::parse("https://api-usgov.webex.com/v1").unwrap();
        let curl = draft.curl_command(&base);
        assert!(
            curl.contains(r#""Authorization: Bearer $WEBEX_ADMIN_TOKEN""#),
            "{curl}"
        );
        assert!(curl.contains(r#"Bob'\''s app"#), "{curl}");
        assert!(
            curl.starts_with("curl --request POST 'https://api-usgov.webex.com/v1/applications'")
        );
    }

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
