//! What a relay staff member must do now when a signal could not be filed: every
//! error answer of intake carries it, in the relay's language, so that a refused or
//! failed request never leaves the person without a next step. Immediate danger
//! comes first (112); otherwise the helpline that would have taken the signal, or
//! both regional helplines when routing could not run.

use chrono::Utc;

use crate::domain::{Language, StaffLanguage};
use crate::http::error::{AppError, CallNumber, Guidance};
use crate::routing::model::{DestinationKind, Helpline, Origin, route};
use crate::routing::service::load_network;
use crate::state::AppState;
use crate::users::caller::Claims;

use super::model::Urgency;
use super::store;

/// The emergency number, first for immediate danger.
const EMERGENCY: &str = "112";

/// The regional helplines, for when the database cannot be read to name them.
const REGIONAL_LINES: [(&str, &str); 2] = [("1712", "1712"), ("Écoute Violences Conjugales", "0800 30 030")];

/// Whom to call, most urgent first.
pub fn numbers(urgency: Option<Urgency>, helplines: &[Helpline]) -> Vec<CallNumber> {
    let mut call = Vec::new();
    if urgency != Some(Urgency::Standard) {
        call.push(CallNumber { name: EMERGENCY.into(), number: EMERGENCY.into() });
    }
    if helplines.is_empty() {
        call.extend(
            REGIONAL_LINES.iter().map(|(name, number)| CallNumber { name: (*name).into(), number: (*number).into() }),
        );
    } else {
        for h in helplines {
            // One line per number: two services may share a public number.
            if !call.iter().any(|c| c.number == h.public_phone) {
                call.push(CallNumber { name: h.name.clone(), number: h.public_phone.clone() });
            }
        }
    }
    call
}

/// The guidance for a signal that was not filed. `helplines` is the one routing
/// chose, or every regional helpline when routing could not run (none when the
/// database could not be read: the built-in regional numbers are given then).
pub fn not_filed(language: StaffLanguage, urgency: Option<Urgency>, helplines: &[Helpline]) -> Guidance {
    let call = numbers(urgency, helplines);
    let lines: Vec<String> = call
        .iter()
        .filter(|c| c.number != EMERGENCY)
        .map(|c| if c.name == c.number { c.number.clone() } else { format!("{} ({})", c.name, c.number) })
        .collect();
    let helpline = lines.join(if lines.len() > 1 { or(language) } else { "" });
    let text = match urgency {
        Some(Urgency::ImmediateDanger) => danger(language, &helpline),
        Some(Urgency::Standard) => standard(language, &helpline),
        None => unknown(language, &helpline),
    };
    Guidance { what_to_do: text, call }
}

fn or(language: StaffLanguage) -> &'static str {
    match language {
        StaffLanguage::Fr => " ou ",
        StaffLanguage::Nl => " of ",
        StaffLanguage::De => " oder ",
        StaffLanguage::En => " or ",
    }
}

fn danger(language: StaffLanguage, helpline: &str) -> String {
    match language {
        StaffLanguage::Fr => format!(
            "Le signal n'a pas été transmis. La personne est en danger immédiat : appelez le 112 maintenant. Ensuite, appelez {helpline} avec elle."
        ),
        StaffLanguage::Nl => format!(
            "Het signaal is niet doorgegeven. De persoon is in acuut gevaar: bel nu 112. Bel daarna samen met de persoon {helpline}."
        ),
        StaffLanguage::De => format!(
            "Das Signal wurde nicht übermittelt. Die Person ist in unmittelbarer Gefahr: Rufen Sie jetzt 112 an. Rufen Sie danach gemeinsam mit ihr {helpline} an."
        ),
        StaffLanguage::En => format!(
            "The signal was not passed on. The person is in immediate danger: call 112 now. Then call {helpline} together with them."
        ),
    }
}

