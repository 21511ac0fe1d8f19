//! NGC tags: no panic on any input, and anything accepted prints back
//! exactly and reads back equal.
#![no_main]

use std::str::FromStr;

use imagetag::scheme::ngc::NgcTag;
use imagetag::Tagged;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(n) = NgcTag::from_str(s) {
        let text = n.to_string();
        assert_eq!(text, s, "display is the input");
        let back = NgcTag::from_str(&text).expect("display reads back");
        assert_eq!(back, n);
        assert_eq!(back.compare(&n), Some(std::cmp::Ordering::Equal));
        let _ = n.fields();
        if let Some(t) = n.to_twcc() {
            let _ = t.to_ngc();
        }
    }
});
