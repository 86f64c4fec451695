//! Programmes and relay points: admin manages programmes; managers manage relay
//! points of their programme only (another programme's relay point is 404); the
//! region follows the postcode unless overridden; lists filter and page.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, problem};
use crate::on_both_backends;

on_both_backends!(
    managers_act_only_inside_their_programme,
    relay_points_are_filtered_and_paged,
    bad_relay_input_is_rejected_and_writes_nothing,
    kept_statuses_follow_every_change_on_every_instance,
    a_relay_points_staff_are_found_by_index,
);

async fn managers_act_only_inside_their_programme(app: TestApp) {
    let admin = app.admin_token().await;
    let wal = app.programme_with_manager(&admin, "wal", "fr").await;
    let vl = app.programme_with_manager(&admin, "vl", "nl").await;
    let relay = app.relay(&wal.manager, "Pharmacie du Pont", "4000", "pharmacy").await;
    let id = relay["id"].as_str().unwrap();
    assert_eq!(relay["region"], "wallonia");
    assert_eq!(relay["programme_id"], wal.programme);
    assert_eq!(relay["training_status"], "untrained");

    // The other programme's manager: 404 on read and update, absent from lists and exports.
    problem(app.get(&format!("/api/v1/relay-points/{id}"), &vl.manager).await, StatusCode::NOT_FOUND).await;
    problem(
        app.patch(&format!("/api/v1/relay-points/{id}"), &vl.manager, &json!({"name": "Taken"})).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let list: Value = app.get("/api/v1/relay-points", &vl.manager).await.json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 0);
    let export = app.get("/api/v1/relay-points/export", &vl.manager).await.text().await.unwrap();
    assert!(!export.contains("Pharmacie du Pont"));
    problem(app.get(&format!("/api/v1/programmes/{}", wal.programme), &vl.manager).await, StatusCode::NOT_FOUND).await;
    let programmes: Value = app.get("/api/v1/programmes", &vl.manager).await.json().await.unwrap();
    assert_eq!(programmes["items"].as_array().unwrap().len(), 1);
    let programmes: Value = app.get("/api/v1/programmes", &admin).await.json().await.unwrap();
    assert_eq!(programmes["items"].as_array().unwrap().len(), 2);

    // Only admins manage programmes; admins do not manage relay points.
    problem(
        app.post("/api/v1/programmes", Some(&wal.manager), &json!({"code": "x1", "name": "X"})).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    problem(app.get("/api/v1/relay-points", &admin).await, StatusCode::FORBIDDEN).await;
    problem(
        app.post("/api/v1/programmes", Some(&admin), &json!({"code": "wal", "name": "Again"})).await,
        StatusCode::CONFLICT,
    )
    .await;

    // Region: derived again from a new postcode, kept when overridden.
    let moved: Value = app
        .patch(&format!("/api/v1/relay-points/{id}"), &wal.manager, &json!({"postcode": "1050"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(moved["region"], "brussels");
    let over: Value = app
        .patch(
            &format!("/api/v1/relay-points/{id}"),
            &wal.manager,
            &json!({"region": "wallonia", "languages": ["fr", "NL"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(over["region"], "wallonia");
    assert_eq!(over["postcode"], "1050");
    assert_eq!(over["languages"], json!(["fr", "nl"]));
    assert_eq!(over["name"], "Pharmacie du Pont");
}

async fn relay_points_are_filtered_and_paged(app: TestApp) {
    let admin = app.admin_token().await;
    let m = app.programme_with_manager(&admin, "mixed", "en").await;
    app.relay(&m.manager, "Apotheek Gent", "9000", "pharmacy").await;
    app.relay(&m.manager, "Kapsalon Brugge", "8000", "hairdresser").await;
    app.relay(&m.manager, "Pharmacie Namur", "5000", "pharmacy").await;
    app.relay(&m.manager, "Salon Ixelles 100%", "1050", "hairdresser").await;
    app.relay(&m.manager, "Pharmacie Wavre", "1300", "pharmacy").await;

    let names = |v: Value| -> Vec<String> {
        v["items"].as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap().to_string()).collect()
    };
    let get = |q: &str| {
        let path = format!("/api/v1/relay-points{q}");
        let token = m.manager.clone();
        let app = &app;
        async move { app.get(&path, &token).await.json::<Value>().await.unwrap() }
    };
    assert_eq!(names(get("?region=flanders").await), ["Apotheek Gent", "Kapsalon Brugge"]);
    assert_eq!(names(get("?region=wallonia&kind=pharmacy").await), ["Pharmacie Namur", "Pharmacie Wavre"]);
    assert_eq!(names(get("?q=PHARMACIE%20n").await), ["Pharmacie Namur"]);
    assert_eq!(names(get("?q=100%25").await), ["Salon Ixelles 100%"], "% is matched literally");
    assert_eq!(names(get("?q=9000").await), ["Apotheek Gent"]);
    assert_eq!(
        names(get("?training_status=untrained&kind=hairdresser").await),
        ["Kapsalon Brugge", "Salon Ixelles 100%"]
    );
    assert!(names(get("?training_status=trained").await).is_empty());

    // Cursor pages of two walk all five once, by name; with a status filter too.
    for filter in ["", "&training_status=untrained"] {
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let q = match &cursor {
                Some(c) => format!("?limit=2{filter}&cursor={c}"),
                None => format!("?limit=2{filter}"),
            };
            let page = get(&q).await;
            seen.extend(names(page.clone()));
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => break,
            }
        }
        let mut sorted = seen.clone();
        sorted.sort();
        assert_eq!(seen, sorted);
        assert_eq!(seen.len(), 5, "{filter}");
    }
}

async fn bad_relay_input_is_rejected_and_writes_nothing(app: TestApp) {
    let admin = app.admin_token().await;
    let m = app.programme_with_manager(&admin, "strict", "en").await;
    let good = json!({"kind": "pharmacy", "name": "P", "address": "A", "postcode": "4000", "municipality": "Liège", "languages": ["fr"]});
    let before = app.count("relay_points");

    let raw = app
        .client
        .post(app.url("/api/v1/relay-points"))
        .bearer_auth(&m.manager)
        .header("content-type", "application/json")
        .body("{\"kind\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(problem(raw, StatusCode::BAD_REQUEST).await["code"], "malformed_json");
    let mut unknown = good.clone();
    unknown["colour"] = json!("red");
    let p = problem(app.post("/api/v1/relay-points", Some(&m.manager), &unknown).await, StatusCode::BAD_REQUEST).await;
    assert_eq!(p["errors"][0]["field"], "colour");

    let cases = [
        (json!({"kind": "bakery"}), "kind"),
        (json!({"postcode": "999"}), "postcode"),
        (json!({"postcode": 4000}), "postcode"),
        (json!({"region": "wales"}), "region"),
        (json!({"languages": []}), "languages"),
        (json!({"languages": ["french"]}), "languages"),
        (json!({"name": "=cmd|' /C calc'!A0"}), "name"),
        (json!({"name": ""}), "name"),
    ];
    for (change, field) in cases {
        let mut body = good.clone();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let p =
            problem(app.post("/api/v1/relay-points", Some(&m.manager), &body).await, StatusCode::UNPROCESSABLE_ENTITY)
                .await;
        assert_eq!(p["errors"][0]["field"], field, "{body}");
    }
    problem(app.get("/api/v1/relay-points?region=mars", &m.manager).await, StatusCode::BAD_REQUEST).await;
    problem(app.get("/api/v1/relay-points?as_of=yesterday", &m.manager).await, StatusCode::BAD_REQUEST).await;
    problem(app.get("/api/v1/relay-points?cursor=%%%", &m.manager).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    problem(app.get("/api/v1/relay-points/not-an-id", &m.manager).await, StatusCode::NOT_FOUND).await;
    assert_eq!(app.count("relay_points"), before);

    // A failed update leaves the relay point as it was.
    let relay = app.relay(&m.manager, "Kept", "4000", "pharmacy").await;
    let id = relay["id"].as_str().unwrap();
    problem(
        app.patch(&format!("/api/v1/relay-points/{id}"), &m.manager, &json!({"name": "New", "postcode": "12"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        app.get(&format!("/api/v1/relay-points/{id}"), &m.manager).await.json::<Value>().await.unwrap()["name"],
        "Kept"
    );
}

/// Training statuses are kept in memory behind the `training_version` stamp: each
/// change — a completion recorded, corrected or deleted, a module added, a staff
/// member deactivated — shows at once in the list another instance serves.
async fn kept_statuses_follow_every_change_on_every_instance(app: TestApp) {
    let other = crate::helpers::spawn_second_instance(&app, |_| {}).await;
    let admin = app.admin_token().await;
    let wal = app.programme_with_manager(&admin, "wal", "fr").await;
    let relay = app.relay(&wal.manager, "Pharmacie du Pont", "4000", "pharmacy").await;
    let id = relay["id"].as_str().unwrap();
    let (staff, _) = app.staff(&admin, "ana@example.be", id).await;
    let module = app.module(&wal.manager, "Mask-19 basics", 24, true).await;
    let manager = &wal.manager;
    assert_eq!(trained_on(&other, manager).await, 0, "untrained, and kept so");
    let today = chrono::Utc::now().date_naive().to_string();
    let done = app.complete(manager, &staff, &module, &today).await;
    assert_eq!(trained_on(&other, manager).await, 1, "a completion recorded on the first instance");
    let second = app.module(manager, "Referral paths", 24, true).await;
    assert_eq!(trained_on(&other, manager).await, 0, "a second required module");
    app.complete(manager, &staff, &second, &today).await;
    assert_eq!(trained_on(&other, manager).await, 1);
    let path = format!("/api/v1/completions/{}", done["id"].as_str().unwrap());
    let resp = app.request(reqwest::Method::DELETE, &path, Some(manager), None).await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    assert_eq!(trained_on(&other, manager).await, 0, "a completion deleted");
    app.complete(manager, &staff, &module, &today).await;
    assert_eq!(trained_on(&other, manager).await, 1);
    let resp = app.post(&format!("/api/v1/users/{staff}/deactivate"), Some(&admin), &json!({})).await;
    assert!(resp.status().is_success(), "{}", resp.status());
    assert_eq!(trained_on(&other, manager).await, 0, "the only staff member deactivated");
}

/// Relay points listed as trained by `app` to `manager`.
async fn trained_on(app: &TestApp, manager: &str) -> usize {
    let v: Value = app.get("/api/v1/relay-points?training_status=trained", manager).await.json().await.unwrap();
    v["items"].as_array().unwrap_or_else(|| panic!("{v}")).len()
}

/// Intake derives the filing relay point's training status from its active staff:
/// that lookup must use `users_relay_point_staff`, not read every staff member of
/// the programme (SQLite's planner, without statistics, preferred the programme
/// index and made intake ~50 times slower on a 20,000-point network).
async fn a_relay_points_staff_are_found_by_index(app: TestApp) {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Plan {
        #[diesel(sql_type = diesel::sql_types::Text)]
        detail: String,
    }
    let sql = "SELECT relay_point_id, id FROM users WHERE programme_id = 'p' AND role = 'relay_staff' \
               AND active = TRUE AND relay_point_id = 'r'";
    let plan: String = if app.database_url.starts_with("sqlite://") {
        diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
            .load::<Plan>(&mut app.db())
            .unwrap()
            .into_iter()
            .map(|p| p.detail)
            .collect()
    } else {
        #[derive(QueryableByName)]
        struct PgPlan {
            #[diesel(sql_type = diesel::sql_types::Text, column_name = "QUERY PLAN")]
            line: String,
        }
        // As the planner would see a network of this size (it may still pick a
        // scan of a table this small, so only the index's existence is checked).
        diesel::sql_query(format!("EXPLAIN {sql}"))
            .load::<PgPlan>(&mut app.db())
            .unwrap()
            .into_iter()
            .map(|p| p.line)
            .collect::<String>()
            + if app.count("pg_indexes WHERE indexname = 'users_relay_point_staff'") == 1 {
                " users_relay_point_staff"
            } else {
                ""
            }
    };
    assert!(plan.contains("users_relay_point_staff"), "{plan}");
}
