//! The reference grammar against Docker's own parser.
//!
//! `tests/oracle/main.go` reads names with `github.com/docker/distribution/reference`
//! (Debian's `golang-github-docker-distribution-dev`, distribution 2.8.2):
//! `Parse`, `ParseNormalizedNamed` (with `FamiliarString`), `ParseAnyReference`,
//! `ParseNamed` and `ParseDockerRef`. This test builds it with Debian's
//! `golang-go` (offline, from `/usr/share/gocode`), feeds it more than 100 000
//! generated and mutated names through one process, and compares its answers
//! with imagetag's in every [`Mode`].
//!
//! imagetag follows the newer `github.com/distribution/reference` (v0.6),
//! which differs from 2.8.2 in three documented ways, plus one deliberate
//! difference of imagetag's own. Each is a named exception below, checked
//! to be exercised; any other disagreement fails the test.
//!
//! Set `IMAGETAG_ORACLE` to a built oracle binary to skip the Go build, and
//! `IMAGETAG_ORACLE_SEED` (a number) to try other names than CI's.

use crate::util;
use crate::util::corpus_gen;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use corpus_gen::XorShift;
use imagetag::{AnyReference, Component, ErrorKind, Reference};

/// Names per run: the corpus, generated names, and mutations of both.
const GENERATED: usize = 45_000;
const MUTATED: usize = 50_000;
const SEED: u64 = 0x0DAC_1E0F_D0C4_E2A5;

const INSTALL: &str = "the oracle test needs Go and Docker's reference package: \
     apt-get install -y golang-go golang-github-docker-distribution-dev \
     (bash .ci/test installs them when run as root), or set IMAGETAG_ORACLE \
     to a built tests/oracle binary";

// ---------------------------------------------------------------------------
// Building and running the oracle

fn go_binary() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join("go"))
            .find(|g| g.is_file())
    });
    on_path.or_else(|| {
        let debian = PathBuf::from("/usr/lib/go/bin/go");
        debian.is_file().then_some(debian)
    })
}

/// The oracle binary: `IMAGETAG_ORACLE`, or built from `tests/oracle` into
/// this test's temporary target directory.
fn oracle() -> PathBuf {
    if let Some(p) = std::env::var_os("IMAGETAG_ORACLE") {
        return PathBuf::from(p);
    }
    let gopath = Path::new("/usr/share/gocode");
    let package = gopath.join("src/github.com/docker/distribution/reference");
    let go = go_binary().unwrap_or_else(|| panic!("go not found; {INSTALL}"));
    assert!(
        package.join("reference.go").is_file(),
        "{} not found; {INSTALL}",
        package.display()
    );
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("oracle");
    let bin = out.join("oracle");
    let status = Command::new(go)
        .args(["build", "-o"])
        .arg(&bin)
        .arg(".")
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle"))
        .env("GOPATH", gopath)
        .env("GO111MODULE", "off")
        .env("GOFLAGS", "")
        .env("GOPROXY", "off")
        .env("GOCACHE", out.join("cache"))
        .status()
        .unwrap_or_else(|e| panic!("cannot run go build: {e}; {INSTALL}"));
    assert!(
        status.success(),
        "go build of tests/oracle failed; {INSTALL}"
    );
    bin
}

/// Runs the oracle on `names`: one output line per name.
fn ask(bin: &Path, names: &[String]) -> Vec<String> {
    let mut child = Command::new(bin)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}; {INSTALL}", bin.display()));
    let mut stdin = child.stdin.take().unwrap();
    let input: String = names.iter().flat_map(|n| [n.as_str(), "\n"]).collect();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let lines: Vec<String> = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .collect::<Result<_, _>>()
        .expect("oracle output");
    writer.join().unwrap().expect("write to the oracle");
    assert!(child.wait().unwrap().success(), "the oracle failed");
    assert_eq!(lines.len(), names.len(), "one oracle line per name");
    lines
}

// ---------------------------------------------------------------------------
// What Docker said

/// A named reading: `status domain path tag digest string familiar`.
#[derive(Debug)]
struct Named<'a> {
    ok: bool,
    status: &'a str,
    domain: &'a str,
    path: &'a str,
    tag: &'a str,
    digest: &'a str,
    string: &'a str,
    familiar: &'a str,
}

