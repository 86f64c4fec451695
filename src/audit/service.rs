//! Reading the audit log: admins read all of it; a helpline supervisor reads only
//! the rows about their helpline's signals. Rows hold ids, actions and times only.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::Action;
use super::store::{self, Filter};
use crate::domain::{Role, UserId};
use crate::http::error::AppError;
use crate::http::pagination::{Cursor, Page, fetch_limit};
use crate::signals::model::Reference;
use crate::state::AppState;
use crate::users::caller::AuthUser;

/// One audit row.
#[derive(Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: String,
    /// Who acted (absent for the system's own jobs).
    pub actor_id: Option<UserId>,
    /// What was done, e.g. `contact.revealed`.
    pub action: String,
    /// The signal it was about, if any.
    pub reference: Option<String>,
    /// The account, helpline or delivery it was about, if any (an id).
    pub subject_id: Option<String>,
    pub at: DateTime<Utc>,
}

/// Filters of an audit read; all of them must hold.
#[derive(Default)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    /// First day included (UTC).
    pub from: Option<NaiveDate>,
    /// Last day included (UTC).
    pub to: Option<NaiveDate>,
    pub reference: Option<String>,
}

/// One page of the audit log the caller may read, newest first.
pub async fn list(
    state: &AppState,
    auth: &AuthUser,
    q: AuditQuery,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Page<AuditEntry>, AppError> {
    auth.require(&[Role::Admin, Role::HelplineSupervisor])?;
    let helpline_id = match auth.role {
        Role::Admin => None,
        _ => Some(auth.scope.helpline_id.ok_or(AppError::Forbidden)?.to_string()),
    };
    let mut errors = Vec::new();
    let actor_id = q.actor.as_deref().map(|a| match UserId::parse(a) {
        Some(id) => id.to_string(),
        None => {
            errors.push(("actor", "must be an account id"));
            String::new()
        }
    });
    let actions = match q.action.as_deref() {
        None => Vec::new(),
        Some(a) => match Action::parse(a) {
            Some(a) => vec![a.as_str()],
            None => {
                errors.push(("action", "is not an audited action"));
                Vec::new()
            }
        },
    };
    let signal_reference = q.reference.as_deref().map(|r| match Reference::parse(r) {
        Some(r) => r.as_str().to_string(),
        None => {
            errors.push(("reference", "is not a signal reference"));
            String::new()
        }
    });
    if let (Some(from), Some(to)) = (q.from, q.to)
        && from > to
    {
        errors.push(("to", "must not be before from"));
    }
    if let Some((field, message)) = errors.first() {
        return Err(AppError::invalid(*field, *message));
    }
    let filter = Filter {
        helpline_id,
        actor_id,
        actions,
        signal_reference,
        from: q.from.and_then(|d| d.and_hms_opt(0, 0, 0)),
        until: q.to.and_then(|d| d.succ_opt()).and_then(|d| d.and_hms_opt(0, 0, 0)),
    };
    let after = after
        .map(|c| {
            let [at, id] = c.parts('|')?;
            Ok::<_, AppError>((Cursor::parse_time(at)?, id.to_string()))
        })
        .transpose()?;
    let rows = state.db.run(move |c| Ok::<_, AppError>(store::list(c, &filter, after, fetch_limit(limit))?)).await?;
    let page = Page::from_rows(rows, limit, |r| Cursor::from_parts(&[&Cursor::time_part(r.created_at), &r.id], '|'));
    Ok(page.map(|r| AuditEntry {
        actor_id: r.actor_id.as_deref().and_then(UserId::parse),
        id: r.id,
        action: r.action,
        reference: r.reference,
        subject_id: r.subject_id,
        at: r.created_at.and_utc(),
    }))
}

/// When each of these signals' current claim began: the latest claim by, or
/// reassignment to, its holder. (signal id, holder id, when), oldest first.
pub fn claim_starts(
    conn: &mut crate::db::AnyConnection,
    signal_ids: &[String],
) -> Result<Vec<(String, String, chrono::NaiveDateTime)>, AppError> {
    Ok(store::claim_starts(conn, signal_ids)?)
}
