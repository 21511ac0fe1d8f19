//! The blocking client: requests, retries, authentication, tag listing and
//! manifest digests.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest as _, Sha256, Sha384, Sha512};

use super::auth::{Challenge, Login, Secret, ENV_HOST, ENV_PASSWORD, ENV_USER};
use super::page::{self, PageError};
use super::redact::redact;
use super::{is_loopback, Error, ErrorKind, Options, Target, Url};
use crate::{Algorithm, Catalog};

/// The manifest types asked for, so that a registry answers with the digest
/// `docker pull` would see (an index for a multi-platform image).
pub(crate) const MANIFEST_ACCEPT: &str = "application/vnd.oci.image.index.v1+json, \
application/vnd.oci.image.manifest.v1+json, \
application/vnd.docker.distribution.manifest.list.v2+json, \
application/vnd.docker.distribution.manifest.v2+json";

/// How much of an error body goes into a message.
const EXCERPT: usize = 200;

/// How many redirects one request follows.
const MAX_REDIRECTS: u32 = 5;

/// A client for OCI Distribution registries. Cheap to share by reference:
/// it keeps one connection pool and the tokens it got, per repository.
pub struct Client {
    agent: ureq::Agent,
    options: Options,
    /// `Authorization` values: by `host/path` (bearer tokens) and by
    /// `host` (basic auth, good for every repository of the host).
    auth: Mutex<HashMap<String, Secret>>,
    /// Logins looked up, by registry (looked up once: a credential helper
    /// is a process to run).
    logins: Mutex<HashMap<String, Option<(Login, String)>>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// A response read whole: status, the headers used, the body.
struct Answer {
    status: u16,
    headers: ureq::http::HeaderMap,
    body: Vec<u8>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Method {
    Get,
    Head,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
        }
    }
}

