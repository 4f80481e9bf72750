//! Data source `metal3_baremetal_hosts`: the inventory, filtered.

use tfplugin::model::{Known, Model};

use super::schema::{HostNames, HostSummary, HostsQuery};
use crate::codec::{AttributePath, Number, Value};
use crate::diagnostics::Diagnostic;
use crate::host::filter_checks;
use crate::host::status::StatusView;
use metal3_core::lifecycle::OperationalStatus;
use metal3_core::Vocabulary;

/// The filters; every one is optional and they combine with AND.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub namespace: Option<String>,
    pub provisioning_state: Option<String>,
    pub operational_status: Option<String>,
    pub arch: Option<String>,
    pub min_cpu_count: Option<i64>,
    pub min_ram_mebibytes: Option<i64>,
}

/// One host of the inventory.
#[derive(Debug, Clone, PartialEq)]
pub struct HostEntry {
    pub namespace: String,
    pub name: String,
    pub status: StatusView,
}

/// The configuration's value of a filter; `Err(())` when it is not known yet.
fn known<T: Clone>(value: &Option<Known<T>>) -> Result<Option<T>, ()> {
    match value {
        None => Ok(None),
        Some(Known::Known(v)) => Ok(Some(v.clone())),
        Some(Known::Unknown) => Err(()),
    }
}

/// Reads and validates the filters. `Ok(None)`: a filter is unknown, so the read waits.
pub fn filters(config: &Value) -> Result<Option<Filters>, Vec<Diagnostic>> {
    let query = HostsQuery::decode_all(config)
        .map_err(|errors| errors.iter().map(|e| e.to_diagnostic()).collect::<Vec<_>>())?;
    let names = HostsQuery::NAMES;
    let read = || -> Result<_, ()> {
        Ok((
            known(&query.namespace)?,
            known(&query.provisioning_state)?,
            known(&query.operational_status)?,
            known(&query.arch)?,
            known(&query.min_cpu_count)?,
            known(&query.min_ram_mebibytes)?,
        ))
    };
    let Ok((namespace, provisioning_state, operational_status, arch, cpus, ram)) = read() else {
        return Ok(None);
    };
    let mut errors = Vec::new();
    let mut whole = |n: &str, number: Option<Number>| -> Option<i64> {
        let number = number?;
        match number.as_i64().filter(|v| *v >= 0) {
            Some(v) => Some(v),
            None => {
                errors.push(
                    Diagnostic::error(
                        "Invalid filter",
                        format!("`{n}` is {number}; it must be a whole number, at least 0."),
                    )
                    .at(AttributePath::attributes(&[n])),
                );
                None
            }
        }
    };
    let min_cpu_count = whole(names.min_cpu_count, cpus);
    let min_ram_mebibytes = whole(names.min_ram_mebibytes, ram);
    let filters = Filters {
        namespace,
        provisioning_state,
        operational_status,
        arch,
        min_cpu_count,
        min_ram_mebibytes,
    };
    filter_checks::namespace(
        HostsQuery::NAMES.namespace,
        filters.namespace.as_deref(),
        &mut errors,
    );
    filter_checks::provisioning_state(
        HostsQuery::NAMES.provisioning_state,
        filters.provisioning_state.as_deref(),
        &mut errors,
    );
    filter_checks::one_of(
        names.operational_status,
        filters.operational_status.as_deref(),
        &OperationalStatus::names(),
        &mut errors,
    );
    if errors.is_empty() {
        Ok(Some(filters))
    } else {
        Err(errors)
    }
}

/// Whether a host passes every filter. Hardware filters never match uninspected hosts.
pub fn filter_matches(filters: &Filters, host: &HostEntry) -> bool {
    let status = &host.status;
    let eq =
        |want: &Option<String>, have: Option<&str>| want.as_deref().is_none_or(|w| have == Some(w));
    let hw = status.hardware.as_ref();
    let cpu = hw.and_then(|h| h.cpu.as_ref());
    let at_least = |min: Option<i64>, have: Option<i64>| min.is_none_or(|min| have >= Some(min));
    eq(&filters.namespace, Some(&host.namespace))
        && eq(
            &filters.provisioning_state,
            status.provisioning_state.as_deref(),
        )
        && eq(
            &filters.operational_status,
            status.operational_status.as_deref(),
        )
        && eq(&filters.arch, cpu.and_then(|c| c.arch.as_deref()))
        && at_least(filters.min_cpu_count, cpu.and_then(|c| c.count))
        && at_least(filters.min_ram_mebibytes, hw.and_then(|h| h.ram_mebibytes))
}

