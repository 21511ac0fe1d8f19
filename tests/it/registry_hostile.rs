//! The registry client against hosts that try to get what is not theirs:
//! redirects to another host that ask for credentials, foreign and
//! plain-http token realms, environment credentials meant for one registry,
//! bodies that echo the request's headers, digests that do not match, and
//! listings that never end. Each server here is a small misbehaving one of
//! the suite's own ([`FakeServer`]), on loopback; "another host" is the
//! same machine under another name (`localhost` against `127.0.0.1`),
//! which is all a credential's scope looks at.
#![cfg(feature = "registry")]

use crate::support;

use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use imagetag::registry::{Client, Credentials, ErrorKind, Options, Secret};
use support::{base64, sha256, Canned, FakeServer, Seen};

const USER: &str = "alice";
const PASSWORD: &str = "pw-4f9a-c0ffee";

fn basic() -> String {
    format!("Basic {}", base64(format!("{USER}:{PASSWORD}").as_bytes()))
}

fn options(registry: &str) -> Options {
    let mut o = Options::default();
    o.credentials = Credentials::Basic {
        registry: registry.to_owned(),
        user: USER.into(),
        password: Secret::new(PASSWORD),
    };
    o.timeout = Duration::from_secs(5);
    o.backoff = Duration::from_millis(5);
    o.retries = 0;
    o
}

fn page(tags: &[&str]) -> String {
    let list: Vec<String> = tags.iter().map(|t| format!("\"{t}\"")).collect();
    format!("{{\"name\":\"x\",\"tags\":[{}]}}", list.join(","))
}

/// Every credential-bearing thing a host could have seen.
fn leaked(seen: &[Seen]) -> Vec<String> {
    let mut out = Vec::new();
    for s in seen {
        if let Some(a) = s.header("authorization") {
            out.push(format!("{} {}: Authorization {a}", s.method, s.target));
        }
        let body = String::from_utf8_lossy(&s.body);
        if body.contains(PASSWORD) {
            out.push(format!("{} {}: body {body}", s.method, s.target));
        }
    }
    out
}

fn no_secret_in(text: &str) {
    let b64 = base64(format!("{USER}:{PASSWORD}").as_bytes());
    assert!(!text.contains(PASSWORD), "password in: {text}");
    assert!(!text.contains(&b64), "basic credentials in: {text}");
}

/// A registry at 127.0.0.1 that wants Basic auth and, once given it,
/// redirects every request to `location(path)`.
fn redirecting_registry(location: impl Fn(&str) -> String + Send + Sync + 'static) -> FakeServer {
    let want = basic();
    FakeServer::start(move |req| {
        if req.header("authorization") != Some(want.as_str()) {
            return Canned::new(401, "{}").header("WWW-Authenticate", "Basic realm=\"r\"");
        }
        Canned::new(307, "").header("Location", &location(&req.target))
    })
}

// 1. A host reached by redirect never gets the registry's credentials.

#[test]
fn a_redirect_to_another_host_that_asks_for_credentials_gets_none() {
    // Another host with a bearer challenge whose realm is its own: before
    // the fix, the registry's Basic credentials went to that realm.
    let evil_port = Arc::new(Mutex::new(0u16));
    let p = evil_port.clone();
    let evil = FakeServer::start(move |req| {
        let port = *p.lock().unwrap();
        if req.target.starts_with("/token") {
            return Canned::new(200, "{\"token\":\"stolen\"}");
        }
        Canned::new(401, "{}").header(
            "WWW-Authenticate",
            &format!("Bearer realm=\"http://localhost:{port}/token\",service=\"evil\""),
        )
    });
    *evil_port.lock().unwrap() = evil.port;
    let evil_base = format!("http://localhost:{}", evil.port);
    let registry = redirecting_registry(move |path| format!("{evil_base}{path}"));
    let repo = format!("{}/team/app", registry.host());

    let e = Client::new(options(&registry.host()))
        .tags(&repo)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Untrusted, "{e}");
    let msg = e.to_string();
    assert!(msg.contains(&format!("localhost:{}", evil.port)), "{msg}");
    no_secret_in(&msg);
    assert_eq!(leaked(&evil.seen()), Vec::<String>::new());
    assert!(
        evil.seen().iter().all(|s| !s.target.starts_with("/token")),
        "the foreign realm was asked for a token"
    );

    // The same with a Basic challenge on the other host.
    let evil = FakeServer::start(|_| {
        Canned::new(401, "{}").header("WWW-Authenticate", "Basic realm=\"evil\"")
    });
    let evil_base = format!("http://localhost:{}", evil.port);
    let registry = redirecting_registry(move |path| format!("{evil_base}{path}"));
    let repo = format!("{}/team/app", registry.host());
    let c = Client::new(options(&registry.host()));
    assert_eq!(c.tags(&repo).unwrap_err().kind(), ErrorKind::Untrusted);
    assert_eq!(
        c.digest(&format!("{repo}:1.0")).unwrap_err().kind(),
        ErrorKind::Untrusted
    );
    assert_eq!(leaked(&evil.seen()), Vec::<String>::new());
}

