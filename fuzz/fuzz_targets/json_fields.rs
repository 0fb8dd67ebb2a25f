//! The JSONL field extractor on any line: never panics, and a line serde_json reads as
//! an object with a string "text" gives that string.
#![no_main]
use jdclass::scan::json::{describe_error, extract, Value};
use jdclass::scan::FieldNames;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(line) = std::str::from_utf8(data) else { return };
    let names = FieldNames::default();
    match extract(line, &names) {
        Ok(fields) => {
            if let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(line) {
                if let Some(serde_json::Value::String(s)) = map.get("text") {
                    // serde_json keeps the last duplicate key, the extractor the first:
                    // compare only when the key is there once.
                    if line.matches("\"text\"").count() == 1 {
                        assert!(matches!(&fields.text[0], Some(Value::Str(t)) if t == s));
                    }
                }
            }
        }
        Err(e) => {
            let _ = describe_error(&e);
        }
    }
});
