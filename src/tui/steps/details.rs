//! Step 2, Details: name, description, contact email, company.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui_textarea::TextArea;

use crate::integration::IntegrationDraft;
use crate::tui::context::{Cause, Cx, Intent, Request, Session, Step};
use crate::tui::effect::Effect;
use crate::tui::keys::Key::Plain;
use crate::tui::keys::{Action, Action as A, Binding, ENTER, ESC, also, bind, clear, undo, when};
use crate::tui::phase::Phase;
use crate::tui::steps::StepState;
use crate::tui::widgets::{FieldView, multi_line, show_cursor, single_line, type_into};
use crate::validate::{self, COMPANY_MAX, DESCRIPTION_MAX, Field, NAME_MAX};

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

pub type State = DetailsState;

impl Default for DetailsState {
    fn default() -> Self {
        DetailsState {
            inputs: [
                single_line("", "e.g. Audit Reader"),
                multi_line("", "What the integration is for (Enter adds a line)"),
                single_line("", "e.g. admin@agency.example.gov"),
                single_line("", "optional"),
            ],
            focus: 0,
            touched: [false; 4],
        }
    }
}

impl DetailsState {
    /// The problem with a detail field, whether or not it shows yet.
    pub fn problem(&self, index: usize) -> Option<String> {
        let value = self.inputs[index].lines().join("\n");
        let result = match DETAIL_FIELDS[index] {
            Field::Name => validate::check_name(&value),
            Field::Description => validate::check_description(&value),
            Field::ContactEmail => validate::check_contact_email(&value),
            _ if value.trim().is_empty() => Ok(()),
            _ => validate::check_company_name(&value),
        };
        result.err()
    }

    /// The index of the first detail field with a problem, marking every field as touched.
    pub(crate) fn first_problem(&mut self) -> Option<usize> {
        self.touched = [true; 4];
        (0..DETAIL_FIELDS.len()).find(|i| self.problem(*i).is_some())
    }

    /// Put the keyboard on detail field `index`, with its problem showing.
    pub(crate) fn focus_field(&mut self, index: usize) {
        self.focus = index;
        self.touched[index] = true;
    }

    /// Fill the fields from a draft.
    pub fn load(&mut self, draft: &IntegrationDraft) {
        let d = &mut self.inputs;
        d[0] = single_line(&draft.name, "e.g. Audit Reader");
        d[1] = multi_line(
            &draft.description,
            "What the integration is for (Enter adds a line)",
        );
        d[2] = single_line(&draft.contact_email, "e.g. admin@agency.example.gov");
        d[3] = single_line(draft.company_name.as_deref().unwrap_or(""), "optional");
    }

    /// What is typed, into the draft's fields.
    pub fn write(&self, draft: &mut IntegrationDraft) {
        let text = |i: usize| self.inputs[i].lines().join("\n");
        let company = text(3);
        draft.name = text(0);
        draft.description = text(1);
        draft.contact_email = text(2);
        draft.company_name = (!company.trim().is_empty()).then_some(company);
    }
}

fn description(d: &State, _: &Session) -> bool {
    d.focus == 1
}

fn last(d: &State, _: &Session) -> bool {
    d.focus == 3
}

fn middle(d: &State, session: &Session) -> bool {
    !description(d, session) && !last(d, session)
}

