//! terraform-provider-metal3: started by Terraform (go-plugin handshake) or by hand.

fn main() {
    tfplugin::server::run(
        terraform_provider_metal3::provider::INFO,
        terraform_provider_metal3::provider::registry,
    )
}
