//! Fakes for the native tests: a transport that records requests and answers from a queue,
//! a clock that tests move by hand, and a minimal executor.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use crate::error::AuthError;
use crate::http::{HttpRequest, HttpResponse, HttpTransport};
use crate::runtime::{LocalBoxFuture, Runtime};

/// Runs a future that never waits on anything external (all fakes answer at once).
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    struct Noop;
    impl Wake for Noop {
        fn wake(self: Arc<Self>) {}
    }
    let waker = Waker::from(Arc::new(Noop));
    let mut context = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}

#[derive(Clone, Default)]
pub(crate) struct FakeTransport {
    responses: Rc<RefCell<VecDeque<Result<HttpResponse, AuthError>>>>,
    requests: Rc<RefCell<Vec<HttpRequest>>>,
}

impl FakeTransport {
    pub(crate) fn push_response(&self, status: u16, headers: &[(&str, &str)], body: &str) {
        self.responses.borrow_mut().push_back(Ok(HttpResponse {
            status,
            headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            body: body.to_string(),
        }));
    }

    pub(crate) fn push_json(&self, status: u16, body: &str) {
        let headers: &[(&str, &str)] = if status >= 400 { &[("X-Supabase-Api-Version", "2024-01-01")] } else { &[] };
        self.push_response(status, headers, body);
    }

    pub(crate) fn push_network_error(&self) {
        self.push_error(AuthError::network("Failed to fetch"));
    }

    pub(crate) fn push_error(&self, error: AuthError) {
        self.responses.borrow_mut().push_back(Err(error));
    }

    pub(crate) fn requests(&self) -> Vec<HttpRequest> {
        self.requests.borrow().clone()
    }

    pub(crate) fn last_request(&self) -> HttpRequest {
        self.requests.borrow().last().cloned().expect("no request was sent")
    }
}

/// Pending on the first poll, ready on the second: lets tests interleave two operations.
pub(crate) struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

/// Polls two futures in turn until both are done.
pub(crate) fn join2<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let mut a = std::pin::pin!(a);
    let mut b = std::pin::pin!(b);
    let (mut out_a, mut out_b) = (None, None);
    struct Noop;
    impl Wake for Noop {
        fn wake(self: Arc<Self>) {}
    }
    let waker = Waker::from(Arc::new(Noop));
    let mut context = Context::from_waker(&waker);
    while out_a.is_none() || out_b.is_none() {
        if out_a.is_none() {
            if let Poll::Ready(value) = a.as_mut().poll(&mut context) {
                out_a = Some(value);
            }
        }
        if out_b.is_none() {
            if let Poll::Ready(value) = b.as_mut().poll(&mut context) {
                out_b = Some(value);
            }
        }
    }
    (out_a.expect("done"), out_b.expect("done"))
}

impl HttpTransport for FakeTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, AuthError> {
        self.requests.borrow_mut().push(request);
        YieldOnce(false).await;
        self.responses.borrow_mut().pop_front().expect("the test queued no response for this request")
    }
}

/// Time that moves only when a test (or a sleep) moves it; deterministic "randomness";
/// the built-in SHA-256.
#[derive(Clone)]
pub(crate) struct FakeRuntime {
    millis: Rc<Cell<i64>>,
    counter: Rc<Cell<u8>>,
    pub(crate) sleeps: Rc<RefCell<Vec<u32>>>,
}

impl FakeRuntime {
    pub(crate) fn at_seconds(seconds: i64) -> Self {
        FakeRuntime {
            millis: Rc::new(Cell::new(seconds * 1000)),
            counter: Rc::new(Cell::new(0)),
            sleeps: Rc::default(),
        }
    }

    pub(crate) fn advance_seconds(&self, seconds: i64) {
        self.millis.set(self.millis.get() + seconds * 1000);
    }
}

impl Runtime for FakeRuntime {
    fn now_millis(&self) -> i64 {
        self.millis.get()
    }

    fn fill_random(&self, bytes: &mut [u8]) -> Result<(), AuthError> {
        for byte in bytes {
            self.counter.set(self.counter.get().wrapping_add(37));
            *byte = self.counter.get();
        }
        Ok(())
    }

    fn sha256<'a>(&'a self, data: &'a [u8]) -> LocalBoxFuture<'a, Result<[u8; 32], AuthError>> {
        Box::pin(async move { Ok(crate::sha256::digest(data)) })
    }

    fn sleep(&self, millis: u32) -> LocalBoxFuture<'static, ()> {
        self.sleeps.borrow_mut().push(millis);
        self.millis.set(self.millis.get() + i64::from(millis));
        Box::pin(async {})
    }
}
