//! Reading names from arguments, stdin or files.

use std::io::{self, BufRead, Read};

use imagetag::Catalog;

/// The names to work on: the arguments, or one per line from stdin when
/// there are none or the only one is `-`. Lines are kept as bytes, so that
/// text that is not UTF-8 is reported by the parser, not lost here. Blank
/// lines are skipped.
pub fn names(args: &[String]) -> io::Result<Vec<Vec<u8>>> {
    if !(args.is_empty() || args == ["-"]) {
        return Ok(args.iter().map(|a| a.as_bytes().to_vec()).collect());
    }
    let mut out = Vec::new();
    for line in io::stdin().lock().split(b'\n') {
        let mut line = line?;
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        if !line.iter().all(u8::is_ascii_whitespace) {
            out.push(line);
        }
    }
    Ok(out)
}

/// The lines of a tag list: a file, or stdin for `-`. `#` starts a comment;
/// blank lines are skipped; surrounding whitespace is trimmed.
pub fn tag_list(path: &str) -> io::Result<Vec<String>> {
    let mut text = String::new();
    if path == "-" {
        io::stdin().lock().read_to_string(&mut text)?;
    } else {
        text = std::fs::read_to_string(path)
            .map_err(|e| io::Error::new(e.kind(), format!("cannot read {path}: {e}")))?;
    }
    Ok(text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}

/// A catalog of the tag list at `path` (see [`tag_list`]): bare tags are
/// tags of `repository`. Lines that are not valid names are reported on
/// stderr and skipped; `None` (after a message) when the list cannot be read.
pub fn catalog(path: &str, repository: Option<&str>, command: &str) -> Option<Catalog> {
    let lines = match tag_list(path) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("imagetag {command}: {e}");
            return None;
        }
    };
    let names = lines.iter().map(|l| match repository {
        Some(r) => Catalog::qualify(r, l),
        None => l.as_str().into(),
    });
    let (catalog, errors) = Catalog::from_names_lossy(names);
    for e in errors {
        eprintln!("imagetag {command}: skipping: {e}");
    }
    Some(catalog)
}
