//! VESSL tags: the shared corpus, the grammar, the order and the errors.

use crate::util;

use std::cmp::Ordering;

use imagetag::scheme::vessl::VesslTag;
use imagetag::{Component, ErrorKind, FieldValue, Image, Scheme, Tagged};
use util::assert_to_string;

#[track_caller]
fn tag(s: &str) -> VesslTag {
    s.parse()
        .unwrap_or_else(|e| panic!("{s:?} should be a VESSL tag: {e}"))
}

#[track_caller]
fn tag_err(s: &str) -> imagetag::Error {
    match s.parse::<VesslTag>() {
        Ok(t) => panic!("{s:?} should be rejected, read as {t:?}"),
        Err(e) => e,
    }
}

fn v(s: &str) -> VesslTag {
    tag(&format!("quay.io/vessl-ai/{s}"))
}

#[test]
fn corpus() {
    for row in util::corpus("vessl.tsv") {
        let name = row.req("full_name");
        let expected = row.get("expected").unwrap_or("");
        let strict_invalid = expected.contains("strict_valid=false");
        let read = Image::parse_as(name, Scheme::Vessl);
        if strict_invalid {
            assert!(
                read.is_err(),
                "line {}: {name} should be rejected",
                row.line
            );
            continue;
        }
        let img = read.unwrap_or_else(|e| panic!("line {}: {name}: {e}", row.line));
        assert_eq!(Image::parse(name).unwrap().scheme(), Scheme::Vessl);
        let mut got: Vec<(String, String)> = img
            .fields()
            .into_iter()
            .map(|f| (f.key.to_owned(), f.value.to_string()))
            .collect();
        let mut want = util::fields(expected);
        got.sort();
        want.sort();
        assert_eq!(got, want, "line {}: {name}", row.line);
        // Types as the corpus means them: revision a number, flags booleans.
        for f in img.fields() {
            match f.key {
                "revision" | "cudnn" => assert!(matches!(f.value, FieldValue::Number(_))),
                "is_standard_alias" | "legacy" => {
                    assert!(matches!(f.value, FieldValue::Bool(_)))
                }
                _ => assert!(matches!(f.value, FieldValue::Text(_)), "{}", f.key),
            }
        }
        // Round trip.
        let t = tag(name);
        assert_eq!(t.to_string(), name);
        assert_eq!(tag(&t.to_string()), t);
    }
}

#[test]
fn accessors() {
    let t = v("torch:2.9.1-cuda13.0.1-py3.13-slim");
    assert_eq!(t.repository(), "quay.io/vessl-ai/torch");
    assert_eq!(t.tag(), "2.9.1-cuda13.0.1-py3.13-slim");
    assert_eq!(t.framework(), Some("torch"));
    assert_eq!(t.version().unwrap().to_string(), "2.9.1");
    assert_eq!(t.cuda().unwrap().to_string(), "13.0.1");
    assert_eq!(t.cudnn(), None);
    assert_eq!(t.python().unwrap().to_string(), "3.13");
    assert_eq!(t.variant(), Some("slim"));
    assert_eq!(t.revision(), None);
    assert!(t.is_standard_alias());
    assert_eq!(
        t.alias_tag().as_deref(),
        Some("2.9.1-cuda13.0.1-py3.13-slim")
    );

    let t = v("torch:2.4.1-cuda12.1-cudnn9-r3");
    assert_eq!(t.cudnn(), Some(9));
    assert_eq!(t.revision(), Some(3));
    assert!(!t.is_alias());
    assert_eq!(t.alias_tag().as_deref(), Some("2.4.1-cuda12.1-cudnn9"));

    let t = v("python:3.10-r14");
    assert_eq!(t.version(), None);
    assert_eq!(t.python().unwrap().to_string(), "3.10");
    assert_eq!(t.alias_tag().as_deref(), Some("3.10"));

    let t = v("cuda:12.1");
    assert_eq!(t.cuda().unwrap().to_string(), "12.1");
    assert_eq!(t.alias_tag().as_deref(), Some("12.1"));

    let t = v("torch:2.3.0-cuda12.4-slim-jupyter-r2");
    assert_eq!(t.variant(), Some("slim-jupyter"));
    assert_eq!(
        t.alias_tag().as_deref(),
        Some("2.3.0-cuda12.4-slim-jupyter")
    );

    // Words that only start like a part are variant words.
    let t = v("torch:2.3.0-cudagraph-pytorch-runtime");
    assert_eq!(t.variant(), Some("cudagraph-pytorch-runtime"));

    // No alias rule outside the documented repositories; legacy tags have none.
    assert_eq!(v("vllm:0.6.4").alias_tag(), None);
    assert!(!v("vllm:0.6.4").is_alias());
    assert_eq!(v("hub:torch2.1.0-cuda12.2-202312070053").alias_tag(), None);
    assert_eq!(
        v("hub:torch2.1.0-cuda12.2-202312070053").build(),
        Some("202312070053")
    );
    assert_eq!(
        v("ngc-pytorch-kernel:22.12-py3-202301160809").release(),
        Some("22.12")
    );
}

