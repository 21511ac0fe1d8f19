//! Which values of a YAML document name images, and how.
//!
//! - a scalar under a key `image` (`image: nginx:1.27`, `"image": ...`,
//!   `- image: ...`, flow style), and under a key that ends in `Image`
//!   (`initImage: busybox:1.36`) or in `docker` (`..._BASE_DOCKER:
//!   ubuntu:18.04`) when it is a valid reference (also the items of a
//!   list, and a declared parameter's `default`, under such a key); not
//!   under a key whose last word names a part (`IMAGE_PLATFORMS`), nor
//!   CircleCI's `machine.image` (a VM image);
//! - Helm values: a mapping of parts (`registry`, `repository`, `image`,
//!   `name`, `tag`, `version`, `digest`), one reference at the part that
//!   names the repository, its tag written in `tag_span` (under any key,
//!   `imageName` beside `imageTag`);
//! - GitHub Actions: `jobs.<id>.container` written as a name, and `uses:
//!   docker://...`; an action's `image: Dockerfile` is a path, not an image;
//! - SkyPilot tasks: `resources.image_id: docker:<image>` (another
//!   `image_id` is a VM image and is not read);
//! - GitLab CI `services:` items (in `.gitlab-ci.yml`);
//! - Google Cloud Build `steps[].name`, the builder image of each step (in
//!   `cloudbuild*.yaml`);
//! - kustomize `images:` entries (`newName`, `newTag`, `digest`);
//! - Kubeflow's notebook spawner choices (`image: {value, options: [...]}`)
//!   and Tekton bundles (the bundles resolver's `bundle` param,
//!   `taskRef.bundle`), when valid references;
//! - Kubernetes image volumes (`volumes[].image.reference`), Concourse
//!   `registry-image` and `docker-image` resources and task images
//!   (`source: {repository, tag}`, a tag of `latest` when none), and
//!   Crossplane packages (`spec.package` of `pkg.crossplane.io` kinds);
//! - Compose interpolation: `${VAR:-default}` and `${VAR-default}` are
//!   filled in with the default, `$$` is a `$`;
//! - a literal block scalar (`|`) that is itself YAML with images.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;

use super::tree::{Node, Scalar};
use crate::check::{Found, Kind};

/// Block scalars inside block scalars are read this deep.
const NESTING: usize = 3;

/// The finder over the documents of one text.
pub(crate) struct Finder<'a> {
    path: &'a Path,
    text: &'a str,
    /// What was found: spans into `text`; lines and columns are filled in
    /// by the caller.
    pub out: Vec<Found>,
    anchors: HashMap<usize, &'a Scalar>,
    reported: HashSet<usize>,
    gitlab: bool,
    cloudbuild: bool,
    /// The file is in a `.circleci` directory.
    circleci: bool,
    /// Reading the `image:` of a Compose service that builds it: what is
    /// found names the build's output ([`Found::output`]).
    building: bool,
    nesting: usize,
}

impl<'a> Finder<'a> {
    pub fn new(path: &'a Path, text: &'a str, docs: &'a [Node], nesting: usize) -> Self {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        let (gitlab, cloudbuild) = by_name(&name);
        let mut f = Finder {
            path,
            text,
            out: Vec::new(),
            anchors: HashMap::new(),
            reported: HashSet::new(),
            gitlab,
            cloudbuild,
            circleci: path.components().any(|c| c.as_os_str() == ".circleci"),
            building: false,
            nesting,
        };
        let mut stack: Vec<&'a Node> = docs.iter().collect();
        while let Some(n) = stack.pop() {
            match n {
                Node::Scalar(s) if s.anchor != 0 => {
                    f.anchors.insert(s.anchor, s);
                }
                Node::Map(e) => stack.extend(e.iter().map(|(_, v)| v)),
                Node::Seq(items) => stack.extend(items.iter()),
                _ => {}
            }
        }
        for d in docs {
            f.node(d, None, None, true);
        }
        f
    }

