//! The `sitrep` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    sitrep::cli::main()
}
