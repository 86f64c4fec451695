//! Use cases of the referral directory: what relays are handed, and the admins'
//! changes.

use super::model::{Resource, ResourceKind};
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
    Ok(pick(&all, region, language))
}

/// Of the active directory `all`, the entries of `region`, and of them those
/// speaking `language` (all of the region's when none does).
pub fn pick(all: &[Resource], region: Option<Region>, language: Option<Language>) -> Vec<Resource> {
    let in_region: Vec<&Resource> = all.iter().filter(|r| region.is_none_or(|g| r.regions.contains(&g))).collect();
    let spoken: Vec<&Resource> = match language {
        Some(lang) => in_region.iter().copied().filter(|r| r.languages.contains(&lang)).collect(),
        None => Vec::new(),
    };
    let chosen = if spoken.is_empty() { in_region } else { spoken };
    chosen.into_iter().cloned().collect()
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

/// Every resource, retired ones too (admins).
pub async fn all(state: &AppState) -> Result<Vec<Resource>, AppError> {
    let rows = state.db.run(|c| store::all(c).map_err(AppError::from)).await?;
    Ok(rows.into_iter().map(Resource::from).collect())
}

/// One resource, retired or not; 404 when there is none with this id.
pub async fn find(state: &AppState, id: String) -> Result<Resource, AppError> {
    state.db.run(move |c| store::find(c, &id)?.map(Resource::from).ok_or(AppError::NotFound)).await
}

/// The kinds of help every region should list in every language it is asked in.
pub const ESSENTIAL_KINDS: [ResourceKind; 3] =
    [ResourceKind::Shelter, ResourceKind::LegalAid, ResourceKind::SexualAssaultCentre];

/// The callback languages a region's directory is checked in.
pub const GAP_LANGUAGES: [Language; 4] = [Language::Nl, Language::Fr, Language::De, Language::En];

/// A hole in the directory: no active entry of `kind` serves `region` in `language`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub region: Region,
    pub language: Language,
    pub kind: ResourceKind,
}

/// The holes of the directory: for every region and language, the essential
/// kinds of help without an active entry. Pure.
pub fn gaps(resources: &[Resource]) -> Vec<Gap> {
    let mut out = Vec::new();
    for region in Region::ALL {
        for language in GAP_LANGUAGES {
            for kind in ESSENTIAL_KINDS {
                let covered = resources.iter().any(|r| {
                    r.active && r.kind == kind && r.regions.contains(&region) && r.languages.contains(&language)
                });
                if !covered {
                    out.push(Gap { region, language, kind });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(kind: ResourceKind, regions: Vec<Region>, languages: Vec<Language>, active: bool) -> Resource {
        Resource {
            id: "x".into(),
            kind,
            name: "n".into(),
            regions,
            languages,
            phone: Some("1".into()),
            website: None,
            opening_hours: None,
            active,
        }
    }

    #[test]
    fn a_gap_is_a_region_and_language_without_an_active_entry_of_an_essential_kind() {
        let all = Region::ALL.len() * GAP_LANGUAGES.len() * ESSENTIAL_KINDS.len();
        assert_eq!(gaps(&[]).len(), all);
        let shelter = resource(ResourceKind::Shelter, vec![Region::Brussels], vec![Language::Fr, Language::Nl], true);
        let retired = resource(ResourceKind::LegalAid, vec![Region::Brussels], vec![Language::Fr], false);
        let other = resource(ResourceKind::Helpline, vec![Region::Brussels], vec![Language::De], true);
        let found = gaps(&[shelter, retired, other]);
        assert_eq!(found.len(), all - 2, "the shelter covers Brussels in French and Dutch");
        let brussels_fr = Gap { region: Region::Brussels, language: Language::Fr, kind: ResourceKind::Shelter };
        assert!(!found.contains(&brussels_fr));
        let legal = Gap { region: Region::Brussels, language: Language::Fr, kind: ResourceKind::LegalAid };
        assert!(found.contains(&legal), "a retired entry covers nothing");
    }
}
