//! Calendar releases: NGC's `yy.mm` releases and vendors' own release names
//! (MATLAB's `r2019b`).
//!
//! ```text
//! release        ::= year "." month [ "." point ] [ "dev" ]
//! year           ::= [0-9]{2}                  (20yy)
//! month          ::= [0-9]{1,2}                (1 to 12; NVHPC writes `24.5`, NGC `24.05`)
//! point          ::= [0-9]+                    (a point release: `18.08.1`)
//! vendor-release ::= ( "r" | "R" ) [0-9]{4} ( "a" | "b" )
//! ```
//!
//! Both are calendar values: each has a release date (the first day of its
//! month; MathWorks ships `a` in March and `b` in September), so that
//! queries such as "released after 2023-06" work on them.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

use crate::error::{Component, Error, ErrorKind};
use crate::parse::{class, number, PErr, Res, Why};

/// An NGC release: `24.01`, NVHPC's `24.5`, a point release `18.08.1`, a
/// development build `26.08dev`.
///
/// # Syntax
///
/// Two digits of year, a month of one or two digits, an optional point
/// number, an optional `dev` suffix. `Display` prints the release exactly as
/// written (`24.5` stays `24.5`, `24.05` stays `24.05`).
///
/// # Total ordering
///
/// By year, month, point (none before `.0`), then a `dev` build before the
/// release it precedes, then by spelling (`24.5 < 24.05`, so that the order
/// agrees with `Eq`):
/// `18.08 < 18.08.1 < 19.12 < 20.01 < 24.10 < 26.08dev < 26.08`.
/// [`Release::cmp_calendar`] leaves the spelling out.
///
/// ```
/// use imagetag::Release;
///
/// let r: Release = "23.07".parse()?;
/// assert!(r.released_after(chrono::NaiveDate::from_ymd_opt(2023, 6, 1).unwrap()));
/// assert!("19.12".parse::<Release>()? < "20.01".parse::<Release>()?);
/// assert_eq!("24.5".parse::<Release>()?.to_string(), "24.5");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// `2024.01` (a year of other than two digits), `24` (no month), `24.13`
/// (no such month), `24.123` (a month of three digits), `24.01x` (trailing
/// text).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Release {
    year: u8,
    month: u8,
    month_digits: u8,
    point: Option<u32>,
    dev: bool,
}

const SUBJECT: &str = "release";

/// Instantiation
impl Release {
    /// Reads a release such as `24.01`.
    pub fn parse(s: &str) -> Result<Release, Error> {
        whole(s, Release::prefix, SUBJECT, Component::Release)
    }

    /// The grammar function: a release at the start of `i`.
    // release ::= [0-9]{2} "." [0-9]{1,2} [ "." number ] [ "dev" ]
    pub(crate) fn prefix(i: &str) -> Res<'_, Release> {
        let c = Component::Release;
        let n = class::span(i, class::DIGIT);
        if n != 2 {
            let why = Why::syntax(c, "expected a two-digit year in the release (yy.mm)");
            return Err(nom::Err::Error(PErr::new(i, why).spanning(n)));
        }
        let year = (i.as_bytes()[0] - b'0') * 10 + (i.as_bytes()[1] - b'0');
        let Some(rest) = i[2..].strip_prefix('.') else {
            return PErr::err(&i[2..], Why::syntax(c, "expected '.' after the year"));
        };
        let m = class::span(rest, class::DIGIT);
        if m == 0 {
            return PErr::err(rest, Why::syntax(c, "expected a month after the year"));
        }
        if m > 2 {
            let why = Why::syntax(c, "a month has one or two digits");
            return Err(nom::Err::Error(PErr::new(rest, why).spanning(m)));
        }
        let month = rest.as_bytes()[..m]
            .iter()
            .fold(0u8, |v, b| v * 10 + (b - b'0'));
        if !(1..=12).contains(&month) {
            let why = Why::syntax(c, "a month must be 1 to 12");
            return Err(nom::Err::Error(PErr::new(rest, why).spanning(m)));
        }
        let mut rest = &rest[m..];
        let mut point = None;
        if let Some(after) = rest.strip_prefix('.') {
            if after.starts_with(|c: char| c.is_ascii_digit()) {
                let (r, p) = number(after, c)?;
                point = Some(p);
                rest = r;
            }
        }
        let dev = match rest.strip_prefix("dev") {
            Some(r) => {
                rest = r;
                true
            }
            None => false,
        };
        Ok((
            rest,
            Release {
                year,
                month,
                month_digits: m as u8,
                point,
                dev,
            },
        ))
    }
}

/// Access
impl Release {
    /// The year, in full (`2024` for `24.01`).
    pub fn year(&self) -> i32 {
        2000 + i32::from(self.year)
    }

    /// The month, 1 to 12.
    pub fn month(&self) -> u32 {
        u32::from(self.month)
    }

    /// The point number, if written (`1` of `18.08.1`).
    pub fn point(&self) -> Option<u32> {
        self.point
    }

