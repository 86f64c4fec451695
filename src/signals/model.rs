//! Signal domain types. Contact data (phone, alias, windows, note) lives in
//! `Contact`, whose `Debug` prints `[redacted]`, so it cannot leak through a log
//! line, an error or a panic message.

use std::fmt;

use serde::{Deserialize, Serialize};

use chrono::NaiveDateTime;

use crate::domain::{HelplineId, Language, Region, RelayKind, RelayPointId, SignalId, TrainingStatus, UserId};
use crate::http::error::FieldError;
use crate::routing::hours::{ClockTime, Day};
use crate::text_enum;

/// A callback number, validated and normalised to E.164 (Belgian by default).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let bad = || FieldError::new("phone", "is not a valid phone number (Belgian numbers may omit +32)");
        if raw.trim().is_empty() || raw.len() > 40 {
            return Err(bad());
        }
        let number = phonenumber::parse(Some(phonenumber::country::Id::BE), raw).map_err(|_| bad())?;
        if !phonenumber::is_valid(&number) {
            return Err(bad());
        }
        Ok(Self(number.format().mode(phonenumber::Mode::E164).to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A safe time to call: a weekday and a time range in Europe/Brussels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SafeWindow {
    pub day: Day,
    pub start: ClockTime,
    pub end: ClockTime,
}

/// Everything that could identify or reach the person. Encrypted at rest, destroyed
/// on close or after the retention maximum, never logged, never echoed to relays.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub phone: PhoneNumber,
    pub alias: Option<String>,
    pub safe_windows: Vec<SafeWindow>,
    pub voicemail_ok: bool,
    pub note: Option<String>,
}

impl fmt::Debug for Contact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Contact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Limits on the free-text parts of a contact.
pub const ALIAS_MAX: usize = 40;
pub const NOTE_MAX: usize = 500;
pub const WINDOWS_MAX: usize = 21;

impl Contact {
    /// Builds a contact from request parts, collecting every field error.
    pub fn parse(
        phone: &str,
        alias: Option<&str>,
        safe_windows: Vec<SafeWindow>,
        voicemail_ok: bool,
        note: Option<&str>,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let phone = PhoneNumber::parse(phone).map_err(|e| errors.push(e)).ok();
        let alias = text(alias, "alias", ALIAS_MAX, &mut errors);
        let note = text(note, "note", NOTE_MAX, &mut errors);
        if safe_windows.len() > WINDOWS_MAX {
            errors.push(FieldError::new("safe_windows", format!("at most {WINDOWS_MAX} windows")));
        }
        for (i, w) in safe_windows.iter().enumerate() {
            if w.start >= w.end {
                errors.push(FieldError::new(format!("safe_windows[{i}]"), "start must be before end"));
            }
        }
        match phone {
            Some(phone) if errors.is_empty() => Ok(Self { phone, alias, safe_windows, voicemail_ok, note }),
            _ => Err(errors),
        }
    }
}

/// Trims optional text; empty becomes `None`; too long or control characters is an error.
fn text(value: Option<&str>, field: &str, max: usize, errors: &mut Vec<FieldError>) -> Option<String> {
    let v = value.map(str::trim).filter(|v| !v.is_empty())?;
    if v.chars().count() > max {
        errors.push(FieldError::new(field, format!("at most {max} characters")));
        return None;
    }
    if v.chars().any(|c| c.is_control() && c != '\n') {
        errors.push(FieldError::new(field, "must not contain control characters"));
        return None;
    }
    Some(v.to_string())
}

/// How urgent the callback is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Standard,
    ImmediateDanger,
}
text_enum!(Urgency { Standard => "standard", ImmediateDanger => "immediate_danger" });

impl Urgency {
    /// Outbox and queue priority: lower goes first.
    pub fn priority(self) -> i32 {
        match self {
            Urgency::ImmediateDanger => 0,
            Urgency::Standard => 10,
        }
    }
}

