//! The finder never panics, and a `Kind::Image` span always holds exactly
//! the reference's text, whatever the file holds.
#![cfg(feature = "check")]

use std::path::Path;

use imagetag::check::{find_references, Kind};
use proptest::prelude::*;

/// Lines made of the pieces that matter to the finders.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("FROM ".to_owned()),
        Just("from ".to_owned()),
        Just("ARG A=ubuntu:22.04 ".to_owned()),
        Just("${A}".to_owned()),
        Just("$A".to_owned()),
        Just(" AS s ".to_owned()),
        Just("COPY --from=".to_owned()),
        Just("\\\n".to_owned()),
        Just("<<EOF\n".to_owned()),
        Just("EOF\n".to_owned()),
        Just("image: ".to_owned()),
        Just("- ".to_owned()),
        Just("&a ".to_owned()),
        Just("*a".to_owned()),
        Just("'".to_owned()),
        Just("\"".to_owned()),
        Just("---\n".to_owned()),
        Just("# c\n".to_owned()),
        Just("  ".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("é".to_owned()),
        Just("quay.io/vessl-ai/torch:2.3.0-cuda12.4".to_owned()),
        "[a-z:{}\\[\\],]{1,6}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn spans_hold_the_text(t in text()) {
        for name in ["Dockerfile", "x.yaml", "l.txt"] {
            for f in find_references(Path::new(name), &t) {
                prop_assert!(f.span.start <= f.span.end && f.span.end <= t.len());
                prop_assert!(f.line >= 1 && f.column >= 1);
                if f.kind == Kind::Image {
                    prop_assert_eq!(&t[f.span.clone()], f.text.as_str());
                }
            }
        }
    }
}
