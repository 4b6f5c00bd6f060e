use gotrue_test_server::config::{Command, Config, HELP};
use gotrue_test_server::{app, AppState};
use std::io::Write;

#[tokio::main]
async fn main() {
    let cfg = match Config::from_args(std::env::args().skip(1)) {
        Ok(Command::Run(cfg)) => *cfg,
        Ok(Command::Help) => {
            print!("{HELP}");
            return;
        }
        Err(e) => {
            eprintln!("gotrue-test-server: {e}");
            std::process::exit(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind((cfg.host.as_str(), cfg.port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("gotrue-test-server: cannot bind {}:{}: {e}", cfg.host, cfg.port);
            std::process::exit(1);
        }
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(cfg.port);
    let host = if cfg.host.contains(':') { format!("[{}]", cfg.host) } else { cfg.host.clone() };
    let external_url = format!("http://{host}:{port}");
    // Scripts wait for the first line, `listening on …`, before sending requests. The second
    // is an admin key (also at GET /__test/service_role_key). A reader may close the pipe after
    // the first line, so write errors are ignored rather than panicking.
    let key = gotrue_test_server::routes::admin::service_role_key(&cfg.jwt_secret);
    let mut out = std::io::stdout();
    let _ = writeln!(out, "listening on {external_url}");
    let _ = writeln!(out, "service_role_key {key}");
    let _ = out.flush();
    let state = AppState::new(cfg, external_url);
    if let Err(e) = axum::serve(listener, app(state)).await {
        eprintln!("gotrue-test-server: {e}");
        std::process::exit(1);
    }
}
