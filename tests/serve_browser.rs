//! The page in real headless Chromium (driven over WebDriver by chromedriver and
//! fantoccini): paste a posting, check it, see the evidence highlighted, apply
//! suggested edits one click at a time until the verdict changes; and hostile
//! postings stay text. Skipped with a message when Chromium is not installed, except
//! in CI (`CI` set), where it must run.
//!
//! `JDCLASS_SCREENSHOT=docs/serve-page.png cargo test --test serve_browser` also saves
//! the screenshot the README shows.
#![cfg(feature = "serve")]

use fantoccini::{Client, ClientBuilder, Locator};
use jdclass::serve::{Options, Server};
use jdclass::Classifier;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const POSTING: &str = "corpus/postings/070-pm-payments-strategy.txt";
/// How long the page may take to answer an action.
const WAIT: Duration = Duration::from_secs(30);

fn find(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|n| std::env::split_paths(&path).map(|d| d.join(n)).find(|p| p.is_file()))
}

/// chromedriver on a free port, killed on drop.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn start_driver(driver: &std::path::Path) -> Driver {
    let port = free_port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let url = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let deadline = Instant::now() + WAIT;
    while http.get(format!("{url}/status")).send().await.is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not answer on {url}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Driver { child, url }
}

async fn browser(driver: &Driver, chromium: &std::path::Path, profile: &std::path::Path) -> Client {
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-proxy-server",
        "--disable-dev-shm-usage",
        "--window-size=1280,1700",
        &format!("--user-data-dir={}", profile.display()),
    ];
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), serde_json::json!({"binary": chromium.to_string_lossy(), "args": args}));
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a Chromium session")
}

