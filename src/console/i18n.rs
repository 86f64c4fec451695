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
    // --- the admin pages ---
    ("nav.admin_simulator", ["Route simulator", "Simulateur d'acheminement", "Routesimulator", "Routing-Simulator"]),
    ("nav.admin_helplines", ["Helplines", "Lignes d'écoute", "Hulplijnen", "Hilfetelefone"]),
    ("word.yes", ["yes", "oui", "ja", "ja"]),
    ("word.no", ["no", "non", "nee", "nein"]),
    ("region.flanders", ["Flanders", "Flandre", "Vlaanderen", "Flandern"]),
    ("region.wallonia", ["Wallonia", "Wallonie", "Wallonië", "Wallonien"]),
    ("region.brussels", ["Brussels", "Bruxelles", "Brussel", "Brüssel"]),
    ("month.1", ["January", "janvier", "januari", "Januar"]),
    ("month.2", ["February", "février", "februari", "Februar"]),
    ("month.3", ["March", "mars", "maart", "März"]),
    ("month.4", ["April", "avril", "april", "April"]),
    ("month.5", ["May", "mai", "mei", "Mai"]),
    ("month.6", ["June", "juin", "juni", "Juni"]),
    ("month.7", ["July", "juillet", "juli", "Juli"]),
    ("month.8", ["August", "août", "augustus", "August"]),
    ("month.9", ["September", "septembre", "september", "September"]),
    ("month.10", ["October", "octobre", "oktober", "Oktober"]),
    ("month.11", ["November", "novembre", "november", "November"]),
    ("month.12", ["December", "décembre", "december", "Dezember"]),
    ("sim.title", ["Route simulator", "Simulateur d'acheminement", "Routesimulator", "Routing-Simulator"]),
    (
        "sim.intro",
        [
            "Where would a signal go, and why? Uses the stored rules and opening hours; nothing is filed or sent.",
            "Où irait un signalement, et pourquoi ? Utilise les règles et horaires enregistrés ; rien n'est déposé ni envoyé.",
            "Waar zou een melding heen gaan, en waarom? Gebruikt de opgeslagen regels en openingsuren; er wordt niets ingediend of verstuurd.",
            "Wohin ginge eine Meldung, und warum? Verwendet die gespeicherten Regeln und Öffnungszeiten; nichts wird eingereicht oder gesendet.",
        ],
    ),
    (
        "sim.postcode",
        [
            "Postcode of the relay point",
            "Code postal du point relais",
            "Postcode van het relaispunt",
            "Postleitzahl der Anlaufstelle",
        ],
    ),
    ("sim.language", ["Callback language", "Langue du rappel", "Taal van het terugbellen", "Sprache des Rückrufs"]),
    ("sim.urgency", ["Urgency", "Urgence", "Dringendheid", "Dringlichkeit"]),
    (
        "sim.at",
        [
            "Date and time (Brussels)",
            "Date et heure (Bruxelles)",
            "Datum en tijd (Brussel)",
            "Datum und Uhrzeit (Brüssel)",
        ],
    ),
    ("sim.at_hint", ["Empty: now.", "Vide : maintenant.", "Leeg: nu.", "Leer: jetzt."]),
    ("sim.run", ["Simulate", "Simuler", "Simuleren", "Simulieren"]),
    ("sim.result", ["Result", "Résultat", "Resultaat", "Ergebnis"]),
    ("sim.when", ["Moment", "Moment", "Moment", "Zeitpunkt"]),
    ("sim.region", ["Region", "Région", "Gewest", "Region"]),
    ("sim.destination", ["Destination", "Destination", "Bestemming", "Ziel"]),
    ("sim.no_destination", ["none", "aucune", "geen", "keines"]),
    ("sim.why", ["Why", "Pourquoi", "Waarom", "Warum"]),
    (
        "sim.candidates",
        [
            "Candidates, in the order they are tried",
            "Candidats, dans l'ordre où ils sont essayés",
            "Kandidaten, in de volgorde waarin ze geprobeerd worden",
            "Kandidaten in der Reihenfolge, in der sie versucht werden",
        ],
    ),
    ("sim.candidates.none", ["No candidate.", "Aucun candidat.", "Geen kandidaat.", "Kein Kandidat."]),
    ("sim.col.order", ["Order", "Ordre", "Volgorde", "Reihenfolge"]),
    ("sim.col.helpline", ["Helpline", "Ligne d'écoute", "Hulplijn", "Hilfetelefon"]),
    ("sim.col.speaks", ["Speaks the language", "Parle la langue", "Spreekt de taal", "Spricht die Sprache"]),
    ("sim.col.state", ["At that moment", "À ce moment", "Op dat moment", "Zu diesem Zeitpunkt"]),
    ("sim.chosen", ["chosen", "choisie", "gekozen", "gewählt"]),
    (
        "sim.rules",
        [
            "Matching rules, in the order they are tried",
            "Règles correspondantes, dans l'ordre où elles sont essayées",
            "Overeenkomende regels, in de volgorde waarin ze geprobeerd worden",
            "Passende Regeln in der Reihenfolge, in der sie versucht werden",
        ],
    ),
    (
        "sim.rules.none",
        [
            "No rule matches this origin.",
            "Aucune règle ne correspond à cette origine.",
            "Geen regel past bij deze herkomst.",
            "Keine Regel passt zu dieser Herkunft.",
        ],
    ),
    ("sim.rule.any", ["any origin", "toute origine", "elke herkomst", "jede Herkunft"]),
    ("sim.rule.priority", ["Priority", "Priorité", "Prioriteit", "Priorität"]),
    (
        "sim.reason.rule",
        [
            "This rule matched and its helpline takes the signal:",
            "Cette règle correspond et sa ligne prend le signalement :",
            "Deze regel past en zijn hulplijn neemt de melding:",
            "Diese Regel passt und ihr Hilfetelefon übernimmt die Meldung:",
        ],
    ),
    (
        "sim.reason.closed",
        [
            "A rule matched, but its helpline was closed: the signal goes to the next open candidate.",
            "Une règle correspond, mais sa ligne était fermée : le signalement va au candidat ouvert suivant.",
            "Er paste een regel, maar zijn hulplijn was gesloten: de melding gaat naar de volgende open kandidaat.",
            "Eine Regel passte, aber ihr Hilfetelefon war geschlossen: Die Meldung geht an den nächsten offenen Kandidaten.",
        ],
    ),
    (
        "sim.reason.no_rule",
        [
            "No rule names an active helpline for this origin: the signal goes to a helpline without a rule, and managers and admins are told.",
            "Aucune règle ne désigne une ligne active pour cette origine : le signalement va à une ligne sans règle, et les gestionnaires et administrateurs sont prévenus.",
            "Geen regel wijst een actieve hulplijn aan voor deze herkomst: de melding gaat naar een hulplijn zonder regel, en beheerders worden verwittigd.",
            "Keine Regel nennt ein aktives Hilfetelefon für diese Herkunft: Die Meldung geht an ein Hilfetelefon ohne Regel, und Verwaltung und Administratoren werden benachrichtigt.",
        ],
    ),
    (
        "sim.reason.none",
        [
            "No helpline is active: intake would refuse the signal and tell the relay whom to call.",
            "Aucune ligne n'est active : le dépôt serait refusé et le relais saurait qui appeler.",
            "Geen hulplijn is actief: de melding zou geweigerd worden en het relais hoort wie te bellen.",
            "Kein Hilfetelefon ist aktiv: Die Meldung würde abgelehnt und der Anlaufstelle gesagt, wen sie anrufen soll.",
        ],
    ),
    ("sim.open", ["open", "ouverte", "open", "geöffnet"]),
    (
        "sim.closed.hours",
        [
            "closed: outside its weekly hours",
            "fermée : hors de ses heures hebdomadaires",
            "gesloten: buiten de weekuren",
            "geschlossen: außerhalb der Wochenzeiten",
        ],
    ),
    (
        "sim.closed.exception",
        [
            "closed: dated exception on",
            "fermée : exception datée le",
            "gesloten: uitzondering op",
            "geschlossen: Ausnahme am",
        ],
    ),
    (
        "sim.closed.holiday",
        ["closed: public holiday on", "fermée : jour férié le", "gesloten: feestdag op", "geschlossen: Feiertag am"],
    ),
    ("sim.callback.none", ["not known", "inconnu", "niet gekend", "nicht bekannt"]),
    (
        "sim.told",
        [
            "What the relay would be told",
            "Ce que le relais apprendrait",
            "Wat het relais te horen krijgt",
            "Was der Anlaufstelle gesagt würde",
        ],
    ),
    ("sim.told.helpline", ["Helpline", "Ligne d'écoute", "Hulplijn", "Hilfetelefon"]),
    ("sim.told.open_now", ["Open now", "Ouverte maintenant", "Nu open", "Jetzt geöffnet"]),
    (
        "sim.told.callback",
        ["Callback expected from", "Rappel attendu à partir de", "Terugbellen verwacht vanaf", "Rückruf erwartet ab"],
    ),
    ("sim.told.guidance", ["Guidance", "Consignes", "Richtlijnen", "Hinweise"]),
    ("sim.told.referrals", ["Referrals", "Orientations", "Doorverwijzingen", "Weitervermittlungen"]),
    ("sim.told.no_referrals", ["none", "aucune", "geen", "keine"]),
    (
        "sim.told.nothing",
        [
            "Nothing: the signal would be refused.",
            "Rien : le signalement serait refusé.",
            "Niets: de melding zou geweigerd worden.",
            "Nichts: Die Meldung würde abgelehnt.",
        ],
    ),
    (
        "sim.err.postcode",
        [
            "Enter a Belgian postcode of four digits (1000 to 9999).",
            "Saisissez un code postal belge de quatre chiffres (1000 à 9999).",
            "Geef een Belgische postcode van vier cijfers (1000 tot 9999).",
            "Geben Sie eine belgische Postleitzahl mit vier Ziffern ein (1000 bis 9999).",
        ],
    ),
    (
        "sim.err.language",
        [
            "Choose a language from the list.",
            "Choisissez une langue dans la liste.",
            "Kies een taal uit de lijst.",
            "Wählen Sie eine Sprache aus der Liste.",
        ],
    ),
    (
        "sim.err.urgency",
        [
            "Choose an urgency from the list.",
            "Choisissez une urgence dans la liste.",
            "Kies een dringendheid uit de lijst.",
            "Wählen Sie eine Dringlichkeit aus der Liste.",
        ],
    ),
    (
        "sim.err.at",
        [
            "Enter a date and time, or leave it empty for now.",
            "Saisissez une date et une heure, ou laissez vide pour maintenant.",
            "Geef een datum en tijd, of laat leeg voor nu.",
            "Geben Sie Datum und Uhrzeit ein oder lassen Sie das Feld für jetzt leer.",
        ],
    ),
    (
        "hl.title",
        [
            "Helplines and local services",
            "Lignes d'écoute et services locaux",
            "Hulplijnen en lokale diensten",
            "Hilfetelefone und lokale Dienste",
        ],
    ),
    (
        "hl.intro",
        [
            "Choose one to change its languages, delivery channels, hours and closures.",
            "Choisissez-en une pour modifier ses langues, canaux, horaires et fermetures.",
            "Kies er een om de talen, kanalen, uren en sluitingen te wijzigen.",
            "Wählen Sie einen Eintrag, um Sprachen, Kanäle, Zeiten und Schließungen zu ändern.",
        ],
    ),
    ("hl.one_title", ["Helpline", "Ligne d'écoute", "Hulplijn", "Hilfetelefon"]),
    ("hl.back", ["All helplines", "Toutes les lignes", "Alle hulplijnen", "Alle Hilfetelefone"]),
    ("hl.col.name", ["Name", "Nom", "Naam", "Name"]),
    ("hl.col.code", ["Code", "Code", "Code", "Code"]),
    ("hl.col.phone", ["Public number", "Numéro public", "Publiek nummer", "Öffentliche Nummer"]),
    ("hl.col.kind", ["Kind", "Type", "Soort", "Art"]),
    ("hl.col.languages", ["Languages", "Langues", "Talen", "Sprachen"]),
    ("hl.col.channels", ["Channels", "Canaux", "Kanalen", "Kanäle"]),
    ("hl.col.active", ["Active", "Active", "Actief", "Aktiv"]),
    ("hl.col.day", ["Day", "Jour", "Dag", "Tag"]),
    ("hl.col.from", ["From", "De", "Van", "Von"]),
    ("hl.col.to", ["To", "À", "Tot", "Bis"]),
    ("hl.col.action", ["Action", "Action", "Actie", "Aktion"]),
    ("hl.col.date", ["Date", "Date", "Datum", "Datum"]),
    ("hl.col.hours", ["Hours", "Heures", "Uren", "Zeiten"]),
    ("hl.kind.helpline", ["Helpline", "Ligne d'écoute", "Hulplijn", "Hilfetelefon"]),
    ("hl.kind.local_service", ["Local service", "Service local", "Lokale dienst", "Lokaler Dienst"]),
    ("hl.channel.email", ["e-mail", "e-mail", "e-mail", "E-Mail"]),
    ("hl.channel.webhook", ["webhook", "webhook", "webhook", "Webhook"]),
    ("hl.channel.none", ["none", "aucun", "geen", "keiner"]),
    ("hl.sections", ["Sections", "Sections", "Onderdelen", "Abschnitte"]),
    ("hl.languages", ["Languages", "Langues", "Talen", "Sprachen"]),
    (
        "hl.languages.legend",
        [
            "Languages it calls back in",
            "Langues dans lesquelles elle rappelle",
            "Talen waarin ze terugbelt",
            "Sprachen, in denen zurückgerufen wird",
        ],
    ),
    ("hl.channels", ["Delivery channels", "Canaux de transmission", "Bezorgkanalen", "Zustellkanäle"]),
    (
        "hl.channels.hint",
        [
            "A change is audited and e-mailed to the helpline's supervisors; deliveries of earlier signals wait until a supervisor confirms it.",
            "Un changement est journalisé et envoyé par e-mail aux superviseurs ; les transmissions des signalements antérieurs attendent qu'un superviseur le confirme.",
            "Een wijziging wordt gelogd en naar de supervisors gemaild; bezorgingen van eerdere meldingen wachten tot een supervisor ze bevestigt.",
            "Eine Änderung wird protokolliert und den Supervisoren gemailt; Zustellungen früherer Meldungen warten, bis ein Supervisor sie bestätigt.",
        ],
    ),
    (
        "hl.channels.held",
        [
            "Channels changed: deliveries of earlier signals are held until a supervisor confirms them.",
            "Canaux modifiés : les transmissions des signalements antérieurs sont retenues jusqu'à confirmation par un superviseur.",
            "Kanalen gewijzigd: bezorgingen van eerdere meldingen worden vastgehouden tot een supervisor ze bevestigt.",
            "Kanäle geändert: Zustellungen früherer Meldungen werden zurückgehalten, bis ein Supervisor sie bestätigt.",
        ],
    ),
    (
        "hl.intake_email",
        [
            "Intake e-mail address (empty: none)",
            "Adresse e-mail de réception (vide : aucune)",
            "E-mailadres voor meldingen (leeg: geen)",
            "E-Mail-Adresse für Meldungen (leer: keine)",
        ],
    ),
    (
        "hl.webhook_url",
        [
            "Webhook URL (empty: none)",
            "URL du webhook (vide : aucun)",
            "Webhook-URL (leeg: geen)",
            "Webhook-URL (leer: keiner)",
        ],
    ),
    (
        "hl.webhook_secret",
        [
            "New webhook secret (32 characters or more)",
            "Nouveau secret du webhook (32 caractères ou plus)",
            "Nieuw webhookgeheim (32 tekens of meer)",
            "Neues Webhook-Geheimnis (32 Zeichen oder mehr)",
        ],
    ),
    (
        "hl.secret_set",
        [
            "A secret is set (never shown). Leave empty to keep it.",
            "Un secret est défini (jamais affiché). Laissez vide pour le garder.",
            "Er is een geheim ingesteld (nooit getoond). Laat leeg om het te behouden.",
            "Ein Geheimnis ist gesetzt (nie angezeigt). Leer lassen, um es zu behalten.",
        ],
    ),
    (
        "hl.secret_unset",
        [
            "No secret yet: a webhook needs one.",
            "Pas encore de secret : un webhook en a besoin.",
            "Nog geen geheim: een webhook heeft er een nodig.",
            "Noch kein Geheimnis: Ein Webhook braucht eines.",
        ],
    ),
    ("hl.save", ["Save", "Enregistrer", "Opslaan", "Speichern"]),
    ("hl.save_channels", ["Save the channels", "Enregistrer les canaux", "Kanalen opslaan", "Kanäle speichern"]),
    (
        "hl.test.hint",
        [
            "Sends a signed test message to the webhook: no signal, no contact, marked as a test.",
            "Envoie un message de test signé au webhook : aucun signalement, aucun contact, marqué comme test.",
            "Stuurt een ondertekend testbericht naar de webhook: geen melding, geen contact, gemarkeerd als test.",
            "Sendet eine signierte Testnachricht an den Webhook: keine Meldung, kein Kontakt, als Test markiert.",
        ],
    ),
    (
        "hl.test.send",
        [
            "Send a test delivery",
            "Envoyer une transmission de test",
            "Testbezorging versturen",
            "Testzustellung senden",
        ],
    ),
    (
        "hl.test.delivered",
        [
            "The receiver accepted the test delivery.",
            "Le destinataire a accepté la transmission de test.",
            "De ontvanger heeft de testbezorging aanvaard.",
            "Der Empfänger hat die Testzustellung angenommen.",
        ],
    ),
    (
        "hl.test.failed",
        [
            "The receiver did not accept the test delivery.",
            "Le destinataire n'a pas accepté la transmission de test.",
            "De ontvanger heeft de testbezorging niet aanvaard.",
            "Der Empfänger hat die Testzustellung nicht angenommen.",
        ],
    ),
    ("hl.test.status", ["HTTP status", "Statut HTTP", "HTTP-status", "HTTP-Status"]),
    ("hl.test.error", ["Error", "Erreur", "Fout", "Fehler"]),
    (
        "hl.test.answer",
        ["Receiver's answer", "Réponse du destinataire", "Antwoord van de ontvanger", "Antwort des Empfängers"],
    ),
    ("hl.test.empty", ["(empty)", "(vide)", "(leeg)", "(leer)"]),
    ("hl.test.no_answer", ["no answer", "pas de réponse", "geen antwoord", "keine Antwort"]),
    ("hl.hours", ["Weekly hours", "Heures hebdomadaires", "Weekuren", "Wochenzeiten"]),
    (
        "hl.hours.none",
        [
            "No weekly hours: closed except on dated exceptions.",
            "Aucune heure hebdomadaire : fermée sauf exceptions datées.",
            "Geen weekuren: gesloten behalve op uitzonderingsdata.",
            "Keine Wochenzeiten: geschlossen außer an Ausnahmedaten.",
        ],
    ),
    ("hl.remove", ["Remove", "Retirer", "Verwijderen", "Entfernen"]),
    ("hl.add", ["Add", "Ajouter", "Toevoegen", "Hinzufügen"]),
    (
        "hl.slot.add",
        [
            "Add weekly hours (HH:MM; an end before the start runs past midnight)",
            "Ajouter des heures (HH:MM ; une fin avant le début passe minuit)",
            "Uren toevoegen (UU:MM; een einde voor het begin loopt over middernacht)",
            "Zeiten hinzufügen (HH:MM; ein Ende vor dem Beginn läuft über Mitternacht)",
        ],
    ),
    (
        "hl.open_on_holidays",
        [
            "Open on Belgian public holidays (the weekly hours apply)",
            "Ouverte les jours fériés belges (les heures hebdomadaires s'appliquent)",
            "Open op Belgische feestdagen (de weekuren gelden)",
            "An belgischen Feiertagen geöffnet (die Wochenzeiten gelten)",
        ],
    ),
    ("hl.calendar", ["Calendar", "Calendrier", "Kalender", "Kalender"]),
    ("hl.prev_month", ["Previous month", "Mois précédent", "Vorige maand", "Vorheriger Monat"]),
    ("hl.next_month", ["Next month", "Mois suivant", "Volgende maand", "Nächster Monat"]),
    ("hl.public_holiday", ["Public holiday", "Jour férié", "Feestdag", "Feiertag"]),
    ("hl.exception", ["Exception", "Exception", "Uitzondering", "Ausnahme"]),
    ("hl.closed_all_day", ["closed", "fermée", "gesloten", "geschlossen"]),
    ("hl.exceptions", ["Dated exceptions", "Exceptions datées", "Uitzonderingsdata", "Ausnahmedaten"]),
    (
        "hl.exceptions.none",
        ["No dated exception.", "Aucune exception datée.", "Geen uitzonderingsdatum.", "Keine Ausnahmedaten."],
    ),
    (
        "hl.exception.add",
        [
            "Add a dated exception (a closure or other hours)",
            "Ajouter une exception datée (fermeture ou autres heures)",
            "Uitzondering toevoegen (sluiting of andere uren)",
            "Ausnahme hinzufügen (Schließung oder andere Zeiten)",
        ],
    ),
    (
        "hl.exception.closed",
        ["Closed all day", "Fermée toute la journée", "De hele dag gesloten", "Den ganzen Tag geschlossen"],
    ),
    (
        "hl.exception.start",
        ["Or open from (HH:MM)", "Ou ouverte de (HH:MM)", "Of open van (UU:MM)", "Oder geöffnet von (HH:MM)"],
    ),
    ("hl.exception.end", ["until (HH:MM)", "à (HH:MM)", "tot (UU:MM)", "bis (HH:MM)"]),
    ("hl.done.languages", ["Languages saved.", "Langues enregistrées.", "Talen opgeslagen.", "Sprachen gespeichert."]),
    (
        "hl.done.channels",
        [
            "Channels saved. The supervisors are told by e-mail.",
            "Canaux enregistrés. Les superviseurs sont prévenus par e-mail.",
            "Kanalen opgeslagen. De supervisors krijgen een e-mail.",
            "Kanäle gespeichert. Die Supervisoren werden per E-Mail benachrichtigt.",
        ],
    ),
    ("hl.done.hours", ["Hours saved.", "Heures enregistrées.", "Uren opgeslagen.", "Zeiten gespeichert."]),
    (
        "hl.done.exception_added",
        ["Exception added.", "Exception ajoutée.", "Uitzondering toegevoegd.", "Ausnahme hinzugefügt."],
    ),
    (
        "hl.done.exception_removed",
        ["Exception removed.", "Exception retirée.", "Uitzondering verwijderd.", "Ausnahme entfernt."],
    ),
    ("hl.done.unchanged", ["Nothing changed.", "Rien n'a changé.", "Er is niets gewijzigd.", "Nichts geändert."]),
    (
        "hl.err.intake_email",
        [
            "Enter a valid e-mail address, or leave it empty.",
            "Saisissez une adresse e-mail valide, ou laissez vide.",
            "Geef een geldig e-mailadres, of laat leeg.",
            "Geben Sie eine gültige E-Mail-Adresse ein oder lassen Sie das Feld leer.",
        ],
    ),
    (
        "hl.err.webhook_url",
        [
            "Enter an https:// address this server may reach (public addresses only in production).",
            "Saisissez une adresse https:// joignable par ce serveur (adresses publiques uniquement en production).",
            "Geef een https://-adres dat deze server mag bereiken (alleen publieke adressen in productie).",
            "Geben Sie eine https://-Adresse ein, die dieser Server erreichen darf (in Produktion nur öffentliche Adressen).",
        ],
    ),
    (
        "hl.err.webhook_secret",
        [
            "The secret must be 32 to 256 characters.",
            "Le secret doit compter de 32 à 256 caractères.",
            "Het geheim moet 32 tot 256 tekens lang zijn.",
            "Das Geheimnis muss 32 bis 256 Zeichen lang sein.",
        ],
    ),
    (
        "hl.err.secret_needed",
        [
            "A webhook needs a secret: enter one.",
            "Un webhook a besoin d'un secret : saisissez-en un.",
            "Een webhook heeft een geheim nodig: geef er een.",
            "Ein Webhook braucht ein Geheimnis: Geben Sie eines ein.",
        ],
    ),
    (
        "hl.err.languages",
        [
            "Choose at least one language.",
            "Choisissez au moins une langue.",
            "Kies minstens één taal.",
            "Wählen Sie mindestens eine Sprache.",
        ],
    ),
    (
        "hl.err.slot",
        [
            "Choose a day and enter two different times as HH:MM, the start before 24:00.",
            "Choisissez un jour et deux heures différentes en HH:MM, le début avant 24:00.",
            "Kies een dag en twee verschillende tijden als UU:MM, het begin voor 24:00.",
            "Wählen Sie einen Tag und zwei verschiedene Zeiten als HH:MM, den Beginn vor 24:00.",
        ],
    ),
    (
        "hl.err.exception",
        [
            "These exception hours are not valid.",
            "Ces heures d'exception ne sont pas valides.",
            "Deze uitzonderingsuren zijn ongeldig.",
            "Diese Ausnahmezeiten sind ungültig.",
        ],
    ),
    (
        "hl.err.exception_hours",
        [
            "Tick \"closed all day\", or enter two different times as HH:MM.",
            "Cochez « fermée toute la journée », ou saisissez deux heures différentes en HH:MM.",
            "Vink \"de hele dag gesloten\" aan, of geef twee verschillende tijden als UU:MM.",
            "Kreuzen Sie „den ganzen Tag geschlossen“ an oder geben Sie zwei verschiedene Zeiten als HH:MM ein.",
        ],
    ),
    ("hl.err.date", ["Enter a date.", "Saisissez une date.", "Geef een datum.", "Geben Sie ein Datum ein."]),
    (
        "hl.err.date_taken",
        [
            "This date already has an exception: remove it first.",
            "Cette date a déjà une exception : retirez-la d'abord.",
            "Deze datum heeft al een uitzondering: verwijder die eerst.",
            "Dieses Datum hat schon eine Ausnahme: Entfernen Sie sie zuerst.",
        ],
    ),
    (
        "hl.err.form",
        [
            "The change was refused.",
            "La modification a été refusée.",
            "De wijziging werd geweigerd.",
            "Die Änderung wurde abgelehnt.",
        ],
    ),
    (
        "hl.err.test",
        [
            "There is no webhook to test, or its address or secret is not usable.",
            "Il n'y a pas de webhook à tester, ou son adresse ou son secret n'est pas utilisable.",
            "Er is geen webhook om te testen, of het adres of geheim is niet bruikbaar.",
            "Es gibt keinen Webhook zum Testen, oder Adresse oder Geheimnis sind nicht verwendbar.",
        ],
    ),
    ("nav.admin_accounts", ["Accounts", "Comptes", "Accounts", "Konten"]),
    ("nav.admin_audit", ["Audit log", "Journal d'audit", "Auditlog", "Audit-Protokoll"]),
    ("role.admin", ["Administrator", "Administrateur", "Beheerder", "Administrator"]),
    (
        "role.programme_manager",
        ["Programme manager", "Gestionnaire de programme", "Programmabeheerder", "Programmverantwortliche"],
    ),
    ("role.relay_staff", ["Relay staff", "Personnel relais", "Relaismedewerker", "Personal der Anlaufstelle"]),
    (
        "role.helpline_operator",
        ["Helpline operator", "Écoutant·e", "Hulplijnmedewerker", "Beratende des Hilfetelefons"],
    ),
    (
        "role.helpline_supervisor",
        ["Helpline supervisor", "Superviseur·e de ligne", "Hulplijnsupervisor", "Supervision des Hilfetelefons"],
    ),
    ("acc.title", ["Accounts", "Comptes", "Accounts", "Konten"]),
    ("acc.one_title", ["Account", "Compte", "Account", "Konto"]),
    ("acc.back", ["All accounts", "Tous les comptes", "Alle accounts", "Alle Konten"]),
    ("acc.email", ["E-mail address", "Adresse e-mail", "E-mailadres", "E-Mail-Adresse"]),
    ("acc.role", ["Role", "Rôle", "Rol", "Rolle"]),
    ("acc.scope", ["Scope", "Périmètre", "Bereik", "Bereich"]),
    ("acc.scope.all", ["everything", "tout", "alles", "alles"]),
    (
        "acc.scope.hint",
        [
            "Helpline staff need a helpline; programme managers a programme; relay staff a relay point. The other fields are ignored.",
            "Le personnel des lignes a besoin d'une ligne ; les gestionnaires d'un programme ; le personnel relais d'un point relais. Les autres champs sont ignorés.",
            "Hulplijnmedewerkers hebben een hulplijn nodig; programmabeheerders een programma; relaismedewerkers een relaispunt. De andere velden worden genegeerd.",
            "Personal eines Hilfetelefons braucht ein Hilfetelefon; Programmverantwortliche ein Programm; Personal der Anlaufstelle eine Anlaufstelle. Die anderen Felder werden ignoriert.",
        ],
    ),
    ("acc.helpline", ["Helpline", "Ligne d'écoute", "Hulplijn", "Hilfetelefon"]),
    ("acc.programme", ["Programme", "Programme", "Programma", "Programm"]),
    ("acc.relay_point", ["Relay point", "Point relais", "Relaispunt", "Anlaufstelle"]),
    (
        "acc.relay_point_id",
        ["Relay point (its id)", "Point relais (son identifiant)", "Relaispunt (de id)", "Anlaufstelle (ihre ID)"],
    ),
    ("acc.state", ["State", "État", "Toestand", "Status"]),
    ("acc.active", ["active", "actif", "actief", "aktiv"]),
    ("acc.deactivated", ["deactivated", "désactivé", "gedeactiveerd", "deaktiviert"]),
    ("acc.any", ["any", "tous", "alle", "alle"]),
    ("acc.search", ["E-mail contains", "L'e-mail contient", "E-mail bevat", "E-Mail enthält"]),
    ("acc.filter", ["Filter", "Filtrer", "Filteren", "Filtern"]),
    (
        "acc.none",
        ["No account matches.", "Aucun compte ne correspond.", "Geen account gevonden.", "Kein passendes Konto."],
    ),
    ("acc.more", ["Next page", "Page suivante", "Volgende pagina", "Nächste Seite"]),
    ("acc.two_factor", ["Second factor", "Second facteur", "Tweede factor", "Zweiter Faktor"]),
    ("acc.created", ["Created", "Créé", "Aangemaakt", "Erstellt"]),
    ("acc.language", ["Language", "Langue", "Taal", "Sprache"]),
    ("acc.invite", ["Invite an account", "Inviter un compte", "Account uitnodigen", "Konto einladen"]),
    (
        "acc.invite.hint",
        [
            "The person gets an e-mail with a link to choose their password; nobody else learns it.",
            "La personne reçoit un e-mail avec un lien pour choisir son mot de passe ; personne d'autre ne le connaît.",
            "De persoon krijgt een e-mail met een link om een wachtwoord te kiezen; niemand anders kent het.",
            "Die Person erhält eine E-Mail mit einem Link, um ihr Passwort zu wählen; niemand sonst erfährt es.",
        ],
    ),
    ("acc.invite.send", ["Send the invitation", "Envoyer l'invitation", "Uitnodiging versturen", "Einladung senden"]),
    (
        "acc.own",
        [
            "This is your own account: another admin changes its role or deactivates it.",
            "C'est votre propre compte : un autre administrateur modifie son rôle ou le désactive.",
            "Dit is uw eigen account: een andere beheerder wijzigt de rol of deactiveert het.",
            "Das ist Ihr eigenes Konto: Eine andere Administration ändert die Rolle oder deaktiviert es.",
        ],
    ),
    ("acc.change_role", ["Role and scope", "Rôle et périmètre", "Rol en bereik", "Rolle und Bereich"]),
    ("acc.change_role.save", ["Change the role", "Modifier le rôle", "Rol wijzigen", "Rolle ändern"]),
    ("acc.access", ["Access", "Accès", "Toegang", "Zugang"]),
    ("acc.deactivate", ["Deactivate", "Désactiver", "Deactiveren", "Deaktivieren"]),
    (
        "acc.deactivate.hint",
        [
            "The account can no longer sign in; its console and app sessions end at once.",
            "Le compte ne peut plus se connecter ; ses sessions console et application prennent fin aussitôt.",
            "Het account kan niet meer aanmelden; de console- en appsessies eindigen meteen.",
            "Das Konto kann sich nicht mehr anmelden; seine Konsolen- und App-Sitzungen enden sofort.",
        ],
    ),
    ("acc.reactivate", ["Reactivate", "Réactiver", "Heractiveren", "Reaktivieren"]),
    (
        "acc.reactivate.hint",
        [
            "The person signs in again with the password they had.",
            "La personne se reconnecte avec son mot de passe d'avant.",
            "De persoon meldt zich opnieuw aan met het vorige wachtwoord.",
            "Die Person meldet sich mit ihrem bisherigen Passwort wieder an.",
        ],
    ),
    (
        "acc.second_factor.reset",
        [
            "Reset the second factor",
            "Réinitialiser le second facteur",
            "Tweede factor resetten",
            "Zweiten Faktor zurücksetzen",
        ],
    ),
    (
        "acc.second_factor.hint",
        [
            "For a lost phone: the person enrols a new one at the next sign-in; their sessions end and they are told by e-mail.",
            "Pour un téléphone perdu : la personne en active un nouveau à la prochaine connexion ; ses sessions prennent fin et elle est prévenue par e-mail.",
            "Bij een verloren telefoon: de persoon stelt een nieuwe in bij de volgende aanmelding; de sessies eindigen en de persoon krijgt een e-mail.",
            "Bei verlorenem Telefon: Die Person richtet bei der nächsten Anmeldung einen neuen ein; ihre Sitzungen enden und sie wird per E-Mail informiert.",
        ],
    ),
    (
        "acc.reinvite",
        [
            "Send the invitation again",
            "Renvoyer l'invitation",
            "Uitnodiging opnieuw versturen",
            "Einladung erneut senden",
        ],
    ),
    (
        "acc.reinvite.hint",
        [
            "A new link to choose a password; the previous link stops working.",
            "Un nouveau lien pour choisir un mot de passe ; le précédent ne fonctionne plus.",
            "Een nieuwe link om een wachtwoord te kiezen; de vorige werkt niet meer.",
            "Ein neuer Link zur Passwortwahl; der vorige funktioniert nicht mehr.",
        ],
    ),
    ("acc.done.invited", ["Invitation sent.", "Invitation envoyée.", "Uitnodiging verstuurd.", "Einladung gesendet."]),
    (
        "acc.done.invited_no_mail",
        [
            "Account saved, but the e-mail could not be sent: send the invitation again.",
            "Compte enregistré, mais l'e-mail n'a pas pu partir : renvoyez l'invitation.",
            "Account opgeslagen, maar de e-mail kon niet vertrekken: verstuur de uitnodiging opnieuw.",
            "Konto gespeichert, aber die E-Mail konnte nicht gesendet werden: Senden Sie die Einladung erneut.",
        ],
    ),
    (
        "acc.done.role",
        [
            "Role changed. The person's sessions have ended.",
            "Rôle modifié. Les sessions de la personne ont pris fin.",
            "Rol gewijzigd. De sessies van de persoon zijn beëindigd.",
            "Rolle geändert. Die Sitzungen der Person wurden beendet.",
        ],
    ),
    (
        "acc.done.deactivated",
        [
            "Account deactivated. Its sessions have ended.",
            "Compte désactivé. Ses sessions ont pris fin.",
            "Account gedeactiveerd. De sessies zijn beëindigd.",
            "Konto deaktiviert. Seine Sitzungen wurden beendet.",
        ],
    ),
    (
        "acc.done.reactivated",
        ["Account reactivated.", "Compte réactivé.", "Account opnieuw geactiveerd.", "Konto reaktiviert."],
    ),
    (
        "acc.done.second_factor",
        [
            "Second factor reset. The person enrols again at the next sign-in.",
            "Second facteur réinitialisé. La personne en active un à la prochaine connexion.",
            "Tweede factor gereset. De persoon stelt er opnieuw een in bij de volgende aanmelding.",
            "Zweiter Faktor zurückgesetzt. Die Person richtet ihn bei der nächsten Anmeldung neu ein.",
        ],
    ),
    (
        "acc.err.email",
        [
            "Enter a valid e-mail address.",
            "Saisissez une adresse e-mail valide.",
            "Geef een geldig e-mailadres.",
            "Geben Sie eine gültige E-Mail-Adresse ein.",
        ],
    ),
    (
        "acc.err.taken",
        [
            "An account with this e-mail address exists already.",
            "Un compte avec cette adresse existe déjà.",
            "Er bestaat al een account met dit e-mailadres.",
            "Ein Konto mit dieser E-Mail-Adresse besteht bereits.",
        ],
    ),
    (
        "acc.err.role",
        [
            "Choose a role from the list.",
            "Choisissez un rôle dans la liste.",
            "Kies een rol uit de lijst.",
            "Wählen Sie eine Rolle aus der Liste.",
        ],
    ),
    (
        "acc.err.id",
        [
            "This is not a valid id.",
            "Ce n'est pas un identifiant valide.",
            "Dit is geen geldige id.",
            "Das ist keine gültige ID.",
        ],
    ),
    (
        "acc.err.helpline",
        [
            "This role needs a helpline: choose one.",
            "Ce rôle a besoin d'une ligne : choisissez-en une.",
            "Deze rol heeft een hulplijn nodig: kies er een.",
            "Diese Rolle braucht ein Hilfetelefon: Wählen Sie eines.",
        ],
    ),
    (
        "acc.err.programme",
        [
            "This role needs a programme, or the one chosen does not exist.",
            "Ce rôle a besoin d'un programme, ou celui choisi n'existe pas.",
            "Deze rol heeft een programma nodig, of het gekozen programma bestaat niet.",
            "Diese Rolle braucht ein Programm, oder das gewählte existiert nicht.",
        ],
    ),
    (
        "acc.err.relay_point",
        [
            "This role needs the id of an existing relay point.",
            "Ce rôle a besoin de l'identifiant d'un point relais existant.",
            "Deze rol heeft de id van een bestaand relaispunt nodig.",
            "Diese Rolle braucht die ID einer bestehenden Anlaufstelle.",
        ],
    ),
    (
        "acc.err.scope",
        [
            "The scope does not fit this role.",
            "Le périmètre ne convient pas à ce rôle.",
            "Het bereik past niet bij deze rol.",
            "Der Bereich passt nicht zu dieser Rolle.",
        ],
    ),
    (
        "acc.err.own",
        [
            "You cannot do this to your own account.",
            "Vous ne pouvez pas faire cela à votre propre compte.",
            "Dat kunt u niet bij uw eigen account doen.",
            "Das können Sie bei Ihrem eigenen Konto nicht tun.",
        ],
    ),
    ("audit.title", ["Audit log", "Journal d'audit", "Auditlog", "Audit-Protokoll"]),
    (
        "audit.intro",
        [
            "Who did what, when (Brussels time) — never what a contact was. The day filters count in UTC.",
            "Qui a fait quoi, quand (heure de Bruxelles) — jamais le contenu d'un contact. Les filtres de jours comptent en UTC.",
            "Wie deed wat, wanneer (Brusselse tijd) — nooit wat een contact was. De dagfilters tellen in UTC.",
            "Wer hat was wann getan (Brüsseler Zeit) — nie, was ein Kontakt war. Die Tagesfilter zählen in UTC.",
        ],
    ),
    ("audit.actor", ["Who", "Qui", "Wie", "Wer"]),
    ("audit.action", ["Action", "Action", "Actie", "Aktion"]),
    ("audit.from", ["From (day)", "Du (jour)", "Van (dag)", "Von (Tag)"]),
    ("audit.to", ["To (day)", "Au (jour)", "Tot (dag)", "Bis (Tag)"]),
    ("audit.when", ["When", "Quand", "Wanneer", "Wann"]),
    ("audit.reference", ["Signal", "Signalement", "Melding", "Meldung"]),
    ("audit.subject", ["About", "Objet", "Over", "Betrifft"]),
    ("audit.none", ["Nothing matches.", "Rien ne correspond.", "Niets gevonden.", "Nichts gefunden."]),
    (
        "audit.err.actor",
        [
            "Choose someone from the list.",
            "Choisissez une personne dans la liste.",
            "Kies iemand uit de lijst.",
            "Wählen Sie eine Person aus der Liste.",
        ],
    ),
    (
        "audit.err.action",
        [
            "Choose an action from the list.",
            "Choisissez une action dans la liste.",
            "Kies een actie uit de lijst.",
            "Wählen Sie eine Aktion aus der Liste.",
        ],
    ),
    (
        "audit.err.date",
        [
            "Enter a date as YYYY-MM-DD.",
            "Saisissez une date AAAA-MM-JJ.",
            "Geef een datum als JJJJ-MM-DD.",
            "Geben Sie ein Datum als JJJJ-MM-TT ein.",
        ],
    ),
    (
        "audit.err.range",
        [
            "The last day comes before the first.",
            "Le dernier jour précède le premier.",
            "De laatste dag valt voor de eerste.",
            "Der letzte Tag liegt vor dem ersten.",
        ],
    ),
    ("action.contact.revealed", ["contact revealed", "contact affiché", "contact getoond", "Kontakt angezeigt"]),
    (
        "action.signal.claimed",
        ["signal claimed", "signalement pris en charge", "melding opgenomen", "Meldung übernommen"],
    ),
    (
        "action.signal.released",
        ["signal released", "signalement relâché", "melding vrijgegeven", "Meldung freigegeben"],
    ),
    (
        "action.signal.transferred",
        ["signal transferred", "signalement transféré", "melding doorgegeven", "Meldung weitergeleitet"],
    ),
    ("action.signal.closed", ["signal closed", "signalement clôturé", "melding gesloten", "Meldung abgeschlossen"]),
    (
        "action.user.second_factor_reset",
        ["second factor reset", "second facteur réinitialisé", "tweede factor gereset", "zweiter Faktor zurückgesetzt"],
    ),
    (
        "action.user.second_factor_enrolled",
        ["second factor enrolled", "second facteur activé", "tweede factor ingesteld", "zweiter Faktor eingerichtet"],
    ),
    ("action.user.created", ["account created", "compte créé", "account aangemaakt", "Konto erstellt"]),
    ("action.user.invited", ["invitation sent", "invitation envoyée", "uitnodiging verstuurd", "Einladung gesendet"]),
    (
        "action.user.scope_changed",
        [
            "role or scope changed",
            "rôle ou périmètre modifié",
            "rol of bereik gewijzigd",
            "Rolle oder Bereich geändert",
        ],
    ),
    (
        "action.user.deactivated",
        ["account deactivated", "compte désactivé", "account gedeactiveerd", "Konto deaktiviert"],
    ),
    (
        "action.user.reactivated",
        ["account reactivated", "compte réactivé", "account heractiveerd", "Konto reaktiviert"],
    ),
    (
        "action.user.invitation_accepted",
        ["invitation accepted", "invitation acceptée", "uitnodiging aanvaard", "Einladung angenommen"],
    ),
    (
        "action.user.password_reset",
        ["password reset", "mot de passe réinitialisé", "wachtwoord gereset", "Passwort zurückgesetzt"],
    ),
    (
        "action.user.password_changed",
        ["password changed", "mot de passe modifié", "wachtwoord gewijzigd", "Passwort geändert"],
    ),
    ("action.signal.expired", ["signal expired", "signalement expiré", "melding verlopen", "Meldung abgelaufen"]),
    (
        "action.signal.withdrawn",
        ["signal withdrawn", "signalement retiré", "melding ingetrokken", "Meldung zurückgezogen"],
    ),
    (
        "action.helpline.channels_changed",
        [
            "helpline channels changed",
            "canaux de ligne modifiés",
            "kanalen van hulplijn gewijzigd",
            "Kanäle des Hilfetelefons geändert",
        ],
    ),
    (
        "action.helpline.channels_confirmed",
        [
            "helpline channels confirmed",
            "canaux de ligne confirmés",
            "kanalen van hulplijn bevestigd",
            "Kanäle des Hilfetelefons bestätigt",
        ],
    ),
    (
        "action.signal.reassigned",
        ["signal reassigned", "signalement réattribué", "melding toegewezen", "Meldung neu zugewiesen"],
    ),
    (
        "action.delivery.retried",
        ["delivery retried", "transmission relancée", "bezorging opnieuw", "Zustellung wiederholt"],
    ),
    (
        "action.helpline.test_delivery",
        ["test delivery sent", "transmission de test envoyée", "testbezorging verstuurd", "Testzustellung gesendet"],
    ),
    ("nav.admin_referrals", ["Referrals", "Orientations", "Doorverwijzingen", "Weitervermittlung"]),
    (
        "ref.title",
        ["Referral directory", "Répertoire d'orientation", "Doorverwijsgids", "Verzeichnis der Hilfsangebote"],
    ),
    ("ref.one_title", ["Referral entry", "Entrée du répertoire", "Item in de gids", "Eintrag im Verzeichnis"]),
    ("ref.back", ["The whole directory", "Tout le répertoire", "De hele gids", "Das ganze Verzeichnis"]),
    ("ref.gaps", ["Gaps", "Lacunes", "Hiaten", "Lücken"]),
    (
        "ref.gaps.hint",
        [
            "Regions and languages with no active shelter, legal aid or sexual-assault centre entry: relays there have nothing of that kind to hand over.",
            "Régions et langues sans refuge, aide juridique ou centre de prise en charge des violences sexuelles actif : les relais n'ont rien de ce type à proposer.",
            "Gewesten en talen zonder actieve opvang, juridische hulp of zorgcentrum na seksueel geweld: relais daar hebben niets van die soort om mee te geven.",
            "Regionen und Sprachen ohne aktiven Eintrag für Schutzunterkunft, Rechtshilfe oder Zentrum für Opfer sexueller Gewalt: Anlaufstellen dort haben nichts dieser Art weiterzugeben.",
        ],
    ),
    (
        "ref.gaps.none",
        [
            "No gaps: every region has each of them in every language.",
            "Aucune lacune : chaque région les a tous dans chaque langue.",
            "Geen hiaten: elk gewest heeft ze allemaal in elke taal.",
            "Keine Lücken: Jede Region hat alle in jeder Sprache.",
        ],
    ),
    ("ref.language", ["Language", "Langue", "Taal", "Sprache"]),
    ("ref.missing", ["Missing", "Manquant", "Ontbreekt", "Fehlt"]),
    ("ref.entries", ["Entries", "Entrées", "Items", "Einträge"]),
    (
        "ref.none",
        ["The directory is empty.", "Le répertoire est vide.", "De gids is leeg.", "Das Verzeichnis ist leer."],
    ),
    ("ref.add", ["Add an entry", "Ajouter une entrée", "Item toevoegen", "Eintrag hinzufügen"]),
    ("ref.kind", ["Kind of help", "Type d'aide", "Soort hulp", "Art der Hilfe"]),
    ("ref.name", ["Name", "Nom", "Naam", "Name"]),
    ("ref.regions", ["Regions served", "Régions desservies", "Bediende gewesten", "Versorgte Regionen"]),
    ("ref.languages", ["Languages spoken", "Langues parlées", "Gesproken talen", "Gesprochene Sprachen"]),
    ("ref.phone", ["Phone number", "Numéro de téléphone", "Telefoonnummer", "Telefonnummer"]),
    ("ref.website", ["Website (https://…)", "Site web (https://…)", "Website (https://…)", "Website (https://…)"]),
    (
        "ref.opening_hours",
        [
            "Opening hours (free text, e.g. 24/7)",
            "Heures d'ouverture (texte libre, p. ex. 24h/24)",
            "Openingsuren (vrije tekst, bv. 24/7)",
            "Öffnungszeiten (freier Text, z. B. 24/7)",
        ],
    ),
    (
        "ref.active",
        [
            "Active: relays are given it",
            "Active : les relais la reçoivent",
            "Actief: relais krijgen het",
            "Aktiv: Anlaufstellen erhalten es",
        ],
    ),
    ("ref.contact", ["Contact", "Contact", "Contact", "Kontakt"]),
    ("ref.retired", ["retired", "retirée", "ingetrokken", "zurückgezogen"]),
    ("ref.retire", ["Retire", "Retirer", "Intrekken", "Zurückziehen"]),
    (
        "ref.retire.hint",
        [
            "Relays no longer get it; it stays here and can be made active again.",
            "Les relais ne la reçoivent plus ; elle reste ici et peut être réactivée.",
            "Relais krijgen het niet meer; het blijft hier en kan opnieuw actief worden.",
            "Anlaufstellen erhalten es nicht mehr; es bleibt hier und kann wieder aktiviert werden.",
        ],
    ),
    ("ref.done.added", ["Entry added.", "Entrée ajoutée.", "Item toegevoegd.", "Eintrag hinzugefügt."]),
    ("ref.done.saved", ["Entry saved.", "Entrée enregistrée.", "Item opgeslagen.", "Eintrag gespeichert."]),
    ("ref.done.retired", ["Entry retired.", "Entrée retirée.", "Item ingetrokken.", "Eintrag zurückgezogen."]),
    (
        "ref.err.kind",
        [
            "Choose a kind of help from the list.",
            "Choisissez un type d'aide dans la liste.",
            "Kies een soort hulp uit de lijst.",
            "Wählen Sie eine Art der Hilfe aus der Liste.",
        ],
    ),
    (
        "ref.err.name",
        [
            "Enter a name of 1 to 160 characters.",
            "Saisissez un nom de 1 à 160 caractères.",
            "Geef een naam van 1 tot 160 tekens.",
            "Geben Sie einen Namen mit 1 bis 160 Zeichen ein.",
        ],
    ),
    (
        "ref.err.regions",
        [
            "Tick at least one region.",
            "Cochez au moins une région.",
            "Vink minstens één gewest aan.",
            "Kreuzen Sie mindestens eine Region an.",
        ],
    ),
    (
        "ref.err.languages",
        [
            "Tick at least one language.",
            "Cochez au moins une langue.",
            "Vink minstens één taal aan.",
            "Kreuzen Sie mindestens eine Sprache an.",
        ],
    ),
    (
        "ref.err.phone",
        [
            "Give a phone number (at most 120 characters) or a website.",
            "Indiquez un numéro (120 caractères au plus) ou un site web.",
            "Geef een telefoonnummer (hoogstens 120 tekens) of een website.",
            "Geben Sie eine Telefonnummer (höchstens 120 Zeichen) oder eine Website an.",
        ],
    ),
    (
        "ref.err.website",
        [
            "Enter an http(s):// address of at most 300 characters.",
            "Saisissez une adresse http(s):// de 300 caractères au plus.",
            "Geef een http(s)://-adres van hoogstens 300 tekens.",
            "Geben Sie eine http(s)://-Adresse mit höchstens 300 Zeichen ein.",
        ],
    ),
    (
        "ref.err.opening_hours",
        ["At most 120 characters.", "120 caractères au plus.", "Hoogstens 120 tekens.", "Höchstens 120 Zeichen."],
    ),
    ("ref.kind.emergency", ["Emergency", "Urgence", "Noodhulp", "Notfall"]),
    ("ref.kind.helpline", ["Helpline", "Ligne d'écoute", "Hulplijn", "Hilfetelefon"]),
    ("ref.kind.shelter", ["Shelter", "Refuge", "Opvang", "Schutzunterkunft"]),
    ("ref.kind.caw_cpas", ["CAW / CPAS", "CPAS / CAW", "CAW / OCMW", "ÖSHZ / CAW"]),
    (
        "ref.kind.police_victim_support",
        [
            "Police victim support",
            "Assistance policière aux victimes",
            "Politionele slachtofferbejegening",
            "Polizeiliche Opferhilfe",
        ],
    ),
    (
        "ref.kind.sexual_assault_centre",
        [
            "Sexual assault care centre",
            "Centre de prise en charge des violences sexuelles",
            "Zorgcentrum na seksueel geweld",
            "Zentrum für Opfer sexueller Gewalt",
        ],
    ),
    ("ref.kind.legal_aid", ["Legal aid", "Aide juridique", "Juridische hulp", "Rechtshilfe"]),
    ("ref.kind.other", ["Other", "Autre", "Andere", "Sonstige"]),
    // --- end of the admin pages ---
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
    // --- the impact figures (console/impact.rs) ---
    ("nav.impact", ["Impact", "Impact", "Impact", "Wirkung"]),
    ("impact.title", ["Impact figures", "Chiffres d'impact", "Impactcijfers", "Wirkungskennzahlen"]),
    (
        "impact.report.title",
        [
            "Quarterly impact report",
            "Rapport d'impact trimestriel",
            "Driemaandelijks impactrapport",
            "Vierteljährlicher Wirkungsbericht",
        ],
    ),
    ("impact.filters", ["Filters", "Filtres", "Filters", "Filter"]),
    ("impact.filter.programme", ["Programme", "Programme", "Programma", "Programm"]),
    ("impact.filter.from", ["From (month)", "De (mois)", "Van (maand)", "Von (Monat)"]),
    ("impact.filter.to", ["To (month)", "À (mois)", "Tot (maand)", "Bis (Monat)"]),
    ("impact.filter.region", ["Region", "Région", "Gewest", "Region"]),
    ("impact.all_regions", ["All regions", "Toutes les régions", "Alle gewesten", "Alle Regionen"]),
    ("cover.trained", ["Trained", "Formé", "Opgeleid", "Geschult"]),
    (
        "cover.expiring",
        ["Training expiring", "Formation bientôt échue", "Opleiding verloopt binnenkort", "Schulung läuft bald ab"],
    ),
    ("cover.lapsed", ["Training lapsed", "Formation échue", "Opleiding verlopen", "Schulung abgelaufen"]),
    ("cover.untrained", ["Not trained", "Non formé", "Niet opgeleid", "Nicht geschult"]),
    (
        "outcome.withdrawn",
        [
            "Withdrawn by the relay point",
            "Retiré par le point relais",
            "Ingetrokken door het relaispunt",
            "Von der Relaisstelle zurückgezogen",
        ],
    ),
    (
        "impact.final_until",
        [
            "Signal figures are shown for final months only, up to",
            "Les chiffres des signalements ne portent que sur des mois clôturés, jusqu'à",
            "Meldingscijfers worden alleen getoond voor afgesloten maanden, tot en met",
            "Meldungszahlen werden nur für abgeschlossene Monate gezeigt, bis einschließlich",
        ],
    ),
    (
        "impact.suppression",
        [
            "Counts from 1 to 4 are shown as \"<5\", and where one hidden count could be worked out from the others a second one is hidden too.",
            "Les effectifs de 1 à 4 sont affichés « <5 » ; lorsqu'un effectif masqué pourrait se déduire des autres, un second est masqué aussi.",
            "Aantallen van 1 tot 4 worden getoond als \"<5\"; waar één verborgen aantal uit de andere af te leiden is, wordt er nog een verborgen.",
            "Anzahlen von 1 bis 4 werden als „<5“ gezeigt; wo eine verborgene Zahl aus den anderen errechenbar wäre, wird eine zweite verborgen.",
        ],
    ),
    (
        "impact.region_note",
        [
            "The region narrows coverage only. Signal figures always cover the whole programme (broken down by region in their own chart): narrowing them to one region would let hidden small counts be worked out.",
            "La région ne restreint que la couverture. Les chiffres des signalements portent toujours sur tout le programme (ventilés par région dans leur propre graphique) : les restreindre à une région permettrait de déduire de petits effectifs masqués.",
            "Het gewest beperkt alleen de dekking. Meldingscijfers gelden altijd voor het hele programma (per gewest in een eigen grafiek): ze tot één gewest beperken zou verborgen kleine aantallen afleidbaar maken.",
            "Die Region schränkt nur die Abdeckung ein. Meldungszahlen gelten immer für das ganze Programm (nach Region in einem eigenen Diagramm): sie auf eine Region einzuschränken, würde verborgene kleine Zahlen errechenbar machen.",
        ],
    ),
    (
        "impact.reports",
        [
            "Printable quarterly reports:",
            "Rapports trimestriels imprimables :",
            "Afdrukbare kwartaalrapporten:",
            "Druckbare Quartalsberichte:",
        ],
    ),
    ("impact.sections", ["Figures", "Graphiques", "Grafieken", "Diagramme"]),
    ("impact.legend", ["Legend", "Légende", "Legenda", "Legende"]),
    (
        "impact.hidden_key",
        [
            "Fewer than 5 (\"<5\", not shown)",
            "Moins de 5 (« <5 », non affiché)",
            "Minder dan 5 (\"<5\", niet getoond)",
            "Weniger als 5 („<5“, nicht gezeigt)",
        ],
    ),
    (
        "impact.no_data",
        [
            "No figures for this period.",
            "Aucun chiffre pour cette période.",
            "Geen cijfers voor deze periode.",
            "Keine Zahlen für diesen Zeitraum.",
        ],
    ),
    ("impact.not_shown", ["not shown", "non affiché", "niet getoond", "nicht gezeigt"]),
    (
        "impact.download",
        ["Download the figures", "Télécharger les chiffres", "De cijfers downloaden", "Zahlen herunterladen"],
    ),
    (
        "impact.bad_filters",
        [
            "The filters are not valid: months are YYYY-MM (the first not after the last, at most 120 months), quarters YYYY-Q1 to YYYY-Q4.",
            "Les filtres ne sont pas valides : mois au format AAAA-MM (le premier pas après le dernier, 120 mois au plus), trimestres AAAA-Q1 à AAAA-Q4.",
            "De filters zijn ongeldig: maanden als JJJJ-MM (de eerste niet na de laatste, hoogstens 120 maanden), kwartalen JJJJ-Q1 tot JJJJ-Q4.",
            "Die Filter sind ungültig: Monate als JJJJ-MM (der erste nicht nach dem letzten, höchstens 120 Monate), Quartale JJJJ-Q1 bis JJJJ-Q4.",
        ],
    ),
    (
        "impact.fig.coverage",
        ["Coverage over time", "Couverture dans le temps", "Dekking door de tijd", "Abdeckung im Zeitverlauf"],
    ),
    (
        "impact.fig.region",
        [
            "Signals per month by region",
            "Signalements par mois et par région",
            "Meldingen per maand per gewest",
            "Meldungen pro Monat nach Region",
        ],
    ),
    (
        "impact.fig.urgency",
        [
            "Signals per month by urgency",
            "Signalements par mois et par urgence",
            "Meldingen per maand per urgentie",
            "Meldungen pro Monat nach Dringlichkeit",
        ],
    ),
    (
        "impact.fig.relay_kind",
        [
            "Signals per month by kind of relay point",
            "Signalements par mois et par type de point relais",
            "Meldingen per maand per soort relaispunt",
            "Meldungen pro Monat nach Art der Relaisstelle",
        ],
    ),
    (
        "impact.fig.outcome",
        [
            "Signals per month by outcome",
            "Signalements par mois et par issue",
            "Meldingen per maand per uitkomst",
            "Meldungen pro Monat nach Ergebnis",
        ],
    ),
    (
        "impact.fig.first_attempt",
        [
            "Time from signal to first callback attempt",
            "Délai entre le signalement et la première tentative de rappel",
            "Tijd van melding tot eerste terugbelpoging",
            "Zeit von der Meldung bis zum ersten Rückrufversuch",
        ],
    ),
    (
        "impact.fig.not_trained",
        [
            "Share of signals from relay points not trained at the time",
            "Part des signalements venant de points relais non formés à ce moment",
            "Aandeel meldingen van relaispunten die toen niet opgeleid waren",
            "Anteil der Meldungen von damals nicht geschulten Relaisstellen",
        ],
    ),
    (
        "impact.desc.bars",
        [
            "Bars per month, one per group, each with its own fill pattern; the table beside gives every figure.",
            "Barres par mois, une par groupe, chacune avec son motif ; le tableau à côté donne tous les chiffres.",
            "Staven per maand, één per groep, elk met een eigen patroon; de tabel ernaast geeft alle cijfers.",
            "Balken pro Monat, einer je Gruppe, jeder mit eigenem Muster; die Tabelle daneben enthält alle Zahlen.",
        ],
    ),
    (
        "impact.desc.hidden",
        [
            "A dashed outline is a count below 5 that is not shown.",
            "Un contour en pointillés est un effectif inférieur à 5, non affiché.",
            "Een gestippelde omtrek is een aantal onder 5 dat niet getoond wordt.",
            "Ein gestrichelter Umriss ist eine nicht gezeigte Zahl unter 5.",
        ],
    ),
    (
        "impact.desc.times",
        [
            "Minutes per month: the median as a solid line with circles, the 90th percentile as a dashed line with squares; the table beside gives every figure.",
            "Minutes par mois : la médiane en trait plein avec des cercles, le 90e centile en pointillés avec des carrés ; le tableau à côté donne tous les chiffres.",
            "Minuten per maand: de mediaan als doorgetrokken lijn met cirkels, het 90e percentiel als stippellijn met vierkanten; de tabel ernaast geeft alle cijfers.",
            "Minuten pro Monat: der Median als durchgezogene Linie mit Kreisen, das 90. Perzentil gestrichelt mit Quadraten; die Tabelle daneben enthält alle Zahlen.",
        ],
    ),
    (
        "impact.desc.share",
        [
            "Percentage per month; a month without a bar is not shown; the table beside gives every figure.",
            "Pourcentage par mois ; un mois sans barre n'est pas affiché ; le tableau à côté donne tous les chiffres.",
            "Percentage per maand; een maand zonder staaf wordt niet getoond; de tabel ernaast geeft alle cijfers.",
            "Prozent pro Monat; ein Monat ohne Balken wird nicht gezeigt; die Tabelle daneben enthält alle Zahlen.",
        ],
    ),
    (
        "impact.desc.coverage",
        [
            "Active relay points at each month's last recorded day, stacked by training status, each status with its own fill pattern",
            "Points relais actifs au dernier jour relevé de chaque mois, empilés par statut de formation, chacun avec son motif",
            "Actieve relaispunten op de laatste geregistreerde dag van elke maand, gestapeld per opleidingsstatus, elk met een eigen patroon",
            "Aktive Relaisstellen am letzten erfassten Tag jedes Monats, gestapelt nach Schulungsstatus, jeder mit eigenem Muster",
        ],
    ),
    ("impact.axis.signals", ["Signals", "Signalements", "Meldingen", "Meldungen"]),
    ("impact.axis.minutes", ["Minutes", "Minutes", "Minuten", "Minuten"]),
    ("impact.axis.relays", ["Relay points", "Points relais", "Relaispunten", "Relaisstellen"]),
    ("impact.col.month", ["Month", "Mois", "Maand", "Monat"]),
    ("impact.col.day", ["Day", "Jour", "Dag", "Tag"]),
    ("impact.col.region", ["Region", "Région", "Gewest", "Region"]),
    ("impact.col.all", ["All signals", "Tous les signalements", "Alle meldingen", "Alle Meldungen"]),
    ("impact.col.median", ["Median (minutes)", "Médiane (minutes)", "Mediaan (minuten)", "Median (Minuten)"]),
    (
        "impact.col.p90",
        ["90th percentile (minutes)", "90e centile (minutes)", "90e percentiel (minuten)", "90. Perzentil (Minuten)"],
    ),
    ("impact.col.share", ["Not trained", "Non formés", "Niet opgeleid", "Nicht geschult"]),
    ("impact.col.relays", ["Relay points", "Points relais", "Relaispunten", "Relaisstellen"]),
    (
        "impact.by_region_on",
        ["Coverage by region on", "Couverture par région au", "Dekking per gewest op", "Abdeckung nach Region am"],
    ),
    (
        "impact.note.coverage",
        [
            "Recorded once a day by the retention job; a month without a recorded day has no bar.",
            "Relevée une fois par jour par la tâche de conservation ; un mois sans jour relevé n'a pas de barre.",
            "Eén keer per dag vastgelegd door de bewaartaak; een maand zonder vastgelegde dag heeft geen staaf.",
            "Einmal täglich vom Aufbewahrungsjob erfasst; ein Monat ohne erfassten Tag hat keinen Balken.",
        ],
    ),
    (
        "impact.note.times",
        [
            "Median and 90th percentile are shown only from 5 callback attempts in the month.",
            "Médiane et 90e centile ne sont affichés qu'à partir de 5 tentatives de rappel dans le mois.",
            "Mediaan en 90e percentiel worden pas getoond vanaf 5 terugbelpogingen in de maand.",
            "Median und 90. Perzentil werden erst ab 5 Rückrufversuchen im Monat gezeigt.",
        ],
    ),
    (
        "impact.note.share",
        [
            "Not trained: the relay point's training was lapsed or missing when the signal was filed. Not shown when the count behind it is hidden.",
            "Non formé : la formation du point relais était échue ou absente lors du signalement. Non affiché quand l'effectif sous-jacent est masqué.",
            "Niet opgeleid: de opleiding van het relaispunt was verlopen of ontbrak bij de melding. Niet getoond als het onderliggende aantal verborgen is.",
            "Nicht geschult: die Schulung der Relaisstelle war bei der Meldung abgelaufen oder fehlte. Nicht gezeigt, wenn die zugrunde liegende Zahl verborgen ist.",
        ],
    ),
    ("impact.report.programme", ["Programme", "Programme", "Programma", "Programm"]),
    ("impact.report.quarter", ["Quarter", "Trimestre", "Kwartaal", "Quartal"]),
    ("impact.report.generated", ["Generated on", "Généré le", "Aangemaakt op", "Erstellt am"]),
    (
        "impact.report.incomplete",
        [
            "This quarter is not final yet: signal figures go up to",
            "Ce trimestre n'est pas encore clôturé : les chiffres des signalements vont jusqu'à",
            "Dit kwartaal is nog niet afgesloten: de meldingscijfers lopen tot",
            "Dieses Quartal ist noch nicht abgeschlossen: die Meldungszahlen reichen bis",
        ],
    ),
    (
        "impact.report.print_hint",
        [
            "Print this page (Ctrl+P) to save it as a one-page PDF.",
            "Imprimez cette page (Ctrl+P) pour l'enregistrer en PDF d'une page.",
            "Druk deze pagina af (Ctrl+P) om ze als pdf van één pagina te bewaren.",
            "Drucken Sie diese Seite (Strg+P), um sie als einseitiges PDF zu speichern.",
        ],
    ),
    (
        "impact.report.back",
        [
            "Back to the impact figures",
            "Retour aux chiffres d'impact",
            "Terug naar de impactcijfers",
            "Zurück zu den Wirkungskennzahlen",
        ],
    ),
    (
        "impact.not_found",
        [
            "There is no such programme among those you may see.",
            "Ce programme n'existe pas parmi ceux que vous pouvez consulter.",
            "Dit programma bestaat niet onder de programma's die u mag bekijken.",
            "Dieses Programm gibt es unter den für Sie sichtbaren nicht.",
        ],
    ),
    (
        "impact.no_chart",
        [
            "There is no such chart to download.",
            "Ce graphique n'existe pas.",
            "Deze grafiek bestaat niet.",
            "Dieses Diagramm gibt es nicht.",
        ],
    ),
    // --- end of the impact figures ---
];

/// Every text: the console's own and each page group's.
fn all() -> impl Iterator<Item = &'static (&'static str, [&'static str; 4])> {
    STRINGS
        .iter()
        .chain(super::programme::texts::STRINGS)
        .chain(super::programme::training::texts::STRINGS)
        .chain(super::admin::texts::STRINGS)
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
