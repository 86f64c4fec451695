//! The programme manager's table of relay points: filters, sorting, counts per
//! training status and one page, whatever the network's size. The training status
//! is derived from dated completions (not stored), so it cannot be filtered or
//! sorted in SQL. Statuses come from the kept statuses of each programme
//! (`training::status::StatusCache`). Without a status filter or sort, the counts
//! come from the matching ids in no order and the page from SQL (`LIMIT`/`OFFSET`
//! over the index `relay_points_programme_name` in the default order); with one,
//! every matching id is read in the order asked (two short columns per row) and
//! filtered or sorted by status here. Only the page's rows are read in full, and
//! never with a query per row.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::import::relays_csv;
use super::model::{Programme, RelayPoint};
use super::store::{self, TableQuery};
use crate::db::AnyConnection;
use crate::domain::{ProgrammeId, RelayPointId, TrainingStatus};
use crate::http::error::AppError;
use crate::state::AppState;
use crate::training::status::{StatusCache, Statuses};
use std::sync::Arc;

/// Rows per page of the table.
pub const PAGE_SIZE: usize = 50;

/// Ids read per query when whole rows are needed (under every backend's bind limit).
const CHUNK: usize = 500;

/// What the table shows: filters and order in SQL, then training status.
#[derive(Debug, Default, Clone)]
pub struct TableRequest {
    pub query: TableQuery,
    pub status: Option<TrainingStatus>,
    /// Sort by training status (then by the SQL order) instead of a column.
    pub by_status: bool,
    /// 1-based.
    pub page: usize,
    pub as_of: Option<NaiveDate>,
}

/// One page of the table.
pub struct RelayTable {
    pub rows: Vec<(RelayPoint, TrainingStatus)>,
    /// Relay points matching the filters other than the training status, by status.
    pub counts: Vec<(TrainingStatus, usize)>,
    /// Relay points matching every filter.
    pub matching: usize,
    pub page: usize,
    pub pages: usize,
    /// Codes of the programmes shown (admins see several).
    pub programmes: HashMap<ProgrammeId, String>,
}

/// Statuses by programme, and the programmes in scope.
type InScope = (HashMap<ProgrammeId, Arc<Statuses>>, Vec<Programme>);

/// The statuses of every programme in scope, by programme.
fn statuses(
    c: &mut AnyConnection,
    cache: &StatusCache,
    scope: Option<ProgrammeId>,
    as_of: NaiveDate,
) -> Result<InScope, AppError> {
    let programmes = match scope {
        Some(p) => store::find_programme(c, p)?.into_iter().collect(),
        None => store::all_programmes(c)?,
    };
    let mut by_programme = HashMap::new();
    for p in &programmes {
        by_programme.insert(p.id, cache.statuses(c, p.id, as_of)?);
    }
    Ok((by_programme, programmes))
}

/// A relay point's status from its programme's kept statuses (`untrained` when
/// absent).
fn status_in(statuses: &HashMap<ProgrammeId, Arc<Statuses>>, id: RelayPointId, p: ProgrammeId) -> TrainingStatus {
    statuses.get(&p).map_or(TrainingStatus::Untrained, |s| s.of(id))
}

/// How many of `statuses` are of each status, in `TrainingStatus::ALL`'s order.
fn counts(statuses: impl Iterator<Item = TrainingStatus>) -> Vec<(TrainingStatus, usize)> {
    let mut counts: Vec<(TrainingStatus, usize)> = TrainingStatus::ALL.iter().map(|s| (*s, 0)).collect();
    for s in statuses {
        if let Some(n) = counts.iter_mut().find(|(x, _)| *x == s) {
            n.1 += 1;
        }
    }
    counts
}

/// The page shown (1-based, within the pages there are), the number of pages and
/// the offset of its first row, for `matching` rows and the page `asked`.
fn paging(matching: usize, asked: usize) -> (usize, usize, usize) {
    let pages = matching.div_ceil(PAGE_SIZE).max(1);
    let page = asked.clamp(1, pages);
    (page, pages, (page - 1) * PAGE_SIZE)
}

/// The ids matching every filter, in order, with their status; and the counts.
#[allow(clippy::type_complexity)]
fn matching(
    c: &mut AnyConnection,
    cache: &StatusCache,
    req: &TableRequest,
) -> Result<(Vec<(RelayPointId, TrainingStatus)>, Vec<(TrainingStatus, usize)>, Vec<Programme>), AppError> {
    let as_of = req.as_of.unwrap_or_else(crate::domain::today);
    let (statuses, programmes) = statuses(c, cache, req.query.programme, as_of)?;
    let all: Vec<(RelayPointId, TrainingStatus)> =
        store::table_ids(c, &req.query)?.into_iter().map(|(id, p)| (id, status_in(&statuses, id, p))).collect();
    let counts = counts(all.iter().map(|(_, s)| *s));
    let mut kept: Vec<_> = all.into_iter().filter(|(_, s)| req.status.is_none_or(|w| w == *s)).collect();
    if req.by_status {
        let rank = |s: TrainingStatus| TrainingStatus::ALL.iter().position(|x| *x == s).unwrap_or(0);
        // Stable: within a status, the SQL order stays.
        kept.sort_by_key(|(_, s)| rank(*s));
        if req.query.descending {
            kept.reverse();
        }
    }
    Ok((kept, counts, programmes))
}

