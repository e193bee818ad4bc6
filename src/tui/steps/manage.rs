//! Manage: the applications this admin can see, one opened in detail, a new client secret for
//! it (then the Credentials screen, as after a create), or deleting it after typing its name.
//! The endpoints are experimental (seen on commercial Webex); a 404/405 says so.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui_textarea::TextArea;
use serde_json::Value;

use crate::text::visible_line;
use crate::tui::context::{Cx, Request, Session, Step};
use crate::tui::steps::StepState;
use crate::tui::effect::Effect;
use crate::tui::keys::Key::Plain;
use crate::tui::keys::{Action, Action as A, Binding, ESC, bind, when};
use crate::tui::message::Created;
use crate::tui::phase::Phase;
use crate::tui::widgets::{FieldView, error_lines, prose, single_line, spinner, type_into};
use crate::webex::WebexError;

pub use crate::tui::context::Listing;

/// What waits for the user's word.
pub enum Confirm {
    /// Rotate: the name must be typed (the old secret dies at once).
    Rotate(Box<TextArea<'static>>),
    /// Delete: the name must be typed.
    Delete(Box<TextArea<'static>>),
}

#[derive(Default)]
pub struct ManageState {
    pub cursor: usize,
    pub open: bool,
    pub confirm: Option<Confirm>,
    /// A rotation or deletion on its way.
    pub busy: Option<&'static str>,
}

pub type State = ManageState;

fn idle(m: &State, _: &Session) -> bool {
    m.confirm.is_none() && m.busy.is_none()
}

/// Idle, with an application to act on (an empty list offers nothing to open or change).
fn idle_with_apps(m: &State, session: &Session) -> bool {
    idle(m, session) && matches!(&session.listing, Listing::Loaded(apps) if !apps.is_empty())
}

fn confirming(m: &State, _: &Session) -> bool {
    m.confirm.is_some()
}

impl StepState for ManageState {
    const TITLE: &'static str = "Manage";
    const PURPOSE: &'static str =
        "What exists: see, update, give a new secret to, or delete an application.";
    const PHASE: Phase = Phase::Manage;
    const KEYS: &'static [Binding<Self>] = &[
    when(bind("↑↓", &[Plain(KeyCode::Up), Plain(KeyCode::Char('k'))], A::Up, "choose", "move up and down the applications"), idle),
    when(bind("", &[Plain(KeyCode::Down), Plain(KeyCode::Char('j'))], A::Down, "", "the next application"), idle),
    when(bind("Enter", &[Plain(KeyCode::Enter)], A::Enter, "details", "open or close the application's details"), idle_with_apps),
    when(bind("r", &[Plain(KeyCode::Char('r'))], A::RotateSecret, "new secret", "give the integration a new client secret (the old one stops working)"), idle_with_apps),
    when(bind("u", &[Plain(KeyCode::Char('u'))], A::Update, "update", "change its details, redirect URLs and scopes with the create editors"), idle_with_apps),
    when(bind("d", &[Plain(KeyCode::Char('d'))], A::Delete, "delete", "delete the application (type its name to confirm)"), idle_with_apps),
    when(bind("Enter", &[Plain(KeyCode::Enter)], A::Enter, "confirm", "do it"), confirming),
    when(crate::tui::keys::clear(), confirming),
    when(crate::tui::keys::undo(), confirming),
    bind("Esc", ESC, A::Back, "back", "cancel, close, or back to what to do"),
    when(bind("q", &[Plain(KeyCode::Char('q'))], A::Quit, "quit", "quit"), idle),
];

    /// Opened from Connect: ask for the list.
    fn open(&mut self, cx: &mut Cx) -> Vec<Effect> {
        *self = ManageState::default();
        cx.session.listing = Listing::Loading;
        cx.enter(Step::Manage);
        match &cx.session.admin.token {
            Some(token) => vec![Effect::ListApplications(token.clone())],
            None => Vec::new(),
        }
    }

    fn on_key(&mut self, cx: &mut Cx, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
        self.key(cx, action, key)
    }

    fn on_paste(&mut self, _cx: &mut Cx, text: &str) -> Vec<Effect> {
        if let Some(Confirm::Rotate(field) | Confirm::Delete(field)) = &mut self.confirm {
            field.insert_str(text.replace(['\r', '\n'], ""));
        }
        Vec::new()
    }

    fn draw(&self, session: &Session, frame: &mut Frame, area: Rect) {
        draw(self, session, frame, area);
    }
}

fn selected<'s>(m: &State, session: &'s Session) -> Option<&'s Value> {
    match &session.listing {
        Listing::Loaded(apps) => apps.get(m.cursor),
        _ => None,
    }
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or("")
}

