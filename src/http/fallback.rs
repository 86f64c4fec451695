//! What answers when no route matched: 405 with `Allow` when the path exists with
//! other methods, else 404. The list of routes is the OpenAPI document's, which is
//! built from the registered handlers.

use actix_web::{HttpRequest, HttpResponse, web};

use super::error::AppError;

/// Path templates and the methods each one accepts.
#[derive(Default)]
pub struct RouteTable(Vec<(Vec<String>, Vec<String>)>);

impl RouteTable {
    pub fn from_openapi(api: &utoipa::openapi::OpenApi) -> Self {
        let routes = api
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path.trim_matches('/').split('/').map(str::to_string).collect();
                let methods = methods_of(item);
                (segments, methods)
            })
            .collect();
        Self(routes)
    }

    /// Methods allowed on `path`, or `None` when no route has that shape.
    pub fn allowed(&self, path: &str) -> Option<Vec<String>> {
        let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
        let mut found: Option<Vec<String>> = None;
        for (template, methods) in &self.0 {
            let fits = template.len() == segs.len()
                && template.iter().zip(&segs).all(|(t, s)| (t.starts_with('{') && !s.is_empty()) || t == s);
            if fits {
                found.get_or_insert_with(Vec::new).extend(methods.iter().cloned());
            }
        }
        found
    }
}

fn methods_of(item: &utoipa::openapi::PathItem) -> Vec<String> {
    [
        ("GET", item.get.is_some()),
        ("POST", item.post.is_some()),
        ("PUT", item.put.is_some()),
        ("PATCH", item.patch.is_some()),
        ("DELETE", item.delete.is_some()),
    ]
    .into_iter()
    .filter(|(_, present)| *present)
    .map(|(m, _)| m.to_string())
    .collect()
}

/// The app's default service.
pub async fn not_matched(req: HttpRequest, routes: web::Data<RouteTable>) -> Result<HttpResponse, AppError> {
    Err(match routes.allowed(req.path()) {
        Some(methods) => AppError::MethodNotAllowed { allow: methods.join(", ") },
        None => AppError::NoRoute,
    })
}
