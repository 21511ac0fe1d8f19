//! Parse image names and say what each one is: its scheme, its fields,
//! the track it is on and whether it is a moving alias.
//!
//! ```text
//! cargo run --example explain -- nvcr.io/nvidia/pytorch:24.01-py3 quay.io/vessl-ai/torch:2.3.0-cuda12.4
//! ```
//!
//! With no argument it explains a few names of each scheme. A name that
//! does not parse is reported with the error, which says what was expected
//! and at which byte; the example then exits with status 1.

use std::process::ExitCode;

use imagetag::Image;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let names: Vec<&str> = if args.is_empty() {
        vec![
            "nvcr.io/nvidia/pytorch:24.01-py3",
            "quay.io/vessl-ai/torch:2.3.0-cuda12.4-r5",
            "quay.io/vessl-ai/torch:2.3.0-cuda12.4",
            "tensorflow-20.11-tf2-py3:latest",
            "python:3.12.8-slim",
        ]
    } else {
        args.iter().map(String::as_str).collect()
    };
    let mut failed = false;
    for name in names {
        match Image::parse(name) {
            Ok(image) => explain(&image),
            Err(e) => {
                eprintln!("{name}: {e}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn explain(image: &Image) {
    println!("{image}");
    println!("  scheme:     {}", image.scheme());
    for field in image.fields() {
        println!("  {:<11} {}", format!("{}:", field.key), field.value);
    }
    println!("  track:      {}", image.track());
    let kind = if image.is_alias() { "alias" } else { "pinned" };
    println!("  kind:       {kind}");
}
