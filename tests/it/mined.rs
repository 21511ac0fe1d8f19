//! Real names mined from public code (`tests/data/corpus/mined_*.tsv`): each
//! is read with automatic detection and must give its scheme and exactly the
//! fields its row expects. The expected column was written from each
//! platform's naming rules, not from this crate's output.

use crate::util;

use imagetag::{ErrorKind, Image, Scheme};
use util::{fields, table};

/// The fields an image's reading reports, as text.
fn reading(img: &Image) -> Vec<(String, String)> {
    let mut got: Vec<(String, String)> = img
        .fields()
        .into_iter()
        .map(|f| (f.key.to_string(), f.value.to_string()))
        .collect();
    got.sort();
    got
}

#[track_caller]
fn check(file: &str) -> usize {
    let rows = table(&format!("corpus/{file}"));
    for row in &rows {
        let name = row.req("full_name");
        assert!(
            row.get("source").is_some(),
            "{file}:{}: no source",
            row.line
        );
        let mut expected = fields(row.req("expected"));
        let scheme: Scheme = expected
            .iter()
            .find(|(k, _)| k == "scheme")
            .map(|(_, v)| v.parse().unwrap())
            .unwrap_or_else(|| panic!("{file}:{}: no scheme", row.line));
        expected.retain(|(k, _)| k != "scheme");
        expected.sort();
        // Detected: a valid reference is always a valid image.
        let img = Image::parse(name).unwrap_or_else(|e| panic!("{file}:{}: {e}", row.line));
        assert_eq!(img.scheme(), scheme, "{file}:{}: {name}", row.line);
        let mut got = reading(&img);
        if scheme == Scheme::Generic {
            // The generic reading's version fields belong to its own tests:
            // here, the repository and the tag.
            got.retain(|(k, _)| expected.iter().any(|(e, _)| e == k));
        }
        assert_eq!(got, expected, "{file}:{}: {name}", row.line);
        if scheme == Scheme::Generic {
            continue;
        }
        // With the scheme given: the same reading, or (for a tag kept only
        // as an opaque word) an error naming the part that broke it.
        match Image::parse_as(name, scheme) {
            Ok(strict) => assert_eq!(reading(&strict), reading(&img), "{name}"),
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::Scheme, "{name}: {e}");
                assert!(
                    expected.iter().any(|(k, _)| k == "tag"),
                    "{name}: only an opaque reading may fail strictly: {e}"
                );
            }
        }
    }
    rows.len()
}

#[test]
fn mined_ngc() {
    assert!(check("mined_ngc.tsv") > 300);
}

#[test]
fn mined_twcc() {
    assert!(check("mined_twcc.tsv") > 50);
}

#[test]
fn mined_vessl() {
    assert!(check("mined_vessl.tsv") > 40);
}

#[test]
fn mined_generic() {
    assert!(check("mined_generic.tsv") > 200);
}
