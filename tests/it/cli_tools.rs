//! imagetag in the tools people already run: shell completions and the man
//! page (read by bash, zsh, fish and groff themselves), the pre-commit
//! hooks (run by pre-commit itself), and the progress line (on a terminal
//! only: a real pseudo-terminal from `script`, against a pipe).
#![cfg(feature = "cli")]

use crate::support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::{Canned, FakeServer, TempDir};

const BIN: &str = env!("CARGO_BIN_EXE_imagetag");

fn imagetag(args: &[&str]) -> Output {
    let out = Command::new(BIN).args(args).output().expect("run imagetag");
    assert!(out.status.success(), "{args:?}: {out:?}");
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// Runs `program` with `args`, feeding `stdin`; fails the test with `install`
/// when the program is missing.
fn tool(program: &str, args: &[&str], stdin: &[u8], install: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program}: {e}: {install}"));
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

/// The subcommands, as `imagetag --help` lists them (not `help`).
fn subcommands() -> Vec<String> {
    let help = text(&imagetag(&["--help"]).stdout);
    let list = help.split("Commands:\n").nth(1).unwrap();
    let names: Vec<String> = list
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(|l| l.split_whitespace().next().unwrap().to_owned())
        .filter(|n| n != "help")
        .collect();
    for n in ["check", "pin", "completions", "man"] {
        assert!(names.iter().any(|x| x == n), "{n} in {names:?}");
    }
    names
}

/// The long flags of `imagetag check`, as its `--help` lists them.
fn check_flags() -> Vec<String> {
    let help = text(&imagetag(&["check", "--help"]).stdout);
    let flags: Vec<String> = help
        .lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with('-'))
        .filter_map(|l| {
            l.split([' ', ','])
                .find(|w| w.starts_with("--"))
                .map(str::to_owned)
        })
        .collect();
    for f in ["--deny-alias", "--require-digest", "--format", "--help"] {
        assert!(flags.iter().any(|x| x == f), "{f} in {flags:?}");
    }
    flags
}

const INSTALL_SHELLS: &str =
    "install the shells with `apt-get install -y zsh fish` (.ci/test does)";

