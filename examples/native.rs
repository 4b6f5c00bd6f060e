//! A command-line sign-in with the native transport: signs up (or in) with a password, keeps
//! the session in files so a second run is still signed in, shows the user, signs out.
//!
//! ```sh
//! cargo run --example native --features native-transport -- http://127.0.0.1:9912 ada@example.com 'a long password'
//! ```
//!
//! (`scripts/examples.sh` runs it against the test server, whose `--autoconfirm` signs new
//! users in at once.)

use gotrue_wasm::{
    AuthError, ClientOptions, FileStorage, GoTrueClient, ReqwestTransport, SignInWithPasswordCredentials, SignOutScope,
    SignUpCredentials,
};

// The client's futures are not `Send` (the same code runs in the browser), so one thread.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), AuthError> {
    let mut args = std::env::args().skip(1);
    let (Some(url), Some(email), Some(password)) = (args.next(), args.next(), args.next()) else {
        eprintln!("usage: native <auth url> <email> <password>");
        std::process::exit(2);
    };
    let dir = std::env::temp_dir().join(format!("gotrue-native-example-{}", std::process::id()));

    let client = GoTrueClient::new(ClientOptions::new(&url), ReqwestTransport::new()?, FileStorage::new(&dir));
    let signed_in = client.sign_in_with_password(SignInWithPasswordCredentials::email(&email, &password)).await;
    let response = match signed_in {
        Ok(response) => response,
        // No such user yet: sign up (the server confirms at once when autoconfirm is on).
        Err(error) if error.code() == Some("invalid_credentials") => {
            client.sign_up(SignUpCredentials::email(&email, &password)).await?
        }
        Err(error) => return Err(error),
    };
    let Some(session) = response.session else {
        println!("check {email}'s inbox to confirm the address, then run this again");
        return Ok(());
    };
    println!("signed in as {} (session valid for {} s)", session.user.email, session.expires_in);

    // A second client on the same directory, as the next run of the program would be.
    let next_run = GoTrueClient::new(ClientOptions::new(&url), ReqwestTransport::new()?, FileStorage::new(&dir));
    let restored = next_run.get_session().await?.ok_or_else(|| AuthError::network("no stored session"))?;
    println!("restored from {}: {}", dir.display(), restored.user.email);
    let user = next_run.get_user().await?;
    println!("user {} ({}), last sign-in {:?}", user.id, user.email, user.last_sign_in_at.map(|at| at.to_string()));

    next_run.sign_out(SignOutScope::Local).await?;
    println!(
        "signed out: stored session {}",
        if next_run.get_session().await?.is_none() { "removed" } else { "kept!" }
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
