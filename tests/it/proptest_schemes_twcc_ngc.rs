//! Properties of the TWCC and NGC schemes over generated values (built from
//! their parts, not random strings): exact round trip, the parts read back,
//! and the order laws (antisymmetric, transitive, consistent with `Eq`).

use std::cmp::Ordering;

use imagetag::scheme::ngc::NgcTag;
use imagetag::scheme::twcc::TwccName;
use imagetag::Tagged;
use proptest::prelude::*;

/// A release as written: `yy.mm`, NVHPC's `yy.m`, `.p`, `dev`.
fn release() -> impl Strategy<Value = String> {
    (
        0u8..100,
        1u8..13,
        any::<bool>(),
        prop::option::of(0u32..20),
        any::<bool>(),
    )
        .prop_map(|(y, m, short, point, dev)| {
            let mut s = if short && m < 10 {
                format!("{y:02}.{m}")
            } else {
                format!("{y:02}.{m:02}")
            };
            if let Some(p) = point {
                s.push_str(&format!(".{p}"));
            }
            if dev {
                s.push_str("dev");
            }
            s
        })
}

/// A word that reads as neither Python, `v1`, a release nor a vendor release.
/// (No `r` first: `r0000a` is a vendor release.)
fn word() -> impl Strategy<Value = String> {
    "[a-oqs-uw-z][a-z0-9]{0,6}"
}

fn python() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("py3".to_string()),
        Just("py2".to_string()),
        (3u32..4, 0u32..13).prop_map(|(a, b)| format!("py{a}.{b}"))
    ]
}

fn twcc_tag() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![
        Just("latest".to_string()),
        Just("v1".to_string()),
        "[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}",
    ])
}

/// A TWCC name, as text, with its framework.
fn twcc_name() -> impl Strategy<Value = (String, String)> {
    let prefix = prop_oneof![
        Just(String::new()),
        Just("ngc/nvidia/".to_string()),
        Just("registry.twcc.ai/".to_string()),
        Just("registry.twcc.ai/ngc/nvidia/".to_string()),
    ];
    let framework = prop::collection::vec(word(), 1..3).prop_map(|w| w.join("-"));
    let tail = prop_oneof![
        (prop::collection::vec(word(), 0..3), python())
            .prop_map(|(v, p)| v.into_iter().chain([p]).collect::<Vec<_>>()),
        word().prop_map(|p| vec![p]),
        Just(Vec::new()),
    ];
    let body = prop_oneof![
        (release(), tail, any::<bool>()).prop_map(|(r, t, v1)| {
            let mut s = r;
            for w in t {
                s.push('-');
                s.push_str(&w);
            }
            if v1 {
                s.push_str("-v1");
            }
            s
        }),
        (1990u32..2100, any::<bool>())
            .prop_map(|(y, b)| format!("r{y}{}", if b { 'b' } else { 'a' })),
    ];
    (prefix, framework, body, twcc_tag()).prop_map(|(p, f, b, t)| {
        let mut s = format!("{p}{f}-{b}");
        if let Some(t) = t {
            s.push(':');
            s.push_str(&t);
        }
        (s, f)
    })
}

/// An NGC name, as text.
fn ngc_name() -> impl Strategy<Value = String> {
    let fw = prop_oneof![word(), Just("digits".to_string())];
    let release_tag = (
        release(),
        prop::collection::vec(word(), 0..3),
        prop::option::of((python(), prop::collection::vec(word(), 0..3))),
    )
        .prop_map(|(r, v, p)| {
            let mut parts = vec![r];
            parts.extend(v);
            if let Some((p, s)) = p {
                parts.push(p);
                parts.extend(s);
            }
            parts.join("-")
        });
    let cuda_tag = (
        1u32..14,
        0u32..10,
        0u32..3,
        prop::option::of(0u32..10),
        prop_oneof![Just("devel"), Just("runtime"), Just("base")],
    )
        .prop_map(|(a, b, c, dnn, v)| {
            let dnn = dnn.map(|d| format!("-cudnn{d}")).unwrap_or_default();
            format!("{a}.{b}.{c}{dnn}-{v}-ubuntu22.04")
        });
    prop_oneof![
        (fw, release_tag).prop_map(|(f, t)| format!("nvcr.io/nvidia/{f}:{t}")),
        cuda_tag.prop_map(|t| format!("nvcr.io/nvidia/cuda:{t}")),
        (word(), 1u32..10, 0u32..10).prop_map(|(f, a, b)| format!("nvcr.io/nvidia/{f}:v{a}.{b}")),
        word().prop_map(|f| format!("nvcr.io/nvidia/{f}:latest")),
    ]
}

