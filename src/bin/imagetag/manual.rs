//! `imagetag completions` and `imagetag man`: shell completions and the
//! manual page, generated from the command line's own definition, so that
//! they never drift from it.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::CommandFactory;
use clap_complete::Shell;

/// Print a shell completion script for imagetag.
///
/// Example: imagetag completions bash > ~/.local/share/bash-completion/completions/imagetag
#[derive(clap::Args, Debug)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    shell: Shell,
}

/// Print the manual page, imagetag(1), in roff.
///
/// One page holds every subcommand with its options. Example:
/// imagetag man > ~/.local/share/man/man1/imagetag.1, or read it now with
/// imagetag man | man -l -
#[derive(clap::Args, Debug)]
pub struct ManArgs {}

/// Runs `imagetag completions`.
pub fn completions(args: CompletionsArgs) -> ExitCode {
    let mut cmd = crate::Cli::command();
    let mut out = io::stdout().lock();
    clap_complete::generate(args.shell, &mut cmd, "imagetag", &mut out);
    finish(out.flush(), "completions")
}

/// Runs `imagetag man`.
pub fn man(_: ManArgs) -> ExitCode {
    let mut page = Vec::new();
    let written = render(&mut page).and_then(|()| {
        let mut out = io::stdout().lock();
        out.write_all(&page)?;
        out.flush()
    });
    finish(written, "man")
}

fn finish(r: io::Result<()>, command: &str) -> ExitCode {
    match r {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stops early (`| head`) is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("imagetag {command}: {e}");
            ExitCode::from(2)
        }
    }
}

/// The page: imagetag's own sections, a list of the subcommands, then a
/// section for each subcommand with its synopsis, description and options
/// (their headings one level down), then the version.
fn render(out: &mut Vec<u8>) -> io::Result<()> {
    use clap_mangen::roff::{bold, roman, Roff};
    let mut cmd = crate::Cli::command().disable_help_subcommand(true);
    cmd.build();
    let man = clap_mangen::Man::new(cmd.clone());
    man.render_title(out)?;
    let mut section = Vec::new();
    man.render_name_section(&mut section)?;
    man.render_synopsis_section(&mut section)?;
    man.render_description_section(&mut section)?;
    man.render_options_section(&mut section)?;
    out.extend_from_slice(&body(&section, false));
    let subs: Vec<&clap::Command> = cmd.get_subcommands().filter(|s| !s.is_hide_set()).collect();
    let mut list = Roff::new();
    list.control("SH", ["SUBCOMMANDS"]);
    for sub in &subs {
        list.control("TP", []);
        list.text([bold(format!("imagetag {}", sub.get_name()))]);
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        list.text([roman(about)]);
    }
    out.extend_from_slice(&body(list.render().as_bytes(), false));
    for sub in subs {
        let name = format!("imagetag {}", sub.get_name());
        let man = clap_mangen::Man::new(sub.clone().bin_name(&name));
        let mut heading = Roff::new();
        heading.control("SH", [name.to_uppercase().as_str()]);
        let mut section = heading.render().into_bytes();
        man.render_synopsis_section(&mut section)?;
        man.render_description_section(&mut section)?;
        if sub.get_arguments().any(|a| !a.is_hide_set()) {
            man.render_options_section(&mut section)?;
        }
        out.extend_from_slice(&body(&section, true));
    }
    let mut section = Vec::new();
    man.render_version_section(&mut section)?;
    out.extend_from_slice(&body(&section, false));
    Ok(())
}

/// Rendered roff without the preamble each render repeats (the title's
/// render has it once), with section headings (`.SH`) as subsection
/// headings (`.SS`) when `demote`, except the first line's. The roff writer
/// escapes a text line that starts with a dot, so only control lines start
/// with one.
fn body(roff: &[u8], demote: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(roff.len());
    let mut first = true;
    for line in roff.split_inclusive(|&b| b == b'\n') {
        if line.starts_with(b".ie \\n(.g .ds Aq") || line.starts_with(b".el .ds Aq") {
            continue;
        }
        match line.strip_prefix(b".SH ") {
            Some(rest) if demote && !first => {
                out.extend_from_slice(b".SS ");
                out.extend_from_slice(rest);
            }
            _ => out.extend_from_slice(line),
        }
        first = false;
    }
    out
}
