//! Typed settings, read from defaults, then an optional TOML file named by
//! `SAFERELAY_CONFIG`, then `SAFERELAY_*` environment variables (which win).
//! Unknown keys are rejected so a typo never silently falls back to a default.
//! Secrets are never printed: `Debug` redacts them.

use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;

use crate::domain::Role;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// Deployment mode. Production refuses unsafe defaults (generated keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Development,
    Production,
}

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable when standard output is a terminal, JSON otherwise.
    Auto,
    Json,
    Pretty,
}

/// Every setting, with its environment variable and default.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// `SAFERELAY_ENV`: `development` (default) or `production`. Left unset, the
    /// server only binds a loopback address; a development server on another
    /// address needs `SAFERELAY_ENV=development` given explicitly.
    pub env: Environment,
    /// Whether `env` was given (file or environment) rather than defaulted.
    #[serde(skip)]
    pub env_explicit: bool,
    /// `SAFERELAY_HOST`: address to bind. Default `127.0.0.1`.
    pub host: String,
    /// `SAFERELAY_PORT`: port to bind (0 picks a free one). Default `8080`.
    pub port: u16,
    /// `SAFERELAY_PUBLIC_URL`: base URL people reach the service at, used in links.
    /// Default `http://localhost:8080`.
    pub public_url: String,
    /// `SAFERELAY_DATABASE_URL`: `sqlite://path` or `postgres://…`.
    /// Default `sqlite://saferelay.db` (created and migrated on first start).
    pub database_url: String,
    /// `SAFERELAY_DB_POOL_SIZE`: connections in the pool. Default `8`.
    pub db_pool_size: u32,
    /// `SAFERELAY_DB_TIMEOUT_SECS`: wait for a pooled connection before answering
    /// 503. Default `5`.
    pub db_timeout_secs: u64,
    /// `SAFERELAY_HTTP_WORKERS`: threads answering HTTP. Default `0`: one per core.
    pub http_workers: usize,
    /// `SAFERELAY_PG_GROUP_COMMIT`: on PostgreSQL, commit the writes of concurrent
    /// signals in groups (one transaction, one WAL flush), as SQLite always does.
    /// Default `false`.
    pub pg_group_commit: bool,
    /// `SAFERELAY_MAX_BODY_BYTES`: largest accepted request body. Default `65536`.
    pub max_body_bytes: usize,
    /// `SAFERELAY_KEY_FILE`: development only — where generated signing keys are
    /// kept (created with mode 0600, its folder 0700). Default (empty): `keys.json`
    /// in `$XDG_DATA_HOME/saferelay/`, else `~/.local/share/saferelay/` — never
    /// next to the database, so a copy of the database folder is not a copy of the
    /// keys that open it.
    pub key_file: String,
    /// `SAFERELAY_JWT_KEYS`: access-token signing keys as `kid:base64secret` pairs
    /// separated by commas; the first signs, all verify (rotation). Required in
    /// production; in development a key file is generated when unset.
    pub jwt_keys: Option<String>,
    /// `SAFERELAY_MASTER_KEYS`: contact master keys as `kid:base64(32 bytes)` pairs
    /// separated by commas; the first wraps new data keys, all unwrap (rotation).
    /// Required in production; in development kept in the key file when unset.
    pub master_keys: Option<String>,
    /// `SAFERELAY_SIGNAL_RATE_LIMIT_PER_HOUR`: signals one relay point may file per
    /// hour before getting 429 (at least 1, so a first signal is never refused).
    /// Default `30`.
    pub signal_rate_limit_per_hour: u32,
    /// `SAFERELAY_OUTBOX_POLL_MILLIS`: how often an idle outbox worker looks for
    /// due deliveries. Default `500`.
    pub outbox_poll_millis: u64,
    /// `SAFERELAY_OUTBOX_LEASE_SECS`: how long a worker holds a delivery before
    /// another may retry it (covers a crash mid-delivery). Default `120`.
    pub outbox_lease_secs: u64,
    /// `SAFERELAY_DELIVERY_DEADLINE_MINUTES`: after this long without success a
    /// delivery is dead-lettered and supervisors are alerted. Default `60`.
    pub delivery_deadline_minutes: u64,
    /// `SAFERELAY_LOGIN_DELAY_AFTER`: failed sign-ins on one account before each
    /// further attempt waits (1 s, doubling). Default `5`.
    pub login_delay_after: i32,
    /// `SAFERELAY_LOGIN_LOCK_AFTER`: failed sign-ins that lock an account for
    /// `SAFERELAY_LOGIN_LOCK_MINUTES` (default `30`) and e-mail its owner. Default `10`.
    pub login_lock_after: i32,
    pub login_lock_minutes: i64,
    /// `SAFERELAY_LOGIN_ADDRESS_DELAY_AFTER`: failed sign-ins from one client address
    /// (any accounts) before its attempts wait. Default `20`.
    pub login_address_delay_after: i32,
    /// `SAFERELAY_TRUSTED_PROXIES`: comma-separated CIDRs of the reverse proxies in
    /// front of SafeRelay (e.g. `10.0.0.0/8,127.0.0.1/32`). A request from one of them
    /// has its client address taken from `X-Forwarded-For`: the rightmost address
    /// not in the list. Default: none (the TCP peer is the client).
    pub trusted_proxies: String,
    /// `SAFERELAY_REQUIRE_TOTP`: require a second factor (TOTP) for the roles of
    /// `require_totp_roles`. Default: on in production, off in development.
    pub require_totp: Option<bool>,
    /// `SAFERELAY_REQUIRE_TOTP_ROLES`: comma-separated roles that must sign in with a
    /// second factor when the policy is on (every role may enrol one). Default:
    /// `admin,helpline_operator,helpline_supervisor`.
    pub require_totp_roles: String,
    /// `SAFERELAY_METRICS_ADDR`: serve `/metrics` on this separate address (e.g.
    /// `127.0.0.1:9090`) for the scraper only. Unset: `/metrics` is on the public
    /// listener in development, and nowhere in production.
    pub metrics_addr: Option<String>,
    /// `SAFERELAY_CORS_ORIGINS`: comma-separated origins allowed to call the API
    /// from a browser (e.g. `https://app.example.be`). Default: none.
    pub cors_origins: String,
    /// `SAFERELAY_HSTS`: send `Strict-Transport-Security` (set when served behind TLS;
    /// always on in production). Default `false`.
    pub hsts: bool,
    /// `SAFERELAY_REQUEST_TIMEOUT_SECS`: a request still unanswered after this long
    /// gets 503. Default `30`.
    pub request_timeout_secs: u64,
    /// `SAFERELAY_ESCALATION_INTERVAL_SECS`: how often unclaimed signals are checked
    /// for escalation to supervisors. Default `60`.
    pub escalation_interval_secs: u64,
    /// `SAFERELAY_WEBHOOK_TIMEOUT_SECS`: timeout of one webhook request. Default `10`.
    pub webhook_timeout_secs: u64,
    /// `SAFERELAY_JWT_ISSUER`: `iss` of access tokens. Default `saferelay`.
    pub jwt_issuer: String,
    /// `SAFERELAY_JWT_AUDIENCE`: `aud` of access tokens. Default `saferelay-api`.
    pub jwt_audience: String,
    /// `SAFERELAY_ACCESS_TOKEN_TTL_SECS`: access-token lifetime, 60–900. Default `900`.
    pub access_token_ttl_secs: u64,
    /// `SAFERELAY_REFRESH_TOKEN_TTL_DAYS`: refresh-token lifetime. Default `30`.
    pub refresh_token_ttl_days: u64,
    /// `SAFERELAY_SESSION_LIFETIME_SECS`: absolute lifetime of a sign-in (a refresh
    /// family) for every role but relay staff: after it, refreshing fails and the
    /// person signs in again. Default `43200` (12 hours).
    pub session_lifetime_secs: u64,
    /// `SAFERELAY_RELAY_STAFF_SESSION_LIFETIME_SECS`: the same for relay staff.
    /// Default `2592000` (30 days).
    pub relay_staff_session_lifetime_secs: u64,
    /// `SAFERELAY_RESET_REQUESTS_PER_ACCOUNT`: password-reset requests for one
    /// address per hour that send an e-mail; later ones answer the same 202 and send
    /// nothing. Default `3`.
    pub reset_requests_per_account: i32,
    /// `SAFERELAY_RESET_REQUESTS_PER_ADDRESS`: password-reset requests from one
    /// client address per hour before 429. Default `10`.
    pub reset_requests_per_address: i32,
    /// `SAFERELAY_TOKEN_FAILURES_PER_ADDRESS`: unknown, used or expired invitation
    /// and reset tokens presented from one client address per hour before 429.
    /// Default `10`.
    pub token_failures_per_address: i32,
    /// `SAFERELAY_HASH_CONCURRENCY`: password hashes computed at once, each on its
    /// own thread with a 19 MiB work area (~20 ms of a core per hash). Default `1`:
    /// about 50 sign-ins a second, far more than staff need, and a guessing wave
    /// costs one core at most (at idle priority) and 19 MiB.
    pub hash_concurrency: usize,
    /// `SAFERELAY_BOOTSTRAP_ADMIN_EMAIL`: account created on first start against an
    /// empty database. Default `admin@saferelay.local`.
    pub bootstrap_admin_email: String,
    /// `SAFERELAY_LOG_FORMAT`: `auto` (default: `pretty` on a terminal, `json`
    /// otherwise), `json` or `pretty`.
    pub log_format: LogFormat,
    /// `SAFERELAY_LOG_LEVEL`: tracing filter. Default `info`.
    pub log_level: String,
    /// `SAFERELAY_MAX_CSV_BYTES`: largest accepted CSV upload (relay-point and
    /// completion imports). Default `16777216` (16 MiB, ~100,000 relay rows).
    pub max_csv_bytes: usize,
    /// `SAFERELAY_SMTP_URL`: SMTP server for outgoing mail, as
    /// `smtps://user:pass@host:465` (implicit TLS), `smtp://user:pass@host:587?tls=required`
    /// (STARTTLS) or `smtp://host:25` (no TLS: local relays and tests only). Unset:
    /// mail is written as files into `mail_dir` (development; refused in production).
    pub smtp_url: Option<String>,
    /// `SAFERELAY_MAIL_FROM`: sender of every e-mail. Default
    /// `SafeRelay <no-reply@saferelay.local>`.
    pub mail_from: String,
    /// `SAFERELAY_MAIL_DIR`: folder the file transport writes `.eml` files into when
    /// no SMTP server is configured. Default `mail-outbox`.
    pub mail_dir: String,
    /// `SAFERELAY_REMINDERS_ENABLED`: run the training-reminder job inside `serve`.
    /// Default `true`; with several instances it may run on all (sends stay once).
    pub reminders_enabled: bool,
    /// `SAFERELAY_REMINDER_INTERVAL_SECS`: how often the job runs. Default `3600`.
    pub reminder_interval_secs: u64,
    /// `SAFERELAY_RETENTION_ENABLED`: run the retention job (contact destruction,
    /// expiry, minimisation, rollups, purges) inside `serve`. Default `true`; safe
    /// on several instances (each step is a conditional update in a transaction).
    pub retention_enabled: bool,
    /// `SAFERELAY_RETENTION_INTERVAL_SECS`: how often the retention job runs.
    /// Default `900` (a contact outlives its maximum by at most this long).
    pub retention_interval_secs: u64,
    /// `SAFERELAY_CONTACT_RETENTION_DAYS`: maximum life of a contact, 1–30. An open
    /// signal this old is `expired` and its contact destroyed; its helpline's
    /// supervisors are warned 24 hours before. Default `7`.
    pub contact_retention_days: u32,
    /// `SAFERELAY_ROLLUP_AFTER_MONTHS`: calendar months (Europe/Brussels) after which
    /// signals are rolled up into anonymous monthly aggregates and deleted, 2–120.
    /// Default `13`.
    pub rollup_after_months: u32,
    /// `SAFERELAY_AUDIT_RETENTION_DAYS`: audit rows older than this are deleted
    /// (rows of rolled-up signals go earlier, with them). Default `365`.
    pub audit_retention_days: u32,
    /// `SAFERELAY_DELIVERY_RETENTION_DAYS`: finished deliveries (`delivered`, `dead`,
    /// `cancelled`) and their attempt log are deleted this long after they finished.
    /// Default `30`.
    pub delivery_retention_days: u32,
    /// `SAFERELAY_CONSOLE_IDLE_MINUTES`: a console (browser) session that has seen no
    /// page or action for this long is signed out, 1–720. Default `30`.
    pub console_idle_minutes: u32,
    /// `SAFERELAY_RELAY_LOCK_SECS`: the relay app locks itself after this long
    /// without a touch or key (or hidden this long), asking for the staff member's
    /// password again, for shared counter devices; 5–3600. Default `300`.
    pub relay_lock_secs: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            env: Environment::Development,
            env_explicit: false,
            host: "127.0.0.1".into(),
            port: 8080,
            public_url: "http://localhost:8080".into(),
            database_url: "sqlite://saferelay.db".into(),
            db_pool_size: 8,
            db_timeout_secs: 5,
            pg_group_commit: false,
            http_workers: 0,
            max_body_bytes: 64 * 1024,
            key_file: String::new(),
            jwt_keys: None,
            master_keys: None,
            signal_rate_limit_per_hour: 30,
            outbox_poll_millis: 500,
            outbox_lease_secs: 120,
            delivery_deadline_minutes: 60,
            webhook_timeout_secs: 10,
            escalation_interval_secs: 60,
            metrics_addr: None,
            cors_origins: String::new(),
            require_totp: None,
            require_totp_roles: "admin,helpline_operator,helpline_supervisor".into(),
            login_delay_after: 5,
            login_lock_after: 10,
            login_lock_minutes: 30,
            login_address_delay_after: 20,
            trusted_proxies: String::new(),
            hsts: false,
            request_timeout_secs: 30,
            jwt_issuer: "saferelay".into(),
            jwt_audience: "saferelay-api".into(),
            access_token_ttl_secs: 900,
            refresh_token_ttl_days: 30,
            session_lifetime_secs: 12 * 3600,
            relay_staff_session_lifetime_secs: 30 * 24 * 3600,
            reset_requests_per_account: 3,
            reset_requests_per_address: 10,
            token_failures_per_address: 10,
            hash_concurrency: 1,
            bootstrap_admin_email: "admin@saferelay.local".into(),
            log_format: LogFormat::Auto,
            log_level: "info".into(),
            max_csv_bytes: 16 * 1024 * 1024,
            smtp_url: None,
            mail_from: "SafeRelay <no-reply@saferelay.local>".into(),
            mail_dir: "mail-outbox".into(),
            reminders_enabled: true,
            reminder_interval_secs: 3600,
            retention_enabled: true,
            retention_interval_secs: 900,
            contact_retention_days: 7,
            rollup_after_months: 13,
            audit_retention_days: 365,
            delivery_retention_days: 30,
            console_idle_minutes: 30,
            relay_lock_secs: 300,
        }
    }
}

