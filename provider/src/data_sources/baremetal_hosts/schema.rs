//! `data "metal3_baremetal_hosts"`: the inventory, filtered; each host with the resource's
//! computed attributes (never its secrets).

use tfplugin::model::{AttrValue, DecodeError, Known, Model};

use crate::codec::{AttributePath, Number, Value};
use crate::host::schema::provisioning_state_filter_doc;
use crate::host::status::StatusView;
use crate::schema::{AttributeType, NestedAttributes, ObjectNesting, Schema};

/// Lists the bare-metal hosts known to Ironic with their state and inspected hardware,
/// optionally filtered: the fleet inventory. Only Ironic nodes named `<namespace>~<name>`, as
/// this provider and Metal3 name them, are listed.
#[derive(Debug, Clone, Default, PartialEq, Model)]
pub struct HostsQuery {
    /// Only hosts in this namespace. Unset: hosts of every namespace.
    #[tf(optional)]
    pub namespace: Option<Known<String>>,
    #[tf(optional, description = provisioning_state_filter_doc())]
    pub provisioning_state: Option<Known<String>>,
    /// Only hosts with this operational status: `OK`, `discovered` or `error`.
    #[tf(optional)]
    pub operational_status: Option<Known<String>>,
    /// Only hosts whose inspected CPU architecture is this, e.g. `x86_64`. Hosts not yet
    /// inspected never match.
    #[tf(optional)]
    pub arch: Option<Known<String>>,
    /// Only hosts with at least this many logical CPUs. Hosts not yet inspected never match.
    // A number, not an integer: a fraction or negative count is refused with the filter's
    // own diagnostic (`filter::filters`), not the decoder's.
    #[tf(optional)]
    pub min_cpu_count: Option<Known<Number>>,
    /// Only hosts with at least this much memory, in MiB. Hosts not yet inspected never match.
    #[tf(optional)]
    pub min_ram_mebibytes: Option<Known<Number>>,
    /// The matching hosts, sorted by namespace then name.
    #[tf(computed)]
    pub hosts: Option<Vec<HostSummary>>,
}

/// The names of one host in `hosts`; [`HostSummary`] adds its status.
#[derive(Debug, Clone, Default, PartialEq, Model)]
pub struct HostNames {
    /// UUID of the Ironic node.
    #[tf(computed)]
    pub id: Option<String>,
    /// Namespace of the host.
    #[tf(computed)]
    pub namespace: Option<String>,
    /// Name of the host within its namespace.
    #[tf(computed)]
    pub name: Option<String>,
}

/// Summary of one host in `metal3_baremetal_hosts.hosts`: its names, then the status
/// attributes of [`StatusView`] (declared there, shared with the resource). Written by hand as
/// the derive has no way to flatten one model's attributes into another's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HostSummary {
    pub names: HostNames,
    pub status: StatusView,
}

impl AttrValue for HostSummary {
    type Plain = Self;

    fn attribute_type() -> AttributeType {
        let mut attributes = HostNames::block().attributes;
        attributes.extend(StatusView::block().attributes);
        AttributeType::Nested(NestedAttributes {
            nesting: ObjectNesting::Single,
            attributes,
        })
    }

    fn from_value(value: &Value, path: &AttributePath) -> Result<Self, DecodeError> {
        let names = HostNames::decode_at(value, path)?;
        let mut status = StatusView::decode_at(value, path)?;
        status.id = names.id.clone();
        Ok(HostSummary { names, status })
    }

    fn to_value(&self) -> Value {
        // The names carry `id`; the status its other attributes.
        let mut value = self.names.encode();
        if let Value::Object(status) = self.status.encode() {
            for (attribute, v) in status {
                value.set_attr(attribute, v);
            }
        }
        value
    }
}

/// All hosts matching the filters; every filter is optional and they combine with AND.
pub fn schema() -> Schema {
    HostsQuery::schema(0)
}
