//! `lox24 webhook listen`, the built binary: events posted to it over
//! loopback come out one per line, in text and as JSON lines; a malformed
//! body is refused and not printed; `--count` ends it.

mod common;

use std::{
    io::{BufRead, BufReader, Read},
    process::{Child, Stdio},
};

use common::Tool;
use serde_json::{Value, json};

fn delivery(id: &str, dlr: u8, callback: &str) -> Value {
    json!({
        "id": id, "name": "sms.delivery", "api_version": "2022-05-25",
        "created_at": 1653378603, "attempt_number": 1, "attempt_total": 4,
        "notification_task_id": "3378de83-de66-4de8-9d29-2b10d41bb641",
        "data": {"id": "d6c12ac4-cc7d-11ec-b6da-525400bbb7dc", "key_id": 8207,
                 "dlr_code": dlr, "status_code": 100, "callback_data": callback}
    })
}

fn reply() -> Value {
    json!({
        "id": "d6ff9b42-1da5-711f-df20-f0173a4e7df1", "name": "sms.incoming",
        "api_version": "2022-05-25", "created_at": 1653378703,
        "attempt_number": 1, "attempt_total": 1,
        "data": {"id": "e7d23bd5-dd8e-22fd-c7eb-636511ccc8ed", "from": "+491701234567",
                 "to": "+4915112345678", "text": "STOP", "received_at": 1653378703,
                 "msg_uuid": "d6c12ac4-cc7d-11ec-b6da-525400bbb7dc"}
    })
}

/// Starts `lox24 webhook listen --listen 127.0.0.1:0 …` and returns it with
/// the URL it printed on stderr.
fn listen(extra: &[&str]) -> (Child, String) {
    let args = [&["webhook", "listen", "--listen", "127.0.0.1:0"][..], extra].concat();
    let mut child = Tool::new()
        .command(&[], &args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut line = String::new();
    stderr.read_line(&mut line).expect("a line on stderr");
    let url = line
        .strip_prefix("listening on ")
        .and_then(|rest| rest.split(';').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();
    (child, url)
}

async fn post(url: &str, body: String) -> u16 {
    reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("the receiver answers")
        .status()
        .as_u16()
}

fn finish(mut child: Child) -> (i32, String) {
    let status = child.wait().expect("it ends").code().expect("an exit code");
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut stdout)
        .expect("UTF-8 stdout");
    (status, stdout)
}

#[tokio::test]
async fn events_come_out_as_json_lines_and_count_ends_the_listener() {
    let (child, url) = listen(&["--count", "2", "--json"]);
    let first = delivery("a3cd6e19-8af2-498d-ad07-c7840f1b4ac8", 1, "order-17");
    assert_eq!(post(&url, first.to_string()).await, 200);
    assert_eq!(post(&url, "<html>not an event</html>".into()).await, 400);
    assert_eq!(post(&url, reply().to_string()).await, 200);
    let (status, stdout) = finish(child);
    assert_eq!(status, 0, "{stdout}");
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON document per line"))
        .collect();
    assert_eq!(lines, [first, reply()]);
}

#[tokio::test]
async fn a_delivery_report_reads_as_one_line_with_its_message_and_callback() {
    let (child, url) = listen(&["--count", "1"]);
    let event = delivery("a3cd6e19-8af2-498d-ad07-c7840f1b4ac8", 8, "order-18");
    assert_eq!(post(&url, event.to_string()).await, 200);
    let (status, stdout) = finish(child);
    assert_eq!(status, 0);
    assert_eq!(
        stdout,
        "sms.delivery  sms d6c12ac4-cc7d-11ec-b6da-525400bbb7dc  status handed to the network \
         (100)  report expired (8), final  callback order-18  (attempt 1/4, event \
         a3cd6e19-8af2-498d-ad07-c7840f1b4ac8)\n"
    );
}

#[tokio::test]
async fn a_taken_address_is_a_local_error_with_a_hint() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bound");
    let address = taken.local_addr().expect("an address").to_string();
    let run = Tool::new()
        .run(&["webhook", "listen", "--listen", &address])
        .await;
    run.exit(1);
    assert!(
        run.stderr.contains(&format!("listen on {address}")),
        "{run:#?}"
    );
    assert!(run.stderr.contains("--listen"), "{run:#?}");
}
