//! Conversion between a TWCC name and the NGC image it is built from
//! (`pytorch-24.01-py3:latest` ↔ `nvcr.io/nvidia/pytorch:24.01-py3`).
//!
//! It lives on neither side, so that `twcc.rs` and `ngc.rs` do not import
//! each other: each scheme file knows only its own grammar, and this file
//! knows both through their public accessors. Both directions write the
//! other scheme's name and read it back with that scheme's own parser, so a
//! converted value keeps every law of a parsed one.

use crate::scheme::ngc::{NgcPosition, NgcTag};
use crate::scheme::twcc::{TwccName, TwccPosition};

/// Conversion
impl TwccName {
    /// The NGC image this name is built from:
    /// `pytorch-24.01-py3:latest` → `nvcr.io/nvidia/pytorch:24.01-py3`. The
    /// TWCC tag, `-v1`, registry and path are TWCC's own and are dropped.
    /// `None` for a name without an NGC release (`matlab-r2019b`).
    pub fn to_ngc(&self) -> Option<NgcTag> {
        let fw = self.framework()?;
        let s = match self.position() {
            TwccPosition::Release(r) => format!("nvcr.io/nvidia/{fw}:{r}"),
            TwccPosition::Version(v) => format!("nvcr.io/nvidia/{fw}:v{v}"),
            TwccPosition::Cuda(_) | TwccPosition::Vendor(_) | TwccPosition::None => return None,
        };
        let s = join(s, [self.variant(), self.python(), self.package()]);
        s.parse().ok()
    }
}

/// Conversion
impl NgcTag {
    /// The TWCC name built from this NGC image, with TWCC's `latest` tag:
    /// `nvcr.io/nvidia/pytorch:24.01-py3` → `pytorch-24.01-py3:latest`.
    /// `None` where TWCC has no such name: outside `nvidia/`, without a
    /// release, or with words TWCC names do not carry (a suffix, CUDA, OS,
    /// both a package and Python).
    pub fn to_twcc(&self) -> Option<TwccName> {
        let NgcPosition::Release(r) = self.position() else {
            return None;
        };
        let fw = self.repository().strip_prefix("nvidia/")?;
        if fw.contains('/')
            || self.suffix().is_some()
            || self.cuda().is_some()
            || self.cudnn().is_some()
            || self.os().is_some()
            || self.compiler().is_some()
            || self.l4t().is_some()
            || self
                .lead_text()
                .is_some_and(|t| t.contains(['.', '_']) && t.len() > 5)
            || (self.package().is_some() && self.python().is_some())
        {
            return None;
        }
        let mut s = join(
            format!("{fw}-{r}"),
            [self.variant(), self.python(), self.package()],
        );
        s.push_str(":latest");
        s.parse().ok()
    }
}

/// `s` followed by each present part, each after a `-`.
fn join(mut s: String, parts: [Option<&str>; 3]) -> String {
    for part in parts.into_iter().flatten() {
        s.push('-');
        s.push_str(part);
    }
    s
}
