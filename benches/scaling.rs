//! Whether the finders behind `imagetag check` take linear time: each
//! hostile shape of input at 1x, 10x, 100x and 1000x its size (1 000 to
//! 1 000 000 references or heredocs), found and validated as `imagetag check
//! --deny-alias` does, without the reads. Prints the time ratio of each step
//! (linear is about 10x a step; quadratic code showed 76x and more) and,
//! at the largest size, the time per reference and the ratio to a floor
//! (one pass counting the lines of the same text).
//!
//! ```text
//! cargo bench --bench scaling
//! IMAGETAG_SCALING_MAX=100 cargo bench --bench scaling  # stop at 100x
//! IMAGETAG_SCALING_ONLY=yaml cargo bench --bench scaling # one shape
//! ```
//!
//! The shapes:
//! - `from_lines`: a Dockerfile of N `FROM` lines, each naming a stage
//!   (issue 12's first row: 100 000 lines were to take well under a second);
//! - `heredocs`: one `RUN` opening N heredocs, then their N bodies (each
//!   holding a `FROM` that is not an instruction);
//! - `copy_from`: one `COPY` line with N `--from=` images;
//! - `non_ascii`: a YAML file whose one flow sequence holds N images on one
//!   line, after a non-ASCII character (positions in characters, not bytes);
//! - `yaml`: N Kubernetes pod documents;
//! - `helm_template`: a Helm template with N literal and N templated
//!   images that is not YAML even with its actions blanked out (read line
//!   by line);
//! - `helm_values`: N Helm image maps (`registry`, `repository`, `tag`).

#[path = "gen/mod.rs"]
mod gen;

use gen::median;

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use imagetag::check::{find_in, FileKind, Policy};

/// The sizes: 1x, 10x, 100x, and 1000x for the printed figures (issue 12
/// asks for a 1M row; `check` itself refuses files over 16 MiB, so the
/// largest are read here without the file limit). Criterion's group stops
/// at 100x.
const SIZES: [usize; 4] = [1_000, 10_000, 100_000, 1_000_000];

fn from_lines(n: usize) -> String {
    let mut s = String::from("# syntax=docker/dockerfile:1\nARG CUDA=12.4\n");
    for i in 0..n {
        // Half of them filled in from the `ARG`.
        let cuda = if i % 2 == 0 { "12.4" } else { "${CUDA}" };
        s += &format!(
            "FROM quay.io/vessl-ai/torch:2.3.0-cuda{cuda}-r{} AS s{i}\nRUN make -j4 t{i}\n",
            1 + i % 60
        );
    }
    s
}

fn heredocs(n: usize) -> String {
    let mut s = String::from("FROM ubuntu:22.04\nRUN");
    for i in 0..n {
        s += &format!(" <<E{i}");
    }
    s.push('\n');
    for i in 0..n {
        s += &format!("echo {i}\nFROM not-an-image-{i}\nE{i}\n");
    }
    s += "FROM nginx:1.27\n";
    s
}

fn copy_from(n: usize) -> String {
    let mut s = String::from("FROM ubuntu:22.04 AS base\nCOPY");
    for i in 0..n {
        s += &format!(" --from=nginx:1.{i}");
    }
    s += " /a /b\n";
    s
}

fn non_ascii(n: usize) -> String {
    let mut s = String::from("name: café\nimages: [");
    for i in 0..n {
        s += &format!("{{image: \"ubuntu:22.{i}\", note: é}}, ");
    }
    s += "]\n";
    s
}

fn yaml(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        s += &format!(
            "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p{i}\nspec:\n  containers:\n    - name: main\n      image: quay.io/vessl-ai/torch:2.3.0-cuda12.4-r{}\n",
            1 + i % 60
        );
    }
    s
}

fn helm_template(n: usize) -> String {
    let mut s = String::from(
        "metadata:\n  labels:\n{{ include \"x\" . | indent 4 }}\nspec:\n  k: {{ .Values.k }}\n   odd: 1\n  containers:\n",
    );
    for i in 0..n {
        s += &format!(
            "  {{{{- if .Values.c{i} }}}}\n  - name: t{i}\n    image: \"{{{{ .Values.image.repository }}}}:{{{{ .Values.tag }}}}\"\n  - name: l{i}\n    image: quay.io/vessl-ai/torch:2.3.0-cuda12.4-r{}\n  {{{{- end }}}}\n",
            1 + i % 60
        );
    }
    s
}