/// Environment variables with the prefix that are not settings.
const NOT_SETTINGS: &[&str] = &["config", "test_database_url"];

impl Settings {
    /// Loads settings from the file named by `SAFERELAY_CONFIG` (if any) and the
    /// environment.
    pub fn load() -> Result<Self, String> {
        // What the file and the environment give, without the defaults.
        let mut given = Figment::new();
        if let Ok(path) = std::env::var("SAFERELAY_CONFIG") {
            given = given.merge(Toml::file_exact(path));
        }
        given = given.merge(Env::prefixed("SAFERELAY_").ignore(NOT_SETTINGS));
        let figment = Figment::from(Serialized::defaults(Settings::default())).merge(given.clone());
        let mut settings: Settings = figment.extract().map_err(|e| e.to_string())?;
        settings.env_explicit = given.find_value("env").is_ok();
        settings.validate()?;
        Ok(settings)
    }

    /// The trusted proxies' networks (checked by `validate`).
    pub fn trusted_proxy_nets(&self) -> Result<Vec<ipnet::IpNet>, String> {
        self.trusted_proxies
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| {
                c.parse::<ipnet::IpNet>()
                    .or_else(|_| c.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .map_err(|_| format!("trusted_proxies: {c} is not a CIDR or an IP address"))
            })
            .collect()
    }

