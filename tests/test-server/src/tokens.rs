//! Sessions, refresh tokens and access tokens (contract §2.1, §7, §8).

use crate::clock::Ts;
use crate::models::{Amr, Session, User};
use crate::state::{AppState, Store};
use rand::Rng;
use serde_json::{json, Map, Value};
use uuid::Uuid;

const BASE32: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

/// A legacy (version 1) refresh token: 12 lower-case base32 characters.
pub fn random_refresh_token() -> String {
    let mut rng = rand::thread_rng();
    (0..12).map(|_| BASE32[rng.gen_range(0..32)] as char).collect()
}

pub fn random_otp() -> String {
    format!("{:06}", rand::thread_rng().gen_range(0..1_000_000))
}

pub fn access_token(st: &AppState, user: &User, session: &Session, now: Ts) -> (String, i64) {
    let iat = now.secs();
    let exp = iat + st.cfg.jwt_exp;
    let amr: Vec<Value> = session.amr.iter().map(|a| json!({ "method": a.method, "timestamp": a.timestamp })).collect();
    let claims = json!({
        "iss": &*st.external_url,
        "sub": user.id.to_string(),
        "aud": user.aud,
        "exp": exp,
        "iat": iat,
        "email": user.email,
        "phone": user.phone,
        "app_metadata": user.app_metadata,
        "user_metadata": user.user_metadata,
        "role": user.role,
        "aal": session.aal(),
        "amr": amr,
        "session_id": session.id.to_string(),
        "is_anonymous": user.is_anonymous,
    });
    (crate::keys::sign_access_token(st, &claims), exp)
}

pub fn insert_refresh_token(
    store: &mut Store,
    session_id: Uuid,
    user_id: Uuid,
    parent: Option<String>,
    now: Ts,
) -> String {
    let token = loop {
        let t = random_refresh_token();
        if !store.refresh_tokens.contains_key(&t) {
            break t;
        }
    };
    let seq = store.next_seq();
    store.refresh_tokens.insert(
        token.clone(),
        crate::models::RefreshToken {
            token: token.clone(),
            session_id,
            user_id,
            parent,
            revoked_at: None,
            created_at: now,
            seq,
        },
    );
    token
}

/// The Session ("AccessTokenResponse") body.
pub fn session_body(st: &AppState, user: &User, session: &Session, refresh_token: &str, now: Ts) -> Map<String, Value> {
    let (access, exp) = access_token(st, user, session, now);
    let mut m = Map::new();
    m.insert("access_token".into(), json!(access));
    m.insert("token_type".into(), json!("bearer"));
    m.insert("expires_in".into(), json!(exp - now.secs()));
    m.insert("expires_at".into(), json!(exp));
    m.insert("refresh_token".into(), json!(refresh_token));
    m.insert("user".into(), user.to_json());
    m
}

/// Signs a user in: a new session whose AMR records `method`, plus its first refresh token.
pub fn issue_session(st: &AppState, store: &mut Store, user_id: Uuid, method: &str, now: Ts) -> Map<String, Value> {
    let session = Session {
        id: Uuid::new_v4(),
        user_id,
        created_at: now,
        updated_at: now,
        amr: vec![Amr { method: method.into(), timestamp: now.secs() }],
        factor_id: None,
    };
    store.sessions.insert(session.id, session.clone());
    let refresh = insert_refresh_token(store, session.id, user_id, None, now);
    let user = store.users.get_mut(&user_id).expect("sessions are only issued for stored users");
    user.last_sign_in_at = Some(now);
    user.updated_at = now;
    let user = user.clone();
    session_body(st, &user, &session, &refresh, now)
}
