//! The API's type schema, shipped inside the binary.
//!
//! One table of types and fields (`schema/core_v1.schema`, a small line-based format described
//! at its top) serves three users: strict decoding (unknown fields and Go-style type errors, as
//! the API server reports them), `kubectl explain`, and later the editor's completion and hover.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The shape of a field's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ty {
    String,
    Int32,
    Int64,
    Bool,
    Float64,
    Quantity,
    IntOrString,
    Time,
    MicroTime,
    Bytes,
    RawExtension,
    FieldsV1,
    Struct(String),
    Slice(Box<Ty>),
    Map(Box<Ty>),
}

impl Ty {
    fn parse(s: &str) -> Ty {
        if let Some(inner) = s.strip_prefix("[]") {
            return Ty::Slice(Box::new(Ty::parse(inner)));
        }
        if let Some(inner) = s.strip_prefix("map[string]") {
            return Ty::Map(Box::new(Ty::parse(inner)));
        }
        match s {
            "string" => Ty::String,
            "int32" => Ty::Int32,
            "int64" => Ty::Int64,
            "bool" => Ty::Bool,
            "float64" => Ty::Float64,
            "Quantity" => Ty::Quantity,
            "IntOrString" => Ty::IntOrString,
            "Time" => Ty::Time,
            "MicroTime" => Ty::MicroTime,
            "bytes" => Ty::Bytes,
            "RawExtension" => Ty::RawExtension,
            "FieldsV1" => Ty::FieldsV1,
            other => Ty::Struct(other.to_string()),
        }
    }

    /// How Go's reflection names this type in a JSON decoding error (`[]v1.Container`).
    pub fn go_name(&self, schema: &Schema) -> String {
        match self {
            Ty::String => "string".into(),
            Ty::Int32 => "int32".into(),
            Ty::Int64 => "int64".into(),
            Ty::Bool => "bool".into(),
            Ty::Float64 => "float64".into(),
            Ty::Quantity => "resource.Quantity".into(),
            Ty::IntOrString => "intstr.IntOrString".into(),
            Ty::Time => "v1.Time".into(),
            Ty::MicroTime => "v1.MicroTime".into(),
            Ty::Bytes => "[]uint8".into(),
            Ty::RawExtension => "runtime.RawExtension".into(),
            Ty::FieldsV1 => "v1.FieldsV1".into(),
            Ty::Struct(n) => schema
                .types
                .get(n)
                .map_or_else(|| format!("v1.{n}"), |t| t.go.clone()),
            Ty::Slice(inner) => format!("[]{}", inner.go_name(schema)),
            Ty::Map(inner) => format!("map[string]{}", inner.go_name(schema)),
        }
    }

    /// How `kubectl explain` names this type (`<[]Container>`, `<map[string]string>`).
    pub fn explain_name(&self) -> String {
        match self {
            Ty::String | Ty::Bytes | Ty::Time | Ty::MicroTime => "string".into(),
            Ty::Int32 | Ty::Int64 => "integer".into(),
            Ty::Bool => "boolean".into(),
            Ty::Float64 => "number".into(),
            Ty::Quantity => "Quantity".into(),
            Ty::IntOrString => "IntOrString".into(),
            Ty::RawExtension => "RawExtension".into(),
            Ty::FieldsV1 => "FieldsV1".into(),
            Ty::Struct(n) => n.clone(),
            Ty::Slice(inner) => format!("[]{}", inner.explain_name()),
            Ty::Map(inner) => format!("map[string]{}", inner.explain_name()),
        }
    }

    /// The struct this type holds or lists, if any.
    pub fn struct_name(&self) -> Option<&str> {
        match self {
            Ty::Struct(n) => Some(n),
            Ty::Slice(inner) | Ty::Map(inner) => inner.struct_name(),
            _ => None,
        }
    }
}

/// One field of a type.
#[derive(Clone, Debug)]
pub struct Field {
    pub name: String,
    pub ty: Ty,
    pub required: bool,
    pub enum_values: Vec<String>,
    pub description: String,
}