    /// Whether the public listener answers `/metrics`: only in development, and only
    /// when no separate metrics address is set.
    pub fn metrics_on_public_listener(&self) -> bool {
        self.metrics_addr.is_none() && self.env != Environment::Production
    }

    /// Where helplines' webhooks may point: HTTPS to public addresses in production;
    /// also HTTP to loopback in development.
    pub fn webhook_policy(&self) -> crate::domain::WebhookPolicy {
        match self.env {
            Environment::Production => crate::domain::WebhookPolicy::Production,
            Environment::Development => crate::domain::WebhookPolicy::Development,
        }
    }

    /// Whether to send `Strict-Transport-Security`: always in production.
    pub fn hsts_enabled(&self) -> bool {
        self.hsts || self.env == Environment::Production
    }

    /// The roles the two-factor policy covers (checked by `validate`).
    pub fn totp_roles(&self) -> Result<Vec<Role>, String> {
        self.require_totp_roles
            .split(',')
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(|r| r.parse::<Role>().map_err(|_| format!("require_totp_roles: {r} is not a role")))
            .collect()
    }

    /// Whether an account of `role` must have a second factor.
    pub fn totp_required_for(&self, role: Role) -> bool {
        // On every authenticated request: compare in place, no list built.
        self.totp_required() && self.require_totp_roles.split(',').any(|r| r.trim() == role.as_str())
    }

