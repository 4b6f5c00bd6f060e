//! One operation in flight, many awaiting its outcome: concurrent refreshes of one client
//! share a single request.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// The outcome of an in-flight operation, once it is known.
pub(crate) struct Shared<T> {
    outcome: RefCell<Option<T>>,
    waiters: RefCell<Vec<Waker>>,
}

impl<T: Clone> Shared<T> {
    pub(crate) fn new() -> Rc<Self> {
        Rc::new(Shared { outcome: RefCell::new(None), waiters: RefCell::new(Vec::new()) })
    }

    /// Records the outcome and wakes everyone waiting for it.
    pub(crate) fn complete(&self, value: T) {
        *self.outcome.borrow_mut() = Some(value);
        for waker in self.waiters.borrow_mut().drain(..) {
            waker.wake();
        }
    }

    /// Waits for the outcome.
    pub(crate) fn wait(self: &Rc<Self>) -> Wait<T> {
        Wait { shared: Rc::clone(self) }
    }
}

pub(crate) struct Wait<T> {
    shared: Rc<Shared<T>>,
}

impl<T: Clone> Future for Wait<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        if let Some(value) = self.shared.outcome.borrow().as_ref() {
            return Poll::Ready(value.clone());
        }
        self.shared.waiters.borrow_mut().push(cx.waker().clone());
        Poll::Pending
    }
}