    /// Whether this is a development build (`26.08dev`).
    pub fn is_dev(&self) -> bool {
        self.dev
    }

    /// The release date: the first day of the release's month.
    pub fn date(&self) -> NaiveDate {
        // Year 2000..=2099 and month 1..=12 always make a valid date.
        NaiveDate::from_ymd_opt(self.year(), self.month(), 1).unwrap_or(NaiveDate::MIN)
    }

    /// Whether the release's month is later than the month of `date`
    /// ("released after 2023-06": `23.07` is, `23.06` is not).
    pub fn released_after(&self, date: NaiveDate) -> bool {
        (self.year(), self.month()) > (date.year(), date.month())
    }

    /// Whether the release's month is earlier than the month of `date`.
    pub fn released_before(&self, date: NaiveDate) -> bool {
        (self.year(), self.month()) < (date.year(), date.month())
    }

    /// The order of two releases by calendar alone, not by spelling:
    /// `24.5` and `24.05` are `Equal` here.
    pub fn cmp_calendar(&self, other: &Release) -> Ordering {
        self.calendar_key().cmp(&other.calendar_key())
    }

    fn calendar_key(&self) -> (u8, u8, Option<u32>, bool) {
        (self.year, self.month, self.point, !self.dev)
    }
}

impl Ord for Release {
    fn cmp(&self, other: &Self) -> Ordering {
        self.cmp_calendar(other)
            .then(self.month_digits.cmp(&other.month_digits))
    }
}

impl PartialOrd for Release {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02}.{:0w$}",
            self.year,
            self.month,
            w = usize::from(self.month_digits)
        )?;
        if let Some(p) = self.point {
            write!(f, ".{p}")?;
        }
        if self.dev {
            f.write_str("dev")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Release(\"{self}\")")
    }
}

impl FromStr for Release {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Release::parse(s)
    }
}

/// A vendor's own release name: MATLAB's `r2019b` (`R2019b` in MathWorks'
/// spelling), as TWCC (`matlab-r2019b`) and NGC (`partners/matlab:r2020a`)
/// write it.
///
/// # Total ordering
///
/// By year, then `a` before `b`, then by spelling (`R` before `r`):
/// `r2019a < r2019b < r2020a`.
///
/// ```
/// use imagetag::VendorRelease;
///
/// let a: VendorRelease = "r2019b".parse()?;
/// assert!(a < "r2020a".parse()?);
/// assert_eq!(a.date().to_string(), "2019-09-01");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// `2019b` (no `r`), `r19b` (a year of other than four digits), `r2019c`
/// (a half other than `a` or `b`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct VendorRelease {
    upper: bool,
    year: u16,
    second: bool,
}

/// Instantiation
impl VendorRelease {
    /// Reads a vendor release such as `r2019b`.
    pub fn parse(s: &str) -> Result<VendorRelease, Error> {
        whole(
            s,
            VendorRelease::prefix,
            "vendor release",
            Component::Version,
        )
    }

    /// The grammar function: a vendor release at the start of `i`.
    // vendor-release ::= ( "r" | "R" ) [0-9]{4} ( "a" | "b" )
    pub(crate) fn prefix(i: &str) -> Res<'_, VendorRelease> {
        let c = Component::Version;
        let upper = match i.as_bytes().first() {
            Some(b'r') => false,
            Some(b'R') => true,
            _ => return PErr::err(i, Why::syntax(c, "expected 'r' before the vendor release")),
        };
        let rest = &i[1..];
        let n = class::span(rest, class::DIGIT);
        if n != 4 {
            let why = Why::syntax(
                c,
                "expected a four-digit year in the vendor release (r2019b)",
            );
            return Err(nom::Err::Error(PErr::new(rest, why).spanning(n)));
        }
        let year = rest.as_bytes()[..4]
            .iter()
            .fold(0u16, |v, b| v * 10 + u16::from(b - b'0'));
        let second = match rest.as_bytes().get(4) {
            Some(b'a') => false,
            Some(b'b') => true,
            _ => {
                return PErr::err(
                    &rest[4..],
                    Why::syntax(c, "expected 'a' or 'b' after the year"),
                )
            }
        };
        Ok((
            &rest[5..],
            VendorRelease {
                upper,
                year,
                second,
            },
        ))
    }
}

/// Access
impl VendorRelease {
    /// The year (`2019`).
    pub fn year(&self) -> i32 {
        i32::from(self.year)
    }

    /// Whether this is the year's second release (`b`).
    pub fn is_second(&self) -> bool {
        self.second
    }