    fn node(&mut self, n: &'a Node, key: Option<&'a str>, parent: Option<&'a str>, root: bool) {
        match n {
            Node::Map(entries) => self.map(entries, key, parent, root),
            Node::Seq(items) => {
                // GitLab CI `services:` lists elsewhere than `.gitlab-ci.yml`
                // (included files): a name that is a valid reference.
                if !self.gitlab && key == Some("services") {
                    for item in items {
                        let name = match item {
                            Node::Scalar(s) => Some(s),
                            Node::Map(e) => get(e, "name"),
                            _ => None,
                        };
                        if let Some(s) = name.filter(|s| valid(&s.value)) {
                            self.image(s)
                        }
                    }
                }
                // A GitHub Actions matrix of containers for
                // `container: ${{ matrix.container }}`, and a list under a
                // key that names images (`builder-base-image: [ghcr.io/...]`
                // of a build matrix's settings), when valid references.
                if (parent == Some("matrix") && key.is_some_and(has_container_or_image_word))
                    || key.is_some_and(names_an_image)
                {
                    for item in items {
                        if let Node::Scalar(s) = item {
                            if valid(&s.value) {
                                self.image(s)
                            }
                        }
                    }
                }
                if self.gitlab && key == Some("services") {
                    for item in items {
                        match item {
                            Node::Scalar(s) => self.image(s),
                            Node::Map(e) => {
                                if let Some(s) = get(e, "name") {
                                    self.image(s)
                                }
                            }
                            _ => {}
                        }
                    }
                    return;
                }
                if self.cloudbuild && key == Some("steps") && parent.is_none() {
                    for item in items {
                        if let Node::Map(e) = item {
                            if let Some(s) = get(e, "name") {
                                self.image(s)
                            }
                        }
                    }
                }
                for item in items {
                    self.node(item, key, parent, false);
                }
            }
            Node::Scalar(s) => {
                // `image:`, and keys such as `workerImage` (any case).
                if s.literal
                    && self.nesting < NESTING
                    && (s.value.contains("image") || s.value.contains("Image"))
                {
                    self.nested(s);
                }
            }
            Node::Alias(_) => {}
        }
    }

