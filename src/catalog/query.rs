//! Queries: [`Query`], and [`Catalog::newest`] with its ranking.

use std::fmt;

use chrono::Datelike;

use super::Catalog;
use crate::error::{Component, Error, ErrorKind};
use crate::image::Image;
use crate::reference::Reference;
use crate::scheme::{Facts, Track};
use crate::version::Version;

impl Catalog {
    /// The newest image that matches `query`.
    ///
    /// A release is preferred to any pre-release (`3.13.1` over
    /// `3.14.0rc1`, NGC `24.12-py3` over `25.01.rc0-py3`): a pre-release is
    /// the answer only where no release matches. Where the query leaves the
    /// track open, the answer is the one with the
    /// highest version, then the highest CUDA version, then the highest
    /// revision (a standard alias counts above every revision of its base,
    /// since it is the newest one: ask for [`Query::pinned`] to get the
    /// revision); remaining ties go to the highest Python and cuDNN, then to
    /// no variant, then to the greater name. The answer says which track it
    /// chose.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::NotFound`] when no image of the repository matches.
    pub fn newest(&self, query: &Query) -> Result<Choice<'_>, Error> {
        let (repos, family_track) = self.query_repos(query);
        let members = repos
            .into_iter()
            .flat_map(|r| &self.repos[r].tracks)
            .filter(|&&t| {
                family_track
                    .as_ref()
                    .is_none_or(|ft| self.tracks[t].track == *ft)
            })
            .flat_map(|&t| self.tracks[t].members.iter().map(move |&i| (t, i as usize)));
        let mut best: Option<(Rank, usize, usize)> = None;
        for (t, i) in members {
            let img = &self.images[i];
            let Some(rank) = query.rank(img) else {
                continue;
            };
            if best
                .as_ref()
                .is_none_or(|(b, _, j)| newer(&rank, img, b, &self.images[*j]))
            {
                best = Some((rank, t, i));
            }
        }
        match best {
            Some((_, t, i)) => Ok(Choice {
                image: &self.images[i],
                track: &self.tracks[t].track,
            }),
            None => Err(no_match(query)),
        }
    }

    /// The repositories a query looks at: its own and, for a TWCC name,
    /// every repository of the same framework (`pytorch-21.06-py3` and
    /// `pytorch-22.08-py3` under one path), whose release is the position.
    /// With them, the track a TWCC release name asks for (the same
    /// variant, Python or package, and `-v1`).
    fn query_repos(&self, query: &Query) -> (Vec<usize>, Option<Track>) {
        let own = self.repo_index.get(&query.repository).copied();
        let named = Image::parse(&query.repository).ok();
        let family = named.as_ref().and_then(Image::family);
        let Some(family) = family else {
            return (own.into_iter().collect(), None);
        };
        let repos = (0..self.repos.len())
            .filter(|&r| Some(r) == own || self.repo_family(r).as_ref() == Some(&family))
            .collect();
        (repos, named.map(|n| n.track()))
    }

    /// The family of a repository's images (see [`Image::family`]), if
    /// they belong to one.
    pub(super) fn repo_family(&self, repo: usize) -> Option<String> {
        let t = *self.repos[repo].tracks.first()?;
        let i = *self.tracks[t].members.first()?;
        self.images[i as usize].family()
    }
}

/// No image meets the query.
#[cold]
fn no_match(query: &Query) -> Error {
    let input = query.to_string();
    Error::new(
        ErrorKind::NotFound,
        "query",
        &input,
        0,
        &input,
        Component::Query,
        "expected a tag in the tag list that meets every condition",
    )
}

/// Whether `img` (ranked `rank`) beats `best` (ranked `b`): the greater
/// rank, and of equal ranks the greater name.
fn newer(rank: &Rank, img: &Image, b: &Rank, best: &Image) -> bool {
    match rank.cmp(b) {
        std::cmp::Ordering::Equal => img.to_string() > best.to_string(),
        o => o.is_gt(),
    }
}

