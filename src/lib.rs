//! podplay: a Kubernetes Pod playground. The engine (`sim`) simulates a cluster on a virtual
//! clock; `kubectl` parses command lines and prints as kubectl does; `session` runs terminal
//! sessions and scripts over both. The native `podplay` binary and the browser UI drive the same
//! session code.

pub mod checks;
#[cfg(not(target_arch = "wasm32"))]
pub mod host;
pub mod kubectl;
pub mod session;
pub mod sim;
#[cfg(target_arch = "wasm32")]
pub mod ui;
pub mod view;