/// What is typed to confirm a deletion: the name, or the ID of an application without one.
fn confirmation(a: &Value) -> String {
    match text(a, "name") {
        "" => text(a, "id").to_owned(),
        name => name.to_owned(),
    }
}

/// What Manage says while a rotation is on its way.
pub(crate) const ROTATING: &str = "Giving it a new client secret";

impl ManageState {
    fn key(&mut self, cx: &mut Cx, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
        let rotating = matches!(self.confirm, Some(Confirm::Rotate(_)));
        let expected = selected(self, cx.session).map(confirmation).unwrap_or_default();
        if let Some(confirm) = &mut self.confirm {
            match (confirm, action) {
                (_, Some(Action::Back)) => self.confirm = None,
                (Confirm::Rotate(field) | Confirm::Delete(field), Some(Action::Enter)) => {
                    let rotate = rotating;
                    let typed = field.lines().join("");
                    // Never confirmed by a bare Enter, even for an application without a name.
                    if typed.is_empty() || typed != expected {
                        cx.problem(
                            if rotate {
                                "That does not match; the secret was not rotated."
                            } else {
                                "That does not match; nothing was deleted."
                            },
                        );
                        return Vec::new();
                    }
                    return self.act(cx, rotate);
                }
                (Confirm::Rotate(field) | Confirm::Delete(field), other) => {
                    type_into(field, other, key);
                }
            }
            return Vec::new();
        }
        let count = match &cx.session.listing {
            Listing::Loaded(apps) => apps.len(),
            _ => 0,
        };
        match action {
            Some(Action::Up) => self.cursor = self.cursor.saturating_sub(1),
            Some(Action::Down) => self.cursor = (self.cursor + 1).min(count.saturating_sub(1)),
            Some(Action::Enter) if count > 0 => self.open = !self.open,
            Some(Action::RotateSecret) => match selected(self, cx.session) {
                Some(a) if text(a, "type") == "integration" => {
                    self.confirm = Some(Confirm::Rotate(Box::new(single_line(
                        "",
                        "type the name exactly",
                    ))));
                }
                Some(_) => cx.problem("Only an integration has a client secret."),
                None => {}
            },
            Some(Action::Update) => match selected(self, cx.session).cloned() {
                Some(a) if text(&a, "type") == "integration" => {
                    let was = crate::integration::IntegrationDraft::from_application(&a);
                    cx.session.update_from = Some(was.clone());
                    cx.session.updating = Some(text(&a, "id").to_owned());
                    cx.go(Step::Details);
                    cx.ask(Request::LoadDraft(was));
                }
                Some(_) => cx.problem("Only an integration is updated here."),
                None => {}
            },
            Some(Action::Delete) if count > 0 => {
                self.confirm = Some(Confirm::Delete(Box::new(single_line(
                    "",
                    "type the name exactly",
                ))));
            }
            Some(Action::Back) if self.open => self.open = false,
            Some(Action::Back) => cx.go(Step::Start),
            Some(Action::Quit) => cx.ask(Request::Quit),
            _ => {}
        }
        Vec::new()
    }


    /// Send the confirmed rotation (or, `rotate` false, deletion) of the selected application.
    fn act(&mut self, cx: &mut Cx, rotate: bool) -> Vec<Effect> {
        self.confirm = None;
        let (Some(token), Some(selected)) = (cx.session.admin.token.clone(), selected(self, cx.session)) else {
            return Vec::new();
        };
        let id = text(selected, "id").to_owned();
        let name = text(selected, "name").to_owned();
        let client_id = text(selected, "clientId").to_owned();
        if rotate {
            let application = Box::new(selected.clone());
            self.busy = Some(ROTATING);
            vec![Effect::RotateSecret { token, application }]
        } else {
            self.busy = Some("Deleting");
            vec![Effect::DeleteApplication {
                token,
                id,
                client_id,
                name,
            }]
        }
    }

    /// The list arrived (or failed).
    pub(crate) fn on_listed(&mut self, cx: &mut Cx, result: Result<Vec<Value>, WebexError>) -> Vec<Effect> {
        cx.session.listing = match result {
            Ok(mut apps) => {
                apps.sort_by(|a, b| text(b, "created").cmp(text(a, "created")));
                self.cursor = self.cursor.min(apps.len().saturating_sub(1));
                Listing::Loaded(apps)
            }
            Err(e) => Listing::Failed(Box::new(e)),
        };
        Vec::new()
    }

