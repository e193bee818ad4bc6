//! The bot's own fields after Details: its e-mail (NAME@webex.bot) and its avatar (an https URL,
//! or a local PNG, JPEG or GIF). Enter checks them with `bot create`'s rules and sends.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui_textarea::TextArea;

use crate::bot::{Avatar, BotDraft, read_avatar};
use crate::tui::context::{Cx, Request, Session, Step};
use crate::tui::effect::Effect;
use crate::tui::keys::Key::Plain;
use crate::tui::keys::{
    Action, Action as A, Binding, DOWN_TABBING, ESC, UP_TABBING, bind, clear, undo,
};
use crate::tui::phase::Phase;
use crate::tui::steps::StepState;
use crate::tui::widgets::{FieldView, error_lines, prose, single_line, spinner, type_into};
use crate::webex::WebexError;

pub type State = BotState;

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

impl StepState for BotState {
    const TITLE: &'static str = "Bot";
    const PURPOSE: &'static str = "The bot's address and picture; its token comes back once.";
    const PHASE: Phase = Phase::Bot;
    const KEYS: &'static [Binding<Self>] = &[
        bind(
            "Enter",
            &[Plain(KeyCode::Enter)],
            A::Enter,
            "next · send",
            "the next field; on the avatar: create the bot",
        ),
        bind(
            "↑↓",
            DOWN_TABBING,
            A::Down,
            "field",
            "move between the fields",
        ),
        bind("", UP_TABBING, A::Up, "", "the previous field"),
        clear(),
        undo(),
        bind("Esc", ESC, A::Back, "back", "back to the details"),
    ];

    fn on_key(&mut self, cx: &mut Cx, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
        if self.sending {
            return Vec::new();
        }
        match action {
            Some(Action::Enter) if self.focus == 0 => self.focus = 1,
            Some(Action::Enter) => {
                let draft = match self.bot_draft(cx.session) {
                    Ok(d) => d,
                    Err(why) => {
                        cx.problem(format!("Not sent: {why}"));
                        return Vec::new();
                    }
                };
                let Some(token) = cx.session.admin.token.clone() else {
                    cx.problem("Enter an admin token first (Esc, then back to Connect).");
                    return Vec::new();
                };
                self.sending = true;
                self.failure = None;
                return vec![Effect::CreateBot {
                    token,
                    draft: Box::new(draft),
                }];
            }
            // Two fields: up and down both go to the other one.
            Some(Action::Down | Action::Up) => self.focus = 1 - self.focus,
            Some(Action::Back) => cx.go(Step::Details),
            Some(Action::Quit) => cx.ask(Request::AskToQuit),
            other => type_into(&mut self.inputs[self.focus], other, key),
        }
        Vec::new()
    }

    fn on_paste(&mut self, _cx: &mut Cx, text: &str) -> Vec<Effect> {
        self.inputs[self.focus].insert_str(text.replace(['\r', '\n'], ""));
        Vec::new()
    }

    fn focused_input(&self, _session: &Session) -> Option<&TextArea<'static>> {
        self.inputs.get(self.focus)
    }

    fn busy(&self, _session: &Session, on_screen: bool) -> bool {
        on_screen && self.sending
    }

    fn secret_in_flight(&self) -> bool {
        self.sending
    }

    fn draw(&self, session: &Session, frame: &mut Frame, area: Rect) {
        draw(self, session, frame, area);
    }
}

/// The avatar as typed: a URL, or a file (`~/` is the home folder), read and checked.
fn avatar(text: &str) -> Result<Avatar, String> {
    let text = text.trim();
    if text.starts_with("https://") || text.starts_with("http://") {
        return Ok(Avatar::Url(text.to_owned()));
    }
    let path = match text.strip_prefix("~/") {
        Some(rest) => {
            directories::BaseDirs::new().map_or_else(|| rest.into(), |d| d.home_dir().join(rest))
        }
        None => text.into(),
    };
    read_avatar(&path)
}

