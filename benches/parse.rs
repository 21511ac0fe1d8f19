//! Parse throughput over a mixed corpus of 10 000 realistic references
//! (`tests/util/corpus_gen.rs`, shared with the allocation test), for
//! `imagetag` in strict and normalized reading and for `oci-spec`'s
//! regex-based `Reference::try_from`, in the same run.
//!
//! ```text
//! cargo bench --bench parse
//! ```

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use imagetag::Reference;

#[path = "../tests/util/corpus_gen.rs"]
mod corpus_gen;

/// Builds the corpus and checks it: every line parses with `imagetag` in both
/// readings. Prints how many lines `oci-spec` rejects.
fn checked_corpus() -> Vec<String> {
    let corpus = corpus_gen::corpus();
    assert_eq!(corpus.len(), corpus_gen::SIZE);
    for s in &corpus {
        if let Err(e) = Reference::parse(s) {
            panic!("strict rejects corpus line {s:?}: {e}");
        }
        if let Err(e) = Reference::parse_normalized(s) {
            panic!("normalized rejects corpus line {s:?}: {e}");
        }
    }
    let rejected: Vec<&str> = corpus
        .iter()
        .map(String::as_str)
        .filter(|s| oci_spec::distribution::Reference::try_from(*s).is_err())
        .collect();
    eprintln!(
        "corpus: {} references, all accepted by imagetag; oci-spec rejects {} ({} IPv6), e.g. {:?}",
        corpus.len(),
        rejected.len(),
        rejected.iter().filter(|s| s.starts_with('[')).count(),
        rejected.first(),
    );
    corpus
}

fn parse(c: &mut Criterion) {
    let corpus = checked_corpus();
    let n = corpus.len() as u64;

    let mut g = c.benchmark_group("imagetag");
    g.throughput(Throughput::Elements(n))
        .sampling_mode(SamplingMode::Flat)
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    g.bench_function("strict", |b| {
        b.iter(|| {
            for s in &corpus {
                let _ = black_box(Reference::parse(black_box(s)));
            }
        })
    });
    g.bench_function("normalized", |b| {
        b.iter(|| {
            for s in &corpus {
                let _ = black_box(Reference::parse_normalized(black_box(s)));
            }
        })
    });
    g.finish();

    let mut g = c.benchmark_group("oci-spec");
    g.throughput(Throughput::Elements(n))
        .sampling_mode(SamplingMode::Flat)
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    g.bench_function("try_from", |b| {
        b.iter(|| {
            for s in &corpus {
                let _ = black_box(oci_spec::distribution::Reference::try_from(black_box(
                    s.as_str(),
                )));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
