//! With automatic detection, a valid reference is always a valid image,
//! whatever its tag: generated names on each scheme's registry and on
//! mirrors, with tags made of the whole tag alphabet.

use imagetag::{Image, Reference, Scheme};
use proptest::prelude::*;

fn repository() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("nvcr.io/nvidia/pytorch".to_string()),
        Just("nvcr.io/nvidia/rapidsai/base".to_string()),
        Just("nvcr.io/nvidia/cuda".to_string()),
        Just("nvcr.io/nim/meta/llama".to_string()),
        Just("quay.io/vessl-ai/torch".to_string()),
        Just("quay.io/vessl-ai/python".to_string()),
        Just("quay.io/vessl-ai/kernels".to_string()),
        Just("quay.io/vessl-ai/hub".to_string()),
        Just("quay.io/vessl-ai/ngc-pytorch-kernel".to_string()),
        Just("registry.twcc.ai/ngc/nvidia/pytorch-24.01-py3".to_string()),
        Just("registry.twcc.ai/ngc/nvidia/tensorflow_21.11-tf2-py3".to_string()),
        Just("127.0.0.1:5000/vessl-ai/torch".to_string()),
        Just("registry.local:5000/nvidia/pytorch".to_string()),
        Just("public.ecr.aws/vessl/kernels".to_string()),
        Just("pytorch-24.01-py3".to_string()),
        Just("ubuntu".to_string()),
    ]
}

/// Tags built from the pieces real tags use, joined every way a tag allows.
fn tag() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("24.01".to_string()),
        Just("2.3.0".to_string()),
        Just("v1.2".to_string()),
        Just("r35.1.0".to_string()),
        Just("py3".to_string()),
        Just("py3.12".to_string()),
        Just("cuda12.4".to_string()),
        Just("cudnn9".to_string()),
        Just("r5".to_string()),
        Just("rc1".to_string()),
        Just("dev".to_string()),
        Just("ubuntu22.04".to_string()),
        Just("RC".to_string()),
        "[A-Za-z0-9]{1,4}",
    ];
    let sep = prop_oneof![Just("-"), Just("."), Just("_"), Just("")];
    (piece.clone(), prop::collection::vec((sep, piece), 0..5)).prop_map(|(first, rest)| {
        let mut s = first;
        for (sep, p) in rest {
            s.push_str(sep);
            s.push_str(&p);
        }
        s.truncate(128);
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn a_valid_reference_is_a_valid_image(repo in repository(), tag in tag()) {
        let name = format!("{repo}:{tag}");
        if Reference::parse_normalized(&name).is_ok() {
            let img = Image::parse(&name);
            prop_assert!(img.is_ok(), "{}: {:?}", name, img.err());
            let img = img.unwrap();
            // With its own scheme given, the name reads the same way, or is
            // an error of that scheme: never a different reading.
            if let Ok(strict) = Image::parse_as(&name, img.scheme()) {
                prop_assert_eq!(strict.fields(), img.fields(), "{}", name);
            } else {
                prop_assert!(img.scheme() != Scheme::Generic, "{}", name);
                prop_assert!(!img.is_alias(), "{}", name);
            }
        }
    }
}
