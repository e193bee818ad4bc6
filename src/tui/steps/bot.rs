//! The bot's own fields after Details: its e-mail (NAME@webex.bot) and its avatar (an https URL,
//! or a local PNG, JPEG or GIF). Enter checks them with `bot create`'s rules and sends.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui_textarea::TextArea;

use super::{go, quit, type_into};
use crate::bot::{Avatar, BotDraft, read_avatar};
use crate::tui::app::{App, Step, single_line};
use crate::tui::effects::Effect;
use crate::tui::keys::Key::Plain;
use crate::tui::keys::{Action, Action as A, Binding, clear, DOWN_TABBING, ESC, undo, UP_TABBING, bind};
use crate::tui::phase::Phase;
use crate::tui::update::problem;
use crate::tui::widgets::{FieldView, error_lines, prose, spinner};
use crate::webex::WebexError;

pub(crate) const TITLE: &str = "Bot";
pub(crate) const PURPOSE: &str = "The bot's address and picture; its token comes back once.";
pub(crate) const PHASE: Phase = Phase::Bot;

pub struct BotState {
    /// The bot e-mail and the avatar.
    pub inputs: [TextArea<'static>; 2],
    pub focus: usize,
    pub sending: bool,
    pub failure: Option<Box<WebexError>>,
}

impl Default for BotState {
    fn default() -> Self {
        BotState {
            inputs: [
                single_line("", "e.g. agency-notifier@webex.bot"),
                single_line("", "https://… or a local file: ~/bot.png"),
            ],
            focus: 0,
            sending: false,
            failure: None,
        }
    }
}

pub(crate) const KEYS: &[Binding] = &[
    bind("Enter", &[Plain(KeyCode::Enter)], A::Enter, "next · send", "the next field; on the avatar: create the bot"),
    bind("↑↓", DOWN_TABBING, A::Down, "field", "move between the fields"),
    bind("", UP_TABBING, A::Up, "", "the previous field"),
    clear(),
    undo(),
    bind("Esc", ESC, A::Back, "back", "back to the details"),
];

/// The avatar as typed: a URL, or a file (`~/` is the home folder), read and checked.
fn avatar(text: &str) -> Result<Avatar, String> {
    let text = text.trim();
    if text.starts_with("https://") || text.starts_with("http://") {
        return Ok(Avatar::Url(text.to_owned()));
    }
    let path = match text.strip_prefix("~/") {
        Some(rest) => directories::BaseDirs::new()
            .map_or_else(|| rest.into(), |d| d.home_dir().join(rest)),
        None => text.into(),
    };
    read_avatar(&path)
}

/// Fill the bot form (Details and this step) from what `bot create` was given, and go to the
/// first place something is missing, through Connect until the token is known to be good.
pub(crate) fn prefill(app: &mut App, given: &crate::bot::BotPrefill) {
    app.session.intent = crate::tui::app::Intent::CreateBot;
    app.load_draft(&crate::integration::IntegrationDraft {
        name: given.name.clone(),
        description: given.description.clone(),
        contact_email: given.contact_email.clone(),
        ..crate::integration::IntegrationDraft::default()
    });
    app.bot.inputs[0] = single_line(&given.bot_email, "e.g. agency-notifier@webex.bot");
    app.bot.inputs[1] = single_line(&given.avatar, "https://… or a local file: ~/bot.png");
    let detail = (0..3).find(|&i| app.details.problem(i).is_some());
    if let Some(i) = detail {
        app.details.focus = i;
    }
    app.bot.focus = usize::from(!given.bot_email.trim().is_empty());
    let step = if detail.is_some() { Step::Details } else { Step::Bot };
    app.connect.resume_to = Some(step);
    app.enter(Step::Connect);
}

/// The bot from the Details fields and these two; the first problem, if any.
pub fn bot_draft(app: &App) -> Result<BotDraft, String> {
    let d = app.draft();
    let field = |i: usize| app.bot.inputs[i].lines().join("");
    if field(1).trim().is_empty() {
        return Err("Avatar: Webex needs one for a bot; give an https URL or a local PNG, JPEG or GIF file".into());
    }
    let draft = BotDraft {
        name: d.name,
        bot_email: field(0),
        description: d.description,
        contact_email: d.contact_email,
        avatar: avatar(&field(1)).map_err(|e| format!("avatar: {e}"))?,
    };
    match draft.problems().into_iter().next() {
        Some(p) => Err(p.replace("--", "")),
        None => Ok(draft),
    }
}

pub(crate) fn on_key(app: &mut App, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    if app.bot.sending {
        return Vec::new();
    }
    match action {
        Some(Action::Enter) if app.bot.focus == 0 => app.bot.focus = 1,
        Some(Action::Enter) => {
            let draft = match bot_draft(app) {
                Ok(d) => d,
                Err(why) => {
                    problem(app, format!("Not sent: {why}"));
                    return Vec::new();
                }
            };
            let Some(token) = app.session.admin.token.clone() else {
                problem(app, "Enter an admin token first (Esc, then back to Connect).");
                return Vec::new();
            };
            app.bot.sending = true;
            app.bot.failure = None;
            return vec![Effect::CreateBot {
                token,
                draft: Box::new(draft),
            }];
        }
        // Two fields: up and down both go to the other one.
        Some(Action::Down | Action::Up) => app.bot.focus = 1 - app.bot.focus,
        Some(Action::Back) => return go(app, Step::Details),
        Some(Action::Quit) => return quit(app),
        other => {
            let focus = app.bot.focus;
            type_into(&mut app.bot.inputs[focus], other, key);
        }
    }
    Vec::new()
}

pub(crate) fn on_paste(app: &mut App, text: &str) -> Vec<Effect> {
    let focus = app.bot.focus;
    app.bot.inputs[focus].insert_str(text.replace(['\r', '\n'], ""));
    Vec::new()
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.session.theme;
    let [email, picture, _, below] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Length(3),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    let fields = [
        ("Bot e-mail", email, "Unique across Webex, ending in @webex.bot."),
        ("Avatar", picture, "An https URL, or a PNG, JPEG or GIF file of at most 1 MiB."),
    ];
    // The e-mail's rule shows as it is typed, as the integration's fields do.
    let typed_email = app.bot.inputs[0].lines().join("");
    let email_problem = (!typed_email.trim().is_empty())
        .then(|| crate::bot::check_bot_email(typed_email.trim()).err())
        .flatten();
    for (i, (label, place, hint)) in fields.into_iter().enumerate() {
        FieldView {
            label,
            input: &app.bot.inputs[i],
            focused: i == app.bot.focus,
            problem: if i == 0 { email_problem.as_deref() } else { None },
            hint,
            theme: t,
        }
        .render(place, frame.buffer_mut());
    }
    let lines = if app.bot.sending {
        vec![Line::raw(format!("{} Creating the bot …", spinner(app.session.spinner)))]
    } else if let Some(e) = &app.bot.failure {
        error_lines(e, area.width, t)
    } else {
        vec![Line::styled(
            "Its name, description and contact are the details before. Nothing is sent before Enter on the avatar.",
            t.dim(),
        )]
    };
    frame.render_widget(prose(lines), below);
}

/// The bot's create answered: its token on the Bot token screen (with its recovery copy), or
/// the failure on this one.
pub(crate) fn on_created(
    app: &mut App,
    result: Result<(crate::bot::CreatedBot, Result<std::path::PathBuf, crate::files::SaveError>), crate::webex::WebexError>,
) -> Vec<Effect> {
    app.bot.sending = false;
    super::stop_if_signalled(app);
    match result {
        Ok((bot, recovery)) => {
            if let Err(e) = &recovery {
                problem(
                    app,
                    format!(
                        "No recovery copy could be written ({e}): copy or save the token now."
                    ),
                );
            }
            let base = app.session.env.base.to_string();
            app.session.bot_token = Some(super::bot_token::BotTokenState::new(
                bot,
                base,
                recovery.ok(),
            ));
            app.enter(Step::BotToken);
        }
        Err(e) => app.bot.failure = Some(Box::new(e)),
    }
    Vec::new()
}
