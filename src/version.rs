//! Dotted version numbers that keep the precision they were written with.
//!
//! ```text
//! version ::= number ( "." number ){0,3}
//! number  ::= "0" | [1-9] [0-9]*          (at most 4294967295)
//! ```
//!
//! `semver::Version` needs exactly three numbers, but image tags write
//! `3.10`, `12.4` and `2.3.0`: this type keeps what was written, compares
//! numerically (`3.9 < 3.10`, `12.4 < 12.10`) and converts to
//! [`semver::Version`] (missing parts as 0) for [`semver::VersionReq`] queries.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::error::{Component, Error, ErrorKind};
use crate::parse::{number, PErr, Res, Why};

/// The most numbers a [`Version`] holds (`13.0.1.2`).
pub const MAX_PARTS: usize = 4;

/// A dotted version number: `3.10`, `12.4`, `2.3.0`, `13.0.1`.
///
/// # Total ordering
///
/// Numbers compare as numbers, part by part, a missing part counting as 0;
/// of two versions equal that way, the one written with fewer parts comes
/// first, so that the order agrees with `Eq`:
/// `3.9 < 3.10 < 3.10.0 < 3.10.1 < 12.4 < 12.10`.
///
/// ```
/// use imagetag::Version;
///
/// let a: Version = "3.9".parse()?;
/// let b: Version = "3.10".parse()?;
/// assert!(a < b);
/// assert_eq!(b.to_string(), "3.10");
/// assert!(b.matches(&semver::VersionReq::parse(">=3.10, <4")?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// `3.` (a missing number), `03.1` (a leading zero: it would not print back
/// as written), `1.2.3.4.5` (more than four numbers), `99999999999`
/// (larger than `u32::MAX`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Version {
    parts: [u32; MAX_PARTS],
    len: Len,
}

/// How many numbers a [`Version`] holds: an enum rather than a `u8`, so
/// that `Option<Version>` needs no room of its own (scheme values hold
/// several, and a catalog holds many values).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
enum Len {
    Zero,
    One,
    Two,
    Three,
    Four,
}

impl Len {
    fn get(self) -> usize {
        self as usize
    }

    /// One more; saturates at four (callers stop at `MAX_PARTS`).
    fn inc(self) -> Len {
        match self {
            Len::Zero => Len::One,
            Len::One => Len::Two,
            Len::Two => Len::Three,
            Len::Three | Len::Four => Len::Four,
        }
    }
}

const SUBJECT: &str = "version";

impl Version {
    /// A version of the given numbers (at most four, `MAX_PARTS`; extra numbers
    /// are dropped).
    pub fn new(parts: &[u32]) -> Version {
        let mut v = Version {
            parts: [0; MAX_PARTS],
            len: Len::Zero,
        };
        for (slot, &p) in v.parts.iter_mut().zip(parts) {
            *slot = p;
            v.len = v.len.inc();
        }
        v
    }

    /// Reads a version such as `2.3.0`.
    pub fn parse(s: &str) -> Result<Version, Error> {
        match Version::prefix(s, Component::Version) {
            Ok(("", v)) => Ok(v),
            Ok((rest, _)) => Err(PErr::new(
                rest,
                Why::syntax(Component::Version, "expected a digit or '.' in the version"),
            )
            .into_error(SUBJECT, s)),
            Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(e.into_error(SUBJECT, s)),
            Err(nom::Err::Incomplete(_)) => unreachable!("complete parsers only"),
        }
    }

