//! Wizard speed: drawing each step at 120x40, and filtering the whole scope catalog per
//! keystroke. Targets (issue 3): under 1 ms a frame, under 0.2 ms a filter keystroke.
//! Run with `cargo bench --bench tui`.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use secrecy::SecretString;
use webex_wizard::catalog::Catalog;
use webex_wizard::credentials::SavedCredentials;
use webex_wizard::env::{ApiBase, Environment};
use webex_wizard::integration::IntegrationDraft;
use webex_wizard::tui::app::{App, AppConfig, Step, TokenSource};
use webex_wizard::tui::message::{Created, Message};
use webex_wizard::tui::theme::Theme;
use webex_wizard::tui::update::update;
use webex_wizard::tui::view;
use webex_wizard::webex::people::Person;

fn filled(step: Step) -> App {
    let mut app = App::new(AppConfig {
        env: Environment::sandbox(ApiBase::parse("http://127.0.0.1:8099/v1").unwrap()),
        catalog: Catalog::embedded(),
        token: Some((SecretString::from("t"), TokenSource::Environment)),
        theme: Theme { color: true },
        auth_wait: std::time::Duration::from_secs(300),
        fedramp: true,
    });
    update(
        &mut app,
        Message::TokenChecked(Ok(Person {
            id: "P1".into(),
            emails: vec!["admin@agency.example.gov".into()],
            display_name: Some("Agency Admin".into()),
            org_id: None,
        })),
    );
    app.load_draft(&IntegrationDraft {
        name: "Audit Reader".into(),
        description: "Reads the admin audit log\nfor the security team".into(),
        contact_email: "admin@agency.example.gov".into(),
        company_name: Some("Agency".into()),
        redirect_urls: vec!["http://localhost:8080/callback".into()],
        scopes: vec!["audit:events_read".into(), "spark:people_read".into()],
    });
    if step == Step::Credentials {
        update(
            &mut app,
            Message::Created(Box::new(Ok(Created {
                saved: SavedCredentials {
                    api_base: "http://127.0.0.1:8099/v1".into(),
                    integration: serde_json::from_str(
                        r#"{"clientId":"C1","clientSecret":"S1","name":"Audit Reader"}"#,
                    )
                    .unwrap(),
                },
                recovery: Ok(PathBuf::from("/tmp/recovery.json")),
                superseded: Vec::new(),
            }))),
        );
    }
    app.step = step;
    app.refocus();
    app
}

fn render(c: &mut Criterion) {
    let mut group = c.benchmark_group("render_120x40");
    for step in [
        Step::Connect,
        Step::Details,
        Step::RedirectUrls,
        Step::Scopes,
        Step::Review,
        Step::Credentials,
    ] {
        let app = filled(step);
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        group.bench_function(step.title(), |b| {
            b.iter(|| {
                terminal.draw(|f| view::draw(black_box(&app), f)).unwrap();
            });
        });
    }
    group.finish();
}

fn filter(c: &mut Criterion) {
    let mut app = filled(Step::Scopes);
    let key = |c: KeyCode| Message::Key(KeyEvent::new(c, KeyModifiers::NONE));
    // One keystroke typed and one deleted per iteration: two full passes over the catalog.
    c.bench_function("filter_keystroke_pair", |b| {
        b.iter(|| {
            update(&mut app, key(KeyCode::Char('r')));
            update(&mut app, key(KeyCode::Backspace));
        });
    });
    app.steps.scopes.filter = "peopl".into();
    app.steps.scopes.refilter(app.session.catalog);
    c.bench_function("filter_keystroke_narrow_pair", |b| {
        b.iter(|| {
            update(&mut app, key(KeyCode::Char('e')));
            update(&mut app, key(KeyCode::Backspace));
        });
    });
}

criterion_group!(benches, render, filter);
criterion_main!(benches);
