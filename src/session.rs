//! Terminal sessions.