    fn map(
        &mut self,
        entries: &'a [(Option<Scalar>, Node)],
        key: Option<&'a str>,
        parent: Option<&'a str>,
        root: bool,
    ) {
        let mut used = vec![false; entries.len()];
        // GitHub Actions: `jobs.<id>.container: node:20`.
        if parent == Some("jobs") {
            if let Some(i) = find(entries, "container") {
                if let Some(s) = value(entries, i) {
                    self.image(s);
                    used[i] = true;
                }
            }
        }
        // A Concourse task step's `image:` names an artifact of the plan
        // (a resource fetched by a `get` step), not a registry image: the
        // resource's `source` holds that.
        if find(entries, "task").is_some() {
            if let Some(i) = find(entries, "image") {
                used[i] = true;
            }
        }
        // CircleCI's `machine:` executor names a VM image (`image:
        // ubuntu-2204:current`, `windows-server-2019-nvidia:stable`), not a
        // container image: in `.circleci/`, or beside the executor's own keys.
        if key == Some("machine")
            && (self.circleci
                || ["resource_class", "docker_layer_caching", "shell"]
                    .iter()
                    .any(|k| find(entries, k).is_some()))
        {
            if let Some(i) = find(entries, "image") {
                used[i] = true;
            }
        }
        // A declared parameter or input that holds an image: CircleCI's
        // `parameters: {pytorch_image: {type: string, default: ...}}`, an
        // Actions workflow's `inputs`.
        if key.is_some_and(names_an_image) && find(entries, "type").is_some() {
            self.valid_value(entries, "default", &mut used);
        }
        // A parameter whose name ends in `image` and whose default or value
        // is a name: Tekton's `params: [{name: gitInitImage, default: ...}]`,
        // Argo's `parameters: [{name: image, value: ...}]`, an environment
        // variable `{name: BASE_IMAGE, value: ...}`.
        if get(entries, "name").is_some_and(|n| imageish(&n.value)) {
            for k in ["default", "value"] {
                self.valid_value(entries, k, &mut used);
            }
        }
        // Compose's `build.cache_from`: images whose layers the build may
        // reuse (a BuildKit `type=...,ref=...` entry is not a name).
        self.valid_items(entries, "cache_from", &mut used, |v| !v.contains('='));
        // An action's `runs: {using: docker, image: Dockerfile}` names a
        // file to build, unless it is `docker://...`.
        if let (Some(i), Some(u)) = (find(entries, "image"), get(entries, "using")) {
            if u.value.eq_ignore_ascii_case("docker")
                && value(entries, i).is_some_and(|s| !s.value.starts_with("docker://"))
            {
                used[i] = true;
            }
        }
        // kustomize: `images:` at the top of the file.
        if root {
            if let Some(i) = find(entries, "images") {
                if let Node::Seq(items) = &entries[i].1 {
                    let kustomize = |n: &Node| {
                        matches!(n, Node::Map(e) if get(e, "name").is_some()
                            && ["newName", "newTag", "digest"].iter().any(|k| find(e, k).is_some()))
                    };
                    if items.iter().any(kustomize) {
                        for item in items {
                            if let Node::Map(e) = item {
                                self.kustomize(e);
                            }
                        }
                        used[i] = true;
                    }
                }
            }
        }
        // Concourse: `type: registry-image` beside `source: {repository,
        // tag}` (a resource, or a task's `image_resource`) is an image,
        // with or without its tag.
        if get(entries, "type")
            .is_some_and(|t| matches!(t.value.as_str(), "registry-image" | "docker-image"))
        {
            if let Some(i) = find(entries, "source") {
                if let Node::Map(source) = &entries[i].1 {
                    if let Some(repository) = get(source, "repository") {
                        let (tag, digest) = (get(source, "tag"), get(source, "digest"));
                        self.join(repository, &[Some(repository)], tag, digest, true, false);
                        used[i] = true;
                    }
                }
            }
        }
        // Crossplane: `spec.package` of a provider, configuration or
        // function (`apiVersion: pkg.crossplane.io/v1`).
        if get(entries, "apiVersion").is_some_and(|v| v.value.starts_with("pkg.crossplane.io/")) {
            if let Some(Node::Map(spec)) = find(entries, "spec").map(|i| &entries[i].1) {
                if let Some(p) = get(spec, "package") {
                    self.image(p);
                }
            }
        }
        // Kubeflow's notebook spawner config: `image: {value: default,
        // options: [...]}` (also `imageGroupOne`), each a valid reference.
        if key.is_some_and(has_image_word) {
            self.valid_value(entries, "value", &mut used);
            self.valid_items(entries, "options", &mut used, |_| true);
        }
        // A Tekton bundle (an OCI image of Tasks): the bundles resolver's
        // `params: [{name: bundle, value: ...}]`, or `taskRef.bundle`.
        if get(entries, "resolver").is_some_and(|r| r.value == "bundles") {
            if let Some(Node::Seq(params)) = find(entries, "params").map(|i| &entries[i].1) {
                for p in params {
                    if let Node::Map(p) = p {
                        if get(p, "name").is_some_and(|n| n.value == "bundle") {
                            if let Some(v) = get(p, "value").filter(|v| valid(&v.value)) {
                                self.image(v);
                            }
                        }
                    }
                }
            }
        }
        // A Compose service that builds its image and never pulls it
        // (`pull_policy: build` or `never`): `image:` is the name the build
        // gives it. Without a pull policy Compose pulls the image first and
        // builds only when that fails: a name it pulls.
        let never_pulled = find(entries, "pull_policy")
            .and_then(|i| value(entries, i))
            .is_some_and(|p| matches!(p.value.as_str(), "build" | "never"));
        if parent == Some("services") && find(entries, "build").is_some() && never_pulled {
            if let Some(i) = find(entries, "image") {
                if let Some(s) = value(entries, i) {
                    self.building = true;
                    self.image(s);
                    self.building = false;
                    used[i] = true;
                }
            }
        }
        if key.is_some_and(|k| k == "taskRef" || k == "pipelineRef") {
            if let Some(i) = find(entries, "bundle") {
                if let Some(s) = value(entries, i).filter(|s| valid(&s.value)) {
                    self.image(s);
                    used[i] = true;
                }
            }
        }
        self.helm(entries, key, &mut used);
        for (i, (k, v)) in entries.iter().enumerate() {
            if used[i] {
                continue;
            }
            let k = k.as_ref().map(|k| k.value.as_str());
            match (k, v) {
                (Some("image"), Node::Scalar(s)) => self.image(s),
                (Some("image"), Node::Alias(id)) => {
                    if let Some(s) = self.anchors.get(id).copied() {
                        self.image(s);
                    }
                }
                (Some("uses"), Node::Scalar(s)) if s.value.starts_with("docker://") => {
                    self.image(s)
                }
                // SkyPilot: `resources.image_id: docker:<image>`; any other
                // `image_id` is a VM image (an AMI, a GCP image path).
                (Some("image_id"), Node::Scalar(s)) => {
                    if s.value.starts_with("docker:") {
                        self.image_after(s, "docker:");
                    }
                }
                // `initImage: busybox:1.36`, OLM's `relatedImageManager:`,
                // `defaultImages: {postgreSQL: postgres:14}`: read when the
                // value is a valid reference with a path or a tag.
                (Some(k), Node::Scalar(s))
                    if (names_an_image(k)
                        || k.eq_ignore_ascii_case("container")
                        || names_a_docker(k)
                        || key.is_some_and(names_images))
                        && valid(&s.value) =>
                {
                    self.image(s)
                }
                _ => self.node(v, k, key, false),
            }
        }
    }

