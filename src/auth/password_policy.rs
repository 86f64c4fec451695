//! What a chosen password must satisfy: at least 12 characters, at most 256, and
//! not on the list of common passwords shipped in the binary
//! (`common-passwords.txt`, compiled in so it cannot go missing at run time).

use crate::http::error::FieldError;

const COMMON: &str = include_str!("common-passwords.txt");

/// A password a person chose that passed the policy. Its `Debug` hides it.
pub struct ChosenPassword(String);

impl ChosenPassword {
    pub fn parse(raw: String) -> Result<Self, FieldError> {
        let n = raw.chars().count();
        if n < 12 {
            return Err(FieldError::new("password", "must have at least 12 characters"));
        }
        if n > 256 {
            return Err(FieldError::new("password", "must have at most 256 characters"));
        }
        if is_common(&raw) {
            return Err(FieldError::new("password", "is too common; choose another"));
        }
        Ok(Self(raw))
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl std::fmt::Debug for ChosenPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChosenPassword([redacted])")
    }
}

fn is_common(password: &str) -> bool {
    let lower = password.trim().to_lowercase();
    COMMON.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).any(|l| l == lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_common_passwords_are_refused() {
        assert!(ChosenPassword::parse("short".into()).is_err());
        assert!(ChosenPassword::parse("elevenchars".into()).is_err());
        assert!(ChosenPassword::parse("Password1234".into()).is_err(), "case-insensitive");
        assert!(ChosenPassword::parse("MotDePasse123".into()).is_err());
        assert!(ChosenPassword::parse("x".repeat(257)).is_err());
        assert!(ChosenPassword::parse("tulip-harbour-quietly-42".into()).is_ok());
    }

    #[test]
    fn the_shipped_list_is_not_empty_and_only_holds_long_entries() {
        let entries: Vec<_> = COMMON.lines().filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
        assert!(entries.len() > 50);
        assert!(entries.iter().all(|l| l.chars().count() >= 12), "a short entry is dead weight");
    }
}
