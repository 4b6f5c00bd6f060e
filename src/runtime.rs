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

/// The native runtime: the system clock, `/dev/urandom`, a built-in SHA-256, and a sleep
/// that leaves the thread free (the browser has its own runtime).
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
        Box::pin(native_sleep::Sleep::new(std::time::Duration::from_millis(u64::from(millis))))
    }
}

/// A sleep that does not block the thread, whatever drives the future (Tokio, a `LocalSet`,
/// any `block_on`): a helper thread waits and wakes the task. Sleeps are rare (refresh
/// retries), so a thread each is cheap enough, and no async runtime is required.
#[cfg(not(target_arch = "wasm32"))]
mod native_sleep {
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::{Arc, Mutex};
    use std::task::{Context, Poll, Waker};
    use std::time::Duration;

    #[derive(Default)]
    struct State {
        done: bool,
        waker: Option<Waker>,
    }

    pub(super) struct Sleep {
        duration: Duration,
        state: Option<Arc<Mutex<State>>>,
    }

    impl Sleep {
        pub(super) fn new(duration: Duration) -> Self {
            Sleep { duration, state: None }
        }
    }

    impl Future for Sleep {
        type Output = ();

        fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
            let duration = self.duration;
            let state = self.state.get_or_insert_with(|| {
                let state = Arc::new(Mutex::new(State::default()));
                let for_thread = Arc::clone(&state);
                let spawned = std::thread::Builder::new().name("gotrue-sleep".into()).spawn(move || {
                    std::thread::sleep(duration);
                    let waker = match for_thread.lock() {
                        Ok(mut state) => {
                            state.done = true;
                            state.waker.take()
                        }
                        Err(_) => None,
                    };
                    if let Some(waker) = waker {
                        waker.wake();
                    }
                });
                if spawned.is_err() {
                    // No thread to be had: sleep here rather than not at all.
                    std::thread::sleep(duration);
                    if let Ok(mut state) = state.lock() {
                        state.done = true;
                    }
                }
                state
            });
            let Ok(mut state) = state.lock() else { return Poll::Ready(()) };
            if state.done {
                Poll::Ready(())
            } else {
                state.waker = Some(context.waker().clone());
                Poll::Pending
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use std::time::Instant;

        #[test]
        fn other_tasks_run_while_it_sleeps() {
            let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
            let started = Instant::now();
            let (slept, other) = runtime.block_on(async {
                let sleep = async {
                    Sleep::new(Duration::from_millis(300)).await;
                    started.elapsed()
                };
                let other = async { started.elapsed() };
                tokio::join!(sleep, other)
            });
            assert!(slept >= Duration::from_millis(300), "{slept:?}");
            assert!(other < Duration::from_millis(150), "the other task waited for the sleep: {other:?}");
        }
    }
}
