//! Web Push to the relay app (RFC 8030 delivery, RFC 8291 message encryption,
//! RFC 8292 VAPID), so that a relay staff member hears back about a signal without
//! asking. A push says only "a signal's status changed": no reference, no status,
//! nothing about anyone, and the push service sees even that only encrypted. The
//! app then fetches "My signals" over the API.
//!
//! A push is queued in the transaction that changes a signal's status (forwarded,
//! claimed, released, closed, transferred, expired), one per subscribed device of
//! the relay point that filed it, at most one waiting per device, and sent by the
//! outbox worker with retries for a day. Before each send the subscription is
//! checked: its account must still be active, at that relay point and signed in
//! somewhere; otherwise the subscription is deleted. Push endpoints follow the
//! webhook destination rules (https to public addresses in production, checked
//! again at each send, no redirects).

pub mod routes;
pub mod service;
mod store;
