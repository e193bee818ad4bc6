//! The wizard as a router: which step a key, a paste or a drawing goes to, and what the
//! step asked for done afterwards. Steps see their own state and a [`Cx`]; only this module
//! (and the wizard's own windows) see the whole [`App`].

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;

use super::app::{App, Cause, Step};
use super::context::Found;
use super::context::Requests;
use super::effect::Effect;
use super::keys::{self, Action, Row};
use super::leaving::{ask_or_quit, keep_draft};
use super::phase::Phase;
use super::steps::StepState;
use super::steps::details::DETAIL_FIELDS;
use crate::validate::Field;

/// Run `handler` on step state `$state` with a context over the session; then carry out what
/// it asked for.
macro_rules! with_cx {
    ($app:ident, $state:ident, |$st:ident, $cx:ident| $body:expr) => {{
        $app.sync_draft();
        let mut cx = $crate::tui::context::Cx::new(&mut $app.session, $app.step);
        let $cx = &mut cx;
        let $st = &mut $app.steps.$state;
        let effects: Vec<Effect> = $body;
        let asked = cx.finish();
        $crate::tui::route::settle($app, asked, effects)
    }};
}
pub(crate) use with_cx;

/// Carry out what a step asked for, after its own effects.
pub fn settle(app: &mut App, asked: Requests, mut effects: Vec<Effect>) -> Vec<Effect> {
    if let Some((step, save)) = asked.next {
        app.enter(step);
        if save {
            // As `go` does: the draft is saved before what the step asked runs.
            let mut saved = keep_draft(app);
            saved.append(&mut effects);
            effects = saved;
        }
    }
    if let Some(notice) = asked.notice {
        app.notice = notice;
    }
    app.overlays.extend(asked.overlays);
    for request in asked.more {
        effects.extend(carry_out(app, request));
    }
    effects
}

/// The routing of every step, from the one list in `tui/mod.rs`: each arm hands the step its
/// own state (`app.steps.<module>`) and a [`Cx`](super::context::Cx), never the whole `App`.
macro_rules! route_steps {
    ($($step:ident => $module:ident),+ $(,)?) => {
        impl Step {
            pub fn title(self) -> &'static str {
                match self {
                    $(Step::$step => <super::steps::$module::State as StepState>::TITLE),+
                }
            }

            /// One line on what the step is for, under its title.
            pub fn purpose(self) -> &'static str {
                match self {
                    $(Step::$step => <super::steps::$module::State as StepState>::PURPOSE),+
                }
            }

            /// Creating the integration, proving it works, or both.
            pub fn phase(self) -> Phase {
                match self {
                    $(Step::$step => <super::steps::$module::State as StepState>::PHASE),+
                }
            }

            /// The step's key table, every row.
            pub fn keys(self) -> Vec<Row> {
                match self {
                    $(Step::$step => keys::rows(<super::steps::$module::State as StepState>::KEYS)),+
                }
            }
        }

        /// The keys of the step on screen that apply now.
        pub fn step_keys(app: &App) -> Vec<Row> {
            match app.step {
                $(Step::$step => keys::applying(
                    <super::steps::$module::State as StepState>::KEYS,
                    &app.steps.$module,
                    &app.session,
                )),+
            }
        }

        /// Draw the step on screen into `area`.
        pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
            match app.step {
                $(Step::$step => app.steps.$module.draw(&app.session, frame, area)),+
            }
        }

        /// A key for the step on screen.
        pub fn step_key(app: &mut App, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
            match app.step {
                $(Step::$step => with_cx!(app, $module, |st, cx| st.on_key(cx, action, key))),+
            }
        }

        /// Pasted text goes where typing would go on the step on screen.
        pub fn on_paste(app: &mut App, text: &str) -> Vec<Effect> {
            if !app.overlays.is_empty() {
                return Vec::new();
            }
            match app.step {
                $(Step::$step => with_cx!(app, $module, |st, cx| st.on_paste(cx, text))),+
            }
        }

        /// Open `step` afresh: the step says what it starts with, and goes there when it can.
        pub fn open(app: &mut App, step: Step) -> Vec<Effect> {
            match step {
                $(Step::$step => with_cx!(app, $module, |st, cx| st.open(cx, step))),+
            }
        }

        impl App {
            /// The text field that has the keyboard, if any.
            pub fn focused_input(&self) -> Option<&ratatui_textarea::TextArea<'static>> {
                match self.step {
                    $(Step::$step => self.steps.$module.focused_input(&self.session)),+
                }
            }

            /// Something is running that the screen should animate.
            pub fn is_busy(&self) -> bool {
                let on_screen = self.step;
                false $(|| self.steps.$module.busy(&self.session, on_screen == Step::$step))+
            }

            /// A request whose answer carries a one-time secret is on its way: a create, a
            /// rotation, a bot or an authorization's exchange. A signal then waits for the
            /// answer to be kept.
            pub fn secret_in_flight(&self) -> bool {
                false $(|| self.steps.$module.secret_in_flight())+
            }

            /// After every message (and at the start): each step shows the cursor where the
            /// keyboard is.
            pub fn refocus(&mut self) {
                let on_screen = self.step;
                $(self.steps.$module.refocus(&self.session, on_screen == Step::$step);)+
            }
        }
    };
}

