//! `imagetag check` and `imagetag pin` on Dev Container definitions
//! (`.devcontainer/devcontainer.json`, `.devcontainer/<name>/devcontainer.json`,
//! `.devcontainer.json`), run as the real binary with exact output and exit
//! codes. Each file is a minimal snippet of the real one its comment names
//! (the shapes kept: comments, trailing commas, features, build-based and
//! Compose-based definitions, a merge conflict left in one).
#![cfg(feature = "cli")]

use crate::support;
use crate::util;

use std::fs;
use std::path::Path;

use imagetag::check::{find_in, FileKind, Kind};
use proptest::prelude::*;
use support::TempDir;
use util::{expect_in as expect, run_in};

/// janhq/jan `.devcontainer/cuda/devcontainer.json`: `//` comments, a
/// trailing comma inside a feature's options, features whose keys are OCI
/// artifacts, and an image without a tag.
const JAN_CUDA: &str = "// For format details, see https://aka.ms/devcontainer.json.\n\
{\n    \"name\": \"Jan\",\n    // Use the official image. More info: https://aka.ms/devcontainers/base\n    \
\"image\": \"mcr.microsoft.com/devcontainers/typescript-node\",\n    \
// Add the 'devcontainer' feature. More info: https://aka.ms/devcontainers/feature\n    \
\"features\": {\n        // Add make\n        \"ghcr.io/jungaretti/features/make:1\": {},\n        \
// Add cuda\n        \"ghcr.io/devcontainers/features/nvidia-cuda:1\": {\n            \
\"installCudnn\": true,\n        }\n    },\n    \"runArgs\": [\n        \"--gpus=all\"\n    ],\n    \
\"remoteUser\": \"root\"\n}\n";

/// 5had3z/torch-discounted-cumsum-nd `.devcontainer.json`: an NGC image,
/// no final newline.
const TORCH_CUMSUM: &str = "{\n    \"image\": \"nvcr.io/nvidia/pytorch:24.08-py3\",\n    \
\"runArgs\": [\n        \"--gpus\",\n        \"all\"\n    ]\n}";

/// h-takeyeah/sd-rag-evaluation `.devcontainer/devcontainer.json`: the
/// Python template, tabs, commented-out members (`// "features": {}`).
const SD_RAG: &str = "// For format details, see https://aka.ms/devcontainer.json. For config options, see the\n\
// README at: https://github.com/devcontainers/templates/tree/main/src/python\n{\n\t\"name\": \"Python 3\",\n\t\
// Or use a Dockerfile or Docker Compose file. More info: https://containers.dev/guide/dockerfile\n\t\
\"image\": \"mcr.microsoft.com/devcontainers/python:3.11\",\n\n\t\
// \"features\": {},\n\n\t\"postCreateCommand\": \"pip install -r requirements.txt\"\n\n\t\
// \"remoteUser\": \"root\"\n}\n";

/// h0ffmann/ww3-gpu `.devcontainer/devcontainer.json`: comment lines before
/// the object, a feature with options.
const WW3_GPU: &str = "// Codespaces / VS Code dev container: Ubuntu 24.04 with Nix (flakes on).\n\
// CPU only; a GPU gate needs a host with a driver.\n{\n  \"name\": \"ww3-gpu\",\n  \
\"image\": \"mcr.microsoft.com/devcontainers/base:ubuntu-24.04\",\n  \"features\": {\n    \
\"ghcr.io/devcontainers/features/nix:1\": {\n      \
\"extraNixConfig\": \"experimental-features = nix-command flakes\"\n    }\n  },\n  \
\"postCreateCommand\": \"bash scripts/agent_env.sh\"\n}\n";

/// pytorch/pytorch `.devcontainer/cuda/devcontainer.json`: built from a
/// Dockerfile, no image; a comment at column 1 inside the object.
const PYTORCH_CUDA: &str = "// For format details, see https://aka.ms/devcontainer.json.\n{\n  \
\"name\": \"PyTorch - CUDA\",\n  \"build\": {\n    \"context\": \"../..\",\n    \
\"dockerfile\": \"Dockerfile\",\n    \"args\": {\n      \"USERNAME\": \"vscode\",\n      \
\"CUDA_VERSION\": \"11.8.0\"\n    }\n  },\n  \"runArgs\": [\"--gpus\", \"all\"],\n\
// Use 'forwardPorts' to make a list of ports inside the container available locally.\n  \
// \"forwardPorts\": [],\n  \"features\": {\n    // This is needed for lintrunner\n    \
\"ghcr.io/devcontainers/features/rust:1\" : {}\n  }\n  // \"remoteUser\": \"root\"\n}";

