//! Managing applications after creation (experimental endpoints, seen on commercial Webex):
//! list, read, update (PUT, the whole object), delete, and rotate the client secret.

use reqwest::Method;
use secrecy::SecretString;
use serde_json::Value;

use super::applications::{CreatedIntegration, keep_incomplete, read_secret_answer};
use super::client::Body;
use super::{Operation, WebexClient, WebexError};

fn json_of(answer: &super::client::Answer) -> Result<Value, WebexError> {
    serde_json::from_slice(&answer.body).map_err(|e| WebexError::UnreadableAnswer {
        status: answer.status.as_u16(),
        detail: e.to_string(),
    })
}

/// `/applications/{id}` with the ID made safe for a path.
fn path(id: &str, tail: &str) -> String {
    let id: String = url::form_urlencoded::byte_serialize(id.as_bytes()).collect();
    format!("/applications/{id}{tail}")
}

impl WebexClient {
    /// Every application this admin can see (`items` of `GET /applications`).
    pub async fn list_applications(&self, token: &SecretString) -> Result<Vec<Value>, WebexError> {
        let answer = self
            .send(
                Operation::ManageApplication,
                Method::GET,
                "/applications",
                Some(token),
                Body::None,
            )
            .await?;
        let value = json_of(&answer)?;
        Ok(value["items"].as_array().cloned().unwrap_or_default())
    }

    pub async fn get_application(
        &self,
        token: &SecretString,
        id: &str,
    ) -> Result<Value, WebexError> {
        let answer = self
            .send(
                Operation::ManageApplication,
                Method::GET,
                &path(id, ""),
                Some(token),
                Body::None,
            )
            .await?;
        json_of(&answer)
    }

    /// Replace the application's fields with `body` (never a secret).
    pub async fn update_application(
        &self,
        token: &SecretString,
        id: &str,
        body: &Value,
    ) -> Result<Value, WebexError> {
        let bytes = serde_json::to_vec(body).expect("JSON values serialize");
        let answer = self
            .send(
                Operation::ManageApplication,
                Method::PUT,
                &path(id, ""),
                Some(token),
                Body::Json(bytes),
            )
            .await?;
        json_of(&answer)
    }

    pub async fn delete_application(
        &self,
        token: &SecretString,
        id: &str,
    ) -> Result<(), WebexError> {
        self.send(
            Operation::ManageApplication,
            Method::DELETE,
            &path(id, ""),
            Some(token),
            Body::None,
        )
        .await
        .map(|_| ())
    }

    /// A new client secret for the same client ID; the old one stops working. The answer is
    /// read like a create's: one that can't be read is kept raw by the caller.
    pub async fn rotate_secret(
        &self,
        token: &SecretString,
        id: &str,
    ) -> Result<CreatedIntegration, WebexError> {
        let answer = self
            .send(
                Operation::RotateSecret,
                Method::DELETE,
                &path(id, "/clientSecret"),
                Some(token),
                Body::None,
            )
            .await;
        read_secret_answer(keep_incomplete(answer)?)
    }

    /// Create a bot. A 2xx whose answer can't be read (or has no `botToken`) is
    /// [`WebexError::CreatedButUnreadable`] with what arrived, for the caller to keep.
    pub async fn create_bot(
        &self,
        token: &SecretString,
        draft: &crate::bot::BotDraft,
    ) -> Result<crate::bot::CreatedBot, WebexError> {
        let (content_type, bytes) = draft.request();
        let answer = keep_incomplete(
            self.send(
                Operation::CreateBot,
                Method::POST,
                "/applications",
                Some(token),
                Body::Encoded {
                    content_type,
                    bytes,
                },
            )
            .await,
        )?;
        match serde_json::from_slice::<crate::bot::CreatedBot>(&answer.body) {
            Ok(bot) if !secrecy::ExposeSecret::expose_secret(&bot.bot_token).is_empty() => Ok(bot),
            result => Err(WebexError::CreatedButUnreadable {
                status: answer.status.as_u16(),
                detail: match result {
                    Err(e) => e.to_string(),
                    Ok(_) => "botToken is empty".into(),
                },
                raw: super::client::RawAnswer(answer.body),
            }),
        }
    }

    /// A user's authorizations: `GET /authorizations?personEmail=` (or `personId=`).
    pub async fn list_authorizations(
        &self,
        token: &SecretString,
        key: &str,
        value: &str,
    ) -> Result<Vec<Value>, WebexError> {
        let query: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair(key, value)
            .finish();
        let answer = self
            .send(
                Operation::ManageAuthorizations,
                Method::GET,
                &format!("/authorizations?{query}"),
                Some(token),
                Body::None,
            )
            .await?;
        Ok(json_of(&answer)?["items"]
            .as_array()
            .cloned()
            .unwrap_or_default())
    }

    /// Revoke one authorization, or every authorization of a client (in an organization).
    pub async fn revoke_authorizations(
        &self,
        token: &SecretString,
        target: &RevokeTarget,
    ) -> Result<(), WebexError> {
        let path = match target {
            RevokeTarget::Id(id) => {
                let id: String = url::form_urlencoded::byte_serialize(id.as_bytes()).collect();
                format!("/authorizations/{id}")
            }
            RevokeTarget::Client { client_id, org_id } => {
                let mut q = url::form_urlencoded::Serializer::new(String::new());
                q.append_pair("clientId", client_id);
                if let Some(org) = org_id {
                    q.append_pair("orgId", org);
                }
                format!("/authorizations?{}", q.finish())
            }
        };
        self.send(
            Operation::ManageAuthorizations,
            Method::DELETE,
            &path,
            Some(token),
            Body::None,
        )
        .await
        .map(|_| ())
    }
}

/// What `authorizations revoke` revokes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevokeTarget {
    Id(String),
    Client {
        client_id: String,
        org_id: Option<String>,
    },
}
