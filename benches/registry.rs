//! The registry client against a real `docker-registry` on loopback:
//! listing and cataloguing 10 000 tags, and resolving 1 000 aliases with
//! their digests (one GET each, the manifest hashed and checked against
//! `Docker-Content-Digest`; and one HEAD each, trusting the header). Needs docker-registry installed (see
//! README, "Registries"); the tags are pushed once, in setup, over one
//! keep-alive connection, all pointing at one manifest.
//!
//! In the same run, the peer: `curl -K` with the same 1 000 HEADs (one
//! process, one kept-alive connection, one request at a time), and one
//! `curl -I` process a request, over 100 of them (skipped, with a note,
//! when curl is not installed). The ratios of the README's registry
//! figures are these rows over each other.
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
    let (reg, host) = match std::env::var("IMAGETAG_BENCH_REGISTRY") {
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
    options.mirror = Some(host.clone());
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

    // The peer, on the same registry and the same requests: HEAD with the
    // same Accept header, each answer read to its end.
    let accept = "application/vnd.oci.image.index.v1+json, \
                  application/vnd.oci.image.manifest.v1+json, \
                  application/vnd.docker.distribution.manifest.list.v2+json, \
                  application/vnd.docker.distribution.manifest.v2+json";
    let urls: Vec<String> = pinned
        .iter()
        .map(|n| {
            let tag = n.rsplit_once(':').unwrap().1;
            format!("http://{host}/v2/vessl-ai/torch/manifests/{tag}")
        })
        .collect();
    let has_curl = std::process::Command::new("curl")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if has_curl {
        let dir = std::env::temp_dir().join(format!("imagetag-bench-curl-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("heads.curlrc");
        let mut text = format!("silent\nshow-error\nfail\nhead\nheader = \"Accept: {accept}\"\n");
        for u in &urls {
            text += &format!("url = \"{u}\"\noutput = \"/dev/null\"\n");
        }
        std::fs::write(&config, text).unwrap();
        g.bench_function("curl_K_1000_heads_one_connection", |b| {
            b.iter(|| {
                let ok = std::process::Command::new("curl")
                    .arg("-K")
                    .arg(&config)
                    .status()
                    .unwrap()
                    .success();
                assert!(ok, "curl -K failed");
            })
        });
        g.bench_function("curl_I_100_heads_one_process_each", |b| {
            b.iter(|| {
                for u in &urls[..100] {
                    let ok = std::process::Command::new("curl")
                        .args(["-sSfI", "-o", "/dev/null", "-H"])
                        .arg(format!("Accept: {accept}"))
                        .arg(u)
                        .status()
                        .unwrap()
                        .success();
                    assert!(ok, "curl -I {u} failed");
                }
            })
        });
        let _ = std::fs::remove_dir_all(&dir);
    } else {
        eprintln!("curl not installed: the peer rows are skipped");
    }
    // The same HEADs without the resolve: the client's per-request cost.
    g.bench_function("head_1000_pinned_names_one_connection", |b| {
        b.iter(|| {
            let mut n = 0;
            for p in &pinned {
                n += trusting.digest(p).unwrap().len();
            }
            n
        })
    });
    g.finish();
    drop(reg);
}

criterion_group!(benches, bench);
criterion_main!(benches);
