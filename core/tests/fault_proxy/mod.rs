//! A small HTTP/1.1 proxy in front of the real Ironic that injects faults: answers chosen requests
//! with Ironic's 409 "node locked", stops listening for a while (connections refused), holds a
//! request or its answer (a slow Ironic), loses an answer (the connection closed after Ironic
//! took the request), answers as a failing gateway would (502/504, before or after forwarding),
//! or swaps the client's credentials (to play a password rotated on the server). Everything else is forwarded unchanged, one request per connection, so
//! every request passes through the rules.

// Shared by several test binaries, each of which uses part of it.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::task::JoinHandle;

/// Answer the next `remaining` requests with `method` whose path ends with `path_suffix` with 409.
struct ConflictRule {
    method: String,
    path_suffix: String,
    remaining: u32,
}

/// After forwarding the first request matching `method` and `path_suffix`, stop listening for
/// `down_for`.
struct OutageRule {
    method: String,
    path_suffix: String,
    down_for: Duration,
}

/// Where a delayed request waits: before Ironic sees it, or after Ironic answered.
#[derive(Clone, Copy, Debug)]
pub enum Delay {
    Request(Duration),
    Answer(Duration),
}

/// Delay the next request matching `method` and `path_suffix` as `delay` says.
struct DelayRule {
    method: String,
    path_suffix: String,
    delay: Delay,
}

/// What a gateway in front of Ironic does to a request.
#[derive(Clone, Copy, Debug)]
pub enum Gateway {
    /// Forwards it, then closes the client's connection without an answer.
    LoseAnswer,
    /// Answers this status without forwarding (Ironic never sees the request).
    Refuse(u16),
    /// Forwards it, then answers this status instead of Ironic's answer.
    ReplaceAnswer(u16),
}

struct GatewayRule {
    method: String,
    path_suffix: String,
    gateway: Gateway,
    remaining: u32,
}

#[derive(Default)]
struct State {
    gateway: Mutex<Vec<GatewayRule>>,
    conflicts: Mutex<Vec<ConflictRule>>,
    delays: Mutex<Vec<DelayRule>>,
    /// Method and path of every request forwarded to Ironic, in order.
    seen: Mutex<Vec<(String, String)>>,
    outage: Mutex<Option<OutageRule>>,
    /// Authorization header value sent to Ironic instead of the client's own.
    authorization: Mutex<Option<String>>,
    accept_loop: tokio::sync::Mutex<Option<JoinHandle<()>>>,
    injected_conflicts: AtomicU32,
    forwarded: AtomicU32,
    outages: AtomicU32,
}

#[derive(Clone)]
pub struct FaultProxy {
    addr: SocketAddr,
    upstream: SocketAddr,
    state: Arc<State>,
}

