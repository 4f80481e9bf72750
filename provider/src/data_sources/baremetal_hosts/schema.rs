//! `data "metal3_baremetal_hosts"`: the inventory, filtered; each host with the resource's
//! computed attributes (never its secrets).

use crate::host::schema::{provisioning_state_filter, status_attributes};
use crate::schema::{Attribute, Block, ObjectNesting, Schema};

/// Summary of one host in `metal3_baremetal_hosts.hosts`.
fn host_summary() -> Vec<Attribute> {
    let mut attributes = vec![
        Attribute::string("id", "UUID of the Ironic node.").computed(),
        Attribute::string("namespace", "Namespace of the host.").computed(),
        Attribute::string("name", "Name of the host within its namespace.").computed(),
    ];
    attributes.extend(status_attributes());
    attributes
}

/// All hosts matching the filters; every filter is optional and they combine with AND.
pub fn schema() -> Schema {
    let attributes = vec![
        Attribute::string(
            "namespace",
            "Only hosts in this namespace. Unset: hosts of every namespace.",
        )
        .optional(),
        provisioning_state_filter(),
        Attribute::string(
            "operational_status",
            "Only hosts with this operational status: `OK`, `discovered` or `error`.",
        )
        .optional(),
        Attribute::string(
            "arch",
            "Only hosts whose inspected CPU architecture is this, e.g. `x86_64`. Hosts not yet \
             inspected never match.",
        )
        .optional(),
        Attribute::number(
            "min_cpu_count",
            "Only hosts with at least this many logical CPUs. Hosts not yet inspected never \
             match.",
        )
        .optional(),
        Attribute::number(
            "min_ram_mebibytes",
            "Only hosts with at least this much memory, in MiB. Hosts not yet inspected never \
             match.",
        )
        .optional(),
        Attribute::nested(
            "hosts",
            ObjectNesting::List,
            host_summary(),
            "The matching hosts, sorted by namespace then name.",
        )
        .computed(),
    ];
    Schema::new(
        0,
        Block::new(
            "Lists the bare-metal hosts known to Ironic with their state and inspected \
             hardware, optionally filtered: the fleet inventory. Only Ironic nodes named \
             `<namespace>~<name>`, as this provider and Metal3 name them, are listed.",
        )
        .with_attributes(attributes),
    )
}
