//! [`Catalog`]: the tags of one or more repositories, indexed by track, to
//! resolve aliases, find the newest image that fits, and sort.
//!
//! ```
//! use imagetag::{Catalog, Query};
//!
//! let catalog = Catalog::from_names([
//!     "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r9",
//!     "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r10",
//!     "quay.io/vessl-ai/torch:2.3.0-cuda12.4",
//!     "quay.io/vessl-ai/torch:2.3.1-cuda12.1-r2",
//! ])?;
//! let pinned = catalog.resolve_name("quay.io/vessl-ai/torch:2.3.0-cuda12.4")?;
//! assert_eq!(pinned.to_string(), "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r10");
//!
//! let query = Query::new("quay.io/vessl-ai/torch")?.cuda("12.4".parse()?).pinned(true);
//! let newest = catalog.newest(&query)?;
//! assert_eq!(newest.image().to_string(), "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r10");
//! assert_eq!(newest.track().as_str(), "vessl quay.io/vessl-ai/torch cuda12.4");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Where the tags come from
//!
//! A catalog is pure and in memory. Its source is any iterator: of names
//! ([`Catalog::from_names`], [`Catalog::from_names_lossy`]), of parsed
//! [`Image`]s ([`Catalog::from_images`]), or one image at a time
//! ([`Catalog::insert`]). The registry client (`registry::Client`,
//! feature `registry`) feeds it the same way, so the catalog knows nothing
//! of where tags live.
//!
//! # Cost
//!
//! Building is one linear pass: each image is hashed into its repository, its
//! track and its alias base, and the newest revision of each base is kept up
//! to date as images arrive: a constant amount of work an image, however
//! many revisions a base holds (a base's first 64 revisions are told apart
//! by a bitmask, the rest by a hash table). [`Catalog::resolve`] is then a few hash
//! look-ups, without a scan; [`Catalog::newest`] scans one repository;
//! [`Catalog::sorted`] sorts each track.
//!
//! # Layout
//!
//! The catalog names no scheme: everything it knows of a value comes from
//! the scheme through [`Image`], which forwards to the scheme's
//! [`Tagged`](crate::Tagged) (track, order, alias, [`Facts`](crate::scheme::Facts),
//! family) and to a crate-private `Indexed` trait (the index's fast path
//! for numbered revisions, moving tags that cover others, a total order
//! for sorting). By job, one file each:
//!
//! - `index.rs`: repositories, tracks, alias bases and the set of images,
//!   built one image at a time ([`Catalog::insert`]);
//! - `resolve.rs`: [`Catalog::resolve`], aliases and moving tags to the
//!   image they stand for;
//! - `query.rs`: [`Query`], [`Catalog::newest`] and its ranking;
//! - `sort.rs`: [`Catalog::sorted`], the natural order of names;
//! - `hash.rs`: the seeded hasher of the index's tables.

mod hash;
mod index;
mod query;
mod resolve;
mod sort;

use std::borrow::Cow;

use crate::error::Error;
use crate::image::Image;
use crate::version::Version;
use hash::{Map, Seeded};
use index::{NumberedBase, Older, Repo, TrackGroup};
pub use query::{Choice, Newest, Query};
pub(crate) use sort::natural_cmp;

/// A set of image names, grouped by repository and by track.
///
/// Duplicates are kept once. See the [module docs](self) for an example.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    images: Vec<Image>,
    repos: Vec<Repo>,
    repo_index: Map<String, usize>,
    /// The repository of the last image added: tag lists come a repository
    /// at a time.
    last_repo: Option<usize>,
    tracks: Vec<TrackGroup>,
    /// The set of images (all but values with numbered revisions, which
    /// their base keeps): their indices, by the hash of their reference
    /// (computed again from the image when the table grows). Five bytes a
    /// slot: a key of its own beside each would cost 16 or more, and a
    /// catalog of a million generic tags paid 60 bytes a tag for it.
    seen: hashbrown::HashTable<u32>,
    /// The numbered bases (VESSL standard aliases and their `-rN` tags;
    /// see [`Image::revision_base`]), by track group and leading version:
    /// the alias text is the version plus the track's text, so this is the
    /// alias, keyed without a string. Most bases hold one or two tags, and
    /// a catalog holds tens of thousands of them: entries are kept small
    /// (8 bytes of them a bitmask of the base's revisions), and the older
    /// revisions of a base live in `older`.
    ///
    /// The key is packed into a `u64` ([`pack_base`]) whenever its numbers
    /// are small, as they nearly always are: 32-byte entries rather than
    /// 48, so the table (one random access per insert, the build's main
    /// cache miss) is two thirds the size. Other keys live in
    /// `numbered_wide`.
    numbered: Map<u64, NumberedBase>,
    /// The bases whose key does not pack into a `u64`.
    numbered_wide: Map<(u32, Version), NumberedBase>,
    /// The revisions below 64 of numbered bases, other than
    /// their newest, as linked lists through one vector: no allocation per
    /// base, and at most 63 entries a base, so a walk is short.
    older: Vec<Older>,
    /// The revisions of numbered bases from 64 up, newest included, as
    /// image indices by the hash of their track group, lead and revision:
    /// a base with thousands of revisions costs a hash look-up per insert,
    /// not a walk of all its older ones (quadratic: 100 000 revisions of
    /// one base took 16 s). Five bytes a slot (the key is read again from
    /// the image when the table grows), where a map kept 33: tag lists with
    /// high revision numbers paid 43 bytes a tag for it. Real bases rarely
    /// reach them, so the common case never touches this table.
    high_revisions: hashbrown::HashTable<u32>,
    /// How many images the caller announced, for `seen`, which only
    /// images without numbered revisions use: reserved on first use.
    hint: usize,
    /// The same for `numbered`, which holds at most half as many (a base
    /// with numbered revisions holds an alias or a revision, or both):
    /// reserved once its numbered images so far say how many bases a tag
    /// makes (see `Catalog::reserve_numbered`).
    numbered_hint: usize,
    /// How many images with numbered revisions came so far.
    numbered_seen: usize,
    /// The same for `high_revisions`, reserved when the first high
    /// revision comes (most lists have none).
    high_hint: usize,
    hasher: Seeded,
    /// Whether an image moves over what it covers on other tracks (a
    /// generic major-only CUDA tag): only then does sorting make a pass
    /// over every image for them (`Catalog::covering_across`).
    moving_covers: bool,
    /// Reused for look-ups by repository and track text, so that known
    /// repositories and tracks cost no allocation.
    scratch: String,
}

