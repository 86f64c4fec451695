//! The programme manager's pages: the relay-point table (filters, sorting,
//! paging, counts per training status, CSV export of the view), a relay point's
//! page (details to edit, its staff, its signals' counts suppressed below 5,
//! deactivation), CSV import with a preview, and staff invitations in bulk (with
//! the list of those not accepted yet, to send again or revoke). A manager sees their programme
//! only; an admin sees every programme. The pages call the relays, training,
//! users and signals services, with the same rules as the API.

mod import;
mod invitations;
pub mod multipart;
mod relay;
mod table;
pub mod texts;
pub mod training;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};

use super::i18n::Tr;
use super::pages::{Stop, message, signed_in};
use super::session::ConsoleSession;
use crate::domain::{ProgrammeId, RelayPointId, Role};
use crate::http::error::AppError;
use crate::relays::table as relay_table;
use crate::state::AppState;

pub use import::{import_form, import_post};
pub use invitations::{invitation_action, invitations_import, invitations_page};
pub use relay::{relay_page, relay_save, relay_set_active};
pub use table::{export, table_page};

/// The programme manager's routes, under `/console`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/relay-points", web::get().to(table_page))
        .route("/relay-points/export", web::get().to(export))
        .route("/relay-points/import", web::get().to(import_form))
        .route("/relay-points/import", web::post().to(import_post))
        .route("/relay-points/{id}", web::get().to(relay_page))
        .route("/relay-points/{id}", web::post().to(relay_save))
        .route("/relay-points/{id}/active", web::post().to(relay_set_active))
        .route("/invitations", web::get().to(invitations_page))
        .route("/invitations/import", web::post().to(invitations_import))
        .route("/invitations/{id}/{action}", web::post().to(invitation_action))
        .configure(training::configure);
}

/// Who is acting, and where: a manager in their programme, an admin anywhere
/// (`None`). Any other role gets the "not allowed" page.
pub(super) struct Acting {
    pub s: ConsoleSession,
    pub programme: Option<ProgrammeId>,
}

impl Acting {
    pub fn tr(&self) -> Tr {
        Tr(self.s.language)
    }

    /// The programme a relay point must lie in for this account: a manager's own
    /// (a relay point elsewhere is then not found), an admin's the relay point's.
    pub async fn programme_of(&self, state: &AppState, relay: RelayPointId) -> Result<ProgrammeId, AppError> {
        match self.programme {
            Some(p) => Ok(p),
            None => relay_table::programme_of(state, relay).await,
        }
    }
}

pub(super) async fn acting(req: &HttpRequest, state: &AppState) -> Result<Acting, Stop> {
    let s = signed_in(req, state, true).await?;
    let programme = match (s.auth.role, s.auth.scope.programme_id) {
        (Role::ProgrammeManager, Some(p)) => Some(p),
        (Role::Admin, _) => None,
        _ => {
            return Err(Box::new(message(
                StatusCode::FORBIDDEN,
                Tr(s.language),
                Some(&s.csrf),
                "error.title",
                "error.forbidden",
            )));
        }
    };
    Ok(Acting { s, programme })
}
