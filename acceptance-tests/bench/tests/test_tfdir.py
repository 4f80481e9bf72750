"""What a failed Terraform command is reported as."""

from m3bench.tfdir import error_summary

OUTPUT = """metal3_baremetal_host.h["h0001"]: Creating...

Error: Create of bench-x/h0066 failed

  with metal3_baremetal_host.h["h0066"],
  on main.tf line 43, in resource "metal3_baremetal_host" "h":
  43:   inspection_mode         = var.inspection_mode

host bench-x~h0066: inspection failed: Ironic moved the node to
"inspect failed": Timeout reached while inspecting the node.

Error: Create of bench-x/h0149 failed

  with metal3_baremetal_host.h["h0149"],
  on main.tf line 43, in resource "metal3_baremetal_host" "h":
  43:   inspection_mode         = var.inspection_mode

host bench-x~h0149: inspection failed.
"""


def test_errors_are_counted_and_given_without_the_configuration_excerpt():
    summary = error_summary(OUTPUT)
    assert summary.startswith("2 error(s): Error: Create of bench-x/h0066 failed host bench-x~h0066: "
                              "inspection failed: Ironic moved the node to \"inspect failed\"")
    assert "var.inspection_mode" not in summary
    assert "| Error: Create of bench-x/h0149 failed host bench-x~h0149: inspection failed." in summary


def test_without_an_error_block_the_last_lines_are_given():
    assert error_summary("a\nb\nc") == "a\nb\nc"
