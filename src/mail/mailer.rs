//! `Mailer`: sends a rendered message over SMTP (`SAFERELAY_SMTP_URL`) or, in
//! development when no server is configured, writes it as an `.eml` file into
//! `SAFERELAY_MAIL_DIR`. Addresses and bodies are never logged: bodies may carry
//! one-time tokens.

use crate::domain::Email;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox, SinglePart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::templates::Rendered;
use crate::config::Settings;

/// Why a message could not be sent. The text never holds an address.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("mail configuration: {0}")]
    Config(String),
    #[error("building the message failed")]
    Build,
    #[error("sending failed: {0}")]
    Send(String),
}

#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(AsyncFileTransport<Tokio1Executor>),
}

/// Sends e-mail; cheap to clone (the SMTP transport holds a connection pool).
#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

impl Mailer {
    /// Builds the transport named by the settings (start-up code).
    pub fn from_settings(settings: &Settings) -> Result<Self, MailError> {
        let from: Mailbox = settings.mail_from.parse().map_err(|e| MailError::Config(format!("mail_from: {e}")))?;
        let transport = match &settings.smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    // The URL may hold a password: report only that it is wrong.
                    .map_err(|_| MailError::Config("SAFERELAY_SMTP_URL is not a valid smtp:// or smtps:// URL".into()))?
                    .build(),
            ),
            None => {
                std::fs::create_dir_all(&settings.mail_dir)
                    .map_err(|e| MailError::Config(format!("creating mail_dir {}: {e}", settings.mail_dir)))?;
                Transport::File(AsyncFileTransport::<Tokio1Executor>::new(&settings.mail_dir))
            }
        };
        Ok(Self { transport, from })
    }

    /// Sends one plain-text message to `to`.
    pub async fn send(&self, to: &Email, message: Rendered) -> Result<(), MailError> {
        let to: Mailbox = to.as_str().parse().map_err(|_| MailError::Build)?;
        // Quoted-printable always fits (lettre panics if a requested 8bit does not),
        // and keeps ASCII lines such as the one-time token readable as sent.
        let body = Body::new_with_encoding(message.body, ContentTransferEncoding::QuotedPrintable)
            .map_err(|_| MailError::Build)?;
        let body = SinglePart::builder().header(ContentType::TEXT_PLAIN).body(body);
        let email = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(message.subject)
            .singlepart(body)
            .map_err(|_| MailError::Build)?;
        let kind = message.kind;
        let result = match &self.transport {
            Transport::Smtp(t) => t.send(email).await.map(|_| ()).map_err(|e| MailError::Send(e.to_string())),
            Transport::File(t) => t.send(email).await.map(|_| ()).map_err(|e| MailError::Send(e.to_string())),
        };
        match &result {
            Ok(()) => tracing::info!(kind, "mail sent"),
            Err(e) => tracing::warn!(kind, error = %e, "mail not sent"),
        }
        result
    }
}
