//! One page of a tag listing (`{"name": "…", "tags": […]}`), read straight
//! into the listing's tag list: no intermediate JSON tree, each tag checked
//! against the tag grammar and the listing's tag limit as it is read.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// Why a page could not be read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum PageError {
    /// Not JSON, or not the shape of a tag list (serde's message, which
    /// quotes no more than a type or a key).
    Json(String),
    /// No `tags` key.
    NoTags,
    /// A page that would take the listing past this many tags.
    TooMany(usize),
}

/// Appends the valid tags of `body` to `tags`; returns how many tags the
/// page listed that are not valid tags (left out).
pub(crate) fn read_page(
    body: &[u8],
    tags: &mut Vec<String>,
    max_tags: usize,
) -> Result<usize, PageError> {
    let mut sink = Sink {
        tags,
        max: max_tags,
        invalid: 0,
        saw_tags: false,
        over: false,
    };
    let mut de = serde_json::Deserializer::from_slice(body);
    let result = (&mut sink).deserialize(&mut de).and_then(|()| de.end());
    if sink.over {
        return Err(PageError::TooMany(max_tags));
    }
    result.map_err(|e| PageError::Json(e.to_string()))?;
    if !sink.saw_tags {
        return Err(PageError::NoTags);
    }
    Ok(sink.invalid)
}

struct Sink<'v> {
    tags: &'v mut Vec<String>,
    max: usize,
    invalid: usize,
    saw_tags: bool,
    over: bool,
}

/// `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`: the OCI tag grammar.
pub(crate) fn is_valid_tag(t: &str) -> bool {
    let b = t.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && (b[0].is_ascii_alphanumeric() || b[0] == b'_')
        && b[1..]
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

impl<'de> DeserializeSeed<'de> for &mut Sink<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for &mut Sink<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a tag list object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == "tags" && !self.saw_tags {
                self.saw_tags = true;
                map.next_value_seed(Tags(&mut *self))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// The `tags` value: a list of strings, or `null` (a repository whose tags
/// were all deleted).
struct Tags<'s, 'v>(&'s mut Sink<'v>);

impl<'de> DeserializeSeed<'de> for Tags<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for Tags<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of tags")
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let sink = self.0;
        while let Some(tag) = seq.next_element::<std::borrow::Cow<'de, str>>()? {
            if !is_valid_tag(&tag) {
                sink.invalid += 1;
                continue;
            }
            if sink.tags.len() >= sink.max {
                sink.over = true;
                return Err(de::Error::custom("too many tags"));
            }
            sink.tags.push(tag.into_owned());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(body: &str, max: usize) -> Result<(Vec<String>, usize), PageError> {
        let mut tags = Vec::new();
        let invalid = read_page(body.as_bytes(), &mut tags, max)?;
        Ok((tags, invalid))
    }

    #[test]
    fn pages() {
        let (tags, invalid) =
            read(r#"{"name":"x","tags":["a","1.0","bad tag","-x"]}"#, 10).unwrap();
        assert_eq!(tags, ["a", "1.0"]);
        assert_eq!(invalid, 2);
        assert_eq!(read(r#"{"name":"x","tags":null}"#, 10).unwrap().0.len(), 0);
        assert_eq!(read(r#"{"name":"x"}"#, 10), Err(PageError::NoTags));
        assert_eq!(
            read(r#"{"tags":["a","b","c"]}"#, 2),
            Err(PageError::TooMany(2))
        );
        assert!(matches!(
            read(r#"{"tags":[1]}"#, 2),
            Err(PageError::Json(_))
        ));
        assert!(matches!(read("<html>", 2), Err(PageError::Json(_))));
        assert!(matches!(
            read(r#"{"tags":[]} x"#, 2),
            Err(PageError::Json(_))
        ));
        // Escapes are read, and the tag checked after unescaping.
        let (tags, invalid) = read(r#"{"tags":["v\u0031","a\nb"]}"#, 5).unwrap();
        assert_eq!((tags, invalid), (vec!["v1".to_owned()], 1));
        assert!(is_valid_tag(&"a".repeat(128)));
        assert!(!is_valid_tag(&"a".repeat(129)));
    }
}
