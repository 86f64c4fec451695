//! The words of the training pages, in English, French, Dutch and German (looked
//! up with the console's own through `i18n::Tr`).

/// `(key, [en, fr, nl, de])`.
pub const STRINGS: &[(&str, [&str; 4])] = &[
    ("nav.training", ["Training", "Formation", "Opleiding", "Schulung"]),
    (
        "home.training",
        [
            "training modules, completions recorded or imported, and the reminders sent.",
            "modules de formation, formations suivies enregistrées ou importées, et rappels envoyés.",
            "opleidingsmodules, geregistreerde of geïmporteerde voltooiingen en verstuurde herinneringen.",
            "Schulungsmodule, erfasste oder importierte Abschlüsse und versandte Erinnerungen.",
        ],
    ),
    (
        "trn.relay_completions",
        [
            "The training completions of this relay point's staff",
            "Les formations suivies par le personnel de ce point relais",
            "De voltooide opleidingen van de medewerkers van dit meldpunt",
            "Die Schulungsabschlüsse der Mitarbeitenden dieser Anlaufstelle",
        ],
    ),
    ("trn.tab.modules", ["Modules", "Modules", "Modules", "Module"]),
    ("trn.tab.completions", ["Completions", "Formations suivies", "Voltooiingen", "Abschlüsse"]),
    (
        "trn.tab.import",
        ["Import completions", "Importer des formations", "Voltooiingen importeren", "Abschlüsse importieren"],
    ),
    ("trn.tab.reminders", ["Reminders sent", "Rappels envoyés", "Verstuurde herinneringen", "Versandte Erinnerungen"]),
    ("trn.modules.title", ["Training modules", "Modules de formation", "Opleidingsmodules", "Schulungsmodule"]),
    ("trn.module.title", ["Training module", "Module de formation", "Opleidingsmodule", "Schulungsmodul"]),
    ("trn.completions.title", ["Completions", "Formations suivies", "Voltooiingen", "Abschlüsse"]),
    ("trn.completion.title", ["Completion", "Formation suivie", "Voltooiing", "Abschluss"]),
    (
        "trn.import.title",
        ["Import completions", "Importer des formations suivies", "Voltooiingen importeren", "Abschlüsse importieren"],
    ),
    (
        "trn.reminders.title",
        ["Reminders sent", "Rappels envoyés", "Verstuurde herinneringen", "Versandte Erinnerungen"],
    ),
    (
        "trn.managers_only",
        [
            "The training pages are for programme managers: they work in their own programme.",
            "Les pages de formation sont réservées aux responsables de programme, dans leur propre programme.",
            "De opleidingspagina's zijn voor programmabeheerders, in hun eigen programma.",
            "Die Schulungsseiten sind für Programmverantwortliche, in ihrem eigenen Programm.",
        ],
    ),
    (
        "trn.not_found",
        [
            "There is no such module or completion in your programme.",
            "Ce module ou cette formation suivie n'existe pas dans votre programme.",
            "Deze module of voltooiing bestaat niet in uw programma.",
            "Dieses Modul oder dieser Abschluss existiert in Ihrem Programm nicht.",
        ],
    ),
    (
        "trn.not_saved",
        [
            "Nothing was saved: correct the fields marked below.",
            "Rien n'a été enregistré : corrigez les champs indiqués ci-dessous.",
            "Er is niets opgeslagen: verbeter de hieronder aangeduide velden.",
            "Nichts wurde gespeichert: Korrigieren Sie die unten markierten Felder.",
        ],
    ),
    ("trn.col.title", ["Title", "Titre", "Titel", "Titel"]),
    ("trn.col.kind", ["Kind", "Type", "Soort", "Art"]),
    ("trn.col.required", ["Required", "Obligatoire", "Verplicht", "Pflicht"]),
    ("trn.col.validity", ["Valid for", "Validité", "Geldig", "Gültig"]),
    (
        "trn.col.validity_months",
        ["Valid for (months, 1–120)", "Validité (mois, 1–120)", "Geldig (maanden, 1–120)", "Gültig (Monate, 1–120)"],
    ),
    ("trn.col.state", ["State", "État", "Status", "Zustand"]),
    ("trn.col.staff", ["Staff member", "Membre du personnel", "Medewerker", "Mitarbeitende"]),
    ("trn.col.relay", ["Relay point", "Point relais", "Meldpunt", "Anlaufstelle"]),
    ("trn.col.module", ["Module", "Module", "Module", "Modul"]),
    ("trn.col.completed_on", ["Completed on", "Suivie le", "Voltooid op", "Abgeschlossen am"]),
    (
        "trn.col.expires_on",
        ["No longer counts from", "Ne compte plus à partir du", "Telt niet meer vanaf", "Zählt nicht mehr ab"],
    ),
    ("trn.col.certificate_ref", ["Certificate", "Certificat", "Certificaat", "Zertifikat"]),
    ("trn.col.recorded", ["Recorded", "Enregistrée", "Geregistreerd", "Erfasst"]),
    ("trn.col.sent_at", ["Sent", "Envoyé", "Verstuurd", "Gesendet"]),
    ("trn.col.actions", ["Actions", "Actions", "Acties", "Aktionen"]),
    ("trn.kind.e_learning", ["E-learning", "E-learning", "E-learning", "E-Learning"]),
    ("trn.kind.video", ["Video", "Vidéo", "Video", "Video"]),
    ("trn.kind.in_person", ["In person", "En présentiel", "Fysiek", "Präsenz"]),
    ("trn.yes", ["Yes", "Oui", "Ja", "Ja"]),
    ("trn.no", ["No", "Non", "Nee", "Nein"]),
    ("trn.months", ["months", "mois", "maanden", "Monate"]),
    ("trn.state.active", ["Active", "Actif", "Actief", "Aktiv"]),
    ("trn.state.retired", ["retired", "retiré", "ingetrokken", "zurückgezogen"]),
    ("trn.state.retired_on", ["Retired from", "Retiré depuis le", "Ingetrokken sinds", "Zurückgezogen seit"]),
    ("trn.state.retiring", ["Retired from", "Retiré à partir du", "Ingetrokken vanaf", "Zurückgezogen ab"]),
    (
        "trn.modules.none",
        [
            "No training module yet: create the first one below.",
            "Aucun module de formation pour l'instant : créez le premier ci-dessous.",
            "Nog geen opleidingsmodule: maak hieronder de eerste aan.",
            "Noch kein Schulungsmodul: Legen Sie unten das erste an.",
        ],
    ),
    ("trn.modules.create", ["Create a module", "Créer un module", "Een module aanmaken", "Ein Modul anlegen"]),
    (
        "trn.modules.created",
        ["The module was created.", "Le module a été créé.", "De module is aangemaakt.", "Das Modul wurde angelegt."],
    ),
    (
        "trn.f.required",
        [
            "Required: counts for the relay points' training status",
            "Obligatoire : compte pour le statut de formation des points relais",
            "Verplicht: telt mee voor de opleidingsstatus van de meldpunten",
            "Pflicht: zählt für den Schulungsstatus der Anlaufstellen",
        ],
    ),
    ("trn.module.edit", ["Edit the module", "Modifier le module", "De module bewerken", "Das Modul bearbeiten"]),
    (
        "trn.module.validity_hint",
        [
            "A new validity applies to completions recorded or corrected from now on.",
            "Une nouvelle validité s'applique aux formations enregistrées ou corrigées à partir de maintenant.",
            "Een nieuwe geldigheid geldt voor voltooiingen die vanaf nu worden geregistreerd of verbeterd.",
            "Eine neue Gültigkeit gilt für Abschlüsse, die ab jetzt erfasst oder korrigiert werden.",
        ],
    ),
    (
        "trn.module.saved",
        [
            "The module was saved.",
            "Le module a été enregistré.",
            "De module is opgeslagen.",
            "Das Modul wurde gespeichert.",
        ],
    ),
    (
        "trn.module.retired",
        [
            "The module is retired from the day chosen.",
            "Le module est retiré à partir du jour choisi.",
            "De module is ingetrokken vanaf de gekozen dag.",
            "Das Modul ist ab dem gewählten Tag zurückgezogen.",
        ],
    ),
    ("trn.save", ["Save", "Enregistrer", "Opslaan", "Speichern"]),
    (
        "trn.back_modules",
        ["Back to the modules", "Retour aux modules", "Terug naar de modules", "Zurück zu den Modulen"],
    ),
    (
        "trn.back_completions",
        [
            "Back to the completions",
            "Retour aux formations suivies",
            "Terug naar de voltooiingen",
            "Zurück zu den Abschlüssen",
        ],
    ),
    ("trn.retire.title", ["Retire the module", "Retirer le module", "De module intrekken", "Das Modul zurückziehen"]),
    (
        "trn.retire.hint",
        [
            "From the day you choose, the module no longer counts as required for any relay point's status. Its completions stay, as history.",
            "À partir du jour choisi, le module ne compte plus comme obligatoire pour le statut des points relais. Les formations suivies restent, comme historique.",
            "Vanaf de gekozen dag telt de module niet meer als verplicht voor de status van een meldpunt. De voltooiingen blijven bewaard, als geschiedenis.",
            "Ab dem gewählten Tag zählt das Modul für den Status keiner Anlaufstelle mehr als Pflicht. Die Abschlüsse bleiben als Verlauf erhalten.",
        ],
    ),
    ("trn.retire.from", ["Retired from", "Retiré à partir du", "Ingetrokken vanaf", "Zurückgezogen ab"]),
    ("trn.retire.next", ["Retire…", "Retirer…", "Intrekken…", "Zurückziehen…"]),
    (
        "trn.retire.explain",
        [
            "From this day on, relay points are no longer required to have this module. Retiring again moves the day.",
            "À partir de ce jour, ce module n'est plus exigé des points relais. Retirer à nouveau déplace le jour.",
            "Vanaf deze dag is deze module niet meer vereist voor de meldpunten. Opnieuw intrekken verplaatst de dag.",
            "Ab diesem Tag wird dieses Modul von den Anlaufstellen nicht mehr verlangt. Erneutes Zurückziehen verschiebt den Tag.",
        ],
    ),
    (
        "trn.retire.confirm",
        ["Yes, retire the module", "Oui, retirer le module", "Ja, de module intrekken", "Ja, das Modul zurückziehen"],
    ),
    ("trn.cancel", ["Cancel", "Annuler", "Annuleren", "Abbrechen"]),
    (
        "trn.filters",
        ["Filter the completions", "Filtrer les formations suivies", "Voltooiingen filteren", "Abschlüsse filtern"],
    ),
    (
        "trn.f.relay",
        [
            "Relay point (name or external id)",
            "Point relais (nom ou identifiant externe)",
            "Meldpunt (naam of externe id)",
            "Anlaufstelle (Name oder externe Kennung)",
        ],
    ),
    (
        "trn.f.staff",
        ["Staff member (e-mail)", "Membre du personnel (e-mail)", "Medewerker (e-mail)", "Mitarbeitende (E-Mail)"],
    ),
    (
        "trn.f.staff_email",
        [
            "Staff member's e-mail address",
            "Adresse e-mail du membre du personnel",
            "E-mailadres van de medewerker",
            "E-Mail-Adresse der mitarbeitenden Person",
        ],
    ),
    (
        "trn.f.certificate_ref",
        [
            "Certificate reference (optional)",
            "Référence du certificat (facultatif)",
            "Referentie van het certificaat (optioneel)",
            "Zertifikatsnummer (optional)",
        ],
    ),
    (
        "trn.matching",
        ["completions match", "formations suivies correspondent", "voltooiingen gevonden", "Abschlüsse gefunden"],
    ),
    (
        "trn.export",
        [
            "Download the completions (CSV)",
            "Télécharger les formations suivies (CSV)",
            "De voltooiingen downloaden (CSV)",
            "Die Abschlüsse herunterladen (CSV)",
        ],
    ),
    (
        "trn.export_hint",
        [
            "The download holds every completion of the programme, whatever the filter.",
            "Le téléchargement contient toutes les formations suivies du programme, quel que soit le filtre.",
            "De download bevat alle voltooiingen van het programma, ongeacht de filter.",
            "Der Download enthält alle Abschlüsse des Programms, unabhängig vom Filter.",
        ],
    ),
    (
        "trn.completions.none",
        [
            "No completion matches.",
            "Aucune formation suivie ne correspond.",
            "Geen enkele voltooiing gevonden.",
            "Kein Abschluss gefunden.",
        ],
    ),
    (
        "trn.open",
        ["Correct or delete", "Corriger ou supprimer", "Verbeteren of verwijderen", "Korrigieren oder löschen"],
    ),
    (
        "trn.record",
        [
            "Record a completion",
            "Enregistrer une formation suivie",
            "Een voltooiing registreren",
            "Einen Abschluss erfassen",
        ],
    ),
    (
        "trn.record.no_modules",
        [
            "Create a training module first.",
            "Créez d'abord un module de formation.",
            "Maak eerst een opleidingsmodule aan.",
            "Legen Sie zuerst ein Schulungsmodul an.",
        ],
    ),
    (
        "trn.completion.recorded",
        [
            "The completion was recorded.",
            "La formation suivie a été enregistrée.",
            "De voltooiing is geregistreerd.",
            "Der Abschluss wurde erfasst.",
        ],
    ),
    (
        "trn.completion.corrected",
        [
            "The completion was corrected.",
            "La formation suivie a été corrigée.",
            "De voltooiing is verbeterd.",
            "Der Abschluss wurde korrigiert.",
        ],
    ),
    (
        "trn.completion.deleted",
        [
            "The completion was deleted.",
            "La formation suivie a été supprimée.",
            "De voltooiing is verwijderd.",
            "Der Abschluss wurde gelöscht.",
        ],
    ),
    (
        "trn.correct",
        [
            "Correct the completion",
            "Corriger la formation suivie",
            "De voltooiing verbeteren",
            "Den Abschluss korrigieren",
        ],
    ),
    (
        "trn.correct.hint",
        [
            "The expiry follows the day. To change the module, delete this completion and record the right one.",
            "L'échéance suit le jour. Pour changer de module, supprimez cette formation et enregistrez la bonne.",
            "De vervaldatum volgt de dag. Om de module te wijzigen, verwijder deze voltooiing en registreer de juiste.",
            "Der Ablauf folgt dem Tag. Um das Modul zu ändern, löschen Sie diesen Abschluss und erfassen den richtigen.",
        ],
    ),
    (
        "trn.delete.title",
        [
            "Delete the completion",
            "Supprimer la formation suivie",
            "De voltooiing verwijderen",
            "Den Abschluss löschen",
        ],
    ),
    (
        "trn.delete.link",
        [
            "Delete this completion…",
            "Supprimer cette formation suivie…",
            "Deze voltooiing verwijderen…",
            "Diesen Abschluss löschen…",
        ],
    ),
    (
        "trn.delete.explain",
        [
            "Delete only a completion recorded by mistake: the relay point's training status is computed again without it. The deletion is kept in the audit log.",
            "Ne supprimez qu'une formation enregistrée par erreur : le statut de formation du point relais est recalculé sans elle. La suppression est gardée dans le journal d'audit.",
            "Verwijder alleen een per vergissing geregistreerde voltooiing: de opleidingsstatus van het meldpunt wordt zonder haar herberekend. De verwijdering blijft in het auditlog.",
            "Löschen Sie nur einen irrtümlich erfassten Abschluss: Der Schulungsstatus der Anlaufstelle wird ohne ihn neu berechnet. Die Löschung bleibt im Audit-Protokoll.",
        ],
    ),
    ("trn.delete.confirm", ["Yes, delete it", "Oui, la supprimer", "Ja, verwijderen", "Ja, löschen"]),
    (
        "trn.import.intro",
        [
            "A CSV file with the columns email, module (its title or id), completed_on (YYYY-MM-DD) and, optionally, certificate_ref. You see what it would do before anything is written.",
            "Un fichier CSV avec les colonnes email, module (son titre ou identifiant), completed_on (AAAA-MM-JJ) et, facultativement, certificate_ref. Vous voyez ce qu'il ferait avant que rien ne soit écrit.",
            "Een CSV-bestand met de kolommen email, module (titel of id), completed_on (JJJJ-MM-DD) en, optioneel, certificate_ref. U ziet wat het zou doen voordat er iets wordt geschreven.",
            "Eine CSV-Datei mit den Spalten email, module (Titel oder Kennung), completed_on (JJJJ-MM-TT) und optional certificate_ref. Sie sehen, was sie bewirken würde, bevor etwas geschrieben wird.",
        ],
    ),
    ("trn.import.already", ["Already recorded", "Déjà enregistrées", "Al geregistreerd", "Bereits erfasst"]),
    (
        "trn.import.too_large",
        [
            "The file is too large to import.",
            "Le fichier est trop volumineux pour être importé.",
            "Het bestand is te groot om te importeren.",
            "Die Datei ist zu groß für den Import.",
        ],
    ),
    (
        "trn.reminders.intro",
        [
            "The reminders the reminder job sent to staff whose required training is about to expire, newest first.",
            "Les rappels envoyés par la tâche de rappel au personnel dont une formation obligatoire arrive à échéance, les plus récents d'abord.",
            "De herinneringen die de herinneringstaak stuurde aan medewerkers van wie een verplichte opleiding bijna verloopt, de nieuwste eerst.",
            "Die Erinnerungen, die der Erinnerungsauftrag an Mitarbeitende mit bald ablaufender Pflichtschulung sandte, die neuesten zuerst.",
        ],
    ),
    ("trn.reminders.count", ["reminders sent", "rappels envoyés", "herinneringen verstuurd", "Erinnerungen gesendet"]),
    (
        "trn.reminders.none",
        [
            "No reminder was sent yet.",
            "Aucun rappel n'a encore été envoyé.",
            "Er is nog geen herinnering verstuurd.",
            "Es wurde noch keine Erinnerung gesendet.",
        ],
    ),
    (
        "trn.err.title",
        [
            "Enter a title (at most 200 characters).",
            "Saisissez un titre (200 caractères au plus).",
            "Vul een titel in (hoogstens 200 tekens).",
            "Geben Sie einen Titel ein (höchstens 200 Zeichen).",
        ],
    ),
    (
        "trn.err.title_taken",
        [
            "A module of the programme already has this title.",
            "Un module du programme porte déjà ce titre.",
            "Een module van het programma heeft deze titel al.",
            "Ein Modul des Programms hat bereits diesen Titel.",
        ],
    ),
    (
        "trn.err.kind",
        [
            "Choose one of the kinds.",
            "Choisissez un des types.",
            "Kies een van de soorten.",
            "Wählen Sie eine der Arten.",
        ],
    ),
    (
        "trn.err.validity_months",
        [
            "Enter a whole number of months from 1 to 120.",
            "Saisissez un nombre entier de mois entre 1 et 120.",
            "Vul een geheel aantal maanden in, van 1 tot 120.",
            "Geben Sie eine ganze Zahl von Monaten zwischen 1 und 120 ein.",
        ],
    ),
    ("trn.err.from", ["Enter a day.", "Saisissez un jour.", "Vul een dag in.", "Geben Sie einen Tag ein."]),
    (
        "trn.err.from_before_created",
        [
            "The day must not be before the module was created.",
            "Le jour ne peut pas précéder la création du module.",
            "De dag mag niet vóór het aanmaken van de module liggen.",
            "Der Tag darf nicht vor dem Anlegen des Moduls liegen.",
        ],
    ),
    (
        "trn.err.staff",
        [
            "No staff member of your programme has this e-mail address.",
            "Aucun membre du personnel de votre programme n'a cette adresse e-mail.",
            "Geen medewerker van uw programma heeft dit e-mailadres.",
            "Keine mitarbeitende Person Ihres Programms hat diese E-Mail-Adresse.",
        ],
    ),
    (
        "trn.err.module",
        [
            "Choose a module of your programme.",
            "Choisissez un module de votre programme.",
            "Kies een module van uw programma.",
            "Wählen Sie ein Modul Ihres Programms.",
        ],
    ),
    (
        "trn.err.completed_on",
        [
            "Enter a day (day, month, year) that is not in the future.",
            "Saisissez un jour (jour, mois, année) qui n'est pas dans le futur.",
            "Vul een dag in (dag, maand, jaar) die niet in de toekomst ligt.",
            "Geben Sie einen Tag (Tag, Monat, Jahr) ein, der nicht in der Zukunft liegt.",
        ],
    ),
    (
        "trn.err.duplicate",
        [
            "This completion is already recorded for that day.",
            "Cette formation est déjà enregistrée pour ce jour.",
            "Deze voltooiing is voor die dag al geregistreerd.",
            "Dieser Abschluss ist für diesen Tag bereits erfasst.",
        ],
    ),
    (
        "trn.err.certificate_ref",
        ["At most 100 characters.", "100 caractères au plus.", "Hoogstens 100 tekens.", "Höchstens 100 Zeichen."],
    ),
    ("trn.err.other", ["Check this field.", "Vérifiez ce champ.", "Controleer dit veld.", "Prüfen Sie dieses Feld."]),
];
