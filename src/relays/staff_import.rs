//! Staff onboarding in bulk: a CSV of `email,relay_point_external_id,language`
//! invites each person to a relay point of the manager's programme. A dry run
//! checks every row and says who would be invited, re-invited (an account of the
//! programme not accepted yet, or moving to another relay point) or left alone
//! (already at that relay point with an accepted invitation). A real run with any
//! error answers 422 and invites nobody; otherwise each row is invited as
//! `POST /api/v1/invitations` would, and the e-mails go out after each commit.
//! Also here: the invitations not accepted yet, re-sending and revoking one.

use std::collections::HashMap;

use serde::Serialize;

use super::staff::{self, InviteStaff};
use super::store::{self as relay_store, RelayQuery};
use crate::audit::{self, Action};
use crate::db;
use crate::domain::{Email, ProgrammeId, RelayPointId, Role, StaffLanguage, UserId};
use crate::http::csv_import::{Header, RowError, rows_invalid};
use crate::http::error::{AppError, FieldError};
use crate::state::AppState;
use crate::users::invitations::{self, Pending};
use crate::users::service as users;

/// Columns of a staff file.
pub const REQUIRED: [&str; 2] = ["email", "relay_point_external_id"];
pub const OPTIONAL: [&str; 1] = ["language"];
/// Most rows one file may hold (each is an e-mail sent).
pub const MAX_ROWS: usize = 5_000;

/// What a staff import did (or, in a dry run, would do).
#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct StaffImportReport {
    pub dry_run: bool,
    /// Data rows read.
    pub rows: usize,
    /// New accounts invited.
    pub invited: usize,
    /// Accounts of the programme invited again (not accepted yet, or moved).
    pub reinvited: usize,
    /// Staff already at that relay point who accepted: left alone, no e-mail.
    pub unchanged: usize,
    /// Invitations whose e-mail the mail server refused (re-send them).
    pub emails_not_sent: usize,
    /// Every problem found; a real run with any error invites nobody.
    pub errors: Vec<RowError>,
}

/// One valid row.
struct Row {
    email: Email,
    relay: RelayPointId,
    language: StaffLanguage,
}

/// A row that parses: its number, e-mail, relay point external id and language.
type Parsed = (u64, Email, String, StaffLanguage);

/// Reads the file into the rows that parse and the problems of the others (relay
/// points and accounts are checked later); a bad header or too many rows is the
/// whole file's error.
fn parse(text: &str) -> Result<(Vec<Parsed>, Vec<RowError>), Vec<RowError>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| vec![RowError::new(1, FieldError::new("row", e.to_string()))])?.clone();
    let width = header.len();
    let header = Header::parse(&header, &REQUIRED, &OPTIONAL, &[])?;
    let (mut rows, mut errors) = (Vec::new(), Vec::new());
    let mut seen: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        let Ok(record) = record else {
            errors.push(RowError::new(0, FieldError::new("row", "is not valid CSV")));
            continue;
        };
        let row = record.position().map_or(0, |p| p.line());
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() != width {
            errors.push(RowError::new(
                row,
                FieldError::new("row", format!("has {} cells, the header has {width}", record.len())),
            ));
            continue;
        }
        let email = Email::parse(header.get(&record, "email")).map_err(|e| errors.push(RowError::new(row, e)));
        let external = header.get(&record, "relay_point_external_id").to_string();
        if external.is_empty() {
            errors.push(RowError::new(row, FieldError::new("relay_point_external_id", "is required")));
        }
        let language = match header.get(&record, "language").to_ascii_lowercase().as_str() {
            "" => Ok(StaffLanguage::default()),
            l => l.parse::<StaffLanguage>().map_err(|_| {
                errors.push(RowError::new(
                    row,
                    FieldError::new("language", format!("`{l}` is not one of en, fr, nl, de")),
                ))
            }),
        };
        if let (Ok(email), Ok(language), false) = (email, language, external.is_empty()) {
            if let Some(first) = seen.insert(email.as_str().to_string(), row) {
                errors.push(RowError::new(row, FieldError::new("email", format!("repeats row {first}"))));
            } else {
                rows.push((row, email, external, language));
            }
        }
        if rows.len() + errors.len() > MAX_ROWS {
            return Err(vec![RowError::new(
                row,
                FieldError::new("row", format!("a file may hold at most {MAX_ROWS} rows")),
            )]);
        }
    }
    Ok((rows, errors))
}

/// What would happen to each row: the rows to invite and the report's counts, or
/// every problem (an unknown relay point, an e-mail of another kind of account).
fn plan(
    c: &mut crate::db::AnyConnection,
    programme: ProgrammeId,
    rows: Vec<Parsed>,
    report: &mut StaffImportReport,
) -> Result<Vec<Row>, AppError> {
    let relays: HashMap<String, RelayPointId> = relay_store::list_relays(c, programme, &RelayQuery::default())?
        .into_iter()
        .filter_map(|r| Some((r.fields.external_id?.as_str().to_string(), r.id)))
        .collect();
    let mut out = Vec::new();
    for (row, email, external, language) in rows {
        let Some(relay) = relays.get(&external).copied() else {
            report.errors.push(RowError::new(
                row,
                FieldError::new("relay_point_external_id", format!("no relay point `{external}` in the programme")),
            ));
            continue;
        };
        match users::account_by_email(c, &email)? {
            None => report.invited += 1,
            Some(u) if u.role == Role::RelayStaff && u.scope.programme_id == Some(programme) => {
                let open = invitations::open_expiries(c, &[u.id])?;
                if u.active && open.is_empty() && u.scope.relay_point_id == Some(relay) {
                    report.unchanged += 1;
                    continue;
                }
                report.reinvited += 1;
            }
            Some(_) => {
                report.errors.push(RowError::new(
                    row,
                    FieldError::new("email", "belongs to an account that is not relay staff of this programme"),
                ));
                continue;
            }
        }
        out.push(Row { email, relay, language });
    }
    Ok(out)
}

