//! `BmcAddress`, a BMC address split into its parts (`address.rs` parses it; the families
//! read it).

/// A parsed BMC address. `host` is lowercase and without IPv6 brackets; `path` keeps its
/// leading `/` (empty when absent); `query` is the raw text after `?` (only IPMI reads it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BmcAddress {
    pub scheme: String,
    pub transport: Option<String>,
    pub host: String,
    pub port: Option<u16>,
    pub path: String,
    pub query: Option<String>,
}

impl BmcAddress {
    /// The scheme as written, with its transport: `redfish+https`.
    pub fn full_scheme(&self) -> String {
        match &self.transport {
            Some(transport) => format!("{}+{transport}", self.scheme),
            None => self.scheme.clone(),
        }
    }

    /// The host as it appears in a URL: IPv6 addresses in brackets.
    pub fn url_host(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        }
    }

    /// `host[:port]` as it appears in a URL.
    pub fn url_authority(&self) -> String {
        match self.port {
            Some(port) => format!("{}:{port}", self.url_host()),
            None => self.url_host(),
        }
    }
}