    /// A deletion ended: say so and read the list again.
    pub(crate) fn on_deleted(&mut self, cx: &mut Cx, result: Result<String, WebexError>) -> Vec<Effect> {
        self.busy = None;
        match result {
            Ok(name) => {
                cx.notify(format!("Deleted '{}'. It can't be restored.", visible_line(&name)));
                self.open = false;
                cx.session.listing = Listing::Loading;
                cx.session.admin.token.clone().map(Effect::ListApplications).into_iter().collect()
            }
            Err(e) => {
                cx.problem(format!("{e}\n  Next: {}", e.next_step()));
                Vec::new()
            }
        }
    }

    /// Send the form as the application being updated (from Review's Enter).
    pub(crate) fn send_update(&mut self, cx: &mut Cx) -> Vec<Effect> {
        let (Some(id), Some(token)) = (cx.session.updating.clone(), cx.session.admin.token.clone()) else {
            return Vec::new();
        };
        let draft = cx.session.draft.clone();
        let client_id = match &cx.session.listing {
            Listing::Loaded(apps) => apps
                .iter()
                .find(|a| text(a, "id") == id)
                .map(|a| text(a, "clientId").to_owned())
                .unwrap_or_default(),
            _ => String::new(),
        };
        self.busy = Some("Updating");
        cx.enter(Step::Manage);
        vec![Effect::UpdateApplication {
            token,
            id,
            client_id,
            draft,
            // Given for this send only.
            justification: cx.session.justification.take(),
        }]
    }

    /// An update ended: back to the list, read again; a refusal goes back to the review, the form
    /// as typed.
    pub(crate) fn on_updated(&mut self, cx: &mut Cx, result: Result<Value, WebexError>) -> Vec<Effect> {
        self.busy = None;
        match result {
            Ok(updated) => {
                cx.session.updating = None;
                self.open = false;
                cx.session.listing = Listing::Loading;
                cx.notify(
                    format!("Updated '{}'.", visible_line(text(&updated, "name"))),
                );
                cx.session.admin.token.clone().map(Effect::ListApplications).into_iter().collect()
            }
            Err(e) => {
                cx.enter(Step::Review);
                cx.problem(format!("Not updated: {e}\n  Next: {}", e.next_step()));
                Vec::new()
            }
        }
    }
}


fn detail_lines(a: &Value) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (label, key) in [("Type", "type"), ("Bot e-mail", "botEmail"), ("Description", "description"), ("Contact", "contactEmail"), ("Created", "created")] {
        if !text(a, key).is_empty() {
            // A time to the second: the nanoseconds some answers carry say nothing to a person.
            let value = match key {
                "created" => text(a, key).get(..19).map_or_else(
                    || text(a, key).to_owned(),
                    |s| format!("{} UTC", s.replace('T', " ")),
                ),
                _ => text(a, key).to_owned(),
            };
            lines.push(Line::raw(format!("  {label:<13}{}", visible_line(&value))));
        }
    }
    // Long identifiers on a line of their own, so they are never broken across two.
    for (label, key) in [("Client ID", "clientId")] {
        if !text(a, key).is_empty() {
            lines.push(Line::raw(format!("  {label}")));
            lines.push(Line::raw(format!("    {}", visible_line(text(a, key)))));
        }
    }
    for (label, key) in [("Redirect URLs", "redirectUrls"), ("Scopes", "scopes")] {
        let items: Vec<String> = a[key].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(visible_line)).collect();
        if !items.is_empty() {
            lines.push(Line::raw(format!("  {label}:")));
            lines.extend(items.into_iter().map(|i| Line::raw(format!("    {i}"))));
        }
    }
    lines
}