#[test]
fn a_redirect_to_another_host_is_followed_without_credentials() {
    // A blob-store-like host that answers anyone: the listing works, and
    // the registry's Authorization stayed home.
    let store = FakeServer::start(|_| Canned::new(200, &page(&["1.0", "1.1"])));
    let store_base = format!("http://localhost:{}", store.port);
    let registry = redirecting_registry(move |path| format!("{store_base}{path}"));
    let repo = format!("{}/team/app", registry.host());
    let tags = Client::new(options(&registry.host())).tags(&repo).unwrap();
    assert_eq!(tags, ["1.0", "1.1"]);
    assert_eq!(leaked(&store.seen()), Vec::<String>::new());
    assert!(!store.seen().is_empty());
}

#[test]
fn a_redirect_on_the_registry_itself_keeps_its_credentials() {
    let want = basic();
    let server = FakeServer::start(move |req| {
        if req.header("authorization") != Some(want.as_str()) {
            return Canned::new(401, "{}").header("WWW-Authenticate", "Basic realm=\"r\"");
        }
        if req.target.starts_with("/v2/old/") {
            Canned::new(301, "").header("Location", "/v2/new/tags/list")
        } else {
            Canned::new(200, &page(&["2.0"]))
        }
    });
    let repo = format!("{}/old", server.host());
    let tags = Client::new(options(&server.host())).tags(&repo).unwrap();
    assert_eq!(tags, ["2.0"]);
}

#[test]
fn redirects_that_loop_or_lead_nowhere_are_errors() {
    let server = FakeServer::start(|req| {
        let next = format!("{}x", req.target);
        Canned::new(302, "").header("Location", &next)
    });
    let repo = format!("{}/x", server.host());
    let e = Client::new(options(&server.host()))
        .tags(&repo)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Limit, "{e}");
    assert_eq!(server.seen().len(), 6, "the first request and 5 redirects");

    let server = FakeServer::start(|_| Canned::new(302, "").header("Location", "ftp://x/y"));
    let e = Client::new(options(&server.host()))
        .tags(&format!("{}/x", server.host()))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Protocol, "{e}");
}

// 2. Token realms: https anywhere, plain http only from a plain-http
//    registry to loopback (or with plain_http).

fn challenging_registry(realm: String) -> FakeServer {
    FakeServer::start(move |_| {
        Canned::new(401, "{}").header(
            "WWW-Authenticate",
            &format!("Bearer realm=\"{realm}\",service=\"s\""),
        )
    })
}

#[test]
fn a_plain_http_realm_on_a_host_that_is_not_loopback_is_refused() {
    // 192.0.2.1 is TEST-NET-1: nothing answers there. Before the fix the
    // client sent the Basic credentials to it (and timed out); now it
    // refuses before connecting.
    let registry = challenging_registry("http://192.0.2.1:9/token".into());
    let repo = format!("{}/x", registry.host());
    let e = Client::new(options(&registry.host()))
        .tags(&repo)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Untrusted, "{e}");
    let msg = e.to_string();
    assert!(msg.contains("http://192.0.2.1:9/token"), "{msg}");
    assert!(msg.contains("--plain-http"), "{msg}");

    // A realm with user info is never used.
    let registry = challenging_registry("https://user:pw@127.0.0.1:9/token".into());
    let e = Client::new(options(&registry.host()))
        .tags(&format!("{}/x", registry.host()))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Untrusted, "{e}");
}

