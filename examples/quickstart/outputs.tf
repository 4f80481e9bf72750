# A hardware summary per host, in the shape scripts/inventory_table.py prints as a table.
output "inventory" {
  description = "Per host: state, BMC, CPU, RAM, disks and NICs found by inspection."
  value = {
    for name, h in metal3_baremetal_host.host : "${h.namespace}/${name}" => {
      id                 = h.id
      bmc_address        = local.hosts[name].address
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
