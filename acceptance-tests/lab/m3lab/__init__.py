"""The lab: virtual machines booting the real Ironic Python Agent, driven by a real Ironic, all in
a network namespace (docs/guides/lab.md)."""
