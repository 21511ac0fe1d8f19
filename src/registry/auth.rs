//! Credentials and `WWW-Authenticate` challenges.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// A password or token: `Debug` and `Display` print `***`, so a secret
/// never reaches a log or an error message by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }

    /// The secret itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Where a [`Client`](super::Client) finds a user name and password for a
/// registry.
///
/// Every source is scoped to a registry host: a credential is sent only to
/// the registry it was configured for (and to the token realm that registry
/// names, when [trusted](super#which-hosts-get-credentials)). A secret with
/// no host is sent nowhere. Hosts compare without case, ports exactly;
/// `docker.io`, `index.docker.io` and `registry-1.docker.io` are one host.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub enum Credentials {
    /// None: anonymous access only (anonymous bearer tokens still work).
    None,
    /// The environment, then the Docker config file:
    ///
    /// 1. `IMAGETAG_REGISTRY_USER` and `IMAGETAG_REGISTRY_PASSWORD`, for
    ///    the registries listed in `IMAGETAG_REGISTRY_HOST` (one host or
    ///    several, comma-separated) and no other; without
    ///    `IMAGETAG_REGISTRY_HOST` they are not sent anywhere;
    /// 2. `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`:
    ///    `credHelpers[registry]` (runs `docker-credential-<helper> get`),
    ///    then `auths[registry].auth` (base64 `user:password`), then
    ///    `credsStore` (a helper for every registry). A helper that is not
    ///    installed is skipped.
    ///
    /// An identity token — `auths[registry].identitytoken`, or a helper's
    /// answer with the user `<token>` — is an OAuth2 refresh token: it is
    /// `POST`ed to the bearer token server (`grant_type=refresh_token`),
    /// never sent as Basic auth.
    #[default]
    Auto,
    /// This user and password, for one registry.
    Basic {
        /// The registry host they belong to (`quay.io`, `127.0.0.1:5000`).
        registry: String,
        /// The user name.
        user: String,
        /// The password or token.
        password: Secret,
    },
}

/// A user and password found for one registry.
#[derive(Clone, Debug)]
pub(crate) struct Login {
    pub(crate) user: String,
    pub(crate) password: Secret,
    /// `password` is an identity token (an OAuth2 refresh token: a
    /// helper's `<token>` user, or `identitytoken` in `auths`), to be
    /// traded at a token server, never sent as Basic auth.
    pub(crate) identity: bool,
}

/// The user name with which a credential helper hands back an identity
/// token.
const IDENTITY_USER: &str = "<token>";

impl Login {
    /// The `Authorization` value for Basic auth.
    pub(crate) fn basic(&self) -> Secret {
        let raw = format!("{}:{}", self.user, self.password.expose());
        Secret(format!("Basic {}", base64_encode(raw.as_bytes())))
    }
}

/// The environment variables of [`Credentials::Auto`].
pub(crate) const ENV_USER: &str = "IMAGETAG_REGISTRY_USER";
pub(crate) const ENV_PASSWORD: &str = "IMAGETAG_REGISTRY_PASSWORD";
pub(crate) const ENV_HOST: &str = "IMAGETAG_REGISTRY_HOST";

/// `registry` as a key for comparing hosts: no `https://` or path, lower
/// case, Docker Hub's three names as one.
pub(crate) fn host_key(registry: &str) -> String {
    let host = strip_url(registry.trim()).to_ascii_lowercase();
    match host.as_str() {
        "index.docker.io" | "registry-1.docker.io" => "docker.io".to_owned(),
        _ => host,
    }
}

/// Whether the credentials filed under `configured` belong to `registry`.
pub(crate) fn same_registry(configured: &str, registry: &str) -> bool {
    !configured.trim().is_empty() && host_key(configured) == host_key(registry)
}

impl Credentials {
    /// The login for `registry` (`docker.io`, `quay.io`, `127.0.0.1:5000`),
    /// and where it came from (for `--verbose`).
    pub(crate) fn lookup(&self, registry: &str) -> Option<(Login, String)> {
        match self {
            Credentials::None => None,
            Credentials::Basic {
                registry: configured,
                user,
                password,
            } => same_registry(configured, registry).then(|| {
                (
                    Login {
                        user: user.clone(),
                        password: password.clone(),
                        identity: false,
                    },
                    format!("the credentials given for {configured}"),
                )
            }),
            Credentials::Auto => {
                if let Ok(user) = std::env::var(ENV_USER) {
                    let hosts = std::env::var(ENV_HOST).unwrap_or_default();
                    if hosts.split(',').any(|h| same_registry(h, registry)) {
                        let password = std::env::var(ENV_PASSWORD).unwrap_or_default();
                        return Some((
                            Login {
                                user,
                                password: Secret(password),
                                identity: false,
                            },
                            format!("${ENV_USER} (scoped by ${ENV_HOST})"),
                        ));
                    }
                }
                docker_config_login(registry)
            }
        }
    }
}

