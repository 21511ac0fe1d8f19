//! TWCC names: every row of the shared corpus, each exception of the
//! grammar, each error with its exact message, conversion to NGC and order.

use crate::util;

use std::cmp::Ordering;

use imagetag::scheme::twcc::TwccName;
use imagetag::{ErrorKind, Image, Release, Scheme, Tagged, VendorRelease};
use util::{assert_to_string, corpus, fields};

/// The fields of an image as `key=value` pairs, booleans as `true`/`false`.
fn got_fields(img: &Image) -> Vec<(String, String)> {
    img.fields()
        .into_iter()
        .map(|f| (f.key.to_string(), f.value.to_string()))
        .collect()
}

#[track_caller]
fn twcc(s: &str) -> TwccName {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

#[track_caller]
fn twcc_err(s: &str) -> String {
    TwccName::parse(s).expect_err(s).to_string()
}

#[test]
fn corpus_rows() {
    let rows = corpus("twcc.tsv");
    let mut checked = 0;
    for row in rows {
        let name = row.req("full_name");
        let mut expected = fields(row.req("expected"));
        let strict_invalid = expected
            .iter()
            .any(|(k, v)| k == "strict_valid" && v == "false");
        let got = Image::parse_as(name, Scheme::Twcc);
        if strict_invalid {
            let e = got.expect_err(name);
            assert_eq!(e.kind(), ErrorKind::Scheme, "line {}: {e}", row.line);
            assert!(e.to_string().starts_with("invalid TWCC name"), "{e}");
            continue;
        }
        let img = got.unwrap_or_else(|e| panic!("line {}: {e}", row.line));
        let mut got = got_fields(&img);
        expected.sort();
        got.sort();
        assert_eq!(got, expected, "line {}: {name}", row.line);
        let t = twcc(name);
        assert_eq!(t.to_string(), name, "exact display");
        assert_eq!(twcc(&t.to_string()), t, "round trip");
        checked += 1;
    }
    assert!(checked > 90, "{checked}");
}

#[test]
fn detection_of_corpus_names() {
    for row in corpus("twcc.tsv") {
        let name = row.req("full_name");
        if row.req("expected").contains("strict_valid=false") {
            continue;
        }
        let img = Image::parse(name).unwrap();
        assert_eq!(img.scheme(), Scheme::Twcc, "{name}");
    }
}

#[test]
fn exceptions() {
    // A package in place of Python.
    let d = twcc("digits-19.08-tensorflow:latest");
    assert_eq!(d.package(), Some("tensorflow"));
    assert_eq!(d.python(), None);
    // The vendor's own version name.
    let m = twcc("matlab-r2019b:latest");
    assert_eq!(m.framework(), Some("matlab"));
    assert_eq!(m.vendor_release(), Some("r2019b".parse().unwrap()));
    assert_eq!(m.release(), None);
    // `-v1` marks an optimised build; a tag containing `v1` does not.
    assert!(twcc("tensorflow-19.02-py3-v1").is_optimized());
    assert!(twcc("digits-18.10-v1").is_optimized());
    let th = twcc("theano-18.08-v1");
    assert!(th.is_optimized());
    assert_eq!(th.python(), None);
    assert_eq!(th.package(), None);
    let leo = twcc("pytorch-21.06-py3:leo19941227-v1.0");
    assert!(!leo.is_optimized());
    assert_eq!(leo.tag(), "leo19941227-v1.0");
    // No variant, several variant words, no Python, three-part releases.
    assert_eq!(twcc("tensorflow-19.08-py3").variant(), None);
    let t = twcc("tritonserver-24.12-trtllm-python-py3");
    assert_eq!(t.variant(), Some("trtllm-python"));
    assert_eq!(t.python(), Some("py3"));
    let n = twcc("nemo-24.12:latest");
    assert_eq!((n.python(), n.package(), n.variant()), (None, None, None));
    let s = twcc("tensorrtserver-18.08.1-py3-v1");
    assert_eq!(s.release().unwrap().point(), Some(1));
    assert_eq!(s.release().unwrap().to_string(), "18.08.1");
    // Tags.
    let dup = twcc("tensorrt-19.08-py3:dup1");
    assert_eq!(dup.tag(), "dup1");
    assert!(!dup.is_alias());
    let bare = twcc("tensorrt-19.08-py3");
    assert_eq!(bare.tag(), "latest");
    assert_eq!(bare.written_tag(), None);
    assert!(bare.is_alias());
    assert_eq!(bare.to_string(), "tensorrt-19.08-py3");
    assert_eq!(bare, twcc("tensorrt-19.08-py3:latest"));
    assert!(!twcc("tensorrt-19.08-py3:v1").is_alias());
    // Registry and path.
    let r = twcc("registry.twcc.ai/ngc/nvidia/tensorflow-18.10-py2-v1:latest");
    assert_eq!(r.registry(), Some("registry.twcc.ai"));
    assert_eq!(r.path(), Some("ngc/nvidia"));
    assert_eq!(r.framework(), Some("tensorflow"));
    let r = twcc("registry.twcc.ai/ngc/nvidia/tensorflow:latest");
    assert_eq!(r.framework(), Some("tensorflow"));
    assert_eq!(r.release(), None);
    let v = twcc("registry.twcc.ai/ngc/vtr:latest");
    assert_eq!(v.framework(), None);
    assert_eq!(v.name(), "vtr");
    // Dashed framework names.
    let c = twcc("clara-train-sdk-21.02-py3");
    assert_eq!(c.framework(), Some("clara-train-sdk"));
    assert_eq!(c.release().unwrap().to_string(), "21.02");
    // Digest kept and printed.
    let dg = format!("pytorch-24.01-py3@sha256:{}", "a".repeat(64));
    assert_eq!(twcc(&dg).to_string(), dg);
}

#[test]
fn errors() {
    assert_to_string(
        twcc_err("tensorflow_21.11-tf2-py3"),
        r#"invalid TWCC name "tensorflow_21.11-tf2-py3": expected '-' between the framework and the release at byte 10 ("_")"#,
    );
    assert_to_string(
        twcc_err("pytorch_21.11-py3_horovod.sif"),
        r#"invalid TWCC name "pytorch_21.11-py3_horovod.sif": expected '-' between the framework and the release at byte 7 ("_")"#,
    );
    assert_to_string(
        twcc_err("ubuntu:22.04"),
        r#"invalid TWCC name "ubuntu:22.04": expected a release (yy.mm) or a vendor release (r2019b) after the framework at byte 0 ("ubuntu")"#,
    );
    assert_to_string(
        twcc_err("quay.io/org/pytorch:24.01"),
        r#"invalid TWCC name "quay.io/org/pytorch:24.01": expected a release (yy.mm) or a vendor release (r2019b) after the framework at byte 12 ("pytorch")"#,
    );
    assert_to_string(
        twcc_err("pytorch-24.13-py3"),
        r#"invalid TWCC name "pytorch-24.13-py3": a month must be 1 to 12 at byte 11 ("13")"#,
    );
    assert_to_string(
        twcc_err("pytorch-24.01-tf2-foo"),
        r#"invalid TWCC name "pytorch-24.01-tf2-foo": expected a python part (pyN) at the end of the variant at byte 18 ("foo")"#,
    );
    assert_to_string(
        twcc_err("pytorch-24.01-py3-py3"),
        r#"invalid TWCC name "pytorch-24.01-py3-py3": expected one python part, at the end of the name at byte 14 ("py3")"#,
    );
    assert_to_string(
        twcc_err("pytorch-24.01-tf.2-py3"),
        r#"invalid TWCC name "pytorch-24.01-tf.2-py3": expected a lowercase letter or digit in the variant at byte 16 (".")"#,
    );
    assert_to_string(
        twcc_err("digits-19.08-tensor_flow"),
        r#"invalid TWCC name "digits-19.08-tensor_flow": expected a lowercase letter or digit in the package at byte 19 ("_")"#,
    );
    assert_to_string(
        twcc_err("matlab-r2019b-py3"),
        r#"invalid TWCC name "matlab-r2019b-py3": expected the end of the name after the vendor release at byte 13 ("-")"#,
    );
    assert_to_string(
        twcc_err("pytorch-24.01x-py3"),
        r#"invalid TWCC name "pytorch-24.01x-py3": expected '-' after the release at byte 13 ("x")"#,
    );
    assert_to_string(
        twcc_err("pytorch-24.01--py3"),
        r#"invalid TWCC name "pytorch-24.01--py3": expected a word after '-' at byte 14 ("-")"#,
    );
    // A reference error keeps its message, with the TWCC subject.
    assert_to_string(
        twcc_err("PyTorch-24.01-py3"),
        r#"invalid TWCC name "PyTorch-24.01-py3": repository path must be lowercase at byte 0 ("PyTorch-24.01-py3")"#,
    );
    let e = TwccName::parse("ubuntu:22.04").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Scheme);
    assert_eq!(e.component(), imagetag::Component::Release);
}

