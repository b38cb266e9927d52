#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| podplay::checks::container_shell(data));
