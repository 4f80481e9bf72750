# The machines to adopt: every node of the namespace this provider has never managed.
list "metal3_baremetal_host" "fleet" {
  provider = metal3
  limit    = 1000

  config {
    namespace      = var.namespace
    unmanaged_only = true
  }
}
