//! Peak memory of `imagetag sort` and `imagetag latest` on tag lists of
//! 1 000 000 names (issue 12: at most 128 bytes a tag beyond the tag text):
//! VESSL and generic names of several repositories, and the worst cases
//! for a sort that works a track at a time, one track of each.
//! Not a timing: each command runs once under `/usr/bin/time -f %M` (GNU
//! time; the bench says so and stops when it is missing) and the peak RSS,
//! less that of the same command on a one-name list, is printed per tag,
//! whole and beyond the bytes of the list.
//! The baseline is the same command on one name of the list alone.
//!
//! ```text
//! cargo bench --bench cli_memory
//! IMAGETAG_MEMORY_TAGS=100000 cargo bench --bench cli_memory   # fewer tags
//! ```

#[path = "gen/mod.rs"]
mod gen;

use std::fmt::Write as _;
use std::process::Command;

/// A generic name: a Docker Hub, GHCR or private repository, a three-part
/// version and a common suffix.
fn generic_name(rng: &mut gen::XorShift) -> String {
    let repo = rng.pick(&[
        "docker.io/library/python",
        "docker.io/library/nginx",
        "docker.io/library/node",
        "ghcr.io/acme/app",
        "registry.example.com/team/service",
    ]);
    let suffix = rng.pick(&["", "", "-alpine", "-slim", "-bookworm", "-alpine3.20"]);
    format!(
        "{repo}:{}.{}.{}{suffix}",
        rng.below(30),
        rng.below(40),
        rng.below(1000)
    )
}

/// Peak RSS in bytes of `imagetag ARGS`, its output discarded.
fn peak(args: &[&str]) -> Option<u64> {
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M", env!("CARGO_BIN_EXE_imagetag")])
        .args(args)
        .stdout(std::process::Stdio::null())
        .output()
        .ok()?;
    assert!(out.status.success(), "imagetag {args:?}: {out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    let kb: u64 = err.lines().last()?.trim().parse().ok()?;
    Some(kb * 1024)
}

fn main() {
    if Command::new("/usr/bin/time").arg("true").output().is_err() {
        eprintln!("note: /usr/bin/time (GNU time) is not installed: nothing measured");
        return;
    }
    let n: usize = std::env::var("IMAGETAG_MEMORY_TAGS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let dir = std::env::temp_dir().join(format!("imagetag-bench-memory-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, f: &mut dyn FnMut() -> String| {
        let mut text = String::new();
        for _ in 0..n {
            let _ = writeln!(text, "{}", f());
        }
        let path = dir.join(name);
        std::fs::write(&path, &text).unwrap();
        (path.to_string_lossy().into_owned(), text.len())
    };
    let mut rng = gen::XorShift(0x9E37_79B9_7F4A_7C15);
    let vessl = write("vessl.txt", &mut || gen::vessl_name(&mut rng, 100_000));
    let generic = write("generic.txt", &mut || generic_name(&mut rng));
    // One repository and one track: the worst case for sorting, which
    // works a track at a time (short versions among them move over the
    // long ones, as `python:3.12` over `python:3.12.8`).
    let one_track = write("one_track.txt", &mut || {
        if rng.below(100) == 0 {
            format!(
                "docker.io/library/python:{}.{}",
                rng.below(30),
                rng.below(100)
            )
        } else {
            format!(
                "docker.io/library/python:{}.{}.{}",
                rng.below(30),
                rng.below(100),
                rng.below(1000)
            )
        }
    });
    // One VESSL track, each base an alias and nine revisions: a catalog
    // must not reserve a base a tag.
    let mut k = 0u64;
    let vessl_track = write("vessl_track.txt", &mut || {
        let (base, r) = (k / 10, k % 10);
        k += 1;
        let lead = format!("{}.{}.{}", base / 2000, base / 100 % 20, base % 100);
        if r == 0 {
            format!("quay.io/vessl-ai/torch:{lead}-cuda12.4-py3.11")
        } else {
            format!("quay.io/vessl-ai/torch:{lead}-cuda12.4-py3.11-r{r}")
        }
    });
    // One repository's bare tags, as `latest --tags` reads them.
    let torch = write("torch.txt", &mut || loop {
        let name = gen::vessl_name(&mut rng, 100_000);
        if let Some(tag) = name.strip_prefix("quay.io/vessl-ai/torch:") {
            break tag.to_owned();
        }
    });
    eprintln!("{n} tags a list; bytes a tag: peak RSS less a one-name run's, then beyond the list's bytes");
    let runs: [(&str, Vec<&str>, &(String, usize)); 6] = [
        (
            "sort --tags (VESSL full names)",
            vec!["sort", "--tags"],
            &vessl,
        ),
        (
            "sort --tags (generic full names)",
            vec!["sort", "--tags"],
            &generic,
        ),
        (
            "sort --tags (generic, one track, 1% short versions)",
            vec!["sort", "--tags"],
            &one_track,
        ),
        (
            "sort --tags (VESSL, one track, an alias and nine revisions a base)",
            vec!["sort", "--tags"],
            &vessl_track,
        ),
        (
            "latest --tags (bare VESSL tags of one repository)",
            vec!["latest", "quay.io/vessl-ai/torch", "--tags"],
            &torch,
        ),
        (
            "latest --tags (generic full names)",
            vec!["latest", "docker.io/library/python", "--tags"],
            &generic,
        ),
    ];
    for (i, (what, args, (path, bytes))) in runs.into_iter().enumerate() {
        // The baseline: the same command on one name of the list alone
        // (for `latest`, one of the asked repository).
        let text = std::fs::read_to_string(path).unwrap();
        let line = text
            .lines()
            .find(|l| args[0] != "latest" || !l.contains('/') || l.starts_with(args[1]))
            .unwrap_or("");
        let one = dir.join(format!("one{i}.txt"));
        std::fs::write(&one, line).unwrap();
        let one = one.to_string_lossy().into_owned();
        let mut with = args.clone();
        with.push(path);
        let mut base = args.clone();
        base.push(&one);
        let (Some(p), Some(b)) = (peak(&with), peak(&base)) else {
            eprintln!("{what}: no figure from /usr/bin/time");
            continue;
        };
        let per = p.saturating_sub(b) as f64 / n as f64;
        let text = *bytes as f64 / n as f64;
        eprintln!(
            "{what}: {:.0} MB peak, {per:.0} bytes a tag, {:.0} beyond the list's {text:.1}",
            p as f64 / 1e6,
            per - text
        );
    }
    if std::env::var_os("IMAGETAG_BENCH_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
