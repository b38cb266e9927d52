//! The cluster map: nodes with their subnets, pods inside them with their containers, node
//! actions (run through the terminal, so the learner sees the command), the reachability
//! trace drawn hop by hop, and a side panel with a selected pod's describe, logs and YAML.

use std::rc::Rc;

use yew::prelude::*;

use super::i18n::tr;
use super::state::{Action, AppContext, SideTab};
use crate::kubectl::describe::describe_pod;
use crate::kubectl::encode::to_yaml;
use crate::sim::network::Outcome;
use crate::view::{self, ClusterView, PodView};

fn mib(bytes: i128) -> String {
    format!("{}Mi", bytes / (1024 * 1024))
}

fn cpu(milli: i128) -> String {
    if milli % 1000 == 0 {
        format!("{}", milli / 1000)
    } else {
        format!("{milli}m")
    }
}

fn pod_card(
    dispatch: &Dispatch,
    p: &PodView,
    selected: bool,
    lang: super::i18n::Lang,
    highlighted: bool,
) -> Html {
    let key = (p.namespace.clone(), p.name.clone());
    let onclick = {
        let dispatch = dispatch.clone();
        let key = key.clone();
        Callback::from(move |_| dispatch.dispatch(Action::Select((!selected).then(|| key.clone()))))
    };
    let containers = p.containers.iter().map(|c| {
        let state_text = match (c.state, c.reason.as_str()) {
            ("running", _) if c.ready => "ready".to_string(),
            ("running", _) => "running".to_string(),
            ("none", _) => "—".to_string(),
            (s, "") => s.to_string(),
            (_, r) => r.to_string(),
        };
        let role = tr(lang, c.role.as_str());
        html! {
            <li class={classes!("container", format!("c-{}", c.state), c.ready.then_some("c-ready"), format!("role-{}", c.role.as_str()))}
                title={format!("{} ({}) {}", c.name, c.image, state_text)}>
                <span class="c-role">{ role }</span>
                <span class="c-name">{ c.name.clone() }</span>
                <span class="c-state">{ state_text }</span>
            </li>
        }
    });
    let label = if p.namespace == "default" {
        p.name.clone()
    } else {
        format!("{}/{}", p.namespace, p.name)
    };
    html! {
        <li class={classes!("pod", format!("tone-{}", p.tone()), selected.then_some("selected"), highlighted.then_some("traced"))} data-pod={p.name.clone()}>
            <button class="pod-head" {onclick} aria-pressed={selected.to_string()}
                aria-label={format!("pod {label}: {} {}", p.status, p.ready)}>
                <span class="pod-name">{ label }</span>
                <span class="pod-status">{ p.status.clone() }</span>
                <span class="pod-ready">{ p.ready.clone() }</span>
            </button>
            <div class="pod-ip">{ p.ip.clone().unwrap_or_else(|| "<none>".into()) }</div>
            <ul class="containers">{ for containers }</ul>
        </li>
    }
}

type Dispatch = UseReducerDispatcher<super::state::AppState>;