/// [`Catalog::newest`] one image at a time: offer each image of a tag
/// list and take the answer, with the memory of one image, however long
/// the list. It answers what a catalog of the same images answers.
///
/// ```
/// use imagetag::{Image, Newest, Query};
///
/// let query = Query::new("quay.io/vessl-ai/torch")?.cuda("12.4".parse()?).pinned(true);
/// let mut newest = Newest::new(&query);
/// for name in [
///     "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r9",
///     "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r10",
///     "quay.io/vessl-ai/torch:2.3.0-cuda12.4",
///     "quay.io/vessl-ai/torch:2.3.1-cuda12.1-r2",
/// ] {
///     newest.offer(Image::parse(name)?);
/// }
/// let (image, track) = newest.finish()?;
/// assert_eq!(image.to_string(), "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r10");
/// assert_eq!(track.as_str(), "vessl quay.io/vessl-ai/torch cuda12.4");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Newest<'q> {
    query: &'q Query,
    /// For a TWCC release name: its framework's repositories (their
    /// family) and the track the name asks for (see [`Catalog::newest`]).
    family: Option<(String, Track)>,
    best: Option<(Rank, Image)>,
}

impl<'q> Newest<'q> {
    /// Nothing offered yet.
    pub fn new(query: &'q Query) -> Newest<'q> {
        let named = Image::parse(&query.repository).ok();
        let family = named.and_then(|n| Some((n.family()?, n.track())));
        Newest {
            query,
            family,
            best: None,
        }
    }

    /// Considers `image`: kept if it meets the query and beats the best so
    /// far.
    pub fn offer(&mut self, image: Image) {
        let own = image
            .reference()
            .is_canonical_repository(&self.query.repository);
        let wanted = match &self.family {
            None => own,
            Some((family, track)) => {
                (own || image.family().as_ref() == Some(family)) && image.track() == *track
            }
        };
        if !wanted {
            return;
        }
        let Some(rank) = self.query.rank(&image) else {
            return;
        };
        if self
            .best
            .as_ref()
            .is_none_or(|(b, best)| newer(&rank, &image, b, best))
        {
            self.best = Some((rank, image));
        }
    }

    /// The newest image offered that meets the query, and its track.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::NotFound`] when none does.
    pub fn finish(self) -> Result<(Image, Track), Error> {
        match self.best {
            Some((_, image)) => {
                let track = image.track();
                Ok((image, track))
            }
            None => Err(no_match(self.query)),
        }
    }
}

/// The answer of [`Catalog::newest`]: an image and the track it is on.
#[derive(Clone, Copy, Debug)]
pub struct Choice<'c> {
    image: &'c Image,
    track: &'c Track,
}

impl<'c> Choice<'c> {
    /// The image.
    pub fn image(&self) -> &'c Image {
        self.image
    }

    /// The track chosen.
    pub fn track(&self) -> &'c Track {
        self.track
    }
}

/// What [`Catalog::newest`] looks for: a repository, and optionally a
/// version requirement, a CUDA, cuDNN or Python version, a variant, and
/// whether only pinned images count.
///
/// ```
/// use imagetag::Query;
///
/// let q = Query::new("quay.io/vessl-ai/torch")?
///     .version(">=2.2, <3".parse()?)
///     .cuda("12".parse()?)
///     .pinned(true);
/// assert_eq!(q.to_string(), "quay.io/vessl-ai/torch --version '>=2.2, <3' --cuda 12 --pinned");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    repository: String,
    version: Option<semver::VersionReq>,
    cuda: Option<Version>,
    cudnn: Option<u32>,
    python: Option<Version>,
    variant: Option<String>,
    pinned: bool,
    released_after: Option<chrono::NaiveDate>,
}

impl Query {
    /// A query for the newest image of a repository
    /// (`quay.io/vessl-ai/torch`, normalized; no tag or digest).
    pub fn new(repository: &str) -> Result<Query, Error> {
        let r = Reference::parse_name(repository)?;
        let mut name = String::new();
        r.push_canonical_repository(&mut name, 0);
        Ok(Query {
            // The registry lowercase, as the catalog keys repositories.
            repository: name,
            version: None,
            cuda: None,
            cudnn: None,
            python: None,
            variant: None,
            pinned: false,
            released_after: None,
        })
    }

    /// Only versions that satisfy `req` (`>=2.2, <3`), a version with fewer
    /// parts read as `.0` (`3.10` is `3.10.0`). The version is the framework
    /// version, or the leading version of a `python` or `cuda` image, or an
    /// NGC release.
    pub fn version(mut self, req: semver::VersionReq) -> Query {
        self.version = Some(req);
        self
    }

