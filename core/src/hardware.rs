//! Hardware details (BareMetalHost's `status.hardware`) built from Ironic's node inventory.
//!
//! Input: the body of `GET /v1/nodes/{id}/inventory` (`{"inventory": {...}, "plugin_data":
//! {...}}`) or a bare ironic-python-agent inventory. The mapping follows baremetal-operator's
//! `hardwaredetails` package:
//! - RAM from `memory.physical_mb` (falling back to `memory.total` bytes when absent);
//! - one NIC entry per address family: an interface with both an IPv4 and an IPv6 address gives
//!   two entries, one with neither gives one entry without IP; model is "vendor product";
//!   speed in whole Gbps; `pxe` from `plugin_data.all_interfaces[name].pxe_enabled`, else from
//!   the MAC in `boot.pxe_interface`; MACs lowercased, IPv6 zone suffixes (`%eno1`) dropped;
//! - storage named by its `by_path` link when there is one (both names in `alternate_names`);
//!   type HDD when rotational, NVME for `nvme*` devices, SSD otherwise;
//! - CPU clock rounded to whole MHz, flags sorted.
//!
//! Tolerance: a missing or `null` field becomes empty/zero/false. Scalars are accepted in the
//! representations agents produce (numbers as JSON numbers or numeric strings, booleans as
//! `true`/`"true"`/`1`). A field of the wrong *shape* (an object where a string belongs, a
//! string where a list belongs) is an error naming the field: it means the data is not an
//! inventory, and silently blank details would hide that.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct HardwareDetails {
    pub cpu: Cpu,
    pub ram_mebibytes: i64,
    pub nics: Vec<Nic>,
    pub storage: Vec<Storage>,
    pub firmware: Firmware,
    pub system_vendor: SystemVendor,
    pub hostname: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Cpu {
    pub arch: String,
    pub model: String,
    pub clock_megahertz: f64,
    pub count: i64,
    pub flags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Nic {
    pub name: String,
    pub mac: String,
    pub ip: String,
    pub model: String,
    pub speed_gbps: i64,
    pub pxe: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Storage {
    pub name: String,
    pub alternate_names: Vec<String>,
    pub hctl: String,
    pub model: String,
    pub vendor: String,
    pub serial_number: String,
    pub size_bytes: i64,
    pub rotational: bool,
    /// `HDD`, `SSD` or `NVME`.
    pub r#type: String,
    pub wwn: String,
    pub wwn_with_extension: String,
    pub wwn_vendor_extension: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Firmware {
    pub bios: Bios,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Bios {
    pub vendor: String,
    pub version: String,
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SystemVendor {
    pub manufacturer: String,
    pub product_name: String,
    pub serial_number: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HardwareError {
    #[error("hardware inventory field \"{field}\" should be {expected}, found {found}")]
    WrongType {
        field: String,
        expected: &'static str,
        found: &'static str,
    },
}

const MEBIBYTE: i64 = 1024 * 1024;

impl HardwareDetails {
    /// Builds the details from an inventory body; see the module docs for the rules.
    pub fn from_inventory(body: &Value) -> Result<HardwareDetails, HardwareError> {
        let root = Field::root(body).object()?;
        let (inventory, plugin_data) = match root.get("inventory") {
            Some(inventory) => (
                Field::new("inventory", Some(inventory)).object()?,
                Field::new("plugin_data", root.get("plugin_data")).object()?,
            ),
            None => (root, Obj::empty("plugin_data")),
        };

        let system_vendor = inventory.object("system_vendor")?;
        let bios = system_vendor.object("firmware")?;
        Ok(HardwareDetails {
            cpu: cpu(&inventory.object("cpu")?)?,
            ram_mebibytes: ram_mebibytes(&inventory.object("memory")?)?,
            nics: nics(&inventory, &plugin_data)?,
            storage: storage(&inventory)?,
            firmware: Firmware {
                bios: Bios {
                    vendor: bios.string("vendor")?,
                    version: bios.string("version")?,
                    date: bios.string("build_date")?,
                },
            },
            system_vendor: SystemVendor {
                manufacturer: system_vendor.string("manufacturer")?,
                product_name: system_vendor.string("product_name")?,
                serial_number: system_vendor.string("serial_number")?,
            },
            hostname: inventory.string("hostname")?,
        })
    }
}

fn cpu(cpu: &Obj) -> Result<Cpu, HardwareError> {
    let mut flags = cpu
        .array("flags")?
        .iter()
        .map(Field::string)
        .collect::<Result<Vec<_>, _>>()?;
    flags.sort();
    Ok(Cpu {
        arch: cpu.string("architecture")?,
        model: cpu.string("model_name")?,
        clock_megahertz: cpu.float("frequency")?.round(),
        count: cpu.int("count")?,
        flags,
    })
}

fn ram_mebibytes(memory: &Obj) -> Result<i64, HardwareError> {
    let physical = memory.int("physical_mb")?;
    if physical > 0 {
        return Ok(physical);
    }
    Ok(memory.int("total")? / MEBIBYTE)
}

fn nics(inventory: &Obj, plugin_data: &Obj) -> Result<Vec<Nic>, HardwareError> {
    let pxe_mac = pxe_mac(&inventory.object("boot")?.string("pxe_interface")?);
    let all_interfaces = plugin_data.object("all_interfaces")?;
    let mut nics = Vec::new();
    for interface in inventory.array("interfaces")? {
        let interface = interface.object()?;
        let name = interface.string("name")?;
        let mac = interface.string("mac_address")?.to_ascii_lowercase();
        let pxe = match all_interfaces.object(&name)?.get("pxe_enabled") {
            Some(value) => Field::new("pxe_enabled", Some(value)).boolean()?,
            None => !mac.is_empty() && pxe_mac.as_deref() == Some(mac.as_str()),
        };
        let model = format!(
            "{} {}",
            interface.string("vendor")?,
            interface.string("product")?
        )
        .trim()
        .to_owned();
        let ipv4 = interface.string("ipv4_address")?;
        let ipv6 = interface.string("ipv6_address")?;
        let ipv6 = ipv6.split('%').next().unwrap_or_default().to_owned();
        let speed_gbps = interface.int("speed_mbps")? / 1000;
        let nic = |ip: String| Nic {
            name: name.clone(),
            mac: mac.clone(),
            ip,
            model: model.clone(),
            speed_gbps,
            pxe,
        };
        if !ipv4.is_empty() || ipv6.is_empty() {
            nics.push(nic(ipv4));
        }
        if !ipv6.is_empty() {
            nics.push(nic(ipv6));
        }
    }
    Ok(nics)
}

/// The PXE MAC from `boot.pxe_interface`, which may be in pxelinux form (`01-aa-bb-...`).
fn pxe_mac(pxe_interface: &str) -> Option<String> {
    if pxe_interface.is_empty() {
        return None;
    }
    let mac = match pxe_interface.split_once('-') {
        Some((_hardware_type, rest)) => rest.replace('-', ":"),
        None => pxe_interface.to_owned(),
    };
    Some(mac.to_ascii_lowercase())
}

fn storage(inventory: &Obj) -> Result<Vec<Storage>, HardwareError> {
    let mut storage = Vec::new();
    for disk in inventory.array("disks")? {
        let disk = disk.object()?;
        let device = disk.string("name")?;
        let by_path = disk.string("by_path")?;
        let rotational = disk.boolean("rotational")?;
        let mut alternate_names = vec![device.clone()];
        let name = if by_path.is_empty() {
            device.clone()
        } else {
            alternate_names.push(by_path.clone());
            by_path
        };
        storage.push(Storage {
            name,
            alternate_names,
            hctl: disk.string("hctl")?,
            model: disk.string("model")?,
            vendor: disk.string("vendor")?,
            serial_number: disk.string("serial")?,
            size_bytes: disk.int("size")?,
            rotational,
            r#type: disk_type(&device, rotational).to_owned(),
            wwn: disk.string("wwn")?,
            wwn_with_extension: disk.string("wwn_with_extension")?,
            wwn_vendor_extension: disk.string("wwn_vendor_extension")?,
        });
    }
    Ok(storage)
}

/// Values of a disk's `type`: rotational, NVMe, other solid state.
pub const STORAGE_TYPES: [&str; 3] = ["HDD", "SSD", "NVME"];

fn disk_type(device: &str, rotational: bool) -> &'static str {
    let [hdd, ssd, nvme] = STORAGE_TYPES;
    let base = device.strip_prefix("/dev/").unwrap_or(device);
    if rotational {
        hdd
    } else if base.starts_with("nvme") {
        nvme
    } else {
        ssd
    }
}

/// A JSON value with the dotted path it was found at, for error messages.
struct Field<'a> {
    path: String,
    value: Option<&'a Value>,
}

/// A JSON object (possibly absent, then empty) with its path.
struct Obj<'a> {
    path: String,
    map: Option<&'a Map<String, Value>>,
}

impl<'a> Field<'a> {
    fn root(value: &'a Value) -> Self {
        Field {
            path: "inventory".to_owned(),
            value: Some(value),
        }
    }

    fn new(path: &str, value: Option<&'a Value>) -> Self {
        Field {
            path: path.to_owned(),
            value,
        }
    }

    /// The value unless it is missing or null.
    fn present(&self) -> Option<&'a Value> {
        self.value.filter(|v| !v.is_null())
    }

    fn wrong(&self, expected: &'static str) -> HardwareError {
        HardwareError::WrongType {
            field: self.path.clone(),
            expected,
            found: kind(self.value.unwrap_or(&Value::Null)),
        }
    }

    fn object(&self) -> Result<Obj<'a>, HardwareError> {
        match self.present() {
            None => Ok(Obj {
                path: self.path.clone(),
                map: None,
            }),
            Some(Value::Object(map)) => Ok(Obj {
                path: self.path.clone(),
                map: Some(map),
            }),
            Some(_) => Err(self.wrong("an object")),
        }
    }

    fn array(&self) -> Result<Vec<Field<'a>>, HardwareError> {
        match self.present() {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => Ok(items
                .iter()
                .enumerate()
                .map(|(i, item)| Field::new(&format!("{}[{i}]", self.path), Some(item)))
                .collect()),
            Some(_) => Err(self.wrong("a list")),
        }
    }

    fn string(&self) -> Result<String, HardwareError> {
        match self.present() {
            None => Ok(String::new()),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(Value::Number(n)) => Ok(n.to_string()),
            Some(Value::Bool(b)) => Ok(b.to_string()),
            Some(_) => Err(self.wrong("a string")),
        }
    }

    fn float(&self) -> Result<f64, HardwareError> {
        let parsed = match self.present() {
            None => Some(0.0),
            Some(Value::Number(n)) => n.as_f64(),
            Some(Value::String(s)) if s.trim().is_empty() => Some(0.0),
            Some(Value::String(s)) => s.trim().parse::<f64>().ok(),
            Some(_) => None,
        };
        parsed
            .filter(|f| f.is_finite())
            .ok_or_else(|| self.wrong("a number"))
    }

    fn int(&self) -> Result<i64, HardwareError> {
        if let Some(Value::Number(n)) = self.present() {
            if let Some(i) = n.as_i64() {
                return Ok(i);
            }
        }
        if let Some(Value::String(s)) = self.present() {
            if let Ok(i) = s.trim().parse::<i64>() {
                return Ok(i);
            }
        }
        // Fractional or huge values: truncate into range rather than fail.
        let f = self.float()?;
        Ok(f.clamp(i64::MIN as f64, i64::MAX as f64) as i64)
    }

    fn boolean(&self) -> Result<bool, HardwareError> {
        match self.present() {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(Value::Number(n)) if n.as_f64() == Some(0.0) => Ok(false),
            Some(Value::Number(n)) if n.as_f64() == Some(1.0) => Ok(true),
            Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => Ok(true),
                "false" | "0" | "no" | "" => Ok(false),
                _ => Err(self.wrong("a boolean")),
            },
            Some(_) => Err(self.wrong("a boolean")),
        }
    }
}

impl<'a> Obj<'a> {
    fn empty(path: &str) -> Self {
        Obj {
            path: path.to_owned(),
            map: None,
        }
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.and_then(|m| m.get(key))
    }

    fn field(&self, key: &str) -> Field<'a> {
        Field::new(&format!("{}.{key}", self.path), self.get(key))
    }

    fn object(&self, key: &str) -> Result<Obj<'a>, HardwareError> {
        self.field(key).object()
    }

    fn array(&self, key: &str) -> Result<Vec<Field<'a>>, HardwareError> {
        self.field(key).array()
    }

    fn string(&self, key: &str) -> Result<String, HardwareError> {
        self.field(key).string()
    }

    fn float(&self, key: &str) -> Result<f64, HardwareError> {
        self.field(key).float()
    }

    fn int(&self, key: &str) -> Result<i64, HardwareError> {
        self.field(key).int()
    }

    fn boolean(&self, key: &str) -> Result<bool, HardwareError> {
        self.field(key).boolean()
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
#[path = "hardware_tests.rs"]
mod tests;
