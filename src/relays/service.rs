//! Use cases of programmes and relay points: who may act where, create, read,
//! update, and list with filters (training status included).

use crate::domain::TrainingStatus;
use crate::domain::{ProgrammeId, RelayPointId, today};
use chrono::NaiveDate;

use super::model::{Programme, RelayPatch, RelayPoint, RelayPointFields};
use super::store::{self, RelayQuery};
use crate::db::{self, Db};
use crate::http::error::AppError;
use crate::http::pagination::{self, Cursor, Page, fetch_limit};
use crate::state::AppState;
use crate::training::status::relay_point_status;

/// A validated new programme.
pub struct NewProgramme {
    pub code: String,
    pub name: String,
    pub country: String,
}

pub async fn create_programme(state: &AppState, p: NewProgramme) -> Result<Programme, AppError> {
    let programme =
        Programme { id: ProgrammeId::new(), code: p.code, name: p.name, country: p.country, created_at: db::now() };
    state
        .db
        .write(move |c| {
            store::insert_programme(c, &programme)?;
            Ok(programme)
        })
        .await
}

pub async fn get_programme(state: &AppState, id: ProgrammeId) -> Result<Programme, AppError> {
    state.db.run(move |c| store::find_programme(c, id)?.ok_or(AppError::NotFound)).await
}

/// The programme with this code, if any (the command line names programmes by code).
pub async fn find_programme_by_code(db: &Db, code: String) -> Result<Option<Programme>, AppError> {
    db.run(move |c| store::find_programme_by_code(c, &code).map_err(AppError::from)).await
}

pub async fn list_programmes(
    state: &AppState,
    only: Option<ProgrammeId>,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Page<Programme>, AppError> {
    let rows = state
        .db
        .run(move |c| {
            store::list_programmes(c, only, after.as_ref().map(Cursor::key), fetch_limit(limit)).map_err(AppError::from)
        })
        .await?;
    Ok(Page::from_rows(rows, limit, |p| Cursor::new(p.code.as_str())))
}

pub async fn create_relay(
    state: &AppState,
    programme: ProgrammeId,
    fields: RelayPointFields,
) -> Result<(RelayPoint, TrainingStatus), AppError> {
    let id = RelayPointId::new();
    state
        .db
        .write(move |c| {
            let now = db::now();
            let relay = RelayPoint { id, programme_id: programme, fields, created_at: now, updated_at: now };
            store::insert_relay(c, &relay)?;
            Ok::<_, AppError>(())
        })
        .await?;
    get_relay(state, programme, id, today()).await
}

/// A relay point of `programme` and its status on `as_of` (404 outside the programme).
pub async fn get_relay(
    state: &AppState,
    programme: ProgrammeId,
    id: RelayPointId,
    as_of: NaiveDate,
) -> Result<(RelayPoint, TrainingStatus), AppError> {
    state
        .db
        .run(move |c| {
            let relay = store::find_relay(c, programme, id)?.ok_or(AppError::NotFound)?;
            let status = relay_point_status(c, programme, id, as_of)?;
            Ok((relay, status))
        })
        .await
}

/// A partial update (see [`RelayPatch::apply`]).
pub async fn update_relay(
    state: &AppState,
    programme: ProgrammeId,
    id: RelayPointId,
    patch: RelayPatch,
) -> Result<(RelayPoint, TrainingStatus), AppError> {
    state
        .db
        .write(move |c| {
            let old = store::find_relay(c, programme, id)?.ok_or(AppError::NotFound)?;
            let fields = patch.apply(&old.fields).map_err(AppError::Validation)?;
            store::update_relay(c, id, &fields, db::now())?;
            Ok::<_, AppError>(())
        })
        .await?;
    get_relay(state, programme, id, today()).await
}

/// Filters of a relay-point list.
#[derive(Debug, Default, Clone)]
pub struct RelayFilter {
    pub query: RelayQuery,
    pub status: Option<TrainingStatus>,
    pub as_of: Option<NaiveDate>,
}

/// One page of relay points with their status.
pub async fn list_relays(
    state: &AppState,
    programme: ProgrammeId,
    mut filter: RelayFilter,
    limit: i64,
) -> Result<Page<(RelayPoint, TrainingStatus)>, AppError> {
    let as_of = filter.as_of.unwrap_or_else(today);
    // Without a status filter the database pages; with one, status is derived for
    // every matching relay point first (three queries plus a pass in memory).
    filter.query.limit = filter.status.is_none().then_some(fetch_limit(limit));
    let cache = state.training_statuses.clone();
    let items = state
        .db
        .run(move |c| {
            let statuses = cache.statuses(c, programme, as_of)?;
            let mut items = Vec::new();
            for relay in store::list_relays(c, programme, &filter.query)? {
                let status = statuses.of(relay.id);
                if filter.status.is_none_or(|s| s == status) {
                    items.push((relay, status));
                    if items.len() as i64 >= fetch_limit(limit) {
                        break;
                    }
                }
            }
            Ok::<_, AppError>(items)
        })
        .await?;
    Ok(Page::from_rows(items, limit, |(r, _)| cursor_key(r)))
}

/// Separates the parts of a relay point's sort key: a character `Text` never
/// accepts (a control character).
const KEY_SEPARATOR: char = '\u{1f}';

/// The sort key a cursor continues after: name and id.
pub fn cursor_key(r: &RelayPoint) -> Cursor {
    Cursor::from_parts(&[r.fields.name.as_str(), &r.id.to_string()], KEY_SEPARATOR)
}

/// The name and id of a relay point's sort key; 422 if the id is not one.
pub fn parse_cursor_key(cursor: &Cursor) -> Result<(String, RelayPointId), AppError> {
    let [name, id] = cursor.parts(KEY_SEPARATOR)?;
    Ok((name.to_string(), RelayPointId::parse(id).ok_or_else(pagination::invalid)?))
}
