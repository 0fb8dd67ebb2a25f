//! Input formats analysts have (issue 11, item 5): CSV with Excel's byte-order mark,
//! TSV, other delimiters, CSV without a header row, and Parquet — each scanned by the
//! real binary.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;
use std::sync::Arc;

const PO_TEXT: &str = "You will own and prioritise the product backlog, write user stories with acceptance criteria, \
run sprint planning and backlog refinement with the development team, and accept completed stories in the sprint review.";
const PM_TEXT: &str = "You will own the product vision and the product strategy, build the roadmap, run market \
research and competitive analysis, define pricing and go-to-market with sales and marketing.";

fn scan(args: &[&str]) -> (i32, Vec<Value>, String) {
    let out =
        Command::cargo_bin("jdclass").unwrap().arg("scan").args(args).args(["--format", "jsonl"]).output().unwrap();
    let recs = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    (out.status.code().unwrap_or(-1), recs, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn field<'a>(recs: &'a [Value], name: &str) -> Vec<&'a str> {
    recs.iter().map(|r| r[name].as_str().unwrap_or("-")).collect()
}

#[test]
fn a_byte_order_mark_does_not_hide_the_first_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("excel.csv");
    std::fs::write(&path, format!("\u{feff}id,text\r\nA1,\"{PO_TEXT}\"\r\nA2,\"{PM_TEXT}\"\r\n")).unwrap();
    let (code, recs, err) = scan(&[path.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(field(&recs, "id"), ["A1", "A2"], "the id column is found despite the BOM");
    assert_eq!(field(&recs, "label"), ["po", "pm"]);
}

#[test]
fn tsv_and_other_delimiters() {
    let dir = tempfile::tempdir().unwrap();
    let tsv = dir.path().join("export.tsv");
    std::fs::write(&tsv, format!("\u{feff}text\tid\n{PO_TEXT}\tt1\n{PM_TEXT}\tt2\n")).unwrap();
    let (_, recs, err) = scan(&[tsv.to_str().unwrap()]);
    assert_eq!(field(&recs, "id"), ["t1", "t2"], "{err}");
    assert_eq!(field(&recs, "label"), ["po", "pm"]);

    let semi = dir.path().join("european.csv");
    std::fs::write(&semi, format!("id;text\ns1;\"{PO_TEXT}\"\n")).unwrap();
    let (_, recs, _) = scan(&[semi.to_str().unwrap(), "--delimiter", ";"]);
    assert_eq!((field(&recs, "id"), field(&recs, "label")), (vec!["s1"], vec!["po"]));

    let tabbed = dir.path().join("tabbed.txt");
    std::fs::write(&tabbed, format!("id\ttext\nx\t{PM_TEXT}\n")).unwrap();
    let (_, recs, _) = scan(&[tabbed.to_str().unwrap(), "--input-format", "csv", "--delimiter", "\\t"]);
    assert_eq!(field(&recs, "label"), ["pm"]);
    let (code, _, err) = scan(&[tabbed.to_str().unwrap(), "--delimiter", "ab"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a delimiter"), "{err}");
}

#[test]
fn csv_without_a_header_names_columns_by_number() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("raw.csv");
    std::fs::write(&path, format!("101,Product Owner,\"{PO_TEXT}\"\n102,Product Manager,\"{PM_TEXT}\"\n")).unwrap();
    let p = path.to_str().unwrap();
    let (code, recs, err) = scan(&[p, "--no-headers", "--text-field", "3", "--id-field", "1", "--title-field", "2"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(field(&recs, "id"), ["101", "102"], "the first row is a posting, not a header");
    assert_eq!(field(&recs, "label"), ["po", "pm"]);
    assert_eq!(field(&recs, "title_role"), ["po", "pm"]);
    let (code, _, err) = scan(&[p, "--no-headers"]);
    assert_eq!(code, 2);
    assert!(err.contains("--text-field N"), "{err}");
    let (_, recs, _) = scan(&[p, "--no-headers", "--text-field", "9"]);
    assert!(recs.iter().all(|r| r["error_kind"] == "missing-field"), "{recs:?}");
}

/// Write a Parquet file with string columns `id`, `title`, `description` (nullable).
fn write_parquet(path: &Path, rows: &[(&str, &str, Option<&str>)], rows_per_group: usize) {
    use parquet::data_type::{ByteArray, ByteArrayType};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;
    let schema = "message posting { REQUIRED BINARY id (UTF8); REQUIRED BINARY title (UTF8); OPTIONAL BINARY description (UTF8); }";
    let schema = Arc::new(parse_message_type(schema).unwrap());
    let props = Arc::new(WriterProperties::builder().set_compression(parquet::basic::Compression::SNAPPY).build());
    let mut writer = SerializedFileWriter::new(std::fs::File::create(path).unwrap(), schema, props).unwrap();
    for group in rows.chunks(rows_per_group) {
        let mut rg = writer.next_row_group().unwrap();
        let mut column = 0;
        while let Some(mut col) = rg.next_column().unwrap() {
            let (values, defs): (Vec<ByteArray>, Option<Vec<i16>>) = match column {
                0 => (group.iter().map(|r| ByteArray::from(r.0)).collect(), None),
                1 => (group.iter().map(|r| ByteArray::from(r.1)).collect(), None),
                _ => (
                    group.iter().filter_map(|r| r.2.map(ByteArray::from)).collect(),
                    Some(group.iter().map(|r| i16::from(r.2.is_some())).collect()),
                ),
            };
            col.typed::<ByteArrayType>().write_batch(&values, defs.as_deref(), None).unwrap();
            col.close().unwrap();
            column += 1;
        }
        rg.close().unwrap();
    }
    writer.close().unwrap();
}

#[test]
fn parquet_is_scanned_row_by_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("postings.parquet");
    let rows = [
        ("p1", "Product Owner", Some(PO_TEXT)),
        ("p2", "Product Manager", Some(PM_TEXT)),
        ("p3", "Product Owner", None),
        ("p4", "Senior Product Manager", Some(PM_TEXT)),
        ("p5", "Product Owner", Some("   ")),
    ];
    write_parquet(&path, &rows, 2); // three row groups
    let p = path.to_str().unwrap();
    let (code, recs, err) = scan(&[p, "--text-field", "description"]);
    assert_eq!(code, 0, "{err}");
    // One record per row, in order (an error found while reading the row has no id).
    assert_eq!(field(&recs, "id"), ["p1", "p2", "-", "p4", "p5"], "{recs:?}");
    assert_eq!(field(&recs, "label"), ["po", "pm", "-", "pm", "-"]);
    assert_eq!(field(&recs, "title_role"), ["po", "pm", "-", "pm", "-"]);
    assert_eq!(recs.iter().map(|r| r["line"].as_u64().unwrap()).collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
    assert_eq!(
        (recs[2]["error_kind"].as_str(), recs[4]["error_kind"].as_str()),
        (Some("missing-field"), Some("empty"))
    );

    // The default text field falls back to `description`, as for JSONL and CSV.
    let (_, recs, _) = scan(&[p]);
    assert_eq!(field(&recs, "label")[0], "po");
    // A file without the text column is one error record naming the columns.
    let (_, recs, _) = scan(&[p, "--text-field", "body"]);
    assert_eq!(recs.len(), 1);
    assert!(recs[0]["error"].as_str().unwrap().contains("columns: id, title, description"), "{}", recs[0]);
    // Not Parquet at all: an unreadable input, and the scan says nothing could be read.
    let fake = dir.path().join("fake.parquet");
    std::fs::write(&fake, "id,text\n").unwrap();
    let (code, recs, _) = scan(&[fake.to_str().unwrap()]);
    assert_eq!((code, recs[0]["error_kind"].as_str()), (2, Some("unreadable")));
    assert!(recs[0]["error"].as_str().unwrap().contains("Parquet"));
}
