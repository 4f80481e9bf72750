"""Secrets: the BMC password never shows in Terraform's output, is marked sensitive in
the plan JSON (and absent when write-only), and never reaches the provider's logs, even at TRACE."""

import json
import secrets

from hostkit import Raw, fake_host, random_mac, resource, ws  # noqa: F401  (ws is a fixture)


def test_bmc_password_stays_secret(ws, tmp_path):
    password = "pw-" + secrets.token_hex(12)
    wo_password = "wo-" + secrets.token_hex(12)
    log = tmp_path / "provider-trace.log"
    ws.tf.env.update({"TF_LOG_PROVIDER": "TRACE", "TF_LOG_PATH": str(log)})

    # As in real use, the passwords come from variables (sensitive; the write-only one ephemeral),
    # so the configuration echoed in the plan JSON holds references, not values.
    ws.tf.env.update({"TF_VAR_bmc_password": password, "TF_VAR_bmc_password_wo": wo_password})
    variables = ('variable "bmc_password" {\n  type = string\n  sensitive = true\n}\n'
                 'variable "bmc_password_wo" {\n  type = string\n  sensitive = true\n  ephemeral = true\n}\n')
    host = fake_host("secret-0", random_mac())
    host["bmc"]["password"] = Raw("var.bmc_password")
    host_wo = fake_host("secret-1", random_mac())
    host_wo["bmc"].pop("password")
    host_wo["bmc"].update(password_wo=Raw("var.bmc_password_wo"), password_wo_version=1)
    ws.configure(variables + resource("plain", host) + resource("wo", host_wo))

    plan = ws.saved_plan()
    changes = {c["address"]: c["change"] for c in plan["resource_changes"]}
    assert changes["metal3_baremetal_host.plain"]["after_sensitive"]["bmc"]["password"] is True
    assert wo_password not in json.dumps(plan), "a write-only password must not be in the plan"
    applied = ws.apply()
    outputs = [plan["_stdout"], applied.stdout, applied.stderr, ws.run("show").stdout]
    for text in outputs:
        assert password not in text and wo_password not in text
    state = (ws.workdir / "terraform.tfstate").read_text()
    assert wo_password not in state, "a write-only password must not be in the state"

    trace = log.read_text(errors="replace")
    assert "metal3" in trace or "provider" in trace, "TRACE log is empty: did TF_LOG_PROVIDER work?"
    assert len(trace) > 1000, f"suspiciously short provider log ({len(trace)} bytes)"
    assert password not in trace, "BMC password in the provider's TRACE log"
    assert wo_password not in trace, "write-only BMC password in the provider's TRACE log"
