//! Test support: a real `docker-registry` on loopback, pushing tags into
//! it over the distribution API, and a small canned HTTP server for the
//! answers a real registry will not give (paging, loops, errors, slowness).
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

pub const INSTALL: &str = "docker-registry not found: install it with `apt-get install -y docker-registry` (.ci/test does)";
pub const INSTALL_PYTHON: &str =
    "python3 not found: install it with `apt-get install -y python3` (.ci/test does)";
pub const INSTALL_OPENSSL: &str =
    "openssl not found: install it with `apt-get install -y openssl` (.ci/test does)";

/// A fresh temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "imagetag-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub enum Auth {
    None,
    /// htpasswd with one bcrypt entry.
    Basic(&'static str, &'static str),
    /// Bearer tokens from REALM, signed by the key whose cert is CERT.
    Token {
        realm: String,
        cert: PathBuf,
    },
}

/// A `docker-registry serve` on 127.0.0.1, killed and its storage removed
/// on drop.
pub struct Registry {
    child: Child,
    pub port: u16,
    dir: TempDir,
}

fn registry_bin() -> PathBuf {
    for p in ["/usr/bin/docker-registry", "/usr/local/bin/docker-registry"] {
        if Path::new(p).exists() {
            return p.into();
        }
    }
    let out = Command::new("sh")
        .args(["-c", "command -v docker-registry"])
        .output()
        .expect("sh");
    let p = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    assert!(!p.is_empty(), "{INSTALL}");
    p.into()
}

