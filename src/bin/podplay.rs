//! The native `podplay` command: an interactive prompt against a fresh cluster, or
//! `podplay run SCRIPT` to print a session's transcript. It needs a terminal and a disk, so on
//! wasm32 (where the browser playground runs instead) it is an empty program.

#[cfg(not(target_arch = "wasm32"))]
#[path = "podplay/cli.rs"]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
