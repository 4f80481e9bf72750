output "provisioning_state" {
  description = "BareMetalHost state of the host; `provisioned` once the ISO is booted."
  value       = metal3_baremetal_host.live.provisioning_state
}

output "provisioned_image" {
  description = "The ISO the host runs."
  value       = metal3_baremetal_host.live.provisioned_image
}
