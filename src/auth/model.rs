//! Sign-in's own records: a refresh token as the rotation rules see it.

use chrono::NaiveDateTime;

use crate::domain::UserId;

/// A stored refresh token (its hash stays in the store). Tokens of one sign-in
/// share a family: reusing a spent one revokes the whole family.
#[derive(Debug, Clone)]
pub struct RefreshToken {
    pub id: String,
    pub user_id: UserId,
    pub family_id: String,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
    /// The absolute end of the sign-in (the family): no refresh after it.
    pub family_expires_at: Option<NaiveDateTime>,
}
