//! Step 5, Review: the exact request and the same as cURL; nothing is sent before Enter.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use secrecy::SecretString;

use crate::tui::context::{Cx, Found, Overlay, Request, Session, Step, TokenStatus};
use crate::tui::effect::Effect;
use crate::tui::keys::Key::Plain;
use crate::tui::keys::{Action, Action as A, Binding, ENTER, ESC, also, bind, scroll};
use crate::tui::message::CopyTarget;
use crate::tui::phase::Phase;
use crate::tui::steps::StepState;
use crate::tui::theme::Theme;
use crate::tui::widgets::prose;
use crate::validate::{self};

/// How far the review is scrolled, down and sideways.
#[derive(Debug, Default)]
pub struct State {
    pub scroll: u16,
    pub column: u16,
}

impl StepState for State {
    const TITLE: &'static str = "Review";
    const PURPOSE: &'static str =
        "The exact request and the same as cURL. Nothing is sent before Enter.";
    const PHASE: Phase = Phase::Create;
    const KEYS: &'static [Binding<Self>] = &[
        bind(
            "Enter",
            ENTER,
            A::Enter,
            "send",
            "send the request (nothing is sent before)",
        ),
        bind(
            "y",
            &[Plain(KeyCode::Char('y'))],
            A::CopyCurl,
            "copy cURL",
            "copy the exact cURL command",
        ),
        scroll()[0],
        scroll()[1],
        scroll()[2],
        scroll()[3],
        bind(
            "←→",
            &[Plain(KeyCode::Left)],
            A::Left,
            "",
            "scroll sideways along long lines",
        ),
        also(&[Plain(KeyCode::Right)], A::Right),
        bind("Esc", ESC, A::Back, "back", "previous step"),
    ];

    fn on_key(&mut self, cx: &mut Cx, action: Option<Action>, _key: KeyEvent) -> Vec<Effect> {
        match action {
            Some(Action::Enter) => return Self::submit(cx),
            Some(Action::CopyCurl) => {
                let curl = curl(cx.session);
                return vec![Effect::Copy(
                    CopyTarget::CurlCommand,
                    SecretString::from(curl),
                )];
            }
            Some(Action::Up) => self.scroll = self.scroll.saturating_sub(1),
            Some(Action::Down) => self.scroll = self.scroll.saturating_add(1),
            Some(Action::PageUp) => self.scroll = self.scroll.saturating_sub(10),
            Some(Action::PageDown) => self.scroll = self.scroll.saturating_add(10),
            Some(Action::Left) => self.column = self.column.saturating_sub(8),
            Some(Action::Right) => self.column = self.column.saturating_add(8),
            Some(Action::Back) => cx.go(Step::Scopes),
            _ => {}
        }
        Vec::new()
    }

    fn draw(&self, session: &Session, frame: &mut Frame, area: Rect) {
        draw(self, session, frame, area);
    }
}

impl State {
    /// Send what is reviewed: checked against our rules, the admin token and the scope
    /// policy first; a create goes to Creating, an update back to Manage.
    pub(crate) fn submit(cx: &mut Cx) -> Vec<Effect> {
        let session = &*cx.session;
        let draft = &session.draft;
        if let Some(p) = validate::validate(draft, session.catalog)
            .into_iter()
            .find(crate::validate::Problem::is_error)
        {
            let why = format!("Not sent: {}", p.message);
            cx.ask(Request::JumpTo {
                field: p.field,
                index: p.index,
                why,
                found: Found::Locally,
            });
            return Vec::new();
        }
        if session.admin.token.is_none() {
            cx.ask(Request::ResumeAfterSignIn(Step::Review));
            cx.go(Step::Connect);
            cx.problem("Enter an admin token first; the form is kept.");
            return Vec::new();
        }
        // Least privilege, before anything is sent: the policy's denials and cap refuse; broad
        // scopes ask for a one-line reason first.
        // An update compares with the application as it was; a new integration has nothing to
        // compare with (an update left earlier in the session must not count).
        let before = session.updating.as_ref().and(session.update_from.as_ref());
        let verdict = session.policy.judge(
            &draft.scopes,
            before.map(|old| old.scopes.as_slice()),
            session.justification.as_deref(),
        );
        if !verdict.refusals.is_empty() {
            // What only a reason fixes is asked for once the rest is put right.
            cx.problem(format!(
                "Not sent: the scope policy refuses it: {}",
                verdict.refusals.join("; ")
            ));
            return Vec::new();
        }
        if verdict.reason_needed.is_some() {
            cx.open(Overlay::Justify(String::new()));
            return Vec::new();
        }
        if session.updating.is_some() {
            cx.ask(Request::SendUpdate);
        } else {
            cx.ask(Request::Open(Step::Creating));
        }
        Vec::new()
    }
}

