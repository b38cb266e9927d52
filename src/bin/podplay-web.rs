//! The browser playground's entry point: Trunk builds this binary for wasm32 and the page
//! starts it. On other targets there is nothing to start.

#[cfg(target_arch = "wasm32")]
fn main() {
    podplay::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("podplay-web is the browser playground: build it with `bash scripts/play.sh`");
    std::process::exit(2);
}
