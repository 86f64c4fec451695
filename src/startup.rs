//! `Application`: builds the pool, applies migrations, creates the first admin on
//! an empty database, and runs the HTTP server on a given listener (port 0 in
//! tests, so every test gets the real app on its own port).

use crate::domain::{Email, StaffLanguage};
use crate::domain::{Role, Scope};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};
use anyhow::Context;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::{Environment, Settings};
use crate::crypto::MasterKeyRing;
use crate::crypto::keys::{load_or_create_key_file, parse_key_list};
use crate::crypto::password::PasswordHasher;
use crate::crypto::tokens::TokenKeys;
use crate::db::{self, DatabaseUrl, Db};
use crate::http::csv::CsvLimit;
use crate::http::error::AppError;
use crate::http::fallback::{RouteTable, not_matched};
use crate::http::json::BodyLimit;
use crate::mail::Mailer;
use crate::metrics::Metrics;
use crate::state::AppState;
use crate::users::service::{self as users, NewAccount, insert_account};

/// A built, not yet running, application.
pub struct Application {
    port: u16,
    server: Server,
    /// The separate metrics listener (`SAFERELAY_METRICS_ADDR`), if any.
    metrics: Option<(u16, Server)>,
    /// Tells background workers to stop between jobs.
    stop: tokio::sync::watch::Sender<bool>,
    /// The first admin's one-time password, when this start created that account.
    pub bootstrap_admin: Option<(String, String)>,
}

/// Opens the pool and applies pending migrations (the `migrate` command and start-up).
pub async fn connect_and_migrate(settings: &Settings) -> anyhow::Result<Db> {
    let url = DatabaseUrl::parse(&settings.database_url).map_err(anyhow::Error::msg)?;
    let pool = db::build_pool(&url, settings.db_pool_size, Duration::from_secs(settings.db_timeout_secs));
    let db = Db::new(pool, url.backend()).with_group_commit_on_postgres(settings.pg_group_commit);
    let applied = db
        .run(|c| db::run_migrations(c).map_err(|e| anyhow::anyhow!("migrations failed: {e}")))
        .await
        .context("applying migrations")?;
    if !applied.is_empty() {
        tracing::info!(count = applied.len(), "migrations applied");
    }
    Ok(db)
}

/// Loads the access-token keys and contact master keys: configured ones, else
/// (development only) the key file.
pub fn load_keys(settings: &Settings) -> anyhow::Result<(TokenKeys, MasterKeyRing)> {
    let file = match (&settings.jwt_keys, &settings.master_keys, settings.env) {
        (Some(_), Some(_), _) => None,
        (_, _, Environment::Development) => {
            Some(load_or_create_key_file(&development_key_file(settings)?).map_err(anyhow::Error::msg)?)
        }
        (_, _, Environment::Production) => {
            anyhow::bail!("production mode requires SAFERELAY_JWT_KEYS and SAFERELAY_MASTER_KEYS")
        }
    };
    let jwt = match (&settings.jwt_keys, &file) {
        (Some(list), _) => parse_key_list(list).map_err(anyhow::Error::msg)?,
        (None, Some(f)) => f.jwt.clone(),
        (None, None) => anyhow::bail!("no JWT keys"),
    };
    let master = match (&settings.master_keys, &file) {
        (Some(list), _) => parse_key_list(list).map_err(anyhow::Error::msg)?,
        (None, Some(f)) => f.master.clone(),
        (None, None) => anyhow::bail!("no master keys"),
    };
    let tokens = TokenKeys::new(&jwt, &settings.jwt_issuer, &settings.jwt_audience, settings.access_token_ttl_secs)
        .map_err(anyhow::Error::msg)?;
    let master = master
        .iter()
        .map(|k| Ok((k.kid.clone(), k.secret_bytes()?)))
        .collect::<Result<Vec<_>, String>>()
        .and_then(MasterKeyRing::new)
        .map_err(anyhow::Error::msg)?;
    Ok((tokens, master))
}

/// The development key file, its folder created (mode 0700) if need be. A key file
/// of an earlier version in the working folder is still used (with a warning) when
/// none is configured and the default does not exist yet.
fn development_key_file(settings: &Settings) -> anyhow::Result<PathBuf> {
    let path = settings.key_file_path().map_err(anyhow::Error::msg)?;
    let legacy = Path::new(Settings::LEGACY_KEY_FILE);
    if settings.key_file.trim().is_empty() && !path.exists() && legacy.exists() {
        tracing::warn!(
            legacy = %legacy.display(),
            default = %path.display(),
            "using the key file next to the database; move it to the default place or set SAFERELAY_KEY_FILE"
        );
        return Ok(legacy.to_path_buf());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .with_context(|| format!("creating {}", dir.display()))?;
    }
    Ok(path)
}

