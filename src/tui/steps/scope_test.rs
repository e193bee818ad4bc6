//! Step 10, Test scopes: each granted scope's read-only request, as a live table.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use secrecy::ExposeSecret;

use crate::catalog::FedrampAvailability;
use crate::oauth::in_words;
use crate::scope_test::{ProbeResult, Verdict};
use crate::tui::context::{Cx, Request, Session, Step};
use crate::tui::effect::Effect;
use crate::tui::keys::Key::Plain;
use crate::tui::keys::{Action, Action as A, Binding, ENTER, ESC, UP_DOWN_LABEL, also, bind, when};
use crate::tui::message::Message;
use crate::tui::phase::Phase;
use crate::tui::steps::StepState;
use crate::tui::widgets::{prose, spinner};
use time::OffsetDateTime;

/// Step 10: what the token can really do.
pub struct ScopeTestState {
    /// Each scope with its result once its probe finished.
    pub rows: Vec<(String, Option<ProbeResult>)>,
    pub cursor: usize,
    /// The highlighted row's details are open.
    pub open: bool,
    pub expiry: Option<Result<OffsetDateTime, String>>,
    /// Webex refused the token itself (401): no probe was sent, and this says why.
    pub refused: Option<String>,
}

impl ScopeTestState {
    pub fn is_done(&self) -> bool {
        self.refused.is_some() || self.rows.iter().all(|(_, r)| r.is_some())
    }
}

/// The scopes a pasted token is tried with: every one with a probe (and, on Webex for
/// Government, not one it lacks).
pub fn scopes_to_try(session: &Session) -> Vec<String> {
    session
        .catalog
        .scopes()
        .iter()
        .filter(|s| s.probe.is_some() && !s.deprecated)
        .filter(|s| !session.fedramp || s.fedramp != FedrampAvailability::No)
        .map(|s| s.name.clone())
        .collect()
}

/// Whether a token was pasted earlier (the scope table then goes back here, not to Tokens).
pub fn came_from_paste(session: &Session) -> bool {
    session
        .tested_token
        .as_ref()
        .is_some_and(|t| !t.expose_secret().is_empty())
}

/// The table, once a test started.
pub type State = Option<ScopeTestState>;

fn done(state: &State, _: &Session) -> bool {
    state.as_ref().is_some_and(ScopeTestState::is_done)
}

fn from_paste(_: &State, session: &Session) -> bool {
    came_from_paste(session)
}

fn from_tokens(_: &State, session: &Session) -> bool {
    !came_from_paste(session)
}

impl StepState for State {
    const TITLE: &'static str = "Test scopes";
    const PURPOSE: &'static str =
        "Each granted scope's read-only request, made with the access token.";
    const PHASE: Phase = Phase::Prove;
    const KEYS: &'static [Binding<Self>] = &[
        bind(
            UP_DOWN_LABEL,
            &[Plain(KeyCode::Up)],
            A::Up,
            "row",
            "previous / next row",
        ),
        also(&[Plain(KeyCode::Down)], A::Down),
        bind(
            "Enter",
            ENTER,
            A::Enter,
            "details",
            "open or close the row's details (message, trackingId)",
        ),
        when(
            bind(
                "r",
                &[Plain(KeyCode::Char('r'))],
                A::RunAgain,
                "run again",
                "once all rows are done: probe again",
            ),
            done,
        ),
        when(
            bind("Esc", ESC, A::Back, "tokens", "back to the tokens"),
            from_tokens,
        ),
        when(
            bind("Esc", ESC, A::Back, "back", "back to the pasted token"),
            from_paste,
        ),
        bind("q", &[Plain(KeyCode::Char('q'))], A::Quit, "quit", "quit"),
    ];

    /// Probe the pasted token with every scope that has a probe, or the authorized one with
    /// each granted scope (every scope asked for, when the answer listed none).
    fn open(&mut self, cx: &mut Cx, step: Step) -> Vec<Effect> {
        let (token, scopes) = if came_from_paste(cx.session)
            && let Some(token) = cx.session.tested_token.clone()
        {
            (token, scopes_to_try(cx.session))
        } else if let Some(t) = &cx.session.tokens {
            let scopes = if t.tokens.scopes.is_empty() {
                t.asked.clone()
            } else {
                t.tokens.scopes.clone()
            };
            (t.tokens.access_token.clone(), scopes)
        } else {
            return Vec::new();
        };
        *self = Some(ScopeTestState {
            refused: None,
            rows: scopes.iter().map(|s| (s.clone(), None)).collect(),
            cursor: 0,
            open: false,
            expiry: None,
        });
        cx.enter(step);
        vec![Effect::TestScopes {
            token,
            scopes,
            fedramp: cx.session.fedramp,
        }]
    }

    fn on_key(&mut self, cx: &mut Cx, action: Option<Action>, _key: KeyEvent) -> Vec<Effect> {
        let Some(t) = self else {
            return Vec::new();
        };
        match action {
            Some(Action::Up) => t.cursor = t.cursor.saturating_sub(1),
            Some(Action::Down) => t.cursor = (t.cursor + 1).min(t.rows.len().saturating_sub(1)),
            Some(Action::Enter) => t.open = !t.open,
            Some(Action::RunAgain) => return self.open(cx, Step::TestScopes),
            Some(Action::Quit) => cx.ask(Request::AskToQuit),
            Some(Action::Back) if came_from_paste(cx.session) => cx.go(Step::TokenTest),
            Some(Action::Back) => cx.go(Step::Tokens),
            _ => {}
        }
        Vec::new()
    }

    fn busy(&self, _session: &Session, _on_screen: bool) -> bool {
        self.as_ref().is_some_and(|t| !t.is_done())
    }

    fn draw(&self, session: &Session, frame: &mut Frame, area: Rect) {
        draw(self.as_ref(), session, frame, area);
    }
}

