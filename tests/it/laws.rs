//! The laws every value of the crate keeps, per scheme and for `Image`
//! (issue 14): `parse(v.to_string()) == v` with registry and digest;
//! `a == b` implies equal hashes; equality is by meaning (the familiar and
//! canonical spellings of one image are equal, a registry host compares
//! without case); the semantic order is `compare`, and agrees with `Eq`.
//! Checked over generated names (several spellings of each) and over every
//! name of the corpus tables.

use crate::util;

use std::cmp::Ordering;
use std::collections::hash_map::DefaultHasher;
use std::fmt::{Debug, Display};
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use imagetag::scheme::generic::GenericTag;
use imagetag::scheme::ngc::NgcTag;
use imagetag::scheme::twcc::TwccName;
use imagetag::scheme::vessl::VesslTag;
use imagetag::{Error, Image, Scheme, Tagged};
use proptest::prelude::*;

fn hash_of<T: Hash>(v: &T) -> u64 {
    let mut h = DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

/// `parse(v.to_string()) == v`, with equal hashes, and `Display` a fixed
/// point; `compare` agrees with `Eq`.
#[track_caller]
fn round_trip<T>(text: &str) -> T
where
    T: FromStr<Err = Error> + Display + Debug + Eq + Hash,
{
    let v: T = text
        .parse()
        .unwrap_or_else(|e| panic!("{text:?} does not parse: {e}"));
    let shown = v.to_string();
    let back: T = shown
        .parse()
        .unwrap_or_else(|e| panic!("{shown:?} (shown for {text:?}) does not parse: {e}"));
    assert_eq!(
        back, v,
        "{text:?} shows as {shown:?}, which reads as another value"
    );
    assert_eq!(
        hash_of(&back),
        hash_of(&v),
        "{text:?}: equal values, different hashes"
    );
    assert_eq!(
        back.to_string(),
        shown,
        "{text:?}: Display is not a fixed point"
    );
    v
}

/// What a scheme read, less the registry and path as written (the
/// canonical form writes them out).
fn reading(img: &Image) -> Vec<String> {
    img.fields()
        .into_iter()
        .filter(|f| !matches!(f.key, "registry" | "path"))
        .map(|f| format!("{}={}", f.key, f.value))
        .collect()
}

/// Two spellings of one name read as equal values with equal hashes.
#[track_caller]
fn same<T>(a: &str, b: &str)
where
    T: FromStr<Err = Error> + Debug + Eq + Hash,
{
    let (x, y): (T, T) = (a.parse().unwrap(), b.parse().unwrap());
    assert_eq!(x, y, "{a:?} and {b:?} name one image");
    assert_eq!(
        hash_of(&x),
        hash_of(&y),
        "{a:?} and {b:?}: equal, hashed apart"
    );
}

/// The ways to write the repository `host/path` (no tag): as given, with the
/// host in capitals, and, on Docker Hub, familiar and canonical.
fn spellings(host: Option<&str>, path: &str) -> Vec<String> {
    match host {
        None | Some("docker.io") => {
            let mut v = vec![
                format!("docker.io/{path}"),
                format!("index.docker.io/{path}"),
            ];
            match path.strip_prefix("library/") {
                Some(short) => v.extend([short.to_string(), path.to_string()]),
                None => {
                    v.push(path.to_string());
                    if !path.contains('/') {
                        v.push(format!("library/{path}"));
                        v.push(format!("docker.io/library/{path}"));
                    }
                }
            }
            v
        }
        Some(h) => vec![
            format!("{h}/{path}"),
            format!("{}/{path}", h.to_ascii_uppercase()),
        ],
    }
}

const DIGEST: &str = "sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa";

fn digest() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), Just(format!("@{DIGEST}"))]
}

fn release() -> impl Strategy<Value = String> {
    (15u8..30, 1u8..13).prop_map(|(y, m)| format!("{y:02}.{m:02}"))
}

