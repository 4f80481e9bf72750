//! `ApiVersion`, an Ironic API microversion: its own file because both the negotiation
//! (`version.rs`) and the errors that report it (`error.rs`) need it.

use std::fmt;
use std::str::FromStr;

/// An Ironic API microversion `major.minor` (always `1.x` today).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ApiVersion {
    pub major: u32,
    pub minor: u32,
}

impl ApiVersion {
    pub const fn new(major: u32, minor: u32) -> Self {
        ApiVersion { major, minor }
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl FromStr for ApiVersion {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (major, minor) = s
            .trim()
            .split_once('.')
            .ok_or_else(|| format!("microversion {s:?} is not of the form X.Y"))?;
        let parse = |p: &str| {
            p.parse::<u32>()
                .map_err(|_| format!("microversion {s:?} is not of the form X.Y"))
        };
        Ok(ApiVersion::new(parse(major)?, parse(minor)?))
    }
}
