//! Giving freed memory back to the system once start-up's work is done
//! (issue 23: the open app idles in ≤ 200 MB PSS).
//!
//! glibc's malloc keeps what a program frees for later reuse, per arena (one
//! for each thread that allocated, up to eight per core), and only returns the
//! top of each heap to the kernel. The app's biggest short-lived allocations
//! happen once, at start: the daily backup copies and verifies the whole
//! database through a connection of its own, on a thread of its own, whose
//! page cache and buffers are all freed when it ends, but stay resident in
//! that thread's arena. `malloc_trim(0)` hands every whole free page of every
//! arena back (it walks all arenas and releases the middle of a heap too, not
//! only its top). It costs a few milliseconds and changes nothing the app
//! computes; the next allocation simply asks the kernel again.
//!
//! Only glibc has `malloc_trim`; elsewhere (Windows, macOS, musl) this does
//! nothing.

/// Returns free heap pages to the kernel (see the module docs). Returns
/// whether any memory was released.
pub fn give_back_freed_memory() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn malloc_trim(pad: usize) -> std::os::raw::c_int;
        }
        // SAFETY: malloc_trim takes no pointer, only the amount of free space
        // to leave at the top of the main heap; it is thread-safe (it locks
        // each arena it walks) and is glibc's, the allocator Rust's System
        // allocator uses on this target.
        unsafe { malloc_trim(0) != 0 }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    fn memory_a_finished_task_freed_leaves_the_process() {
        // 64 MB in 4 KB blocks (like a connection's page cache), then one block
        // after them, so the freed space is in the middle of the heap: free()
        // alone keeps it resident, as the backup thread's pages were.
        let blocks: Vec<Vec<u8>> = (0..16_384)
            .map(|i| vec![(i % 251) as u8 + 1; 4096])
            .collect();
        let pin = vec![1u8; 4096];
        assert!(blocks.iter().all(|b| b[0] > 0));
        drop(blocks);
        let before = resident_kb().expect("/proc/self/status");
        assert!(give_back_freed_memory(), "malloc_trim released nothing");
        let after = resident_kb().expect("/proc/self/status");
        assert!(
            before.saturating_sub(after) >= 32 * 1024,
            "resident {before} kB before the trim, {after} kB after"
        );
        // The heap works as before.
        let again = vec![7u8; 1 << 20];
        assert_eq!(
            again.iter().map(|&b| u64::from(b)).sum::<u64>() + u64::from(pin[0]),
            (7 << 20) + 1
        );
    }

    /// This process's resident set (VmRSS).
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    fn resident_kb() -> Option<u64> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }
}
