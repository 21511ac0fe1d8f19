//! The registry client against a real `docker-registry` on loopback:
//! listing and cataloguing 10 000 tags, and resolving 1 000 aliases with
//! their digests (one GET each, the manifest hashed and checked against
//! `Docker-Content-Digest`; and one HEAD each, trusting the header). Needs docker-registry installed (see
//! README, "Registries"); the tags are pushed once, in setup, over one
//! keep-alive connection, all pointing at one manifest.
//!
//! cargo bench --bench registry

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use imagetag::registry::{Client, Credentials, Options};

#[path = "../tests/support/mod.rs"]
mod support;

const CUDAS: [&str; 5] = ["11.8", "12.1", "12.4", "12.6", "12.8"];

/// 100 versions × 5 CUDA versions × (19 revisions + the alias) = 10 000 tags.
fn tags() -> Vec<String> {
    let mut out = Vec::with_capacity(10_000);
    for minor in 0..10 {
        for patch in 0..10 {
            for cuda in CUDAS {
                for r in 1..=19 {
                    out.push(format!("2.{minor}.{patch}-cuda{cuda}-r{r}"));
                }
                out.push(format!("2.{minor}.{patch}-cuda{cuda}"));
            }
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let tags = tags();
    // IMAGETAG_BENCH_REGISTRY=HOST:PORT reuses a registry that has these
    // tags already (to time curl against the same one).
    let (_reg, host) = match std::env::var("IMAGETAG_BENCH_REGISTRY") {
        Ok(host) => (None, host),
        Err(_) => {
            let reg = support::Registry::start(support::Auth::None);
            let refs: Vec<&str> = tags.iter().map(String::as_str).collect();
            let started = std::time::Instant::now();
            support::push(&reg.base(), "vessl-ai/torch", &refs, None);
            eprintln!(
                "pushed {} tags in {:.1} s to {}",
                tags.len(),
                started.elapsed().as_secs_f64(),
                reg.base()
            );
            let host = reg.host();
            (Some(reg), host)
        }
    };

    let mut options = Options::default();
    options.credentials = Credentials::None;
    options.mirror = Some(host);
    let client = Client::new(options.clone());
    options.verify_digests = false;
    let trusting = Client::new(options);

    let mut g = c.benchmark_group("registry");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("list_and_catalog_10k_tags", |b| {
        b.iter(|| {
            let catalog = client.catalog("quay.io/vessl-ai/torch").unwrap();
            assert_eq!(catalog.len(), 10_000);
            catalog
        })
    });

    let catalog = client.catalog("quay.io/vessl-ai/torch").unwrap();
    let aliases: Vec<String> = tags
        .iter()
        .filter(|t| !t.contains("-r"))
        .cycle()
        .take(1000)
        .map(|t| format!("quay.io/vessl-ai/torch:{t}"))
        .collect();
    for (name, client) in [
        ("resolve_1000_aliases_with_digests", &client),
        ("resolve_1000_aliases_with_head_digests", &trusting),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut n = 0;
                for a in &aliases {
                    let pinned = catalog.resolve_name(a).unwrap();
                    let d = client.digest(&pinned.to_string()).unwrap();
                    n += d.len();
                }
                n
            })
        });
    }
    // The same digests through `Client::digests`: a pool of parallel
    // requests (4 by default), each worker on its own kept-alive connection.
    let pinned: Vec<String> = aliases
        .iter()
        .map(|a| catalog.resolve_name(a).unwrap().to_string())
        .collect();
    for (name, client) in [
        ("digests_of_1000_pinned_names_in_parallel", &client),
        ("digests_of_1000_pinned_names_in_parallel_head", &trusting),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let answers = client.digests(&pinned);
                assert!(answers.iter().all(Result::is_ok));
                answers.len()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
