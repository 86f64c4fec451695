//! Helpline work: queue, claim, audited reveal, attempts, transfer, close.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, dump_database, problem};
use crate::on_both_backends;
use crate::signals::{body, relay_staff, submit};

pub const EVC: &str = "00000000-0000-4000-8000-000000030030";
pub const H1712: &str = "00000000-0000-4000-8000-000000001712";

on_both_backends!(
    an_operator_claims_reveals_calls_and_closes_and_the_contact_is_destroyed,
    another_helpline_cannot_see_or_touch_the_case,
    claims_are_exclusive_and_lapse_after_thirty_idle_minutes,
    the_queue_puts_immediate_danger_first_then_the_oldest,
    a_supervisor_transfers_a_case_to_another_helpline,
    the_queue_says_when_to_call_without_a_reveal_and_forgets_it_with_the_contact,
);

/// A helpline account; returns its access token.
pub async fn helpline_user(app: &TestApp, email: &str, role: &str, helpline: &str) -> String {
    let admin = app.admin_token().await;
    let (_, pw) = app.create_user(&admin, json!({"email": email, "role": role, "helpline_id": helpline})).await;
    app.login_ok(email, &pw).await.access
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> reqwest::Response {
    app.post(path, Some(token), &body).await
}

async fn an_operator_claims_reveals_calls_and_closes_and_the_contact_is_destroyed(app: TestApp) {
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    let receipt: Value = submit(&app, &relay, "k", &body("0470 31 41 59", "Hortense")).await.json().await.unwrap();
    let r = receipt["reference"].as_str().unwrap();
    let op = helpline_user(&app, "op@example.be", "helpline_operator", EVC).await;

    let queue: Value = app.get("/api/v1/cases", &op).await.json().await.unwrap();
    assert_eq!(queue["items"][0]["reference"], r);
    assert!(!queue.to_string().contains("Hortense") && !queue.to_string().contains("314159"));

    // Reveal needs a claim.
    problem(post(&app, &op, &format!("/api/v1/cases/{r}/reveal"), json!({})).await, StatusCode::CONFLICT).await;
    let claimed: Value = post(&app, &op, &format!("/api/v1/cases/{r}/claim"), json!({})).await.json().await.unwrap();
    assert_eq!((claimed["claimed_by_me"].clone(), claimed["status"].clone()), (json!(true), json!("in_progress")));
    let seen: Value = app.get(&format!("/api/v1/signals/{r}"), &relay).await.json().await.unwrap();
    assert_eq!(seen["status"], "in_progress");

    let contact: Value = post(&app, &op, &format!("/api/v1/cases/{r}/reveal"), json!({})).await.json().await.unwrap();
    assert_eq!(contact["phone"], "+32470314159");
    assert_eq!(contact["alias"], "Hortense");
    assert_eq!(contact["safe_windows"][0], json!({"day": "tue", "start": "09:00", "end": "11:30"}));
    assert_eq!(app.count("audit_log WHERE action = 'contact.revealed'"), 1);

    // A next attempt on a Sunday night is outside the Tuesday-morning window.
    let sunday_night = next_weekday_at(chrono::Weekday::Sun, 23);
    let resp = post(
        &app,
        &op,
        &format!("/api/v1/cases/{r}/attempts"),
        json!({"result": "no_answer", "next_attempt_at": sunday_night}),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let attempt: Value = resp.json().await.unwrap();
    assert_eq!(attempt["outside_safe_windows"], true);
    assert_eq!(attempt["warnings"].as_array().unwrap().len(), 1);
    let tuesday = next_weekday_at(chrono::Weekday::Tue, 10);
    let attempt: Value = post(
        &app,
        &op,
        &format!("/api/v1/cases/{r}/attempts"),
        json!({"result": "reached", "next_attempt_at": tuesday}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(attempt["outside_safe_windows"], false);

    let p = problem(
        post(&app, &op, &format!("/api/v1/cases/{r}/close"), json!({"outcome": "solved"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "outcome");
    let closed: Value = post(&app, &op, &format!("/api/v1/cases/{r}/close"), json!({"outcome": "referred_shelter"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(closed["status"], "completed");
    assert_eq!(closed["outcome"], "referred_shelter");
    assert!(closed["first_attempt_at"].is_string());

    assert_eq!(app.count("signal_contacts"), 0);
    problem(post(&app, &op, &format!("/api/v1/cases/{r}/reveal"), json!({})).await, StatusCode::CONFLICT).await;
    let seen: Value = app.get(&format!("/api/v1/signals/{r}"), &relay).await.json().await.unwrap();
    assert_eq!(seen["status"], "completed");
    assert!(seen.get("outcome").is_none(), "relays never see the outcome");

    let dump = dump_database(&app);
    for needle in ["+32470314159", "470314159", "Hortense"] {
        assert!(!dump.windows(needle.len()).any(|w| w == needle.as_bytes()), "{needle} still in the database");
    }
    let closed_queue: Value = app.get("/api/v1/cases?state=closed", &op).await.json().await.unwrap();
    assert_eq!(closed_queue["items"][0]["reference"], r);
    let open_queue: Value = app.get("/api/v1/cases", &op).await.json().await.unwrap();
    assert_eq!(open_queue["items"].as_array().unwrap().len(), 0);
}

/// The next given weekday at `hour`:00 Brussels time, at least a day ahead, as RFC 3339.
fn next_weekday_at(day: chrono::Weekday, hour: u32) -> String {
    use chrono::{Datelike, TimeZone};
    let tz = chrono_tz::Europe::Brussels;
    let mut d = chrono::Utc::now().with_timezone(&tz).date_naive() + chrono::Duration::days(1);
    while d.weekday() != day {
        d += chrono::Duration::days(1);
    }
    tz.from_local_datetime(&d.and_hms_opt(hour, 0, 0).unwrap()).earliest().unwrap().to_rfc3339()
}

async fn another_helpline_cannot_see_or_touch_the_case(app: TestApp) {
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    let receipt: Value = submit(&app, &relay, "k", &body("0470 31 41 59", "A")).await.json().await.unwrap();
    let r = receipt["reference"].as_str().unwrap();
    let other = helpline_user(&app, "nl@example.be", "helpline_operator", H1712).await;
    let queue: Value = app.get("/api/v1/cases", &other).await.json().await.unwrap();
    assert_eq!(queue["items"].as_array().unwrap().len(), 0);
    problem(app.get(&format!("/api/v1/cases/{r}"), &other).await, StatusCode::NOT_FOUND).await;
    for action in ["claim", "reveal", "release"] {
        problem(post(&app, &other, &format!("/api/v1/cases/{r}/{action}"), json!({})).await, StatusCode::NOT_FOUND)
            .await;
    }
    problem(
        post(&app, &other, &format!("/api/v1/cases/{r}/close"), json!({"outcome": "declined"})).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let admin = app.admin_token().await;
    problem(app.get("/api/v1/cases", &admin).await, StatusCode::FORBIDDEN).await;
    problem(app.get("/api/v1/cases", &relay).await, StatusCode::FORBIDDEN).await;
    problem(post(&app, &admin, &format!("/api/v1/cases/{r}/reveal"), json!({})).await, StatusCode::FORBIDDEN).await;
    assert_eq!(app.count("audit_log WHERE action = 'contact.revealed'"), 0);
    assert_eq!(app.count("signal_contacts"), 1);
}

async fn claims_are_exclusive_and_lapse_after_thirty_idle_minutes(app: TestApp) {
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    let receipt: Value = submit(&app, &relay, "k", &body("0470 31 41 59", "A")).await.json().await.unwrap();
    let r = receipt["reference"].as_str().unwrap();
    let a = helpline_user(&app, "a@example.be", "helpline_operator", EVC).await;
    let b = helpline_user(&app, "b@example.be", "helpline_operator", EVC).await;
    assert_eq!(post(&app, &a, &format!("/api/v1/cases/{r}/claim"), json!({})).await.status(), StatusCode::OK);
    problem(post(&app, &b, &format!("/api/v1/cases/{r}/claim"), json!({})).await, StatusCode::CONFLICT).await;
    problem(post(&app, &b, &format!("/api/v1/cases/{r}/release"), json!({})).await, StatusCode::CONFLICT).await;

    use diesel::connection::SimpleConnection;
    let stale = (chrono::Utc::now() - chrono::Duration::minutes(31)).naive_utc().format("%Y-%m-%d %H:%M:%S");
    app.db().batch_execute(&format!("UPDATE signals SET claim_activity_at = '{stale}'")).unwrap();
    let case: Value = app.get(&format!("/api/v1/cases/{r}"), &b).await.json().await.unwrap();
    // The lapsed claim shows as unclaimed, and the status steps back from in_progress.
    assert_eq!(case["claimed"], false);
    assert!(case["status"] == "received" || case["status"] == "forwarded", "{case}");
    // The relay, too, sees again what it saw before the claim, not `in_progress`.
    let seen: Value = app.get(&format!("/api/v1/signals/{r}"), &relay).await.json().await.unwrap();
    assert_eq!(seen["status"], case["status"], "{seen}");
    let listed: Value = app.get("/api/v1/signals", &relay).await.json().await.unwrap();
    assert_eq!(listed["items"][0]["status"], case["status"], "{listed}");
    let taken: Value = post(&app, &b, &format!("/api/v1/cases/{r}/claim"), json!({})).await.json().await.unwrap();
    assert_eq!(taken["claimed_by_me"], true);
    problem(post(&app, &a, &format!("/api/v1/cases/{r}/reveal"), json!({})).await, StatusCode::CONFLICT).await;
    let released: Value = post(&app, &b, &format!("/api/v1/cases/{r}/release"), json!({})).await.json().await.unwrap();
    assert_eq!(released["claimed"], false);
    assert_eq!(app.count("audit_log WHERE action = 'signal.claimed'"), 2);
}

async fn the_queue_puts_immediate_danger_first_then_the_oldest(app: TestApp) {
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    let mut refs = Vec::new();
    for (k, urgency) in [("1", "standard"), ("2", "standard"), ("3", "immediate_danger")] {
        let mut b = body("0470 31 41 59", "A");
        b["urgency"] = json!(urgency);
        let v: Value = submit(&app, &relay, k, &b).await.json().await.unwrap();
        refs.push(v["reference"].as_str().unwrap().to_string());
    }
    let op = helpline_user(&app, "op@example.be", "helpline_operator", EVC).await;
    let first: Value = app.get("/api/v1/cases?limit=2", &op).await.json().await.unwrap();
    let second: Value = app
        .get(&format!("/api/v1/cases?limit=2&cursor={}", first["next_cursor"].as_str().unwrap()), &op)
        .await
        .json()
        .await
        .unwrap();
    let order: Vec<&str> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(second["items"].as_array().unwrap())
        .map(|c| c["reference"].as_str().unwrap())
        .collect();
    assert_eq!(order, [refs[2].as_str(), refs[0].as_str(), refs[1].as_str()]);
    assert!(second["next_cursor"].is_null());
}

async fn a_supervisor_transfers_a_case_to_another_helpline(app: TestApp) {
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    let receipt: Value = submit(&app, &relay, "k", &body("0470 31 41 59", "A")).await.json().await.unwrap();
    let r = receipt["reference"].as_str().unwrap();
    let op = helpline_user(&app, "op@example.be", "helpline_operator", EVC).await;
    let sup = helpline_user(&app, "sup@example.be", "helpline_supervisor", EVC).await;
    let nl = helpline_user(&app, "nl@example.be", "helpline_operator", H1712).await;

    problem(
        post(&app, &op, &format!("/api/v1/cases/{r}/transfer"), json!({"helpline_id": H1712})).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    let p = problem(
        post(&app, &sup, &format!("/api/v1/cases/{r}/transfer"), json!({"helpline_id": uuid::Uuid::new_v4()})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "helpline_id");
    problem(
        post(&app, &sup, &format!("/api/v1/cases/{r}/transfer"), json!({"helpline_id": H1712, "why": "x"})).await,
        StatusCode::BAD_REQUEST,
    )
    .await;

    let moved: Value = post(&app, &sup, &format!("/api/v1/cases/{r}/transfer"), json!({"helpline_id": H1712}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(moved["status"], "received");
    problem(app.get(&format!("/api/v1/cases/{r}"), &op).await, StatusCode::NOT_FOUND).await;
    assert_eq!(app.get(&format!("/api/v1/cases/{r}"), &nl).await.status(), StatusCode::OK);
    // The new helpline is notified; nothing more goes to the old one.
    assert_eq!(app.count(&format!("outbox WHERE helpline_id = '{H1712}' AND event = 'signal.received'")), 1);
    assert_eq!(app.count(&format!("outbox WHERE helpline_id = '{EVC}' AND status IN ('pending', 'in_flight')")), 0);
    assert_eq!(app.count("audit_log WHERE action = 'signal.transferred'"), 1);
}

/// The queue says when the person can next be called safely (their Tuesday
/// 09:00–11:30 window) without a reveal; the windows kept for this hold nothing
/// but weekdays and times, and go with the contact when the case closes.
async fn the_queue_says_when_to_call_without_a_reveal_and_forgets_it_with_the_contact(app: TestApp) {
    use chrono::{Datelike, Timelike};
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    let receipt: Value = submit(&app, &relay, "w", &body("0470 31 41 59", "Hortense")).await.json().await.unwrap();
    let r = receipt["reference"].as_str().unwrap();
    let op = helpline_user(&app, "op@example.be", "helpline_operator", EVC).await;

    let queue: Value = app.get("/api/v1/cases", &op).await.json().await.unwrap();
    let case = &queue["items"][0];
    assert_eq!(case["call_windows_given"], true);
    let next: chrono::DateTime<chrono::Utc> = case["next_safe_call_at"].as_str().unwrap().parse().unwrap();
    let local = next.with_timezone(&chrono_tz::Europe::Brussels);
    let now = chrono::Utc::now();
    let inside_now = (next - now).num_seconds().abs() < 60;
    if !inside_now {
        // The start of the next Tuesday window, within a week.
        assert_eq!((local.weekday(), local.hour(), local.minute()), (chrono::Weekday::Tue, 9, 0), "{local}");
        assert!(next > now && next - now <= chrono::Duration::days(7));
    } else {
        let here = now.with_timezone(&chrono_tz::Europe::Brussels);
        assert_eq!(here.weekday(), chrono::Weekday::Tue);
    }
    let one: Value = app.get(&format!("/api/v1/cases/{r}"), &op).await.json().await.unwrap();
    assert_eq!(one["next_safe_call_at"], case["next_safe_call_at"]);

    // Beside the sealed contact: the windows alone.
    let mut conn = app.db();
    use diesel::prelude::*;
    let kept: Vec<Option<String>> = diesel::sql_query("SELECT call_windows FROM signal_contacts")
        .load::<Windows>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|w| w.call_windows)
        .collect();
    assert_eq!(kept, vec![Some(r#"[{"day":"tue","start":"09:00","end":"11:30"}]"#.to_string())]);

    // Closed: the windows went with the contact; the queue no longer says anything.
    post(&app, &op, &format!("/api/v1/cases/{r}/claim"), json!({})).await;
    let closed = post(&app, &op, &format!("/api/v1/cases/{r}/close"), json!({"outcome": "referred_support"})).await;
    assert_eq!(closed.status(), StatusCode::OK);
    let closed: Value = closed.json().await.unwrap();
    assert_eq!(
        (closed["call_windows_given"].clone(), closed["next_safe_call_at"].clone()),
        (json!(false), Value::Null)
    );
    assert_eq!(app.count("signal_contacts"), 0);
}

#[derive(diesel::QueryableByName)]
struct Windows {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    call_windows: Option<String>,
}
