//! The `sitrep` binary: everything lives in the library.

// glibc's allocator slowed rendering down as sites grew (fragmentation and
// arena contention across rayon threads); mimalloc keeps it flat.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    no_huge_pages();
    keep_freed_memory();
    sitrep::cli::main()
}

/// mimalloc hands freed memory back to the kernel after a delay; the next
/// build in `serve`, and the render after loading, then fault it all in
/// again (a fifth of a one-runbook rebuild). A run's peak stays the same.
fn keep_freed_memory() {
    // `mi_option_purge_delay` in mimalloc.h, versions 2 and 3; -1: never.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: both calls take plain integers and only read or set an
    // allocator option; the version check keeps the option's number right.
    unsafe {
        let version = libmimalloc_sys::mi_version();
        if (20_000..40_000).contains(&version) {
            libmimalloc_sys::mi_option_set(PURGE_DELAY, -1);
        }
    }
}

/// Transparent huge pages cost more than they save here: mimalloc returns
/// freed memory to the kernel, and the next touch of such a 2 MB page zeroes
/// all of it again (a third of the kernel time of `check` on 100,000 records,
/// whose memory grows for the whole run). Plain 4 KB pages fault in only
/// what is used.
#[cfg(target_os = "linux")]
fn no_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments only and changes
    // nothing but how the kernel backs this process's future page faults.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(not(target_os = "linux"))]
fn no_huge_pages() {}
