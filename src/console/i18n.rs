//! The console's words in English, French, Dutch and German. Templates call
//! `tr.t("key")`; a test checks that every key a template uses is here, so a
//! missing translation fails the build's tests, not a shift.

use crate::domain::StaffLanguage;

/// `(key, [en, fr, nl, de])`.
const STRINGS: &[(&str, [&str; 4])] = &[
    ("app.name", ["SafeRelay console", "Console SafeRelay", "SafeRelay-console", "SafeRelay-Konsole"]),
    ("nav.queue", ["Queue", "File d'attente", "Wachtrij", "Warteschlange"]),
    ("nav.sign_out", ["Sign out", "Se déconnecter", "Afmelden", "Abmelden"]),
    (
        "nav.sign_out_everywhere",
        ["Sign out everywhere", "Se déconnecter partout", "Overal afmelden", "Überall abmelden"],
    ),
    ("nav.language", ["Language", "Langue", "Taal", "Sprache"]),
    ("nav.skip", ["Skip to content", "Aller au contenu", "Naar de inhoud", "Zum Inhalt"]),
    ("action.apply", ["Apply", "Appliquer", "Toepassen", "Anwenden"]),
    ("signin.title", ["Sign in", "Connexion", "Aanmelden", "Anmelden"]),
    ("signin.email", ["E-mail address", "Adresse e-mail", "E-mailadres", "E-Mail-Adresse"]),
    ("signin.password", ["Password", "Mot de passe", "Wachtwoord", "Passwort"]),
    (
        "signin.totp",
        [
            "Code from your authenticator app (if you have enrolled one)",
            "Code de votre application d'authentification (si vous en avez une)",
            "Code uit uw authenticator-app (als u er een hebt ingesteld)",
            "Code aus Ihrer Authenticator-App (falls eingerichtet)",
        ],
    ),
    ("signin.submit", ["Sign in", "Se connecter", "Aanmelden", "Anmelden"]),
    (
        "signin.bad_credentials",
        [
            "The e-mail address or the password is wrong.",
            "L'adresse e-mail ou le mot de passe est incorrect.",
            "Het e-mailadres of het wachtwoord is onjuist.",
            "E-Mail-Adresse oder Passwort ist falsch.",
        ],
    ),
    (
        "signin.second_factor",
        [
            "Enter the 6-digit code from your authenticator app (and your password again).",
            "Saisissez le code à 6 chiffres de votre application d'authentification (et à nouveau votre mot de passe).",
            "Voer de 6-cijferige code uit uw authenticator-app in (en opnieuw uw wachtwoord).",
            "Geben Sie den 6-stelligen Code aus Ihrer Authenticator-App ein (und erneut Ihr Passwort).",
        ],
    ),
    (
        "signin.throttled",
        [
            "Too many attempts. Wait a few minutes, then try again.",
            "Trop de tentatives. Attendez quelques minutes avant de réessayer.",
            "Te veel pogingen. Wacht enkele minuten en probeer het opnieuw.",
            "Zu viele Versuche. Warten Sie einige Minuten und versuchen Sie es erneut.",
        ],
    ),
    (
        "signin.enrol_required",
        [
            "Your role requires a second factor. Enrol one with the SafeRelay app or ask an administrator, then sign in again.",
            "Votre rôle exige un second facteur. Activez-en un ou demandez à un administrateur, puis reconnectez-vous.",
            "Uw rol vereist een tweede factor. Stel er een in of vraag het aan een beheerder en meld u opnieuw aan.",
            "Ihre Rolle erfordert einen zweiten Faktor. Richten Sie einen ein oder fragen Sie einen Administrator und melden Sie sich erneut an.",
        ],
    ),
    (
        "signin.unavailable",
        [
            "The service is busy. Try again in a moment.",
            "Le service est occupé. Réessayez dans un instant.",
            "De dienst is bezet. Probeer het zo opnieuw.",
            "Der Dienst ist ausgelastet. Versuchen Sie es gleich noch einmal.",
        ],
    ),
    (
        "signin.required",
        [
            "Enter your e-mail address.",
            "Saisissez votre adresse e-mail.",
            "Vul uw e-mailadres in.",
            "Geben Sie Ihre E-Mail-Adresse ein.",
        ],
    ),
    (
        "signin.timed_out",
        [
            "You were signed out after a period without activity.",
            "Vous avez été déconnecté après une période d'inactivité.",
            "U bent afgemeld na een periode zonder activiteit.",
            "Sie wurden nach einer Zeit ohne Aktivität abgemeldet.",
        ],
    ),
    ("queue.title", ["Callback queue", "File des rappels", "Wachtrij terugbellen", "Rückruf-Warteschlange"]),
    ("queue.view.unclaimed", ["Unclaimed", "Non pris en charge", "Niet opgenomen", "Nicht übernommen"]),
    ("queue.view.mine", ["Mine", "Les miens", "Van mij", "Meine"]),
    ("queue.view.open", ["All open", "Tous ouverts", "Alle open", "Alle offenen"]),
    ("queue.view.closed_today", ["Closed today", "Clôturés aujourd'hui", "Vandaag gesloten", "Heute abgeschlossen"]),
    ("queue.filter", ["Show", "Afficher", "Tonen", "Anzeigen"]),
    (
        "queue.live",
        [
            "This list updates by itself.",
            "Cette liste se met à jour toute seule.",
            "Deze lijst werkt zichzelf bij.",
            "Diese Liste aktualisiert sich selbst.",
        ],
    ),
    ("queue.refresh", ["Refresh", "Actualiser", "Vernieuwen", "Aktualisieren"]),
    ("queue.empty", ["Nothing to show.", "Rien à afficher.", "Niets te tonen.", "Nichts anzuzeigen."]),
    ("col.reference", ["Reference", "Référence", "Referentie", "Referenz"]),
    ("col.age", ["Received", "Reçu", "Ontvangen", "Eingegangen"]),
    ("col.urgency", ["Urgency", "Urgence", "Urgentie", "Dringlichkeit"]),
    ("col.language", ["Callback language", "Langue de rappel", "Taal terugbellen", "Rückrufsprache"]),
    ("col.municipality", ["Municipality", "Commune", "Gemeente", "Gemeinde"]),
    ("col.relay_kind", ["Relay point", "Point relais", "Doorgeefpunt", "Relaisstelle"]),
    ("col.claim", ["Claim", "Prise en charge", "Opgenomen door", "Übernommen von"]),
    ("col.status", ["Status", "Statut", "Status", "Status"]),
    ("col.safe_call", ["Safe to call", "Appel sûr", "Veilig bellen", "Sicher anrufbar"]),
    (
        "safecall.any",
        [
            "any time (no window given)",
            "à tout moment (aucun créneau)",
            "altijd (geen tijdvenster)",
            "jederzeit (kein Zeitfenster)",
        ],
    ),
    ("safecall.now", ["now", "maintenant", "nu", "jetzt"]),
    ("safecall.from", ["from", "à partir du", "vanaf", "ab"]),
    ("claim.none", ["free", "libre", "vrij", "frei"]),
    ("claim.mine", ["you", "vous", "u", "Sie"]),
    ("claim.colleague", ["a colleague", "un collègue", "een collega", "ein Kollege"]),
    ("claim.until", ["until", "jusqu'à", "tot", "bis"]),
    ("urgency.immediate_danger", ["Immediate danger", "Danger immédiat", "Acuut gevaar", "Akute Gefahr"]),
    ("urgency.standard", ["Standard", "Standard", "Standaard", "Standard"]),
    ("kind.pharmacy", ["Pharmacy", "Pharmacie", "Apotheek", "Apotheke"]),
    ("kind.hairdresser", ["Hair salon", "Salon de coiffure", "Kapsalon", "Friseursalon"]),
    ("kind.other", ["Other", "Autre", "Andere", "Sonstige"]),
    ("training.trained", ["trained", "formé", "opgeleid", "geschult"]),
    (
        "training.expiring",
        ["training expiring", "formation bientôt expirée", "opleiding verloopt", "Schulung läuft ab"],
    ),
    ("training.lapsed", ["training lapsed", "formation expirée", "opleiding verlopen", "Schulung abgelaufen"]),
    ("training.untrained", ["not trained", "non formé", "niet opgeleid", "nicht geschult"]),
    ("day.mon", ["Monday", "lundi", "maandag", "Montag"]),
    ("day.tue", ["Tuesday", "mardi", "dinsdag", "Dienstag"]),
    ("day.wed", ["Wednesday", "mercredi", "woensdag", "Mittwoch"]),
    ("day.thu", ["Thursday", "jeudi", "donderdag", "Donnerstag"]),
    ("day.fri", ["Friday", "vendredi", "vrijdag", "Freitag"]),
    ("day.sat", ["Saturday", "samedi", "zaterdag", "Samstag"]),
    ("day.sun", ["Sunday", "dimanche", "zondag", "Sonntag"]),
    (
        "attempt.result_required",
        [
            "Choose the result of the call.",
            "Choisissez le résultat de l'appel.",
            "Kies het resultaat van het gesprek.",
            "Wählen Sie das Ergebnis des Anrufs.",
        ],
    ),
    (
        "attempt.next_invalid",
        [
            "Give a date and time in the future, or leave it empty.",
            "Indiquez une date et une heure dans le futur, ou laissez vide.",
            "Geef een datum en tijd in de toekomst, of laat leeg.",
            "Geben Sie ein zukünftiges Datum mit Uhrzeit an oder lassen Sie das Feld leer.",
        ],
    ),
    (
        "attempt.outside_short",
        ["outside safe windows", "hors des créneaux sûrs", "buiten veilige tijden", "außerhalb sicherer Zeiten"],
    ),
    (
        "close.outcome_required",
        ["Choose the outcome.", "Choisissez le résultat.", "Kies de uitkomst.", "Wählen Sie das Ergebnis."],
    ),
    ("lang.nl", ["Dutch", "néerlandais", "Nederlands", "Niederländisch"]),
    ("lang.fr", ["French", "français", "Frans", "Französisch"]),
    ("lang.de", ["German", "allemand", "Duits", "Deutsch"]),
    ("lang.en", ["English", "anglais", "Engels", "Englisch"]),
    ("lang.other", ["other language", "autre langue", "andere taal", "andere Sprache"]),
    ("case.title", ["Case", "Dossier", "Dossier", "Fall"]),
    ("case.back", ["Back to the queue", "Retour à la file", "Terug naar de wachtrij", "Zurück zur Warteschlange"]),
    ("case.details", ["Details", "Détails", "Gegevens", "Angaben"]),
    ("case.expected_callback", ["Call back by", "Rappeler avant", "Terugbellen vóór", "Rückruf bis"]),
    (
        "case.training",
        ["Relay point training", "Formation du point relais", "Opleiding doorgeefpunt", "Schulung der Relaisstelle"],
    ),
    ("case.claim", ["Claim this case", "Prendre en charge", "Dit dossier opnemen", "Fall übernehmen"]),
    ("case.release", ["Release", "Libérer", "Vrijgeven", "Freigeben"]),
    (
        "case.claimed_by_colleague",
        [
            "A colleague is working on this case.",
            "Un collègue traite ce dossier.",
            "Een collega werkt aan dit dossier.",
            "Ein Kollege bearbeitet diesen Fall.",
        ],
    ),
    ("case.reveal", ["Show the contact", "Afficher le contact", "Contact tonen", "Kontakt anzeigen"]),
    (
        "case.reveal_note",
        [
            "Showing the contact is recorded. It is hidden again after a few minutes or when you leave this page.",
            "L'affichage du contact est enregistré. Il est masqué après quelques minutes ou quand vous quittez la page.",
            "Het tonen van het contact wordt vastgelegd. Het wordt na enkele minuten of bij het verlaten van de pagina weer verborgen.",
            "Das Anzeigen des Kontakts wird protokolliert. Er wird nach einigen Minuten oder beim Verlassen der Seite wieder verborgen.",
        ],
    ),
    ("contact.title", ["Contact", "Contact", "Contact", "Kontakt"]),
    ("contact.phone", ["Phone", "Téléphone", "Telefoon", "Telefon"]),
    ("contact.alias", ["Name or alias", "Prénom ou alias", "Naam of alias", "Name oder Alias"]),
    ("contact.windows", ["Safe to call", "Appel sûr", "Veilig om te bellen", "Sicher anrufbar"]),
    (
        "contact.any_time",
        ["No window given", "Aucun créneau indiqué", "Geen tijdvenster opgegeven", "Kein Zeitfenster angegeben"],
    ),
    ("contact.voicemail", ["Voicemail", "Messagerie", "Voicemail", "Mailbox"]),
    ("contact.voicemail_ok", ["allowed", "autorisée", "toegestaan", "erlaubt"]),
    ("contact.voicemail_no", ["NOT allowed", "NON autorisée", "NIET toegestaan", "NICHT erlaubt"]),
    ("contact.note", ["Note", "Note", "Notitie", "Notiz"]),
    ("contact.hide", ["Hide the contact", "Masquer le contact", "Contact verbergen", "Kontakt verbergen"]),
    (
        "attempt.title",
        ["Record a call attempt", "Noter une tentative d'appel", "Belpoging vastleggen", "Anrufversuch erfassen"],
    ),
    ("attempt.result", ["Result", "Résultat", "Resultaat", "Ergebnis"]),
    (
        "attempt.next",
        [
            "Next attempt (optional)",
            "Prochaine tentative (facultatif)",
            "Volgende poging (optioneel)",
            "Nächster Versuch (optional)",
        ],
    ),
    ("attempt.submit", ["Record", "Enregistrer", "Vastleggen", "Erfassen"]),
    ("attempt.history", ["Call attempts", "Tentatives d'appel", "Belpogingen", "Anrufversuche"]),
    ("attempt.none", ["No attempt yet.", "Aucune tentative.", "Nog geen poging.", "Noch kein Versuch."]),
    ("attempt.recorded", ["Attempt recorded.", "Tentative enregistrée.", "Poging vastgelegd.", "Versuch erfasst."]),
    (
        "attempt.outside_windows",
        [
            "Warning: the next attempt is outside the person's safe call windows. Calling then may put them at risk.",
            "Attention : la prochaine tentative est hors des créneaux sûrs. Appeler à ce moment peut mettre la personne en danger.",
            "Let op: de volgende poging valt buiten de veilige tijdvensters. Dan bellen kan de persoon in gevaar brengen.",
            "Achtung: Der nächste Versuch liegt außerhalb der sicheren Zeitfenster. Ein Anruf dann kann die Person gefährden.",
        ],
    ),
    (
        "attempt.voicemail_not_allowed",
        [
            "Warning: the person did not allow voicemail. Do not leave a message.",
            "Attention : la personne n'a pas autorisé la messagerie. Ne laissez pas de message.",
            "Let op: de persoon heeft geen voicemail toegestaan. Laat geen bericht achter.",
            "Achtung: Die Person hat keine Mailbox-Nachricht erlaubt. Hinterlassen Sie keine Nachricht.",
        ],
    ),
    ("result.reached", ["Reached", "Joint", "Bereikt", "Erreicht"]),
    ("result.no_answer", ["No answer", "Pas de réponse", "Geen antwoord", "Keine Antwort"]),
    ("result.voicemail_left", ["Voicemail left", "Message laissé", "Voicemail ingesproken", "Nachricht hinterlassen"]),
    (
        "result.unsafe_to_talk",
        ["Unsafe to talk", "Pas en sécurité pour parler", "Niet veilig om te praten", "Nicht sicher zu sprechen"],
    ),
    ("result.wrong_number", ["Wrong number", "Mauvais numéro", "Verkeerd nummer", "Falsche Nummer"]),
    ("result.other", ["Other", "Autre", "Andere", "Sonstiges"]),
    ("close.title", ["Close the case", "Clôturer le dossier", "Dossier afsluiten", "Fall abschließen"]),
    ("close.outcome", ["Outcome", "Résultat", "Uitkomst", "Ergebnis"]),
    (
        "close.confirm",
        [
            "I understand that closing destroys the contact for good.",
            "Je comprends que la clôture détruit définitivement le contact.",
            "Ik begrijp dat afsluiten het contact definitief vernietigt.",
            "Mir ist bewusst, dass das Abschließen den Kontakt endgültig löscht.",
        ],
    ),
    (
        "close.confirm_required",
        [
            "Tick the box to confirm: the contact will be destroyed.",
            "Cochez la case pour confirmer : le contact sera détruit.",
            "Vink het vakje aan om te bevestigen: het contact wordt vernietigd.",
            "Kreuzen Sie das Feld an: Der Kontakt wird gelöscht.",
        ],
    ),
    (
        "close.submit",
        [
            "Close and destroy the contact",
            "Clôturer et détruire le contact",
            "Afsluiten en contact vernietigen",
            "Abschließen und Kontakt löschen",
        ],
    ),
    (
        "close.done",
        [
            "Case closed. The contact has been destroyed.",
            "Dossier clôturé. Le contact a été détruit.",
            "Dossier afgesloten. Het contact is vernietigd.",
            "Fall abgeschlossen. Der Kontakt wurde gelöscht.",
        ],
    ),
    (
        "outcome.referred_support",
        [
            "Referred to support",
            "Orienté vers un accompagnement",
            "Doorverwezen naar hulp",
            "An Unterstützung verwiesen",
        ],
    ),
    (
        "outcome.referred_shelter",
        [
            "Referred to a shelter",
            "Orienté vers un hébergement",
            "Doorverwezen naar opvang",
            "An ein Frauenhaus verwiesen",
        ],
    ),
    (
        "outcome.referred_police",
        [
            "Referred to the police",
            "Orienté vers la police",
            "Doorverwezen naar de politie",
            "An die Polizei verwiesen",
        ],
    ),
    (
        "outcome.information_given",
        ["Information given", "Information donnée", "Informatie gegeven", "Informationen gegeben"],
    ),
    ("outcome.declined", ["Declined help", "Aide refusée", "Hulp geweigerd", "Hilfe abgelehnt"]),
    ("outcome.unreachable", ["Unreachable", "Injoignable", "Onbereikbaar", "Nicht erreichbar"]),
    ("outcome.duplicate", ["Duplicate", "Doublon", "Dubbel", "Duplikat"]),
    ("outcome.other", ["Other", "Autre", "Andere", "Sonstiges"]),
    ("status.received", ["received", "reçu", "ontvangen", "eingegangen"]),
    ("status.forwarded", ["forwarded", "transmis", "doorgestuurd", "weitergeleitet"]),
    ("status.in_progress", ["in progress", "en cours", "in behandeling", "in Bearbeitung"]),
    ("status.completed", ["completed", "terminé", "afgerond", "abgeschlossen"]),
    ("status.expired", ["expired", "expiré", "verlopen", "abgelaufen"]),
    (
        "error.title",
        ["Something went wrong", "Un problème est survenu", "Er ging iets mis", "Etwas ist schiefgelaufen"],
    ),
    (
        "error.forbidden",
        [
            "Your account cannot use these pages.",
            "Votre compte ne peut pas utiliser ces pages.",
            "Uw account kan deze pagina's niet gebruiken.",
            "Ihr Konto kann diese Seiten nicht verwenden.",
        ],
    ),
    (
        "error.not_found",
        [
            "There is no such case in your helpline's queue.",
            "Ce dossier n'existe pas dans la file de votre ligne d'aide.",
            "Dit dossier bestaat niet in de wachtrij van uw hulplijn.",
            "Dieser Fall existiert nicht in der Warteschlange Ihrer Hotline.",
        ],
    ),
    (
        "error.csrf",
        [
            "This form was sent from outside the console or has expired. Reload the page and try again.",
            "Ce formulaire vient d'ailleurs ou a expiré. Rechargez la page et réessayez.",
            "Dit formulier komt van buiten de console of is verlopen. Herlaad de pagina en probeer opnieuw.",
            "Dieses Formular kam von außerhalb der Konsole oder ist abgelaufen. Laden Sie die Seite neu.",
        ],
    ),
    (
        "error.internal",
        [
            "An unexpected error occurred; it has been logged.",
            "Une erreur inattendue s'est produite ; elle a été enregistrée.",
            "Er is een onverwachte fout opgetreden; die is vastgelegd.",
            "Ein unerwarteter Fehler ist aufgetreten; er wurde protokolliert.",
        ],
    ),
    (
        "transfer.title",
        [
            "Transfer to another helpline",
            "Transférer à une autre ligne",
            "Doorsturen naar een andere hulplijn",
            "An eine andere Hotline übergeben",
        ],
    ),
    ("transfer.to", ["Helpline", "Ligne d'aide", "Hulplijn", "Hotline"]),
    ("transfer.submit", ["Transfer", "Transférer", "Doorsturen", "Übergeben"]),
    (
        "transfer.invalid",
        [
            "This case cannot go to that helpline (it is closed, or the helpline is not active).",
            "Ce dossier ne peut pas aller à cette ligne (il est clôturé, ou la ligne n'est pas active).",
            "Dit dossier kan niet naar die hulplijn (het is afgesloten, of de hulplijn is niet actief).",
            "Dieser Fall kann nicht an diese Hotline gehen (er ist abgeschlossen oder die Hotline ist nicht aktiv).",
        ],
    ),
    ("home.title", ["Welcome", "Bienvenue", "Welkom", "Willkommen"]),
    (
        "home.no_pages",
        [
            "The console pages for your role are not available yet; use the API documented at /docs.",
            "Les pages de la console pour votre rôle ne sont pas encore disponibles ; utilisez l'API documentée sur /docs.",
            "De consolepagina's voor uw rol zijn nog niet beschikbaar; gebruik de API, beschreven op /docs.",
            "Die Konsolenseiten für Ihre Rolle sind noch nicht verfügbar; nutzen Sie die unter /docs beschriebene API.",
        ],
    ),
    // Enrolling a second factor (console/enrol.rs).
    (
        "enrol.title",
        [
            "Set up your second factor",
            "Configurer votre second facteur",
            "Uw tweede factor instellen",
            "Zweiten Faktor einrichten",
        ],
    ),
    (
        "enrol.intro",
        [
            "Your role needs a code from an authenticator app. Scan the QR code with the app (or type the key in), then enter the 6-digit code it shows.",
            "Votre rôle exige un code d'une application d'authentification. Scannez le code QR avec l'application (ou saisissez la clé), puis entrez le code à 6 chiffres qu'elle affiche.",
            "Uw rol vraagt een code uit een authenticator-app. Scan de QR-code met de app (of typ de sleutel in) en voer dan de 6-cijferige code in die ze toont.",
            "Ihre Rolle verlangt einen Code aus einer Authenticator-App. Scannen Sie den QR-Code mit der App (oder geben Sie den Schlüssel ein) und geben Sie dann den 6-stelligen Code ein.",
        ],
    ),
    (
        "enrol.qr_alt",
        [
            "QR code for your authenticator app",
            "Code QR pour votre application d'authentification",
            "QR-code voor uw authenticator-app",
            "QR-Code für Ihre Authenticator-App",
        ],
    ),
    (
        "enrol.secret",
        [
            "Key to type in by hand:",
            "Clé à saisir à la main :",
            "Sleutel om met de hand in te typen:",
            "Schlüssel zur manuellen Eingabe:",
        ],
    ),
    (
        "enrol.code",
        [
            "6-digit code from the app",
            "Code à 6 chiffres de l'application",
            "6-cijferige code uit de app",
            "6-stelliger Code aus der App",
        ],
    ),
    ("enrol.submit", ["Confirm", "Confirmer", "Bevestigen", "Bestätigen"]),
    (
        "enrol.code_format",
        [
            "Enter the 6-digit code the app shows.",
            "Entrez le code à 6 chiffres affiché par l'application.",
            "Voer de 6-cijferige code in die de app toont.",
            "Geben Sie den 6-stelligen Code ein, den die App anzeigt.",
        ],
    ),
    (
        "enrol.code_wrong",
        [
            "This code does not match. Check the app's clock and try the next code.",
            "Ce code ne correspond pas. Vérifiez l'heure de l'appareil et essayez le code suivant.",
            "Deze code klopt niet. Controleer de klok van het toestel en probeer de volgende code.",
            "Dieser Code passt nicht. Prüfen Sie die Uhr des Geräts und versuchen Sie den nächsten Code.",
        ],
    ),
    (
        "enrol.done_title",
        ["Second factor set up", "Second facteur configuré", "Tweede factor ingesteld", "Zweiter Faktor eingerichtet"],
    ),
    (
        "enrol.codes_intro",
        [
            "Keep these recovery codes somewhere safe: each signs in once if you lose the app. They are shown only now.",
            "Gardez ces codes de secours en lieu sûr : chacun permet une connexion si vous perdez l'application. Ils ne sont affichés que maintenant.",
            "Bewaar deze herstelcodes op een veilige plek: elk ervan meldt u één keer aan als u de app verliest. Ze worden alleen nu getoond.",
            "Bewahren Sie diese Wiederherstellungscodes sicher auf: Jeder meldet Sie einmal an, falls Sie die App verlieren. Sie werden nur jetzt angezeigt.",
        ],
    ),
    (
        "enrol.sign_in",
        [
            "Sign in with a code from the app",
            "Se connecter avec un code de l'application",
            "Aanmelden met een code uit de app",
            "Mit einem Code aus der App anmelden",
        ],
    ),
    // --- The supervisor's page ---
    ("nav.supervisor", ["Supervision", "Supervision", "Supervisie", "Supervision"]),
    ("sup.title", ["Supervision", "Supervision", "Supervisie", "Supervision"]),
    ("sup.sections", ["Sections", "Sections", "Onderdelen", "Abschnitte"]),
    ("sup.claims", ["Claims held", "Prises en charge", "Opgenomen dossiers", "Übernommene Fälle"]),
    (
        "sup.claims.none",
        [
            "Nobody holds a claim.",
            "Aucun dossier n'est pris en charge.",
            "Niemand heeft een dossier opgenomen.",
            "Niemand hat einen Fall übernommen.",
        ],
    ),
    ("sup.col.holder", ["Held by", "Pris par", "Opgenomen door", "Übernommen von"]),
    ("sup.col.since", ["Since", "Depuis", "Sinds", "Seit"]),
    ("sup.col.activity", ["Last activity", "Dernière activité", "Laatste activiteit", "Letzte Aktivität"]),
    ("sup.col.reassign", ["Reassign to", "Réattribuer à", "Toewijzen aan", "Neu zuweisen an"]),
    ("sup.reassign", ["Reassign", "Réattribuer", "Toewijzen", "Neu zuweisen"]),
    ("sup.reassign_for", ["Reassign case", "Réattribuer le dossier", "Dossier toewijzen", "Fall neu zuweisen"]),
    (
        "sup.reassigned",
        [
            "The case was reassigned.",
            "Le dossier a été réattribué.",
            "Het dossier is toegewezen.",
            "Der Fall wurde neu zugewiesen.",
        ],
    ),
    (
        "sup.reassign_invalid",
        [
            "Choose an active operator of your helpline.",
            "Choisissez un opérateur actif de votre ligne.",
            "Kies een actieve medewerker van uw hulplijn.",
            "Wählen Sie einen aktiven Mitarbeiter Ihrer Hotline.",
        ],
    ),
    (
        "sup.reassign_closed",
        [
            "This case is closed and cannot be reassigned.",
            "Ce dossier est clôturé et ne peut pas être réattribué.",
            "Dit dossier is gesloten en kan niet worden toegewezen.",
            "Dieser Fall ist abgeschlossen und kann nicht neu zugewiesen werden.",
        ],
    ),
    (
        "sup.escalated",
        ["Escalated signals", "Signalements escaladés", "Geëscaleerde meldingen", "Eskalierte Meldungen"],
    ),
    (
        "sup.escalated.none",
        [
            "No open signal was escalated.",
            "Aucun signalement ouvert n'a été escaladé.",
            "Geen open melding werd geëscaleerd.",
            "Keine offene Meldung wurde eskaliert.",
        ],
    ),
    ("sup.col.escalated", ["Escalated", "Escaladé", "Geëscaleerd", "Eskaliert"]),
    (
        "sup.dead",
        ["Failed deliveries", "Transmissions échouées", "Mislukte doorzendingen", "Fehlgeschlagene Zustellungen"],
    ),
    (
        "sup.dead.none",
        [
            "No delivery failed.",
            "Aucune transmission n'a échoué.",
            "Geen doorzending mislukt.",
            "Keine Zustellung ist fehlgeschlagen.",
        ],
    ),
    ("sup.col.channel", ["Channel", "Canal", "Kanaal", "Kanal"]),
    ("sup.col.attempts", ["Attempts", "Tentatives", "Pogingen", "Versuche"]),
    ("sup.col.error", ["Last error", "Dernière erreur", "Laatste fout", "Letzter Fehler"]),
    ("sup.col.dead_at", ["Given up at", "Abandonnée le", "Opgegeven op", "Aufgegeben am"]),
    ("sup.col.action", ["Action", "Action", "Actie", "Aktion"]),
    ("sup.retry", ["Deliver again", "Transmettre à nouveau", "Opnieuw doorsturen", "Erneut zustellen"]),
    (
        "sup.retried",
        [
            "The delivery is queued again.",
            "La transmission est de nouveau en file.",
            "De doorzending staat opnieuw in de wachtrij.",
            "Die Zustellung ist wieder in der Warteschlange.",
        ],
    ),
    (
        "sup.retry_refused",
        [
            "This delivery cannot be sent again (already queued, or the case is closed).",
            "Cette transmission ne peut pas être relancée (déjà en file, ou dossier clôturé).",
            "Deze doorzending kan niet opnieuw (al in de wachtrij, of het dossier is gesloten).",
            "Diese Zustellung kann nicht erneut gesendet werden (schon in der Warteschlange oder Fall abgeschlossen).",
        ],
    ),
    ("sup.channel.email", ["e-mail", "e-mail", "e-mail", "E-Mail"]),
    ("sup.channel.webhook", ["webhook", "webhook", "webhook", "Webhook"]),
    (
        "sup.reveals",
        ["Contact reveals", "Consultations des coordonnées", "Inzage van contactgegevens", "Einsicht in Kontaktdaten"],
    ),
    (
        "sup.reveals.none",
        [
            "No contact was revealed.",
            "Aucune coordonnée n'a été consultée.",
            "Er werden geen contactgegevens ingezien.",
            "Es wurden keine Kontaktdaten eingesehen.",
        ],
    ),
    ("sup.col.who", ["Revealed by", "Consultées par", "Ingezien door", "Eingesehen von"]),
    ("sup.col.when", ["When", "Quand", "Wanneer", "Wann"]),
    (
        "sup.former_colleague",
        ["a former colleague", "un ancien collègue", "een voormalige collega", "ein ehemaliger Kollege"],
    ),
    ("sup.system", ["the system", "le système", "het systeem", "das System"]),
    ("sup.figures", ["Figures", "Chiffres", "Cijfers", "Zahlen"]),
    (
        "sup.figures.period",
        ["Signals filed from", "Signalements reçus du", "Meldingen ontvangen van", "Eingegangene Meldungen vom"],
    ),
    ("sup.figures.to", ["to", "au", "tot", "bis"]),
    (
        "sup.figures.small",
        [
            "Counts from 1 to 4 are shown as <5 to protect the people concerned.",
            "Les nombres de 1 à 4 sont affichés <5 pour protéger les personnes concernées.",
            "Aantallen van 1 tot 4 worden als <5 getoond om de betrokkenen te beschermen.",
            "Zahlen von 1 bis 4 werden zum Schutz der Betroffenen als <5 angezeigt.",
        ],
    ),
    ("sup.figures.per_day", ["Signals per day", "Signalements par jour", "Meldingen per dag", "Meldungen pro Tag"]),
    ("sup.figures.day", ["Day", "Jour", "Dag", "Tag"]),
    ("sup.figures.signals", ["Signals", "Signalements", "Meldingen", "Meldungen"]),
    ("sup.figures.total", ["Total", "Total", "Totaal", "Gesamt"]),
    (
        "sup.figures.first_attempt",
        [
            "Time to first call attempt (minutes)",
            "Délai avant le premier appel (minutes)",
            "Tijd tot eerste belpoging (minuten)",
            "Zeit bis zum ersten Anrufversuch (Minuten)",
        ],
    ),
    ("sup.figures.median", ["Median", "Médiane", "Mediaan", "Median"]),
    ("sup.figures.p90", ["90th percentile", "90e centile", "90e percentiel", "90. Perzentil"]),
    (
        "sup.figures.hidden",
        [
            "not shown (fewer than 5)",
            "non affiché (moins de 5)",
            "niet getoond (minder dan 5)",
            "nicht angezeigt (weniger als 5)",
        ],
    ),
    (
        "sup.figures.outcomes",
        [
            "Outcomes of closed signals",
            "Issues des signalements clôturés",
            "Uitkomsten van gesloten meldingen",
            "Ergebnisse abgeschlossener Meldungen",
        ],
    ),
    ("sup.figures.outcome", ["Outcome", "Issue", "Uitkomst", "Ergebnis"]),
    ("sup.figures.closed", ["Closed", "Clôturés", "Gesloten", "Abgeschlossen"]),
    ("outcome.expired", ["Expired", "Expiré", "Verlopen", "Abgelaufen"]),
    // --- end of the supervisor's page ---
];