    /// The release date: March 1 for `a`, September 1 for `b`.
    pub fn date(&self) -> NaiveDate {
        let month = if self.second { 9 } else { 3 };
        NaiveDate::from_ymd_opt(self.year(), month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// Whether the release date's month is later than the month of `date`.
    pub fn released_after(&self, date: NaiveDate) -> bool {
        let d = self.date();
        (d.year(), d.month()) > (date.year(), date.month())
    }

    /// The order of two vendor releases by calendar alone, not by spelling.
    pub fn cmp_calendar(&self, other: &VendorRelease) -> Ordering {
        (self.year, self.second).cmp(&(other.year, other.second))
    }
}

impl Ord for VendorRelease {
    fn cmp(&self, other: &Self) -> Ordering {
        self.cmp_calendar(other).then(other.upper.cmp(&self.upper))
    }
}

impl PartialOrd for VendorRelease {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for VendorRelease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = if self.upper { 'R' } else { 'r' };
        let h = if self.second { 'b' } else { 'a' };
        write!(f, "{r}{:04}{h}", self.year)
    }
}

impl fmt::Debug for VendorRelease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VendorRelease(\"{self}\")")
    }
}

impl FromStr for VendorRelease {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        VendorRelease::parse(s)
    }
}

/// Runs a grammar function over the whole of `s`.
fn whole<T>(
    s: &str,
    f: impl Fn(&str) -> Res<'_, T>,
    subject: &'static str,
    c: Component,
) -> Result<T, Error> {
    match f(s) {
        Ok(("", v)) => Ok(v),
        Ok((rest, _)) => Err(PErr::new(
            rest,
            Why {
                kind: ErrorKind::Syntax,
                component: c,
                expected: "expected the end of the release",
            },
        )
        .into_error(subject, s)),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(e.into_error(subject, s)),
        Err(nom::Err::Incomplete(_)) => unreachable!("complete parsers only"),
    }
}

#[cfg(feature = "serde")]
mod serde_impls {
    use super::{Release, VendorRelease};
    use serde::de::{self, Visitor};
    use std::fmt;
    use std::marker::PhantomData;
    use std::str::FromStr;

    /// Deserializes any `FromStr` value from a string, with `expecting` text.
    pub(crate) struct StrVisitor<T>(pub &'static str, pub PhantomData<T>);

    impl<T: FromStr> Visitor<'_> for StrVisitor<T>
    where
        T::Err: fmt::Display,
    {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<T, E> {
            s.parse().map_err(E::custom)
        }
    }

    macro_rules! string_serde {
        ($t:ty, $what:expr) => {
            impl serde::Serialize for $t {
                fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    s.collect_str(self)
                }
            }
            impl<'de> serde::Deserialize<'de> for $t {
                fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    d.deserialize_str($crate::release::StrVisitor::<$t>(
                        $what,
                        std::marker::PhantomData,
                    ))
                }
            }
        };
    }
    pub(crate) use string_serde;

    string_serde!(Release, "an NGC release (yy.mm)");
    string_serde!(VendorRelease, "a vendor release (r2019b)");
}

#[cfg(feature = "serde")]
pub(crate) use serde_impls::{string_serde, StrVisitor};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_display() {
        let r = |s: &str| Release::parse(s).unwrap();
        let chain = [
            "18.08", "18.08.1", "19.12", "20.01", "24.5", "24.05", "24.10", "26.08dev", "26.08",
        ];
        for w in chain.windows(2) {
            assert!(r(w[0]) < r(w[1]), "{} < {}", w[0], w[1]);
        }
        for s in chain {
            assert_eq!(r(s).to_string(), s);
        }
        assert_eq!(r("24.5").cmp_calendar(&r("24.05")), Ordering::Equal);
        let d = NaiveDate::from_ymd_opt(2023, 6, 1).unwrap();
        assert!(r("23.07").released_after(d));
        assert!(!r("23.06").released_after(d));
        assert_eq!(
            r("24.01").date(),
            NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()
        );
    }

    #[test]
    fn errors() {
        let e = |s: &str| Release::parse(s).unwrap_err().to_string();
        assert_eq!(
            e("2024.01"),
            r#"invalid release "2024.01": expected a two-digit year in the release (yy.mm) at byte 0 ("2024")"#
        );
        assert_eq!(
            e("24"),
            r#"invalid release "24": expected '.' after the year at byte 2 (end of input)"#
        );
        assert_eq!(
            e("24.13"),
            r#"invalid release "24.13": a month must be 1 to 12 at byte 3 ("13")"#
        );
        assert_eq!(
            e("24.01x"),
            r#"invalid release "24.01x": expected the end of the release at byte 5 ("x")"#
        );
        let v = |s: &str| VendorRelease::parse(s).unwrap_err().to_string();
        assert_eq!(
            v("r2019c"),
            r#"invalid vendor release "r2019c": expected 'a' or 'b' after the year at byte 5 ("c")"#
        );
    }

    #[test]
    fn vendor() {
        let v = |s: &str| VendorRelease::parse(s).unwrap();
        assert!(v("r2019a") < v("r2019b"));
        assert!(v("r2019b") < v("r2020a"));
        assert_eq!(v("R2019b").to_string(), "R2019b");
    }
}
