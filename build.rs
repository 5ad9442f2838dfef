//! Generates the low-level client, the httpmock helpers and the table of
//! request limits from `openapi/lox24.yaml` into `OUT_DIR`.
//!
//! Nothing generated is committed: the spec is the source of truth, and a
//! change to it is picked up by the next build.

#[path = "build/limits.rs"]
mod limits;

use std::{env, fs, path::Path};

use progenitor::{GenerationSettings, Generator, InterfaceStyle, TypeImpl};

const SPEC: &str = "openapi/lox24.yaml";

/// Schemas whose generated struct would be wrong for reading answers, mapped
/// to the hand-written types that replace them.
///
/// - The JSON-LD variants carry both `@id` and `id`, which the generator
///   turns into two fields named `id` (it cannot compile them).
/// - Answers must decode even when LOX24 sends a value the spec does not list
///   (a new status code, a longer name): a created campaign must never look
///   like a failure because its answer had a surprise in it. The hand-written
///   read types are liberal where the spec is strict.
const REPLACEMENTS: &[(&str, &str)] = &[
    ("GroupId", "crate::GroupId"),
    ("JsonLdResource", "crate::jsonld::JsonLdMeta"),
    ("Group", "crate::groups::Group"),
    ("GroupJsonLd", "crate::groups::Group"),
    ("Phone", "crate::phones::Phone"),
    ("PhoneBatchItem", "crate::phones::BatchItem"),
    ("PhoneBatchResult", "crate::phones::BatchResult"),
    ("PhoneBatchResultJsonLd", "crate::phones::BatchResult"),
    ("Bulk", "crate::bulks::Bulk"),
    ("BulkJsonLd", "crate::bulks::Bulk"),
    ("BulkStatusCode", "crate::bulks::BulkStatus"),
    ("PhoneId", "crate::PhoneId"),
    ("BulkId", "crate::BulkId"),
    ("PhoneJsonLd", "crate::phones::Phone"),
    // The status view is a campaign without recipients and text; the liberal
    // `Bulk` reads it (every field but `uuid` and `status_code` is optional).
    ("BulkStatusView", "crate::bulks::Bulk"),
    ("BulkStatusViewJsonLd", "crate::bulks::Bulk"),
    // Listings: one type reads a page in both forms (a bare JSON array, or a
    // Hydra collection in either key spelling), so the JSON-LD page with its
    // `hydra:view` links is typed although progenitor only types the
    // `application/json` variant.
    ("HydraView", "crate::jsonld::HydraView"),
    (
        "GroupList",
        "crate::jsonld::HydraCollection<crate::groups::Group>",
    ),
    (
        "GroupCollectionJsonLd",
        "crate::jsonld::HydraCollection<crate::groups::Group>",
    ),
    (
        "PhoneList",
        "crate::jsonld::HydraCollection<crate::phones::Phone>",
    ),
    (
        "PhoneCollectionJsonLd",
        "crate::jsonld::HydraCollection<crate::phones::Phone>",
    ),
    (
        "BulkList",
        "crate::jsonld::HydraCollection<crate::bulks::Bulk>",
    ),
    (
        "BulkCollectionJsonLd",
        "crate::jsonld::HydraCollection<crate::bulks::Bulk>",
    ),
];

fn main() {
    println!("cargo::rerun-if-changed={SPEC}");
    println!("cargo::rerun-if-changed=build/limits.rs");

    let text = fs::read_to_string(SPEC).unwrap_or_else(|e| panic!("cannot read {SPEC}: {e}"));
    let doc: serde_json::Value =
        yaml_serde::from_str(&text).unwrap_or_else(|e| panic!("{SPEC} is not valid YAML: {e}"));
    let spec: openapiv3::OpenAPI = serde_json::from_value(doc.clone())
        .unwrap_or_else(|e| panic!("{SPEC} is not an OpenAPI 3.0 document: {e}"));

    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = Path::new(&out_dir);

    let mut generator = Generator::new(&settings());
    let client = generator
        .generate_tokens(&spec)
        .unwrap_or_else(|e| panic!("progenitor rejected {SPEC}: {e}"));
    write_rust(&out.join("lox24_api.rs"), client);

    let mock = generator
        .httpmock(&spec, "crate::api")
        .unwrap_or_else(|e| panic!("progenitor could not generate the mocks: {e}"));
    write_rust(&out.join("lox24_mock.rs"), mock);

    let table = limits::generate(&doc).unwrap_or_else(|e| panic!("{SPEC}: {e}"));
    fs::write(out.join("lox24_limits.rs"), table).expect("write the limits table");
}

fn settings() -> GenerationSettings {
    let mut settings = GenerationSettings::default();
    // Positional methods: every required argument is checked by the compiler,
    // and the hand-written layer already offers validated builders, so the
    // generated builders would only duplicate them (and double the code).
    settings
        .with_interface(InterfaceStyle::Positional)
        .with_inner_type(
            "std::sync::Arc<crate::session::Session>"
                .parse()
                .expect("a valid type"),
        )
        .with_derive("schemars::JsonSchema");
    for (schema, rust_type) in REPLACEMENTS {
        settings.with_replacement(schema, rust_type, std::iter::empty::<TypeImpl>());
    }
    settings
}

fn write_rust(path: &Path, tokens: proc_macro2::TokenStream) {
    let file = syn::parse2(tokens).expect("the generator emits valid Rust");
    fs::write(path, prettyplease::unparse(&file))
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}