#[test]
fn conversion() {
    let n = twcc("pytorch-24.01-py3:latest");
    let ngc = n.to_ngc().unwrap();
    assert_eq!(ngc.to_string(), "nvcr.io/nvidia/pytorch:24.01-py3");
    assert_eq!(ngc.to_twcc().unwrap(), n);
    assert_eq!(
        ngc.to_twcc().unwrap().to_string(),
        "pytorch-24.01-py3:latest"
    );
    let cases = [
        (
            "tensorflow-20.11-tf2-py3",
            "nvcr.io/nvidia/tensorflow:20.11-tf2-py3",
        ),
        (
            "digits-19.08-tensorflow:latest",
            "nvcr.io/nvidia/digits:19.08-tensorflow",
        ),
        (
            "tensorflow-18.10-py2-v1:latest",
            "nvcr.io/nvidia/tensorflow:18.10-py2",
        ),
        (
            "registry.twcc.ai/ngc/nvidia/tensorflow-18.10-py2-v1:latest",
            "nvcr.io/nvidia/tensorflow:18.10-py2",
        ),
        (
            "tritonserver-24.12-trtllm-python-py3:latest",
            "nvcr.io/nvidia/tritonserver:24.12-trtllm-python-py3",
        ),
        (
            "tensorrtserver-18.08.1-py3-v1",
            "nvcr.io/nvidia/tensorrtserver:18.08.1-py3",
        ),
        ("nemo-25.02:latest", "nvcr.io/nvidia/nemo:25.02"),
        (
            "tensorrt-19.08-py3:dup1",
            "nvcr.io/nvidia/tensorrt:19.08-py3",
        ),
    ];
    for (t, n) in cases {
        assert_eq!(
            twcc(t).to_ngc().map(|x| x.to_string()).as_deref(),
            Some(n),
            "{t}"
        );
    }
    for t in [
        "matlab-r2019b:latest",
        "registry.twcc.ai/ngc/vtr:latest",
        "registry.twcc.ai/ngc/nvidia/tensorflow:latest",
    ] {
        assert_eq!(twcc(t).to_ngc(), None, "{t}");
    }
}

