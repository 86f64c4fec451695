//! `openapi.yaml` stays true: it equals the document built from the registered
//! handlers, and every operation it lists is served by the running app.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::authz::{self, Who};
use crate::helpers::{Backend, try_spawn_app};

fn committed() -> serde_yaml_ng::Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml"))
        .expect("openapi.yaml at the repository root");
    serde_yaml_ng::from_str(&text).expect("openapi.yaml parses")
}

#[test]
fn openapi_yaml_matches_the_code() {
    let generated: serde_yaml_ng::Value = serde_yaml_ng::from_str(&saferelay::openapi::yaml().unwrap()).unwrap();
    assert!(
        committed() == generated,
        "openapi.yaml has drifted from the code; regenerate it with `cargo run -- openapi > openapi.yaml` and review the diff"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_operation_is_served() {
    let app = try_spawn_app(Backend::Sqlite).await.unwrap();
    let spec = committed();
    let paths = spec["paths"].as_mapping().expect("paths");
    assert!(paths.len() >= 8);
    for (path, item) in paths {
        let path = path.as_str().unwrap();
        let concrete: String = path
            .split('/')
            .map(|seg| if seg.starts_with('{') { uuid::Uuid::new_v4().to_string() } else { seg.to_string() })
            .collect::<Vec<_>>()
            .join("/");
        for (method, _) in item.as_mapping().unwrap() {
            let method = Method::from_bytes(method.as_str().unwrap().to_uppercase().as_bytes()).unwrap();
            let resp = app.request(method.clone(), &concrete, None, None).await;
            let status = resp.status();
            let body: Value = resp.json().await.unwrap_or(Value::Null);
            assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path} is documented but not served");
            assert_ne!(body["code"], "route_not_found", "{method} {path} is documented but not served");
        }
    }
}

/// Every operation that takes a request body, sent a body without `Content-Type`
/// by each caller allowed to call it (in its own scope), answers a status that its
/// entry in `openapi.yaml` documents.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_without_content_type_gets_a_documented_status() {
    let app = try_spawn_app(Backend::Sqlite).await.unwrap();
    let (callers, fixtures) = authz::setup(&app).await;
    let spec = committed();
    let (mut probed, mut unsupported, mut undocumented) = (0, 0, Vec::new());
    for &(method, path, who, param, _) in authz::TABLE {
        let operation = &spec["paths"][path][method.to_lowercase().as_str()];
        if operation.get("requestBody").is_none() {
            continue;
        }
        let documented: Vec<&str> =
            operation["responses"].as_mapping().unwrap().keys().map(|k| k.as_str().unwrap()).collect();
        let url = app.url(&authz::concrete(path, param, &fixtures));
        let allowed = callers.iter().filter(|c| {
            !c.other
                && match who {
                    Who::Public => true,
                    Who::Any => c.token.is_some(),
                    Who::Only(roles) => roles.contains(&c.role),
                }
        });
        let mut callers_probed = 0;
        for c in allowed {
            let mut req = app.client.request(Method::from_bytes(method.as_bytes()).unwrap(), &url).body("{}");
            if let Some(t) = &c.token {
                req = req.bearer_auth(t);
            }
            let status = req.send().await.unwrap().status();
            callers_probed += 1;
            if status == StatusCode::UNSUPPORTED_MEDIA_TYPE {
                unsupported += 1;
            }
            if !documented.contains(&status.as_str()) {
                undocumented.push(format!("{method} {path} as {}: {status} (documented: {documented:?})", c.role));
            }
        }
        assert!(callers_probed > 0, "{method} {path}: no caller may call it");
        probed += 1;
    }
    assert!(probed >= 20, "only {probed} operations with a request body");
    assert!(unsupported > 0, "no probe reached the body's Content-Type check");
    assert!(undocumented.is_empty(), "undocumented statuses:\n{}", undocumented.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interactive_docs_are_served_without_the_internet() {
    let app = try_spawn_app(Backend::Sqlite).await.unwrap();
    let html = app.request(Method::GET, "/docs/", None, None).await;
    assert_eq!(html.status(), StatusCode::OK);
    let html = html.text().await.unwrap();
    assert!(html.contains("swagger-ui"));
    assert!(!html.contains("https://"), "docs page loads something from the internet");
    let init = app.request(Method::GET, "/docs/swagger-initializer.js", None, None).await.text().await.unwrap();
    assert!(init.contains("/openapi.json"));
    assert!(app.request(Method::GET, "/docs/swagger-ui-bundle.js", None, None).await.status().is_success());
    let spec: Value = app.request(Method::GET, "/openapi.json", None, None).await.json().await.unwrap();
    assert!(spec["paths"]["/api/v1/auth/login"]["post"].is_object());
}

/// Every setting in `src/config.rs` has its `SAFERELAY_*` variable in the settings
/// table of `docs/OPERATIONS.md`.
#[test]
fn every_setting_is_documented_in_operations() {
    let root = env!("CARGO_MANIFEST_DIR");
    let config = std::fs::read_to_string(format!("{root}/src/config.rs")).unwrap();
    let operations = std::fs::read_to_string(format!("{root}/docs/OPERATIONS.md")).unwrap();
    let table: Vec<&str> = operations.lines().filter(|l| l.starts_with("| `SAFERELAY_")).collect();
    // A field the settings sources never fill (`#[serde(skip)]`) is not a setting.
    let lines: Vec<&str> = config.lines().collect();
    let missing: Vec<String> = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i == 0 || lines[i - 1].trim() != "#[serde(skip)]")
        .filter_map(|(_, l)| {
            l.strip_prefix("    pub ").and_then(|r| r.split_once(':')).map(|(name, _)| name.to_string())
        })
        .filter(|name| name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .map(|name| format!("SAFERELAY_{}", name.to_uppercase()))
        .filter(|var| !table.iter().any(|row| row.starts_with(&format!("| `{var}` |"))))
        .collect();
    assert!(missing.is_empty(), "settings missing from the settings table of docs/OPERATIONS.md: {missing:?}");
}
