//! Text shared by schema descriptions and diagnostics.

/// `` `a`, `b`, `c` `` for descriptions.
pub fn code_list(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The docs' capability table: for each BMC scheme, what Ironic 39 applies of RAID, BIOS
/// settings and firmware (the Ironic interface, or "no"), from each family's declaration.
pub fn capability_table() -> String {
    use metal3_core::bmc::FAMILIES;
    let iface =
        |name: Option<&str>| name.map_or_else(|| "no".to_owned(), |n| format!("yes (`{n}`)"));
    let mut out = String::from(
        "| BMC scheme | hardware RAID | software RAID | `bios_settings` | `firmware` switches | `firmware_components` | note |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for family in FAMILIES {
        let s = &family.day2;
        let schemes: Vec<String> = family
            .schemes
            .iter()
            .map(|x| format!("`{}`", x.scheme))
            .collect();
        let switches = match (s.bios, s.firmware_names) {
            (Some(_), Some(names)) => format!(
                "yes (`{}`, `{}`, `{}`)",
                names.simultaneous_multithreading, names.sriov, names.virtualization
            ),
            _ => "no".to_owned(),
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            schemes.join(", "),
            iface(s.hardware_raid),
            if s.software_raid {
                "yes (`agent`)"
            } else {
                "no"
            },
            iface(s.bios),
            switches,
            iface(s.firmware),
            s.note.unwrap_or(""),
        ));
    }
    out
}
