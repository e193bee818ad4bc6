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
use super::leaving::{ask_or_quit, keep_draft, quit};
use super::phase::Phase;
use super::steps::StepState;
use super::steps::details::DETAIL_FIELDS;
use super::steps::{
    authorize, bot, bot_token, connect, creating, credentials, details, hand_off, manage,
    redirects, review, saved_tokens, scope_test, scopes, start, token_test, tokens,
};
use crate::validate::Field;

/// Run `handler` on step state `$state` with a context over the session; then carry out what
/// it asked for.
macro_rules! with_cx {
    ($app:ident, $state:ident, |$st:ident, $cx:ident| $body:expr) => {{
        $app.sync_draft();
        let mut cx =
            $crate::tui::context::Cx::new(&mut $app.session, $app.step, $app.notice.as_ref());
        let $cx = &mut cx;
        let $st = &mut $app.$state;
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
            // As `crate::tui::route::go` does: the draft is saved before what the step asked runs.
            let mut saved = crate::tui::leaving::keep_draft(app);
            saved.append(&mut effects);
            effects = saved;
        }
    }
    if let Some(notice) = asked.notice {
        app.notice = notice;
    }
    app.overlays.extend(asked.overlays);
    if let Some(exit) = asked.exit {
        app.exit = Some(exit);
    }
    for request in asked.more {
        effects.extend(crate::tui::route::carry_out(app, request));
    }
    effects
}

/// The keys of the step on screen that apply now.
pub fn step_keys(app: &App) -> Vec<Row> {
    match app.step {
        Step::Start => keys::applying(start::State::KEYS, &app.start, &app.session),
        Step::Connect => keys::applying(connect::State::KEYS, &app.connect, &app.session),
        Step::Details => keys::applying(details::State::KEYS, &app.details, &app.session),
        Step::RedirectUrls => keys::applying(redirects::State::KEYS, &app.redirects, &app.session),
        Step::Scopes => keys::applying(scopes::State::KEYS, &app.scopes, &app.session),
        Step::Review => keys::applying(review::State::KEYS, &app.review, &app.session),
        Step::Creating => keys::applying(creating::State::KEYS, &app.creating, &app.session),
        Step::Credentials => {
            keys::applying(credentials::State::KEYS, &app.credentials, &app.session)
        }
        Step::Authorize => keys::applying(authorize::State::KEYS, &app.authorize, &app.session),
        Step::Tokens => keys::applying(tokens::State::KEYS, &app.tokens, &app.session),
        Step::TestScopes => keys::applying(scope_test::State::KEYS, &app.scope_test, &app.session),
        Step::Manage => keys::applying(manage::State::KEYS, &app.manage, &app.session),
        Step::TokenTest => keys::applying(token_test::State::KEYS, &app.token_test, &app.session),
        Step::Bot => keys::applying(bot::State::KEYS, &app.bot, &app.session),
        Step::BotToken => keys::applying(bot_token::State::KEYS, &app.bot_token, &app.session),
        Step::HandOff => keys::applying(hand_off::State::KEYS, &app.hand_off, &app.session),
        Step::SavedTokens => {
            keys::applying(saved_tokens::State::KEYS, &app.saved_tokens, &app.session)
        }
    }
}

/// Draw the step on screen into `area`.
pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    match app.step {
        Step::Start => app.start.draw(&app.session, frame, area),
        Step::Connect => app.connect.draw(&app.session, frame, area),
        Step::Details => app.details.draw(&app.session, frame, area),
        Step::RedirectUrls => app.redirects.draw(&app.session, frame, area),
        Step::Scopes => app.scopes.draw(&app.session, frame, area),
        Step::Review => app.review.draw(&app.session, frame, area),
        Step::Creating => app.creating.draw(&app.session, frame, area),
        Step::Credentials => app.credentials.draw(&app.session, frame, area),
        Step::Authorize => app.authorize.draw(&app.session, frame, area),
        Step::Tokens => app.tokens.draw(&app.session, frame, area),
        Step::TestScopes => app.scope_test.draw(&app.session, frame, area),
        Step::Manage => app.manage.draw(&app.session, frame, area),
        Step::TokenTest => app.token_test.draw(&app.session, frame, area),
        Step::Bot => app.bot.draw(&app.session, frame, area),
        Step::BotToken => app.bot_token.draw(&app.session, frame, area),
        Step::HandOff => app.hand_off.draw(&app.session, frame, area),
        Step::SavedTokens => app.saved_tokens.draw(&app.session, frame, area),
    }
}

