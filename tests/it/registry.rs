//! The registry client against a real `docker-registry` (distribution 2.8)
//! on loopback, and against a small canned server for what a real registry
//! will not do (paging, loops, errors, slowness, a missing digest header).
#![cfg(feature = "registry")]

use crate::support;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use imagetag::registry::{Client, Credentials, ErrorKind, Options, Secret};
use support::{base64, push, sha256, Auth, Canned, FakeServer, Registry, TempDir, TokenServer};

const TAGS: &[&str] = &[
    "2.3.0-cuda12.4-r4=r4",
    "2.3.0-cuda12.4-r5=r5",
    "2.3.0-cuda12.4=r5",
    "2.3.1-cuda12.1-r2=r2",
    "2.3.1-cuda12.1-r10=r10",
    "2.3.1-cuda12.1=r10",
    "latest=r10",
];

fn options() -> Options {
    let mut o = Options::default();
    o.credentials = Credentials::None;
    o.timeout = Duration::from_secs(10);
    o.backoff = Duration::from_millis(5);
    o
}

fn mirrored(host: &str) -> Options {
    let mut o = options();
    o.mirror = Some(host.to_owned());
    o
}

fn bin(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_imagetag"));
    cmd.args(args)
        .env_remove("IMAGETAG_REGISTRY_USER")
        .env_remove("IMAGETAG_REGISTRY_PASSWORD")
        .env_remove("IMAGETAG_REGISTRY_HOST")
        .env("DOCKER_CONFIG", "/nonexistent-imagetag-test");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run imagetag")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

// --- a real registry ---------------------------------------------------------

#[test]
fn lists_tags_resolves_and_pins_against_a_real_registry() {
    let reg = Registry::start(Auth::None);
    let digests = push(&reg.base(), "vessl-ai/torch", TAGS, None);

    let client = Client::new(mirrored(&reg.host()));
    let mut tags = client.tags("quay.io/vessl-ai/torch").unwrap();
    tags.sort();
    let mut want: Vec<_> = TAGS.iter().map(|t| t.split('=').next().unwrap()).collect();
    want.sort();
    assert_eq!(tags, want);

    let catalog = client.catalog("quay.io/vessl-ai/torch").unwrap();
    let pinned = catalog
        .resolve_name("quay.io/vessl-ai/torch:2.3.0-cuda12.4")
        .unwrap();
    assert_eq!(
        pinned.to_string(),
        "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5"
    );
    let d = client.digest(&pinned.to_string()).unwrap();
    assert_eq!(d, digests["2.3.0-cuda12.4-r5"]);
    // The alias and its revision are the same manifest.
    assert_eq!(
        client
            .digest("quay.io/vessl-ai/torch:2.3.0-cuda12.4")
            .unwrap(),
        d
    );
    // Straight at the registry, without a mirror: plain HTTP on loopback.
    let direct = Client::new(options());
    let name = format!("{}/vessl-ai/torch:latest", reg.host());
    assert_eq!(direct.digest(&name).unwrap(), digests["latest"]);

    let e = direct
        .tags(&format!("{}/vessl-ai/nothing", reg.host()))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    let msg = e.to_string();
    assert!(msg.contains(&reg.host()), "{msg}");
    assert!(msg.contains("/v2/vessl-ai/nothing/tags/list"), "{msg}");
    assert!(
        msg.contains("HTTP 404") && msg.contains("NAME_UNKNOWN"),
        "{msg}"
    );
    let e = direct
        .digest(&format!("{}/vessl-ai/torch:9.9", reg.host()))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
}

#[test]
fn the_binary_reads_a_real_registry() {
    let reg = Registry::start(Auth::None);
    let digests = push(&reg.base(), "vessl-ai/torch", TAGS, None);
    let host = reg.host();

    let out = bin(
        &[
            "resolve",
            "--digest",
            "--mirror",
            &host,
            "quay.io/vessl-ai/torch:2.3.0-cuda12.4",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!(
            "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5@{}\n",
            digests["2.3.0-cuda12.4-r5"]
        )
    );

    let out = bin(
        &[
            "latest",
            "quay.io/vessl-ai/torch",
            "--pinned",
            "--mirror",
            &host,
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "quay.io/vessl-ai/torch:2.3.1-cuda12.1-r10\n"
    );

    let out = bin(&["tags", "quay.io/vessl-ai/torch", "--mirror", &host], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let listed = text(&out.stdout);
    let lines: Vec<&str> = listed.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        lines,
        [
            "2.3.1-cuda12.1-r2",
            "2.3.1-cuda12.1-r10",
            "2.3.1-cuda12.1",
            "2.3.0-cuda12.4-r4",
            "2.3.0-cuda12.4-r5",
            "2.3.0-cuda12.4",
            "latest"
        ],
        "{listed}"
    );
    assert!(listed.lines().next().unwrap().starts_with("# "), "{listed}");
    // `latest` is no VESSL tag: listed last, in a group of its own.
    assert!(listed.contains("# other tags"), "{listed}");

    let out = bin(
        &[
            "sort",
            "--registry",
            "quay.io/vessl-ai/torch",
            "--mirror",
            &host,
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).lines().count(), TAGS.len());

    // A missing repository: exit 1, a message naming registry, URL, status.
    let out = bin(&["tags", &format!("{host}/nope"), "--verbose"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("HTTP 404") && err.contains(&host), "{err}");
    assert!(
        err.contains("GET http://"),
        "--verbose shows requests: {err}"
    );
}

#[test]
fn a_vessl_mirror_on_loopback_is_detected_by_its_path() {
    // A company mirror: the VESSL repository under its own path, on a
    // registry that is not quay.io. No flag tells the scheme.
    let reg = Registry::start(Auth::None);
    let digests = push(&reg.base(), "vessl-ai/torch", TAGS, None);
    let host = reg.host();
    let alias = format!("{host}/vessl-ai/torch:2.3.0-cuda12.4");
    let img = imagetag::Image::parse(&alias).unwrap();
    assert_eq!(img.scheme(), imagetag::Scheme::Vessl);
    assert!(img.is_alias());

    let out = bin(&["resolve", "--digest", &alias], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!(
            "{host}/vessl-ai/torch:2.3.0-cuda12.4-r5@{}\n",
            digests["2.3.0-cuda12.4-r5"]
        )
    );
    let out = bin(
        &["latest", &format!("{host}/vessl-ai/torch"), "--pinned"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!("{host}/vessl-ai/torch:2.3.1-cuda12.1-r10\n")
    );
    // `latest` is no VESSL tag: listed last, in a group of its own.
    let out = bin(&["tags", &format!("{host}/vessl-ai/torch")], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let listed = text(&out.stdout);
    assert!(listed.ends_with("# other tags\nlatest\n"), "{listed}");

    // `--scheme generic` overrides detection: the generic reading gets the
    // same answer by its own rule (a version without its build revision is
    // a moving tag for the newest `-rN`).
    let out = bin(&["resolve", "--scheme", "generic", &alias], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!("{host}/vessl-ai/torch:2.3.0-cuda12.4-r5\n")
    );
    // `--scheme ngc` on a VESSL tag: an error naming the part that broke.
    let out = bin(
        &[
            "resolve",
            "--scheme",
            "ngc",
            &format!("{host}/vessl-ai/torch:2.3.0-cuda12.4_x"),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let err = text(&out.stderr);
    assert!(
        err.contains("invalid NGC tag") && err.contains("expected '-' after the cuda version"),
        "{err}"
    );
}

#[test]
fn basic_auth_against_a_real_registry() {
    let reg = Registry::start(Auth::Basic("alice", "s3cr3t-pw"));
    let authz = format!("Basic {}", base64(b"alice:s3cr3t-pw"));
    let digests = push(&reg.base(), "team/app", &["1.0", "1.1"], Some(&authz));
    let repo = format!("{}/team/app", reg.host());

    // Anonymous: refused, with a message that says what to set.
    let e = Client::new(options()).tags(&repo).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized, "{e}");
    assert!(e.to_string().contains("IMAGETAG_REGISTRY_USER"), "{e}");

    // Given credentials.
    let mut o = options();
    o.credentials = Credentials::Basic {
        registry: reg.host(),
        user: "alice".into(),
        password: Secret::new("s3cr3t-pw"),
    };
    let c = Client::new(o.clone());
    let mut tags = c.tags(&repo).unwrap();
    tags.sort();
    assert_eq!(tags, ["1.0", "1.1"]);
    assert_eq!(c.digest(&format!("{repo}:1.1")).unwrap(), digests["1.1"]);
    assert!(!format!("{c:?}").contains("s3cr3t"));

    // Wrong password.
    o.credentials = Credentials::Basic {
        registry: reg.host(),
        user: "alice".into(),
        password: Secret::new("nope"),
    };
    let e = Client::new(o).tags(&repo).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized, "{e}");

    // The binary, with the environment variables; --verbose prints no secret.
    let out = bin(
        &["tags", &repo, "--verbose"],
        &[
            ("IMAGETAG_REGISTRY_HOST", reg.host().as_str()),
            ("IMAGETAG_REGISTRY_USER", "alice"),
            ("IMAGETAG_REGISTRY_PASSWORD", "s3cr3t-pw"),
        ],
    );
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(text(&out.stdout).contains("1.1"));
    assert!(
        !err.contains("s3cr3t") && !err.contains(&base64(b"alice:s3cr3t-pw")),
        "{err}"
    );
    assert!(err.contains("IMAGETAG_REGISTRY_USER"), "says where: {err}");

    // The binary, with a Docker config file.
    let dir = TempDir::new("docker-config");
    std::fs::write(
        dir.path().join("config.json"),
        format!(
            r#"{{"auths":{{"{}":{{"auth":"{}"}}}}}}"#,
            reg.host(),
            base64(b"alice:s3cr3t-pw")
        ),
    )
    .unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_imagetag"));
    let out = cmd
        .args(["resolve", "--digest", &format!("{repo}:1.0")])
        .env_remove("IMAGETAG_REGISTRY_USER")
        .env("DOCKER_CONFIG", dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!("{repo}:1.0@{}\n", digests["1.0"])
    );
}

#[test]
fn bearer_auth_against_a_real_registry_and_token_server() {
    // The token server hands out tokens only for this login; the registry
    // (auth: token) sends every client there.
    const LOGIN: (&str, &str) = ("carol", "t0ken-s3cret");
    let tokens = TokenServer::start(Some(LOGIN));
    let reg = Registry::start(tokens.auth());
    let host = reg.host();
    // The registry itself is closed without a token.
    let anon = support::agent()
        .get(&format!("{}/v2/vessl-ai/torch/tags/list", reg.base()))
        .call()
        .unwrap();
    assert_eq!(anon.status().as_u16(), 401);
    let challenge = anon.headers()["www-authenticate"].to_str().unwrap();
    assert!(challenge.contains(&tokens.realm()), "{challenge}");

    let push_token = tokens.token("repository:vessl-ai/torch:pull,push", Some(LOGIN));
    let digests = push(&reg.base(), "vessl-ai/torch", TAGS, Some(&push_token));
    let repo = format!("{host}/vessl-ai/torch");

    // Anonymous: the token server refuses; the error says so, and what to set.
    let e = Client::new(options()).tags(&repo).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized, "{e}");
    assert_eq!(e.status(), Some(401), "{e}");
    let msg = e.to_string();
    assert!(msg.contains("token server"), "{msg}");
    assert!(msg.contains(&tokens.realm()), "{msg}");
    assert!(msg.contains("IMAGETAG_REGISTRY_USER"), "{msg}");

    // With the login: tags, a catalog and digests, through tokens.
    let mut o = options();
    o.credentials = Credentials::Basic {
        registry: host.clone(),
        user: LOGIN.0.into(),
        password: Secret::new(LOGIN.1),
    };
    let c = Client::new(o.clone());
    let mut tags = c.tags(&repo).unwrap();
    tags.sort();
    let mut want: Vec<_> = TAGS.iter().map(|t| t.split('=').next().unwrap()).collect();
    want.sort();
    assert_eq!(tags, want);
    assert_eq!(
        c.digest(&format!("{repo}:2.3.0-cuda12.4")).unwrap(),
        digests["2.3.0-cuda12.4-r5"]
    );
    assert_eq!(c.tag_digest(&repo, "latest").unwrap(), digests["latest"]);
    // Through a mirror, under its quay.io name: a VESSL catalog to resolve in.
    let mut m = o.clone();
    m.mirror = Some(host.clone());
    let mc = Client::new(m);
    let catalog = mc.catalog("quay.io/vessl-ai/torch").unwrap();
    let pinned = catalog
        .resolve_name("quay.io/vessl-ai/torch:2.3.1-cuda12.1")
        .unwrap();
    assert_eq!(
        pinned.to_string(),
        "quay.io/vessl-ai/torch:2.3.1-cuda12.1-r10"
    );
    assert_eq!(
        mc.digest(&pinned.to_string()).unwrap(),
        digests["2.3.1-cuda12.1-r10"]
    );

    // A wrong password: refused by the token server, the password unsaid.
    let mut wrong = options();
    wrong.credentials = Credentials::Basic {
        registry: host.clone(),
        user: LOGIN.0.into(),
        password: Secret::new("not-the-pw"),
    };
    let e = Client::new(wrong).tags(&repo).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized, "{e}");
    assert!(e.to_string().contains("refused the credentials"), "{e}");
    assert!(!e.to_string().contains("not-the-pw"), "{e}");

    // A token without access (the token server grants nothing on deny/…):
    // the registry still answers 401 (insufficient_scope), reported as such.
    let e = c.tags(&format!("{host}/deny/app")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized, "{e}");
    assert!(e.url().starts_with(&reg.base()), "the registry's URL: {e}");
    assert!(e.to_string().contains("access denied"), "{e}");

    // The binary: anonymous is refused with exit 1 and a message...
    let out = bin(&["tags", &repo], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("HTTP 401") && err.contains("token server"),
        "{err}"
    );

    // ...and with the login, resolves with digests and lists tags, its
    // --verbose output showing neither the password nor a token.
    let env = [
        ("IMAGETAG_REGISTRY_HOST", host.as_str()),
        ("IMAGETAG_REGISTRY_USER", LOGIN.0),
        ("IMAGETAG_REGISTRY_PASSWORD", LOGIN.1),
    ];
    let out = bin(
        &[
            "resolve",
            "--digest",
            "--verbose",
            "--mirror",
            &host,
            "quay.io/vessl-ai/torch:2.3.0-cuda12.4",
        ],
        &env,
    );
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(
        text(&out.stdout),
        format!(
            "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5@{}\n",
            digests["2.3.0-cuda12.4-r5"]
        )
    );
    assert!(err.contains("/token?"), "the token request is shown: {err}");
    let basic = base64(format!("{}:{}", LOGIN.0, LOGIN.1).as_bytes());
    for secret in [LOGIN.1, basic.as_str(), "Bearer ", "eyJ"] {
        assert!(!err.contains(secret), "{secret:?} in --verbose: {err}");
    }
    let out = bin(&["tags", "--verbose", &repo], &env);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let listed = text(&out.stdout);
    assert_eq!(
        listed.lines().filter(|l| !l.starts_with('#')).count(),
        TAGS.len(),
        "{listed}"
    );
    for secret in [LOGIN.1, basic.as_str(), "Bearer ", "eyJ"] {
        assert!(!err.contains(secret), "{secret:?} in --verbose: {err}");
    }
}

/// A `docker-credential-imagetagtest` in a fresh dir: `get` answers `login`
/// for `server` (exit 1, "credentials not found", for any other), and
/// appends each server asked for to `calls` in the dir.
#[cfg(unix)]
fn credential_helper(server: &str, login: (&str, &str)) -> TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("cred-helper");
    let calls = dir.path().join("calls");
    let script = format!(
        "#!/bin/sh\n\
         # A Docker credential helper for the tests: `get` only.\n\
         [ \"$1\" = get ] || exit 2\n\
         server=$(cat)\n\
         printf '%s\\n' \"$server\" >>'{calls}'\n\
         if [ \"$server\" = '{server}' ]; then\n\
         \x20 printf '{{\"ServerURL\":\"%s\",\"Username\":\"{user}\",\"Secret\":\"{secret}\"}}\\n' \"$server\"\n\
         \x20 exit 0\n\
         fi\n\
         echo 'credentials not found in native keychain'\n\
         exit 1\n",
        calls = calls.display(),
        user = login.0,
        secret = login.1,
    );
    let path = dir.path().join("docker-credential-imagetagtest");
    std::fs::write(&path, script).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

#[cfg(unix)]
#[test]
fn credential_helpers_against_a_real_registry() {
    const LOGIN: (&str, &str) = ("dave", "h3lper-s3cret");
    let reg = Registry::start(Auth::Basic(LOGIN.0, LOGIN.1));
    let basic = base64(format!("{}:{}", LOGIN.0, LOGIN.1).as_bytes());
    let digests = push(
        &reg.base(),
        "team/app",
        &["1.0", "1.1"],
        Some(&format!("Basic {basic}")),
    );
    let host = reg.host();
    let repo = format!("{host}/team/app");
    let helper = credential_helper(&host, LOGIN);
    let calls = helper.path().join("calls");
    // The helper's dir first on the PATH of the binary, which runs it.
    let path = format!(
        "{}:{}",
        helper.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = |config: &str, args: &[&str]| {
        let dir = TempDir::new("docker-config");
        std::fs::write(dir.path().join("config.json"), config).unwrap();
        let _ = std::fs::remove_file(&calls);
        let out = Command::new(env!("CARGO_BIN_EXE_imagetag"))
            .args(args)
            .env_remove("IMAGETAG_REGISTRY_USER")
            .env_remove("IMAGETAG_REGISTRY_PASSWORD")
            .env("DOCKER_CONFIG", dir.path())
            .env("PATH", &path)
            .output()
            .unwrap();
        let asked = std::fs::read_to_string(&calls).unwrap_or_default();
        (out, asked)
    };
    let no_secret = |err: &str| {
        for s in [LOGIN.1, basic.as_str()] {
            assert!(!err.contains(s), "{s:?} in --verbose: {err}");
        }
    };
    let name = format!("{repo}:1.1");
    let resolve = ["resolve", "--digest", "--verbose", name.as_str()];
    let want = format!("{repo}:1.1@{}\n", digests["1.1"]);

    // credHelpers: the helper of this registry, asked once, with the host
    // on stdin; the login found wins over a wrong one in auths.
    let config = format!(
        r#"{{"auths":{{"{host}":{{"auth":"{}"}}}},"credHelpers":{{"{host}":"imagetagtest"}}}}"#,
        base64(b"dave:wrong")
    );
    let (out, asked) = run(&config, &resolve);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(text(&out.stdout), want);
    assert_eq!(asked, format!("{host}\n"), "asked once, for the host");
    assert!(
        err.contains("credentials for") && err.contains("credHelpers in"),
        "{err}"
    );
    no_secret(&err);

    // credsStore: the helper for every registry.
    let (out, asked) = run(
        r#"{"credsStore":"imagetagtest"}"#,
        &["tags", &repo, "--verbose"],
    );
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(text(&out.stdout).contains("1.1"), "{}", text(&out.stdout));
    assert_eq!(asked, format!("{host}\n"));
    assert!(err.contains("credsStore in"), "{err}");
    no_secret(&err);

    // A helper that is not installed is skipped: auths answers.
    let config = format!(
        r#"{{"auths":{{"{host}":{{"auth":"{basic}"}}}},"credHelpers":{{"{host}":"imagetag-missing"}}}}"#
    );
    let (out, _) = run(&config, &resolve);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(text(&out.stdout), want);
    assert!(err.contains("auths in"), "{err}");
    no_secret(&err);

    // A helper with nothing for this registry: no login, a clear refusal.
    let other = credential_helper("127.0.0.1:1", LOGIN);
    let path_other = format!(
        "{}:{}",
        other.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let dir = TempDir::new("docker-config");
    std::fs::write(
        dir.path().join("config.json"),
        r#"{"credsStore":"imagetagtest"}"#,
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_imagetag"))
        .args(["tags", &repo])
        .env_remove("IMAGETAG_REGISTRY_USER")
        .env("DOCKER_CONFIG", dir.path())
        .env("PATH", &path_other)
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("HTTP 401") && err.contains("none were found"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(other.path().join("calls")).unwrap(),
        format!("{host}\n")
    );
}

// --- a canned server ---------------------------------------------------------

fn page(tags: &[&str]) -> String {
    let list: Vec<String> = tags.iter().map(|t| format!("\"{t}\"")).collect();
    format!(r#"{{"name":"x","tags":[{}]}}"#, list.join(","))
}

#[test]
fn follows_link_headers_page_by_page() {
    let server = FakeServer::start(|req| {
        let t = req.target.as_str();
        if t == "/v2/x/tags/list?n=2" {
            Canned::new(200, &page(&["a", "b"]))
                .header("Link", "</v2/x/tags/list?n=2&last=b>; rel=\"next\"")
        } else if t == "/v2/x/tags/list?n=2&last=b" {
            // An absolute link on the same origin.
            let port = req.header("host").unwrap().to_owned();
            Canned::new(200, &page(&["c", "d"])).header(
                "Link",
                &format!("<http://{port}/v2/x/tags/list?n=2&last=d>; rel=\"next\""),
            )
        } else if t == "/v2/x/tags/list?n=2&last=d" {
            Canned::new(200, &page(&["e"]))
        } else {
            Canned::new(404, "{}")
        }
    });
    let mut o = options();
    o.page_size = 2;
    let tags = Client::new(o)
        .tags(&format!("{}/x", server.host()))
        .unwrap();
    assert_eq!(tags, ["a", "b", "c", "d", "e"]);
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0].target, "/v2/x/tags/list?n=2");
}

#[test]
fn a_link_that_loops_is_an_error() {
    let server = FakeServer::start(|req| {
        if req.target.contains("last=b") {
            Canned::new(200, &page(&["c"])).header("Link", "</v2/x/tags/list?n=1000>; rel=\"next\"")
        } else {
            Canned::new(200, &page(&["a", "b"]))
                .header("Link", "</v2/x/tags/list?last=b>; rel=\"next\"")
        }
    });
    let e = Client::new(options())
        .tags(&format!("{}/x", server.host()))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Limit, "{e}");
    assert!(e.to_string().contains("loops"), "{e}");
    assert_eq!(server.seen().len(), 2);
}

#[test]
fn endless_pages_stop_at_the_page_limit() {
    // Each page links to a new one.
    let server = FakeServer::start(|req| {
        Canned::new(200, &page(&["a"])).header("Link", &format!("<{}a>; rel=\"next\"", req.target))
    });
    let mut o = options();
    o.max_pages = 5;
    let e = Client::new(o)
        .tags(&format!("{}/x", server.host()))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Limit, "{e}");
    assert_eq!(server.seen().len(), 5);
}

#[test]
fn a_registry_that_stops_mid_listing() {
    // Page 2 is a 500 every time: retried, then reported with its URL.
    let server = FakeServer::start(|req| {
        if req.target.contains("last=") {
            Canned::new(
                500,
                "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"boom\"}]}",
            )
        } else {
            Canned::new(200, &page(&["a"])).header("Link", "</v2/x/tags/list?last=a>; rel=\"next\"")
        }
    });
    let e = Client::new(options())
        .tags(&format!("{}/x", server.host()))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Status, "{e}");
    assert_eq!(e.status(), Some(500));
    assert!(e.url().ends_with("/v2/x/tags/list?last=a"), "{e}");
    assert!(e.to_string().contains("boom"), "{e}");
    assert_eq!(server.seen().len(), 1 + 4, "one try and three retries");

    // Page 2 hangs up without answering.
    let server = FakeServer::start(|req| {
        if req.target.contains("last=") {
            Canned {
                hang_up: true,
                ..Canned::default()
            }
        } else {
            Canned::new(200, &page(&["a"])).header("Link", "</v2/x/tags/list?last=a>; rel=\"next\"")
        }
    });
    let e = Client::new(options())
        .tags(&format!("{}/x", server.host()))
        .unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::Transport | ErrorKind::Protocol),
        "{e}"
    );
    assert!(e.url().contains("last=a"), "{e}");
}

#[test]
fn retries_429_honouring_retry_after() {
    let n = std::sync::atomic::AtomicU64::new(0);
    let server = FakeServer::start(move |_| {
        if n.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
            Canned::new(429, "slow down").header("Retry-After", "1")
        } else {
            Canned::new(200, &page(&["a"]))
        }
    });
    let started = Instant::now();
    let tags = Client::new(options())
        .tags(&format!("{}/x", server.host()))
        .unwrap();
    assert_eq!(tags, ["a"]);
    assert!(started.elapsed() >= Duration::from_millis(900));

    // Always 429: reported as rate limiting, with the waits capped.
    let server = FakeServer::start(|_| Canned::new(429, "slow down").header("Retry-After", "3600"));
    let mut o = options();
    o.max_retry_after = Duration::from_millis(50);
    let started = Instant::now();
    let e = Client::new(o)
        .tags(&format!("{}/x", server.host()))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimited, "{e}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn status_answers_are_errors_that_say_what_happened() {
    let server = FakeServer::start(|req| match req.target.as_str() {
        t if t.starts_with("/v2/unauth/") => Canned::new(401, "{\"errors\":[\"UNAUTHORIZED\"]}"),
        t if t.starts_with("/v2/forbidden/") => Canned::new(403, "denied"),
        _ => Canned::new(404, "{\"errors\":[{\"code\":\"NAME_UNKNOWN\"}]}"),
    });
    let c = Client::new(options());
    let e = c.tags(&format!("{}/unauth", server.host())).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized, "{e}");
    let e = c.tags(&format!("{}/forbidden", server.host())).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized, "{e}");
    assert!(e.to_string().contains("HTTP 403"), "{e}");
    let e = c.tags(&format!("{}/missing", server.host())).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
    assert!(e.to_string().contains("NAME_UNKNOWN"), "{e}");
    assert_eq!(e.registry(), server.host());
}