#[test]
fn bash_completions_parse_and_complete() {
    let script = imagetag(&["completions", "bash"]).stdout;
    let syntax = tool("bash", &["-n"], &script, INSTALL_SHELLS);
    assert!(syntax.status.success(), "{}", text(&syntax.stderr));
    // Ask the completion function itself, as bash does on TAB.
    let complete = |words: &str, current: usize| {
        let program = format!(
            "source /dev/stdin; COMP_WORDS=({words}); COMP_CWORD={current}; \
             _imagetag imagetag \"${{COMP_WORDS[$COMP_CWORD]}}\" \"${{COMP_WORDS[$COMP_CWORD-1]}}\"; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\""
        );
        let out = tool("bash", &["-c", &program], &script, INSTALL_SHELLS);
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
            .lines()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let offered = complete("imagetag ''", 1);
    for s in subcommands() {
        assert!(offered.contains(&s), "{s} not offered: {offered:?}");
    }
    assert_eq!(complete("imagetag check --de", 2), ["--deny-alias"]);
    assert_eq!(
        complete("imagetag check --format ''", 3),
        ["text", "json", "github", "sarif"]
    );
}

#[test]
fn zsh_completions_parse() {
    let script = imagetag(&["completions", "zsh"]).stdout;
    let syntax = tool("zsh", &["-n"], &script, INSTALL_SHELLS);
    assert!(syntax.status.success(), "{}", text(&syntax.stderr));
    let script = text(&script);
    assert!(script.starts_with("#compdef imagetag"), "{script:.40}");
    for s in subcommands() {
        assert!(script.contains(&format!("'{s}:")), "{s}");
    }
    // An option spec is `'--flag[help]'` or `'--flag=[help]:VALUE'`, with
    // the options it conflicts with first: `'(--config)--no-config[...]'`.
    for f in check_flags() {
        assert!(
            script.contains(&format!("{f}[")) || script.contains(&format!("{f}=[")),
            "{f}"
        );
    }
}

#[test]
fn fish_completions_parse_and_complete() {
    let script = imagetag(&["completions", "fish"]).stdout;
    let syntax = tool("fish", &["--no-execute"], &script, INSTALL_SHELLS);
    assert!(syntax.status.success(), "{}", text(&syntax.stderr));
    let complete = |line: &str| {
        let program = format!("source; complete -C '{line}'");
        let out = tool("fish", &["-c", &program], &script, INSTALL_SHELLS);
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
            .lines()
            .map(|l| l.split('\t').next().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let offered = complete("imagetag ");
    for s in subcommands() {
        assert!(offered.contains(&s), "{s} not offered: {offered:?}");
    }
    let offered = complete("imagetag check --");
    for f in check_flags() {
        assert!(offered.contains(&f), "{f} not offered: {offered:?}");
    }
}

#[test]
fn completions_refuse_unknown_shells() {
    let out = Command::new(BIN)
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("invalid value 'tcsh'"),
        "{}",
        text(&out.stderr)
    );
}

/// The page is roff that groff reads without a warning, and the rendered
/// page holds every subcommand, each with a section, and every flag of
/// `check`.
#[test]
fn man_page() {
    let page = imagetag(&["man"]).stdout;
    let install = "groff not found: `apt-get install -y groff-base` (.ci/test does)";
    let lint = tool(
        "groff",
        &["-k", "-man", "-Tutf8", "-ww", "-z"],
        &page,
        install,
    );
    assert!(lint.status.success());
    assert_eq!(text(&lint.stderr), "", "groff warnings");
    let rendered = tool(
        "groff",
        &["-k", "-man", "-Tutf8", "-P-c", "-P-b", "-P-u"],
        &page,
        install,
    );
    assert!(rendered.status.success());
    let rendered = text(&rendered.stdout);
    let words = rendered.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("NAME imagetag - Parse"), "{rendered:.300}");
    for s in subcommands() {
        let heading = format!("\nIMAGETAG {}\n", s.to_uppercase());
        assert!(rendered.contains(&heading), "no section for {s}");
        assert!(rendered.contains(&format!("imagetag {s}")), "{s}");
    }
    let check = rendered
        .split("\nIMAGETAG CHECK\n")
        .nth(1)
        .unwrap()
        .split("\nIMAGETAG ")
        .next()
        .unwrap();
    for f in check_flags() {
        // The option list gives each flag on a line of its own (`-h,
        // --help`), where groff does not hyphenate or break it.
        assert!(
            check.lines().any(|l| {
                let l = l.trim_start();
                l.starts_with('-') && l.split([' ', ',']).any(|w| w == f)
            }),
            "{f} not in the check section"
        );
    }
}

// ---------------------------------------------------------------- pre-commit

const INSTALL_PRE_COMMIT: &str =
    "pre-commit not found: `python3 -m pip install pre-commit` (.ci/test does)";

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("git not found: `apt-get install -y git`");
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

/// A copy of this repository's `.pre-commit-hooks.yaml` in a git
/// repository of its own, with `language: rust` (cargo builds imagetag
/// from the repository, which takes minutes and the network) as `system`
/// (the imagetag under test, on PATH). Everything else is the shipped file.
fn hook_repo(t: &TempDir) -> PathBuf {
    let shipped =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"))
            .unwrap();
    assert_eq!(shipped.matches("\n  language: rust\n").count(), 2);
    let local = shipped.replace("\n  language: rust\n", "\n  language: system\n");
    let dir = t.path().join("hooks");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join(".pre-commit-hooks.yaml"), local).unwrap();
    git(&dir, &["init", "-q"]);
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-qm", "hooks"]);
    dir
}

/// Runs pre-commit in `dir` with the imagetag under test first on PATH and
/// its own cache in the temporary directory.
fn pre_commit(t: &TempDir, dir: &Path, args: &[&str]) -> (i32, String) {
    let bin_dir = Path::new(BIN).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("pre-commit")
        .args(args)
        .current_dir(dir)
        .env("PATH", path)
        .env("PRE_COMMIT_HOME", t.path().join("cache"))
        .env("PRE_COMMIT_COLOR", "never")
        .output()
        .unwrap_or_else(|e| panic!("{e}: {INSTALL_PRE_COMMIT}"));
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    (out.status.code().unwrap_or(-1), all)
}

/// A project in a git repository: a Dockerfile with a broken reference, a
/// good one, and files the hooks must leave alone (a `requirements.txt`
/// that is no list of images, a Python file).
fn project(t: &TempDir) -> PathBuf {
    let dir = t.path().join("work");
    fs::create_dir_all(dir.join("good")).unwrap();
    fs::write(dir.join("Dockerfile"), "FROM Ubuntu:22.04\n").unwrap();
    fs::write(
        dir.join("good/Dockerfile"),
        "FROM nvcr.io/nvidia/pytorch:24.01-py3\n",
    )
    .unwrap();
    fs::write(dir.join("requirements.txt"), "numpy==1.26.4\n").unwrap();
    fs::write(dir.join("app.py"), "print('FROM Ubuntu')\n").unwrap();
    fs::write(
        dir.join("k8s.yaml"),
        "image: quay.io/vessl-ai/python:3.10\n",
    )
    .unwrap();
    fs::write(dir.join("tags.txt"), "3.10\n3.10-r10\n").unwrap();
    git(&dir, &["init", "-q"]);
    git(&dir, &["add", "."]);
    dir
}