/// `status string`.
#[derive(Debug)]
struct Short<'a> {
    status: &'a str,
    string: &'a str,
}

#[derive(Debug)]
struct Docker<'a> {
    strict: Named<'a>,
    normalized: Named<'a>,
    any: Short<'a>,
    canonical: Short<'a>,
    pull: Short<'a>,
}

impl<'a> Docker<'a> {
    fn read(line: &'a str) -> Docker<'a> {
        let c: Vec<&str> = line.split('\t').collect();
        assert_eq!(c.len(), 20, "oracle line {line:?}");
        let named = |c: &[&'a str]| Named {
            ok: c[0] == "ok",
            status: c[0],
            domain: c[1],
            path: c[2],
            tag: c[3],
            digest: c[4],
            string: c[5],
            familiar: c[6],
        };
        let short = |c: &[&'a str]| Short {
            status: c[0],
            string: c[1],
        };
        Docker {
            strict: named(&c[0..7]),
            normalized: named(&c[7..14]),
            any: short(&c[14..16]),
            canonical: short(&c[16..18]),
            pull: short(&c[18..20]),
        }
    }
}

// ---------------------------------------------------------------------------
// The declared differences

/// A difference between imagetag and Docker 2.8.2 that is known and wanted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Declared {
    /// `distribution/reference` v0.6 (and imagetag) read a bracketed IPv6
    /// host (`[::1]:5000/app`); 2.8 has no such host and rejects the name.
    Ipv6Host,
    /// v0.6 (and imagetag) take a first component with an uppercase letter
    /// for a domain in normalized reading (`Foo/bar`); 2.8 reads it as a
    /// Docker Hub namespace and rejects it for its uppercase.
    UppercaseDomain,
    /// 2.8 limits domain and path together to 255 bytes; v0.6 (and imagetag)
    /// limit the path alone.
    NameLength,
    /// imagetag's familiar form keeps `docker.io/` where Docker's would read
    /// back as another name: a first path component that looks like a domain
    /// (`docker.io/localhost/x` → Docker prints `localhost/x`), or a bare
    /// 64-hex path (an image ID). Docker's v0.6 has the same flaw.
    FamiliarReadsBack,
    /// Both reject, for different faults of a name that has several: Docker
    /// reports the case of a name whose lowercase would parse (and in
    /// normalized reading, any uppercase letter before the first ':' after
    /// the domain, even in a digest's algorithm), where imagetag reports the
    /// first fault in the text; Docker checks a digest's shape
    /// (32 or more hex digits) before its algorithm, imagetag the algorithm
    /// first; Docker checks the name's length before the digest, imagetag
    /// after; Docker's normalized reading of `""` is `docker.io/library/`, a
    /// syntax error, where imagetag says the name is empty.
    FaultOrder,
}

const DECLARED: [Declared; 5] = [
    Declared::Ipv6Host,
    Declared::UppercaseDomain,
    Declared::NameLength,
    Declared::FamiliarReadsBack,
    Declared::FaultOrder,
];

/// Which declared difference explains imagetag accepting `r` where Docker
/// 2.8 said `status`, if any.
fn accepted_by_v06(r: &Reference<'_>, status: &str) -> Option<Declared> {
    let domain = r.domain().unwrap_or("");
    if status == "syntax" && domain.starts_with('[') {
        return Some(Declared::Ipv6Host);
    }
    if status == "uppercase"
        && domain.bytes().any(|b| b.is_ascii_uppercase())
        && !domain.contains(['.', ':'])
    {
        return Some(Declared::UppercaseDomain);
    }
    // Docker 2.8 measures the name as it would print it: domain, '/', path.
    let name = if domain.is_empty() {
        r.path().len()
    } else {
        domain.len() + 1 + r.path().len()
    };
    if status == "toolong" && name > 255 {
        return Some(Declared::NameLength);
    }
    None
}

/// Whether v0.6 takes the first component of `input` for a domain only for
/// its uppercase letter.
fn uppercase_domain(input: &str) -> bool {
    input.split_once('/').is_some_and(|(first, _)| {
        first.bytes().any(|b| b.is_ascii_uppercase()) && !first.contains(['.', ':'])
    })
}

