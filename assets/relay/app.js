// SafeRelay relay app. A client of the public API (/api/v1) only.
// - The access token lives in memory only; the refresh token is an HttpOnly
//   cookie the script cannot read (sign-in with refresh_in_cookie).
// - A signal filed without network is sealed with a non-extractable AES-GCM key
//   (WebCrypto; the key object is kept in IndexedDB, its bytes never reach
//   script) and sent when the network returns, with the Idempotency-Key chosen
//   when it was filed. After the 201 the sealed record is deleted.
'use strict';
(() => {
  const API = '/api/v1';
  const OVERDUE_MS = 15 * 60 * 1000;
  const REFRESH_MS = 30 * 1000;
  // The national lines, when no better number is known.
  const BUILT_IN = [['1712', '1712'], ['Écoute violences conjugales', '0800 30 030']];

  const TEXT = {
    en: {
      have_invitation: 'I have an invitation', accept_title: 'Accept an invitation', invite_code: 'Code from the invitation e-mail',
      new_password: 'Choose a password (at least 12 characters)', new_password2: 'The same password again', accept: 'Activate my account',
      back_signin: 'Back to sign-in', code_missing: 'Type the code from the e-mail.', passwords_differ: 'The two passwords are not the same.',
      code_unknown: 'This code is unknown, already used or expired. Ask your programme manager for a new invitation.',
      lock_title: 'Locked', lock_text: 'This device was not used for a while. Enter your password to go on.', unlock: 'Unlock',
      device_title: 'This device', push_on: "Notify this device when a signal's status changes", push_off: 'Stop notifications on this device',
      push_active: 'This device is notified when a signal changes (the notification says nothing more).', push_inactive: 'This device is not notified.',
      push_unsupported: 'This browser cannot receive notifications; the list refreshes by itself while the app is open.',
      push_denied: 'Notifications are blocked for this app in the browser settings.',
      everywhere_text: 'Lost a phone or tablet? Sign out on every device: each one will need the password again.',
      sign_out_everywhere: 'Sign out on every device', everywhere_confirm: 'Really sign out everywhere? Tap again',
      nav_file: 'New signal', nav_signals: 'My signals', sign_out: 'Sign out', loading: 'Loading…',
      offline: 'No network: a signal you file is kept sealed on this device and sent as soon as the network is back.',
      overdue: 'A signal could not be sent for 15 minutes. Phone the helpline now, together with the person:',
      pending: (n) => `${n} signal(s) kept on this device, waiting for the network.`,
      signin_title: 'Sign in', email: 'E-mail address', password: 'Password', totp: 'Code from your authenticator app', signin: 'Sign in',
      file_title: 'New signal', urgency: 'Is the person in immediate danger?', urgency_standard: 'No', urgency_danger: 'Yes, immediate danger',
      call_112: 'Call 112 now', danger_note: 'Call 112 first. Then file the signal: the helpline will call back as soon as possible.',
      phone: 'Phone number to call back', phone_shown: (p) => `Will be called on: ${p}`, phone_bad: 'Type a Belgian number (e.g. 0470 12 34 56) or an international one starting with +.',
      alias: 'First name or alias (optional)', language: 'Language for the call', language_other: 'Other',
      windows: 'When is it safe to call? (none: any time)', add_window: 'Add a time', remove: 'Remove', day: 'Day', from: 'From', to: 'To',
      days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
      voicemail: 'A voicemail may be left', consent: 'The person agrees to be called back', consent_missing: 'The person must agree to be called back.',
      note: 'Note for the helpline (optional)', send: 'Send the signal', sending: 'Sending…',
      receipt_title: 'Signal sent', reference: 'Reference', helpline: 'Helpline that calls back', when: 'When', training: 'Training of this relay point',
      open_now: 'The helpline is open now: the call back can start now.', opens_at: (t) => `The helpline is closed now; the call back starts from ${t}.`, no_hours: 'The helpline has no opening hours soon; phone it if the person can.',
      receipt_tell: "Tell the person the helpline's name and that it will call back. Nothing of the contact stays on this device.",
      another: 'File another signal', queued_title: 'Kept on this device',
      queued_text: 'There is no network. The signal is sealed on this device and will be sent as soon as the network is back. If it cannot be sent within 15 minutes, this app will tell you to phone the helpline.',
      signals_title: 'My signals', signals_empty: 'No signals yet.', withdraw: 'Withdraw', withdraw_confirm: 'Really withdraw? Tap again', withdrawn_ok: 'Withdrawn: the contact has been deleted.',
      status: { received: 'received', forwarded: 'forwarded', in_progress: 'in progress', completed: 'completed', expired: 'expired', withdrawn: 'withdrawn' },
      training_status: { trained: 'current', expiring: 'expiring soon: renew it', expired: 'expired: renew it', lapsed: 'expired: renew it', untrained: 'not trained' },
      nav_training: 'My training', nav_referrals: 'Referrals', training_title: 'My training', training_empty: 'Your programme has no training modules yet.',
      relay_status: (s) => `Training of this relay point: ${s}.`, required: 'required', optional: 'optional',
      standing: { valid: 'valid', expiring: 'expiring soon', lapsed: 'lapsed', missing: 'not followed' },
      completed_on: (d) => `Completed on ${d}`, valid_until: (d) => `valid until ${d}`, lapsed_on: (d) => `lapsed on ${d}`,
      advice_expiring: (m, d) => `Renew the module “${m}” before ${d}: ask your programme manager.`,
      advice_lapsed: (m, d) => `The module “${m}” lapsed on ${d}: ask your programme manager for a new session.`,
      advice_missing: (m) => `Follow the module “${m}”: ask your programme manager.`,
      referrals_title: 'Referrals', ref_language: 'Language the person speaks', referrals_empty: 'No referral for this region and language.',
      saved_on: (d) => `No network: the list saved on ${d}.`, region: { flanders: 'Flanders', wallonia: 'Wallonia', brussels: 'Brussels' },
      for_region: (r) => `Region: ${r}`, no_saved: 'No network, and no list saved on this device yet.',
      danger: 'Immediate danger', network_error: 'The server cannot be reached.', refused_later: 'A signal kept on this device was refused by the server:',
    },
    fr: {
      have_invitation: "J'ai une invitation", accept_title: 'Accepter une invitation', invite_code: "Code de l'e-mail d'invitation",
      new_password: 'Choisissez un mot de passe (au moins 12 caractères)', new_password2: 'Le même mot de passe une seconde fois', accept: 'Activer mon compte',
      back_signin: 'Retour à la connexion', code_missing: "Tapez le code de l'e-mail.", passwords_differ: 'Les deux mots de passe ne sont pas identiques.',
      code_unknown: 'Ce code est inconnu, déjà utilisé ou expiré. Demandez une nouvelle invitation à votre responsable de programme.',
      lock_title: 'Verrouillé', lock_text: "Cet appareil n'a pas été utilisé depuis un moment. Saisissez votre mot de passe pour continuer.", unlock: 'Déverrouiller',
      device_title: 'Cet appareil', push_on: "Prévenir cet appareil quand le statut d'un signal change", push_off: 'Arrêter les notifications sur cet appareil',
      push_active: "Cet appareil est prévenu quand un signal change (la notification n'en dit pas plus).", push_inactive: "Cet appareil n'est pas prévenu.",
      push_unsupported: "Ce navigateur ne peut pas recevoir de notifications ; la liste s'actualise d'elle-même quand l'application est ouverte.",
      push_denied: "Les notifications sont bloquées pour cette application dans les réglages du navigateur.",
      everywhere_text: 'Téléphone ou tablette perdu ? Déconnectez tous les appareils : chacun demandera à nouveau le mot de passe.',
      sign_out_everywhere: 'Se déconnecter de tous les appareils', everywhere_confirm: 'Vraiment tout déconnecter ? Touchez encore',
      nav_file: 'Nouveau signal', nav_signals: 'Mes signaux', sign_out: 'Se déconnecter', loading: 'Chargement…',
      offline: "Pas de réseau : un signal envoyé est gardé scellé sur cet appareil et transmis dès le retour du réseau.",
      overdue: "Un signal n'a pas pu être transmis depuis 15 minutes. Appelez maintenant la ligne d'aide avec la personne :",
      pending: (n) => `${n} signal(aux) gardé(s) sur cet appareil, en attente du réseau.`,
      signin_title: 'Connexion', email: 'Adresse e-mail', password: 'Mot de passe', totp: "Code de votre application d'authentification", signin: 'Se connecter',
      file_title: 'Nouveau signal', urgency: 'La personne est-elle en danger immédiat ?', urgency_standard: 'Non', urgency_danger: 'Oui, danger immédiat',
      call_112: 'Appeler le 112', danger_note: "Appelez d'abord le 112. Puis envoyez le signal : la ligne d'aide rappellera au plus vite.",
      phone: 'Numéro à rappeler', phone_shown: (p) => `Sera appelé au : ${p}`, phone_bad: 'Tapez un numéro belge (ex. 0470 12 34 56) ou international commençant par +.',
      alias: 'Prénom ou pseudonyme (facultatif)', language: "Langue de l'appel", language_other: 'Autre',
      windows: 'Quand peut-on appeler sans risque ? (aucun : à tout moment)', add_window: 'Ajouter un moment', remove: 'Retirer', day: 'Jour', from: 'De', to: 'À',
      days: ['Lundi', 'Mardi', 'Mercredi', 'Jeudi', 'Vendredi', 'Samedi', 'Dimanche'],
      voicemail: 'On peut laisser un message vocal', consent: "La personne accepte d'être rappelée", consent_missing: "La personne doit accepter d'être rappelée.",
      note: "Note pour la ligne d'aide (facultatif)", send: 'Envoyer le signal', sending: 'Envoi…',
      receipt_title: 'Signal envoyé', reference: 'Référence', helpline: "Ligne d'aide qui rappelle", when: 'Quand', training: 'Formation de ce point relais',
      open_now: "La ligne d'aide est ouverte : le rappel peut commencer maintenant.", opens_at: (t) => `La ligne d'aide est fermée ; le rappel commence à partir de ${t}.`, no_hours: "La ligne d'aide n'a pas d'heures d'ouverture prochainement ; appelez-la si la personne le peut.",
      receipt_tell: "Donnez à la personne le nom de la ligne d'aide et dites-lui qu'elle sera rappelée. Rien du contact ne reste sur cet appareil.",
      another: 'Envoyer un autre signal', queued_title: 'Gardé sur cet appareil',
      queued_text: "Pas de réseau. Le signal est scellé sur cet appareil et sera transmis dès le retour du réseau. S'il ne peut pas l'être dans les 15 minutes, l'application vous dira d'appeler la ligne d'aide.",
      signals_title: 'Mes signaux', signals_empty: 'Aucun signal pour le moment.', withdraw: 'Retirer', withdraw_confirm: 'Vraiment retirer ? Touchez encore', withdrawn_ok: 'Retiré : le contact a été effacé.',
      status: { received: 'reçu', forwarded: 'transmis', in_progress: 'en cours', completed: 'terminé', expired: 'expiré', withdrawn: 'retiré' },
      training_status: { trained: 'à jour', expiring: 'expire bientôt : à renouveler', expired: 'expirée : à renouveler', lapsed: 'expirée : à renouveler', untrained: 'non formé' },
      nav_training: 'Ma formation', nav_referrals: 'Orientation', training_title: 'Ma formation', training_empty: "Votre programme n'a pas encore de module de formation.",
      relay_status: (s) => `Formation de ce point relais : ${s}.`, required: 'obligatoire', optional: 'facultatif',
      standing: { valid: 'valide', expiring: 'expire bientôt', lapsed: 'expiré', missing: 'non suivi' },
      completed_on: (d) => `Suivi le ${d}`, valid_until: (d) => `valable jusqu'au ${d}`, lapsed_on: (d) => `expiré le ${d}`,
      advice_expiring: (m, d) => `Renouvelez le module « ${m} » avant le ${d} : demandez à votre responsable de programme.`,
      advice_lapsed: (m, d) => `Le module « ${m} » a expiré le ${d} : demandez une nouvelle session à votre responsable de programme.`,
      advice_missing: (m) => `Suivez le module « ${m} » : demandez à votre responsable de programme.`,
      referrals_title: 'Orientation', ref_language: 'Langue de la personne', referrals_empty: "Aucune adresse pour cette région et cette langue.",
      saved_on: (d) => `Pas de réseau : la liste enregistrée le ${d}.`, region: { flanders: 'Flandre', wallonia: 'Wallonie', brussels: 'Bruxelles' },
      for_region: (r) => `Région : ${r}`, no_saved: "Pas de réseau, et aucune liste n'est encore enregistrée sur cet appareil.",
      danger: 'Danger immédiat', network_error: 'Le serveur est injoignable.', refused_later: 'Un signal gardé sur cet appareil a été refusé par le serveur :',
    },
    nl: {
      have_invitation: 'Ik heb een uitnodiging', accept_title: 'Uitnodiging aanvaarden', invite_code: 'Code uit de uitnodigingsmail',
      new_password: 'Kies een wachtwoord (minstens 12 tekens)', new_password2: 'Hetzelfde wachtwoord nog eens', accept: 'Mijn account activeren',
      back_signin: 'Terug naar aanmelden', code_missing: 'Typ de code uit de e-mail.', passwords_differ: 'De twee wachtwoorden zijn niet gelijk.',
      code_unknown: 'Deze code is onbekend, al gebruikt of verlopen. Vraag uw programmaverantwoordelijke een nieuwe uitnodiging.',
      lock_title: 'Vergrendeld', lock_text: 'Dit toestel werd een tijd niet gebruikt. Geef uw wachtwoord in om verder te gaan.', unlock: 'Ontgrendelen',
      device_title: 'Dit toestel', push_on: 'Dit toestel verwittigen als de status van een melding verandert', push_off: 'Meldingen op dit toestel stoppen',
      push_active: 'Dit toestel wordt verwittigd als een melding verandert (de melding zegt niets meer).', push_inactive: 'Dit toestel wordt niet verwittigd.',
      push_unsupported: 'Deze browser kan geen meldingen ontvangen; de lijst ververst zichzelf zolang de app open is.',
      push_denied: 'Meldingen zijn voor deze app geblokkeerd in de browserinstellingen.',
      everywhere_text: 'Telefoon of tablet kwijt? Meld u overal af: elk toestel vraagt dan opnieuw het wachtwoord.',
      sign_out_everywhere: 'Op alle toestellen afmelden', everywhere_confirm: 'Echt overal afmelden? Tik nog eens',
      nav_file: 'Nieuw signaal', nav_signals: 'Mijn signalen', sign_out: 'Afmelden', loading: 'Laden…',
      offline: 'Geen netwerk: een signaal blijft verzegeld op dit toestel en wordt verstuurd zodra het netwerk terug is.',
      overdue: 'Een signaal kon al 15 minuten niet worden verstuurd. Bel nu samen met de persoon de hulplijn:',
      pending: (n) => `${n} signaal/signalen op dit toestel, wachtend op het netwerk.`,
      signin_title: 'Aanmelden', email: 'E-mailadres', password: 'Wachtwoord', totp: 'Code van uw authenticator-app', signin: 'Aanmelden',
      file_title: 'Nieuw signaal', urgency: 'Is de persoon in onmiddellijk gevaar?', urgency_standard: 'Nee', urgency_danger: 'Ja, onmiddellijk gevaar',
      call_112: 'Bel nu 112', danger_note: 'Bel eerst 112. Verstuur daarna het signaal: de hulplijn belt zo snel mogelijk terug.',
      phone: 'Terugbelnummer', phone_shown: (p) => `Wordt gebeld op: ${p}`, phone_bad: 'Typ een Belgisch nummer (bv. 0470 12 34 56) of een internationaal nummer dat met + begint.',
      alias: 'Voornaam of alias (optioneel)', language: 'Taal van het gesprek', language_other: 'Andere',
      windows: 'Wanneer is bellen veilig? (geen: altijd)', add_window: 'Tijdstip toevoegen', remove: 'Verwijderen', day: 'Dag', from: 'Van', to: 'Tot',
      days: ['Maandag', 'Dinsdag', 'Woensdag', 'Donderdag', 'Vrijdag', 'Zaterdag', 'Zondag'],
      voicemail: 'Er mag een voicemail worden ingesproken', consent: 'De persoon wil teruggebeld worden', consent_missing: 'De persoon moet akkoord gaan om teruggebeld te worden.',
      note: 'Notitie voor de hulplijn (optioneel)', send: 'Signaal versturen', sending: 'Versturen…',
      receipt_title: 'Signaal verstuurd', reference: 'Referentie', helpline: 'Hulplijn die terugbelt', when: 'Wanneer', training: 'Opleiding van dit relaispunt',
      open_now: 'De hulplijn is nu open: het terugbellen kan nu beginnen.', opens_at: (t) => `De hulplijn is nu gesloten; het terugbellen begint vanaf ${t}.`, no_hours: 'De hulplijn heeft binnenkort geen openingsuren; bel ze als de persoon dat kan.',
      receipt_tell: 'Geef de persoon de naam van de hulplijn en zeg dat die terugbelt. Niets van het contact blijft op dit toestel.',
      another: 'Nog een signaal versturen', queued_title: 'Op dit toestel bewaard',
      queued_text: 'Er is geen netwerk. Het signaal is verzegeld op dit toestel en wordt verstuurd zodra het netwerk terug is. Lukt dat niet binnen 15 minuten, dan zegt de app u de hulplijn te bellen.',
      signals_title: 'Mijn signalen', signals_empty: 'Nog geen signalen.', withdraw: 'Intrekken', withdraw_confirm: 'Echt intrekken? Tik opnieuw', withdrawn_ok: 'Ingetrokken: het contact is gewist.',
      status: { received: 'ontvangen', forwarded: 'doorgegeven', in_progress: 'in behandeling', completed: 'afgerond', expired: 'verlopen', withdrawn: 'ingetrokken' },
      training_status: { trained: 'in orde', expiring: 'verloopt binnenkort: vernieuwen', expired: 'verlopen: vernieuwen', lapsed: 'verlopen: vernieuwen', untrained: 'niet opgeleid' },
      nav_training: 'Mijn opleiding', nav_referrals: 'Doorverwijzen', training_title: 'Mijn opleiding', training_empty: 'Uw programma heeft nog geen opleidingsmodules.',
      relay_status: (s) => `Opleiding van dit relaispunt: ${s}.`, required: 'verplicht', optional: 'optioneel',
      standing: { valid: 'geldig', expiring: 'verloopt binnenkort', lapsed: 'verlopen', missing: 'niet gevolgd' },
      completed_on: (d) => `Gevolgd op ${d}`, valid_until: (d) => `geldig tot ${d}`, lapsed_on: (d) => `verlopen op ${d}`,
      advice_expiring: (m, d) => `Vernieuw de module “${m}” vóór ${d}: vraag het uw programmaverantwoordelijke.`,
      advice_lapsed: (m, d) => `De module “${m}” is verlopen op ${d}: vraag uw programmaverantwoordelijke om een nieuwe sessie.`,
      advice_missing: (m) => `Volg de module “${m}”: vraag het uw programmaverantwoordelijke.`,
      referrals_title: 'Doorverwijzen', ref_language: 'Taal van de persoon', referrals_empty: 'Geen adres voor deze regio en taal.',
      saved_on: (d) => `Geen netwerk: de lijst bewaard op ${d}.`, region: { flanders: 'Vlaanderen', wallonia: 'Wallonië', brussels: 'Brussel' },
      for_region: (r) => `Regio: ${r}`, no_saved: 'Geen netwerk, en nog geen lijst bewaard op dit toestel.',
      danger: 'Onmiddellijk gevaar', network_error: 'De server is niet bereikbaar.', refused_later: 'Een op dit toestel bewaard signaal werd door de server geweigerd:',
    },
    de: {
      have_invitation: 'Ich habe eine Einladung', accept_title: 'Einladung annehmen', invite_code: 'Code aus der Einladungs-E-Mail',
      new_password: 'Wählen Sie ein Passwort (mindestens 12 Zeichen)', new_password2: 'Dasselbe Passwort noch einmal', accept: 'Mein Konto aktivieren',
      back_signin: 'Zurück zur Anmeldung', code_missing: 'Geben Sie den Code aus der E-Mail ein.', passwords_differ: 'Die beiden Passwörter stimmen nicht überein.',
      code_unknown: 'Dieser Code ist unbekannt, schon benutzt oder abgelaufen. Bitten Sie Ihre Programmverantwortlichen um eine neue Einladung.',
      lock_title: 'Gesperrt', lock_text: 'Dieses Gerät wurde eine Weile nicht benutzt. Geben Sie Ihr Passwort ein, um fortzufahren.', unlock: 'Entsperren',
      device_title: 'Dieses Gerät', push_on: 'Dieses Gerät benachrichtigen, wenn sich der Status eines Signals ändert', push_off: 'Benachrichtigungen auf diesem Gerät beenden',
      push_active: 'Dieses Gerät wird benachrichtigt, wenn sich ein Signal ändert (die Benachrichtigung sagt nicht mehr).', push_inactive: 'Dieses Gerät wird nicht benachrichtigt.',
      push_unsupported: 'Dieser Browser kann keine Benachrichtigungen empfangen; die Liste aktualisiert sich selbst, solange die App offen ist.',
      push_denied: 'Benachrichtigungen sind für diese App in den Browser-Einstellungen blockiert.',
      everywhere_text: 'Telefon oder Tablet verloren? Melden Sie sich überall ab: jedes Gerät verlangt dann wieder das Passwort.',
      sign_out_everywhere: 'Auf allen Geräten abmelden', everywhere_confirm: 'Wirklich überall abmelden? Noch einmal tippen',
      nav_file: 'Neues Signal', nav_signals: 'Meine Signale', sign_out: 'Abmelden', loading: 'Wird geladen…',
      offline: 'Kein Netz: Ein Signal wird versiegelt auf diesem Gerät aufbewahrt und gesendet, sobald das Netz zurück ist.',
      overdue: 'Ein Signal konnte seit 15 Minuten nicht gesendet werden. Rufen Sie jetzt gemeinsam mit der Person die Hotline an:',
      pending: (n) => `${n} Signal(e) auf diesem Gerät, wartet auf das Netz.`,
      signin_title: 'Anmelden', email: 'E-Mail-Adresse', password: 'Passwort', totp: 'Code Ihrer Authenticator-App', signin: 'Anmelden',
      file_title: 'Neues Signal', urgency: 'Ist die Person in akuter Gefahr?', urgency_standard: 'Nein', urgency_danger: 'Ja, akute Gefahr',
      call_112: 'Jetzt 112 anrufen', danger_note: 'Rufen Sie zuerst 112 an. Senden Sie dann das Signal: Die Hotline ruft so schnell wie möglich zurück.',
      phone: 'Rückrufnummer', phone_shown: (p) => `Wird angerufen unter: ${p}`, phone_bad: 'Geben Sie eine belgische Nummer (z. B. 0470 12 34 56) oder eine internationale mit + ein.',
      alias: 'Vorname oder Alias (optional)', language: 'Sprache des Anrufs', language_other: 'Andere',
      windows: 'Wann ist ein Anruf sicher? (keine Angabe: jederzeit)', add_window: 'Zeit hinzufügen', remove: 'Entfernen', day: 'Tag', from: 'Von', to: 'Bis',
      days: ['Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag', 'Sonntag'],
      voicemail: 'Eine Sprachnachricht darf hinterlassen werden', consent: 'Die Person ist mit dem Rückruf einverstanden', consent_missing: 'Die Person muss mit dem Rückruf einverstanden sein.',
      note: 'Notiz für die Hotline (optional)', send: 'Signal senden', sending: 'Wird gesendet…',
      receipt_title: 'Signal gesendet', reference: 'Referenz', helpline: 'Hotline, die zurückruft', when: 'Wann', training: 'Schulung dieser Relaisstelle',
      open_now: 'Die Hotline ist jetzt geöffnet: Der Rückruf kann jetzt beginnen.', opens_at: (t) => `Die Hotline ist jetzt geschlossen; der Rückruf beginnt ab ${t}.`, no_hours: 'Die Hotline hat demnächst keine Öffnungszeiten; rufen Sie sie an, wenn die Person kann.',
      receipt_tell: 'Nennen Sie der Person den Namen der Hotline und dass sie zurückruft. Nichts vom Kontakt bleibt auf diesem Gerät.',
      another: 'Weiteres Signal senden', queued_title: 'Auf diesem Gerät aufbewahrt',
      queued_text: 'Kein Netz. Das Signal ist auf diesem Gerät versiegelt und wird gesendet, sobald das Netz zurück ist. Gelingt das nicht innerhalb von 15 Minuten, sagt Ihnen die App, die Hotline anzurufen.',
      signals_title: 'Meine Signale', signals_empty: 'Noch keine Signale.', withdraw: 'Zurückziehen', withdraw_confirm: 'Wirklich zurückziehen? Nochmals tippen', withdrawn_ok: 'Zurückgezogen: Der Kontakt wurde gelöscht.',
      status: { received: 'empfangen', forwarded: 'weitergeleitet', in_progress: 'in Bearbeitung', completed: 'abgeschlossen', expired: 'abgelaufen', withdrawn: 'zurückgezogen' },
      training_status: { trained: 'aktuell', expiring: 'läuft bald ab: erneuern', expired: 'abgelaufen: erneuern', lapsed: 'abgelaufen: erneuern', untrained: 'nicht geschult' },
      nav_training: 'Meine Schulung', nav_referrals: 'Weiterverweisen', training_title: 'Meine Schulung', training_empty: 'Ihr Programm hat noch keine Schulungsmodule.',
      relay_status: (s) => `Schulung dieser Relaisstelle: ${s}.`, required: 'Pflicht', optional: 'freiwillig',
      standing: { valid: 'gültig', expiring: 'läuft bald ab', lapsed: 'abgelaufen', missing: 'nicht besucht' },
      completed_on: (d) => `Abgeschlossen am ${d}`, valid_until: (d) => `gültig bis ${d}`, lapsed_on: (d) => `abgelaufen am ${d}`,
      advice_expiring: (m, d) => `Erneuern Sie das Modul „${m}“ vor dem ${d}: Fragen Sie Ihre Programmleitung.`,
      advice_lapsed: (m, d) => `Das Modul „${m}“ ist am ${d} abgelaufen: Bitten Sie Ihre Programmleitung um eine neue Sitzung.`,
      advice_missing: (m) => `Besuchen Sie das Modul „${m}“: Fragen Sie Ihre Programmleitung.`,
      referrals_title: 'Weiterverweisen', ref_language: 'Sprache der Person', referrals_empty: 'Keine Adresse für diese Region und Sprache.',
      saved_on: (d) => `Kein Netz: die am ${d} gespeicherte Liste.`, region: { flanders: 'Flandern', wallonia: 'Wallonien', brussels: 'Brüssel' },
      for_region: (r) => `Region: ${r}`, no_saved: 'Kein Netz, und noch keine Liste auf diesem Gerät gespeichert.',
      danger: 'Akute Gefahr', network_error: 'Der Server ist nicht erreichbar.', refused_later: 'Ein auf diesem Gerät aufbewahrtes Signal wurde vom Server abgelehnt:',
    },
  };

  // The browser's language first, then the account's, then English.
  function browserLanguage() {
    for (const tag of navigator.languages || [navigator.language || '']) {
      const primary = String(tag).toLowerCase().split('-')[0];
      if (TEXT[primary]) return primary;
    }
    return null;
  }
  let lang = browserLanguage() || 'en';
  const t = (key) => TEXT[lang][key] ?? TEXT.en[key];
  function translate() {
    document.documentElement.lang = lang;
    for (const el of document.querySelectorAll('[data-t]')) {
      const v = t(el.dataset.t);
      if (typeof v === 'string') el.textContent = v;
    }
    renderWindows();
  }

  const $ = (id) => document.getElementById(id);
  const SCREENS = ['loading', 'signin', 'accept', 'lock', 'file', 'receipt', 'queued', 'signals', 'training', 'referrals'];
  let current = 'loading';
  function show(screen) {
    if (locked && screen !== 'lock' && screen !== 'signin') return;
    current = screen;
    for (const s of SCREENS) $(s).hidden = s !== screen;
    for (const n of ['file', 'signals', 'training', 'referrals']) $(`nav-${n}`).setAttribute('aria-current', screen === n ? 'page' : 'false');
    if (screen === 'signals') { loadSignals(); pushState(); }
    if (screen === 'training') loadTraining();
    if (screen === 'referrals') loadReferrals();
    window.scrollTo(0, 0);
  }

  // ---- Session: access token in memory, refresh token in an HttpOnly cookie. ----
  let access = null;
  let accessUntil = 0;
  let refreshing = null;

  async function refresh() {
    if (!refreshing) {
      refreshing = fetch(`${API}/auth/refresh`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': lang },
        body: '{}', credentials: 'same-origin',
      }).then(async (r) => {
        if (!r.ok) { access = null; return false; }
        signedIn(await r.json());
        return true;
      }).finally(() => { refreshing = null; });
    }
    return refreshing;
  }

  let me = null;
  function signedIn(body) {
    access = body.access_token;
    if (body.user) me = { email: body.user.email };
    accessUntil = Date.now() + (body.expires_in - 30) * 1000;
    if (!browserLanguage() && body.user && TEXT[body.user.language]) { lang = body.user.language; translate(); }
  }

  // A call to the API; refreshes the access token first when it is about to end,
  // and once more on a 401. Network failures throw (TypeError).
  async function api(method, path, body, headers = {}) {
    if (!access || Date.now() > accessUntil) { if (!(await refresh())) { signedOut(); return new Response(null, { status: 401 }); } }
    const send = () => fetch(API + path, {
      method,
      headers: { 'content-type': 'application/json', 'accept-language': lang, authorization: `Bearer ${access}`, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
    let r = await send();
    if (r.status === 401 && (await refresh())) r = await send();
    if (r.status === 401) { signedOut(); }
    return r;
  }

  function signedOut() {
    access = null;
    me = null;
    locked = false;
    region = null;
    $('nav').hidden = true;
    show('signin');
  }

  async function problemOf(r) {
    try { return await r.json(); } catch { return { detail: t('network_error') }; }
  }

  // ---- Sign-in. ----
  $('signin-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const err = $('signin-error');
    err.hidden = true;
    const body = { email: $('email').value.trim(), password: $('password').value, refresh_in_cookie: true };
    if ($('totp').value.trim()) body.totp_code = $('totp').value.trim();
    let r;
    try {
      r = await fetch(`${API}/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': lang },
        body: JSON.stringify(body), credentials: 'same-origin',
      });
    } catch {
      err.textContent = t('network_error'); err.hidden = false; return;
    }
    if (!r.ok) {
      const p = await problemOf(r);
      if (p.code === 'second_factor_required') $('totp-row').hidden = false;
      err.textContent = p.detail || p.title; err.hidden = false;
      return;
    }
    signedIn(await r.json());
    $('password').value = '';
    $('totp').value = '';
    started();
  });

  async function signOut() {
    await pushOff();
    try {
      await fetch(`${API}/auth/logout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', credentials: 'same-origin' });
    } catch { /* offline: the cookie stays until the next sign-out; the session can be ended from elsewhere */ }
    signedOut();
  }
  $('sign-out').addEventListener('click', signOut);
  $('lock-sign-out').addEventListener('click', signOut);

  // ---- Accepting an invitation: choose a password, then signed in. ----
  $('have-invitation').addEventListener('click', () => { show('accept'); $('invite-code').focus(); });
  $('accept-back').addEventListener('click', () => show('signin'));
  function acceptField(id, text) { const e = $(`${id}-error`); e.textContent = text; e.hidden = false; $(id).setAttribute('aria-invalid', 'true'); }
  $('accept-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const id of ['invite-code', 'new-password', 'new-password2']) { $(`${id}-error`).hidden = true; $(id).removeAttribute('aria-invalid'); }
    $('accept-error').hidden = true;
    const code = $('invite-code').value.trim();
    const password = $('new-password').value;
    if (!code) { acceptField('invite-code', t('code_missing')); return; }
    if (password !== $('new-password2').value) { acceptField('new-password2', t('passwords_differ')); return; }
    let r;
    try {
      r = await fetch(`${API}/invitations/${encodeURIComponent(code)}/accept`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': lang },
        body: JSON.stringify({ password }), credentials: 'same-origin',
      });
    } catch { $('accept-error').textContent = t('network_error'); $('accept-error').hidden = false; return; }
    if (!r.ok) {
      const p = await problemOf(r);
      if (r.status === 404) acceptField('invite-code', t('code_unknown'));
      else if (p.errors && p.errors.length) for (const fe of p.errors) acceptField(fe.field === 'password' ? 'new-password' : 'invite-code', fe.message);
      else { $('accept-error').textContent = p.detail || p.title; $('accept-error').hidden = false; }
      return;
    }
    const user = await r.json();
    let l;
    try {
      l = await fetch(`${API}/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': lang },
        body: JSON.stringify({ email: user.email, password, refresh_in_cookie: true }), credentials: 'same-origin',
      });
    } catch { l = null; }
    for (const id of ['invite-code', 'new-password', 'new-password2']) $(id).value = '';
    if (!l || !l.ok) { $('email').value = user.email; show('signin'); return; }
    signedIn(await l.json());
    started();
  });

  // ---- Inactivity lock (shared counter devices). After LOCK_MS without a touch
  // or key, or hidden that long, the screen is covered and the password is asked
  // again; nothing of a signal stays on screen. Signals kept offline are still
  // sent while locked (a lost signal is worse than a locked screen). ----
  const LOCK_MS = (Number(document.querySelector('meta[name="saferelay-lock-seconds"]')?.content) || 300) * 1000;
  let locked = false;
  let before = 'file';
  function active() {
    if (locked) return;
    try { localStorage.setItem('relay.active', String(Date.now())); } catch { /* private mode */ }
  }
  function lastActive() {
    const v = Number(localStorage.getItem('relay.active'));
    return Number.isFinite(v) && v > 0 ? v : Date.now();
  }
  for (const ev of ['pointerdown', 'keydown', 'touchstart', 'wheel']) window.addEventListener(ev, active, { passive: true, capture: true });
  function lock() {
    if (locked || !me) return;
    before = ['file', 'signals', 'training', 'referrals'].includes(current) ? current : 'file';
    locked = true;
    $('signals-list').textContent = '';
    for (const id of ['receipt-reference', 'receipt-helpline', 'receipt-when', 'receipt-training', 'receipt-danger']) $(id).textContent = '';
    $('nav').hidden = true;
    $('lock-who').textContent = me.email;
    $('lock-error').hidden = true;
    for (const s of SCREENS) $(s).hidden = s !== 'lock';
    current = 'lock';
    $('lock-password').focus();
  }
  function checkLock() {
    if (!locked && me && Date.now() - lastActive() >= LOCK_MS) lock();
  }
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') checkLock(); });
  setInterval(checkLock, 1000);
  $('lock-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const err = $('lock-error');
    err.hidden = true;
    const body = { email: me.email, password: $('lock-password').value, refresh_in_cookie: true };
    if ($('lock-totp').value.trim()) body.totp_code = $('lock-totp').value.trim();
    let r;
    try {
      r = await fetch(`${API}/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': lang },
        body: JSON.stringify(body), credentials: 'same-origin',
      });
    } catch { err.textContent = t('network_error'); err.hidden = false; return; }
    $('lock-password').value = '';
    if (!r.ok) {
      const p = await problemOf(r);
      if (p.code === 'second_factor_required') $('lock-totp-row').hidden = false;
      err.textContent = p.detail || p.title; err.hidden = false;
      return;
    }
    $('lock-totp').value = '';
    signedIn(await r.json());
    locked = false;
    active();
    $('nav').hidden = false;
    show(before);
  });

  // ---- Web Push: the device is told that a status changed, nothing more. ----
  const pushSupported = 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
  function b64urlBytes(s) {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  }
  async function pushRegistration() {
    return navigator.serviceWorker.getRegistration('/relay/');
  }
  async function pushState() {
    const on = $('push-on'); const off = $('push-off'); const state = $('push-state');
    on.hidden = true; off.hidden = true;
    if (!pushSupported) { state.textContent = t('push_unsupported'); return; }
    if (Notification.permission === 'denied') { state.textContent = t('push_denied'); return; }
    const reg = await pushRegistration();
    const sub = reg && (await reg.pushManager.getSubscription());
    const subscribed = Boolean(sub && localStorage.getItem('relay.push'));
    state.textContent = subscribed ? t('push_active') : t('push_inactive');
    off.hidden = !subscribed; on.hidden = subscribed;
  }
  async function pushOn() {
    const state = $('push-state');
    try {
      if ((await Notification.requestPermission()) !== 'granted') { state.textContent = t('push_denied'); return; }
      const k = await api('GET', '/push/public-key');
      if (!k.ok) { const p = await problemOf(k); state.textContent = p.detail || p.title; return; }
      const key = (await k.json()).public_key;
      const reg = await navigator.serviceWorker.ready;
      let sub = await reg.pushManager.getSubscription();
      if (sub && localStorage.getItem('relay.push-key') !== key) { await sub.unsubscribe(); sub = null; }
      if (!sub) sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: b64urlBytes(key) });
      const r = await api('POST', '/me/push-subscriptions', sub.toJSON());
      if (r.status !== 201) { const p = await problemOf(r); state.textContent = p.detail || p.title; await sub.unsubscribe(); return; }
      localStorage.setItem('relay.push', (await r.json()).id);
      localStorage.setItem('relay.push-key', key);
    } catch {
      state.textContent = t('push_unsupported');
      return;
    }
    await pushState();
  }
  async function pushOff() {
    const id = localStorage.getItem('relay.push');
    localStorage.removeItem('relay.push');
    if (id && access) { try { await api('DELETE', `/me/push-subscriptions/${encodeURIComponent(id)}`); } catch { /* offline: ended server-side when the session ends */ } }
    if (pushSupported) {
      try { const reg = await pushRegistration(); const sub = reg && (await reg.pushManager.getSubscription()); if (sub) await sub.unsubscribe(); } catch { /* none */ }
    }
  }
  $('push-on').addEventListener('click', pushOn);
  $('push-off').addEventListener('click', async () => { await pushOff(); await pushState(); });
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.addEventListener('message', (e) => {
      if (e.data && e.data.kind === 'signal_status_changed' && !locked && current === 'signals') loadSignals();
    });
  }

  // ---- Sign out everywhere (a lost device). ----
  $('sign-out-everywhere').addEventListener('click', async () => {
    const b = $('sign-out-everywhere');
    if (!b.classList.contains('confirm')) { b.classList.add('confirm'); b.textContent = t('everywhere_confirm'); return; }
    b.classList.remove('confirm'); b.textContent = t('sign_out_everywhere');
    let r;
    try { r = await api('POST', '/auth/logout-everywhere', {}); } catch { $('signals-error').textContent = t('network_error'); $('signals-error').hidden = false; return; }
    if (r.status !== 204) { const p = await problemOf(r); $('signals-error').textContent = p.detail || p.title; $('signals-error').hidden = false; return; }
    localStorage.removeItem('relay.push');
    if (pushSupported) { try { const reg = await pushRegistration(); const sub = reg && (await reg.pushManager.getSubscription()); if (sub) await sub.unsubscribe(); } catch { /* none */ } }
    signedOut();
  });

  // ---- Phone number shown back formatted. ----
  // Parsed with libphonenumber-js (Belgium by default; the server parses it again
  // with the same metadata and has the last word).
  function parsedPhone(raw) {
    try {
      const p = window.libphonenumber.parsePhoneNumberFromString(raw, 'BE');
      return p && p.isValid() ? p : null;
    } catch { return null; }
  }
  $('phone').addEventListener('input', () => {
    const p = parsedPhone($('phone').value);
    $('phone-shown').textContent = p ? t('phone_shown')(p.formatInternational()) : '';
  });

  // ---- Urgency: immediate danger puts the 112 call first. ----
  function urgency() { return document.querySelector('input[name=urgency]:checked').value; }
  for (const r of document.querySelectorAll('input[name=urgency]')) {
    r.addEventListener('change', () => {
      const danger = urgency() === 'immediate_danger';
      $('call-112').hidden = !danger;
      $('danger-note').hidden = !danger;
    });
  }

  // ---- Safe windows: day + from/to. ----
  const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  let windows = [];
  function readWindows() {
    windows = [...document.querySelectorAll('#windows .window')].map((w) => ({
      day: w.querySelector('select').value, start: w.querySelector('.from').value, end: w.querySelector('.to').value,
    }));
  }
  function renderWindows() {
    const box = $('windows');
    box.textContent = '';
    windows.forEach((w, i) => {
      const row = document.createElement('div');
      row.className = 'window';
      const field = (label, el) => {
        const wrap = document.createElement('div');
        const l = document.createElement('label');
        el.id = `${label}-${i}`;
        l.htmlFor = el.id;
        l.textContent = t(label);
        wrap.append(l, el);
        return wrap;
      };
      const day = document.createElement('select');
      DAYS.forEach((d, k) => { const o = document.createElement('option'); o.value = d; o.textContent = t('days')[k]; day.append(o); });
      day.value = w.day;
      const from = document.createElement('input'); from.type = 'time'; from.className = 'from'; from.value = w.start; from.autocomplete = 'off';
      const to = document.createElement('input'); to.type = 'time'; to.className = 'to'; to.value = w.end; to.autocomplete = 'off';
      const rm = document.createElement('button');
      rm.type = 'button'; rm.textContent = '×'; rm.setAttribute('aria-label', `${t('remove')} ${i + 1}`);
      rm.addEventListener('click', () => { readWindows(); windows.splice(i, 1); renderWindows(); });
      row.append(field('day', day), field('from', from), field('to', to), rm);
      box.append(row);
    });
  }
  $('add-window').addEventListener('click', () => {
    readWindows();
    const today = DAYS[(new Date().getDay() + 6) % 7];
    windows.push({ day: today, start: '09:00', end: '17:00' });
    renderWindows();
  });

  // ---- Filing. ----
  const FIELDS = ['phone', 'alias', 'language', 'safe_windows', 'consent', 'note'];
  function clearErrors() {
    $('form-error').hidden = true;
    for (const f of FIELDS) { const e = $(`${f}-error`); e.hidden = true; e.textContent = ''; }
    for (const f of FIELDS) { const el = $(f); if (el) el.removeAttribute('aria-invalid'); }
  }
  function fieldError(field, message) {
    const name = FIELDS.find((f) => field === f || field.startsWith(`${f}[`) || field.startsWith(`${f}.`)) || null;
    if (!name) return false;
    const e = $(`${name}-error`);
    e.textContent = e.textContent ? `${e.textContent} ${message}` : message;
    e.hidden = false;
    const el = $(name);
    if (el) el.setAttribute('aria-invalid', 'true');
    return true;
  }
  function showProblem(p) {
    let unplaced = [];
    for (const e of p.errors || []) if (!fieldError(e.field, e.message)) unplaced.push(`${e.field}: ${e.message}`);
    const lines = [p.detail || p.title];
    if (p.guidance) lines.push(p.guidance.what_to_do, ...p.guidance.call.map((c) => `${c.name}: ${c.number}`));
    $('form-error').textContent = [...lines, ...unplaced].filter(Boolean).join(' — ');
    $('form-error').hidden = false;
    $('form-error').focus?.();
  }

  function collect() {
    readWindows();
    const alias = $('alias').value.trim();
    const note = $('note').value.trim();
    return {
      phone: $('phone').value.trim(),
      alias: alias || null,
      language: $('language').value,
      safe_windows: windows.map((w) => ({ day: w.day, start: w.start, end: w.end })),
      voicemail_ok: $('voicemail').checked,
      urgency: urgency(),
      consent: $('consent').checked,
      note: note || null,
    };
  }

  function clearForm() {
    $('file-form').reset();
    windows = [];
    renderWindows();
    $('phone-shown').textContent = '';
    $('call-112').hidden = true;
    $('danger-note').hidden = true;
    clearErrors();
  }

  $('file-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors();
    const body = collect();
    // Checked here too, so a signal kept offline is not refused later for this.
    let bad = false;
    if (!parsedPhone(body.phone)) { fieldError('phone', t('phone_bad')); bad = true; }
    if (!body.consent) { fieldError('consent', t('consent_missing')); bad = true; }
    if (bad) return;
    const key = crypto.randomUUID();
    const send = $('send');
    send.disabled = true;
    send.textContent = t('sending');
    try {
      if (!navigator.onLine) throw new TypeError('offline');
      const r = await api('POST', '/signals', body, { 'idempotency-key': key });
      if (r.status === 201) { receipt(await r.json()); clearForm(); return; }
      if (r.status === 503) throw new TypeError('unavailable');
      showProblem(await problemOf(r));
    } catch (err) {
      if (!(err instanceof TypeError)) throw err;
      await keep(key, body);
      clearForm();
      show('queued');
    } finally {
      send.disabled = false;
      send.textContent = t('send');
    }
  });

  function receipt(r) {
    rememberHelpline(r.helpline);
    $('receipt-reference').textContent = r.reference;
    $('receipt-helpline').textContent = '';
    const a = document.createElement('a');
    a.href = `tel:${r.helpline.public_phone.replace(/\s/g, '')}`;
    a.textContent = `${r.helpline.name} — ${r.helpline.public_phone}`;
    $('receipt-helpline').append(a);
    $('receipt-when').textContent = r.helpline_open_now ? t('open_now')
      : r.expected_callback_from ? t('opens_at')(new Date(r.expected_callback_from).toLocaleString(lang, { weekday: 'long', hour: '2-digit', minute: '2-digit', day: 'numeric', month: 'long' }))
        : t('no_hours');
    $('receipt-training').textContent = t('training_status')[r.relay_training_status] || r.relay_training_status;
    const danger = $('receipt-danger');
    danger.hidden = !r.guidance;
    danger.textContent = '';
    if (r.guidance) {
      const call = document.createElement('a');
      call.href = 'tel:112'; call.className = 'call112'; call.textContent = t('call_112');
      const p = document.createElement('p'); p.textContent = r.guidance;
      danger.append(call, p);
    }
    show('receipt');
  }
  $('another').addEventListener('click', () => show('file'));
  $('queued-another').addEventListener('click', () => show('file'));

  // The last helpline's public number (not personal data), for the 15-minute warning.
  function rememberHelpline(h) {
    try { localStorage.setItem('relay.helpline', JSON.stringify({ name: h.name, public_phone: h.public_phone })); } catch { /* private mode */ }
  }

  // ---- Offline: sealed records in IndexedDB. ----
  function idb() {
    return new Promise((ok, ko) => {
      const r = indexedDB.open('saferelay-relay', 2);
      r.onupgradeneeded = () => {
        const names = r.result.objectStoreNames;
        if (!names.contains('keys')) r.result.createObjectStore('keys');
        if (!names.contains('outbox')) r.result.createObjectStore('outbox', { keyPath: 'key' });
        // The last referral list fetched: public addresses and numbers, no personal data.
        if (!names.contains('referrals')) r.result.createObjectStore('referrals');
      };
      r.onsuccess = () => ok(r.result);
      r.onerror = () => ko(r.error);
    });
  }
  function tx(db, store, mode, fn) {
    return new Promise((ok, ko) => {
      const t = db.transaction(store, mode);
      const req = fn(t.objectStore(store));
      t.oncomplete = () => ok(req && req.result);
      t.onerror = () => ko(t.error);
    });
  }
  // The sealing key: generated once, non-extractable, kept as a CryptoKey object.
  async function sealingKey(db) {
    let k = await tx(db, 'keys', 'readonly', (s) => s.get('seal'));
    if (!k) {
      k = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
      await tx(db, 'keys', 'readwrite', (s) => s.put(k, 'seal'));
    }
    return k;
  }
  async function keep(key, body) {
    const db = await idb();
    const k = await sealingKey(db);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(key) }, k, new TextEncoder().encode(JSON.stringify(body)));
    await tx(db, 'outbox', 'readwrite', (s) => s.put({ key, iv, data, filed_at: Date.now() }));
    db.close();
    await showPending();
  }
  async function pendingRecords() {
    const db = await idb();
    const all = await tx(db, 'outbox', 'readonly', (s) => s.getAll());
    db.close();
    return all || [];
  }
  async function showPending() {
    const all = await pendingRecords();
    $('pending').hidden = all.length === 0;
    $('pending').textContent = all.length ? t('pending')(all.length) : '';
    const overdue = all.some((r) => Date.now() - r.filed_at > OVERDUE_MS);
    $('overdue').hidden = !overdue;
    if (overdue) {
      const list = $('overdue-numbers');
      list.textContent = '';
      let known = null;
      try { known = JSON.parse(localStorage.getItem('relay.helpline') || 'null'); } catch { /* none */ }
      const numbers = known ? [[known.name, known.public_phone], ...BUILT_IN.filter(([, n]) => n !== known.public_phone)] : BUILT_IN;
      for (const [name, number] of numbers) {
        const li = document.createElement('li');
        const a = document.createElement('a');
        a.href = `tel:${number.replace(/\s/g, '')}`; a.textContent = `${name}: ${number}`;
        li.append(a);
        list.append(li);
      }
    }
  }
  let flushing = false;
  async function flush() {
    if (flushing || !navigator.onLine) return showPending();
    if (!access && !(await refresh().catch(() => false))) return showPending();
    flushing = true;
    try {
      const db = await idb();
      const k = await sealingKey(db);
      const all = await tx(db, 'outbox', 'readonly', (s) => s.getAll());
      for (const rec of all || []) {
        const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: rec.iv, additionalData: new TextEncoder().encode(rec.key) }, k, rec.data);
        const body = JSON.parse(new TextDecoder().decode(plain));
        let r;
        try {
          r = await api('POST', '/signals', body, { 'idempotency-key': rec.key });
        } catch { break; /* still offline */ }
        if (r.status === 201) {
          rememberHelpline((await r.json()).helpline);
          await tx(db, 'outbox', 'readwrite', (s) => s.delete(rec.key));
        } else if (r.status === 401 || r.status === 429 || r.status >= 500) {
          break; // kept: sign in again, or later
        } else {
          // Refused for good: say so, and drop it (phone the helpline instead).
          const p = await problemOf(r);
          await tx(db, 'outbox', 'readwrite', (s) => s.delete(rec.key));
          $('form-error').textContent = `${t('refused_later')} ${p.detail || p.title}`;
          $('form-error').hidden = false;
        }
      }
      db.close();
    } finally {
      flushing = false;
      await showPending();
    }
  }

  // ---- My signals. ----
  async function loadSignals() {
    if (!access && !(await refresh())) return;
    let r;
    try { r = await api('GET', '/signals?limit=50'); } catch { $('signals-error').textContent = t('network_error'); $('signals-error').hidden = false; return; }
    if (!r.ok) { const p = await problemOf(r); $('signals-error').textContent = p.detail || p.title; $('signals-error').hidden = false; return; }
    $('signals-error').hidden = true;
    const page = await r.json();
    const list = $('signals-list');
    list.textContent = '';
    $('signals-empty').hidden = page.items.length > 0;
    for (const s of page.items) {
      const li = document.createElement('li');
      li.dataset.reference = s.reference;
      const ref = document.createElement('span'); ref.className = 'ref'; ref.textContent = s.reference;
      const st = document.createElement('span'); st.className = `status ${s.status}`; st.textContent = t('status')[s.status] || s.status;
      const meta = document.createElement('div');
      meta.textContent = `${new Date(s.created_at).toLocaleString(lang, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })} · ${s.helpline.name}${s.urgency === 'immediate_danger' ? ` · ${t('danger')}` : ''}`;
      li.append(ref, st, meta);
      if (s.status === 'received' || s.status === 'forwarded') {
        const b = document.createElement('button');
        b.type = 'button'; b.className = 'danger withdraw'; b.textContent = t('withdraw');
        b.addEventListener('click', () => withdraw(s.reference, b));
        li.append(b);
      }
      list.append(li);
    }
  }
  async function withdraw(reference, button) {
    if (!button.classList.contains('confirm')) {
      button.classList.add('confirm');
      button.textContent = t('withdraw_confirm');
      return;
    }
    button.disabled = true;
    let r;
    try { r = await api('POST', `/signals/${encodeURIComponent(reference)}/withdraw`, {}); } catch { button.disabled = false; return; }
    if (!r.ok) {
      const p = await problemOf(r);
      $('signals-error').textContent = p.detail || p.title;
      $('signals-error').hidden = false;
    }
    await loadSignals();
  }

  // ---- My training. ----
  const day = (iso) => new Date(`${iso}T00:00:00Z`).toLocaleDateString(lang, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  function failed(id, text) { $(id).textContent = text; $(id).hidden = false; }
  async function loadTraining() {
    $('training-error').hidden = true;
    let r;
    try { r = await api('GET', '/me/training'); } catch { return failed('training-error', t('network_error')); }
    if (!r.ok) { const p = await problemOf(r); return failed('training-error', p.detail || p.title); }
    const mine = await r.json();
    $('training-relay').textContent = t('relay_status')(t('training_status')[mine.relay_training_status] || mine.relay_training_status);
    const advice = $('training-advice');
    const list = $('training-list');
    advice.textContent = '';
    list.textContent = '';
    $('training-empty').hidden = mine.modules.length > 0;
    for (const { module: m, standing } of mine.modules) {
      // The completion that counts: the one that ends last.
      const done = mine.completions.filter((c) => c.module_id === m.id).sort((a, b) => (a.expires_on < b.expires_on ? 1 : -1))[0];
      const li = document.createElement('li');
      li.dataset.module = m.id;
      const title = document.createElement('span'); title.className = 'ref'; title.textContent = m.title;
      const st = document.createElement('span'); st.className = `status ${standing}`; st.textContent = t('standing')[standing] || standing;
      const meta = document.createElement('div');
      const parts = [m.required ? t('required') : t('optional')];
      if (done) parts.push(t('completed_on')(day(done.completed_on)), (standing === 'lapsed' ? t('lapsed_on') : t('valid_until'))(day(done.expires_on)));
      meta.textContent = parts.join(' · ');
      li.append(title, st, meta);
      list.append(li);
      let say = null;
      if (standing === 'expiring' && done) say = t('advice_expiring')(m.title, day(done.expires_on));
      else if (standing === 'lapsed' && done) say = t('advice_lapsed')(m.title, day(done.expires_on));
      else if (standing === 'missing' && m.required) say = t('advice_missing')(m.title);
      if (say) {
        const p = document.createElement('p');
        p.className = standing === 'expiring' ? 'notice' : 'alert';
        p.textContent = say;
        advice.append(p);
      }
    }
  }

  // ---- Referrals: the directory for the relay point's region; the last list
  // fetched is kept in IndexedDB (public addresses only) to show offline. ----
  let region = null;
  async function relayRegion() {
    if (region) return region;
    const me = await api('GET', '/me/training');
    if (!me.ok) throw new Error('training');
    const rp = await api('GET', `/relay-points/${encodeURIComponent((await me.json()).relay_point_id)}`);
    if (!rp.ok) throw new Error('relay point');
    region = (await rp.json()).region;
    return region;
  }
  function renderReferrals(saved, offline) {
    const list = $('referrals-list');
    list.textContent = '';
    $('referrals-empty').hidden = saved.items.length > 0;
    $('referrals-saved').hidden = !offline;
    $('referrals-saved').textContent = offline
      ? `${t('saved_on')(new Date(saved.saved_at).toLocaleString(lang, { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' }))} ${t('for_region')(t('region')[saved.region] || saved.region)}`
      : '';
    for (const res of saved.items) {
      const li = document.createElement('li');
      const name = document.createElement('span'); name.className = 'ref'; name.textContent = res.name;
      li.append(name);
      if (res.phone) {
        const a = document.createElement('a');
        a.href = `tel:${res.phone.replace(/[\s./()-]/g, '')}`; a.className = 'tel'; a.textContent = res.phone;
        li.append(a);
      }
      if (res.opening_hours) { const h = document.createElement('div'); h.className = 'hours'; h.textContent = res.opening_hours; li.append(h); }
      list.append(li);
    }
  }
  async function savedReferrals() {
    try {
      const db = await idb();
      const v = await tx(db, 'referrals', 'readonly', (s) => s.get('last'));
      db.close();
      return v || null;
    } catch { return null; }
  }
  let asked = 0;
  async function loadReferrals() {
    $('referrals-error').hidden = true;
    const language = $('ref-language').value;
    const mine = ++asked; // only the last question asked is shown
    try {
      if (!navigator.onLine) throw new TypeError('offline');
      const reg = await relayRegion();
      const r = await api('GET', `/resources?region=${encodeURIComponent(reg)}&language=${encodeURIComponent(language)}`);
      if (mine !== asked) return;
      if (!r.ok) { const p = await problemOf(r); return failed('referrals-error', p.detail || p.title); }
      const items = (await r.json()).map(({ name, kind, phone, opening_hours }) => ({ name, kind, phone, opening_hours }));
      const saved = { region: reg, language, saved_at: Date.now(), items };
      renderReferrals(saved, false);
      try {
        const db = await idb();
        await tx(db, 'referrals', 'readwrite', (s) => s.put(saved, 'last'));
        db.close();
      } catch { /* private mode: nothing kept */ }
    } catch (err) {
      if (!(err instanceof TypeError)) return failed('referrals-error', t('network_error'));
      const saved = await savedReferrals();
      if (mine !== asked) return;
      if (!saved) { $('referrals-list').textContent = ''; $('referrals-saved').hidden = true; return failed('referrals-error', t('no_saved')); }
      $('ref-language').value = saved.language;
      renderReferrals(saved, true);
    }
  }
  $('ref-language').addEventListener('change', loadReferrals);

  // ---- Start. ----
  $('nav-file').addEventListener('click', () => show('file'));
  $('nav-signals').addEventListener('click', () => show('signals'));
  $('nav-training').addEventListener('click', () => show('training'));
  $('nav-referrals').addEventListener('click', () => show('referrals'));

  function started() {
    active();
    $('nav').hidden = false;
    if (!$('ref-language').dataset.set) { $('ref-language').value = lang; $('ref-language').dataset.set = '1'; }
    show('file');
    flush();
  }
  function network() {
    $('offline').hidden = navigator.onLine;
    if (navigator.onLine) flush(); else showPending();
  }
  window.addEventListener('online', network);
  window.addEventListener('offline', network);
  setInterval(() => {
    if (navigator.onLine) flush(); else showPending();
    if (!$('signals').hidden && document.visibilityState === 'visible') loadSignals();
  }, REFRESH_MS);

  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/relay/sw.js', { scope: '/relay/' }).catch(() => { /* the app works without */ });
  }
  translate();
  network();
  // Started without network: the form still works (a signal is kept sealed and
  // sent once the session is confirmed online); otherwise sign in.
  // A session found on start after the lock time is locked straight away.
  refresh().then((ok) => {
    if (!ok) { show('signin'); return; }
    const idle = Date.now() - lastActive() >= LOCK_MS;
    if (idle) { $('nav').hidden = true; before = location.hash === '#signals' ? 'signals' : 'file'; lock(); flush(); return; }
    started();
    if (location.hash === '#signals') show('signals');
  }, () => started());
})();
