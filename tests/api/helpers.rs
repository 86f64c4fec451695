//! `spawn_app`: the real application on port 0 with its own fresh database
//! (a new SQLite file, or a new PostgreSQL database), and an HTTP client for it.

use diesel::connection::SimpleConnection;
use reqwest::{Method, Response, StatusCode};
use saferelay::config::{LogFormat, Settings};
use saferelay::db::{AnyConnection, DatabaseUrl};
use saferelay::startup::Application;
use serde_json::{Value, json};

use crate::postgres;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub database_url: String,
    pub key_file: std::path::PathBuf,
    pub admin_email: String,
    pub admin_password: String,
    pub _dir: tempfile::TempDir,
}

/// Settings every test starts from: port 0, files in `dir`, quick 503s.
pub fn test_settings(dir: &std::path::Path, database_url: String) -> Settings {
    Settings {
        port: 0,
        database_url,
        key_file: dir.join("keys.json").display().to_string(),
        db_timeout_secs: 1,
        db_pool_size: 4,
        log_format: LogFormat::Json,
        log_level: "warn".into(),
        mail_dir: dir.join("mail").display().to_string(),
        // Tests run the reminder job explicitly (or enable it), never behind their back.
        reminders_enabled: false,
        // Likewise the retention job: tests run it with `saferelay purge` or enable it.
        retention_enabled: false,
        // Deliveries go out promptly, so tests do not wait on the worker.
        outbox_poll_millis: 50,
        ..Settings::default()
    }
}

/// A fresh database URL for `backend`, or `None` if PostgreSQL is unavailable.
pub fn fresh_database_url(backend: Backend, dir: &std::path::Path) -> Option<String> {
    match backend {
        Backend::Sqlite => Some(format!("sqlite://{}", dir.join("saferelay.db").display())),
        Backend::Postgres => postgres::fresh_database(),
    }
}

/// Spawns the app; `None` when the backend is unavailable (PostgreSQL skipped).
pub async fn try_spawn_app(backend: Backend) -> Option<TestApp> {
    try_spawn_app_with(backend, |_| {}).await
}

pub async fn try_spawn_app_with(backend: Backend, tweak: impl FnOnce(&mut Settings)) -> Option<TestApp> {
    let dir = tempfile::tempdir().expect("tempdir");
    let database_url = fresh_database_url(backend, dir.path())?;
    let mut settings = test_settings(dir.path(), database_url);
    tweak(&mut settings);
    let database_url = settings.database_url.clone();
    let key_file = std::path::PathBuf::from(&settings.key_file);
    let app = Application::build(settings).await.expect("application builds");
    let (admin_email, admin_password) = app.bootstrap_admin.clone().expect("first start creates an admin");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    Some(TestApp {
        address,
        client: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client"),
        database_url,
        key_file,
        admin_email,
        admin_password,
        _dir: dir,
    })
}

/// A second instance of the app on the same database and keys as `first` (as
/// several instances behind a load balancer would run).
pub async fn spawn_second_instance(first: &TestApp, tweak: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut settings = test_settings(dir.path(), first.database_url.clone());
    settings.key_file = first.key_file.display().to_string();
    tweak(&mut settings);
    let app = Application::build(settings).await.expect("second instance builds");
    assert!(app.bootstrap_admin.is_none(), "the database already has its admin");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: reqwest::Client::new(),
        database_url: first.database_url.clone(),
        key_file: first.key_file.clone(),
        admin_email: first.admin_email.clone(),
        admin_password: first.admin_password.clone(),
        _dir: dir,
    }
}

/// Runs an `async fn(TestApp)` test once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let app = $crate::helpers::try_spawn_app($crate::helpers::Backend::Sqlite).await.expect("sqlite app");
                    super::$name(app).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = $crate::helpers::try_spawn_app($crate::helpers::Backend::Postgres).await {
                        super::$name(app).await;
                    }
                }
            }
        )*
    };
}

