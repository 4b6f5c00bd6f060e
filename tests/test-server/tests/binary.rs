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