    /// Helm values: a reference written in parts.
    fn helm(&mut self, e: &'a [(Option<Scalar>, Node)], key: Option<&str>, used: &mut [bool]) {
        let strong = key.is_some_and(imageish);
        let repository = find(e, "repository");
        let registry = find(e, "registry");
        let tag = find(e, "tag").or_else(|| find(e, "imageTag"));
        let version = find(e, "version");
        let digest = find(e, "digest");
        let val = |i: Option<usize>| i.and_then(|i| value(e, i));
        let mut mark = |is: &[Option<usize>]| {
            for i in is.iter().flatten() {
                used[*i] = true;
            }
        };
        // `image: name` beside its parts (`repository: nvidia`, `tag: ...`).
        if let Some(i) = find(e, "image") {
            if let Some(name) = value(e, i) {
                let version = version.filter(|_| repository.is_some());
                let parts = [repository, registry, tag, version, digest];
                if parts.iter().any(Option::is_some) && !has_version(&name.value) {
                    let t = val(tag).or(val(version));
                    let names = [val(registry), val(repository), Some(name)];
                    self.join(name, &names, t, val(digest), true, true);
                    mark(&[Some(i), repository, registry, tag, version, digest]);
                }
                return;
            }
        }
        let name = if strong {
            repository
                .or_else(|| find(e, "name"))
                .or_else(|| find(e, "imageName"))
                // A Kubernetes image volume: `image: {reference: ...}`.
                .or_else(|| find(e, "reference"))
        } else {
            // `ngcInit: {imageName: nvcr.io/..., imageTag: 23.12.a}`: the
            // name without a tag of its own, beside its tag.
            repository.or_else(|| {
                find(e, "imageName").filter(|&i| {
                    tag.is_some() && value(e, i).is_some_and(|s| !has_version(&s.value))
                })
            })
        };
        let Some(n) = name else { return };
        let Some(ns) = value(e, n) else { return };
        let version = version.filter(|_| strong);
        if !strong && (tag.is_none() || ns.value.contains("://")) {
            return;
        }
        let (t, d, g) = (val(tag).or(val(version)), val(digest), val(registry));
        if t.is_none()
            && d.is_none()
            && g.is_none()
            && (has_version(&ns.value) || repository.is_none())
        {
            // A whole name (`imageName: nvcr.io/...:25.01-py3`, GitLab's
            // `image: {name: ...}`).
            self.image(ns);
        } else {
            let helm_default = repository.is_some() && (tag.is_some() || version.is_none());
            self.join(ns, &[g, Some(ns)], t, d, strong, helm_default);
        }
        mark(&[Some(n), repository, registry, tag, version, digest]);
    }

    /// One reference from parts: reported at `at`, the tag rewritten in
    /// place. `strong`: the shape says it is an image (an invalid name is
    /// an error); otherwise only a valid name is reported. `helm_default`:
    /// without a tag, the chart's default tag applies.
    fn join(
        &mut self,
        at: &Scalar,
        names: &[Option<&Scalar>],
        tag: Option<&Scalar>,
        digest: Option<&Scalar>,
        strong: bool,
        helm_default: bool,
    ) {
        let mut text = String::new();
        for n in names.iter().flatten() {
            let v = n.value.trim().trim_matches('/');
            if !text.is_empty() {
                text.push('/');
            }
            text.push_str(v);
        }
        if let Some(t) = tag {
            text.push(':');
            text.push_str(t.value.trim());
        }
        if let Some(d) = digest {
            text.push('@');
            text.push_str(d.value.trim());
        }
        let templated = |s: &Scalar| {
            is_template(&s.value)
                || s.value.contains('$')
                || crate::check::placeholder(&s.value).is_some()
        };
        if names
            .iter()
            .flatten()
            .chain(tag.iter())
            .chain(digest.iter())
            .any(|s| templated(s))
        {
            if strong {
                self.push(at.span(), skipped(&text), None);
            }
            return;
        }
        let parses = crate::Image::parse(&text).is_ok();
        if tag.is_none() && digest.is_none() && helm_default {
            if parses {
                let why = format!(
                    "{text:?} has no tag here: the chart's default tag (its appVersion) applies"
                );
                self.push(at.span(), Kind::Skipped(why), Some(text));
            } else if strong {
                self.push(at.span(), Kind::Expanded, Some(text));
            }
            return;
        }
        if !strong && !parses {
            return;
        }
        let tag_span = tag.and_then(|t| t.exact.map(|a| a..a + t.value.len()));
        let tag_span = tag_span.filter(|r| !r.is_empty());
        self.push_found(at.span(), text, Kind::Expanded, tag_span);
    }

    /// A kustomize `images:` entry.
    fn kustomize(&mut self, e: &'a [(Option<Scalar>, Node)]) {
        let Some(name) = get(e, "name") else { return };
        let (new_name, new_tag, digest) = (get(e, "newName"), get(e, "newTag"), get(e, "digest"));
        if new_name.is_none() && new_tag.is_none() && digest.is_none() {
            return;
        }
        if let Some(n) = new_name {
            // `name` is the image that the manifests use and kustomize
            // replaces: what is pulled is `newName`.
            let why = format!(
                "{:?} is the image that kustomize replaces with {:?}",
                name.value, n.value
            );
            self.push(name.span(), Kind::Skipped(why), Some(name.value.clone()));
        }
        let base = new_name.unwrap_or(name);
        if new_tag.is_none() && digest.is_none() {
            self.image(base);
            return;
        }
        self.join(base, &[Some(base)], new_tag, digest, true, false);
    }

