//! NGC tags: every row of the shared corpus, the tag styles of each
//! repository, exact errors, conversion to TWCC and order.

mod util;

use std::cmp::Ordering;

use imagetag::scheme::ngc::NgcTag;
use imagetag::{ErrorKind, Image, Scheme, Tagged};
use util::{assert_to_string, corpus, fields};

/// Keys a reading may add that the corpus does not record: the compiler
/// word of RAPIDS' `-gcc7`.
const UNRECORDED: [&str; 1] = ["compiler"];

#[track_caller]
fn ngc(s: &str) -> NgcTag {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

#[track_caller]
fn ngc_err(s: &str) -> String {
    NgcTag::parse(s).expect_err(s).to_string()
}

#[test]
fn corpus_rows() {
    let mut checked = 0;
    for row in corpus("ngc.tsv") {
        let name = row.req("full_name");
        let mut expected = fields(row.req("expected"));
        let got = Image::parse_as(name, Scheme::Ngc);
        if expected
            .iter()
            .any(|(k, v)| k == "strict_valid" && v == "false")
        {
            let e = got.expect_err(name);
            assert_eq!(e.kind(), ErrorKind::Scheme, "line {}: {e}", row.line);
            assert!(e.to_string().starts_with("invalid NGC tag"), "{e}");
            continue;
        }
        let img = got.unwrap_or_else(|e| panic!("line {}: {e}", row.line));
        let mut got: Vec<(String, String)> = img
            .fields()
            .into_iter()
            .filter(|f| !UNRECORDED.contains(&f.key))
            .map(|f| (f.key.to_string(), f.value.to_string()))
            .collect();
        expected.sort();
        got.sort();
        assert_eq!(got, expected, "line {}: {name}", row.line);
        let t = ngc(name);
        assert_eq!(t.to_string(), name);
        assert_eq!(ngc(&t.to_string()), t);
        checked += 1;
    }
    assert!(checked > 130, "{checked}");
}

#[test]
fn detection_of_corpus_names() {
    for row in corpus("ngc.tsv") {
        let name = row.req("full_name");
        if name.starts_with("nvcr.io/") && !row.req("expected").contains("strict_valid=false") {
            assert_eq!(Image::parse(name).unwrap().scheme(), Scheme::Ngc, "{name}");
        }
    }
}

#[test]
fn tag_styles() {
    let t = ngc("nvcr.io/nvidia/tritonserver:24.01-py3-sdk");
    assert_eq!(t.suffix(), Some("sdk"));
    assert_eq!(t.python(), Some("py3"));
    let t = ngc("nvcr.io/nvidia/tritonserver:24.05-trtllm-python-py3");
    assert_eq!(t.variant(), Some("trtllm-python"));
    let t = ngc("nvcr.io/nvidia/pytorch:24.01-py3-igpu");
    assert_eq!(t.suffix(), Some("igpu"));
    let t = ngc("nvcr.io/nvidia/pytorch:26.08dev-py3");
    assert!(t.release().unwrap().is_dev());
    assert_eq!(t.release().unwrap().to_string(), "26.08dev");
    let t = ngc("nvcr.io/nvidia/nvhpc:24.5-devel-cuda_multi-ubuntu22.04");
    assert_eq!(t.release().unwrap().to_string(), "24.5");
    assert_eq!(t.cuda(), Some("multi"));
    assert_eq!(t.os(), Some("ubuntu22.04"));
    let t = ngc("nvcr.io/nvidia/cuda:12.1.1-cudnn8-runtime-ubuntu22.04");
    assert_eq!(
        (t.cuda(), t.cudnn(), t.variant()),
        (Some("12.1.1"), Some("8"), Some("runtime"))
    );
    assert_eq!(t.release(), None);
    let t = ngc("nvcr.io/nvidia/clara-train-sdk:v4.0");
    assert_eq!(t.release(), None);
    assert!(t
        .fields()
        .iter()
        .any(|f| f.key == "version" && f.value.to_string() == "v4.0"));
    let t = ngc("nvcr.io/nvidia/digits:19.09-tensorflow");
    assert_eq!(t.package(), Some("tensorflow"));
    let t = ngc("nvcr.io/nvidia/l4t-jetpack:r36.4.0");
    assert!(t
        .fields()
        .iter()
        .any(|f| f.key == "version" && f.value.to_string() == "r36.4.0"));
    let t = ngc("nvcr.io/nvidia/deepstream:7.0-gc-triton-devel");
    assert_eq!(t.variant(), Some("gc-triton-devel"));
    let t = ngc("nvcr.io/nim/meta/llama-3.1-8b-instruct:latest");
    assert_eq!(t.framework(), None);
    assert!(t.is_alias());
    let t = ngc("nvcr.io/nvidia/pytorch");
    assert!(t.is_alias());
    assert_eq!(t.to_string(), "nvcr.io/nvidia/pytorch");
}

#[test]
fn errors() {
    assert_to_string(
        ngc_err("tensorflow-20.02-tf1-py3.sif"),
        r#"invalid NGC tag "tensorflow-20.02-tf1-py3.sif": expected a tag after the repository (an NGC name without a registry needs a tag) at byte 28 (end of input)"#,
    );
    assert_to_string(
        ngc_err("nvcr.io/nvidia/rapidsai/rapidsai:cuda10.0_ubuntu16.04"),
        r#"invalid NGC tag "nvcr.io/nvidia/rapidsai/rapidsai:cuda10.0_ubuntu16.04": expected '-' after the cuda version at byte 41 ("_")"#,
    );
    assert_to_string(
        ngc_err("nvcr.io/nvidia/pytorch:24.13-py3"),
        r#"invalid NGC tag "nvcr.io/nvidia/pytorch:24.13-py3": a month must be 1 to 12 at byte 26 ("13")"#,
    );
    assert_to_string(
        ngc_err("nvcr.io/nvidia/pytorch:24.01-py3-py3"),
        r#"invalid NGC tag "nvcr.io/nvidia/pytorch:24.01-py3-py3": expected one python part at byte 33 ("py3")"#,
    );
    assert_to_string(
        ngc_err("nvcr.io/nvidia/pytorch:24.01-py3-_x"),
        r#"invalid NGC tag "nvcr.io/nvidia/pytorch:24.01-py3-_x": expected a letter or digit at the start of a word of the tag at byte 33 ("_")"#,
    );
    assert_to_string(
        ngc_err("nvcr.io/nvidia/pytorch:24.01x-py3"),
        r#"invalid NGC tag "nvcr.io/nvidia/pytorch:24.01x-py3": expected '-' after the release at byte 28 ("x")"#,
    );
    assert_to_string(
        ngc_err("nvcr.io/nvidia/pytorch:24.01-py3_x"),
        r#"invalid NGC tag "nvcr.io/nvidia/pytorch:24.01-py3_x": expected '-' after the python version at byte 32 ("_")"#,
    );
    assert_to_string(
        ngc_err("nvcr.io/nvidia/pytorch:24.01--py3"),
        r#"invalid NGC tag "nvcr.io/nvidia/pytorch:24.01--py3": expected a word after '-' at byte 29 ("-")"#,
    );
    assert_eq!(
        NgcTag::parse("nvcr.io/nvidia/pytorch:24.13")
            .unwrap_err()
            .kind(),
        ErrorKind::Scheme
    );
}

#[test]
fn conversion() {
    let cases = [
        (
            "nvcr.io/nvidia/pytorch:24.01-py3",
            Some("pytorch-24.01-py3:latest"),
        ),
        (
            "nvcr.io/nvidia/tensorflow:20.11-tf2-py3",
            Some("tensorflow-20.11-tf2-py3:latest"),
        ),
        (
            "nvcr.io/nvidia/digits:19.09-tensorflow",
            Some("digits-19.09-tensorflow:latest"),
        ),
        ("nvcr.io/nvidia/nemo:26.04", Some("nemo-26.04:latest")),
        (
            "nvcr.io/nvidia/tritonserver:24.05-trtllm-python-py3",
            Some("tritonserver-24.05-trtllm-python-py3:latest"),
        ),
        ("nvcr.io/nvidia/tritonserver:24.01-py3-sdk", None),
        ("nvcr.io/nvidia/digits:20.06-tensorflow-py3", None),
        (
            "nvcr.io/nvidia/cuda:12.1.1-cudnn8-runtime-ubuntu22.04",
            None,
        ),
        ("nvcr.io/partners/matlab:r2020a", None),
        (
            "nvcr.io/nvidia/merlin/merlin-tensorflow-training:22.03",
            None,
        ),
        ("nvcr.io/nvidia/pytorch:latest", None),
    ];
    for (n, t) in cases {
        let got = ngc(n).to_twcc();
        assert_eq!(got.as_ref().map(|x| x.to_string()).as_deref(), t, "{n}");
        if let Some(t) = got {
            assert_eq!(t.to_ngc().unwrap(), ngc(n), "back from {t}");
        }
    }
}

#[test]
fn order() {
    let chains: &[&[&str]] = &[
        &[
            "nvcr.io/nvidia/pytorch:19.12-py3",
            "nvcr.io/nvidia/pytorch:20.01-py3",
            "nvcr.io/nvidia/pytorch:24.10-py3",
            "nvcr.io/nvidia/pytorch:26.08dev-py3",
            "nvcr.io/nvidia/pytorch:26.08-py3",
        ],
        &[
            "nvcr.io/nvidia/cuda:12.1.0-devel-ubuntu22.04",
            "nvcr.io/nvidia/cuda:12.9.1-devel-ubuntu22.04",
            "nvcr.io/nvidia/cuda:13.0.0-devel-ubuntu22.04",
        ],
        &[
            "nvcr.io/nvidia/clara-train-sdk:v3.0",
            "nvcr.io/nvidia/clara-train-sdk:v3.1",
            "nvcr.io/nvidia/clara-train-sdk:v4.1",
        ],
        &[
            "nvcr.io/nvidia/l4t-base:r35.1.0",
            "nvcr.io/nvidia/l4t-base:r36.3.0",
        ],
        &[
            "nvcr.io/nvidia/nvhpc:23.11-devel-cuda_multi-ubuntu22.04",
            "nvcr.io/nvidia/nvhpc:24.5-devel-cuda_multi-ubuntu22.04",
        ],
    ];
    for chain in chains {
        for (i, a) in chain.iter().enumerate() {
            for (j, b) in chain.iter().enumerate() {
                assert_eq!(ngc(a).compare(&ngc(b)), Some(i.cmp(&j)), "{a} vs {b}");
            }
        }
    }
    let none = [
        (
            "nvcr.io/nvidia/pytorch:24.01-py3",
            "nvcr.io/nvidia/pytorch:24.01-py3-igpu",
        ),
        (
            "nvcr.io/nvidia/pytorch:24.01-py3",
            "nvcr.io/nvidia/pytorch:latest",
        ),
        (
            "nvcr.io/nvidia/pytorch:24.01-py3",
            "nvcr.io/nvidia/tensorflow:24.02-tf2-py3",
        ),
        (
            "nvcr.io/nvidia/tritonserver:24.07-trtllm-python-py3",
            "nvcr.io/nvidia/tritonserver:24.08-vllm-python-py3",
        ),
        (
            "nvcr.io/nvidia/cuda:12.1.0-devel-ubuntu22.04",
            "nvcr.io/nvidia/cuda:12.1.1-runtime-ubuntu22.04",
        ),
        (
            "nvcr.io/nvidia/cuda:12.1-devel-ubuntu22.04",
            "nvcr.io/nvidia/cuda:12.1.0-devel-ubuntu22.04",
        ),
        ("nvcr.io/nvidia/pytorch:24.01-py3", "pytorch:24.02-py3"),
    ];
    for (a, b) in none {
        assert_eq!(ngc(a).compare(&ngc(b)), None, "{a} vs {b}");
        assert_eq!(ngc(b).compare(&ngc(a)), None, "{b} vs {a}");
    }
    assert_eq!(
        ngc("nvcr.io/nvidia/pytorch:24.01-py3").compare(&ngc("nvcr.io/nvidia/pytorch:24.01-py3")),
        Some(Ordering::Equal)
    );
}

#[cfg(feature = "serde")]
#[test]
fn serde() {
    let n = ngc("nvcr.io/nvidia/pytorch:24.01-py3");
    let j = serde_json::to_string(&n).unwrap();
    assert_eq!(j, r#""nvcr.io/nvidia/pytorch:24.01-py3""#);
    assert_eq!(serde_json::from_str::<NgcTag>(&j).unwrap(), n);
}