#[test]
fn pre_commit_check_hook() {
    let t = TempDir::new("pre-commit-check");
    let hooks = hook_repo(&t);
    let work = project(&t);
    let hooks = hooks.to_str().unwrap();
    let (code, out) = pre_commit(
        &t,
        &work,
        &[
            "try-repo",
            hooks,
            "imagetag-check",
            "--files",
            "Dockerfile",
            "good/Dockerfile",
            "requirements.txt",
            "app.py",
        ],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("imagetag check"), "{out}");
    assert!(out.contains("Failed"), "{out}");
    assert!(
        out.contains("Dockerfile:1:6: error: invalid reference \"Ubuntu:22.04\""),
        "{out}"
    );
    // Only the Dockerfiles were passed: a requirements.txt read as a list
    // of images would be a false alarm.
    assert!(
        out.contains("checked 2 references in 2 files: 1 error"),
        "{out}"
    );

    let (code, out) = pre_commit(
        &t,
        &work,
        &[
            "try-repo",
            hooks,
            "imagetag-check",
            "--files",
            "good/Dockerfile",
            "requirements.txt",
            "app.py",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Passed"), "{out}");
}

/// The pin hook as users configure it, with `args` (here the tag list, in
/// place of the registry).
#[test]
fn pre_commit_pin_check_hook() {
    let t = TempDir::new("pre-commit-pin");
    let hooks = hook_repo(&t);
    let work = project(&t);
    let rev = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(&hooks)
        .output()
        .unwrap();
    let config = format!(
        "repos:\n  - repo: {}\n    rev: {}\n    hooks:\n      - id: imagetag-pin-check\n        args: [--tags, tags.txt]\n",
        hooks.display(),
        text(&rev.stdout).trim()
    );
    fs::write(work.join(".pre-commit-config.yaml"), config).unwrap();
    let run = [
        "run",
        "imagetag-pin-check",
        "--files",
        "k8s.yaml",
        "tags.txt",
    ];
    let (code, out) = pre_commit(&t, &work, &run);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("imagetag pin --check"), "{out}");
    assert!(
        out.contains(
            "-image: quay.io/vessl-ai/python:3.10\n+image: quay.io/vessl-ai/python:3.10-r10\n"
        ),
        "{out}"
    );
    fs::write(
        work.join("k8s.yaml"),
        "image: quay.io/vessl-ai/python:3.10-r10\n",
    )
    .unwrap();
    let (code, out) = pre_commit(&t, &work, &run);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Passed"), "{out}");
}

/// The hooks' `files` pattern picks exactly the files `imagetag check`
/// reads when walking (name lists only when named, so never from a hook):
/// a file it would refuse makes the hook fail, a file it leaves out is a
/// reference never checked.
#[test]
fn pre_commit_files_pattern_matches_the_finder() {
    let t = TempDir::new("pre-commit-files");
    let names = [
        "Dockerfile",
        "dockerfile",
        "Dockerfile.cuda",
        "Dockerfile.",
        "Dockerfile_gpu",
        "Dockerfile-triton",
        "Dockerfile.rocm",
        "Dockerfile.md",
        "Dockerfile-dev.sh",
        "Dockerfile.j2",
        "cuda.Dockerfile.in",
        "InternVL_Dockerfile",
        "gpu-dockerfile",
        "gpu_dockerfile",
        "gpu.Dockerfile",
        "a.b.DOCKERFILE",
        "Containerfile",
        "x.containerfile",
        ".dockerfile",
        "Dockerfiles",
        "mydockerfile",
        "compose.yaml",
        "ci.YML",
        ".yml",
        "x.yaml.bak",
        ".devcontainer.json",
        ".DevContainer.json",
        "devcontainer.json",
        "Jenkinsfile",
        "jenkinsfile.gpu",
        "Jenkinsfile.groovy",
        "Jenkinsfile.md",
        "Jenkinsfile.",
        "Jenkinsfile-old",
        "Jenkinsfile_unix_gpu",
        "Jenkinsfile_gpu.yaml",
        "Dockerfile.yaml",
        "Jenkinsfile_",
        "ci.Jenkinsfile",
        "docker-bake.hcl",
        "docker-bake.override.hcl",
        "docker-bake.a.hcl",
        "docker-bake..hcl",
        "Docker-Bake.hcl",
        "docker-bake.json",
        "docker-bake.override.json",
        "bake.hcl",
        "images.txt",
        "README.md",
    ];
    let dir = t.path().join("tree");
    fs::create_dir_all(&dir).unwrap();
    for n in names {
        fs::write(dir.join(n), "").unwrap();
    }
    // What the walk reads: `imagetag check --list` over the directory.
    let out = Command::new(BIN)
        .args(["check", "--list", "."])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let summary = text(&out.stderr);
    // What the pattern picks, with Python's `re` as pre-commit uses it.
    let shipped =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"))
            .unwrap();
    let patterns: Vec<&str> = shipped
        .lines()
        .filter_map(|l| l.trim().strip_prefix("files: "))
        .collect();
    assert_eq!(patterns.len(), 2);
    assert_eq!(patterns[0], patterns[1]);
    let excludes: Vec<&str> = shipped
        .lines()
        .filter_map(|l| l.trim().strip_prefix("exclude: "))
        .collect();
    assert_eq!(excludes.len(), 2);
    assert_eq!(excludes[0], excludes[1]);
    // pre-commit passes a file when `files` matches and `exclude` does not.
    let program = format!(
        "import re, sys\np = re.compile(r'''{}''')\nx = re.compile(r'''{}''')\n\
         def hit(n): return bool(p.search(n)) and not x.search(n)\n\
         for n in sys.argv[1:]:\n    print(n, hit('sub/' + n), hit(n))",
        patterns[0], excludes[0]
    );
    let mut args = vec!["-c", program.as_str()];
    args.extend(names);
    let py = tool("python3", &args, b"", "python3 not found");
    assert!(py.status.success(), "{}", text(&py.stderr));
    let mut picked = Vec::new();
    for line in text(&py.stdout).lines() {
        let v: Vec<&str> = line.split(' ').collect();
        assert_eq!(v[1], v[2], "{line}: the directory changes the answer");
        if v[1] == "True" {
            picked.push(v[0].to_owned());
        }
    }
    picked.sort();
    // Which of the names the finder reads, one at a time: a file it does
    // not read is refused when named.
    let mut read: Vec<String> = names
        .iter()
        .filter(|n| **n != "images.txt")
        .filter(|n| {
            let out = Command::new(BIN)
                .args(["check", n])
                .current_dir(&dir)
                .output()
                .unwrap();
            out.status.code() == Some(0)
        })
        .map(|n| n.to_string())
        .collect();
    read.sort();
    assert_eq!(picked, read);
    assert!(
        summary.contains(&format!("in {} files", read.len())),
        "the walk reads {} files: {summary}",
        read.len()
    );
}

// ------------------------------------------------------------------ progress

/// A run that waits on a slow registry for more than a second shows a
/// progress line on a terminal (a pseudo-terminal made by `script`), and
/// nothing but the summary when stderr is a pipe. The first file's alias
/// takes the registry 1.2 s to answer; the line is due at the next file.
#[test]
fn progress_on_a_terminal_only() {
    let server = FakeServer::start(|seen| {
        if seen.target.contains("/tags/list") {
            let mut c = Canned::new(200, r#"{"name":"x","tags":["3.10","3.10-r10"]}"#)
                .header("Content-Type", "application/json");
            c.delay = Duration::from_millis(1200);
            c
        } else {
            Canned::new(200, "{}").header("Content-Type", "application/json")
        }
    });
    let t = TempDir::new("progress");
    fs::write(
        t.path().join("a.yaml"),
        "image: quay.io/vessl-ai/python:3.10\n",
    )
    .unwrap();
    fs::write(t.path().join("b.yaml"), "image: ubuntu:22.04\n").unwrap();
    let host = server.host();
    let args = ["pin", "--check", "--plain-http", "--mirror", &host, "."];

    let started = Instant::now();
    let piped = Command::new(BIN)
        .args(args)
        .current_dir(t.path())
        .output()
        .unwrap();
    // The precondition: long enough that a terminal gets the line.
    assert!(started.elapsed() >= Duration::from_millis(1200));
    assert_eq!(piped.status.code(), Some(1), "{piped:?}");
    assert_eq!(
        text(&piped.stderr),
        "would pin 1 reference in 1 of 2 files\n"
    );

    let command = format!("{BIN} {}", args.join(" "));
    let tty = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(t.path())
        .stdin(Stdio::null())
        .output()
        .expect("script not found: `apt-get install -y bsdutils`");
    let seen = String::from_utf8_lossy(&tty.stdout);
    assert!(seen.contains("\rimagetag pin: 2 files..."), "{seen:?}");
    assert!(seen.contains("\r\x1b[K"), "{seen:?}");
    assert!(
        seen.contains("would pin 1 reference in 1 of 2 files"),
        "{seen:?}"
    );
    assert!(!text(&piped.stdout).contains("files..."));
}