impl BotState {
    /// Fill the bot's own fields from what `bot create` was given; the keyboard goes to the
    /// first one missing.
    pub(crate) fn fill(&mut self, given: &crate::bot::BotPrefill) {
        self.inputs[0] = single_line(&given.bot_email, "e.g. agency-notifier@webex.bot");
        self.inputs[1] = single_line(&given.avatar, "https://… or a local file: ~/bot.png");
        self.focus = usize::from(!given.bot_email.trim().is_empty());
    }

    /// The bot from the Details fields (the session's draft) and these two; the first
    /// problem, if any.
    pub fn bot_draft(&self, session: &Session) -> Result<BotDraft, String> {
        let d = &session.draft;
        let field = |i: usize| self.inputs[i].lines().join("");
        if field(1).trim().is_empty() {
            return Err(
                "Avatar: Webex needs one for a bot; give an https URL or a local PNG, \
                JPEG or GIF file"
                    .into(),
            );
        }
        let draft = BotDraft {
            name: d.name.clone(),
            bot_email: field(0),
            description: d.description.clone(),
            contact_email: d.contact_email.clone(),
            avatar: avatar(&field(1)).map_err(|e| format!("avatar: {e}"))?,
        };
        match draft.problems().into_iter().next() {
            Some(p) => Err(p.replace("--", "")),
            None => Ok(draft),
        }
    }

    /// The bot's create answered: its token on the Bot token screen (with its recovery
    /// copy), or the failure on this one.
    pub(crate) fn on_created(
        &mut self,
        cx: &mut Cx,
        result: Result<
            (
                crate::bot::CreatedBot,
                Result<std::path::PathBuf, crate::files::SaveError>,
            ),
            WebexError,
        >,
    ) -> Vec<Effect> {
        self.sending = false;
        match result {
            Ok((bot, recovery)) => {
                cx.enter(Step::BotToken);
                // After the step change, which clears the message line.
                if let Err(e) = &recovery {
                    cx.problem(format!(
                        "No recovery copy could be written ({e}): copy or save the token now."
                    ));
                }
                let base = cx.session.env.base.to_string();
                cx.session.bot_token = Some(crate::tui::delivery::BotTokenState::new(
                    bot,
                    base,
                    recovery.ok(),
                ));
            }
            Err(e) => self.failure = Some(Box::new(e)),
        }
        Vec::new()
    }
}

fn draw(bot: &BotState, session: &Session, frame: &mut Frame, area: Rect) {
    let t = session.theme;
    let [email, picture, _, below] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Length(3),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    let fields = [
        (
            "Bot e-mail",
            email,
            "Unique across Webex, ending in @webex.bot.",
        ),
        (
            "Avatar",
            picture,
            "An https URL, or a PNG, JPEG or GIF file of at most 1 MiB.",
        ),
    ];
    // The e-mail's rule shows as it is typed, as the integration's fields do.
    let typed_email = bot.inputs[0].lines().join("");
    let email_problem = (!typed_email.trim().is_empty())
        .then(|| crate::bot::check_bot_email(typed_email.trim()).err())
        .flatten();
    for (i, (label, place, hint)) in fields.into_iter().enumerate() {
        FieldView {
            label,
            input: &bot.inputs[i],
            focused: i == bot.focus,
            problem: if i == 0 {
                email_problem.as_deref()
            } else {
                None
            },
            hint,
            theme: t,
        }
        .render(place, frame.buffer_mut());
    }
    let lines = if bot.sending {
        vec![Line::raw(format!(
            "{} Creating the bot …",
            spinner(session.spinner)
        ))]
    } else if let Some(e) = &bot.failure {
        error_lines(e, area.width, t)
    } else {
        vec![Line::styled(
            "Its name, description and contact are the details before. Nothing is sent before \
                Enter on the avatar.",
            t.dim(),
        )]
    };
    frame.render_widget(prose(lines), below);
}
