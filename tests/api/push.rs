//! Web Push to relay devices: a real local push service receives each push,
//! checks its VAPID signature (RFC 8292) and decrypts it (RFC 8291, with Mozilla's
//! `ece`, as a browser would) and finds no details in it; a 410 removes the
//! subscription; a device whose sessions ended gets nothing; bad subscriptions are
//! refused and write nothing.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::cases::{EVC, helpline_user};
use crate::helpers::{TestApp, problem};
use crate::on_both_backends;
use crate::signals::{body, submit};

on_both_backends!(
    a_status_change_reaches_the_device_encrypted_signed_and_without_details,
    a_push_service_answering_410_removes_the_subscription,
    a_device_whose_sessions_ended_gets_no_push_and_sign_out_everywhere_removes_them,
    bad_subscriptions_are_refused_and_write_nothing,
);

/// One request the push service received.
#[derive(Clone, Debug)]
struct Received {
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Shared {
    received: Mutex<Vec<Received>>,
    /// The status of the next answers (then 201).
    script: Mutex<Vec<u16>>,
}

/// A push service on a local port: records every push and answers 201 (or what
/// the script says).
struct PushService {
    port: u16,
    shared: Arc<Shared>,
    handle: actix_web::dev::ServerHandle,
}

async fn accept(req: HttpRequest, body: web::Bytes, shared: web::Data<Arc<Shared>>) -> HttpResponse {
    let headers =
        req.headers().iter().map(|(n, v)| (n.as_str().to_string(), v.to_str().unwrap_or("").to_string())).collect();
    shared.received.lock().unwrap().push(Received { path: req.path().to_string(), headers, body: body.to_vec() });
    let mut script = shared.script.lock().unwrap();
    let status = if script.is_empty() { 201 } else { script.remove(0) };
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap()).finish()
}

impl PushService {
    fn start() -> Self {
        let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new(Shared::default());
        let data = web::Data::new(shared.clone());
        let server =
            HttpServer::new(move || App::new().app_data(data.clone()).route("/push/{device}", web::post().to(accept)))
                .workers(1)
                .listen(listener)
                .unwrap()
                .run();
        let handle = server.handle();
        tokio::spawn(server);
        Self { port, shared, handle }
    }

    fn endpoint(&self, device: &str) -> String {
        format!("http://127.0.0.1:{}/push/{device}", self.port)
    }

    fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }

    /// Waits (at most 20 s) until `n` pushes arrived.
    async fn wait_for(&self, n: usize) -> Vec<Received> {
        let start = Instant::now();
        loop {
            let got = self.received();
            if got.len() >= n || start.elapsed() > Duration::from_secs(20) {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for PushService {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        tokio::spawn(async move { handle.stop(false).await });
    }
}

/// A device: the key pair and auth secret a browser would make.
struct Device {
    keys: Box<dyn ece::LocalKeyPair>,
    auth: [u8; 16],
}

impl Device {
    fn new() -> Self {
        let (keys, auth) = ece::generate_keypair_and_auth_secret().unwrap();
        Self { keys, auth }
    }

    fn subscription(&self, endpoint: &str) -> Value {
        json!({
            "endpoint": endpoint,
            "expirationTime": null,
            "keys": {"p256dh": B64.encode(self.keys.pub_as_raw().unwrap()), "auth": B64.encode(self.auth)},
        })
    }

    fn decrypt(&self, body: &[u8]) -> Vec<u8> {
        ece::decrypt(&self.keys.raw_components().unwrap(), &self.auth, body).expect("the push decrypts")
    }
}

/// A relay staff member signed in: (access token, refresh token, relay point id).
async fn relay_staff(app: &TestApp, email: &str) -> (String, String) {
    let admin = app.admin_token().await;
    let s = app.seed_scopes();
    let (_, pw) =
        app.create_user(&admin, json!({"email": email, "role": "relay_staff", "relay_point_id": s.relay_point})).await;
    let t = app.login_ok(email, &pw).await;
    (t.access, t.refresh)
}

async fn subscribe(app: &TestApp, token: &str, body: &Value) -> reqwest::Response {
    app.post("/api/v1/me/push-subscriptions", Some(token), body).await
}

async fn file(app: &TestApp, relay: &str, key: &str, phone: &str, alias: &str) -> String {
    let resp = submit(app, relay, key, &body(phone, alias)).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    resp.json::<Value>().await.unwrap()["reference"].as_str().unwrap().to_string()
}

async fn a_status_change_reaches_the_device_encrypted_signed_and_without_details(app: TestApp) {
    let service = PushService::start();
    let (relay, _) = relay_staff(&app, "push@example.be").await;
    let key: Value = app.get("/api/v1/push/public-key", &relay).await.json().await.unwrap();
    let public_key = key["public_key"].as_str().unwrap().to_string();
    let raw = B64.decode(&public_key).unwrap();
    assert_eq!((raw.len(), raw[0]), (65, 4), "an uncompressed P-256 point");

    let device = Device::new();
    let resp = subscribe(&app, &relay, &device.subscription(&service.endpoint("tablet"))).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    assert_eq!(app.count("push_subscriptions"), 1);

    let r = file(&app, &relay, "push-1", "0470 55 21 07", "Philomène").await;
    let op = helpline_user(&app, "op@example.be", "helpline_operator", EVC).await;
    let claimed = app.post(&format!("/api/v1/cases/{r}/claim"), Some(&op), &json!({})).await;
    assert_eq!(claimed.status(), StatusCode::OK);
    let first = service.wait_for(1).await;
    assert!(!first.is_empty(), "no push arrived after the claim");
    let closed =
        app.post(&format!("/api/v1/cases/{r}/close"), Some(&op), &json!({"outcome": "referred_shelter"})).await;
    assert_eq!(closed.status(), StatusCode::OK);
    let all = service.wait_for(first.len() + 1).await;
    assert!(all.len() > first.len(), "no push arrived after the close");

    for push in &all {
        assert_eq!(push.path, "/push/tablet");
        assert_eq!(push.header("content-encoding"), Some("aes128gcm"));
        assert!(push.header("ttl").is_some_and(|t| t.parse::<u32>().unwrap() > 0));
        // VAPID: `vapid t=<JWT>, k=<the public key>`, the JWT signed by that key for
        // this push service's origin.
        let authorization = push.header("authorization").expect("a VAPID authorization");
        let rest = authorization.strip_prefix("vapid ").expect("the vapid scheme");
        let (mut t, mut k) = (None, None);
        for part in rest.split(',').map(str::trim) {
            if let Some(v) = part.strip_prefix("t=") {
                t = Some(v);
            } else if let Some(v) = part.strip_prefix("k=") {
                k = Some(v);
            }
        }
        assert_eq!(k, Some(public_key.as_str()));
        let decoding =
            jsonwebtoken::DecodingKey::from_ec_components(&B64.encode(&raw[1..33]), &B64.encode(&raw[33..])).unwrap();
        let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::ES256);
        validation.set_audience(&[format!("http://127.0.0.1:{}", service.port)]);
        let claims = jsonwebtoken::decode::<Value>(t.unwrap(), &decoding, &validation).expect("a valid VAPID JWT");
        assert!(claims.claims["sub"].as_str().unwrap().starts_with("mailto:"));

        // The push decrypts with the device's keys, and says nothing but that a
        // status changed.
        let plain = device.decrypt(&push.body);
        let payload: Value = serde_json::from_slice(&plain).unwrap();
        assert_eq!(payload, json!({"kind": "signal_status_changed"}));
        let text = String::from_utf8(plain).unwrap();
        for secret in [r.as_str(), "0470", "552107", "Philom", "in_progress", "completed", "referred"] {
            assert!(!text.contains(secret), "the push carries {secret}");
        }
        // And the raw body, as the push service sees it, neither.
        assert!(!push.body.windows(r.len()).any(|w| w == r.as_bytes()));
    }
    // The app then fetches: the status is there, over the API.
    let seen: Value = app.get(&format!("/api/v1/signals/{r}"), &relay).await.json().await.unwrap();
    assert_eq!(seen["status"], "completed");
    // Nothing stays queued (a push for the delivery's `forwarded` may still be on its way).
    let start = Instant::now();
    while app.count("push_messages WHERE status = 'pending' OR status = 'in_flight'") > 0
        && start.elapsed() < Duration::from_secs(20)
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(app.count("push_messages WHERE status = 'pending' OR status = 'in_flight'"), 0);
}

async fn a_push_service_answering_410_removes_the_subscription(app: TestApp) {
    let service = PushService::start();
    service.shared.script.lock().unwrap().push(410);
    let (relay, _) = relay_staff(&app, "gone@example.be").await;
    let device = Device::new();
    assert_eq!(subscribe(&app, &relay, &device.subscription(&service.endpoint("old"))).await.status(), 201);
    let r = file(&app, &relay, "gone-1", "0470 55 21 08", "Eulalie").await;
    let op = helpline_user(&app, "op2@example.be", "helpline_operator", EVC).await;
    assert_eq!(app.post(&format!("/api/v1/cases/{r}/claim"), Some(&op), &json!({})).await.status(), 200);
    assert_eq!(service.wait_for(1).await.len(), 1);
    let start = Instant::now();
    while app.count("push_subscriptions") > 0 && start.elapsed() < Duration::from_secs(20) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(app.count("push_subscriptions"), 0, "a 410 must remove the subscription");
    assert_eq!(app.count("push_messages WHERE status = 'pending'"), 0);
    // Later changes send nothing more.
    assert_eq!(
        app.post(&format!("/api/v1/cases/{r}/close"), Some(&op), &json!({"outcome": "referred_shelter"}))
            .await
            .status(),
        200
    );
    assert_eq!(app.count("push_messages"), 0);
    assert_eq!(service.received().len(), 1);
}

async fn a_device_whose_sessions_ended_gets_no_push_and_sign_out_everywhere_removes_them(app: TestApp) {
    let service = PushService::start();
    let (relay, refresh) = relay_staff(&app, "lost@example.be").await;
    let device = Device::new();
    assert_eq!(subscribe(&app, &relay, &device.subscription(&service.endpoint("counter"))).await.status(), 201);
    let r = file(&app, &relay, "lost-1", "0470 55 21 09", "Ambroise").await;

    // Signed out on that device (its refresh token ended): a status change queues a
    // push, but the check before sending finds no live session and drops it.
    let out = app.post("/api/v1/auth/logout", None, &json!({"refresh_token": refresh})).await;
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let op = helpline_user(&app, "op3@example.be", "helpline_operator", EVC).await;
    assert_eq!(app.post(&format!("/api/v1/cases/{r}/claim"), Some(&op), &json!({})).await.status(), 200);
    let start = Instant::now();
    while app.count("push_subscriptions") > 0 && start.elapsed() < Duration::from_secs(20) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(app.count("push_subscriptions"), 0);
    assert!(service.received().is_empty(), "a signed-out device received a push");

    // Sign out everywhere: every session ends and every subscription goes at once.
    let admin = app.admin_token().await;
    let s = app.seed_scopes();
    let (_, pw) = app
        .create_user(&admin, json!({"email": "two@example.be", "role": "relay_staff", "relay_point_id": s.relay_point}))
        .await;
    let phone = app.login_ok("two@example.be", &pw).await;
    let tablet = app.login_ok("two@example.be", &pw).await;
    for (token, name) in [(&phone.access, "phone"), (&tablet.access, "tablet")] {
        let d = Device::new();
        assert_eq!(subscribe(&app, token, &d.subscription(&service.endpoint(name))).await.status(), 201);
    }
    assert_eq!(app.count("push_subscriptions"), 2);
    let everywhere = app.post("/api/v1/auth/logout-everywhere", Some(&phone.access), &json!({})).await;
    assert_eq!(everywhere.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.count("push_subscriptions"), 0);
    assert_eq!(app.get("/api/v1/me", &tablet.access).await.status(), StatusCode::UNAUTHORIZED);
    let refreshed = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": tablet.refresh})).await;
    assert_eq!(refreshed.status(), StatusCode::UNAUTHORIZED);
}

async fn bad_subscriptions_are_refused_and_write_nothing(app: TestApp) {
    let (relay, _) = relay_staff(&app, "bad@example.be").await;
    let device = Device::new();
    let good = device.subscription("http://127.0.0.1:9/push/x");

    // Not relay staff.
    let op = helpline_user(&app, "op4@example.be", "helpline_operator", EVC).await;
    problem(subscribe(&app, &op, &good).await, StatusCode::FORBIDDEN).await;
    problem(app.get("/api/v1/push/public-key", &op).await, StatusCode::FORBIDDEN).await;

    let mut cases = Vec::new();
    let mut b = good.clone();
    b["endpoint"] = json!("http://push.example.com/x");
    cases.push((b, "endpoint"));
    let mut b = good.clone();
    b["endpoint"] = json!("not a url");
    cases.push((b, "endpoint"));
    let mut b = good.clone();
    b["endpoint"] = json!(format!("https://push.example.com/{}", "x".repeat(600)));
    cases.push((b, "endpoint"));
    let mut b = good.clone();
    b["keys"]["p256dh"] = json!(B64.encode([4u8; 20]));
    cases.push((b, "keys.p256dh"));
    let mut b = good.clone();
    b["keys"]["auth"] = json!("***");
    cases.push((b, "keys.auth"));
    for (body, field) in cases {
        let p = problem(subscribe(&app, &relay, &body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(p["errors"][0]["field"], field, "{p}");
    }
    // Wrong types and unknown fields.
    let mut b = good.clone();
    b["keys"]["auth"] = json!(16);
    assert!(subscribe(&app, &relay, &b).await.status().is_client_error());
    let mut b = good.clone();
    b["extra"] = json!(true);
    assert!(subscribe(&app, &relay, &b).await.status().is_client_error());
    assert_eq!(app.count("push_subscriptions"), 0);

    // Removing: only one's own.
    let created: Value = subscribe(&app, &relay, &good).await.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_string();
    let (other, _) = relay_staff(&app, "other@example.be").await;
    let del =
        app.request(reqwest::Method::DELETE, &format!("/api/v1/me/push-subscriptions/{id}"), Some(&other), None).await;
    problem(del, StatusCode::NOT_FOUND).await;
    assert_eq!(app.count("push_subscriptions"), 1);
    let del =
        app.request(reqwest::Method::DELETE, &format!("/api/v1/me/push-subscriptions/{id}"), Some(&relay), None).await;
    assert_eq!(del.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.count("push_subscriptions"), 0);
}
