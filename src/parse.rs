//! Shared parsing machinery: the nom error type every grammar uses, a
//! byte-class table for the character checks, and the step that turns a nom
//! error into the crate's public [`Error`].

use nom::error::{ErrorKind as NomKind, ParseError};
use nom::IResult;

use crate::error::{Component, Error, ErrorKind};

/// What a grammar function expected when it failed: everything the public
/// error needs except the input, which is only known at the edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Why {
    pub kind: ErrorKind,
    pub component: Component,
    pub expected: &'static str,
}

impl Why {
    pub(crate) const fn syntax(component: Component, expected: &'static str) -> Why {
        Why {
            kind: ErrorKind::Syntax,
            component,
            expected,
        }
    }
}

/// The error type of every nom parser in this crate: where it failed (the
/// remaining input, a sub-slice of the whole input) and why. `found` is the
/// length of the offending text at `at`; 0 means "the next character".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PErr<'a> {
    pub at: &'a str,
    pub found: usize,
    pub why: Why,
}

impl<'a> PErr<'a> {
    pub(crate) fn new(at: &'a str, why: Why) -> Self {
        PErr { at, found: 0, why }
    }

    /// Marks `len` bytes at `at` as the offending text.
    pub(crate) fn spanning(mut self, len: usize) -> Self {
        self.found = len;
        self
    }

    /// A `nom::Err::Error` of this error, ready to return from a parser.
    pub(crate) fn err<T>(at: &'a str, why: Why) -> Result<T, nom::Err<Self>> {
        Err(nom::Err::Error(PErr::new(at, why)))
    }

    /// Of two errors in the same input, the one that got further.
    pub(crate) fn furthest(self, other: Self) -> Self {
        if other.at.len() < self.at.len() {
            other
        } else {
            self
        }
    }

    /// The public error, given the whole input that `at` is a slice of.
    #[cold]
    #[inline(never)]
    pub(crate) fn into_error(self, subject: &'static str, input: &str) -> Error {
        let offset = offset_in(input, self.at);
        // A part may have been read on its own (the domain before the first
        // `/`): what is found is the next character of the whole input.
        let rest = if self.at.is_empty() && input.is_char_boundary(offset) {
            &input[offset..]
        } else {
            self.at
        };
        let found = match self.found {
            0 => rest.chars().next().map_or("", |c| &rest[..c.len_utf8()]),
            n => &self.at[..n.min(self.at.len())],
        };
        Error::new(
            self.why.kind,
            subject,
            input,
            offset,
            found,
            self.why.component,
            self.why.expected,
        )
    }
}

impl<'a> ParseError<&'a str> for PErr<'a> {
    fn from_error_kind(input: &'a str, _kind: NomKind) -> Self {
        PErr::new(input, Why::syntax(Component::Name, "unexpected character"))
    }

    fn append(_input: &'a str, _kind: NomKind, other: Self) -> Self {
        other
    }

    fn or(self, other: Self) -> Self {
        self.furthest(other)
    }
}

/// The result type of every grammar function.
pub(crate) type Res<'a, T> = IResult<&'a str, T, PErr<'a>>;

/// What a grammar function read of `i`, given what it left (`rest`, a
/// suffix of `i`): `2.3.0` of `2.3.0-cuda12.4` and `-cuda12.4`.
pub(crate) fn consumed<'a>(i: &'a str, rest: &str) -> &'a str {
    &i[..i.len() - rest.len()]
}

/// The byte offset of `part` in `whole`, where `part` is a sub-slice of
/// `whole` (as every slice a parser returns is). Safe pointer arithmetic on
/// addresses only; a slice from elsewhere gives a clamped offset, not a panic.
pub(crate) fn offset_in(whole: &str, part: &str) -> usize {
    (part.as_ptr() as usize)
        .saturating_sub(whole.as_ptr() as usize)
        .min(whole.len())
}

/// Byte classes, one bit each, looked up in one 256-entry table (the trick
/// `http` uses for URI characters): a class check is one load and one `and`.
pub(crate) mod class {
    /// `a-z0-9`: repository path alphanumerics.
    pub const LOWER_ALNUM: u8 = 1;
    /// `A-Za-z0-9`: domain components.
    pub const ALNUM: u8 = 2;
    /// `A-Za-z0-9_`: the first character of a tag (`\w`).
    pub const WORD: u8 = 4;
    /// `A-Za-z0-9_.-`: the rest of a tag.
    pub const TAG: u8 = 8;
    /// `0-9a-f`: digest hex.
    pub const LOWER_HEX: u8 = 16;
    /// `0-9a-fA-F:`: inside IPv6 brackets.
    pub const IPV6: u8 = 32;
    /// `0-9`.
    pub const DIGIT: u8 = 64;
    /// `A-Z`.
    pub const UPPER: u8 = 128;

