//! Who did what, when, to which signal or account — never what the contact was.
//! Every contact reveal, claim, transfer and close writes a row here, in the same
//! transaction as the action.

pub mod routes;
pub mod service;
pub mod store;

use crate::domain::UserId;
use diesel::prelude::*;

use crate::db::schema::audit_log;
use crate::db::{self, AnyConnection};

/// Actions recorded in the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    ContactRevealed,
    SignalClaimed,
    SignalReleased,
    SignalTransferred,
    SignalClosed,
    SecondFactorReset,
    SecondFactorEnrolled,
    /// An account created (invited); the invitation is the only way in.
    AccountCreated,
    /// An invitation (re)sent to an existing account.
    AccountInvited,
    /// An account's role or scope changed (a relay staff member moved).
    AccountScopeChanged,
    AccountDeactivated,
    /// A deactivated account activated again by accepting an invitation.
    AccountReactivated,
    /// An invitee chose their password.
    InvitationAccepted,
    /// A manager revoked an invitation not accepted yet.
    InvitationRevoked,
    PasswordReset,
    PasswordChanged,
    /// Relay staff withdrew their relay point's signal before a helpline took it.
    SignalWithdrawn,
    /// The retention job expired an open signal (no actor).
    SignalExpired,
    /// An admin changed a helpline's webhook, intake e-mail or languages.
    HelplineChannelsChanged,
    /// A supervisor confirmed their helpline's channels (held deliveries go).
    HelplineChannelsConfirmed,
    /// A supervisor gave a case's claim to an operator (subject: the operator).
    SignalReassigned,
    /// A supervisor or admin put a dead-lettered delivery back in the queue
    /// (subject: the delivery).
    DeliveryRetried,
    TrainingModuleChanged,
    TrainingModuleRetired,
    CompletionCorrected,
    CompletionDeleted,
    /// An admin sent a test delivery to a helpline's webhook (subject: the helpline).
    HelplineTestDelivery,
    /// An admin created a helpline or local service (subject: the helpline).
    HelplineCreated,
    /// An admin renamed a helpline (subject: the helpline).
    HelplineRenamed,
    /// An admin added a routing rule (subject: the rule).
    RoutingRuleAdded,
    /// An admin changed a routing rule's priority (subject: the rule).
    RoutingRulePriorityChanged,
    /// An admin removed a routing rule (subject: the rule).
    RoutingRuleRemoved,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::ContactRevealed => "contact.revealed",
            Action::SignalClaimed => "signal.claimed",
            Action::SignalReleased => "signal.released",
            Action::SignalTransferred => "signal.transferred",
            Action::SignalClosed => "signal.closed",
            Action::SecondFactorReset => "user.second_factor_reset",
            Action::SecondFactorEnrolled => "user.second_factor_enrolled",
            Action::AccountCreated => "user.created",
            Action::AccountInvited => "user.invited",
            Action::AccountScopeChanged => "user.scope_changed",
            Action::AccountDeactivated => "user.deactivated",
            Action::AccountReactivated => "user.reactivated",
            Action::InvitationAccepted => "user.invitation_accepted",
            Action::InvitationRevoked => "user.invitation_revoked",
            Action::PasswordReset => "user.password_reset",
            Action::PasswordChanged => "user.password_changed",
            Action::SignalExpired => "signal.expired",
            Action::SignalWithdrawn => "signal.withdrawn",
            Action::HelplineChannelsChanged => "helpline.channels_changed",
            Action::HelplineChannelsConfirmed => "helpline.channels_confirmed",
            Action::SignalReassigned => "signal.reassigned",
            Action::DeliveryRetried => "delivery.retried",
            Action::TrainingModuleChanged => "training.module_changed",
            Action::TrainingModuleRetired => "training.module_retired",
            Action::CompletionCorrected => "training.completion_corrected",
            Action::CompletionDeleted => "training.completion_deleted",
            Action::HelplineTestDelivery => "helpline.test_delivery",
            Action::HelplineCreated => "helpline.created",
            Action::HelplineRenamed => "helpline.renamed",
            Action::RoutingRuleAdded => "routing.rule_added",
            Action::RoutingRulePriorityChanged => "routing.rule_priority_changed",
            Action::RoutingRuleRemoved => "routing.rule_removed",
        }
    }

    pub const ALL: [Action; 32] = [
        Action::ContactRevealed,
        Action::SignalClaimed,
        Action::SignalReleased,
        Action::SignalTransferred,
        Action::SignalClosed,
        Action::SecondFactorReset,
        Action::SecondFactorEnrolled,
        Action::AccountCreated,
        Action::AccountInvited,
        Action::AccountScopeChanged,
        Action::AccountDeactivated,
        Action::AccountReactivated,
        Action::InvitationAccepted,
        Action::InvitationRevoked,
        Action::PasswordReset,
        Action::PasswordChanged,
        Action::SignalExpired,
        Action::HelplineChannelsChanged,
        Action::HelplineChannelsConfirmed,
        Action::SignalReassigned,
        Action::DeliveryRetried,
        Action::SignalWithdrawn,
        Action::TrainingModuleChanged,
        Action::TrainingModuleRetired,
        Action::CompletionCorrected,
        Action::CompletionDeleted,
        Action::HelplineTestDelivery,
        Action::HelplineCreated,
        Action::HelplineRenamed,
        Action::RoutingRuleAdded,
        Action::RoutingRulePriorityChanged,
        Action::RoutingRuleRemoved,
    ];

    /// The action named `text`, if it is one.
    pub fn parse(text: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == text)
    }
}

#[derive(Insertable)]
#[diesel(table_name = audit_log)]
struct NewAuditEntry<'a> {
    id: String,
    actor_id: Option<String>,
    action: &'a str,
    signal_id: Option<&'a str>,
    subject_id: Option<&'a str>,
    created_at: chrono::NaiveDateTime,
}

/// Appends an entry; call inside the transaction of the action it records.
pub fn record(
    conn: &mut AnyConnection,
    actor: Option<UserId>,
    action: Action,
    signal_id: Option<&str>,
    subject_id: Option<&str>,
) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values(&NewAuditEntry {
            id: uuid::Uuid::new_v4().to_string(),
            actor_id: actor.map(|a| a.to_string()),
            action: action.as_str(),
            signal_id,
            subject_id,
            created_at: db::now(),
        })
        .execute(conn)
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_reads_back_from_its_name() {
        let names: std::collections::HashSet<_> = Action::ALL.iter().map(|a| a.as_str()).collect();
        assert_eq!(names.len(), Action::ALL.len(), "names are unique");
        for a in Action::ALL {
            assert_eq!(Action::parse(a.as_str()), Some(a));
        }
        assert_eq!(Action::parse("contact.stolen"), None);
    }
}
