//! A `multipart/form-data` body as the console's own upload forms send it: a few
//! text fields and at most one file, read whole (under the CSV limit) and split
//! into named parts. Only what a browser sends is understood; anything else is
//! `None` and the form is refused.

use actix_web::HttpRequest;
use actix_web::dev::Payload;

use crate::http::body::{BodyKind, PendingBody};

/// The named parts of a form, in order (a file part gives its content).
pub struct Parts(Vec<(String, Vec<u8>)>);

impl Parts {
    /// The first part called `name`, as text (a file's byte-order mark dropped).
    pub fn text(&self, name: &str) -> Option<String> {
        let (_, v) = self.0.iter().find(|(n, _)| n == name)?;
        let v = v.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(v);
        String::from_utf8(v.to_vec()).ok()
    }
}

/// The form's boundary, from the request's content type.
fn boundary(req: &HttpRequest) -> Option<String> {
    let ct = req.headers().get(actix_web::http::header::CONTENT_TYPE)?.to_str().ok()?;
    let (essence, params) = ct.split_once(';')?;
    if !essence.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        k.trim().eq_ignore_ascii_case("boundary").then(|| v.trim().trim_matches('"').to_string())
    })
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (from..=hay.len() - needle.len()).find(|&i| &hay[i..i + needle.len()] == needle)
}

/// Splits a body on its boundary.
pub fn parse(body: &[u8], boundary: &str) -> Option<Parts> {
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut at = find(body, delimiter, 0)? + delimiter.len();
    let mut parts = Vec::new();
    loop {
        if body.get(at..at + 2) == Some(b"--") {
            return Some(Parts(parts));
        }
        at += 2; // CRLF after the delimiter
        let head_end = find(body, b"\r\n\r\n", at)?;
        let head = std::str::from_utf8(body.get(at..head_end)?).ok()?;
        let name = head.lines().find_map(|line| {
            let (k, v) = line.split_once(':')?;
            if !k.trim().eq_ignore_ascii_case("content-disposition") {
                return None;
            }
            v.split(';').find_map(|p| p.trim().strip_prefix("name=").map(|n| n.trim_matches('"').to_string()))
        })?;
        let content_start = head_end + 4;
        let mut end_delimiter = b"\r\n".to_vec();
        end_delimiter.extend_from_slice(delimiter);
        let content_end = find(body, &end_delimiter, content_start)?;
        parts.push((name, body[content_start..content_end].to_vec()));
        at = content_end + end_delimiter.len();
    }
}

/// Reads the request's multipart body (at most `limit` bytes).
pub async fn read(req: &HttpRequest, payload: &mut Payload, limit: usize) -> Option<Parts> {
    let boundary = boundary(req)?;
    let kind = BodyKind {
        accepts: |essence| essence == "multipart/form-data",
        expected: "multipart/form-data",
        unreadable_code: "malformed_form",
    };
    let body = PendingBody::take(req, payload, kind, limit).read().await.ok()?;
    parse(&body, &boundary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_browser_form_with_a_file_is_split_into_its_parts() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\n\xEF\xBB\xBFa,b\r\n1,2\r\n\r\n--XyZ--\r\n";
        let parts = parse(body, "XyZ").unwrap();
        assert_eq!(parts.text("csrf").as_deref(), Some("tok"));
        assert_eq!(parts.text("file").as_deref(), Some("a,b\r\n1,2\r\n"));
        assert_eq!(parts.text("missing"), None);
    }

    #[test]
    fn a_body_without_the_boundary_or_cut_short_is_refused() {
        assert!(parse(b"nothing here", "XyZ").is_none());
        assert!(parse(b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end", "XyZ").is_none());
    }
}