fn twcc() -> impl Strategy<Value = (Option<&'static str>, String, String)> {
    (
        prop::sample::select(vec![
            (None, ""),
            (Some("docker.io"), ""),
            (Some("registry.twcc.ai"), "ngc/nvidia/"),
            (Some("harbor.example.com:5000"), "twcc/"),
        ]),
        prop::sample::select(vec!["tensorflow", "pytorch", "tensorrt", "clara-train-sdk"]),
        release(),
        prop::sample::select(vec!["", "-tf2", "-tf1", "-trtllm-python"]),
        prop::sample::select(vec!["-py3", "-py3-v1", ""]),
        prop::sample::select(vec!["", ":latest", ":v1", ":dup1"]),
        digest(),
    )
        .prop_map(|((host, dir), fw, rel, var, py, tag, dig)| {
            let var = if py.is_empty() { "" } else { var };
            (
                host,
                format!("{dir}{fw}-{rel}{var}{py}"),
                format!("{tag}{dig}"),
            )
        })
}

fn ngc() -> impl Strategy<Value = (Option<&'static str>, String, String)> {
    (
        prop::sample::select(vec![
            (Some("nvcr.io"), "nvidia/"),
            (Some("registry.local:5000"), "nvidia/"),
        ]),
        prop::sample::select(vec!["pytorch", "tensorflow", "tritonserver"]),
        release(),
        prop::sample::select(vec!["-py3", "-tf2-py3", "-trtllm-python-py3", "-py3-igpu"]),
        digest(),
    )
        .prop_map(|((host, dir), fw, rel, tail, dig)| {
            (host, format!("{dir}{fw}"), format!(":{rel}{tail}{dig}"))
        })
}

fn vessl() -> impl Strategy<Value = (Option<&'static str>, String, String)> {
    (
        prop::sample::select(vec![Some("quay.io"), Some("harbor.example.com")]),
        prop::sample::select(vec!["torch", "tensorflow", "vllm"]),
        (1u32..4, 0u32..20, 0u32..5),
        prop::sample::select(vec!["", "-cuda12.4", "-cuda11.8-cudnn8"]),
        prop::sample::select(vec!["", "-py3.10", "-py3.11"]),
        prop::option::of(1u32..30),
        digest(),
    )
        .prop_map(|(host, repo, (a, b, c), cuda, py, rev, dig)| {
            let rev = rev.map(|n| format!("-r{n}")).unwrap_or_default();
            (
                host,
                format!("vessl-ai/{repo}"),
                format!(":{a}.{b}.{c}{cuda}{py}{rev}{dig}"),
            )
        })
}

fn generic() -> impl Strategy<Value = (Option<&'static str>, String, String)> {
    (
        prop::sample::select(vec![
            (None, "nginx"),
            (None, "bitnami/redis"),
            (Some("ghcr.io"), "org/app"),
            (Some("localhost:5000"), "app"),
        ]),
        prop::sample::select(vec![
            "",
            ":latest",
            ":1.27.1-alpine",
            ":7.2.4-debian-12-r7",
            ":v2025-3-4",
            ":jammy",
        ]),
        digest(),
    )
        .prop_map(|((host, path), tag, dig)| (host, path.to_string(), format!("{tag}{dig}")))
}

