//! Messages to helplines: the new-signal notification to the intake address, and
//! alerts to supervisors (a delivery that failed for good, an unclaimed signal).
//! None carries contact data: e-mail leaves copies in mailboxes long after the
//! contact is destroyed, so only the signed webhook carries the contact.

use crate::domain::Language;
use crate::domain::StaffLanguage as Lang;
use chrono::{DateTime, Utc};

use crate::mail::Rendered;

/// What a notification says about a signal.
pub struct Notification<'a> {
    pub reference: &'a str,
    pub urgent: bool,
    pub language: &'a str,
    pub municipality: &'a str,
    pub relay_kind: &'a str,
    pub created_at: DateTime<Utc>,
    pub link: &'a str,
}

fn brussels(t: DateTime<Utc>) -> String {
    t.with_timezone(&chrono_tz::Europe::Brussels).format("%Y-%m-%d %H:%M").to_string()
}

pub fn signal_notification(lang: Lang, n: &Notification<'_>) -> Rendered {
    let (new, urgent, lines, open) = match lang {
        Lang::Fr => (
            "Nouveau signal",
            "URGENT — danger immédiat",
            ["Référence", "Langue", "Commune", "Point relais", "Reçu (heure de Bruxelles)"],
            "Ouvrir le dossier",
        ),
        Lang::Nl => (
            "Nieuw signaal",
            "DRINGEND — acuut gevaar",
            ["Referentie", "Taal", "Gemeente", "Meldpunt", "Ontvangen (Brusselse tijd)"],
            "Dossier openen",
        ),
        Lang::De => (
            "Neues Signal",
            "DRINGEND — akute Gefahr",
            ["Referenz", "Sprache", "Gemeinde", "Anlaufstelle", "Eingang (Brüsseler Zeit)"],
            "Fall öffnen",
        ),
        Lang::En => (
            "New signal",
            "URGENT — immediate danger",
            ["Reference", "Language", "Municipality", "Relay point", "Received (Brussels time)"],
            "Open the case",
        ),
    };
    let subject = if n.urgent { format!("{urgent}: {new} {}", n.reference) } else { format!("{new} {}", n.reference) };
    let body = format!(
        "{}{}: {}\n{}: {}\n{}: {}\n{}: {}\n{}: {}\n\n{open}: {}\n",
        if n.urgent { format!("{urgent}\n\n") } else { String::new() },
        lines[0],
        n.reference,
        lines[1],
        n.language,
        lines[2],
        n.municipality,
        lines[3],
        n.relay_kind,
        lines[4],
        brussels(n.created_at),
        n.link,
    );
    Rendered { kind: "signal_notification", subject, body }
}

pub fn delivery_failed(lang: Lang, reference: &str, channel: &str, link: &str) -> Rendered {
    let (subject, text) = match lang {
        Lang::Fr => ("Échec de transmission", "n'a pas pu être transmis par le canal"),
        Lang::Nl => ("Doorsturen mislukt", "kon niet worden doorgestuurd via kanaal"),
        Lang::De => ("Weiterleitung fehlgeschlagen", "konnte nicht weitergeleitet werden über Kanal"),
        Lang::En => ("Delivery failed", "could not be delivered through channel"),
    };
    Rendered {
        kind: "delivery_failed",
        subject: format!("{subject}: {reference}"),
        body: format!("{reference} {text} {channel}.\n\n{link}\n"),
    }
}

pub fn escalation(lang: Lang, reference: &str, urgent: bool, minutes_open: i64, link: &str) -> Rendered {
    let (subject, text) = match lang {
        Lang::Fr => ("Signal non pris en charge", "attend depuis {m} minutes d'ouverture sans être pris en charge."),
        Lang::Nl => ("Signaal niet opgenomen", "wacht al {m} openingsminuten zonder dat iemand het opnam."),
        Lang::De => ("Signal nicht übernommen", "wartet seit {m} Minuten Öffnungszeit, ohne übernommen zu sein."),
        Lang::En => ("Signal not claimed", "has waited {m} minutes of opening time without being claimed."),
    };
    let mark = if urgent { "[!] " } else { "" };
    Rendered {
        kind: "escalation",
        subject: format!("{mark}{subject}: {reference}"),
        body: format!("{mark}{reference} {}\n\n{link}\n", text.replace("{m}", &minutes_open.to_string())),
    }
}