    /// Only CUDA versions that start with `cuda` (`12` matches `12.4.1`,
    /// `12.4` matches `12.4` and `12.4.1`, not `12.40`).
    pub fn cuda(mut self, cuda: Version) -> Query {
        self.cuda = Some(cuda);
        self
    }

    /// Only this cuDNN major version.
    pub fn cudnn(mut self, cudnn: u32) -> Query {
        self.cudnn = Some(cudnn);
        self
    }

    /// Only Python versions that start with `python` (`3` matches `3.11`).
    pub fn python(mut self, python: Version) -> Query {
        self.python = Some(python);
        self
    }

    /// Only this variant (`slim`); without it, any variant matches.
    pub fn variant(mut self, variant: &str) -> Query {
        self.variant = Some(variant.to_owned());
        self
    }

    /// Only pinned images (no standard alias).
    pub fn pinned(mut self, pinned: bool) -> Query {
        self.pinned = pinned;
        self
    }

    /// Only images released in a month after `date`'s month ("released
    /// after 2023-06": NGC `23.07` is, `23.06` is not). Only NGC and TWCC
    /// images carry a release date; others never match.
    pub fn released_after(mut self, date: chrono::NaiveDate) -> Query {
        self.released_after = Some(date);
        self
    }

    /// The repository, in canonical form.
    pub fn repository(&self) -> &str {
        &self.repository
    }

    /// How `img` ranks for this query; `None` when it does not meet it.
    /// A tag that detection kept only as an opaque word has no position:
    /// it is never the newest of anything.
    fn rank(&self, img: &Image) -> Option<Rank> {
        let facts = img.facts();
        (!facts.opaque && self.matches(img, &facts)).then(|| Rank::of(img, facts))
    }

    fn matches(&self, img: &Image, f: &Facts<'_>) -> bool {
        let prefix = |want: &Option<Version>, have: Option<Version>| match want {
            None => true,
            Some(w) => have.is_some_and(|h| h.has_prefix(w)),
        };
        (!self.pinned || !img.is_moving())
            && self.released_after.is_none_or(|date| {
                f.released
                    .is_some_and(|r| (r.year(), r.month()) > (date.year(), date.month()))
            })
            && self
                .version
                .as_ref()
                .is_none_or(|req| f.version.is_some_and(|v| v.matches(req)))
            && prefix(&self.cuda, f.cuda)
            && prefix(&self.python, f.python)
            && self.cudnn.is_none_or(|n| f.cudnn == Some(n))
            && self
                .variant
                .as_deref()
                .is_none_or(|v| f.variant.as_deref() == Some(v))
    }
}

impl fmt::Display for Query {
    /// The query as `imagetag latest` arguments.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.repository)?;
        if let Some(v) = &self.version {
            write!(f, " --version '{v}'")?;
        }
        if let Some(v) = &self.cuda {
            write!(f, " --cuda {v}")?;
        }
        if let Some(v) = &self.cudnn {
            write!(f, " --cudnn {v}")?;
        }
        if let Some(v) = &self.python {
            write!(f, " --python {v}")?;
        }
        if let Some(v) = &self.variant {
            write!(f, " --variant {v}")?;
        }
        if self.pinned {
            f.write_str(" --pinned")?;
        }
        if let Some(d) = self.released_after {
            write!(f, " --released-after {}", d.format("%Y-%m"))?;
        }
        Ok(())
    }
}

/// How [`Catalog::newest`] ranks matches: greater is newer; of equal
/// ranks, the greater name.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    /// Any release above any pre-release: a pre-release is the newest only
    /// where no release matches.
    released: bool,
    version: Option<Version>,
    cuda: Option<Version>,
    /// An alias above every revision.
    revision: (bool, Option<u64>),
    python: Option<Version>,
    cudnn: Option<u32>,
    no_variant: bool,
}

impl Rank {
    fn of(img: &Image, f: Facts<'_>) -> Rank {
        Rank {
            released: !f.prerelease,
            version: f.version,
            cuda: f.cuda,
            revision: (img.is_moving(), f.revision),
            python: f.python,
            cudnn: f.cudnn,
            no_variant: f.variant.is_none(),
        }
    }
}
