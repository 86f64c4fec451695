//! A real HTTP webhook receiver for the tests: records every request it gets and
//! answers with a scripted sequence of statuses (then 200).

use std::collections::VecDeque;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};

#[derive(Debug, Clone)]
pub struct Delivery {
    pub delivery_id: String,
    pub timestamp: String,
    pub signature: String,
    pub body: Vec<u8>,
}

#[derive(Default)]
struct Shared {
    received: Mutex<Vec<Delivery>>,
    script: Mutex<VecDeque<u16>>,
    /// Answer every request with a 302 to this URL.
    redirect_to: Mutex<Option<String>>,
}

pub struct Receiver {
    pub port: u16,
    shared: Arc<Shared>,
    handle: actix_web::dev::ServerHandle,
}

async fn hook(req: HttpRequest, body: web::Bytes, shared: web::Data<Arc<Shared>>) -> HttpResponse {
    let header = |n: &str| req.headers().get(n).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    shared.received.lock().unwrap().push(Delivery {
        delivery_id: header("x-saferelay-delivery"),
        timestamp: header("x-saferelay-timestamp"),
        signature: header("x-saferelay-signature"),
        body: body.to_vec(),
    });
    if let Some(to) = shared.redirect_to.lock().unwrap().clone() {
        return HttpResponse::Found().insert_header(("location", to)).finish();
    }
    let status = shared.script.lock().unwrap().pop_front().unwrap_or(200);
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap()).finish()
}

impl Receiver {
    /// Starts on `port` (0: any), answering `script` in order, then 200.
    pub fn start(port: u16, script: &[u16]) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind receiver");
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new(Shared {
            received: Mutex::default(),
            script: Mutex::new(script.iter().copied().collect()),
            redirect_to: Mutex::default(),
        });
        let data = web::Data::new(shared.clone());
        let server = HttpServer::new(move || App::new().app_data(data.clone()).route("/hook", web::post().to(hook)))
            .workers(1)
            .listen(listener)
            .unwrap()
            .run();
        let handle = server.handle();
        tokio::spawn(server);
        Self { port, shared, handle }
    }

    /// Starts on any port, answering every request with `302 Found` to `to`.
    pub fn redirecting(to: &str) -> Self {
        let r = Self::start(0, &[]);
        *r.shared.redirect_to.lock().unwrap() = Some(to.to_string());
        r
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hook", self.port)
    }

    pub fn received(&self) -> Vec<Delivery> {
        self.shared.received.lock().unwrap().clone()
    }

    /// Waits until `n` requests answered 2xx... or at least `n` requests arrived.
    pub async fn wait_for(&self, n: usize, within: Duration) -> Vec<Delivery> {
        let deadline = Instant::now() + within;
        while self.received().len() < n && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        self.received()
    }

    pub async fn stop(self) {
        self.handle.stop(true).await;
    }
}

/// Checks `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>` the way a receiver would.
pub fn signature_valid(d: &Delivery, secret: &str) -> bool {
    use hmac::{Hmac, Mac};
    let Some(hex) = d.signature.strip_prefix("v1=") else { return false };
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(d.timestamp.as_bytes());
    mac.update(b".");
    mac.update(&d.body);
    let expected: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    expected == hex
}
