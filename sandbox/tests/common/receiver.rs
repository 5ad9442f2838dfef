//! A webhook receiver on 127.0.0.1: it hands every request it gets to the
//! test and answers with the statuses it was given, then 200.

use std::{convert::Infallible, sync::Arc, time::Duration};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Request, Response, body::Incoming, server::conn::http1, service::service_fn};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::{
    net::TcpListener,
    sync::{Mutex, mpsc},
};

/// One request the receiver got.
#[derive(Debug)]
pub struct Delivery {
    pub method: String,
    pub path: String,
    pub content_type: String,
    pub body: Value,
}

pub struct Receiver {
    pub url: String,
    deliveries: mpsc::UnboundedReceiver<Delivery>,
}

impl Receiver {
    /// Answers the first requests with `statuses`, in order, and the rest with 200.
    pub async fn start(statuses: Vec<u16>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let (sender, deliveries) = mpsc::unbounded_channel();
        let statuses = Arc::new(Mutex::new(statuses.into_iter()));
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (sender, statuses) = (sender.clone(), statuses.clone());
                let service = service_fn(move |request: Request<Incoming>| {
                    let (sender, statuses) = (sender.clone(), statuses.clone());
                    async move {
                        let (parts, body) = request.into_parts();
                        let bytes = body
                            .collect()
                            .await
                            .map(|b| b.to_bytes())
                            .unwrap_or_default();
                        let delivery = Delivery {
                            method: parts.method.to_string(),
                            path: parts.uri.path().to_owned(),
                            content_type: parts
                                .headers
                                .get("content-type")
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or_default()
                                .to_owned(),
                            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
                        };
                        let status = statuses.lock().await.next().unwrap_or(200);
                        let _ = sender.send(delivery);
                        let mut response = Response::new(Full::new(Bytes::new()));
                        *response.status_mut() = status.try_into().unwrap();
                        Ok::<_, Infallible>(response)
                    }
                });
                tokio::spawn(http1::Builder::new().serve_connection(TokioIo::new(stream), service));
            }
        });
        Self { url, deliveries }
    }

    /// The next request, waiting up to ten seconds for it.
    pub async fn next(&mut self) -> Delivery {
        tokio::time::timeout(Duration::from_secs(10), self.deliveries.recv())
            .await
            .expect("a webhook request within 10 s")
            .expect("the receiver runs")
    }

    /// Whether nothing arrives within `wait` (real time).
    pub async fn quiet_for(&mut self, wait: Duration) -> bool {
        tokio::time::timeout(wait, self.deliveries.recv())
            .await
            .is_err()
    }
}

/// Waits (up to ten seconds) until the sandbox has no webhook event
/// waiting or being posted.
pub async fn settled(sandbox: &lox24_sandbox::Sandbox) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while sandbox.pending_webhooks() > 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "webhooks still pending after 10 s"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}