/// How a token request authenticates.
#[derive(Clone, Copy)]
enum TokenAuth<'a> {
    /// Anonymously.
    None,
    /// `GET` with this `Authorization: Basic …`.
    Basic(&'a Secret),
    /// `POST` of this form (`grant_type=refresh_token&…`).
    Form(&'a Secret),
}

impl Client {
    /// A client with these options.
    pub fn new(options: Options) -> Client {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(options.timeout))
            .user_agent(concat!("imagetag/", env!("CARGO_PKG_VERSION")))
            // Redirects are followed in `send`, which decides where the
            // registry's credentials may go.
            .max_redirects(0)
            // Every worker of `digests` keeps its connection.
            .max_idle_connections_per_host(options.parallel.clamp(3, 16))
            .max_idle_connections(options.parallel.clamp(10, 64))
            .build();
        // A host is looked up once, not on a thread of its own a request
        // (see `resolve`).
        let agent = ureq::Agent::with_parts(
            agent,
            ureq::unversioned::transport::DefaultConnector::new(),
            super::resolve::CachingResolver::default(),
        );
        Client {
            agent,
            options,
            auth: Mutex::new(HashMap::new()),
            logins: Mutex::new(HashMap::new()),
        }
    }

    fn target(&self, name: &str) -> Result<(Target, Option<String>), Error> {
        Target::of(
            name,
            self.options.plain_http,
            self.options.mirror.as_deref(),
        )
    }

    /// The options the client was made with.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Every tag of `repository` (`quay.io/vessl-ai/torch`, `ubuntu`,
    /// `127.0.0.1:5000/x`; a tag or digest on it is ignored), in the
    /// registry's order, following `Link` headers page by page.
    pub fn tags(&self, repository: &str) -> Result<Vec<String>, Error> {
        let (target, _) = self.target(repository)?;
        self.tags_of(&target)
    }

    fn tags_of(&self, target: &Target) -> Result<Vec<String>, Error> {
        let start = Instant::now();
        let deadline = start + self.options.list_deadline;
        let base = target.base();
        let mut url = format!(
            "{base}/v2/{}/tags/list?n={}",
            target.path, self.options.page_size
        );
        let mut seen = HashSet::new();
        let mut tags = Vec::new();
        let mut listed_bytes = 0u64;
        let mut skipped = 0usize;
        for page in 0.. {
            if page >= self.options.max_pages {
                return Err(Error::new(
                    ErrorKind::Limit,
                    &target.registry,
                    &url,
                    None,
                    format!(
                        "the tag list goes on past {} pages ({} tags so far); \
                         raise the page limit if the repository really is that large",
                        self.options.max_pages,
                        tags.len()
                    ),
                ));
            }
            seen.insert(url.clone());
            let answer = self.send(target, Method::Get, &url, None, Some(deadline))?;
            if answer.status != 200 {
                return Err(self.status_error(target, &url, &answer, "listing tags"));
            }
            let fail = |kind, message: String| {
                Error::new(kind, &target.registry, &url, Some(200), message)
            };
            listed_bytes += answer.body.len() as u64;
            if listed_bytes > self.options.max_list_bytes {
                return Err(fail(
                    ErrorKind::Limit,
                    format!(
                        "the tag list's pages add up to more than {} bytes ({} tags so far); \
                         raise the limit (--max-tags) if the repository really is that large",
                        self.options.max_list_bytes,
                        tags.len()
                    ),
                ));
            }
            match page::read_page(&answer.body, &mut tags, self.options.max_tags) {
                Ok(invalid) => skipped += invalid,
                Err(PageError::Json(e)) => {
                    return Err(fail(
                        ErrorKind::Protocol,
                        format!("not a tag list: {}", self.quote(e.as_bytes())),
                    ))
                }
                Err(PageError::NoTags) => {
                    return Err(fail(
                        ErrorKind::Protocol,
                        "not a tag list: no \"tags\" key".to_owned(),
                    ))
                }
                Err(PageError::TooMany(n)) => {
                    return Err(fail(
                        ErrorKind::Limit,
                        format!(
                            "the repository lists more than {n} tags; raise the limit \
                             (--max-tags) if it really is that large"
                        ),
                    ))
                }
            }
            let Some(link) = next_link(&answer.headers) else {
                break;
            };
            let next = resolve_link(&base, &link).ok_or_else(|| {
                Error::new(
                    ErrorKind::Protocol,
                    &target.registry,
                    &url,
                    Some(200),
                    format!(
                        "Link header points away from {base}: {}",
                        self.quote(link.as_bytes())
                    ),
                )
            })?;
            if seen.contains(&next) {
                return Err(Error::new(
                    ErrorKind::Limit,
                    &target.registry,
                    &url,
                    Some(200),
                    format!(
                        "Link header loops back to a page already read: {}",
                        self.quote(next.as_bytes())
                    ),
                ));
            }
            url = next;
        }
        self.log(|| {
            format!(
                "{} tags of {} in {} ms{}",
                tags.len(),
                target.canonical,
                start.elapsed().as_millis(),
                if skipped > 0 {
                    format!(" ({skipped} listed names that are not valid tags left out)")
                } else {
                    String::new()
                }
            )
        });
        Ok(tags)
    }

    /// A [`Catalog`] of the tags of `repository`, each qualified with the
    /// repository's canonical name. Tags that are not names of the
    /// repository's scheme (`latest` in a VESSL repository) are left out;
    /// [`tags`](Self::tags) and [`Catalog::from_names_lossy`] give them.
    pub fn catalog(&self, repository: &str) -> Result<Catalog, Error> {
        let (target, _) = self.target(repository)?;
        let tags = self.tags_of(&target)?;
        let (catalog, _) =
            Catalog::from_names_lossy(tags.iter().map(|t| Catalog::qualify(&target.canonical, t)));
        Ok(catalog)
    }

    /// The digest (`sha256:…`) of the manifest `name` points at
    /// (`quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5`; no tag means `latest`;
    /// a name with a digest is answered with it, without a request).
    pub fn digest(&self, name: &str) -> Result<String, Error> {
        let (target, reference) = self.target(name)?;
        let reference = reference.unwrap_or_else(|| "latest".to_owned());
        if reference.contains(':') {
            return Ok(reference);
        }
        self.digest_of(&target, &reference)
    }

    /// [`digest`](Self::digest) for a tag of a repository.
    pub fn tag_digest(&self, repository: &str, tag: &str) -> Result<String, Error> {
        let (target, _) = self.target(repository)?;
        self.digest_of(&target, tag)
    }

    /// [`digest`](Self::digest) of each name, in the same order, asked
    /// over a small pool of parallel requests ([`Options::parallel`]
    /// connections at most; each worker keeps its connection alive). Equal
    /// names are asked once.
    pub fn digests<S: AsRef<str> + Sync>(&self, names: &[S]) -> Vec<Result<String, Error>> {
        let mut order: Vec<usize> = (0..names.len()).collect();
        order.sort_by(|&a, &b| names[a].as_ref().cmp(names[b].as_ref()));
        order.dedup_by(|a, b| names[*a].as_ref() == names[*b].as_ref());
        let next = std::sync::atomic::AtomicUsize::new(0);
        let answers: Mutex<HashMap<&str, Result<String, Error>>> = Mutex::new(HashMap::new());
        let workers = self.options.parallel.clamp(1, 16).min(order.len().max(1));
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(&k) = order.get(i) else { break };
                    let name = names[k].as_ref();
                    let answer = self.digest(name);
                    answers
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .insert(name, answer);
                });
            }
        });
        let answers = answers.into_inner().unwrap_or_else(|e| e.into_inner());
        names.iter().map(|n| answers[n.as_ref()].clone()).collect()
    }

    fn digest_of(&self, target: &Target, reference: &str) -> Result<String, Error> {
        let url = format!("{}/v2/{}/manifests/{reference}", target.base(), target.path);
        let fail = |message: String| {
            Error::new(
                ErrorKind::Protocol,
                &target.registry,
                &url,
                Some(200),
                message,
            )
        };
        let bad_header = |e: crate::Error| {
            fail(format!(
                "bad Docker-Content-Digest: {}",
                self.quote(e.to_string().as_bytes())
            ))
        };
        if !self.options.verify_digests {
            let head = self.send(target, Method::Head, &url, Some(MANIFEST_ACCEPT), None)?;
            if head.status != 200 {
                return Err(self.status_error(target, &url, &head, "reading a manifest digest"));
            }
            if let Some(d) = header(&head.headers, "docker-content-digest") {
                return crate::Digest::parse(d)
                    .map(|_| d.to_owned())
                    .map_err(bad_header);
            }
            self.log(|| {
                format!(
                    "no Docker-Content-Digest from {}: hashing the manifest",
                    target.registry
                )
            });
        }
        let get = self.send(target, Method::Get, &url, Some(MANIFEST_ACCEPT), None)?;
        if get.status != 200 {
            return Err(self.status_error(target, &url, &get, "reading a manifest"));
        }
        // The manifest's digest is the hash of its bytes, with the
        // algorithm the registry names (SHA-256 when it names none).
        let claimed = header(&get.headers, "docker-content-digest")
            .map(crate::Digest::parse)
            .transpose()
            .map_err(bad_header)?;
        let algorithm = claimed.map_or(Algorithm::Sha256, |d| d.algorithm());
        let computed = hash(algorithm, &get.body);
        match claimed {
            Some(d) if d.hex() != &computed[algorithm.as_str().len() + 1..] => Err(fail(format!(
                "the registry's Docker-Content-Digest does not match the manifest it sent \
                 (whose own digest is {computed}): neither is used"
            ))),
            _ => Ok(computed),
        }
    }

    /// A `--verbose` line; `line` runs only when it is printed.
    fn log(&self, line: impl FnOnce() -> String) {
        if self.options.verbose {
            eprintln!("imagetag: {}", line());
        }
    }

    /// One request, with authentication, redirects and retries. Any status
    /// comes back as an answer, except 401 after authenticating, and
    /// 429/5xx after every retry (which come back too, for the caller's
    /// message). Redirects are followed here, not by ureq, so that the
    /// registry's `Authorization` goes only to the registry's own origin
    /// (see [the module docs](super#which-hosts-get-credentials)).
    fn send(
        &self,
        target: &Target,
        method: Method,
        url: &str,
        accept: Option<&str>,
        deadline: Option<Instant>,
    ) -> Result<Answer, Error> {
        let repo_key = format!("{}/{}", target.api_host, target.path);
        let home = Url::parse(&target.base());
        let mut authenticated = false;
        let mut tries = 0u32;
        let mut current = url.to_owned();
        let mut redirects = 0u32;
        loop {
            let at = Url::parse(&current);
            let at_home = matches!((&at, &home), (Some(a), Some(h)) if a.same_origin(h));
            let authorization = if at_home {
                let auth = self.auth.lock().unwrap_or_else(|e| e.into_inner());
                auth.get(&repo_key)
                    .or_else(|| auth.get(&target.api_host))
                    .cloned()
            } else {
                None
            };
            let answer = match self.once(
                target,
                method,
                &current,
                accept,
                authorization.as_ref(),
                deadline,
            ) {
                Ok(a) => a,
                Err(e) if e.kind() == ErrorKind::Transport && tries < self.options.retries => {
                    tries += 1;
                    self.pause(target, url, self.backoff(tries), deadline)?;
                    continue;
                }
                Err(e) => return Err(e),
            };
            match answer.status {
                301 | 302 | 303 | 307 | 308 => {
                    current = self.redirect(target, url, at.as_ref(), &answer, &mut redirects)?;
                }
                401 if !at_home => {
                    let host = at.as_ref().map_or("another host", |a| a.authority.as_str());
                    return Err(Error::new(
                        ErrorKind::Untrusted,
                        &target.registry,
                        url,
                        Some(401),
                        format!(
                            "the registry redirected to {host}, which asks for credentials: \
                             credentials for {} are sent only to {} and the token server it \
                             names, never to a host reached by a redirect",
                            target.registry, target.registry
                        ),
                    ));
                }
                401 if !authenticated => {
                    authenticated = true;
                    self.authenticate(target, url, &answer, &repo_key)?;
                    current = url.to_owned();
                    redirects = 0;
                }
                429 | 500 | 502 | 503 | 504 if tries < self.options.retries => {
                    tries += 1;
                    let wait = header(&answer.headers, "retry-after")
                        .and_then(|s| s.trim().parse::<u64>().ok())
                        .map(|s| Duration::from_secs(s).min(self.options.max_retry_after))
                        .unwrap_or_else(|| self.backoff(tries));
                    self.pause(target, url, wait, deadline)?;
                }
                _ => return Ok(answer),
            }
        }
    }

    /// Where a redirect goes: the next URL, or an error for a redirect
    /// without a usable `Location`, one too many, or one from https to
    /// http.
    fn redirect(
        &self,
        target: &Target,
        url: &str,
        from: Option<&Url>,
        answer: &Answer,
        redirects: &mut u32,
    ) -> Result<String, Error> {
        let fail = |kind, message: String| {
            Error::new(kind, &target.registry, url, Some(answer.status), message)
        };
        *redirects += 1;
        if *redirects > MAX_REDIRECTS {
            return Err(fail(
                ErrorKind::Limit,
                format!("more than {MAX_REDIRECTS} redirects"),
            ));
        }
        let location = header(&answer.headers, "location").unwrap_or("");
        let Some(next) = from.and_then(|f| f.join(location)) else {
            return Err(fail(
                ErrorKind::Protocol,
                format!(
                    "a redirect to something that is not an http(s) URL: {}",
                    self.quote(location.as_bytes())
                ),
            ));
        };
        if from.is_some_and(|f| f.scheme == "https") && next.scheme == "http" {
            return Err(fail(
                ErrorKind::Protocol,
                format!(
                    "a redirect from https to plain http ({}) is not followed",
                    self.quote(next.to_string().as_bytes())
                ),
            ));
        }
        let next = next.to_string();
        self.log(|| format!("redirected to {}", self.quote(next.as_bytes())));
        Ok(next)
    }

    fn backoff(&self, tries: u32) -> Duration {
        self.options
            .backoff
            .saturating_mul(1 << tries.saturating_sub(1).min(10))
            .min(self.options.max_retry_after)
    }

    fn pause(
        &self,
        target: &Target,
        url: &str,
        wait: Duration,
        deadline: Option<Instant>,
    ) -> Result<(), Error> {
        if let Some(d) = deadline {
            if Instant::now() + wait >= d {
                return Err(self.deadline_error(target, url));
            }
        }
        self.log(|| {
            format!(
                "retrying {} in {} ms",
                self.quote(url.as_bytes()),
                wait.as_millis()
            )
        });
        std::thread::sleep(wait);
        Ok(())
    }

    fn deadline_error(&self, target: &Target, url: &str) -> Error {
        Error::new(
            ErrorKind::Timeout,
            &target.registry,
            url,
            None,
            format!(
                "the tag listing took longer than {} s in all",
                self.options.list_deadline.as_secs_f64()
            ),
        )
    }

    /// One request, read whole.
    fn once(
        &self,
        target: &Target,
        method: Method,
        url: &str,
        accept: Option<&str>,
        authorization: Option<&Secret>,
        deadline: Option<Instant>,
    ) -> Result<Answer, Error> {
        let mut timeout = self.options.timeout;
        if let Some(d) = deadline {
            let left = d.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(self.deadline_error(target, url));
            }
            timeout = timeout.min(left);
        }
        let started = Instant::now();
        // GET and HEAD build the same way: both are requests without a body.
        let mut req = match method {
            Method::Get => self.agent.get(url),
            Method::Head => self.agent.head(url),
        };
        if let Some(a) = accept {
            req = req.header("Accept", a);
        }
        if let Some(a) = authorization {
            req = req.header("Authorization", a.expose());
        }
        let result = req.config().timeout_global(Some(timeout)).build().call();
        let mut response =
            result.map_err(|e| self.transport_error(target, method.as_str(), url, e, timeout))?;
        let status = response.status().as_u16();
        // Read even a HEAD's (empty) body: the connection goes back to the
        // pool only once its response is read to the end.
        let body = response
            .body_mut()
            .with_config()
            .limit(self.options.max_body)
            .read_to_vec()
            .map_err(|e| self.transport_error(target, method.as_str(), url, e, timeout))?;
        self.log(|| {
            format!(
                "{} {} -> {status} ({} ms{})",
                method.as_str(),
                self.quote(url.as_bytes()),
                started.elapsed().as_millis(),
                if authorization.is_some() {
                    ", with auth"
                } else {
                    ""
                }
            )
        });
        Ok(Answer {
            status,
            headers: response.headers().clone(),
            body,
        })
    }

    fn transport_error(
        &self,
        target: &Target,
        method: &str,
        url: &str,
        e: ureq::Error,
        timeout: Duration,
    ) -> Error {
        let (kind, message) = match &e {
            ureq::Error::Timeout(_) => (
                ErrorKind::Timeout,
                format!(
                    "no complete answer within {} s (raise --timeout?)",
                    timeout.as_secs_f64()
                ),
            ),
            ureq::Error::BodyExceedsLimit(n) => (
                ErrorKind::Limit,
                format!("response body larger than {n} bytes"),
            ),
            ureq::Error::Protocol(_) | ureq::Error::BadUri(_) | ureq::Error::Http(_) => {
                (ErrorKind::Protocol, e.to_string())
            }
            _ => (
                ErrorKind::Transport,
                format!(
                    "{method} failed: {e}{}",
                    if target.scheme == "https" {
                        " (a registry on plain HTTP needs --plain-http)"
                    } else {
                        ""
                    }
                ),
            ),
        };
        Error::new(kind, &target.registry, url, None, message)
    }

    /// The login for a registry, looked up once.
    fn login(&self, registry: &str) -> Option<(Login, String)> {
        let mut logins = self.logins.lock().unwrap_or_else(|e| e.into_inner());
        logins
            .entry(registry.to_owned())
            .or_insert_with(|| {
                let found = self.options.credentials.lookup(registry);
                if let Some((_, source)) = &found {
                    self.log(|| format!("credentials for {registry} from {source}"));
                }
                found
            })
            .clone()
    }

    /// Answers a 401: gets a bearer token or sets basic auth, for the
    /// request to be sent again.
    fn authenticate(
        &self,
        target: &Target,
        url: &str,
        answer: &Answer,
        repo_key: &str,
    ) -> Result<(), Error> {
        let challenge = header(&answer.headers, "www-authenticate").and_then(Challenge::parse);
        let login = self.login(&target.registry);
        let no_login = || {
            let unscoped = if std::env::var_os(ENV_USER).is_some() {
                format!(
                    " ({ENV_USER} is set, but {ENV_HOST} does not name {}: credentials from \
                     the environment go only to the hosts it names)",
                    target.registry
                )
            } else {
                String::new()
            };
            format!(
                "the registry asks for credentials and none were found for {reg}{unscoped}: \
                 set {ENV_HOST}={reg} with {ENV_USER} and {ENV_PASSWORD}, or log in with \
                 `docker login {reg}`",
                reg = target.registry
            )
        };
        match challenge {
            Some(Challenge::Basic) => {
                let Some((login, source)) = login else {
                    return Err(Error::new(
                        ErrorKind::Unauthorized,
                        &target.registry,
                        url,
                        Some(401),
                        no_login(),
                    ));
                };
                if login.identity {
                    return Err(Error::new(
                        ErrorKind::Unauthorized,
                        &target.registry,
                        url,
                        Some(401),
                        format!(
                            "the registry asks for Basic auth, and the credentials from \
                             {source} are an identity token, good only with a token server"
                        ),
                    ));
                }
                let mut auth = self.auth.lock().unwrap_or_else(|e| e.into_inner());
                auth.insert(target.api_host.clone(), login.basic());
                Ok(())
            }
            Some(Challenge::Bearer(params)) => {
                let realm = &params["realm"];
                if let Err(why) = self.trust_realm(target, realm) {
                    return Err(Error::new(
                        ErrorKind::Untrusted,
                        &target.registry,
                        url,
                        Some(401),
                        why,
                    ));
                }
                let scope = params
                    .get("scope")
                    .cloned()
                    .unwrap_or_else(|| format!("repository:{}:pull", target.path));
                let mut token_url = realm.clone();
                token_url.push(if realm.contains('?') { '&' } else { '?' });
                if let Some(service) = params.get("service") {
                    token_url.push_str("service=");
                    token_url.push_str(&percent_encode(service));
                    token_url.push('&');
                }
                token_url.push_str("scope=");
                token_url.push_str(&percent_encode(&scope));
                let realm_target = Target {
                    registry: format!("{} (token server)", target.registry),
                    ..target.clone()
                };
                let token = match &login {
                    // An identity token is an OAuth2 refresh token: POSTed
                    // to the realm, never sent as Basic auth.
                    Some((l, _)) if l.identity => {
                        let mut form = format!(
                            "grant_type=refresh_token&client_id=imagetag&scope={}",
                            percent_encode(&scope)
                        );
                        if let Some(service) = params.get("service") {
                            form.push_str("&service=");
                            form.push_str(&percent_encode(service));
                        }
                        form.push_str("&refresh_token=");
                        form.push_str(&percent_encode(l.password.expose()));
                        let form = Secret::new(form);
                        token_url = realm.clone();
                        self.send_token(&realm_target, &token_url, TokenAuth::Form(&form))?
                    }
                    Some((l, _)) => {
                        let basic = l.basic();
                        self.send_token(&realm_target, &token_url, TokenAuth::Basic(&basic))?
                    }
                    None => self.send_token(&realm_target, &token_url, TokenAuth::None)?,
                };
                if token.status == 401 || token.status == 403 {
                    let message = match &login {
                        Some((_, source)) => {
                            format!("the token server refused the credentials from {source}")
                        }
                        None => no_login(),
                    };
                    return Err(Error::new(
                        ErrorKind::Unauthorized,
                        &realm_target.registry,
                        &token_url,
                        Some(token.status),
                        message,
                    ));
                }
                if token.status != 200 {
                    return Err(self.status_error(
                        &realm_target,
                        &token_url,
                        &token,
                        "getting a token",
                    ));
                }
                let json: serde_json::Value =
                    serde_json::from_slice(&token.body).unwrap_or(serde_json::Value::Null);
                let Some(t) = json
                    .get("token")
                    .or_else(|| json.get("access_token"))
                    .and_then(|t| t.as_str())
                else {
                    return Err(Error::new(
                        ErrorKind::Protocol,
                        &realm_target.registry,
                        &token_url,
                        Some(200),
                        "the token server's answer holds no \"token\"",
                    ));
                };
                let mut auth = self.auth.lock().unwrap_or_else(|e| e.into_inner());
                auth.insert(repo_key.to_owned(), Secret::new(format!("Bearer {t}")));
                Ok(())
            }
            None => Err(Error::new(
                ErrorKind::Unauthorized,
                &target.registry,
                url,
                Some(401),
                format!(
                    "unauthorized, with no usable WWW-Authenticate challenge: {}",
                    self.quote(&answer.body)
                ),
            )),
        }
    }

    /// Whether the registry's credentials (and a token request at all) may
    /// go to the bearer realm it named: an https realm, or a plain http one
    /// from a plain-http registry on loopback or with `plain_http`.
    fn trust_realm(&self, target: &Target, realm: &str) -> Result<(), String> {
        let Some(url) = Url::parse(realm) else {
            return Err(format!(
                "the token realm is not an http(s) URL without user info: {}",
                self.quote(realm.as_bytes())
            ));
        };
        if url.scheme == "https"
            || (target.scheme == "http" && (self.options.plain_http || is_loopback(url.host())))
        {
            return Ok(());
        }
        Err(format!(
            "the token realm {} is plain http{}: credentials are sent to a plain-http realm \
             only from a plain-http registry, when the realm is on a loopback host or with \
             --plain-http",
            self.quote(url.to_string().as_bytes()),
            if target.scheme == "https" {
                " while the registry is https"
            } else {
                " on a host that is not loopback"
            }
        ))
    }

    /// A token request: retried like any other, never re-authenticated.
    fn send_token(&self, target: &Target, url: &str, auth: TokenAuth<'_>) -> Result<Answer, Error> {
        let mut tries = 0;
        loop {
            let a = match auth {
                TokenAuth::None => self.once(target, Method::Get, url, None, None, None)?,
                TokenAuth::Basic(b) => self.once(target, Method::Get, url, None, Some(b), None)?,
                TokenAuth::Form(form) => self.post_form(target, url, form)?,
            };
            if matches!(a.status, 429 | 500 | 502 | 503 | 504) && tries < self.options.retries {
                tries += 1;
                self.pause(target, url, self.backoff(tries), None)?;
                continue;
            }
            return Ok(a);
        }
    }

    /// A `POST` of a form (an OAuth2 token request), read whole.
    fn post_form(&self, target: &Target, url: &str, form: &Secret) -> Result<Answer, Error> {
        let started = Instant::now();
        let timeout = self.options.timeout;
        let mut response = self
            .agent
            .post(url)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .send(form.expose())
            .map_err(|e| self.transport_error(target, "POST", url, e, timeout))?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(self.options.max_body)
            .read_to_vec()
            .map_err(|e| self.transport_error(target, "POST", url, e, timeout))?;
        self.log(|| {
            format!(
                "POST {} -> {status} ({} ms, with an identity token)",
                self.quote(url.as_bytes()),
                started.elapsed().as_millis()
            )
        });
        Ok(Answer {
            status,
            headers: response.headers().clone(),
            body,
        })
    }

    fn status_error(&self, target: &Target, url: &str, answer: &Answer, doing: &str) -> Error {
        let kind = match answer.status {
            401 | 403 => ErrorKind::Unauthorized,
            404 => ErrorKind::NotFound,
            429 => ErrorKind::RateLimited,
            _ => ErrorKind::Status,
        };
        let hint = match answer.status {
            401 | 403 => {
                "access denied (check the credentials and their access to this repository)"
            }
            404 => "not found (check the repository name and tag)",
            429 => "rate limited, even after retrying",
            _ => "unexpected answer",
        };
        let body = self.quote(&answer.body);
        let message = if body.is_empty() {
            format!("{hint}, while {doing}")
        } else {
            format!("{hint}, while {doing}: {body}")
        };
        Error::new(kind, &target.registry, url, Some(answer.status), message)
    }

    /// Text a server sent (a body, a header value, a URL it named), for a
    /// message: the start of it, on one line, with every secret this client
    /// holds and anything that looks like a credential replaced by `***`.
    fn quote(&self, text: &[u8]) -> String {
        // The excerpt is the first EXCERPT characters; redacting a window
        // well past them keeps a secret that straddles the cut hidden too.
        let window = &text[..text.len().min(16 * EXCERPT)];
        let known = self.known_secrets();
        let known: Vec<&str> = known.iter().map(Secret::expose).collect();
        excerpt(redact(&String::from_utf8_lossy(window), &known).as_bytes())
    }

    /// Every secret the client holds now: `Authorization` values and their
    /// credentials, passwords and identity tokens of the logins looked up.
    fn known_secrets(&self) -> Vec<Secret> {
        let mut out = Vec::new();
        let mut add = |value: &Secret| {
            if let Some((_, credential)) = value.expose().split_once(' ') {
                out.push(Secret::new(credential));
            }
            out.push(value.clone());
        };
        for value in self.auth.lock().unwrap_or_else(|e| e.into_inner()).values() {
            add(value);
        }
        let logins = self.logins.lock().unwrap_or_else(|e| e.into_inner());
        for (login, _) in logins.values().flatten() {
            add(&login.basic());
            add(&login.password);
        }
        out
    }
}

