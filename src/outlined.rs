//! Keeping a future's body out of its caller's.
//!
//! An `async fn` awaited from another is usually inlined into the caller's state machine,
//! and on wasm an operation's future then holds everything it awaits: one function of tens
//! of kilobytes that the code size figures cannot take apart, and whose states (every arm's
//! locals) all live in one large value. [`outlined`] polls the callee from a function of its
//! own instead. Measured with `scripts/wasm-anatomy.sh` before each use: it pays where the
//! callee is large and its caller has other work (the JS engine's operations), not
//! everywhere (around the request table's engine it cost 192 bytes gzip).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Awaits `future`, polling it from a non-inlined function.
pub(crate) async fn outlined<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    std::future::poll_fn(move |cx| poll_outlined(future.as_mut(), cx)).await
}

#[inline(never)]
fn poll_outlined<F: Future>(future: Pin<&mut F>, cx: &mut Context<'_>) -> Poll<F::Output> {
    future.poll(cx)
}
