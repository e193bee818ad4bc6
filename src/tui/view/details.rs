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
    let hints = [
        format!("Shown to users on the consent page; at most {NAME_MAX} characters."),
        format!("Enter adds a line, Tab leaves; at most {DESCRIPTION_MAX} characters."),
        "Who to contact about this integration.".to_owned(),
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
    let mut constraints = vec![Constraint::Length(2)];
    constraints.extend(
        fields
            .iter()
            .zip(heights)
            .map(|(f, rows)| Constraint::Length(f.height(area.width, rows))),
    );
    constraints.push(Constraint::Min(0));
    let areas = Layout::vertical(constraints).split(area);
    frame.render_widget(
        Line::styled(
            "About the integration (users see this when they consent)",
            t.title(),
        ),
        areas[0],
    );
    for (field, area) in fields.iter().zip(areas.iter().skip(1)) {
        field.render(*area, frame.buffer_mut());
    }
}
