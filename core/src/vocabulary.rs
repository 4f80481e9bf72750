//! Closed sets of words (boot modes, cleaning modes, provisioning states, error types...): each
//! enum lists its values once, and everything that shows, accepts or documents them (the
//! provider's validators, schema descriptions and docs) is derived from that list.

/// An enum whose values have fixed names.
pub trait Vocabulary: Copy + PartialEq + 'static {
    /// Every value, in documentation order.
    const ALL: &'static [Self];

    /// The value's name, as users write it and Terraform shows it.
    fn name(self) -> &'static str;

    /// The value of a name.
    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|value| value.name() == name)
    }

    /// Every name, in documentation order.
    fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|value| value.name()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::spec::{
        AutomatedCleaningMode, BootMode, ChecksumType, DiskFormat, ErrorType, InspectionMode,
        OperationalStatus, ProvisioningState,
    };

    fn round_trips<V: Vocabulary + std::fmt::Debug>() {
        let names = V::names();
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        for value in V::ALL {
            assert_eq!(V::from_name(value.name()), Some(*value));
        }
    }

    #[test]
    fn every_vocabulary_names_each_value_once_and_parses_it_back() {
        round_trips::<BootMode>();
        round_trips::<ChecksumType>();
        round_trips::<DiskFormat>();
        round_trips::<AutomatedCleaningMode>();
        round_trips::<InspectionMode>();
        round_trips::<ProvisioningState>();
        round_trips::<OperationalStatus>();
        round_trips::<ErrorType>();
    }
}
