//! Actions (Terraform >= 1.14 `action` blocks): operations on a host outside its resource's
//! state, run with `terraform apply -invoke=action.<type>.<name>` or from a resource's
//! `lifecycle { action_trigger { ... } }`. Adding one is its module and one line here.

mod host_power;
mod host_target;

crate::registration::register!(
    crate::server::handlers::ActionHandler;
    inspect::HostInspect,
    power::HostPower,
    reboot::HostReboot,
);
