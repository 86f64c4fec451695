//! `CsvBody`: the body extractor of CSV uploads. It requires `text/csv`, enforces
//! its own limit (`SAFERELAY_MAX_CSV_BYTES`, larger than the JSON limit: 1,800
//! pharmacies are a few hundred KiB) and answers 413, 415 and 400 as problem+json.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};

use super::body::{BodyKind, PendingBody};
use super::error::AppError;

/// Largest accepted CSV body, in bytes (set from `Settings::max_csv_bytes`).
#[derive(Clone, Copy)]
pub struct CsvLimit(pub usize);

/// A CSV request body, read whole and checked to be UTF-8.
pub struct CsvBody(Result<String, AppError>);

impl CsvBody {
    /// The text, or why it could not be read; asked for after the role check.
    pub fn into_inner(self) -> Result<String, AppError> {
        self.0
    }
}

/// The `code` of a body that cannot be read or is not UTF-8.
const CODE: &str = "malformed_csv";

fn unreadable(detail: &str) -> AppError {
    AppError::BadRequest { code: CODE, detail: detail.into(), errors: vec![] }
}

impl FromRequest for CsvBody {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req.app_data::<CsvLimit>().map_or(16 * 1024 * 1024, |l| l.0);
        let kind = BodyKind { accepts: |essence| essence == "text/csv", expected: "text/csv", unreadable_code: CODE };
        let body = PendingBody::take(req, payload, kind, limit);
        Box::pin(async move { Ok(CsvBody(body.read().await.and_then(|body| text(&body)))) })
    }
}

fn text(body: &[u8]) -> Result<String, AppError> {
    // Spreadsheets often save with a byte-order mark; it is not part of the header.
    let bytes = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    String::from_utf8(bytes.to_vec()).map_err(|_| unreadable("The CSV file must be UTF-8."))
}
