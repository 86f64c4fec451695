//! The project explains itself: no file of it points at documents outside the
//! repository (the team's shared folder, its specification or its conventions).
//! What the project needs from those it says in its own words in `docs/`.

use std::path::{Path, PathBuf};

/// The project's files: what git tracks, or (outside a git checkout) every file
/// under the root except build output and version-control data.
fn project_files(root: &Path) -> Vec<PathBuf> {
    let tracked = std::process::Command::new("git").args(["ls-files", "-z"]).current_dir(root).output();
    if let Ok(out) = tracked
        && out.status.success()
        && !out.stdout.is_empty()
    {
        return out
            .stdout
            .split(|&b| b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| root.join(String::from_utf8_lossy(p).as_ref()))
            .filter(|p| p.is_file())
            .collect();
    }
    let mut files = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().map(Result::unwrap) {
            let path = entry.path();
            let name = entry.file_name();
            if name == "target" || name == ".git" {
                continue;
            }
            if path.is_dir() { dirs.push(path) } else { files.push(path) }
        }
    }
    files
}

#[test]
fn no_project_file_refers_to_documents_outside_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Spelled in pieces so that this file does not match itself.
    let needles = [["..", "/shared"].concat(), ["SPEC", ".md"].concat(), ["CONVEN", "TIONS.md"].concat()];
    let files = project_files(root);
    assert!(files.iter().any(|f| f.ends_with("README.md")), "the project's files were not found");
    let mut hits = Vec::new();
    for file in &files {
        let Ok(bytes) = std::fs::read(file) else { continue };
        let text = String::from_utf8_lossy(&bytes);
        for (n, line) in text.lines().enumerate() {
            if let Some(needle) = needles.iter().find(|needle| line.contains(needle.as_str())) {
                let shown = file.strip_prefix(root).unwrap_or(file).display();
                hits.push(format!("{shown}:{}: mentions {needle}", n + 1));
            }
        }
    }
    assert!(
        hits.is_empty(),
        "project files refer to documents outside the repository; say what is needed in docs/ instead:\n{}",
        hits.join("\n")
    );
}