/// Creates the first admin when the database has no account at all; returns its
/// e-mail and one-time password.
pub async fn bootstrap_admin(state: &AppState) -> anyhow::Result<Option<(String, String)>> {
    let email = Email::parse(&state.settings.bootstrap_admin_email)
        .map_err(|_| anyhow::anyhow!("invalid bootstrap_admin_email"))?;
    if state.db.run(users::count).await.map_err(|e| anyhow::anyhow!("{e}"))? > 0 {
        return Ok(None);
    }
    let password = crate::crypto::password::generate_password();
    let hash = state.hasher.hash(password.clone()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let account = NewAccount::new(email.clone(), Role::Admin, Scope::default(), StaffLanguage::En)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let created = state
        .db
        .write(move |c| {
            // Another instance may have bootstrapped meanwhile: count again inside the transaction.
            if users::count(c)? > 0 {
                return Ok(None);
            }
            insert_account(c, account, &hash).map(Some)
        })
        .await
        .map_err(|e: AppError| anyhow::anyhow!("{e}"))?;
    Ok(created.map(|_| (email.as_str().to_string(), password)))
}

/// Everything the handlers and jobs share: database (migrated), keys, hasher, mailer.
pub async fn build_state(settings: Settings) -> anyhow::Result<web::Data<AppState>> {
    let db = connect_and_migrate(&settings).await?;
    let (tokens, master_keys) = load_keys(&settings)?;
    let master_keys = std::sync::Arc::new(master_keys);
    let fingerprint_key = crate::signals::service::load_fingerprint_key(&db, &master_keys)
        .await
        .map_err(|e| anyhow::anyhow!("idempotency fingerprint key: {e}"))?;
    let push_key =
        crate::push::service::load_key(&db, &master_keys).await.map_err(|e| anyhow::anyhow!("Web Push key: {e}"))?;
    let sealed = crate::routing::service::seal_plaintext_webhook_secrets(&db, &master_keys)
        .await
        .map_err(|e| anyhow::anyhow!("sealing webhook secrets: {e}"))?;
    if sealed > 0 {
        tracing::info!(count = sealed, "webhook secrets stored in plaintext were sealed");
    }
    let metrics = Metrics::new();
    let hasher = PasswordHasher::new(settings.hash_concurrency)
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .counting(metrics.password_hashes.clone());
    let mailer = Mailer::from_settings(&settings)?;
    Ok(web::Data::new(AppState {
        settings,
        db,
        tokens,
        hasher,
        master_keys,
        fingerprint_key: std::sync::Arc::new(fingerprint_key),
        push_key: std::sync::Arc::new(push_key),
        metrics,
        mailer,
        network: std::sync::Arc::default(),
        training_statuses: std::sync::Arc::default(),
    }))
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let listener = TcpListener::bind((settings.host.as_str(), settings.port))
            .with_context(|| format!("binding {}:{}", settings.host, settings.port))?;
        let port = listener.local_addr()?.port();
        let metrics_listener = match &settings.metrics_addr {
            Some(addr) => Some(TcpListener::bind(addr).with_context(|| format!("binding the metrics address {addr}"))?),
            None => None,
        };
        let state = build_state(settings).await?;
        let bootstrap_admin = bootstrap_admin(&state).await?;
        let (stop, stopped) = tokio::sync::watch::channel(false);
        tokio::spawn(crate::outbox::worker::run(state.clone(), stopped));
        tokio::spawn(crate::outbox::account_mail::run(state.clone(), stop.subscribe()));
        tokio::spawn(crate::helpline::escalation::run(state.clone(), stop.subscribe()));
        tokio::spawn(key_usage_job(state.clone(), stop.subscribe()));
        if state.settings.reminders_enabled {
            let interval = Duration::from_secs(state.settings.reminder_interval_secs);
            tokio::spawn(crate::training::reminders::run_forever(state.db.clone(), state.mailer.clone(), interval));
        }
        if state.settings.retention_enabled {
            let interval = Duration::from_secs(state.settings.retention_interval_secs);
            let policy = crate::retention::Policy::from_settings(&state.settings);
            tokio::spawn(crate::retention::run_forever(
                state.db.clone(),
                state.mailer.clone(),
                policy,
                interval,
                stop.subscribe(),
            ));
        }
        let metrics = match metrics_listener {
            Some(l) => Some((l.local_addr()?.port(), metrics_server(l, state.clone())?)),
            None => None,
        };
        let server = run(listener, state)?;
        Ok(Self { port, server, metrics, stop, bootstrap_admin })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port of the separate metrics listener, when one is configured.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|(port, _)| *port)
    }

    /// Serves until the server stops (SIGINT/SIGTERM: in-flight requests finish),
    /// then tells the workers to stop after their current job.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let metrics = self.metrics.map(|(_, server)| {
            let handle = server.handle();
            tokio::spawn(server);
            handle
        });
        let result = self.server.await;
        if let Some(handle) = metrics {
            handle.stop(true).await;
        }
        let _ = self.stop.send(true);
        result
    }
}

