//! The catalog at 100 000 VESSL tags: (a) parsing them all (dropping each value, and keeping them all),
//! (b) building a
//! catalog from the same strings, (c) resolving every alias in it. Prints
//! the ratio (b)/(a) (the target is 2 or less) and the time of
//! one resolve.
//!
//! A scaling row builds catalogs of 1 000, 10 000 and 100 000 revisions of
//! one VESSL base (and its alias) and prints the time ratio of each step:
//! about 10x a step is linear (each revision once walked all the older
//! ones: 100 000 took 16 s).
//!
//! ```text
//! cargo bench --bench catalog
//! ```

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use imagetag::{Catalog, Image};

/// The number of tags.
const SIZE: usize = 100_000;

#[path = "gen/mod.rs"]
mod gen;

use gen::{interleaved, median, vessl_name, XorShift};

/// 100 000 distinct, realistic VESSL names (a registry lists each tag
/// once): the four documented repositories, CUDA, cuDNN, Python and variant
/// parts where VESSL uses them, revisions up to r60, and about one standard
/// alias for every five names.
fn tags() -> Vec<String> {
    let mut rng = XorShift(0x5EED_0000_7E55_1A1A);
    let mut out = Vec::with_capacity(SIZE);
    let mut seen = std::collections::HashSet::new();
    while out.len() < SIZE {
        let s = vessl_name(&mut rng, 60);
        if seen.insert(s.clone()) {
            out.push(s);
        }
    }
    out
}

/// Parses every tag and keeps the values, as the catalog does.
fn parse_keep(tags: &[String]) -> Vec<Image> {
    tags.iter()
        .map(|s| Image::parse(black_box(s)).expect("valid tags"))
        .collect()
}

/// Parses every tag, dropping each value at once.
fn parse_all(tags: &[String]) -> usize {
    let mut n = 0;
    for s in tags {
        n += usize::from(black_box(Image::parse(black_box(s))).is_ok());
    }
    n
}

/// `n` revisions of one VESSL base, in a scrambled order (`i * 7919 mod n`
/// runs over every revision, 7919 being a prime that divides no size
/// here), and the alias.
fn one_base(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("quay.io/vessl-ai/python:3.11-r{}", 1 + (i * 7919) % n))
        .chain(["quay.io/vessl-ai/python:3.11".to_owned()])
        .collect()
}

/// The sizes of the scaling row.
const ONE_BASE: [usize; 3] = [1_000, 10_000, 100_000];

fn build(tags: &[String]) -> Catalog {
    Catalog::from_names(black_box(tags)).expect("valid tags")
}

fn resolve_all(catalog: &Catalog, aliases: &[Image]) -> usize {
    let mut n = 0;
    for a in aliases {
        n += usize::from(black_box(catalog.resolve(black_box(a))).is_ok());
    }
    n
}

/// The environment variable that makes this bench a child of
/// [`fresh_process`]: `keep` or `build`.
const CHILD: &str = "IMAGETAG_BENCH_CATALOG_CHILD";

/// In a child of [`fresh_process`]: times one parse-and-keep or one build
/// of the tags, prints the nanoseconds, and exits.
fn child(what: &str, tags: &[String]) -> ! {
    let t = Instant::now();
    match what {
        "keep" => drop(black_box(parse_keep(tags))),
        _ => drop(black_box(build(tags))),
    }
    println!("{}", t.elapsed().as_nanos());
    std::process::exit(0)
}

/// The median time of one parse-and-keep and one build, each the first
/// in a process of its own, alternated eleven times: what a one-shot CLI
/// run pays, page faults included, whatever the allocator keeps between
/// iterations of a loop.
fn fresh_process() -> [Duration; 2] {
    let exe = std::env::current_exe().expect("the bench's path");
    let one = |what: &str| -> Duration {
        let out = std::process::Command::new(&exe)
            .env(CHILD, what)
            .arg("--bench")
            .output()
            .expect("the bench runs itself");
        let ns = String::from_utf8_lossy(&out.stdout);
        let ns = ns.trim().parse().expect("the child prints nanoseconds");
        Duration::from_nanos(ns)
    };
    let mut runs: Vec<[Duration; 2]> = (0..11).map(|_| [one("keep"), one("build")]).collect();
    std::array::from_fn(|i| {
        runs.sort_by_key(|r| r[i]);
        runs[5][i]
    })
}

