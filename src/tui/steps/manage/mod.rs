//! Manage: the applications this admin can see, one opened in detail, a new client secret for
//! it (then the Credentials screen, as after a create), or deleting it after typing its name.
//! The endpoints are experimental (seen on commercial Webex); a 404/405 says so.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui_textarea::TextArea;
use serde_json::Value;

use crate::text::visible_line;
use crate::tui::context::{Cx, Request, Session, Step};
use crate::tui::effect::Effect;
use crate::tui::keys::Key::Plain;
use crate::tui::keys::{Action, Action as A, Binding, ESC, bind, when};
use crate::tui::message::Created;
use crate::tui::phase::Phase;
use crate::tui::steps::StepState;
use crate::tui::widgets::{single_line, type_into};
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
        when(
            bind(
                "↑↓",
                &[Plain(KeyCode::Up), Plain(KeyCode::Char('k'))],
                A::Up,
                "choose",
                "move up and down the applications",
            ),
            idle,
        ),
        when(
            bind(
                "",
                &[Plain(KeyCode::Down), Plain(KeyCode::Char('j'))],
                A::Down,
                "",
                "the next application",
            ),
            idle,
        ),
        when(
            bind(
                "Enter",
                &[Plain(KeyCode::Enter)],
                A::Enter,
                "details",
                "open or close the application's details",
            ),
            idle_with_apps,
        ),
        when(
            bind(
                "r",
                &[Plain(KeyCode::Char('r'))],
                A::RotateSecret,
                "new secret",
                "give the integration a new client secret (the old one stops working)",
            ),
            idle_with_apps,
        ),
        when(
            bind(
                "u",
                &[Plain(KeyCode::Char('u'))],
                A::Update,
                "update",
                "change its details, \
        redirect URLs and scopes with the create editors",
            ),
            idle_with_apps,
        ),
        when(
            bind(
                "d",
                &[Plain(KeyCode::Char('d'))],
                A::Delete,
                "delete",
                "delete the application \
        (type its name to confirm)",
            ),
            idle_with_apps,
        ),
        when(
            bind(
                "Enter",
                &[Plain(KeyCode::Enter)],
                A::Enter,
                "confirm",
                "do it",
            ),
            confirming,
        ),
        when(crate::tui::keys::clear(), confirming),
        when(crate::tui::keys::undo(), confirming),
        bind(
            "Esc",
            ESC,
            A::Back,
            "back",
            "cancel, close, or back to what to do",
        ),
        when(
            bind("q", &[Plain(KeyCode::Char('q'))], A::Quit, "quit", "quit"),
            idle,
        ),
    ];

    /// Opened from Connect: ask for the list.
    fn open(&mut self, cx: &mut Cx, step: Step) -> Vec<Effect> {
        *self = ManageState::default();
        cx.enter(step);
        read_the_list(cx)
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

    fn focused_input(&self, _session: &Session) -> Option<&TextArea<'static>> {
        match &self.confirm {
            Some(Confirm::Rotate(field) | Confirm::Delete(field)) => Some(field),
            None => None,
        }
    }

    fn busy(&self, session: &Session, on_screen: bool) -> bool {
        on_screen && (self.busy.is_some() || matches!(session.listing, Listing::Loading))
    }

    fn secret_in_flight(&self) -> bool {
        self.busy == Some(ROTATING)
    }

    fn draw(&self, session: &Session, frame: &mut Frame, area: Rect) {
        view::draw(self, session, frame, area);
    }
}

/// Ask for the list (again): it shows as being read until it comes.
fn read_the_list(cx: &mut Cx) -> Vec<Effect> {
    cx.session.listing = Listing::Loading;
    cx.session
        .admin
        .token
        .clone()
        .map(Effect::ListApplications)
        .into_iter()
        .collect()
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
        let expected = selected(self, cx.session)
            .map(confirmation)
            .unwrap_or_default();
        if let Some(confirm) = &mut self.confirm {
            match (confirm, action) {
                (_, Some(Action::Back)) => self.confirm = None,
                (Confirm::Rotate(field) | Confirm::Delete(field), Some(Action::Enter)) => {
                    let rotate = rotating;
                    let typed = field.lines().join("");
                    // Never confirmed by a bare Enter, even for an application without a name.
                    if typed.is_empty() || typed != expected {
                        cx.problem(if rotate {
                            "That does not match; the secret was not rotated."
                        } else {
                            "That does not match; nothing was deleted."
                        });
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
            // Nothing leaves while a rotation, deletion or update is on its way: its answer
            // (a rotation's one-time secret) comes back here.
            Some(Action::Back) if self.busy.is_some() => {}
            Some(Action::Back) if self.open => self.open = false,
            Some(Action::Back) => cx.go(Step::Start),
            Some(Action::Quit) => cx.ask(Request::AskToQuit),
            _ => {}
        }
        Vec::new()
    }

    /// Send the confirmed rotation (or, `rotate` false, deletion) of the selected application.
    fn act(&mut self, cx: &mut Cx, rotate: bool) -> Vec<Effect> {
        self.confirm = None;
        let (Some(token), Some(selected)) =
            (cx.session.admin.token.clone(), selected(self, cx.session))
        else {
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
    pub(crate) fn on_listed(
        &mut self,
        cx: &mut Cx,
        result: Result<Vec<Value>, WebexError>,
    ) -> Vec<Effect> {
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
    pub(crate) fn on_deleted(
        &mut self,
        cx: &mut Cx,
        result: Result<String, WebexError>,
    ) -> Vec<Effect> {
        self.busy = None;
        match result {
            Ok(name) => {
                cx.notify(format!(
                    "Deleted '{}'. It can't be restored.",
                    visible_line(&name)
                ));
                self.open = false;
                read_the_list(cx)
            }
            Err(e) => {
                cx.problem(format!("{e}\n  Next: {}", e.next_step()));
                Vec::new()
            }
        }
    }

    /// Send the form as the application being updated (from Review's Enter).
    pub(crate) fn send_update(&mut self, cx: &mut Cx) -> Vec<Effect> {
        let (Some(id), Some(token)) = (cx.session.updating.clone(), cx.session.admin.token.clone())
        else {
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
    pub(crate) fn on_updated(
        &mut self,
        cx: &mut Cx,
        result: Result<Value, WebexError>,
    ) -> Vec<Effect> {
        self.busy = None;
        match result {
            Ok(updated) => {
                cx.session.updating = None;
                cx.ask(Request::ClearForm);
                self.open = false;
                cx.notify(format!(
                    "Updated '{}'.",
                    visible_line(text(&updated, "name"))
                ));
                read_the_list(cx)
            }
            Err(e) => {
                cx.enter(Step::Review);
                cx.problem(format!("Not updated: {e}\n  Next: {}", e.next_step()));
                Vec::new()
            }
        }
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

mod view;

#[cfg(test)]
mod tests;
