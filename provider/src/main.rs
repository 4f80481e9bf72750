fn main() {
    eprintln!("terraform-provider-metal3: skeleton");
    std::process::exit(1);
}
