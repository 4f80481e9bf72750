"""Interruption: Ctrl-C during a long wait (inspection that never completes) makes
`terraform apply` return promptly, and what it leaves is the truth: the state records the host with
its Ironic id and a non-final provisioning state, and the node is still there in Ironic."""

import signal
import time

from hostkit import (background_apply, fake_host, held_inspection, node_name, random_mac,  # noqa: F401
                     resource, wait_for_state, ws)

PROMPT_EXIT_S = 20


def test_sigint_during_inspection_returns_promptly_with_truthful_state(ws, stack, ironic):
    mac = random_mac()
    with held_inspection(stack, mac):  # the stand-in agent leaves this node in `inspect wait`
        ws.configure(resource("host", fake_host("slow-0", mac), blocks={"timeouts": {"delete": "3m"}}))
        with background_apply(ws) as apply:
            node = wait_for_state(ironic, node_name(ws.namespace, "slow-0"), "inspect wait", apply)
            time.sleep(1)  # well into the provider's wait
            interrupted_at = time.monotonic()
            apply.send_signal(signal.SIGINT)
            output, _ = apply.communicate(timeout=60)
            took = time.monotonic() - interrupted_at
        assert took < PROMPT_EXIT_S, f"terraform took {took:.1f}s to stop after SIGINT\n{output}"
        assert apply.returncode != 0, f"an interrupted apply cannot succeed\n{output}"

        state = ws.resources()
        assert "metal3_baremetal_host.host" in state, f"the host was lost from state\n{output}"
        host = state["metal3_baremetal_host.host"]
        assert host["id"] == node["uuid"]
        assert host["provisioning_state"] in ("registering", "inspecting"), host["provisioning_state"]
        # An error, never "Creation complete"; Terraform taints it, and the message says how
        # to continue instead of replacing.
        assert "Creation complete" not in output, output
        assert "interrupted" in output and "terraform untaint" in " ".join(output.split()), output

        now = ironic.node(node["uuid"])  # nothing lost in Ironic either
        assert now["provision_state"] == "inspect wait"
        assert now["name"] == node_name(ws.namespace, "slow-0")

        # Untainted as the message says, the resuming plan says what is left, not only
        # "(known after apply)".
        ws.tf.run("untaint", "metal3_baremetal_host.host")
        plan = " ".join(ws.plan().stdout.split())
        assert "inspection in progress" in plan, plan
        assert "then it is made available (disks are CLEANED" in plan, plan

    # The next apply picks up where the interrupted one stopped: same node, finished.
    ws.apply()
    host = ws.resources()["metal3_baremetal_host.host"]
    assert host["id"] == node["uuid"]
    assert host["provisioning_state"] == "available"
    ws.assert_no_drift()