/// What a relay may know of a signal's progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SignalStatus {
    Received,
    Forwarded,
    InProgress,
    Completed,
    Expired,
    /// Withdrawn by its relay point before a helpline took it; the contact is gone.
    Withdrawn,
}
text_enum!(SignalStatus {
    Received => "received",
    Forwarded => "forwarded",
    InProgress => "in_progress",
    Completed => "completed",
    Expired => "expired",
    Withdrawn => "withdrawn",
});

/// How a signal was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    ReferredSupport,
    ReferredShelter,
    ReferredPolice,
    InformationGiven,
    Declined,
    Unreachable,
    Duplicate,
    Other,
}
text_enum!(Outcome {
    ReferredSupport => "referred_support",
    ReferredShelter => "referred_shelter",
    ReferredPolice => "referred_police",
    InformationGiven => "information_given",
    Declined => "declined",
    Unreachable => "unreachable",
    Duplicate => "duplicate",
    Other => "other",
});

/// Alphabet of references: no 0/O, 1/I, so a reference read over the phone or
/// copied by hand is not misread.
const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// A short signal reference, `K7Q-2XPA`: six random characters and a check character.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference(String);

fn check_char(body: &[u8]) -> u8 {
    // Weighted sum modulo 32 (the Luhn mod N idea): catches every single-character
    // error and most swaps of neighbours.
    let sum: usize = body
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let v = ALPHABET.iter().position(|a| a == c).unwrap_or(0);
            v * (if i % 2 == 0 { 1 } else { 3 })
        })
        .sum();
    ALPHABET[(32 - sum % 32) % 32]
}

impl Reference {
    pub fn generate() -> Self {
        use rand::Rng;
        let mut rng = rand::rng();
        let body: Vec<u8> = (0..6).map(|_| ALPHABET[rng.random_range(0..32)]).collect();
        Self::from_body(&body)
    }

    fn from_body(body: &[u8]) -> Self {
        let c = check_char(body);
        let s: String = body.iter().chain(std::iter::once(&c)).map(|&b| b as char).collect();
        Self(format!("{}-{}", &s[..3], &s[3..]))
    }

    /// Accepts any case, with or without the dash; rejects a wrong check character.
    pub fn parse(raw: &str) -> Option<Self> {
        let compact: Vec<u8> =
            raw.bytes().filter(|b| *b != b'-' && *b != b' ').map(|b| b.to_ascii_uppercase()).collect();
        if compact.len() != 7 || !compact.iter().all(|c| ALPHABET.contains(c)) {
            return None;
        }
        let r = Self::from_body(&compact[..6]);
        (r.0.as_bytes()[7] == compact[6]).then_some(r)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A signal as the services see it: everything but its contact, which is sealed
/// apart and read only through an audited reveal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signal {
    pub id: SignalId,
    pub reference: Reference,
    pub relay_point_id: RelayPointId,
    pub submitted_by: UserId,
    pub helpline_id: HelplineId,
    /// Also sets the queue and delivery order ([`Urgency::priority`]).
    pub urgency: Urgency,
    pub language: Language,
    pub status: SignalStatus,
    pub region: Region,
    pub relay_kind: RelayKind,
    /// The relay point's training status when the signal was filed.
    pub relay_training_status: TrainingStatus,
    pub expected_callback_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub forwarded_at: Option<NaiveDateTime>,
    pub claimed_by: Option<UserId>,
    pub claim_activity_at: Option<NaiveDateTime>,
    pub first_attempt_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub outcome: Option<Outcome>,
    pub escalated_at: Option<NaiveDateTime>,
}

/// A claim lapses after this long without activity; the signal returns to the queue.
pub const CLAIM_IDLE_MINUTES: i64 = 30;

/// Whether a claim taken or last touched at `activity` still holds at `now`.
pub fn claim_holds(activity: Option<NaiveDateTime>, now: NaiveDateTime) -> bool {
    activity.is_some_and(|a| now - a < chrono::Duration::minutes(CLAIM_IDLE_MINUTES))
}

/// What a newly filed signal is made of, before it is written.
pub struct Filing {
    pub relay_point_id: RelayPointId,
    pub submitted_by: UserId,
    pub helpline_id: HelplineId,
    pub urgency: Urgency,
    pub language: Language,
    pub region: Region,
    pub relay_kind: RelayKind,
    pub relay_training_status: TrainingStatus,
    pub expected_callback_at: NaiveDateTime,
}

impl Signal {
    /// Someone holds a claim on it that has not lapsed at `now`.
    pub fn claim_is_live(&self, now: NaiveDateTime) -> bool {
        self.claimed_by.is_some() && claim_holds(self.claim_activity_at, now)
    }

