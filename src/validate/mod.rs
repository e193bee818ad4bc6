//! Field rules for an integration, shared by the wizard and the subcommands.
//!
//! Webex publishes no length limits; the caps here are our own sane bounds.

use std::fmt;

use url::Url;

use crate::catalog::Catalog;
use crate::integration::IntegrationDraft;
use crate::types::RedirectUrl;
pub use crate::types::is_loopback_host;

pub const NAME_MAX: usize = 100;
pub const DESCRIPTION_MAX: usize = 1024;
pub const COMPANY_MAX: usize = 100;
pub const EMAIL_MAX: usize = 254;

/// A field of the integration form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    Description,
    ContactEmail,
    CompanyName,
    RedirectUrls,
    Scopes,
}

impl Field {
    /// The key in the Applications API body.
    pub fn json_key(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Description => "description",
            Field::ContactEmail => "contactEmail",
            Field::CompanyName => "companyName",
            Field::RedirectUrls => "redirectUrls",
            Field::Scopes => "scopes",
        }
    }

    /// The command-line flag that sets this field.
    pub fn flag(self) -> &'static str {
        match self {
            Field::Name => "--name",
            Field::Description => "--description",
            Field::ContactEmail => "--contact-email",
            Field::CompanyName => "--company",
            Field::RedirectUrls => "--redirect-url",
            Field::Scopes => "--scope",
        }
    }

    /// Which field a Webex error message is about, if it names one.
    pub fn mentioned_in(text: &str) -> Option<Field> {
        let lower = text.to_ascii_lowercase();
        [
            (
                Field::RedirectUrls,
                &["redirecturl", "redirect url", "redirect_uri"][..],
            ),
            (Field::Scopes, &["scope"][..]),
            (
                Field::ContactEmail,
                &["contactemail", "contact email", "email"][..],
            ),
            (Field::CompanyName, &["companyname", "company"][..]),
            (Field::Description, &["description"][..]),
            (Field::Name, &["name"][..]),
        ]
        .into_iter()
        .find(|(_, words)| words.iter().any(|w| lower.contains(w)))
        .map(|(field, _)| field)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.json_key())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem with one field (and, for lists, one entry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: Field,
    /// Which entry of a list field, counting from 0.
    pub index: Option<usize>,
    pub severity: Severity,
    pub message: String,
}

impl Problem {
    fn error(field: Field, index: Option<usize>, message: impl Into<String>) -> Self {
        Problem {
            field,
            index,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.index {
            Some(i) => write!(f, "{} #{}: {}", self.field, i + 1, self.message),
            None => write!(f, "{}: {}", self.field, self.message),
        }
    }
}

fn check_text(value: &str, what: &str, max: usize, required: bool) -> Result<(), String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return if required {
            Err(format!("{what} must not be blank"))
        } else {
            Ok(())
        };
    }
    let len = trimmed.chars().count();
    if len > max {
        return Err(format!(
            "{what} is {len} characters; at most {max} are allowed"
        ));
    }
    Ok(())
}

/// The integration's display name: not blank, one line, at most [`NAME_MAX`] characters.
pub fn check_name(value: &str) -> Result<(), String> {
    check_text(value, "the name", NAME_MAX, true)?;
    if value.chars().any(char::is_control) {
        return Err("the name must be a single line without control characters".into());
    }
    Ok(())
}

/// The description: not blank, at most [`DESCRIPTION_MAX`] characters; new lines are fine.
pub fn check_description(value: &str) -> Result<(), String> {
    check_text(value, "the description", DESCRIPTION_MAX, true)
}

/// The contact email: a syntactically valid address with a dotted domain.
pub fn check_contact_email(value: &str) -> Result<(), String> {
    let value = value.trim();
    if value.is_empty() {
        return Err("the contact email must not be blank".into());
    }
    if value.len() > EMAIL_MAX {
        return Err(format!(
            "the contact email is longer than {EMAIL_MAX} characters"
        ));
    }
    let valid = email_address::EmailAddress::parse_with_options(
        value,
        email_address::Options::default().without_display_text(),
    )
    .ok()
    .is_some_and(|e| {
        let domain = e.domain();
        domain.contains('.') && !domain.starts_with('[') && !domain.ends_with('.')
    });
    if valid {
        Ok(())
    } else {
        Err(format!(
            "'{value}' is not a valid email address (like name@example.com)"
        ))
    }
}

