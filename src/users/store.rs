//! Diesel queries on `users`.

use crate::domain::{Email, HelplineId, ProgrammeId, RelayPointId, StaffLanguage, UserId};
use crate::domain::{Role, Scope};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::User;
use crate::db::AnyConnection;
use crate::db::schema::{helplines, programmes, refresh_tokens, relay_points, users};

/// A `users` row as read; converted to [`User`] here, the hash kept apart.
#[derive(Queryable, Selectable)]
#[diesel(table_name = users)]
struct UserRow {
    pub id: String,
    pub email: String,
    pub password_hash: Option<String>,
    pub role: String,
    pub programme_id: Option<String>,
    pub relay_point_id: Option<String>,
    pub helpline_id: Option<String>,
    pub language: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub deactivated_at: Option<NaiveDateTime>,
    pub totp_enabled_at: Option<NaiveDateTime>,
    pub token_version: i32,
}

/// A `users` row to insert.
#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub id: String,
    pub email: &'a str,
    pub password_hash: Option<&'a str>,
    pub role: &'a str,
    pub programme_id: Option<String>,
    pub relay_point_id: Option<String>,
    pub helpline_id: Option<String>,
    pub language: &'a str,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

impl UserRow {
    /// Converts to the domain type; a row that does not parse is a corrupt database.
    fn into_user(self) -> QueryResult<User> {
        let corrupt = |column: &str| crate::db::corrupt("users", column);
        Ok(User {
            id: UserId::parse(&self.id).ok_or_else(|| corrupt("id"))?,
            email: Email::parse(&self.email).map_err(|_| corrupt("email"))?,
            role: self.role.parse::<Role>().map_err(|_| corrupt("role"))?,
            scope: Scope {
                programme_id: self.programme_id.as_deref().and_then(ProgrammeId::parse),
                relay_point_id: self.relay_point_id.as_deref().and_then(RelayPointId::parse),
                helpline_id: self.helpline_id.as_deref().and_then(HelplineId::parse),
            },
            language: self.language.parse::<StaffLanguage>().unwrap_or_default(),
            active: self.active,
            created_at: self.created_at,
            deactivated_at: self.deactivated_at,
            two_factor: self.totp_enabled_at.is_some(),
            token_version: i64::from(self.token_version),
        })
    }
}

pub fn insert(conn: &mut AnyConnection, user: &NewUser<'_>) -> QueryResult<()> {
    diesel::insert_into(users::table).values(user).execute(conn)?;
    crate::training::status::bump(conn)
}

pub fn find_by_id(conn: &mut AnyConnection, id: UserId) -> QueryResult<Option<User>> {
    let row = users::table.find(id.to_string()).select(UserRow::as_select()).first(conn).optional()?;
    row.map(UserRow::into_user).transpose()
}

pub fn find_by_email(conn: &mut AnyConnection, email: &Email) -> QueryResult<Option<User>> {
    Ok(find_credentials(conn, email)?.map(|(user, _)| user))
}

/// An account and its password hash, by e-mail.
pub fn find_credentials(conn: &mut AnyConnection, email: &Email) -> QueryResult<Option<(User, Option<String>)>> {
    let row =
        users::table.filter(users::email.eq(email.as_str())).select(UserRow::as_select()).first(conn).optional()?;
    row.map(|r| {
        let hash = r.password_hash.clone();
        Ok((r.into_user()?, hash))
    })
    .transpose()
}

pub fn count(conn: &mut AnyConnection) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