    /// The status as relays and helplines see it at `now`: once a claim lapses,
    /// nobody is working on the signal, so it shows what it showed before the claim.
    pub fn status_at(&self, now: NaiveDateTime) -> SignalStatus {
        match self.status {
            SignalStatus::InProgress if !self.claim_is_live(now) => {
                if self.forwarded_at.is_some() {
                    SignalStatus::Forwarded
                } else {
                    SignalStatus::Received
                }
            }
            other => other,
        }
    }

    /// A signal just received, at `now`: a new id and reference, nothing done yet.
    pub fn received(f: Filing, now: NaiveDateTime) -> Self {
        Self {
            id: SignalId::new(),
            reference: Reference::generate(),
            relay_point_id: f.relay_point_id,
            submitted_by: f.submitted_by,
            helpline_id: f.helpline_id,
            urgency: f.urgency,
            language: f.language,
            status: SignalStatus::Received,
            region: f.region,
            relay_kind: f.relay_kind,
            relay_training_status: f.relay_training_status,
            expected_callback_at: f.expected_callback_at,
            created_at: now,
            updated_at: now,
            forwarded_at: None,
            claimed_by: None,
            claim_activity_at: None,
            first_attempt_at: None,
            closed_at: None,
            outcome: None,
            escalated_at: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn belgian_numbers_normalise_to_e164() {
        assert_eq!(PhoneNumber::parse("0470 12 34 56").unwrap().as_str(), "+32470123456");
        assert_eq!(PhoneNumber::parse("+32 2 555 12 34").unwrap().as_str(), "+3225551234");
        assert_eq!(PhoneNumber::parse("+33 6 12 34 56 78").unwrap().as_str(), "+33612345678");
        for bad in ["", "12", "hello", "0470", "+32 0000 000"] {
            assert!(PhoneNumber::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn contact_never_prints_its_content() {
        let c = Contact::parse("0470123456", Some("Anna"), vec![], true, Some("after 5pm")).unwrap();
        let shown = format!("{c:?} {c} {:?}", c.phone);
        assert!(!shown.contains("470") && !shown.contains("Anna") && !shown.contains("5pm"), "{shown}");
    }

    #[test]
    fn contact_checks_every_field() {
        let long = "x".repeat(501);
        let backwards = SafeWindow {
            day: Day::Mon,
            start: ClockTime::parse("12:00").unwrap(),
            end: ClockTime::parse("09:00").unwrap(),
        };
        let errors = Contact::parse("nope", Some(&"a".repeat(41)), vec![backwards], false, Some(&long)).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["phone", "alias", "note", "safe_windows[0]"]);
        let ok = Contact::parse("0470123456", Some("  "), vec![], false, None).unwrap();
        assert_eq!(ok.alias, None);
    }

    #[test]
    fn references_are_unambiguous_and_self_checking() {
        for _ in 0..200 {
            let r = Reference::generate();
            assert_eq!(r.as_str().len(), 8);
            assert!(!r.as_str().contains(['0', 'O', '1', 'I']));
            assert_eq!(Reference::parse(r.as_str()), Some(r.clone()));
            assert_eq!(Reference::parse(&r.as_str().to_lowercase().replace('-', "")), Some(r.clone()));
            // Any single changed character is caught.
            let mut chars: Vec<char> = r.as_str().chars().collect();
            chars[1] = if chars[1] == 'A' { 'B' } else { 'A' };
            assert_eq!(Reference::parse(&chars.iter().collect::<String>()), None);
        }
        assert_eq!(Reference::parse("K7Q-2XP"), None);
        assert_eq!(Reference::parse("O1I-0000"), None);
    }
}