    /// A scalar that is a reference as a whole.
    /// The scalar of `key` in `entries`, when it is a valid reference: an
    /// image, and the entry used.
    fn valid_value(&mut self, entries: &[(Option<Scalar>, Node)], key: &str, used: &mut [bool]) {
        if let Some(i) = find(entries, key) {
            if let Some(s) = value(entries, i).filter(|s| valid(&s.value)) {
                self.image(s);
                used[i] = true;
            }
        }
    }

    /// The scalar items of `key`'s sequence in `entries` that are valid
    /// references and pass `keep`: images, and the entry used.
    fn valid_items(
        &mut self,
        entries: &[(Option<Scalar>, Node)],
        key: &str,
        used: &mut [bool],
        keep: impl Fn(&str) -> bool,
    ) {
        let Some(i) = find(entries, key) else { return };
        if let Node::Seq(items) = &entries[i].1 {
            for item in items {
                if let Node::Scalar(s) = item {
                    if valid(&s.value) && keep(&s.value) {
                        self.image(s);
                    }
                }
            }
            used[i] = true;
        }
    }

    fn image(&mut self, s: &Scalar) {
        let scheme = if s.value.starts_with("docker://") {
            "docker://"
        } else {
            ""
        };
        self.image_after(s, scheme);
    }

    /// A scalar that is a reference after `prefix` (`docker://` of an
    /// Actions step, `docker:` of a SkyPilot `image_id`).
    fn image_after(&mut self, s: &Scalar, prefix: &str) {
        if s.is_null() || (s.anchor != 0 && !self.reported.insert(s.anchor)) {
            return;
        }
        let (value, at) = match s.value.strip_prefix(prefix) {
            Some(v) => (v, s.exact.map(|a| a + prefix.len())),
            None => (s.value.as_str(), s.exact),
        };
        let span = at.map_or(s.raw.clone(), |a| a..a + value.len());
        if is_file_or_web_address(value) || is_not_a_name(value) {
            // `image: /assets/img/logo.png` in a site's `_config.yml`,
            // `image: https://...`, AppVeyor's `image: Visual Studio 2022`,
            // a policy's pattern `image: "!*:latest"`: not a container image.
            return;
        }
        if is_template(value) {
            self.push(span, skipped(value), None);
        } else if let Some(p) = crate::check::placeholder(value) {
            // `image: <IMAGE>` in an example to fill in.
            let why = format!("{value:?} is a placeholder ({p}) to fill in");
            self.push(span, Kind::Skipped(why), None);
        } else if value.contains('$') {
            match interpolate(value) {
                Some((e, tag)) if !e.is_empty() => {
                    let tag_span = at.zip(tag).map(|(a, t)| a + t.start..a + t.end);
                    self.push_found(span, e, Kind::Expanded, tag_span);
                }
                _ => self.push(span, skipped(value), Some(value.to_owned())),
            }
        } else if at.is_some() {
            self.push_found(span, value.to_owned(), Kind::Image, None);
        } else {
            self.push_found(span, value.to_owned(), Kind::Expanded, None);
        }
    }

    fn push(&mut self, span: Range<usize>, kind: Kind, text: Option<String>) {
        let text = text.unwrap_or_else(|| self.text.get(span.clone()).unwrap_or("").to_owned());
        self.push_found(span, text, kind, None);
    }

    fn push_found(
        &mut self,
        span: Range<usize>,
        text: String,
        kind: Kind,
        tag_span: Option<Range<usize>>,
    ) {
        self.out.push(Found {
            file: self.path.to_path_buf(),
            line: 0,
            column: 0,
            span,
            text,
            kind,
            tag_span,
            output: self.building,
        });
    }