#[component]
pub fn ClusterMap() -> Html {
    let state = use_context::<AppContext>().expect("the app provides its state");
    let m = state.model.borrow();
    let lang = m.lang;
    let world = &m.session.world;
    // The map changes only when pods or nodes do: rebuild it then, not on every frame.
    let key = (m.view_epoch, world.nodes.len(), m.view_at);
    let cv = use_memo(key, |_| match m.view_at {
        Some(t) => view::cluster_at(world, t),
        None => view::cluster(world),
    });
    let next_worker = (1..)
        .map(|i| format!("worker-{i}"))
        .find(|n| !world.nodes.contains_key(n))
        .unwrap_or_default();
    // The ends of a trace, and the pod a service's DNAT led to (the path's last hop).
    let traced: Vec<String> = m
        .trace
        .as_ref()
        .map(|t| {
            let mut v = vec![t.verdict.from.clone(), t.verdict.to.clone()];
            if let Some(end) = t
                .verdict
                .hops
                .last()
                .and_then(|h| h.at.strip_suffix(" eth0"))
            {
                v.push(end.to_string());
            }
            v
        })
        .unwrap_or_default();
    let live = m.view_at.is_none();
    let on_system = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::ToggleSystem))
    };
    let add = {
        let state = state.clone();
        Callback::from(move |_| {
            state.dispatch(Action::Run(format!("podplay node add {next_worker}")))
        })
    };
    html! {
        <div class="map">
            <div class="map-bar">
                <label class="check"><input type="checkbox" checked={m.show_system} onchange={on_system} />{ tr(lang, "show_system") }</label>
                <button onclick={add} disabled={!live}>{ tr(lang, "add_node") }</button>
            </div>
            <TraceForm />
            <TracePath />
            <Nodes cv={cv.clone()} selected={m.selected.clone()} {traced} show_system={m.show_system} {lang} {live} dispatch={state.dispatcher()} />
            <Services {cv} show_system={m.show_system} {lang} />
            <SidePanel />
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct NodesProps {
    cv: Rc<ClusterView>,
    selected: Option<(String, String)>,
    traced: Vec<String>,
    show_system: bool,
    lang: super::i18n::Lang,
    live: bool,
    dispatch: Dispatch,
}

/// The node boxes and the unscheduled pods; re-rendered only when what they show changes.
#[component]
fn Nodes(props: &NodesProps) -> Html {
    let NodesProps {
        cv,
        selected,
        traced,
        show_system,
        lang,
        live,
        dispatch,
    } = props;
    let (lang, live, show_system) = (*lang, *live, *show_system);
    let visible = |p: &&PodView| show_system || !p.system;
    let is_selected = |p: &PodView| {
        selected
            .as_ref()
            .is_some_and(|(ns, name)| *ns == p.namespace && *name == p.name)
    };
    let nodes = cv.nodes.iter().map(|n| {
        let pods: Vec<PodView> = cv
            .pods
            .iter()
            .filter(|p| p.node.as_deref() == Some(n.name.as_str()))
            .filter(visible)
            .cloned()
            .collect();
        let hidden = cv
            .pods
            .iter()
            .filter(|p| p.node.as_deref() == Some(n.name.as_str()) && p.system && !show_system)
            .count();
        let selected = pods.iter().find(|p| is_selected(p)).map(|p| p.name.clone());
        let traced: Vec<String> = traced
            .iter()
            .filter(|t| {
                *t == &format!("node/{}", n.name)
                    || pods.iter().any(|p| **t == format!("pod/{}", p.name))
            })
            .cloned()
            .collect();
        html! {
            <NodeBox key={n.name.clone()} node={n.clone()} {pods} {hidden} {selected} {traced} {lang} {live} dispatch={dispatch.clone()} />
        }
    });
    let pending: Vec<&PodView> = cv
        .pods
        .iter()
        .filter(|p| p.node.is_none())
        .filter(visible)
        .collect();
    let empty = cv.pods.iter().all(|p| p.system);
    html! {
        <>
            if empty {
                <p class="empty">{ tr(lang, "no_pods_yet") }</p>
            }
            <div class="nodes">{ for nodes }</div>
            if !pending.is_empty() {
                <section class="pending" aria-label={tr(lang, "pending_pods")}>
                    <h3>{ tr(lang, "pending_pods") }</h3>
                    <ul class="pods">{ for pending.iter().map(|p| pod_card(dispatch, p, is_selected(p), lang, false)) }</ul>
                </section>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct ServicesProps {
    cv: Rc<ClusterView>,
    show_system: bool,
    lang: super::i18n::Lang,
}

/// The services and the pods behind each: what kube-proxy balances over.
#[component]
fn Services(props: &ServicesProps) -> Html {
    let lang = props.lang;
    let shown: Vec<&crate::view::ServiceView> = props
        .cv
        .services
        .iter()
        .filter(|s| props.show_system || !s.system)
        .collect();
    if shown.is_empty() {
        return html! {};
    }
    let item = |s: &&crate::view::ServiceView| {
        let label = if s.namespace == "default" {
            s.name.clone()
        } else {
            format!("{}/{}", s.namespace, s.name)
        };
        let endpoints = s.endpoints.iter().map(|(pod, state)| {
            let tone = match *state {
                "ready" => "ok",
                "terminating" => "progress",
                _ => "warn",
            };
            html! { <li class={classes!("endpoint", format!("tone-{tone}"))} title={tr(lang, state)}>{ pod.clone() }<span class="ep-state">{ tr(lang, state) }</span></li> }
        });
        html! {
            <li class="service" data-service={label.clone()}>
                <div class="svc-head">
                    <strong>{ label }</strong>
                    <span class="badge">{ s.type_.clone() }</span>
                    <code>{ format!("{} {}", s.cluster_ip, s.ports) }</code>
                </div>
                if s.endpoints.is_empty() {
                    <p class="svc-none">{ tr(lang, "no_endpoints") }</p>
                } else {
                    <ul class="endpoints">{ for endpoints }</ul>
                }
            </li>
        }
    };
    html! {
        <section class="services" aria-label={tr(lang, "services")}>
            <h3>{ tr(lang, "services") }</h3>
            <ul class="service-list">{ for shown.iter().map(item) }</ul>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct NodeBoxProps {
    node: crate::view::NodeView,
    pods: Vec<PodView>,
    hidden: usize,
    /// The name of the selected pod, if it is on this node.
    selected: Option<String>,
    /// `node/NAME` and `pod/NAME` of this node's ends of a trace.
    traced: Vec<String>,
    lang: super::i18n::Lang,
    live: bool,
    dispatch: Dispatch,
}

/// One node and its pods; re-rendered only when something in it changes.
#[component]
fn NodeBox(props: &NodeBoxProps) -> Html {
    let NodeBoxProps {
        node: n,
        pods,
        hidden,
        selected,
        traced,
        lang,
        live,
        dispatch,
    } = props;
    let (lang, live, hidden) = (*lang, *live, *hidden);
    let run = |cmd: String| {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Run(cmd.clone())))
    };
    let power = if n.stopped {
        html! { <button onclick={run(format!("podplay node start {}", n.name))} disabled={!live}>{ tr(lang, "node_start") }</button> }
    } else {
        html! { <button onclick={run(format!("podplay node stop {}", n.name))} disabled={!live}>{ tr(lang, "node_stop") }</button> }
    };
    let cordon = if n.unschedulable {
        html! { <button onclick={run(format!("kubectl uncordon {}", n.name))} disabled={!live}>{ tr(lang, "uncordon") }</button> }
    } else {
        html! { <button onclick={run(format!("kubectl cordon {}", n.name))} disabled={!live}>{ tr(lang, "cordon") }</button> }
    };
    let drain = html! {
        <button onclick={run(format!("kubectl drain {} --ignore-daemonsets --force", n.name))} disabled={!live}>{ tr(lang, "drain") }</button>
    };
    let pct = |a: i128, b: i128| {
        if b > 0 {
            (a * 100 / b).clamp(0, 100)
        } else {
            0
        }
    };
    let node_traced = traced.iter().any(|t| *t == format!("node/{}", n.name));
    html! {
        <article class={classes!("node", (!n.ready).then_some("not-ready"), n.stopped.then_some("stopped"), node_traced.then_some("traced"))} data-node={n.name.clone()}
            aria-label={format!("node {} {}", n.name, n.status)}>
            <header class="node-head">
                <h3>{ n.name.clone() }</h3>
                <span class={classes!("badge", if n.ready { "ok" } else { "bad" })}>{ n.status.clone() }</span>
                if n.stopped { <span class="badge bad">{ tr(lang, "stopped_node") }</span> }
            </header>
            <dl class="node-facts">
                <dt>{ tr(lang, "role") }</dt><dd>{ n.role.clone() }</dd>
                <dt>{"IP"}</dt><dd>{ n.address.clone() }</dd>
                <dt>{"podCIDR"}</dt><dd>{ n.pod_cidr.clone() }</dd>
                <dt>{ tr(lang, "taints") }</dt>
                <dd>{ if n.taints.is_empty() { tr(lang, "no_taints").to_string() } else { n.taints.join(", ") } }</dd>
            </dl>
            <div class="meters">
                <div class="meter">
                    <span>{ format!("{} {} / {}", tr(lang, "cpu"), cpu(n.cpu_requested_milli), cpu(n.cpu_allocatable_milli)) }</span>
                    <meter min="0" max="100" value={pct(n.cpu_requested_milli, n.cpu_allocatable_milli).to_string()}></meter>
                </div>
                <div class="meter">
                    <span>{ format!("{} {} / {}", tr(lang, "memory"), mib(n.memory_requested), mib(n.memory_allocatable)) }</span>
                    <meter min="0" max="100" value={pct(n.memory_requested, n.memory_allocatable).to_string()}></meter>
                </div>
            </div>
            <div class="node-actions">{ power }{ cordon }{ drain }</div>
            <ul class="pods">
                { for pods.iter().map(|p| {
                    let hl = traced.iter().any(|t| *t == format!("pod/{}", p.name));
                    pod_card(dispatch, p, selected.as_ref() == Some(&p.name), lang, hl)
                }) }
            </ul>
            if hidden > 0 {
                <p class="hidden-count">{ format!("+{hidden} system") }</p>
            }
        </article>
    }
}

/// `describe`, logs and YAML of the selected pod, as of the instant shown (read-only).
#[component]
fn SidePanel() -> Html {
    let state = use_context::<AppContext>().expect("the app provides its state");
    let m = state.model.borrow();
    let lang = m.lang;
    let Some(key) = m.selected.clone() else {
        return html! {};
    };
    let past;
    let world = match m.view_at {
        Some(t) => {
            past = view::world_at(&m.session.world, t);
            &past
        }
        None => &m.session.world,
    };
    let Some(pod) = world.pods.get(&key) else {
        return html! {};
    };
    let text = match m.side_tab {
        SideTab::Describe => describe_pod(world, pod, true),
        SideTab::Logs => pod
            .spec
            .containers
            .iter()
            .map(|c| {
                let log = world
                    .container_log(&pod.meta.uid, &c.name, false)
                    .unwrap_or_default();
                if pod.spec.containers.len() > 1 {
                    format!("==> {} <==\n{log}", c.name)
                } else {
                    log
                }
            })
            .collect::<Vec<_>>()
            .join("\n"),
        SideTab::Yaml => to_yaml(&pod.to_value()),
    };
    let tab = |t: SideTab, label: &'static str| {
        let state = state.clone();
        let onclick = Callback::from(move |_| state.dispatch(Action::SideTab(t)));
        html! { <button role="tab" aria-selected={(m.side_tab == t).to_string()} {onclick}>{ tr(lang, label) }</button> }
    };
    let close = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::Select(None)))
    };
    html! {
        <aside class="side" aria-label={format!("pod {}", key.1)}>
            <header>
                <h3>{ format!("pod/{}", key.1) }</h3>
                <div role="tablist">{ tab(SideTab::Describe, "describe") }{ tab(SideTab::Logs, "logs") }{ tab(SideTab::Yaml, "yaml") }</div>
                <button class="icon" onclick={close} aria-label={tr(lang, "close")}>{"×"}</button>
            </header>
            <pre class="side-text" tabindex="0">{ text }</pre>
        </aside>
    }
}

