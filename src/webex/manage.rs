//! Managing applications after creation (experimental endpoints, seen on commercial Webex):
//! list, read, update (PUT, the whole object), delete, and rotate the client secret.

use reqwest::Method;
use secrecy::SecretString;
use serde_json::Value;

use super::applications::{CreatedIntegration, keep_incomplete, read_secret_answer, unreadable};
use super::client::Body;
use super::{OneTime, Operation, Tracked, WebexClient, WebexError};

fn json_of(answer: &super::client::Answer) -> Result<Value, WebexError> {
    serde_json::from_slice(&answer.body).map_err(|e| WebexError::UnreadableAnswer {
        status: answer.status.as_u16(),
        detail: e.to_string(),
    })
}

/// The `items` of a list answer: required, so that an answer of another shape is reported
/// as unreadable instead of shown as an empty list.
pub(super) fn items_of(answer: &super::client::Answer) -> Result<Vec<Value>, WebexError> {
    match json_of(answer)? {
        Value::Object(mut map) => match map.remove("items") {
            Some(Value::Array(items)) => Ok(items),
            _ => Err(WebexError::UnreadableAnswer {
                status: answer.status.as_u16(),
                detail: "the answer has no items list".into(),
            }),
        },
        _ => Err(WebexError::UnreadableAnswer {
            status: answer.status.as_u16(),
            detail: "the answer is not a JSON object".into(),
        }),
    }
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
        items_of(&answer)
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

    /// Replace the application's fields with `body` (never a secret). What Webex answers to a
    /// PUT is not documented: the application as it now is when the answer is a JSON object,
    /// else (an empty 2xx, say) `body` as sent.
    pub async fn update_application(
        &self,
        token: &SecretString,
        id: &str,
        body: &Value,
    ) -> Result<Tracked<Value>, WebexError> {
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
        Ok(
            answer.tracked(match serde_json::from_slice::<Value>(&answer.body) {
                Ok(v @ Value::Object(_)) => v,
                _ => body.clone(),
            }),
        )
    }

    pub async fn delete_application(
        &self,
        token: &SecretString,
        id: &str,
    ) -> Result<Tracked<()>, WebexError> {
        self.send(
            Operation::ManageApplication,
            Method::DELETE,
            &path(id, ""),
            Some(token),
            Body::None,
        )
        .await
        .map(|answer| answer.tracked(()))
    }

    /// A new client secret for the same client ID; the old one stops working. `application`
    /// is the application as listed (its `id` is used): the answer need carry only
    /// `clientSecret`, and the rest comes from it. One that can't be read is kept raw by the
    /// caller.
    pub async fn rotate_secret(
        &self,
        token: &SecretString,
        application: &Value,
    ) -> Result<Tracked<CreatedIntegration>, WebexError> {
        let id = application["id"].as_str().unwrap_or_default();
        let answer = self
            .send(
                Operation::RotateSecret,
                Method::DELETE,
                &path(id, "/clientSecret"),
                Some(token),
                Body::None,
            )
            .await;
        let answer = keep_incomplete(answer, OneTime::Rotation)?;
        read_secret_answer(&answer.body, Some(application))
            .map(|i| answer.tracked(i))
            .map_err(|detail| unreadable(OneTime::Rotation, &answer, detail))
    }
}