fn draw(m: &ManageState, session: &Session, frame: &mut Frame, area: Rect) {
    let t = session.theme;
    let apps = match &session.listing {
        Listing::Loading => {
            frame.render_widget(prose(vec![Line::raw(format!("{} Reading the applications …", spinner(session.spinner)))]), area);
            return;
        }
        Listing::Failed(e) => {
            frame.render_widget(prose(error_lines(e, area.width, t)), area);
            return;
        }
        Listing::Loaded(apps) if apps.is_empty() => {
            frame.render_widget(prose(vec![Line::raw("No applications yet. Esc goes back to create one.")]), area);
            return;
        }
        Listing::Loaded(apps) => apps,
    };
    // Half the page for the list (at least 8 rows), the rest for the chosen one; when not all
    // fit, the heading says which are shown.
    let rows = usize::from(area.height / 2).max(8).min(apps.len());
    let [list, below] = Layout::vertical([Constraint::Length(u16::try_from(rows).unwrap_or(8) + 1), Constraint::Min(0)]).areas(area);
    let first = m.cursor.saturating_sub(rows.saturating_sub(1));
    let shown = if apps.len() > rows {
        format!("   ({}–{} of {}, ↑↓ for more)", first + 1, first + rows, apps.len())
    } else {
        String::new()
    };
    let mut lines = vec![Line::styled(format!("  {:<32} {:<12} CREATED{shown}", "NAME", "TYPE"), t.dim())];
    for (i, a) in apps.iter().enumerate().skip(first).take(rows) {
        let on = i == m.cursor;
        let name = crate::text::cut_end(&visible_line(text(a, "name")), 32);
        let created: String = text(a, "created").chars().take(10).collect();
        lines.push(Line::from(vec![
            Span::styled(if on { "▸ " } else { "  " }, t.title()),
            Span::styled(format!("{name:<32} {:<12} {created}", visible_line(text(a, "type"))), if on { t.title() } else { ratatui::style::Style::default() }),
        ]));
    }
    frame.render_widget(prose(lines), list);
    let Some(a) = apps.get(m.cursor) else { return };
    match &m.confirm {
        Some(confirm @ (Confirm::Rotate(field) | Confirm::Delete(field))) => {
            let name = visible_line(text(a, "name"));
            let (question, style, hint) = if matches!(confirm, Confirm::Rotate(_)) {
                (format!("Give '{name}' a new client secret? The old one stops working at once, for every developer and copy that has it."), t.warning(), "Enter rotates; Esc cancels.")
            } else {
                (format!("Delete '{name}'? It can't be restored: its client ID stops working for every developer and user."), t.error(), "Enter deletes; Esc cancels.")
            };
            let [warn, input, _] = Layout::vertical([
                Constraint::Length(3),
                Constraint::Length(4),
                Constraint::Min(0),
            ])
            .areas(below);
            frame.render_widget(prose(vec![Line::raw(""), Line::styled(question, style)]), warn);
            let label = if text(a, "name").is_empty() { "Type its ID" } else { "Type its name" };
            FieldView { label, input: field, focused: true, problem: None, hint, theme: t }.render(input, frame.buffer_mut());
        }
        None if m.busy.is_some() => frame.render_widget(
            prose(vec![Line::raw(""), Line::raw(format!("{} {} …", spinner(session.spinner), m.busy.unwrap_or("")))]),
            below,
        ),
        None if m.open => {
            let mut lines = vec![Line::raw("")];
            lines.extend(detail_lines(a));
            frame.render_widget(prose(lines), below);
        }
        None => {}
    }
}

/// A new secret from Manage: the Credentials screen, as after a create (the form's draft stays).
pub(crate) fn on_rotated(
    state: &mut State,
    cx: &mut Cx,
    result: Result<Created, WebexError>,
) -> Vec<Effect> {
    state.busy = None;
    match result {
        Ok(Created {
            saved,
            recovery,
            superseded,
        }) => {
            cx.enter(Step::Credentials);
            // After the step change, which clears the message line.
            let mut said = Vec::new();
            if let Err(e) = &recovery {
                said.push(format!(
                    "No recovery copy could be written ({e}): copy or save the secret now."
                ));
            }
            if !superseded.is_empty() {
                let list: Vec<String> =
                    superseded.iter().map(|p| p.display().to_string()).collect();
                said.push(format!(
                    "Superseded (they hold the old secret; replace or delete them): {}",
                    list.join(", ")
                ));
            }
            if recovery.is_err() {
                cx.problem(said.join("\n"));
            } else if !said.is_empty() {
                cx.notify(said.join("\n"));
            }
            // Kept (the recovery copy): now prove it, with the newest saved refresh token.
            let prove = Effect::ProveSecret(Box::new(saved.clone()));
            cx.session.credentials = Some(crate::tui::delivery::CredentialsState::new(
                saved,
                recovery.ok(),
                false,
            ));
            return vec![prove];
        }
        Err(e) => cx.problem(format!("{e}\n  Next: {}", e.next_step())),
    }
    Vec::new()
}


#[cfg(test)]
mod tests {
    use super::super::testing::{app_on, press, type_text};
    use super::*;
    use crate::tui::app::App;
    use serde_json::json;

