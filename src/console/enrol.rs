//! Enrolling a second factor from the console. When the policy asks a second factor
//! of the account's role and it has none, a right password opens a *pending
//! enrolment* instead of a session: a cookie of its own (random token, only its
//! SHA-256 stored in `console_enrolments`), bound to the account, with a CSRF token,
//! ending after ten minutes. It opens this page and nothing else: it is not a
//! session, so every other console page answers with the sign-in page. The page
//! shows the QR code and the secret; a right code confirms the second factor
//! through the same auth service as the API, the recovery codes are shown once, and
//! the person signs in again, now with a code.

use actix_web::cookie::Cookie;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{Duration, NaiveDateTime};
use serde::Deserialize;

use super::i18n::Tr;
use super::pages::{Layout, anonymous_tr, error_page, message, parse_form, render, same_origin, see_other};
use super::session;
use super::store;
use crate::auth::service as auth;
use crate::crypto::tokens::{hash_refresh_token, new_refresh_token};
use crate::db::{self, AnyConnection};
use crate::domain::UserId;
use crate::http::error::AppError;
use crate::state::AppState;
use crate::users::model::User;

/// How long a pending enrolment lasts.
const PENDING_MINUTES: i64 = 10;

fn cookie_name(state: &AppState) -> &'static str {
    if state.settings.public_url_is_https() { "__Host-saferelay-enrol" } else { "saferelay-enrol" }
}

fn cookie(state: &AppState, token: String) -> Cookie<'static> {
    let mut c = session::strict_cookie(state, cookie_name(state), token);
    c.set_max_age(actix_web::cookie::time::Duration::minutes(PENDING_MINUTES));
    c
}

fn removal(state: &AppState) -> Cookie<'static> {
    session::removal_of(cookie(state, String::new()))
}

/// A pending enrolment: its stored id, the account, the CSRF token.
struct Pending {
    id: String,
    user: UserId,
    csrf: String,
}

/// After a right password: starts the enrolment (a new secret) and the pending
/// enrolment, and sends the browser to the enrolment page.
pub async fn begin(state: &AppState, user: &User) -> HttpResponse {
    let token = new_refresh_token();
    let (id, csrf, user_id, keys) =
        (hash_refresh_token(&token), new_refresh_token(), user.id, state.master_keys.clone());
    let started = state
        .db
        .write(move |c| {
            let now = db::now();
            auth::begin_enrolment(c, &keys, user_id)?;
            store::replace_enrolment(c, &id, user_id, &csrf, now, now + Duration::minutes(PENDING_MINUTES))?;
            Ok::<_, AppError>(())
        })
        .await;
    match started {
        Ok(()) => {
            let mut res = see_other("/console/enrol");
            let _ = res.add_cookie(&cookie(state, token));
            res
        }
        Err(e) => error_page(Tr(user.language), None, e),
    }
}

fn find(c: &mut AnyConnection, id: &str, now: NaiveDateTime) -> Result<Option<Pending>, AppError> {
    Ok(match store::find_enrolment(c, id, now)? {
        Some((user, csrf)) => Some(Pending {
            id: id.to_string(),
            user: UserId::parse(&user).ok_or_else(|| db::corrupt("console_enrolments", "user_id"))?,
            csrf,
        }),
        None => None,
    })
}

/// The request's pending enrolment and its account, if still valid.
async fn pending(req: &HttpRequest, state: &AppState) -> Result<Option<(Pending, User)>, AppError> {
    let Some(token) = req.cookie(cookie_name(state)).map(|c| c.value().to_string()) else { return Ok(None) };
    let id = hash_refresh_token(&token);
    state
        .db
        .run(move |c| {
            let Some(p) = find(c, &id, db::now())? else { return Ok(None) };
            let user = crate::users::service::account(c, p.user)?.filter(|u| u.active && !u.two_factor);
            Ok(user.map(|u| (p, u)))
        })
        .await
}

#[derive(Template)]
#[template(path = "console/enrol.html")]
struct EnrolPage {
    l: Layout,
    csrf: String,
    qr_png_base64: String,
    secret: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "console/enrolled.html")]
struct EnrolledPage {
    l: Layout,
    codes: Vec<String>,
}

async fn enrol_page(
    state: &AppState,
    p: &Pending,
    user: &User,
    status: StatusCode,
    error: Option<&str>,
) -> HttpResponse {
    let tr = Tr(user.language);
    let (keys, id) = (state.master_keys.clone(), p.user);
    match state.db.run(move |c| auth::pending_enrolment(c, &keys, id)).await {
        Ok(Some(e)) => render(
            status,
            &EnrolPage {
                l: Layout::new(tr, "enrol.title", None),
                csrf: p.csrf.clone(),
                qr_png_base64: e.qr_png_base64,
                secret: e.secret,
                error: error.map(|k| tr.t(k).to_string()),
            },
        ),
        Ok(None) => see_other("/console/sign-in"),
        Err(e) => error_page(tr, None, e),
    }
}

/// `GET /console/enrol`: the QR code, the secret and the code field.
pub async fn page(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    match pending(&req, &state).await {
        Ok(Some((p, user))) => enrol_page(&state, &p, &user, StatusCode::OK, None).await,
        Ok(None) => {
            let mut res = see_other("/console/sign-in");
            let _ = res.add_cookie(&removal(&state));
            res
        }
        Err(e) => error_page(anonymous_tr(&req), None, e),
    }
}

#[derive(Deserialize, Default)]
struct EnrolForm {
    csrf: Option<String>,
    code: Option<String>,
}

/// `POST /console/enrol`: confirms the second factor with a first code.
pub async fn confirm(req: HttpRequest, state: web::Data<AppState>, body: web::Bytes) -> HttpResponse {
    let (p, user) = match pending(&req, &state).await {
        Ok(Some(found)) => found,
        Ok(None) => {
            let mut res = see_other("/console/sign-in");
            let _ = res.add_cookie(&removal(&state));
            return res;
        }
        Err(e) => return error_page(anonymous_tr(&req), None, e),
    };
    let tr = Tr(user.language);
    let form: EnrolForm = parse_form(&body).unwrap_or_default();
    let token_ok = form.csrf.as_deref().is_some_and(|t| {
        let (a, b) = (hash_refresh_token(&p.csrf), hash_refresh_token(t));
        a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    });
    if !same_origin(&req, &state) || !token_ok {
        tracing::warn!("console enrolment refused: wrong origin or CSRF token");
        return message(StatusCode::FORBIDDEN, tr, None, "error.title", "error.csrf");
    }
    let code: String = form.code.unwrap_or_default().chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return enrol_page(&state, &p, &user, StatusCode::UNPROCESSABLE_ENTITY, Some("enrol.code_format")).await;
    }
    let (keys, id, row) = (state.master_keys.clone(), p.user, p.id.clone());
    let confirmed = state
        .db
        .write(move |c| {
            let codes = auth::confirm_enrolment(c, &keys, id, &code)?;
            store::delete_enrolment(c, &row)?;
            Ok::<_, AppError>(codes)
        })
        .await;
    match confirmed {
        Ok(codes) => {
            tracing::info!("second factor enrolled from the console");
            let mut res = render(StatusCode::OK, &EnrolledPage { l: Layout::new(tr, "enrol.done_title", None), codes });
            let _ = res.add_cookie(&removal(&state));
            res
        }
        Err(AppError::Validation(_)) => {
            enrol_page(&state, &p, &user, StatusCode::UNPROCESSABLE_ENTITY, Some("enrol.code_wrong")).await
        }
        Err(e) => error_page(tr, None, e),
    }
}
