//! A sandbox and a plain HTTP client for it, so that every status, header
//! and body is seen as sent.

use std::time::Duration;

use lox24_sandbox::{DEFAULT_TOKEN, ManualClock, Sandbox, SandboxBuilder};
use reqwest::{Method, StatusCode, header::HeaderMap};
use serde_json::{Value, json};

pub const LD: &str = "application/ld+json";
pub const JSON: &str = "application/json";
/// Symfony's constraint codes that LOX24's violations carry.
pub const NOT_BLANK: &str = "c1051bb4-d103-4f74-8988-acbcafc7fdc3";
pub const TOO_LONG: &str = "d94b19cc-114f-4f44-9cc4-4138e80a87b9";
pub const CHOICE: &str = "8e179f1b-97aa-4560-a02f-2a8b42e49df7";
pub const PROBLEM_TYPE: &str = "https://tools.ietf.org/html/rfc2616#section-10";

/// A sandbox and a plain HTTP client for it.
pub struct Peer {
    pub sandbox: Sandbox,
    pub http: reqwest::Client,
}

/// One answer, read in full.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    pub fn request_id(&self) -> String {
        let id = self.headers["x-lox24-request-id"]
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(id.len(), 32, "{id}");
        assert!(id.bytes().all(|b| b.is_ascii_alphanumeric()), "{id}");
        id
    }
}

impl Peer {
    pub async fn start(builder: SandboxBuilder) -> Self {
        Self {
            sandbox: builder.start().await.expect("the sandbox starts"),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .unwrap(),
        }
    }

    pub async fn default() -> Self {
        Self::start(Sandbox::builder()).await
    }

    /// A request with the sandbox's token, in `accept`.
    pub fn request(&self, method: Method, path: &str, accept: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.sandbox.base_url()))
            .header("x-lox24-auth-token", DEFAULT_TOKEN)
            .header("accept", accept)
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Answer {
        let response = request.send().await.expect("an answer");
        let (status, headers) = (response.status(), response.headers().clone());
        let bytes = response.bytes().await.expect("a body");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        Answer {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str, accept: &str) -> Answer {
        self.send(self.request(Method::GET, path, accept)).await
    }

    pub async fn post(&self, path: &str, accept: &str, body: Value) -> Answer {
        self.send(self.request(Method::POST, path, accept).json(&body))
            .await
    }

    pub async fn put(&self, path: &str, body: Option<Value>) -> Answer {
        let request = self.request(Method::PUT, path, JSON);
        let request = match body {
            Some(body) => request.json(&body),
            None => request,
        };
        self.send(request).await
    }

    pub async fn delete(&self, path: &str) -> Answer {
        self.send(self.request(Method::DELETE, path, JSON)).await
    }

    /// Creates a group and returns its id.
    pub async fn group(&self, name: &str, phones: &[&str]) -> u64 {
        let created = self.post("/groups", JSON, json!({"name": name})).await;
        assert_eq!(created.status, 201, "{created:?}");
        let id = created.body["id"].as_u64().unwrap();
        if !phones.is_empty() {
            let entries: Vec<Value> = phones.iter().map(|p| json!({"phone": p})).collect();
            let batch = self
                .post(&format!("/groups/{id}/phones/batch"), JSON, json!(entries))
                .await;
            assert_eq!(batch.status, 201);
        }
        id
    }
}

pub fn clocked(clock: &ManualClock) -> SandboxBuilder {
    Sandbox::builder().clock(clock.clone())
}