    /// The absolute lifetime of a sign-in of `role`, in seconds.
    pub fn session_lifetime_for(&self, role: Role) -> u64 {
        if role == Role::RelayStaff { self.relay_staff_session_lifetime_secs } else { self.session_lifetime_secs }
    }

    /// Whether the two-factor policy is on.
    /// Whether browsers reach the service over https (console cookies are then
    /// `Secure` and `__Host-` prefixed).
    pub fn public_url_is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    pub fn totp_required(&self) -> bool {
        self.require_totp.unwrap_or(self.env == Environment::Production)
    }

    /// Where the development key file is: `key_file` when set, else `keys.json` in
    /// the user's data folder (`$XDG_DATA_HOME/saferelay/`, else
    /// `~/.local/share/saferelay/`).
    pub fn key_file_path(&self) -> Result<PathBuf, String> {
        if !self.key_file.trim().is_empty() {
            return Ok(PathBuf::from(&self.key_file));
        }
        default_key_file(std::env::var_os("XDG_DATA_HOME"), std::env::var_os("HOME"))
    }

    /// The key file of earlier versions, in the working folder (next to the default
    /// database): still read when it exists and the new default does not.
    pub const LEGACY_KEY_FILE: &'static str = "saferelay-keys.json";

    /// Whether the server may bind `host` (and the metrics address): anywhere in
    /// production or in development asked for explicitly; only loopback when
    /// `SAFERELAY_ENV` was left unset.
    fn check_bind_addresses(&self) -> Result<(), String> {
        if self.env == Environment::Production || self.env_explicit {
            return Ok(());
        }
        let metrics_host = self.metrics_addr.as_deref().and_then(|a| a.parse::<std::net::SocketAddr>().ok());
        let public = if is_loopback_host(&self.host) {
            metrics_host.filter(|a| !a.ip().is_loopback()).map(|a| a.to_string())
        } else {
            Some(self.host.clone())
        };
        match public {
            None => Ok(()),
            Some(address) => Err(format!(
                "SAFERELAY_ENV is not set, so this is a development server, which binds only a loopback address \
                 (127.0.0.1, ::1, localhost); {address} is not one. To serve on it, set SAFERELAY_ENV=production \
                 (with the settings production requires), or SAFERELAY_ENV=development to run a development server \
                 there knowingly"
            )),
        }
    }