/// `algorithm:hex` of `bytes`.
fn hash(algorithm: Algorithm, bytes: &[u8]) -> String {
    fn hex(out: &mut String, digest: &[u8]) {
        use std::fmt::Write as _;
        for b in digest {
            let _ = write!(out, "{b:02x}");
        }
    }
    let mut out = String::with_capacity(7 + algorithm.hex_len());
    out.push_str(algorithm.as_str());
    out.push(':');
    match algorithm {
        Algorithm::Sha256 => hex(&mut out, &Sha256::digest(bytes)),
        Algorithm::Sha384 => hex(&mut out, &Sha384::digest(bytes)),
        Algorithm::Sha512 => hex(&mut out, &Sha512::digest(bytes)),
    }
    out
}

fn header<'h>(headers: &'h ureq::http::HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The `rel="next"` target of the `Link` headers, if any.
fn next_link(headers: &ureq::http::HeaderMap) -> Option<String> {
    for value in headers.get_all("link") {
        let Ok(value) = value.to_str() else { continue };
        for part in value.split(',') {
            let part = part.trim();
            let Some(rest) = part.strip_prefix('<') else {
                continue;
            };
            let Some(end) = rest.find('>') else { continue };
            let params = &rest[end + 1..];
            if params.split(';').any(|p| {
                matches!(
                    p.trim().replace(' ', "").as_str(),
                    "rel=\"next\"" | "rel=next"
                )
            }) {
                return Some(rest[..end].to_owned());
            }
        }
    }
    None
}

