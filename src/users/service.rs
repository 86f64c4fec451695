//! Account administration: invite (the invitee sets the password from an e-mailed
//! one-time token; nobody else ever learns it), list, read, change the role and
//! scope or deactivate (either ends every session of the account), reactivate.
//! Each change writes an audit row.

use super::invitations::{self, Issued};
pub use super::model::AccountFilter;
use super::model::User;
use super::store::{self, NewUser};
use crate::audit::{self, Action};
use crate::db::{self, AnyConnection};
use crate::domain::{Email, HelplineId, ProgrammeId, RelayPointId, StaffLanguage, UserId};
use crate::domain::{Role, Scope};
use crate::http::error::{AppError, FieldError};
use crate::http::pagination::{Cursor, Page, fetch_limit};
use crate::state::AppState;

/// A validated request to create an account.
pub struct NewAccount {
    pub email: Email,
    pub role: Role,
    pub scope: Scope,
    pub language: StaffLanguage,
}

impl NewAccount {
    /// Checks that the scope fits the role: exactly the ids the role needs.
    pub fn new(email: Email, role: Role, scope: Scope, language: StaffLanguage) -> Result<Self, AppError> {
        check_scope_fits(role, &scope)?;
        Ok(Self { email, role, scope, language })
    }
}

/// A scope that fits its role: exactly the ids the role needs (relay staff may
/// also name their programme, which must then be the relay point's); 422 otherwise.
fn check_scope_fits(role: Role, scope: &Scope) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let (needs_programme, needs_relay, needs_helpline) = match role {
        Role::Admin => (false, false, false),
        Role::ProgrammeManager => (true, false, false),
        Role::RelayStaff => (false, true, false),
        Role::HelplineOperator | Role::HelplineSupervisor => (false, false, true),
    };
    let mut check = |field: &str, present: bool, needed: bool, allow_extra: bool| {
        if needed && !present {
            errors.push(FieldError::new(field, format!("is required for role {}", role.as_str())));
        } else if present && !needed && !allow_extra {
            errors.push(FieldError::new(field, format!("does not apply to role {}", role.as_str())));
        }
    };
    check("programme_id", scope.programme_id.is_some(), needs_programme, role == Role::RelayStaff);
    check("relay_point_id", scope.relay_point_id.is_some(), needs_relay, false);
    check("helpline_id", scope.helpline_id.is_some(), needs_helpline, false);
    if errors.is_empty() { Ok(()) } else { Err(AppError::Validation(errors)) }
}

/// A validated change of an account's role and scope.
pub struct RoleChange {
    pub role: Role,
    pub scope: Scope,
}

impl RoleChange {
    /// Checks that the scope fits the role, as for a new account.
    pub fn new(role: Role, scope: Scope) -> Result<Self, AppError> {
        check_scope_fits(role, &scope)?;
        Ok(Self { role, scope })
    }
}

/// An account invited, and whether the e-mail with its token went out.
pub struct Invited {
    pub user: User,
    pub expires_at: chrono::NaiveDateTime,
    pub email_sent: bool,
}

/// Creates an account without a password and e-mails it an invitation.
pub async fn invite(state: &AppState, actor: UserId, account: NewAccount) -> Result<Invited, AppError> {
    let (user, issued) = state
        .db
        .write(move |c| {
            let user = insert_invited(c, account)?;
            audit::record(c, Some(actor), Action::AccountCreated, None, Some(&user.id.to_string()))?;
            let issued = invitations::issue(c, user.id, user.scope.relay_point_id, actor, db::now())?;
            Ok::<_, AppError>((user, issued))
        })
        .await?;
    send_invitation(state, user, issued).await
}

