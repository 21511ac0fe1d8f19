//! Names a build makes (a Compose service's `image:` beside `build:` and
//! `pull_policy: build`, a Bake target's `tags`, Jenkins'
//! `docker.build('x')`) are checked as
//! names, but `--deny-alias` and `--require-digest` do not apply to them,
//! and `imagetag pin` leaves them as written: the tag a build pushes may
//! move by design (`app:latest`), it has no digest before it is pushed,
//! and rewriting it would rename what the build makes. The images the same
//! files pull still answer to both flags and are pinned.
#![cfg(feature = "cli")]

use crate::support;
use crate::util;

use std::fs;

use support::TempDir;
use util::expect_in as expect;

/// A Compose file that builds one service, pulls another, and builds a
/// third only when pulling fails (no pull policy: a name it pulls), a Bake file
/// that tags its output `latest` over a moving base context, and a
/// Jenkinsfile that builds `acme/app:latest` inside `node:latest`.
fn tree(dir: &std::path::Path) {
    let files = [
        (
            "compose.yaml",
            "services:\n  app:\n    build: .\n    pull_policy: build\n    image: acme/app:latest\n  \
             db:\n    image: postgres:latest\n  \
             ui:\n    build: ./ui\n    image: acme/ui:latest\n",
        ),
        (
            "docker-bake.hcl",
            "target \"app\" {\n  tags = [\"acme/app:latest\", \"Acme/App:1\"]\n  contexts = { base = \"docker-image://python:latest\" }\n}\n",
        ),
        (
            "Jenkinsfile",
            "node {\n  docker.image('node:latest').inside {\n    docker.build('acme/app:latest')\n  }\n}\n",
        ),
    ];
    for (name, text) in files {
        fs::write(dir.join(name), text).unwrap();
    }
}

#[test]
fn policies_apply_to_what_a_build_pulls_not_to_what_it_makes() {
    let t = TempDir::new("outputs-policy");
    let d = t.path();
    tree(d);
    // Without a policy, an invalid output name is still an error.
    expect(
        d,
        &["check", "--no-config"],
        1,
        "docker-bake.hcl:2:31: error: invalid reference \"Acme/App:1\": repository path must be lowercase at byte 5 (\"App\")\n",
        "checked 8 references in 3 files: 1 error\n",
    );
    expect(
        d,
        &["check", "--no-config", "--deny-alias", "--require-digest"],
        1,
        "Jenkinsfile:2:17: error: \"node:latest\" is an alias: pin it to a revision\n\
         Jenkinsfile:2:17: error: \"node:latest\" has no digest: pin it with imagetag pin --digest\n\
         compose.yaml:7:12: error: \"postgres:latest\" is an alias: pin it to a revision\n\
         compose.yaml:7:12: error: \"postgres:latest\" has no digest: pin it with imagetag pin --digest\n\
         compose.yaml:10:12: error: \"acme/ui:latest\" is an alias: pin it to a revision\n\
         compose.yaml:10:12: error: \"acme/ui:latest\" has no digest: pin it with imagetag pin --digest\n\
         docker-bake.hcl:2:31: error: invalid reference \"Acme/App:1\": repository path must be lowercase at byte 5 (\"App\")\n\
         docker-bake.hcl:3:39: error: \"python:latest\" is an alias: pin it to a revision\n\
         docker-bake.hcl:3:39: error: \"python:latest\" has no digest: pin it with imagetag pin --digest\n",
        "checked 8 references in 3 files: 9 errors\n",
    );
}

/// `check --list --format json` says which names a build makes
/// (`"output": true`), so that a mirror or pre-pull script can leave them
/// out.
#[test]
fn the_inventory_marks_what_a_build_makes() {
    let t = TempDir::new("outputs-list");
    let d = t.path();
    tree(d);
    let out = util::run_in(d, &["check", "--no-config", "--list", "--format", "json"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let mut got: Vec<(String, bool)> = stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|o| {
            (
                o["input"].as_str().unwrap().to_owned(),
                o["output"].as_bool().unwrap(),
            )
        })
        .collect();
    got.sort();
    let want = [
        ("Acme/App:1", true),
        ("acme/app:latest", true),
        ("acme/app:latest", true),
        ("acme/app:latest", true),
        ("acme/ui:latest", false),
        ("node:latest", false),
        ("postgres:latest", false),
        ("python:latest", false),
    ];
    assert_eq!(got, want.map(|(n, o)| (n.to_owned(), o)));
}

/// `pin` rewrites the alias a service pulls and leaves the one another
/// service builds under that same name.
#[test]
fn pin_leaves_a_built_name_as_written() {
    let t = TempDir::new("outputs-pin");
    let d = t.path();
    let before = "services:\n  trainer:\n    build: ./trainer\n    pull_policy: build\n    image: quay.io/vessl-ai/torch:2.3.0-cuda12.4\n  \
                  eval:\n    image: quay.io/vessl-ai/torch:2.3.0-cuda12.4\n";
    fs::write(d.join("compose.yaml"), before).unwrap();
    fs::write(
        d.join("tags.txt"),
        "2.3.0-cuda12.4\n2.3.0-cuda12.4-r9\n2.3.0-cuda12.4-r10\n",
    )
    .unwrap();
    expect(
        d,
        &["pin", "--no-config", "--tags", "tags.txt", "compose.yaml"],
        0,
        "compose.yaml: pinned 1\n",
        "pinned 1 reference in 1 of 1 file\n",
    );
    let after = fs::read_to_string(d.join("compose.yaml")).unwrap();
    assert_eq!(
        after,
        "services:\n  trainer:\n    build: ./trainer\n    pull_policy: build\n    image: quay.io/vessl-ai/torch:2.3.0-cuda12.4\n  \
         eval:\n    image: quay.io/vessl-ai/torch:2.3.0-cuda12.4-r10\n"
    );
}

/// neggles/tensorpods `docker-bake.hcl`: an `*IMAGE` argument that names
/// the target's own context (`BASE_IMAGE = "base-cuda"`, the context
/// `base-cuda` defined two lines up) is no Docker Hub image, and was a
/// false alarm under `--deny-alias`. An argument with a path or a tag is
/// still read.
#[test]
fn a_bake_argument_naming_a_context_is_no_image() {
    let t = TempDir::new("bake-context-arg");
    let d = t.path();
    fs::write(
        d.join("docker-bake.hcl"),
        "target \"torch\" {\n  contexts = {\n    base-cuda = \"docker-image://nvidia/cuda:12.1.1-devel-ubuntu22.04\"\n  }\n  \
         args = {\n    BASE_IMAGE   = \"base-cuda\"\n    RUNTIME_IMAGE = \"nvidia/cuda:12.1.1-runtime-ubuntu22.04\"\n  }\n  \
         tags = [\"ghcr.io/neggles/tensorpods/torch:2.1.0\"]\n}\n",
    )
    .unwrap();
    expect(
        d,
        &["check", "--no-config", "--deny-alias", "--list"],
        0,
        "docker-bake.hcl:3:33 nvidia/cuda:12.1.1-devel-ubuntu22.04\n\
         docker-bake.hcl:7:22 nvidia/cuda:12.1.1-runtime-ubuntu22.04\n\
         docker-bake.hcl:9:12 ghcr.io/neggles/tensorpods/torch:2.1.0\n",
        "checked 3 references in 1 file: 0 errors\n",
    );
}
