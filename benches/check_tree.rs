//! `imagetag check` over a large generated tree, side by side with its
//! floor and its peer in the same run:
//!
//! - **floor**: the same walk, then read every file `check` reads and look
//!   for `FROM` and `image:` with `memchr::memmem`, on one thread: the least
//!   any finder must do;
//! - **rg**: `rg -n '^\s*FROM|image:' TREE` (ripgrep reads every file of the
//!   tree, on every core); skipped with a note when `rg` is not installed
//!   (`apt-get install ripgrep`);
//! - **imagetag check**: the command line, as a user runs it.
//!
//! The tree has 20 000 files and about 200 MB, in 200 directories: 5 %
//! Dockerfiles, 10 % Kubernetes manifests with images, 15 % YAML files
//! without one (settings, Helm values of other kinds), 70 % source and
//! documentation files that `check` does not read. Criterion reports wall
//! time; CPU time (user + system of the child processes) is printed
//! after it as ratios to `rg`.
//!
//! ```text
//! cargo bench --bench check_tree
//! IMAGETAG_BENCH_KEEP=1 cargo bench --bench check_tree   # keep the tree, to time by hand
//! IMAGETAG_TREE_FILES=2000 cargo bench --bench check_tree # a smaller tree
//! ```

use std::fmt::Write as _;
use std::fs;
use std::hint::black_box;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use imagetag::check::{walk, Walked};

/// About 10 KB a file.
const LINES: usize = 180;

