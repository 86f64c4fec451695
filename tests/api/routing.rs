//! Admin management of helplines, routing rules and the referral directory.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, problem};
use crate::on_both_backends;

on_both_backends!(
    admins_manage_helplines_and_rules_and_others_only_read,
    helplines_say_whether_they_open_on_public_holidays,
    the_referral_directory_is_queried_by_region_and_language,
    a_change_on_one_instance_routes_the_next_signal_on_another
);

async fn admins_manage_helplines_and_rules_and_others_only_read(app: TestApp) {
    let admin = app.admin_token().await;
    let seeded: Value = app.get("/api/v1/helplines", &admin).await.json().await.unwrap();
    let codes: Vec<&str> = seeded.as_array().unwrap().iter().map(|h| h["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"1712") && codes.contains(&"evc"), "{codes:?}");

    let local = json!({
        "code": "wb-family",
        "name": "Service famille Watermael-Boitsfort",
        "public_phone": "02 555 00 00",
        "languages": ["fr", "nl"],
        "kind": "local_service",
        "weekly_hours": [{"day": "mon", "start": "08:00", "end": "18:00"}],
        "exceptions": [{"date": "2026-12-25", "hours": []}],
        "intake_email": "Intake@WB.example.be"
    });
    let resp = app.post("/api/v1/helplines", Some(&admin), &local).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let created: Value = resp.json().await.unwrap();
    assert_eq!(created["kind"], "local_service");
    assert_eq!(created["channels"]["intake_email"], "intake@wb.example.be");
    let id = created["id"].as_str().unwrap();
    problem(app.post("/api/v1/helplines", Some(&admin), &local).await, StatusCode::CONFLICT).await;

    let bad_hours = json!({"weekly_hours": [{"day": "mon", "start": "10:00", "end": "10:00"}]});
    let p = problem(
        app.request(Method::PATCH, &format!("/api/v1/helplines/{id}"), Some(&admin), Some(&bad_hours)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "weekly_hours[0]");
    let p = problem(
        app.request(Method::PATCH, &format!("/api/v1/helplines/{id}"), Some(&admin), Some(&json!({}))).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "body");
    // E-mail never carries the contact: there is no option left to ask for it.
    let p = problem(
        app.request(
            Method::PATCH,
            &format!("/api/v1/helplines/{id}"),
            Some(&admin),
            Some(&json!({"email_includes_contact": true})),
        )
        .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(p["code"], "unknown_field", "{p}");
    let renamed: Value = app
        .request(
            Method::PATCH,
            &format!("/api/v1/helplines/{id}"),
            Some(&admin),
            Some(&json!({"name": "Service local"})),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(renamed["name"], "Service local");
    assert_eq!(renamed["weekly_hours"][0]["start"], "08:00");
    problem(
        app.request(
            Method::PATCH,
            &format!("/api/v1/helplines/{}", uuid::Uuid::new_v4()),
            Some(&admin),
            Some(&json!({"name": "x"})),
        )
        .await,
        StatusCode::NOT_FOUND,
    )
    .await;

    let rule = json!({"priority": 1, "postcode_from": 1170, "postcode_to": 1170, "helpline_id": id});
    let resp = app.post("/api/v1/routing-rules", Some(&admin), &rule).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let rule_id = resp.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let rules: Value = app.get("/api/v1/routing-rules", &admin).await.json().await.unwrap();
    assert_eq!(rules[0]["id"], rule_id.as_str(), "lowest priority first");
    let p = problem(
        app.post(
            "/api/v1/routing-rules",
            Some(&admin),
            &json!({"priority": 1, "postcode_from": 99, "helpline_id": id}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "postcode_from");
    let p = problem(
        app.post("/api/v1/routing-rules", Some(&admin), &json!({"priority": 1, "helpline_id": uuid::Uuid::new_v4()}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "helpline_id");
    problem(
        app.post("/api/v1/routing-rules", Some(&admin), &json!({"priority": 1, "region": "mars", "helpline_id": id}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;

    // Other roles read helplines but cannot change anything.
    let s = app.seed_scopes();
    let (_, pw) = app
        .create_user(&admin, json!({"email": "op@example.be", "role": "helpline_operator", "helpline_id": s.helpline}))
        .await;
    let op = app.login_ok("op@example.be", &pw).await.access;
    // They see the public face only: how a helpline receives signals is admins' business.
    let public: Value = app.get("/api/v1/helplines", &op).await.json().await.unwrap();
    let text = public.to_string();
    for internal in ["channels", "intake_email", "intake-evc@example.be", "webhook_url", "email_includes_contact"] {
        assert!(!text.contains(internal), "{internal} shown to an operator: {text}");
    }
    assert!(public.as_array().unwrap().iter().all(|h| h["public_phone"].is_string() && h["open_now"].is_boolean()));
    let one: Value = app.get(&format!("/api/v1/helplines/{id}"), &op).await.json().await.unwrap();
    assert!(one.get("channels").is_none() && one["name"] == "Service local", "{one}");
    let (relay, _) = crate::signals::relay_staff(&app, "p@example.be").await;
    let seen: Value = app.get("/api/v1/helplines", &relay).await.json().await.unwrap();
    assert!(!seen.to_string().contains("intake-evc@example.be"), "{seen}");
    let full: Value = app.get("/api/v1/helplines", &admin).await.json().await.unwrap();
    assert!(full.to_string().contains("intake-evc@example.be"), "admins see the channels");
    problem(app.post("/api/v1/helplines", Some(&op), &local).await, StatusCode::FORBIDDEN).await;
    problem(app.get("/api/v1/routing-rules", &op).await, StatusCode::FORBIDDEN).await;
    problem(
        app.request(Method::DELETE, &format!("/api/v1/routing-rules/{rule_id}"), Some(&op), None).await,
        StatusCode::FORBIDDEN,
    )
    .await;

    let resp = app.request(Method::DELETE, &format!("/api/v1/routing-rules/{rule_id}"), Some(&admin), None).await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    problem(
        app.request(Method::DELETE, &format!("/api/v1/routing-rules/{rule_id}"), Some(&admin), None).await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

async fn helplines_say_whether_they_open_on_public_holidays(app: TestApp) {
    let admin = app.admin_token().await;
    let seeded: Value = app.get("/api/v1/helplines", &admin).await.json().await.unwrap();
    let flag = |code: &str| {
        seeded.as_array().unwrap().iter().find(|h| h["code"] == code).unwrap()["open_on_public_holidays"].clone()
    };
    assert_eq!((flag("1712"), flag("evc")), (json!(false), json!(true)), "as seeded");

    let mut line = json!({
        "code": "night-line",
        "name": "Night line",
        "public_phone": "0800 00 000",
        "languages": ["nl"],
        "weekly_hours": [{"day": "sat", "start": "00:00", "end": "24:00"}],
    });
    let created: Value = app.post("/api/v1/helplines", Some(&admin), &line).await.json().await.unwrap();
    assert_eq!(created["open_on_public_holidays"], false, "closed on public holidays unless said");
    line["code"] = json!("holiday-line");
    line["name"] = json!("Holiday line");
    line["open_on_public_holidays"] = json!(true);
    let resp = app.post("/api/v1/helplines", Some(&admin), &line).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let created: Value = resp.json().await.unwrap();
    assert_eq!(created["open_on_public_holidays"], true);
    let id = created["id"].as_str().unwrap();
    let changed: Value = app
        .request(
            Method::PATCH,
            &format!("/api/v1/helplines/{id}"),
            Some(&admin),
            Some(&json!({"open_on_public_holidays": false})),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(changed["open_on_public_holidays"], false);
    let read: Value = app.get(&format!("/api/v1/helplines/{id}"), &admin).await.json().await.unwrap();
    assert_eq!(
        (read["open_on_public_holidays"].clone(), read["weekly_hours"][0]["day"].clone()),
        (json!(false), json!("sat"))
    );
}

async fn the_referral_directory_is_queried_by_region_and_language(app: TestApp) {
    let (relay, _) = crate::signals::relay_staff(&app, "p@example.be").await;
    let fr: Value = app.get("/api/v1/resources?region=wallonia&language=fr", &relay).await.json().await.unwrap();
    let names: Vec<&str> = fr.as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"Écoute Violences Conjugales") && names.contains(&"Télé-Accueil"), "{names:?}");
    assert!(!names.contains(&"Tele-Onthaal"));
    problem(app.get("/api/v1/resources?region=atlantis", &relay).await, StatusCode::BAD_REQUEST).await;

    let admin = app.admin_token().await;
    let shelter = json!({"kind": "shelter", "name": "Refuge Liège", "regions": ["wallonia"], "languages": ["fr"], "phone": "04 000 00 00", "opening_hours": "24/7"});
    problem(app.post("/api/v1/resources", Some(&relay), &shelter).await, StatusCode::FORBIDDEN).await;
    let resp = app.post("/api/v1/resources", Some(&admin), &shelter).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let id = resp.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let shelters: Value =
        app.get("/api/v1/resources?region=wallonia&language=fr&kind=shelter", &relay).await.json().await.unwrap();
    assert_eq!(shelters.as_array().unwrap().len(), 1);

    let mut retired = shelter.clone();
    retired["active"] = json!(false);
    assert_eq!(
        app.request(Method::PUT, &format!("/api/v1/resources/{id}"), Some(&admin), Some(&retired)).await.status(),
        StatusCode::OK
    );
    let shelters: Value = app.get("/api/v1/resources?kind=shelter", &relay).await.json().await.unwrap();
    assert_eq!(shelters.as_array().unwrap().len(), 0);

    let p = problem(
        app.post(
            "/api/v1/resources",
            Some(&admin),
            &json!({"kind": "shelter", "name": "", "regions": [], "languages": ["fr"]}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["name", "regions", "phone"]);
    problem(
        app.request(Method::PUT, &format!("/api/v1/resources/{}", uuid::Uuid::new_v4()), Some(&admin), Some(&shelter))
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

/// Intake keeps the network in memory behind the `network_version` stamp: a rule,
/// a helpline or a directory entry changed through one instance routes the very
/// next signal filed through another instance (same database) by the change.
async fn a_change_on_one_instance_routes_the_next_signal_on_another(app: TestApp) {
    use crate::signals::{body, relay_staff, submit};
    let other = crate::helpers::spawn_second_instance(&app, |_| {}).await;
    let admin = app.admin_token().await;
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    let file = |key: &'static str| {
        let (other, relay) = (&other, relay.clone());
        async move {
            let resp = submit(other, &relay, key, &body("0470 12 34 56", "Rosa")).await;
            assert_eq!(resp.status(), StatusCode::CREATED);
            resp.json::<Value>().await.unwrap()
        }
    };
    let first = file("k1").await;
    assert_eq!(first["helpline"]["public_phone"], "0800 30 030", "{first}");

    let every_day: Vec<Value> = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .map(|d| json!({"day": d, "start": "00:00", "end": "24:00"}))
        .collect();
    let local = json!({
        "code": "liege-local",
        "name": "Service local Liège",
        "public_phone": "04 222 22 22",
        "languages": ["fr"],
        "kind": "local_service",
        "weekly_hours": every_day,
        "intake_email": "intake@liege.example.be"
    });
    let resp = app.post("/api/v1/helplines", Some(&admin), &local).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let local_id = resp.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    // Tried after the French-language rule (priority 20): no change yet.
    let rule = json!({"priority": 100, "region": "wallonia", "helpline_id": local_id});
    let resp = app.post("/api/v1/routing-rules", Some(&admin), &rule).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let rule_id = resp.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let later = file("k2a").await;
    assert_eq!(later["helpline"]["public_phone"], "0800 30 030", "{later}");
    let path = format!("/api/v1/routing-rules/{rule_id}");
    let resp = app.request(Method::PATCH, &path, Some(&admin), Some(&json!({"priority": 1}))).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let routed = file("k2").await;
    assert_eq!(routed["helpline"]["public_phone"], "04 222 22 22", "the new rule, at once: {routed}");

    let shelter = json!({"kind": "shelter", "name": "Refuge Meuse", "regions": ["wallonia"], "languages": ["fr"], "phone": "04 333 33 33", "opening_hours": "24/7"});
    assert_eq!(app.post("/api/v1/resources", Some(&admin), &shelter).await.status(), StatusCode::CREATED);
    let told = file("k3").await;
    let names: Vec<&str> = told["referrals"].as_array().unwrap().iter().filter_map(|r| r["name"].as_str()).collect();
    assert!(names.contains(&"Refuge Meuse"), "the new directory entry: {names:?}");

    assert_eq!(app.request(Method::DELETE, &path, Some(&admin), None).await.status(), StatusCode::NO_CONTENT);
    let back = file("k4").await;
    assert_eq!(back["helpline"]["public_phone"], "0800 30 030", "the rule removed, at once: {back}");
}
