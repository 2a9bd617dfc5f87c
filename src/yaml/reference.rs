use super::{Node, Pos, Value};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

pub(super) struct RefNode(pub Node<'static>);

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value<'static>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value<'static>, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value<'static>, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value<'static>, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value<'static>, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value<'static>, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value<'static>, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value<'static>, E> {
        Ok(Value::Str(v.to_owned().into()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value<'static>, E> {
        Ok(Value::Str(v.into()))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Value<'static>, E> {
        Ok(Value::Str(String::from_utf8_lossy(v).into_owned().into()))
    }
    fn visit_unit<E>(self) -> Result<Value<'static>, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value<'static>, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value<'static>, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value<'static>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<RefNode>()? {
            items.push(item.0);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value<'static>, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<RefNode>()? {
            let value = map.next_value::<RefNode>()?;
            entries.push((key.0, value.0));
        }
        Ok(Value::Map(entries))
    }
}

struct RefValue(Value<'static>);

impl<'de> Deserialize<'de> for RefValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RefValue, D::Error> {
        d.deserialize_any(ValueVisitor).map(RefValue)
    }
}

impl<'de> Deserialize<'de> for RefNode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RefNode, D::Error> {
        let spanned = Spanned::<RefValue>::deserialize(d)?;
        let loc = spanned.referenced;
        let pos = Pos::new(
            u32::try_from(loc.line()).unwrap_or(u32::MAX),
            u32::try_from(loc.column()).unwrap_or(u32::MAX),
        );
        Ok(RefNode(Node::new(spanned.value.0, pos)))
    }
}

fn options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = 64;
    budget.max_aliases = 1_000;
    budget.max_nodes = 2_000_000;
    serde_saphyr::options! {
        budget: Some(budget),
        leading_zero_numbers_as_strings: true,
        underscored_numbers_as_strings: true,
        with_snippet: false,
    }
}

/// `None` when serde-saphyr refuses the text.
pub(super) fn parse(text: &str) -> Option<Node<'static>> {
    serde_saphyr::from_str_with_options::<RefNode>(text, options())
        .ok()
        .map(|n| n.0)
}