/// One struct type.
#[derive(Clone, Debug)]
pub struct TypeDef {
    pub name: String,
    /// Go's reflect name, e.g. `v1.PodSpec`.
    pub go: String,
    pub description: String,
    pub fields: Vec<Field>,
}

impl TypeDef {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// All types, by name.
#[derive(Debug, Default)]
pub struct Schema {
    pub types: BTreeMap<String, TypeDef>,
}

const CORE_V1: &str = include_str!("schema/core_v1.schema");

/// The schema of the emulated API (built once, on first use).
pub fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| Schema::parse(CORE_V1))
}

impl Schema {
    /// Parses the schema format. Malformed lines are skipped; a test checks the shipped file.
    pub fn parse(text: &str) -> Schema {
        let mut types = BTreeMap::new();
        let mut cur: Option<TypeDef> = None;
        for raw in text.lines() {
            if raw.trim_start().starts_with('#') || raw.trim().is_empty() {
                continue;
            }
            let indent = raw.len() - raw.trim_start().len();
            let line = raw.trim();
            if indent == 0 {
                if let Some(t) = cur.take() {
                    types.insert(t.name.clone(), t);
                }
                let mut parts = line.split_whitespace();
                if parts.next() == Some("type") {
                    let name = parts.next().unwrap_or_default().to_string();
                    let go = parts
                        .next()
                        .map_or_else(|| format!("v1.{name}"), String::from);
                    cur = Some(TypeDef {
                        name,
                        go,
                        description: String::new(),
                        fields: Vec::new(),
                    });
                }
                continue;
            }
            let Some(t) = cur.as_mut() else { continue };
            if let Some(text) = line.strip_prefix('|') {
                let text = text.strip_prefix(' ').unwrap_or(text);
                let target = if indent >= 4 {
                    t.fields.last_mut().map(|f| &mut f.description)
                } else {
                    Some(&mut t.description)
                };
                if let Some(d) = target {
                    if !d.is_empty() {
                        d.push('\n');
                    }
                    d.push_str(text);
                }
            } else if let Some(rest) = line.strip_prefix("field ") {
                let mut parts = rest.split_whitespace();
                let name = parts.next().unwrap_or_default().to_string();
                let ty = Ty::parse(parts.next().unwrap_or("string"));
                let mut field = Field {
                    name,
                    ty,
                    required: false,
                    enum_values: Vec::new(),
                    description: String::new(),
                };
                for p in parts {
                    if p == "required" {
                        field.required = true;
                    } else if let Some(vals) = p.strip_prefix("enum=") {
                        field.enum_values = vals.split(',').map(String::from).collect();
                    }
                }
                t.fields.push(field);
            }
        }
        if let Some(t) = cur.take() {
            types.insert(t.name.clone(), t);
        }
        Schema { types }
    }

    pub fn get(&self, name: &str) -> Option<&TypeDef> {
        self.types.get(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_schema_is_complete() {
        let s = schema();
        for kind in [
            "Pod",
            "PodSpec",
            "Container",
            "ObjectMeta",
            "Probe",
            "Namespace",
            "ConfigMap",
            "Secret",
            "Node",
        ] {
            assert!(s.get(kind).is_some(), "type {kind} missing");
        }
        for t in s.types.values() {
            assert!(
                !t.description.is_empty(),
                "type {} has no description",
                t.name
            );
            for f in &t.fields {
                assert!(
                    !f.description.is_empty(),
                    "{}.{} has no description",
                    t.name,
                    f.name
                );
                if let Some(n) = f.ty.struct_name() {
                    assert!(
                        s.get(n).is_some(),
                        "{}.{} refers to unknown type {n}",
                        t.name,
                        f.name
                    );
                }
            }
        }
        let c = s.get("Container").expect("Container");
        assert!(c
            .field("imagePullPolicy")
            .is_some_and(|f| f.enum_values.len() == 3));
        assert!(c.field("name").is_some_and(|f| f.required));
    }
}