#[test]
fn trusted_realms_are_asked() {
    // A plain-http realm on loopback, from a loopback registry: asked, with
    // the credentials (this is the shape of every local test setup).
    let realm = FakeServer::start(|_| Canned::new(200, "{\"token\":\"t1\"}"));
    let realm_url = format!("http://localhost:{}/token", realm.port);
    let t = Arc::new(Mutex::new(0));
    let t2 = t.clone();
    let registry = FakeServer::start(move |req| {
        if req.header("authorization") == Some("Bearer t1") {
            *t2.lock().unwrap() += 1;
            return Canned::new(200, &page(&["1"]));
        }
        Canned::new(401, "{}").header("WWW-Authenticate", &format!("Bearer realm=\"{realm_url}\""))
    });
    let repo = format!("{}/x", registry.host());
    assert_eq!(
        Client::new(options(&registry.host())).tags(&repo).unwrap(),
        ["1"]
    );
    assert_eq!(
        realm.seen()[0].header("authorization"),
        Some(basic().as_str())
    );
    assert_eq!(*t.lock().unwrap(), 1);

    // An https realm on another host is trusted: the client tries it (here
    // the TLS handshake fails, as the test server speaks plain HTTP).
    let registry = challenging_registry(format!("https://localhost:{}/token", realm.port));
    let e = Client::new(options(&registry.host()))
        .tags(&format!("{}/x", registry.host()))
        .unwrap_err();
    assert_ne!(e.kind(), ErrorKind::Untrusted, "{e}");
}

// 3. Credentials are scoped to their registry.

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

#[test]
fn environment_credentials_go_only_to_the_host_they_name() {
    let want = basic();
    let evil = FakeServer::start(move |req| {
        if req.header("authorization") == Some(want.as_str()) {
            return Canned::new(200, &page(&["gotcha"]));
        }
        Canned::new(401, "{}").header("WWW-Authenticate", "Basic realm=\"evil\"")
    });
    let repo = format!("{}/x", evil.host());
    // The user and password without a host: sent nowhere.
    let env = [
        ("IMAGETAG_REGISTRY_USER", USER),
        ("IMAGETAG_REGISTRY_PASSWORD", PASSWORD),
    ];
    let out = bin(&["tags", &repo], &env);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("IMAGETAG_REGISTRY_HOST"),
        "says what to set: {err}"
    );
    no_secret_in(&err);
    // Scoped to another registry: not sent here either.
    let scoped = [
        ("IMAGETAG_REGISTRY_HOST", "registry.example.com"),
        ("IMAGETAG_REGISTRY_USER", USER),
        ("IMAGETAG_REGISTRY_PASSWORD", PASSWORD),
    ];
    let out = bin(&["tags", &repo], &scoped);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(leaked(&evil.seen()), Vec::<String>::new());

    // Scoped to this host (among others): sent, and the listing works.
    let host = format!("registry.example.com, {}", evil.host());
    let mine = [
        ("IMAGETAG_REGISTRY_HOST", host.as_str()),
        ("IMAGETAG_REGISTRY_USER", USER),
        ("IMAGETAG_REGISTRY_PASSWORD", PASSWORD),
    ];
    let out = bin(&["tags", &repo], &mine);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("gotcha"));

    // The library's given credentials are scoped the same way.
    let e = Client::new(options("registry.example.com"))
        .tags(&repo)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized, "{e}");
}

// 4. Bodies that echo the request are quoted only after redaction.

