//! Attribute paths: where in a value something happened, shown the way Terraform users write it
//! (`bmc.address`, `nics[0]`, `tags["rack"]`).

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathStep {
    /// An object attribute (or nested block) by name.
    Attribute(String),
    /// A map element by key.
    ElementKeyString(String),
    /// A list, tuple or set element by position (for sets: the position on the wire, which has
    /// no meaning beyond locating the element in the message that was decoded).
    ElementKeyInt(i64),
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct AttributePath(pub Vec<PathStep>);

impl AttributePath {
    pub fn root() -> AttributePath {
        AttributePath(Vec::new())
    }

    /// The path through nested attributes: `["bmc", "address"]` is `bmc.address`.
    pub fn attributes(names: &[&str]) -> AttributePath {
        names
            .iter()
            .fold(AttributePath::root(), |p, name| p.attribute(*name))
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// This path extended by an attribute step.
    pub fn attribute(mut self, name: impl Into<String>) -> AttributePath {
        self.0.push(PathStep::Attribute(name.into()));
        self
    }

    /// This path extended by a map key step.
    pub fn key(mut self, key: impl Into<String>) -> AttributePath {
        self.0.push(PathStep::ElementKeyString(key.into()));
        self
    }

    /// This path extended by a list/tuple/set position step.
    pub fn index(mut self, index: i64) -> AttributePath {
        self.0.push(PathStep::ElementKeyInt(index));
        self
    }
}

impl From<Vec<PathStep>> for AttributePath {
    fn from(steps: Vec<PathStep>) -> Self {
        AttributePath(steps)
    }
}

impl fmt::Display for AttributePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                PathStep::Attribute(name) if i == 0 => f.write_str(name)?,
                PathStep::Attribute(name) => write!(f, ".{name}")?,
                PathStep::ElementKeyString(key) => {
                    // JSON string syntax is also HCL's, so quotes and control characters in
                    // keys stay unambiguous.
                    let quoted = serde_json::to_string(key).map_err(|_| fmt::Error)?;
                    write!(f, "[{quoted}]")?
                }
                PathStep::ElementKeyInt(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_like_terraform_references() {
        let path = AttributePath::root().attribute("bmc").attribute("address");
        assert_eq!(path.to_string(), "bmc.address");
        let path = AttributePath::root()
            .attribute("nics")
            .index(0)
            .attribute("mac");
        assert_eq!(path.to_string(), "nics[0].mac");
        let path = AttributePath::root().attribute("tags").key("x\"y");
        assert_eq!(path.to_string(), r#"tags["x\"y"]"#);
        assert_eq!(AttributePath::root().to_string(), "");
    }
}