/// The Docker config file: `$DOCKER_CONFIG/config.json` or
/// `~/.docker/config.json`.
fn docker_config_path() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("DOCKER_CONFIG") {
        return Some(PathBuf::from(dir).join("config.json"));
    }
    let home = std::env::var_os("HOME")?;
    Some(PathBuf::from(home).join(".docker").join("config.json"))
}

/// The key `docker login` files a registry's credentials under, and the
/// server name a credential helper is asked for.
fn config_key(registry: &str) -> String {
    if host_key(registry) == "docker.io" {
        "https://index.docker.io/v1/".to_owned()
    } else {
        registry.to_owned()
    }
}

/// `https://quay.io/v1/` → `quay.io`.
fn strip_url(key: &str) -> &str {
    let k = key
        .strip_prefix("https://")
        .or_else(|| key.strip_prefix("http://"))
        .unwrap_or(key);
    k.split('/').next().unwrap_or(k)
}

fn docker_config_login(registry: &str) -> Option<(Login, String)> {
    let path = docker_config_path()?;
    let text = std::fs::read_to_string(&path).ok()?;
    let config: serde_json::Value = serde_json::from_str(&text).ok()?;
    let key = config_key(registry);
    let where_ = path.display().to_string();

    if let Some(helpers) = config.get("credHelpers").and_then(|h| h.as_object()) {
        for (k, helper) in helpers {
            if same_registry(k, registry) {
                if let Some(login) = helper.as_str().and_then(|h| run_helper(h, &key)) {
                    return Some((login, format!("credHelpers in {where_}")));
                }
            }
        }
    }
    if let Some(auths) = config.get("auths").and_then(|a| a.as_object()) {
        // The exact key first (`https://index.docker.io/v1/` for Docker
        // Hub), then any key naming the same host.
        let exact = auths.get(&key);
        for entry in exact.into_iter().chain(
            auths
                .iter()
                .filter(|(k, _)| same_registry(k, registry))
                .map(|(_, e)| e),
        ) {
            let auth = entry.get("auth").and_then(|a| a.as_str());
            let decoded = auth
                .and_then(base64_decode)
                .and_then(|d| String::from_utf8(d).ok());
            let pair = decoded.as_deref().and_then(|d| d.split_once(':'));
            // `docker login` to a registry with an OAuth2 token server keeps
            // its refresh token here, next to an `auth` without a password.
            if let Some(token) = entry
                .get("identitytoken")
                .and_then(|t| t.as_str())
                .filter(|t| !t.is_empty())
            {
                return Some((
                    Login {
                        user: pair.map_or("", |(u, _)| u).to_owned(),
                        password: Secret(token.to_owned()),
                        identity: true,
                    },
                    format!("auths (identitytoken) in {where_}"),
                ));
            }
            let Some((user, password)) = pair else {
                continue;
            };
            return Some((
                Login {
                    user: user.to_owned(),
                    password: Secret(password.to_owned()),
                    identity: false,
                },
                format!("auths in {where_}"),
            ));
        }
    }
    if let Some(store) = config.get("credsStore").and_then(|s| s.as_str()) {
        if let Some(login) = run_helper(store, &key) {
            return Some((login, format!("credsStore in {where_}")));
        }
    }
    None
}

/// Runs `docker-credential-<helper> get` with the server on stdin; `None`
/// when the helper is missing or has nothing for the server.
fn run_helper(helper: &str, server: &str) -> Option<Login> {
    if helper.is_empty()
        || !helper
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return None;
    }
    let mut child = Command::new(format!("docker-credential-{helper}"))
        .arg("get")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(server.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    if !out.status.success() {
        return None;
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    let user = v.get("Username")?.as_str()?.to_owned();
    let secret = v.get("Secret")?.as_str()?.to_owned();
    let identity = user == IDENTITY_USER;
    Some(Login {
        user: if identity { String::new() } else { user },
        password: Secret(secret),
        identity,
    })
}

/// A `WWW-Authenticate` challenge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Challenge {
    Basic,
    Bearer(BTreeMap<String, String>),
}

