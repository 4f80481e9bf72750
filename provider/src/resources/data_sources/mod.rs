//! Data sources `metal3_baremetal_host` and `metal3_baremetal_hosts`: lookup arguments, filters
//! and the values they return.

pub mod handlers;
pub mod host;
pub mod hosts;