fn familiar_reads_back(ours: &str, docker: &str) -> bool {
    let looks_like_domain = |s: &str| {
        let first = s.split('/').next().unwrap_or("");
        first.contains(['.', ':']) || first == "localhost"
    };
    let hex = |s: &str| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit());
    ours.strip_prefix("docker.io/").is_some_and(|rest| {
        (rest == docker && looks_like_domain(docker))
            || (hex(docker) && (rest == docker || rest.strip_prefix("library/") == Some(docker)))
    })
}

/// The oracle's name for the kind of an error.
fn error_kind(e: &imagetag::Error) -> &'static str {
    match e.kind() {
        ErrorKind::Empty => "empty",
        ErrorKind::Uppercase => "uppercase",
        // Docker's grammar limits a tag to 128 characters: a longer one is
        // a syntax error there.
        ErrorKind::TooLong if e.component() == Component::Tag => "syntax",
        ErrorKind::TooLong => "toolong",
        ErrorKind::Identifier => "identifier",
        ErrorKind::UnsupportedDigest => "unsupported",
        _ => "syntax",
    }
}

/// Whether two rejections differ only in which of several faults each
/// parser reports (see [`Declared::FaultOrder`]).
fn fault_order(input: &str, ours: &str, docker: &str) -> bool {
    match (ours, docker) {
        ("uppercase", "syntax") | (_, "uppercase") => input.bytes().any(|b| b.is_ascii_uppercase()),
        ("unsupported", "syntax") => input.contains('@'),
        ("unsupported" | "syntax", "toolong") => input.contains('@'),
        ("empty", "syntax") => input.is_empty(),
        _ => false,
    }
}

// ---------------------------------------------------------------------------
// The comparison: every mode of `Mode::ALL`, each against the Go function
// that does the same (strict: Parse; normalized: ParseNormalizedNamed;
// canonical: ParseNamed; name: ParseNormalizedNamed without tag or digest;
// any: ParseAnyReference; pull: ParseDockerRef).

#[derive(Default)]
struct Report {
    compared: usize,
    /// Readings both accepted, whose parts were compared.
    accepted: usize,
    /// `(mode and part, message)`.
    disagreements: Vec<(String, String)>,
    declared: [usize; 5],
}

impl Report {
    fn declared(&mut self, d: Declared) {
        self.declared[DECLARED.iter().position(|&x| x == d).unwrap()] += 1;
    }

    fn check(&mut self, mode: &str, input: &str, what: &str, ours: &str, docker: &str) {
        self.compared += 1;
        if ours != docker {
            self.disagreements.push((
                format!("{mode} {what}"),
                format!("{mode} {input:?}: {what}: imagetag {ours:?}, docker {docker:?}"),
            ));
        }
    }

    /// Compares acceptance; true when both accepted and values can be
    /// compared.
    fn both_ok(
        &mut self,
        mode: &str,
        input: &str,
        ours: Result<&Reference<'_>, &imagetag::Error>,
        status: &str,
    ) -> bool {
        match ours {
            Ok(_) if status == "ok" => {
                self.accepted += 1;
                true
            }
            Ok(r) => {
                match accepted_by_v06(r, status) {
                    Some(d) => self.declared(d),
                    None => self.check(mode, input, "accepted", &r.to_string(), status),
                }
                false
            }
            Err(e) if status == "ok" => {
                self.check(mode, input, "accepted", &format!("error: {e}"), "ok");
                false
            }
            Err(e) => {
                let kind = error_kind(e);
                if kind != status && status == "syntax" && input.starts_with('[') {
                    // 2.8 cannot read the host; imagetag found another fault.
                    self.declared(Declared::Ipv6Host);
                } else if kind != status && fault_order(input, kind, status) {
                    self.declared(Declared::FaultOrder);
                } else {
                    self.check(mode, input, &format!("error kind {status}"), kind, status);
                }
                false
            }
        }
    }

    fn familiar(&mut self, mode: &str, input: &str, r: &Reference<'_>, docker: &str) {
        let ours = r.familiar().to_string();
        if ours != docker && familiar_reads_back(&ours, docker) {
            self.declared(Declared::FamiliarReadsBack);
        } else {
            self.check(mode, input, "familiar", &ours, docker);
        }
    }