/// vllm-project/vllm `.devcontainer/cuda/devcontainer.json`: built from a
/// Dockerfile, an escaped string, and `${localEnv:HF_TOKEN}` in
/// `containerEnv` (not an image: nothing to say).
const VLLM_CUDA: &str = "{\n    \"name\": \"vllm-dev-cuda\",\n    \"build\": { \n        \
\"dockerfile\": \"../../Dockerfile\",\n        \"context\": \"../..\",\n        \"target\": \"dev\"\n    },\n    \
\"runArgs\": [\"--gpus\", \"all\"],\n    \"customizations\": {\n        \"vscode\": {\n            \
\"settings\": {\n                \"ruff.lint.args\": [\n                    \
\"\\\"--config=pyproject.toml\\\"\"\n                ]\n            }\n\n        }\n    },\n    \
\"containerEnv\": {\n        \"HF_TOKEN\": \"${localEnv:HF_TOKEN}\"\n    }\n}";

/// h-saitooo/nvidia-tensorflow-devcontainer `.devcontainer/devcontainer.json`:
/// a Compose-based definition; `dockerComposeFile` names a file.
const TF_COMPOSE: &str = "{\n  \"name\": \"Nvidia Tensorflow\",\n  \"dockerComposeFile\": \"compose.yml\",\n  \
\"service\": \"nvidia-tensorflow\",\n  \"workspaceFolder\": \"/workspace\",\n  \"forwardPorts\": [8888]\n}";

/// h-i500/qiskit-jupyter-notebook `.devcontainer/devcontainer.json`, as
/// committed with a merge conflict in it: not JSONC at all.
const QISKIT_CONFLICT: &str =
    "<<<<<<< HEAD\n{\n    \"name\": \"Jupyter Notebook Dev Container\",\n    \
\"dockerFile\": \"../Containerfile\",  // adjust\n    \"forwardPorts\": [8888]\n}\n=======\n{\n    \
\"name\": \"Jupyter Notebook Dev Container\",\n    \"dockerFile\": \"../Containerfile\"\n}\n\
>>>>>>> a00cd10 (fix)\n";

/// Writes `files` (path, contents) under `dir`.
fn write_all(dir: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let p = dir.join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
}

fn real_tree(dir: &Path) {
    write_all(
        dir,
        &[
            ("jan/.devcontainer/cuda/devcontainer.json", JAN_CUDA),
            ("cumsum/.devcontainer.json", TORCH_CUMSUM),
            ("rag/.devcontainer/devcontainer.json", SD_RAG),
            ("ww3/.devcontainer/devcontainer.json", WW3_GPU),
            ("pytorch/.devcontainer/cuda/devcontainer.json", PYTORCH_CUDA),
            ("vllm/.devcontainer/cuda/devcontainer.json", VLLM_CUDA),
            ("tf/.devcontainer/devcontainer.json", TF_COMPOSE),
            ("qiskit/.devcontainer/devcontainer.json", QISKIT_CONFLICT),
            // Not a definition by its name: never read.
            ("notes/devcontainer.json", "{\"image\": \"Not:Read\"}"),
        ],
    );
}