#[test]
fn normalized_names_and_round_trip() {
    // Read normalized; displayed in full; a digest is not part of the value.
    let t = tag("quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5");
    assert_eq!(
        format!("{t:?}"),
        r#"VesslTag("quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5")"#
    );
    let familiar = tag("vessl-ai/torch:2.3.0");
    assert_eq!(familiar.to_string(), "docker.io/vessl-ai/torch:2.3.0");
    for s in [
        "quay.io/vessl-ai/python:3.10-r14",
        "quay.io/vessl-ai/torch:2.9.1-cuda13.0.1-py3.13-slim",
        "quay.io/vessl-ai/kernels:py310.full-cpu.jupyter",
        "quay.io/vessl-ai/kernels:py3",
        "quay.io/vessl-ai/kernels:py30",
        "quay.io/vessl-ai/torch:0.0.0.0-cuda0-cudnn0-py0-a0-r0",
    ] {
        let t = tag(s);
        assert_eq!(t.to_string(), s);
        assert_eq!(tag(&t.to_string()), t);
    }
}

#[cfg(feature = "serde")]
#[test]
fn serde_as_string() {
    let t = v("torch:2.3.0-cuda12.4-r5");
    let json = serde_json::to_string(&t).unwrap();
    assert_eq!(json, r#""quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5""#);
    assert_eq!(serde_json::from_str::<VesslTag>(&json).unwrap(), t);
    let e = serde_json::from_str::<VesslTag>(r#""quay.io/vessl-ai/torch:x""#).unwrap_err();
    assert_eq!(
        e.to_string(),
        r#"invalid VESSL tag "quay.io/vessl-ai/torch:x": expected the version at the start of the tag, as in 2.3.0 at byte 23 ("x") at line 1 column 26"#
    );
    let e = serde_json::from_str::<VesslTag>("5").unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid type: integer `5`, expected a VESSL image tag at line 1 column 1"
    );
}

#[test]
fn order_on_a_track() {
    let chain = [
        "torch:2.2.0-cuda12.4-r9",
        "torch:2.3.0-cuda12.4-r5",
        "torch:2.3.0-cuda12.4-r6",
        "torch:2.3.0-cuda12.4-r10",
        "torch:2.3.1-cuda12.4-r1",
        "torch:2.10.0-cuda12.4-r1",
    ];
    for w in chain.windows(2) {
        assert_eq!(v(w[0]).compare(&v(w[1])), Some(Ordering::Less), "{w:?}");
        assert_eq!(v(w[1]).compare(&v(w[0])), Some(Ordering::Greater), "{w:?}");
    }
    let chain = [
        "python:3.9",
        "python:3.10-r9",
        "python:3.10-r10",
        "python:3.11-r1",
    ];
    for w in chain.windows(2) {
        assert_eq!(v(w[0]).compare(&v(w[1])), Some(Ordering::Less), "{w:?}");
    }
    assert_eq!(
        v("cuda:12.4").compare(&v("cuda:12.10")),
        Some(Ordering::Less)
    );
}

#[test]
fn alias_order() {
    let alias = v("torch:2.3.0-cuda12.4");
    // Incomparable with the revisions of its own base...
    assert_eq!(alias.compare(&v("torch:2.3.0-cuda12.4-r5")), None);
    assert_eq!(v("torch:2.3.0-cuda12.4-r5").compare(&alias), None);
    // ...ordered by version against the rest of its track.
    assert_eq!(
        alias.compare(&v("torch:2.3.1-cuda12.4-r1")),
        Some(Ordering::Less)
    );
    assert_eq!(
        alias.compare(&v("torch:2.3.1-cuda12.4")),
        Some(Ordering::Less)
    );
    assert_eq!(
        alias.compare(&v("torch:2.2.0-cuda12.4-r9")),
        Some(Ordering::Greater)
    );
    assert_eq!(alias.compare(&alias.clone()), Some(Ordering::Equal));
    // Written precision is part of the value: 2.3 is not 2.3.0.
    assert_eq!(
        v("torch:2.3-cuda12.4").compare(&alias),
        Some(Ordering::Less)
    );
}

#[test]
fn tracks() {
    let t = |s: &str| v(s).track().to_string();
    assert_eq!(
        t("torch:2.3.0-cuda12.4-r5"),
        "quay.io/vessl-ai/torch cuda12.4"
    );
    assert_eq!(t("torch:2.3.1-cuda12.4"), "quay.io/vessl-ai/torch cuda12.4");
    assert_eq!(
        t("torch:2.9.1-cuda13.0.1-cudnn9-py3.13-slim-r2"),
        "quay.io/vessl-ai/torch cuda13.0.1 cudnn9 py3.13 slim"
    );
    assert_eq!(t("python:3.10-r14"), "quay.io/vessl-ai/python");
    assert_eq!(
        t("kernels:py37-cuda11.2.full-gpu"),
        "quay.io/vessl-ai/kernels cuda11.2 py3.7 full-gpu"
    );
    assert_eq!(
        t("hub:torch2.1.0-cuda12.2-202312070053"),
        "quay.io/vessl-ai/hub torch cuda12.2"
    );
    // Different tracks are incomparable.
    for (a, b) in [
        ("torch:2.3.0-cuda12.4-r5", "torch:2.3.0-cuda12.1-r6"),
        ("torch:2.3.0-cuda12.4-r5", "torch:2.3.0-cuda12.4.1-r6"),
        ("torch:2.3.0-cuda12.4-r5", "tensorflow:2.3.0-cuda12.4-r6"),
        ("torch:2.3.0-cuda12.4-r5", "torch:2.3.0-cuda12.4-slim-r6"),
        ("torch:2.3.0-cuda12.4-r5", "torch:2.3.0-cuda12.4-py3.11-r6"),
        ("torch:2.3.0-cuda12.4-r5", "torch:2.3.0-cuda12.4-cudnn9-r6"),
    ] {
        assert_eq!(v(a).compare(&v(b)), None, "{a} vs {b}");
    }
}

#[test]
fn legacy_order() {
    let a = v("hub:torch2.1.0-cuda12.2-202312070053");
    let b = v("hub:torch2.1.0-cuda12.2-202401010000");
    let c = v("hub:torch2.2.0-cuda12.2-202301010000");
    assert_eq!(a.compare(&b), Some(Ordering::Less));
    assert_eq!(b.compare(&c), Some(Ordering::Less));
    assert_eq!(v("hub:torch2.1.0-cuda12.2").compare(&a), None);
    let k = v("kernels:py310-202301160626");
    assert_eq!(
        k.compare(&v("kernels:py310-202301160627")),
        Some(Ordering::Less)
    );
    assert_eq!(k.compare(&v("kernels:py37-202301160627")), None);
}

/// (name, error message, component)
const ERRORS: &[(&str, &str, Component)] = &[
    (
        "quay.io/vessl-ai/torch:2.3.1-cuda-12.1-r5",
        r#"invalid VESSL tag "quay.io/vessl-ai/torch:2.3.1-cuda-12.1-r5": expected a CUDA version right after 'cuda', as in cuda12.4 at byte 33 ("-")"#,
        Component::Cuda,
    ),
    (
        "quay.io/vessl-ai/torch:2.3.0-r5-cuda12.4",
        r#"invalid VESSL tag "quay.io/vessl-ai/torch:2.3.0-r5-cuda12.4": parts out of order: expected version[-cudaX.Y][-cudnnN][-pyX.Y][-variant][-rN] at byte 32 ("cuda12.4")"#,
        Component::Cuda,
    ),
    (
        "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5-slim",
        r#"invalid VESSL tag "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5-slim": parts out of order: expected version[-cudaX.Y][-cudnnN][-pyX.Y][-variant][-rN] at byte 41 ("slim")"#,
        Component::Variant,
    ),
    (
        "quay.io/vessl-ai/torch:2.3.0-cuda12.4-cuda12.1",
        r#"invalid VESSL tag "quay.io/vessl-ai/torch:2.3.0-cuda12.4-cuda12.1": parts out of order: expected version[-cudaX.Y][-cudnnN][-pyX.Y][-variant][-rN] at byte 38 ("cuda12.1")"#,
        Component::Cuda,
    ),
    (
        "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r05",
        r#"invalid VESSL tag "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r05": a revision must not have a leading zero at byte 39 ("05")"#,
        Component::Revision,
    ),
    (
        "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r",
        r#"invalid VESSL tag "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r": expected a revision number right after 'r', as in r5 at byte 39 (end of input)"#,
        Component::Revision,
    ),
    (
        "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r99999999999",
        r#"invalid VESSL tag "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r99999999999": number must be at most 4294967295 at byte 39 ("99999999999")"#,
        Component::Revision,
    ),
    (
        "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5x",
        r#"invalid VESSL tag "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5x": expected '-' or the end of the tag at byte 40 ("x")"#,
        Component::Revision,
    ),
    (
        "quay.io/vessl-ai/torch:2.3.0-cudnn-9",
        r#"invalid VESSL tag "quay.io/vessl-ai/torch:2.3.0-cudnn-9": expected a cuDNN version right after 'cudnn', as in cudnn9 at byte 34 ("-")"#,
        Component::Cudnn,
    ),
    (
        "quay.io/vessl-ai/torch:2.3.0-py3.x",
        r#"invalid VESSL tag "quay.io/vessl-ai/torch:2.3.0-py3.x": expected '-' or the end of the tag at byte 32 (".")"#,
        Component::Python,
    ),
    (
        "quay.io/vessl-ai/torch:v2.3.0",
        r#"invalid VESSL tag "quay.io/vessl-ai/torch:v2.3.0": expected the version at the start of the tag, as in 2.3.0 at byte 23 ("v")"#,
        Component::Version,
    ),
    (
        "quay.io/vessl-ai/torch:02.3.0",
        r#"invalid VESSL tag "quay.io/vessl-ai/torch:02.3.0": a version number must not have a leading zero at byte 23 ("02")"#,
        Component::Version,
    ),
    (
        "quay.io/vessl-ai/torch:2.3.0--cuda12.4",
        r#"invalid VESSL tag "quay.io/vessl-ai/torch:2.3.0--cuda12.4": expected cudaX.Y, cudnnN, pyX.Y, a lowercase variant or rN after '-' at byte 29 ("-")"#,
        Component::Tag,
    ),
    (
        "quay.io/vessl-ai/torch:2.3.0-",
        r#"invalid VESSL tag "quay.io/vessl-ai/torch:2.3.0-": expected cudaX.Y, cudnnN, pyX.Y, a lowercase variant or rN after '-' at byte 29 (end of input)"#,
        Component::Tag,
    ),
    (
        "quay.io/vessl-ai/torch:2.3.0-Slim",
        r#"invalid VESSL tag "quay.io/vessl-ai/torch:2.3.0-Slim": expected cudaX.Y, cudnnN, pyX.Y, a lowercase variant or rN after '-' at byte 29 ("S")"#,
        Component::Tag,
    ),
    (
        "quay.io/vessl-ai/torch:2.3.0-slim_x",
        r#"invalid VESSL tag "quay.io/vessl-ai/torch:2.3.0-slim_x": expected '-' or the end of the tag at byte 33 ("_")"#,
        Component::Variant,
    ),
    (
        "quay.io/vessl-ai/python:3.10-py3.11",
        r#"invalid VESSL tag "quay.io/vessl-ai/python:3.10-py3.11": a python image gives its Python version first, not as a -py part at byte 29 ("p")"#,
        Component::Python,
    ),
    (
        "quay.io/vessl-ai/cuda:12.4-cuda12.1",
        r#"invalid VESSL tag "quay.io/vessl-ai/cuda:12.4-cuda12.1": a cuda image gives its CUDA version first, not as a -cuda part at byte 27 ("c")"#,
        Component::Cuda,
    ),
    (
        "quay.io/vessl-ai/python:latest",
        r#"invalid VESSL tag "quay.io/vessl-ai/python:latest": expected the Python version at the start of the tag, as in 3.10 at byte 24 ("l")"#,
        Component::Python,
    ),
    (
        "quay.io/vessl-ai/torch",
        r#"invalid VESSL tag "quay.io/vessl-ai/torch": expected a tag, as in :2.3.0-cuda12.4-r5 at byte 22 (end of input)"#,
        Component::Tag,
    ),
    (
        "quay.io/vessl-ai/kernels:py07",
        r#"invalid VESSL tag "quay.io/vessl-ai/kernels:py07": expected the Python version right after 'py', as in py310 at byte 27 ("0")"#,
        Component::Python,
    ),
    (
        "quay.io/vessl-ai/kernels:py3-2023",
        r#"invalid VESSL tag "quay.io/vessl-ai/kernels:py3-2023": expected a 12-digit build stamp (yyyymmddhhmm) at byte 29 ("2")"#,
        Component::Version,
    ),
    (
        "quay.io/vessl-ai/ngc-pytorch-kernel:2212-py3",
        r#"invalid VESSL tag "quay.io/vessl-ai/ngc-pytorch-kernel:2212-py3": expected an NGC release at the start of the tag, as in 22.12 at byte 36 ("2")"#,
        Component::Release,
    ),
    (
        "quay.io/vessl-ai/hub:2.1.0",
        r#"invalid VESSL tag "quay.io/vessl-ai/hub:2.1.0": expected a framework and its version, as in torch2.1.0 at byte 21 ("2")"#,
        Component::Framework,
    ),
];

#[test]
fn errors() {
    for &(name, message, component) in ERRORS {
        let e = tag_err(name);
        assert_to_string(&e, message);
        assert_eq!(e.kind(), ErrorKind::Scheme, "{name}");
        assert_eq!(e.component(), component, "{name}");
        assert_eq!(e.input(), name);
        // The same error through Image, with the scheme given.
        assert_to_string(Image::parse_as(name, Scheme::Vessl).unwrap_err(), message);
        // Detected, the valid reference is a valid image: the repository and
        // the tag as an opaque word, no position, never an alias.
        let img = Image::parse(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        let tag = name.split_once(':').map(|(_, t)| t);
        if tag.is_none() {
            // No tag: VESSL has nothing to read; the generic reading.
            assert_eq!(img.scheme(), Scheme::Generic, "{name}");
            continue;
        }
        assert_eq!(img.scheme(), Scheme::Vessl, "{name}");
        assert!(!img.is_alias(), "{name}");
        assert_eq!(img.alias_tag(), None, "{name}");
        let field = |k: &str| {
            img.fields()
                .into_iter()
                .find(|f| f.key == k)
                .map(|f| f.value.to_string())
        };
        assert_eq!(field("tag").as_deref(), tag, "{name}");
        for k in ["version", "cuda", "python", "revision", "release"] {
            assert_eq!(field(k), None, "{name}: {k}");
        }
    }
    // An invalid reference is a reference error, under this subject.
    assert_to_string(
        tag_err("quay.io/vessl-ai/Torch:2.3.0"),
        r#"invalid VESSL tag "quay.io/vessl-ai/Torch:2.3.0": repository path must be lowercase at byte 17 ("Torch")"#,
    );
}

fn reading(name: &str) -> (Scheme, Vec<(String, String)>) {
    let img = Image::parse(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut got: Vec<(String, String)> = img
        .fields()
        .into_iter()
        .map(|f| (f.key.to_string(), f.value.to_string()))
        .collect();
    got.sort();
    (img.scheme(), got)
}

#[track_caller]
fn assert_reading(name: &str, want: &[(&str, &str)]) {
    let mut want: Vec<(String, String)> = want
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    want.sort();
    assert_eq!(reading(name), (Scheme::Vessl, want), "{name}");
}

#[test]
fn legacy_kinds() {
    // A legacy `kernels` tag that carries an NGC image's name.
    assert_reading(
        "quay.io/vessl-ai/kernels:ngc.pytorch.22.04-py3",
        &[
            ("registry", "quay.io"),
            ("repository", "vessl-ai/kernels"),
            ("framework", "pytorch"),
            ("release", "22.04"),
            ("python", "py3"),
            ("legacy", "true"),
        ],
    );
    // `py3.12` where a Python word stands.
    assert_reading(
        "quay.io/vessl-ai/kernels:py3.12-cuda12.1",
        &[
            ("registry", "quay.io"),
            ("repository", "vessl-ai/kernels"),
            ("python", "3.12"),
            ("cuda", "12.1"),
            ("legacy", "true"),
        ],
    );
    // An NGC kernel with a variant before Python.
    assert_reading(
        "quay.io/vessl-ai/ngc-tensorflow-kernel:22.12-tf1-py3-202301160809",
        &[
            ("registry", "quay.io"),
            ("repository", "vessl-ai/ngc-tensorflow-kernel"),
            ("framework", "tensorflow"),
            ("release", "22.12"),
            ("variant", "tf1"),
            ("python", "py3"),
            ("build", "202301160809"),
            ("legacy", "true"),
        ],
    );
    // Two variant words (a shape that once read past the variant's end).
    let img = Image::parse("quay.io/vessl-ai/ngc-pytorch-kernel:24.01-r5-v1-py3").unwrap();
    let variant = img.fields().into_iter().find(|f| f.key == "variant");
    assert_eq!(
        variant.map(|f| f.value.to_string()).as_deref(),
        Some("r5-v1")
    );
    // Two NGC kernels of different frameworks are on different tracks.
    let a = Image::parse("quay.io/vessl-ai/kernels:ngc.pytorch.22.04-py3").unwrap();
    let b = Image::parse("quay.io/vessl-ai/kernels:ngc.tensorflow.22.04-py3").unwrap();
    assert_ne!(a.track(), b.track());
    assert_eq!(a.compare(&b), None);
}

#[test]
fn mirrors_and_older_homes_are_detected_by_path() {
    for name in [
        "harbor.example.com/vessl-ai/torch:2.3.0-cuda12.4-r5",
        "127.0.0.1:5000/vessl-ai/torch:2.3.0-cuda12.4",
        "harbor.example.com/quay.io/vessl-ai/python:3.10",
        "public.ecr.aws/vessl/kernels:py37-cuda11.2.full-gpu",
        "savvihub/kernels:py36-cuda10.1",
    ] {
        assert_eq!(reading(name).0, Scheme::Vessl, "{name}");
    }
    // A mirror's alias and revisions compare as on quay.io.
    let alias = Image::parse("127.0.0.1:5000/vessl-ai/torch:2.3.0-cuda12.4").unwrap();
    assert!(alias.is_alias());
    assert_eq!(alias.alias_tag().as_deref(), Some("2.3.0-cuda12.4"));
    let r5 = Image::parse("127.0.0.1:5000/vessl-ai/torch:2.3.0-cuda12.4-r5").unwrap();
    let r10 = Image::parse("127.0.0.1:5000/vessl-ai/torch:2.3.0-cuda12.4-r10").unwrap();
    assert_eq!(r5.compare(&r10), Some(Ordering::Less));
    let c = imagetag::Catalog::from_images([r5, r10.clone(), alias.clone()]);
    assert_eq!(c.resolve(&alias).unwrap(), &r10);
    // Only a `kernels` repository of the older homes, with a tag that reads.
    assert_eq!(
        reading("public.ecr.aws/vessl/other:py37").0,
        Scheme::Generic
    );
    assert_eq!(reading("savvihub/kernels:latest").0, Scheme::Generic);
}

#[test]
fn an_opaque_tag_is_never_the_newest() {
    let c = imagetag::Catalog::from_names(["quay.io/vessl-ai/torch:zzz"]).unwrap();
    let q = imagetag::Query::new("quay.io/vessl-ai/torch").unwrap();
    assert_eq!(c.newest(&q).unwrap_err().kind(), ErrorKind::NotFound);
    let c = imagetag::Catalog::from_names([
        "quay.io/vessl-ai/torch:zzz",
        "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r1",
    ])
    .unwrap();
    assert_eq!(
        c.newest(&q).unwrap().image().to_string(),
        "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r1"
    );
}
