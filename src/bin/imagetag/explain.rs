//! `imagetag explain`: what a name means, part by part.

use std::io::{self, Write};
use std::process::ExitCode;

use imagetag::{AnyReference, Error, Image, Mode, Scheme};
use serde_json::{json, Value};

use crate::input;

/// Explain image names: their reference parts and scheme fields.
///
/// Reads the NAMEs given, or one name per line from stdin when there are
/// none (or NAME is `-`). Exits 0 when every name is valid, 1 when any is
/// invalid, 2 on a usage error.
///
/// Example: imagetag explain --json ubuntu quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5
#[derive(clap::Args, Debug)]
pub struct Args {
    /// How to read a reference: strict, normalized, canonical, name, any or pull.
    #[arg(long, default_value = "normalized", value_parser = |s: &str| s.parse::<Mode>())]
    mode: Mode,
    /// The naming scheme: auto (detect), twcc, ngc, vessl or generic.
    #[arg(long, default_value = "auto", value_parser = parse_scheme)]
    scheme: SchemeArg,
    /// One JSON object per name, in input order (JSON Lines).
    #[arg(long)]
    json: bool,
    /// Names to explain; none or `-` reads stdin.
    names: Vec<String>,
}

/// `--scheme`: `auto` or one scheme.
#[derive(Clone, Copy, Debug)]
pub struct SchemeArg(pub Option<Scheme>);

/// Parses `--scheme`.
pub fn parse_scheme(s: &str) -> Result<SchemeArg, String> {
    if s == "auto" {
        return Ok(SchemeArg(None));
    }
    // `auto` is the command line's word for detection, not a scheme: the
    // library's error lists the schemes, this one adds it.
    s.parse()
        .map(|s| SchemeArg(Some(s)))
        .map_err(|_: imagetag::Error| {
            format!("unknown scheme {s:?}: expected one of auto, twcc, ngc, vessl, generic")
        })
}

/// One name's explanation: its reference and, for a repository reference,
/// its scheme's reading.
struct Explained<'a> {
    input: String,
    reference: Option<AnyReference<'a>>,
    image: Option<Image>,
    error: Option<Error>,
}

fn explain<'a>(line: &'a [u8], mode: Mode, scheme: Option<Scheme>) -> Explained<'a> {
    let input = String::from_utf8_lossy(line).into_owned();
    let mut out = Explained {
        input,
        reference: None,
        image: None,
        error: None,
    };
    match mode.parse_bytes(line) {
        Err(e) => out.error = Some(e),
        Ok(r) => {
            out.reference = Some(r);
            if let (AnyReference::Name(name), Ok(text)) = (r, std::str::from_utf8(line)) {
                match Image::from_reference(name, text, scheme) {
                    Ok(img) => out.image = Some(img),
                    Err(e) => out.error = Some(e),
                }
            }
        }
    }
    out
}

/// The JSON object `explain --json` prints for `name`, read normalized.
pub fn json_of(name: &str, scheme: Option<Scheme>) -> Value {
    to_json(&explain(name.as_bytes(), Mode::Normalized, scheme))
}

fn to_json(e: &Explained<'_>) -> Value {
    let reference = e.reference.map(|r| match r {
        AnyReference::Name(r) => json!({
            "domain": r.domain(),
            "path": r.path(),
            "tag": r.tag(),
            "digest": r.digest().map(|d| d.to_string()),
            "canonical": r.canonical().to_string(),
            "familiar": r.familiar().to_string(),
        }),
        AnyReference::Digest(d) => json!({
            "domain": null, "path": null, "tag": null,
            "digest": d.to_string(),
            "canonical": d.to_string(),
            "familiar": d.to_string(),
        }),
    });
    let mut obj = json!({
        "input": e.input,
        "valid": e.error.is_none(),
        "reference": reference,
    });
    if let Some(img) = &e.image {
        let fields: serde_json::Map<String, Value> = img
            .fields()
            .into_iter()
            .map(|f| {
                (
                    f.key.to_owned(),
                    serde_json::to_value(&f.value).unwrap_or(Value::Null),
                )
            })
            .collect();
        obj["scheme"] = json!(img.scheme().as_str());
        obj["alias"] = json!(img.is_alias());
        obj["alias_tag"] = json!(img.alias_tag());
        obj["track"] = json!(img.track().as_str());
        obj["fields"] = Value::Object(fields);
    }
    if let Some(err) = &e.error {
        obj["error"] = json!({
            "message": err.to_string(),
            "offset": err.offset(),
            "kind": err.kind().as_str(),
            "component": err.component().as_str(),
        });
    }
    obj
}

fn to_text(e: &Explained<'_>, out: &mut impl Write) -> io::Result<()> {
    if let Some(err) = &e.error {
        return writeln!(out, "{}: error: {err}", e.input);
    }
    writeln!(out, "{}", e.input)?;
    let fields = e.image.as_ref().map(Image::fields).unwrap_or_default();
    // One column for the values: as wide as the longest key, at least "canonical ".
    let width = fields.iter().map(|f| f.key.len()).fold(10, usize::max);
    let row = |out: &mut dyn Write, k: &str, v: &dyn std::fmt::Display| {
        writeln!(out, "  {k:<width$} {v}")
    };
    match e.reference {
        Some(AnyReference::Name(r)) => {
            row(out, "canonical", &r.canonical())?;
            row(out, "familiar", &r.familiar())?;
            row(out, "domain", &r.domain().unwrap_or("-"))?;
            row(out, "path", &r.path())?;
            row(out, "tag", &r.tag().unwrap_or("-"))?;
            match r.digest() {
                Some(d) => row(out, "digest", &d)?,
                None => row(out, "digest", &"-")?,
            }
        }
        Some(AnyReference::Digest(d)) => row(out, "digest", &d)?,
        None => {}
    }
    if let Some(img) = &e.image {
        row(out, "scheme", &img.scheme())?;
        row(out, "track", &img.track())?;
        row(out, "alias", &if img.is_alias() { "yes" } else { "no" })?;
        for f in &fields {
            row(out, f.key, &f.value)?;
        }
    }
    Ok(())
}

/// Runs `imagetag explain`.
pub fn run(args: Args) -> ExitCode {
    let names = match input::names(&args.names) {
        Ok(n) => n,
        Err(e) => {
            eprintln!("imagetag explain: cannot read standard input: {e}");
            return ExitCode::from(2);
        }
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut all_valid = true;
    for line in &names {
        let e = explain(line, args.mode, args.scheme.0);
        all_valid &= e.error.is_none();
        let written = if args.json {
            writeln!(out, "{}", to_json(&e))
        } else {
            to_text(&e, &mut out)
        };
        if written.is_err() {
            // A closed pipe (`| head`) ends the run quietly.
            return ExitCode::from(if all_valid { 0 } else { 1 });
        }
    }
    let _ = out.flush();
    ExitCode::from(if all_valid { 0 } else { 1 })
}