/// Poll `probe` (a script returning a value) until `done` holds.
async fn wait_for(
    c: &Client,
    script: &str,
    done: impl Fn(&serde_json::Value) -> bool,
    what: &str,
) -> serde_json::Value {
    let deadline = Instant::now() + WAIT;
    loop {
        let v = c.execute(script, vec![]).await.unwrap();
        if done(&v) {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}; last saw {v}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn paste(c: &Client, title: &str, text: &str) {
    // What a paste does: set the field's value and fire `input`.
    c.execute(
        "document.getElementById('title').value = arguments[0];\
         const t = document.getElementById('posting-text'); t.value = arguments[1];\
         t.dispatchEvent(new Event('input', {bubbles: true}));",
        vec![title.into(), text.into()],
    )
    .await
    .unwrap();
}

const HEADLINE: &str = "return document.getElementById('headline').textContent";
const CHECKS_DONE: &str = "return [document.getElementById('results').hidden, \
     document.getElementById('check-button').disabled, document.getElementById('status').textContent]";

async fn checked(c: &Client) {
    wait_for(c, CHECKS_DONE, |v| v[0] == false && v[1] == false && v[2] == "", "the check to finish").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_highlight_apply_in_chromium() {
    let (Some(chromium), Some(driver)) =
        (find(&["chromium", "chromium-browser", "google-chrome"]), find(&["chromedriver"]))
    else {
        assert!(std::env::var_os("CI").is_none(), "CI must run the browser test: install chromium and chromium-driver");
        eprintln!("SKIPPED serve_browser: chromium and chromedriver are not installed (apt-get install chromium chromium-driver)");
        return;
    };
    let options = Options { addr: "127.0.0.1:0".parse().unwrap(), ..Options::default() };
    let server = Server::bind(options, Classifier::embedded()).await.unwrap();
    let url = format!("http://{}/", server.local_addr());
    tokio::spawn(server.run(std::future::pending()));

    let driver = start_driver(&driver).await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, &chromium, profile.path()).await;
    let result = run_page(&c, &url).await;
    let _ = c.close().await;
    result.unwrap();
}

async fn run_page(c: &Client, url: &str) -> Result<(), fantoccini::error::CmdError> {
    c.goto(url).await?;
    wait_for(
        c,
        "return document.getElementById('lexicon-info').textContent",
        |v| v.as_str().is_some_and(|s| s.contains("jdclass-default")),
        "the lexicon line",
    )
    .await;

    // Paste, say it is meant as a Product Owner posting, check.
    let posting = std::fs::read_to_string(POSTING).unwrap();
    paste(c, "", &posting).await;
    c.find(Locator::Css("#role")).await?.select_by_value("po").await?;
    c.find(Locator::Id("check-button")).await?.click().await?;
    checked(c).await;
    let marks = c.find_all(Locator::Css("#posting-view mark.ev")).await?;
    assert!(marks.len() > 5, "evidence is highlighted: {} marks", marks.len());
    assert!(!c.find_all(Locator::Css("#posting-view mark.ev.pm")).await?.is_empty());
    let headline = c.execute(HEADLINE, vec![]).await?;
    assert_eq!(headline, "Reads as a Product Manager");
    let check = c.find(Locator::Id("check-line")).await?.text().await?;
    assert!(check.contains("Meant to hire a Product Owner"), "{check}");
    assert!(!c.find(Locator::Id("missing")).await?.text().await?.is_empty(), "what is missing is listed");

    // A highlight explains itself in plain words.
    marks[0].click().await?;
    let explained = c.find(Locator::Id("explain")).await?.text().await?;
    assert!(
        explained.contains("Product Manager")
            || explained.contains("Product Owner")
            || explained.contains("Not counted")
    );
    assert!(!explained.contains("pull"), "no jargon unless asked: {explained}");

    // Apply suggestions one click at a time; each re-checks the edited text.
    let original = c.execute("return document.getElementById('posting-text').value", vec![]).await?;
    let mut clicks = 0;
    // The verdict may pass through hybrid on its way (the edits remove PM duties one by one).
    while c.execute(HEADLINE, vec![]).await? != "Reads as a Product Owner" {
        clicks += 1;
        assert!(clicks <= 15, "the verdict never changed");
        c.find(Locator::Css("#edits button.apply")).await?.click().await?;
        wait_for(c, "return document.getElementById('change-note').hidden", |v| v == false, "the re-check").await;
        checked(c).await;
    }
    let after = c.execute(HEADLINE, vec![]).await?;
    assert_eq!(after, "Reads as a Product Owner", "after {clicks} edits");
    let note = c.find(Locator::Id("change-note")).await?.text().await?;
    assert!(note.contains("The verdict changed:") && note.contains("→ Product Owner"), "{note}");
    let check = c.find(Locator::Id("check-line")).await?.text().await?;
    assert!(check.starts_with("✓ Consistent"), "{check}");
    let edited = c.execute("return document.getElementById('posting-text').value", vec![]).await?;
    assert_ne!(edited, original, "the edited text is in the box to copy");

    if let Some(path) = std::env::var_os("JDCLASS_SCREENSHOT") {
        paste(c, "", &posting).await;
        c.find(Locator::Id("check-button")).await?.click().await?;
        checked(c).await;
        c.execute("window.scrollTo(0, 0)", vec![]).await?;
        std::fs::write(path, c.screenshot().await?).unwrap();
    }

    // Hostile postings stay text: no element is made from them, no script runs.
    let hostile = "Product Owner\n<script>window.__pwned = 1</script>\n\"><img src=x onerror=\"window.__pwned = 2\">\n\
                   <a href=\"javascript:window.__pwned = 3\">Apply here</a>\n\
                   You will own the product backlog, write user stories with acceptance criteria, \
                   and run sprint planning with the developers.";
    paste(c, "", hostile).await;
    c.find(Locator::Css("#role")).await?.select_by_value("").await?;
    c.find(Locator::Id("check-button")).await?.click().await?;
    checked(c).await;
    let probe = c
        .execute(
            "const v = document.getElementById('posting-view');\
             return [v.querySelectorAll('*:not(mark)').length, document.querySelectorAll('img, a[href^=\"javascript\"]').length,\
                     window.__pwned === undefined, v.textContent.includes('<img src=x onerror='),\
                     document.querySelectorAll('#posting-view mark').length]",
            vec![],
        )
        .await?;
    assert_eq!(probe[0], 0, "only highlight marks inside the posting: {probe}");
    assert_eq!(probe[1], 0, "no image or javascript: link made: {probe}");
    assert_eq!(probe[2], true, "no script ran: {probe}");
    assert_eq!(probe[3], true, "the markup is shown as text: {probe}");
    assert!(probe[4].as_u64().unwrap() > 0, "and still classified: {probe}");
    assert_eq!(c.execute(HEADLINE, vec![]).await?, "Reads as a Product Owner");

    // Keyboard: the tabs switch with the arrow keys.
    c.execute("document.getElementById('tab-check').focus()", vec![]).await?;
    c.active_element().await?.send_keys("\u{E014}").await?; // ArrowRight
    let batch_hidden = c.execute("return document.getElementById('panel-batch').hidden", vec![]).await?;
    assert_eq!(batch_hidden, false, "ArrowRight opens the batch tab");
    Ok(())
}
