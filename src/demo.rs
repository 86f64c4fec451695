//! `saferelay demo`: a small network to try SafeRelay with (two programmes, a
//! pharmacy in Liège, a salon in Ghent, operators and supervisors for 1712 and
//! 0800 30 030, managers, relay staff) and the credentials to sign in with.

use crate::crypto::password::generate_password;
use crate::domain::RelayKind;
use crate::domain::{Email, HelplineId, ProgrammeId, RelayPointId, StaffLanguage, Text, UserId, today};
use crate::domain::{Role, Scope};
use crate::http::error::{AppError, FieldError};
use crate::relays::model::{RawRelayPoint, RelayPointFields};
use crate::relays::service::{NewProgramme, create_programme, create_relay};
use crate::state::AppState;
use crate::training::model::{ModuleKind, ValidityMonths};
use crate::training::service::{NewCompletion, NewModule, create_module, record_one};
use crate::users::service::{NewAccount, insert_account};

/// The seeded helplines (`migrations/*/..._seed_helplines`).
const H1712: &str = "00000000-0000-4000-8000-000000001712";
const EVC: &str = "00000000-0000-4000-8000-000000030030";

/// One account the demo created.
pub struct Credential {
    pub role: Role,
    pub email: String,
    pub password: String,
    pub note: &'static str,
}

fn invalid(errors: Vec<FieldError>) -> AppError {
    AppError::Validation(errors)
}

async fn account(
    state: &AppState,
    email: &str,
    role: Role,
    scope: Scope,
    lang: StaffLanguage,
    note: &'static str,
) -> Result<(UserId, Credential), AppError> {
    let password = generate_password();
    let hash = state.hasher.hash(password.clone()).await?;
    let email_v = Email::parse(email).map_err(|e| invalid(vec![e]))?;
    let acc = NewAccount::new(email_v, role, scope, lang)?;
    let user = state.db.write(move |c| insert_account(c, acc, &hash)).await?;
    Ok((user.id, Credential { role, email: email.to_string(), password, note }))
}

/// A relay point: kind, name, address, postcode, municipality, language.
type RelaySpec<'a> = (RelayKind, &'a str, &'a str, &'a str, &'a str, &'a str);

async fn relay(state: &AppState, programme: ProgrammeId, spec: RelaySpec<'_>) -> Result<RelayPointId, AppError> {
    let (kind, name, address, postcode, municipality, lang) = spec;
    let fields = RelayPointFields::parse(RawRelayPoint {
        external_id: None,
        kind,
        name,
        address,
        postcode,
        municipality,
        region: None,
        languages: vec![lang],
        active: true,
    })
    .map_err(invalid)?;
    Ok(create_relay(state, programme, fields).await?.0.id)
}

/// Seeds the demo network; refuses to run twice (409).
pub async fn seed(state: &AppState) -> Result<Vec<Credential>, AppError> {
    let text = |f: &str, v: &str| Text::parse(f, v, 200).map_err(|e| invalid(vec![e]));
    let wal = create_programme(
        state,
        NewProgramme {
            code: "demo-wal-pharma".into(),
            name: "Walloon relay-pharmacies (demo)".into(),
            country: "BE".into(),
        },
    )
    .await?;
    let hair = create_programme(
        state,
        NewProgramme { code: "demo-febelhair".into(), name: "Febelhair salons (demo)".into(), country: "BE".into() },
    )
    .await?;
    let (wal_id, hair_id) = (wal.id, hair.id);
    let pharmacy =
        relay(state, wal_id, (RelayKind::Pharmacy, "Pharmacie du Perron", "Place du Marché 1", "4000", "Liège", "fr"))
            .await?;
    let salon =
        relay(state, hair_id, (RelayKind::Hairdresser, "Kapsalon Korenmarkt", "Korenmarkt 1", "9000", "Gent", "nl"))
            .await?;

    let mut creds = Vec::new();
    let scope = |p: Option<ProgrammeId>, r: Option<RelayPointId>, h: Option<&str>| Scope {
        programme_id: p,
        relay_point_id: r,
        helpline_id: h.and_then(HelplineId::parse),
    };
    let (wal_manager, c) = account(
        state,
        "manager.wal@demo.saferelay.local",
        Role::ProgrammeManager,
        scope(Some(wal_id), None, None),
        StaffLanguage::Fr,
        "manager, Walloon pharmacies",
    )
    .await?;
    creds.push(c);
    let (_, c) = account(
        state,
        "manager.febelhair@demo.saferelay.local",
        Role::ProgrammeManager,
        scope(Some(hair_id), None, None),
        StaffLanguage::Nl,
        "manager, Febelhair",
    )
    .await?;
    creds.push(c);
    let (pharmacist, c) = account(
        state,
        "pharmacist@demo.saferelay.local",
        Role::RelayStaff,
        scope(None, Some(pharmacy), None),
        StaffLanguage::Fr,
        "relay staff, pharmacy in Liège (trained)",
    )
    .await?;
    creds.push(c);
    let (_, c) = account(
        state,
        "hairdresser@demo.saferelay.local",
        Role::RelayStaff,
        scope(None, Some(salon), None),
        StaffLanguage::Nl,
        "relay staff, salon in Ghent (not yet trained)",
    )
    .await?;
    creds.push(c);
    for (email, role, helpline, lang, note) in [
        ("operator.evc@demo.saferelay.local", Role::HelplineOperator, EVC, StaffLanguage::Fr, "operator, 0800 30 030"),
        (
            "supervisor.evc@demo.saferelay.local",
            Role::HelplineSupervisor,
            EVC,
            StaffLanguage::Fr,
            "supervisor, 0800 30 030",
        ),
        ("operator.1712@demo.saferelay.local", Role::HelplineOperator, H1712, StaffLanguage::Nl, "operator, 1712"),
        (
            "supervisor.1712@demo.saferelay.local",
            Role::HelplineSupervisor,
            H1712,
            StaffLanguage::Nl,
            "supervisor, 1712",
        ),
    ] {
        creds.push(account(state, email, role, scope(None, None, Some(helpline)), lang, note).await?.1);
    }

    // The pharmacy is trained: one required module, completed today.
    let module = create_module(
        state,
        wal_id,
        NewModule {
            title: text("title", "Mask-19: receiving a signal")?,
            kind: ModuleKind::ELearning,
            validity: ValidityMonths::parse(24).map_err(|e| invalid(vec![e]))?,
            required: true,
        },
    )
    .await?;
    record_one(
        state,
        wal_id,
        wal_manager,
        NewCompletion { user: pharmacist, module: module.id, completed_on: today(), certificate_ref: None },
    )
    .await?;
    Ok(creds)
}
