//! `imagetag pin` never loses or loosens anything: read-only files, mode
//! bits, owners, hard links, a change made while it runs, temporary files.
//! Run as the real binary on files made at test time. Several cases need
//! root (to give a file another owner); as another user they say so and
//! check what they can.
#![cfg(feature = "cli")]

use crate::support;

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Output};

use support::{Canned, FakeServer, TempDir};

const TAGS: &str = "quay.io/vessl-ai/python:3.10\nquay.io/vessl-ai/python:3.10-r10\n";
const OLD: &str = "image: quay.io/vessl-ai/python:3.10\n";
const NEW: &str = "image: quay.io/vessl-ai/python:3.10-r10\n";

fn command(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_imagetag"));
    c.args(args).current_dir(dir);
    c
}

#[track_caller]
fn expect_output(out: Output, args: &[&str], code: i32, stdout: &str, stderr: &str) {
    let (o, e) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(o, stdout, "{args:?}; stderr: {e}");
    assert_eq!(e, stderr, "{args:?}");
    assert_eq!(out.status.code(), Some(code), "{args:?}");
}

#[track_caller]
fn expect(dir: &Path, args: &[&str], code: i32, stdout: &str, stderr: &str) {
    let out = command(dir, args).output().expect("run imagetag");
    expect_output(out, args, code, stdout, stderr);
}

/// A directory with the tag list and `a.yaml` holding an alias.
fn setup(name: &str) -> TempDir {
    let t = TempDir::new(name);
    fs::write(t.path().join("tags.txt"), TAGS).unwrap();
    fs::write(t.path().join("a.yaml"), OLD).unwrap();
    t
}

/// The names in `dir` that look like pin's temporary files.
fn temporaries(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".imagetag-pin-"))
        .collect()
}