    /// A literal block scalar that is itself YAML: its images, at their
    /// place in the file.
    fn nested(&mut self, s: &Scalar) {
        let raw = self.text.get(s.raw.clone()).unwrap_or("");
        if !raw.starts_with('|') {
            return;
        }
        let inner = s.value.as_str();
        let found = super::find_nested(self.path, inner, self.nesting + 1);
        if found.is_empty() {
            return;
        }
        let starts = |t: &str| -> Vec<usize> {
            std::iter::once(0)
                .chain(t.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        };
        let (raw_starts, inner_starts) = (starts(raw), starts(inner));
        let base = s.raw.start;
        // The file offset of byte `b` of the value: value line `i` is the
        // file's line `i + 1` after the header, less its indentation.
        let map = |b: usize| -> Option<usize> {
            let i = inner_starts.partition_point(|&x| x <= b).checked_sub(1)?;
            let il_end = inner_starts.get(i + 1).map_or(inner.len(), |&x| x - 1);
            let il = inner.get(inner_starts[i]..il_end)?;
            let r = *raw_starts.get(i + 1)?;
            let r_end = raw_starts.get(i + 2).map_or(raw.len(), |&x| x - 1);
            let rl = raw.get(r..r_end)?.trim_end_matches('\r');
            let lead = rl.len().checked_sub(il.len())?;
            rl.ends_with(il)
                .then(|| base + r + lead + (b - inner_starts[i]))
        };
        let text = self.text;
        let moved = |r: &Range<usize>| -> Option<Range<usize>> {
            let m = map(r.start)?;
            let m = m..m + r.len();
            (text.get(m.clone())? == inner.get(r.clone())?).then_some(m)
        };
        for mut f in found {
            f.tag_span = f.tag_span.as_ref().and_then(&moved);
            match moved(&f.span) {
                Some(m) => f.span = m,
                None => {
                    f.span = s.raw.clone();
                    f.tag_span = None;
                    if f.kind == Kind::Image {
                        f.kind = Kind::Expanded;
                    }
                }
            }
            self.out.push(f);
        }
    }
}

/// The words (in any ASCII case) without which no rule above finds an
/// image in a file: `image` (also `initImage`, `images:`, `image_id`,
/// `registry-image`, YAML or JSON under such a key in a block scalar),
/// `docker` (`docker://`, keys such as `baseDocker`), `container`
/// (Actions jobs and matrices), `repository` (Helm's parts), `services`
/// (GitLab CI services in included files), `bundle` (Tekton), `crossplane`
/// (a package's `apiVersion`), `cache_from` (Compose's build cache); and
/// `\`, with which a quoted key spells
/// any of them. GitLab CI and Cloud Build files are read whatever their
/// words: their rules go by the file's name. A rule that adds a way to an
/// image adds its word here (`every_rule_has_its_word` checks the fixtures).
pub(crate) const WORDS: [&str; 9] = [
    "image",
    "docker",
    "container",
    "repository",
    "services",
    "bundle",
    "crossplane",
    "cache_from",
    "\\",
];

/// Whether `text`, the file at `path`, may hold an image: one pass over
/// its bytes for [`WORDS`].
pub(crate) fn may_hold_images(path: &Path, text: &str) -> bool {
    use aho_corasick::AhoCorasick;
    use std::sync::LazyLock;
    static FINDER: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(WORDS)
            .ok()
    });
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let (gitlab, cloudbuild) = by_name(&name.to_ascii_lowercase());
    match &*FINDER {
        Some(f) if !gitlab && !cloudbuild => f.is_match(text),
        _ => true,
    }
}

/// Whether a file of this (lowercase) name is GitLab CI's or Cloud Build's.
fn by_name(name: &str) -> (bool, bool) {
    (
        name.ends_with("gitlab-ci.yml") || name.ends_with("gitlab-ci.yaml"),
        name.starts_with("cloudbuild") && (name.ends_with(".yaml") || name.ends_with(".yml")),
    )
}

/// The index of the entry with key `name`.
fn find(e: &[(Option<Scalar>, Node)], name: &str) -> Option<usize> {
    e.iter()
        .position(|(k, _)| k.as_ref().is_some_and(|k| k.value == name))
}

/// The value of entry `i` when it is a scalar that is not null.
fn value(e: &[(Option<Scalar>, Node)], i: usize) -> Option<&Scalar> {
    e[i].1.scalar().filter(|s| !s.is_null())
}

fn get<'e>(e: &'e [(Option<Scalar>, Node)], name: &str) -> Option<&'e Scalar> {
    find(e, name).and_then(|i| value(e, i))
}

/// A key that names an image or a map of its parts: `image`,
/// `initImage`, `sidecar_image`, `docker-image`.
fn imageish(k: &str) -> bool {
    let k = k.as_bytes();
    k.len() >= 5 && k[k.len() - 5..].eq_ignore_ascii_case(b"image")
}

/// Whether a key mentions an image in any case (`relatedImageOperator`,
/// `defaultJobImage`, `image_name`).
fn has_image_word(k: &str) -> bool {
    k.as_bytes()
        .windows(5)
        .any(|w| w.eq_ignore_ascii_case(b"image"))
}

