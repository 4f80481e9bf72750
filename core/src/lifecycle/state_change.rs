//! Provision and power state changes whose answer was lost. Ironic may take such a request and
//! answer too late (under load it was seen to take 69 s to accept an `inspect`); sending it again
//! then asks for the change twice, and Ironic refuses the second ("cannot inspect while in
//! `inspect wait`"). So after a lost answer the node is re-read: if it moved, the change was
//! taken; if not, the request is sent again, and a refusal of that resend counts as success when
//! the node has moved by then.

use std::future::Future;
use std::time::{Duration, Instant};

use crate::client::{IronicClient, IronicError, Node};

/// Sends at most this many times in all after lost answers (creates too: `create_once.rs`).
pub(super) const MAX_SENDS: u32 = 3;
/// How long a state change waits out a locked node (409) before giving up, as the client's
/// retry of other requests does.
const CONFLICTS_FOR: Duration = Duration::from_secs(120);
/// How long to watch for the node to move (or appear) after a lost answer before sending
/// again: Ironic was seen to take seconds to answer under load.
pub(super) const WATCH_FOR: Duration = Duration::from_secs(5);
pub(super) const WATCH_EVERY: Duration = Duration::from_millis(500);

/// Whether `now` shows a provision state change asked of `before`: another state, target or
/// transition time.
pub(super) fn provision_moved(before: &Node, now: &Node) -> bool {
    now.provision_state != before.provision_state
        || now.target_provision_state != before.target_provision_state
        || now.provision_updated_at != before.provision_updated_at
}

/// Whether `now` shows a power change to `want` (`power on` / `power off`) under way or done.
pub(super) fn power_moved(before: &Node, now: &Node, want: &str) -> bool {
    now.target_power_state.as_deref() == Some(want)
        || (now.power_state.as_deref() == Some(want) && before.power_state != now.power_state)
}

/// Sends a state change of `before` with `send` until Ironic answers, or until a re-read shows
/// that `moved` (the change was taken although its answer was lost).
pub(super) async fn send_state_change<S, Fut>(
    client: &IronicClient,
    host: &str,
    what: &str,
    before: &Node,
    moved: &(dyn Fn(&Node) -> bool + Send + Sync),
    mut send: S,
) -> Result<(), IronicError>
where
    S: FnMut() -> Fut,
    Fut: Future<Output = Result<(), IronicError>>,
{
    let mut answer_lost = false;
    let mut sends: u32 = 0;
    let started = Instant::now();
    let mut conflicts: u32 = 0;
    loop {
        sends = sends.saturating_add(1);
        let error = match send().await {
            Ok(()) => return Ok(()),
            Err(error) => error,
        };
        if error.is_answer_lost() {
            answer_lost = true;
            tracing::warn!(
                "host {host}: no answer to {what} ({error}); checking whether Ironic took it"
            );
            if watch_for_move(client, &before.uuid, moved).await? {
                tracing::info!("host {host}: Ironic took {what} although its answer was lost");
                return Ok(());
            }
            if sends >= MAX_SENDS {
                return Err(error);
            }
            tracing::info!("host {host}: {what} was not taken; sending it again");
            continue;
        }
        // A resend that Ironic refuses because the lost first request is under way by now.
        let refused = matches!(error.status(), Some(400 | 409));
        if answer_lost && refused && moved_now(client, &before.uuid, moved).await? {
            tracing::info!("host {host}: {what} was taken on an earlier attempt ({error})");
            return Ok(());
        }
        if error.is_conflict() && started.elapsed() < CONFLICTS_FOR {
            // Locked by a conductor (a power sync, another apply's deploy): once it is free, the
            // change is sent again only if nobody changed the node meanwhile; otherwise the
            // caller decides again from what the node is now.
            let now = client.get_node(&before.uuid).await?;
            if now.as_ref().is_some_and(|now| changed(before, now)) {
                tracing::info!(
                    "host {host}: {what} was refused ({error}) and the node changed meanwhile; \
                     not sending it again"
                );
                return Err(error);
            }
            conflicts = conflicts.saturating_add(1);
            let policy = crate::client::RetryPolicy::default();
            tokio::time::sleep(crate::client::backoff_delay(&policy, conflicts)).await;
            continue;
        }
        return Err(error);
    }
}

/// Whether `now` differs from `before` in provision or power state: someone acted on the node.
fn changed(before: &Node, now: &Node) -> bool {
    provision_moved(before, now)
        || now.power_state != before.power_state
        || now.target_power_state != before.target_power_state
}

async fn moved_now(
    client: &IronicClient,
    id: &str,
    moved: &(dyn Fn(&Node) -> bool + Send + Sync),
) -> Result<bool, IronicError> {
    Ok(client.get_node(id).await?.is_some_and(|now| moved(&now)))
}