/// Imports a staff file into `programme` (see the module's description).
pub async fn import(
    state: &AppState,
    programme: ProgrammeId,
    actor: UserId,
    text: String,
    dry_run: bool,
) -> Result<StaffImportReport, AppError> {
    let (rows, errors) = match parse(&text) {
        Ok(parsed) => parsed,
        Err(errors) if dry_run => return Ok(StaffImportReport { dry_run, errors, ..Default::default() }),
        Err(errors) => return Err(rows_invalid(errors)),
    };
    let mut report = StaffImportReport { dry_run, rows: rows.len() + errors.len(), errors, ..Default::default() };
    let (to_invite, mut report) = state
        .db
        .run(move |c| {
            let to_invite = plan(c, programme, rows, &mut report)?;
            Ok::<_, AppError>((to_invite, report))
        })
        .await?;
    report.errors.sort_by_key(|e| e.row);
    if dry_run {
        return Ok(report);
    }
    if !report.errors.is_empty() {
        return Err(rows_invalid(report.errors));
    }
    for row in to_invite {
        let invited = staff::invite(
            state,
            programme,
            actor,
            InviteStaff { email: row.email, relay_point_id: row.relay, language: row.language },
        )
        .await?;
        if !invited.email_sent {
            report.emails_not_sent += 1;
        }
    }
    Ok(report)
}

/// The programme's invitations not accepted yet.
pub async fn pending(state: &AppState, programme: ProgrammeId) -> Result<Vec<Pending>, AppError> {
    state.db.run(move |c| Ok(invitations::pending_in_programme(c, programme)?)).await
}

/// The pending invitation of a staff member of `programme`: 404 for anyone else,
/// 409 when they have none waiting (accepted, or revoked).
async fn pending_of(state: &AppState, programme: ProgrammeId, user: UserId) -> Result<Pending, AppError> {
    let (member, pending) = state
        .db
        .run(move |c| {
            let member = users::staff_member(c, programme, user)?;
            Ok::<_, AppError>((member, invitations::pending_in_programme(c, programme)?))
        })
        .await?;
    member.ok_or(AppError::NotFound)?;
    pending.into_iter().find(|p| p.user_id == user).ok_or_else(|| {
        AppError::Conflict("This staff member has no invitation waiting: it was accepted or revoked.".into())
    })
}

/// Sends a staff member's invitation again (a new token; the old one stops working).
pub async fn resend(
    state: &AppState,
    programme: ProgrammeId,
    actor: UserId,
    user: UserId,
) -> Result<staff::Invited, AppError> {
    let p = pending_of(state, programme, user).await?;
    let relay = p.relay_point_id.ok_or(AppError::NotFound)?;
    staff::invite(state, programme, actor, InviteStaff { email: p.email, relay_point_id: relay, language: p.language })
        .await
}

/// Revokes a staff member's invitation not accepted yet: its link stops working.
pub async fn revoke(state: &AppState, programme: ProgrammeId, actor: UserId, user: UserId) -> Result<(), AppError> {
    pending_of(state, programme, user).await?;
    state
        .db
        .write(move |c| {
            if invitations::revoke_open(c, user, db::now())? == 0 {
                return Err(AppError::Conflict("The invitation was accepted or revoked meanwhile.".into()));
            }
            audit::record(c, Some(actor), Action::InvitationRevoked, None, Some(&user.to_string()))?;
            Ok(())
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_problem_of_a_staff_file_is_named_by_row_and_column() {
        let text = "email,relay_point_external_id,language\n\
                    a@example.be,PH-1,fr\n\
                    not-an-email,PH-1,fr\n\
                    b@example.be,,xx\n\
                    a@example.be,PH-2,nl\n";
        let (rows, errors) = parse(text).unwrap();
        assert_eq!(rows.len(), 1, "only the first row is whole");
        let found: HashSet<(u64, &str)> = errors.iter().map(|e| (e.row, e.field.as_str())).collect();
        let expected: HashSet<(u64, &str)> =
            [(3, "email"), (4, "relay_point_external_id"), (4, "language"), (5, "email")].into_iter().collect();
        assert_eq!(found, expected, "{errors:?}");
        assert!(parse("email,language\nx@example.be,fr\n").unwrap_err()[0].field == "relay_point_external_id");
        let (ok, errors) = parse("email,relay_point_external_id\nA@Example.be,PH-1\n").unwrap();
        assert!(errors.is_empty());
        assert_eq!(ok.len(), 1);
        assert_eq!(ok[0].3, StaffLanguage::default());
    }
}
