//! Fixtures for the relay-network tests, built through the API itself: a programme
//! with a signed-in manager, relay points, staff, modules, completions.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::TestApp;

/// A programme and a signed-in manager of it.
pub struct Managed {
    pub programme: String,
    pub manager: String,
}

impl TestApp {
    pub async fn patch(&self, path: &str, token: &str, body: &Value) -> reqwest::Response {
        self.request(Method::PATCH, path, Some(token), Some(body)).await
    }

    /// Sends a CSV body.
    pub async fn post_csv(&self, path: &str, token: &str, csv: impl Into<reqwest::Body>) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .header("content-type", "text/csv")
            .body(csv)
            .send()
            .await
            .expect("request sent")
    }

    /// Admin creates a programme and a manager for it; returns both, signed in.
    pub async fn programme_with_manager(&self, admin: &str, code: &str, language: &str) -> Managed {
        let resp = self
            .post("/api/v1/programmes", Some(admin), &json!({"code": code, "name": format!("Programme {code}")}))
            .await;
        assert_eq!(resp.status(), StatusCode::CREATED, "create programme");
        let programme = resp.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
        let email = format!("manager-{code}@example.be");
        let (_, password) = self
            .create_user(
                admin,
                json!({"email": email, "role": "programme_manager", "programme_id": programme, "language": language}),
            )
            .await;
        let manager = self.login_ok(&email, &password).await.access;
        Managed { programme, manager }
    }

    /// Creates a relay point; returns its JSON.
    pub async fn relay(&self, manager: &str, name: &str, postcode: &str, kind: &str) -> Value {
        let body = json!({"kind": kind, "name": name, "address": "Rue 1", "postcode": postcode, "municipality": "Commune", "languages": ["fr"]});
        let resp = self.post("/api/v1/relay-points", Some(manager), &body).await;
        assert_eq!(resp.status(), StatusCode::CREATED, "create relay point");
        resp.json().await.unwrap()
    }

    /// Creates relay staff through the admin API (no e-mail); returns (id, token).
    pub async fn staff(&self, admin: &str, email: &str, relay: &str) -> (String, String) {
        let (id, password) =
            self.create_user(admin, json!({"email": email, "role": "relay_staff", "relay_point_id": relay})).await;
        let token = self.login_ok(email, &password).await.access;
        (id, token)
    }

    /// Creates a training module; returns its id.
    pub async fn module(&self, manager: &str, title: &str, months: i64, required: bool) -> String {
        let body = json!({"title": title, "kind": "e_learning", "validity_months": months, "required": required});
        let resp = self.post("/api/v1/training-modules", Some(manager), &body).await;
        assert_eq!(resp.status(), StatusCode::CREATED, "create module");
        resp.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string()
    }

    /// Records a completion; returns its JSON.
    pub async fn complete(&self, manager: &str, user: &str, module: &str, on: &str) -> Value {
        let body = json!({"user_id": user, "module_id": module, "completed_on": on});
        let resp = self.post("/api/v1/completions", Some(manager), &body).await;
        assert_eq!(resp.status(), StatusCode::CREATED, "record completion");
        resp.json().await.unwrap()
    }

    /// The training status of a relay point on a date.
    pub async fn status_of(&self, token: &str, relay: &str, as_of: &str) -> String {
        let v: Value =
            self.get(&format!("/api/v1/relay-points/{relay}?as_of={as_of}"), token).await.json().await.unwrap();
        v["training_status"].as_str().unwrap_or("").to_string()
    }
}
