//! Values the resource's unit tests build hosts from: a BMC, an image, and the Redfish host
//! deploying an image that most tests start from.

use crate::codec::Value;

pub const REDFISH: &str = "redfish://10.0.0.1/redfish/v1/Systems/1";
pub const BOOT_MAC: &str = "52:54:00:aa:bb:cc";
pub const IMAGE_URL: &str = "http://img/os.qcow2";
pub const IMAGE_CHECKSUM_URL: &str = "http://img/os.qcow2.sha256";

/// The `bmc` object; `password` goes to `password` (use `set_attr` for `password_wo`).
pub fn bmc(address: &str, username: &str, password: &str) -> Value {
    Value::object([
        ("address", Value::from(address)),
        ("username", Value::from(username)),
        ("password", Value::from(password)),
    ])
}

pub fn image(url: &str, checksum: &str) -> Value {
    Value::object([
        ("url", Value::from(url)),
        ("checksum", Value::from(checksum)),
    ])
}

/// Host `w0` at a Redfish BMC, booting from [`BOOT_MAC`], deploying [`IMAGE_URL`].
pub fn redfish_config() -> Value {
    Value::object([
        ("name", Value::from("w0")),
        ("bmc", bmc(REDFISH, "admin", "pw")),
        ("boot_mac_address", Value::from(BOOT_MAC)),
        ("image", image(IMAGE_URL, IMAGE_CHECKSUM_URL)),
    ])
}