/// One page of users ordered by e-mail, starting after `after`.
pub fn list(
    conn: &mut AnyConnection,
    filter: &super::model::AccountFilter,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<User>> {
    let mut q = users::table.select(UserRow::as_select()).order(users::email.asc()).limit(limit).into_boxed();
    if let Some(role) = filter.role {
        q = q.filter(users::role.eq(role.as_str()));
    }
    if let Some(active) = filter.active {
        q = q.filter(users::active.eq(active));
    }
    if let Some(text) = &filter.text {
        // E-mail addresses are stored in lower case; `%`, `_` and `!` match themselves.
        let escaped = text.to_lowercase().replace('!', "!!").replace('%', "!%").replace('_', "!_");
        q = q.filter(users::email.like(format!("%{escaped}%")).escape('!'));
    }
    if let Some(after) = after {
        q = q.filter(users::email.gt(after.to_string()));
    }
    q.load::<UserRow>(conn)?.into_iter().map(UserRow::into_user).collect()
}

/// Marks a user inactive; returns false when there was no such active user.
pub fn deactivate(conn: &mut AnyConnection, id: UserId, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(users::table.find(id.to_string()).filter(users::active.eq(true)))
        .set((users::active.eq(false), users::deactivated_at.eq(Some(now))))
        .execute(conn)?;
    crate::training::status::bump(conn)?;
    Ok(n == 1)
}

/// Sets an account's role and scope.
pub fn set_role_and_scope(conn: &mut AnyConnection, id: UserId, role: Role, scope: &Scope) -> QueryResult<usize> {
    let n = diesel::update(users::table.find(id.to_string()))
        .set((
            users::role.eq(role.as_str()),
            users::programme_id.eq(scope.programme_id.map(|p| p.to_string())),
            users::relay_point_id.eq(scope.relay_point_id.map(|r| r.to_string())),
            users::helpline_id.eq(scope.helpline_id.map(|h| h.to_string())),
        ))
        .execute(conn)?;
    crate::training::status::bump(conn)?;
    Ok(n)
}

/// Marks a deactivated account active again; false when it was active.
pub fn reactivate(conn: &mut AnyConnection, id: UserId) -> QueryResult<bool> {
    let n = diesel::update(users::table.find(id.to_string()).filter(users::active.eq(false)))
        .set((users::active.eq(true), users::deactivated_at.eq(None::<NaiveDateTime>)))
        .execute(conn)?;
    crate::training::status::bump(conn)?;
    Ok(n == 1)
}

/// The programme a relay point belongs to, if the relay point exists.
pub fn relay_point_programme(conn: &mut AnyConnection, id: RelayPointId) -> QueryResult<Option<ProgrammeId>> {
    let programme: Option<String> =
        relay_points::table.find(id.to_string()).select(relay_points::programme_id).first(conn).optional()?;
    programme
        .map(|p| ProgrammeId::parse(&p).ok_or_else(|| crate::db::corrupt("relay_points", "programme_id")))
        .transpose()
}

pub fn programme_exists(conn: &mut AnyConnection, id: ProgrammeId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(programmes::table.find(id.to_string()))).get_result(conn)
}

pub fn helpline_exists(conn: &mut AnyConnection, id: HelplineId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(helplines::table.find(id.to_string()))).get_result(conn)
}

/// Active supervisors of a helpline, with the language to write to them in.
pub fn helpline_supervisors(
    conn: &mut AnyConnection,
    helpline: HelplineId,
) -> QueryResult<Vec<(Email, StaffLanguage)>> {
    let rows: Vec<(String, String)> = users::table
        .filter(users::helpline_id.eq(helpline.to_string()))
        .filter(users::role.eq(Role::HelplineSupervisor.as_str()))
        .filter(users::active.eq(true))
        .select((users::email, users::language))
        .load(conn)?;
    recipients(rows)
}

/// Active managers of a programme, with the language to write to them in.
pub fn programme_managers(
    conn: &mut AnyConnection,
    programme: ProgrammeId,
) -> QueryResult<Vec<(Email, StaffLanguage)>> {
    let rows: Vec<(String, String)> = users::table
        .filter(users::programme_id.eq(programme.to_string()))
        .filter(users::role.eq(Role::ProgrammeManager.as_str()))
        .filter(users::active.eq(true))
        .select((users::email, users::language))
        .load(conn)?;
    recipients(rows)
}

/// Active admins, with the language to write to them in.
pub fn admins(conn: &mut AnyConnection) -> QueryResult<Vec<(Email, StaffLanguage)>> {
    let rows: Vec<(String, String)> = users::table
        .filter(users::role.eq(Role::Admin.as_str()))
        .filter(users::active.eq(true))
        .select((users::email, users::language))
        .load(conn)?;
    recipients(rows)
}

fn recipients(rows: Vec<(String, String)>) -> QueryResult<Vec<(Email, StaffLanguage)>> {
    rows.into_iter()
        .map(|(email, language)| {
            let email = Email::parse(&email).map_err(|_| crate::db::corrupt("users", "email"))?;
            Ok((email, language.parse().unwrap_or_default()))
        })
        .collect()
}

