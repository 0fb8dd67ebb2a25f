//! Pulling the id, title and text out of one JSONL line without building a tree of
//! the whole object: a serde visitor keeps the three fields it was asked for
//! (borrowing them from the line when they hold no escapes) and skips the rest.

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

/// Which fields of a record hold the posting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldNames {
    /// The id field (`id`).
    pub id: String,
    /// The title field (`title`), prepended to the text as its first line.
    pub title: String,
    /// The text field, or fields tried in order (`text`, then `description`).
    pub text: Vec<String>,
}

impl Default for FieldNames {
    fn default() -> Self {
        FieldNames { id: "id".into(), title: "title".into(), text: vec!["text".into(), "description".into()] }
    }
}

impl FieldNames {
    /// The text field names, quoted and joined for messages: `"text" or "description"`.
    pub fn text_wanted(&self) -> String {
        self.text.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(" or ")
    }
}

/// A field's value, as far as a posting cares.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'de> {
    /// A string (borrowed from the line when it has no escapes).
    Str(Cow<'de, str>),
    /// A number, as written.
    Num(String),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// An array or object (skipped), named for messages.
    Other(&'static str),
}

impl Value<'_> {
    /// What the value is, for "field is …, not a string" messages.
    pub fn describe(&self) -> &'static str {
        match self {
            Value::Str(_) => "a string",
            Value::Num(_) => "a number",
            Value::Bool(_) => "a boolean",
            Value::Null => "null",
            Value::Other(what) => what,
        }
    }

    /// The value as an id: strings and scalars as text, nothing for null and containers.
    pub fn into_id(self) -> Option<String> {
        match self {
            Value::Str(s) => Some(s.into_owned()),
            Value::Num(n) => Some(n),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null | Value::Other(_) => None,
        }
    }
}

/// The fields found in one record; for each, the first occurrence wins.
#[derive(Debug, Default, PartialEq)]
pub struct Fields<'de> {
    /// The id field's value.
    pub id: Option<Value<'de>>,
    /// The title field's value.
    pub title: Option<Value<'de>>,
    /// One slot per text field name, in [`FieldNames::text`] order.
    pub text: Vec<Option<Value<'de>>>,
}

/// Parse one JSONL line (already known to be UTF-8) into the fields `names` asks for.
pub fn extract<'de>(line: &'de str, names: &FieldNames) -> Result<Fields<'de>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(line);
    let fields = RecordSeed { names }.deserialize(&mut de)?;
    de.end()?;
    Ok(fields)
}

struct RecordSeed<'n> {
    names: &'n FieldNames,
}

impl<'de> DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = Fields<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed<'_> {
    type Value = Fields<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object holding one posting")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let names = self.names;
        let mut out = Fields { id: None, title: None, text: vec![None; names.text.len()] };
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let key = key.as_ref();
            let slot = if key == names.id {
                Some(&mut out.id)
            } else if key == names.title {
                Some(&mut out.title)
            } else {
                names.text.iter().position(|t| t == key).map(|i| &mut out.text[i])
            };
            let is_id = key == names.id;
            match slot {
                // The id is kept as written: a number of any length is a valid id (parsing
                // it as a JSON number would overflow past f64's range).
                Some(slot @ None) if is_id => *slot = Some(raw_value(map.next_value::<&'de RawValue>()?)),
                Some(slot @ None) => *slot = Some(map.next_value::<Value<'de>>()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(out)
    }
}

/// A value from its JSON text, numbers kept as written.
fn raw_value(raw: &RawValue) -> Value<'static> {
    let text = raw.get();
    match text.as_bytes().first() {
        Some(b'"') => match serde_json::from_str::<String>(text) {
            Ok(s) => Value::Str(Cow::Owned(s)),
            Err(_) => Value::Str(Cow::Owned(text.trim_matches('"').to_string())),
        },
        Some(b't') => Value::Bool(true),
        Some(b'f') => Value::Bool(false),
        Some(b'n') => Value::Null,
        Some(b'[') => Value::Other("an array"),
        Some(b'{') => Value::Other("an object"),
        _ => Value::Num(text.to_string()),
    }
}

/// A parse error in words about the record: serde_json counts lines and columns of the
/// text it was given, which is the one record, so "line 1 column N" becomes "at byte N
/// of the record"; a lone UTF-16 surrogate is named as such.
pub fn describe_error(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let message = match full.rfind(" at line ") {
        Some(p) => &full[..p],
        None => full.as_str(),
    };
    let message = if message.contains("hex escape") || message.contains("surrogate") {
        "a \\u escape that is not a valid character (a lone UTF-16 surrogate \\uD800-\\uDFFF, or a bad hex digit)"
    } else {
        message
    };
    if e.column() > 0 {
        format!("{message} at byte {} of the record", e.column())
    } else {
        message.to_string()
    }
}

/// An object key, borrowed when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de> de::Deserialize<'de> for Value<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Value<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Value::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Value::Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Value::Str(Cow::Owned(v)))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Value::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Value::Num(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Value::Num(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(Value::Num(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Value::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Value::Null)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Value::Other("an array"))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Value::Other("an object"))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> FieldNames {
        FieldNames::default()
    }

    #[test]
    fn picks_the_fields_asked_for_and_borrows_plain_strings() {
        let f = extract(r#"{"x":[1,{"y":2}],"id":7,"title":"PM","text":"Own the roadmap"}"#, &names()).unwrap();
        assert_eq!(f.id, Some(Value::Num("7".into())));
        assert_eq!(f.title, Some(Value::Str(Cow::Borrowed("PM"))));
        assert!(matches!(&f.text[0], Some(Value::Str(Cow::Borrowed("Own the roadmap")))));
        assert_eq!(f.text[1], None);
    }

    #[test]
    fn escapes_are_decoded_and_first_duplicate_wins() {
        let f = extract(r#"{"text":"a\nb \u00e9","text":"second","description":null}"#, &names()).unwrap();
        assert_eq!(f.text[0], Some(Value::Str(Cow::Owned("a\nb é".into()))));
        assert_eq!(f.text[1], Some(Value::Null));
    }

    #[test]
    fn non_objects_and_trailing_garbage_are_errors() {
        for bad in ["[1,2]", "\"text\"", "{\"text\":\"a\"} x", "{\"text\":", "{'text':'a'}", "nul"] {
            assert!(extract(bad, &names()).is_err(), "{bad}");
        }
    }

    #[test]
    fn values_describe_themselves() {
        let f = extract(r#"{"id":{"a":1},"title":true,"text":[1]}"#, &names()).unwrap();
        assert_eq!(f.id.unwrap().describe(), "an object");
        assert_eq!(f.title.unwrap().into_id(), Some("true".into()));
        assert_eq!(f.text[0].as_ref().unwrap().describe(), "an array");
    }
}
