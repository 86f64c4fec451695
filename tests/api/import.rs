//! CSV import and export: dry-run report per row, all-or-nothing real runs,
//! idempotent re-imports, 10,000 rows, completions, and the upload's limits.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, problem, try_spawn_app_with};
use crate::on_both_backends;

on_both_backends!(
    a_dry_run_reports_every_bad_row_and_a_real_run_writes_nothing,
    reimporting_the_same_file_is_idempotent_and_changes_update,
    ten_thousand_rows_import_in_one_go,
    completions_import_in_bulk,
);

const HEADER: &str = "external_id,kind,name,address,postcode,municipality,region,languages,active\n";

async fn a_dry_run_reports_every_bad_row_and_a_real_run_writes_nothing(app: TestApp) {
    let admin = app.admin_token().await;
    let m = app.programme_with_manager(&admin, "wal", "fr").await;
    let csv = format!(
        "{HEADER}\
         APB-1,pharmacy,Pharmacie du Pont,Rue du Pont 1,4000,Liège,,fr,true\n\
         APB-2,bakery,Boulangerie,Rue 2,5000,Namur,,fr,\n\
         APB-3,pharmacy,Pharmacie Sud,Rue 3,99,Mons,,fr;nl,yes\n\
         APB-1,pharmacy,Duplicate,Rue 4,4000,Liège,,fr,\n\
         APB-5,pharmacy,=HYPERLINK(1),Rue 5,4000,Liège,wales,,maybe\n\
         APB-6,pharmacy,Short row\n"
    );
    let report: Value =
        app.post_csv("/api/v1/relay-points/import?dry_run=true", &m.manager, csv.clone()).await.json().await.unwrap();
    assert_eq!(report["dry_run"], true);
    let errors: Vec<(u64, String)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["field"].as_str().unwrap().to_string()))
        .collect();
    let expected: Vec<(u64, String)> = [
        (3, "kind"),
        (4, "postcode"),
        (5, "external_id"),
        (6, "region"),
        (6, "active"),
        (6, "name"),
        (6, "languages"),
        (7, "row"),
    ]
    .into_iter()
    .map(|(r, f)| (r, f.to_string()))
    .collect();
    assert_eq!(errors, expected, "{report}");
    assert_eq!(app.count("relay_points"), 0);

    let p =
        problem(app.post_csv("/api/v1/relay-points/import", &m.manager, csv).await, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    assert_eq!(p["errors"][0]["field"], "rows[3].kind");
    assert_eq!(app.count("relay_points"), 0, "all or nothing");

    // Header problems are row 1; an unknown column is named.
    let report: Value = app
        .post_csv("/api/v1/relay-points/import?dry_run=true", &m.manager, "external_id,kind,colour\n")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report["errors"][0]["row"], 1);
    assert_eq!(report["errors"][0]["field"], "colour");
    let dry: Value = app
        .post_csv(
            "/api/v1/relay-points/import?dry_run=true",
            &m.manager,
            format!("{HEADER}A,pharmacy,P,R,4000,L,,fr,\n"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((dry["created"].as_u64(), dry["errors"].as_array().unwrap().len()), (Some(1), 0));
    assert_eq!(app.count("relay_points"), 0, "a dry run writes nothing");
    problem(
        app.post_csv("/api/v1/relay-points/import?dry_run=perhaps", &m.manager, HEADER).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    let wrong_type = app.post("/api/v1/relay-points/import", Some(&m.manager), &json!({"rows": []})).await;
    problem(wrong_type, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
    let not_utf8 = app.post_csv("/api/v1/relay-points/import", &m.manager, vec![0xff, 0xfe, 0x00]).await;
    assert_eq!(problem(not_utf8, StatusCode::BAD_REQUEST).await["code"], "malformed_csv");
}

async fn reimporting_the_same_file_is_idempotent_and_changes_update(app: TestApp) {
    let admin = app.admin_token().await;
    let m = app.programme_with_manager(&admin, "vl", "nl").await;
    let other = app.programme_with_manager(&admin, "other", "nl").await;
    let csv = format!(
        "\u{feff}{HEADER}\
         L-1,pharmacy,Apotheek Gent,Veldstraat 1,9000,Gent,,nl,\n\
         L-2,pharmacy,\"Apotheek \"\"De Zon\"\", Brugge\",Markt 2,8000,Brugge,,nl;fr,\n\
         L-3,hairdresser,Kapsalon,Lei 3,1000,Brussel,flanders,nl,false\n"
    );
    let first: Value = app.post_csv("/api/v1/relay-points/import", &m.manager, csv.clone()).await.json().await.unwrap();
    assert_eq!((first["created"].as_u64(), first["updated"].as_u64()), (Some(3), Some(0)), "{first}");
    let again: Value = app.post_csv("/api/v1/relay-points/import", &m.manager, csv.clone()).await.json().await.unwrap();
    assert_eq!(
        (again["created"].as_u64(), again["updated"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(0), Some(3))
    );
    assert_eq!(app.count("relay_points"), 3);

    // The same external ids in another programme are other relay points.
    let theirs: Value =
        app.post_csv("/api/v1/relay-points/import", &other.manager, csv.clone()).await.json().await.unwrap();
    assert_eq!(theirs["created"], 3);

    // The export can be edited and imported again: one changed row is one update.
    let export = app.get("/api/v1/relay-points/export", &m.manager).await;
    assert!(export.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let export = export.text().await.unwrap();
    assert!(export.starts_with(
        "id,external_id,kind,name,address,postcode,municipality,region,languages,active,training_status\n"
    ));
    assert!(export.contains("\"Apotheek \"\"De Zon\"\", Brugge\""), "{export}");
    assert!(export.contains(",1000,Brussel,flanders,nl,false,untrained"), "region override kept: {export}");
    let edited = export.replace("Veldstraat 1", "Veldstraat 10");
    let third: Value = app.post_csv("/api/v1/relay-points/import", &m.manager, edited).await.json().await.unwrap();
    assert_eq!(
        (third["created"].as_u64(), third["updated"].as_u64(), third["unchanged"].as_u64()),
        (Some(0), Some(1), Some(2))
    );
    let found: Value = app.get("/api/v1/relay-points?q=veldstraat%2010", &m.manager).await.json().await.unwrap();
    assert_eq!(found["items"][0]["region"], "flanders");
}

async fn ten_thousand_rows_import_in_one_go(app: TestApp) {
    let admin = app.admin_token().await;
    let m = app.programme_with_manager(&admin, "big", "fr").await;
    let mut csv = String::from(HEADER);
    for i in 0..10_000 {
        let postcode = 1000 + (i * 7) % 9000;
        csv.push_str(&format!("LIC-{i:05},pharmacy,Pharmacie {i},Rue {i},{postcode},Commune {i},,fr;nl,\n"));
    }
    let started = std::time::Instant::now();
    let report: Value =
        app.post_csv("/api/v1/relay-points/import", &m.manager, csv.clone()).await.json().await.unwrap();
    let took = started.elapsed();
    assert_eq!(report["created"], 10_000, "{report}");
    assert_eq!(app.count("relay_points"), 10_000);
    let started = std::time::Instant::now();
    let again: Value = app.post_csv("/api/v1/relay-points/import", &m.manager, csv).await.json().await.unwrap();
    let took_again = started.elapsed();
    assert_eq!(again["unchanged"], 10_000);
    let backend = if app.database_url.starts_with("sqlite") { "SQLite" } else { "PostgreSQL" };
    println!("10,000-row import on {backend}: {took:?} (re-import, all unchanged: {took_again:?})");
    let page: Value = app.get("/api/v1/relay-points?region=brussels&limit=200", &m.manager).await.json().await.unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 200);
}

async fn completions_import_in_bulk(app: TestApp) {
    let admin = app.admin_token().await;
    let m = app.programme_with_manager(&admin, "wal", "fr").await;
    let relay = app.relay(&m.manager, "Pharmacie", "4000", "pharmacy").await;
    let relay = relay["id"].as_str().unwrap();
    app.staff(&admin, "a@example.be", relay).await;
    app.staff(&admin, "b@example.be", relay).await;
    app.module(&m.manager, "Mask-19 basics", 24, true).await;
    let good = "email,module,completed_on,certificate_ref\na@example.be,Mask-19 basics,2025-03-01,CERT-1\nB@example.be,mask-19 BASICS,2025-04-01,\n";
    let bad = format!("{good}nobody@example.be,Mask-19 basics,2025-04-01,\na@example.be,Unknown module,2025-13-01,\n");
    let report: Value =
        app.post_csv("/api/v1/completions/import?dry_run=true", &m.manager, bad.clone()).await.json().await.unwrap();
    let fields: Vec<(u64, &str)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["field"].as_str().unwrap()))
        .collect();
    assert_eq!(fields, [(4, "email"), (5, "module"), (5, "completed_on")]);
    problem(app.post_csv("/api/v1/completions/import", &m.manager, bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(app.count("training_completions"), 0);

    let done: Value = app.post_csv("/api/v1/completions/import", &m.manager, good).await.json().await.unwrap();
    assert_eq!(done["created"], 2);
    let again: Value = app.post_csv("/api/v1/completions/import", &m.manager, good).await.json().await.unwrap();
    assert_eq!((again["created"].as_u64(), again["unchanged"].as_u64()), (Some(0), Some(2)));
    assert_eq!(app.status_of(&m.manager, relay, "2025-05-01").await, "trained");
}

/// A CSV larger than `SAFERELAY_MAX_CSV_BYTES` is 413 problem+json.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_csv_is_413() {
    let app = try_spawn_app_with(Backend::Sqlite, |s| s.max_csv_bytes = 1024).await.unwrap();
    let admin = app.admin_token().await;
    let m = app.programme_with_manager(&admin, "small", "fr").await;
    let big = format!("{HEADER}{}", "X-1,pharmacy,P,R,4000,L,,fr,\n".repeat(100));
    let p = problem(app.post_csv("/api/v1/relay-points/import", &m.manager, big).await, StatusCode::PAYLOAD_TOO_LARGE)
        .await;
    assert_eq!(p["code"], "payload_too_large");
    assert_eq!(app.count("relay_points"), 0);
}