    /// The grammar function: a version at the start of `i`, for scheme
    /// parsers (`2.3.0` in `2.3.0-cuda12.4`). Stops before a `.` that is not
    /// followed by a digit, and after `MAX_PARTS` numbers.
    #[inline]
    pub(crate) fn prefix(i: &str, component: Component) -> Res<'_, Version> {
        Version::read(i, component, false)
    }

    /// [`prefix`](Self::prefix), also taking numbers with leading zeros
    /// (`22.04`), for tags whose text is kept as written: the value then
    /// does not print back as written.
    #[inline]
    pub(crate) fn prefix_lenient(i: &str, component: Component) -> Res<'_, Version> {
        Version::read(i, component, true)
    }

    /// Inlined into each grammar that reads a version: a version returned
    /// through memory is written a number at a time and read back whole,
    /// which stalls (store forwarding) on every call.
    #[inline]
    fn read(i: &str, component: Component, lenient: bool) -> Res<'_, Version> {
        // One number, without a leading zero unless `lenient`.
        let number = |s| -> Res<'_, u32> {
            let (r, n) = number(s, component)?;
            let len = s.len() - r.len();
            if !lenient && len > 1 && s.as_bytes()[0] == b'0' {
                let why = Why {
                    kind: ErrorKind::Syntax,
                    component,
                    expected: "a version number must not have a leading zero",
                };
                return Err(nom::Err::Error(PErr::new(s, why).spanning(len)));
            }
            Ok((r, n))
        };
        // Another number follows: a `.` and a digit (bytes, not chars: both
        // are ASCII).
        let more = |s: &str| {
            let b = s.as_bytes();
            b.first() == Some(&b'.') && b.get(1).is_some_and(u8::is_ascii_digit)
        };
        let (mut rest, first) = number(i)?;
        // The slots are filled by a loop over constant indices, which the
        // compiler unrolls: the numbers stay in registers instead of being
        // stored one by one and read back as a whole (a store-forwarding
        // stall that made this the hottest function of a VESSL parse).
        let mut parts = [first, 0, 0, 0];
        let mut len = Len::One;
        for (slot, next) in [(1, Len::Two), (2, Len::Three), (3, Len::Four)] {
            if !more(rest) {
                return Ok((rest, Version { parts, len }));
            }
            let (r, n) = number(&rest[1..])?;
            parts[slot] = n;
            len = next;
            rest = r;
        }
        if more(rest) {
            let why = Why {
                kind: ErrorKind::TooLong,
                component,
                expected: "a version has at most 4 numbers",
            };
            return Err(nom::Err::Error(PErr::new(rest, why)));
        }
        Ok((rest, Version { parts, len }))
    }

    /// Reads a version a grammar has already read (a place in a scheme
    /// value's text): dotted numbers, at most four, each within `u32`,
    /// leading zeros allowed, as [`prefix_lenient`](Self::prefix_lenient)
    /// reads the whole of it, without its error paths (a catalog reads
    /// one a tag it files). `None` for any other text.
    #[inline]
    pub(crate) fn read_written(s: &str) -> Option<Version> {
        let mut parts = [0u32; MAX_PARTS];
        let mut len = 0;
        let mut number: u64 = 0;
        let mut digits = 0;
        for b in s.bytes() {
            match b {
                b'0'..=b'9' => {
                    number = number * 10 + u64::from(b - b'0');
                    digits += 1;
                    if number > u64::from(u32::MAX) {
                        return None;
                    }
                }
                b'.' if digits > 0 && len + 1 < MAX_PARTS => {
                    parts[len] = number as u32;
                    len += 1;
                    (number, digits) = (0, 0);
                }
                _ => return None,
            }
        }
        if digits == 0 {
            return None;
        }
        parts[len] = number as u32;
        let len = match len {
            0 => Len::One,
            1 => Len::Two,
            2 => Len::Three,
            _ => Len::Four,
        };
        Some(Version { parts, len })
    }

    /// The numbers as written.
    pub fn parts(&self) -> &[u32] {
        &self.parts[..self.len.get()]
    }

    /// The first number.
    pub fn major(&self) -> u32 {
        self.parts[0]
    }

    /// The second number, if written.
    pub fn minor(&self) -> Option<u32> {
        self.parts().get(1).copied()
    }

    /// The third number, if written.
    pub fn patch(&self) -> Option<u32> {
        self.parts().get(2).copied()
    }

    /// The version as SemVer, missing parts as 0 (`3.10` is `3.10.0`); a
    /// fourth number is dropped.
    pub fn to_semver(&self) -> semver::Version {
        semver::Version::new(
            u64::from(self.parts[0]),
            u64::from(self.parts[1]),
            u64::from(self.parts[2]),
        )
    }

    /// Whether the version, read as SemVer, satisfies `req`.
    pub fn matches(&self, req: &semver::VersionReq) -> bool {
        req.matches(&self.to_semver())
    }

    /// Whether this version starts with the numbers of `prefix`: `12.4.1`
    /// and `12.4` have prefix `12.4` and `12`, not `12.40` or `12.4.0`.
    pub fn has_prefix(&self, prefix: &Version) -> bool {
        self.len >= prefix.len && self.parts().starts_with(prefix.parts())
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.parts.cmp(&other.parts).then(self.len.cmp(&other.len))
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.parts().iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Version(\"{self}\")")
    }
}