/// The company name: optional, at most [`COMPANY_MAX`] characters.
pub fn check_company_name(value: &str) -> Result<(), String> {
    check_text(value, "the company name", COMPANY_MAX, false)?;
    if value.chars().any(char::is_control) {
        return Err("the company name must be a single line".into());
    }
    Ok(())
}

/// One redirect URL: absolute, https (or http on a loopback host), no fragment.
pub fn check_redirect_url(value: &str) -> Result<Url, String> {
    RedirectUrl::parse(value).map(RedirectUrl::into_url)
}

/// A scope token as RFC 6749 defines it: printable ASCII without space, `"` or `\`.
pub fn check_scope_syntax(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("a scope must not be blank".into());
    }
    if let Some(c) = value
        .chars()
        .find(|&c| !(c == '!' || ('#'..='[').contains(&c) || (']'..='~').contains(&c)))
    {
        let shown = if c.is_whitespace() {
            "a space".to_string()
        } else {
            format!("'{c}'")
        };
        return Err(format!("'{value}' is not a scope: it contains {shown}"));
    }
    Ok(())
}

/// Every problem with a draft, errors and warnings, each naming its field.
pub fn validate(draft: &IntegrationDraft, catalog: &Catalog) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut single = |field, result: Result<(), String>| {
        if let Err(message) = result {
            problems.push(Problem::error(field, None, message));
        }
    };
    single(Field::Name, check_name(&draft.name));
    single(Field::Description, check_description(&draft.description));
    single(
        Field::ContactEmail,
        check_contact_email(&draft.contact_email),
    );
    single(
        Field::CompanyName,
        check_company_name(draft.company_name.as_deref().unwrap_or("")),
    );

    if draft.redirect_urls.is_empty() {
        problems.push(Problem::error(
            Field::RedirectUrls,
            None,
            "add at least one redirect URL (for example http://localhost:8080/callback)",
        ));
    }
    let mut seen_urls: Vec<Url> = Vec::new();
    for (i, raw) in draft.redirect_urls.iter().enumerate() {
        match check_redirect_url(raw) {
            Ok(url) if seen_urls.contains(&url) => problems.push(Problem::error(
                Field::RedirectUrls,
                Some(i),
                format!("'{}' is listed twice", raw.trim()),
            )),
            Ok(url) => seen_urls.push(url),
            Err(message) => problems.push(Problem::error(Field::RedirectUrls, Some(i), message)),
        }
    }

    if draft.scopes.is_empty() {
        problems.push(Problem::error(
            Field::Scopes,
            None,
            "choose at least one scope",
        ));
    }
    for (i, scope) in draft.scopes.iter().enumerate() {
        if let Err(message) = check_scope_syntax(scope) {
            problems.push(Problem::error(Field::Scopes, Some(i), message));
        } else if draft.scopes[..i].contains(scope) {
            problems.push(Problem::error(
                Field::Scopes,
                Some(i),
                format!("'{scope}' is listed twice"),
            ));
        } else if catalog.get(scope).is_none() {
            problems.push(Problem {
                field: Field::Scopes,
                index: Some(i),
                severity: Severity::Warning,
                message: format!("'{scope}' is not in the scope catalog; Webex may refuse it"),
            });
        }
    }
    problems
}

/// Warnings for a `FedRAMP` environment: each chosen scope the catalog marks as not offered on
/// `FedRAMP` (its API is not available there). Webex may accept the scope and still refuse
/// every call it opens, so the user is told before sending, never stopped.
pub fn fedramp_warnings(draft: &IntegrationDraft, catalog: &Catalog) -> Vec<Problem> {
    draft
        .scopes
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            catalog
                .get(s)
                .is_some_and(|c| c.fedramp == crate::catalog::FedrampAvailability::No)
        })
        .map(|(i, s)| Problem {
            field: Field::Scopes,
            index: Some(i),
            severity: Severity::Warning,
            message: format!(
                "'{s}' is not offered on FedRAMP: its API is not available there, so Webex may refuse it or every call it opens"
            ),
        })
        .collect()
}

#[cfg(test)]
mod tests;