impl FaultProxy {
    /// A proxy for `upstream_url` (`http://host:port`) on a free loopback port, not listening
    /// yet: connections to it are refused until [`FaultProxy::start`].
    pub fn reserve(upstream_url: &str) -> FaultProxy {
        let upstream: SocketAddr = upstream_url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .expect("upstream is http://IP:PORT");
        // Bound but never listened on: the port is ours and connections to it are refused.
        let socket = new_socket();
        socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = socket.local_addr().unwrap();
        drop(socket);
        FaultProxy {
            addr,
            upstream,
            state: Arc::new(State::default()),
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Starts accepting connections (again).
    pub async fn start(&self) {
        let socket = new_socket();
        socket.bind(self.addr).expect("rebind the proxy's port");
        let listener = socket.listen(64).unwrap();
        let proxy = self.clone();
        let handle = tokio::spawn(async move { proxy.accept_loop(listener).await });
        *self.state.accept_loop.lock().await = Some(handle);
    }

    /// Stops listening: new connections are refused; requests in flight complete.
    pub async fn stop(&self) {
        if let Some(handle) = self.state.accept_loop.lock().await.take() {
            handle.abort();
            let _ = handle.await; // the listener is dropped once the task is gone
        }
    }

    pub fn conflict_next(&self, method: &str, path_suffix: &str, times: u32) {
        self.state.conflicts.lock().unwrap().push(ConflictRule {
            method: method.to_owned(),
            path_suffix: path_suffix.to_owned(),
            remaining: times,
        });
    }

    pub fn outage_after(&self, method: &str, path_suffix: &str, down_for: Duration) {
        *self.state.outage.lock().unwrap() = Some(OutageRule {
            method: method.to_owned(),
            path_suffix: path_suffix.to_owned(),
            down_for,
        });
    }

    /// The next `times` requests with `method` whose path ends with `path_suffix` meet `gateway`.
    pub fn gateway_next(&self, method: &str, path_suffix: &str, gateway: Gateway, times: u32) {
        self.state.gateway.lock().unwrap().push(GatewayRule {
            method: method.to_owned(),
            path_suffix: path_suffix.to_owned(),
            gateway,
            remaining: times,
        });
    }

    fn take_gateway(&self, method: &str, path: &str) -> Option<Gateway> {
        let mut rules = self.state.gateway.lock().unwrap();
        let rule = rules
            .iter_mut()
            .find(|r| r.remaining > 0 && r.method == method && path.ends_with(&r.path_suffix))?;
        rule.remaining -= 1;
        Some(rule.gateway)
    }

    pub fn delay_next(&self, method: &str, path_suffix: &str, delay: Delay) {
        self.state.delays.lock().unwrap().push(DelayRule {
            method: method.to_owned(),
            path_suffix: path_suffix.to_owned(),
            delay,
        });
    }

    /// How many requests with `method` whose path ends with `path_suffix` reached Ironic.
    pub fn forwarded_matching(&self, method: &str, path_suffix: &str) -> usize {
        self.state
            .seen
            .lock()
            .unwrap()
            .iter()
            .filter(|(m, p)| m == method && p.ends_with(path_suffix))
            .count()
    }

    pub fn replace_authorization(&self, value: Option<String>) {
        *self.state.authorization.lock().unwrap() = value;
    }

    pub fn injected_conflicts(&self) -> u32 {
        self.state.injected_conflicts.load(Ordering::SeqCst)
    }

    pub fn forwarded(&self) -> u32 {
        self.state.forwarded.load(Ordering::SeqCst)
    }

    pub fn outages(&self) -> u32 {
        self.state.outages.load(Ordering::SeqCst)
    }

    async fn accept_loop(self, listener: TcpListener) {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let proxy = self.clone();
            tokio::spawn(async move {
                if let Err(error) = proxy.serve(stream).await {
                    eprintln!("fault proxy: {error}");
                }
            });
        }
    }

    async fn serve(&self, mut client: TcpStream) -> std::io::Result<()> {
        let Some(request) = read_message(&mut client, true).await? else {
            return Ok(());
        };
        let (method, path) = request_line(&request.head);
        // A delayed request is held first, so a conflict can be answered late (while someone
        // else changes the node).
        let delay = self.take_delay(&method, &path);
        if let Some(Delay::Request(pause)) = delay {
            tokio::time::sleep(pause).await;
        }
        if self.take_conflict(&method, &path) {
            self.state.injected_conflicts.fetch_add(1, Ordering::SeqCst);
            client.write_all(&conflict_response(&path)).await?;
            return client.shutdown().await;
        }
        let gateway = self.take_gateway(&method, &path);
        if let Some(Gateway::Refuse(status)) = gateway {
            client.write_all(&gateway_response(status)).await?;
            return client.shutdown().await;
        }
        let authorization = self.state.authorization.lock().unwrap().clone();
        let head = rewrite_head(&request.head, authorization.as_deref());
        let mut upstream = TcpStream::connect(self.upstream).await?;
        upstream.write_all(head.as_bytes()).await?;
        upstream.write_all(&request.body).await?;
        self.state
            .seen
            .lock()
            .unwrap()
            .push((method.clone(), path.clone()));
        let response = read_message(&mut upstream, false)
            .await?
            .ok_or_else(|| std::io::Error::other("Ironic closed without an answer"))?;
        if let Some(Delay::Answer(pause)) = delay {
            tokio::time::sleep(pause).await;
        }
        match gateway {
            Some(Gateway::LoseAnswer) => {
                // Closed with nothing written: the client sees the connection end unanswered.
                drop(client);
                return Ok(());
            }
            Some(Gateway::ReplaceAnswer(status)) => {
                client.write_all(&gateway_response(status)).await?;
                return client.shutdown().await;
            }
            _ => {}
        }
        client
            .write_all(rewrite_head(&response.head, None).as_bytes())
            .await?;
        client.write_all(&response.body).await?;
        client.shutdown().await?;
        self.state.forwarded.fetch_add(1, Ordering::SeqCst);
        self.maybe_start_outage(&method, &path);
        Ok(())
    }

    fn take_conflict(&self, method: &str, path: &str) -> bool {
        let mut rules = self.state.conflicts.lock().unwrap();
        for rule in rules.iter_mut() {
            if rule.remaining > 0 && rule.method == method && path.ends_with(&rule.path_suffix) {
                rule.remaining -= 1;
                return true;
            }
        }
        false
    }

    fn take_delay(&self, method: &str, path: &str) -> Option<Delay> {
        let mut rules = self.state.delays.lock().unwrap();
        let index = rules
            .iter()
            .position(|r| r.method == method && path.ends_with(&r.path_suffix))?;
        Some(rules.remove(index).delay)
    }

    fn maybe_start_outage(&self, method: &str, path: &str) {
        let rule = {
            let mut outage = self.state.outage.lock().unwrap();
            match outage.as_ref() {
                Some(rule) if rule.method == method && path.ends_with(&rule.path_suffix) => {
                    outage.take()
                }
                _ => None,
            }
        };
        let Some(rule) = rule else { return };
        self.state.outages.fetch_add(1, Ordering::SeqCst);
        let proxy = self.clone();
        tokio::spawn(async move {
            proxy.stop().await;
            tokio::time::sleep(rule.down_for).await;
            proxy.start().await;
        });
    }
}

fn new_socket() -> TcpSocket {
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_reuseaddr(true).unwrap();
    socket
}

struct Message {
    head: String,
    body: Vec<u8>,
}

/// Reads one HTTP message: the head, then a body of Content-Length bytes, or for a response
/// without one, up to the end of the stream (we ask for `Connection: close`).
async fn read_message<S: AsyncRead + Unpin>(
    stream: &mut S,
    is_request: bool,
) -> std::io::Result<Option<Message>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(end) = find(&buf, b"\r\n\r\n") {
            break end + 4;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut body = buf[head_end..].to_vec();
    let length = header(&head, "content-length").and_then(|v| v.parse::<usize>().ok());
    match length {
        Some(length) => {
            while body.len() < length {
                let n = stream.read(&mut chunk).await?;
                if n == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..n]);
            }
        }
        None if is_request => {}
        None => {
            stream.read_to_end(&mut body).await?;
        }
    }
    Ok(Some(Message { head, body }))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().skip(1).find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then_some(value.trim())
    })
}