#[test]
fn order() {
    let chains: &[&[&str]] = &[
        &[
            "tensorflow-19.08-py3",
            "tensorflow-20.01-py3",
            "tensorflow-24.10-py3",
        ],
        &[
            "tensorflow-20.11-tf2-py3:latest",
            "tensorflow-21.02-tf2-py3:latest",
        ],
        &["matlab-r2019a", "matlab-r2019b", "matlab-r2020a"],
        &[
            "tensorrtserver-18.08-py3-v1",
            "tensorrtserver-18.08.1-py3-v1",
            "tensorrtserver-18.10-py3-v1",
        ],
        &["pytorch-21.06-py3:dup1", "pytorch-22.02-py3:latest"],
    ];
    for chain in chains {
        for (i, a) in chain.iter().enumerate() {
            for (j, b) in chain.iter().enumerate() {
                assert_eq!(twcc(a).compare(&twcc(b)), Some(i.cmp(&j)), "{a} vs {b}");
            }
        }
    }
    let none = [
        ("tensorflow-20.11-tf1-py3", "tensorflow-20.11-tf2-py3"),
        ("tensorflow-20.11-tf2-py3", "tensorflow-21.02-tf1-py3"),
        ("tensorflow-18.12-py2-v1", "tensorflow-19.02-py2"),
        ("tensorflow-18.12-py2", "tensorflow-18.12-py3"),
        ("pytorch-20.06-py3", "tensorflow-20.08-py3"),
        ("digits-19.08-caffe", "digits-19.08-tensorflow"),
        ("tensorrt-19.08-py3:latest", "tensorrt-19.08-py3:dup1"),
        ("tensorrt-19.08-py3:dup2", "tensorrt-19.08-py3:dup1"),
        ("ngc/nvidia/tensorrt-19.08-py3", "tensorrt-20.08-py3"),
        ("matlab-r2019b", "matlab-20.01"),
        (
            "registry.twcc.ai/ngc/nvidia/tensorflow:latest",
            "registry.twcc.ai/ngc/nvidia/tensorflow:v1",
        ),
    ];
    for (a, b) in none {
        assert_eq!(twcc(a).compare(&twcc(b)), None, "{a} vs {b}");
        assert_eq!(twcc(b).compare(&twcc(a)), None, "{b} vs {a}");
    }
    assert_eq!(
        twcc("tensorrt-19.08-py3").compare(&twcc("tensorrt-19.08-py3:latest")),
        Some(Ordering::Equal)
    );
    assert_eq!(
        twcc("tensorflow-19.08-py3").compare(&twcc("tensorflow-20.01-py3")),
        Some(Ordering::Less)
    );
}

#[test]
fn releases() {
    let r = |s: &str| s.parse::<Release>().unwrap();
    assert!(r("19.12") < r("20.01"));
    assert!(r("20.01") < r("24.10"));
    let june = chrono::NaiveDate::from_ymd_opt(2023, 6, 1).unwrap();
    let after: Vec<&str> = ["22.12", "23.06", "23.07", "24.01"]
        .into_iter()
        .filter(|s| r(s).released_after(june))
        .collect();
    assert_eq!(after, ["23.07", "24.01"]);
    assert_eq!(
        twcc("pytorch-24.01-py3")
            .release()
            .unwrap()
            .date()
            .to_string(),
        "2024-01-01"
    );
    let v = |s: &str| s.parse::<VendorRelease>().unwrap();
    assert!(v("r2019a") < v("r2019b") && v("r2019b") < v("r2020a"));
}

