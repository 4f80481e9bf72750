//! Retrying requests that failed for reasons expected to pass: no connection, a timeout on a
//! request that is safe to repeat, 503, a proxy's 502/504 on a request that is safe to repeat,
//! and 409 (Ironic's "node is locked" / "transition in progress"). Never any other 4xx: those
//! will not change by asking again.

use std::future::Future;
use std::time::{Duration, Instant};

use rand::Rng;

use super::config::RetryPolicy;
use super::error::IronicError;

/// Whether `error` is worth another attempt. `idempotent` is false for requests whose repetition
/// could do the work twice (e.g. POST creating a node) after an answer may have been lost.
pub fn is_retryable(error: &IronicError, idempotent: bool) -> bool {
    match error {
        // A refused connection never reached Ironic, so repeating is always safe.
        IronicError::Unreachable { source, .. } => idempotent || source.is_connect(),
        IronicError::Timeout { .. } => idempotent,
        // Ironic rejected the request before doing anything. A repeatable request is simply
        // sent again; a state change is not: by the time the node is free, someone else's
        // change may have made it pointless (two applies rebuilding one host would write its
        // disk twice), so the lifecycle re-reads the node before sending it again.
        IronicError::Conflict { .. } => idempotent,
        IronicError::Http { status, .. } => match status {
            503 => true,
            // A proxy's "bad gateway" / "gateway timeout": Ironic may have taken the request,
            // so only a request whose repetition is harmless is sent again; the lifecycle
            // re-reads the node after the others (`IronicError::is_answer_lost`).
            502 | 504 => idempotent,
            _ => false,
        },
        _ => false,
    }
}

/// Delay before retry number `retry` (0 for the first retry): exponential, capped, with jitter
/// between half and all of it so many clients hitting a locked node do not retry in lockstep.
pub fn backoff_delay(policy: &RetryPolicy, retry: u32) -> Duration {
    let factor = 2u32.saturating_pow(retry.min(20));
    let full = policy
        .base_delay
        .saturating_mul(factor)
        .min(policy.max_delay);
    let half = full.checked_div(2).unwrap_or_default();
    let most = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
    let jitter_ns = rand::rng().random_range(0..=most);
    half.saturating_add(Duration::from_nanos(jitter_ns))
}

/// Runs `attempt` until it succeeds, fails with a non-retryable error, or the policy's attempts
/// or elapsed time run out (then the last error is returned).
pub async fn with_retry<T, F, Fut>(
    policy: &RetryPolicy,
    idempotent: bool,
    mut attempt: F,
) -> Result<T, IronicError>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T, IronicError>>,
{
    let started = Instant::now();
    let mut number = 0u32;
    loop {
        number = number.saturating_add(1);
        let error = match attempt(number).await {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        if number >= policy.max_attempts.max(1) || !is_retryable(&error, idempotent) {
            return Err(error);
        }
        let delay = backoff_delay(policy, number.saturating_sub(1));
        if started.elapsed().saturating_add(delay) > policy.max_elapsed {
            return Err(error);
        }
        if error.is_outage() && (number == 1 || number.is_multiple_of(10)) {
            // An outage can last minutes: say so at the default log level, not for every try.
            let left = policy.max_elapsed.saturating_sub(started.elapsed());
            tracing::warn!(
                "Ironic is unavailable ({error}); retrying for up to {:.0}s more",
                left.as_secs_f64()
            );
        }
        tracing::debug!(attempt = number, delay_ms = delay.as_millis() as u64, error = %error, "retrying Ironic request");
        tokio::time::sleep(delay).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn fast(max_attempts: u32) -> RetryPolicy {
        RetryPolicy {
            max_attempts,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(4),
            max_elapsed: Duration::from_secs(5),
        }
    }

    fn conflict() -> IronicError {
        IronicError::Conflict {
            request: "PUT x".into(),
            message: "locked".into(),
        }
    }

    #[test]
    fn delay_grows_and_is_capped() {
        let p = RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
            max_elapsed: Duration::from_secs(60),
        };
        for _ in 0..50 {
            let d0 = backoff_delay(&p, 0);
            assert!(d0 >= Duration::from_millis(50) && d0 <= Duration::from_millis(100));
            let d9 = backoff_delay(&p, 9);
            assert!(d9 >= Duration::from_millis(500) && d9 <= Duration::from_secs(1));
            assert!(backoff_delay(&p, 1000) <= Duration::from_secs(1));
        }
    }

    #[tokio::test]
    async fn retries_conflicts_until_success() {
        let calls = AtomicU32::new(0);
        let out = with_retry(&fast(5), true, |_| async {
            if calls.fetch_add(1, Ordering::SeqCst) < 2 {
                Err(conflict())
            } else {
                Ok(7)
            }
        })
        .await
        .unwrap();
        assert_eq!(out, 7);
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        // A state change is handed back at once: the lifecycle re-reads before resending.
        let calls = AtomicU32::new(0);
        let out = with_retry(&fast(5), false, |_| async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err::<u32, _>(conflict())
        })
        .await;
        assert!(out.unwrap_err().is_conflict());
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn stops_after_max_attempts_and_never_retries_400() {
        let calls = AtomicU32::new(0);
        let err = with_retry(&fast(3), true, |_| async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err::<(), _>(conflict())
        })
        .await
        .unwrap_err();
        assert!(err.is_conflict());
        assert_eq!(calls.load(Ordering::SeqCst), 3);

        calls.store(0, Ordering::SeqCst);
        let err = with_retry(&fast(5), true, |_| async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err::<(), _>(IronicError::Http {
                status: 400,
                request: "x".into(),
                message: "bad".into(),
            })
        })
        .await
        .unwrap_err();
        assert_eq!(err.status(), Some(400));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}
