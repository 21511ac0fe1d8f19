//! Sorting and resolving as the catalog grows: 1 000, 10 000, 100 000 and
//! 1 000 000 tags (VESSL names of four repositories with their aliases, NGC
//! releases and generic versioned tags, as `tags` makes them). For each
//! size it prints the time a tag of `Catalog::sorted` and the time of one
//! `Catalog::resolve` (of the same 1 000 aliases at every size), and the
//! ratio of each to the size before: a sort that is N log N grows its time
//! a tag by about log(10N)/log(N) a step (1.3x, 1.25x, 1.2x) plus what
//! caches cost, and a resolve is flat.
//!
//! ```text
//! cargo bench --bench sort_scaling
//! IMAGETAG_SCALING_MAX=100000 cargo bench --bench sort_scaling  # stop at 100k
//! ```

use std::collections::HashSet;
use std::hint::black_box;
use std::time::Duration;

use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use imagetag::{Catalog, Image};

#[path = "gen/mod.rs"]
mod gen;

use gen::{median, vessl_name, XorShift};

/// One name: eight in ten VESSL (one in five of them a standard alias),
/// one NGC, one generic.
fn name(rng: &mut XorShift) -> String {
    match rng.below(10) {
        0 => format!(
            "nvcr.io/nvidia/{}:{}.{:02}-py3",
            rng.pick(&["pytorch", "tensorflow", "tritonserver"]),
            17 + rng.below(9),
            1 + rng.below(12)
        ),
        1 => format!(
            "docker.io/library/{}:{}.{}.{}{}",
            rng.pick(&["nginx", "redis", "postgres", "node"]),
            rng.below(30),
            rng.below(40),
            rng.below(40),
            rng.pick(&["", "-alpine", "-slim", "-bookworm"])
        ),
        _ => vessl_name(rng, 300),
    }
}

/// `n` distinct names.
fn tags(n: usize) -> Vec<String> {
    let mut rng = XorShift(0x5EED_0000_7E55_1A1A);
    let mut seen = HashSet::with_capacity(n);
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let s = name(&mut rng);
        if seen.insert(s.clone()) {
            out.push(s);
        }
    }
    out
}

/// The same 1 000 aliases at every size (the first ones `tags` makes).
fn aliases(all: &[String]) -> Vec<Image> {
    all.iter()
        .filter_map(|s| Image::parse(s).ok())
        .filter(Image::is_alias)
        .take(1_000)
        .collect()
}

fn sizes() -> Vec<usize> {
    let max = std::env::var("IMAGETAG_SCALING_MAX")
        .ok()
        .and_then(|m| m.parse().ok())
        .unwrap_or(1_000_000);
    [1_000, 10_000, 100_000, 1_000_000]
        .into_iter()
        .filter(|&n| n <= max)
        .collect()
}

fn scaling(c: &mut Criterion) {
    let mut rows = Vec::new();
    let mut catalogs = Vec::new();
    for n in sizes() {
        let all = tags(n);
        let catalog = Catalog::from_names(&all).expect("valid tags");
        let aliases = aliases(&tags(n.max(10_000)));
        let runs = if n >= 1_000_000 { 3 } else { 7 };
        // Each sample sorts at least 100 000 tags (a 1 000-tag sort takes
        // a third of a millisecond, which the machine's noise moves by
        // half), and the figure is a sort's share.
        let reps = (100_000 / n).max(1);
        let sort = median(runs, || {
            for _ in 0..reps {
                black_box(catalog.sorted());
            }
        }) / reps as u32;
        let resolve = median(runs, || {
            for a in &aliases {
                let _ = black_box(catalog.resolve(black_box(a)));
            }
        });
        let sort_per = sort.as_secs_f64() * 1e9 / n as f64;
        let resolve_per = resolve.as_secs_f64() * 1e9 / aliases.len() as f64;
        rows.push((n, sort_per, resolve_per));
        catalogs.push((n, catalog, aliases));
    }
    eprintln!("size      sort/tag   (step)   resolve   (step)");
    let mut last: Option<(f64, f64)> = None;
    for &(n, s, r) in &rows {
        let step = |x: f64, y: Option<f64>| y.map_or(String::new(), |y| format!("{:.2}x", x / y));
        eprintln!(
            "{n:>9} {s:>8.0} ns {:>7} {r:>7.0} ns {:>7}",
            step(s, last.map(|l| l.0)),
            step(r, last.map(|l| l.1))
        );
        last = Some((s, r));
    }
    if let (Some(first), Some(end)) = (rows.first(), rows.last()) {
        eprintln!(
            "{} -> {}: sort a tag {:.2}x, resolve {:.2}x",
            first.0,
            end.0,
            end.1 / first.1,
            end.2 / first.2
        );
    }

    let mut g = c.benchmark_group("sort_scaling");
    g.sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for (n, catalog, aliases) in &catalogs {
        g.throughput(Throughput::Elements(*n as u64));
        g.bench_with_input(BenchmarkId::new("sorted", n), catalog, |b, c| {
            b.iter(|| black_box(c.sorted()).len())
        });
        g.throughput(Throughput::Elements(aliases.len() as u64));
        g.bench_with_input(BenchmarkId::new("resolve", n), catalog, |b, c| {
            b.iter(|| {
                aliases
                    .iter()
                    .filter(|a| black_box(c.resolve(black_box(a))).is_ok())
                    .count()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, scaling);
criterion_main!(benches);