/// Pick a source, a destination and a port; trace.
#[component]
fn TraceForm() -> Html {
    let state = use_context::<AppContext>().expect("the app provides its state");
    let src = use_state(String::new);
    let dst = use_state(String::new);
    let port = use_state(|| "80".to_string());
    let m = state.model.borrow();
    let lang = m.lang;
    // The choices change with the pods: rebuilt per view epoch, not per frame.
    let pods = use_memo((m.view_epoch, m.show_system), |(_, system)| {
        m.session
            .world
            .pods
            .values()
            .filter(|p| p.status.pod_ip.is_some() && (*system || p.meta.namespace == "default"))
            .map(|p| {
                if p.meta.namespace == "default" {
                    p.meta.name.clone()
                } else {
                    format!("{}/{}", p.meta.namespace, p.meta.name)
                }
            })
            .collect::<Vec<String>>()
    });
    let nodes: Vec<String> = m.session.world.nodes.keys().cloned().collect();
    let services: Vec<String> = m
        .session
        .world
        .services
        .values()
        .filter(|s| s.ip().is_some() && (m.show_system || s.meta.namespace == "default"))
        .map(|s| {
            if s.meta.namespace == "default" {
                format!("svc/{}", s.meta.name)
            } else {
                format!("{}/svc/{}", s.meta.namespace, s.meta.name)
            }
        })
        .collect();
    let pick = |s: &UseStateHandle<String>| {
        let s = s.clone();
        Callback::from(move |e: Event| {
            s.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            )
        })
    };
    // Typing updates the state at once: the map re-renders every frame while the clock runs,
    // and a value kept only in the input would be reset before `change` fires.
    let typed = |s: &UseStateHandle<String>| {
        let s = s.clone();
        Callback::from(move |e: InputEvent| {
            s.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            )
        })
    };
    let src_v = if src.is_empty() {
        pods.first().cloned().unwrap_or_default()
    } else {
        (*src).clone()
    };
    let dst_v = if dst.is_empty() {
        pods.get(1).or(pods.first()).cloned().unwrap_or_default()
    } else {
        (*dst).clone()
    };
    let go = {
        let state = state.clone();
        let (s, d, p) = (src_v.clone(), dst_v.clone(), (*port).clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // `worker-1:8080` (a node and a hostPort) carries its own port.
            let (dst, port) = match d.trim().rsplit_once(':') {
                Some((host, port)) if port.parse::<u16>().is_ok() => {
                    (host.to_string(), port.to_string())
                }
                _ => (d.trim().to_string(), p.trim().to_string()),
            };
            if let Ok(port) = port.parse::<u16>() {
                if !s.is_empty() && !dst.is_empty() {
                    state.dispatch(Action::Trace(s.clone(), dst, port));
                }
            }
        })
    };
    html! {
        <form class="trace-form" onsubmit={go} aria-label={tr(lang, "reachability")}>
            <strong>{ tr(lang, "reachability") }</strong>
            <label>{ tr(lang, "from") }{" "}
                <select onchange={pick(&src)} aria-label={tr(lang, "from")}>
                    { for pods.iter().map(|p| html! { <option value={p.clone()} selected={*p == src_v}>{ p.clone() }</option> }) }
                </select>
            </label>
            <label>{ tr(lang, "to") }{" "}
                <input list="trace-targets" value={dst_v.clone()} oninput={typed(&dst)} onchange={pick(&dst)} aria-label={tr(lang, "to")} size="14" />
                <datalist id="trace-targets">
                    { for pods.iter().chain(services.iter()).chain(nodes.iter()).map(|p| html! { <option value={p.clone()} /> }) }
                </datalist>
            </label>
            <label>{ tr(lang, "port") }{" "}
                <input type="number" min="1" max="65535" value={(*port).clone()} onchange={pick(&port)} aria-label={tr(lang, "port")} class="port" />
            </label>
            <button type="submit" disabled={pods.is_empty()}>{ tr(lang, "trace") }</button>
        </form>
    }
}

