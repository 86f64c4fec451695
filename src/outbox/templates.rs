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
