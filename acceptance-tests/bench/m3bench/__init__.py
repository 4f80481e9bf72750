"""Performance bench of terraform-provider-metal3 against floors measured in the same run.

Each measured step (apply, no-op plan, destroy, schema) is timed next to a floor: a minimal
direct Ironic client doing the same Ironic calls, or Terraform itself with built-in resources.
The ratios, Ironic requests per host and the provider's peak memory are compared with goals,
reported and never asserted.
"""