/// Ends every session of an account: its refresh tokens and access tokens stop
/// working (deactivation, password change or reset, second-factor change).
pub fn end_sessions(conn: &mut AnyConnection, user: UserId, now: NaiveDateTime) -> QueryResult<usize> {
    bump_token_version(conn, user)?;
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user.to_string()))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(Some(now)))
    .execute(conn)
}

/// Makes every access token issued so far to the account invalid.
pub fn bump_token_version(conn: &mut AnyConnection, user: UserId) -> QueryResult<usize> {
    diesel::update(users::table.find(user.to_string()))
        .set(users::token_version.eq(users::token_version + 1))
        .execute(conn)
}

pub fn set_password(conn: &mut AnyConnection, id: UserId, hash: &str) -> QueryResult<usize> {
    diesel::update(users::table.find(id.to_string())).set(users::password_hash.eq(Some(hash))).execute(conn)
}

// Relay-staff accounts of a programme (invited and managed by its managers).

/// Sets the password of an accepted invitee and (re)activates the account.
pub fn set_password_and_activate(conn: &mut AnyConnection, user: UserId, hash: &str) -> QueryResult<()> {
    diesel::update(users::table.find(user.to_string()))
        .set((
            users::password_hash.eq(Some(hash)),
            users::active.eq(true),
            users::deactivated_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    crate::training::status::bump(conn)
}

/// Moves a staff member to a relay point and records their language.
pub fn reassign_staff(
    conn: &mut AnyConnection,
    user: UserId,
    relay: RelayPointId,
    language: StaffLanguage,
) -> QueryResult<()> {
    diesel::update(users::table.find(user.to_string()))
        .set((users::relay_point_id.eq(Some(relay.to_string())), users::language.eq(language.as_str())))
        .execute(conn)?;
    crate::training::status::bump(conn)
}

/// A relay-staff account, only if it belongs to `programme`.
pub fn find_staff(conn: &mut AnyConnection, programme: ProgrammeId, id: UserId) -> QueryResult<Option<User>> {
    let row = users::table
        .find(id.to_string())
        .filter(users::programme_id.eq(programme.to_string()))
        .filter(users::role.eq("relay_staff"))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?;
    row.map(UserRow::into_user).transpose()
}

/// Staff of a programme (optionally of one relay point) ordered by e-mail.
pub fn list_staff(
    conn: &mut AnyConnection,
    programme: ProgrammeId,
    relay: Option<RelayPointId>,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<User>> {
    let mut q = users::table
        .filter(users::programme_id.eq(programme.to_string()))
        .filter(users::role.eq("relay_staff"))
        .select(UserRow::as_select())
        .order(users::email.asc())
        .limit(limit)
        .into_boxed();
    if let Some(relay) = relay {
        q = q.filter(users::relay_point_id.eq(relay.to_string()));
    }
    if let Some(after) = after {
        q = q.filter(users::email.gt(after.to_string()));
    }
    q.load::<UserRow>(conn)?.into_iter().map(UserRow::into_user).collect()
}

/// Relay-staff accounts of a programme by e-mail (completion imports name people by e-mail).
pub fn staff_ids_by_email(conn: &mut AnyConnection, programme: ProgrammeId) -> QueryResult<Vec<(String, UserId)>> {
    let rows: Vec<(String, String)> = users::table
        .filter(users::programme_id.eq(programme.to_string()))
        .filter(users::role.eq(Role::RelayStaff.as_str()))
        .select((users::email, users::id))
        .load(conn)?;
    rows.into_iter()
        .map(|(email, id)| {
            let id = UserId::parse(&id).ok_or_else(|| crate::db::corrupt("users", "id"))?;
            Ok((email, id))
        })
        .collect()
}

/// Active operators and supervisors of a helpline, by e-mail.
pub fn helpline_staff(conn: &mut AnyConnection, helpline: HelplineId) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::helpline_id.eq(helpline.to_string()))
        .filter(users::role.eq_any([Role::HelplineOperator.as_str(), Role::HelplineSupervisor.as_str()]))
        .filter(users::active.eq(true))
        .order(users::email.asc())
        .select(UserRow::as_select())
        .load::<UserRow>(conn)?
        .into_iter()
        .map(UserRow::into_user)
        .collect()
}
