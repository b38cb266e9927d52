//! Events: what the scheduler and kubelets report about objects, de-duplicated as client-go's
//! event recorder does (same source, object, type, reason and message → one event, counted).

use serde_json::{json, Value};

use super::meta::ObjectMeta;
use super::time::SimTime;

/// The object an event is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectRef {
    pub kind: &'static str,
    pub namespace: String,
    pub name: String,
    pub uid: String,
    /// `spec.containers{name}` for container events.
    pub field_path: Option<String>,
}

impl ObjectRef {
    /// The whole pod `key` (namespace, name) with this uid, no container.
    pub fn pod(key: &(String, String), uid: &str) -> ObjectRef {
        ObjectRef {
            kind: "Pod",
            namespace: key.0.clone(),
            name: key.1.clone(),
            uid: uid.to_string(),
            field_path: None,
        }
    }
}

/// One stored Event.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub meta: ObjectMeta,
    pub involved: ObjectRef,
    pub type_: &'static str,
    pub reason: String,
    pub message: String,
    /// `default-scheduler` or `kubelet`.
    pub source: &'static str,
    pub host: Option<String>,
    pub first: SimTime,
    pub last: SimTime,
    pub count: u32,
}

impl Event {
    pub fn to_value(&self) -> Value {
        let mut involved = json!({
            "apiVersion": "v1",
            "kind": self.involved.kind,
            "name": self.involved.name,
            "namespace": self.involved.namespace,
            "uid": self.involved.uid,
        });
        if let Some(fp) = &self.involved.field_path {
            involved["fieldPath"] = json!(fp);
        }
        let mut v = json!({
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": self.meta.to_value(),
            "involvedObject": involved,
            "reason": self.reason,
            "message": self.message,
            "type": self.type_,
            "firstTimestamp": self.first.rfc3339(),
            "lastTimestamp": self.last.rfc3339(),
            "count": self.count,
            "reportingComponent": if self.source == "kubelet" { "kubelet" } else { "" },
            "reportingInstance": self.host.clone().unwrap_or_default(),
        });
        let mut source = json!({"component": self.source});
        if let Some(h) = &self.host {
            source["host"] = json!(h);
        }
        v["source"] = source;
        if self.source == "default-scheduler" {
            v["firstTimestamp"] = Value::Null;
            v["lastTimestamp"] = Value::Null;
            v["eventTime"] = json!(self.first.rfc3339_micro());
            v["reportingComponent"] = json!("default-scheduler");
            v["reportingInstance"] = json!(format!("default-scheduler-{}", "control-plane"));
            v["action"] = json!("Binding");
            v["source"] = json!({});
            if let Some(m) = v.as_object_mut() {
                m.remove("count");
            }
        }
        v
    }
}
