//! Creating a node when the answer to the create may be lost. The create carries a random
//! creation token in `extra`, written in the same request; after a lost answer the node named
//! like the host is read back, and a node with this token is the one just created (resumed,
//! never created twice, never reported as someone else's). A node without it is someone else's.

use std::time::Instant;

use crate::client::{IronicClient, Node, NodeCreate};

use super::error::LifecycleError;
use super::persist;
use super::state_change::{MAX_SENDS, WATCH_EVERY, WATCH_FOR};

/// A fresh token: 128 random bits in hex.
pub(super) fn new_token() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// Whether `node` was created by the request that carried `token`.
pub(super) fn created_with(node: &Node, token: &str) -> bool {
    node.extra
        .get(persist::CREATION_TOKEN)
        .and_then(serde_json::Value::as_str)
        == Some(token)
}

/// Creates `create` (whose `extra` holds `token`) as node `host`.
pub(super) async fn create_node(
    client: &IronicClient,
    host: &str,
    create: &NodeCreate,
    token: &str,
) -> Result<Node, LifecycleError> {
    let mut sends: u32 = 0;
    let mut answer_lost = false;
    loop {
        sends = sends.saturating_add(1);
        let error = match client.create_node(create).await {
            Ok(node) => return Ok(node),
            Err(error) => error,
        };
        if error.is_answer_lost() {
            answer_lost = true;
            tracing::warn!(
                "host {host}: no answer to the create ({error}); checking whether Ironic made \
                 the node"
            );
            if let Some(node) = watch_for_node(client, host, token).await? {
                tracing::info!(
                    "host {host}: Ironic created node {} although its answer was lost",
                    node.uuid
                );
                return Ok(node);
            }
            if sends >= MAX_SENDS {
                return Err(LifecycleError::ironic(host, error));
            }
            tracing::info!("host {host}: the node was not created; sending the create again");
            continue;
        }
        if error.is_already_exists() {
            // The earlier, lost, create may have landed after the watch gave up.
            if answer_lost {
                if let Some(node) = ours(client, host, token).await? {
                    return Ok(node);
                }
            }
            // Another apply enrolled the same name a moment ago (two resources, or two
            // working directories, declaring one host).
            return Err(LifecycleError::AlreadyExists {
                host: host.to_owned(),
                id: String::new(),
                state: String::new(),
            });
        }
        return Err(LifecycleError::ironic(host, error));
    }
}

async fn ours(
    client: &IronicClient,
    host: &str,
    token: &str,
) -> Result<Option<Node>, LifecycleError> {
    let node = client
        .get_node(host)
        .await
        .map_err(|e| LifecycleError::ironic(host, e))?;
    Ok(node.filter(|n| created_with(n, token)))
}

async fn watch_for_node(
    client: &IronicClient,
    host: &str,
    token: &str,
) -> Result<Option<Node>, LifecycleError> {
    let started = Instant::now();
    loop {
        match client.get_node(host).await {
            Ok(Some(node)) if created_with(&node, token) => return Ok(Some(node)),
            // Someone else's node by that name: the resend gets "already exists".
            Ok(Some(_)) => return Ok(None),
            Ok(None) => {}
            // Still unreachable: keep looking while the watch lasts.
            Err(error) if error.is_outage() => {}
            Err(error) => return Err(LifecycleError::ironic(host, error)),
        }
        if started.elapsed().saturating_add(WATCH_EVERY) > WATCH_FOR {
            return Ok(None);
        }
        tokio::time::sleep(WATCH_EVERY).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_is_ours_only_with_our_token() {
        let token = new_token();
        assert_eq!(token.len(), 32);
        assert_ne!(token, new_token());
        let mut node = Node::default();
        assert!(!created_with(&node, &token));
        node.extra
            .insert(persist::CREATION_TOKEN.into(), token.clone().into());
        assert!(created_with(&node, &token));
        assert!(!created_with(&node, &new_token()));
    }
}