/// Sends a new invitation to an existing account (the previous token stops
/// working): for an invitee whose e-mail was lost, or to reactivate a deactivated
/// account (accepting it activates the account again).
pub async fn reinvite(state: &AppState, actor: UserId, id: UserId) -> Result<Invited, AppError> {
    let (user, issued) = state
        .db
        .write(move |c| {
            let user = store::find_by_id(c, id)?.ok_or(AppError::NotFound)?;
            audit::record(c, Some(actor), Action::AccountInvited, None, Some(&id.to_string()))?;
            let issued = invitations::issue(c, id, user.scope.relay_point_id, actor, db::now())?;
            Ok::<_, AppError>((user, issued))
        })
        .await?;
    send_invitation(state, user, issued).await
}

/// Sent after the commit: a mail for an invitation that was rolled back would
/// carry a dead token. A failed send is reported, and a re-invite fixes it.
async fn send_invitation(state: &AppState, user: User, issued: Issued) -> Result<Invited, AppError> {
    let message = crate::mail::account_templates::invitation(
        user.language,
        user.role,
        &issued.token,
        issued.expires_at.and_utc(),
    );
    let email_sent = state.mailer.send(&user.email, message).await.is_ok();
    Ok(Invited { user, expires_at: issued.expires_at, email_sent })
}

/// Inserts an account after checking that its scope exists (422 otherwise).
pub fn insert_account(conn: &mut AnyConnection, account: NewAccount, hash: &str) -> Result<User, AppError> {
    insert_with(conn, account, Some(hash))
}

/// Inserts an invited account: no password until the invitation is accepted, so
/// nobody can sign in with it.
pub fn insert_invited(conn: &mut AnyConnection, account: NewAccount) -> Result<User, AppError> {
    insert_with(conn, account, None)
}

/// Checks that the ids of a scope exist (422 on the field otherwise) and fills in
/// a relay point's programme.
fn resolve_scope(conn: &mut AnyConnection, scope: &mut Scope) -> Result<(), AppError> {
    if let Some(id) = scope.programme_id
        && !store::programme_exists(conn, id)?
    {
        return Err(AppError::invalid("programme_id", "no such programme"));
    }
    if let Some(id) = scope.relay_point_id {
        let programme = store::relay_point_programme(conn, id)?
            .ok_or_else(|| AppError::invalid("relay_point_id", "no such relay point"))?;
        if scope.programme_id.is_some_and(|p| p != programme) {
            return Err(AppError::invalid("programme_id", "does not match the relay point's programme"));
        }
        scope.programme_id = Some(programme);
    }
    if let Some(id) = scope.helpline_id
        && !store::helpline_exists(conn, id)?
    {
        return Err(AppError::invalid("helpline_id", "no such helpline"));
    }
    Ok(())
}

fn insert_with(conn: &mut AnyConnection, mut account: NewAccount, hash: Option<&str>) -> Result<User, AppError> {
    resolve_scope(conn, &mut account.scope)?;
    if store::find_by_email(conn, &account.email)?.is_some() {
        return Err(AppError::Conflict("An account with this e-mail already exists.".into()));
    }
    let id = UserId::new();
    store::insert(
        conn,
        &NewUser {
            id: id.to_string(),
            email: account.email.as_str(),
            password_hash: hash,
            role: account.role.as_str(),
            programme_id: account.scope.programme_id.map(|p| p.to_string()),
            relay_point_id: account.scope.relay_point_id.map(|r: RelayPointId| r.to_string()),
            helpline_id: account.scope.helpline_id.map(|h: HelplineId| h.to_string()),
            language: account.language.as_str(),
            active: true,
            created_at: db::now(),
        },
    )?;
    store::find_by_id(conn, id)?.ok_or(AppError::NotFound)
}