/// Names drawn from a small pool, so that many share a track.
fn twcc_pool() -> impl Strategy<Value = TwccName> {
    (
        prop_oneof![Just("tensorflow"), Just("pytorch")],
        prop_oneof![
            Just("19.08"),
            Just("20.01"),
            Just("20.1"),
            Just("24.10"),
            Just("18.08.1")
        ],
        prop_oneof![Just(""), Just("-tf2")],
        prop_oneof![Just(""), Just("-v1")],
        prop_oneof![Just(""), Just(":latest"), Just(":dup1"), Just(":v1")],
    )
        .prop_map(|(f, r, v, o, t)| format!("{f}-{r}{v}-py3{o}{t}").parse().unwrap())
}

fn ngc_pool() -> impl Strategy<Value = NgcTag> {
    (
        prop_oneof![
            Just("19.08"),
            Just("20.01"),
            Just("20.1"),
            Just("26.08dev"),
            Just("26.08")
        ],
        prop_oneof![Just(""), Just("-py3"), Just("-py3-sdk")],
        prop_oneof![Just(""), Just(":latest")],
    )
        .prop_map(|(r, p, latest)| {
            let s = if latest.is_empty() {
                format!("nvcr.io/nvidia/tritonserver:{r}{p}")
            } else {
                "nvcr.io/nvidia/tritonserver:latest".to_string()
            };
            s.parse().unwrap()
        })
}

fn laws<T: Tagged>(a: &T, b: &T, c: &T) -> Result<(), TestCaseError> {
    let ab = a.compare(b);
    prop_assert_eq!(
        ab,
        b.compare(a).map(Ordering::reverse),
        "antisymmetric: {} {}",
        a,
        b
    );
    prop_assert_eq!(
        ab == Some(Ordering::Equal),
        a == b,
        "consistent with Eq: {} {}",
        a,
        b
    );
    if ab == Some(Ordering::Equal) {
        prop_assert_eq!(a.track(), b.track());
    }
    for o in [Ordering::Less, Ordering::Greater] {
        if ab == Some(o) && b.compare(c) == Some(o) {
            prop_assert_eq!(a.compare(c), Some(o), "transitive: {} {} {}", a, b, c);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn twcc_round_trip((s, framework) in twcc_name()) {
        let n: TwccName = s.parse().map_err(|e| TestCaseError::fail(format!("{e}")))?;
        prop_assert_eq!(n.to_string(), s.clone());
        prop_assert_eq!(n.to_string().parse::<TwccName>().unwrap(), n.clone());
        prop_assert_eq!(n.framework(), Some(framework.as_str()));
        prop_assert!(n.release().is_some() || n.vendor_release().is_some());
        // Back from NGC, where NGC reads the words the same way (a TWCC
        // variant such as `cuda1` is a CUDA version to NGC).
        if let Some(back) = n.to_ngc().and_then(|ngc| ngc.to_twcc()) {
            prop_assert_eq!(back.release(), n.release());
            prop_assert_eq!(back.framework(), n.framework());
            prop_assert_eq!(back.python(), n.python());
        }
    }

    #[test]
    fn ngc_round_trip(s in ngc_name()) {
        let n: NgcTag = s.parse().map_err(|e| TestCaseError::fail(format!("{e}")))?;
        prop_assert_eq!(n.to_string(), s.clone());
        prop_assert_eq!(n.to_string().parse::<NgcTag>().unwrap(), n);
    }

    #[test]
    fn twcc_order_laws(a in twcc_pool(), b in twcc_pool(), c in twcc_pool()) {
        laws(&a, &b, &c)?;
    }

    #[test]
    fn ngc_order_laws(a in ngc_pool(), b in ngc_pool(), c in ngc_pool()) {
        laws(&a, &b, &c)?;
    }

    #[test]
    fn twcc_parse_never_panics(s in "[a-z0-9._:/-]{0,40}") {
        if let Ok(n) = s.parse::<TwccName>() {
            prop_assert_eq!(n.to_string(), s.clone());
        }
        let _ = s.parse::<NgcTag>();
    }
}