/// A probe's result, a refused token or the token's expiry, for the table on screen.
pub(crate) fn on_message(state: &mut State, message: Message) {
    let Some(t) = state else {
        return;
    };
    match message {
        Message::ProbeDone(index, result) => {
            if let Some(row) = t.rows.get_mut(index) {
                row.1 = Some(*result);
            }
        }
        Message::TokenRefused(why) => t.refused = Some(why),
        Message::TokenExpiry(result) => t.expiry = Some(result),
        _ => {}
    }
}

/// The verdicts counted, each in its colour: "2 works · 1 refused · 1 probing".
fn tally(session: &Session, s: &ScopeTestState, done: usize) -> Line<'static> {
    let t = session.theme;
    let mut counts: Vec<(Verdict, usize)> = Vec::new();
    for verdict in s
        .rows
        .iter()
        .filter_map(|(_, r)| r.as_ref().map(|r| r.verdict))
    {
        match counts.iter_mut().find(|(v, _)| *v == verdict) {
            Some((_, n)) => *n += 1,
            None => counts.push((verdict, 1)),
        }
    }
    let mut spans = vec![Span::styled(
        format!("{done} of {} scopes probed: ", s.rows.len()),
        t.title(),
    )];
    for (i, (verdict, n)) in counts.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", t.dim()));
        }
        spans.push(Span::styled(
            format!("{n} {}", verdict.words()),
            verdict_style(t, *verdict),
        ));
    }
    let probing = s.rows.len() - done;
    if probing > 0 {
        if !counts.is_empty() {
            spans.push(Span::styled(" · ", t.dim()));
        }
        spans.push(Span::styled(format!("{probing} probing"), t.dim()));
    }
    Line::from(spans)
}

/// The colour a verdict is shown in: works green, refusals and failures red, the rest amber.
fn verdict_style(t: crate::tui::theme::Theme, verdict: Verdict) -> ratatui::style::Style {
    match verdict {
        Verdict::Works => t.ok(),
        Verdict::Refused | Verdict::TokenInvalid | Verdict::Error | Verdict::EarlierCallFailed => {
            t.error()
        }
        _ => t.warning(),
    }
}