/// Method and path (without query) of a request head.
fn request_line(head: &str) -> (String, String) {
    let mut parts = head.lines().next().unwrap_or_default().split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default();
    let path = target.split('?').next().unwrap_or_default().to_owned();
    (method, path)
}

/// The head with `Connection: close` (one message per connection) and, when given, another
/// Authorization value.
fn rewrite_head(head: &str, authorization: Option<&str>) -> String {
    let mut lines: Vec<String> = Vec::new();
    for line in head.trim_end_matches("\r\n").split("\r\n") {
        let name = line.split(':').next().unwrap_or_default().trim();
        if name.eq_ignore_ascii_case("connection") || name.eq_ignore_ascii_case("keep-alive") {
            continue;
        }
        if authorization.is_some() && name.eq_ignore_ascii_case("authorization") {
            continue;
        }
        lines.push(line.to_owned());
    }
    lines.push("Connection: close".to_owned());
    if let Some(value) = authorization {
        lines.push(format!("Authorization: {value}"));
    }
    lines.join("\r\n") + "\r\n\r\n"
}

/// A gateway's error page (not JSON, as nginx or haproxy send it).
fn gateway_response(status: u16) -> Vec<u8> {
    let reason = match status {
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    };
    let body = format!("<html><body><h1>{status} {reason}</h1></body></html>");
    format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// What Ironic answers when a conductor holds the node's lock.
fn conflict_response(path: &str) -> Vec<u8> {
    let fault = serde_json::json!({
        "faultstring": format!(
            "Node {path} is locked by host fault-proxy, please retry after the current operation is completed."
        ),
        "faultcode": "Client",
        "debuginfo": null,
    });
    let body = serde_json::json!({ "error_message": fault.to_string() }).to_string();
    format!(
        "HTTP/1.1 409 Conflict\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}