/// Whether a key names a whole image: it mentions one (`initImage`,
/// `BASE_IMAGE`, `builder-base-image`) and its last word does not name a
/// part or a property of one (`IMAGE_NAMESPACE: neggles/tensorpods`,
/// `IMAGE_PLATFORMS: linux/amd64`, `imageRegistry: localhost:5000` read as
/// references but are not images).
fn names_an_image(k: &str) -> bool {
    const PARTS: &[&str] = &[
        "namespace",
        "namespaces",
        "platform",
        "platforms",
        "registry",
        "registries",
        "arch",
        "architecture",
        "os",
        "org",
        "owner",
        "user",
        "path",
        "dir",
        "file",
        "url",
        "policy",
        "secret",
        "secrets",
        "tags",
        "digest",
        "size",
        "format",
        "type",
    ];
    has_image_word(k) && !PARTS.iter().any(|p| last_word(k).eq_ignore_ascii_case(p))
}

/// The last word of a key: after its last `_`, `-` or `.`, or its last
/// capital in camel case (`IMAGE_PLATFORMS`, `imageRegistry`).
fn last_word(k: &str) -> &str {
    let k = &k[k.rfind(['_', '-', '.']).map_or(0, |i| i + 1)..];
    let b = k.as_bytes();
    let lower = b.iter().any(u8::is_ascii_lowercase);
    match (1..b.len())
        .rev()
        .find(|&i| lower && b[i].is_ascii_uppercase())
    {
        Some(i) => &k[i..],
        None => k,
    }
}

/// Whether a key ends in `docker` (ClearML's
/// `CLEARML_AGENT_DEFAULT_BASE_DOCKER: "ubuntu:18.04"`, `default_docker`):
/// read only when its value is a valid reference.
fn names_a_docker(k: &str) -> bool {
    let k = k.as_bytes();
    k.len() >= 6 && k[k.len() - 6..].eq_ignore_ascii_case(b"docker")
}

/// Whether a matrix key holds images (`container`, `image`, `base-image`).
fn has_container_or_image_word(k: &str) -> bool {
    has_image_word(k) || k.to_ascii_lowercase().contains("container")
}

/// Whether a key names a set of images (`defaultImages`, `images`).
fn names_images(k: &str) -> bool {
    let k = k.as_bytes();
    k.len() >= 6 && k[k.len() - 6..].eq_ignore_ascii_case(b"images")
}

/// Whether a value is filled in by another tool: a Helm or Jinja template
/// (`{{ }}`, `{% %}`), CircleCI's `<< >>`, Concourse's `(( ))`, or a
/// substitution that is not Compose's (`$(params.x)`, `|version|`).
fn is_template(value: &str) -> bool {
    value.contains("{{")
        || value.contains("{%")
        || (value.contains("<<") && value.contains(">>"))
        || (value.contains("((") && value.contains("))"))
        || has_substitution(value)
}

/// Whether `v` looks like and is a valid reference with a repository path
/// or a tag: a value under a key such as `initImage` is read only then.
fn valid(v: &str) -> bool {
    v.contains(['/', ':'])
        && !v.contains("://")
        && v.starts_with(|c: char| c.is_ascii_alphanumeric())
        && crate::Image::parse(v).is_ok()
}

/// Whether the name `v` has a tag or a digest of its own.
fn has_version(v: &str) -> bool {
    let name = &v[v.rfind('/').map_or(0, |i| i + 1)..];
    v.contains('@') || name.contains(':')
}

/// Whether an `image:` value is a file path, a web address or a picture's
/// file name rather than a container image: it starts with `/`, `./`,
/// `../` or `~/`, is an `http(s)://` address, or ends with a picture's
/// extension. (`ko://...` and other `scheme://` values stay: a manifest
/// that names one is wrong without its build tool.)
fn is_file_or_web_address(v: &str) -> bool {
    const PICTURES: &[&str] = &[
        ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".ico", ".bmp", ".tif", ".tiff", ".avif",
    ];
    let lower = v.trim().to_ascii_lowercase();
    ["/", "./", "../", "~/", "http://", "https://"]
        .iter()
        .any(|p| lower.starts_with(p))
        || PICTURES.iter().any(|e| lower.ends_with(e))
}

/// Whether `v` holds a documentation tool's substitution, `|version|`
/// (Sphinx): a placeholder filled in when the docs are built, never part of
/// a reference (`|` is not allowed in one).
fn has_substitution(v: &str) -> bool {
    let mut parts = v.split('|');
    parts.next();
    let inner: Vec<&str> = parts.collect();
    // `a|word|b` splits into `a`, `word`, `b`: a word between two bars.
    inner.len() >= 2
        && inner[..inner.len() - 1].iter().any(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        })
}

/// Whether an `image:` value cannot be meant as a container image name: it
/// holds blanks between words (a VM image: `Visual Studio 2022`,
/// `CentOS-7 x86_64`), or it is a pattern (`*:latest`, `!*:latest`, a
/// Kyverno or Gatekeeper policy's).
fn is_not_a_name(v: &str) -> bool {
    let v = v.trim();
    (v.contains([' ', '\t']) && !v.contains(['$', '{', '<', '(']))
        || v.contains('*')
        || v.starts_with('!')
}