#[cfg(feature = "serde")]
#[test]
fn serde() {
    let n = twcc("tensorflow-20.11-tf2-py3:latest");
    let j = serde_json::to_string(&n).unwrap();
    assert_eq!(j, r#""tensorflow-20.11-tf2-py3:latest""#);
    assert_eq!(serde_json::from_str::<TwccName>(&j).unwrap(), n);
    let e = serde_json::from_str::<TwccName>(r#""ubuntu""#).unwrap_err();
    assert!(
        e.to_string().starts_with("invalid TWCC name \"ubuntu\""),
        "{e}"
    );
    let r: Release = serde_json::from_str(r#""24.5""#).unwrap();
    assert_eq!(serde_json::to_string(&r).unwrap(), r#""24.5""#);
}

fn twcc_fields(name: &str) -> Vec<(String, String)> {
    let img = Image::parse(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(img.scheme(), Scheme::Twcc, "{name}");
    let mut got: Vec<(String, String)> = img
        .fields()
        .into_iter()
        .map(|f| (f.key.to_string(), f.value.to_string()))
        .collect();
    got.sort();
    got
}

#[track_caller]
fn assert_fields(name: &str, want: &[(&str, &str)]) {
    let mut want: Vec<(String, String)> = want
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    want.sort();
    assert_eq!(twcc_fields(name), want, "{name}");
}

#[test]
fn kinds_of_names() {
    // A framework whose NGC image uses a `v`-version.
    assert_fields(
        "clara-train-sdk-v4.0",
        &[("framework", "clara-train-sdk"), ("version", "v4.0")],
    );
    let n: imagetag::scheme::twcc::TwccName = "clara-train-sdk-v4.0:latest".parse().unwrap();
    assert_eq!(
        n.to_ngc().unwrap().to_string(),
        "nvcr.io/nvidia/clara-train-sdk:v4.0"
    );
    assert!(n
        .compare(&"clara-train-sdk-v4.1:latest".parse().unwrap())
        .is_some_and(Ordering::is_lt));
    // TWCC's own CUDA images.
    assert_fields(
        "registry.twcc.ai/ngc/nvidia/cuda-9.0-cudnn7.1-devel-ubuntu16.04-v1:latest",
        &[
            ("registry", "registry.twcc.ai"),
            ("path", "ngc/nvidia"),
            ("framework", "cuda"),
            ("cuda", "9.0"),
            ("cudnn", "7.1"),
            ("variant", "devel"),
            ("os", "ubuntu16.04"),
            ("optimized", "true"),
            ("tag", "latest"),
        ],
    );
    // An optimised image named without a release, and `_` in a framework.
    assert_fields(
        "registry.twcc.ai/ngc/nvidia/ubuntu-v1:latest",
        &[
            ("registry", "registry.twcc.ai"),
            ("path", "ngc/nvidia"),
            ("framework", "ubuntu"),
            ("optimized", "true"),
            ("tag", "latest"),
        ],
    );
    assert_fields(
        "registry.twcc.ai/ngc/nvidia/nchc_vtr_tensorflow-18.08-py3-v1:latest",
        &[
            ("registry", "registry.twcc.ai"),
            ("path", "ngc/nvidia"),
            ("framework", "nchc_vtr_tensorflow"),
            ("release", "18.08"),
            ("python", "py3"),
            ("optimized", "true"),
            ("tag", "latest"),
        ],
    );
    assert_fields(
        "pytorch-25.02dev-py3.12",
        &[
            ("framework", "pytorch"),
            ("release", "25.02dev"),
            ("python", "py3.12"),
        ],
    );
}

#[test]
fn taiwania_names_are_no_twcc_names_but_valid_references() {
    for name in ["tensorflow_21.11-tf2-py3", "pytorch_21.11-py3_horovod.sif"] {
        let e = Image::parse_as(name, Scheme::Twcc).unwrap_err();
        assert_eq!(e.kind(), imagetag::ErrorKind::Scheme, "{name}");
        // Detected: a valid reference, read as a generic name.
        assert_eq!(
            Image::parse(name).unwrap().scheme(),
            Scheme::Generic,
            "{name}"
        );
    }
    // On TWCC's registry, a name that does not fit keeps what is sure.
    let img = Image::parse("registry.twcc.ai/ngc/nvidia/tensorflow_21.11-tf2-py3:latest").unwrap();
    assert_eq!(img.scheme(), Scheme::Twcc);
    let keys: Vec<&str> = img.fields().iter().map(|f| f.key).collect();
    assert_eq!(keys, ["registry", "path", "tag"]);
}