    /// Checks what types alone cannot.
    pub fn validate(&self) -> Result<(), String> {
        self.check_bind_addresses()?;
        if !(60..=900).contains(&self.access_token_ttl_secs) {
            return Err("access_token_ttl_secs must be between 60 and 900".into());
        }
        if !(1..=720).contains(&self.console_idle_minutes) {
            return Err("console_idle_minutes must be between 1 and 720".into());
        }
        if !(5..=3600).contains(&self.relay_lock_secs) {
            return Err("relay_lock_secs must be between 5 and 3600".into());
        }
        if self.http_workers > 256 {
            return Err("http_workers must be at most 256 (0: one per core)".into());
        }
        if self.hash_concurrency == 0 || self.db_pool_size == 0 {
            return Err("hash_concurrency and db_pool_size must be at least 1".into());
        }
        if self.env == Environment::Production && (self.jwt_keys.is_none() || self.master_keys.is_none()) {
            return Err(
                "production mode requires SAFERELAY_JWT_KEYS and SAFERELAY_MASTER_KEYS (generated keys are for development only)"
                    .into(),
            );
        }
        if self.outbox_lease_secs <= self.webhook_timeout_secs {
            return Err("outbox_lease_secs must exceed webhook_timeout_secs".into());
        }
        if self.session_lifetime_secs == 0 || self.relay_staff_session_lifetime_secs == 0 {
            return Err("session_lifetime_secs and relay_staff_session_lifetime_secs must be at least 1".into());
        }
        if self.reset_requests_per_account < 1
            || self.reset_requests_per_address < 1
            || self.token_failures_per_address < 1
        {
            return Err(
                "reset_requests_per_account, reset_requests_per_address and token_failures_per_address must be at least 1"
                    .into(),
            );
        }
        if self.signal_rate_limit_per_hour == 0 {
            return Err("signal_rate_limit_per_hour must be at least 1".into());
        }
        if self.env == Environment::Production && self.smtp_url.is_none() {
            return Err(
                "production mode requires SAFERELAY_SMTP_URL (the file transport is for development only)".into()
            );
        }
        if self.env == Environment::Production && !self.smtp_url.as_deref().is_some_and(smtp_uses_tls) {
            return Err(
                "production mode requires SMTP over TLS: an smtps:// URL, or smtp://…?tls=required (STARTTLS)".into()
            );
        }
        if self.env == Environment::Production && !self.public_url.starts_with("https://") {
            return Err("production mode requires an https:// SAFERELAY_PUBLIC_URL".into());
        }
        if self.reminder_interval_secs == 0 {
            return Err("reminder_interval_secs must be at least 1".into());
        }
        if self.retention_interval_secs == 0 {
            return Err("retention_interval_secs must be at least 1".into());
        }
        if !(1..=30).contains(&self.contact_retention_days) {
            return Err("contact_retention_days must be between 1 and 30".into());
        }
        if !(2..=120).contains(&self.rollup_after_months) {
            return Err("rollup_after_months must be between 2 and 120".into());
        }
        if self.audit_retention_days == 0 || self.delivery_retention_days == 0 {
            return Err("audit_retention_days and delivery_retention_days must be at least 1".into());
        }
        self.trusted_proxy_nets()?;
        self.totp_roles()?;
        if let Some(addr) = &self.metrics_addr {
            addr.parse::<std::net::SocketAddr>().map_err(|_| format!("metrics_addr: {addr} is not host:port"))?;
        }
        self.mail_from.parse::<lettre::message::Mailbox>().map_err(|e| format!("mail_from: {e}"))?;
        crate::db::DatabaseUrl::parse(&self.database_url)?;
        Ok(())
    }
}