/// Keeps the key-usage gauges current: at start, then every minute (so the metric
/// follows a `rotate-keys` run in another process).
async fn key_usage_job(state: web::Data<AppState>, mut stop: tokio::sync::watch::Receiver<bool>) {
    while !*stop.borrow() {
        match crate::rotation::service::usage(&state.db).await {
            Ok(usage) => {
                let rows: Vec<(&str, &str, i64)> =
                    usage.all().map(|(p, u)| (p.as_str(), u.key_id.as_str(), u.rows)).collect();
                state.metrics.set_key_usage(&rows, usage.pending(state.master_keys.current_key_id()));
            }
            Err(e) => tracing::warn!(error = %e, "counting sealed values per key failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(60)) => {}
            _ = stop.changed() => {}
        }
    }
}

fn run(listener: TcpListener, state: web::Data<AppState>) -> anyhow::Result<Server> {
    // The document is built once, serialised once and shared by every worker (as
    // the JSON bytes, not as the document: fewer copies resident).
    let (route_table, api_json) = {
        let api = crate::openapi::spec();
        let json = api.to_json().map_err(|e| anyhow::anyhow!("serialising the OpenAPI document: {e}"))?;
        (web::Data::new(RouteTable::from_openapi(&api)), web::Bytes::from(json))
    };
    let body_limit = BodyLimit(state.settings.max_body_bytes);
    let csv_limit = CsvLimit(state.settings.max_csv_bytes);
    // One HTTP worker per core: the database work runs on the blocking pool, so
    // workers only parse, route and answer. (PostgreSQL had four on two cores: the
    // benchmark measured the same intake with two, and 10 MB less resident memory,
    // each worker holding its own app and allocator arena.)
    let workers = match state.settings.http_workers {
        0 => std::thread::available_parallelism().map_or(2, std::num::NonZero::get),
        n => n,
    };
    let cors_origins: Vec<String> =
        state.settings.cors_origins.split(',').map(str::trim).filter(|o| !o.is_empty()).map(String::from).collect();
    let slow_client = Duration::from_secs(10);
    let server = HttpServer::new(move || {
        // Each worker builds its own app; the document it collects on the way is
        // dropped (the shared one above is served), so it starts from an empty base.
        let (app, _) = App::new()
            .into_utoipa_app()
            .app_data(state.clone())
            .app_data(route_table.clone())
            .app_data(body_limit)
            .app_data(csv_limit)
            .app_data(web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()))
            .app_data(web::QueryConfig::default().error_handler(|e, _| {
                AppError::BadRequest {
                    code: "invalid_query",
                    detail: format!("Invalid query string: {e}"),
                    errors: vec![],
                }
                .into()
            }))
            .configure(crate::openapi::routes)
            .split_for_parts();
        let api_json = api_json.clone();
        app.service(SwaggerUi::new("/docs/{_:.*}").config(utoipa_swagger_ui::Config::new(["/openapi.json"])))
            .route(
                "/openapi.json",
                web::get().to(move || {
                    let body = api_json.clone();
                    async move { HttpResponse::Ok().content_type("application/json").body(body) }
                }),
            )
            .configure(crate::console::configure)
            .configure(crate::relay_app::configure)
            .default_service(web::to(not_matched))
            .wrap(from_fn(crate::ops::middleware::observe))
            .wrap(cors(&cors_origins))
            .wrap(Compress::default())
    })
    .workers(workers)
    // A client that sends its request head or body too slowly is cut off.
    .client_request_timeout(slow_client)
    .client_disconnect_timeout(Duration::from_secs(2))
    .shutdown_timeout(30)
    .listen(listener)?
    .run();
    Ok(server)
}

/// `/metrics` alone, on its own listener, for the scraper.
fn metrics_server(listener: TcpListener, state: web::Data<AppState>) -> anyhow::Result<Server> {
    let server = HttpServer::new(move || {
        App::new().app_data(state.clone()).route("/metrics", web::get().to(crate::ops::routes::render))
    })
    .workers(1)
    .shutdown_timeout(5)
    .listen(listener)?
    .run();
    Ok(server)
}

/// CORS: only the configured origins may call the API from a browser; with none
/// configured, cross-origin browser calls are refused.
fn cors(origins: &[String]) -> actix_cors::Cors {
    let mut cors = actix_cors::Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            actix_web::http::header::AUTHORIZATION,
            actix_web::http::header::CONTENT_TYPE,
            actix_web::http::header::HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers(["x-request-id", "retry-after", "location"])
        .max_age(600);
    for origin in origins {
        cors = cors.allowed_origin(origin);
    }
    cors
}