fn skipped(text: &str) -> Kind {
    Kind::Skipped(format!("{text:?} uses variables or a template"))
}

/// `v` with Compose interpolation done (`$$` is `$`; `${VAR:-default}` and
/// `${VAR-default}` are their default, nested defaults too), and where its
/// tag is written in `v` when the tag comes whole from one place. `None`
/// when a variable has no default (`$VAR`, `${VAR}`, `${VAR:?err}`,
/// `${VAR:+alt}`, GitHub's `${{ ... }}`).
pub(crate) fn interpolate(v: &str) -> Option<(String, Option<Range<usize>>)> {
    let mut out = String::new();
    // Pieces of `out` copied from `v`: (start in out, start in v, length).
    let mut pieces = Vec::new();
    expand(v, 0, &mut out, &mut pieces, 0)?;
    let end = out.find('@').unwrap_or(out.len());
    let slash = out[..end].rfind('/').map_or(0, |i| i + 1);
    let tag = out[slash..end]
        .rfind(':')
        .map(|c| slash + c + 1..end)
        .filter(|t| !t.is_empty());
    let src = tag.and_then(|t| {
        pieces
            .iter()
            .find(|&&(o, _, n)| o <= t.start && t.end <= o + n)
            .map(|&(o, s, _)| s + t.start - o..s + t.end - o)
    });
    Some((out, src))
}

fn expand(
    v: &str,
    base: usize,
    out: &mut String,
    pieces: &mut Vec<(usize, usize, usize)>,
    depth: usize,
) -> Option<()> {
    if depth > 8 {
        return None;
    }
    let b = v.as_bytes();
    let mut lit = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'$' {
            i += 1;
            continue;
        }
        match b.get(i + 1) {
            Some(b'$') => {
                copy(v, base, lit..i, out, pieces);
                out.push('$');
                i += 2;
                lit = i;
            }
            Some(b'{') => {
                copy(v, base, lit..i, out, pieces);
                // The matching `}`.
                let mut level = 1;
                let mut j = i + 2;
                while j < b.len() {
                    match b[j] {
                        b'{' => level += 1,
                        b'}' => {
                            level -= 1;
                            if level == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                if j >= b.len() {
                    return None;
                }
                let inner = &v[i + 2..j];
                let name = inner
                    .bytes()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
                    .count();
                let rest = &inner[name..];
                let op = if rest.starts_with(":-") {
                    2
                } else if rest.starts_with('-') {
                    1
                } else {
                    return None;
                };
                if name == 0 {
                    return None;
                }
                let from = i + 2 + name + op;
                expand(&v[from..j], base + from, out, pieces, depth + 1)?;
                i = j + 1;
                lit = i;
            }
            // `$VAR`, and `$(params.x)` (Tekton) or `$(VAR)` (Kubernetes):
            // filled in by something else, a variable here.
            Some(_) => return None,
            None => i += 1,
        }
    }
    copy(v, base, lit..b.len(), out, pieces);
    Some(())
}

/// Copies `v[r]` to `out`, noting where it came from.
fn copy(
    v: &str,
    base: usize,
    r: Range<usize>,
    out: &mut String,
    pieces: &mut Vec<(usize, usize, usize)>,
) {
    if r.end > r.start {
        pieces.push((out.len(), base + r.start, r.len()));
        out.push_str(&v[r]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compose_interpolation() {
        let e = |v: &str| interpolate(v).map(|(e, t)| (e, t.map(|t| v[t].to_owned())));
        assert_eq!(
            e("ghcr.io/x/y:${V:-release}"),
            Some(("ghcr.io/x/y:release".into(), Some("release".into())))
        );
        assert_eq!(
            e("ghcr.io/x:${V-main}"),
            Some(("ghcr.io/x:main".into(), Some("main".into())))
        );
        assert_eq!(
            e("${REG:-docker.io}/app:1.0"),
            Some(("docker.io/app:1.0".into(), Some("1.0".into())))
        );
        assert_eq!(
            e("${A:-${B:-x}}/y:1"),
            Some(("x/y:1".into(), Some("1".into())))
        );
        assert_eq!(e("a$$b:1"), Some(("a$b:1".into(), Some("1".into()))));
        assert_eq!(e("${RAGFLOW_IMAGE}"), None);
        assert_eq!(e("$IMAGE"), None);
        assert_eq!(e("x:${T:?need}"), None);
        assert_eq!(e("${{ matrix.image }}"), None);
        assert_eq!(e("x:${T"), None);
    }
}