    fn named(&mut self, mode: &str, input: &str, r: &Reference<'_>, d: &Named<'_>) {
        self.check(mode, input, "domain", r.domain().unwrap_or(""), d.domain);
        self.check(mode, input, "path", &r.path(), d.path);
        self.check(mode, input, "tag", r.tag().unwrap_or(""), d.tag);
        let digest = r.digest().map(|x| x.to_string()).unwrap_or_default();
        self.check(mode, input, "digest", &digest, d.digest);
        self.check(mode, input, "string", &r.to_string(), d.string);
        self.familiar(mode, input, r, d.familiar);
    }

    /// Compares a reading by its text alone (Docker's status "ok" or
    /// "digest" is an acceptance).
    fn short(
        &mut self,
        mode: &str,
        input: &str,
        ours: Result<String, &imagetag::Error>,
        d: &Short<'_>,
    ) {
        let accepted = matches!(d.status, "ok" | "digest");
        match ours {
            Ok(s) if accepted => self.check(mode, input, "string", &s, d.string),
            Ok(s) => self.check(mode, input, "accepted", &s, d.status),
            Err(e) if accepted => {
                self.check(mode, input, "accepted", &format!("error: {e}"), d.status)
            }
            Err(_) => self.compared += 1,
        }
    }

    fn compare(&mut self, input: &str, d: &Docker<'_>) {
        // strict: Parse
        let strict = Reference::parse(input);
        if self.both_ok("strict", input, strict.as_ref(), d.strict.status) {
            let r = strict.as_ref().unwrap();
            self.named("strict", input, r, &d.strict);
            // The canonical form of a strict reading is Docker's normalized
            // reading, wherever that keeps the same domain.
            let same_split = d.normalized.ok
                && (d.normalized.domain == d.strict.domain
                    || matches!(d.strict.domain, "" | "docker.io" | "index.docker.io"));
            if same_split {
                let ours = r.canonical().to_string();
                self.check("strict", input, "canonical", &ours, d.normalized.string);
            }
        }

        // normalized: ParseNormalizedNamed
        let normalized = Reference::parse_normalized(input);
        let declared_normalized = match &normalized {
            Ok(r) if !d.normalized.ok => accepted_by_v06(r, d.normalized.status),
            // v0.6 reads `Foo/x@md5:…` as domain `Foo` and rejects the
            // digest; 2.8 rejects the uppercase namespace first.
            Err(e)
                if d.normalized.status == "uppercase"
                    && error_kind(e) != "uppercase"
                    && uppercase_domain(input) =>
            {
                Some(Declared::UppercaseDomain)
            }
            _ => None,
        };
        if let Some(x) = declared_normalized {
            // Every mode built on the normalized reading differs the same way.
            self.declared(x);
            return;
        }
        if self.both_ok(
            "normalized",
            input,
            normalized.as_ref(),
            d.normalized.status,
        ) {
            let r = normalized.as_ref().unwrap();
            self.named("normalized", input, r, &d.normalized);
            let canonical = r.canonical().to_string();
            self.check(
                "normalized",
                input,
                "canonical",
                &canonical,
                d.normalized.string,
            );
        }

        // name: ParseNormalizedNamed, and neither tag nor digest.
        let name = Reference::parse_name(input);
        let docker_name =
            d.normalized.ok && d.normalized.tag.is_empty() && d.normalized.digest.is_empty();
        let docker_name = Short {
            status: if docker_name { "ok" } else { "syntax" },
            string: d.normalized.string,
        };
        self.short(
            "name",
            input,
            name.as_ref().map(|r| r.to_string()),
            &docker_name,
        );

        // canonical: ParseNamed
        let canonical = Reference::parse_canonical(input);
        self.short(
            "canonical",
            input,
            canonical.as_ref().map(|r| r.to_string()),
            &d.canonical,
        );

        // pull: ParseDockerRef
        let pull = Reference::parse_pull(input);
        self.short("pull", input, pull.as_ref().map(|r| r.to_string()), &d.pull);

        // any: ParseAnyReference
        let any = AnyReference::parse(input);
        let ours = any.as_ref().map(|a| match a {
            AnyReference::Name(r) => format!("ok {r}"),
            AnyReference::Digest(x) => format!("digest {x}"),
        });
        let docker = Short {
            status: d.any.status,
            string: &format!("{} {}", d.any.status, d.any.string),
        };
        self.short("any", input, ours, &docker);
    }
}

