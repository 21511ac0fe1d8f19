//! The check every fuzz target runs, one target per reading mode.

use imagetag::Mode;

/// Reads `data` in `mode`. An accepted reference must read back, in the same
/// mode, from its `Display` form; an error must point inside the input and
/// carry it (lossily, for bytes that are not UTF-8).
pub fn check(mode: Mode, data: &[u8]) {
    match mode.parse_bytes(data) {
        Ok(r) => {
            let text = r.to_string();
            assert_eq!(
                mode.parse(&text),
                Ok(r),
                "{mode} mode: {:?} displays as {text:?}",
                String::from_utf8_lossy(data)
            );
        }
        Err(e) => {
            assert!(
                e.offset() <= data.len(),
                "{mode} mode: {data:?}: error offset {} > {}: {e}",
                e.offset(),
                data.len()
            );
            assert_eq!(e.input(), String::from_utf8_lossy(data));
            // The message must build without panicking.
            let _ = e.to_string();
        }
    }
}
