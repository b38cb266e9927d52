//! Strict decoding of a manifest against the schema, as the API server's JSON decoder does it.
//!
//! The server walks the JSON body (which kubectl sends with keys sorted) and stops reporting at
//! the first type mismatch, naming it as Go's `encoding/json` does; only when every value has the
//! right type does it list the unknown fields (strict field validation, kubectl's default).

use serde_json::{Map, Value};

use super::schema::{schema, Schema, Ty, TypeDef};

/// What decoding found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Decoded {
    /// The value with unknown fields removed.
    pub value: Value,
    /// The first type error, worded as Go's JSON decoder words it.
    pub type_error: Option<String>,
    /// Unknown fields, as `unknown field "spec.x"` texts, in the order the server meets them.
    pub unknown: Vec<String>,
}

/// Decodes `v` as the struct type named `type_name` (e.g. `Pod`).
pub fn decode(v: &Value, type_name: &str) -> Decoded {
    let s = schema();
    let mut d = Decoded::default();
    let Some(t) = s.get(type_name) else {
        d.value = v.clone();
        return d;
    };
    let mut w = Walker { s, out: &mut d };
    let value = w.strukt(v, t, "", "");
    d.value = value;
    d
}

struct Walker<'a> {
    s: &'a Schema,
    out: &'a mut Decoded,
}

/// The JSON type of a value, as Go's decoder names it in its errors.
pub fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn join(base: &str, name: &str) -> String {
    if base.is_empty() {
        name.to_string()
    } else {
        format!("{base}.{name}")
    }
}

impl Walker<'_> {
    fn type_error(&mut self, what: String, struct_name: &str, go_path: &str, ty: &Ty) {
        if self.out.type_error.is_none() {
            self.out.type_error = Some(format!(
                "json: cannot unmarshal {what} into Go struct field {struct_name}.{go_path} of type {}",
                ty.go_name(self.s)
            ));
        }
    }

    /// `path` is the strict-error path (with indices), `go_path` the type-error path (without).
    fn strukt(&mut self, v: &Value, t: &TypeDef, path: &str, go_path: &str) -> Value {
        let Value::Object(m) = v else {
            return v.clone();
        };
        let mut out = Map::new();
        for (k, fv) in m {
            let Some(f) = t.field(k) else {
                self.out
                    .unknown
                    .push(format!("unknown field \"{}\"", join(path, k)));
                continue;
            };
            let p = join(path, k);
            let gp = join(go_path, k);
            let nv = self.value(fv, &f.ty, &t.name, &p, &gp);
            out.insert(k.clone(), nv);
        }
        Value::Object(out)
    }

    fn value(&mut self, v: &Value, ty: &Ty, struct_name: &str, path: &str, go_path: &str) -> Value {
        if v.is_null() {
            return Value::Null;
        }
        match ty {
            Ty::String | Ty::Time | Ty::MicroTime | Ty::Bytes => {
                if !v.is_string() {
                    self.type_error(json_kind(v).into(), struct_name, go_path, ty);
                }
                v.clone()
            }
            Ty::Bool => {
                if !v.is_boolean() {
                    self.type_error(json_kind(v).into(), struct_name, go_path, ty);
                }
                v.clone()
            }
            Ty::Int32 | Ty::Int64 => {
                match v {
                    Value::Number(n) => {
                        let ok = n.as_i64().is_some_and(|i| {
                            *ty == Ty::Int64 || (i32::MIN as i64..=i32::MAX as i64).contains(&i)
                        });
                        if !ok {
                            self.type_error(format!("number {n}"), struct_name, go_path, ty);
                        }
                    }
                    other => self.type_error(json_kind(other).into(), struct_name, go_path, ty),
                }
                v.clone()
            }
            Ty::Float64 => {
                if !v.is_number() {
                    self.type_error(json_kind(v).into(), struct_name, go_path, ty);
                }
                v.clone()
            }
            Ty::Quantity | Ty::IntOrString => {
                if !(v.is_string() || v.is_number()) {
                    self.type_error(json_kind(v).into(), struct_name, go_path, ty);
                }
                v.clone()
            }
            Ty::RawExtension | Ty::FieldsV1 => v.clone(),
            Ty::Struct(name) => match (v, self.s.get(name)) {
                (Value::Object(_), Some(t)) => {
                    let t = t.clone();
                    self.strukt(v, &t, path, go_path)
                }
                (Value::Object(_), None) => v.clone(),
                (other, _) => {
                    self.type_error(json_kind(other).into(), struct_name, go_path, ty);
                    v.clone()
                }
            },
            Ty::Slice(inner) => match v {
                Value::Array(items) => Value::Array(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| {
                            self.value(item, inner, struct_name, &format!("{path}[{i}]"), go_path)
                        })
                        .collect(),
                ),
                other => {
                    self.type_error(json_kind(other).into(), struct_name, go_path, ty);
                    v.clone()
                }
            },
            Ty::Map(inner) => match v {
                Value::Object(m) => {
                    let mut out = Map::new();
                    for (k, item) in m {
                        let nv = self.value(item, inner, struct_name, &join(path, k), go_path);
                        out.insert(k.clone(), nv);
                    }
                    Value::Object(out)
                }
                other => {
                    self.type_error(json_kind(other).into(), struct_name, go_path, ty);
                    v.clone()
                }
            },
        }
    }
}

/// Decodes one field of an object as a struct type, with paths starting at `field`
/// (`metadata` → `ObjectMeta.metadata.labels`). Used for the client-side metadata check.
pub fn decode_field(v: &Value, type_name: &str, field: &str) -> Decoded {
    let s = schema();
    let mut d = Decoded::default();
    let Some(t) = s.get(type_name) else {
        d.value = v.clone();
        return d;
    };
    let mut w = Walker { s, out: &mut d };
    let value = w.strukt(v, t, field, field);
    d.value = value;
    d
}