fn catalog(c: &mut Criterion) {
    let tags = tags();
    if let Ok(what) = std::env::var(CHILD) {
        child(&what, &tags);
    }
    let catalog = build(&tags);
    let aliases: Vec<Image> = catalog.iter().filter(|i| i.is_alias()).cloned().collect();
    assert_eq!(parse_all(&tags), SIZE);
    assert_eq!(resolve_all(&catalog, &aliases), aliases.len());

    // Interleaved: one run of each in turn, eleven times (see
    // `gen::interleaved`): the ratio is what both cost under the same load.
    let [parse, keep, built, resolved] = interleaved(
        11,
        [
            &mut || {
                parse_all(&tags);
            },
            &mut || drop(black_box(parse_keep(&tags))),
            &mut || drop(build(&tags)),
            &mut || {
                resolve_all(&catalog, &aliases);
            },
        ],
    );
    eprintln!(
        "catalog: {} tags ({} distinct, {} aliases); parse {:?} (keeping the values {:?}), \
         build {:?}; ratio build/parse {:.2} (build/parse-and-keep {:.2}; medians of 11 interleaved runs); resolve {:.0} ns each",
        tags.len(),
        catalog.len(),
        aliases.len(),
        parse,
        keep,
        built,
        built.as_secs_f64() / parse.as_secs_f64(),
        built.as_secs_f64() / keep.as_secs_f64(),
        resolved.as_secs_f64() * 1e9 / aliases.len() as f64,
    );
    let [keep, built] = fresh_process();
    eprintln!(
        "catalog, each run the first in a fresh process: parse-and-keep {keep:?}, build {built:?}; \
         ratio {:.2} (medians of 11 alternated runs)",
        built.as_secs_f64() / keep.as_secs_f64(),
    );

    let mut g = c.benchmark_group("catalog");
    g.sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    g.throughput(Throughput::Elements(tags.len() as u64));
    g.bench_function("parse", |b| b.iter(|| parse_all(&tags)));
    g.bench_function("parse_keep", |b| b.iter(|| parse_keep(&tags)));
    g.bench_function("build", |b| b.iter(|| build(&tags)));
    g.throughput(Throughput::Elements(aliases.len() as u64));
    g.bench_function("resolve", |b| b.iter(|| resolve_all(&catalog, &aliases)));
    g.finish();
}

/// The scaling row, after the main figures so that its large catalogs do
/// not change the heap those are measured on.
fn one_base_scaling(c: &mut Criterion) {
    let mut line = String::from("catalog of one base:");
    let mut last: Option<Duration> = None;
    for n in ONE_BASE {
        let tags = one_base(n);
        let c = build(&tags);
        assert_eq!(c.len(), n + 1);
        let newest = c
            .resolve_name("quay.io/vessl-ai/python:3.11")
            .expect("resolves");
        assert_eq!(
            newest.to_string(),
            format!("quay.io/vessl-ai/python:3.11-r{n}")
        );
        let t = median(11, || drop(build(&tags)));
        line += &format!(" {n} revisions {t:.2?}");
        if let Some(l) = last {
            line += &format!(" ({:.1}x)", t.as_secs_f64() / l.as_secs_f64());
        }
        line.push(',');
        last = Some(t);
    }
    eprintln!("{}", line.trim_end_matches(','));

    let mut g = c.benchmark_group("catalog_one_base");
    g.sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for n in ONE_BASE {
        let tags = one_base(n);
        g.throughput(Throughput::Elements(tags.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &tags, |b, tags| {
            b.iter(|| build(tags))
        });
    }
    g.finish();
}

criterion_group!(benches, catalog, one_base_scaling);
criterion_main!(benches);
