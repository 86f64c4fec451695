//! `/console/relay-points`: the table, and its CSV export. Every filter is in the
//! query string, so a filtered, sorted page is a link.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::acting;
use crate::console::i18n::Tr;
use crate::console::pages::{Layout, error_page, render, urlencode};
use crate::domain::{Region, RelayKind, TrainingStatus};
use crate::relays::store::{SortColumn, TableQuery};
use crate::relays::table::{self as relay_table, TableRequest};
use crate::state::AppState;

/// The table's query string. Unknown values are ignored, not refused: a link
/// edited by hand still shows a table.
#[derive(Deserialize, Default, Clone)]
pub struct TableParams {
    q: Option<String>,
    region: Option<String>,
    municipality: Option<String>,
    kind: Option<String>,
    status: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
    page: Option<String>,
}

const SORTS: [(&str, Option<SortColumn>); 7] = [
    ("name", Some(SortColumn::Name)),
    ("municipality", Some(SortColumn::Municipality)),
    ("postcode", Some(SortColumn::Postcode)),
    ("region", Some(SortColumn::Region)),
    ("kind", Some(SortColumn::Kind)),
    ("status", None),
    ("updated", Some(SortColumn::Updated)),
];

fn clean(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty() && s.len() <= 200).map(str::to_string)
}

impl TableParams {
    fn sort_key(&self) -> &'static str {
        let asked = self.sort.as_deref().unwrap_or("name");
        SORTS.iter().find(|(k, _)| *k == asked).map_or("name", |(k, _)| k)
    }

    fn descending(&self) -> bool {
        self.dir.as_deref() == Some("desc")
    }

    fn request(&self, programme: Option<crate::domain::ProgrammeId>) -> TableRequest {
        let sort = self.sort_key();
        TableRequest {
            query: TableQuery {
                programme,
                region: self.region.as_deref().and_then(|r| r.parse::<Region>().ok()),
                kind: self.kind.as_deref().and_then(|k| k.parse::<RelayKind>().ok()),
                municipality: clean(&self.municipality),
                text: clean(&self.q),
                sort: SORTS.iter().find(|(k, _)| *k == sort).and_then(|(_, c)| *c).unwrap_or_default(),
                descending: self.descending(),
            },
            status: self.status.as_deref().and_then(|s| s.parse::<TrainingStatus>().ok()),
            by_status: sort == "status",
            page: self.page.as_deref().and_then(|p| p.parse().ok()).unwrap_or(1),
            as_of: None,
        }
    }

    /// The query string of this view with some values changed (`None`: left out).
    fn link(&self, status: Option<&str>, sort: Option<(&str, bool)>, page: Option<usize>) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        for (k, v) in
            [("q", &self.q), ("region", &self.region), ("municipality", &self.municipality), ("kind", &self.kind)]
        {
            if let Some(v) = clean(v) {
                pairs.push((k, v));
            }
        }
        if let Some(s) = status {
            pairs.push(("status", s.to_string()));
        }
        let (sort_key, desc) = sort.unwrap_or((self.sort_key(), self.descending()));
        if sort_key != "name" || desc {
            pairs.push(("sort", sort_key.to_string()));
        }
        if desc {
            pairs.push(("dir", "desc".into()));
        }
        if let Some(p) = page.filter(|p| *p > 1) {
            pairs.push(("page", p.to_string()));
        }
        let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={}", urlencode(v))).collect();
        if query.is_empty() { String::new() } else { format!("?{}", query.join("&")) }
    }

    fn status_key(&self) -> Option<&str> {
        let s = self.status.as_deref()?;
        TrainingStatus::ALL.iter().map(|t| t.as_str()).find(|t| *t == s)
    }
}

pub struct StatusCount {
    pub key: &'static str,
    pub label: String,
    pub count: usize,
    pub href: String,
    pub current: bool,
}

pub struct Column {
    pub label: String,
    pub href: String,
    /// `ascending`, `descending` or empty (the `aria-sort` value).
    pub sorted: &'static str,
}

pub struct RowShown {
    pub id: String,
    pub name: String,
    pub external_id: String,
    pub municipality: String,
    pub postcode: String,
    pub region: String,
    pub kind: String,
    pub status_key: &'static str,
    pub status: String,
    pub active: bool,
    pub programme: String,
}

pub struct PageLink {
    pub number: usize,
    pub href: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "console/programme_relays.html")]
