//! Account e-mails (password reset) through a durable queue, the `account_mail`
//! table: the request that asks only writes a row, so it answers at once and the
//! same whether or not the account exists, and a mail server that is down delays
//! the e-mail instead of losing it. A worker takes due rows under a lease (`FOR
//! UPDATE SKIP LOCKED` on PostgreSQL), sends, and retries with backoff until the
//! delivery deadline. Rows without an account (an unknown address) finish as
//! `skipped` without sending anything. Finished rows are deleted after a day.

use std::time::Duration;

use actix_web::web;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::backoff;
use crate::db::schema::account_mail;
use crate::db::{self, AnyConnection};
use crate::domain::UserId;
use crate::http::error::AppError;
use crate::mail::MailError;
use crate::state::AppState;

/// The kind of a password-reset e-mail.
pub const PASSWORD_RESET: &str = "password_reset";

const BATCH: i64 = 20;
const KEEP_FINISHED_HOURS: i64 = 24;

#[derive(Insertable)]
#[diesel(table_name = account_mail)]
struct NewRow<'a> {
    id: String,
    kind: &'a str,
    user_id: Option<String>,
    status: &'a str,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
    created_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Clone)]
#[diesel(table_name = account_mail)]
struct Row {
    id: String,
    kind: String,
    user_id: Option<String>,
    attempts: i32,
    created_at: NaiveDateTime,
}

/// Queues an e-mail of `kind` to `user` (`None`: nobody, the row only evens out
/// the work of the request). Call inside the request's transaction.
pub fn enqueue(c: &mut AnyConnection, kind: &str, user: Option<UserId>, now: NaiveDateTime) -> QueryResult<()> {
    diesel::insert_into(account_mail::table)
        .values(&NewRow {
            id: uuid::Uuid::new_v4().to_string(),
            kind,
            user_id: user.map(|u| u.to_string()),
            status: "pending",
            attempts: 0,
            next_attempt_at: now,
            created_at: now,
        })
        .execute(c)
        .map(|_| ())
}

/// Runs until `stop` turns true.
pub async fn run(state: web::Data<AppState>, mut stop: tokio::sync::watch::Receiver<bool>) {
    let idle = Duration::from_millis(state.settings.outbox_poll_millis);
    while !*stop.borrow() {
        let worked = match tick(&state).await {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(error = %e, "account mail round failed");
                0
            }
        };
        if worked == 0 {
            tokio::select! {
                _ = tokio::time::sleep(idle) => {}
                _ = stop.changed() => {}
            }
        }
    }
}

/// One round: lease due rows, send them, record the results; returns how many.
pub async fn tick(state: &AppState) -> Result<usize, AppError> {
    let now = db::now();
    let lease_until = now + chrono::Duration::seconds(i64::try_from(state.settings.outbox_lease_secs).unwrap_or(120));
    let rows = state.db.write(move |c| Ok::<_, AppError>(claim_due(c, now, lease_until)?)).await?;
    let n = rows.len();
    for row in rows {
        if let Err(e) = deliver(state, row).await {
            tracing::warn!(error = %e, "account mail bookkeeping failed; the lease will expire and it is retried");
        }
    }
    Ok(n)
}

async fn deliver(state: &AppState, row: Row) -> Result<(), AppError> {
    let user = row.user_id.as_deref().and_then(UserId::parse);
    let message = match (row.kind.as_str(), user) {
        (PASSWORD_RESET, Some(user)) => state
            .db
            .write(move |c| crate::auth::reset::issue_for(c, user))
            .await?
            .map(|(token, to, language)| (to, crate::mail::account_templates::password_reset(language, &token))),
        _ => None,
    };
    let now = db::now();
    let (status, next, error) = match message {
        None => ("skipped", now, None),
        Some((to, message)) => match state.mailer.send(&to, message).await {
            Ok(()) => ("sent", now, None),
            Err(MailError::Send(_)) => {
                let deadline =
                    chrono::Duration::minutes(i64::try_from(state.settings.delivery_deadline_minutes).unwrap_or(60));
                if now - row.created_at >= deadline {
                    ("dead", now, Some("smtp: sending failed"))
                } else {
                    let wait = chrono::Duration::from_std(backoff(u32::try_from(row.attempts).unwrap_or(0)))
                        .unwrap_or_default();
                    ("pending", db::truncate_micros(now + wait), Some("smtp: sending failed"))
                }
            }
            Err(_) => ("dead", now, Some("mail configuration")),
        },
    };
    tracing::info!(kind = %row.kind, status, attempts = row.attempts + 1, "account mail");
    let (id, attempts) = (row.id, row.attempts + 1);
    state.db.write(move |c| Ok::<_, AppError>(record_attempt(c, &id, (status, next, error), attempts, now)?)).await
}

super::mail_queue::mail_queue_queries!(account_mail, Row, BATCH, KEEP_FINISHED_HOURS);