fn helm_values(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        s += &format!(
            "w{i}:\n  image:\n    registry: quay.io\n    repository: vessl-ai/torch\n    tag: 2.3.0-cuda12.4-r{}\n",
            1 + i % 60
        );
    }
    s
}

type Shape = (&'static str, FileKind, &'static str, fn(usize) -> String);

const SHAPES: [Shape; 7] = [
    ("from_lines", FileKind::Dockerfile, "Dockerfile", from_lines),
    ("heredocs", FileKind::Dockerfile, "Dockerfile", heredocs),
    ("copy_from", FileKind::Dockerfile, "Dockerfile", copy_from),
    ("non_ascii", FileKind::Yaml, "x.yaml", non_ascii),
    ("yaml", FileKind::Yaml, "x.yaml", yaml),
    ("helm_template", FileKind::Yaml, "x.yaml", helm_template),
    ("helm_values", FileKind::Yaml, "x.yaml", helm_values),
];

/// Finds and validates the references of `text`: (references, findings).
fn check(kind: FileKind, path: &Path, text: &str, policy: &Policy) -> (usize, usize) {
    let found = find_in(kind, path, black_box(text));
    let findings = found.iter().map(|f| policy.check(f).len()).sum();
    (found.len(), findings)
}

/// The floor: one pass over the text, counting its lines.
fn floor(text: &str) -> usize {
    black_box(text).bytes().filter(|&b| b == b'\n').count()
}

fn scaling(c: &mut Criterion) {
    let max: usize = std::env::var("IMAGETAG_SCALING_MAX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let sizes: Vec<usize> = SIZES
        .iter()
        .copied()
        .filter(|&n| n <= SIZES[0] * max)
        .collect();
    let policy = Policy {
        deny_alias: true,
        ..Policy::default()
    };
    // The references each shape holds.
    let expected = |shape: &str, n: usize| match shape {
        "heredocs" => 2,
        // and the `# syntax=` image
        "from_lines" => n + 1,
        "helm_template" => 2 * n + 1, // and the note: read line by line
        "copy_from" => n + 1,
        _ => n,
    };

    // `IMAGETAG_SCALING_ONLY=NAME` runs one shape.
    let only = std::env::var("IMAGETAG_SCALING_ONLY").ok();
    let shapes: Vec<Shape> = SHAPES
        .iter()
        .copied()
        .filter(|s| only.as_deref().is_none_or(|o| o == s.0))
        .collect();

    // The quick figures: the ratio of each step.
    for &(shape, kind, file, make) in &shapes {
        let path = Path::new(file);
        let mut line = format!("scaling {shape}:");
        let mut last: Option<Duration> = None;
        for &n in &sizes {
            let text = make(n);
            let (refs, _) = check(kind, path, &text, &policy);
            assert_eq!(refs, expected(shape, n), "{shape} at {n}");
            let runs = match n {
                1_000_000.. => 3,
                100_000.. => 5,
                _ => 11,
            };
            let t = median(runs, || {
                black_box(check(kind, path, &text, &policy));
            });
            line += &format!(" {n} {:.2?} ({} KiB)", t, text.len() / 1024);
            if let Some(l) = last {
                line += &format!(" {:.1}x,", t.as_secs_f64() / l.as_secs_f64());
            } else {
                line.push(',');
            }
            last = Some(t);
            if n == *sizes.last().expect("one size") {
                let f = median(runs, || {
                    black_box(floor(&text));
                });
                line += &format!(
                    " {:.0} ns a reference, {:.0}x the line-count floor",
                    t.as_secs_f64() * 1e9 / n as f64,
                    t.as_secs_f64() / f.as_secs_f64()
                );
            }
        }
        eprintln!("{line}");
    }

    let mut g = c.benchmark_group("scaling");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for &(shape, kind, file, make) in &shapes {
        let path = Path::new(file);
        for &n in sizes.iter().filter(|&&n| n <= 100_000) {
            let text = make(n);
            g.throughput(Throughput::Bytes(text.len() as u64));
            g.bench_with_input(BenchmarkId::new(shape, n), &text, |b, text| {
                b.iter(|| check(kind, path, text, &policy))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, scaling);
criterion_main!(benches);
