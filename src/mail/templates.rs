//! One template per message and language (fr, nl, de, en). Plain text only: no
//! tracking pixels, no remote content. No template takes victim data.

use crate::domain::StaffLanguage as Lang;
use chrono::{DateTime, NaiveDate, Utc};

/// A message ready to send. `kind` names the template for logs.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub kind: &'static str,
    pub subject: String,
    pub body: String,
}

/// Inviting a staff member to a relay point.
pub struct Invitation<'a> {
    pub relay_name: &'a str,
    pub programme_name: &'a str,
    /// The one-time token; it is only ever in this e-mail, the database keeps its hash.
    pub token: &'a str,
    pub expires_at: DateTime<Utc>,
    /// Where the relay app is (`<public URL>/relay/`).
    pub app_url: &'a str,
}

pub fn invitation(lang: Lang, m: &Invitation<'_>) -> Rendered {
    let until = m.expires_at.format("%Y-%m-%d %H:%M UTC");
    let (subject, intro, code, valid, ignore) = match lang {
        Lang::Fr => (
            "Invitation : point relais Mask-19",
            format!(
                "Vous êtes invité·e à rejoindre « {} » ({}) comme membre du personnel relais.",
                m.relay_name, m.programme_name
            ),
            "Ouvrez l'application SafeRelay, choisissez « J'ai une invitation » et saisissez ce code :",
            format!("Ce code est valable une seule fois, jusqu'au {until}."),
            "Si vous n'attendiez pas cette invitation, ignorez ce message.",
        ),
        Lang::Nl => (
            "Uitnodiging: Mask-19-meldpunt",
            format!(
                "U bent uitgenodigd om als medewerker deel te nemen aan \"{}\" ({}).",
                m.relay_name, m.programme_name
            ),
            "Open de SafeRelay-app, kies \"Ik heb een uitnodiging\" en voer deze code in:",
            format!("Deze code is eenmalig geldig, tot {until}."),
            "Verwachtte u deze uitnodiging niet, negeer dan dit bericht.",
        ),
        Lang::De => (
            "Einladung: Mask-19-Anlaufstelle",
            format!(
                "Sie wurden eingeladen, \"{}\" ({}) als Mitarbeiter·in beizutreten.",
                m.relay_name, m.programme_name
            ),
            "Öffnen Sie die SafeRelay-App, wählen Sie \"Ich habe eine Einladung\" und geben Sie diesen Code ein:",
            format!("Dieser Code ist einmal gültig, bis {until}."),
            "Wenn Sie diese Einladung nicht erwartet haben, ignorieren Sie diese Nachricht.",
        ),
        Lang::En => (
            "Invitation: Mask-19 relay point",
            format!("You have been invited to join \"{}\" ({}) as relay staff.", m.relay_name, m.programme_name),
            "Open the SafeRelay app, choose \"I have an invitation\" and enter this code:",
            format!("The code works once, until {until}."),
            "If you did not expect this invitation, ignore this message.",
        ),
    };
    let app = match lang {
        Lang::Fr => {
            "L'application SafeRelay s'ouvre dans le navigateur de votre téléphone ou de la tablette du comptoir, à cette adresse (installez-la depuis le menu du navigateur) :"
        }
        Lang::Nl => {
            "De SafeRelay-app opent in de browser van uw telefoon of de toonbanktablet, op dit adres (installeer ze via het browsermenu):"
        }
        Lang::De => {
            "Die SafeRelay-App öffnet sich im Browser Ihres Telefons oder des Tablets an der Theke, unter dieser Adresse (installieren Sie sie über das Browsermenü):"
        }
        Lang::En => {
            "The SafeRelay app opens in the browser of your phone or of the counter tablet, at this address (install it from the browser's menu):"
        }
    };
    Rendered {
        kind: "staff_invitation",
        subject: subject.into(),
        body: format!("{intro}\n\n{app}\n\n    {}\n\n{code}\n\n    {}\n\n{valid}\n{ignore}\n", m.app_url, m.token),
    }
}

