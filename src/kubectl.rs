//! kubectl: command-line parsing and output printers, pure functions over the engine.

pub mod encode;
pub mod tabwriter;
