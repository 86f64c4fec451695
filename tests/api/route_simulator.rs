//! The route simulator: admins see where a signal would go at a given moment, and why.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::cases::H1712;
use crate::helpers::{TestApp, problem};
use crate::on_both_backends;

on_both_backends!(
    an_admins_holiday_sends_the_simulated_signal_to_the_other_helpline,
    the_simulator_explains_public_holidays_hours_and_guidance,
    the_simulator_refuses_bad_input
);

async fn simulate(app: &TestApp, admin: &str, body: Value) -> Value {
    let resp = app.post("/api/v1/routing/simulate", Some(admin), &body).await;
    assert_eq!(resp.status(), StatusCode::OK);
    resp.json().await.unwrap()
}

fn dutch_at(at: &str) -> Value {
    json!({"postcode": "2000", "language": "nl", "urgency": "standard", "at": at})
}

/// A Dutch-speaking line open around the clock, also on public holidays: the
/// second candidate for a Dutch signal from Antwerp.
async fn backup_line(app: &TestApp, admin: &str) -> String {
    let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let line = json!({
        "code": "nl-backup",
        "name": "Nachtlijn",
        "public_phone": "0800 11 111",
        "languages": ["nl"],
        "weekly_hours": days.iter().map(|d| json!({"day": d, "start": "00:00", "end": "24:00"})).collect::<Vec<_>>(),
        "open_on_public_holidays": true,
    });
    let resp = app.post("/api/v1/helplines", Some(admin), &line).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    resp.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string()
}

async fn an_admins_holiday_sends_the_simulated_signal_to_the_other_helpline(app: TestApp) {
    let admin = app.admin_token().await;
    let backup = backup_line(&app, &admin).await;
    // Wednesday 10 March 2027, 10:00 in Brussels (CET), and the day before.
    let (day, day_before) = ("2027-03-10T09:00:00Z", "2027-03-09T09:00:00Z");

    let usual = simulate(&app, &admin, dutch_at(day)).await;
    assert_eq!(usual["destination"]["id"], H1712, "{usual}");
    assert_eq!(usual["region"], "flanders");
    assert_eq!(usual["rule_matched"], true);
    assert_eq!(usual["rule"]["priority"], 10, "the Dutch rule decides: {usual}");
    let priorities: Vec<&Value> = usual["matching_rules"].as_array().unwrap().iter().map(|r| &r["priority"]).collect();
    assert_eq!(priorities, [&json!(10), &json!(40)], "the Dutch rule, then the Flemish one");
    assert_eq!(usual["candidates"][0]["open"], true);
    assert_eq!(usual["relay_would_be_told"]["helpline"]["public_phone"], "1712");
    assert_eq!(usual["relay_would_be_told"]["helpline_open_now"], true);

    // The admin closes 1712 for the day: a holiday of its own.
    let closed = json!({"exceptions": [{"date": "2027-03-10", "hours": []}]});
    let resp = app.request(Method::PATCH, &format!("/api/v1/helplines/{H1712}"), Some(&admin), Some(&closed)).await;
    assert_eq!(resp.status(), StatusCode::OK);

    let on_the_day = simulate(&app, &admin, dutch_at(day)).await;
    assert_eq!(on_the_day["destination"]["id"], backup.as_str(), "{on_the_day}");
    assert_eq!(on_the_day["destination"]["code"], "nl-backup");
    assert_eq!(on_the_day["rule"], Value::Null, "no rule names the backup line");
    assert_eq!(on_the_day["rule_matched"], true, "a rule matched even though its helpline was closed");
    let first = &on_the_day["candidates"][0];
    assert_eq!(first["destination"]["id"], H1712);
    assert_eq!((first["open"].clone(), first["closed_because"].clone()), (json!(false), json!("dated_exception")));
    assert_eq!(first["closed_on"], "2027-03-10");
    assert_eq!(on_the_day["candidates"][1]["open"], true);
    let told = &on_the_day["relay_would_be_told"];
    assert_eq!(
        (told["helpline"]["name"].clone(), told["helpline"]["public_phone"].clone()),
        (json!("Nachtlijn"), json!("0800 11 111"))
    );
    assert_eq!(told["helpline_open_now"], true);
    assert_eq!(told["expected_callback_from"], day);
    assert!(told["referrals"].as_array().is_some_and(|r| !r.is_empty()), "{told}");

    let before = simulate(&app, &admin, dutch_at(day_before)).await;
    assert_eq!(before["destination"]["id"], H1712, "the day before, the usual helpline: {before}");
    assert_eq!(before["relay_would_be_told"]["helpline"]["public_phone"], "1712");
}

