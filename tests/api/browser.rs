//! A real browser for the console tests: Debian's Chromium driven over WebDriver
//! (chromedriver), one browser per test with its own empty profile. Without
//! chromedriver the tests are skipped with a visible line, unless
//! `SAFERELAY_REQUIRE_BROWSER=1` (CI) makes that a failure. Every step a test
//! names is saved as a screenshot under `target/screenshots/` for review.

use std::path::PathBuf;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

pub struct Browser {
    pub client: Client,
    _driver: tokio::process::Child,
    _profile: tempfile::TempDir,
    test: String,
    shots: u32,
}

fn driver_path() -> Option<PathBuf> {
    let path = std::env::var("SAFERELAY_CHROMEDRIVER").unwrap_or_else(|_| CHROMEDRIVER.into());
    let path = PathBuf::from(path);
    path.exists().then_some(path)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Browser {
    /// A browser with a desktop window, or `None` (skipped) without chromedriver.
    pub async fn start(test: &str) -> Option<Browser> {
        Self::start_sized(test, 1280, 900).await
    }

    pub async fn start_sized(test: &str, width: u32, height: u32) -> Option<Browser> {
        Self::start_in(test, width, height, "en-GB").await
    }

    /// A browser whose interface language (and `navigator.languages`) is `language`.
    pub async fn start_in(test: &str, width: u32, height: u32, language: &str) -> Option<Browser> {
        let Some(driver) = driver_path() else {
            if std::env::var("SAFERELAY_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
                panic!("a browser is required (SAFERELAY_REQUIRE_BROWSER=1) but {CHROMEDRIVER} is missing");
            }
            eprintln!("SKIPPED browser test {test}: chromedriver not found (install chromium and chromium-driver)");
            return None;
        };
        // Several TLS providers are linked in; the WebDriver client takes ring's.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let port = free_port();
        let child = tokio::process::Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().unwrap();
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": std::env::var("SAFERELAY_CHROMIUM").unwrap_or_else(|_| CHROMIUM.into()),
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-quic", "--no-first-run", "--disable-extensions", format!("--lang={language}"),
                    format!("--window-size={width},{height}"),
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                "prefs": {"intl.accept_languages": language},
            }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let mut last = None;
        for _ in 0..100 {
            match ClientBuilder::rustls().unwrap().capabilities(caps.clone()).connect(&url).await {
                Ok(client) => {
                    return Some(Browser { client, _driver: child, _profile: profile, test: test.into(), shots: 0 });
                }
                Err(e) => {
                    last = Some(e);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
        panic!("could not start a browser session: {last:?}");
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.unwrap();
    }

    pub async fn path(&self) -> String {
        self.client.current_url().await.unwrap().path().to_string()
    }

    /// The first element `css` matches, waiting up to 5 seconds for it (the page
    /// may still be loading the answer to a form).
    pub async fn element(&self, css: &str) -> fantoccini::elements::Element {
        let mut last = String::new();
        for _ in 0..100 {
            match self.client.find(Locator::Css(css)).await {
                Ok(e) => return e,
                Err(err) => last = err.to_string(),
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{css}: {last}");
    }

    pub async fn fill(&self, css: &str, text: &str) {
        let e = self.element(css).await;
        e.clear().await.unwrap();
        e.send_keys(text).await.unwrap();
    }

    pub async fn click(&self, css: &str) {
        self.element(css).await.click().await.unwrap();
    }

    /// The text of the first element `css` matches, waiting up to 5 seconds for it
    /// (a form just sent may still be loading its answer; the queue's refresh may
    /// replace the element under the test).
    /// Clicks what leads to another page (a form's button, a link) and waits until
    /// that page has loaded.
    pub async fn navigate_by(&self, css: &str) {
        self.mark_page().await;
        self.element(css).await.click().await.unwrap();
        self.wait_new_page().await;
    }

    /// Marks the page shown now, for [`Browser::wait_new_page`].
    pub async fn mark_page(&self) {
        self.js("window.__saferelayOldPage = true; return true;").await;
    }

    /// Waits until the page marked by [`Browser::mark_page`] is replaced and the
    /// new one has loaded.
    pub async fn wait_new_page(&self) {
        for _ in 0..200 {
            let loaded = self
                .client
                .execute(
                    "return window.__saferelayOldPage === undefined && document.readyState === 'complete';",
                    vec![],
                )
                .await
                .map(|v| v == Value::Bool(true))
                .unwrap_or(false);
            if loaded {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no new page was loaded");
    }

    pub async fn text(&self, css: &str) -> String {
        let mut last = String::new();
        for _ in 0..100 {
            match self.client.find(Locator::Css(css)).await {
                Ok(e) => match e.text().await {
                    Ok(t) => return t,
                    Err(err) => last = err.to_string(),
                },
                Err(err) => last = err.to_string(),
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{css}: {last}");
    }

    pub async fn exists(&self, css: &str) -> bool {
        !self.client.find_all(Locator::Css(css)).await.unwrap().is_empty()
    }

    pub async fn body_text(&self) -> String {
        self.text("body").await
    }

    /// Waits up to `secs` for `css` to match an element whose text holds `needle`.
    pub async fn wait_for_text(&self, css: &str, needle: &str, secs: u64) -> bool {
        let until = std::time::Instant::now() + Duration::from_secs(secs);
        while std::time::Instant::now() < until {
            for e in self.client.find_all(Locator::Css(css)).await.unwrap() {
                if e.text().await.unwrap_or_default().contains(needle) {
                    return true;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        false
    }

    /// Runs a script in the page and answers its value.
    pub async fn js(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.unwrap()
    }

    /// Saves a screenshot of the page as `target/screenshots/<test>-<n>-<step>.png`.
    pub async fn shot(&mut self, step: &str) {
        self.shots += 1;
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(dir.join(format!("{}-{:02}-{step}.png", self.test, self.shots)), png).unwrap();
    }

    /// The serious and critical accessibility violations axe-core finds on the
    /// page (axe-core is a vendored test asset, injected by the test only).
    pub async fn axe_violations(&self) -> Vec<String> {
        let axe = std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/assets/vendor/axe-core/axe.min.js"),
        )
        .unwrap();
        let script = format!(
            "{axe}\nconst done = arguments[arguments.length - 1];\n\
             axe.run(document, {{ resultTypes: ['violations'] }}).then(r => done(r.violations\
               .filter(v => v.impact === 'serious' || v.impact === 'critical')\
               .map(v => v.id + ': ' + v.help + ' (' + v.nodes.map(n => n.target.join(' ')).join(', ') + ')')));"
        );
        let out = self.client.execute_async(&script, vec![]).await.unwrap();
        out.as_array().unwrap().iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect()
    }

    /// Everything the page's origin keeps in the browser: local and session
    /// storage, IndexedDB databases (names and every record) and Cache Storage
    /// (every cached request and body), as one string.
    pub async fn storage_dump(&self) -> String {
        let script = r#"
const done = arguments[arguments.length - 1];
(async () => {
  const out = [];
  for (const s of [localStorage, sessionStorage]) {
    for (let i = 0; i < s.length; i++) { const k = s.key(i); out.push(k + '=' + s.getItem(k)); }
  }
  out.push('cookie=' + document.cookie);
  if (indexedDB.databases) {
    for (const d of await indexedDB.databases()) {
      out.push('idb:' + d.name);
      const db = await new Promise((ok, ko) => { const r = indexedDB.open(d.name); r.onsuccess = () => ok(r.result); r.onerror = ko; });
      for (const store of db.objectStoreNames) {
        const all = await new Promise((ok) => { const r = db.transaction(store).objectStore(store).getAll(); r.onsuccess = () => ok(r.result); r.onerror = () => ok([]); });
        out.push(JSON.stringify(all));
      }
      db.close();
    }
  }
  if (self.caches) {
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const req of await cache.keys()) {
        const res = await cache.match(req);
        out.push('cache:' + req.url + ' ' + (res ? await res.text() : ''));
      }
    }
  }
  return out.join('\n');
})().then(done, e => done('error: ' + e));
"#;
        self.client.execute_async(script, vec![]).await.unwrap().as_str().unwrap_or_default().to_string()
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}
