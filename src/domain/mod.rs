//! The shared vocabulary of SafeRelay: values every capability speaks of (typed
//! ids, the languages of a callback and of staff, Belgian regions, bounded text,
//! e-mail addresses, the Brussels date). It sits below the capabilities and
//! depends on none of them.

/// Declares `as_str` / `FromStr` for a text-stored enum.
#[macro_export]
macro_rules! text_enum {
    ($t:ty { $($v:ident => $s:literal),* $(,)? }) => {
        impl $t {
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s),* }
            }
        }
        impl ::std::str::FromStr for $t {
            type Err = ();
            fn from_str(s: &str) -> Result<Self, ()> {
                match s { $($s => Ok(Self::$v),)* _ => Err(()) }
            }
        }
    };
}

mod account;
mod email;
mod field_error;
pub mod ids;
mod language;
mod region;
mod relay;
mod text;
mod time;
mod webhook;

pub use account::{Role, Scope};
pub use email::Email;
pub use field_error::FieldError;
pub use ids::*;
pub use language::{Language, StaffLanguage};
pub use region::Region;
pub use relay::{RelayKind, TrainingStatus};
pub use text::Text;
pub use time::today;
pub use webhook::{WebhookPolicy, WebhookUrl, is_public_address};
