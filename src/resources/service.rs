//! Use cases of the referral directory: what relays are handed, and the admins'
//! changes.

use super::model::Resource;
use super::store::{self, ResourceRow};
use crate::db::AnyConnection;
use crate::domain::{Language, Region};
use crate::http::error::AppError;
use crate::state::AppState;

/// Active resources serving `region` in `language` (any language when the caller
/// speaks one no resource lists, so a relay always gets a list to hand over).
pub fn referrals(
    conn: &mut AnyConnection,
    region: Option<Region>,
    language: Option<Language>,
) -> Result<Vec<Resource>, AppError> {
    let all: Vec<Resource> = store::all_active(conn)?.into_iter().map(Resource::from).collect();
    let in_region: Vec<Resource> = all.into_iter().filter(|r| region.is_none_or(|g| r.regions.contains(&g))).collect();
    let Some(lang) = language else { return Ok(in_region) };
    let spoken: Vec<Resource> = in_region.iter().filter(|r| r.languages.contains(&lang)).cloned().collect();
    Ok(if spoken.is_empty() { in_region } else { spoken })
}

/// Adds a resource.
pub async fn create(state: &AppState, row: ResourceRow) -> Result<Resource, AppError> {
    let created = row.clone();
    state.db.write(move |c| store::insert(c, &row).map_err(AppError::from)).await?;
    Ok(Resource::from(created))
}

/// Replaces a resource; 404 when there is none with this id.
pub async fn replace(state: &AppState, row: ResourceRow) -> Result<Resource, AppError> {
    let updated = state
        .db
        .write(move |c| {
            if store::replace(c, &row)? == 0 {
                return Err(AppError::NotFound);
            }
            store::find(c, &row.id)?.ok_or(AppError::NotFound)
        })
        .await?;
    Ok(updated.into())
}