/// A key for the step on screen.
pub fn step_key(app: &mut App, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    match app.step {
        Step::Start => with_cx!(app, start, |st, cx| st.on_key(cx, action, key)),
        Step::Connect => with_cx!(app, connect, |st, cx| st.on_key(cx, action, key)),
        Step::Details => with_cx!(app, details, |st, cx| st.on_key(cx, action, key)),
        Step::RedirectUrls => with_cx!(app, redirects, |st, cx| st.on_key(cx, action, key)),
        Step::Scopes => with_cx!(app, scopes, |st, cx| st.on_key(cx, action, key)),
        Step::Review => with_cx!(app, review, |st, cx| st.on_key(cx, action, key)),
        Step::Creating => with_cx!(app, creating, |st, cx| st.on_key(cx, action, key)),
        Step::Credentials => with_cx!(app, credentials, |st, cx| st.on_key(cx, action, key)),
        Step::Authorize => with_cx!(app, authorize, |st, cx| st.on_key(cx, action, key)),
        Step::Tokens => with_cx!(app, tokens, |st, cx| st.on_key(cx, action, key)),
        Step::TestScopes => with_cx!(app, scope_test, |st, cx| st.on_key(cx, action, key)),
        Step::Manage => with_cx!(app, manage, |st, cx| st.on_key(cx, action, key)),
        Step::TokenTest => with_cx!(app, token_test, |st, cx| st.on_key(cx, action, key)),
        Step::Bot => with_cx!(app, bot, |st, cx| st.on_key(cx, action, key)),
        Step::BotToken => with_cx!(app, bot_token, |st, cx| st.on_key(cx, action, key)),
        Step::HandOff => with_cx!(app, hand_off, |st, cx| st.on_key(cx, action, key)),
        Step::SavedTokens => with_cx!(app, saved_tokens, |st, cx| st.on_key(cx, action, key)),
    }
}

/// Pasted text goes where typing would go on the step on screen.
pub fn on_paste(app: &mut App, text: &str) -> Vec<Effect> {
    if !app.overlays.is_empty() {
        return Vec::new();
    }
    match app.step {
        Step::Start => with_cx!(app, start, |st, cx| st.on_paste(cx, text)),
        Step::Connect => with_cx!(app, connect, |st, cx| st.on_paste(cx, text)),
        Step::Details => with_cx!(app, details, |st, cx| st.on_paste(cx, text)),
        Step::RedirectUrls => with_cx!(app, redirects, |st, cx| st.on_paste(cx, text)),
        Step::Scopes => with_cx!(app, scopes, |st, cx| st.on_paste(cx, text)),
        Step::Review => with_cx!(app, review, |st, cx| st.on_paste(cx, text)),
        Step::Creating => with_cx!(app, creating, |st, cx| st.on_paste(cx, text)),
        Step::Credentials => with_cx!(app, credentials, |st, cx| st.on_paste(cx, text)),
        Step::Authorize => with_cx!(app, authorize, |st, cx| st.on_paste(cx, text)),
        Step::Tokens => with_cx!(app, tokens, |st, cx| st.on_paste(cx, text)),
        Step::TestScopes => with_cx!(app, scope_test, |st, cx| st.on_paste(cx, text)),
        Step::Manage => with_cx!(app, manage, |st, cx| st.on_paste(cx, text)),
        Step::TokenTest => with_cx!(app, token_test, |st, cx| st.on_paste(cx, text)),
        Step::Bot => with_cx!(app, bot, |st, cx| st.on_paste(cx, text)),
        Step::BotToken => with_cx!(app, bot_token, |st, cx| st.on_paste(cx, text)),
        Step::HandOff => with_cx!(app, hand_off, |st, cx| st.on_paste(cx, text)),
        Step::SavedTokens => with_cx!(app, saved_tokens, |st, cx| st.on_paste(cx, text)),
    }
}