/// Tokens from a login.
pub struct Tokens {
    pub access: String,
    pub refresh: String,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// Sends `body` as JSON (or nothing) with an optional bearer token.
    pub async fn request(&self, method: Method, path: &str, token: Option<&str>, body: Option<&Value>) -> Response {
        let mut req = self.client.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        req.send().await.expect("request sent")
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.request(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        self.request(Method::POST, path, token, Some(body)).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.post("/api/v1/auth/login", None, &json!({"email": email, "password": password})).await
    }

    pub async fn login_ok(&self, email: &str, password: &str) -> Tokens {
        let resp = self.login(email, password).await;
        assert_eq!(resp.status(), StatusCode::OK, "login of {email}");
        let body: Value = resp.json().await.expect("json");
        Tokens {
            access: body["access_token"].as_str().expect("access token").into(),
            refresh: body["refresh_token"].as_str().expect("refresh token").into(),
        }
    }

    pub async fn admin_token(&self) -> String {
        self.login_ok(&self.admin_email, &self.admin_password).await.access
    }

    /// Creates an account through the admin API and accepts its invitation with a
    /// chosen password; returns (id, password). The e-mailed token is replaced by
    /// one the fixture knows (tests of the e-mail itself read it from the SMTP server).
    pub async fn create_user(&self, admin: &str, body: Value) -> (String, String) {
        let resp = self.post("/api/v1/users", Some(admin), &body).await;
        assert_eq!(resp.status(), StatusCode::CREATED, "create user {body}");
        let v: Value = resp.json().await.expect("json");
        assert!(v.get("one_time_password").is_none(), "nobody learns another person's password");
        let id: String = v["user"]["id"].as_str().expect("id").into();
        let password = self.accept_invitation_of(&id).await;
        (id, password)
    }

    /// Accepts the open invitation of account `id` with a fresh password; returns it.
    pub async fn accept_invitation_of(&self, id: &str) -> String {
        let token = format!("fixture-{}", uuid::Uuid::new_v4());
        let hash = saferelay::crypto::tokens::hash_refresh_token(&token);
        let n = self.execute(&format!(
            "UPDATE staff_invitations SET token_hash = '{hash}' WHERE user_id = '{id}' AND accepted_at IS NULL AND revoked_at IS NULL"
        ));
        assert_eq!(n, 1, "one open invitation for {id}");
        let password = format!("chosen-{}", uuid::Uuid::new_v4());
        let resp =
            self.post(&format!("/api/v1/invitations/{token}/accept"), None, &json!({"password": password})).await;
        assert_eq!(resp.status(), StatusCode::OK, "accept the invitation of {id}");
        password
    }

    /// Direct database access for fixtures the API does not create yet.
    pub fn db(&self) -> AnyConnection {
        DatabaseUrl::parse(&self.database_url).expect("url").connect().expect("connect")
    }

    /// Inserts a programme and a relay point and a helpline; returns their ids.
    pub fn seed_scopes(&self) -> Scopes {
        let s = Scopes {
            programme: uuid::Uuid::new_v4().to_string(),
            relay_point: uuid::Uuid::new_v4().to_string(),
            helpline: uuid::Uuid::new_v4().to_string(),
        };
        let now = "2026-01-01 00:00:00";
        let sql = format!(
            "INSERT INTO programmes (id, code, name, country, created_at) VALUES ('{p}', 'wal-{p}', 'Walloon relay-pharmacies', 'BE', '{now}');
             INSERT INTO relay_points (id, programme_id, kind, name, address, postcode, municipality, region, languages, active, created_at, updated_at)
               VALUES ('{r}', '{p}', 'pharmacy', 'Pharmacie du Pont', 'Rue du Pont 1', '4000', 'Liège', 'wallonia', 'fr', TRUE, '{now}', '{now}');
             INSERT INTO helplines (id, code, name, public_phone, languages, time_zone, active, created_at)
               VALUES ('{h}', 'evc-{h}', 'Écoute Violences Conjugales', '0800 30 030', 'fr', 'Europe/Brussels', TRUE, '{now}');
             UPDATE network_version SET version = version + 1;",
            p = s.programme,
            r = s.relay_point,
            h = s.helpline,
        );
        self.db().batch_execute(&sql).expect("seed scopes");
        s
    }

    /// Runs one statement on the app's database; returns the rows it changed. Tests
    /// move time this way: timestamps set into the past (see [`ago`]), never sleeps.
    pub fn execute(&self, sql: &str) -> usize {
        use diesel::RunQueryDsl;
        diesel::sql_query(sql).execute(&mut self.db()).unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    pub fn count(&self, table: &str) -> i64 {
        use diesel::prelude::*;
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
            .get_result::<N>(&mut self.db())
            .expect("count")
            .n
    }
}

/// The UTC time `before` now as an SQL timestamp literal, in the form the app
/// stores times in on both backends (a negative duration is in the future).
pub fn ago(before: chrono::Duration) -> String {
    format!("'{}'", (chrono::Utc::now() - before).naive_utc().format("%Y-%m-%d %H:%M:%S%.6f"))
}

pub struct Scopes {
    pub programme: String,
    pub relay_point: String,
    pub helpline: String,
}

/// Reads a problem+json body, checking the media type and status field.
pub async fn problem(resp: Response, status: StatusCode) -> Value {
    assert_eq!(resp.status(), status);
    let ct = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert!(ct.starts_with("application/problem+json"), "content-type {ct}");
    let body: Value = resp.json().await.expect("problem body");
    assert_eq!(body["status"], status.as_u16());
    assert!(body["type"].as_str().is_some_and(|t| t.starts_with("/problems/")));
    body
}

#[derive(diesel::QueryableByName)]
struct TextRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    t: String,
}

/// Every byte the database holds for this app: the SQLite file after a WAL
/// checkpoint (free pages included), or every PostgreSQL table as text.
pub fn dump_database(app: &TestApp) -> Vec<u8> {
    use diesel::prelude::*;
    let mut conn = app.db();
    match DatabaseUrl::parse(&app.database_url).unwrap().sqlite_path() {
        Some(path) => {
            conn.batch_execute("PRAGMA wal_checkpoint(TRUNCATE);").expect("checkpoint");
            let mut bytes = std::fs::read(path).expect("database file");
            bytes.extend(std::fs::read(format!("{path}-wal")).unwrap_or_default());
            bytes
        }
        None => {
            let tables: Vec<TextRow> = diesel::sql_query(
                "SELECT table_name::text AS t FROM information_schema.tables WHERE table_schema = 'public'",
            )
            .load(&mut conn)
            .expect("tables");
            let mut out = Vec::new();
            for table in tables {
                let rows: Vec<TextRow> = diesel::sql_query(format!("SELECT x::text AS t FROM {} x", table.t))
                    .load(&mut conn)
                    .expect("dump table");
                for r in rows {
                    out.extend(r.t.into_bytes());
                    out.push(b'\n');
                }
            }
            out
        }
    }
}

/// Decrypts the single stored contact with the development master key.
pub fn decrypt_only_contact(app: &TestApp) -> Value {
    use base64::Engine;
    use diesel::prelude::*;
    use saferelay::db::schema::signal_contacts::dsl as sc;
    let keys: Value = serde_json::from_str(&std::fs::read_to_string(&app.key_file).unwrap()).unwrap();
    let ring = saferelay::crypto::MasterKeyRing::new(
        keys["master"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| {
                let secret = base64::engine::general_purpose::STANDARD.decode(k["secret"].as_str().unwrap()).unwrap();
                (k["kid"].as_str().unwrap().to_string(), secret)
            })
            .collect(),
    )
    .unwrap();
    let (signal_id, key_id, wrapped_key, ciphertext): (String, String, Vec<u8>, Vec<u8>) = sc::signal_contacts
        .select((sc::signal_id, sc::key_id, sc::wrapped_key, sc::ciphertext))
        .first(&mut app.db())
        .unwrap();
    let sealed = saferelay::crypto::Sealed { key_id, wrapped_key, ciphertext };
    let plain = ring.open(saferelay::crypto::Purpose::Contact, &sealed, signal_id.as_bytes()).unwrap();
    serde_json::from_slice(&plain).unwrap()
}