/// A `Link` target as an absolute URL on `base` (`http://host:port`); `None`
/// for a link to another origin (credentials would go there too).
fn resolve_link(base: &str, link: &str) -> Option<String> {
    if link.starts_with('/') {
        return Some(format!("{base}{link}"));
    }
    let rest = link.strip_prefix(base)?;
    rest.starts_with('/').then(|| link.to_owned())
}

/// The start of a body, on one line, for a message.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > EXCERPT {
        let cut: String = one_line.chars().take(EXCERPT).collect();
        format!("{cut}…")
    } else {
        one_line
    }
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links() {
        let mut h = ureq::http::HeaderMap::new();
        h.insert(
            "link",
            "</v2/x/tags/list?n=2&last=b>; rel=\"next\""
                .parse()
                .unwrap(),
        );
        assert_eq!(next_link(&h).as_deref(), Some("/v2/x/tags/list?n=2&last=b"));
        assert_eq!(
            resolve_link("http://127.0.0.1:1", "/v2/x/tags/list?last=b").as_deref(),
            Some("http://127.0.0.1:1/v2/x/tags/list?last=b")
        );
        assert_eq!(
            resolve_link("http://127.0.0.1:1", "http://127.0.0.1:1/v2/x").as_deref(),
            Some("http://127.0.0.1:1/v2/x")
        );
        assert_eq!(
            resolve_link("http://127.0.0.1:1", "http://127.0.0.1:12/v2/x"),
            None
        );
        assert_eq!(resolve_link("http://127.0.0.1:1", "http://evil/v2/x"), None);
        h.insert("link", "<http://a/b>; rel=\"prev\"".parse().unwrap());
        assert_eq!(next_link(&h), None);
    }

    fn answer(status: u16, location: &str) -> Answer {
        let mut headers = ureq::http::HeaderMap::new();
        headers.insert("location", location.parse().unwrap());
        Answer {
            status,
            headers,
            body: Vec::new(),
        }
    }

    #[test]
    fn which_realms_are_trusted() {
        let client = |plain_http| {
            Client::new(Options {
                plain_http,
                ..Options::default()
            })
        };
        let target = |name: &str, plain_http| Target::of(name, plain_http, None).unwrap().0;
        let https = target("quay.io/x", false);
        let local = target("127.0.0.1:5000/x", false);
        let c = client(false);
        // https realms anywhere.
        assert!(c.trust_realm(&https, "https://quay.io/v2/auth").is_ok());
        assert!(c
            .trust_realm(&https, "https://auth.docker.io/token")
            .is_ok());
        assert!(c.trust_realm(&local, "https://auth.example/token").is_ok());
        // Plain http: never from an https registry, even on its own host.
        assert!(c.trust_realm(&https, "http://quay.io/v2/auth").is_err());
        assert!(c.trust_realm(&https, "http://127.0.0.1:1/token").is_err());
        // From a plain-http registry: to loopback, or anywhere with plain_http.
        assert!(c.trust_realm(&local, "http://127.0.0.1:1/token").is_ok());
        assert!(c.trust_realm(&local, "http://localhost:1/token").is_ok());
        assert!(c.trust_realm(&local, "http://evil.example/token").is_err());
        let plain = target("registry.lan/x", true);
        assert!(client(true)
            .trust_realm(&plain, "http://auth.lan/token")
            .is_ok());
        assert!(c.trust_realm(&plain, "http://auth.lan/token").is_err());
        // Not http(s), or with user info: never.
        assert!(c.trust_realm(&local, "file:///etc/passwd").is_err());
        assert!(c.trust_realm(&https, "https://u:p@quay.io/auth").is_err());
    }

    #[test]
    fn an_https_to_http_redirect_is_refused() {
        let c = Client::new(Options::default());
        let t = Target::of("quay.io/x", false, None).unwrap().0;
        let from = Url::parse("https://quay.io/v2/x/tags/list").unwrap();
        let mut n = 0;
        let e = c
            .redirect(
                &t,
                "u",
                Some(&from),
                &answer(302, "http://quay.io/v2/x/tags/list"),
                &mut n,
            )
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Protocol, "{e}");
        assert!(e.to_string().contains("https to plain http"), "{e}");
        let next = c
            .redirect(
                &t,
                "u",
                Some(&from),
                &answer(302, "https://cdn.example/b?X-Amz-Signature=abc"),
                &mut n,
            )
            .unwrap();
        assert_eq!(next, "https://cdn.example/b?X-Amz-Signature=abc");
        assert_eq!(n, 2);
    }

    #[test]
    fn excerpts_are_short_and_on_one_line() {
        assert_eq!(excerpt(b"{\"errors\":\n [1]}"), "{\"errors\": [1]}");
        assert_eq!(excerpt(&[b'x'; 500]).chars().count(), EXCERPT + 1);
        assert_eq!(
            percent_encode("repository:a/b:pull"),
            "repository%3Aa%2Fb%3Apull"
        );
    }
}
