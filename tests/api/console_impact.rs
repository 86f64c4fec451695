//! The impact figures in a real browser: a programme manager's dashboard shows
//! "<5" exactly where the statistics API hides a count and the number where it
//! does not (compared cell by cell with the JSON API), the CSV download holds the
//! same figures, a manager of another programme sees none of them, the quarterly
//! report prints on one A4 page, and axe-core finds nothing.

use chrono::{Duration, NaiveDate};
use fantoccini::wd::{PrintConfiguration, PrintSize};
use serde_json::{Value, json};

use crate::browser::Browser;
use crate::coverage_history::seed_coverage;
use crate::helpers::{Backend, TestApp, try_spawn_app};
use crate::stats_seed::{Seed, month_ago, network, seed, stats};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn impact_figures_sqlite() {
    a_manager_reports_on_the_programmes_impact(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn impact_figures_postgres() {
    a_manager_reports_on_the_programmes_impact(Backend::Postgres).await;
}

async fn sign_in(b: &mut Browser, app: &TestApp, email: &str, password: &str) {
    b.goto(&app.url("/console/sign-in")).await;
    b.fill("#email", email).await;
    b.fill("#password", password).await;
    b.navigate_by("form.stack button[type=submit]").await;
}

async fn assert_accessible(b: &Browser, page: &str) {
    let violations = b.axe_violations().await;
    assert!(violations.is_empty(), "axe-core on {page}: {violations:#?}");
}

/// The rows of the table of the figure `key`, as text.
async fn table(b: &Browser, key: &str) -> Vec<Vec<String>> {
    let rows = b
        .js(&format!(
            "return [...document.querySelectorAll('#{key} table.figures tbody tr')]\
               .map(tr => [...tr.children].map(c => c.textContent.trim()));"
        ))
        .await;
    serde_json::from_value(rows).unwrap()
}

/// A same-origin GET from the page (the session cookie goes with it): status and body.
async fn fetch(b: &Browser, path: &str) -> (u16, String) {
    let out = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             fetch(arguments[0]).then(async r => done([r.status, await r.text()]));",
            vec![json!(path)],
        )
        .await
        .unwrap();
    (out[0].as_u64().unwrap() as u16, out[1].as_str().unwrap().to_string())
}

/// What the API says a breakdown table holds: per month, the total then each value.
fn expected_rows(api: &Value) -> Vec<Vec<String>> {
    let months = api["programmes"][0]["months"].as_array().unwrap();
    let mut values: Vec<String> = months
        .iter()
        .flat_map(|m| m["breakdown"].as_array().unwrap().iter().map(|c| c["value"].as_str().unwrap().to_string()))
        .collect();
    values.sort();
    values.dedup();
    let text = |v: &Value| v.as_i64().map_or_else(|| v.as_str().unwrap().to_string(), |n| n.to_string());
    months
        .iter()
        .map(|m| {
            let mut row = vec![m["month"].as_str().unwrap().to_string(), text(&m["signals"])];
            for v in &values {
                let cell = m["breakdown"].as_array().unwrap().iter().find(|c| c["value"] == json!(v));
                row.push(cell.map_or_else(|| "0".to_string(), |c| text(&c["signals"])));
            }
            row
        })
        .collect()
}

fn first_day(month: &str) -> NaiveDate {
    NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").unwrap()
}

async fn a_manager_reports_on_the_programmes_impact(backend: Backend) {
    let Some(app) = try_spawn_app(backend).await else { return };
    let name = format!("console-impact-{}", if backend == Backend::Sqlite { "sqlite" } else { "postgres" });
    let Some(mut b) = Browser::start_sized(&name, 1280, 3400).await else { return };
    let admin = app.admin_token().await;
    let a = network(&app, &admin, "prog-a").await;
    let other = network(&app, &admin, "prog-b").await;
    let (_, pw_a) = app
        .create_user(
            &admin,
            json!({"email": "pm-a@example.be", "role": "programme_manager", "programme_id": a.programme}),
        )
        .await;
    let (_, pw_b) = app
        .create_user(
            &admin,
            json!({"email": "pm-b@example.be", "role": "programme_manager", "programme_id": other.programme}),
        )
        .await;

    // Programme A, two final months: 12 + 3 + 7 signals, then 20.
    let (m, at) = month_ago(2);
    let (prev, before) = month_ago(3);
    seed(&app, 12, &Seed { relay: &a.wallonia, created: at, ..Seed::default() });
    let brussels = Seed {
        relay: &a.brussels,
        region: "brussels",
        kind: "hairdresser",
        urgency: "immediate_danger",
        outcome: None,
        created: at,
        ..Seed::default()
    };
    seed(&app, 3, &brussels);
    let flanders = Seed {
        relay: &a.flanders,
        region: "flanders",
        outcome: Some("declined"),
        training: "untrained",
        first_attempt_min: Some(95),
        created: at,
        ..Seed::default()
    };
    seed(&app, 7, &flanders);
    seed(&app, 20, &Seed { relay: &a.wallonia, created: before, first_attempt_min: Some(12), ..Seed::default() });
    // Programme B: figures that would stand out if they leaked.
    seed(&app, 31, &Seed { relay: &other.flanders, region: "flanders", created: at, ..Seed::default() });
    let (first, last) = (first_day(&prev.to_string()), first_day(&m.to_string()) + Duration::days(20));
    seed_coverage(
        &app,
        &a.programme,
        first + Duration::days(27),
        &[("wallonia", "trained", 2), ("flanders", "lapsed", 1)],
    );
    seed_coverage(
        &app,
        &a.programme,
        last,
        &[("wallonia", "trained", 2), ("flanders", "expiring", 1), ("brussels", "untrained", 1)],
    );
    seed_coverage(&app, &other.programme, last, &[("flanders", "trained", 77)]);

    // The manager of A opens the impact figures from the header.
    sign_in(&mut b, &app, "pm-a@example.be", &pw_a).await;
    b.navigate_by("header nav a[href='/console/impact']").await;
    assert_eq!(b.path().await, "/console/impact");
    let query = format!("programme={}&from={prev}&to={m}", a.programme);
    b.goto(&app.url(&format!("/console/impact?{query}"))).await;
    b.shot("dashboard").await;
    assert_accessible(&b, "the impact figures").await;

    // Every breakdown table: exactly the API's cells, "<5" where it hides one.
    for (key, by) in
        [("region", "region"), ("urgency", "urgency"), ("relay_kind", "relay_kind"), ("outcome", "outcome")]
    {
        let api = stats(&app, &a.manager, &format!("from={prev}&to={m}&by={by}")).await;
        assert_eq!(table(&b, key).await, expected_rows(&api), "{key}");
    }
    let region = table(&b, "region").await;
    assert_eq!(region[1], vec![m.to_string(), "22".into(), "<5".into(), "<5".into(), "12".into()], "{region:?}");
    assert_eq!(region[0], vec![prev.to_string(), "20".into(), "0".into(), "0".into(), "20".into()], "{region:?}");
    // Times and the share not trained: the API's too.
    let api = stats(&app, &a.manager, &format!("from={prev}&to={m}")).await;
    let months = api["programmes"][0]["months"].as_array().unwrap();
    let times = table(&b, "first_attempt").await;
    for (row, month) in times.iter().zip(months) {
        let t = &month["minutes_to_first_attempt"];
        assert_eq!(row[1..], [t["median"].to_string(), t["p90"].to_string()], "{times:?}");
    }
    assert_eq!(times[1], vec![m.to_string(), "30".into(), "95".into()]);
    let share = table(&b, "not_trained").await;
    assert_eq!(share[0][2], "0 %");
    // 7 of 22 from the untrained relay in Flanders: 0.318 in the API, 31.8 % here.
    let api_share = months[1]["share_not_trained"].to_string();
    assert_eq!((api_share.as_str(), share[1][2].as_str()), ("0.318", "31.8 %"), "{share:?}");
    // Coverage: each month's last recorded day, as the API gives it.
    let history: Value = app
        .get(
            &format!(
                "/api/v1/stats/coverage-history?from={first}&to={}&every=month",
                first_day(&m.to_string()).max(last)
            ),
            &a.manager,
        )
        .await
        .json()
        .await
        .unwrap();
    let expected: Vec<Vec<String>> = history["programmes"][0]["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            [&p["day"], &p["trained"], &p["expiring"], &p["lapsed"], &p["untrained"], &p["relay_points"]]
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                .collect()
        })
        .collect();
    assert_eq!(table(&b, "coverage").await, expected);
    assert_eq!(expected.len(), 2);

    // The CSV downloads hold the same figures.
    let (status, csv) = fetch(&b, &format!("/console/impact/region.csv?{query}")).await;
    assert_eq!(status, 200);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "programme,month,signals,brussels,flanders,wallonia");
    assert_eq!(lines[1], format!("prog-a,{prev},20,0,0,20"));
    assert_eq!(lines[2], format!("prog-a,{m},22,<5,<5,12"));
    let (_, csv) = fetch(&b, &format!("/console/impact/first_attempt.csv?{query}")).await;
    assert!(csv.contains(&format!("prog-a,{m},30,95")), "{csv}");
    let (_, csv) = fetch(&b, &format!("/console/impact/coverage.csv?{query}")).await;
    assert!(csv.starts_with("programme,day,region,trained,expiring,lapsed,untrained,relay_points\n"), "{csv}");
    assert!(csv.contains(&format!("prog-a,{last},all,2,1,0,1,4")), "{csv}");
    assert!(csv.contains(&format!("prog-a,{last},flanders,0,1,0,0,1")), "{csv}");
    assert_eq!(fetch(&b, &format!("/console/impact/postcode.csv?{query}")).await.0, 404);

    // One region: coverage narrows, signal figures stay the programme's (no cross-tab).
    b.goto(&app.url(&format!("/console/impact?{query}&region=flanders"))).await;
    let flanders_now: Vec<String> =
        [last.to_string()].into_iter().chain(["0", "1", "0", "0", "1"].map(String::from)).collect();
    assert_eq!(table(&b, "coverage").await.last().unwrap(), &flanders_now);
    assert_eq!(table(&b, "region").await, region);
    assert!(b.body_text().await.contains("The region narrows coverage only"));

    // Bad filters: a page that says so, not an error.
    b.goto(&app.url(&format!("/console/impact?from={m}&to={prev}"))).await;
    assert!(b.body_text().await.contains("The filters are not valid"));

    // The quarterly report of the quarter of `m`: one A4 page.
    let label = m.to_string();
    let quarter = format!("{}-Q{}", &label[..4], (label[5..].parse::<u32>().unwrap() - 1) / 3 + 1);
    b.goto(&app.url(&format!("/console/impact/report?programme={}&quarter={quarter}", a.programme))).await;
    let text = b.body_text().await;
    assert!(text.contains("Quarterly impact report") && text.contains(&quarter) && text.contains("prog-a"), "{text}");
    assert!(text.contains("<5"), "{text}");
    b.shot("report").await;
    assert_accessible(&b, "the quarterly report").await;
    let pdf = b
        .client
        .print(PrintConfiguration::builder().size(PrintSize::A4).background(true).build().unwrap())
        .await
        .unwrap();
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::write(dir.join(format!("{name}-report.pdf")), &pdf).unwrap();
    let raw = String::from_utf8_lossy(&pdf);
    let pages = raw.matches("/Type /Page").count() - raw.matches("/Type /Pages").count();
    assert_eq!(pages, 1, "the quarterly report prints on one A4 page");
    b.goto(&app.url("/console/impact/report?quarter=2026-Q5")).await;
    assert!(b.body_text().await.contains("The filters are not valid"));

    // The manager of B: their own figures, none of A's, and A's are not found.
    b.client.delete_all_cookies().await.unwrap();
    sign_in(&mut b, &app, "pm-b@example.be", &pw_b).await;
    b.goto(&app.url(&format!("/console/impact?from={prev}&to={m}"))).await;
    let page = b.body_text().await;
    assert!(page.contains("prog-b") && !page.contains("prog-a"), "{page}");
    assert!(!b.js("return document.documentElement.outerHTML").await.as_str().unwrap().contains(&a.programme));
    assert!(table(&b, "region").await.iter().any(|r| r.contains(&"31".to_string())));
    assert!(table(&b, "coverage").await.iter().all(|r| r[5] == "77"));
    b.shot("other-programme").await;
    b.goto(&app.url(&format!("/console/impact?{query}"))).await;
    assert!(b.body_text().await.contains("There is no such programme among those you may see."));
    for chart in ["region", "coverage", "first_attempt"] {
        let (status, body) = fetch(&b, &format!("/console/impact/{chart}.csv?{query}")).await;
        assert_eq!(status, 404, "{chart}");
        assert!(!body.contains("prog-a") && !body.contains(",12"), "{body}");
    }
    let (status, _) = fetch(&b, &format!("/console/impact/report?programme={}&quarter={quarter}", a.programme)).await;
    assert_eq!(status, 404);
    b.close().await;
}