async fn the_simulator_explains_public_holidays_hours_and_guidance(app: TestApp) {
    let admin = app.admin_token().await;
    // Saturday 13 March 2027, 10:00 in Brussels: 1712 (weekdays) is closed and the
    // Dutch signal queues for it, to be called back on Monday at 09:00.
    let saturday = simulate(&app, &admin, dutch_at("2027-03-13T09:00:00Z")).await;
    assert_eq!(saturday["destination"]["id"], H1712, "{saturday}");
    assert_eq!(saturday["candidates"][0]["closed_because"], "outside_hours");
    assert_eq!(saturday["candidates"][0]["closed_on"], Value::Null);
    assert_eq!(saturday["relay_would_be_told"]["helpline_open_now"], false);
    assert_eq!(saturday["relay_would_be_told"]["expected_callback_from"], "2027-03-15T08:00:00Z");
    assert_eq!(saturday["relay_would_be_told"]["guidance"], Value::Null, "no 112 guidance for a standard signal");

    // Thursday 11 November 2027 (Armistice Day), with the backup line in place.
    let backup = backup_line(&app, &admin).await;
    let mut body = dutch_at("2027-11-11T09:00:00Z");
    body["urgency"] = json!("immediate_danger");
    let holiday = simulate(&app, &admin, body).await;
    assert_eq!(holiday["destination"]["id"], backup.as_str(), "{holiday}");
    assert_eq!(holiday["candidates"][0]["closed_because"], "public_holiday");
    assert_eq!(holiday["candidates"][0]["closed_on"], "2027-11-11");
    let guidance = holiday["relay_would_be_told"]["guidance"].as_str().unwrap();
    assert!(guidance.contains("112"), "{guidance}");

    // A French signal from Brussels: the French rule and the 24/7 line, no date given (now).
    let now = simulate(&app, &admin, json!({"postcode": "1000", "language": "fr", "urgency": "standard"})).await;
    assert_eq!(now["region"], "brussels");
    assert_eq!(now["destination"]["code"], "evc", "{now}");
    assert_eq!(now["rule"]["priority"], 20);
    assert!(now["at"].as_str().is_some());
}

async fn the_simulator_refuses_bad_input(app: TestApp) {
    let admin = app.admin_token().await;
    let url = "/api/v1/routing/simulate";
    let p = problem(
        app.post(url, Some(&admin), &json!({"postcode": "12", "language": "nl", "urgency": "standard"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "postcode", "{p}");
    let p = problem(
        app.post(
            url,
            Some(&admin),
            &json!({"postcode": "2000", "language": "nl", "urgency": "standard", "at": "tomorrow"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["code"], "validation_failed");
    let p = problem(
        app.post(url, Some(&admin), &json!({"postcode": "2000", "language": "nl", "urgency": "standard", "who": 1}))
            .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(p["code"], "unknown_field");
    let relay_manager = app.programme_with_manager(&admin, "sim-prog", "nl").await;
    problem(
        app.post(url, Some(&relay_manager.manager), &dutch_at("2027-03-10T09:00:00Z")).await,
        StatusCode::FORBIDDEN,
    )
    .await;
}
