//! Outgoing HTTP to webhook receivers. The client follows no redirect (a receiver
//! answering 3xx has not taken the delivery, and a redirect could point anywhere)
//! and uses no proxy from the environment. In production it resolves host names
//! itself and connects only to the addresses it checked are public
//! (`domain::is_public_address`), so a name that resolves to a private address —
//! when configured, or later, by DNS rebinding — is never connected to.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use crate::domain::{WebhookPolicy, is_public_address};

/// A host name that resolves to no address a webhook may use.
#[derive(Debug)]
pub struct RefusedAddress;

impl std::fmt::Display for RefusedAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the host resolves to no public address")
    }
}

impl std::error::Error for RefusedAddress {}

/// Resolves `host` and keeps the public addresses only; an error when none is left
/// (or the name does not resolve).
pub async fn resolve_public(host: &str, port: u16) -> Result<Vec<SocketAddr>, ResolveError> {
    let all: Vec<SocketAddr> =
        tokio::net::lookup_host((host, port)).await.map_err(|_| ResolveError::NotFound)?.collect();
    let public: Vec<SocketAddr> = all.into_iter().filter(|a| is_public_address(a.ip())).collect();
    if public.is_empty() {
        return Err(ResolveError::Refused);
    }
    Ok(public)
}

/// Why a host gave no usable address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResolveError {
    NotFound,
    Refused,
}

/// The resolver of the production client: public addresses only.
struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            match resolve_public(&host, 0).await {
                Ok(addrs) => Ok(Box::new(addrs.into_iter()) as Addrs),
                Err(ResolveError::Refused) => Err(Box::new(RefusedAddress) as Box<dyn std::error::Error + Send + Sync>),
                Err(ResolveError::NotFound) => Err("the host name does not resolve".into()),
            }
        })
    }
}

/// The client webhooks are sent with.
pub fn webhook_client(timeout: Duration, policy: WebhookPolicy) -> reqwest::Result<reqwest::Client> {
    let builder = reqwest::Client::builder().timeout(timeout).redirect(reqwest::redirect::Policy::none()).no_proxy();
    match policy {
        WebhookPolicy::Production => builder.dns_resolver(Arc::new(PublicOnly)).build(),
        WebhookPolicy::Development => builder.build(),
    }
}

/// Whether `error` (from a request of the production client) came from a host that
/// resolved to refused addresses only.
pub fn is_refused_address(error: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if e.is::<RefusedAddress>() {
            return true;
        }
        source = e.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn names_resolving_to_loopback_are_refused_and_never_connected_to() {
        assert_eq!(resolve_public("localhost", 443).await, Err(ResolveError::Refused));
        assert_eq!(resolve_public("127.0.0.1", 443).await, Err(ResolveError::Refused));
        assert_eq!(resolve_public("169.254.169.254", 80).await, Err(ResolveError::Refused));
        assert_eq!(resolve_public("::1", 443).await, Err(ResolveError::Refused));

        // A listener on loopback: the production client, given a name that resolves
        // to it, refuses before connecting; nothing reaches the listener.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let client = webhook_client(Duration::from_secs(5), WebhookPolicy::Production).unwrap();
        let err = client.post(format!("https://localhost:{port}/hook")).send().await.unwrap_err();
        assert!(is_refused_address(&err), "{err:?}");
        let accepted = tokio::time::timeout(Duration::from_millis(200), listener.accept()).await;
        assert!(accepted.is_err(), "a connection reached the loopback listener");
    }
}
