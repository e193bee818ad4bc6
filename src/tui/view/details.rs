//! Step 2: name, description, contact email, company.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;

use crate::tui::app::App;
use crate::tui::widgets::FieldView;
use crate::validate::{COMPANY_MAX, DESCRIPTION_MAX, NAME_MAX};

const LABELS: [&str; 4] = ["Name", "Description", "Contact email", "Company"];

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    let d = &app.details;
    let description_rows = if area.height >= 24 { 8 } else { 4 };
    let [title, name, description, email, company, _] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(FieldView::height(1)),
        Constraint::Length(FieldView::height(description_rows)),
        Constraint::Length(FieldView::height(1)),
        Constraint::Length(FieldView::height(1)),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(
        Line::styled(
            "About the integration (users see this when they consent)",
            t.title(),
        ),
        title,
    );
    let hints = [
        format!("Shown to users on the consent page; at most {NAME_MAX} characters."),
        format!("Enter adds a line, Tab leaves; at most {DESCRIPTION_MAX} characters."),
        "Who to contact about this integration.".to_owned(),
        format!("Optional; at most {COMPANY_MAX} characters."),
    ];
    for (i, area) in [name, description, email, company].into_iter().enumerate() {
        let typed = !d.inputs[i].is_empty();
        let problem = if d.touched[i] || typed {
            app.detail_problem(i)
        } else {
            None
        };
        FieldView {
            label: LABELS[i],
            input: &d.inputs[i],
            focused: d.focus == i,
            problem: problem.as_deref(),
            hint: &hints[i],
            theme: t,
        }
        .render(area, frame.buffer_mut());
    }
}
