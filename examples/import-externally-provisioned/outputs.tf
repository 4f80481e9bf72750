output "provisioning_state" {
  description = "`externally provisioned` once the host is under management."
  value       = metal3_baremetal_host.legacy.provisioning_state
}

output "id" {
  description = "UUID of the Ironic node (unchanged by the import)."
  value       = metal3_baremetal_host.legacy.id
}