/// Reminding a staff member that required training expires soon.
pub fn training_reminder(lang: Lang, relay_name: &str, modules: &[(String, NaiveDate)]) -> Rendered {
    let list: String = modules.iter().map(|(title, on)| format!("  - {title}: {on}\n")).collect();
    let (subject, intro, outro) = match lang {
        Lang::Fr => (
            "Votre formation Mask-19 expire bientôt",
            format!("Votre formation de point relais pour « {relay_name} » expire bientôt (date de fin) :"),
            "Renouvelez-la à temps pour que votre point relais reste formé.",
        ),
        Lang::Nl => (
            "Uw Mask-19-opleiding verloopt binnenkort",
            format!("Uw opleiding als meldpunt voor \"{relay_name}\" verloopt binnenkort (einddatum):"),
            "Vernieuw ze op tijd zodat uw meldpunt opgeleid blijft.",
        ),
        Lang::De => (
            "Ihre Mask-19-Schulung läuft bald ab",
            format!("Ihre Schulung als Anlaufstelle für \"{relay_name}\" läuft bald ab (Enddatum):"),
            "Bitte erneuern Sie sie rechtzeitig, damit Ihre Anlaufstelle geschult bleibt.",
        ),
        Lang::En => (
            "Your Mask-19 training expires soon",
            format!("Your relay training for \"{relay_name}\" expires soon (end date):"),
            "Please renew it in time so that your relay point stays trained.",
        ),
    };
    Rendered { kind: "training_reminder", subject: subject.into(), body: format!("{intro}\n\n{list}\n{outro}\n") }
}

/// One relay point in a manager digest: name, municipality, new status.
pub struct DigestLine {
    pub relay_name: String,
    pub municipality: String,
    pub status: &'static str,
}

fn status_word(lang: Lang, status: &str) -> &'static str {
    match (lang, status) {
        (Lang::Fr, "expiring") => "formation expirant dans 30 jours",
        (Lang::Fr, _) => "formation expirée",
        (Lang::Nl, "expiring") => "opleiding verloopt binnen 30 dagen",
        (Lang::Nl, _) => "opleiding verlopen",
        (Lang::De, "expiring") => "Schulung läuft in 30 Tagen ab",
        (Lang::De, _) => "Schulung abgelaufen",
        (Lang::En, "expiring") => "training expires within 30 days",
        (Lang::En, _) => "training lapsed",
    }
}

/// The weekly digest to a programme's managers.
pub fn manager_digest(lang: Lang, programme_name: &str, lines: &[DigestLine]) -> Rendered {
    let list: String = lines
        .iter()
        .map(|l| format!("  - {} ({}): {}\n", l.relay_name, l.municipality, status_word(lang, l.status)))
        .collect();
    let (subject, intro) = match lang {
        Lang::Fr => (
            "Résumé hebdomadaire des formations",
            format!("{programme_name} : points relais dont la formation a changé cette semaine :"),
        ),
        Lang::Nl => (
            "Wekelijks overzicht opleidingen",
            format!("{programme_name}: meldpunten waarvan de opleiding deze week veranderde:"),
        ),
        Lang::De => (
            "Wöchentliche Schulungsübersicht",
            format!("{programme_name}: Anlaufstellen, deren Schulungsstand sich diese Woche geändert hat:"),
        ),
        Lang::En => {
            ("Weekly training digest", format!("{programme_name}: relay points whose training changed this week:"))
        }
    };
    Rendered { kind: "manager_digest", subject: subject.into(), body: format!("{intro}\n\n{list}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_its_own_text_and_carries_the_token() {
        let m = Invitation {
            relay_name: "Pharmacie",
            programme_name: "P",
            token: "TOKEN123",
            expires_at: Utc::now(),
            app_url: "https://saferelay.example/relay/",
        };
        let mut subjects = Vec::new();
        for lang in [Lang::Fr, Lang::Nl, Lang::De, Lang::En] {
            let r = invitation(lang, &m);
            assert!(r.body.contains("    TOKEN123\n"));
            assert!(r.body.contains("    https://saferelay.example/relay/\n"), "where the app is");
            subjects.push(r.subject);
            let d = manager_digest(
                lang,
                "P",
                &[DigestLine { relay_name: "R".into(), municipality: "M".into(), status: "lapsed" }],
            );
            assert!(d.body.contains("R (M)"));
        }
        subjects.dedup();
        assert_eq!(subjects.len(), 4);
    }
}
