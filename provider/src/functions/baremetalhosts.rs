//! `baremetalhosts(yaml)`: the BareMetalHosts of a Metal3 manifest as objects keyed by this
//! resource's arguments, for `for_each` over a fleet exported with `kubectl get bmh -o yaml`.

use std::collections::BTreeSet;

use metal3_core::bmc;

use super::bmh::{documents, host};
use crate::codec::{json, Type, Value};
use tfplugin::function::{FunctionError, FunctionHandler, Parameter, Signature};

pub struct BaremetalhostsFunction {
    signature: Signature,
}

impl BaremetalhostsFunction {
    pub fn new() -> BaremetalhostsFunction {
        BaremetalhostsFunction {
            signature: Signature {
                summary: "Reads the BareMetalHosts of a Metal3 manifest as host arguments".into(),
                description: "Parses YAML holding Metal3 BareMetalHosts (several documents, or \
                    the `kind: List` that `kubectl get bmh -o yaml` prints; other kinds are \
                    skipped) and returns one object per host whose keys are, for the most \
                    part, `metal3_baremetal_host` arguments. The others are not: `labels` \
                    carries the host's Kubernetes labels, and Secrets stay references \
                    (`bmc.credentials_name` and `*_secret` name the Kubernetes Secrets) for the \
                    configuration to map to values. A field this provider does not know, or a \
                    BareMetalHost feature it does not implement (RAID, firmware settings, \
                    taints...), is an error naming the host and the field."
                    .into(),
                parameters: vec![Parameter::new(
                    "manifest",
                    Type::String,
                    "YAML text, e.g. `file(\"bmh.yaml\")`.",
                )],
                variadic: None,
                returns: Type::list(host::host_type()),
            },
        }
    }
}

impl Default for BaremetalhostsFunction {
    fn default() -> Self {
        Self::new()
    }
}

impl FunctionHandler for BaremetalhostsFunction {
    fn name(&self) -> &str {
        "baremetalhosts"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn doc_template(&self) -> Option<&str> {
        Some(include_str!("baremetalhosts.md"))
    }

    fn call(&self, arguments: &[Value]) -> Result<Value, FunctionError> {
        let yaml = arguments[0].as_str().unwrap_or_default();
        read(yaml).map_err(|e| FunctionError::in_argument(0, e))
    }
}

/// The hosts of `yaml` as this function's result.
pub fn read(yaml: &str) -> Result<Value, String> {
    let hosts = documents::hosts(yaml).map_err(|e| e.to_string())?;
    let mut seen = BTreeSet::new();
    let mut args = Vec::with_capacity(hosts.len());
    for bmh in &hosts {
        let name = &bmh.metadata.name;
        let Some(bmc_spec) = &bmh.spec.bmc else {
            return Err(format!("BareMetalHost {name:?}: spec.bmc is required"));
        };
        bmc::parse_address(&bmc_spec.address)
            .map_err(|e| format!("BareMetalHost {name:?}: spec.bmc.address: {e}"))?;
        if !seen.insert((bmh.metadata.namespace.clone(), name.clone())) {
            return Err(format!(
                "BareMetalHost {name:?} appears twice{}: names must be unique per namespace",
                bmh.metadata
                    .namespace
                    .as_ref()
                    .map(|ns| format!(" in namespace {ns:?}"))
                    .unwrap_or_default()
            ));
        }
        args.push(host::from_bmh(bmh));
    }
    let bytes = serde_json::to_vec(&args).map_err(|e| e.to_string())?;
    json::decode(&bytes, &Type::list(host::host_type())).map_err(|e| e.to_string())
}