/// The data source's state: the configuration's filters and the matching hosts, sorted by
/// namespace then name.
pub fn hosts_value(query: &HostsQuery, filters: &Filters, hosts: &[HostEntry]) -> Value {
    let mut matching: Vec<&HostEntry> = hosts
        .iter()
        .filter(|h| filter_matches(filters, h))
        .collect();
    matching.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    let summaries = matching.into_iter().map(|h| HostSummary {
        names: HostNames {
            id: h.status.id.clone(),
            namespace: Some(h.namespace.clone()),
            name: Some(h.name.clone()),
        },
        status: h.status.clone(),
    });
    HostsQuery {
        hosts: Some(summaries.collect()),
        ..query.clone()
    }
    .encode()
}

#[cfg(test)]
mod tests {
    use super::super::schema;
    use super::*;
    use metal3_core::hardware::HardwareDetails;

    fn entry(ns: &str, name: &str, state: &str, ram: Option<i64>) -> HostEntry {
        let hardware = ram.map(|ram| {
            let mut hw = HardwareDetails {
                ram_mebibytes: ram,
                ..Default::default()
            };
            hw.cpu.arch = "x86_64".into();
            hw.cpu.count = 8;
            hw
        });
        HostEntry {
            namespace: ns.into(),
            name: name.into(),
            status: StatusView {
                provisioning_state: Some(state.into()),
                operational_status: Some("OK".into()),
                hardware: hardware.as_ref().map(Into::into),
                ..Default::default()
            },
        }
    }

    #[test]
    fn filters_combine_with_and() {
        let hosts = [
            entry("b", "w1", "available", Some(16384)),
            entry("a", "w2", "provisioned", Some(4096)),
            entry("a", "w0", "available", None),
        ];
        let names = |f: &Filters| -> Vec<String> {
            let v = hosts_value(&HostsQuery::default(), f, &hosts);
            v.conforms(&schema::schema().block.value_type()).unwrap();
            v.get("hosts")
                .unwrap()
                .as_elements()
                .unwrap()
                .iter()
                .map(|h| h.get("name").and_then(Value::as_str).unwrap().to_owned())
                .collect()
        };
        assert_eq!(names(&Filters::default()), ["w0", "w2", "w1"]);
        assert_eq!(
            names(&Filters {
                namespace: Some("a".into()),
                ..Default::default()
            }),
            ["w0", "w2"]
        );
        assert_eq!(
            names(&Filters {
                provisioning_state: Some("available".into()),
                ..Default::default()
            }),
            ["w0", "w1"]
        );
        assert_eq!(
            names(&Filters {
                min_ram_mebibytes: Some(8192),
                ..Default::default()
            }),
            ["w1"]
        );
        assert_eq!(
            names(&Filters {
                arch: Some("x86_64".into()),
                min_cpu_count: Some(8),
                ..Default::default()
            }),
            ["w2", "w1"]
        );
        assert_eq!(
            names(&Filters {
                arch: Some("aarch64".into()),
                ..Default::default()
            }),
            Vec::<String>::new()
        );
    }

    #[test]
    fn filter_validation() {
        let cfg = |k: &str, v: Value| Value::object([(k.to_string(), v)]);
        assert_eq!(
            filters(&cfg("min_ram_mebibytes", 1024.into()))
                .unwrap()
                .unwrap()
                .min_ram_mebibytes,
            Some(1024)
        );
        assert_eq!(filters(&cfg("arch", Value::unknown())), Ok(None));
        for (key, value) in [
            ("min_ram_mebibytes", Value::from(-1)),
            ("min_cpu_count", Value::from(1.5)),
            ("provisioning_state", Value::from("ready")),
            ("operational_status", Value::from("fine")),
            ("namespace", Value::from("A")),
        ] {
            let errors = filters(&cfg(key, value)).unwrap_err();
            assert_eq!(errors[0].attribute.as_ref().unwrap().to_string(), key);
        }
        let errors = filters(&cfg("provisioning_state", "ready".into())).unwrap_err();
        assert!(errors[0].detail.contains("`provisioned`"));
    }
}
