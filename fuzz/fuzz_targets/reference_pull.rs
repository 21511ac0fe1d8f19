//! `Mode::Pull`: no panic; an accepted reference reads back from its
//! `Display` form; an error points inside the input.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| imagetag_fuzz::check(imagetag::Mode::Pull, data));