/// The method and path Enter sends to: a create, or the update of the application edited.
fn target(session: &Session) -> (&'static str, String) {
    match &session.updating {
        Some(id) => (
            "PUT",
            format!(
                "/applications/{}",
                url::form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>()
            ),
        ),
        None => ("POST", "/applications".to_owned()),
    }
}

/// The equivalent cURL command of what Enter sends.
fn curl(session: &Session) -> String {
    let (method, path) = target(session);
    session
        .draft
        .curl_command_to(&session.env.base, method, &path)
}

/// Rows above the request: the title and what Enter does.
const TITLE_ROWS: u16 = 3;

/// The request and the cURL command, one screen line per line of text.
pub fn content(session: &Session) -> Vec<Line<'static>> {
    let t = session.theme;
    let draft = &session.draft;
    let mut lines: Vec<Line> = Vec::new();
    // An update: what changes first, as the update command prints it.
    if session.updating.is_some()
        && let Some(was) = &session.update_from
    {
        let changes = crate::integration::difference(was, draft);
        if changes.is_empty() {
            lines.push(Line::styled(
                "No changes yet: Enter would send the application as it is.",
                t.dim(),
            ));
        } else {
            lines.push(Line::styled("Changes:", t.focused()));
            for c in changes {
                let style = if c.starts_with('+') {
                    t.ok()
                } else if c.starts_with('-') {
                    t.error()
                } else {
                    t.warning()
                };
                lines.push(Line::styled(format!("  {c}"), style));
            }
        }
        lines.push(Line::raw(""));
    }
    if session.updating.is_none()
        && let crate::tui::context::Listing::Loaded(apps) = &session.listing
        && let Some(w) = crate::integration::same_name_warning(apps, &draft.name)
    {
        lines.push(Line::styled(format!("⚠ {w}"), t.warning()));
    }
    if session.fedramp {
        for w in validate::fedramp_warnings(draft, session.catalog) {
            lines.push(Line::styled(format!("⚠ {}", w.message), t.warning()));
        }
    }
    lines.extend(
        draft
            .to_request_json_pretty()
            .lines()
            .map(|l| json_line(l, t)),
    );
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "The same with cURL (the token stays in $WEBEX_ADMIN_TOKEN; y copies it exactly):",
        t.dim(),
    ));
    // The command's lines as they are; the JSON in it coloured like the body above.
    let curl = curl(session);
    let mut in_body = false;
    for l in curl.lines() {
        in_body |= l.trim_start().starts_with("--data-raw");
        lines.push(if in_body && !l.trim_start().starts_with("--data-raw") {
            json_line(l, t)
        } else {
            Line::raw(l.to_owned())
        });
    }
    lines
}

/// One line of indented JSON, coloured: keys, strings, and the rest. Every character stays
/// where it is, so the line reads and copies exactly as the text.
fn json_line(line: &str, t: Theme) -> Line<'static> {
    let mut spans = Vec::new();
    let mut rest = line;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('"') {
            // A string runs to the next quote that is not escaped.
            let mut end = None;
            let mut escaped = false;
            for (i, c) in after.char_indices() {
                match c {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => {
                        end = Some(i);
                        break;
                    }
                    _ => escaped = false,
                }
            }
            let len = end.map_or(after.len(), |e| e + 1);
            let text = &rest[..=len.min(rest.len() - 1)];
            let is_key = rest[text.len()..].trim_start().starts_with(':');
            spans.push(Span::styled(
                text.to_owned(),
                if is_key { t.focused() } else { t.ok() },
            ));
            rest = &rest[text.len()..];
        } else {
            let next = rest.find('"').unwrap_or(rest.len());
            spans.push(Span::styled(rest[..next].to_owned(), t.dim()));
            rest = &rest[next..];
        }
    }
    Line::from(spans)
}

/// How far the review can scroll down for a body of `height` rows.
pub fn max_scroll(session: &Session, height: u16) -> u16 {
    let rows = u16::try_from(content(session).len()).unwrap_or(u16::MAX);
    // One row is kept for the "more below" line while there is more.
    rows.saturating_sub(height.saturating_sub(TITLE_ROWS + 1).max(1))
}