    const fn build() -> [u8; 256] {
        let mut t = [0u8; 256];
        let mut b = 0;
        while b < 256 {
            let c = b as u8;
            let mut v = 0;
            let lower = c.is_ascii_lowercase();
            let upper = c.is_ascii_uppercase();
            let digit = c.is_ascii_digit();
            if lower || digit {
                v |= LOWER_ALNUM;
            }
            if lower || upper || digit {
                v |= ALNUM | WORD | TAG;
            }
            if c == b'_' {
                v |= WORD | TAG;
            }
            if c == b'.' || c == b'-' {
                v |= TAG;
            }
            if digit || (c >= b'a' && c <= b'f') {
                v |= LOWER_HEX;
            }
            if digit || (c >= b'a' && c <= b'f') || (c >= b'A' && c <= b'F') || c == b':' {
                v |= IPV6;
            }
            if digit {
                v |= DIGIT;
            }
            if upper {
                v |= UPPER;
            }
            t[b] = v;
            b += 1;
        }
        t
    }

    static TABLE: [u8; 256] = build();

    /// Whether byte `b` is in `class`.
    #[inline(always)]
    pub fn is(b: u8, class: u8) -> bool {
        TABLE[b as usize] & class != 0
    }

    /// The length of the longest prefix of `s` made of bytes in `class`.
    #[inline]
    pub fn span(s: &str, class: u8) -> usize {
        s.bytes().position(|b| !is(b, class)).unwrap_or(s.len())
    }
}

/// One or more bytes of `class`, as a nom parser; fails with `why` at the
/// first byte that is not in the class. A hand-written scan rather than
/// `take_while1`: it looks bytes up in the class table instead of decoding
/// characters, which the parse benchmark shows is the hot loop.
pub(crate) fn class1(class: u8, why: Why) -> impl Fn(&str) -> Res<'_, &str> {
    move |i: &str| {
        let n = class::span(i, class);
        if n == 0 {
            return PErr::err(i, why);
        }
        Ok((&i[n..], &i[..n]))
    }
}

/// Succeeds only at the end of the input.
pub(crate) fn end(why: Why) -> impl Fn(&str) -> Res<'_, ()> {
    move |i: &str| {
        if i.is_empty() {
            Ok((i, ()))
        } else {
            PErr::err(i, why)
        }
    }
}

/// Parses a decimal number that fits in `u32`, with checked arithmetic.
pub(crate) fn number(i: &str, component: Component) -> Res<'_, u32> {
    let n = class::span(i, class::DIGIT);
    if n == 0 {
        return PErr::err(i, Why::syntax(component, "expected a digit"));
    }
    let mut v: u32 = 0;
    for b in i[..n].bytes() {
        v = match v
            .checked_mul(10)
            .and_then(|v| v.checked_add(u32::from(b - b'0')))
        {
            Some(v) => v,
            None => {
                let why = Why {
                    kind: ErrorKind::Overflow,
                    component,
                    expected: "number must be at most 4294967295",
                };
                return Err(nom::Err::Error(PErr::new(i, why).spanning(n)));
            }
        };
    }
    Ok((&i[n..], v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert!(class::is(b'a', class::LOWER_ALNUM));
        assert!(!class::is(b'A', class::LOWER_ALNUM));
        assert!(class::is(b'A', class::ALNUM | class::UPPER));
        assert!(class::is(b'_', class::WORD));
        assert!(!class::is(b'-', class::WORD));
        assert!(class::is(b'-', class::TAG));
        assert!(!class::is(b'g', class::LOWER_HEX));
        assert!(class::is(b':', class::IPV6));
        assert!(!class::is(0xff, class::TAG));
    }

    #[test]
    fn number_overflow_is_an_error() {
        assert_eq!(
            number("4294967295x", Component::Version).unwrap().1,
            u32::MAX
        );
        let e = number("4294967296", Component::Version).unwrap_err();
        let nom::Err::Error(e) = e else { panic!() };
        assert_eq!(e.why.kind, ErrorKind::Overflow);
    }

    #[test]
    fn offsets() {
        let s = "abc/def";
        assert_eq!(offset_in(s, &s[4..]), 4);
        assert_eq!(offset_in(s, "elsewhere"), 7.min(offset_in(s, "elsewhere")));
    }
}