impl Registry {
    pub fn start(auth: Auth) -> Registry {
        let bin = registry_bin();
        let dir = TempDir::new("registry");
        let d = dir.path().display().to_string();
        let mut config = format!(
            "version: 0.1\nlog:\n  level: info\n  accesslog:\n    disabled: true\n\
             storage:\n  filesystem:\n    rootdirectory: {d}/data\n  delete:\n    enabled: true\n\
             http:\n  addr: 127.0.0.1:0\n  secret: imagetag-test-secret\n"
        );
        match &auth {
            Auth::None => {}
            Auth::Basic(user, password) => {
                let out = Command::new("htpasswd")
                    .args(["-Bbn", user, password])
                    .output()
                    .expect(
                        "htpasswd not found: install it with `apt-get install -y apache2-utils` (.ci/test does)",
                    );
                assert!(out.status.success());
                std::fs::write(dir.path().join("htpasswd"), &out.stdout).unwrap();
                config.push_str(&format!(
                    "auth:\n  htpasswd:\n    realm: test\n    path: {d}/htpasswd\n"
                ));
            }
            Auth::Token { realm, cert } => {
                config.push_str(&format!(
                    "auth:\n  token:\n    realm: {realm}\n    service: local-registry\n    \
                     issuer: local-token-issuer\n    rootcertbundle: {}\n",
                    cert.display()
                ));
            }
        }
        std::fs::write(dir.path().join("config.yml"), config).unwrap();
        let log = std::fs::File::create(dir.path().join("registry.log")).unwrap();
        let mut cmd = Command::new(bin);
        cmd.arg("serve")
            .arg(dir.path().join("config.yml"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log);
        for (k, _) in std::env::vars() {
            if k.starts_with("REGISTRY_") {
                cmd.env_remove(k);
            }
        }
        let child = cmd.spawn().expect(INSTALL);
        let mut reg = Registry {
            child,
            port: 0,
            dir,
        };
        let log_path = reg.dir.path().join("registry.log");
        for _ in 0..1000 {
            if let Ok(Some(status)) = reg.child.try_wait() {
                panic!(
                    "docker-registry exited ({status}): {}",
                    std::fs::read_to_string(&log_path).unwrap_or_default()
                );
            }
            let log = std::fs::read_to_string(&log_path).unwrap_or_default();
            if let Some(i) = log.find("listening on 127.0.0.1:") {
                let rest = &log[i + "listening on 127.0.0.1:".len()..];
                let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
                reg.port = port.parse().unwrap();
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(reg.port != 0, "docker-registry did not start within 10 s");
        let agent = agent();
        for _ in 0..500 {
            if let Ok(r) = agent.get(&format!("{}/v2/", reg.base())).call() {
                if matches!(r.status().as_u16(), 200 | 401) {
                    return reg;
                }
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("docker-registry did not answer /v2/ within 5 s");
    }

    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `tests/support/token-server.py` (a copy of the shared tool), run with
/// python3 on 127.0.0.1, on a port the kernel picks: it signs registry
/// bearer tokens with a fresh RSA key whose self-signed certificate is
/// [`cert`](Self::cert), the registry's `rootcertbundle`. With `login`, the
/// token server answers 401 to requests without that Basic login. Killed,
/// and its key removed, on drop.
pub struct TokenServer {
    child: Child,
    pub port: u16,
    dir: TempDir,
}

impl TokenServer {
    pub fn start(login: Option<(&str, &str)>) -> TokenServer {
        let dir = TempDir::new("token-server");
        let (key, cert) = (dir.path().join("key.pem"), dir.path().join("cert.pem"));
        let out = Command::new("openssl")
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            ])
            .args(["-subj", "/CN=local-token-issuer", "-keyout"])
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .stdin(Stdio::null())
            .output()
            .expect(INSTALL_OPENSSL);
        assert!(
            out.status.success(),
            "openssl could not make a key: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/token-server.py");
        let mut cmd = Command::new("python3");
        cmd.arg(script).arg("0").arg(dir.path());
        if let Some((user, password)) = login {
            cmd.arg(format!("{user}:{password}"));
        }
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect(INSTALL_PYTHON);
        // The server prints "token server on http://127.0.0.1:PORT/token"
        // once it listens; read stderr on a thread, for a bounded wait.
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = TokenServer {
            child,
            port: 0,
            dir,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut said = Vec::new();
        while server.port == 0 {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    const HEAD: &str = "token server on http://127.0.0.1:";
                    if let Some(rest) = line.strip_prefix(HEAD) {
                        let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
                        server.port = port.parse().unwrap();
                    }
                    said.push(line);
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    panic!("token-server.py did not start within 10 s: {said:?}")
                }
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    let status = server.child.wait();
                    panic!("token-server.py exited ({status:?}): {said:?}")
                }
            }
        }
        server
    }

    /// The realm URL, for the registry's config.
    pub fn realm(&self) -> String {
        format!("http://127.0.0.1:{}/token", self.port)
    }

    /// The certificate of the signing key, for the registry's config.
    pub fn cert(&self) -> PathBuf {
        self.dir.path().join("cert.pem")
    }

    /// The registry's config for this token server.
    pub fn auth(&self) -> Auth {
        Auth::Token {
            realm: self.realm(),
            cert: self.cert(),
        }
    }

    /// A token for `scope` (`repository:team/app:pull,push`), got as a
    /// client would: the `Authorization` value to send, `Bearer …`.
    pub fn token(&self, scope: &str, login: Option<(&str, &str)>) -> String {
        let url = format!(
            "{}?service=local-registry&scope={}",
            self.realm(),
            scope
                .replace(':', "%3A")
                .replace('/', "%2F")
                .replace(',', "%2C")
        );
        let mut req = agent().get(&url);
        if let Some((user, password)) = login {
            let basic = format!("Basic {}", base64(format!("{user}:{password}").as_bytes()));
            req = req.header("Authorization", basic);
        }
        let mut resp = req.call().unwrap();
        assert_eq!(resp.status().as_u16(), 200, "token for {scope}");
        let body = resp.body_mut().read_to_string().unwrap();
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        format!("Bearer {}", json["token"].as_str().unwrap())
    }
}

impl Drop for TokenServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .new_agent()
}

pub fn sha256(data: &[u8]) -> String {
    let h = Sha256::digest(data);
    let mut s = String::from("sha256:");
    for b in h {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

pub fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in data.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            out.push(if i <= c.len() {
                T[(n >> (18 - 6 * i) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out
}

const MT_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";

/// Pushes a tiny image under each tag of `tags` (`TAG=KEY`: tags with the
/// same key share a manifest, so a digest) to `repo` on `base`, over one
/// keep-alive connection. Returns each tag's digest.
pub fn push(
    base: &str,
    repo: &str,
    tags: &[&str],
    authorization: Option<&str>,
) -> HashMap<String, String> {
    let agent = agent();
    let auth = |r: ureq::RequestBuilder<ureq::typestate::WithBody>| match authorization {
        Some(a) => r.header("Authorization", a),
        None => r,
    };
    let blob = |data: &[u8]| -> String {
        let digest = sha256(data);
        let resp = auth(agent.post(&format!("{base}/v2/{repo}/blobs/uploads/")))
            .send(&[][..])
            .unwrap();
        assert_eq!(resp.status().as_u16(), 202, "POST upload");
        let loc = resp.headers()["location"].to_str().unwrap().to_owned();
        let loc = if loc.starts_with("http") {
            loc
        } else {
            format!("{base}{loc}")
        };
        let sep = if loc.contains('?') { '&' } else { '?' };
        let resp = auth(agent.put(&format!("{loc}{sep}digest={digest}")))
            .header("Content-Type", "application/octet-stream")
            .send(data)
            .unwrap();
        assert_eq!(resp.status().as_u16(), 201, "PUT blob");
        digest
    };
    let layer = b"imagetag test layer".to_vec();
    let layer_digest = blob(&layer);
    let config =
        br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#;
    let config_digest = blob(config);
    let mut manifests: HashMap<String, (Vec<u8>, String)> = HashMap::new();
    let mut out = HashMap::new();
    for t in tags {
        let (tag, key) = t.split_once('=').unwrap_or((t, ""));
        let (body, digest) = manifests
            .entry(key.to_owned())
            .or_insert_with(|| {
                let m = format!(
                    r#"{{"schemaVersion":2,"mediaType":"{MT_MANIFEST}","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{config_digest}","size":{}}},"layers":[{{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{layer_digest}","size":{}}}],"annotations":{{"key":"{key}"}}}}"#,
                    config.len(),
                    layer.len()
                )
                .into_bytes();
                let d = sha256(&m);
                (m, d)
            })
            .clone();
        let resp = auth(agent.put(&format!("{base}/v2/{repo}/manifests/{tag}")))
            .header("Content-Type", MT_MANIFEST)
            .send(&body[..])
            .unwrap();
        assert_eq!(resp.status().as_u16(), 201, "PUT manifest {tag}");
        let got = resp.headers()["docker-content-digest"].to_str().unwrap();
        assert_eq!(got, digest);
        out.insert(tag.to_owned(), digest);
    }
    out
}

/// A canned answer.
#[derive(Clone, Default)]
pub struct Canned {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long before answering.
    pub delay: Duration,
    /// Close the connection without answering.
    pub hang_up: bool,
}

impl Canned {
    pub fn new(status: u16, body: &str) -> Canned {
        Canned {
            status,
            body: body.as_bytes().to_vec(),
            ..Canned::default()
        }
    }
    pub fn header(mut self, k: &str, v: &str) -> Canned {
        self.headers.push((k.to_owned(), v.to_owned()));
        self
    }
}

/// What the server saw of a request.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

type Handler = dyn Fn(&Seen) -> Canned + Send + Sync;

/// A small HTTP/1.1 server on 127.0.0.1 that answers each request with what
/// its handler returns, one connection at a time (`Connection: close`).
/// Stops on drop.
pub struct FakeServer {
    pub port: u16,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl FakeServer {
    pub fn start(handler: impl Fn(&Seen) -> Canned + Send + Sync + 'static) -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let (stop2, seen2) = (stop.clone(), seen.clone());
        let thread = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let _ = serve(conn, &*handler, &seen2);
            }
        });
        FakeServer {
            port,
            seen,
            stop,
            thread: Some(thread),
        }
    }

    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn serve(conn: TcpStream, handler: &Handler, seen: &Mutex<Vec<Seen>>) -> std::io::Result<()> {
    conn.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(conn.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_owned();
    let target = parts.next().unwrap_or("").to_owned();
    let mut headers = Vec::new();
    let mut content_length = 0usize;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                content_length = v.trim().parse().unwrap_or(0);
            }
            headers.push((k.trim().to_owned(), v.trim().to_owned()));
        }
    }
    let mut body = vec![0; content_length.min(1 << 20)];
    reader.read_exact(&mut body)?;
    let req = Seen {
        method: method.clone(),
        target,
        headers,
        body,
    };
    seen.lock().unwrap().push(req.clone());
    let canned = handler(&req);
    let start = Instant::now();
    while start.elapsed() < canned.delay {
        std::thread::sleep(Duration::from_millis(20));
    }
    if canned.hang_up {
        return Ok(());
    }
    let mut out = format!(
        "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        canned.status,
        canned.body.len()
    );
    for (k, v) in &canned.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let mut conn = conn;
    conn.write_all(out.as_bytes())?;
    if method != "HEAD" {
        conn.write_all(&canned.body)?;
    }
    conn.flush()
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
