//! What the client needs from its platform besides HTTP and storage: time, randomness,
//! SHA-256, sleeping, and a cross-tab lock. Object-safe so one `Rc<dyn Runtime>` serves
//! every client; the browser implements it with `Date`, WebCrypto, `setTimeout` and Web Locks.

use std::future::Future;
use std::pin::Pin;

use crate::error::AuthError;

/// A boxed future that need not be `Send` (wasm is single-threaded).
pub type LocalBoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// The platform services the client uses.
pub trait Runtime {
    /// Milliseconds since the Unix epoch.
    fn now_millis(&self) -> i64;

    /// Whole seconds since the Unix epoch.
    fn now_seconds(&self) -> i64 {
        self.now_millis().div_euclid(1000)
    }

    /// Fills `bytes` from a cryptographically secure source.
    fn fill_random(&self, bytes: &mut [u8]) -> Result<(), AuthError>;

    /// SHA-256 of `data`.
    fn sha256<'a>(&'a self, data: &'a [u8]) -> LocalBoxFuture<'a, Result<[u8; 32], AuthError>>;

    /// Waits `millis` milliseconds.
    fn sleep(&self, millis: u32) -> LocalBoxFuture<'static, ()>;

    /// Checks a JWS signature over `data` with the public key `jwk` (JWK JSON text) for
    /// `alg` (`RS256`, `ES256`). `Ok(false)` for a wrong signature; an error where the
    /// platform cannot verify.
    fn verify_signature<'a>(
        &'a self,
        alg: &'a str,
        jwk: &'a str,
        data: &'a [u8],
        signature: &'a [u8],
    ) -> LocalBoxFuture<'a, Result<bool, AuthError>> {
        let _ = (alg, jwk, data, signature);
        Box::pin(async { Err(AuthError::unknown("This platform cannot verify JWT signatures")) })
    }

    /// Takes the cross-tab lock `name` for as long as the returned guard lives. `None` when
    /// the platform has no such lock or it could not be had within a bounded wait: the
    /// caller then goes on without it (never waits forever).
    fn lock<'a>(&'a self, name: &'a str) -> LocalBoxFuture<'a, Option<LockGuard>> {
        let _ = name;
        Box::pin(async { None })
    }
}

/// Holds a cross-tab lock; dropping it releases the lock.
pub struct LockGuard {
    release: Option<Box<dyn FnOnce()>>,
}

impl LockGuard {
    /// A guard that calls `release` when dropped.
    pub fn new(release: impl FnOnce() + 'static) -> Self {
        LockGuard { release: Some(Box::new(release)) }
    }
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        if let Some(release) = self.release.take() {
            release();
        }
    }
}

impl std::fmt::Debug for LockGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LockGuard")
    }
}

/// The native runtime: the system clock, `/dev/urandom`, a built-in SHA-256, and a
/// blocking sleep (native use is tools and tests; the browser has its own runtime).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Copy, Debug, Default)]
pub struct NativeRuntime;

#[cfg(not(target_arch = "wasm32"))]
impl Runtime for NativeRuntime {
    fn now_millis(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| elapsed.as_millis() as i64)
            .unwrap_or(0)
    }

    fn fill_random(&self, bytes: &mut [u8]) -> Result<(), AuthError> {
        use std::io::Read;
        std::fs::File::open("/dev/urandom")
            .and_then(|mut source| source.read_exact(bytes))
            .map_err(|_| AuthError::unknown("No secure random source is available"))
    }

    fn sha256<'a>(&'a self, data: &'a [u8]) -> LocalBoxFuture<'a, Result<[u8; 32], AuthError>> {
        Box::pin(async move { Ok(crate::sha256::digest(data)) })
    }

    fn sleep(&self, millis: u32) -> LocalBoxFuture<'static, ()> {
        Box::pin(async move { std::thread::sleep(std::time::Duration::from_millis(u64::from(millis))) })
    }
}