/// The traced path, revealed hop by hop.
#[component]
fn TracePath() -> Html {
    let state = use_context::<AppContext>().expect("the app provides its state");
    let m = state.model.borrow();
    let lang = m.lang;
    let Some(t) = m.trace.as_ref() else {
        return html! {};
    };
    let v = &t.verdict;
    let done = t.revealed > v.hops.len();
    let clear = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::ClearTrace))
    };
    let (word, tone) = match v.outcome {
        Outcome::Delivered => ("delivered", "ok"),
        Outcome::Refused => ("refused", "bad"),
        Outcome::Unreachable => ("unreachable", "bad"),
    };
    html! {
        <section class="trace-path" aria-label={format!("trace {} → {}", v.from, v.to)}>
            <header>
                <strong>{ format!("{} → {}", v.from, v.to) }</strong>
                <button class="icon" onclick={clear} aria-label={tr(lang, "clear_trace")}>{"×"}</button>
            </header>
            <ol class="hops">
                { for v.hops.iter().enumerate().map(|(i, h)| {
                    let vxlan = h.at.contains("flannel.1") || h.what.contains("VXLAN");
                    // kube-proxy's rewrite of a service address to one of its pods.
                    let dnat = h.at.ends_with("iptables") && (h.what.contains("DNAT") || h.what.contains("REJECT"));
                    html! {
                        <li class={classes!("hop", (i < t.revealed).then_some("shown"), (i + 1 == t.revealed && !done).then_some("current"), vxlan.then_some("vxlan"), dnat.then_some("dnat"))}>
                            <span class="hop-at">{ h.at.clone() }</span>
                            <span class="hop-what">{ h.what.clone() }</span>
                        </li>
                    }
                }) }
            </ol>
            if done {
                <p class={classes!("verdict", tone)} role="status">{ format!("{}: {word} — {}", tr(lang, "verdict"), v.reason) }</p>
            }
        </section>
    }
}
