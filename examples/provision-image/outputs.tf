output "provisioning_state" {
  description = "BareMetalHost state of the host; `provisioned` once the image is deployed."
  value       = metal3_baremetal_host.server.provisioning_state
}

output "provisioned_image" {
  description = "The image currently deployed on the host."
  value       = metal3_baremetal_host.server.provisioned_image
}

output "id" {
  description = "UUID of the Ironic node."
  value       = metal3_baremetal_host.server.id
}
