//! Step 3, Redirect URLs: typed exactly as sent, with the loopback URL offered as a suggestion.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui_textarea::TextArea;

use crate::integration::IntegrationDraft;
use crate::tui::context::{Cause, Cx, Session, Step};
use crate::tui::effect::Effect;
use crate::tui::keys::Key::{Ctrl, Plain};
use crate::tui::keys::{
    Action, Action as A, Binding, DOWN_TABBING, ENTER, ESC, UP_DOWN_LABEL, UP_TABBING, also, bind,
    clear, undo, when,
};
use crate::tui::phase::Phase;
use crate::tui::steps::StepState;
use crate::tui::widgets::{FieldView, prose, show_cursor, single_line, type_into};
use crate::validate::{self};

/// Step 3.
pub struct RedirectState {
    pub lines: Vec<TextArea<'static>>,
    pub focus: usize,
    pub touched: bool,
}

/// The redirect URL offered as a starting point.
pub const DEFAULT_REDIRECT_URL: &str = "http://localhost:8080/callback";

/// What an empty redirect line says.
pub const REDIRECT_PLACEHOLDER: &str = "(empty: Enter goes to the next step)";

/// What an empty redirect line says while the suggestion is on offer.
pub const REDIRECT_SUGGESTION: &str = "→ takes http://localhost:8080/callback";

pub type State = RedirectState;

impl Default for RedirectState {
    fn default() -> Self {
        // Empty: the offered URL is a suggestion (→ takes it), so what is typed is sent as typed.
        RedirectState {
            lines: vec![single_line("", REDIRECT_PLACEHOLDER)],
            focus: 0,
            touched: false,
        }
    }
}

impl RedirectState {
    /// The problem with redirect line `index`, whether or not it shows yet.
    pub fn problem(&self, index: usize) -> Option<String> {
        let value = self.lines[index].lines().join("");
        if value.trim().is_empty() {
            return None;
        }
        if let Err(e) = validate::check_redirect_url(&value) {
            return Some(e);
        }
        let earlier = self.lines[..index]
            .iter()
            .any(|l| l.lines().join("").trim() == value.trim());
        earlier.then(|| "this URL is already in the list".to_owned())
    }

    /// The URL → would put on the focused redirect line: only on an empty line, and only
    /// while no line holds it yet.
    pub fn suggestion(&self) -> Option<&'static str> {
        let r = self;
        let focused_empty = r
            .lines
            .get(r.focus)
            .is_some_and(|l| l.lines().join("").trim().is_empty());
        let listed = r
            .lines
            .iter()
            .any(|l| l.lines().join("").trim() == DEFAULT_REDIRECT_URL);
        (focused_empty && !listed).then_some(DEFAULT_REDIRECT_URL)
    }

    /// Whether the redirect list has a loopback URL the wizard can catch a callback on.
    pub fn has_loopback(&self) -> bool {
        // Drawn on every frame of step 3: look at the lines, not a whole copy of the draft.
        self.lines.iter().any(|line| {
            validate::check_redirect_url(&line.lines().join(""))
                .is_ok_and(|url| validate::is_loopback_host(&url))
        })
    }

    /// The URLs typed, in order, blank lines left out.
    pub fn urls(&self) -> Vec<String> {
        self.lines
            .iter()
            .map(|l| l.lines().join(""))
            .filter(|u| !u.trim().is_empty())
            .collect()
    }

    /// Fill the lines from a draft (an empty list keeps what is typed).
    pub fn load(&mut self, draft: &IntegrationDraft) {
        if !draft.redirect_urls.is_empty() {
            self.lines = draft
                .redirect_urls
                .iter()
                .map(|u| single_line(u, REDIRECT_PLACEHOLDER))
                .collect();
            self.focus = 0;
        }
    }
}

fn suggesting(r: &State, _: &Session) -> bool {
    r.suggestion().is_some()
}