/// Instantiation
impl Catalog {
    /// An empty catalog.
    pub fn new() -> Catalog {
        Catalog::default()
    }

    /// An empty catalog with room for `n` images.
    pub fn with_capacity(n: usize) -> Catalog {
        let mut c = Catalog::default();
        c.images.reserve(n);
        c.hint = n;
        c.numbered_hint = n / 2;
        c.high_hint = n / 2;
        c
    }

    /// A catalog of full names (`quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5`),
    /// each read with [`Image::parse`]: the first invalid name is an error.
    pub fn from_names<I>(names: I) -> Result<Catalog, Error>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let names = names.into_iter();
        let mut c = Catalog::with_capacity(names.size_hint().0);
        for n in names {
            c.insert(Image::parse(n.as_ref())?);
        }
        Ok(c)
    }

    /// A catalog of the valid names among `names`, and the errors of the
    /// others (a registry's tag list holds tags of no scheme, too).
    pub fn from_names_lossy<I>(names: I) -> (Catalog, Vec<Error>)
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let names = names.into_iter();
        let mut c = Catalog::with_capacity(names.size_hint().0);
        let mut errors = Vec::new();
        for n in names {
            match Image::parse(n.as_ref()) {
                Ok(img) => {
                    c.insert(img);
                }
                Err(e) => errors.push(e),
            }
        }
        (c, errors)
    }

    /// A catalog of images.
    pub fn from_images(images: impl IntoIterator<Item = Image>) -> Catalog {
        let images = images.into_iter();
        let mut c = Catalog::with_capacity(images.size_hint().0);
        for img in images {
            c.insert(img);
        }
        c
    }

    /// A line of a tag list as a full name: a line with `/`, `:` or `@` is a
    /// full name already; any other line is a tag of `repository`
    /// (`3.10-r14` → `quay.io/vessl-ai/python:3.10-r14`).
    pub fn qualify<'a>(repository: &str, line: &'a str) -> Cow<'a, str> {
        if line.contains(['/', ':', '@']) {
            Cow::Borrowed(line)
        } else {
            Cow::Owned(format!("{repository}:{line}"))
        }
    }
}

/// Access
impl Catalog {
    /// The number of images.
    pub fn len(&self) -> usize {
        self.images.len()
    }

    /// Whether there are no images.
    pub fn is_empty(&self) -> bool {
        self.images.is_empty()
    }

    /// The images, in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = &Image> {
        self.images.iter()
    }

    /// The repositories, in canonical form, in the order first seen. The
    /// registry host is lowercase (one host, whatever its spelling), but
    /// where lowercase would name another repository: a host that is one
    /// only for its capitals (`MyHost/app`; `myhost/app` is on Docker Hub),
    /// or a case variant of Docker Hub's before a one-component path
    /// (`docKer.io/app`, another registry to the grammar, as to Docker,
    /// where `docker.io/app` is `docker.io/library/app`). Those are written
    /// in capitals. Each listing reads back as the repository it names.
    pub fn repositories(&self) -> impl Iterator<Item = &str> {
        self.repos.iter().map(|r| r.name.as_str())
    }

    /// Whether the catalog holds `image`.
    pub fn contains(&self, image: &Image) -> bool {
        self.find(image).is_some()
    }
}
