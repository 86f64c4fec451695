//! Alerts about filed signals. The alert to a programme's managers when one relay point files more
//! immediate-danger signals in an hour than the hourly limit: such signals are
//! never refused, but a burst may mean a misused account or a relay in crisis.
//! The relay point's name and the count only: nothing about anyone filed.

use crate::domain::StaffLanguage as Lang;
use crate::domain::{Language, Region};
use crate::mail::Rendered;

pub fn danger_over_limit(lang: Lang, relay_name: &str, limit: i64) -> Rendered {
    let (subject, text) = match lang {
        Lang::Fr => (
            "Signaux de danger immédiat au-delà de la limite",
            "a transmis plus de {limit} signaux au cours de la dernière heure, dont des signaux de danger immédiat. Ils ont tous été acceptés. Prenez contact avec le point relais pour vérifier que tout va bien.",
        ),
        Lang::Nl => (
            "Signalen van acuut gevaar boven de limiet",
            "heeft het afgelopen uur meer dan {limit} signalen doorgegeven, waaronder signalen van acuut gevaar. Ze zijn allemaal aanvaard. Neem contact op met het relaispunt om na te gaan of alles in orde is.",
        ),
        Lang::De => (
            "Signale unmittelbarer Gefahr über dem Limit",
            "hat in der letzten Stunde mehr als {limit} Signale übermittelt, darunter Signale unmittelbarer Gefahr. Alle wurden angenommen. Nehmen Sie Kontakt mit der Relaisstelle auf, um zu prüfen, ob alles in Ordnung ist.",
        ),
        Lang::En => (
            "Immediate-danger signals above the limit",
            "has filed more than {limit} signals in the last hour, immediate-danger signals among them. All were accepted. Contact the relay point to check that all is well.",
        ),
    };
    Rendered {
        kind: "danger_over_limit",
        subject: format!("{subject}: {relay_name}"),
        body: format!("{relay_name} {}\n", text.replace("{limit}", &limit.to_string())),
    }
}

/// A signal no routing rule covered went to a helpline all the same; an admin
/// should add the rule. Relay point, region and callback language only.
pub fn missing_rule(lang: Lang, relay_name: &str, region: Region, language: Language) -> Rendered {
    let (subject, text) = match lang {
        Lang::Fr => (
            "Règle de routage manquante",
            "a transmis un signal qu'aucune règle de routage ne couvre (région {region}, langue {language}). Il a été confié à une ligne d'aide parlant cette langue si possible. Ajoutez une règle pour cette région et cette langue.",
        ),
        Lang::Nl => (
            "Routeringsregel ontbreekt",
            "heeft een signaal doorgegeven dat geen routeringsregel dekt (regio {region}, taal {language}). Het ging naar een hulplijn die die taal spreekt, als die er is. Voeg een regel toe voor deze regio en taal.",
        ),
        Lang::De => (
            "Routing-Regel fehlt",
            "hat ein Signal übermittelt, das keine Routing-Regel abdeckt (Region {region}, Sprache {language}). Es ging, wenn möglich, an eine Hotline, die diese Sprache spricht. Fügen Sie eine Regel für diese Region und Sprache hinzu.",
        ),
        Lang::En => (
            "Routing rule missing",
            "filed a signal no routing rule covers (region {region}, language {language}). It went to a helpline speaking that language where one exists. Add a rule for this region and language.",
        ),
    };
    Rendered {
        kind: "missing_rule",
        subject: format!("{subject}: {relay_name}"),
        body: format!(
            "{relay_name} {}\n",
            text.replace("{region}", region.as_str()).replace("{language}", language.as_str())
        ),
    }
}
