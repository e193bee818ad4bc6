//! Unit tests of the parent module.

use super::*;

fn good() -> IntegrationDraft {
    IntegrationDraft {
        name: "My Admin Integration".into(),
        description: "A brief description".into(),
        contact_email: "me@example.com".into(),
        company_name: Some("My Company".into()),
        redirect_urls: vec!["https://app.example.com/cb".into()],
        scopes: vec!["audit:events_read".into()],
    }
}

fn errors_for(draft: &IntegrationDraft) -> Vec<Problem> {
    validate(draft, Catalog::embedded())
        .into_iter()
        .filter(Problem::is_error)
        .collect()
}

fn only_error(draft: &IntegrationDraft, field: Field) -> Problem {
    let errors = errors_for(draft);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].field, field, "{errors:?}");
    errors[0].clone()
}

#[test]
fn a_good_draft_has_no_problems() {
    assert!(validate(&good(), Catalog::embedded()).is_empty());
}

#[test]
fn name_rules() {
    only_error(
        &IntegrationDraft {
            name: "   ".into(),
            ..good()
        },
        Field::Name,
    );
    only_error(
        &IntegrationDraft {
            name: "x".repeat(NAME_MAX + 1),
            ..good()
        },
        Field::Name,
    );
    only_error(
        &IntegrationDraft {
            name: "two\nlines".into(),
            ..good()
        },
        Field::Name,
    );
    assert!(check_name(&"x".repeat(NAME_MAX)).is_ok());
}

#[test]
fn description_rules() {
    only_error(
        &IntegrationDraft {
            description: String::new(),
            ..good()
        },
        Field::Description,
    );
    only_error(
        &IntegrationDraft {
            description: "d".repeat(DESCRIPTION_MAX + 1),
            ..good()
        },
        Field::Description,
    );
    assert!(check_description("line one\nline two").is_ok());
}

#[test]
fn contact_email_rules() {
    for bad in [
        "",
        "not-an-email",
        "a@b",
        "a b@example.com",
        "@example.com",
        "a@example.",
    ] {
        only_error(
            &IntegrationDraft {
                contact_email: bad.into(),
                ..good()
            },
            Field::ContactEmail,
        );
    }
    assert!(check_contact_email("first.last+tag@sub.example.gov").is_ok());
}

#[test]
fn company_name_is_optional_but_bounded() {
    assert!(
        errors_for(&IntegrationDraft {
            company_name: None,
            ..good()
        })
        .is_empty()
    );
    only_error(
        &IntegrationDraft {
            company_name: Some("c".repeat(COMPANY_MAX + 1)),
            ..good()
        },
        Field::CompanyName,
    );
}

#[test]
fn redirect_url_rules() {
    only_error(
        &IntegrationDraft {
            redirect_urls: vec![],
            ..good()
        },
        Field::RedirectUrls,
    );
    for bad in [
        "/relative/path",
        "http://app.example.com/cb",
        "ftp://example.com/cb",
        "https://app.example.com/cb#frag",
        "https://user:pw@app.example.com/cb",
        "mailto:me@example.com",
    ] {
        let p = only_error(
            &IntegrationDraft {
                redirect_urls: vec![bad.into()],
                ..good()
            },
            Field::RedirectUrls,
        );
        assert_eq!(p.index, Some(0), "{bad}");
    }
    for ok in [
        "http://localhost:8080/callback",
        "http://127.0.0.1:9/x",
        "http://[::1]:5000/cb",
        "https://x.example/",
    ] {
        assert!(check_redirect_url(ok).is_ok(), "{ok}");
    }
    let dup = IntegrationDraft {
        redirect_urls: vec!["https://a.example/cb".into(), "https://A.example/cb".into()],
        ..good()
    };
    let p = only_error(&dup, Field::RedirectUrls);
    assert_eq!(p.index, Some(1));
}

#[test]
fn scope_rules() {
    only_error(
        &IntegrationDraft {
            scopes: vec![],
            ..good()
        },
        Field::Scopes,
    );
    only_error(
        &IntegrationDraft {
            scopes: vec!["spark:people read".into()],
            ..good()
        },
        Field::Scopes,
    );
    only_error(
        &IntegrationDraft {
            scopes: vec!["spark:all".into(), "spark:all".into()],
            ..good()
        },
        Field::Scopes,
    );
    let unknown = IntegrationDraft {
        scopes: vec!["custom:thing_read".into()],
        ..good()
    };
    let problems = validate(&unknown, Catalog::embedded());
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].severity, Severity::Warning);
    assert_eq!(problems[0].field, Field::Scopes);
}

#[test]
fn problems_name_their_field() {
    let p = only_error(
        &IntegrationDraft {
            redirect_urls: vec!["nope".into()],
            ..good()
        },
        Field::RedirectUrls,
    );
    assert!(p.to_string().starts_with("redirectUrls #1: "), "{p}");
    assert_eq!(
        Field::mentioned_in("Invalid redirectUrls value"),
        Some(Field::RedirectUrls)
    );
    assert_eq!(
        Field::mentioned_in("contactEmail is required"),
        Some(Field::ContactEmail)
    );
}
