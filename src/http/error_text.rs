//! Problem titles and details in French, Dutch and German, for the endpoints relay
//! staff call (intake, their signals, referrals, their training, sign-in): a
//! pharmacist at the counter reads the error in their own language. English keeps
//! the detailed English texts of [`AppError`](super::error::AppError); the other
//! languages say the same per kind of error. Field-level messages stay English.

use actix_web::HttpRequest;
use actix_web::http::StatusCode;
use actix_web::http::header::ACCEPT_LANGUAGE;

use crate::domain::StaffLanguage;

/// The title of a status in `language` (`None`: keep the English reason phrase).
pub fn title(status: StatusCode, language: StaffLanguage) -> Option<&'static str> {
    use StaffLanguage::{De, En, Fr, Nl};
    let t = match (status.as_u16(), language) {
        (_, En) => return None,
        (400, Fr) => "Requête invalide",
        (400, Nl) => "Ongeldig verzoek",
        (400, De) => "Ungültige Anfrage",
        (401, Fr) => "Non connecté",
        (401, Nl) => "Niet aangemeld",
        (401, De) => "Nicht angemeldet",
        (403, Fr) => "Non autorisé",
        (403, Nl) => "Niet toegestaan",
        (403, De) => "Nicht erlaubt",
        (404, Fr) => "Introuvable",
        (404, Nl) => "Niet gevonden",
        (404, De) => "Nicht gefunden",
        (409, Fr) => "Conflit",
        (409, Nl) => "Conflict",
        (409, De) => "Konflikt",
        (413, Fr) => "Requête trop volumineuse",
        (413, Nl) => "Verzoek te groot",
        (413, De) => "Anfrage zu groß",
        (415, Fr) => "Format non pris en charge",
        (415, Nl) => "Formaat niet ondersteund",
        (415, De) => "Format nicht unterstützt",
        (422, Fr) => "Données invalides",
        (422, Nl) => "Ongeldige gegevens",
        (422, De) => "Ungültige Daten",
        (429, Fr) => "Trop de demandes",
        (429, Nl) => "Te veel verzoeken",
        (429, De) => "Zu viele Anfragen",
        (503, Fr) => "Service momentanément indisponible",
        (503, Nl) => "Dienst tijdelijk niet beschikbaar",
        (503, De) => "Dienst vorübergehend nicht verfügbar",
        (_, Fr) => "Erreur",
        (_, Nl) => "Fout",
        (_, De) => "Fehler",
    };
    Some(t)
}