fn files() -> usize {
    std::env::var("IMAGETAG_TREE_FILES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_000)
}

fn name(i: usize) -> String {
    match i % 6 {
        0 => format!("quay.io/vessl-ai/torch:2.{}.0-cuda12.4-r{}", i % 5, i % 13),
        1 => format!("nvcr.io/nvidia/pytorch:2{}.0{}-py3", 3 + i % 3, 1 + i % 9),
        2 => format!("ghcr.io/example/service-{}:v1.{}.{}", i % 50, i % 7, i % 3),
        3 => format!("nginx:1.27.{}-alpine", i % 4),
        4 => "python:3.12-slim".to_owned(),
        _ => format!("quay.io/vessl-ai/cuda:12.{}-r{}", i % 5, i % 7),
    }
}

/// One file of the tree: its name and text.
fn file(f: usize) -> (String, String) {
    let mut t = String::with_capacity(LINES * 60);
    match f % 20 {
        0 => {
            for k in 0..LINES / 6 {
                let _ = write!(
                    t,
                    "FROM {} AS stage{k}\nWORKDIR /src/{k}\nCOPY . .\n\
                     RUN apt-get update && apt-get install -y build-essential \\\n    \
                     && make -j4 target{k} && make install\nENV PATH=/opt/bin:$PATH\n",
                    name(f + k)
                );
            }
            (format!("Dockerfile.{f}"), t)
        }
        1 | 2 => {
            for k in 0..LINES / 15 {
                let _ = write!(
                    t,
                    "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app{k}\n  \
                     labels:\n    app: app{k}\nspec:\n  replicas: 2\n  template:\n    spec:\n      \
                     containers:\n        - name: main\n          image: {}\n          \
                     ports: [{{containerPort: 8080}}]\n",
                    name(f + k)
                );
            }
            (format!("deploy{f}.yaml"), t)
        }
        3..=5 => {
            for k in 0..LINES / 4 {
                let _ = write!(
                    t,
                    "setting{k}:\n  enabled: true\n  threshold: {}\n  labels: [a, b, c]\n",
                    k * 7
                );
            }
            (format!("settings{f}.yml"), t)
        }
        6..=12 => {
            for k in 0..LINES {
                let _ = writeln!(
                    t,
                    "def handler_{k}(request, retries={k}):  # returns the response for route {k}"
                );
            }
            (format!("module{f}.py"), t)
        }
        _ => {
            for k in 0..LINES {
                let _ = writeln!(
                    t,
                    "Section {k}: the service reads its settings and writes a report line here."
                );
            }
            (format!("notes{f}.md"), t)
        }
    }
}

/// Writes the tree under a fresh temporary directory.
fn generate(n: usize) -> (PathBuf, u64) {
    let root = std::env::temp_dir().join(format!("imagetag-bench-tree-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    let mut bytes = 0;
    for f in 0..n {
        let dir = root.join(format!("dir{:03}", f % 200));
        fs::create_dir_all(&dir).unwrap();
        let (name, text) = file(f);
        bytes += text.len() as u64;
        fs::write(dir.join(name), text).unwrap();
    }
    (root, bytes)
}

/// The floor: the walk, then read each file `check` reads and count the
/// lines that may hold a reference, on one thread.
fn floor(root: &Path) -> usize {
    let (from, image) = (
        memchr::memmem::Finder::new("FROM"),
        memchr::memmem::Finder::new("image:"),
    );
    let mut hits = 0;
    for w in walk(root) {
        if let Walked::File(path, _) = w {
            let bytes = fs::read(&path).unwrap();
            hits += from.find_iter(&bytes).count() + image.find_iter(&bytes).count();
        }
    }
    hits
}

/// Runs `cmd` with its output read to the end (not to `/dev/null`, which
/// `rg` notices and stops at the first match): the bytes written.
fn run(cmd: &mut Command) -> usize {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut out = Vec::new();
    child.stdout.take().unwrap().read_to_end(&mut out).unwrap();
    child.wait().unwrap();
    out.len()
}

fn imagetag(root: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_imagetag"));
    c.args(["check", "--no-config"]).arg(root);
    c
}

fn rg(root: &Path) -> Command {
    let mut c = Command::new("rg");
    c.args(["-n", r"^\s*FROM|image:"]).arg(root);
    c
}

fn have_rg() -> bool {
    Command::new("rg")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The CPU time (user + system) that the children have used so far.
fn children_cpu() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) };
    let t = |v: libc::timeval| Duration::new(v.tv_sec as u64, v.tv_usec as u32 * 1000);
    t(u.ru_utime) + t(u.ru_stime)
}

/// Median wall time and mean CPU time of `runs` runs of `cmd`.
fn measure(runs: usize, mut cmd: impl FnMut() -> Command) -> (Duration, Duration) {
    let mut walls = Vec::new();
    let cpu0 = children_cpu();
    for _ in 0..runs {
        let t = Instant::now();
        black_box(run(&mut cmd()));
        walls.push(t.elapsed());
    }
    let cpu = (children_cpu() - cpu0) / runs as u32;
    walls.sort();
    (walls[runs / 2], cpu)
}

fn bench(c: &mut Criterion) {
    let n = files();
    let (root, bytes) = generate(n);
    let rg_here = have_rg();
    eprintln!(
        "tree: {} ({n} files, {} MB); imagetag check writes {} bytes",
        root.display(),
        bytes / 1_000_000,
        run(&mut imagetag(&root))
    );
    if !rg_here {
        eprintln!("note: rg is not installed (apt-get install ripgrep): its rows are skipped");
    }

    let mut g = c.benchmark_group("check_tree");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10))
        .throughput(Throughput::Bytes(bytes));
    g.bench_function("floor: walk + read + memchr, 1 thread", |b| {
        b.iter(|| black_box(floor(&root)))
    });
    if rg_here {
        g.bench_function("rg -n '^\\s*FROM|image:'", |b| {
            b.iter(|| black_box(run(&mut rg(&root))))
        });
    }
    g.bench_function("imagetag check", |b| {
        b.iter(|| black_box(run(&mut imagetag(&root))))
    });
    g.finish();

    // CPU time, interleaved so that both see the same load.
    let runs = 5;
    let (mut it, mut peer) = ((Duration::ZERO, Duration::ZERO), None);
    for _ in 0..runs {
        let a = measure(1, || imagetag(&root));
        it = (it.0 + a.0, it.1 + a.1);
        if rg_here {
            let b = measure(1, || rg(&root));
            let p: (Duration, Duration) = peer.unwrap_or_default();
            peer = Some((p.0 + b.0, p.1 + b.1));
        }
    }
    let per = |d: Duration| d / runs as u32;
    eprintln!(
        "imagetag check: wall {:?}, cpu {:?} (mean of {runs}, interleaved)",
        per(it.0),
        per(it.1)
    );
    if let Some(p) = peer {
        eprintln!("rg:             wall {:?}, cpu {:?}", per(p.0), per(p.1));
        eprintln!(
            "ratio imagetag/rg: wall {:.2}x, cpu {:.2}x",
            it.0.as_secs_f64() / p.0.as_secs_f64(),
            it.1.as_secs_f64() / p.1.as_secs_f64()
        );
    }

    if std::env::var_os("IMAGETAG_BENCH_KEEP").is_some() {
        eprintln!("kept {}", root.display());
    } else {
        let _ = fs::remove_dir_all(&root);
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
