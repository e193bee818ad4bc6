//! Authorizations (admin API): a user's grants to integrations, listed and revoked.

use reqwest::Method;
use secrecy::SecretString;
use serde_json::Value;

use super::client::Body;
use super::manage::items_of;
use super::{Operation, WebexClient, WebexError};

impl WebexClient {
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
        items_of(&answer)
    }

    /// Revoke one authorization, or every authorization of a client (in an organization).
    pub async fn revoke_authorizations(
        &self,
        token: &SecretString,
        target: &RevokeTarget,
    ) -> Result<super::Tracked<()>, WebexError> {
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
        .map(|answer| answer.tracked(()))
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
