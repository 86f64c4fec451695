//! Cursor pagination: `?limit=&cursor=`; the cursor is opaque to clients
//! (base64url of the last sort key of the previous page).
//!
//! A list fetches `fetch_limit(limit)` rows (one more than the page, to learn
//! whether a next page exists) after `PageQuery::after()`, and hands them to
//! `Page::from_rows` with the sort key of a row.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::error::AppError;

/// Query parameters shared by every list endpoint.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page, 1–200 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl PageQuery {
    pub fn limit(&self) -> Result<i64, AppError> {
        match self.limit {
            None => Ok(50),
            Some(n @ 1..=200) => Ok(n),
            Some(_) => Err(AppError::invalid("limit", "must be between 1 and 200")),
        }
    }

    /// The position to continue after.
    pub fn after(&self) -> Result<Option<Cursor>, AppError> {
        self.cursor.as_deref().map(Cursor::decode).transpose()
    }
}

/// How many rows a list fetches for a page of `limit`: one more, so that
/// `Page::from_rows` knows whether a next page exists.
pub fn fetch_limit(limit: i64) -> i64 {
    limit + 1
}

/// The sort key of the last item of a page, which the next page continues after.
/// A key of several parts joins them with a separator that none of them (but the
/// last) can contain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor(String);

/// How a timestamp is written in a cursor key.
const TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.f";

impl Cursor {
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// A key of several parts joined with `separator`.
    pub fn from_parts(parts: &[&str], separator: char) -> Self {
        Self(parts.join(separator.encode_utf8(&mut [0; 4])))
    }

    /// Writes a timestamp as a part of a key.
    pub fn time_part(at: NaiveDateTime) -> String {
        at.format(TIME_FORMAT).to_string()
    }

    /// The cursor a client sent back; 422 if this API did not issue it.
    pub fn decode(text: &str) -> Result<Self, AppError> {
        URL_SAFE_NO_PAD.decode(text).ok().and_then(|b| String::from_utf8(b).ok()).map(Self).ok_or_else(invalid)
    }

    /// The opaque text given to clients as `next_cursor`.
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0.as_bytes())
    }

    pub fn key(&self) -> &str {
        &self.0
    }

    /// The `N` parts of a key made by `from_parts`; the last part keeps any
    /// further separator. 422 when the key has fewer parts.
    pub fn parts<const N: usize>(&self, separator: char) -> Result<[&str; N], AppError> {
        let mut split = self.0.splitn(N, separator);
        let mut parts = [""; N];
        for part in &mut parts {
            *part = split.next().ok_or_else(invalid)?;
        }
        Ok(parts)
    }

    /// Reads a part written by `time_part`; 422 if it is not one.
    pub fn parse_time(part: &str) -> Result<NaiveDateTime, AppError> {
        NaiveDateTime::parse_from_str(part, TIME_FORMAT).map_err(|_| invalid())
    }
}

/// A cursor this API did not issue: 422 naming `cursor`.
pub fn invalid() -> AppError {
    AppError::invalid("cursor", "is not a cursor this API issued")
}

/// A page of items.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// The page from rows fetched with `fetch_limit(limit)`, in order: the first
    /// `limit` of them and, when there were more, a cursor continuing after the
    /// last one kept, from its sort key.
    pub fn from_rows(mut rows: Vec<T>, limit: i64, key: impl FnOnce(&T) -> Cursor) -> Self {
        let limit = usize::try_from(limit).unwrap_or(0);
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next_cursor = if more { rows.last().map(|last| key(last).encode()) } else { None };
        Self { items: rows, next_cursor }
    }

    /// The same page with each item converted.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), next_cursor: self.next_cursor }
    }

    /// The same page with each item converted, or the first conversion error.
    pub fn try_map<U, E>(self, f: impl FnMut(T) -> Result<U, E>) -> Result<Page<U>, E> {
        Ok(Page { items: self.items.into_iter().map(f).collect::<Result<_, _>>()?, next_cursor: self.next_cursor })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: &i32) -> Cursor {
        Cursor::new(n.to_string())
    }

    #[test]
    fn a_full_fetch_keeps_the_limit_and_continues_after_the_last_kept_row() {
        let page = Page::from_rows(vec![1, 2, 3], 2, key);
        assert_eq!(page.items, [1, 2]);
        assert_eq!(Cursor::decode(&page.next_cursor.unwrap()).unwrap().key(), "2");
    }

    #[test]
    fn a_short_fetch_is_the_last_page() {
        let page = Page::from_rows(vec![1, 2], 2, key);
        assert_eq!((page.items, page.next_cursor), (vec![1, 2], None));
        let page = Page::from_rows(Vec::<i32>::new(), 2, key);
        assert_eq!((page.items, page.next_cursor), (vec![], None));
    }

    #[test]
    fn fetch_limit_asks_for_one_more_row() {
        let limit = 2;
        let rows: Vec<i32> = (1..=10).take(usize::try_from(fetch_limit(limit)).unwrap()).collect();
        assert!(Page::from_rows(rows, limit, key).next_cursor.is_some());
    }

    #[test]
    fn map_and_try_map_keep_the_cursor() {
        let page = Page::from_rows(vec![1, 2, 3], 2, key).map(|n| n * 10);
        assert_eq!(page.items, [10, 20]);
        assert!(page.next_cursor.is_some());
        let page = page.try_map(|n| Ok::<_, ()>(n + 1)).unwrap();
        assert_eq!(page.items, [11, 21]);
        assert!(Page::from_rows(vec![1], 2, key).try_map(|_| Err::<i32, _>("no")).is_err());
    }

    #[test]
    fn a_cursor_round_trips_and_is_opaque() {
        let cursor = Cursor::new("Pharmacie du Centre\u{1f}42");
        let text = cursor.encode();
        assert!(text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_eq!(Cursor::decode(&text).unwrap(), cursor);
    }

    #[test]
    fn a_cursor_not_issued_here_is_422_on_cursor() {
        use actix_web::ResponseError;
        for text in ["not base64!", "_w"] {
            let err = Cursor::decode(text).unwrap_err();
            assert_eq!(err.status_code().as_u16(), 422, "{text}");
            assert!(matches!(err, AppError::Validation(ref e) if e[0].field == "cursor"));
        }
    }

    #[test]
    fn parts_split_a_composite_key_the_last_part_keeping_the_separator() {
        let at = NaiveDateTime::parse_from_str("2025-03-01T10:20:30.5", TIME_FORMAT).unwrap();
        let cursor = Cursor::from_parts(&["3", &Cursor::time_part(at), "id|x"], '|');
        assert_eq!(cursor.key(), "3|2025-03-01T10:20:30.500|id|x");
        let [p, t, id] = cursor.parts::<3>('|').unwrap();
        assert_eq!((p, Cursor::parse_time(t).unwrap(), id), ("3", at, "id|x"));
        assert!(Cursor::new("3|only").parts::<3>('|').is_err());
        assert!(Cursor::parse_time("yesterday").is_err());
    }

    #[test]
    fn page_query_limits_and_decodes() {
        let q = PageQuery { limit: None, cursor: Some(Cursor::new("k").encode()) };
        assert_eq!((q.limit().unwrap(), q.after().unwrap()), (50, Some(Cursor::new("k"))));
        assert!(PageQuery { limit: Some(0), cursor: None }.limit().is_err());
        assert!(PageQuery { limit: Some(201), cursor: None }.limit().is_err());
        assert_eq!(PageQuery { limit: Some(200), cursor: None }.after().unwrap(), None);
    }
}