    fn loaded() -> App {
        let mut app = app_on(Step::Manage);
        app.session.admin.token = Some(secrecy::SecretString::from("admin"));
        crate::tui::update::update(&mut app, crate::tui::message::Message::AppsListed(Ok(vec![
            json!({"id": "A1", "name": "Old", "type": "integration", "created": "2026-01-01"}),
            json!({"id": "A2", "name": "New", "type": "integration", "created": "2026-02-01"}),
        ])));
        app
    }

    #[test]
    fn newest_first_and_rotation_is_confirmed_before_it_is_sent() {
        let mut app = loaded();
        let Listing::Loaded(apps) = &app.session.listing else { panic!() };
        assert_eq!(apps[0]["name"], "New");
        assert!(press(&mut app, KeyCode::Char('r')).is_empty(), "sent before confirmation");
        assert!(press(&mut app, KeyCode::Enter).is_empty(), "rotated by a bare Enter");
        type_text(&mut app, "New");
        let effects = press(&mut app, KeyCode::Enter);
        assert!(matches!(effects.as_slice(), [Effect::RotateSecret { application, .. }] if application["id"] == "A2"));
    }

    #[test]
    fn delete_needs_the_exact_name() {
        let mut app = loaded();
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Char('d'));
        type_text(&mut app, "old");
        assert!(press(&mut app, KeyCode::Enter).is_empty(), "deleted with a wrong name");
        assert!(app.notice.is_some());
        for _ in 0..3 {
            press(&mut app, KeyCode::Backspace);
        }
        type_text(&mut app, "Old");
        let effects = press(&mut app, KeyCode::Enter);
        assert!(matches!(effects.as_slice(), [Effect::DeleteApplication { id, .. }] if id == "A1"));
    }

    #[test]
    fn an_application_without_a_name_is_never_deleted_by_a_bare_enter() {
        let mut app = app_on(Step::Manage);
        app.session.admin.token = Some(secrecy::SecretString::from("admin"));
        crate::tui::update::update(&mut app, crate::tui::message::Message::AppsListed(Ok(vec![json!({"id": "B1", "type": "bot"})])));
        press(&mut app, KeyCode::Char('d'));
        assert!(press(&mut app, KeyCode::Enter).is_empty(), "deleted by a bare Enter");
        type_text(&mut app, "B1");
        let effects = press(&mut app, KeyCode::Enter);
        assert!(matches!(effects.as_slice(), [Effect::DeleteApplication { id, .. }] if id == "B1"));
    }

    #[test]
    fn ctrl_u_clears_the_confirmation_field() {
        use super::super::testing::ctrl;
        let mut app = loaded();
        press(&mut app, KeyCode::Char('d'));
        type_text(&mut app, "Nwe");
        ctrl(&mut app, 'u');
        type_text(&mut app, "New");
        let effects = press(&mut app, KeyCode::Enter);
        assert!(matches!(effects.as_slice(), [Effect::DeleteApplication { id, .. }] if id == "A2"));
    }

    #[test]
    fn an_empty_list_offers_nothing_to_open_or_change() {
        let mut app = app_on(Step::Manage);
        crate::tui::update::update(&mut app, crate::tui::message::Message::AppsListed(Ok(vec![])));
        let offered: Vec<&str> = State::KEYS
            .iter()
            .filter(|b| (b.when)(&app.steps.manage, &app.session))
            .map(|b| b.bar)
            .collect();
        for key in ["new secret", "update", "delete", "details"] {
            assert!(!offered.contains(&key), "{key} offered on an empty list");
        }
    }

    /// Walk finding: 8 rows at any size and no word of the rest. The list takes half the page
    /// and says which of how many it shows.
    #[test]
    fn a_long_list_says_which_rows_it_shows() {
        let mut app = app_on(Step::Manage);
        app.session.admin.token = Some(secrecy::SecretString::from("admin"));
        let apps: Vec<Value> = (1..=30)
            .map(|n| json!({"id": format!("A{n}"), "name": format!("App {n:02}"), "type": "integration", "created": "2026-01-01"}))
            .collect();
        crate::tui::update::update(&mut app, crate::tui::message::Message::AppsListed(Ok(apps)));
        let screen = |app: &App| {
            let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
            terminal.draw(|f| crate::tui::view::draw(app, f)).unwrap();
            format!("{:?}", terminal.backend().buffer())
        };
        let first = screen(&app);
        assert!(first.contains("of 30, ↑↓ for more"), "{first}");
        assert!(first.contains("App 12"), "more than 8 rows at 120x40: {first}");
        for _ in 0..29 {
            press(&mut app, KeyCode::Down);
        }
        let last = screen(&app);
        assert!(last.contains("App 30") && last.contains("of 30"), "{last}");
    }
}
