//! Typed ids shared by every capability: UUIDs stored as text, so that an id of
//! one kind cannot be passed where another is expected.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Declares a typed UUID id stored as text.
macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            pub fn new() -> Self {
                Self(Uuid::new_v4())
            }
            /// Parses an id from a URL segment or a stored value.
            pub fn parse(s: &str) -> Option<Self> {
                Uuid::parse_str(s).ok().map(Self)
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

typed_id!(
    /// Id of a user account.
    UserId
);
typed_id!(
    /// Id of a programme (a scheme owner: a pharmacists' union, a federation).
    ProgrammeId
);
typed_id!(
    /// Id of a relay point (a pharmacy, a salon).
    RelayPointId
);
typed_id!(
    /// Id of a helpline or local service that calls back.
    HelplineId
);
typed_id!(
    /// Id of a training module of a programme.
    TrainingModuleId
);
typed_id!(
    /// Id of a recorded training completion.
    CompletionId
);
typed_id!(
    /// Id of a signal (internal: relays and helplines speak of its reference).
    SignalId
);
typed_id!(
    /// Id of a staff invitation.
    InvitationId
);
