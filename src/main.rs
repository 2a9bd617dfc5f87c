//! The `sitrep` binary: everything lives in the library.

// glibc's allocator slowed rendering down as sites grew (fragmentation and
// arena contention across rayon threads); mimalloc keeps it flat.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    sitrep::cli::main()
}
