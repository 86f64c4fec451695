//! The console's static files, embedded in the binary (no CDN, no build step).
//! They hold no personal data, so unlike every other answer they may be cached.

use actix_web::{HttpResponse, web};

/// `(name, content type, bytes)`.
const ASSETS: &[(&str, &str, &[u8])] = &[
    ("console.css", "text/css; charset=utf-8", include_bytes!("../../assets/console/console.css")),
    ("console.js", "text/javascript; charset=utf-8", include_bytes!("../../assets/console/console.js")),
];

pub async fn serve(name: web::Path<String>) -> HttpResponse {
    match ASSETS.iter().find(|(n, _, _)| *n == name.as_str()) {
        Some((_, content_type, bytes)) => HttpResponse::Ok()
            .content_type(*content_type)
            .insert_header(("cache-control", "public, max-age=300"))
            .body(*bytes),
        None => HttpResponse::NotFound().content_type("text/plain; charset=utf-8").body("Not found"),
    }
}
