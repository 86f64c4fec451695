//! The relay app (`/relay/`) in a real browser at a phone's size (360x640):
//! installable (manifest, icons, service worker), sign-in with the refresh token
//! out of script reach, a signal filed online with its receipt, one filed offline
//! (network emulated off) that arrives exactly once when the network returns,
//! nothing of either contact left in the browser's storage, and a withdrawal the
//! operator's queue follows. Every screen is saved as a screenshot.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::browser::Browser;
use crate::cases::{EVC, helpline_user};
use crate::helpers::{Backend, try_spawn_app};

/// A raw Chrome DevTools Protocol command through chromedriver.
#[derive(Debug)]
struct Cdp(&'static str, Value);

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({"cmd": self.0, "params": self.1}).to_string()))
    }
}

async fn network(b: &Browser, online: bool) {
    b.client.issue_cmd(Cdp("Network.enable", json!({}))).await.unwrap();
    let conditions = json!({"offline": !online, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1});
    b.client.issue_cmd(Cdp("Network.emulateNetworkConditions", conditions)).await.unwrap();
}

async fn visible(b: &Browser, css: &str) -> bool {
    b.js(&format!("const e = document.querySelector('{css}'); return !!e && !e.closest('[hidden]');")).await
        == json!(true)
}

async fn wait_visible(b: &Browser, css: &str, secs: u64) {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while std::time::Instant::now() < until {
        if visible(b, css).await {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{css} did not show within {secs} s");
}

async fn wait_until(secs: u64, mut check: impl FnMut() -> bool) -> bool {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while std::time::Instant::now() < until {
        if check() {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    false
}

/// How many requests the server answered, by (method, route template, status),
/// from its own metrics.
async fn served(app: &crate::helpers::TestApp) -> std::collections::BTreeMap<(String, String, String), i64> {
    let text = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    let label = |line: &str, name: &str| {
        let start = line.find(&format!("{name}=\"")).map(|i| i + name.len() + 2)?;
        line[start..].split('"').next().map(str::to_string)
    };
    text.lines()
        .filter(|l| l.starts_with("saferelay_http_requests_total{"))
        .filter_map(|l| {
            let count = l.rsplit(' ').next()?.parse().ok()?;
            Some(((label(l, "method")?, label(l, "route")?, label(l, "status")?), count))
        })
        .collect()
}

/// What was answered between two readings of `served`.
fn requests_between(
    before: &std::collections::BTreeMap<(String, String, String), i64>,
    after: &std::collections::BTreeMap<(String, String, String), i64>,
) -> Vec<(String, String, String, i64)> {
    after
        .iter()
        .filter_map(|(k, n)| {
            let d = n - before.get(k).copied().unwrap_or(0);
            (d > 0 && k.1 != "/metrics").then(|| (k.0.clone(), k.1.clone(), k.2.clone(), d))
        })
        .collect()
}

async fn assert_accessible(b: &Browser, screen: &str) {
    let violations = b.axe_violations().await;
    assert!(violations.is_empty(), "axe-core on {screen}: {violations:#?}");
}

fn assert_forgotten(dump: &str, needles: &[&str], when: &str) {
    for n in needles {
        assert!(!dump.contains(n), "{when}: the browser's storage still holds {n:?}:\n{dump}");
    }
}

async fn fill_signal(b: &Browser, phone: &str, alias: &str) {
    b.fill("#phone", phone).await;
    b.fill("#alias", alias).await;
    b.click("#consent").await;
}

async fn a_relay_files_online_and_offline_and_withdraws(backend: Backend) {
    let Some(app) = try_spawn_app(backend).await else { return };
    let name = format!("relay-app-{}", if backend == Backend::Sqlite { "sqlite" } else { "postgres" });
    let Some(mut b) = Browser::start_sized(&name, 360, 640).await else { return };
    let admin = app.admin_token().await;
    let s = app.seed_scopes();
    let (user, pw) = app
        .create_user(
            &admin,
            json!({"email": "pharma@example.be", "role": "relay_staff", "relay_point_id": s.relay_point}),
        )
        .await;

    // Installable: a manifest with both icon sizes, a strict CSP, a worker for /relay/.
    let manifest: Value =
        app.client.get(app.url("/relay/manifest.webmanifest")).send().await.unwrap().json().await.unwrap();
    assert_eq!((manifest["start_url"].as_str(), manifest["scope"].as_str()), (Some("/relay/"), Some("/relay/")));
    assert_eq!(manifest["display"], "standalone");
    for size in ["192x192", "512x512"] {
        let icon = manifest["icons"].as_array().unwrap().iter().find(|i| i["sizes"] == size).unwrap();
        let resp = app.client.get(app.url(icon["src"].as_str().unwrap())).send().await.unwrap();
        assert_eq!((resp.status(), resp.headers()["content-type"].to_str().unwrap()), (StatusCode::OK, "image/png"));
    }
    let page = app.client.get(app.url("/relay/")).send().await.unwrap();
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_string();
    for directive in ["script-src 'self'", "connect-src 'self'", "worker-src 'self'", "manifest-src 'self'"] {
        assert!(csp.contains(directive), "{directive} missing from {csp}");
    }
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(page.headers()["cache-control"], "no-store");

    b.goto(&app.url("/relay/")).await;
    wait_visible(&b, "#signin", 10).await;
    b.shot("sign-in").await;
    assert_accessible(&b, "sign-in").await;
    b.fill("#email", "pharma@example.be").await;
    b.fill("#password", &pw).await;
    b.click("#signin-form button[type=submit]").await;
    wait_visible(&b, "#file-form", 10).await;
    let controlled = wait_until_js(&b, "return navigator.serviceWorker.controller !== null;", 15).await;
    assert!(controlled, "the service worker does not control the page");
    let scope = b
        .client
        .execute_async(
            "const done = arguments[0]; navigator.serviceWorker.getRegistration('/relay/').then(r => done(r && r.scope));",
            vec![],
        )
        .await
        .unwrap();
    assert!(scope.as_str().unwrap().ends_with("/relay/"), "{scope}");
    // A repeat visit loads the app from the service worker: no request for any of
    // its files, only the API (the session refresh) and the browser's update check
    // of the worker, answered 304 with no body when the app has not changed.
    let before = served(&app).await;
    b.goto(&app.url("/relay/")).await;
    wait_visible(&b, "#file-form", 10).await;
    let repeat = requests_between(&before, &served(&app).await);
    for (method, route, status, n) in &repeat {
        let ok = route.starts_with("/api/") || (route == "/relay/sw.js" && status == "304");
        assert!(ok, "a repeat visit requested {method} {route} ({status}) {n} time(s): {repeat:?}");
    }
    // The refresh token is not readable by any script.
    let dump = b.storage_dump().await;
    assert!(!dump.contains("saferelay_refresh"), "{dump}");
    b.shot("new-signal").await;
    assert_accessible(&b, "new signal").await;

    // Immediate danger puts the 112 call first.
    b.click("input[name=urgency][value=immediate_danger]").await;
    assert!(visible(&b, "#call-112").await);
    assert_eq!(b.js("return document.querySelector('#call-112').getAttribute('href');").await, "tel:112");
    b.shot("immediate-danger").await;
    b.click("input[name=urgency][value=standard]").await;
    assert!(!visible(&b, "#call-112").await);

    // Online: one request, the receipt.
    fill_signal(&b, "0471 98 76 55", "Hortense").await;
    assert_eq!(b.text("#phone-shown").await, "Will be called on: +32 471 98 76 55");
    b.click("#add-window").await;
    b.shot("form-filled").await;
    let before = served(&app).await;
    b.click("#send").await;
    wait_visible(&b, "#receipt-reference", 10).await;
    // Filing is one API request (the browser may check the worker for an update
    // meanwhile: that is not the app's doing).
    let filing: Vec<_> =
        requests_between(&before, &served(&app).await).into_iter().filter(|r| r.1 != "/relay/sw.js").collect();
    assert_eq!(
        filing,
        vec![("POST".to_string(), "/api/v1/signals".to_string(), "201".to_string(), 1)],
        "filing a signal made other requests"
    );
    let first = b.text("#receipt-reference").await;
    assert_eq!(first.len(), 8, "{first}");
    assert!(b.text("#receipt-helpline").await.contains("0800 30 030"));
    assert!(b.text("#receipt-when").await.contains("open now"));
    b.shot("receipt").await;
    assert_accessible(&b, "receipt").await;
    assert_eq!(app.count("signals"), 1);
    // The form is emptied; nothing of the contact is kept anywhere.
    assert_eq!(b.js("return document.querySelector('#phone').value;").await, "");
    assert_forgotten(&b.storage_dump().await, &["98 76 55", "987655", "Hortense"], "after an online signal");

    // Offline: kept sealed on the device, not sent.
    network(&b, false).await;
    b.click("#nav-file").await;
    fill_signal(&b, "0472 65 43 21", "Zelda").await;
    b.click("#send").await;
    wait_visible(&b, "#queued", 10).await;
    b.shot("kept-offline").await;
    assert_accessible(&b, "kept offline").await;
    let dump = b.storage_dump().await;
    assert!(dump.contains("idb:saferelay-relay") && dump.contains("\"filed_at\":"), "no sealed record: {dump}");
    assert_forgotten(&dump, &["65 43 21", "654321", "Zelda", "+32472"], "while sealed");
    // The sealing key cannot be exported.
    let extractable = b
        .client
        .execute_async(
            "const done = arguments[0]; const r = indexedDB.open('saferelay-relay'); r.onsuccess = () => { \
             const q = r.result.transaction('keys').objectStore('keys').get('seal'); \
             q.onsuccess = () => done([q.result.extractable, q.result.algorithm.name]); };",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(extractable, json!([false, "AES-GCM"]));
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert_eq!(app.count("signals"), 1);

    // Back online: it arrives, exactly once, and the record is gone.
    network(&b, true).await;
    let arrived = wait_until(40, || app.count("signals") == 2).await;
    assert!(arrived, "the kept signal was not sent");
    assert!(wait_until_js(&b, "return document.querySelector('#pending').hidden;", 10).await);
    b.js("window.dispatchEvent(new Event('online'));").await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(app.count("signals"), 2, "the kept signal was sent twice");
    let dump = b.storage_dump().await;
    assert_forgotten(&dump, &["65 43 21", "654321", "Zelda", "+32472"], "after the 201");
    let kept = b
        .client
        .execute_async(
            "const done = arguments[0]; const r = indexedDB.open('saferelay-relay'); r.onsuccess = () => { \
             const q = r.result.transaction('outbox').objectStore('outbox').count(); q.onsuccess = () => done(q.result); };",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(kept, json!(0), "the sealed record outlived the 201");

    // My signals: both, with status and no contact; withdraw the second.
    b.click("#nav-signals").await;
    assert!(wait_until_js(&b, "return document.querySelectorAll('#signals-list li').length === 2;", 10).await);
    let list = b.text("#signals-list").await;
    assert!(list.contains(&first) && (list.contains("received") || list.contains("forwarded")), "{list}");
    assert!(!list.contains("Zelda") && !list.contains("Hortense"));
    b.shot("my-signals").await;
    assert_accessible(&b, "my signals").await;
    let second = b
        .js(&format!(
            "return [...document.querySelectorAll('#signals-list li')].map(l => l.dataset.reference).find(r => r !== '{first}');"
        ))
        .await
        .as_str()
        .unwrap()
        .to_string();
    let button = format!("#signals-list li[data-reference='{second}'] button.withdraw");
    b.click(&button).await;
    b.shot("withdraw-confirm").await;
    b.click(&button).await;
    assert!(b.wait_for_text(&format!("#signals-list li[data-reference='{second}']"), "withdrawn", 10).await);
    b.shot("withdrawn").await;
    assert_eq!(app.count("signal_contacts"), 1);
    let op = helpline_user(&app, "op@example.be", "helpline_operator", EVC).await;
    let queue: Value = app.get("/api/v1/cases", &op).await.json().await.unwrap();
    let refs: Vec<&str> = queue["items"].as_array().unwrap().iter().map(|c| c["reference"].as_str().unwrap()).collect();
    assert_eq!(refs, vec![first.as_str()]);

    // Sign out: the cookie's session ends.
    b.click("#sign-out").await;
    wait_visible(&b, "#signin", 10).await;
    assert_eq!(app.count(&format!("refresh_tokens WHERE revoked_at IS NULL AND user_id = '{user}'")), 0);
    b.close().await;
}

async fn wait_until_js(b: &Browser, script: &str, secs: u64) -> bool {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while std::time::Instant::now() < until {
        if b.js(script).await == json!(true) {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_files_online_and_offline_and_withdraws_on_sqlite() {
    a_relay_files_online_and_offline_and_withdraws(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_files_online_and_offline_and_withdraws_on_postgres() {
    a_relay_files_online_and_offline_and_withdraws(Backend::Postgres).await;
}

/// The app's files: the shell and its assets, the worker's cache version.
#[tokio::test]
async fn the_app_shell_is_served_with_its_own_policy() {
    let app = try_spawn_app(Backend::Sqlite).await.unwrap();
    let resp = app.client.get(app.url("/relay/sw.js")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["service-worker-allowed"], "/relay/");
    let etag = resp.headers()["etag"].to_str().unwrap().to_string();
    let sw = resp.text().await.unwrap();
    assert!(!sw.contains("__VERSION__") && sw.contains("relay-shell-"));
    // Text files are sent gzipped at the best level when the browser takes gzip,
    // and decode to the very file; images as they are.
    let gz = app
        .client
        .get(app.url("/relay/assets/libphonenumber-min.js"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    let body = gz.bytes().await.unwrap();
    let mut plain = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&body[..]), &mut plain).unwrap();
    let file =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/vendor/libphonenumber-js/libphonenumber-min.js"));
    assert_eq!(plain, file.unwrap());
    assert!(body.len() * 3 < plain.len(), "{} of {} bytes", body.len(), plain.len());
    let png = app.client.get(app.url("/relay/assets/icon-512.png")).header("accept-encoding", "gzip").send().await;
    assert!(png.unwrap().headers().get("content-encoding").is_none());
    // The browser's update check of an unchanged worker costs no body.
    let again = app.client.get(app.url("/relay/sw.js")).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(again.bytes().await.unwrap().is_empty());
    // The worker never stores an API answer.
    assert!(sw.contains("SHELL.includes(path)") && !sw.contains("/api/v1"));
    for (path, ty) in [("/relay/assets/app.js", "text/javascript"), ("/relay/assets/app.css", "text/css")] {
        let resp = app.client.get(app.url(path)).send().await.unwrap();
        assert!(resp.headers()["content-type"].to_str().unwrap().starts_with(ty));
        assert_eq!(resp.headers()["cache-control"], "public, max-age=300");
    }
    let resp = app.client.get(app.url("/relay/assets/nope.js")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let resp = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(app.url("/relay"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        (resp.status(), resp.headers()["location"].to_str().unwrap()),
        (StatusCode::PERMANENT_REDIRECT, "/relay/")
    );
    // The page has no inline script or style.
    let html = app.client.get(app.url("/relay/")).send().await.unwrap().text().await.unwrap();
    assert!(!html.contains("<script>") && !html.contains("style="));
}

/// My training and Referrals: the staff member's modules with what to do about
/// one that is expiring, the referral directory of the relay point's region with
/// `tel:` links, and the last list shown offline from the app's own IndexedDB
/// record with the date it was saved (the service worker never keeps an API answer).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_sees_its_training_and_the_referrals_also_offline() {
    let Some(app) = try_spawn_app(Backend::Sqlite).await else { return };
    let Some(mut b) = Browser::start_sized("relay-app-training-referrals", 360, 640).await else { return };
    let admin = app.admin_token().await;
    let m = app.programme_with_manager(&admin, "wal", "en").await;
    let relay = app.relay(&m.manager, "Pharmacie du Pont", "4000", "pharmacy").await;
    assert_eq!(relay["region"], "wallonia");
    let (staff, pw) = app
        .create_user(
            &admin,
            json!({"email": "pharma@example.be", "role": "relay_staff", "relay_point_id": relay["id"], "language": "en"}),
        )
        .await;
    // A 12-month module completed 350 days ago: it ends in about two weeks.
    let basics = app.module(&m.manager, "Mask-19 basics", 12, true).await;
    app.module(&m.manager, "Listening without judging", 24, true).await;
    let on = (chrono::Utc::now().date_naive() - chrono::Duration::days(350)).to_string();
    let done = app.complete(&m.manager, &staff, &basics, &on).await;
    let expires = chrono::NaiveDate::parse_from_str(done["expires_on"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let expires_text = expires.format("%B %-d, %Y").to_string();
    let shelter = json!({"kind": "shelter", "name": "Refuge Liège", "regions": ["wallonia"], "languages": ["fr"],
        "phone": "04 000 00 00", "opening_hours": "24/7"});
    assert_eq!(app.post("/api/v1/resources", Some(&admin), &shelter).await.status(), StatusCode::CREATED);
    let elsewhere = json!({"kind": "shelter", "name": "Opvang Gent", "regions": ["flanders"], "languages": ["fr", "nl"],
        "phone": "09 000 00 00", "opening_hours": "Mon-Fri 09:00-17:00"});
    assert_eq!(app.post("/api/v1/resources", Some(&admin), &elsewhere).await.status(), StatusCode::CREATED);

    b.goto(&app.url("/relay/")).await;
    wait_visible(&b, "#signin", 10).await;
    b.fill("#email", "pharma@example.be").await;
    b.fill("#password", &pw).await;
    b.click("#signin-form button[type=submit]").await;
    wait_visible(&b, "#file-form", 10).await;
    assert!(wait_until_js(&b, "return navigator.serviceWorker.controller !== null;", 15).await);

    // My training: both modules, the expiring one with its date and what to do.
    b.click("#nav-training").await;
    assert!(wait_until_js(&b, "return document.querySelectorAll('#training-list li').length === 2;", 10).await);
    assert_eq!(b.js("return document.querySelector('#nav-training').getAttribute('aria-current');").await, "page");
    let list = b.text("#training-list").await;
    assert!(list.contains("Mask-19 basics") && list.contains("expiring soon"), "{list}");
    assert!(list.contains(&format!("valid until {expires_text}")), "{list}");
    assert!(list.contains("Listening without judging") && list.contains("not followed"), "{list}");
    let advice = b.text("#training-advice").await;
    assert!(
        advice
            .contains(&format!("Renew the module “Mask-19 basics” before {expires_text}: ask your programme manager.")),
        "{advice}"
    );
    assert!(advice.contains("Follow the module “Listening without judging”: ask your programme manager."), "{advice}");
    assert_eq!(b.text("#training-relay").await, "Training of this relay point: not trained.");
    b.shot("my-training").await;
    assert_accessible(&b, "my training").await;

    // Referrals: the relay point's region, in French, with a tel: link and hours.
    b.click("#nav-referrals").await;
    b.js("const s = document.querySelector('#ref-language'); s.value = 'fr'; s.dispatchEvent(new Event('change'));")
        .await;
    assert!(b.wait_for_text("#referrals-list", "Refuge Liège", 10).await);
    let list = b.text("#referrals-list").await;
    assert!(list.contains("24/7") && !list.contains("Opvang Gent"), "{list}");
    let tel =
        b.js("return [...document.querySelectorAll('#referrals-list a')].map(a => a.getAttribute('href'));").await;
    assert!(tel.as_array().unwrap().contains(&json!("tel:040000000")), "{tel}");
    assert!(!visible(&b, "#referrals-saved").await);
    b.shot("referrals").await;
    assert_accessible(&b, "referrals").await;
    // Kept in the app's own IndexedDB record; the worker's cache holds no API answer.
    let dump = b.storage_dump().await;
    assert!(dump.contains("Refuge Liège"), "the list was not kept: {dump}");
    let cached = b
        .client
        .execute_async(
            "const done = arguments[0]; caches.keys().then(ns => Promise.all(ns.map(n => caches.open(n).then(c => c.keys())))) \
             .then(all => done(all.flat().map(r => new URL(r.url).pathname)));",
            vec![],
        )
        .await
        .unwrap();
    let cached: Vec<&str> = cached.as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert!(!cached.is_empty() && cached.iter().all(|p| !p.starts_with("/api/")), "{cached:?}");

    // Offline: the saved list, marked with the day it was saved.
    network(&b, false).await;
    b.click("#nav-file").await;
    b.click("#nav-referrals").await;
    wait_visible(&b, "#referrals-saved", 10).await;
    let today = chrono::Local::now().date_naive().format("%B %-d, %Y").to_string();
    let saved = b.text("#referrals-saved").await;
    assert!(saved.contains("saved on") && saved.contains(&today) && saved.contains("Wallonia"), "{saved}");
    assert!(b.text("#referrals-list").await.contains("Refuge Liège"));
    assert_eq!(b.js("return document.querySelector('#ref-language').value;").await, "fr");
    b.shot("referrals-offline").await;
    assert_accessible(&b, "referrals offline").await;
    network(&b, true).await;
    b.close().await;
}
