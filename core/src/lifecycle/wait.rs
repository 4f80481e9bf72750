//! Waiting for Ironic: poll a node at a bounded interval until a condition holds, logging each
//! state transition with the elapsed time, honouring the deadline and the cancellation token,
//! and stopping at once when the node lands in a failed state.

use std::time::{Duration, Instant};

use crate::client::{IronicClient, Node, ProvisionState};

use super::error::LifecycleError;
use super::spec::OpContext;
use super::status::transition_pending;

/// The first pauses of a wait; every second pause doubles, up to the context's poll interval
/// (0.5, 0.5, 1, 1, 2, 2 ... s). Most transitions Ironic makes on its own (verify, power, fake or
/// quick clean steps) finish within a second: looking twice in that second sees them as soon as
/// a 0.5 s poll would, while a long wait (an inspection or deployment of real hardware, minutes)
/// still costs one request per interval.
const FIRST_PAUSE: Duration = Duration::from_millis(500);

/// The pause before poll `attempt + 1` of a wait.
fn pause(attempt: u32, interval: Duration) -> Duration {
    FIRST_PAUSE
        .saturating_mul(1 << (attempt / 2).min(16))
        .min(interval)
}

/// What the waiter looks for.
pub struct WaitGoal<'a> {
    /// Shown in logs and errors, e.g. `manageable`.
    pub description: &'a str,
    /// The operation the wait belongs to, named in the failure error (e.g. `inspection`).
    pub operation: &'a str,
    pub done: &'a (dyn Fn(&Node) -> bool + Send + Sync),
    /// Stop at once when the node lands in a failed state (the operation cannot succeed any
    /// more). `false` for waits that only need Ironic to finish moving, whatever the outcome.
    pub stop_on_failure: bool,
}

/// A node at rest in one of `states` (no transition pending).
pub fn at_rest_in(states: &[ProvisionState]) -> impl Fn(&Node) -> bool + Send + Sync + '_ {
    move |node: &Node| node.target_provision_state.is_none() && states.contains(&node.state())
}

/// Why a node that is not done cannot get there any more, if it cannot.
pub fn failure_of(node: &Node) -> Option<(String, String)> {
    let state = node.state();
    let last_error = node.last_error.clone().unwrap_or_default();
    if state.is_failed() {
        return Some((state.to_string(), last_error));
    }
    if transition_pending(node) {
        return None;
    }
    // `manage` that could not verify the BMC (e.g. wrong credentials) falls back to `enroll`
    // with last_error set. Other stable states may carry a stale last_error: not a failure.
    if state == ProvisionState::Enroll && !last_error.trim().is_empty() {
        return Some((state.to_string(), last_error));
    }
    None
}

/// Polls `id` until `goal.done` holds. `host` names the host in logs and errors.
pub async fn wait_for(
    client: &IronicClient,
    host: &str,
    id: &str,
    goal: WaitGoal<'_>,
    ctx: &OpContext,
) -> Result<Node, LifecycleError> {
    let started = Instant::now();
    let mut last_seen: Option<String> = None;
    let mut attempt: u32 = 0;
    // Maintenance the node was already in when the wait began is the caller's business.
    let mut maintenance_before: Option<bool> = None;
    loop {
        let fetched = tokio::select! {
            biased;
            _ = ctx.cancel.cancelled() => None,
            fetched = client.get_node(id) => Some(fetched),
        };
        let node = match fetched {
            None => return Err(cancelled(host, &goal, last_seen, started)),
            Some(Ok(Some(node))) => node,
            Some(Ok(None)) => {
                return Err(LifecycleError::NodeGone {
                    host: host.to_owned(),
                    operation: format!("waiting for {}", goal.description),
                })
            }
            Some(Err(error)) => return Err(LifecycleError::ironic(host, error)),
        };
        let seen = describe(&node);
        if last_seen.as_deref() != Some(seen.as_str()) {
            match &last_seen {
                Some(previous) => tracing::info!(
                    "host {host}: {previous} -> {seen} ({:.1}s)",
                    started.elapsed().as_secs_f64()
                ),
                None => tracing::debug!("host {host}: waiting for {} in {seen}", goal.description),
            }
            last_seen = Some(seen);
        }
        if (goal.done)(&node) {
            return Ok(node);
        }
        // A failed step comes first: Ironic also puts a node whose cleaning failed in
        // maintenance, and its reason is the step's failure, not an operator's stop sign.
        if let Some((state, mut last_error)) = failure_of(&node).filter(|_| goal.stop_on_failure) {
            if last_error.trim().is_empty() {
                last_error = explain_failure(client, &node).await.unwrap_or_default();
            }
            return Err(LifecycleError::Failed {
                host: host.to_owned(),
                operation: goal.operation.to_owned(),
                state,
                last_error,
            });
        }
        // Set during the wait (an operator's stop sign, or Ironic's after a fault): Ironic stops
        // timing the operation out, so waiting on would only run into the time limit.
        let was_in_maintenance = *maintenance_before.get_or_insert(node.maintenance);
        // Nothing announced ending it, so only the engine's own maintenance passes.
        if node.maintenance && !was_in_maintenance && !super::plan::may_end_maintenance(&node, None)
        {
            return Err(LifecycleError::in_maintenance(host, &node));
        }
        let remaining = ctx.remaining();
        if remaining.is_zero() {
            return Err(LifecycleError::Timeout {
                host: host.to_owned(),
                waiting_for: goal.description.to_owned(),
                state: node.state().to_string(),
                limit: ctx.limit,
            });
        }
        tokio::select! {
            biased;
            _ = ctx.cancel.cancelled() => return Err(cancelled(host, &goal, last_seen, started)),
            _ = tokio::time::sleep(pause(attempt, ctx.poll_interval()).min(remaining)) => {}
        }
        attempt = attempt.saturating_add(1);
    }
}

