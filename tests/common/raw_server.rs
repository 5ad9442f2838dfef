//! A loopback HTTP/1.1 server that answers with exact bytes, for answers
//! httpmock cannot give (a dropped connection, no answer at all) and to see
//! requests byte for byte.

use std::{
    future::Future,
    sync::{Arc, Mutex},
};

use futures_util::future::BoxFuture;

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

/// What the server does with a request.
#[derive(Clone)]
pub enum Reply {
    /// Writes these bytes and closes the connection.
    Bytes(Vec<u8>),
    /// Reads the request, then closes the connection without a word.
    Close,
    /// Reads the request and never answers.
    Hang,
    /// Writes these bytes, then keeps the connection open without writing
    /// more (an answer whose body is still on its way).
    Partial(Vec<u8>),
    /// Writes `head`, then `piece` `times` times, and closes: a large answer
    /// that the server never holds whole.
    Repeated {
        head: Vec<u8>,
        piece: Arc<[u8]>,
        times: usize,
    },
}

impl Reply {
    /// A complete answer with `Connection: close`.
    pub fn http(status: &str, headers: &[(&str, &str)], body: &str) -> Self {
        let mut out = format!(
            "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n",
            body.len()
        );
        for (name, value) in headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        out.push_str("\r\n");
        out.push_str(body);
        Self::Bytes(out.into_bytes())
    }
}

/// A request as received: the head (request line and headers) and the body.
#[derive(Clone, Debug)]
pub struct Received {
    pub head: String,
    pub body: Vec<u8>,
}

impl Received {
    /// The value of a header (names compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    pub fn request_line(&self) -> &str {
        self.head.lines().next().unwrap_or_default()
    }
}

pub struct RawServer {
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl RawServer {
    /// Serves `reply` to every request until the test ends.
    pub async fn start(reply: Reply) -> Self {
        Self::start_with(move |_| {
            let reply = reply.clone();
            async move { reply }
        })
        .await
    }

    /// Answers each request with what `handler` returns for it: a fake with
    /// state (a sequence of answers, an answer that changes after another
    /// request) that httpmock cannot express.
    pub async fn with_handler(
        handler: impl Fn(&Received) -> Reply + Send + Sync + 'static,
    ) -> Self {
        Self::start_with(move |request| {
            let reply = handler(&request);
            async move { reply }
        })
        .await
    }

    /// Answers each request with what `respond` returns for it; `respond`
    /// may wait (for other requests, for the test) before answering. A
    /// request is logged before `respond` is called.
    pub async fn start_with<F, Fut>(respond: F) -> Self
    where
        F: Fn(Received) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Reply> + Send + 'static,
    {
        let respond: Responder = Arc::new(move |request| Box::pin(respond(request)));
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (respond, log) = (respond.clone(), log.clone());
                tokio::spawn(serve(stream, respond, log));
            }
        });
        Self { url, received }
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("not poisoned").clone()
    }

    /// The request line of each request received, in order.
    pub fn request_lines(&self) -> Vec<String> {
        self.received()
            .iter()
            .map(|r| r.request_line().to_owned())
            .collect()
    }
}

type Responder = Arc<dyn Fn(Received) -> BoxFuture<'static, Reply> + Send + Sync>;

async fn serve(mut stream: TcpStream, respond: Responder, log: Arc<Mutex<Vec<Received>>>) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    log.lock().expect("not poisoned").push(request.clone());
    match respond(request).await {
        Reply::Bytes(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
        }
        Reply::Repeated { head, piece, times } => {
            let _ = stream.write_all(&head).await;
            for _ in 0..times {
                if stream.write_all(&piece).await.is_err() {
                    return;
                }
            }
            let _ = stream.shutdown().await;
        }
        Reply::Close => drop(stream),
        Reply::Hang => hang(&mut stream).await,
        Reply::Partial(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.flush().await;
            hang(&mut stream).await;
        }
    }
}

/// Keeps the connection open until the client gives up.
async fn hang(stream: &mut TcpStream) {
    let mut sink = [0u8; 1024];
    while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
}

async fn read_request(stream: &mut TcpStream) -> Option<Received> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length = head
        .lines()
        .find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Some(Received {
        head,
        body: buf[head_end..].to_vec(),
    })
}
