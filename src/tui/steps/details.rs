//! Step 2, Details: name, description, contact email, company.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui_textarea::TextArea;

use super::{go, type_into};
use crate::tui::app::{App, Cause, Step};
use crate::tui::effects::Effect;
use crate::tui::keys::Key::Plain;
use crate::tui::keys::{Action, Action as A, Binding, clear, ENTER, ESC, undo, also, bind, when};
use crate::tui::phase::Phase;
use crate::tui::update::problem_about;
use crate::tui::widgets::FieldView;
use crate::validate::{self, COMPANY_MAX, DESCRIPTION_MAX, Field, NAME_MAX};

/// The step's title, and one line on what it is for.
pub(crate) const TITLE: &str = "Details";
pub(crate) const PURPOSE: &str = "What users see when they consent, and who to contact about it.";
/// Where the step line shows it: creating the integration, proving it works, or both.
pub(crate) const PHASE: Phase = Phase::Create;

/// The four fields of step 2, in focus order.
pub const DETAIL_FIELDS: [Field; 4] = [
    Field::Name,
    Field::Description,
    Field::ContactEmail,
    Field::CompanyName,
];

/// Step 2.
pub struct DetailsState {
    pub inputs: [TextArea<'static>; 4],
    pub focus: usize,
    /// A field's problem shows once it has text or the user tried to leave the step.
    pub touched: [bool; 4],
}

impl App {
    /// The problem with a detail field, whether or not it shows yet.
    pub fn detail_problem(&self, index: usize) -> Option<String> {
        let value = self.details.inputs[index].lines().join("\n");
        let result = match DETAIL_FIELDS[index] {
            Field::Name => validate::check_name(&value),
            Field::Description => validate::check_description(&value),
            Field::ContactEmail => validate::check_contact_email(&value),
            _ if value.trim().is_empty() => Ok(()),
            _ => validate::check_company_name(&value),
        };
        result.err()
    }
}

pub(crate) fn details_description(app: &App, _: &crate::tui::context::Session) -> bool {
    app.details.focus == 1
}

pub(crate) fn details_last(app: &App, _: &crate::tui::context::Session) -> bool {
    app.details.focus == 3
}

pub(crate) fn details_middle(app: &App, _: &crate::tui::context::Session) -> bool {
    !details_description(app, &app.session) && !details_last(app, &app.session)
}

pub(crate) const KEYS: &[Binding] = &[
    bind(
        "Tab/S-Tab",
        &[Plain(KeyCode::Tab)],
        A::NextField,
        "field",
        "next / previous field",
    ),
    also(&[Plain(KeyCode::BackTab)], A::PrevField),
    when(
        bind(
            "Enter",
            ENTER,
            A::NewLine,
            "new line",
            "in Description: a new line (Tab leaves)",
        ),
        details_description,
    ),
    when(
        bind("Enter", ENTER, A::Enter, "next field", "next field"),
        details_middle,
    ),
    when(
        bind(
            "Enter",
            ENTER,
            A::Enter,
            "next step",
            "on the last field: the redirect URLs",
        ),
        details_last,
    ),
    bind(
        "Esc",
        ESC,
        A::Back,
        "back",
        "previous step (nothing typed is lost)",
    ),
    clear(),
    undo(),
];

/// The index of the first detail field with a problem, marking every field as touched.
pub(crate) fn first_detail_problem(app: &mut App) -> Option<usize> {
    app.details.touched = [true; 4];
    (0..DETAIL_FIELDS.len()).find(|i| app.detail_problem(*i).is_some())
}

/// Put the keyboard on detail field `index`, with its problem showing.
pub(crate) fn focus_field(app: &mut App, index: usize) {
    app.details.focus = index;
    app.details.touched[index] = true;
}

pub(crate) fn on_key(app: &mut App, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    let d = &mut app.details;
    let count = DETAIL_FIELDS.len();
    match action {
        Some(Action::NextField) => {
            d.touched[d.focus] = true;
            d.focus = (d.focus + 1) % count;
        }
        Some(Action::PrevField) => {
            d.touched[d.focus] = true;
            d.focus = (d.focus + count - 1) % count;
        }
        // Leaving an update's form: back to the list, nothing sent.
        Some(Action::Back) if app.session.updating.take().is_some() => return go(app, Step::Manage),
        Some(Action::Back) => return go(app, Step::Connect),
        Some(Action::NewLine) => d.inputs[d.focus].insert_newline(),
        Some(Action::Enter) if d.focus < count - 1 => {
            d.touched[d.focus] = true;
            d.focus += 1;
        }
        Some(Action::Enter) => {
            return match first_detail_problem(app) {
                Some(bad) => {
                    app.details.focus = bad;
                    problem_about(
                        app,
                        Cause::Detail(bad),
                        "Fix the marked field before going on.",
                    );
                    Vec::new()
                }
                None if app.session.intent == crate::tui::app::Intent::CreateBot => go(app, Step::Bot),
                None => go(app, Step::RedirectUrls),
            };
        }
        other => type_into(&mut d.inputs[d.focus], other, key),
    }
    Vec::new()
}

const LABELS: [&str; 4] = ["Name", "Description", "Contact email", "Company"];

/// The form speaks of what is being made: a bot is seen in spaces, not on a consent page.
pub(crate) fn word_for(app: &mut App) {
    let bot = app.session.intent == crate::tui::app::Intent::CreateBot;
    let d = &mut app.details.inputs;
    d[0].set_placeholder_text(if bot { "e.g. Agency Notifier" } else { "e.g. Audit Reader" });
    d[1].set_placeholder_text(if bot {
        "What the bot does (Enter adds a line)"
    } else {
        "What the integration is for (Enter adds a line)"
    });
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.session.theme;
    let d = &app.details;
    let description_rows = if area.height >= 22 { 8 } else { 4 };
    let bot = app.session.intent == crate::tui::app::Intent::CreateBot;
    let hints = [
        if bot {
            format!("Shown in spaces and in the people search; at most {NAME_MAX} characters.")
        } else {
            format!("Shown to users on the consent page; at most {NAME_MAX} characters.")
        },
        format!("Enter adds a line, Tab leaves; at most {DESCRIPTION_MAX} characters."),
        if bot { "Who to contact about this bot." } else { "Who to contact about this integration." }
            .to_owned(),
        format!("Optional; at most {COMPANY_MAX} characters."),
    ];
    let problems: Vec<Option<String>> = (0..4)
        .map(|i| {
            let typed = !d.inputs[i].is_empty();
            if d.touched[i] || typed {
                app.detail_problem(i)
            } else {
                None
            }
        })
        .collect();
    let fields: Vec<FieldView> = (0..4)
        .map(|i| FieldView {
            label: LABELS[i],
            input: &d.inputs[i],
            focused: d.focus == i,
            problem: problems[i].as_deref(),
            hint: &hints[i],
            theme: t,
        })
        .collect();
    let heights = [1, description_rows, 1, 1];
    let mut constraints: Vec<Constraint> = fields
        .iter()
        .zip(heights)
        .map(|(f, rows)| Constraint::Length(f.height(area.width, rows)))
        .collect();
    constraints.push(Constraint::Min(0));
    let areas = Layout::vertical(constraints).split(area);
    for (field, area) in fields.iter().zip(areas.iter()) {
        field.render(*area, frame.buffer_mut());
    }
}

/// Pasted text goes where typing would go.
pub(crate) fn on_paste(app: &mut App, text: &str) -> Vec<Effect> {
    let d = &mut app.details;
    if DETAIL_FIELDS[d.focus] == Field::Description {
        d.inputs[d.focus].insert_str(text.replace("\r\n", "\n"));
    } else {
        d.inputs[d.focus].insert_str(text.replace(['\r', '\n'], " ").trim_end());
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::KeyCode;

    use super::super::testing::{app_on, press, type_text};
    use crate::tui::app::{Cause, Step};

    #[test]
    fn the_last_enter_stops_on_the_first_field_with_a_problem() {
        let mut app = app_on(Step::Details);
        for _ in 0..3 {
            press(&mut app, KeyCode::Tab);
        }
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.step, Step::Details);
        assert_eq!(app.details.focus, 0);
        assert_eq!(app.notice.as_ref().and_then(|n| n.cause), Some(Cause::Detail(0)));
        type_text(&mut app, "Audit Reader");
        assert!(app.notice.is_none(), "the message goes once the field is right");
    }
}