wizard_steps!(route_steps);

/// Carry out what a step asked of the wizard as a whole.
pub(crate) fn carry_out(app: &mut App, request: super::context::Request) -> Vec<Effect> {
    use super::context::Request;
    match request {
        Request::Open(step) => open(app, step),
        Request::AskToQuit => ask_or_quit(app),
        Request::JumpTo {
            field,
            index,
            why,
            found,
        } => jump_to(app, field, index, why, found),
        Request::AskForToken { resume_to, reason } => {
            with_cx!(app, connect, |st, cx| {
                st.ask_for_token(cx, resume_to, reason);
                Vec::new()
            })
        }
        Request::ResumeAfterSignIn(step) => {
            app.steps.connect.resume_to = Some(step);
            Vec::new()
        }
        Request::DoneWithRecovered => {
            app.session.credentials = None;
            if !app.show_next_recovered() {
                app.enter(Step::Start);
                app.offer_draft();
            }
            app.notify("The recovered credentials are stored; their recovery copy is removed.");
            Vec::new()
        }
        Request::SendUpdate => with_cx!(app, manage, |st, cx| st.send_update(cx)),
        Request::ClearForm => {
            app.clear_form();
            Vec::new()
        }
        Request::LoadDraft(draft) => {
            app.load_draft(&draft);
            Vec::new()
        }
    }
}

/// Move to `step`, saving the draft as every step change does.
pub(crate) fn go(app: &mut App, step: Step) -> Vec<Effect> {
    app.enter(step);
    keep_draft(app)
}

/// The step and field where a problem is fixed.
pub(crate) fn place_of(field: Field) -> (Step, Option<usize>) {
    match field {
        Field::RedirectUrls => (Step::RedirectUrls, None),
        Field::Scopes => (Step::Scopes, None),
        other => (
            Step::Details,
            DETAIL_FIELDS.iter().position(|f| *f == other),
        ),
    }
}

/// Take the user to where `field` is typed, with `why` on screen.
pub(crate) fn jump_to(
    app: &mut App,
    field: Field,
    index: Option<usize>,
    why: String,
    found: Found,
) -> Vec<Effect> {
    let (step, detail) = place_of(field);
    let mut cause = None;
    if let Some(d) = detail {
        app.steps.details.focus_field(d);
        cause = Some(Cause::Detail(d));
    }
    if step == Step::RedirectUrls {
        if let Some(i) = app.steps.redirects.focus_line(index) {
            cause = Some(Cause::RedirectUrl(i));
        } else if app.draft().redirect_urls.is_empty() {
            cause = Some(Cause::NoRedirectUrl);
        }
    }
    if step == Step::Scopes && app.steps.scopes.chosen.is_empty() {
        cause = Some(Cause::NoScope);
    }
    let effects = go(app, step);
    match cause {
        Some(c) if found == Found::Locally => app.problem_about(c, why),
        _ => app.problem(why),
    }
    effects
}

/// Keys while the terminal is too small to draw the step: nothing acts on what can't be seen
/// (a field, a question). Only the keys the small view lists act: s, c and r on a one-time
/// secret that is not stored yet, whichever step is under it.
pub(crate) fn small_terminal_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let KeyCode::Char(c) = key.code else {
        return Vec::new();
    };
    if app
        .session
        .credentials
        .as_ref()
        .is_some_and(|c| !c.is_stored())
    {
        let action = match c {
            's' => Action::Save,
            'c' => Action::CopySecret,
            'r' => Action::Reveal,
            _ => return Vec::new(),
        };
        return with_cx!(app, credentials, |st, cx| st.on_key(cx, Some(action), key));
    }
    if app
        .session
        .bot_token
        .as_ref()
        .is_some_and(|b| !b.is_stored())
    {
        let action = match c {
            's' => Action::Save,
            'c' => Action::CopyToken,
            'r' => Action::Reveal,
            _ => return Vec::new(),
        };
        return with_cx!(app, bot_token, |st, cx| st.on_key(cx, Some(action), key));
    }
    Vec::new()
}