/// Open `step` afresh: the step says what it starts with.
pub fn open(app: &mut App, step: Step) -> Vec<Effect> {
    match step {
        Step::SavedTokens => with_cx!(app, saved_tokens, |st, cx| {
            cx.go(step);
            st.open(cx)
        }),
        Step::Manage => with_cx!(app, manage, |st, cx| st.open(cx)),
        Step::HandOff => with_cx!(app, hand_off, |st, cx| {
            cx.go(step);
            st.open(cx)
        }),
        Step::Authorize => with_cx!(app, authorize, |st, cx| {
            cx.go(step);
            st.open(cx)
        }),
        Step::Creating => with_cx!(app, creating, |st, cx| {
            cx.go(step);
            st.open(cx)
        }),
        Step::TestScopes => with_cx!(app, scope_test, |st, cx| {
            cx.go(step);
            st.open(cx)
        }),
        other => crate::tui::route::go(app, other),
    }
}

impl Step {
    pub fn title(self) -> &'static str {
        match self {
            Step::Start => start::State::TITLE,
            Step::Connect => connect::State::TITLE,
            Step::Details => details::State::TITLE,
            Step::RedirectUrls => redirects::State::TITLE,
            Step::Scopes => scopes::State::TITLE,
            Step::Review => review::State::TITLE,
            Step::Creating => creating::State::TITLE,
            Step::Credentials => credentials::State::TITLE,
            Step::Authorize => authorize::State::TITLE,
            Step::Tokens => tokens::State::TITLE,
            Step::TestScopes => scope_test::State::TITLE,
            Step::Manage => manage::State::TITLE,
            Step::TokenTest => token_test::State::TITLE,
            Step::Bot => bot::State::TITLE,
            Step::BotToken => bot_token::State::TITLE,
            Step::HandOff => hand_off::State::TITLE,
            Step::SavedTokens => saved_tokens::State::TITLE,
        }
    }

    /// One line on what the step is for, under its title.
    pub fn purpose(self) -> &'static str {
        match self {
            Step::Start => start::State::PURPOSE,
            Step::Connect => connect::State::PURPOSE,
            Step::Details => details::State::PURPOSE,
            Step::RedirectUrls => redirects::State::PURPOSE,
            Step::Scopes => scopes::State::PURPOSE,
            Step::Review => review::State::PURPOSE,
            Step::Creating => creating::State::PURPOSE,
            Step::Credentials => credentials::State::PURPOSE,
            Step::Authorize => authorize::State::PURPOSE,
            Step::Tokens => tokens::State::PURPOSE,
            Step::TestScopes => scope_test::State::PURPOSE,
            Step::Manage => manage::State::PURPOSE,
            Step::TokenTest => token_test::State::PURPOSE,
            Step::Bot => bot::State::PURPOSE,
            Step::BotToken => bot_token::State::PURPOSE,
            Step::HandOff => hand_off::State::PURPOSE,
            Step::SavedTokens => saved_tokens::State::PURPOSE,
        }
    }

    /// Creating the integration, proving it works, or both.
    pub fn phase(self) -> Phase {
        match self {
            Step::Start => start::State::PHASE,
            Step::Connect => connect::State::PHASE,
            Step::Details => details::State::PHASE,
            Step::RedirectUrls => redirects::State::PHASE,
            Step::Scopes => scopes::State::PHASE,
            Step::Review => review::State::PHASE,
            Step::Creating => creating::State::PHASE,
            Step::Credentials => credentials::State::PHASE,
            Step::Authorize => authorize::State::PHASE,
            Step::Tokens => tokens::State::PHASE,
            Step::TestScopes => scope_test::State::PHASE,
            Step::Manage => manage::State::PHASE,
            Step::TokenTest => token_test::State::PHASE,
            Step::Bot => bot::State::PHASE,
            Step::BotToken => bot_token::State::PHASE,
            Step::HandOff => hand_off::State::PHASE,
            Step::SavedTokens => saved_tokens::State::PHASE,
        }
    }

    /// The step's key table, every row.
    pub fn keys(self) -> Vec<Row> {
        match self {
            Step::Start => keys::rows(start::State::KEYS),
            Step::Connect => keys::rows(connect::State::KEYS),
            Step::Details => keys::rows(details::State::KEYS),
            Step::RedirectUrls => keys::rows(redirects::State::KEYS),
            Step::Scopes => keys::rows(scopes::State::KEYS),
            Step::Review => keys::rows(review::State::KEYS),
            Step::Creating => keys::rows(creating::State::KEYS),
            Step::Credentials => keys::rows(credentials::State::KEYS),
            Step::Authorize => keys::rows(authorize::State::KEYS),
            Step::Tokens => keys::rows(tokens::State::KEYS),
            Step::TestScopes => keys::rows(scope_test::State::KEYS),
            Step::Manage => keys::rows(manage::State::KEYS),
            Step::TokenTest => keys::rows(token_test::State::KEYS),
            Step::Bot => keys::rows(bot::State::KEYS),
            Step::BotToken => keys::rows(bot_token::State::KEYS),
            Step::HandOff => keys::rows(hand_off::State::KEYS),
            Step::SavedTokens => keys::rows(saved_tokens::State::KEYS),
        }
    }
}