async fn watch_for_move(
    client: &IronicClient,
    id: &str,
    moved: &(dyn Fn(&Node) -> bool + Send + Sync),
) -> Result<bool, IronicError> {
    let started = Instant::now();
    loop {
        if moved_now(client, id, moved).await? {
            return Ok(true);
        }
        if started.elapsed().saturating_add(WATCH_EVERY) > WATCH_FOR {
            return Ok(false);
        }
        tokio::time::sleep(WATCH_EVERY).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(state: &str, target: Option<&str>, at: &str) -> Node {
        Node {
            provision_state: Some(state.into()),
            target_provision_state: target.map(Into::into),
            provision_updated_at: Some(at.into()),
            power_state: Some("power off".into()),
            ..Node::default()
        }
    }

    #[test]
    fn a_provision_change_shows_in_state_target_or_time() {
        let before = node("manageable", None, "t1");
        assert!(!provision_moved(&before, &before.clone()));
        assert!(provision_moved(
            &before,
            &node("inspecting", Some("manageable"), "t2")
        ));
        // Already through an instant transition and back at rest in the same state.
        assert!(provision_moved(&before, &node("manageable", None, "t2")));
    }

    #[test]
    fn a_power_change_shows_in_target_or_new_state() {
        let before = node("active", None, "t1");
        let mut now = before.clone();
        assert!(!power_moved(&before, &now, "power on"));
        now.target_power_state = Some("power on".into());
        assert!(power_moved(&before, &now, "power on"));
        now.target_power_state = None;
        now.power_state = Some("power on".into());
        assert!(power_moved(&before, &now, "power on"));
        assert!(!power_moved(&before, &now, "power off"));
    }

    mod against_a_locked_node {
        //! 409 "node locked" answers, from a fake Ironic: the real one cannot be made to hold a
        //! lock on demand while another change lands.
        use super::*;
        use crate::client::{ClientConfig, ProvisionOptions, ProvisionTarget};
        use serde_json::json;
        use wiremock::matchers::{method, path};
        use wiremock::{Mock, MockServer, ResponseTemplate};

        fn node_json(state: &str, at: &str) -> serde_json::Value {
            json!({"uuid": "n1", "driver": "fake-hardware", "provision_state": state,
                   "target_provision_state": null, "provision_updated_at": at,
                   "power_state": "power on"})
        }

        async fn ironic(after_conflict: serde_json::Value) -> (MockServer, IronicClient) {
            let server = crate::client::tests::fake_ironic("1.95").await;
            let locked = json!({"error_message": json!({"faultstring":
                "Node n1 is locked by host other, please retry after the current operation is \
                 completed.", "faultcode": "Client", "debuginfo": null}).to_string()});
            Mock::given(method("PUT"))
                .and(path("/v1/nodes/n1/states/provision"))
                .respond_with(ResponseTemplate::new(409).set_body_json(locked))
                .up_to_n_times(1)
                .mount(&server)
                .await;
            Mock::given(method("PUT"))
                .and(path("/v1/nodes/n1/states/provision"))
                .respond_with(ResponseTemplate::new(202))
                .mount(&server)
                .await;
            Mock::given(method("GET"))
                .and(path("/v1/nodes/n1"))
                .respond_with(ResponseTemplate::new(200).set_body_json(after_conflict))
                .mount(&server)
                .await;
            let client = IronicClient::connect(ClientConfig::new(server.uri()))
                .await
                .unwrap();
            (server, client)
        }

        async fn rebuild(client: &IronicClient, before: &Node) -> Result<(), IronicError> {
            let moved = |now: &Node| provision_moved(before, now);
            let options = ProvisionOptions::default();
            send_state_change(client, "h", "rebuild", before, &moved, || {
                client.set_provision_state(&before.uuid, ProvisionTarget::Rebuild, &options)
            })
            .await
        }

        async fn puts(server: &MockServer) -> usize {
            server
                .received_requests()
                .await
                .unwrap_or_default()
                .iter()
                .filter(|r| r.method.as_str() == "PUT")
                .count()
        }

        fn before() -> Node {
            serde_json::from_value(node_json("active", "t1")).unwrap()
        }

        /// Another apply rebuilt the host while this one's rebuild waited for the lock: it is
        /// not sent again (the disk is not written twice); the caller decides anew.
        #[tokio::test]
        async fn a_change_made_meanwhile_is_not_sent_again() {
            let (server, client) = ironic(node_json("deploying", "t2")).await;
            let error = rebuild(&client, &before()).await.unwrap_err();
            assert!(error.is_conflict(), "{error}");
            assert_eq!(puts(&server).await, 1, "the rebuild was sent again");
        }

        /// A lock with nothing changed meanwhile (a power sync): sent again once it is free.
        #[tokio::test]
        async fn a_lock_alone_is_waited_out() {
            let (server, client) = ironic(node_json("active", "t1")).await;
            rebuild(&client, &before()).await.unwrap();
            assert_eq!(puts(&server).await, 2);
        }
    }
}