/// The detail of an error `code` in `language` (`None`: keep the English detail).
/// `retry_after_secs` fills the throttling text.
pub fn detail(code: &str, language: StaffLanguage, retry_after_secs: Option<u64>) -> Option<String> {
    use StaffLanguage::{En, Fr, Nl};
    if language == En {
        return None;
    }
    let pick = |fr: &str, nl: &str, de: &str| {
        Some(match language {
            Fr => fr.to_string(),
            Nl => nl.to_string(),
            _ => de.to_string(),
        })
    };
    match code {
        "unauthorized" => pick(
            "Connexion requise : l'adresse ou le mot de passe est incorrect, ou la session a pris fin. Reconnectez-vous.",
            "Aanmelden vereist: het adres of wachtwoord klopt niet, of de sessie is afgelopen. Meld u opnieuw aan.",
            "Anmeldung erforderlich: Adresse oder Passwort ist falsch oder die Sitzung ist abgelaufen. Melden Sie sich erneut an.",
        ),
        "second_factor_required" => pick(
            "Saisissez le code actuel de votre application d'authentification.",
            "Voer de huidige code van uw authenticator-app in.",
            "Geben Sie den aktuellen Code Ihrer Authenticator-App ein.",
        ),
        "second_factor_enrolment_required" => pick(
            "Votre rôle exige une connexion à deux facteurs : configurez-la d'abord.",
            "Uw rol vereist aanmelden in twee stappen: stel dat eerst in.",
            "Ihre Rolle erfordert eine Anmeldung mit zwei Faktoren: Richten Sie sie zuerst ein.",
        ),
        "forbidden" => pick(
            "Votre rôle ne permet pas cette action.",
            "Uw rol staat deze handeling niet toe.",
            "Ihre Rolle erlaubt diese Aktion nicht.",
        ),
        "not_found" => pick("Introuvable.", "Niet gevonden.", "Nicht gefunden."),
        "relay_point_inactive" => pick(
            "Ce point relais est désactivé et ne peut plus transmettre de signaux : appelez directement la ligne d'aide avec la personne.",
            "Dit relaispunt is gedeactiveerd en kan geen signalen meer doorgeven: bel samen met de persoon rechtstreeks de hulplijn.",
            "Diese Relaisstelle ist deaktiviert und kann keine Signale mehr übermitteln: Rufen Sie gemeinsam mit der Person direkt die Hotline an.",
        ),
        "validation_failed" => pick(
            "Certains champs ne sont pas valides ; voir la liste des erreurs.",
            "Sommige velden zijn niet geldig; zie de lijst met fouten.",
            "Einige Felder sind ungültig; siehe die Fehlerliste.",
        ),
        "malformed_json" | "unknown_field" | "malformed_body" | "invalid_query" => pick(
            "La requête n'a pas pu être lue.",
            "Het verzoek kon niet worden gelezen.",
            "Die Anfrage konnte nicht gelesen werden.",
        ),
        "idempotency_key_required" => pick(
            "La requête n'a pas de clé d'idempotence valide (en-tête Idempotency-Key).",
            "Het verzoek heeft geen geldige idempotentiesleutel (header Idempotency-Key).",
            "Der Anfrage fehlt ein gültiger Idempotenzschlüssel (Header Idempotency-Key).",
        ),
        "conflict" => pick(
            "L'action est en conflit avec l'état actuel.",
            "De handeling is in strijd met de huidige toestand.",
            "Die Aktion widerspricht dem aktuellen Zustand.",
        ),
        "signal_taken" => pick(
            "La ligne d'aide a déjà pris ce signal en charge : il ne peut plus être retiré. Appelez la ligne d'aide pour le corriger.",
            "De hulplijn heeft dit signaal al opgenomen: het kan niet meer worden ingetrokken. Bel de hulplijn om het te corrigeren.",
            "Die Hotline bearbeitet dieses Signal bereits: Es kann nicht mehr zurückgezogen werden. Rufen Sie die Hotline an, um es zu korrigieren.",
        ),
        "signal_closed" => pick(
            "Ce signal est déjà clôturé : il ne peut plus être retiré.",
            "Dit signaal is al afgesloten: het kan niet meer worden ingetrokken.",
            "Dieses Signal ist bereits abgeschlossen: Es kann nicht mehr zurückgezogen werden.",
        ),
        "payload_too_large" => {
            pick("La requête est trop volumineuse.", "Het verzoek is te groot.", "Die Anfrage ist zu groß.")
        }
        "unsupported_media_type" => pick(
            "La requête doit être envoyée en JSON.",
            "Het verzoek moet als JSON worden verstuurd.",
            "Die Anfrage muss als JSON gesendet werden.",
        ),
        "too_many_requests" => {
            let n = retry_after_secs.unwrap_or(60);
            Some(match language {
                Fr => format!("Trop de demandes ; réessayez dans {n} secondes."),
                Nl => format!("Te veel verzoeken; probeer het over {n} seconden opnieuw."),
                _ => format!("Zu viele Anfragen; versuchen Sie es in {n} Sekunden erneut."),
            })
        }
        "service_unavailable" => pick(
            "Le service est momentanément indisponible ; réessayez dans un instant.",
            "De dienst is even niet beschikbaar; probeer het zo opnieuw.",
            "Der Dienst ist kurz nicht verfügbar; versuchen Sie es gleich erneut.",
        ),
        "internal_error" => pick(
            "Une erreur inattendue s'est produite ; elle a été enregistrée.",
            "Er is een onverwachte fout opgetreden; die is geregistreerd.",
            "Ein unerwarteter Fehler ist aufgetreten; er wurde protokolliert.",
        ),
        _ => None,
    }
}

/// The caller's language from `Accept-Language` (the first of fr, nl, de, en it
/// names), if it names one.
pub fn accept_language(req: &HttpRequest) -> Option<StaffLanguage> {
    from_accept_language(req.headers().get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()))
}

fn from_accept_language(header: Option<&str>) -> Option<StaffLanguage> {
    header?
        .split(',')
        .map(|part| part.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
        .find_map(|tag| tag.split('-').next().and_then(|primary| primary.parse::<StaffLanguage>().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_comes_from_accept_language() {
        assert_eq!(from_accept_language(Some("nl-BE,nl;q=0.9,en;q=0.5")), Some(StaffLanguage::Nl));
        assert_eq!(from_accept_language(Some("es, de;q=0.8")), Some(StaffLanguage::De));
        assert_eq!(from_accept_language(Some("es")), None);
        assert_eq!(from_accept_language(None), None);
    }

    #[test]
    fn english_keeps_the_detailed_texts_and_the_others_are_translated() {
        assert_eq!(detail("not_found", StaffLanguage::En, None), None);
        assert_eq!(title(StatusCode::NOT_FOUND, StaffLanguage::En), None);
        assert_eq!(title(StatusCode::NOT_FOUND, StaffLanguage::Nl), Some("Niet gevonden"));
        assert!(detail("too_many_requests", StaffLanguage::Fr, Some(42)).unwrap().contains("42 secondes"));
    }
}