/// One page of accounts, by e-mail.
pub async fn list(
    state: &AppState,
    filter: AccountFilter,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Page<User>, AppError> {
    let rows = state
        .db
        .run(move |c| {
            store::list(c, &filter, after.as_ref().map(Cursor::key), fetch_limit(limit)).map_err(AppError::from)
        })
        .await?;
    let users = rows;
    Ok(Page::from_rows(users, limit, |u| Cursor::new(u.email.as_str())))
}

pub async fn get(state: &AppState, id: UserId) -> Result<User, AppError> {
    state.db.run(move |c| store::find_by_id(c, id)?.ok_or(AppError::NotFound)).await
}

/// Deactivates an account and revokes its refresh tokens in one transaction.
pub async fn deactivate(state: &AppState, actor: UserId, id: UserId) -> Result<User, AppError> {
    if actor == id {
        return Err(AppError::Conflict("You cannot deactivate your own account.".into()));
    }
    state
        .db
        .write(move |c| {
            let now = db::now();
            let row = store::find_by_id(c, id)?.ok_or(AppError::NotFound)?;
            if row.active {
                deactivate_account(c, id, now)?;
                invitations::revoke_open(c, id, now)?;
                audit::record(c, Some(actor), Action::AccountDeactivated, None, Some(&id.to_string()))?;
            }
            store::find_by_id(c, id)?.ok_or(AppError::NotFound)
        })
        .await
}

/// Changes an account's role and scope (admin), in one transaction with its audit
/// row; every session of the account ends (its access tokens carry the old role).
/// An admin cannot change their own role. A change to the same role and scope
/// changes nothing.
pub async fn change_role(state: &AppState, actor: UserId, id: UserId, change: RoleChange) -> Result<User, AppError> {
    if actor == id {
        return Err(AppError::Conflict("You cannot change your own role.".into()));
    }
    state
        .db
        .write(move |c| {
            let before = store::find_by_id(c, id)?.ok_or(AppError::NotFound)?;
            let mut scope = change.scope;
            resolve_scope(c, &mut scope)?;
            if before.role == change.role && before.scope == scope {
                return Ok(before);
            }
            store::set_role_and_scope(c, id, change.role, &scope)?;
            // Refresh tokens revoked and access tokens (which carry the role) ended.
            end_sessions(c, id, db::now())?;
            audit::record(c, Some(actor), Action::AccountScopeChanged, None, Some(&id.to_string()))?;
            store::find_by_id(c, id)?.ok_or(AppError::NotFound)
        })
        .await
}

/// Activates a deactivated account again (admin), audited; the person signs in
/// with the password they had (an account that never chose one needs an
/// invitation). An active account is left as it is.
pub async fn reactivate(state: &AppState, actor: UserId, id: UserId) -> Result<User, AppError> {
    state
        .db
        .write(move |c| {
            let row = store::find_by_id(c, id)?.ok_or(AppError::NotFound)?;
            if !row.active {
                store::reactivate(c, id)?;
                // Sessions ended at deactivation; nothing from before it may come back.
                end_sessions(c, id, db::now())?;
                audit::record(c, Some(actor), Action::AccountReactivated, None, Some(&id.to_string()))?;
            }
            store::find_by_id(c, id)?.ok_or(AppError::NotFound)
        })
        .await
}

// Connection-level use cases that other capabilities call inside their own
// transaction: they reach accounts only through these.

/// An account with its password hash, for sign-in and reset (the hash goes no
/// further than `auth`).
pub struct Credentials {
    pub user: User,
    pub password_hash: Option<String>,
}

/// An account as it is now.
pub fn account(c: &mut AnyConnection, id: UserId) -> Result<Option<User>, AppError> {
    Ok(store::find_by_id(c, id)?)
}

/// An account and its password hash, by e-mail.
pub fn credentials(c: &mut AnyConnection, email: &Email) -> Result<Option<Credentials>, AppError> {
    Ok(store::find_credentials(c, email)?.map(|(user, password_hash)| Credentials { user, password_hash }))
}

/// How many accounts exist (the first start creates an admin when none does).
pub fn count(c: &mut AnyConnection) -> Result<i64, AppError> {
    Ok(store::count(c)?)
}

/// Ends every session of an account (its refresh tokens stop working).
pub fn end_sessions(c: &mut AnyConnection, id: UserId, now: chrono::NaiveDateTime) -> Result<(), AppError> {
    store::end_sessions(c, id, now)?;
    Ok(())
}

/// Makes every access token of an account invalid at once (logout).
pub fn end_access_tokens(c: &mut AnyConnection, id: UserId) -> Result<(), AppError> {
    store::bump_token_version(c, id)?;
    Ok(())
}

/// Marks an account inactive and ends its sessions; false when it was not active.
pub fn deactivate_account(c: &mut AnyConnection, id: UserId, now: chrono::NaiveDateTime) -> Result<bool, AppError> {
    let changed = store::deactivate(c, id, now)?;
    store::end_sessions(c, id, now)?;
    Ok(changed)
}

/// Active admins, with the language to write to them in.
pub fn admins(c: &mut AnyConnection) -> Result<Vec<(Email, StaffLanguage)>, AppError> {
    Ok(store::admins(c)?)
}

/// Active managers of a programme, with the language to write to them in.
pub fn programme_managers(
    c: &mut AnyConnection,
    programme: ProgrammeId,
) -> Result<Vec<(Email, StaffLanguage)>, AppError> {
    Ok(store::programme_managers(c, programme)?)
}

/// Active supervisors of a helpline, with the language to write to them in.
pub fn helpline_supervisors(
    c: &mut AnyConnection,
    helpline: HelplineId,
) -> Result<Vec<(Email, StaffLanguage)>, AppError> {
    Ok(store::helpline_supervisors(c, helpline)?)
}

/// Sets an account's password hash.
pub fn set_password(c: &mut AnyConnection, id: UserId, hash: &str) -> Result<(), AppError> {
    store::set_password(c, id, hash)?;
    Ok(())
}

/// An account by e-mail.
pub fn account_by_email(c: &mut AnyConnection, email: &Email) -> Result<Option<User>, AppError> {
    Ok(store::find_by_email(c, email)?)
}

/// A relay-staff account of `programme` (`None` for anyone else).
pub fn staff_member(c: &mut AnyConnection, programme: ProgrammeId, id: UserId) -> Result<Option<User>, AppError> {
    Ok(store::find_staff(c, programme, id)?)
}

/// One page of a programme's relay staff (optionally of one relay point), by e-mail.
pub fn list_staff(
    c: &mut AnyConnection,
    programme: ProgrammeId,
    relay: Option<RelayPointId>,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<User>, AppError> {
    Ok(store::list_staff(c, programme, relay, after, limit)?)
}

/// Relay-staff account ids of a programme by e-mail.
pub fn staff_ids_by_email(c: &mut AnyConnection, programme: ProgrammeId) -> Result<Vec<(String, UserId)>, AppError> {
    Ok(store::staff_ids_by_email(c, programme)?)
}

/// Moves a staff member to another relay point and records their language.
pub fn reassign_staff(
    c: &mut AnyConnection,
    id: UserId,
    relay: RelayPointId,
    language: StaffLanguage,
) -> Result<(), AppError> {
    Ok(store::reassign_staff(c, id, relay, language)?)
}

/// Sets the password an invitee chose, (re)activates the account and ends any
/// earlier session of it.
pub fn activate_with_password(
    c: &mut AnyConnection,
    id: UserId,
    hash: &str,
    now: chrono::NaiveDateTime,
) -> Result<User, AppError> {
    store::set_password_and_activate(c, id, hash)?;
    store::end_sessions(c, id, now)?;
    account(c, id)?.ok_or(AppError::NotFound)
}

/// Active operators and supervisors of a helpline, by e-mail.
pub fn helpline_staff(c: &mut AnyConnection, helpline: HelplineId) -> Result<Vec<User>, AppError> {
    Ok(store::helpline_staff(c, helpline)?)
}