// ---------------------------------------------------------------------------
// The names

const HOSTS: &[&str] = &[
    "docker.io",
    "index.docker.io",
    "localhost",
    "localhost:5000",
    "quay.io",
    "nvcr.io",
    "registry.twcc.ai",
    "ghcr.io",
    "10.0.0.1:443",
    "a",
    "my-registry",
    "my-registry:5000",
    "x_y.io",
    "a__b.c",
    "x_y",
    "Foo",
    "FOO:5000",
    "Foo.com",
    "Registry.Example.COM:8080",
    "a-b.c-d.e",
    "a-.b",
    "-a.b",
    "a..b",
    "host:http",
    "host:",
    ":5000",
    "[::1]",
    "[::1]:5000",
    "[2001:db8::1]",
    "[fe80::1%eth0]",
    "[::1",
    "[]",
    "[g::1]",
    "localhost_",
    "sha256",
    "library",
    "docker.io:443",
];

const COMPONENTS: &[&str] = &[
    "library",
    "ubuntu",
    "app",
    "org",
    "a",
    "x",
    "0",
    "a.b",
    "a_b",
    "a__b",
    "a___b",
    "a-b",
    "a--b",
    "a-",
    "-a",
    "a.",
    ".a",
    "a..b",
    "a._b",
    "Upper",
    "uPper",
    "x_y.io",
    "localhost",
    "a.b.c",
    "pytorch",
    "nvidia",
    "merlin",
    "vessl-ai",
    "tensorflow-20.11-tf2-py3",
    "sha256",
    "é",
    "a:b",
    "",
    "a@b",
    "localhost:5000",
    "foo.com",
    "ab_c.d",
];

const TAGS: &[&str] = &[
    "latest",
    "1",
    "22.04",
    "v1.2.3",
    "_x",
    "X",
    "A.b-C_d",
    ".x",
    "-x",
    "",
    "a:b",
    "t!",
    "é",
    "24.01-py3",
    "2.3.0-cuda12.4-r5",
    "5000",
    "UPPER",
];

fn digest(g: &mut XorShift) -> String {
    let (algo, len) = match g.below(12) {
        0 => ("sha384", 96),
        1 => ("sha512", 128),
        2 => ("md5", 32),
        3 => ("sha256+b64u", 64),
        4 => ("SHA256", 64),
        5 => ("sha256", 63),
        6 => ("sha256", 65),
        7 => ("foo", 40),
        _ => ("sha256", 64),
    };
    let hex = g.hex(len);
    let hex = if g.chance(8) { hex.to_uppercase() } else { hex };
    format!("{algo}:{hex}")
}

/// A name built from pieces, valid or nearly so, in every shape the
/// grammar has: with and without a domain, tag and digest, at the length
/// limits, bare digests and image IDs.
fn generated(g: &mut XorShift) -> String {
    match g.below(40) {
        0 => return g.hex(64),
        1 => return format!("sha256:{}", g.hex(64)),
        2 => return digest(g),
        3 => return String::new(),
        _ => {}
    }
    let mut s = String::new();
    if g.chance(60) {
        s.push_str(g.pick(HOSTS));
        s.push('/');
    }
    let n = match g.below(10) {
        0..=3 => 1,
        4..=6 => 2,
        7..=8 => 3,
        _ => g.range(4, 8) as usize,
    };
    for i in 0..n {
        if i > 0 {
            s.push('/');
        }
        s.push_str(g.pick(COMPONENTS));
    }
    match g.below(50) {
        // Around the 255-byte limit, for the path and for domain + path.
        0..=2 => {
            let want = g.range(240, 270) as usize;
            while s.len() < want {
                s.push_str(if g.chance(50) { "/a" } else { "b" });
            }
        }
        3 => s.push_str(&format!("/{}", g.hex(64))),
        _ => {}
    }
    if g.chance(40) {
        s.push(':');
        if g.chance(5) {
            let n = g.range(126, 130) as usize;
            s.push_str(&"t".repeat(n));
        } else {
            s.push_str(g.pick(TAGS));
        }
    }
    if g.chance(15) {
        s.push('@');
        s.push_str(&digest(g));
    }
    s
}