impl StepState for DetailsState {
    const TITLE: &'static str = "Details";
    const PURPOSE: &'static str = "What users see when they consent, and who to contact about it.";
    const PHASE: Phase = Phase::Create;
    const KEYS: &'static [Binding<Self>] = &[
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
            description,
        ),
        when(
            bind("Enter", ENTER, A::Enter, "next field", "next field"),
            middle,
        ),
        when(
            bind(
                "Enter",
                ENTER,
                A::Enter,
                "next step",
                "on the last field: the redirect URLs",
            ),
            last,
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

    fn on_key(&mut self, cx: &mut Cx, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
        let count = DETAIL_FIELDS.len();
        match action {
            Some(Action::NextField) => {
                self.touched[self.focus] = true;
                self.focus = (self.focus + 1) % count;
            }
            Some(Action::PrevField) => {
                self.touched[self.focus] = true;
                self.focus = (self.focus + count - 1) % count;
            }
            // Leaving an update's form: back to the list, nothing sent, and the form emptied
            // (the application's fields are not a draft of a new integration).
            Some(Action::Back) if cx.session.updating.take().is_some() => {
                cx.enter(Step::Manage);
                cx.ask(Request::ClearForm);
            }
            Some(Action::Back) => cx.go(Step::Connect),
            Some(Action::NewLine) => self.inputs[self.focus].insert_newline(),
            Some(Action::Enter) if self.focus < count - 1 => {
                self.touched[self.focus] = true;
                self.focus += 1;
            }
            Some(Action::Enter) => match self.first_problem() {
                Some(bad) => {
                    self.focus = bad;
                    cx.problem_about(Cause::Detail(bad), "Fix the marked field before going on.");
                }
                None if cx.session.intent == Intent::CreateBot => cx.go(Step::Bot),
                None => cx.go(Step::RedirectUrls),
            },
            other => type_into(&mut self.inputs[self.focus], other, key),
        }
        Vec::new()
    }

    fn on_paste(&mut self, _cx: &mut Cx, text: &str) -> Vec<Effect> {
        let input = &mut self.inputs[self.focus];
        if DETAIL_FIELDS[self.focus] == Field::Description {
            input.insert_str(text.replace("\r\n", "\n"));
        } else {
            input.insert_str(text.replace(['\r', '\n'], " ").trim_end());
        }
        Vec::new()
    }

    fn focused_input(&self, _session: &Session) -> Option<&TextArea<'static>> {
        self.inputs.get(self.focus)
    }

    fn draw(&self, session: &Session, frame: &mut Frame, area: Rect) {
        draw(self, session, frame, area);
    }

    /// The form speaks of what is being made: a bot is seen in spaces, not on a consent page.
    fn refocus(&mut self, session: &Session, on_screen: bool) {
        let bot = session.intent == Intent::CreateBot;
        let d = &mut self.inputs;
        d[0].set_placeholder_text(if bot {
            "e.g. Agency Notifier"
        } else {
            "e.g. Audit Reader"
        });
        d[1].set_placeholder_text(if bot {
            "What the bot does (Enter adds a line)"
        } else {
            "What the integration is for (Enter adds a line)"
        });
        for (i, input) in self.inputs.iter_mut().enumerate() {
            show_cursor(input, session.theme, on_screen && i == self.focus);
        }
    }
}

const LABELS: [&str; 4] = ["Name", "Description", "Contact email", "Company"];

fn draw(d: &DetailsState, session: &Session, frame: &mut Frame, area: Rect) {
    let t = session.theme;
    let description_rows = if area.height >= 22 { 8 } else { 4 };
    let bot = session.intent == Intent::CreateBot;
    let hints = [
        if bot {
            format!("Shown in spaces and in the people search; at most {NAME_MAX} characters.")
        } else {
            format!("Shown to users on the consent page; at most {NAME_MAX} characters.")
        },
        format!("Enter adds a line, Tab leaves; at most {DESCRIPTION_MAX} characters."),
        if bot {
            "Who to contact about this bot."
        } else {
            "Who to contact about this integration."
        }
        .to_owned(),
        format!("Optional; at most {COMPANY_MAX} characters."),
    ];
    let problems: Vec<Option<String>> = (0..4)
        .map(|i| {
            let typed = !d.inputs[i].is_empty();
            if d.touched[i] || typed {
                d.problem(i)
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
        assert_eq!(app.steps.details.focus, 0);
        assert_eq!(
            app.notice.as_ref().and_then(|n| n.cause),
            Some(Cause::Detail(0))
        );
        type_text(&mut app, "Audit Reader");
        assert!(
            app.notice.is_none(),
            "the message goes once the field is right"
        );
    }
}
