//! StopProvider: cancel what is in flight, keep serving. Each call cancels the current token and
//! arms a fresh one, so operations started after a stop run normally.

use std::sync::{Arc, Mutex};

use tokio_util::sync::CancellationToken;

#[derive(Clone, Default)]
pub struct StopSignal {
    current: Arc<Mutex<CancellationToken>>,
}

impl StopSignal {
    /// The token an operation starting now should observe.
    pub fn token(&self) -> CancellationToken {
        self.lock().clone()
    }

    /// Cancels every operation that took a token before this call.
    pub fn stop(&self) {
        let old = std::mem::take(&mut *self.lock());
        old.cancel();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CancellationToken> {
        // A poisoned lock only means a panic elsewhere; the token inside is still usable.
        self.current.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_cancels_old_tokens_only() {
        let s = StopSignal::default();
        let before = s.token();
        s.stop();
        let after = s.token();
        assert!(before.is_cancelled());
        assert!(!after.is_cancelled());
    }
}