/// The language to write to a helpline in: its first language when staff read it.
pub fn helpline_language(languages: &[Language]) -> Lang {
    languages.iter().find_map(|l| l.as_str().parse::<Lang>().ok()).unwrap_or(Lang::En)
}

/// What a change notice says: which helpline, what changed, where signals go now.
pub struct ChannelChange<'a> {
    pub helpline: &'a str,
    /// `webhook_url`, `webhook_secret`, `intake_email`, `languages`.
    pub changed: &'a [&'a str],
    /// Scheme, host and port of the webhook now set (never its path or secret).
    pub webhook_origin: Option<&'a str>,
    pub intake_email: Option<&'a str>,
    pub languages: &'a str,
    pub changed_at: DateTime<Utc>,
    /// Whether deliveries filed before the change wait for a supervisor.
    pub holds: bool,
    /// `POST` here (as a supervisor of the helpline) to confirm.
    pub confirm_link: &'a str,
}

/// To a helpline's supervisors when an admin changed where its signals go or which
/// signals it takes: so a change nobody asked for is noticed at once.
pub fn channels_changed(lang: Lang, c: &ChannelChange<'_>) -> Rendered {
    let (subject, intro, labels, none, held, unexpected) = match lang {
        Lang::Fr => (
            "Canaux de réception modifiés",
            "Un administrateur a modifié la réception des signaux de",
            ["Modifié (heure de Bruxelles)", "Champs", "Webhook", "E-mail de réception", "Langues"],
            "aucun",
            "Les transmissions des signaux reçus avant ce changement sont suspendues jusqu'à ce qu'un superviseur confirme les nouveaux canaux (POST, en tant que superviseur) :",
            "Si vous n'attendiez pas ce changement, ne confirmez pas et contactez votre administrateur SafeRelay.",
        ),
        Lang::Nl => (
            "Ontvangstkanalen gewijzigd",
            "Een beheerder heeft de ontvangst van signalen gewijzigd voor",
            ["Gewijzigd (Brusselse tijd)", "Velden", "Webhook", "Ontvangst-e-mail", "Talen"],
            "geen",
            "Het doorsturen van signalen ontvangen vóór deze wijziging wacht tot een supervisor de nieuwe kanalen bevestigt (POST, als supervisor):",
            "Verwachtte u deze wijziging niet, bevestig dan niet en neem contact op met uw SafeRelay-beheerder.",
        ),
        Lang::De => (
            "Empfangskanäle geändert",
            "Ein Administrator hat den Empfang von Signalen geändert für",
            ["Geändert (Brüsseler Zeit)", "Felder", "Webhook", "Empfangs-E-Mail", "Sprachen"],
            "keine",
            "Die Weiterleitung von Signalen, die vor dieser Änderung eingingen, wartet, bis ein Supervisor die neuen Kanäle bestätigt (POST, als Supervisor):",
            "Wenn Sie diese Änderung nicht erwartet haben, bestätigen Sie nicht und wenden Sie sich an Ihre SafeRelay-Administration.",
        ),
        Lang::En => (
            "Delivery channels changed",
            "An administrator changed how signals are received by",
            ["Changed (Brussels time)", "Fields", "Webhook", "Intake e-mail", "Languages"],
            "none",
            "Deliveries of signals filed before this change are held until a supervisor confirms the new channels (POST, as a supervisor):",
            "If you did not expect this change, do not confirm it, and contact your SafeRelay administrator.",
        ),
    };
    let mut body = format!(
        "{intro} {}.\n\n{}: {}\n{}: {}\n{}: {}\n{}: {}\n{}: {}\n",
        c.helpline,
        labels[0],
        brussels(c.changed_at),
        labels[1],
        c.changed.join(", "),
        labels[2],
        c.webhook_origin.unwrap_or(none),
        labels[3],
        c.intake_email.unwrap_or(none),
        labels[4],
        c.languages,
    );
    if c.holds {
        body.push_str(&format!("\n{held}\n{}\n", c.confirm_link));
    }
    body.push_str(&format!("\n{unexpected}\n"));
    Rendered { kind: "channels_changed", subject: format!("{subject}: {}", c.helpline), body }
}
