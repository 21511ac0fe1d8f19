//! `imagetag check`'s library part over a generated tree: walk, read, find
//! and validate 100 000 references in 10 000 files (half Dockerfiles, half
//! YAML manifests, in 100 directories). Criterion reports files per second.
//!
//! The tree is generated into a temporary directory during setup and
//! removed at the end; `IMAGETAG_BENCH_KEEP=1` keeps it (and prints where)
//! so that the binary can be timed on the same tree:
//! `time imagetag check DIR`.

use std::fs;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use imagetag::check::{find_in, walk, Policy, Walked};

const FILES: usize = 10_000;
const PER_FILE: usize = 10;

/// A name for reference `i`: a mix of schemes, aliases and pinned tags, and
/// one invalid name in a hundred.
fn name(i: usize) -> String {
    match i % 10 {
        0 => format!("quay.io/vessl-ai/torch:2.{}.0-cuda12.4-r{}", i % 5, i % 13),
        1 => format!("quay.io/vessl-ai/python:3.{}", 8 + i % 5),
        2 => format!("nvcr.io/nvidia/pytorch:2{}.0{}-py3", 3 + i % 3, 1 + i % 9),
        3 => "tensorflow-20.11-tf2-py3:latest".to_owned(),
        4 => format!("ghcr.io/example/service-{}:v1.{}.{}", i % 50, i % 7, i % 3),
        5 => format!("nginx:1.27.{}-alpine", i % 4),
        6 if i % 100 == 6 => "Not/A:Valid Name".to_owned(),
        6 => format!("registry.example.com:5000/team/app{}:build-{i}", i % 20),
        7 => format!(
            "ubuntu:22.04@sha256:{:064x}",
            (i as u128) * 0x9e37_79b9_7f4a_7c15
        ),
        8 => "redis".to_owned(),
        _ => format!("quay.io/vessl-ai/cuda:12.{}-r{}", i % 5, i % 7),
    }
}

/// Writes the tree under a fresh temporary directory.
fn generate() -> PathBuf {
    let root = std::env::temp_dir().join(format!("imagetag-bench-check-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    let mut n = 0;
    for f in 0..FILES {
        let dir = root.join(format!("svc{:03}", f % 100));
        fs::create_dir_all(&dir).unwrap();
        let mut text = String::new();
        if f % 2 == 0 {
            text.push_str("# syntax=docker/dockerfile:1\nARG BASE=ubuntu:22.04\n");
            for k in 0..PER_FILE {
                text.push_str(&format!(
                    "FROM {} AS stage{k}\nRUN make -j4 target{k} \\\n    && make install\n",
                    name(n)
                ));
                n += 1;
            }
            fs::write(dir.join(format!("app{f}.Dockerfile")), text).unwrap();
        } else {
            for k in 0..PER_FILE {
                text.push_str(&format!(
                    "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: pod{k}\nspec:\n  containers:\n    - name: main\n      image: {}\n      ports: [{{containerPort: 80}}]\n",
                    name(n)
                ));
                n += 1;
            }
            fs::write(dir.join(format!("pod{f}.yaml")), text).unwrap();
        }
    }
    assert_eq!(n, FILES * PER_FILE);
    root
}

/// What `imagetag check --deny-alias` does, without printing: the number
/// of files and findings.
fn check(root: &Path, policy: &Policy) -> (usize, usize) {
    let (mut files, mut findings) = (0, 0);
    for w in walk(root) {
        let Walked::File(path, kind) = w else {
            continue;
        };
        let text = fs::read_to_string(&path).unwrap();
        files += 1;
        for found in find_in(kind, &path, &text) {
            findings += policy.check(&found).len();
        }
    }
    (files, findings)
}

fn bench(c: &mut Criterion) {
    let root = generate();
    let policy = Policy {
        deny_alias: true,
        ..Policy::default()
    };
    let (files, findings) = check(&root, &policy);
    assert_eq!(files, FILES);
    eprintln!(
        "tree: {} ({files} files, {findings} findings)",
        root.display()
    );

    let mut g = c.benchmark_group("check");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(15))
        .throughput(Throughput::Elements(FILES as u64));
    g.bench_function("walk+find+validate 10k files, 100k refs", |b| {
        b.iter(|| black_box(check(black_box(&root), &policy)))
    });
    g.finish();

    if std::env::var_os("IMAGETAG_BENCH_KEEP").is_some() {
        eprintln!("kept {}", root.display());
    } else {
        let _ = fs::remove_dir_all(&root);
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
