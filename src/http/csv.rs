//! `CsvBody`: the body extractor of CSV uploads. It requires `text/csv`, enforces
//! its own limit (`SAFERELAY_MAX_CSV_BYTES`, larger than the JSON limit: 1,800
//! pharmacies are a few hundred KiB) and answers 413, 415 and 400 as problem+json.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;

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

fn unreadable(detail: &str) -> AppError {
    AppError::BadRequest { code: "malformed_csv", detail: detail.into(), errors: vec![] }
}

impl FromRequest for CsvBody {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req.app_data::<CsvLimit>().map_or(16 * 1024 * 1024, |l| l.0);
        let is_csv = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|ct| ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
            .is_some_and(|essence| essence == "text/csv");
        let declared_len = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move { Ok(CsvBody(read(is_csv, declared_len, limit, &mut payload).await)) })
    }
}

async fn read(
    is_csv: bool,
    declared_len: Option<usize>,
    limit: usize,
    payload: &mut Payload,
) -> Result<String, AppError> {
    if !is_csv {
        return Err(AppError::UnsupportedMediaType { expected: "text/csv" });
    }
    if declared_len.is_some_and(|n| n > limit) {
        return Err(AppError::PayloadTooLarge { limit });
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| unreadable("The request body could not be read."))?;
        if body.len() + chunk.len() > limit {
            return Err(AppError::PayloadTooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    // Spreadsheets often save with a byte-order mark; it is not part of the header.
    let bytes = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&body);
    String::from_utf8(bytes.to_vec()).map_err(|_| unreadable("The CSV file must be UTF-8."))
}
