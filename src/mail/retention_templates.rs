//! Messages of the retention job: the warning to a helpline's supervisors that an
//! open signal's contact will be destroyed in 24 hours. Reference, time and link
//! only: no contact data, ever.

use crate::domain::StaffLanguage as Lang;
use chrono::{DateTime, Utc};

use super::Rendered;

pub fn expiry_warning(lang: Lang, reference: &str, expires_at: DateTime<Utc>, link: &str) -> Rendered {
    let at = expires_at.with_timezone(&chrono_tz::Europe::Brussels).format("%Y-%m-%d %H:%M");
    let (subject, text) = match lang {
        Lang::Fr => (
            "Expiration dans 24 heures",
            "est toujours ouvert. Ses coordonnées seront détruites le {at} (heure de Bruxelles) et le signal expirera.",
        ),
        Lang::Nl => (
            "Vervalt binnen 24 uur",
            "staat nog open. De contactgegevens worden op {at} (Brusselse tijd) vernietigd en het signaal vervalt.",
        ),
        Lang::De => (
            "Ablauf in 24 Stunden",
            "ist noch offen. Die Kontaktdaten werden am {at} (Brüsseler Zeit) gelöscht und das Signal läuft ab.",
        ),
        Lang::En => (
            "Expires in 24 hours",
            "is still open. Its contact will be destroyed at {at} (Brussels time) and the signal will expire.",
        ),
    };
    Rendered {
        kind: "expiry_warning",
        subject: format!("{subject}: {reference}"),
        body: format!("{reference} {}\n\n{link}\n", text.replace("{at}", &at.to_string())),
    }
}
