//! mio's debug-build checks, with mio's messages: a `net` socket is
//! registered with one [`Registry`] at a time, and one [`Waker`] is created
//! per [`Poll`]. Release builds check nothing (the types here are then
//! empty and their methods return `Ok`), as in mio.
//!
//! A registry's id is shared by its `try_clone`s: they name one selector.
//!
//! [`Registry`]: super::Registry
//! [`Waker`]: super::Waker
//! [`Poll`]: super::Poll

pub(crate) use imp::{RegistryChecks, SelectorId};

#[cfg(debug_assertions)]
mod imp {
    use std::io;
    use std::sync::Arc;
    use std::sync::atomic::Ordering::{AcqRel, Acquire, Relaxed};
    use std::sync::atomic::{AtomicBool, AtomicUsize};

    /// Ids start at 1; 0 means "not registered".
    static NEXT_ID: AtomicUsize = AtomicUsize::new(1);
    const UNREGISTERED: usize = 0;

    /// A registry's identity, and whether its `Poll` has a `Waker` yet.
    #[derive(Debug, Clone)]
    pub(crate) struct RegistryChecks {
        id: usize,
        has_waker: Arc<AtomicBool>,
    }

    impl RegistryChecks {
        pub(crate) fn new() -> RegistryChecks {
            RegistryChecks {
                id: NEXT_ID.fetch_add(1, Relaxed),
                has_waker: Arc::new(AtomicBool::new(false)),
            }
        }

        /// # Panics
        /// When a `Waker` was created for this `Poll` before.
        pub(crate) fn register_waker(&self) {
            assert!(
                !self.has_waker.swap(true, AcqRel),
                "Only a single `Waker` can be active per `Poll` instance"
            );
        }
    }

    /// The registry a socket is registered with, if any.
    #[derive(Debug, Default)]
    pub(crate) struct SelectorId(AtomicUsize);

    impl SelectorId {
        pub(crate) fn associate(&self, registry: &RegistryChecks) -> io::Result<()> {
            self.0
                .compare_exchange(UNREGISTERED, registry.id, AcqRel, Acquire)
                .map(drop)
                .map_err(|_| already_registered())
        }

        pub(crate) fn check_association(&self, registry: &RegistryChecks) -> io::Result<()> {
            match self.0.load(Acquire) {
                id if id == registry.id => Ok(()),
                UNREGISTERED => Err(not_registered()),
                _ => Err(registered_elsewhere()),
            }
        }

        pub(crate) fn remove_association(&self, registry: &RegistryChecks) -> io::Result<()> {
            self.0
                .compare_exchange(registry.id, UNREGISTERED, AcqRel, Acquire)
                .map(drop)
                .map_err(|_| not_registered())
        }
    }

    fn already_registered() -> io::Error {
        io::Error::new(
            io::ErrorKind::AlreadyExists,
            "I/O source already registered with a `Registry`",
        )
    }

    fn registered_elsewhere() -> io::Error {
        io::Error::new(
            io::ErrorKind::AlreadyExists,
            "I/O source already registered with a different `Registry`",
        )
    }

    fn not_registered() -> io::Error {
        io::Error::new(
            io::ErrorKind::NotFound,
            "I/O source not registered with `Registry`",
        )
    }
}

#[cfg(not(debug_assertions))]
mod imp {
    use std::io;

    #[derive(Debug, Clone)]
    pub(crate) struct RegistryChecks;

    impl RegistryChecks {
        pub(crate) fn new() -> RegistryChecks {
            RegistryChecks
        }

        pub(crate) fn register_waker(&self) {}
    }

    #[derive(Debug, Default)]
    pub(crate) struct SelectorId;

    impl SelectorId {
        pub(crate) fn associate(&self, _: &RegistryChecks) -> io::Result<()> {
            Ok(())
        }

        pub(crate) fn check_association(&self, _: &RegistryChecks) -> io::Result<()> {
            Ok(())
        }

        pub(crate) fn remove_association(&self, _: &RegistryChecks) -> io::Result<()> {
            Ok(())
        }
    }
}