#[test]
fn a_slow_answer_times_out() {
    let server = FakeServer::start(|_| Canned {
        delay: Duration::from_secs(2),
        ..Canned::new(200, &page(&["a"]))
    });
    let mut o = options();
    o.timeout = Duration::from_millis(300);
    o.retries = 0;
    let started = Instant::now();
    let e = Client::new(o)
        .tags(&format!("{}/x", server.host()))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert!(started.elapsed() < Duration::from_millis(1500));
    assert!(e.to_string().contains("0.3 s"), "{e}");
}

#[test]
fn a_body_over_the_limit_is_refused() {
    let big = page(&vec!["tag"; 10_000]);
    let server = FakeServer::start(move |_| Canned::new(200, &big));
    let mut o = options();
    o.max_body = 1000;
    let e = Client::new(o)
        .tags(&format!("{}/x", server.host()))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Limit, "{e}");
}

#[test]
fn a_missing_digest_header_means_hashing_the_manifest() {
    const MANIFEST: &str =
        r#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}"#;
    let server = FakeServer::start(|_| {
        Canned::new(200, MANIFEST)
            .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
    });
    // Trusting the header: a HEAD first, then a GET when it is missing.
    let mut trusting = options();
    trusting.verify_digests = false;
    let d = Client::new(trusting)
        .digest(&format!("{}/x:1.0", server.host()))
        .unwrap();
    assert_eq!(d, sha256(MANIFEST.as_bytes()));
    let seen = server.seen();
    assert_eq!(
        seen.iter().map(|s| s.method.as_str()).collect::<Vec<_>>(),
        ["HEAD", "GET"]
    );
    // Verifying (the default): one GET, hashed.
    let d = Client::new(options())
        .digest(&format!("{}/x:1.0", server.host()))
        .unwrap();
    assert_eq!(d, sha256(MANIFEST.as_bytes()));
    assert_eq!(server.seen()[2].method, "GET");
    let accept = seen[0].header("accept").unwrap();
    for t in [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ] {
        assert!(accept.contains(t), "{accept}");
    }
}