/// The inventory of a tree of real definitions: the top-level image of each
/// one that names one, at its line and column; nothing from build- or
/// Compose-based ones, from features or from `${localEnv:...}` elsewhere;
/// one note for the file with a merge conflict in it, and no error.
#[test]
fn real_definitions_inventory() {
    let t = TempDir::new("devc-real");
    let d = t.path();
    real_tree(d);
    expect(
        d,
        &["check", "--no-config", "--list"],
        0,
        "cumsum/.devcontainer.json:2:15 nvcr.io/nvidia/pytorch:24.08-py3\n\
         jan/.devcontainer/cuda/devcontainer.json:5:15 mcr.microsoft.com/devcontainers/typescript-node\n\
         rag/.devcontainer/devcontainer.json:6:12 mcr.microsoft.com/devcontainers/python:3.11\n\
         ww3/.devcontainer/devcontainer.json:5:13 mcr.microsoft.com/devcontainers/base:ubuntu-24.04\n",
        "qiskit/.devcontainer/devcontainer.json:1:1: note: skipped: not valid JSON with comments (expected a value, found '<'): nothing read\n\
         checked 4 references in 8 files: 0 errors, 1 reference skipped\n",
    );
}

/// With `--deny-alias`, the image without a tag is an error at its line
/// and column (exit 1); the broken file stays a note.
#[test]
fn real_definitions_deny_alias() {
    let t = TempDir::new("devc-alias");
    let d = t.path();
    real_tree(d);
    expect(
        d,
        &["check", "--no-config", "--deny-alias"],
        1,
        "jan/.devcontainer/cuda/devcontainer.json:5:15: error: \"mcr.microsoft.com/devcontainers/typescript-node\" has neither tag nor digest: pin it to a tag\n\
         qiskit/.devcontainer/devcontainer.json:1:1: note: skipped: not valid JSON with comments (expected a value, found '<'): nothing read\n",
        "checked 4 references in 8 files: 1 error, 1 reference skipped\n",
    );
}

/// An invalid image is an error with its line and column, also when
/// written with escapes (checked as decoded, the column of its first byte);
/// a substitution, a placeholder or a value that is not a string is a note;
/// an `"image"` that is not at the top level is no image.
#[test]
fn values() {
    let t = TempDir::new("devc-values");
    let d = t.path();
    write_all(
        d,
        &[
            (
                "a/.devcontainer/devcontainer.json",
                "{\n  /* the GPU image */ \"image\": \"nvcr.io/Nvidia/pytorch:24.01-py3\", // typo\n}\n",
            ),
            (
                "b/.devcontainer/devcontainer.json",
                "{\"name\": \"é\", \"image\": \"nvcr.io\\/nvidia\\/PyTorch:24.01-py3\"}",
            ),
            (
                "c/.devcontainer/devcontainer.json",
                "{\n\t\"name\": \"flexdashboard-development\",\n\t\"image\": \"${localEnv:FLEX_IMAGE}\",\n}\n",
            ),
            (
                "d/.devcontainer/devcontainer.json",
                "{\"image\": \"${localEnv:DEVCONTAINER_IMAGE:-devcontainer:local}\"}",
            ),
            ("e/.devcontainer.json", "{\"image\": \"<your-image>\"}"),
            ("f/.devcontainer.json", "{\n  \"image\": null\n}"),
            (
                "g/.devcontainer.json",
                "{\"customizations\": {\"image\": \"Bad:Image\"}, \"features\": {\"ghcr.io/devcontainers/features/python:1\": {\"image\": \"x\"}}}",
            ),
            (
                "h/.devcontainer.json",
                "{\"image\": \"nvcr.io\\/nvidia\\/pytorch:24.01-py3\"}",
            ),
        ],
    );
    expect(
        d,
        &["check", "--no-config"],
        1,
        "a/.devcontainer/devcontainer.json:2:33: error: invalid reference \"nvcr.io/Nvidia/pytorch:24.01-py3\": repository path must be lowercase at byte 8 (\"Nvidia\")\n\
         b/.devcontainer/devcontainer.json:1:25: error: invalid reference \"nvcr.io/nvidia/PyTorch:24.01-py3\": repository path must be lowercase at byte 15 (\"PyTorch\")\n\
         c/.devcontainer/devcontainer.json:3:12: note: skipped: \"${localEnv:FLEX_IMAGE}\" uses variables\n\
         d/.devcontainer/devcontainer.json:1:12: note: skipped: \"${localEnv:DEVCONTAINER_IMAGE:-devcontainer:local}\" uses variables\n\
         e/.devcontainer.json:1:12: note: skipped: \"<your-image>\" is a placeholder (<your-image>) to fill in\n\
         f/.devcontainer.json:2:12: note: skipped: the top-level \"image\" is null, not a string: not checked\n",
        "checked 3 references in 8 files: 2 errors, 4 references skipped\n",
    );
}