/// One to three edits: insert, replace or delete a byte of interest, or
/// change the case of a letter.
fn mutated(g: &mut XorShift, base: &str) -> String {
    const ALPHABET: &[&str] = &[
        "/",
        ":",
        "@",
        ".",
        "_",
        "-",
        "a",
        "Z",
        "0",
        "[",
        "]",
        "%",
        "é",
        " ",
        "//",
        "__",
        "..",
        "library/",
        "docker.io/",
        "localhost/",
        "sha256:",
        "A",
    ];
    let mut s = base.to_owned();
    for _ in 0..g.range(1, 3) {
        let mut at = g.below(s.len() as u64 + 1) as usize;
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        match g.below(4) {
            0 => s.insert_str(at, g.pick(ALPHABET)),
            1 if at < s.len() => {
                let len = s[at..].chars().next().unwrap().len_utf8();
                s.replace_range(at..at + len, g.pick(ALPHABET));
            }
            2 if at < s.len() => {
                let len = s[at..].chars().next().unwrap().len_utf8();
                s.replace_range(at..at + len, "");
            }
            _ => {
                s = s
                    .char_indices()
                    .map(|(i, c)| if i == at { c.to_ascii_uppercase() } else { c })
                    .collect();
            }
        }
    }
    s
}

fn names() -> Vec<String> {
    let seed = std::env::var("IMAGETAG_ORACLE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(SEED);
    let mut g = XorShift::new(seed);
    // Real names (tests/data/corpus), the generated corpus of the benches,
    // then names built from pieces; then mutations of all of them.
    let mut names: Vec<String> = ["ngc.tsv", "twcc.tsv", "vessl.tsv"]
        .iter()
        .flat_map(|t| util::corpus(t))
        .filter_map(|row| row.get("full_name").map(str::to_owned))
        .collect();
    names.extend(corpus_gen::corpus());
    names.extend((0..GENERATED).map(|_| generated(&mut g)));
    let bases = names.len();
    for _ in 0..MUTATED {
        let base = &names[g.below(bases as u64) as usize];
        let m = mutated(&mut g, base);
        names.push(m);
    }
    // One line per name: a line break would split it.
    names.retain(|n| !n.contains(['\n', '\r']));
    names
}

#[test]
fn imagetag_reads_names_as_docker_does() {
    let bin = oracle();
    let names = names();
    assert!(names.len() >= 100_000, "{} names", names.len());
    let lines = ask(&bin, &names);

    let mut report = Report::default();
    for (input, line) in names.iter().zip(&lines) {
        report.compare(input, &Docker::read(line));
    }
    let declared: Vec<String> = DECLARED
        .iter()
        .zip(report.declared)
        .map(|(d, n)| format!("{d:?}: {n}"))
        .collect();
    eprintln!(
        "{} names, {} comparisons, {} strict and normalized readings both accepted; \
         declared differences: {}",
        names.len(),
        report.compared,
        report.accepted,
        declared.join(", ")
    );
    let n = report.disagreements.len();
    if n > 0 {
        // The first disagreement of each kind, then the first ones overall.
        let mut kinds: Vec<(&str, usize, &str)> = Vec::new();
        for (kind, message) in &report.disagreements {
            match kinds.iter_mut().find(|(k, _, _)| k == kind) {
                Some((_, count, _)) => *count += 1,
                None => kinds.push((kind, 1, message)),
            }
        }
        let by_kind: Vec<String> = kinds
            .iter()
            .map(|(k, count, first)| format!("  {k} ({count}x), first: {first}"))
            .collect();
        let first: Vec<&str> = report.disagreements[..n.min(20)]
            .iter()
            .map(|(_, m)| m.as_str())
            .collect();
        panic!(
            "{n} disagreements with Docker's reference parser (distribution 2.8.2) \
             outside the declared differences\nby kind:\n{}\nfirst ones:\n  {}",
            by_kind.join("\n"),
            first.join("\n  ")
        );
    }
    // Each declared difference is exercised: a generator that stopped
    // producing IPv6 hosts, uppercase domains or long names would leave an
    // exception untested.
    for (d, n) in DECLARED.iter().zip(report.declared) {
        assert!(n > 0, "declared difference {d:?} never seen");
    }
}