#[test]
fn bearer_challenge_anonymous_and_with_credentials() {
    let server = FakeServer::start(|req| {
        let host = req.header("host").unwrap().to_owned();
        if req.target.starts_with("/token?") {
            assert!(
                req.target.contains("service=test-registry"),
                "{}",
                req.target
            );
            assert!(
                req.target.contains("scope=repository%3Ax%3Apull"),
                "{}",
                req.target
            );
            return match req.header("authorization") {
                None => Canned::new(200, r#"{"token":"anon-token"}"#),
                Some(a) if a == format!("Basic {}", base64(b"bob:pw")) => {
                    Canned::new(200, r#"{"access_token":"bob-token"}"#)
                }
                Some(_) => Canned::new(401, "bad credentials"),
            };
        }
        match req.header("authorization") {
            Some("Bearer anon-token") => Canned::new(200, &page(&["public"])),
            Some("Bearer bob-token") => Canned::new(200, &page(&["public", "private"])),
            _ => Canned::new(401, "{}").header(
                "WWW-Authenticate",
                &format!(
                    "Bearer realm=\"http://{host}/token\",service=\"test-registry\",scope=\"repository:x:pull\""
                ),
            ),
        }
    });
    let repo = format!("{}/x", server.host());
    assert_eq!(Client::new(options()).tags(&repo).unwrap(), ["public"]);
    let mut o = options();
    o.credentials = Credentials::Basic {
        registry: server.host(),
        user: "bob".into(),
        password: Secret::new("pw"),
    };
    let c = Client::new(o.clone());
    assert_eq!(c.tags(&repo).unwrap(), ["public", "private"]);
    // The token is kept: the second listing needs no new token.
    let before = server.seen().len();
    c.tags(&repo).unwrap();
    assert_eq!(server.seen().len(), before + 1);

    o.credentials = Credentials::Basic {
        registry: server.host(),
        user: "bob".into(),
        password: Secret::new("wrong"),
    };
    let e = Client::new(o).tags(&repo).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized, "{e}");
    assert!(e.to_string().contains("token server"), "{e}");
    assert!(!e.to_string().contains("wrong"), "{e}");

    // The binary with --verbose shows requests but never the token or password.
    let out = bin(
        &["tags", &repo, "--verbose"],
        &[
            ("IMAGETAG_REGISTRY_HOST", server.host().as_str()),
            ("IMAGETAG_REGISTRY_USER", "bob"),
            ("IMAGETAG_REGISTRY_PASSWORD", "pw"),
        ],
    );
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("/token?"), "{err}");
    assert!(
        !err.contains("bob-token") && !err.contains(&base64(b"bob:pw")),
        "{err}"
    );
}