impl FromStr for Version {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Version::parse(s)
    }
}

/// Compares two versions as written (`12.4`, `22.04`: dotted numbers, at
/// most four, each within `u32`, leading zeros allowed) exactly as
/// [`Version`]'s order compares their readings, without reading them:
/// scheme values keep a version as its place in their text (2 bytes, not
/// 20), and a sort compares millions of them.
pub(crate) fn cmp_written(a: &str, b: &str) -> Ordering {
    // Bytes, not `split('.')` and `trim_start_matches`: a sort compares
    // millions of versions, and those cost 20 ns a comparison more.
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        // With the numbers so far equal, the one with fewer numbers comes
        // first: the other's next numbers are at least 0, the missing ones,
        // and with all of them 0 the shorter version is the lesser.
        match (a.is_empty(), b.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            (false, false) => {}
        }
        let ((x, ra), (y, rb)) = (first_number(a), first_number(b));
        let o = cmp_digits(x, y);
        if o != Ordering::Equal {
            return o;
        }
        (a, b) = (ra, rb);
    }
}

/// Compares two versions as written, as [`cmp_written`] does, but with
/// missing numbers as 0 (`3.12` equals `3.12.0`): the order of their
/// numbers padded to four, as a sort key that ignores how many were
/// written.
pub(crate) fn cmp_padded(a: &str, b: &str) -> Ordering {
    // Bytes, as in `cmp_written`: a sort of generic tags calls this for
    // every comparison.
    let zero = |s: &[u8]| s.iter().all(|&c| c == b'0' || c == b'.');
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        if a.is_empty() || b.is_empty() {
            // The numbers so far are equal; the other's next ones are
            // compared with 0.
            return match (zero(a), zero(b)) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Less,
                (false, _) => Ordering::Greater,
            };
        }
        let ((x, ra), (y, rb)) = (first_number(a), first_number(b));
        let o = cmp_digits(x, y);
        if o != Ordering::Equal {
            return o;
        }
        (a, b) = (ra, rb);
    }
}

/// Writes a version as written (as [`cmp_written`] takes it) into `out`,
/// a byte a number, so that the bytes order as `cmp_written` does wherever
/// they differ: a sort compares such keys, held in a compact vector, rather
/// than reading two versions out of two scattered values each time.
///
/// A number `n` is the byte `n + 1`, a missing one `0` (fewer numbers come
/// first). A number from 254 up, or a version with more numbers than `out`
/// has bytes, cannot be written exactly: from there on every byte is
/// `0xFF`, above every exact key with the same leading bytes, and the
/// answer is `false` (equal keys then say nothing, and the caller compares
/// the values). `true`: the key is exact, and the caller may append bytes
/// of its own that order after the version.
pub(crate) fn write_key(version: &str, out: &mut [u8]) -> bool {
    let mut rest = version.as_bytes();
    for i in 0..out.len() {
        if rest.is_empty() {
            out[i] = 0;
            continue;
        }
        let (digits, r) = first_number(rest);
        rest = r;
        // Up to 253 (three digits, as numbers go) fits a byte below 0xFF.
        let digits = trim_zeros(digits);
        let n = (digits.len() <= 3 && digits.iter().all(u8::is_ascii_digit))
            .then(|| {
                digits
                    .iter()
                    .fold(0u16, |n, &c| n * 10 + u16::from(c - b'0'))
            })
            .and_then(|n| u8::try_from(n + 1).ok())
            .filter(|&b| b < u8::MAX);
        match n {
            Some(b) => out[i] = b,
            None => {
                out[i..].fill(u8::MAX);
                return false;
            }
        }
    }
    rest.is_empty()
}

