//! The scenario corpus's files (tests/scenario_files.rs runs them against
//! their expected traces; tests/diagram_export.rs draws each as the example's
//! `--svg` does); included by both with `#[path]`.

use std::path::PathBuf;

/// Every `.txt` file under `scenarios/`, by name.
pub fn scenario_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the scenarios folder")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files
}
