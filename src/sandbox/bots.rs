//! `POST /v1/applications` for a bot, strictly: JSON with an avatar URL (`logo`), or
//! `multipart/form-data` with the image as the `logo` part. The answer carries a `botToken`
//! that then opens `/people/me` as the bot.

use std::collections::HashMap;

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::{Answers, App, Shared, State, lock, ok_json, random_hex, webex_error, webex_id};
use crate::bot::{AVATAR_MAX_BYTES, check_avatar_url, check_bot_email, image_type};
use crate::validate;

/// The fields of a bot, from either encoding; `logo` is a URL or (multipart) a description
/// of the uploaded image.
fn problems(fields: &HashMap<String, String>, logo_file: Option<&[u8]>) -> Vec<String> {
    let mut out = Vec::new();
    let mut need = |key: &str, check: fn(&str) -> Result<(), String>| match fields.get(key) {
        Some(v) if !v.trim().is_empty() => {
            if let Err(e) = check(v) {
                out.push(format!("{key}: {e}."));
            }
        }
        _ => out.push(format!("{key} is required and must not be blank.")),
    };
    need("name", validate::check_name);
    need("botEmail", check_bot_email);
    need("description", validate::check_description);
    match (fields.get("logo"), logo_file) {
        (_, Some(bytes)) if bytes.len() > AVATAR_MAX_BYTES => {
            out.push("logo: the image is too large.".into());
        }
        (_, Some(bytes)) if image_type(bytes).is_none() => {
            out.push("logo: the file is not a PNG, JPEG or GIF image.".into());
        }
        (_, Some(_)) => {}
        (Some(url), None) => {
            if let Err(e) = check_avatar_url(url) {
                out.push(format!("logo: {e}."));
            }
        }
        (None, None) => out.push(
            "logo is required: an https URL, or an image uploaded as multipart/form-data.".into(),
        ),
    }
    out
}

fn create(
    state: &mut State,
    fields: &HashMap<String, String>,
    logo_file: Option<&[u8]>,
) -> Response {
    let problems = problems(fields, logo_file);
    if !problems.is_empty() {
        return webex_error(
            state,
            StatusCode::BAD_REQUEST,
            "The request is invalid.",
            &problems,
        );
    }
    let email = fields["botEmail"].trim().to_owned();
    if state
        .apps
        .iter()
        .any(|a| a.public["botEmail"] == email.as_str())
    {
        let message = format!("The bot e-mail {email} is already taken.");
        return webex_error(state, StatusCode::CONFLICT, &message, &[]);
    }
    let token = format!("sandbox-bot-{}", random_hex(24));
    let person_id = webex_id("PEOPLE", &random_hex(8));
    let id = webex_id("APPLICATION", &random_hex(16));
    let logo = if logo_file.is_some() {
        format!("https://avatar.sandbox.example.gov/{}", random_hex(8))
    } else {
        fields["logo"].trim().to_owned()
    };
    let public = json!({
        "id": id,
        "type": "bot",
        "name": fields["name"].trim(),
        "description": fields["description"].trim(),
        "contactEmail": fields.get("contactEmail").map(|c| c.trim()),
        "botEmail": email,
        "botPersonId": person_id,
        "logo": logo,
        "orgId": state.org_id,
        "createdBy": state.admin_id,
        "created": crate::types::rfc3339(time::OffsetDateTime::now_utc()),
    });
    state.apps.push(App {
        client_id: String::new(),
        client_secret: String::new(),
        redirect_urls: Vec::new(),
        scopes: Vec::new(),
        public: public.clone(),
        bot_token: Some(token.clone()),
    });
    // The FedRAMP bot guide names only `botToken` in the answer.
    let answer = match state.config.answers {
        Answers::Documented => json!({ "botToken": token }),
        Answers::Observed => {
            let mut whole = public;
            whole["botToken"] = token.into();
            whole
        }
    };
    ok_json(state, answer)
}

/// A bot from a JSON body (already parsed).
pub(super) fn create_json(state: &mut State, body: &serde_json::Map<String, Value>) -> Response {
    let fields: HashMap<String, String> = body
        .iter()
        .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned())))
        .collect();
    create(state, &fields, None)
}

/// A bot from a `multipart/form-data` request.
pub(super) async fn create_multipart(shared: Shared, request: Request) -> Response {
    let mut multipart = match Multipart::from_request(request, &()).await {
        Ok(m) => m,
        Err(e) => {
            let message = format!("The multipart body can't be read: {e}");
            return webex_error(&mut lock(&shared), StatusCode::BAD_REQUEST, &message, &[]);
        }
    };
    let mut fields = HashMap::new();
    let mut logo = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_owned();
                let is_file = field.file_name().is_some();
                match field.bytes().await {
                    Ok(bytes) if is_file && name == "logo" => logo = Some(bytes.to_vec()),
                    Ok(bytes) => {
                        fields.insert(name, String::from_utf8_lossy(&bytes).into_owned());
                    }
                    Err(e) => {
                        let message = format!("The multipart body can't be read: {e}");
                        return webex_error(
                            &mut lock(&shared),
                            StatusCode::BAD_REQUEST,
                            &message,
                            &[],
                        );
                    }
                }
            }
            Ok(None) => break,
            Err(e) => {
                let message = format!("The multipart body can't be read: {e}");
                return webex_error(&mut lock(&shared), StatusCode::BAD_REQUEST, &message, &[]);
            }
        }
    }
    let mut state = lock(&shared);
    if fields.get("type").map(String::as_str) != Some("bot") {
        return webex_error(
            &mut state,
            StatusCode::BAD_REQUEST,
            "A multipart create is for a bot: type must be 'bot'.",
            &[],
        );
    }
    create(&mut state, &fields, logo.as_deref())
}

/// The person a bot token stands for.
pub(super) fn bot_person(state: &State, app: &App) -> Value {
    json!({
        "id": app.public["botPersonId"],
        "emails": [app.public["botEmail"]],
        "displayName": app.public["name"],
        "orgId": state.org_id,
        "type": "bot",
    })
}
