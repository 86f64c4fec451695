//! Staff of relay points: invitation by e-mail with a one-time token (72 hours,
//! stored hashed; a re-invite revokes the previous token), acceptance with a chosen
//! password, listing and deactivation by the programme's managers.

use super::store as relay_store;
use crate::audit::{self, Action};
use crate::db;
use crate::domain::{Email, ProgrammeId, RelayPointId, StaffLanguage, UserId};
use crate::domain::{Role, Scope};
use crate::http::error::AppError;
use crate::http::pagination::{Cursor, Page, fetch_limit};
use crate::mail::templates;
use crate::state::AppState;
use crate::users::invitations;
use crate::users::model::User;
use crate::users::service::{self as users, NewAccount};

/// A validated invitation request.
pub struct InviteStaff {
    pub email: Email,
    pub relay_point_id: RelayPointId,
    pub language: StaffLanguage,
}

/// What the manager learns: the account and whether the e-mail went out. The token
/// itself is only in the e-mail.
pub struct Invited {
    pub user_id: UserId,
    pub relay_point_id: RelayPointId,
    pub expires_at: chrono::NaiveDateTime,
    pub email_sent: bool,
}

/// Invites (or re-invites) a staff member to a relay point of `programme`.
pub async fn invite(
    state: &AppState,
    programme: ProgrammeId,
    actor: UserId,
    req: InviteStaff,
) -> Result<Invited, AppError> {
    let email = req.email.clone();
    let (user_id, issued, relay_name, programme_name) = state
        .db
        .write(move |c| {
            let now = db::now();
            let relay = relay_store::find_relay(c, programme, req.relay_point_id)?
                .ok_or_else(|| AppError::invalid("relay_point_id", "no such relay point"))?;
            let prog = relay_store::find_programme(c, programme)?.ok_or(AppError::NotFound)?;
            let user_id = match users::account_by_email(c, &req.email)? {
                None => {
                    let scope = Scope {
                        programme_id: Some(programme),
                        relay_point_id: Some(req.relay_point_id),
                        helpline_id: None,
                    };
                    let account = NewAccount::new(req.email.clone(), Role::RelayStaff, scope, req.language)?;
                    let id = users::insert_invited(c, account)?.id;
                    audit::record(c, Some(actor), Action::AccountCreated, None, Some(&id.to_string()))?;
                    id
                }
                Some(user) if user.role == Role::RelayStaff && user.scope.programme_id == Some(programme) => {
                    users::reassign_staff(c, user.id, req.relay_point_id, req.language)?;
                    let subject = user.id.to_string();
                    if user.scope.relay_point_id != Some(req.relay_point_id) {
                        audit::record(c, Some(actor), Action::AccountScopeChanged, None, Some(&subject))?;
                    }
                    audit::record(c, Some(actor), Action::AccountInvited, None, Some(&subject))?;
                    user.id
                }
                Some(_) => return Err(AppError::Conflict("An account with this e-mail already exists.".into())),
            };
            let issued = invitations::issue(c, user_id, Some(req.relay_point_id), actor, now)?;
            Ok::<_, AppError>((user_id, issued, relay.fields.name, prog.name))
        })
        .await?;
    let expires_at = issued.expires_at;
    // Sent after the commit: a mail for an invitation that was rolled back would
    // carry a dead token. A failed send is reported, and a re-invite fixes it.
    let app_url = format!("{}/relay/", state.settings.public_url.trim_end_matches('/'));
    let message = templates::invitation(
        req.language,
        &templates::Invitation {
            relay_name: relay_name.as_str(),
            programme_name: &programme_name,
            token: &issued.token,
            expires_at: expires_at.and_utc(),
            app_url: &app_url,
        },
    );
    let email_sent = state.mailer.send(&email, message).await.is_ok();
    Ok(Invited { user_id, relay_point_id: req.relay_point_id, expires_at, email_sent })
}

/// Deactivates a staff member of `programme`: account off, sessions and open
/// invitations revoked, all in one transaction.
pub async fn deactivate(state: &AppState, programme: ProgrammeId, actor: UserId, id: UserId) -> Result<User, AppError> {
    state
        .db
        .write(move |c| {
            let now = db::now();
            users::staff_member(c, programme, id)?.ok_or(AppError::NotFound)?;
            if users::deactivate_account(c, id, now)? {
                audit::record(c, Some(actor), Action::AccountDeactivated, None, Some(&id.to_string()))?;
            }
            invitations::revoke_open(c, id, now)?;
            users::staff_member(c, programme, id)?.ok_or(AppError::NotFound)
        })
        .await
}

/// One page of a programme's staff, by e-mail (404 for a relay point of another programme).
pub async fn list(
    state: &AppState,
    programme: ProgrammeId,
    relay: Option<RelayPointId>,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Page<User>, AppError> {
    let users = state
        .db
        .run(move |c| {
            // A relay point of another programme names nothing here: 404, not an empty page.
            if let Some(relay) = relay {
                relay_store::find_relay(c, programme, relay)?.ok_or(AppError::NotFound)?;
            }
            users::list_staff(c, programme, relay, after.as_ref().map(Cursor::key), fetch_limit(limit))
        })
        .await?;
    Ok(Page::from_rows(users, limit, |u| Cursor::new(u.email.as_str())))
}
