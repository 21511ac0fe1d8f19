//! Parse, format, order and resolve the names of AI container images.
//!
//! GPU clouds ship framework images under naming schemes of their own, and
//! the tools around them (schedulers, CI checks, update bots, lock files)
//! keep re-reading those names with ad-hoc regexes. `imagetag` reads them
//! once, exactly, into typed values, without allocating on the borrowed path.
//!
//! ```
//! use imagetag::Reference;
//!
//! let r = Reference::parse_normalized("nvcr.io/nvidia/pytorch:24.01-py3")?;
//! assert_eq!(r.domain(), Some("nvcr.io"));
//! assert_eq!(r.path(), "nvidia/pytorch");
//! assert_eq!(r.tag(), Some("24.01-py3"));
//!
//! let hub = Reference::parse_normalized("ubuntu:22.04")?;
//! assert_eq!(hub.to_string(), "docker.io/library/ubuntu:22.04");
//! assert_eq!(hub.familiar().to_string(), "ubuntu:22.04");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Scope of this crate
//!
//! `imagetag` implements the OCI/Docker image reference grammar exactly as
//! Docker and containerd read it (the `distribution/reference` package, whose
//! own test cases run in this crate's tests), with Docker's normalisation as
//! a separate reading mode ([`Mode`]). Digests are the ones the OCI image spec
//! registers: `sha256`, `sha384` and `sha512`, lowercase hex.
//!
//! On top of it, the naming schemes of GPU clouds ([`scheme`]): TWCC names
//! (`tensorflow-20.11-tf2-py3:latest`, with TWCC's documented exceptions)
//! and NGC tags (`nvcr.io/nvidia/pytorch:24.01-py3` and the tag styles of
//! NGC's other repositories), with NGC releases and vendor releases as
//! calendar values ([`Release`], [`VendorRelease`]); and VESSL's tag scheme ([`scheme::vessl`]:
//! `version[-cudaX.Y[.Z]][-cudnnN][-pyX.Y][-variant][-rN]`, standard
//! aliases, and the legacy `kernels`, `ngc-*-kernel` and `hub` forms), and a
//! [`Catalog`] of tags that resolves an alias to its newest revision, finds
//! the newest image that fits a [`Query`], and sorts.
//!
//! # Crate features
//!
//! - `serde` (default): `Serialize` and `Deserialize` for values, as strings.
//! - `cli` (default): the `imagetag` command line (clap, serde_json). A
//!   library user who wants neither can depend on
//!   `imagetag = { version = "0.1", default-features = false }`, which pulls
//!   in only `nom` and `thiserror`.
//! - `registry` (on with `cli`): [`registry`], a blocking OCI Distribution
//!   client (ureq with rustls, sha2, serde_json) that lists a repository's
//!   tags into a [`Catalog`] and reads manifest digests for pinning.
//! - `check` (on with `cli`): [`check`], the finder behind `imagetag check`
//!   and `imagetag pin`: image references in Dockerfiles, YAML files,
//!   Dev Container definitions (`devcontainer.json`), Jenkinsfiles,
//!   Bake files (`docker-bake.hcl`) and name lists, with their positions and byte spans, and a
//!   `.gitignore`-aware walk (`ignore`, `saphyr-parser`).
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]
// docs.rs builds with `--cfg docsrs` on nightly, where `doc_cfg` (which
// took in `doc_auto_cfg`, rust-lang/rust#138907) labels every item behind a
// feature with it: the modules below, and the `serde` impls too.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod catalog;
#[cfg(feature = "check")]
#[cfg_attr(docsrs, doc(cfg(feature = "check")))]
pub mod check;
mod error;
mod image;
mod parse;
pub mod reference;
#[cfg(feature = "registry")]
#[cfg_attr(docsrs, doc(cfg(feature = "registry")))]
pub mod registry;
mod release;
pub mod scheme;
pub mod version;

pub use catalog::{Catalog, Choice, Newest, Query};
pub use error::{Component, Error, ErrorKind};
pub use image::{detect, Image, Value};
pub use reference::{
    Algorithm, AnyReference, Canonical, Digest, Familiar, Mode, OwnedReference, Reference,
};
pub use release::{Release, VendorRelease};
pub use scheme::{Field, FieldValue, Scheme, Tagged, Track};
pub use version::Version;

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