/// Every text: the console's own and each page group's.
fn all() -> impl Iterator<Item = &'static (&'static str, [&'static str; 4])> {
    STRINGS.iter().chain(super::programme::texts::STRINGS)
}

/// Translations for one language.
#[derive(Clone, Copy)]
pub struct Tr(pub StaffLanguage);

impl Tr {
    fn index(self) -> usize {
        match self.0 {
            StaffLanguage::En => 0,
            StaffLanguage::Fr => 1,
            StaffLanguage::Nl => 2,
            StaffLanguage::De => 3,
        }
    }

    /// The text of `key`; the key itself when it is missing (a test forbids that).
    pub fn t<'a>(&self, key: &'a str) -> &'a str {
        all().find(|(k, _)| *k == key).map_or(key, |(_, texts)| texts[self.index()])
    }

    /// The `lang` attribute of the page.
    pub fn lang(&self) -> &'static str {
        self.0.as_str()
    }
}

/// The four languages, for the language switch.
pub const LANGUAGES: [(&str, &str); 4] =
    [("en", "English"), ("fr", "Français"), ("nl", "Nederlands"), ("de", "Deutsch")];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_a_template_uses_is_translated_in_every_language() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/console");
        let mut used = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for part in text.split("t(\"").skip(1) {
                let key = &part[..part.find('"').unwrap()];
                let found = all().find(|(k, _)| *k == key);
                assert!(found.is_some(), "{key} is used by a template but has no translations");
                used += 1;
            }
        }
        assert!(used > 20, "the templates use translated texts");
        for (key, texts) in all() {
            assert!(texts.iter().all(|t| !t.trim().is_empty()), "{key} has an empty translation");
        }
        let keys: std::collections::HashSet<_> = all().map(|(k, _)| k).collect();
        assert_eq!(keys.len(), all().count(), "keys are unique");
    }

    #[test]
    fn texts_follow_the_language() {
        assert_eq!(Tr(StaffLanguage::Fr).t("nav.queue"), "File d'attente");
        assert_eq!(Tr(StaffLanguage::De).t("nav.queue"), "Warteschlange");
        assert_eq!(Tr(StaffLanguage::En).t("no.such.key"), "no.such.key");
    }
}