/// Why a failed node failed when Ironic left `last_error` empty (an inspection timeout does):
/// the newest error of its history.
pub async fn explain_failure(client: &IronicClient, node: &Node) -> Option<String> {
    if node
        .last_error
        .as_deref()
        .is_some_and(|e| !e.trim().is_empty())
        || !node.state().is_failed()
    {
        return node.last_error.clone();
    }
    client.latest_error_event(&node.uuid).await.ok().flatten()
}

fn cancelled(
    host: &str,
    goal: &WaitGoal<'_>,
    last_seen: Option<String>,
    started: Instant,
) -> LifecycleError {
    LifecycleError::Cancelled {
        host: host.to_owned(),
        waiting_for: goal.description.to_owned(),
        state: last_seen.unwrap_or_else(|| "unknown".to_owned()),
        elapsed: started.elapsed(),
    }
}

/// `state` or `state (target X)` plus the power state when it is moving.
fn describe(node: &Node) -> String {
    let mut text = node.state().to_string();
    if let Some(target) = &node.target_provision_state {
        text.push_str(&format!(" (target {target})"));
    }
    if let Some(target) = &node.target_power_state {
        text.push_str(&format!(
            " [{} -> {target}]",
            node.power_state.as_deref().unwrap_or("?")
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn pauses_start_at_half_a_second_and_grow_to_the_interval() {
        use super::{pause, Duration};
        let ms =
            |attempt, interval_ms| pause(attempt, Duration::from_millis(interval_ms)).as_millis();
        let pauses = |interval_ms| (0..9).map(|a| ms(a, interval_ms)).collect::<Vec<_>>();
        assert_eq!(
            pauses(1000),
            [500, 500, 1000, 1000, 1000, 1000, 1000, 1000, 1000]
        );
        assert_eq!(
            pauses(5000),
            [500, 500, 1000, 1000, 2000, 2000, 4000, 4000, 5000]
        );
        assert_eq!(ms(u32::MAX, 5000), 5000);
        // Shorter intervals (tests) are kept from the first pause.
        assert_eq!(ms(0, 200), 200);
    }

    use super::*;

    fn node(state: &str, target: Option<&str>, last_error: Option<&str>) -> Node {
        Node {
            provision_state: Some(state.into()),
            target_provision_state: target.map(Into::into),
            last_error: last_error.map(Into::into),
            ..Node::default()
        }
    }

    #[test]
    fn failed_states_stop_the_wait_with_last_error() {
        let failure = failure_of(&node("inspect failed", None, Some("no agent")));
        assert_eq!(failure, Some(("inspect failed".into(), "no agent".into())));
    }

    #[test]
    fn a_failed_state_keeping_its_target_is_still_a_failure() {
        // Ironic's inspection timeout: `inspect failed`, target `manageable`, no last_error.
        let failure = failure_of(&node("inspect failed", Some("manageable"), None));
        assert_eq!(failure, Some(("inspect failed".into(), String::new())));
        assert!(failure_of(&node("inspect wait", Some("manageable"), None)).is_none());
    }

    #[test]
    fn enroll_with_last_error_is_a_failure_but_verifying_is_not() {
        assert!(failure_of(&node("enroll", None, Some("401 Unauthorized"))).is_some());
        assert!(failure_of(&node("verifying", Some("manageable"), None)).is_none());
        assert!(failure_of(&node("enroll", None, None)).is_none());
        assert!(failure_of(&node("active", None, Some("stale power sync error"))).is_none());
    }

    #[test]
    fn at_rest_needs_no_pending_transition() {
        let done = at_rest_in(&[ProvisionState::Manageable]);
        assert!(done(&node("manageable", None, None)));
        assert!(!done(&node("manageable", Some("available"), None)));
        assert!(!done(&node("enroll", None, None)));
    }
}
