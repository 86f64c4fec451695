//! A real SMTP server for tests (mailin-embedded on 127.0.0.1, any free port) that
//! keeps every message it receives, and `on_both_backends_with_smtp!` which points
//! the spawned app at it.

use std::io;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mailin_embedded::{Handler, Response, Server, SslConfig, response};

/// One received message: envelope recipients and the raw message (headers and body).
#[derive(Debug, Clone)]
pub struct Received {
    pub to: Vec<String>,
    pub raw: String,
}

impl Received {
    /// The `Subject:` header (lettre encodes non-ASCII subjects; tests compare ASCII ones or decode).
    pub fn subject(&self) -> String {
        self.raw.lines().find_map(|l| l.strip_prefix("Subject: ")).unwrap_or("").to_string()
    }

    /// An invitation to an account created through `POST /api/v1/users` (its
    /// subjects, in every language, are ASCII).
    pub fn is_account_invitation(&self) -> bool {
        const SUBJECTS: [&str; 4] = [
            "Invitation: your SafeRelay account",
            "Invitation : votre compte SafeRelay",
            "Uitnodiging: uw SafeRelay-account",
            "Einladung: Ihr SafeRelay-Konto",
        ];
        SUBJECTS.contains(&self.subject().as_str())
    }

    /// The body after the blank line that ends the headers, quoted-printable decoded.
    pub fn body(&self) -> String {
        let (headers, body) = self.raw.split_once("\r\n\r\n").unwrap_or(("", ""));
        let body = if headers.to_ascii_lowercase().contains("content-transfer-encoding: quoted-printable") {
            decode_quoted_printable(body)
        } else {
            body.to_string()
        };
        body.replace("\r\n", "\n")
    }
}

/// RFC 2045 quoted-printable: `=\r\n` is a soft line break, `=XX` a byte.
fn decode_quoted_printable(s: &str) -> String {
    let s = s.replace("=\r\n", "");
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        if bytes[i] == b'='
            && let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[derive(Clone, Default)]
struct Collector {
    inbox: Arc<Mutex<Vec<Received>>>,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Handler for Collector {
    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.to = to.to_vec();
        self.data.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let raw = String::from_utf8_lossy(&self.data).into_owned();
        self.inbox.lock().unwrap().push(Received { to: std::mem::take(&mut self.to), raw });
        response::OK
    }
}

/// A running SMTP server; it lives until the test process ends.
pub struct SmtpServer {
    pub port: u16,
    inbox: Arc<Mutex<Vec<Received>>>,
}

impl SmtpServer {
    pub fn start() -> Self {
        Self::start_on(0)
    }

    /// Starts on a given port (0: any), e.g. to bring a server "back up".
    pub fn start_on(port: u16) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind smtp");
        let port = listener.local_addr().unwrap().port();
        let collector = Collector::default();
        let inbox = collector.inbox.clone();
        let mut server = Server::new(collector);
        // lettre keeps pooled connections open, so allow many at once (the default is 4).
        server
            .with_name("smtp.test")
            .with_num_threads(64)
            .with_ssl(SslConfig::None)
            .expect("no tls")
            .with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        Self { port, inbox }
    }

    /// `SAFERELAY_SMTP_URL` for this server (plain SMTP on loopback).
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received but the account invitations (`POST /api/v1/users`),
    /// which the fixtures accept on their own: tests count the mail they are about.
    pub fn messages(&self) -> Vec<Received> {
        self.inbox.lock().unwrap().iter().filter(|m| !m.is_account_invitation()).cloned().collect()
    }

    /// The account invitations received (see `messages`).
    pub fn account_invitations(&self) -> Vec<Received> {
        self.inbox.lock().unwrap().iter().filter(|m| m.is_account_invitation()).cloned().collect()
    }

    /// Waits until an account invitation to `address` arrived (up to 10 s).
    pub async fn wait_for_account_invitation(&self, address: &str) -> Received {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(m) = self.account_invitations().into_iter().rev().find(|m| m.to.iter().any(|t| t == address)) {
                return m;
            }
            assert!(Instant::now() < deadline, "no account invitation to {address}");
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Waits until at least `n` messages arrived (up to 10 s), then returns them all.
    pub async fn wait_for(&self, n: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.messages().len() < n && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        let got = self.messages();
        assert!(got.len() >= n, "expected {n} messages, the SMTP server received {}", got.len());
        got
    }

    /// Messages to one address.
    pub fn to(&self, address: &str) -> Vec<Received> {
        self.messages().into_iter().filter(|m| m.to.iter().any(|t| t == address)).collect()
    }
}

/// The one-time token in an invitation: the indented 43-character line.
pub fn token_in(message: &Received) -> String {
    message
        .body()
        .lines()
        .map(str::trim)
        .find(|l| l.len() == 43 && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .expect("a token in the message")
        .to_string()
}

/// Like `on_both_backends!`, for `async fn(TestApp, SmtpServer)` tests whose app
/// sends mail to a real SMTP server.
#[macro_export]
macro_rules! on_both_backends_with_smtp {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                use $crate::helpers::{Backend, try_spawn_app_with};
                use $crate::smtp::SmtpServer;

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let smtp = SmtpServer::start();
                    let url = smtp.url();
                    let app = try_spawn_app_with(Backend::Sqlite, |s| s.smtp_url = Some(url)).await.expect("sqlite app");
                    super::$name(app, smtp).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let smtp = SmtpServer::start();
                    let url = smtp.url();
                    if let Some(app) = try_spawn_app_with(Backend::Postgres, |s| s.smtp_url = Some(url)).await {
                        super::$name(app, smtp).await;
                    }
                }
            }
        )*
    };
}
