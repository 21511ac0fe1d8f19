//! NGC tags: every row of the shared corpus, the tag styles of each
//! repository, exact errors, conversion to TWCC and order.

use crate::util;

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

/// Each kind of tag the grammar reads, by an example of the kind: the
/// fields it must report (and no others but registry, repository and
/// framework).
#[test]
fn kinds_of_tags() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        // Pre-release and development markers.
        (
            "nvcr.io/nvidia/tensorrt-llm/release:1.2.0rc6",
            &[("version", "1.2.0rc6")],
        ),
        (
            "nvcr.io/nvidia/foo:2.1.0.post1",
            &[("version", "2.1.0.post1")],
        ),
        (
            "nvcr.io/nvidia/pytorch:25.02dev-py3",
            &[("release", "25.02dev"), ("python", "py3")],
        ),
        (
            "nvcr.io/nvidia/isaac-lab:3.0.0-beta2",
            &[("version", "3.0.0"), ("pre", "beta2")],
        ),
        // A product version with its NGC release; v-versions of 3 and 4 parts.
        (
            "nvcr.io/nvidia/deepstream:6.2-22.09-samples",
            &[
                ("version", "6.2"),
                ("release", "22.09"),
                ("variant", "samples"),
            ],
        ),
        (
            "nvcr.io/nvidia/gpu-operator:v23.9.1",
            &[("version", "v23.9.1")],
        ),
        ("nvcr.io/nvidia/foo:v1.2.3.45", &[("version", "v1.2.3.45")]),
        // Jetson `r` versions with framework versions.
        (
            "nvcr.io/nvidia/l4t-pytorch:r35.1.0-pth1.13-py3",
            &[
                ("version", "r35.1.0"),
                ("variant", "pth1.13"),
                ("python", "py3"),
            ],
        ),
        (
            "nvcr.io/nvidia/l4t-tensorflow:r36.2.0-tf2.14",
            &[("version", "r36.2.0"), ("variant", "tf2.14")],
        ),
        (
            "nvcr.io/nvidia/dli/dli-nano-ai:v2.0.2-r32.7.1",
            &[("version", "v2.0.2"), ("l4t", "r32.7.1")],
        ),
        // Words joined by `.` or `_`, and uppercase.
        (
            "nvcr.io/nvidia/nemo:24.09.mistral_7b",
            &[("release", "24.09"), ("variant", "mistral_7b")],
        ),
        (
            "nvcr.io/nvidia/nemo:24.01.framework",
            &[("release", "24.01"), ("variant", "framework")],
        ),
        (
            "nvcr.io/nvidia/pytorch:25.01-RC",
            &[("release", "25.01"), ("pre", "RC")],
        ),
        // `py3.12` wherever Python may stand; CUDA in every repository.
        (
            "nvcr.io/nvidia/rapidsai/base:24.02-cuda12.0-py3.10",
            &[
                ("flavor", "base"),
                ("release", "24.02"),
                ("cuda", "12.0"),
                ("python", "3.10"),
            ],
        ),
        (
            "nvcr.io/nvidia/pytorch:24.01-py3.12",
            &[("release", "24.01"), ("python", "3.12")],
        ),
        (
            "nvcr.io/nvidia/k8s/cuda-sample:vectoradd-cuda12.5.0",
            &[("cuda", "12.5.0"), ("tag", "vectoradd-cuda12.5.0")],
        ),
        // Build numbers, OS images, point releases.
        (
            "nvcr.io/nvidia/clara/clara-parabricks:4.2.1-1",
            &[("version", "4.2.1"), ("build", "1")],
        ),
        ("nvcr.io/nvidia/base/ubuntu:24.04", &[("version", "24.04")]),
        ("nvcr.io/nvidia/nemo:23.08.03", &[("release", "23.08.03")]),
        (
            "nvcr.io/nvidia/driver:525.105.17-amzn2",
            &[("version", "525.105.17"), ("os", "amzn2")],
        ),
    ];
    for (name, want) in cases {
        let img = Image::parse(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(img.scheme(), Scheme::Ngc, "{name}");
        let strict = Image::parse_as(name, Scheme::Ngc).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(strict.fields(), img.fields(), "{name}");
        let mut got: Vec<(String, String)> = img
            .fields()
            .into_iter()
            .filter(|f| !["registry", "repository", "framework"].contains(&f.key))
            .map(|f| (f.key.to_string(), f.value.to_string()))
            .collect();
        let mut want: Vec<(String, String)> = want
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn pre_releases_order_below_their_version() {
    let chain = [
        "nvcr.io/nvidia/tensorrt-llm/release:1.2.0rc1",
        "nvcr.io/nvidia/tensorrt-llm/release:1.2.0rc6",
        "nvcr.io/nvidia/tensorrt-llm/release:1.2.0",
        "nvcr.io/nvidia/tensorrt-llm/release:1.2.0.post1",
        "nvcr.io/nvidia/tensorrt-llm/release:1.3.0rc3",
    ];
    for w in chain.windows(2) {
        let (a, b) = (ngc(w[0]), ngc(w[1]));
        assert_eq!(a.compare(&b), Some(Ordering::Less), "{} < {}", w[0], w[1]);
        assert_eq!(
            b.compare(&a),
            Some(Ordering::Greater),
            "{} > {}",
            w[1],
            w[0]
        );
    }
    let lt =
        |a: &str, b: &str| assert_eq!(ngc(a).compare(&ngc(b)), Some(Ordering::Less), "{a} < {b}");
    lt(
        "nvcr.io/nvidia/pytorch:25.02dev-py3",
        "nvcr.io/nvidia/pytorch:25.02-py3",
    );
    lt(
        "nvcr.io/nvidia/isaac-lab:3.0.0-beta2",
        "nvcr.io/nvidia/isaac-lab:3.0.0",
    );
    // A release candidate of an NGC release, joined by `.` or `-`, in any
    // case: below the release, and rc1 below rc2.
    for (a, b) in [
        ("nvcr.io/nvidia/nemo:24.12.rc0", "nvcr.io/nvidia/nemo:24.12"),
        (
            "nvcr.io/nvidia/nemo:24.12.rc0",
            "nvcr.io/nvidia/nemo:24.12.rc1",
        ),
        (
            "nvcr.io/nvidia/pytorch:25.02-rc1-py3",
            "nvcr.io/nvidia/pytorch:25.02-py3",
        ),
        (
            "nvcr.io/nvidia/pytorch:25.02-rc1-py3",
            "nvcr.io/nvidia/pytorch:25.02-rc2-py3",
        ),
        (
            "nvcr.io/nvidia/pytorch:24.12-py3",
            "nvcr.io/nvidia/pytorch:25.02-rc1-py3",
        ),
        (
            "nvcr.io/nvidia/pytorch:25.01-RC",
            "nvcr.io/nvidia/pytorch:25.01",
        ),
    ] {
        lt(a, b);
        assert_eq!(
            ngc(b).compare(&ngc(a)),
            Some(Ordering::Greater),
            "{b} > {a}"
        );
    }
    // A word that only starts like a marker is a variant: `devel`.
    let devel = ngc("nvcr.io/nvidia/deepstream:7.0-devel");
    assert!(devel.fields().iter().any(|f| f.key == "variant"));
    lt(
        "nvcr.io/nvidia/clara/clara-parabricks:4.2.1-1",
        "nvcr.io/nvidia/clara/clara-parabricks:4.2.1-2",
    );
    lt(
        "nvcr.io/nvidia/clara/clara-parabricks:4.2.1-9",
        "nvcr.io/nvidia/clara/clara-parabricks:4.3.0-1",
    );
    lt(
        "nvcr.io/nvidia/deepstream:6.2-22.09-samples",
        "nvcr.io/nvidia/deepstream:6.3-23.05-samples",
    );
}

#[test]
fn a_tag_that_does_not_fit_is_read_leniently_unless_the_scheme_is_given() {
    let name = "nvcr.io/nvidia/rapidsai/rapidsai:cuda10.0_ubuntu16.04";
    let img = Image::parse(name).unwrap();
    assert_eq!(img.scheme(), Scheme::Ngc);
    let keys: Vec<&str> = img.fields().iter().map(|f| f.key).collect();
    assert_eq!(
        keys,
        ["registry", "repository", "framework", "flavor", "tag"]
    );
    assert!(!img.is_alias());
    // Opaque: never ordered against anything but itself.
    let other =
        Image::parse("nvcr.io/nvidia/rapidsai/rapidsai:cuda10.1-runtime-ubuntu18.04").unwrap();
    assert_eq!(img.compare(&other), None);
    assert_eq!(img.compare(&img), Some(Ordering::Equal));
    let e = Image::parse_as(name, Scheme::Ngc).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Scheme);
    assert_eq!(e.component(), imagetag::Component::Cuda);
    assert_to_string(
        e,
        r#"invalid NGC tag "nvcr.io/nvidia/rapidsai/rapidsai:cuda10.0_ubuntu16.04": expected '-' after the cuda version at byte 41 ("_")"#,
    );
}

#[test]
fn mirrors_are_detected_by_path_and_tag() {
    for (name, scheme) in [
        ("registry.local:5000/nvidia/pytorch:24.01-py3", Scheme::Ngc),
        (
            "harbor.example.com/nvcr.io/nvidia/tritonserver:24.05-trtllm-python-py3",
            Scheme::Ngc,
        ),
        ("127.0.0.1:5000/nvidia/l4t-ml:r36.2.0-py3", Scheme::Ngc),
        // Docker Hub's `nvidia/*` images are not NGC's.
        ("nvidia/cuda:12.1.0-devel-ubuntu22.04", Scheme::Generic),
        (
            "docker.io/nvidia/cuda:12.1.0-devel-ubuntu22.04",
            Scheme::Generic,
        ),
        // An NGC path with a tag that is no NGC position: not claimed.
        (
            "registry.local:5000/nvidia/pytorch:my-build",
            Scheme::Generic,
        ),
        // No NGC organisation: not NGC, whatever the tag.
        (
            "registry.local:5000/team/pytorch:24.01-py3",
            Scheme::Generic,
        ),
    ] {
        assert_eq!(Image::parse(name).unwrap().scheme(), scheme, "{name}");
    }
    let t = Image::parse("registry.local:5000/nvidia/pytorch:24.01-py3").unwrap();
    let field = |k: &str| {
        t.fields()
            .into_iter()
            .find(|f| f.key == k)
            .map(|f| f.value.to_string())
    };
    assert_eq!(field("registry").as_deref(), Some("registry.local:5000"));
    assert_eq!(field("release").as_deref(), Some("24.01"));
    assert_eq!(
        Image::parse_as("registry.local:5000/team/pytorch:24.01-py3", Scheme::Ngc)
            .unwrap()
            .scheme(),
        Scheme::Ngc
    );
}

#[test]
fn v_versions_keep_their_written_numbers() {
    // `v3.1.01`: a leading zero, as NGC wrote it.
    let t = ngc("nvcr.io/nvidia/clara-train-sdk:v3.1.01");
    let v = t.fields().into_iter().find(|f| f.key == "version");
    assert_eq!(v.map(|f| f.value.to_string()).as_deref(), Some("v3.1.01"));
    assert_eq!(
        t.compare(&ngc("nvcr.io/nvidia/clara-train-sdk:v4.0")),
        Some(Ordering::Less)
    );
}