#[test]
fn a_body_that_echoes_the_request_headers_is_redacted() {
    let want = basic();
    let server = FakeServer::start(move |req| {
        let Some(auth) = req.header("authorization") else {
            return Canned::new(401, "{}").header("WWW-Authenticate", "Basic realm=\"r\"");
        };
        assert_eq!(auth, want);
        // Echo everything it was sent, as some proxies and debug servers do.
        let headers: Vec<String> = req
            .headers
            .iter()
            .map(|(k, v)| format!("\"{k}\":\"{v}\""))
            .collect();
        Canned::new(
            if req.target.contains("/manifests/") {
                500
            } else {
                403
            },
            &format!(
                "{{\"error\":\"denied\",\"headers\":{{{}}}}}",
                headers.join(",")
            ),
        )
    });
    let repo = format!("{}/x", server.host());
    let mut o = options(&server.host());
    o.retries = 0;
    let c = Client::new(o);
    let e = c.tags(&repo).unwrap_err();
    let msg = e.to_string();
    assert_eq!(e.kind(), ErrorKind::Unauthorized, "{msg}");
    assert!(msg.contains("denied"), "the body is still quoted: {msg}");
    no_secret_in(&msg);
    let e = c.digest(&format!("{repo}:1")).unwrap_err();
    no_secret_in(&e.to_string());

    // The binary, with --verbose: neither stderr nor stdout holds a secret.
    let env = [
        ("IMAGETAG_REGISTRY_HOST", server.host()),
        ("IMAGETAG_REGISTRY_USER", USER.to_owned()),
        ("IMAGETAG_REGISTRY_PASSWORD", PASSWORD.to_owned()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let out = bin(&["tags", &repo, "--verbose"], &env);
    assert_eq!(out.status.code(), Some(1));
    no_secret_in(&String::from_utf8_lossy(&out.stderr));
    no_secret_in(&String::from_utf8_lossy(&out.stdout));
}

#[test]
fn an_echoed_bearer_token_is_redacted() {
    let realm = FakeServer::start(|_| Canned::new(200, "{\"token\":\"tok-9d8c7b6a5f4e3d2c1b0a\"}"));
    let realm_url = format!("http://127.0.0.1:{}/token", realm.port);
    let registry = FakeServer::start(move |req| match req.header("authorization") {
        Some(a) => Canned::new(
            404,
            &format!("no such repository; you sent Authorization: {a}"),
        ),
        None => Canned::new(401, "{}")
            .header("WWW-Authenticate", &format!("Bearer realm=\"{realm_url}\"")),
    });
    let e = Client::new(options(&registry.host()))
        .tags(&format!("{}/x", registry.host()))
        .unwrap_err();
    let msg = e.to_string();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{msg}");
    assert!(!msg.contains("tok-9d8c7b6a5f4e3d2c1b0a"), "{msg}");
    assert!(msg.contains("no such repository"), "{msg}");
}

// 5. A digest header that does not match the manifest is never returned.

#[test]
fn a_digest_header_that_does_not_match_the_manifest_is_an_error() {
    const MANIFEST: &str = r#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}"#;
    let wrong = sha256(b"something else");
    let w = wrong.clone();
    let server =
        FakeServer::start(move |_| Canned::new(200, MANIFEST).header("Docker-Content-Digest", &w));
    let name = format!("{}/x:1.0", server.host());
    let e = Client::new(options(&server.host()))
        .digest(&name)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Protocol, "{e}");
    assert!(!e.to_string().contains(&wrong), "{e}");
    assert!(e.to_string().contains("does not match"), "{e}");

    // The binary: no digest printed, exit 1.
    let out = bin(&["resolve", "--digest", &name], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&wrong));
    assert!(!String::from_utf8_lossy(&out.stderr).contains(&wrong));

    // A header that matches is taken; so is a SHA-512 one.
    let right = sha256(MANIFEST.as_bytes());
    let r = right.clone();
    let server =
        FakeServer::start(move |_| Canned::new(200, MANIFEST).header("Docker-Content-Digest", &r));
    let name = format!("{}/x:1.0", server.host());
    assert_eq!(
        Client::new(options(&server.host())).digest(&name).unwrap(),
        right
    );

    use sha2::Digest as _;
    let hex: String = sha2::Sha512::digest(MANIFEST.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let sha512 = format!("sha512:{hex}");
    let h = sha512.clone();
    let server =
        FakeServer::start(move |_| Canned::new(200, MANIFEST).header("Docker-Content-Digest", &h));
    let name = format!("{}/x:1.0", server.host());
    assert_eq!(
        Client::new(options(&server.host())).digest(&name).unwrap(),
        sha512
    );
}

// 8. A listing is bounded in tags and bytes, however many pages it has.

#[test]
fn endless_pages_stop_at_the_tag_limit_and_the_byte_limit() {
    // Every page is new and full; the page limit alone would allow 1 000.
    let server = FakeServer::start(|req| {
        let n: usize = req
            .target
            .split("last=")
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let tags: Vec<String> = (0..500).map(|i| format!("t{n}-{i}")).collect();
        let refs: Vec<&str> = tags.iter().map(String::as_str).collect();
        Canned::new(200, &page(&refs)).header(
            "Link",
            &format!("</v2/x/tags/list?n=500&last={}>; rel=\"next\"", n + 1),
        )
    });
    let repo = format!("{}/x", server.host());
    let mut o = options(&server.host());
    o.max_tags = 2_000;
    let e = Client::new(o).tags(&repo).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Limit, "{e}");
    assert!(e.to_string().contains("--max-tags"), "{e}");
    assert_eq!(server.seen().len(), 5, "stops on the page that goes over");

    let mut o = options(&server.host());
    o.max_list_bytes = 20_000;
    let e = Client::new(o).tags(&repo).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Limit, "{e}");

    // The binary's flag.
    let out = bin(&["tags", &repo, "--max-tags", "1000"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("more than 1000 tags"));
}

#[test]
fn names_that_are_not_tags_are_left_out_of_a_listing() {
    // A tag with a newline would inject a line into `imagetag tags`.
    let server = FakeServer::start(|_| {
        Canned::new(
            200,
            r#"{"name":"x","tags":["1.0","x\nFROM evil","-bad","1.1"]}"#,
        )
    });
    let repo = format!("{}/x", server.host());
    let tags = Client::new(options(&server.host())).tags(&repo).unwrap();
    assert_eq!(tags, ["1.0", "1.1"]);
}
