//! The words of the admin's routing-rules page and of creating and renaming a
//! helpline, in English, French, Dutch and German (looked up with the console's
//! own through `i18n::Tr`).

/// `(key, [en, fr, nl, de])`.
pub const STRINGS: &[(&str, [&str; 4])] = &[
    ("nav.admin_routing", ["Routing rules", "Règles d'acheminement", "Routeringsregels", "Routing-Regeln"]),
    ("rt.title", ["Routing rules", "Règles d'acheminement", "Routeringsregels", "Routing-Regeln"]),
    (
        "rt.intro",
        [
            "A signal goes to the helpline of the first rule that matches where the relay point is and the callback language, lowest priority first. If that helpline is closed, the next helpline that speaks the language and is open takes it.",
            "Un signalement va à la ligne de la première règle qui correspond au lieu du point relais et à la langue du rappel, la priorité la plus basse d'abord. Si cette ligne est fermée, la ligne suivante qui parle la langue et est ouverte le reçoit.",
            "Een melding gaat naar de hulplijn van de eerste regel die past bij de plaats van het meldpunt en de taal van het terugbellen, de laagste prioriteit eerst. Is die hulplijn gesloten, dan neemt de volgende open hulplijn die de taal spreekt ze over.",
            "Eine Meldung geht an das Hilfetelefon der ersten Regel, die zum Ort der Anlaufstelle und zur Sprache des Rückrufs passt, niedrigste Priorität zuerst. Ist es geschlossen, übernimmt das nächste geöffnete Hilfetelefon, das die Sprache spricht.",
        ],
    ),
    (
        "rt.none",
        [
            "No routing rule yet: every signal goes to a helpline for its language.",
            "Aucune règle pour l'instant : chaque signalement va à une ligne de sa langue.",
            "Nog geen routeringsregel: elke melding gaat naar een hulplijn voor haar taal.",
            "Noch keine Routing-Regel: jede Meldung geht an ein Hilfetelefon ihrer Sprache.",
        ],
    ),
    (
        "rt.caption",
        [
            "Routing rules, in the order they are tried",
            "Règles d'acheminement, dans l'ordre où elles sont essayées",
            "Routeringsregels, in de volgorde waarin ze worden geprobeerd",
            "Routing-Regeln in der Reihenfolge, in der sie geprüft werden",
        ],
    ),
    ("rt.col.rule", ["Rule", "Règle", "Regel", "Regel"]),
    ("rt.col.destination", ["Sends to", "Envoie à", "Stuurt naar", "Sendet an"]),
    ("rt.col.priority", ["Priority", "Priorité", "Prioriteit", "Priorität"]),
    ("rt.priority.save", ["Change", "Modifier", "Wijzigen", "Ändern"]),
    (
        "rt.priority.hint",
        [
            "A whole number; lower numbers are tried first.",
            "Un nombre entier ; les plus petits sont essayés d'abord.",
            "Een geheel getal; lagere getallen worden eerst geprobeerd.",
            "Eine ganze Zahl; kleinere Zahlen werden zuerst geprüft.",
        ],
    ),
    (
        "rt.simulate",
        ["Try in the simulator", "Essayer dans le simulateur", "Proberen in de simulator", "Im Simulator testen"],
    ),
    ("rt.add", ["Add a rule", "Ajouter une règle", "Een regel toevoegen", "Regel hinzufügen"]),
    (
        "rt.add.hint",
        [
            "Leave a condition empty to match any value. A rule with no condition matches every signal.",
            "Laissez une condition vide pour accepter toute valeur. Une règle sans condition correspond à tout signalement.",
            "Laat een voorwaarde leeg om elke waarde te aanvaarden. Een regel zonder voorwaarde past bij elke melding.",
            "Lassen Sie eine Bedingung leer, um jeden Wert zuzulassen. Eine Regel ohne Bedingung passt auf jede Meldung.",
        ],
    ),
    ("rt.any_region", ["any region", "toute région", "elk gewest", "jede Region"]),
    ("rt.any_language", ["any language", "toute langue", "elke taal", "jede Sprache"]),
    ("rt.postcodes", ["Postcode range", "Plage de codes postaux", "Postcodebereik", "Postleitzahlbereich"]),
    (
        "rt.postcodes.hint",
        [
            "Both empty, or both four digits (1000–9999), the first not above the second.",
            "Les deux vides, ou les deux à quatre chiffres (1000–9999), le premier pas plus grand que le second.",
            "Beide leeg, of beide vier cijfers (1000–9999), de eerste niet groter dan de tweede.",
            "Beide leer oder beide vierstellig (1000–9999), die erste nicht größer als die zweite.",
        ],
    ),
    ("rt.postcode_from", ["From postcode", "Du code postal", "Van postcode", "Von Postleitzahl"]),
    ("rt.postcode_to", ["To postcode", "Au code postal", "Tot postcode", "Bis Postleitzahl"]),
    ("rt.choose_helpline", ["Choose a helpline", "Choisissez une ligne", "Kies een hulplijn", "Hilfetelefon wählen"]),
    ("rt.add.submit", ["Add the rule", "Ajouter la règle", "Regel toevoegen", "Regel hinzufügen"]),
    ("rt.back", ["All routing rules", "Toutes les règles", "Alle routeringsregels", "Alle Routing-Regeln"]),
    (
        "rt.remove.title",
        ["Remove this rule?", "Supprimer cette règle ?", "Deze regel verwijderen?", "Diese Regel entfernen?"],
    ),
    (
        "rt.remove.hint",
        [
            "Signals this rule sent will follow the other rules from now on. Check the result in the route simulator.",
            "Les signalements que cette règle envoyait suivront désormais les autres règles. Vérifiez le résultat dans le simulateur.",
            "Meldingen die deze regel stuurde, volgen voortaan de andere regels. Controleer het resultaat in de routesimulator.",
            "Meldungen, die diese Regel gesendet hat, folgen ab jetzt den anderen Regeln. Prüfen Sie das Ergebnis im Simulator.",
        ],
    ),
    ("rt.remove.submit", ["Remove the rule", "Supprimer la règle", "Regel verwijderen", "Regel entfernen"]),
    ("rt.remove.cancel", ["Keep it", "La garder", "Behouden", "Behalten"]),
    ("rt.done.added", ["Rule added.", "Règle ajoutée.", "Regel toegevoegd.", "Regel hinzugefügt."]),
    ("rt.done.priority", ["Priority changed.", "Priorité modifiée.", "Prioriteit gewijzigd.", "Priorität geändert."]),
    ("rt.done.removed", ["Rule removed.", "Règle supprimée.", "Regel verwijderd.", "Regel entfernt."]),
    ("rt.done.unchanged", ["Nothing changed.", "Rien n'a changé.", "Er is niets gewijzigd.", "Nichts geändert."]),
    (
        "rt.err.priority",
        [
            "Enter a whole number between -1000000 and 1000000.",
            "Saisissez un nombre entier entre -1000000 et 1000000.",
            "Geef een geheel getal tussen -1000000 en 1000000.",
            "Geben Sie eine ganze Zahl zwischen -1000000 und 1000000 ein.",
        ],
    ),
    (
        "rt.err.region",
        [
            "Choose a region from the list.",
            "Choisissez une région de la liste.",
            "Kies een gewest uit de lijst.",
            "Wählen Sie eine Region aus der Liste.",
        ],
    ),
    (
        "rt.err.language",
        [
            "Choose a language from the list.",
            "Choisissez une langue de la liste.",
            "Kies een taal uit de lijst.",
            "Wählen Sie eine Sprache aus der Liste.",
        ],
    ),
    (
        "rt.err.postcode",
        [
            "A Belgian postcode is four digits, 1000–9999.",
            "Un code postal belge a quatre chiffres, 1000–9999.",
            "Een Belgische postcode heeft vier cijfers, 1000–9999.",
            "Eine belgische Postleitzahl hat vier Ziffern, 1000–9999.",
        ],
    ),
    (
        "rt.err.both",
        [
            "Give both ends of the range, or neither.",
            "Indiquez les deux bornes de la plage, ou aucune.",
            "Geef beide grenzen van het bereik, of geen.",
            "Geben Sie beide Grenzen des Bereichs an oder keine.",
        ],
    ),
    (
        "rt.err.order",
        [
            "The end of the range must not be below its start.",
            "La fin de la plage ne peut pas être inférieure à son début.",
            "Het einde van het bereik mag niet lager zijn dan het begin.",
            "Das Ende des Bereichs darf nicht unter seinem Anfang liegen.",
        ],
    ),
    (
        "rt.err.helpline",
        [
            "Choose a helpline from the list.",
            "Choisissez une ligne de la liste.",
            "Kies een hulplijn uit de lijst.",
            "Wählen Sie ein Hilfetelefon aus der Liste.",
        ],
    ),
    ("hl.create", ["New helpline", "Nouvelle ligne d'écoute", "Nieuwe hulplijn", "Neues Hilfetelefon"]),
    (
        "hl.create.hint",
        [
            "Its opening hours and delivery channels are set on its own page next; until it has hours it is closed.",
            "Ses heures d'ouverture et ses canaux se règlent ensuite sur sa page ; sans heures, elle est fermée.",
            "De openingsuren en kanalen stelt u daarna in op de eigen pagina; zonder uren is ze gesloten.",
            "Öffnungszeiten und Kanäle legen Sie danach auf seiner Seite fest; ohne Zeiten ist es geschlossen.",
        ],
    ),
    (
        "hl.code.hint",
        [
            "A short identifier, unique, e.g. evc. It cannot change later.",
            "Un identifiant court et unique, p. ex. evc. Il ne change plus ensuite.",
            "Een korte, unieke code, bv. evc. Hij kan later niet meer wijzigen.",
            "Eine kurze, eindeutige Kennung, z. B. evc. Sie lässt sich später nicht ändern.",
        ],
    ),
    ("hl.create.submit", ["Create the helpline", "Créer la ligne", "Hulplijn aanmaken", "Hilfetelefon anlegen"]),
    ("hl.name", ["Name", "Nom", "Naam", "Name"]),
    ("hl.rename", ["Rename", "Renommer", "Hernoemen", "Umbenennen"]),
    ("hl.done.renamed", ["Name saved.", "Nom enregistré.", "Naam opgeslagen.", "Name gespeichert."]),
    (
        "hl.done.created",
        [
            "Helpline created. Set its opening hours and delivery channels below.",
            "Ligne créée. Réglez ci-dessous ses heures d'ouverture et ses canaux.",
            "Hulplijn aangemaakt. Stel hieronder de openingsuren en kanalen in.",
            "Hilfetelefon angelegt. Legen Sie unten Öffnungszeiten und Kanäle fest.",
        ],
    ),
    (
        "hl.err.name",
        [
            "Enter a name of at most 120 characters.",
            "Saisissez un nom de 120 caractères au plus.",
            "Geef een naam van hoogstens 120 tekens.",
            "Geben Sie einen Namen mit höchstens 120 Zeichen ein.",
        ],
    ),
    (
        "hl.err.name_taken",
        [
            "Another helpline already has this name.",
            "Une autre ligne porte déjà ce nom.",
            "Een andere hulplijn heeft deze naam al.",
            "Ein anderes Hilfetelefon hat diesen Namen bereits.",
        ],
    ),
    (
        "hl.err.code",
        [
            "Enter a code of at most 32 characters.",
            "Saisissez un code de 32 caractères au plus.",
            "Geef een code van hoogstens 32 tekens.",
            "Geben Sie eine Kennung mit höchstens 32 Zeichen ein.",
        ],
    ),
    (
        "hl.err.code_taken",
        [
            "Another helpline already has this code.",
            "Une autre ligne a déjà ce code.",
            "Een andere hulplijn heeft deze code al.",
            "Ein anderes Hilfetelefon hat diese Kennung bereits.",
        ],
    ),
    (
        "hl.err.public_phone",
        [
            "Enter the public number (at most 40 characters).",
            "Saisissez le numéro public (40 caractères au plus).",
            "Geef het publieke nummer (hoogstens 40 tekens).",
            "Geben Sie die öffentliche Nummer ein (höchstens 40 Zeichen).",
        ],
    ),
    (
        "hl.err.kind",
        [
            "Choose a kind from the list.",
            "Choisissez un type de la liste.",
            "Kies een soort uit de lijst.",
            "Wählen Sie eine Art aus der Liste.",
        ],
    ),
    ("action.helpline.created", ["helpline created", "ligne créée", "hulplijn aangemaakt", "Hilfetelefon angelegt"]),
    ("action.helpline.renamed", ["helpline renamed", "ligne renommée", "hulplijn hernoemd", "Hilfetelefon umbenannt"]),
    (
        "action.routing.rule_added",
        [
            "routing rule added",
            "règle d'acheminement ajoutée",
            "routeringsregel toegevoegd",
            "Routing-Regel hinzugefügt",
        ],
    ),
    (
        "action.routing.rule_priority_changed",
        [
            "routing rule priority changed",
            "priorité d'une règle modifiée",
            "prioriteit van routeringsregel gewijzigd",
            "Priorität einer Routing-Regel geändert",
        ],
    ),
    (
        "action.routing.rule_removed",
        [
            "routing rule removed",
            "règle d'acheminement supprimée",
            "routeringsregel verwijderd",
            "Routing-Regel entfernt",
        ],
    ),
];