impl StepState for RedirectState {
    const TITLE: &'static str = "Redirect URLs";
    const PURPOSE: &'static str =
        "Where Webex sends the browser after consent: https, or http on loopback only.";
    const PHASE: Phase = Phase::Create;
    const KEYS: &'static [Binding<Self>] = &[
        when(
            bind(
                "→",
                &[Plain(KeyCode::Right)],
                A::AcceptSuggestion,
                "use suggestion",
                "on an empty line: take the suggested http://localhost:8080/callback",
            ),
            suggesting,
        ),
        bind(
            "Enter",
            ENTER,
            A::Enter,
            "add · on empty: next",
            "on a filled line: add a line below; on an empty line: the scopes",
        ),
        bind(
            "Esc",
            ESC,
            A::Back,
            "back",
            "previous step (nothing typed is lost)",
        ),
        bind(
            UP_DOWN_LABEL,
            UP_TABBING,
            A::Up,
            "line",
            "previous / next line (also Shift-Tab, Tab)",
        ),
        also(DOWN_TABBING, A::Down),
        bind(
            "^D",
            &[Ctrl('d')],
            A::DeleteLine,
            "delete",
            "delete the line",
        ),
        bind(
            "^G",
            &[Ctrl('g')],
            A::DeviceLogin,
            "device login",
            "add Webex's three device-helper redirect URLs, so device login (a code on any \
            device, for SSH sessions) works",
        ),
        clear(),
        undo(),
    ];

    fn on_key(&mut self, cx: &mut Cx, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
        self.key(cx, action, key);
        Vec::new()
    }

    fn on_paste(&mut self, _cx: &mut Cx, text: &str) -> Vec<Effect> {
        // Several lines pasted: one URL each, below the current line.
        let mut urls = text.lines().map(str::trim).filter(|l| !l.is_empty());
        let focus = self.focus;
        if let Some(first) = urls.next() {
            self.lines[focus].insert_str(first);
        }
        for (n, url) in urls.enumerate() {
            self.lines
                .insert(focus + 1 + n, single_line(url, REDIRECT_PLACEHOLDER));
            self.focus = focus + 1 + n;
        }
        Vec::new()
    }

    fn focused_input(&self, _session: &Session) -> Option<&TextArea<'static>> {
        self.lines.get(self.focus)
    }

    fn draw(&self, session: &Session, frame: &mut Frame, area: Rect) {
        draw(self, session, frame, area);
    }

    fn refocus(&mut self, session: &Session, on_screen: bool) {
        let suggest = self.suggestion().is_some();
        for (i, line) in self.lines.iter_mut().enumerate() {
            let focused = on_screen && i == self.focus;
            show_cursor(line, session.theme, focused);
            line.set_placeholder_text(if focused && suggest {
                REDIRECT_SUGGESTION
            } else {
                REDIRECT_PLACEHOLDER
            });
        }
    }
}

impl RedirectState {
    fn blank(&self, index: usize) -> bool {
        self.lines[index].lines().join("").trim().is_empty()
    }

    /// Show the list's problems, with the keyboard on line `index` when there is one.
    pub(crate) fn focus_line(&mut self, index: Option<usize>) -> Option<usize> {
        self.touched = true;
        let index = index.filter(|i| *i < self.lines.len())?;
        self.focus = index;
        Some(index)
    }

    fn key(&mut self, cx: &mut Cx, action: Option<Action>, key: KeyEvent) {
        let count = self.lines.len();
        let focus = self.focus;
        match action {
            Some(Action::AcceptSuggestion) => {
                if let Some(url) = self.suggestion() {
                    self.lines[focus].insert_str(url);
                }
            }
            Some(Action::DeleteLine) => {
                if count > 1 {
                    self.lines.remove(focus);
                    self.focus = focus.min(count - 2);
                } else {
                    self.lines[0] = single_line("", REDIRECT_PLACEHOLDER);
                }
            }
            Some(Action::DeviceLogin) => {
                let typed = self.urls();
                let missing = crate::oauth::device::missing_helpers(&typed);
                if missing.is_empty() {
                    cx.notify("The device-helper redirect URLs are already here.");
                    return;
                }
                // After what is typed; an empty line where the cursor was stays for typing.
                self.lines.retain(|l| !l.lines().join("").trim().is_empty());
                for url in &missing {
                    self.lines.push(single_line(url, REDIRECT_PLACEHOLDER));
                }
                self.touched = true;
                self.focus = self.lines.len() - 1;
                cx.notify(format!(
                    "Added {} device-helper redirect URL(s): device login will work with \
                    this integration.",
                    missing.len()
                ));
            }
            Some(Action::Enter) if !self.blank(focus) => {
                self.touched = true;
                self.lines
                    .insert(focus + 1, single_line("", REDIRECT_PLACEHOLDER));
                self.focus = focus + 1;
            }
            Some(Action::Enter) => self.leave(cx),
            // No wrap-around: what is typed next must not land on a line the user did not mean.
            Some(Action::Up) => self.focus = focus.saturating_sub(1),
            Some(Action::Down) => self.focus = (focus + 1).min(count.saturating_sub(1)),
            Some(Action::Back) => cx.go(Step::Details),
            other => type_into(&mut self.lines[focus], other, key),
        }
    }