#[test]
fn pin_reads_tags_and_digests_from_a_real_registry() {
    let reg = Registry::start(Auth::None);
    let digests = push(&reg.base(), "vessl-ai/torch", TAGS, None);
    let host = reg.host();
    let dir = TempDir::new("pin-registry");
    let file = dir.path().join("compose.yaml");
    let before =
        "services:\n  train:\n    image: quay.io/vessl-ai/torch:2.3.0-cuda12.4   # keep me\n";
    std::fs::write(&file, before).unwrap();
    let path = file.to_str().unwrap();

    // --check: the diff, nothing written.
    let out = bin(&["pin", "--check", "--mirror", &host, path], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!(
            "--- a/{p}\n+++ b/{p}\n@@ -3 +3 @@\n-    image: quay.io/vessl-ai/torch:2.3.0-cuda12.4   # keep me\n+    image: quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5   # keep me\n",
            p = path.trim_start_matches('/')
        )
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), before);

    // --digest: the revision and its manifest digest, every other byte kept.
    let out = bin(&["pin", "--digest", "--mirror", &host, path], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        format!(
            "services:\n  train:\n    image: quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5@{}   # keep me\n",
            digests["2.3.0-cuda12.4-r5"]
        )
    );

    // A repository the registry does not have: the file is left untouched.
    let other = dir.path().join("other.yaml");
    let text_before = "image: quay.io/vessl-ai/python:3.11\n";
    std::fs::write(&other, text_before).unwrap();
    let out = bin(&["pin", "--mirror", &host, other.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("HTTP 404") && err.contains("left untouched"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&other).unwrap(), text_before);
}