/// `--kind devcontainer` reads any file as a definition; without it, a
/// `devcontainer.json` outside `.devcontainer/` named on the command line
/// is refused with the kinds listed (exit 2), and `--kind` names them too.
#[test]
fn kind_flag() {
    let t = TempDir::new("devc-kind");
    let d = t.path();
    write_all(d, &[("devcontainer.json", "{\"image\": \"Bad:Name\"}")]);
    expect(
        d,
        &["check", "--no-config", "devcontainer.json"],
        2,
        "",
        "imagetag check: devcontainer.json: not a Dockerfile, a YAML file, a devcontainer.json, a Jenkinsfile, a Bake file or a name list (*.txt) by its name (--kind dockerfile, yaml, devcontainer, jenkins, bake or list reads it as one)\n\
         checked 0 references in 0 files: 0 errors\n",
    );
    expect(
        d,
        &[
            "check",
            "--no-config",
            "--kind",
            "devcontainer",
            "devcontainer.json",
        ],
        1,
        "devcontainer.json:1:12: error: invalid reference \"Bad:Name\": repository path must be lowercase at byte 0 (\"Bad\")\n",
        "checked 1 reference in 1 file: 1 error\n",
    );
    let out = run_in(d, &["check", "--kind", "jsonc", "devcontainer.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains(
        "expected a kind of file: dockerfile, yaml, devcontainer, jenkins, bake or list, found \"jsonc\""
    ));
}

/// SARIF: a finding in a definition has its file, line, column and end
/// column, as any other.
#[test]
fn sarif_region() {
    let t = TempDir::new("devc-sarif");
    let d = t.path();
    write_all(d, &[("cumsum/.devcontainer.json", TORCH_CUMSUM)]);
    let out = run_in(
        d,
        &[
            "check",
            "--no-config",
            "--require-digest",
            "--format",
            "sarif",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    let r = &results[0];
    assert_eq!(r["ruleId"], "digest-required");
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "cumsum/.devcontainer.json");
    assert_eq!(loc["region"]["startLine"], 2);
    assert_eq!(loc["region"]["startColumn"], 15);
    assert_eq!(
        loc["region"]["endColumn"],
        15 + "nvcr.io/nvidia/pytorch:24.08-py3".len()
    );
}

/// `pin` rewrites the image's tag in place, every other byte kept
/// (comments, trailing commas, tabs, features); a value written with
/// escapes is left alone with a note.
#[test]
fn pin_rewrites_in_place() {
    let t = TempDir::new("devc-pin");
    let d = t.path();
    let before = "// GPU workspace\n{\n\t\"name\": \"torch\",\n\t\"image\": \"quay.io/vessl-ai/torch:2.3.0-cuda12.4\", // moving\n\t\
                  \"features\": {\n\t\t\"ghcr.io/devcontainers/features/nvidia-cuda:1\": {\"installCudnn\": true,},\n\t},\n}\n";
    let escaped = "{\"image\": \"quay.io\\/vessl-ai\\/python:3.10\"}\n";
    write_all(
        d,
        &[
            (".devcontainer/devcontainer.json", before),
            (".devcontainer.json", escaped),
            (
                "tags.txt",
                "2.3.0-cuda12.4\n2.3.0-cuda12.4-r9\n2.3.0-cuda12.4-r10\n3.10\n3.10-r10\n",
            ),
        ],
    );
    let args = [
        "pin",
        "--no-config",
        "--tags",
        "tags.txt",
        ".devcontainer/devcontainer.json",
        ".devcontainer.json",
    ];
    let note = ".devcontainer.json:1:12: note: \"quay.io/vessl-ai/python:3.10\" is written with variables or across lines: not rewritten (pin where it is defined)\n";
    expect(
        d,
        &args,
        0,
        ".devcontainer/devcontainer.json: pinned 1\n",
        &format!("{note}pinned 1 reference in 1 of 2 files, 1 alias left in place\n"),
    );
    assert_eq!(
        fs::read_to_string(d.join(".devcontainer/devcontainer.json")).unwrap(),
        before.replace("2.3.0-cuda12.4\"", "2.3.0-cuda12.4-r10\"")
    );
    assert_eq!(
        fs::read_to_string(d.join(".devcontainer.json")).unwrap(),
        escaped
    );
    // Pinned: the definition now reads as a pinned name.
    expect(
        d,
        &[
            "check",
            "--no-config",
            "--deny-alias",
            ".devcontainer/devcontainer.json",
        ],
        0,
        "",
        "checked 1 reference in 1 file: 0 errors\n",
    );
}

/// A JSON string as a devcontainer.json may write it: each character as
/// itself (escaped by serde_json where JSON requires) or as `\u` escapes
/// (a surrogate pair above U+FFFF).
fn json_string() -> impl Strategy<Value = (String, String)> {
    prop::collection::vec((any::<char>(), any::<bool>()), 0..16).prop_map(|cs| {
        let mut raw = String::new();
        let mut value = String::new();
        for (c, escape) in cs {
            value.push(c);
            if escape {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    raw.push_str(&format!("\\u{u:04x}"));
                }
            } else {
                let quoted = serde_json::to_string(&c.to_string()).unwrap();
                raw.push_str(&quoted[1..quoted.len() - 1]);
            }
        }
        (raw, value)
    })
}