impl Challenge {
    /// Reads `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`.
    pub(crate) fn parse(header: &str) -> Option<Challenge> {
        let header = header.trim();
        let (scheme, rest) = header.split_once(' ').unwrap_or((header, ""));
        if scheme.eq_ignore_ascii_case("basic") {
            return Some(Challenge::Basic);
        }
        if !scheme.eq_ignore_ascii_case("bearer") {
            return None;
        }
        let mut params = BTreeMap::new();
        let mut s = rest.trim_start();
        while !s.is_empty() {
            let eq = s.find('=')?;
            let key = s[..eq].trim().to_ascii_lowercase();
            s = &s[eq + 1..];
            let value;
            if let Some(q) = s.strip_prefix('"') {
                let mut out = String::new();
                let mut chars = q.char_indices();
                let mut end = None;
                while let Some((i, c)) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some((_, n)) = chars.next() {
                                out.push(n);
                            }
                        }
                        '"' => {
                            end = Some(i);
                            break;
                        }
                        c => out.push(c),
                    }
                }
                value = out;
                s = &q[end? + 1..];
            } else {
                let end = s.find(',').unwrap_or(s.len());
                value = s[..end].trim().to_owned();
                s = &s[end..];
            }
            params.insert(key, value);
            s = s.trim_start().trim_start_matches(',').trim_start();
        }
        params
            .contains_key("realm")
            .then_some(Challenge::Bearer(params))
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub(crate) fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub(crate) fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.trim().bytes() {
        if c == b'=' {
            break;
        }
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_is_never_printed() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?} {s}"), "*** ***");
        let c = Credentials::Basic {
            registry: "quay.io".into(),
            user: "u".into(),
            password: s,
        };
        assert!(!format!("{c:?}").contains("hunter2"));
    }

    #[test]
    fn base64_round_trip() {
        for s in ["", "a", "ab", "abc", "user:pass", "ünï:cødé"] {
            let e = base64_encode(s.as_bytes());
            assert_eq!(base64_decode(&e).unwrap(), s.as_bytes(), "{e}");
        }
        assert_eq!(base64_encode(b"user:pass"), "dXNlcjpwYXNz");
    }

    #[test]
    fn challenges() {
        let c = Challenge::parse(
            r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/ubuntu:pull""#,
        )
        .unwrap();
        let Challenge::Bearer(p) = c else { panic!() };
        assert_eq!(p["realm"], "https://auth.docker.io/token");
        assert_eq!(p["service"], "registry.docker.io");
        assert_eq!(p["scope"], "repository:library/ubuntu:pull");
        assert_eq!(
            Challenge::parse(r#"Basic realm="x""#),
            Some(Challenge::Basic)
        );
        assert_eq!(Challenge::parse("Bearer service=x"), None);
        let Some(Challenge::Bearer(p)) =
            Challenge::parse(r#"bearer realm=http://a/t, error="insufficient_scope""#)
        else {
            panic!()
        };
        assert_eq!(p["realm"], "http://a/t");
        assert_eq!(p["error"], "insufficient_scope");
    }

    #[test]
    fn config_keys_for_docker_hub() {
        assert_eq!(config_key("docker.io"), "https://index.docker.io/v1/");
        assert_eq!(config_key("quay.io"), "quay.io");
        assert_eq!(strip_url("https://quay.io/v1/"), "quay.io");
        assert_eq!(strip_url("127.0.0.1:5000"), "127.0.0.1:5000");
    }

    #[test]
    fn credentials_belong_to_one_host() {
        assert!(same_registry("https://index.docker.io/v1/", "docker.io"));
        assert!(same_registry("registry-1.docker.io", "index.docker.io"));
        assert!(same_registry("Quay.IO", "quay.io"));
        assert!(same_registry("https://quay.io/v1/", "quay.io"));
        assert!(!same_registry("quay.io", "quay.io:443"));
        assert!(!same_registry("quay.io", "evil.example"));
        assert!(!same_registry("", "quay.io"));
        assert!(!same_registry("127.0.0.1:5000", "127.0.0.1:5001"));

        let given = Credentials::Basic {
            registry: "quay.io".into(),
            user: "u".into(),
            password: Secret::new("p"),
        };
        assert!(given.lookup("quay.io").is_some());
        assert!(given.lookup("evil.example").is_none());
        assert!(given.lookup("docker.io").is_none());
    }
}