/// Reads whole rows for `ids`, in their order.
fn rows_in_order(
    c: &mut AnyConnection,
    ids: &[(RelayPointId, TrainingStatus)],
) -> Result<Vec<(RelayPoint, TrainingStatus)>, AppError> {
    let mut by_id: HashMap<RelayPointId, RelayPoint> = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(CHUNK) {
        let chunk: Vec<RelayPointId> = chunk.iter().map(|(id, _)| *id).collect();
        by_id.extend(store::relays_by_ids(c, &chunk)?.into_iter().map(|r| (r.id, r)));
    }
    Ok(ids.iter().filter_map(|(id, s)| by_id.remove(id).map(|r| (r, *s))).collect())
}

/// One page of the table (`req.query.programme`: `None` is every programme, for admins).
pub async fn page(state: &AppState, req: TableRequest) -> Result<RelayTable, AppError> {
    let cache = state.training_statuses.clone();
    state
        .db
        .run(move |c| {
            if req.status.is_none() && !req.by_status && req.query.text.is_none() {
                return page_in_sql(c, &cache, &req);
            }
            let (kept, counts, programmes) = matching(c, &cache, &req)?;
            let (page, pages, start) = paging(kept.len(), req.page);
            let slice = &kept[start.min(kept.len())..(start + PAGE_SIZE).min(kept.len())];
            let rows = rows_in_order(c, slice)?;
            Ok(RelayTable {
                rows,
                counts,
                matching: kept.len(),
                page,
                pages,
                programmes: programmes.into_iter().map(|p| (p.id, p.code)).collect(),
            })
        })
        .await
}

/// One page when neither the training status nor a free text filters and the
/// status does not sort: the counts come from the matching ids in no order, the
/// page from SQL (`LIMIT`/`OFFSET` over the index in the default order), so no
/// request sorts the whole programme. (A free-text search scans the table whatever
/// the order and keeps few rows: one ordered scan costs it less than two.)
fn page_in_sql(c: &mut AnyConnection, cache: &StatusCache, req: &TableRequest) -> Result<RelayTable, AppError> {
    let as_of = req.as_of.unwrap_or_else(crate::domain::today);
    let (statuses, programmes) = statuses(c, cache, req.query.programme, as_of)?;
    let ids = store::table_ids_unordered(c, &req.query)?;
    let counts = counts(ids.iter().map(|(id, p)| status_in(&statuses, *id, *p)));
    let (page, pages, start) = paging(ids.len(), req.page);
    let slice: Vec<(RelayPointId, TrainingStatus)> = store::table_page_ids(c, &req.query, start, PAGE_SIZE)?
        .into_iter()
        .map(|(id, p)| (id, status_in(&statuses, id, p)))
        .collect();
    Ok(RelayTable {
        rows: rows_in_order(c, &slice)?,
        counts,
        matching: ids.len(),
        page,
        pages,
        programmes: programmes.into_iter().map(|p| (p.id, p.code)).collect(),
    })
}

/// Every relay point the filters keep, in the table's order, as the export CSV.
pub async fn export(state: &AppState, req: TableRequest) -> Result<String, AppError> {
    let cache = state.training_statuses.clone();
    let rows = state
        .db
        .run(move |c| {
            let (kept, _, _) = matching(c, &cache, &req)?;
            rows_in_order(c, &kept)
        })
        .await?;
    relays_csv(rows.into_iter().map(|(r, s)| (s, r)).collect())
}

/// The programme a relay point lies in (404 when there is none): what an admin,
/// who sees every programme, acts in.
pub async fn programme_of(state: &AppState, id: RelayPointId) -> Result<ProgrammeId, AppError> {
    state.db.run(move |c| store::relay_programme(c, id)?.ok_or(AppError::NotFound)).await
}

/// The names of a programme's relay points, by id (for lists that name them).
pub async fn names(state: &AppState, programme: ProgrammeId) -> Result<HashMap<String, String>, AppError> {
    state
        .db
        .run(move |c| {
            Ok::<_, AppError>(
                store::list_relays(c, programme, &store::RelayQuery::default())?
                    .into_iter()
                    .map(|r| (r.id.to_string(), r.fields.name.as_str().to_string()))
                    .collect(),
            )
        })
        .await
}
