//! Name resolution for the client's connections, looked up once a host.
//!
//! ureq resolves the host of *every* request, pooled connection or not,
//! and with a timeout set (the client always sets one) it does so on a
//! thread of its own, spawned for the look-up: about a thread a request,
//! even for `127.0.0.1`. Against a registry on the same network that was
//! most of a HEAD's cost (1 000 HEADs on one kept-alive connection took
//! 1.2–1.8× as long as `curl -K`; `strace` counted one `clone3` a request).
//! This resolver asks ureq's own resolver once a host and port, and keeps
//! the answer for [`TTL`]: connections are still made, reused and checked by
//! ureq, only the look-up is spared. Which host a request goes to, and so
//! which host gets credentials, is unchanged: the cache is keyed by the
//! request's scheme, host and port, and TLS still checks the host's name.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long an answer is kept: long enough for a run's requests to one
/// registry, short enough that a long-lived client follows a moved host.
pub(crate) const TTL: Duration = Duration::from_secs(30);

/// The most hosts kept; a client talks to a registry and its token server,
/// so more means something odd: the cache is emptied rather than grown.
const MAX_HOSTS: usize = 64;

/// ureq's resolver, asked once a host and port per [`TTL`].
#[derive(Debug, Default)]
pub(crate) struct CachingResolver {
    inner: DefaultResolver,
    answers: Mutex<HashMap<String, (Instant, ResolvedSocketAddrs)>>,
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let key = match (uri.scheme_str(), uri.authority()) {
            (Some(s), Some(a)) => format!("{s}://{a}"),
            // Not a full URL: ureq's own resolver says why.
            _ => return self.inner.resolve(uri, config, timeout),
        };
        if let Some((at, addrs)) = self.lock().get(&key) {
            if at.elapsed() < TTL {
                return Ok(addrs.clone());
            }
        }
        // Looked up without the lock held: another thread may look up the
        // same host meanwhile, and both answers are right.
        let addrs = self.inner.resolve(uri, config, timeout)?;
        let mut answers = self.lock();
        if answers.len() >= MAX_HOSTS {
            answers.clear();
        }
        answers.insert(key, (Instant::now(), addrs.clone()));
        Ok(addrs)
    }
}

impl CachingResolver {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Instant, ResolvedSocketAddrs)>> {
        self.answers.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How many hosts are kept (for the tests).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The second request to a host is answered from the cache, and a
    /// request to another port of it is looked up on its own.
    #[test]
    fn one_look_up_a_host_and_port() {
        let r = CachingResolver::default();
        let config = Config::default();
        let timeout = || NextTimeout {
            after: Duration::from_secs(5).into(),
            reason: ureq::Timeout::Resolve,
            per_read: None,
            per_write: None,
        };
        let a: Uri = "http://127.0.0.1:5000/v2/".parse().unwrap();
        let b: Uri = "http://127.0.0.1:5000/v2/x/manifests/1".parse().unwrap();
        let c: Uri = "http://127.0.0.1:5001/v2/".parse().unwrap();
        let first = r.resolve(&a, &config, timeout()).unwrap();
        assert_eq!(
            first.iter().copied().collect::<Vec<std::net::SocketAddr>>(),
            vec!["127.0.0.1:5000".parse().unwrap()]
        );
        assert_eq!(r.len(), 1);
        assert_eq!(
            r.resolve(&b, &config, timeout())
                .unwrap()
                .iter()
                .copied()
                .collect::<Vec<std::net::SocketAddr>>(),
            first.iter().copied().collect::<Vec<std::net::SocketAddr>>()
        );
        assert_eq!(r.len(), 1);
        let other = r.resolve(&c, &config, timeout()).unwrap();
        assert_eq!(
            other.iter().copied().collect::<Vec<std::net::SocketAddr>>(),
            vec!["127.0.0.1:5001".parse().unwrap()]
        );
        assert_eq!(r.len(), 2);
    }
}
