//! Signal intake: idempotency, encryption at rest, routing, validation, scope.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Backend, Scopes, TestApp, problem, try_spawn_app_with};
use crate::on_both_backends;

on_both_backends!(
    a_signal_gets_reference_helpline_eta_and_referrals_and_never_echoes_the_contact,
    a_retry_returns_the_first_response_and_a_reused_key_with_another_body_is_refused,
    concurrent_duplicates_create_exactly_one_signal,
    the_phone_number_is_stored_only_encrypted,
    bad_signals_are_rejected_field_by_field_and_write_nothing,
    relays_see_only_their_own_signals,
    immediate_danger_gets_112_guidance_and_goes_first,
    a_signal_without_a_matching_rule_is_still_filed_to_a_helpline_for_its_language,
    with_no_active_helpline_intake_refuses_and_says_whom_to_call,
    signals_from_relays_that_are_not_trained_are_accepted_and_flagged,
    a_signal_records_the_training_status_after_a_change_on_another_instance,
    a_closed_helpline_queues_the_signal_and_says_when,
);

pub const PHONE: &str = "0470 98 76 54";

pub fn body(phone: &str, alias: &str) -> Value {
    json!({
        "phone": phone,
        "alias": alias,
        "language": "fr",
        "safe_windows": [{"day": "tue", "start": "09:00", "end": "11:30"}],
        "voicemail_ok": false,
        "urgency": "standard",
        "consent": true,
        "note": "prefers a female voice"
    })
}

/// A relay staff member of a fresh pharmacy in Liège; returns their token.
pub async fn relay_staff(app: &TestApp, email: &str) -> (String, Scopes) {
    let admin = app.admin_token().await;
    let s = app.seed_scopes();
    let (_, pw) =
        app.create_user(&admin, json!({"email": email, "role": "relay_staff", "relay_point_id": s.relay_point})).await;
    (app.login_ok(email, &pw).await.access, s)
}