/// `localhost`, or an IP address in 127.0.0.0/8 or `::1`.
fn is_loopback_host(host: &str) -> bool {
    let host = host.trim().trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// `keys.json` in the user's data folder: `$XDG_DATA_HOME/saferelay/` (when it is an
/// absolute path), else `$HOME/.local/share/saferelay/`.
fn default_key_file(xdg_data_home: Option<OsString>, home: Option<OsString>) -> Result<PathBuf, String> {
    let data = xdg_data_home
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| home.map(PathBuf::from).filter(|p| p.is_absolute()).map(|h| h.join(".local").join("share")))
        .ok_or("no data folder for the development key file (neither XDG_DATA_HOME nor HOME is set): set SAFERELAY_KEY_FILE")?;
    Ok(data.join("saferelay").join("keys.json"))
}

/// An SMTP URL whose connection is encrypted: implicit TLS (`smtps://`) or STARTTLS
/// that must succeed (`smtp://…?tls=required`), never opportunistic or plain.
fn smtp_uses_tls(url: &str) -> bool {
    if url.starts_with("smtps://") {
        return true;
    }
    url.starts_with("smtp://")
        && url.split_once('?').is_some_and(|(_, query)| query.split('&').any(|kv| kv == "tls=required"))
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("env", &self.env)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("database", &crate::db::DatabaseUrl::parse(&self.database_url).map(|u| u.backend()).ok())
            .field("jwt_keys", &self.jwt_keys.as_ref().map(|_| "[redacted]"))
            .field("master_keys", &self.master_keys.as_ref().map(|_| "[redacted]"))
            .field("smtp_url", &self.smtp_url.as_ref().map(|_| "[redacted]"))
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn production() -> Settings {
        Settings {
            env: Environment::Production,
            jwt_keys: Some("k1:x".into()),
            master_keys: Some("m1:x".into()),
            smtp_url: Some("smtps://mail.example.be".into()),
            public_url: "https://saferelay.example.be".into(),
            ..Settings::default()
        }
    }

    #[test]
    fn production_refuses_smtp_without_tls_and_a_plain_http_public_url() {
        assert_eq!(production().validate(), Ok(()));
        let with = |f: fn(&mut Settings)| {
            let mut s = production();
            f(&mut s);
            s.validate()
        };
        assert!(with(|s| s.smtp_url = Some("smtp://mail.example.be".into())).is_err());
        assert!(with(|s| s.smtp_url = Some("smtp://mail.example.be?tls=opportunistic".into())).is_err());
        assert_eq!(with(|s| s.smtp_url = Some("smtp://mail.example.be:587?tls=required".into())), Ok(()));
        assert!(with(|s| s.public_url = "http://saferelay.example.be".into()).is_err());
        // Development keeps plain SMTP and http for a laptop.
        let dev = Settings { smtp_url: Some("smtp://127.0.0.1:2525".into()), ..Settings::default() };
        assert_eq!(dev.validate(), Ok(()));
    }

    #[test]
    fn metrics_leave_the_public_listener_in_production_or_with_their_own_address() {
        assert!(Settings::default().metrics_on_public_listener());
        assert!(!production().metrics_on_public_listener());
        assert!(
            !Settings { metrics_addr: Some("127.0.0.1:9090".into()), ..Settings::default() }
                .metrics_on_public_listener()
        );
        assert!(Settings { metrics_addr: Some("nowhere".into()), ..Settings::default() }.validate().is_err());
    }

    #[test]
    fn the_two_factor_policy_covers_the_configured_roles() {
        let p = production();
        assert!(p.totp_required_for(Role::Admin) && p.totp_required_for(Role::HelplineOperator));
        assert!(!p.totp_required_for(Role::ProgrammeManager) && !p.totp_required_for(Role::RelayStaff));
        let managers_too = Settings { require_totp_roles: "admin,programme_manager".into(), ..production() };
        assert!(managers_too.totp_required_for(Role::ProgrammeManager));
        assert!(!managers_too.totp_required_for(Role::HelplineOperator));
        assert!(!Settings::default().totp_required_for(Role::Admin), "off in development");
        assert!(Settings { require_totp_roles: "root".into(), ..Settings::default() }.validate().is_err());
    }

    #[test]
    fn an_unset_environment_binds_loopback_only() {
        let implicit = |host: &str| Settings { host: host.into(), ..Settings::default() };
        for host in ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"] {
            assert_eq!(implicit(host).validate(), Ok(()), "{host}");
        }
        for host in ["0.0.0.0", "::", "192.168.1.10", "saferelay.example.be"] {
            let refused = implicit(host).validate().unwrap_err();
            assert!(refused.contains("SAFERELAY_ENV") && refused.contains(host), "{host}: {refused}");
        }
        let metrics = Settings { metrics_addr: Some("0.0.0.0:9090".into()), ..Settings::default() };
        assert!(metrics.validate().is_err());
        // Asked for explicitly, development may bind any address; production too.
        let explicit = Settings { host: "0.0.0.0".into(), env_explicit: true, ..Settings::default() };
        assert_eq!(explicit.validate(), Ok(()));
        assert_eq!(Settings { host: "0.0.0.0".into(), ..production() }.validate(), Ok(()));
    }

    #[test]
    fn the_key_file_defaults_to_the_data_folder_not_next_to_the_database() {
        let xdg = default_key_file(Some("/srv/data".into()), Some("/home/ann".into())).unwrap();
        assert_eq!(xdg, PathBuf::from("/srv/data/saferelay/keys.json"));
        let home = default_key_file(None, Some("/home/ann".into())).unwrap();
        assert_eq!(home, PathBuf::from("/home/ann/.local/share/saferelay/keys.json"));
        // A relative XDG_DATA_HOME is ignored, as the specification says.
        assert_eq!(default_key_file(Some("data".into()), Some("/home/ann".into())).unwrap(), home);
        assert!(default_key_file(None, None).unwrap_err().contains("SAFERELAY_KEY_FILE"));
        // The default database is `saferelay.db` in the working folder: the keys are elsewhere.
        let settings = Settings::default();
        assert_eq!(settings.database_url, "sqlite://saferelay.db");
        if let Ok(path) = settings.key_file_path() {
            assert!(path.is_absolute() && path.parent() != Some(std::path::Path::new("")), "{path:?}");
            assert!(path.ends_with("saferelay/keys.json"), "{path:?}");
        }
        let chosen = Settings { key_file: "/run/keys.json".into(), ..Settings::default() };
        assert_eq!(chosen.key_file_path().unwrap(), PathBuf::from("/run/keys.json"));
    }

    #[test]
    fn production_always_sends_hsts() {
        assert!(production().hsts_enabled());
        assert!(!Settings::default().hsts_enabled());
        assert!(Settings { hsts: true, ..Settings::default() }.hsts_enabled());
    }
}
