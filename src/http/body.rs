//! Reading a request body whole, the same way for every body extractor
//! (`StrictJson`, `CsvBody`): the media type first (415), then the declared
//! length and the bytes read against the limit (413); a body that breaks off is
//! a 400 with the extractor's own code.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{HttpRequest, web};
use futures_util::StreamExt;

use super::error::AppError;

/// What a body extractor accepts.
pub struct BodyKind {
    /// Whether a media type (lowercase, without parameters) is accepted.
    pub accepts: fn(&str) -> bool,
    /// The media type named in the 415 answer.
    pub expected: &'static str,
    /// The `code` of the 400 answer when the body cannot be read.
    pub unreadable_code: &'static str,
}

/// A request body taken from the request, read later by [`PendingBody::read`].
pub struct PendingBody {
    kind: BodyKind,
    accepted: bool,
    declared_len: Option<usize>,
    limit: usize,
    payload: Payload,
}

impl PendingBody {
    /// Takes the body of `req`, noting what its headers say, to read at most `limit` bytes.
    pub fn take(req: &HttpRequest, payload: &mut Payload, kind: BodyKind, limit: usize) -> Self {
        let accepted = media_type(req).is_some_and(|essence| (kind.accepts)(&essence));
        let declared_len = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        Self { kind, accepted, declared_len, limit, payload: payload.take() }
    }

    /// The whole body, or the problem: 415, 413, or 400 when it breaks off.
    pub async fn read(mut self) -> Result<web::BytesMut, AppError> {
        if !self.accepted {
            return Err(AppError::UnsupportedMediaType { expected: self.kind.expected });
        }
        let limit = self.limit;
        if self.declared_len.is_some_and(|n| n > limit) {
            return Err(AppError::PayloadTooLarge { limit });
        }
        let mut body = web::BytesMut::new();
        while let Some(chunk) = self.payload.next().await {
            let chunk = chunk.map_err(|_| AppError::BadRequest {
                code: self.kind.unreadable_code,
                detail: "The request body could not be read.".into(),
                errors: vec![],
            })?;
            if body.len() + chunk.len() > limit {
                return Err(AppError::PayloadTooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

/// The media type of the request, lowercase and without parameters.
fn media_type(req: &HttpRequest) -> Option<String> {
    let ct = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok())?;
    Some(ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use actix_web::ResponseError;
    use actix_web::test::TestRequest;

    use super::*;

    fn kind() -> BodyKind {
        BodyKind { accepts: |essence| essence == "text/csv", expected: "text/csv", unreadable_code: "malformed_csv" }
    }

    async fn read(req: TestRequest, limit: usize) -> Result<web::BytesMut, AppError> {
        let (req, mut payload) = req.to_http_parts();
        PendingBody::take(&req, &mut payload, kind(), limit).read().await
    }

    fn status(result: Result<web::BytesMut, AppError>) -> u16 {
        result.map_or_else(|e| e.status_code().as_u16(), |_| 200)
    }

    #[actix_web::test]
    async fn reads_an_accepted_body_whole() {
        let req = TestRequest::post().insert_header(("content-type", "Text/CSV; charset=utf-8")).set_payload("a,b\n");
        assert_eq!(&read(req, 10).await.unwrap()[..], b"a,b\n");
    }

    #[actix_web::test]
    async fn another_or_no_media_type_is_415_before_the_size() {
        let big = "x".repeat(100);
        assert_eq!(status(read(TestRequest::post().set_payload(big.clone()), 10).await), 415);
        let req = TestRequest::post().insert_header(("content-type", "text/plain")).set_payload(big);
        assert_eq!(status(read(req, 10).await), 415);
    }

    #[actix_web::test]
    async fn a_body_over_the_limit_is_413_declared_or_read() {
        let req = TestRequest::post().insert_header(("content-type", "text/csv")).set_payload("x".repeat(11));
        assert_eq!(status(read(req, 10).await), 413);
        let (req, _) = TestRequest::post()
            .insert_header(("content-type", "text/csv"))
            .insert_header(("content-length", "11"))
            .to_http_parts();
        let mut empty = Payload::None;
        assert_eq!(status(PendingBody::take(&req, &mut empty, kind(), 10).read().await), 413);
        let req = TestRequest::post().insert_header(("content-type", "text/csv")).set_payload("x".repeat(10));
        assert_eq!(status(read(req, 10).await), 200);
    }
}