/// A run of digits without its leading zeros.
fn trim_zeros(mut s: &[u8]) -> &[u8] {
    while let [b'0', rest @ ..] = s {
        s = rest;
    }
    s
}

/// The first number of a dotted version and what follows its `.`.
fn first_number(s: &[u8]) -> (&[u8], &[u8]) {
    let n = s.iter().position(|&c| c == b'.').unwrap_or(s.len());
    (&s[..n], s.get(n + 1..).unwrap_or_default())
}

/// Two runs of digits as numbers: without leading zeros, the longer is
/// the greater.
fn cmp_digits(a: &[u8], b: &[u8]) -> Ordering {
    let (a, b) = (trim_zeros(a), trim_zeros(b));
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

#[cfg(feature = "serde")]
impl serde::Serialize for Version {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_precision() {
        let v = |s: &str| Version::parse(s).unwrap();
        let chain = ["3.9", "3.10", "3.10.0", "3.10.1", "12.4", "12.10", "13.0.1"];
        for w in chain.windows(2) {
            assert!(v(w[0]) < v(w[1]), "{} < {}", w[0], w[1]);
        }
        assert_ne!(v("3.10"), v("3.10.0"));
        assert_eq!(v("3.10").to_semver(), semver::Version::new(3, 10, 0));
        assert!(v("12.4.1").has_prefix(&v("12")));
        assert!(v("12.4.1").has_prefix(&v("12.4")));
        assert!(!v("12.40").has_prefix(&v("12.4")));
        assert!(!v("12.4").has_prefix(&v("12.4.0")));
    }

    /// Versions as written, for the orders' tests: leading zeros, missing
    /// and extra numbers, `u32`'s edges, and numbers around 254 (where a
    /// sort key's byte saturates).
    const TEXTS: [&str; 46] = [
        "0",
        "00",
        "0.0",
        "0.0.1",
        "1",
        "01",
        "1.0",
        "1.00",
        "1.0.0",
        "1.0.0.0",
        "1.0.0.1",
        "3.9",
        "3.10",
        "3.10.0",
        "12.1",
        "12.1.0",
        "12.01",
        "12.4",
        "12.04",
        "12.10",
        "12.40",
        "22.04",
        "22.4",
        "4294967295",
        "4294967294.1",
        "999999999",
        "1000000000",
        "2.3.0",
        "2.3",
        "2.3.0.1",
        "2.3.1",
        "2.4",
        "252",
        "253",
        "253.1",
        "254",
        "254.0",
        "255",
        "999",
        "1000",
        "2.253.9",
        "2.254",
        "2.254.0",
        "2.300.1",
        "1.2.3.4",
        "1.2.3",
    ];

    /// `cmp_written` orders texts as `Version` orders their readings, and
    /// `cmp_padded` as their numbers padded to four (`12.1` equals
    /// `12.1.0`), leading zeros and all.
    #[test]
    fn written_orders_are_the_readings_orders() {
        let read = |s: &str| match Version::prefix_lenient(s, Component::Version) {
            Ok(("", v)) => v,
            other => panic!("{s}: {other:?}"),
        };
        let padded = |s: &str| {
            let v = read(s);
            let mut p = [0u32; MAX_PARTS];
            p[..v.parts().len()].copy_from_slice(v.parts());
            p
        };
        for a in TEXTS {
            for b in TEXTS {
                assert_eq!(cmp_written(a, b), read(a).cmp(&read(b)), "{a} vs {b}");
                assert_eq!(cmp_padded(a, b), padded(a).cmp(&padded(b)), "{a} vs {b}");
            }
        }
    }

    /// `write_key`'s bytes order as `cmp_written` wherever they differ,
    /// with a byte appended after an exact key (as a sort appends a
    /// revision), and exactly where no number passes 253.
    #[test]
    fn keys_order_as_written() {
        let key = |s: &str, tail: u8| {
            let mut k = [0u8; 4];
            let exact = write_key(s, &mut k[..3]);
            k[3] = if exact { tail } else { u8::MAX };
            (k, exact)
        };
        for a in TEXTS {
            let exact = key(a, 0).1;
            let fits =
                a.split('.').count() <= 3 && a.split('.').all(|n| n.parse::<u64>().unwrap() < 254);
            assert_eq!(exact, fits, "{a}");
            for b in TEXTS {
                for (ta, tb) in [(0, 0), (0, 9), (9, 0), (200, 201)] {
                    let (ka, kb) = (key(a, ta).0, key(b, tb).0);
                    // Ties of the version go to the appended byte.
                    let want = cmp_written(a, b).then(ta.cmp(&tb));
                    if ka != kb {
                        assert_eq!(ka.cmp(&kb), want, "{a} ({ta}) vs {b} ({tb})");
                    } else if key(a, 0).1 && key(b, 0).1 {
                        assert_eq!(want, Ordering::Equal, "{a} ({ta}) vs {b} ({tb})");
                    }
                }
            }
        }
    }

    /// `read_written` reads what `prefix_lenient` reads whole, and nothing
    /// else.
    #[test]
    fn read_written_agrees_with_the_grammar() {
        for s in [
            "0",
            "00",
            "1",
            "01.02",
            "3.10",
            "12.4.1",
            "1.2.3.4",
            "1.2.3.4.5",
            "4294967295",
            "4294967296",
            "",
            ".",
            "1.",
            ".1",
            "1..2",
            "1a",
            "v1",
            "1.2-3",
            "99999999999999999999",
        ] {
            let whole = match Version::prefix_lenient(s, Component::Version) {
                Ok(("", v)) => Some(v),
                _ => None,
            };
            assert_eq!(Version::read_written(s), whole, "{s}");
        }
    }

    proptest::proptest! {
        #[test]
        fn written_order_agrees_on_any_version(
            a in proptest::collection::vec(0u32..=u32::MAX, 1..=4),
            b in proptest::collection::vec(0u32..=u32::MAX, 1..=4),
            za in 0usize..2,
            zb in 0usize..2,
        ) {
            // Small numbers often, to make equal prefixes likely.
            let text = |v: &[u32], zeros: usize| v.iter()
                .map(|n| format!("{}{}", "0".repeat(zeros), if n % 7 == 0 { *n } else { n % 4 }))
                .collect::<Vec<_>>().join(".");
            let (ta, tb) = (text(&a, za), text(&b, zb));
            let read = |s: &str| Version::prefix_lenient(s, Component::Version).unwrap().1;
            proptest::prop_assert_eq!(cmp_written(&ta, &tb), read(&ta).cmp(&read(&tb)));
            let padded = |s: &str| {
                let v = read(s);
                let mut p = [0u32; MAX_PARTS];
                p[..v.parts().len()].copy_from_slice(v.parts());
                p
            };
            proptest::prop_assert_eq!(cmp_padded(&ta, &tb), padded(&ta).cmp(&padded(&tb)));
            let (mut ka, mut kb) = ([0u8; 3], [0u8; 3]);
            write_key(&ta, &mut ka);
            write_key(&tb, &mut kb);
            if ka != kb {
                proptest::prop_assert_eq!(ka.cmp(&kb), cmp_written(&ta, &tb));
            }
        }
    }

    #[test]
    fn errors() {
        let e = |s: &str| Version::parse(s).unwrap_err().to_string();
        assert_eq!(
            e("3."),
            r#"invalid version "3.": expected a digit or '.' in the version at byte 1 (".")"#
        );
        assert_eq!(
            e("03.1"),
            r#"invalid version "03.1": a version number must not have a leading zero at byte 0 ("03")"#
        );
        assert_eq!(
            e("1.2.3.4.5"),
            r#"invalid version "1.2.3.4.5": a version has at most 4 numbers at byte 7 (".")"#
        );
        assert_eq!(
            e("99999999999"),
            r#"invalid version "99999999999": number must be at most 4294967295 at byte 0 ("99999999999")"#
        );
        assert_eq!(
            e(""),
            r#"invalid version "": expected a digit at byte 0 (end of input)"#
        );
    }
}