/// What the check of the admin token found.
pub fn token_checked(
    app: &mut App,
    result: Result<crate::webex::people::Person, crate::webex::WebexError>,
) {
    with_cx!(app, connect, |st, cx| {
        st.token_checked(cx, result);
        Vec::new()
    });
}

/// The saved tokens files were read.
pub fn saved_tokens_listed(app: &mut App, rows: Vec<crate::token_radar::SavedTokens>) {
    with_cx!(app, saved_tokens, |st, cx| {
        st.on_listed(cx, rows);
        Vec::new()
    });
}

/// A refresh of saved tokens ended.
pub fn saved_tokens_refreshed(app: &mut App, result: Result<String, String>) -> Vec<Effect> {
    with_cx!(app, saved_tokens, |st, cx| st.on_refreshed(cx, result))
}

/// Carry out what a step asked of the wizard as a whole.
pub(crate) fn carry_out(app: &mut App, request: super::context::Request) -> Vec<Effect> {
    use super::context::Request;
    match request {
        Request::Open(step) => super::route::open(app, step),
        Request::Quit => quit(app),
        Request::AskToQuit => ask_or_quit(app),
        Request::JumpTo {
            field,
            index,
            why,
            found,
        } => jump_to(app, field, index, why, found),
        Request::AskForToken { resume_to, reason } => {
            super::route::with_cx!(app, connect, |st, cx| {
                st.ask_for_token(cx, resume_to, reason);
                Vec::new()
            })
        }
        Request::ResumeAfterSignIn(step) => {
            app.connect.resume_to = Some(step);
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
        Request::SendUpdate => super::route::with_cx!(app, manage, |st, cx| st.send_update(cx)),
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
        app.details.focus_field(d);
        cause = Some(Cause::Detail(d));
    }
    if step == Step::RedirectUrls {
        if let Some(i) = app.redirects.focus_line(index) {
            cause = Some(Cause::RedirectUrl(i));
        } else if app.draft().redirect_urls.is_empty() {
            cause = Some(Cause::NoRedirectUrl);
        }
    }
    if step == Step::Scopes && app.scopes.chosen.is_empty() {
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
        return super::route::with_cx!(app, credentials, |st, cx| st.on_key(cx, Some(action), key));
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
        return super::route::with_cx!(app, bot_token, |st, cx| st.on_key(cx, Some(action), key));
    }
    Vec::new()
}