#[cfg(unix)]
#[test]
fn identity_tokens_are_traded_at_the_token_server() {
    // An OAuth2 token server: a refresh token POSTed as a form buys a token.
    let server = FakeServer::start(|req| {
        let host = req.header("host").unwrap().to_owned();
        if req.target.starts_with("/token") {
            let form = String::from_utf8_lossy(&req.body).into_owned();
            let ok = req.method == "POST"
                && req.target == "/token"
                && req.header("content-type") == Some("application/x-www-form-urlencoded")
                && form.contains("grant_type=refresh_token")
                && form.contains("refresh_token=id-t0ken-123")
                && form.contains("service=test-registry")
                && form.contains("scope=repository%3Ax%3Apull")
                && form.contains("client_id=");
            return if ok {
                Canned::new(200, r#"{"access_token":"from-identity","expires_in":300}"#)
            } else {
                Canned::new(401, &format!("{} {}: {form}", req.method, req.target))
            };
        }
        if req.target.starts_with("/v2/basic/") {
            return Canned::new(401, "{}").header("WWW-Authenticate", "Basic realm=\"r\"");
        }
        match req.header("authorization") {
            Some("Bearer from-identity") => Canned::new(200, &page(&["private"])),
            _ => Canned::new(401, "{}").header(
                "WWW-Authenticate",
                &format!(
                    "Bearer realm=\"http://{host}/token\",service=\"test-registry\",scope=\"repository:x:pull\""
                ),
            ),
        }
    });
    let host = server.host();
    let repo = format!("{host}/x");
    let run = |config: &str, path: Option<&Path>, repo: &str| {
        let dir = TempDir::new("docker-config");
        std::fs::write(dir.path().join("config.json"), config).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_imagetag"));
        cmd.args(["tags", repo, "--verbose"])
            .env_remove("IMAGETAG_REGISTRY_USER")
            .env_remove("IMAGETAG_REGISTRY_PASSWORD")
            .env("DOCKER_CONFIG", dir.path());
        if let Some(p) = path {
            let path = format!(
                "{}:{}",
                p.display(),
                std::env::var("PATH").unwrap_or_default()
            );
            cmd.env("PATH", path);
        }
        cmd.output().unwrap()
    };
    let no_secret = |err: &str| {
        for s in ["id-t0ken-123", "from-identity"] {
            assert!(!err.contains(s), "{s:?} in --verbose: {err}");
        }
    };

    // `identitytoken` in auths (as `docker login` leaves it, next to an
    // `auth` with the user and no password).
    let config = format!(
        r#"{{"auths":{{"{host}":{{"auth":"{}","identitytoken":"id-t0ken-123"}}}}}}"#,
        base64(b"erin:")
    );
    let out = run(&config, None, &repo);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(text(&out.stdout).lines().last(), Some("private"), "{err}");
    assert!(
        err.contains("identitytoken") && err.contains("POST http://"),
        "{err}"
    );
    no_secret(&err);

    // A helper's `<token>` user: its secret is an identity token.
    let helper = credential_helper(&host, ("<token>", "id-t0ken-123"));
    let out = run(
        r#"{"credsStore":"imagetagtest"}"#,
        Some(helper.path()),
        &repo,
    );
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(text(&out.stdout).contains("private"), "{err}");
    no_secret(&err);
    // Never as Basic auth, not to the token server, not to the registry.
    for s in server.seen() {
        let a = s.header("authorization").unwrap_or("");
        assert!(!a.starts_with("Basic"), "{s:?}");
    }

    // A registry that asks for Basic auth: an identity token cannot answer.
    let out = run(&config, None, &format!("{host}/basic"));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("identity token"), "{err}");
    no_secret(&err);
}

