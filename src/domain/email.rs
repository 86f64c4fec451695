//! E-mail addresses of staff accounts.

use std::fmt;

use super::FieldError;

/// A syntactically plausible e-mail address, trimmed and lower-cased.
#[derive(Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim().to_lowercase();
        let bad = || FieldError::new("email", "is not a valid e-mail address");
        if s.len() > 254 || s.chars().any(char::is_whitespace) {
            return Err(bad());
        }
        let (local, domain) = s.split_once('@').ok_or_else(bad)?;
        if local.is_empty()
            || domain.is_empty()
            || domain.contains('@')
            || domain.starts_with('.')
            || domain.ends_with('.')
        {
            return Err(bad());
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

// Staff addresses are not victim data, but keeping them out of debug output
// costs nothing and keeps logs clean.
impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Email([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalised_and_checked() {
        assert_eq!(Email::parse("  Ann@Example.BE ").unwrap().as_str(), "ann@example.be");
        for bad in ["", "ann", "@x.be", "ann@", "a b@x.be", "a@b@c", "a@.be", "a@be."] {
            assert!(Email::parse(bad).is_err(), "{bad} accepted");
        }
    }
}