    fn leave(&mut self, cx: &mut Cx) {
        self.touched = true;
        // Blank lines are just where the user stopped typing.
        let kept: Vec<_> = (0..self.lines.len()).filter(|i| !self.blank(*i)).collect();
        if kept.is_empty() {
            self.focus = 0;
            cx.problem_about(
                Cause::NoRedirectUrl,
                format!("Add at least one redirect URL (→ takes {DEFAULT_REDIRECT_URL})."),
            );
            return;
        }
        let lines = std::mem::take(&mut self.lines);
        self.lines = lines
            .into_iter()
            .enumerate()
            .filter(|(i, _)| kept.contains(i))
            .map(|(_, l)| l)
            .collect();
        if let Some(bad) = (0..self.lines.len()).find(|i| self.problem(*i).is_some()) {
            self.focus = bad;
            cx.problem_about(
                Cause::RedirectUrl(bad),
                "Fix the marked URL before going on.",
            );
            return;
        }
        self.focus = self.lines.len() - 1;
        cx.go(Step::Scopes);
    }
}

fn draw(r: &RedirectState, session: &Session, frame: &mut Frame, area: Rect) {
    let t = session.theme;
    let loopback = if r.has_loopback() {
        Line::styled(
            "✔ A loopback URL (localhost, 127.0.0.1 or [::1]) is listed: the wizard can catch \
                the authorization itself later.",
            t.ok(),
        )
    } else if r.urls().is_empty() {
        Line::styled(
            "A loopback URL such as http://localhost:8080/callback (→ on an empty line takes \
                it) lets the wizard catch the authorization itself later.",
            t.dim(),
        )
    } else {
        Line::styled(
            "No loopback URL: later you paste the address the browser lands on. Add \
                http://localhost:8080/callback to let the wizard catch it itself.",
            t.warning(),
        )
    };
    let [list, note] = Layout::vertical([Constraint::Min(2), Constraint::Length(3)]).areas(area);
    // Each URL takes its input row and its (wrapped) problem; keep the focused one in view.
    let problems: Vec<Option<String>> = (0..r.lines.len()).map(|i| r.problem(i)).collect();
    let labels: Vec<String> = (0..r.lines.len())
        .map(|i| format!("URL {}", i + 1))
        .collect();
    let fields: Vec<FieldView> = (0..r.lines.len())
        .map(|i| FieldView {
            label: &labels[i],
            input: &r.lines[i],
            focused: r.focus == i,
            problem: problems[i].as_deref(),
            hint: "",
            theme: t,
        })
        .collect();
    let heights: Vec<u16> = fields.iter().map(|f| f.height(list.width, 1)).collect();
    let mut first = 0;
    while first < r.focus && heights[first..=r.focus].iter().sum::<u16>() > list.height {
        first += 1;
    }
    let mut y = list.y;
    for (field, height) in fields.iter().zip(&heights).skip(first) {
        if y + height > list.y + list.height {
            break;
        }
        field.render(
            Rect::new(list.x, y, list.width, *height),
            frame.buffer_mut(),
        );
        y += height;
    }
    frame.render_widget(prose(vec![loopback]), note);
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::KeyCode;

    use super::super::testing::{app_on, press, type_text};
    use crate::tui::app::{Cause, DEFAULT_REDIRECT_URL, Step};

    #[test]
    fn typed_text_is_sent_as_typed_and_the_suggestion_takes_one_key() {
        let mut app = app_on(Step::RedirectUrls);
        press(&mut app, KeyCode::Enter);
        assert_eq!(
            app.notice.as_ref().and_then(|n| n.cause),
            Some(Cause::NoRedirectUrl)
        );
        type_text(&mut app, "https://a.example/cb");
        assert_eq!(app.draft().redirect_urls, ["https://a.example/cb"]);
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Right);
        assert_eq!(
            app.draft().redirect_urls,
            ["https://a.example/cb", DEFAULT_REDIRECT_URL]
        );
    }

    #[test]
    fn down_on_the_last_line_stays_and_two_urls_on_one_line_are_refused() {
        let mut app = app_on(Step::RedirectUrls);
        type_text(&mut app, "https://dev.agency.gov/callback");
        press(&mut app, KeyCode::Enter);
        type_text(&mut app, "https://b.agency.gov/cb");
        // The last line: Down stays there; it does not wrap to the first one.
        press(&mut app, KeyCode::Down);
        assert_eq!(app.steps.redirects.focus, 1);
        press(&mut app, KeyCode::Up);
        press(&mut app, KeyCode::Up);
        assert_eq!(app.steps.redirects.focus, 0, "Up stops at the first line");
        assert!(
            crate::validate::check_redirect_url(
                "https://dev.agency.gov/callbackhttp://localhost:9000/cb"
            )
            .is_err_and(|e| e.contains("two URLs"))
        );
    }
}