/// `digests` asks many names over a small pool of parallel requests: the
/// same answers as one `digest` at a time, in the order asked, each name
/// asked once, and an error for the name that has none.
#[test]
fn digests_of_many_names_in_parallel() {
    let reg = Registry::start(Auth::None);
    let digests = push(&reg.base(), "vessl-ai/torch", TAGS, None);
    let repo = format!("{}/vessl-ai/torch", reg.host());
    let mut names: Vec<String> = TAGS
        .iter()
        .map(|t| format!("{repo}:{}", t.split('=').next().unwrap()))
        .collect();
    names.push(names[0].clone());
    names.push(format!("{repo}:no-such-tag"));
    let mut o = options();
    o.parallel = 3;
    let c = Client::new(o);
    let got = c.digests(&names);
    assert_eq!(got.len(), names.len());
    for (name, answer) in names.iter().zip(&got) {
        let tag = name.rsplit(':').next().unwrap();
        match digests.get(tag) {
            Some(d) => assert_eq!(answer.as_ref().unwrap(), d, "{name}"),
            None => assert_eq!(answer.as_ref().unwrap_err().kind(), ErrorKind::NotFound),
        }
    }
}

/// `pin --digest` pins every reference with a tag (an alias to its revision
/// first), keeping the tag, to exactly the digests the registry reports; a
/// re-push moves a tag and the next run re-pins it; `outdated` and `update`
/// read the same registry. Every byte of the file is checked.
#[test]
fn pin_digest_outdated_and_update_against_a_real_registry() {
    let reg = Registry::start(Auth::None);
    let torch = push(&reg.base(), "vessl-ai/torch", TAGS, None);
    let python = push(
        &reg.base(),
        "library/python",
        &[
            "3.12.7-slim=a",
            "3.12.8-slim=b",
            "3.13.1-slim=c",
            "3.13-slim=c",
        ],
        None,
    );
    let host = reg.host();
    let dir = TempDir::new("pin-digest-registry");
    let file = dir.path().join("compose.yaml");
    let stale = format!("sha256:{}", "0".repeat(64));
    let before = format!(
        "services:\n  a:\n    image: quay.io/vessl-ai/torch:2.3.0-cuda12.4   # alias\n  b:\n    image: \"python:3.12.7-slim\"\n  c:\n    image: quay.io/vessl-ai/torch:2.3.1-cuda12.1-r2@{stale}\n  d:\n    image: python@{stale}\n"
    );
    std::fs::write(&file, &before).unwrap();
    let path = file.to_str().unwrap();
    let pinned = |a: &str, b: &str, c: &str| {
        format!(
            "services:\n  a:\n    image: quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5@{a}   # alias\n  b:\n    image: \"python:3.12.7-slim@{b}\"\n  c:\n    image: quay.io/vessl-ai/torch:2.3.1-cuda12.1-r2@{c}\n  d:\n    image: python@{stale}\n"
        )
    };

    let out = bin(&["pin", "--digest", "--mirror", &host, path], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), format!("{path}: pinned 3\n"));
    let first = pinned(
        &torch["2.3.0-cuda12.4-r5"],
        &python["3.12.7-slim"],
        &torch["2.3.1-cuda12.1-r2"],
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), first);

    // Nothing moved: nothing to do.
    let out = bin(
        &["pin", "--digest", "--check", "--mirror", &host, path],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "");

    // A re-push moves 3.12.7-slim: --check shows the one line, the run
    // re-pins it.
    let moved = push(&reg.base(), "library/python", &["3.12.7-slim=a2"], None);
    assert_ne!(moved["3.12.7-slim"], python["3.12.7-slim"]);
    let out = bin(
        &["pin", "--digest", "--check", "--mirror", &host, path],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!(
            "--- a/{p}\n+++ b/{p}\n@@ -5 +5 @@\n-    image: \"python:3.12.7-slim@{old}\"\n+    image: \"python:3.12.7-slim@{new}\"\n",
            p = path.trim_start_matches('/'),
            old = python["3.12.7-slim"],
            new = moved["3.12.7-slim"],
        )
    );
    let out = bin(&["pin", "--digest", "--mirror", &host, path], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let second = pinned(
        &torch["2.3.0-cuda12.4-r5"],
        &moved["3.12.7-slim"],
        &torch["2.3.1-cuda12.1-r2"],
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), second);

    // outdated: python has 3.13.1-slim on its track (3.13-slim moves);
    // torch 2.3.1-cuda12.1 has r10; 2.3.0-cuda12.4-r5 is the newest of
    // its track.
    let out = bin(&["outdated", "--mirror", &host, path], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!(
            "{path}:5:13: python:3.12.7-slim@{py} -> python:3.13.1-slim\n\
             {path}:7:12: quay.io/vessl-ai/torch:2.3.1-cuda12.1-r2@{t} -> quay.io/vessl-ai/torch:2.3.1-cuda12.1-r10\n",
            py = moved["3.12.7-slim"],
            t = torch["2.3.1-cuda12.1-r2"],
        )
    );
    assert_eq!(text(&out.stderr), "2 outdated of 4 references in 1 file\n");

    // update: the new tags, each with the digest the registry has for it.
    let out = bin(&["update", "--mirror", &host, path], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        second
            .replace(
                &format!("python:3.12.7-slim@{}", moved["3.12.7-slim"]),
                &format!("python:3.13.1-slim@{}", python["3.13.1-slim"]),
            )
            .replace(
                &format!("2.3.1-cuda12.1-r2@{}", torch["2.3.1-cuda12.1-r2"]),
                &format!("2.3.1-cuda12.1-r10@{}", torch["2.3.1-cuda12.1-r10"]),
            )
    );
    let out = bin(&["outdated", "--mirror", &host, path], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // A repository the registry does not have: outdated cannot tell, exit 2.
    let other = dir.path().join("other.yaml");
    std::fs::write(&other, "image: quay.io/vessl-ai/python:3.11-r1\n").unwrap();
    let out = bin(
        &["outdated", "--mirror", &host, other.to_str().unwrap()],
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("HTTP 404"),
        "{}",
        text(&out.stderr)
    );
}
