//! VESSL tags: no panic; anything accepted reads back, equal, from its
//! `Display` form, has an alias tag that is a prefix of its own tag, and
//! compares `Equal` with itself only; an error points inside the input.
#![no_main]

use std::cmp::Ordering;

use imagetag::scheme::vessl::VesslTag;
use imagetag::{Image, Scheme, Tagged};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    match s.parse::<VesslTag>() {
        Ok(t) => {
            let text = t.to_string();
            let back: VesslTag = text
                .parse()
                .unwrap_or_else(|e| panic!("{s:?} read as {text:?}, which fails: {e}"));
            assert_eq!(back, t, "{s:?}");
            assert_eq!(back.to_string(), text);
            assert_eq!(t.compare(&back), Some(Ordering::Equal));
            if let Some(alias) = t.alias_tag() {
                assert!(t.tag().starts_with(&alias), "{s:?}: alias {alias:?}");
                let a: VesslTag = format!("{}:{alias}", t.repository()).parse().unwrap();
                assert!(a.is_alias());
                assert_eq!(a.alias_tag().as_deref(), Some(alias.as_str()));
                if t != a {
                    // An alias is incomparable with its own revisions.
                    assert_eq!(t.compare(&a), None, "{s:?}");
                }
            }
            let img = Image::parse_as(s, Scheme::Vessl).unwrap();
            assert_eq!(img.fields(), t.fields());
        }
        Err(e) => assert!(e.offset() <= e.input().len(), "{s:?}: {e}"),
    }
});
