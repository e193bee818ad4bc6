//! Step 3, Redirect URLs: typed exactly as sent, with the loopback URL offered as a suggestion.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui_textarea::TextArea;

use super::{go, type_into};
use crate::tui::app::{App, Cause, Step, single_line};
use crate::tui::effects::Effect;
use crate::tui::keys::Key::{Ctrl, Plain};
use crate::tui::keys::{
    Action, Action as A, Binding, clear, DOWN_TABBING, ENTER, ESC, undo, UP_DOWN_LABEL, UP_TABBING,
    also, bind, when,
};
use crate::tui::phase::Phase;
use crate::tui::update::problem_about;
use crate::tui::widgets::{FieldView, prose};
use crate::validate::{self};

/// The step's title, and one line on what it is for.
pub(crate) const TITLE: &str = "Redirect URLs";
pub(crate) const PURPOSE: &str =
    "Where Webex sends the browser after consent: https, or http on loopback only.";
/// Where the step line shows it: creating the integration, proving it works, or both.
pub(crate) const PHASE: Phase = Phase::Create;

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

impl App {
    /// The problem with redirect line `index`, whether or not it shows yet.
    pub fn redirect_problem(&self, index: usize) -> Option<String> {
        let value = self.redirects.lines[index].lines().join("");
        if value.trim().is_empty() {
            return None;
        }
        if let Err(e) = validate::check_redirect_url(&value) {
            return Some(e);
        }
        let earlier = self.redirects.lines[..index]
            .iter()
            .any(|l| l.lines().join("").trim() == value.trim());
        earlier.then(|| "this URL is already in the list".to_owned())
    }

    /// The URL → would put on the focused redirect line: only on an empty line, and only
    /// while no line holds it yet.
    pub fn redirect_suggestion(&self) -> Option<&'static str> {
        let r = &self.redirects;
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
    pub fn has_loopback_redirect(&self) -> bool {
        // Drawn on every frame of step 3: look at the lines, not a whole copy of the draft.
        self.redirects.lines.iter().any(|line| {
            validate::check_redirect_url(&line.lines().join(""))
                .is_ok_and(|url| validate::is_loopback_host(&url))
        })
    }
}

pub(crate) fn redirect_suggestion(app: &App, _: &crate::tui::context::Session) -> bool {
    app.redirect_suggestion().is_some()
}

pub(crate) const KEYS: &[Binding] = &[
    when(
        bind(
            "→",
            &[Plain(KeyCode::Right)],
            A::AcceptSuggestion,
            "use suggestion",
            "on an empty line: take the suggested http://localhost:8080/callback",
        ),
        redirect_suggestion,
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
        "add Webex's three device-helper redirect URLs, so device login (a code on any device, for SSH sessions) works",
    ),
    clear(),
    undo(),
];

pub(crate) fn redirect_blank(app: &App, index: usize) -> bool {
    app.redirects.lines[index]
        .lines()
        .join("")
        .trim()
        .is_empty()
}

/// Show the list's problems, with the keyboard on line `index` when there is one.
pub(crate) fn focus_line(app: &mut App, index: Option<usize>) -> Option<usize> {
    app.redirects.touched = true;
    let index = index.filter(|i| *i < app.redirects.lines.len())?;
    app.redirects.focus = index;
    Some(index)
}

pub(crate) fn on_key(app: &mut App, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    let count = app.redirects.lines.len();
    let focus = app.redirects.focus;
    match action {
        Some(Action::AcceptSuggestion) => {
            if let Some(url) = app.redirect_suggestion() {
                app.redirects.lines[focus].insert_str(url);
            }
        }
        Some(Action::DeleteLine) => {
            if count > 1 {
                app.redirects.lines.remove(focus);
                app.redirects.focus = focus.min(count - 2);
            } else {
                app.redirects.lines[0] = single_line("", REDIRECT_PLACEHOLDER);
            }
        }
        Some(Action::DeviceLogin) => {
            let typed: Vec<String> = app
                .redirects
                .lines
                .iter()
                .map(|l| l.lines().join(""))
                .filter(|u| !u.trim().is_empty())
                .collect();
            let missing = crate::oauth::device::missing_helpers(&typed);
            if missing.is_empty() {
                crate::tui::update::notice(app, "The device-helper redirect URLs are already here.");
                return Vec::new();
            }
            // After what is typed; an empty line where the cursor was stays for typing.
            app.redirects.lines.retain(|l| !l.lines().join("").trim().is_empty());
            for url in &missing {
                app.redirects.lines.push(single_line(url, REDIRECT_PLACEHOLDER));
            }
            app.redirects.touched = true;
            app.redirects.focus = app.redirects.lines.len() - 1;
            crate::tui::update::notice(
                app,
                format!("Added {} device-helper redirect URL(s): device login will work with this integration.", missing.len()),
            );
        }
        Some(Action::Enter) if !redirect_blank(app, focus) => {
            app.redirects.touched = true;
            app.redirects
                .lines
                .insert(focus + 1, single_line("", REDIRECT_PLACEHOLDER));
            app.redirects.focus = focus + 1;
        }
        Some(Action::Enter) => return leave_redirects(app),
        // No wrap-around: what is typed next must not land on a line the user did not mean.
        Some(Action::Up) => app.redirects.focus = focus.saturating_sub(1),
        Some(Action::Down) => app.redirects.focus = (focus + 1).min(count.saturating_sub(1)),
        Some(Action::Back) => return go(app, Step::Details),
        other => type_into(&mut app.redirects.lines[focus], other, key),
    }
    Vec::new()
}

