# Same shape as the quickstart's output, so scripts/inventory_table.py prints either.
output "inventory" {
  description = "Per matching host: state, CPU, RAM, disks and NICs found by inspection."
  value = {
    for h in data.metal3_baremetal_hosts.fleet.hosts : "${h.namespace}/${h.name}" => {
      id                 = h.id
      provisioning_state = h.provisioning_state
      powered_on         = h.powered_on
      cpu_arch           = try(h.hardware.cpu.arch, null)
      cpu_model          = try(h.hardware.cpu.model, null)
      cpu_count          = try(h.hardware.cpu.count, null)
      ram_mebibytes      = try(h.hardware.ram_mebibytes, null)
      disks = [
        for d in try(h.hardware.storage, []) : {
          name       = d.name
          size_bytes = d.size_bytes
          type       = d.type
        }
      ]
      nics = [
        for n in try(h.hardware.nics, []) : {
          name       = n.name
          mac        = n.mac
          speed_gbps = n.speed_gbps
        }
      ]
    }
  }
}

output "host_count" {
  description = "Number of hosts matching the filters."
  value       = length(data.metal3_baremetal_hosts.fleet.hosts)
}
