//! VESSL tag (placeholder: being written).

use std::cmp::Ordering;
use std::fmt;

use crate::error::{Component, Error, ErrorKind};
use crate::reference::Reference;
use crate::scheme::{Field, Scheme, Tagged, Track};

/// A VESSL tag.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct VesslTag {
    text: String,
}

impl fmt::Display for VesslTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Tagged for VesslTag {
    const SCHEME: Scheme = Scheme::Vessl;

    fn from_reference(_r: &Reference<'_>, input: &str) -> Result<Self, Error> {
        Err(Error::new(
            ErrorKind::Scheme,
            "VESSL tag",
            input,
            0,
            input,
            Component::Name,
            "not yet supported",
        ))
    }

    fn track(&self) -> Track {
        Track::new([self.text.as_str()])
    }

    fn is_alias(&self) -> bool {
        false
    }

    fn fields(&self) -> Vec<Field> {
        Vec::new()
    }

    fn compare(&self, other: &Self) -> Option<Ordering> {
        (self == other).then_some(Ordering::Equal)
    }
}
