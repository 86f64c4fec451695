//! Where a helpline's webhook may point. The webhook carries the contact, so in
//! production it goes over HTTPS to a public address only: never to loopback,
//! private, link-local (cloud metadata at 169.254.169.254 included), shared,
//! multicast or reserved addresses, which would let whoever sets the URL reach the
//! inside of SafeRelay's own network (SSRF). Development also allows plain HTTP, to
//! loopback only (a receiver on the same machine).

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::FieldError;

/// Which webhook destinations are allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookPolicy {
    /// HTTPS to public addresses only.
    Production,
    /// HTTPS anywhere, and HTTP to loopback.
    Development,
}

/// A webhook URL the policy allows (as far as can be told without resolving its
/// host name: the addresses a name resolves to are checked when connecting).
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookUrl(url::Url);

impl WebhookUrl {
    pub fn parse(raw: &str, policy: WebhookPolicy) -> Result<Self, FieldError> {
        let bad = |message: &str| FieldError::new("webhook_url", message);
        if raw.len() > 500 {
            return Err(bad("must be at most 500 characters"));
        }
        let url = url::Url::parse(raw.trim()).map_err(|_| bad("is not a URL"))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("must not carry a user name or password"));
        }
        let Some(host) = url.host() else { return Err(bad("has no host")) };
        let ip = match host {
            url::Host::Ipv4(v4) => Some(IpAddr::V4(v4)),
            url::Host::Ipv6(v6) => Some(IpAddr::V6(v6)),
            url::Host::Domain(_) => None,
        };
        let loopback = ip.is_some_and(|ip| canonical(ip).is_loopback())
            || matches!(host, url::Host::Domain(d) if d.eq_ignore_ascii_case("localhost"));
        match (url.scheme(), policy) {
            ("https", _) => {}
            ("http", WebhookPolicy::Development) if loopback => {}
            ("http", WebhookPolicy::Development) => {
                return Err(bad("must be an https:// URL (http:// only to a loopback address in development)"));
            }
            ("http", WebhookPolicy::Production) => return Err(bad("must be an https:// URL")),
            _ => return Err(bad("must be an https:// URL")),
        }
        // A name (`localhost` included) is judged by the addresses it resolves to.
        if policy == WebhookPolicy::Production && ip.is_some_and(|ip| !is_public_address(ip)) {
            return Err(bad("must not point to a loopback, private, link-local or metadata address"));
        }
        Ok(Self(url))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The host (IPv6 without brackets) and port, to resolve.
    pub fn host_and_port(&self) -> Option<(String, u16)> {
        let host = match self.0.host()? {
            url::Host::Domain(d) => d.to_string(),
            url::Host::Ipv4(v4) => v4.to_string(),
            url::Host::Ipv6(v6) => v6.to_string(),
        };
        Some((host, self.0.port_or_known_default()?))
    }

    /// Scheme, host and port only (what a notice shows: a path or query may hold a token).
    pub fn origin(&self) -> String {
        self.0.origin().ascii_serialization()
    }
}

impl fmt::Debug for WebhookUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WebhookUrl({})", self.origin())
    }
}

/// An IPv4 address written as IPv6 (`::ffff:10.0.0.1`) is judged as the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// Whether a webhook may connect to `ip` in production: a globally routed unicast
/// address, not loopback, private, link-local (cloud metadata), shared, documentation,
/// benchmarking, multicast, broadcast, reserved or unspecified.
pub fn is_public_address(ip: IpAddr) -> bool {
    match canonical(ip) {
        IpAddr::V4(v4) => public_v4(v4),
        IpAddr::V6(v6) => public_v6(v6),
    }
}

fn public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (carrier-grade NAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (18..20).contains(&b)) // benchmarking
        || a >= 240) // reserved
}

fn public_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    let first = s[0];
    // IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::/96) addresses embed an IPv4 address.
    if s[..6] == [0; 6] || s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        let [a, b] = s[6].to_be_bytes();
        let [c, d] = s[7].to_be_bytes();
        return !ip.is_unspecified() && !ip.is_loopback() && public_v4(Ipv4Addr::new(a, b, c, d));
    }
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique local (fc00::/7), e.g. fd00:ec2::254 metadata
        || (first & 0xffc0) == 0xfe80 // link-local
        || (first & 0xffc0) == 0xfec0 // site-local (deprecated)
        || (first == 0x2001 && s[1] == 0x0db8) // documentation
        || first == 0x0100) // discard-only
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_loopback_link_local_and_metadata_addresses_are_not_public() {
        for refused in [
            "127.0.0.1",
            "127.8.9.10",
            "10.0.0.1",
            "10.255.255.255",
            "172.16.0.1",
            "172.31.255.1",
            "192.168.1.1",
            "169.254.169.254",
            "169.254.0.1",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "240.0.0.1",
            "198.18.0.1",
            "192.0.2.1",
            "::1",
            "::",
            "fc00::1",
            "fd00:ec2::254",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "64:ff9b::a00:1",
            "2001:db8::1",
        ] {
            assert!(!is_public_address(refused.parse().unwrap()), "{refused} counted as public");
        }
        for allowed in ["8.8.8.8", "193.190.198.10", "172.32.0.1", "100.128.0.1", "2a02:2c40::1", "::ffff:8.8.8.8"] {
            assert!(is_public_address(allowed.parse().unwrap()), "{allowed} refused");
        }
    }

    #[test]
    fn production_takes_https_to_public_hosts_only() {
        let p = |u: &str| WebhookUrl::parse(u, WebhookPolicy::Production);
        assert!(p("https://cases.helpline.example.be/hook").is_ok());
        assert!(p("https://193.190.198.10:8443/hook").is_ok());
        for refused in [
            "http://cases.helpline.example.be/hook",
            "http://127.0.0.1:9000/hook",
            "https://127.0.0.1/hook",
            "https://10.1.2.3/hook",
            "https://169.254.169.254/latest/meta-data",
            "https://[::1]/hook",
            "https://[fc00::1]/hook",
            "https://[::ffff:10.0.0.1]/hook",
            "https://user:pw@cases.helpline.example.be/hook",
            "ftp://cases.helpline.example.be/hook",
            "not a url",
        ] {
            assert!(p(refused).is_err(), "{refused} accepted in production");
        }
        assert_eq!(p("http://x.example.be").unwrap_err().field, "webhook_url");
    }

    #[test]
    fn development_takes_http_to_loopback_only() {
        let d = |u: &str| WebhookUrl::parse(u, WebhookPolicy::Development);
        for allowed in [
            "http://127.0.0.1:9000/hook",
            "http://localhost:9000/hook",
            "http://[::1]:9000/hook",
            "https://10.0.0.1/hook",
        ] {
            assert!(d(allowed).is_ok(), "{allowed} refused in development");
        }
        for refused in ["http://10.0.0.1/hook", "http://cases.helpline.example.be/hook", "file:///etc/passwd"] {
            assert!(d(refused).is_err(), "{refused} accepted in development");
        }
    }

    #[test]
    fn the_origin_hides_path_and_query() {
        let u = WebhookUrl::parse("https://cases.example.be:8443/hook?token=abc", WebhookPolicy::Production).unwrap();
        assert_eq!(u.origin(), "https://cases.example.be:8443");
        assert!(!format!("{u:?}").contains("token"));
    }
}