struct TablePage {
    l: Layout,
    admin: bool,
    all_count: usize,
    all_href: String,
    all_current: bool,
    counts: Vec<StatusCount>,
    columns: Vec<Column>,
    rows: Vec<RowShown>,
    matching: usize,
    page: usize,
    pages: usize,
    page_links: Vec<PageLink>,
    prev: Option<String>,
    next: Option<String>,
    export_href: String,
    // The filter form's current values.
    q: String,
    municipality: String,
    region: String,
    kind: String,
    status: String,
    sort: String,
    dir: String,
    regions: Vec<(&'static str, String)>,
    kinds: Vec<(&'static str, String)>,
    statuses: Vec<(&'static str, String)>,
}

fn options<T: Copy>(tr: Tr, prefix: &str, all: &[T], key: fn(T) -> &'static str) -> Vec<(&'static str, String)> {
    all.iter().map(|v| (key(*v), tr.t(&format!("{prefix}.{}", key(*v))).to_string())).collect()
}

/// The page numbers to link: the first, the last, and two around the current one.
pub(super) fn page_numbers(page: usize, pages: usize) -> Vec<usize> {
    (1..=pages).filter(|n| *n == 1 || *n == pages || n.abs_diff(page) <= 2).collect()
}

pub async fn table_page(req: HttpRequest, state: web::Data<AppState>, q: web::Query<TableParams>) -> HttpResponse {
    let a = match acting(&req, &state).await {
        Ok(a) => a,
        Err(res) => return *res,
    };
    let tr = a.tr();
    let params = q.into_inner();
    let table = match relay_table::page(&state, params.request(a.programme)).await {
        Ok(t) => t,
        Err(e) => return error_page(tr, Some(&a.s.csrf), e),
    };
    let sort = params.sort_key();
    let desc = params.descending();
    let status = params.status_key();
    let columns = ["name", "municipality", "postcode", "region", "kind", "status"]
        .into_iter()
        .map(|k| Column {
            label: tr.t(&format!("rp.col.{k}")).to_string(),
            // A click on the sorted column turns the order round.
            href: format!("/console/relay-points{}", params.link(status, Some((k, k == sort && !desc)), None)),
            sorted: match (k == sort, desc) {
                (false, _) => "",
                (true, false) => "ascending",
                (true, true) => "descending",
            },
        })
        .collect();
    let programmes = table.programmes.clone();
    let rows = table
        .rows
        .iter()
        .map(|(r, st)| {
            let f = &r.fields;
            RowShown {
                id: r.id.to_string(),
                name: f.name.as_str().to_string(),
                external_id: f.external_id.as_ref().map(|e| e.as_str().to_string()).unwrap_or_default(),
                municipality: f.municipality.as_str().to_string(),
                postcode: f.postcode.to_string(),
                region: tr.t(&format!("region.{}", f.region.as_str())).to_string(),
                kind: tr.t(&format!("kind.{}", f.kind.as_str())).to_string(),
                status_key: st.as_str(),
                status: tr.t(&format!("rp.status.{}", st.as_str())).to_string(),
                active: f.active,
                programme: programmes.get(&r.programme_id).cloned().unwrap_or_default(),
            }
        })
        .collect();
    let all_count = table.counts.iter().map(|(_, n)| n).sum();
    let counts = table
        .counts
        .iter()
        .map(|(s, n)| StatusCount {
            key: s.as_str(),
            label: tr.t(&format!("rp.status.{}", s.as_str())).to_string(),
            count: *n,
            href: format!("/console/relay-points{}", params.link(Some(s.as_str()), None, None)),
            current: status == Some(s.as_str()),
        })
        .collect();
    let page_link = |n: usize| format!("/console/relay-points{}", params.link(status, None, Some(n)));
    let page = TablePage {
        l: Layout::new(tr, "rp.title", Some(&a.s.csrf)).for_role(a.s.auth.role),
        admin: a.programme.is_none(),
        all_count,
        all_href: format!("/console/relay-points{}", params.link(None, None, None)),
        all_current: status.is_none(),
        counts,
        columns,
        rows,
        matching: table.matching,
        page: table.page,
        pages: table.pages,
        page_links: page_numbers(table.page, table.pages)
            .into_iter()
            .map(|n| PageLink { number: n, href: page_link(n), current: n == table.page })
            .collect(),
        prev: (table.page > 1).then(|| page_link(table.page - 1)),
        next: (table.page < table.pages).then(|| page_link(table.page + 1)),
        export_href: format!("/console/relay-points/export{}", params.link(status, None, None)),
        q: params.q.clone().unwrap_or_default(),
        municipality: params.municipality.clone().unwrap_or_default(),
        region: params.region.clone().unwrap_or_default(),
        kind: params.kind.clone().unwrap_or_default(),
        status: status.unwrap_or_default().to_string(),
        sort: sort.to_string(),
        dir: if desc { "desc".into() } else { String::new() },
        regions: options(tr, "region", &Region::ALL, Region::as_str),
        kinds: options(tr, "kind", &RelayKind::ALL, RelayKind::as_str),
        statuses: options(tr, "rp.status", &TrainingStatus::ALL, TrainingStatus::as_str),
    };
    render(StatusCode::OK, &page)
}

/// The relay points of the current view (every page) as the export CSV.
pub async fn export(req: HttpRequest, state: web::Data<AppState>, q: web::Query<TableParams>) -> HttpResponse {
    let a = match acting(&req, &state).await {
        Ok(a) => a,
        Err(res) => return *res,
    };
    match relay_table::export(&state, q.request(a.programme)).await {
        Ok(csv) => HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"relay-points.csv\""))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(csv),
        Err(e) => error_page(a.tr(), Some(&a.s.csrf), e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_is_a_link_that_keeps_its_filters() {
        let p = TableParams {
            q: Some(" apo ".into()),
            region: Some("wallonia".into()),
            kind: Some("pharmacy".into()),
            status: Some("trained".into()),
            sort: Some("municipality".into()),
            dir: Some("desc".into()),
            ..TableParams::default()
        };
        assert_eq!(
            p.link(p.status_key(), None, Some(3)),
            "?q=apo&region=wallonia&kind=pharmacy&status=trained&sort=municipality&dir=desc&page=3"
        );
        assert_eq!(TableParams::default().link(None, None, Some(1)), "");
        let r = p.request(None);
        assert_eq!(r.query.sort, SortColumn::Municipality);
        assert!(r.query.descending && !r.by_status);
        assert_eq!(r.status, Some(TrainingStatus::Trained));
    }

    #[test]
    fn paging_links_the_ends_and_the_neighbourhood() {
        assert_eq!(page_numbers(1, 1), vec![1]);
        assert_eq!(page_numbers(10, 400), vec![1, 8, 9, 10, 11, 12, 400]);
    }
}