fn is_root() -> bool {
    fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

fn chown(path: &Path, uid: u32, gid: u32) {
    std::os::unix::fs::chown(path, Some(uid), Some(gid)).unwrap();
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn read_only_file_is_refused_unless_asked() {
    let t = setup("pin-ro");
    let (d, a) = (t.path(), t.path().join("a.yaml"));
    fs::set_permissions(&a, fs::Permissions::from_mode(0o444)).unwrap();
    // --check writes nothing, so it still shows the change.
    let out = command(d, &["pin", "--tags", "tags.txt", "--check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    expect(
        d,
        &["pin", "--tags", "tags.txt"],
        2,
        "",
        "imagetag pin: cannot write a.yaml: it is read-only (mode 0444, owner uid 0): not rewritten \
         (--write-read-only rewrites it and keeps its mode)\n\
         pinned 0 references in 0 of 1 file\n"
            .replace("uid 0", &format!("uid {}", fs::metadata(&a).unwrap().uid()))
            .as_str(),
    );
    assert_eq!(fs::read_to_string(&a).unwrap(), OLD);
    assert_eq!(mode(&a), 0o444);
    assert_eq!(temporaries(d), Vec::<String>::new());

    expect(
        d,
        &["pin", "--tags", "tags.txt", "--write-read-only"],
        0,
        "a.yaml: pinned 1\n",
        "pinned 1 reference in 1 of 1 file\n",
    );
    assert_eq!(fs::read_to_string(&a).unwrap(), NEW);
    assert_eq!(mode(&a), 0o444, "the mode is kept");
}

#[test]
fn mode_bits_and_owner_are_kept() {
    let t = setup("pin-mode");
    let (d, a) = (t.path(), t.path().join("a.yaml"));
    let root = is_root();
    if root {
        // Another owner and group, which only root can give.
        chown(&a, 54321, 54322);
    } else {
        println!("not root: checking the mode bits with the file's own owner");
    }
    fs::set_permissions(&a, fs::Permissions::from_mode(0o6754)).unwrap();
    let before = fs::metadata(&a).unwrap();
    expect(
        d,
        &["pin", "--tags", "tags.txt"],
        0,
        "a.yaml: pinned 1\n",
        "pinned 1 reference in 1 of 1 file\n",
    );
    let after = fs::metadata(&a).unwrap();
    assert_eq!(fs::read_to_string(&a).unwrap(), NEW);
    assert_eq!(
        after.permissions().mode() & 0o7777,
        0o6754,
        "set-user-ID, set-group-ID and permission bits kept"
    );
    assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
    if root {
        assert_eq!((after.uid(), after.gid()), (54321, 54322));
    }
    assert_eq!(temporaries(d), Vec::<String>::new());
}

/// As a user who may write the file but cannot give the new one its owner,
/// pin refuses rather than change the owner.
#[test]
fn owner_that_cannot_be_kept_is_refused() {
    if !is_root() {
        println!("not root: cannot make a file owned by another user; skipped");
        return;
    }
    if Command::new("setpriv").arg("--version").output().is_err() {
        println!("setpriv not found (util-linux); skipped");
        return;
    }
    let t = setup("pin-owner");
    let (d, a) = (t.path(), t.path().join("a.yaml"));
    // The directory and the file are writable by everyone; the file belongs
    // to uid 54321, pin runs as uid 54329.
    fs::set_permissions(d, fs::Permissions::from_mode(0o777)).unwrap();
    chown(&a, 54321, 54321);
    fs::set_permissions(&a, fs::Permissions::from_mode(0o666)).unwrap();
    let args = ["pin", "--tags", "tags.txt"];
    let out = Command::new("setpriv")
        .args(["--reuid=54329", "--regid=54329", "--clear-groups", "--"])
        .arg(env!("CARGO_BIN_EXE_imagetag"))
        .args(args)
        .current_dir(d)
        .output()
        .unwrap();
    expect_output(
        out,
        &args,
        2,
        "",
        "imagetag pin: cannot write a.yaml: cannot keep its owner (uid 54321, gid 54321): \
         Operation not permitted: not rewritten\n\
         pinned 0 references in 0 of 1 file\n",
    );
    let m = fs::metadata(&a).unwrap();
    assert_eq!(fs::read_to_string(&a).unwrap(), OLD);
    assert_eq!((m.uid(), m.gid(), mode(&a)), (54321, 54321, 0o666));
    assert_eq!(temporaries(d), Vec::<String>::new());
}

#[test]
fn hard_links_are_refused() {
    let t = setup("pin-links");
    let (d, a) = (t.path(), t.path().join("a.yaml"));
    fs::hard_link(&a, d.join("b.yaml")).unwrap();
    expect(
        d,
        &["pin", "--tags", "tags.txt", "a.yaml"],
        2,
        "",
        "imagetag pin: cannot write a.yaml: it has 2 hard links, and replacing it would cut it \
         from the others: not rewritten (copy it to a file of its own first)\n\
         pinned 0 references in 0 of 1 file\n",
    );
    assert_eq!(fs::read_to_string(&a).unwrap(), OLD);
    assert_eq!(fs::metadata(&a).unwrap().nlink(), 2);
    assert_eq!(
        fs::metadata(&a).unwrap().ino(),
        fs::metadata(d.join("b.yaml")).unwrap().ino()
    );
    assert_eq!(temporaries(d), Vec::<String>::new());
}

/// A change made between pin's read and its rename is kept: pin refuses.
/// The registry that pin asks for the tags (after reading the file, before
/// writing it) makes the change.
#[test]
fn concurrent_change_is_not_overwritten() {
    let t = TempDir::new("pin-race");
    let d = t.path().to_path_buf();
    let a = d.join("a.yaml");
    fs::write(&a, OLD).unwrap();
    let edited = format!("{OLD}# edited meanwhile\n");
    let (file, text) = (a.clone(), edited.clone());
    let server = FakeServer::start(move |seen| {
        if seen.target.contains("/tags/list") {
            fs::write(&file, &text).unwrap();
            Canned::new(
                200,
                r#"{"name":"vessl-ai/python","tags":["3.10","3.10-r10"]}"#,
            )
            .header("Content-Type", "application/json")
        } else {
            Canned::new(200, "{}").header("Content-Type", "application/json")
        }
    });
    let host = server.host();
    expect(
        &d,
        &["pin", "--plain-http", "--mirror", &host, "a.yaml"],
        2,
        "",
        "imagetag pin: cannot write a.yaml: it changed since pin read it: not rewritten (run pin again)\n\
         pinned 0 references in 0 of 1 file\n",
    );
    assert_eq!(fs::read_to_string(&a).unwrap(), edited);
    assert_eq!(temporaries(&d), Vec::<String>::new());
}

/// A temporary file that a killed run left is removed by the next run that
/// writes beside it; one of a running process is left alone.
#[test]
fn stale_temporary_files_are_removed() {
    let t = setup("pin-stale-tmp");
    let d = t.path();
    // No process has a pid above the kernel's limit (4194304 at most).
    let stale = ".a.yaml.imagetag-pin-999999999.tmp";
    let live = format!(".a.yaml.imagetag-pin-{}.tmp", std::process::id());
    fs::write(d.join(stale), NEW).unwrap();
    fs::write(d.join(&live), NEW).unwrap();
    expect(
        d,
        &["pin", "--tags", "tags.txt", "a.yaml"],
        0,
        "a.yaml: pinned 1\n",
        &format!(
            "imagetag pin: removed {}, left by an interrupted run\n\
             pinned 1 reference in 1 of 1 file\n",
            fs::canonicalize(d).unwrap().join(stale).display()
        ),
    );
    assert_eq!(fs::read_to_string(d.join("a.yaml")).unwrap(), NEW);
    assert_eq!(temporaries(d), vec![live]);
}
