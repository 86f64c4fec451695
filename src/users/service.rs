//! Account administration: create (with a one-time password), list, read,
//! deactivate (which revokes every refresh token of the account).

use super::model::{Email, HelplineId, ProgrammeId, RelayPointId, Role, Scope, StaffLanguage, User, UserId};
use super::store::{self, NewUser};
use crate::auth::password::generate_password;
use crate::auth::store as tokens_store;
use crate::db::{self, AnyConnection};
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
        // Relay staff may name their programme; it must then match the relay point's.
        check("programme_id", scope.programme_id.is_some(), needs_programme, role == Role::RelayStaff);
        check("relay_point_id", scope.relay_point_id.is_some(), needs_relay, false);
        check("helpline_id", scope.helpline_id.is_some(), needs_helpline, false);
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        Ok(Self { email, role, scope, language })
    }
}

/// Creates an account and returns it with its one-time password (shown once).
pub async fn create(state: &AppState, account: NewAccount) -> Result<(User, String), AppError> {
    let password = generate_password();
    let hash = state.hasher.hash(password.clone()).await?;
    let user = state.db.write(move |c| insert_account(c, account, &hash)).await?;
    Ok((user, password))
}

/// Inserts an account after checking that its scope exists (422 otherwise).
pub fn insert_account(conn: &mut AnyConnection, mut account: NewAccount, hash: &str) -> Result<User, AppError> {
    if let Some(id) = account.scope.programme_id
        && !store::programme_exists(conn, id)?
    {
        return Err(AppError::invalid("programme_id", "no such programme"));
    }
    if let Some(id) = account.scope.relay_point_id {
        let programme = store::relay_point_programme(conn, id)?
            .ok_or_else(|| AppError::invalid("relay_point_id", "no such relay point"))?;
        let programme =
            ProgrammeId::parse(&programme).ok_or_else(|| AppError::internal("corrupt relay_points.programme_id"))?;
        if account.scope.programme_id.is_some_and(|p| p != programme) {
            return Err(AppError::invalid("programme_id", "does not match the relay point's programme"));
        }
        account.scope.programme_id = Some(programme);
    }
    if let Some(id) = account.scope.helpline_id
        && !store::helpline_exists(conn, id)?
    {
        return Err(AppError::invalid("helpline_id", "no such helpline"));
    }
    if store::find_by_email(conn, &account.email)?.is_some() {
        return Err(AppError::Conflict("An account with this e-mail already exists.".into()));
    }
    let id = UserId::new();
    store::insert(
        conn,
        &NewUser {
            id: id.to_string(),
            email: account.email.as_str(),
            password_hash: Some(hash),
            role: account.role.as_str(),
            programme_id: account.scope.programme_id.map(|p| p.to_string()),
            relay_point_id: account.scope.relay_point_id.map(|r: RelayPointId| r.to_string()),
            helpline_id: account.scope.helpline_id.map(|h: HelplineId| h.to_string()),
            language: account.language.as_str(),
            active: true,
            created_at: db::now(),
        },
    )?;
    Ok(store::find_by_id(conn, id)?.ok_or(AppError::NotFound)?.into_user()?)
}

/// One page of accounts, by e-mail.
pub async fn list(
    state: &AppState,
    role: Option<Role>,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Page<User>, AppError> {
    let rows = state
        .db
        .run(move |c| store::list(c, role, after.as_ref().map(Cursor::key), fetch_limit(limit)).map_err(AppError::from))
        .await?;
    let users = rows.into_iter().map(|r| r.into_user()).collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_rows(users, limit, |u| Cursor::new(u.email.as_str())))
}

pub async fn get(state: &AppState, id: UserId) -> Result<User, AppError> {
    let row = state.db.run(move |c| store::find_by_id(c, id).map_err(AppError::from)).await?;
    Ok(row.ok_or(AppError::NotFound)?.into_user()?)
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
                store::deactivate(c, id, now)?;
                tokens_store::revoke_all_for_user(c, id, now)?;
            }
            Ok(store::find_by_id(c, id)?.ok_or(AppError::NotFound)?.into_user()?)
        })
        .await
}
