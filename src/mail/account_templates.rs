//! Messages about a staff member's own account: an invitation to choose a
//! password, a lock after failed sign-ins, a password reset link, a reset of the
//! second factor.

use super::Rendered;
use crate::domain::Role;
use crate::domain::StaffLanguage as Lang;
use chrono::{DateTime, Utc};

/// An invitation to an account of any role: the one-time token to choose a password with.
pub fn invitation(lang: Lang, role: Role, token: &str, expires_at: DateTime<Utc>) -> Rendered {
    let until = expires_at.with_timezone(&chrono_tz::Europe::Brussels).format("%Y-%m-%d %H:%M");
    let role = role.as_str();
    let (subject, intro, outro) = match lang {
        Lang::Fr => (
            "Invitation : votre compte SafeRelay",
            format!(
                "Un compte SafeRelay ({role}) a été créé pour vous. Choisissez votre mot de passe avec ce code, valable jusqu'au {until} (heure de Bruxelles) :"
            ),
            "Ouvrez l'application SafeRelay, choisissez « J'ai une invitation » et saisissez ce code. Personne d'autre ne connaîtra votre mot de passe.",
        ),
        Lang::Nl => (
            "Uitnodiging: uw SafeRelay-account",
            format!(
                "Er is een SafeRelay-account ({role}) voor u aangemaakt. Kies uw wachtwoord met deze code, geldig tot {until} (Brusselse tijd):"
            ),
            "Open de SafeRelay-app, kies \"Ik heb een uitnodiging\" en voer deze code in. Niemand anders kent uw wachtwoord.",
        ),
        Lang::De => (
            "Einladung: Ihr SafeRelay-Konto",
            format!(
                "Für Sie wurde ein SafeRelay-Konto ({role}) angelegt. Wählen Sie Ihr Passwort mit diesem Code, gültig bis {until} (Brüsseler Zeit):"
            ),
            "Öffnen Sie die SafeRelay-App, wählen Sie „Ich habe eine Einladung“ und geben Sie diesen Code ein. Niemand sonst kennt Ihr Passwort.",
        ),
        Lang::En => (
            "Invitation: your SafeRelay account",
            format!(
                "A SafeRelay account ({role}) was created for you. Choose your password with this code, valid until {until} (Brussels time):"
            ),
            "Open the SafeRelay app, choose \"I have an invitation\" and enter this code. Nobody else will know your password.",
        ),
    };
    Rendered {
        kind: "account_invitation",
        subject: subject.into(),
        body: format!("{intro}\n\n    {token}\n\n{outro}\n"),
    }
}

pub fn account_locked(lang: Lang, minutes: i64) -> Rendered {
    let (subject, body) = match lang {
        Lang::Fr => (
            "Compte SafeRelay bloqué",
            format!(
                "Après plusieurs tentatives de connexion échouées, votre compte est bloqué pendant {minutes} minutes. Si ce n'était pas vous, prévenez votre responsable et changez votre mot de passe."
            ),
        ),
        Lang::Nl => (
            "SafeRelay-account geblokkeerd",
            format!(
                "Na meerdere mislukte aanmeldpogingen is uw account {minutes} minuten geblokkeerd. Was u dit niet, verwittig dan uw verantwoordelijke en wijzig uw wachtwoord."
            ),
        ),
        Lang::De => (
            "SafeRelay-Konto gesperrt",
            format!(
                "Nach mehreren fehlgeschlagenen Anmeldeversuchen ist Ihr Konto {minutes} Minuten gesperrt. Waren Sie es nicht, informieren Sie Ihre verantwortliche Person und ändern Sie Ihr Passwort."
            ),
        ),
        Lang::En => (
            "SafeRelay account locked",
            format!(
                "After several failed sign-in attempts your account is locked for {minutes} minutes. If this was not you, tell your supervisor and change your password."
            ),
        ),
    };
    Rendered { kind: "account_locked", subject: subject.into(), body: format!("{body}\n") }
}

pub fn password_reset(lang: Lang, token: &str) -> Rendered {
    let (subject, intro, outro) = match lang {
        Lang::Fr => (
            "Réinitialiser votre mot de passe SafeRelay",
            "Code de réinitialisation (valable 1 heure) :",
            "Si vous n'avez rien demandé, ignorez ce message.",
        ),
        Lang::Nl => (
            "Uw SafeRelay-wachtwoord opnieuw instellen",
            "Herstelcode (1 uur geldig):",
            "Vroeg u niets aan, negeer dan dit bericht.",
        ),
        Lang::De => (
            "SafeRelay-Passwort zurücksetzen",
            "Code zum Zurücksetzen (1 Stunde gültig):",
            "Haben Sie nichts angefordert, ignorieren Sie diese Nachricht.",
        ),
        Lang::En => (
            "Reset your SafeRelay password",
            "Reset code (valid for 1 hour):",
            "If you did not ask for this, ignore this message.",
        ),
    };
    Rendered { kind: "password_reset", subject: subject.into(), body: format!("{intro}\n\n    {token}\n\n{outro}\n") }
}

pub fn totp_reset(lang: Lang) -> Rendered {
    let (subject, body) = match lang {
        Lang::Fr => (
            "Deuxième facteur réinitialisé",
            "Un administrateur a réinitialisé votre deuxième facteur. Réactivez-le à la prochaine connexion. Si vous ne l'avez pas demandé, prévenez votre responsable.",
        ),
        Lang::Nl => (
            "Tweede factor opnieuw ingesteld",
            "Een beheerder heeft uw tweede factor opnieuw ingesteld. Activeer hem opnieuw bij de volgende aanmelding. Vroeg u dit niet, verwittig dan uw verantwoordelijke.",
        ),
        Lang::De => (
            "Zweiter Faktor zurückgesetzt",
            "Eine Administratorin oder ein Administrator hat Ihren zweiten Faktor zurückgesetzt. Richten Sie ihn bei der nächsten Anmeldung neu ein. Haben Sie das nicht veranlasst, informieren Sie Ihre verantwortliche Person.",
        ),
        Lang::En => (
            "Second factor reset",
            "An administrator reset your second factor. Set it up again at your next sign-in. If you did not ask for this, tell your supervisor.",
        ),
    };
    Rendered { kind: "totp_reset", subject: subject.into(), body: format!("{body}\n") }
}