pub(crate) fn leave_redirects(app: &mut App) -> Vec<Effect> {
    app.redirects.touched = true;
    // Blank lines are just where the user stopped typing.
    let kept: Vec<_> = (0..app.redirects.lines.len())
        .filter(|i| !redirect_blank(app, *i))
        .collect();
    if kept.is_empty() {
        app.redirects.focus = 0;
        problem_about(
            app,
            Cause::NoRedirectUrl,
            format!("Add at least one redirect URL (→ takes {DEFAULT_REDIRECT_URL})."),
        );
        return Vec::new();
    }
    let lines = std::mem::take(&mut app.redirects.lines);
    app.redirects.lines = lines
        .into_iter()
        .enumerate()
        .filter(|(i, _)| kept.contains(i))
        .map(|(_, l)| l)
        .collect();
    if let Some(bad) = (0..app.redirects.lines.len()).find(|i| app.redirect_problem(*i).is_some()) {
        app.redirects.focus = bad;
        problem_about(
            app,
            Cause::RedirectUrl(bad),
            "Fix the marked URL before going on.",
        );
        return Vec::new();
    }
    app.redirects.focus = app.redirects.lines.len() - 1;
    go(app, Step::Scopes)
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.session.theme;
    let r = &app.redirects;
    let loopback = if app.has_loopback_redirect() {
        Line::styled(
            "✔ A loopback URL (localhost, 127.0.0.1 or [::1]) is listed: the wizard can catch the authorization itself later.",
            t.ok(),
        )
    } else if app.draft().redirect_urls.is_empty() {
        Line::styled(
            "A loopback URL such as http://localhost:8080/callback (→ on an empty line takes it) lets the wizard catch the authorization itself later.",
            t.dim(),
        )
    } else {
        Line::styled(
            "No loopback URL: later you paste the address the browser lands on. Add http://localhost:8080/callback to let the wizard catch it itself.",
            t.warning(),
        )
    };
    let [list, note] = Layout::vertical([Constraint::Min(2), Constraint::Length(3)]).areas(area);
    // Each URL takes its input row and its (wrapped) problem; keep the focused one in view.
    let problems: Vec<Option<String>> = (0..r.lines.len())
        .map(|i| app.redirect_problem(i))
        .collect();
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

/// Pasted text goes where typing would go.
pub(crate) fn on_paste(app: &mut App, text: &str) -> Vec<Effect> {
    // Several lines pasted: one URL each, below the current line.
    let mut urls = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let focus = app.redirects.focus;
    if let Some(first) = urls.next() {
        app.redirects.lines[focus].insert_str(first);
    }
    for (n, url) in urls.enumerate() {
        app.redirects
            .lines
            .insert(focus + 1 + n, single_line(url, REDIRECT_PLACEHOLDER));
        app.redirects.focus = focus + 1 + n;
    }
    Vec::new()
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
        assert_eq!(app.notice.as_ref().and_then(|n| n.cause), Some(Cause::NoRedirectUrl));
        type_text(&mut app, "https://a.example/cb");
        assert_eq!(app.draft().redirect_urls, ["https://a.example/cb"]);
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Right);
        assert_eq!(app.draft().redirect_urls, ["https://a.example/cb", DEFAULT_REDIRECT_URL]);
    }

    #[test]
    fn down_on_the_last_line_stays_and_two_urls_on_one_line_are_refused() {
        let mut app = app_on(Step::RedirectUrls);
        type_text(&mut app, "https://dev.agency.gov/callback");
        press(&mut app, KeyCode::Enter);
        type_text(&mut app, "https://b.agency.gov/cb");
        // The last line: Down stays there; it does not wrap to the first one.
        press(&mut app, KeyCode::Down);
        assert_eq!(app.redirects.focus, 1);
        press(&mut app, KeyCode::Up);
        press(&mut app, KeyCode::Up);
        assert_eq!(app.redirects.focus, 0, "Up stops at the first line");
        assert!(crate::validate::check_redirect_url(
            "https://dev.agency.gov/callbackhttp://localhost:9000/cb"
        )
        .is_err_and(|e| e.contains("two URLs")));
    }
}
