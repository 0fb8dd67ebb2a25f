//! `jdclass serve` over real HTTP on an ephemeral loopback port: every endpoint,
//! every error status, the scan stream's order, counts and streaming, the security
//! headers, and the binary's start-up line and graceful shutdown.
#![cfg(feature = "serve")]

use jdclass::serve::{Options, Server};
use jdclass::Classifier;
use reqwest::header::CONTENT_TYPE;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::time::Duration;

const POSTING: &str = "corpus/postings/070-pm-payments-strategy.txt";
const PO_POSTING: &str = "corpus/postings/016-po-mobile-app-title-mismatch.txt";

/// A server on 127.0.0.1:0 running on the test's runtime; stops when dropped.
struct TestServer {
    addr: SocketAddr,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl TestServer {
    async fn start(options: Options) -> TestServer {
        let options = Options { addr: "127.0.0.1:0".parse().unwrap(), ..options };
        let server = Server::bind(options, Classifier::embedded()).await.expect("server binds");
        let addr = server.local_addr();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(server.run(async move {
            let _ = stopped.await;
        }));
        TestServer { addr, _stop: stop }
    }

    async fn default() -> TestServer {
        TestServer::start(Options::default()).await
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().timeout(Duration::from_secs(60)).build().unwrap()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// The error body's kind, asserting the shape and the status.
async fn error_kind(response: reqwest::Response, status: u16) -> String {
    assert_eq!(response.status().as_u16(), status, "status");
    let ct = response.headers()[CONTENT_TYPE].to_str().unwrap().to_string();
    assert!(ct.starts_with("application/json"), "error content type {ct}");
    let body: Value = response.json().await.unwrap();
    let message = body["error"]["message"].as_str().expect("a message");
    assert!(message.len() > 10, "a message in words: {message}");
    body["error"]["kind"].as_str().expect("a kind").to_string()
}

fn without(mut v: Value, keys: &[&str]) -> Value {
    for k in keys {
        v.as_object_mut().unwrap().remove(*k);
    }
    v
}

fn cli_json(args: &[&str]) -> Value {
    let out = assert_cmd::Command::cargo_bin("jdclass").unwrap().args(args).output().unwrap();
    serde_json::from_slice(&out.stdout).expect("CLI writes JSON")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn classify_text_is_the_cli_record() {
    let s = TestServer::default().await;
    let r = client()
        .post(s.url("/v1/classify"))
        .header(CONTENT_TYPE, "text/plain")
        .body(read(POSTING))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()[CONTENT_TYPE].to_str().unwrap().starts_with("application/json"));
    let got: Value = r.json().await.unwrap();
    assert_eq!(got["source"], "<request>");
    let cli = cli_json(&[POSTING, "--format", "json"]);
    assert_eq!(without(got, &["source"]), without(cli, &["source"]), "the API writes the CLI's record");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn classify_json_reads_title_as_first_line() {
    let s = TestServer::default().await;
    let body = serde_json::json!({"title": "Product Owner, Payments", "text": "Own the product backlog, write user stories with acceptance criteria and run sprint planning with the developers.", "source": "job-7"});
    let got: Value = client().post(s.url("/v1/classify")).json(&body).send().await.unwrap().json().await.unwrap();
    assert_eq!(got["source"], "job-7");
    assert_eq!(got["title"], "product owner, payments");
    assert_eq!(got["label"], "po");
    assert_eq!(got["title_evidence"][0]["in_title"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_is_the_cli_report_with_the_record() {
    let s = TestServer::default().await;
    let body = serde_json::json!({"text": read(POSTING), "as": "po"});
    let r = client().post(s.url("/v1/check")).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let got: Value = r.json().await.unwrap();
    assert_eq!(got["consistent"], false);
    assert_eq!(got["intended"], "po");
    assert!(!got["changes"].as_array().unwrap().is_empty());
    assert_eq!(got["record"]["label"], got["label"]);
    assert!(got["record"]["evidence"].as_array().unwrap().len() > 3);
    let cli = cli_json(&["check", POSTING, "--as", "po", "--format", "json"]);
    assert_eq!(without(got, &["source", "record"]), without(cli, &["source"]), "the API writes the CLI's report");

    // Without "as", the title names the role.
    let body = serde_json::json!({"text": read(PO_POSTING), "title": "Product Owner, Mobile"});
    let got: Value = client().post(s.url("/v1/check")).json(&body).send().await.unwrap().json().await.unwrap();
    assert_eq!(got["intended"], "po");
    assert_eq!(got["consistent"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lexicon_health_and_openapi() {
    let s = TestServer::default().await;
    let c = client();
    let lex: Value = c.get(s.url("/v1/lexicon")).send().await.unwrap().json().await.unwrap();
    let embedded = Classifier::embedded();
    let id = &embedded.lexicon().id;
    assert_eq!(lex["name"], id.name.as_str());
    assert_eq!(lex["version"], id.version.as_str());
    assert_eq!(lex["hash"], id.hash.as_str());
    assert_eq!(lex["entries"], embedded.lexicon().entries.len());
    assert!(lex["phrases"].as_u64().unwrap() >= embedded.lexicon().entries.len() as u64);

    let health: Value = c.get(s.url("/healthz")).send().await.unwrap().json().await.unwrap();
    assert_eq!(health["status"], "ok");

    let doc: Value = c.get(s.url("/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in ["/v1/classify", "/v1/check", "/v1/scan", "/v1/lexicon", "/healthz"] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
    let schemas = &doc["components"]["schemas"];
    assert!(schemas["CheckRequest"]["properties"]["as"].is_object(), "`as` documented: {}", schemas["CheckRequest"]);
    assert!(schemas["ErrorBody"].is_object());
    for status in ["400", "401", "413", "415", "422", "503"] {
        assert!(doc["paths"]["/v1/classify"]["post"]["responses"][status].is_object(), "{status} documented");
    }
}

/// Checks JSON values against the OpenAPI document's schemas as a strict client would:
/// every key a value carries is a property the schema lists, every required property is
/// there, and types, enums and array items match, down through `$ref`, `allOf` (serde's
/// flatten) and `oneOf` (tagged enums, nullable references).
struct SchemaCheck<'d> {
    doc: &'d Value,
    errors: Vec<String>,
    /// Optional properties met in the schemas, and whether a value carried one: a key
    /// the samples never show is a key this check never compared.
    optional: BTreeMap<String, bool>,
}

impl<'d> SchemaCheck<'d> {
    fn new(doc: &'d Value) -> SchemaCheck<'d> {
        SchemaCheck { doc, errors: Vec::new(), optional: BTreeMap::new() }
    }

    fn resolve(&self, mut schema: &'d Value) -> &'d Value {
        while let Some(r) = schema["$ref"].as_str() {
            let name = r.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("unexpected $ref {r}"));
            schema = &self.doc["components"]["schemas"][name];
            assert!(schema.is_object(), "{r} is not in components.schemas");
        }
        schema
    }

    /// The properties and required keys of an object schema, merged over `allOf`.
    fn shape(&self, schema: &'d Value) -> Option<(BTreeMap<String, &'d Value>, BTreeSet<String>)> {
        let schema = self.resolve(schema);
        let mut props = BTreeMap::new();
        let mut required = BTreeSet::new();
        let mut any = false;
        if let Some(p) = schema["properties"].as_object() {
            any = true;
            props.extend(p.iter().map(|(k, v)| (k.clone(), v)));
        }
        if let Some(r) = schema["required"].as_array() {
            any = true;
            required.extend(r.iter().map(|k| k.as_str().unwrap().to_string()));
        }
        for part in schema["allOf"].as_array().into_iter().flatten() {
            let (p, r) = self.shape(part)?;
            any = true;
            props.extend(p);
            required.extend(r);
        }
        any.then_some((props, required))
    }

    fn check(&mut self, schema: &'d Value, value: &Value, path: &str) {
        let schema = self.resolve(schema);
        if let Some(alternatives) = schema["oneOf"].as_array() {
            let before = self.errors.len();
            let mut failures = Vec::new();
            for alt in alternatives {
                self.check(alt, value, path);
                if self.errors.len() == before {
                    return;
                }
                failures.extend(self.errors.drain(before..));
            }
            self.errors.push(format!("{path}: matches no oneOf alternative: {failures:?}"));
            return;
        }
        let types: Vec<&str> = match &schema["type"] {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let type_of = |v: &Value| match v {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_u64() || n.is_i64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        let got = type_of(value);
        if !types.is_empty() && !types.iter().any(|&t| t == got || (t == "number" && got == "integer")) {
            self.errors.push(format!("{path}: a {got}, the schema says {types:?}"));
            return;
        }
        if let Some(allowed) = schema["enum"].as_array() {
            if !allowed.contains(value) {
                self.errors.push(format!("{path}: {value} is not one of {allowed:?}"));
            }
        }
        match value {
            Value::Object(map) => {
                let Some((props, required)) = self.shape(schema) else {
                    self.errors.push(format!("{path}: an object, the schema lists no properties"));
                    return;
                };
                for key in &required {
                    if !map.contains_key(key) {
                        self.errors.push(format!("{path}: required `{key}` is missing"));
                    }
                }
                for key in props.keys().filter(|k| !required.contains(*k)) {
                    *self.optional.entry(key.clone()).or_default() |= map.contains_key(key);
                }
                for (key, v) in map {
                    match props.get(key) {
                        Some(sub) => self.check(sub, v, &format!("{path}.{key}")),
                        None => self.errors.push(format!("{path}: `{key}` is not in the schema")),
                    }
                }
            }
            Value::Array(items) => {
                let prefix = schema["prefixItems"].as_array();
                for (i, item) in items.iter().enumerate() {
                    let sub = match prefix.and_then(|p| p.get(i)) {
                        Some(sub) => sub,
                        None if schema["items"] == Value::Bool(false) => {
                            self.errors.push(format!("{path}: more items than the schema's {}", prefix.unwrap().len()));
                            break;
                        }
                        None => &schema["items"],
                    };
                    if sub.is_object() {
                        self.check(sub, item, &format!("{path}[{i}]"));
                    }
                }
            }
            _ => {}
        }
    }

    /// Check `value` against the 200 response schema of `POST path`.
    fn response(&mut self, path: &str, value: &Value) {
        let schema = &self.doc["paths"][path]["post"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert!(schema.is_object(), "{path}: no JSON schema for the 200 response");
        let shape = self.shape(schema).unwrap_or_else(|| panic!("{path}: the 200 schema is not an object"));
        assert!(shape.0.len() > 3, "{path}: the 200 schema names its properties, not a bare object: {schema}");
        self.check(schema, value, path);
    }
}

#[test]
fn the_schema_check_catches_drift() {
    let doc = serde_json::json!({"components": {"schemas": {
        "Item": {"type": "object", "required": ["a"], "properties": {"a": {"type": "integer"}, "b": {"type": "string"}}},
        "Outer": {"allOf": [{"$ref": "#/components/schemas/Item"}, {"type": "object", "required": ["items"],
            "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}}}]}
    }}});
    let outer = serde_json::json!({"$ref": "#/components/schemas/Outer"});
    let errors = |value: Value| {
        let mut c = SchemaCheck::new(&doc);
        c.check(&outer, &value, "$");
        c.errors
    };
    assert_eq!(errors(serde_json::json!({"a": 1, "items": [{"a": 2, "b": "x"}]})), Vec::<String>::new());
    assert_eq!(
        errors(serde_json::json!({"a": 1, "items": [{"a": 2, "c": 3}]})),
        ["$.items[0]: `c` is not in the schema"]
    );
    assert_eq!(errors(serde_json::json!({"items": []})), ["$: required `a` is missing"]);
    assert_eq!(errors(serde_json::json!({"a": "1", "items": []})), ["$.a: a string, the schema says [\"integer\"]"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_describes_what_classify_and_check_write() {
    let s = TestServer::default().await;
    let c = client();
    let doc: Value = c.get(s.url("/openapi.json")).send().await.unwrap().json().await.unwrap();
    let mut schema = SchemaCheck::new(&doc);

    // A posting that carries every optional key: a title, evidence discounted because
    // of another role, another role's duty (its profile), and invalid UTF-8 (warnings).
    let posting = b"Product Owner, Payments\n\nYou will work with the product manager, who owns the roadmap and the \
                    pricing. You own the backlog and user stories.\nRun positioning and messaging for launches with \
                    sales enablement. \xff\n";
    let r = c.post(s.url("/v1/classify")).header(CONTENT_TYPE, "text/plain").body(posting.to_vec()).send().await;
    let record: Value = r.unwrap().json().await.unwrap();
    for list in ["evidence", "discounted", "duties", "title_evidence"] {
        assert!(!record[list].as_array().unwrap().is_empty(), "the sample has {list}: {record}");
    }
    schema.response("/v1/classify", &record);
    let record: Value = c.post(s.url("/v1/classify")).body(read(POSTING)).send().await.unwrap().json().await.unwrap();
    schema.response("/v1/classify", &record);

    // Changes of both kinds (remove and add), and a consistent check (`after` null).
    let body = serde_json::json!({"text": read(POSTING), "as": "po"});
    let report: Value = c.post(s.url("/v1/check")).json(&body).send().await.unwrap().json().await.unwrap();
    let actions: BTreeSet<&str> =
        report["changes"].as_array().unwrap().iter().map(|c| c["action"].as_str().unwrap()).collect();
    assert_eq!(actions, BTreeSet::from(["add", "remove"]), "the sample has both kinds of change");
    schema.response("/v1/check", &report);
    let body = serde_json::json!({"text": read(PO_POSTING), "title": "Product Owner, Mobile"});
    let report: Value = c.post(s.url("/v1/check")).json(&body).send().await.unwrap().json().await.unwrap();
    assert_eq!(report["after"], Value::Null);
    schema.response("/v1/check", &report);

    assert!(schema.errors.is_empty(), "the responses do not match /openapi.json:\n{}", schema.errors.join("\n"));
    let unseen: Vec<&String> = schema.optional.iter().filter(|(_, seen)| !**seen).map(|(k, _)| k).collect();
    assert!(unseen.is_empty(), "optional keys no sample carried, so never compared: {unseen:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_json_errors_never_500() {
    let s = TestServer::default().await;
    let c = client();
    let post = |path: &str, ct: &str, body: &'static str| {
        c.post(s.url(path)).header(CONTENT_TYPE, ct.to_string()).body(body).send()
    };
    assert_eq!(
        error_kind(post("/v1/classify", "application/json", "{\"text\": ").await.unwrap(), 400).await,
        "invalid_json"
    );
    assert_eq!(
        error_kind(post("/v1/classify", "application/json", "{\"title\": \"x\"}").await.unwrap(), 422).await,
        "invalid_request"
    );
    assert_eq!(
        error_kind(post("/v1/classify", "application/json", "{\"text\": 7}").await.unwrap(), 422).await,
        "invalid_request"
    );
    assert_eq!(
        error_kind(post("/v1/classify", "application/json", "{\"text\": \"a\", \"txet\": 1}").await.unwrap(), 422)
            .await,
        "invalid_request"
    );
    assert_eq!(error_kind(post("/v1/classify", "text/plain", "  \n\t ").await.unwrap(), 422).await, "empty");
    assert_eq!(
        error_kind(post("/v1/classify", "application/xml", "<a/>").await.unwrap(), 415).await,
        "unsupported_media_type"
    );
    assert_eq!(
        error_kind(post("/v1/check", "text/plain", "Own the backlog").await.unwrap(), 415).await,
        "unsupported_media_type"
    );
    assert_eq!(error_kind(post("/v1/check", "application/json", "[1,2]").await.unwrap(), 422).await, "invalid_request");
    assert_eq!(
        error_kind(
            post("/v1/check", "application/json", "{\"text\": \"Own the backlog.\", \"as\": \"ceo\"}").await.unwrap(),
            422
        )
        .await,
        "unknown_role"
    );
    assert_eq!(
        error_kind(post("/v1/check", "application/json", "{\"text\": \"Own the backlog.\"}").await.unwrap(), 422).await,
        "unknown_role",
        "no title naming a role and no `as`"
    );
    assert_eq!(
        error_kind(post("/v1/check", "application/json", "{\"text\": \"\", \"as\": \"po\"}").await.unwrap(), 422).await,
        "empty"
    );
    assert_eq!(
        error_kind(post("/v1/scan", "application/x-www-form-urlencoded", "a=b").await.unwrap(), 415).await,
        "unsupported_media_type"
    );
    assert_eq!(
        error_kind(post("/v1/scan?output=xml", "application/x-ndjson", "{}").await.unwrap(), 400).await,
        "bad_request"
    );
    assert_eq!(
        error_kind(post("/v1/scan?colour=red", "application/x-ndjson", "{}").await.unwrap(), 400).await,
        "bad_request"
    );
    assert_eq!(error_kind(c.get(s.url("/v1/nope")).send().await.unwrap(), 404).await, "not_found");
    assert_eq!(error_kind(c.get(s.url("/v1/classify")).send().await.unwrap(), 405).await, "method_not_allowed");

    // Invalid UTF-8 as text is classified with a warning, as the CLI does.
    let r = c
        .post(s.url("/v1/classify"))
        .header(CONTENT_TYPE, "text/plain")
        .body(b"Own the backlog \xff\xfe and stories".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert!(v["warnings"][0].as_str().unwrap().contains("UTF-8"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_bodies_get_413_with_or_without_length() {
    let s = TestServer::start(Options { max_body: 1000, ..Options::default() }).await;
    let c = client();
    let big = "Own the backlog. ".repeat(100);
    let r = c.post(s.url("/v1/classify")).header(CONTENT_TYPE, "text/plain").body(big.clone()).send().await.unwrap();
    assert_eq!(error_kind(r, 413).await, "too_large");
    // Chunked, no Content-Length: refused while reading.
    let chunks: Vec<Result<String, std::io::Error>> = (0..10).map(|_| Ok("Own the backlog. ".repeat(10))).collect();
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let r = c.post(s.url("/v1/check")).header(CONTENT_TYPE, "application/json").body(body).send().await.unwrap();
    assert_eq!(error_kind(r, 413).await, "too_large");
    let r = c.post(s.url("/v1/scan")).header(CONTENT_TYPE, "application/x-ndjson").body(big).send().await.unwrap();
    assert_eq!(error_kind(r, 413).await, "too_large");
    // Under the cap is fine.
    let r =
        c.post(s.url("/v1/classify")).header(CONTENT_TYPE, "text/plain").body("Own the backlog.").send().await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_guards_the_api_only() {
    let s = TestServer::start(Options { token: Some("s3cret".into()), ..Options::default() }).await;
    let c = client();
    let r =
        c.post(s.url("/v1/classify")).header(CONTENT_TYPE, "text/plain").body("Own the backlog.").send().await.unwrap();
    assert_eq!(r.headers()["www-authenticate"], "Bearer");
    assert_eq!(error_kind(r, 401).await, "unauthorized");
    let r = c.get(s.url("/v1/lexicon")).bearer_auth("wrong").send().await.unwrap();
    assert_eq!(error_kind(r, 401).await, "unauthorized");
    let r = c.post(s.url("/v1/scan")).header(CONTENT_TYPE, "application/x-ndjson").body("{}").send().await.unwrap();
    assert_eq!(error_kind(r, 401).await, "unauthorized");
    let r = c.get(s.url("/v1/lexicon")).bearer_auth("s3cret").send().await.unwrap();
    assert_eq!(r.status(), 200);
    for open in ["/healthz", "/", "/app.js", "/openapi.json"] {
        assert_eq!(c.get(s.url(open)).send().await.unwrap().status(), 200, "{open} needs no token");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_is_required_off_loopback() {
    let options = Options { addr: "0.0.0.0:0".parse().unwrap(), ..Options::default() };
    let err = Server::bind(options, Classifier::embedded()).await.err().expect("refused");
    assert!(err.to_string().contains("--token"), "{err}");
}

/// A request body the test feeds line by line.
fn streamed_body() -> (tokio::sync::mpsc::Sender<String>, reqwest::Body) {
    let (tx, rx) = tokio::sync::mpsc::channel::<String>(16);
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|line| (Ok::<_, std::io::Error>(line), rx))
    });
    (tx, reqwest::Body::wrap_stream(stream))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_streams_while_the_body_arrives_and_saturation_is_503() {
    let s = TestServer::start(Options { concurrency: 1, ..Options::default() }).await;
    let c = client();
    let (tx, body) = streamed_body();
    let scan = c.post(s.url("/v1/scan")).header(CONTENT_TYPE, "application/x-ndjson").body(body).send();
    let scan = tokio::spawn(scan);
    tx.send("{\"id\": \"a\", \"text\": \"Own the product backlog, write user stories with acceptance criteria and run sprint planning with the developers.\"}\n".into()).await.unwrap();
    let mut response = scan.await.unwrap().unwrap();
    assert_eq!(response.status(), 200);
    // The first record comes back before the body is finished: the scan streams.
    let first =
        tokio::time::timeout(Duration::from_secs(20), response.chunk()).await.expect("streamed").unwrap().unwrap();
    let first: Value = serde_json::from_slice(first.trim_ascii()).unwrap();
    assert_eq!(first["id"], "a");
    assert_eq!(first["label"], "po");

    // The one work slot is held by the scan: classify is refused with 503 + Retry-After.
    let r =
        c.post(s.url("/v1/classify")).header(CONTENT_TYPE, "text/plain").body("Own the backlog.").send().await.unwrap();
    assert_eq!(r.headers()["retry-after"], "1");
    assert_eq!(error_kind(r, 503).await, "busy");

    tx.send("{\"id\": \"b\", \"text\": \"Own the product roadmap, set the product vision and strategy, and run market research on pricing.\"}\n".into()).await.unwrap();
    drop(tx);
    let mut rest = Vec::new();
    while let Some(chunk) = response.chunk().await.unwrap() {
        rest.extend_from_slice(&chunk);
    }
    let second: Value = serde_json::from_slice(rest.trim_ascii()).unwrap();
    assert_eq!(second["id"], "b");
    assert_eq!(second["label"], "pm");
    // The slot was given back before the stream ended.
    let r =
        c.post(s.url("/v1/classify")).header(CONTENT_TYPE, "text/plain").body("Own the backlog.").send().await.unwrap();
    assert_eq!(r.status(), 200);
}

/// Found by the `serve` fuzz target: a gzip-compressed scan answer panicked the
/// connection's task (its stream was polled again after it had ended), which cut the
/// answer off.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gzip_scan_answer_arrives_whole() {
    use std::io::Read;
    let s = TestServer::default().await;
    for (body, lines) in [("", 0), ("{\"text\": \"Own the product backlog.\"}\n", 1)] {
        let r = client()
            .post(s.url("/v1/scan"))
            .header(CONTENT_TYPE, "application/x-ndjson")
            .header("accept-encoding", "gzip")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-encoding"], "gzip");
        let gzip = r.bytes().await.expect("the whole answer");
        let mut plain = String::new();
        flate2::read::GzDecoder::new(&gzip[..]).read_to_string(&mut plain).unwrap();
        assert_eq!(plain.lines().count(), lines, "{body:?} gave {plain:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_keeps_order_and_counts_with_error_records() {
    let s = TestServer::default().await;
    let mut input = String::new();
    let n = 300;
    let mut bad = Vec::new();
    for i in 0..n {
        match i % 37 {
            5 => {
                input.push_str("{not json\n");
                bad.push(i);
            }
            11 => {
                input.push_str(&format!("{{\"id\": \"{i}\", \"body\": \"no text field\"}}\n"));
                bad.push(i);
            }
            _ if i % 2 == 0 => input.push_str(&format!(
                "{{\"id\": \"{i}\", \"title\": \"Product Owner\", \"text\": \"Own the product backlog, write user stories with acceptance criteria and run sprint planning with the developers ({i}).\"}}\n"
            )),
            _ => input.push_str(&format!(
                "{{\"id\": \"{i}\", \"text\": \"Own the product roadmap, set the product vision and strategy, and run market research on pricing ({i}).\"}}\n"
            )),
        }
    }
    let r =
        client().post(s.url("/v1/scan")).header(CONTENT_TYPE, "application/x-ndjson").body(input).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()[CONTENT_TYPE], "application/x-ndjson");
    let text = r.text().await.unwrap();
    let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect();
    assert_eq!(lines.len(), n, "one line per input record");
    for (i, rec) in lines.iter().enumerate() {
        assert_eq!(rec["line"], (i + 1) as u64, "order kept: {rec}");
        if bad.contains(&i) {
            assert!(rec["error"].is_object() || rec["error"].is_string(), "line {i} is an error record: {rec}");
        } else {
            assert_eq!(rec["id"], i.to_string());
            assert_eq!(rec["label"], if i % 2 == 0 { "po" } else { "pm" }, "{rec}");
        }
    }

    // CSV in, CSV out.
    let csv = "job_id,headline,description\n1,Product Owner,\"Own the backlog,\nwrite user stories\"\n2,,\n3,PM,Own the product roadmap and pricing.\n";
    let r = client()
        .post(s.url("/v1/scan?output=csv&id_field=job_id&title_field=headline&text_field=description"))
        .header(CONTENT_TYPE, "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()[CONTENT_TYPE].to_str().unwrap().starts_with("text/csv"));
    let out = r.text().await.unwrap();
    let mut rows = csv::Reader::from_reader(out.as_bytes());
    let header = rows.headers().unwrap().clone();
    let (id, label, error) = (
        header.iter().position(|h| h == "id").unwrap(),
        header.iter().position(|h| h == "label").unwrap(),
        header.iter().position(|h| h == "error").unwrap(),
    );
    let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!((&rows[0][id], &rows[0][label]), ("1", "po"));
    assert!(!rows[1][error].is_empty(), "the empty row is an error row");
    assert_eq!(&rows[2][id], "3");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn work_past_the_budget_is_503_timeout() {
    let s = TestServer::start(Options { timeout: Duration::from_millis(1), ..Options::default() }).await;
    let long = read(POSTING).repeat(400); // 1.4 MB: far more than 1 ms of work
    let r = client().post(s.url("/v1/classify")).header(CONTENT_TYPE, "text/plain").body(long).send().await.unwrap();
    assert_eq!(r.headers()["retry-after"], "1");
    assert_eq!(error_kind(r, 503).await, "timeout");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_headers_and_hostile_postings() {
    let s = TestServer::default().await;
    let c = client();
    for path in ["/", "/app.js", "/v1/lexicon", "/nope"] {
        let r = c.get(s.url(path)).send().await.unwrap();
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
    }
    let page = c.get(s.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("<script src=\"/app.js\""), "the script is a file");
    assert!(page.match_indices("<script").all(|(i, _)| page[i..].starts_with("<script src=")), "no inline script");
    assert!(!regex::Regex::new(r"\son[a-z]+\s*=").unwrap().is_match(&page), "no inline event handlers");
    let script = c.get(s.url("/app.js")).send().await.unwrap().text().await.unwrap();
    for sink in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"] {
        assert!(!script.contains(sink), "app.js never uses {sink}");
    }

    // Hostile text comes back as JSON string data, never as a page.
    let hostile = "<script>alert(1)</script>\n\"><img src=x onerror=alert(1)>\n<a href=\"javascript:alert(1)\">apply</a>\nOwn the backlog.";
    let r = c.post(s.url("/v1/classify")).header(CONTENT_TYPE, "text/html").body(hostile).send().await.unwrap();
    assert!(r.headers()[CONTENT_TYPE].to_str().unwrap().starts_with("application/json"));
    let v: Value = r.json().await.unwrap();
    assert!(v["label"].is_string());
}

/// `jdclass serve` (the binary under test) on a free loopback port, its stdout piped.
fn spawn_server() -> std::process::Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("jdclass"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn the_server_keeps_serving_when_its_stdout_is_closed() {
    use std::io::Read;
    let mut child = spawn_server();
    // Read only the first line, byte by byte, then close the pipe before the rest.
    let mut stdout = child.stdout.take().unwrap();
    let mut line = Vec::new();
    let mut byte = [0u8];
    while stdout.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
        line.push(byte[0]);
    }
    drop(stdout);
    let line = String::from_utf8(line).unwrap();
    let url = line.trim().rsplit(' ').next().unwrap().to_string();
    std::thread::sleep(Duration::from_millis(300));
    let rt = tokio::runtime::Runtime::new().unwrap();
    let status = rt.block_on(async { client().get(format!("{url}healthz")).send().await.map(|r| r.status()) });
    let alive = child.try_wait().unwrap().is_none();
    let _ = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let _ = child.wait();
    assert!(alive, "the server exited when its stdout closed");
    assert_eq!(status.unwrap(), 200);
}

#[test]
fn the_binary_prints_its_url_and_stops_gracefully_on_sigterm() {
    use std::io::{BufRead, BufReader};
    let mut child = spawn_server();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let url = line.trim().rsplit(' ').next().unwrap().to_string();
    assert!(url.starts_with("http://127.0.0.1:") && !url.ends_with(":0/"), "{line}");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let c = client();
        assert_eq!(c.get(format!("{url}healthz")).send().await.unwrap().status(), 200);
        // A request in flight when SIGTERM arrives still gets its whole answer.
        let (tx, body) = streamed_body();
        let scan = tokio::spawn(
            c.post(format!("{url}v1/scan")).header(CONTENT_TYPE, "application/x-ndjson").body(body).send(),
        );
        tx.send("{\"text\": \"Own the product backlog.\"}\n".into()).await.unwrap();
        let mut response = scan.await.unwrap().unwrap();
        let first = response.chunk().await.unwrap().unwrap();
        assert!(first.starts_with(b"{"));
        let killed = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
        assert!(killed.success());
        tokio::time::sleep(Duration::from_millis(200)).await;
        tx.send("{\"text\": \"Own the product roadmap.\"}\n".into()).await.unwrap();
        drop(tx);
        let rest = response.bytes().await.unwrap();
        assert_eq!(rest.iter().filter(|&&b| b == b'\n').count(), 1, "the second record still arrives");
    });
    let status = child.wait().unwrap();
    assert!(status.success(), "exit {status:?}");
}

#[test]
fn the_binary_refuses_a_public_address_without_a_token() {
    let out = assert_cmd::Command::cargo_bin("jdclass")
        .unwrap()
        .args(["serve", "--addr", "0.0.0.0:0"])
        .env_remove("JDCLASS_TOKEN")
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--token"));
}
