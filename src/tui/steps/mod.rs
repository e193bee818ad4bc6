//! The wizard's steps: one module each, holding its state, its key table, its handlers and
//! its drawing, behind the [`StepState`] trait. A step sees its own state and a [`Cx`] (the
//! session and a way to ask the wizard for something); it never names another step's state.

pub mod scope_list;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui_textarea::TextArea;

pub use super::context::Step;
use super::context::{Cx, Session};
use super::effect::Effect;
use super::keys::{Action, Binding};
use super::phase::Phase;

/// A step: its state, and all it does with it. Each step module implements this for its own
/// state, and the wizard routes keys, pastes and drawing to the step on screen through it.
pub trait StepState: Sized + 'static {
    const TITLE: &'static str;
    /// One line on what the step is for, under its title.
    const PURPOSE: &'static str;
    /// Creating the integration, proving it works, or both.
    const PHASE: Phase;
    /// The step's keys: the handler, the key bar and help all read this table.
    const KEYS: &'static [Binding<Self>];

    /// A key, as the table read it (`action`), for the step on screen.
    fn on_key(&mut self, cx: &mut Cx, action: Option<Action>, key: KeyEvent) -> Vec<Effect>;

    /// Pasted text goes where typing would go.
    fn on_paste(&mut self, _cx: &mut Cx, _text: &str) -> Vec<Effect> {
        Vec::new()
    }

    /// Draw the step into `area`.
    fn draw(&self, session: &Session, frame: &mut Frame, area: Rect);

    /// The step is opened afresh (a choice on Start, say) as `step`: what it starts with.
    /// The step change is the step's own to ask for (`cx.go`, or `cx.enter` to save no
    /// draft), so one that can't open (nothing to show) leaves the user where they are.
    fn open(&mut self, cx: &mut Cx, step: Step) -> Vec<Effect> {
        cx.go(step);
        Vec::new()
    }

    /// The text field that has the keyboard while this step is on screen, if any (typed
    /// characters go there, so `?` and `q` are text, not keys).
    fn focused_input(&self, _session: &Session) -> Option<&TextArea<'static>> {
        None
    }

    /// Something runs that the screen should animate (`on_screen`: this step is drawn).
    fn busy(&self, _session: &Session, _on_screen: bool) -> bool {
        false
    }

    /// A request whose answer carries a one-time secret is on its way from this step: a
    /// signal then waits for the answer to be kept.
    fn secret_in_flight(&self) -> bool {
        false
    }

    /// After every message: show the cursor where the keyboard is (`on_screen`: this step
    /// is the one drawn and no window is over it).
    fn refocus(&mut self, _session: &Session, _on_screen: bool) {}
}

/// Declares the step modules and what each says of itself, from the one list in `tui/mod.rs`.
macro_rules! steps {
    ($($step:ident => $module:ident),+ $(,)?) => {
        $(pub mod $module;)+

    };
}

wizard_steps!(steps);

/// What the steps' unit tests share: a wizard on Webex for Government and a way to press keys through the
/// real key tables and update function.
#[cfg(test)]
pub(crate) mod testing {
    use ratatui::crossterm::event::{KeyCode, KeyEvent};

    use crate::tui::app::{App, AppConfig, CredentialsState, Step};
    use crate::tui::effects::Effect;
    use crate::tui::message::Message;

    /// A wizard with no token yet, on `step`.
    pub fn app_on(step: Step) -> App {
        let mut app = App::new(AppConfig {
            env: crate::env::Environment::fedramp(),
            catalog: crate::catalog::Catalog::embedded(),
            token: None,
            theme: crate::tui::theme::Theme { color: false },
            auth_wait: std::time::Duration::from_secs(300),
            fedramp: true,
        });
        app.step = step;
        app
    }

    /// The same, with a created integration on screen.
    pub fn with_credentials(step: Step) -> App {
        let mut app = app_on(step);
        let saved = serde_json::from_str(
            r#"{"apiBase":"https://api-usgov.webex.com/v1","clientId":"C1","clientSecret":"S3CRET","name":"Audit Reader","redirectUrls":["http://localhost:8080/callback","https://app.example.gov/cb"],"scopes":["spark:people_read","audit:events_read"]}"#,
        )
        .expect("a credentials file");
        app.session.credentials = Some(CredentialsState::new(saved, None, false));
        app
    }

    pub fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
        crate::tui::update::update(app, Message::Key(KeyEvent::from(code)))
    }

    pub fn ctrl(app: &mut App, c: char) -> Vec<Effect> {
        let key = KeyEvent::new(
            KeyCode::Char(c),
            ratatui::crossterm::event::KeyModifiers::CONTROL,
        );
        crate::tui::update::update(app, Message::Key(key))
    }

    pub fn type_text(app: &mut App, text: &str) {
        for c in text.chars() {
            press(app, KeyCode::Char(c));
        }
    }
}

#[cfg(test)]
mod small_terminal_tests {
    use ratatui::crossterm::event::KeyCode;

    use super::testing::{app_on, press, type_text, with_credentials};
    use crate::tui::app::{Overlay, Step};
    use crate::tui::effects::Effect;

    #[test]
    fn keys_do_not_type_into_a_field_the_small_view_does_not_draw() {
        let mut app = app_on(Step::Details);
        app.session.screen = (60, 15);
        type_text(&mut app, "hidden");
        assert_eq!(
            app.steps.details.inputs[0].lines().join(""),
            "",
            "typed into a field not on screen"
        );
        app.session.screen = (80, 24);
        type_text(&mut app, "seen");
        assert_eq!(app.steps.details.inputs[0].lines().join(""), "seen");
    }

    #[test]
    fn the_keys_the_small_view_lists_keep_the_secret_from_any_step() {
        // A rotated secret, not stored, with Manage underneath: s still saves it.
        let mut app = with_credentials(Step::Manage);
        app.session.screen = (60, 15);
        let effects = press(&mut app, KeyCode::Char('s'));
        assert!(
            matches!(effects.as_slice(), [Effect::SaveCredentials(_)]),
            "{effects:?}"
        );
        press(&mut app, KeyCode::Char('r'));
        assert!(app.session.credentials.as_ref().is_some_and(|c| c.revealed));
        // A question can't be answered unseen: its keys wait for a larger window.
        app.overlays.push(Overlay::ConfirmQuit);
        press(&mut app, KeyCode::Esc);
        assert!(matches!(app.overlays.last(), Some(Overlay::ConfirmQuit)));
    }
}