/// Members that may stand around the image: nested `"image"`s, arrays,
/// comments that hold `"image"`, trailing commas.
fn decoy() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\"name\": \"x\"".to_owned()),
        Just(
            "\"features\": {\"ghcr.io/devcontainers/features/git:1\": {\"image\": \"a:1\",},}"
                .to_owned()
        ),
        Just("\"runArgs\": [\"--gpus\", \"all\", [], {},]".to_owned()),
        Just("\"n\": -0.5e+10".to_owned()),
        Just("\"t\": [true, false, null]".to_owned()),
        Just("/* \"image\": \"b:2\" */ \"c\": {}".to_owned()),
        Just("// \"image\": \"c:3\"\n\"d\": \"\\\"image\\\": \\\"d:4\\\"\"".to_owned()),
    ]
}

proptest! {
    /// Whatever the text, the finder does not panic, and an image's span
    /// holds exactly its text.
    #[test]
    fn never_panics(t in "[{}\\[\\]\",:/* \n\\\\a-z0-9$<>é]{0,80}", u in any::<String>()) {
        for text in [&t, &u, &format!("{{\"image\": {t}"), &format!("{{\"image\": \"{t}\"}}")] {
            for f in find_in(FileKind::Devcontainer, Path::new(".devcontainer.json"), text) {
                prop_assert!(f.span.start <= f.span.end && f.span.end <= text.len());
                prop_assert!(f.line >= 1 && f.column >= 1);
                if f.kind == Kind::Image {
                    prop_assert_eq!(&text[f.span.clone()], f.text.as_str());
                }
            }
        }
    }

    /// In a valid JSONC document, the top-level image is found whatever
    /// surrounds it, decoded as serde_json encoded it; only a value
    /// written exactly as it reads is one that `pin` may rewrite.
    #[test]
    fn finds_the_top_level_image(
        (raw, value) in json_string(),
        before in prop::collection::vec(decoy(), 0..4),
        after in prop::collection::vec(decoy(), 0..4),
        trailing in any::<bool>(),
    ) {
        let mut members = before;
        members.push(format!("\"image\": \"{raw}\""));
        members.extend(after);
        let text = format!(
            "// lead\n{{\n  {}{}\n}}\n",
            members.join(",\n  "),
            if trailing { "," } else { "" }
        );
        let found = find_in(FileKind::Devcontainer, Path::new(".devcontainer.json"), &text);
        prop_assert_eq!(found.len(), 1, "{}", text);
        let f = &found[0];
        prop_assert_eq!(&f.text, &value);
        prop_assert_eq!(&text[f.span.clone()], raw.as_str());
        if raw != value {
            prop_assert!(f.kind != Kind::Image, "{:?}", f.kind);
        } else if f.kind != Kind::Image {
            prop_assert!(matches!(f.kind, Kind::Skipped(_)), "{:?}", f.kind);
        }
    }
}
