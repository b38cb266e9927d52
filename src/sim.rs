//! The deterministic engine: a simulated Kubernetes cluster on a virtual clock.
//!
//! Where each concept lives:
//! - `time` — `SimTime`, and kubectl's ways of printing instants and durations.
//! - `world` — all state, the event queue and the clock (`step`, `run_until`, `advance`).
//! - `cluster` — cluster files: nodes, addresses, capacity, flannel's net-conf.
//! - `bootstrap` — the system pods a kubeadm + flannel cluster already runs.
//! - `api` — the API server: create, update, delete, with admission and error statuses.
//! - `yaml` — manifests to JSON values with the position of every field.
//! - `schema` + `decode` — the shipped API schema, strict decoding and Go-style type errors.
//! - `defaults`, `validation`, `podupdate` — what the server fills in, refuses, and lets change.
//! - `diagnose` — the same checks for an editor, each error with its line and column.
//! - `meta`, `pod`, `node`, `event`, `quantity` — the API objects.
//! - `scheduler` — filters and scores nodes, binds pods, reports `FailedScheduling`.
//! - `nodectl` — node faults, the node lifecycle controller and taint-based eviction.
//! - `network` — flannel, bridges and veths: `trace` and reachability.
//! - `service` — Services, their addresses and endpoints; `proxy` — kube-proxy's DNAT;
//!   `dns` — CoreDNS and the resolver files the kubelet writes.
//! - `kubelet` — sandboxes, pulls, containers, restarts and back-off, termination, status.
//! - `probes` — liveness, readiness and startup probes; postStart and preStop hooks; stopping.
//! - `log` — a container's log: the newest 256 KiB and a count of all that was written.
//! - `images` — the image catalogue; `process`, `shell`, `fs` — what runs inside containers.
//!
//! Nothing here reads a wall clock or an unseeded random source: the same commands and seed
//! give the same cluster, byte for byte.

pub mod api;
pub mod bootstrap;
pub mod cluster;
pub mod coreutils;
pub mod decode;
pub mod defaults;
pub mod diagnose;
pub mod dns;
pub mod env;
pub mod event;
pub mod fs;
pub mod history;
pub mod images;
pub mod kubelet;
pub mod log;
pub mod meta;
pub mod nettools;
pub mod network;
pub mod node;
pub mod nodectl;
pub mod pod;
pub mod podupdate;
pub mod probes;
pub mod process;
pub mod proxy;
pub mod quantity;
pub mod scheduler;
pub mod schema;
pub mod service;
pub mod shell;
pub mod time;
pub mod validation;
pub mod world;
pub mod yaml;

pub use world::World;