fn draw(state: &State, session: &Session, frame: &mut Frame, area: Rect) {
    let t = session.theme;
    let who = match &session.admin.status {
        TokenStatus::Valid(p) => format!(" as {}", crate::text::visible_line(&p.describe())),
        _ => String::new(),
    };
    let [title, body, more] = Layout::vertical([
        Constraint::Length(TITLE_ROWS),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    // The request line on one row: a long URL keeps its start and end, never wraps.
    let [request, title] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(title);
    let (method, path) = target(session);
    let room = usize::from(request.width).saturating_sub(method.len() + 1);
    frame.render_widget(
        Line::from(vec![
            Span::styled(format!("{method} "), t.key()),
            Span::raw(crate::text::cut_middle(&session.env.base.join(&path), room)),
        ]),
        request,
    );
    frame.render_widget(
        prose(vec![Line::styled(
            if session.updating.is_some() {
                format!(
                    "Nothing has been sent yet. Enter replaces the application with \
                        exactly this body{who} (the client ID and secret stay)."
                )
            } else {
                format!("Nothing has been sent yet. Enter sends exactly this body{who}.")
            },
            t.dim(),
        )]),
        title,
    );
    let lines = content(session);
    let total = lines.len();
    let scroll = state.scroll.min(max_scroll(session, area.height));
    let widest = lines.iter().map(Line::width).max().unwrap_or(0);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, state.column)), body);
    let below = total.saturating_sub(usize::from(scroll) + usize::from(body.height));
    let sideways = widest > usize::from(body.width) + usize::from(state.column);
    let mut hints = Vec::new();
    if below > 0 {
        hints.push(format!(
            "↓ {below} more line{}",
            if below == 1 { "" } else { "s" }
        ));
    }
    if sideways {
        hints.push("→ long lines go on (←→ scroll)".to_owned());
    } else if state.column > 0 {
        hints.push("← more to the left".to_owned());
    }
    if !hints.is_empty() {
        frame.render_widget(Line::styled(hints.join("   "), t.dim()), more);
    }
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::KeyCode;

    use super::super::testing::{app_on, press};
    use crate::tui::app::Step;
    use crate::tui::effects::Effect;
    use crate::tui::message::CopyTarget;

    #[test]
    fn y_copies_the_curl_command_and_scrolling_stops_at_the_end() {
        let mut app = app_on(Step::Review);
        let effects = press(&mut app, KeyCode::Char('y'));
        assert!(matches!(
            effects.as_slice(),
            [Effect::Copy(CopyTarget::CurlCommand, _)]
        ));
        for _ in 0..500 {
            press(&mut app, KeyCode::Down);
        }
        assert!(app.steps.review.scroll < 500);
        assert_eq!(
            app.steps.review.scroll,
            crate::tui::view::review_max_scroll(&app)
        );
    }

    #[test]
    fn review_warns_of_a_scope_fedramp_lacks_only_on_fedramp() {
        let mut app = app_on(Step::Review);
        app.steps.scopes.chosen = vec!["spark:calls_read".into(), "spark:people_read".into()];
        let text = |app: &mut crate::tui::app::App| {
            app.sync_draft();
            super::content(&app.session)
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        };
        app.session.fedramp = true;
        let shown = text(&mut app);
        assert!(
            shown.contains("'spark:calls_read' is not offered on FedRAMP"),
            "{shown}"
        );
        assert!(
            !shown.contains("'spark:people_read' is not offered"),
            "{shown}"
        );
        app.session.fedramp = false;
        assert!(!text(&mut app).contains("not offered on FedRAMP"));
    }

    #[test]
    fn review_warns_of_a_name_that_exists_already() {
        let mut app = app_on(Step::Review);
        app.steps.details.inputs[0] = crate::tui::app::single_line("Audit Reader", "");
        let shown = |app: &mut crate::tui::app::App| {
            app.sync_draft();
            super::content(&app.session)
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert!(!shown(&mut app).contains("exists already"));
        app.session.listing = crate::tui::app::Listing::Loaded(vec![
            serde_json::json!({"id": "A1", "name": "Audit Reader"}),
        ]);
        let text = shown(&mut app);
        assert!(text.contains("exists already (A1)"), "{text}");
    }
}
