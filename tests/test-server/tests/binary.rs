//! The real binary over a real socket: the startup line scripts wait for, and responses that
//! hyper must be able to serialise (the in-process router skips that step).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn request(addr: &str, raw: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
    s.write_all(raw.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn serves_over_tcp() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gotrue-test-server"))
        .args(["--port", "0", "--autoconfirm"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _guard = Running(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let url = line
        .trim_end()
        .strip_prefix("listening on http://127.0.0.1:")
        .map(|port| format!("127.0.0.1:{port}"))
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));

    let r = request(&url, "GET /user HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert!(r.starts_with("HTTP/1.1 401"), "{r}");
    assert!(r.contains("\"error_code\":\"no_authorization\""), "{r}");

    let body = r#"{"email":"tcp@example.com","password":"abc"}"#;
    let r = request(
        &url,
        &format!(
            "POST /signup HTTP/1.1\r\nHost: x\r\nOrigin: http://localhost:5173\r\nX-Supabase-Api-Version: 2024-01-01\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    assert!(r.starts_with("HTTP/1.1 422"), "{r}");
    assert!(r.contains("\"code\":\"weak_password\""), "{r}");
    assert!(r.to_ascii_lowercase().contains("access-control-allow-origin: *"), "{r}");

    let r = request(
        &url,
        "OPTIONS /token HTTP/1.1\r\nHost: x\r\nOrigin: http://a\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: apikey\r\nConnection: close\r\n\r\n",
    );
    assert!(r.starts_with("HTTP/1.1 204"), "{r}");
    assert!(!r.to_ascii_lowercase().contains("\nallow:"), "preflight never reaches the router: {r}");
}

/// Starts the binary with `args`; returns the guard and `127.0.0.1:PORT`.
fn start(args: &[&str]) -> (Running, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gotrue-test-server"))
        .args(["--port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let guard = Running(child);
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().unwrap().unwrap();
    let url = first.strip_prefix("listening on http://").unwrap_or_else(|| panic!("{first:?}")).to_string();
    (guard, url)
}

fn send(addr: &str, method: &str, path: &str, bearer: &str, body: &str) -> String {
    request(
        addr,
        &format!(
            "{method} {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {bearer}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
}

#[test]
fn new_features_over_tcp() {
    let (_guard, url) =
        start(&["--autoconfirm", "--passkeys", "--oauth-server", "--custom-providers", "--phone-no-sms"]);
    let key = {
        let r = request(&url, "GET /__test/service_role_key HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        let body = &r[r.find("\r\n\r\n").unwrap() + 4..];
        serde_json::from_str::<serde_json::Value>(body).unwrap()["key"].as_str().unwrap().to_string()
    };
    let r = send(&url, "GET", "/settings", "", "");
    assert!(r.contains("\"passkeys_enabled\":true") && r.contains("\"sms_provider\":\"\""), "{r}");
    let r = send(&url, "POST", "/admin/oauth/clients", &key, r#"{"redirect_uris":["http://localhost:1/cb"]}"#);
    assert!(r.starts_with("HTTP/1.1 201"), "{r}");
    let id = r.split("\"client_id\":\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let r = send(&url, "DELETE", &format!("/admin/oauth/clients/{id}"), &key, "");
    assert!(r.starts_with("HTTP/1.1 204"), "{r}");
    let r = send(&url, "GET", "/passkeys", "x", "");
    assert!(r.starts_with("HTTP/1.1 403") && r.contains("bad_jwt"), "{r}");
    let r = send(&url, "POST", "/otp", "", r#"{"phone":"+15550002222"}"#);
    assert!(r.starts_with("HTTP/1.1 500") && r.contains("Unable to get SMS provider"), "{r}");

    let (_off, url) = start(&[]);
    let r = send(&url, "PATCH", "/passkeys/whatever", "", "{}");
    assert!(r.starts_with("HTTP/1.1 404") && r.contains("passkey_disabled"), "{r}");
}
