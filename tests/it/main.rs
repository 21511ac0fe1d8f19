//! The integration tests: one test binary (`it`), one module per capability.
//!
//! Every integration test links the crate; as separate files under `tests/`
//! each was its own binary, and CI spent most of a rebuild linking them. Here
//! they link once. To add a test, add `tests/it/NAME.rs` and a `mod NAME;`
//! line below; run one module with `cargo test --test it NAME::`.
//!
//! Only `tests/test_alloc.rs` stands alone: it installs a counting global
//! allocator, which would count (and slow) every other test. The registry
//! tests are modules like the rest: their servers listen on ports the kernel
//! picks, their files live in per-test temporary directories, and their
//! environment goes to the child process (`Command::env`), never through
//! `std::env::set_var`, so they share the process safely.
//!
//! The modules run on parallel threads of one process: a test must not
//! change process-wide state (environment, working directory, umask); give
//! the child `Command` its environment and directory instead.
//!
//! proptest keeps the failures it finds in
//! `tests/proptest-regressions/MODULE.txt` (its default `SourceParallel`
//! place for a source file below a `main.rs`), and replays them first.

#[path = "../support/mod.rs"]
mod support;
#[path = "../util/mod.rs"]
mod util;

mod autotrait;
mod cli_check;
mod cli_check_devcontainer;
mod cli_check_dockerfile;
mod cli_check_jenkins_bake;
mod cli_check_outputs;
mod cli_check_real10;
mod cli_check_real5;
mod cli_check_real6;
mod cli_check_yaml;
mod cli_compare;
mod cli_config;
mod cli_explain;
mod cli_files;
mod cli_generic;
mod cli_outdated;
mod cli_pin_safety;
mod cli_resolve;
mod cli_sarif;
mod cli_tools;
mod examples;
mod generic;
mod laws;
mod mined;
mod ngc;
mod oracle;
mod proptest_check;
mod proptest_detection;
mod proptest_generic;
mod proptest_reference;
mod proptest_schemes_twcc_ngc;
mod proptest_vessl;
mod reference;
mod registry;
mod registry_hostile;
mod resolve;
mod twcc;
mod vessl;
