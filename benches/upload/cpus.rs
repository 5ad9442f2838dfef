//! Where the benchmark's threads run: the server on a CPU of its own and
//! the clients on the others (`Placement::Apart`), as against LOX24, whose
//! servers never share the client's CPUs; or every thread on every CPU
//! (`Placement::Shared`). Without it, a client that spends more CPU per
//! phone also slows the server down, and the comparison of two clients
//! measures the sum of their CPU and the server's rather than how busy
//! they keep the server.
//!
//! Threads are told apart by name: the servers' are `lox24-server`
//! (which [`super::cpu_by_role`] counts as the server's too). Linux only;
//! elsewhere, and on a machine with one CPU, every thread stays where the
//! scheduler puts it.

/// How the threads of this process are spread over the CPUs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Placement {
    /// The servers' threads on the last CPU this process may use, every
    /// other thread on the CPUs before it.
    Apart,
    /// Every thread on every CPU this process may use.
    Shared,
}

impl Placement {
    /// How the benchmark's output names it.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Apart => "server on a CPU of its own",
            Self::Shared => "client and server sharing every CPU",
        }
    }
}

/// The thread name of the benchmark's servers.
const SERVER: &str = "lox24-server";

/// Moves every thread of this process as `placement` says (threads started
/// later run where the thread that starts them runs). Returns whether it
/// could: `false` on one CPU, or where the kernel does not allow it.
#[cfg(target_os = "linux")]
pub fn place(placement: Placement) -> bool {
    let Some(allowed) = linux::allowed() else {
        return false;
    };
    let Some(&server_cpu) = allowed.last().filter(|_| allowed.len() > 1) else {
        return false;
    };
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return false;
    };
    let mut placed = true;
    for task in tasks.flatten() {
        let Some(tid) = task.file_name().to_str().and_then(|t| t.parse().ok()) else {
            continue;
        };
        let name = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
        let cpus: Vec<usize> = match (placement, name.trim() == SERVER) {
            (Placement::Shared, _) => allowed.clone(),
            (Placement::Apart, true) => vec![server_cpu],
            (Placement::Apart, false) => allowed[..allowed.len() - 1].to_vec(),
        };
        placed &= linux::set(tid, &cpus);
    }
    placed
}

#[cfg(not(target_os = "linux"))]
pub fn place(_: Placement) -> bool {
    false
}

/// Puts the calling thread, and the threads it starts after, where
/// [`Placement::Apart`] puts the servers' threads when `server`
/// (`--serve`), or the clients' otherwise (`--engine-at`): two processes
/// placed like the threads of one.
#[cfg(target_os = "linux")]
pub fn place_this_process(server: bool) -> bool {
    let Some(allowed) = linux::allowed().filter(|cpus| cpus.len() > 1) else {
        return false;
    };
    let (last, rest) = allowed.split_last().expect("more than one CPU");
    // 0: the calling thread, which the threads it starts inherit.
    linux::set(
        0,
        if server {
            std::slice::from_ref(last)
        } else {
            rest
        },
    )
}

#[cfg(not(target_os = "linux"))]
pub fn place_this_process(_: bool) -> bool {
    false
}

#[cfg(target_os = "linux")]
mod linux {
    use std::mem::{size_of, zeroed};

    /// The CPUs this process may run on, in order.
    pub fn allowed() -> Option<Vec<usize>> {
        // SAFETY: `cpu_set_t` is a plain bit array, valid when zeroed, and
        // the kernel writes at most `size_of::<cpu_set_t>()` bytes into it.
        let set = unsafe {
            let mut set: libc::cpu_set_t = zeroed();
            (libc::sched_getaffinity(0, size_of::<libc::cpu_set_t>(), &mut set) == 0)
                .then_some(set)?
        };
        let cpus = (0..libc::CPU_SETSIZE as usize)
            // SAFETY: `cpu` is below CPU_SETSIZE, within the set.
            .filter(|&cpu| unsafe { libc::CPU_ISSET(cpu, &set) })
            .collect();
        Some(cpus)
    }

    /// Runs thread `tid` (0: the calling thread) on `cpus` only.
    pub fn set(tid: libc::pid_t, cpus: &[usize]) -> bool {
        // SAFETY: as in `allowed`; every CPU set comes from `allowed`, so
        // it is below CPU_SETSIZE, and the kernel only reads the set.
        unsafe {
            let mut set: libc::cpu_set_t = zeroed();
            for &cpu in cpus {
                libc::CPU_SET(cpu, &mut set);
            }
            libc::sched_setaffinity(tid, size_of::<libc::cpu_set_t>(), &set) == 0
        }
    }
}
