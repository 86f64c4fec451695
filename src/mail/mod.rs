//! Outgoing e-mail to staff and managers (never to victims: SafeRelay does not
//! contact the person): a `Mailer` over lettre and templates per message and language. The
//! helpline notification and alert templates live with the outbox that sends them.

pub mod account_templates;
pub mod mailer;
pub mod retention_templates;
pub mod templates;

pub use mailer::{MailError, Mailer};
pub use templates::Rendered;
