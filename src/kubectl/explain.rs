//! `kubectl explain`.
use super::Output;
pub fn explain(_args: &[String], out: &mut Output) {
    out.fail("explain: not yet");
}
