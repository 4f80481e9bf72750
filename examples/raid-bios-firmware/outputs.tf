output "id" {
  description = "UUID of the Ironic node."
  value       = metal3_baremetal_host.worker.id
}

output "bios_settings_current" {
  description = "The host's BIOS settings as Ironic reads them."
  value       = metal3_baremetal_host.worker.bios_settings_current
}

output "hardware_settings_pending" {
  description = "Hardware arguments not applied yet (empty once the host is prepared)."
  value       = metal3_baremetal_host.worker.hardware_settings_pending
}

output "provisioning_state" {
  description = "BareMetalHost state of the host; `available` once prepared."
  value       = metal3_baremetal_host.worker.provisioning_state
}