#[expect(
    clippy::too_many_lines,
    reason = "the table and the open row, drawn together"
)]
fn draw(state: Option<&ScopeTestState>, session: &Session, frame: &mut Frame, area: Rect) {
    let t = session.theme;
    let Some(s) = state else {
        return;
    };
    if let Some(why) = &s.refused {
        frame.render_widget(
            prose(vec![
                Line::styled(
                    "✗ Webex refused this token, so no scope was probed.",
                    t.error(),
                ),
                Line::raw(crate::text::visible_line(why)),
                Line::raw(""),
                Line::raw(if came_from_paste(session) {
                    "It is expired, revoked or not a Webex access token: Esc, then paste another."
                } else {
                    "It is expired or revoked: refresh it, or authorize again."
                }),
            ]),
            area,
        );
        return;
    }
    let done = s.rows.iter().filter(|(_, r)| r.is_some()).count();
    let expiry = match &s.expiry {
        None => "reading the token's expiry".to_owned(),
        Some(Ok(at)) => {
            let left = (*at - time::OffsetDateTime::now_utc()).max(time::Duration::ZERO);
            format!(
                "the token expires {}",
                in_words(std::time::Duration::from_secs(left.whole_seconds() as u64))
            )
        }
        Some(Err(_)) => "the token may not read its own expiry".to_owned(),
    };
    let detail_rows = if s.open { 6 } else { 0 };
    let [title, header, table, detail] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(detail_rows),
    ])
    .areas(area);
    frame.render_widget(
        prose(vec![
            tally(session, s, done),
            Line::styled(format!("Read-only calls, 4 at a time; {expiry}."), t.dim()),
        ]),
        title,
    );
    let scope_w = s
        .rows
        .iter()
        .map(|(name, _)| name.len())
        .max()
        .unwrap_or(5)
        .clamp(5, 30);
    // The other columns and their gaps: 2 + 2 + 4 + 2 + 6 + 2, and 20 for the verdict.
    let fixed = scope_w + 38;
    let request_w = usize::from(area.width).saturating_sub(fixed).max(8);
    frame.render_widget(
        Line::styled(
            format!(
                "{:scope_w$}  {:request_w$}  {:4}  {:>6}  {}",
                "SCOPE", "REQUEST", "HTTP", "TIME", "VERDICT"
            ),
            t.dim(),
        ),
        header,
    );
    let height = usize::from(table.height);
    let offset = (s.cursor + 1).saturating_sub(height);
    for (slot, (i, (scope, result))) in s
        .rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .enumerate()
    {
        let base = if i == s.cursor {
            t.highlight()
        } else {
            Style::default()
        };
        let line = match result {
            None => Line::from(vec![Span::styled(
                format!(
                    "{:scope_w$}  {:request_w$}  {:4}  {:>6}  {} probing",
                    crate::text::cut_end(scope, scope_w),
                    "",
                    "",
                    "",
                    spinner(session.spinner)
                ),
                base,
            )]),
            Some(r) => {
                let verdict_style = verdict_style(t, r.verdict);
                Line::from(vec![
                    Span::styled(
                        format!(
                            "{:scope_w$}  {:request_w$}  {:4}  {:>6}  ",
                            crate::text::cut_end(scope, scope_w),
                            crate::text::cut_end(&crate::text::visible_line(&r.request), request_w),
                            r.status.map_or_else(|| "-".into(), |s| s.to_string()),
                            r.time_text(),
                        ),
                        base,
                    ),
                    Span::styled(
                        r.verdict.words(),
                        // One highlight for the whole row, not a bar in several tones.
                        if i == s.cursor { base } else { verdict_style },
                    ),
                ])
            }
        };
        frame.render_widget(
            line,
            Rect::new(table.x, table.y + slot as u16, table.width, 1),
        );
    }
    if s.open
        && let Some((scope, result)) = s.rows.get(s.cursor)
    {
        let mut lines = vec![Line::styled(format!("── {scope}"), t.focused())];
        match result {
            None => lines.push(Line::raw("still probing …")),
            Some(r) => {
                if !r.request.is_empty() {
                    let sent = if r.elapsed.is_some() {
                        ""
                    } else {
                        " (not sent)"
                    };
                    lines.push(Line::raw(format!(
                        "{}{sent}",
                        crate::text::visible_line(&r.request)
                    )));
                }
                lines.push(Line::raw(format!(
                    "{}{}",
                    r.verdict.words(),
                    r.message
                        .as_deref()
                        .map(|m| format!(": {}", crate::text::visible_line(m)))
                        .unwrap_or_default()
                )));
                if let Some(id) = &r.tracking_id {
                    lines.push(Line::styled(
                        format!("trackingId {}", crate::text::visible_line(id)),
                        t.dim(),
                    ));
                }
            }
        }
        frame.render_widget(prose(lines), detail);
    }
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::KeyCode;

    use super::super::testing::{app_on, press};
    use crate::tui::app::{ScopeTestState, Step};

    #[test]
    fn rows_move_open_and_esc_goes_back_to_the_tokens() {
        let mut app = app_on(Step::TestScopes);
        app.steps.scope_test = Some(ScopeTestState {
            refused: None,
            rows: vec![("a:b".into(), None), ("c:d".into(), None)],
            cursor: 0,
            open: false,
            expiry: None,
        });
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Enter);
        let t = app.steps.scope_test.as_ref().unwrap();
        assert_eq!((t.cursor, t.open), (1, true));
        press(&mut app, KeyCode::Esc);
        assert_eq!(app.step, Step::Tokens);
    }

    /// `q` on the scope table asks first while the tokens are not saved, as Ctrl-C does (it
    /// used to quit at once, leaving them only in their recovery copy).
    #[test]
    fn q_asks_first_while_the_tokens_are_not_saved() {
        let mut app = crate::tui::steps::testing::with_credentials(Step::TestScopes);
        app.session.tokens = Some(crate::tui::delivery::TokensState::new(
            crate::oauth::Tokens {
                access_token: secrecy::SecretString::from("AT"),
                expires_in: None,
                refresh_token: None,
                refresh_token_expires_in: None,
                token_type: "Bearer".into(),
                scopes: vec!["spark:people_read".into()],
                scope_source: crate::oauth::ScopeSource::Granted,
                obtained_at: time::OffsetDateTime::now_utc(),
            },
        ));
        app.session.credentials.as_mut().unwrap().saved_to = Some("c.json".into());
        app.steps.scope_test = Some(ScopeTestState {
            rows: vec![("spark:people_read".into(), None)],
            cursor: 0,
            open: false,
            expiry: None,
            refused: None,
        });
        press(&mut app, KeyCode::Char('q'));
        assert_eq!(app.exit, None, "quit with the tokens unsaved");
        assert!(matches!(
            app.overlays.last(),
            Some(crate::tui::app::Overlay::ConfirmQuit)
        ));
    }
}
