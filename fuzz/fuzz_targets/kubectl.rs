#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| podplay::checks::kubectl_line(data));
