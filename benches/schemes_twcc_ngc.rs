//! Parse throughput of the TWCC and NGC schemes over the shared corpus
//! names, against `Reference::parse_normalized` on the same names in the
//! same run (the scheme parse includes the reference parse); and, for every
//! scheme (VESSL and generic too), `Image::parse` with detection against the
//! same floor (issue 12: at most 3x).
//!
//! ```text
//! cargo bench --bench schemes_twcc_ngc
//! ```

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use imagetag::scheme::ngc::NgcTag;
use imagetag::scheme::twcc::TwccName;
use imagetag::{Image, Reference};

/// The valid names of a corpus file (`strict_valid=false` rows left out).
fn names(file: &str) -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/corpus").join(file);
    let path = if shared.exists() {
        shared
    } else {
        root.join("tests/data/corpus").join(file)
    };
    let text = std::fs::read_to_string(&path).expect("corpus file");
    text.lines()
        .skip(1)
        .filter(|l| !l.starts_with('#') && !l.contains("strict_valid=false"))
        .filter_map(|l| l.split('\t').next())
        .map(str::to_owned)
        .collect()
}

#[path = "gen/mod.rs"]
mod gen;

/// `Image::parse` against the reference parse of the same names, timed in
/// turn (`gen::interleaved`: medians of 21 rounds, each round parsing the
/// corpus 200 times with each): the load of a shared machine moves both
/// alike, where criterion's separate figures, timed a few seconds apart,
/// swing the ratio by half.
fn interleaved_ratio(label: &str, corpus: &[String]) {
    let reps = 200;
    let [reference, image] = gen::interleaved(
        21,
        [
            &mut || {
                for _ in 0..reps {
                    for s in corpus {
                        let _ = black_box(Reference::parse_normalized(black_box(s)));
                    }
                }
            },
            &mut || {
                for _ in 0..reps {
                    for s in corpus {
                        let _ = black_box(Image::parse(black_box(s)));
                    }
                }
            },
        ],
    );
    let per = |d: Duration| d.as_secs_f64() * 1e9 / (reps * corpus.len()) as f64;
    eprintln!(
        "{label}: Image::parse {:.0} ns, reference {:.0} ns a name; ratio {:.2} (interleaved)",
        per(image),
        per(reference),
        image.as_secs_f64() / reference.as_secs_f64()
    );
}

fn bench(c: &mut Criterion) {
    let twcc = names("twcc.tsv");
    let ngc = names("ngc.tsv");
    for s in &twcc {
        s.parse::<TwccName>().unwrap_or_else(|e| panic!("{e}"));
    }
    for s in &ngc {
        s.parse::<NgcTag>().unwrap_or_else(|e| panic!("{e}"));
    }
    let vessl = names("vessl.tsv");
    let generic: Vec<String> = names("mined_generic.tsv")
        .into_iter()
        .filter(|s| Image::parse(s).is_ok())
        .collect();
    for (label, corpus) in [
        ("twcc", &twcc),
        ("ngc", &ngc),
        ("vessl", &vessl),
        ("generic", &generic),
    ] {
        interleaved_ratio(label, corpus);
        let mut g = c.benchmark_group(label);
        g.throughput(Throughput::Elements(corpus.len() as u64))
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(2));
        g.bench_function("reference", |b| {
            b.iter(|| {
                for s in corpus.iter() {
                    let _ = black_box(Reference::parse_normalized(black_box(s)));
                }
            })
        });
        if label == "twcc" || label == "ngc" {
            g.bench_function("scheme", |b| {
                b.iter(|| {
                    for s in corpus.iter() {
                        if label == "twcc" {
                            let _ = black_box(black_box(s.as_str()).parse::<TwccName>());
                        } else {
                            let _ = black_box(black_box(s.as_str()).parse::<NgcTag>());
                        }
                    }
                })
            });
        }
        g.bench_function("image", |b| {
            b.iter(|| {
                for s in corpus.iter() {
                    let _ = black_box(Image::parse(black_box(s)));
                }
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
