//! Generated tags for the benches: a seeded generator and realistic VESSL
//! names, and the median timer, shared by the benches (included with
//! `#[path]`).
#![allow(dead_code)]

use std::time::{Duration, Instant};

/// Marsaglia's xorshift64, with a fixed seed: every run sees the same tags.
pub struct XorShift(pub u64);

impl XorShift {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len() as u64) as usize]
    }
}

/// One VESSL name: the four documented repositories, CUDA, cuDNN, Python
/// and variant parts where VESSL uses them, a revision up to `revisions`
/// four times in five (a standard alias otherwise).
pub fn vessl_name(rng: &mut XorShift, revisions: u64) -> String {
    let repo = rng.pick(&["python", "cuda", "torch", "tensorflow"]);
    let mut s = format!("quay.io/vessl-ai/{repo}:");
    match repo {
        "python" => s += &format!("3.{}", 6 + rng.below(9)),
        "cuda" => s += &format!("{}.{}", 11 + rng.below(3), rng.below(10)),
        _ => s += &format!("{}.{}.{}", 1 + rng.below(2), rng.below(30), rng.below(6)),
    }
    if repo != "python" && repo != "cuda" {
        s += &format!(
            "-cuda{}",
            rng.pick(&["11.8", "12.1", "12.4", "12.4.1", "12.8", "13.0.1"])
        );
        if rng.below(4) == 0 {
            s += "-cudnn9";
        }
        if rng.below(4) == 0 {
            s += rng.pick(&["-py3.11", "-py3.12", "-py3.13"]);
        }
    }
    if rng.below(8) == 0 {
        s += rng.pick(&["-slim", "-devel"]);
    }
    if rng.below(5) != 0 {
        s += &format!("-r{}", 1 + rng.below(revisions));
    }
    s
}

/// The median of `runs` runs of `f`, after one to warm up.
pub fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    f();
    let mut t: Vec<Duration> = (0..runs)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed()
        })
        .collect();
    t.sort();
    t[runs / 2]
}

/// The median time of each of `fs`, run in turn `runs` times (after one
/// round to warm up), so that every one sees the same load and the same
/// heap: a machine whose load changes, or an allocator that hands memory
/// back after one kind of run, moves them all alike.
pub fn interleaved<const N: usize>(runs: usize, mut fs: [&mut dyn FnMut(); N]) -> [Duration; N] {
    fs.iter_mut().for_each(|f| f());
    let mut t = vec![[Duration::ZERO; N]; runs];
    for round in &mut t {
        for (f, d) in fs.iter_mut().zip(round.iter_mut()) {
            let s = Instant::now();
            f();
            *d = s.elapsed();
        }
    }
    std::array::from_fn(|i| {
        let mut col: Vec<Duration> = t.iter().map(|r| r[i]).collect();
        col.sort();
        col[runs / 2]
    })
}