fn standard(language: StaffLanguage, helpline: &str) -> String {
    match language {
        StaffLanguage::Fr => format!(
            "Le signal n'a pas été transmis. Appelez {helpline} maintenant avec la personne, ou donnez-lui ce numéro."
        ),
        StaffLanguage::Nl => format!(
            "Het signaal is niet doorgegeven. Bel nu samen met de persoon {helpline}, of geef de persoon dit nummer."
        ),
        StaffLanguage::De => format!(
            "Das Signal wurde nicht übermittelt. Rufen Sie jetzt gemeinsam mit der Person {helpline} an oder geben Sie ihr diese Nummer."
        ),
        StaffLanguage::En => format!(
            "The signal was not passed on. Call {helpline} now together with the person, or give them this number."
        ),
    }
}

fn unknown(language: StaffLanguage, helpline: &str) -> String {
    match language {
        StaffLanguage::Fr => format!(
            "Le signal n'a pas été transmis. Si la personne est en danger immédiat, appelez le 112 maintenant. Sinon, appelez {helpline} avec elle, ou donnez-lui ce numéro."
        ),
        StaffLanguage::Nl => format!(
            "Het signaal is niet doorgegeven. Is de persoon in acuut gevaar, bel dan nu 112. Bel anders samen met de persoon {helpline}, of geef de persoon dit nummer."
        ),
        StaffLanguage::De => format!(
            "Das Signal wurde nicht übermittelt. Ist die Person in unmittelbarer Gefahr, rufen Sie jetzt 112 an. Sonst rufen Sie gemeinsam mit ihr {helpline} an oder geben Sie ihr diese Nummer."
        ),
        StaffLanguage::En => format!(
            "The signal was not passed on. If the person is in immediate danger, call 112 now. Otherwise call {helpline} together with them, or give them this number."
        ),
    }
}

/// What a relay must do now when its signal could not be filed: the helpline that
/// would have taken it (routing run again for the relay and the callback language,
/// when both are known), else every regional helpline, else — database unreachable —
/// the built-in regional numbers; 112 first unless the signal was a standard one.
/// The relay's language is `Accept-Language`'s, else its account's, else English.
pub async fn guidance_for(
    state: &AppState,
    claims: Option<&Claims>,
    language: Option<Language>,
    urgency: Option<Urgency>,
    accept: Option<StaffLanguage>,
) -> (Guidance, StaffLanguage) {
    let user = claims.map(|c| c.id);
    let found = state
        .db
        .run(move |c| {
            let account = match user {
                Some(id) => crate::users::service::account(c, id)?,
                None => None,
            };
            let (rules, helplines) = load_network(c)?;
            let relay = account.as_ref().and_then(|a| a.scope.relay_point_id);
            let chosen = match (relay, language) {
                (Some(relay), Some(language)) => store::relay_origin(c, relay)?.and_then(|o| {
                    let destinations: Vec<_> = helplines.iter().map(|h| h.destination.clone()).collect();
                    let origin = Origin { region: o.region, postcode: o.postcode, language };
                    let r = route(&rules, &destinations, &origin, Utc::now())?;
                    helplines.iter().find(|h| h.id() == r.helpline).cloned()
                }),
                _ => None,
            };
            let regional = helplines
                .into_iter()
                .filter(|h| h.destination.active && h.destination.kind == DestinationKind::Helpline)
                .collect();
            Ok::<_, AppError>((account.map(|a| a.language), chosen.map_or(regional, |h| vec![h])))
        })
        .await;
    let (account_language, helplines) = found.unwrap_or((None, Vec::new()));
    let language = accept.or(account_language).unwrap_or_default();
    (not_filed(language, urgency, &helplines), language)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn immediate_danger_puts_112_first_and_standard_leaves_it_out() {
        let danger = not_filed(StaffLanguage::En, Some(Urgency::ImmediateDanger), &[]);
        assert_eq!(danger.call[0].number, "112");
        assert!(danger.what_to_do.contains("call 112 now"), "{}", danger.what_to_do);
        let standard = not_filed(StaffLanguage::Fr, Some(Urgency::Standard), &[]);
        assert!(standard.call.iter().all(|c| c.number != "112"));
        assert_eq!(standard.call.len(), 2, "both regional lines when routing could not run");
        assert!(standard.what_to_do.contains("0800 30 030") && standard.what_to_do.contains("1712"));
        let unknown = not_filed(StaffLanguage::Nl, None, &[]);
        assert_eq!(unknown.call[0].number, "112");
        assert!(unknown.what_to_do.starts_with("Het signaal"));
    }
}
