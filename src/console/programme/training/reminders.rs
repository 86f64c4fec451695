//! `/console/training/reminders`: the reminders the reminder job sent about the
//! programme's modules (when, to which staff member of which relay point, about
//! which module's completion expiring on which day), newest first, paged. Read
//! only; what the job recorded in `training_reminders`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{PER_PAGE, failed, layout, manager, paging, shown};
use crate::console::pages::{Layout, local, render};
use crate::console::programme::table::PageLink;
use crate::state::AppState;
use crate::training::service as training;

pub struct ReminderShown {
    pub sent_at: String,
    pub email: String,
    pub relay_id: String,
    pub relay: String,
    pub module: String,
    pub expires_on: String,
}

#[derive(Template)]
#[template(path = "console/programme_training_reminders.html")]
struct RemindersPage {
    l: Layout,
    tab: &'static str,
    reminders: Vec<ReminderShown>,
    total: usize,
    page: usize,
    pages: usize,
    page_links: Vec<PageLink>,
    prev: Option<String>,
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<String>,
}

pub async fn list(req: HttpRequest, state: web::Data<AppState>, q: web::Query<PageQuery>) -> HttpResponse {
    let (a, programme) = match manager(&req, &state).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let asked = q.page.as_deref().and_then(|p| p.parse().ok()).unwrap_or(1);
    let listed = match training::reminders_sent(&state, programme, asked, PER_PAGE).await {
        Ok(l) => l,
        Err(e) => return failed(&a, e),
    };
    let link = |n: usize| {
        if n > 1 { format!("/console/training/reminders?page={n}") } else { "/console/training/reminders".into() }
    };
    let paging = paging(listed.page, listed.pages, link);
    let reminders = listed
        .items
        .iter()
        .map(|r| {
            let (relay_id, relay) = r.relay.clone().map(|(id, name)| (id.to_string(), name)).unwrap_or_default();
            ReminderShown {
                sent_at: local(r.sent_at.and_utc()),
                email: r.email.clone(),
                relay_id,
                relay,
                module: r.module_title.clone(),
                expires_on: shown(r.expires_on),
            }
        })
        .collect();
    let page = RemindersPage {
        l: layout(&a, "trn.reminders.title"),
        tab: "reminders",
        reminders,
        total: listed.total,
        page: listed.page,
        pages: listed.pages,
        page_links: paging.links,
        prev: paging.prev,
        next: paging.next,
    };
    render(StatusCode::OK, &page)
}
