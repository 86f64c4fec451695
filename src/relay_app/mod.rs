//! The relay app: the installable web app (PWA) relay staff file signals from,
//! under `/relay/`. It is a client of the public JSON API (`/api/v1`) only — no
//! route here reads or writes data. Its files are embedded in the binary (no CDN,
//! no build step): an HTML shell, its script, the vendored libphonenumber-js
//! (parsing and formatting the number typed), one stylesheet, the web app
//! manifest, icons and a service worker that keeps the shell for offline use and
//! never stores an API answer.

use std::sync::LazyLock;

use actix_web::{HttpResponse, web};
use sha2::{Digest, Sha256};

const INDEX: &[u8] = include_bytes!("../../assets/relay/index.html");
const MANIFEST: &[u8] = include_bytes!("../../assets/relay/manifest.webmanifest");
const SERVICE_WORKER: &str = include_str!("../../assets/relay/sw.js");

/// `(name, content type, bytes)` of `/relay/assets/{name}`.
const ASSETS: &[(&str, &str, &[u8])] = &[
    ("app.js", "text/javascript; charset=utf-8", include_bytes!("../../assets/relay/app.js")),
    ("app.css", "text/css; charset=utf-8", include_bytes!("../../assets/relay/app.css")),
    // Parses and formats the phone number typed (vendored, see assets/vendor/MANIFEST.toml).
    (
        "libphonenumber-min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/vendor/libphonenumber-js/libphonenumber-min.js"),
    ),
    ("icon.svg", "image/svg+xml", include_bytes!("../../assets/relay/icon.svg")),
    ("icon-192.png", "image/png", include_bytes!("../../assets/relay/icon-192.png")),
    ("icon-512.png", "image/png", include_bytes!("../../assets/relay/icon-512.png")),
];

/// The app's version: a digest of every file the worker caches and of the worker
/// itself, so that any change to the app makes browsers install the new version.
static VERSION: LazyLock<String> = LazyLock::new(|| {
    let mut h = Sha256::new();
    h.update(INDEX);
    h.update(MANIFEST);
    h.update(SERVICE_WORKER);
    for (_, _, bytes) in ASSETS {
        h.update(bytes);
    }
    h.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect()
});

/// The service worker with its cache version.
static WORKER: LazyLock<String> = LazyLock::new(|| SERVICE_WORKER.replace("__VERSION__", &VERSION));

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/relay", web::get().to(to_shell)).service(
        web::scope("/relay")
            .route("/", web::get().to(shell))
            .route("/manifest.webmanifest", web::get().to(manifest))
            .route("/sw.js", web::get().to(worker))
            .route("/assets/{name}", web::get().to(asset)),
    );
}

async fn to_shell() -> HttpResponse {
    HttpResponse::PermanentRedirect().insert_header(("location", "/relay/")).finish()
}

/// The shell, with the inactivity lock's delay (`SAFERELAY_RELAY_LOCK_SECS`).
async fn shell(state: web::Data<crate::state::AppState>) -> HttpResponse {
    let html = String::from_utf8_lossy(INDEX).replace("__LOCK_SECONDS__", &state.settings.relay_lock_secs.to_string());
    HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html)
}

async fn manifest() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/manifest+json")
        .insert_header(("cache-control", "public, max-age=300"))
        .body(MANIFEST)
}

/// The worker is checked for updates on every visit (the browser's own update
/// check); its `ETag` is the app's version, so an unchanged app answers `304` with
/// no body. `Service-Worker-Allowed` keeps it to `/relay/`.
async fn worker(req: actix_web::HttpRequest) -> HttpResponse {
    let etag = format!("\"{}\"", &*VERSION);
    let unchanged = req.headers().get("if-none-match").and_then(|v| v.to_str().ok()).is_some_and(|v| v == etag);
    let mut res = if unchanged { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    res.insert_header(("cache-control", "no-cache"))
        .insert_header(("etag", etag))
        .insert_header(("service-worker-allowed", "/relay/"));
    if unchanged { res.finish() } else { res.content_type("text/javascript; charset=utf-8").body(WORKER.as_str()) }
}

/// The text assets gzipped once, at the best level (what a first visit downloads
/// is in the app's budget); `None` for images, already compressed.
static GZIPPED: LazyLock<Vec<Option<Vec<u8>>>> = LazyLock::new(|| {
    use std::io::Write;
    ASSETS
        .iter()
        .map(|(_, content_type, bytes)| {
            if content_type.starts_with("image/png") {
                return None;
            }
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            gz.write_all(bytes).ok()?;
            gz.finish().ok()
        })
        .collect()
});

async fn asset(req: actix_web::HttpRequest, name: web::Path<String>) -> HttpResponse {
    use actix_web::http::header::{AcceptEncoding, ContentEncoding, Encoding, Header};
    let Some(i) = ASSETS.iter().position(|(n, _, _)| *n == name.as_str()) else {
        return HttpResponse::NotFound().content_type("text/plain; charset=utf-8").body("Not found");
    };
    let (_, content_type, bytes) = ASSETS[i];
    let gzip = AcceptEncoding::parse(&req)
        .ok()
        .and_then(|a| a.negotiate([Encoding::gzip(), Encoding::identity()].iter()))
        .is_some_and(|e| e == Encoding::gzip());
    let mut res = HttpResponse::Ok();
    res.content_type(content_type)
        .insert_header(("cache-control", "public, max-age=300"))
        .insert_header(("vary", "accept-encoding"));
    match GZIPPED.get(i).and_then(Option::as_ref) {
        Some(gz) if gzip => res.insert_header(ContentEncoding::Gzip).body(gz.clone()),
        _ => res.body(bytes),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_worker_gets_a_cache_version() {
        assert!(!super::WORKER.contains("__VERSION__"));
    }
}