pub async fn submit(app: &TestApp, token: &str, key: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/signals"))
        .bearer_auth(token)
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn a_signal_gets_reference_helpline_eta_and_referrals_and_never_echoes_the_contact(app: TestApp) {
    let (token, _) = relay_staff(&app, "pharmacist@example.be").await;
    let resp = submit(&app, &token, "k-1", &body(PHONE, "Zoë")).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let location = resp.headers()["location"].to_str().unwrap().to_string();
    let text = resp.text().await.unwrap();
    for secret in ["0470", "98 76", "987654", "Zoë", "female voice"] {
        assert!(!text.contains(secret), "response echoes {secret}: {text}");
    }
    let r: Value = serde_json::from_str(&text).unwrap();
    let reference = r["reference"].as_str().unwrap();
    assert_eq!(reference.len(), 8);
    assert_eq!(location, format!("/api/v1/signals/{reference}"));
    assert_eq!(r["status"], "received");
    // Liège, French: the 24/7 French-speaking helpline takes it now.
    assert_eq!(r["helpline"]["public_phone"], "0800 30 030");
    assert_eq!(r["helpline_open_now"], true);
    assert!(r["expected_callback_from"].is_string());
    assert!(r["guidance"].is_null());
    let referrals = r["referrals"].as_array().unwrap();
    assert!(referrals.iter().any(|x| x["phone"] == "112"));
    assert!(referrals.iter().all(|x| x["languages"].as_array().unwrap().contains(&json!("fr"))));

    assert_eq!(app.count("signals"), 1);
    assert_eq!(app.count("signal_contacts"), 1);
    // One delivery for the helpline's one channel (e-mail), written with the signal.
    assert_eq!(app.count("outbox WHERE event = 'signal.received' AND channel = 'email'"), 1);

    let seen: Value = app.get(&location, &token).await.json().await.unwrap();
    // `forwarded` once the outbox worker has sent the notification.
    assert!(seen["status"] == "received" || seen["status"] == "forwarded", "{seen}");
    assert_eq!(seen["reference"], reference);
    let list: Value = app.get("/api/v1/signals", &token).await.json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert!(!list.to_string().contains("987654"));
}

async fn a_retry_returns_the_first_response_and_a_reused_key_with_another_body_is_refused(app: TestApp) {
    let (token, _) = relay_staff(&app, "p@example.be").await;
    let first = submit(&app, &token, "retry-key", &body(PHONE, "A")).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let again = submit(&app, &token, "retry-key", &body(PHONE, "A")).await;
    assert_eq!(again.status(), StatusCode::CREATED);
    let again: Value = again.json().await.unwrap();
    assert_eq!(first, again);
    assert_eq!(app.count("signals"), 1);

    let p =
        problem(submit(&app, &token, "retry-key", &body("0470 11 22 33", "A")).await, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    assert_eq!(p["errors"][0]["field"], "Idempotency-Key");
    assert_eq!(app.count("signals"), 1);

    // No key at all: refused before anything is written.
    let resp = app.post("/api/v1/signals", Some(&token), &body(PHONE, "A")).await;
    let p = problem(resp, StatusCode::BAD_REQUEST).await;
    assert_eq!(p["code"], "idempotency_key_required");
    // A new key is a new signal.
    assert_eq!(submit(&app, &token, "other-key", &body(PHONE, "A")).await.status(), StatusCode::CREATED);
    assert_eq!(app.count("signals"), 2);
}

async fn concurrent_duplicates_create_exactly_one_signal(app: TestApp) {
    let (token, _) = relay_staff(&app, "p@example.be").await;
    let b = body(PHONE, "A");
    let sends = (0..8).map(|_| submit(&app, &token, "same-key", &b));
    let responses = futures_util::future::join_all(sends).await;
    let mut refs = Vec::new();
    for r in responses {
        assert_eq!(r.status(), StatusCode::CREATED);
        let v: Value = r.json().await.unwrap();
        refs.push(v["reference"].as_str().unwrap().to_string());
    }
    refs.dedup();
    assert_eq!(refs.len(), 1, "one reference for all: {refs:?}");
    assert_eq!(app.count("signals"), 1);
    assert_eq!(app.count("signal_contacts"), 1);
    assert_eq!(app.count("outbox"), 1);
}

async fn the_phone_number_is_stored_only_encrypted(app: TestApp) {
    let (token, _) = relay_staff(&app, "p@example.be").await;
    let unique = "0470 55 66 77";
    assert_eq!(submit(&app, &token, "enc", &body(unique, "Wilhelmina")).await.status(), StatusCode::CREATED);
    let dump = crate::helpers::dump_database(&app);
    for needle in ["+32470556677", "470556677", "0470 55 66 77", "Wilhelmina", "female voice"] {
        assert!(!dump.windows(needle.len()).any(|w| w == needle.as_bytes()), "{needle} found in the database");
    }
    // ...and it is there, encrypted: the master key opens it.
    let contact = crate::helpers::decrypt_only_contact(&app);
    assert_eq!(contact["phone"], "+32470556677");
    assert_eq!(contact["alias"], "Wilhelmina");
}

async fn bad_signals_are_rejected_field_by_field_and_write_nothing(app: TestApp) {
    let (token, _) = relay_staff(&app, "p@example.be").await;
    let cases: Vec<(Value, StatusCode, &str)> = vec![
        (json!({"consent": false}), StatusCode::UNPROCESSABLE_ENTITY, "consent"),
        (json!({"phone": "12345"}), StatusCode::UNPROCESSABLE_ENTITY, "phone"),
        (json!({"alias": "x".repeat(41)}), StatusCode::UNPROCESSABLE_ENTITY, "alias"),
        (json!({"note": "x".repeat(501)}), StatusCode::UNPROCESSABLE_ENTITY, "note"),
        (json!({"language": "klingon"}), StatusCode::UNPROCESSABLE_ENTITY, "language"),
        (json!({"urgency": "urgent"}), StatusCode::UNPROCESSABLE_ENTITY, "urgency"),
        (json!({"voicemail_ok": "yes"}), StatusCode::UNPROCESSABLE_ENTITY, "voicemail_ok"),
        (
            json!({"safe_windows": [{"day": "mon", "start": "12:00", "end": "09:00"}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "safe_windows[0]",
        ),
        (
            json!({"safe_windows": [{"day": "someday", "start": "09:00", "end": "12:00"}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "safe_windows[0].day",
        ),
        (
            json!({"safe_windows": [{"day": "mon", "start": "9h", "end": "12:00"}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "safe_windows[0].start",
        ),
        (json!({"victim_name": "X"}), StatusCode::BAD_REQUEST, "victim_name"),
    ];
    for (i, (patch, status, field)) in cases.into_iter().enumerate() {
        let mut b = body(PHONE, "A");
        for (k, v) in patch.as_object().unwrap() {
            b[k] = v.clone();
        }
        let p = problem(submit(&app, &token, &format!("bad-{i}"), &b).await, status).await;
        assert_eq!(p["errors"][0]["field"], field, "{p}");
        assert!(!p.to_string().contains("987654"), "error echoes the phone: {p}");
    }
    let mut missing = body(PHONE, "A");
    missing.as_object_mut().unwrap().remove("safe_windows");
    let p = problem(submit(&app, &token, "missing", &missing).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(p["errors"][0]["field"], "safe_windows");
    let big = json!({"phone": PHONE, "note": "x".repeat(70_000)});
    problem(submit(&app, &token, "big", &big).await, StatusCode::PAYLOAD_TOO_LARGE).await;

    for table in ["signals", "signal_contacts", "outbox", "idempotency_keys"] {
        assert_eq!(app.count(table), 0, "{table} written");
    }
}

async fn relays_see_only_their_own_signals(app: TestApp) {
    let (a, _) = relay_staff(&app, "a@example.be").await;
    let (b, _) = relay_staff(&app, "b@example.be").await;
    let r: Value = submit(&app, &a, "k", &body(PHONE, "A")).await.json().await.unwrap();
    let reference = r["reference"].as_str().unwrap();
    assert_eq!(app.get(&format!("/api/v1/signals/{reference}"), &a).await.status(), StatusCode::OK);
    problem(app.get(&format!("/api/v1/signals/{reference}"), &b).await, StatusCode::NOT_FOUND).await;
    problem(app.get("/api/v1/signals/NOT-AREF", &a).await, StatusCode::NOT_FOUND).await;
    let list: Value = app.get("/api/v1/signals", &b).await.json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 0);
    // The same Idempotency-Key from another relay is another signal.
    assert_eq!(submit(&app, &b, "k", &body(PHONE, "A")).await.status(), StatusCode::CREATED);
    // Roles other than relay staff cannot file or follow signals.
    let admin = app.admin_token().await;
    problem(submit(&app, &admin, "adm", &body(PHONE, "A")).await, StatusCode::FORBIDDEN).await;
    problem(app.get("/api/v1/signals", &admin).await, StatusCode::FORBIDDEN).await;
}

async fn immediate_danger_gets_112_guidance_and_goes_first(app: TestApp) {
    let (token, _) = relay_staff(&app, "p@example.be").await;
    let mut b = body(PHONE, "A");
    b["urgency"] = json!("immediate_danger");
    let r: Value = submit(&app, &token, "urgent", &b).await.json().await.unwrap();
    assert!(r["guidance"].as_str().unwrap().contains("112"));
    assert_eq!(app.count("outbox WHERE priority = 0"), 1);
}

async fn a_signal_without_a_matching_rule_is_still_filed_to_a_helpline_for_its_language(app: TestApp) {
    let (token, _) = relay_staff(&app, "p@example.be").await;
    let admin = app.admin_token().await;
    let rules: Value = app.get("/api/v1/routing-rules", &admin).await.json().await.unwrap();
    for rule in rules.as_array().unwrap() {
        let resp = app
            .request(
                reqwest::Method::DELETE,
                &format!("/api/v1/routing-rules/{}", rule["id"].as_str().unwrap()),
                Some(&admin),
                None,
            )
            .await;
        assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    }
    // A French signal from Liège: no rule, so the French-speaking helpline first by code.
    let resp = submit(&app, &token, "k", &body(PHONE, "A")).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let r: Value = resp.json().await.unwrap();
    assert_eq!(r["helpline"]["public_phone"], "0800 30 030");
    assert_eq!(app.count(&format!("signals WHERE helpline_id = '{}'", crate::cases::EVC)), 1);
    assert_eq!(app.count("outbox"), 1, "forwarded like any other signal");
}

async fn with_no_active_helpline_intake_refuses_and_says_whom_to_call(app: TestApp) {
    let (token, _) = relay_staff(&app, "p@example.be").await;
    let admin = app.admin_token().await;
    let helplines: Value = app.get("/api/v1/helplines", &admin).await.json().await.unwrap();
    for h in helplines.as_array().unwrap() {
        let resp = app
            .request(
                reqwest::Method::PATCH,
                &format!("/api/v1/helplines/{}", h["id"].as_str().unwrap()),
                Some(&admin),
                Some(&json!({"active": false})),
            )
            .await;
        assert_eq!(resp.status(), StatusCode::OK);
    }
    let p = problem(submit(&app, &token, "k", &body(PHONE, "A")).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    let message = p["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("1712") && message.contains("0800 30 030"), "{message}");
    assert_eq!(app.count("signals"), 0);
}

async fn a_closed_helpline_queues_the_signal_and_says_when(app: TestApp) {
    let (token, _) = relay_staff(&app, "p@example.be").await;
    let admin = app.admin_token().await;
    let helplines: Value = app.get("/api/v1/helplines", &admin).await.json().await.unwrap();
    let evc =
        helplines.as_array().unwrap().iter().find(|h| h["code"] == "evc").unwrap()["id"].as_str().unwrap().to_string();
    // Closed every week; open only two days from now, 09:00–10:00 Brussels time.
    let in_two_days =
        (chrono::Utc::now().with_timezone(&chrono_tz::Europe::Brussels) + chrono::Duration::days(2)).date_naive();
    let patch = json!({"weekly_hours": [], "exceptions": [{"date": in_two_days, "hours": [{"start": "09:00", "end": "10:00"}]}]});
    let resp =
        app.request(reqwest::Method::PATCH, &format!("/api/v1/helplines/{evc}"), Some(&admin), Some(&patch)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let r: Value = submit(&app, &token, "queued", &body(PHONE, "A")).await.json().await.unwrap();
    assert_eq!(r["helpline"]["public_phone"], "0800 30 030");
    assert_eq!(r["helpline_open_now"], false);
    let from = chrono::DateTime::parse_from_rfc3339(r["expected_callback_from"].as_str().unwrap()).unwrap();
    let local = from.with_timezone(&chrono_tz::Europe::Brussels);
    assert_eq!((local.date_naive(), local.format("%H:%M").to_string()), (in_two_days, "09:00".to_string()));
}

/// A relay point may file at most the configured number of signals an hour.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_over_its_hourly_limit_gets_429_with_retry_after() {
    let app = try_spawn_app_with(Backend::Sqlite, |s| s.signal_rate_limit_per_hour = 2).await.unwrap();
    let (token, _) = relay_staff(&app, "p@example.be").await;
    for k in ["1", "2"] {
        assert_eq!(submit(&app, &token, k, &body(PHONE, "A")).await.status(), StatusCode::CREATED);
    }
    // A retry of an accepted signal is not a new one: still answered.
    assert_eq!(submit(&app, &token, "1", &body(PHONE, "A")).await.status(), StatusCode::CREATED);
    let resp = submit(&app, &token, "3", &body(PHONE, "A")).await;
    let retry: u64 = resp.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((3000..=3600).contains(&retry), "{retry}");
    problem(resp, StatusCode::TOO_MANY_REQUESTS).await;
    assert_eq!(app.count("signals"), 2);
}

/// With several master keys configured, new contacts are wrapped by the first, and
/// only a ring that still holds it can open them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_contacts_are_wrapped_by_the_newest_master_key() {
    use base64::Engine;
    let b64 = |b: u8| base64::engine::general_purpose::STANDARD.encode([b; 32]);
    let (new, old) = (b64(2), b64(1));
    let app = try_spawn_app_with(Backend::Sqlite, |s| s.master_keys = Some(format!("m-new:{new},m-old:{old}")))
        .await
        .unwrap();
    let (token, _) = relay_staff(&app, "p@example.be").await;
    assert_eq!(submit(&app, &token, "k", &body(PHONE, "A")).await.status(), StatusCode::CREATED);
    assert_eq!(app.count("signal_contacts WHERE key_id = 'm-new'"), 1);

    use diesel::prelude::*;
    use saferelay::db::schema::signal_contacts::dsl as sc;
    let (id, key_id, wrapped_key, ciphertext): (String, String, Vec<u8>, Vec<u8>) = sc::signal_contacts
        .select((sc::signal_id, sc::key_id, sc::wrapped_key, sc::ciphertext))
        .first(&mut app.db())
        .unwrap();
    let sealed = saferelay::crypto::Sealed { key_id, wrapped_key, ciphertext };
    let ring = |keys: Vec<(&str, u8)>| {
        saferelay::crypto::MasterKeyRing::new(keys.into_iter().map(|(k, b)| (k.to_string(), vec![b; 32])).collect())
            .unwrap()
    };
    assert!(
        ring(vec![("m-newer", 3), ("m-new", 2)])
            .open(saferelay::crypto::Purpose::Contact, &sealed, id.as_bytes())
            .is_ok(),
        "rotated ring still opens it"
    );
    assert!(
        ring(vec![("m-old", 1)]).open(saferelay::crypto::Purpose::Contact, &sealed, id.as_bytes()).is_err(),
        "retired key gone: unreadable"
    );
}

/// Intake keeps each relay point's training status in memory behind the
/// `training_version` stamp: a completion recorded, deleted or a module added on
/// another instance changes what the very next signal records.
async fn a_signal_records_the_training_status_after_a_change_on_another_instance(app: TestApp) {
    let other = crate::helpers::spawn_second_instance(&app, |_| {}).await;
    let admin = app.admin_token().await;
    let m = app.programme_with_manager(&admin, "wal", "fr").await;
    let relay = app.relay(&m.manager, "Pharmacie A", "4000", "pharmacy").await;
    let module = app.module(&m.manager, "Mask-19 basics", 24, true).await;
    let (staff, token) = app.staff(&admin, "a@example.be", relay["id"].as_str().unwrap()).await;
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Brussels).date_naive().to_string();
    let mut n = 0;
    let mut recorded = async || {
        n += 1;
        let resp = submit(&app, &token, &format!("k{n}"), &body(PHONE, "A")).await;
        assert_eq!(resp.status(), StatusCode::CREATED);
        resp.json::<Value>().await.unwrap()["relay_training_status"].as_str().unwrap().to_string()
    };
    assert_eq!(recorded().await, "untrained");
    assert_eq!(recorded().await, "untrained", "kept, and still right");
    let done = other.complete(&m.manager, &staff, &module, &today).await;
    assert_eq!(recorded().await, "trained", "a completion recorded on the other instance");
    let second = other.module(&m.manager, "Referral paths", 24, true).await;
    assert_eq!(recorded().await, "untrained", "a second required module");
    other.complete(&m.manager, &staff, &second, &today).await;
    assert_eq!(recorded().await, "trained");
    let path = format!("/api/v1/completions/{}", done["id"].as_str().unwrap());
    let resp = other.request(reqwest::Method::DELETE, &path, Some(&m.manager), None).await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    assert_eq!(recorded().await, "untrained", "a completion deleted");
    assert_eq!(app.count("signals WHERE relay_training_status = 'trained'"), 2);
    assert_eq!(app.count("signals WHERE relay_training_status = 'untrained'"), 4);
}

async fn signals_from_relays_that_are_not_trained_are_accepted_and_flagged(app: TestApp) {
    let admin = app.admin_token().await;
    let m = app.programme_with_manager(&admin, "wal", "fr").await;
    let trained = app.relay(&m.manager, "Pharmacie A", "4000", "pharmacy").await;
    let untrained = app.relay(&m.manager, "Pharmacie B", "4020", "pharmacy").await;
    let module = app.module(&m.manager, "Mask-19 basics", 24, true).await;
    let (staff_a, token_a) = app.staff(&admin, "a@example.be", trained["id"].as_str().unwrap()).await;
    let (_, token_b) = app.staff(&admin, "b@example.be", untrained["id"].as_str().unwrap()).await;
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Brussels).date_naive().to_string();
    app.complete(&m.manager, &staff_a, &module, &today).await;

    let a: Value = submit(&app, &token_a, "k", &body(PHONE, "A")).await.json().await.unwrap();
    assert_eq!(a["relay_training_status"], "trained");
    let resp = submit(&app, &token_b, "k", &body(PHONE, "A")).await;
    assert_eq!(resp.status(), StatusCode::CREATED, "an untrained relay's signal is still accepted");
    let b: Value = resp.json().await.unwrap();
    assert_eq!(b["relay_training_status"], "untrained");
    assert_eq!(app.count("signals WHERE relay_training_status = 'untrained'"), 1);
    assert_eq!(app.count("signals WHERE relay_training_status = 'trained'"), 1);
}

/// Group commit on PostgreSQL (`SAFERELAY_PG_GROUP_COMMIT`, off by default): the
/// writes of concurrent signals share transactions, and still each signal is
/// stored once and whole, duplicates of one key get one signal, and a write that
/// fails (a key taken meanwhile) rolls back alone.
mod postgres_group_commit {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_signals_are_each_stored_once_and_whole() {
        let Some(app) = try_spawn_app_with(Backend::Postgres, |s| s.pg_group_commit = true).await else { return };
        let mut tokens = Vec::new();
        for n in 0..4 {
            tokens.push(relay_staff(&app, &format!("p{n}@example.be")).await.0);
        }
        // 40 distinct signals and 8 sends of one key, all at once.
        let distinct = (0..40).map(|n| {
            let (app, token) = (&app, &tokens[n % 4]);
            async move { submit(app, token, &format!("key-{n}"), &body(PHONE, "A")).await }
        });
        let b = body(PHONE, "B");
        let same = (0..8).map(|_| submit(&app, &tokens[0], "same-key", &b));
        let (distinct, same) =
            futures_util::future::join(futures_util::future::join_all(distinct), futures_util::future::join_all(same))
                .await;
        let mut refs = std::collections::BTreeSet::new();
        for r in distinct {
            assert_eq!(r.status(), StatusCode::CREATED);
            refs.insert(r.json::<Value>().await.unwrap()["reference"].as_str().unwrap().to_string());
        }
        assert_eq!(refs.len(), 40, "40 signals, 40 references");
        let mut same_refs = std::collections::BTreeSet::new();
        for r in same {
            assert_eq!(r.status(), StatusCode::CREATED);
            same_refs.insert(r.json::<Value>().await.unwrap()["reference"].as_str().unwrap().to_string());
        }
        assert_eq!(same_refs.len(), 1, "one reference for the key sent eight times");
        assert_eq!(app.count("signals"), 41);
        assert_eq!(app.count("signal_contacts"), 41);
        assert_eq!(app.count("outbox"), 41);
        assert_eq!(app.count("idempotency_keys"), 41);
    }
}
