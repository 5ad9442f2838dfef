//! Generates the low-level client, the httpmock helpers, the table of
//! request limits and the table of operations from `openapi/lox24.yaml` into
//! `OUT_DIR`.
//!
//! Nothing generated is committed: the spec is the source of truth, and a
//! change to it is picked up by the next build.

#[path = "build/limits.rs"]
mod limits;
#[path = "build/operations.rs"]
mod operations;

use std::{env, fs, path::Path};

use progenitor::{GenerationSettings, Generator, InterfaceStyle, TypeImpl};

const SPEC: &str = "openapi/lox24.yaml";

fn main() {
    println!("cargo::rerun-if-changed={SPEC}");
    println!("cargo::rerun-if-changed=build/limits.rs");
    println!("cargo::rerun-if-changed=build/operations.rs");

    let text = fs::read_to_string(SPEC).unwrap_or_else(|e| panic!("cannot read {SPEC}: {e}"));
    let doc: serde_json::Value =
        yaml_serde::from_str(&text).unwrap_or_else(|e| panic!("{SPEC} is not valid YAML: {e}"));
    let spec: openapiv3::OpenAPI = serde_json::from_value(doc.clone())
        .unwrap_or_else(|e| panic!("{SPEC} is not an OpenAPI 3.0 document: {e}"));

    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = Path::new(&out_dir);

    let mut generator = Generator::new(&settings(&replacements(&doc)));
    let client = generator
        .generate_tokens(&spec)
        .unwrap_or_else(|e| panic!("progenitor rejected {SPEC}: {e}"));
    let client = write_rust(&out.join("lox24_api.rs"), client);

    let mock = generator
        .httpmock(&spec, "crate::generated")
        .unwrap_or_else(|e| panic!("progenitor could not generate the mocks: {e}"));
    write_rust(&out.join("lox24_mock.rs"), mock);

    let table = limits::generate(&doc).unwrap_or_else(|e| panic!("{SPEC}: {e}"));
    fs::write(out.join("lox24_limits.rs"), table).expect("write the limits table");

    let operations = operations::generate(&doc).unwrap_or_else(|e| panic!("{SPEC}: {e}"));
    operations::check_ids(&doc, &client).unwrap_or_else(|e| panic!("{SPEC}: {e}"));
    fs::write(out.join("lox24_operations.rs"), operations).expect("write the operation table");
}

/// The schemas the spec maps to the crate's own types (`x-lox24-rust-type`;
/// the spec's description says why each kind is).
fn replacements(doc: &serde_json::Value) -> Vec<(String, String)> {
    doc.pointer("/components/schemas")
        .and_then(serde_json::Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, schema)| {
            let rust_type = schema.get("x-lox24-rust-type")?.as_str()?;
            Some((name.clone(), rust_type.to_owned()))
        })
        .collect()
}

fn settings(replacements: &[(String, String)]) -> GenerationSettings {
    let mut settings = GenerationSettings::default();
    // Positional methods: every required argument is checked by the compiler,
    // and the hand-written layer already offers validated builders, so the
    // generated builders would only duplicate them (and double the code).
    settings
        .with_interface(InterfaceStyle::Positional)
        .with_inner_type("crate::transport::Call".parse().expect("a valid type"))
        .with_derive("schemars::JsonSchema");
    for (schema, rust_type) in replacements {
        settings.with_replacement(schema, rust_type, std::iter::empty::<TypeImpl>());
    }
    settings
}

/// Writes the tokens as formatted Rust and returns the text.
fn write_rust(path: &Path, tokens: proc_macro2::TokenStream) -> String {
    let file = syn::parse2(tokens).expect("the generator emits valid Rust");
    let text = prettyplease::unparse(&file);
    fs::write(path, &text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    text
}
