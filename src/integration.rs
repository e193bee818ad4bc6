//! What the user asks Webex to create: the fields of the Applications API body, the exact JSON
//! sent, and the equivalent cURL command.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::types::ApiBase;

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
        self.curl_command_to(base, "POST", "/applications")
    }

    /// The same for any method and path (`PUT /applications/{id}` for an update).
    pub fn curl_command_to(&self, base: &ApiBase, method: &str, path: &str) -> String {
        format!(
            "curl --request {method} {} \\\n  --header \"Authorization: Bearer $WEBEX_ADMIN_TOKEN\" \\\n  --header 'Content-Type: application/json' \\\n  --data-raw {}",
            shell_quote(&base.join(path)),
            shell_quote(&self.to_request_json_pretty())
        )
    }

    /// An existing application as a draft, so create's rules, editors and body apply to an
    /// update. Never carries a secret.
    pub fn from_application(app: &Value) -> Self {
        let text = |k: &str| app[k].as_str().unwrap_or("").to_owned();
        let list = |k: &str| -> Vec<String> {
            app[k]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        };
        IntegrationDraft {
            name: text("name"),
            description: text("description"),
            contact_email: text("contactEmail"),
            company_name: Some(text("companyName")).filter(|c| !c.is_empty()),
            redirect_urls: list("redirectUrls"),
            scopes: list("scopes"),
        }
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

/// A warning when `apps` already hold one named `name`: another makes the name ambiguous for
/// `show`, `update`, `rotate-secret` and `delete`, which then need the ID.
pub fn same_name_warning(apps: &[serde_json::Value], name: &str) -> Option<String> {
    let name = name.trim();
    let same: Vec<&str> = apps
        .iter()
        .filter(|a| a["name"].as_str() == Some(name))
        .map(|a| a["id"].as_str().unwrap_or("?"))
        .collect();
    (!same.is_empty()).then(|| {
        format!(
            "an application named '{}' exists already ({}): another of the same name can then only be managed by its ID",
            crate::text::visible(name),
            crate::text::visible(&same.join(", "))
        )
    })
}

/// What changes, a line each: `name: old → new`, `+ redirect URL ...`, `- scope ...`.
pub fn difference(old: &IntegrationDraft, new: &IntegrationDraft) -> Vec<String> {
    let mut lines = Vec::new();
    let fields = [
        ("name", &old.name, &new.name),
        ("description", &old.description, &new.description),
        ("contactEmail", &old.contact_email, &new.contact_email),
    ];
    for (label, a, b) in fields {
        if a.trim() != b.trim() {
            lines.push(format!(
                "{label}: {} → {}",
                crate::text::visible(a.trim()),
                crate::text::visible(b.trim())
            ));
        }
    }
    if old.company_name != new.company_name {
        let show = |c: &Option<String>| {
            c.as_deref().map_or("(none)".to_owned(), |v| {
                crate::text::visible(v).into_owned()
            })
        };
        lines.push(format!(
            "companyName: {} → {}",
            show(&old.company_name),
            show(&new.company_name)
        ));
    }
    for (label, a, b) in [
        ("redirect URL", &old.redirect_urls, &new.redirect_urls),
        ("scope", &old.scopes, &new.scopes),
    ] {
        lines.extend(
            a.iter()
                .filter(|x| !b.contains(x))
                .map(|x| format!("- {label} {}", crate::text::visible(x))),
        );
        lines.extend(
            b.iter()
                .filter(|x| !a.contains(x))
                .map(|x| format!("+ {label} {}", crate::text::visible(x))),
        );
    }
    lines
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
        assert!(curl.contains(r"Bob'\''s app"), "{curl}");
        assert!(
            curl.starts_with("curl --request POST 'https://api-usgov.webex.com/v1/applications'")
        );
    }
}
