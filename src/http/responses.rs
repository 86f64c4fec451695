//! The error responses of the OpenAPI document, defined once. Every error is an
//! `application/problem+json` [`Problem`](super::error::Problem); what differs
//! between operations is which statuses they can answer. An operation lists its
//! success response and then one set per cause of failure it has:
//!
//! ```text
//! #[utoipa::path(request_body = ResourceRequest, responses(
//!     (status = 200, body = Resource),
//!     BodyErrors, AuthErrors, NotFound,
//! ))]
//! ```
//!
//! A response that needs its own description stays a tuple after the sets; the
//! later entry wins.

use std::collections::BTreeMap;

use utoipa::IntoResponses;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};

use super::error::PROBLEM_JSON;

/// A problem+json response with `status`, as `(status = N, body = Problem,
/// content_type = "application/problem+json")` documents it.
fn problems(statuses: &[u16]) -> BTreeMap<String, RefOr<Response>> {
    statuses
        .iter()
        .map(|status| {
            let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build();
            (status.to_string(), RefOr::T(ResponseBuilder::new().content(PROBLEM_JSON, content).build()))
        })
        .collect()
}

macro_rules! problem_set {
    ($($(#[$doc:meta])* $name:ident = [$($status:literal),+];)+) => {$(
        $(#[$doc])*
        pub struct $name;

        impl IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                problems(&[$($status),+])
            }
        }
    )+};
}

problem_set! {
    /// A request body read by `StrictJson` or `CsvBody`: 400 malformed (or an
    /// unknown field), 413 too large, 415 no or another `Content-Type`, 422 a field
    /// of the wrong type, missing or invalid.
    BodyErrors = [400, 413, 415, 422];
    /// A signed-in caller (`AuthUser`): 401 no valid access token; 403 a role that
    /// may not call the operation, or an account that must enrol a second factor
    /// first.
    AuthErrors = [401, 403];
    /// 401 alone: wrong credentials, or an access token refused on the routes an
    /// account still enrolling its second factor may reach.
    Unauthorized = [401];
    /// 400: the query string does not parse (`invalid_query`).
    BadQuery = [400];
    /// 422: a value of the request is out of range or breaks a rule.
    Unprocessable = [422];
    /// 404: the resource named in the path does not exist or is out of the caller's
    /// scope.
    NotFound = [404];
    /// 409: the resource is not in a state that allows the action, or a unique value
    /// is taken.
    Conflict = [409];
    /// 429: too many attempts; retry after `Retry-After`.
    TooManyRequests = [429];
    /// 503: the database is unreachable or the service is overloaded; retry after
    /// `Retry-After`.
    Unavailable = [503];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_documents_each_status_as_a_problem() {
        let responses = BodyErrors::responses();
        assert_eq!(responses.keys().collect::<Vec<_>>(), ["400", "413", "415", "422"]);
        let RefOr::T(response) = &responses["415"] else { panic!("inline response") };
        assert!(response.content.contains_key(PROBLEM_JSON));
    }
}