/// Every law, for one scheme's value type and for `Image`, over each
/// spelling of one name.
fn check_all<T>(host: Option<&str>, path: &str, rest: &str, scheme: Scheme)
where
    T: FromStr<Err = Error> + Display + Debug + Eq + Hash + Tagged,
{
    let names: Vec<String> = spellings(host, path)
        .into_iter()
        .map(|r| format!("{r}{rest}"))
        .collect();
    for n in &names {
        let v = round_trip::<T>(n);
        assert_eq!(v.compare(&v), Some(Ordering::Equal), "{n:?}");
        let img = round_trip::<Image>(n);
        assert_eq!(img.compare(&img), Some(Ordering::Equal), "{n:?}");
        // The canonical form keeps the reading.
        let back: Image = img.to_string().parse().unwrap();
        assert_eq!(back.scheme(), img.scheme(), "{n:?} shows as {img}");
        assert_eq!(reading(&back), reading(&img), "{n:?} shows as {img}");
        let strict = Image::parse_as(n, scheme).unwrap();
        assert_eq!(strict.scheme(), scheme);
    }
    for w in names.windows(2) {
        same::<T>(&w[0], &w[1]);
        same::<Image>(&w[0], &w[1]);
        let (a, b): (Image, Image) = (w[0].parse().unwrap(), w[1].parse().unwrap());
        assert_eq!(a.compare(&b), Some(Ordering::Equal), "{a} vs {b}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn twcc_laws((host, path, rest) in twcc()) {
        check_all::<TwccName>(host, &path, &rest, Scheme::Twcc);
    }

    #[test]
    fn ngc_laws((host, path, rest) in ngc()) {
        check_all::<NgcTag>(host, &path, &rest, Scheme::Ngc);
    }

    #[test]
    fn vessl_laws((host, path, rest) in vessl()) {
        check_all::<VesslTag>(host, &path, &rest, Scheme::Vessl);
    }

    #[test]
    fn generic_laws((host, path, rest) in generic()) {
        check_all::<GenericTag>(host, &path, &rest, Scheme::Generic);
    }

    /// `compare` agrees with `Eq` and is antisymmetric between any two
    /// images, whatever their schemes.
    #[test]
    fn compare_agrees_with_eq(
        a in prop_oneof![twcc(), ngc(), vessl(), generic()],
        b in prop_oneof![twcc(), ngc(), vessl(), generic()],
    ) {
        let name = |(h, p, r): &(Option<&str>, String, String)| match h {
            Some(h) => format!("{h}/{p}{r}"),
            None => format!("{p}{r}"),
        };
        let (x, y): (Image, Image) = (name(&a).parse().unwrap(), name(&b).parse().unwrap());
        let o = x.compare(&y);
        prop_assert_eq!(o, y.compare(&x).map(Ordering::reverse));
        if x == y {
            prop_assert_eq!(o, Some(Ordering::Equal));
        }
    }
}

/// Every name of the corpus tables keeps the laws as an `Image`, and as a
/// value of its scheme where it reads strictly as one.
#[test]
fn corpus_names_keep_the_laws() {
    let mut n = 0;
    for file in [
        "twcc.tsv",
        "ngc.tsv",
        "vessl.tsv",
        "mined_twcc.tsv",
        "mined_ngc.tsv",
        "mined_vessl.tsv",
        "mined_generic.tsv",
    ] {
        let rows = if file.starts_with("mined") {
            util::table(&format!("corpus/{file}"))
        } else {
            util::corpus(file)
        };
        for row in rows {
            let name = row.req("full_name");
            for text in [name.to_string(), format!("{name}@{DIGEST}")] {
                let Ok(img) = Image::parse(&text) else {
                    continue;
                };
                round_trip::<Image>(&text);
                let back: Image = img.to_string().parse().unwrap();
                assert_eq!(back.scheme(), img.scheme(), "{text:?} shows as {img}");
                assert_eq!(reading(&back), reading(&img), "{text:?} shows as {img}");
                match img.scheme() {
                    Scheme::Twcc if TwccName::parse(&text).is_ok() => {
                        round_trip::<TwccName>(&text);
                    }
                    Scheme::Ngc if NgcTag::parse(&text).is_ok() => {
                        round_trip::<NgcTag>(&text);
                    }
                    Scheme::Vessl if VesslTag::parse(&text).is_ok() => {
                        round_trip::<VesslTag>(&text);
                    }
                    Scheme::Generic => {
                        round_trip::<GenericTag>(&text);
                    }
                    _ => {}
                }
                n += 1;
            }
        }
    }
    assert!(n > 200, "only {n} corpus names read");
}

// ---------------------------------------------------------------------------
// The cases of issue 14, one by one.

#[test]
fn vessl_display_keeps_the_digest() {
    let text = format!("quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5@{DIGEST}");
    let v: VesslTag = text.parse().unwrap();
    assert_eq!(v.to_string(), text);
    assert_eq!(v.tag(), "2.3.0-cuda12.4-r5");
    assert_eq!(v.digest(), Some(DIGEST));
    assert_eq!(v.revision(), Some(5));
    let bare: VesslTag = "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5".parse().unwrap();
    assert_ne!(v, bare);
    assert_eq!(bare.digest(), None);
}

#[test]
fn generic_display_keeps_the_digest() {
    let text = format!("nginx:1.27@{DIGEST}");
    let g: GenericTag = text.parse().unwrap();
    assert_eq!(
        g.to_string(),
        format!("docker.io/library/nginx:1.27@{DIGEST}")
    );
    assert_eq!(g.digest(), Some(DIGEST));
    assert_ne!(g, "nginx:1.27".parse::<GenericTag>().unwrap());
}

#[test]
fn twcc_canonical_form_keeps_its_reading() {
    let short = Image::parse("tensorflow-22.08-tf2-py3").unwrap();
    assert_eq!(
        short.to_string(),
        "docker.io/library/tensorflow-22.08-tf2-py3"
    );
    let long = Image::parse(&short.to_string()).unwrap();
    assert_eq!(long.scheme(), Scheme::Twcc);
    assert_eq!(long, short);
    assert_eq!(hash_of(&long), hash_of(&short));
    assert_eq!(long.compare(&short), Some(Ordering::Equal));
    assert_eq!(long.track(), short.track());
    // Comparable across spellings, not only equal.
    let newer = Image::parse("docker.io/library/tensorflow-22.09-tf2-py3").unwrap();
    assert_eq!(short.compare(&newer), Some(Ordering::Less));
    let t: TwccName = "docker.io/library/tensorflow-22.08-tf2-py3"
        .parse()
        .unwrap();
    assert_eq!(t, "tensorflow-22.08-tf2-py3".parse::<TwccName>().unwrap());
    // Display stays as written.
    assert_eq!(t.to_string(), "docker.io/library/tensorflow-22.08-tf2-py3");
}

#[test]
fn registry_host_compares_without_case() {
    same::<NgcTag>(
        "NVCR.io/nvidia/pytorch:24.01-py3",
        "nvcr.io/nvidia/pytorch:24.01-py3",
    );
    same::<Image>(
        "NVCR.io/nvidia/pytorch:24.01-py3",
        "nvcr.io/nvidia/pytorch:24.01-py3",
    );
    let upper = Image::parse("NVCR.io/nvidia/pytorch:24.01-py3").unwrap();
    assert_eq!(upper.scheme(), Scheme::Ngc);
    let older = Image::parse("nvcr.io/nvidia/pytorch:23.10-py3").unwrap();
    assert_eq!(older.compare(&upper), Some(Ordering::Less));
    same::<VesslTag>(
        "QUAY.IO/vessl-ai/torch:2.3.0-cuda12.4-r5",
        "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5",
    );
    // Every spelling of one image is on one track: the order holds across
    // them.
    let upper = Image::parse("QUAY.IO/vessl-ai/torch:2.3.0-cuda12.4-r5").unwrap();
    let lower = Image::parse("quay.io/vessl-ai/torch:2.3.0-cuda12.4-r6").unwrap();
    assert_eq!(upper.compare(&lower), Some(Ordering::Less));
    assert_eq!(upper.track(), lower.track());
    let upper = Image::parse("GHCR.io/org/app:1.0").unwrap();
    let lower = Image::parse("ghcr.io/org/app:1.1").unwrap();
    assert_eq!(upper.compare(&lower), Some(Ordering::Less));
    let upper = Image::parse("Registry.TWCC.ai/ngc/nvidia/pytorch-24.01-py3").unwrap();
    let lower = Image::parse("registry.twcc.ai/ngc/nvidia/pytorch-24.02-py3").unwrap();
    assert_eq!(upper.compare(&lower), Some(Ordering::Less));
    // A catalog keys a repository by its meaning too.
    let c = imagetag::Catalog::from_names([
        "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r1",
        "QUAY.IO/vessl-ai/torch:2.3.0-cuda12.4-r2",
        "nginx:1.27.1",
        "docker.io/library/nginx:1.27.1",
    ])
    .unwrap();
    assert_eq!(c.len(), 3, "one nginx:1.27.1, two torch revisions");
    for alias in [
        "quay.io/vessl-ai/torch:2.3.0-cuda12.4",
        "QUAY.io/vessl-ai/torch:2.3.0-cuda12.4",
    ] {
        let got = c.resolve_name(alias).unwrap();
        assert_eq!(got.reference().tag(), Some("2.3.0-cuda12.4-r2"), "{alias}");
    }
    let q = imagetag::Query::new("QUAY.io/vessl-ai/torch").unwrap();
    assert_eq!(
        c.newest(&q).unwrap().image().reference().tag(),
        Some("2.3.0-cuda12.4-r2")
    );
    same::<TwccName>(
        "Registry.TWCC.ai/ngc/nvidia/pytorch-24.01-py3",
        "registry.twcc.ai/ngc/nvidia/pytorch-24.01-py3:latest",
    );
    same::<GenericTag>("GHCR.io/org/app:1.0", "ghcr.io/org/app:1.0");
    assert_ne!(
        "nvcr.io/nvidia/pytorch:24.01-py3"
            .parse::<NgcTag>()
            .unwrap(),
        "nvcr.io/nvidia/pytorch:24.01-py3-igpu"
            .parse::<NgcTag>()
            .unwrap()
    );
}
