use std::num::NonZeroU8;
use std::{fmt, ops};

/// The readiness a registration asks to be told about.
///
/// Never empty: combine with `|` or [`add`](Interest::add), and note that
/// [`remove`](Interest::remove) returns `None` rather than an empty set.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Interest(NonZeroU8);

const READABLE: u8 = 0b001;
const WRITABLE: u8 = 0b010;
#[cfg(any(target_os = "linux", target_os = "android"))]
const PRIORITY: u8 = 0b100;

impl Interest {
    /// Readable readiness, including the peer closing its writing half.
    pub const READABLE: Interest = Interest(NonZeroU8::new(READABLE).unwrap());

    /// Writable readiness.
    pub const WRITABLE: Interest = Interest(NonZeroU8::new(WRITABLE).unwrap());

    /// Priority (out-of-band) readiness: `EPOLLPRI`. Linux and Android only, as in mio.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub const PRIORITY: Interest = Interest(NonZeroU8::new(PRIORITY).unwrap());

    /// Both sets together; usable in `const` context.
    #[must_use]
    pub const fn add(self, other: Interest) -> Interest {
        // The union of two non-empty sets is never empty, so `None` cannot happen.
        match NonZeroU8::new(self.0.get() | other.0.get()) {
            Some(union) => Interest(union),
            None => self,
        }
    }

    /// `self` without `other`, or `None` if nothing would be left.
    #[must_use]
    pub fn remove(self, other: Interest) -> Option<Interest> {
        NonZeroU8::new(self.0.get() & !other.0.get()).map(Interest)
    }

    /// Includes [`READABLE`](Interest::READABLE).
    pub const fn is_readable(self) -> bool {
        self.0.get() & READABLE != 0
    }

    /// Includes [`WRITABLE`](Interest::WRITABLE).
    pub const fn is_writable(self) -> bool {
        self.0.get() & WRITABLE != 0
    }

    /// Always `false` on platforms without [`Interest::PRIORITY`].
    pub const fn is_priority(self) -> bool {
        #[cfg(any(target_os = "linux", target_os = "android"))]
        {
            self.0.get() & PRIORITY != 0
        }
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        {
            false
        }
    }

    /// mio has these for kqueue's AIO and LIO filters, which we do not offer.
    pub const fn is_aio(self) -> bool {
        false
    }

    /// Always `false`: there is no `LIO` interest here (as mio on Linux).
    pub const fn is_lio(self) -> bool {
        false
    }
}

impl ops::BitOr for Interest {
    type Output = Interest;

    fn bitor(self, other: Interest) -> Interest {
        self.add(other)
    }
}

impl ops::BitOrAssign for Interest {
    fn bitor_assign(&mut self, other: Interest) {
        *self = self.add(other);
    }
}

/// Lists the set members like mio does: `READABLE | WRITABLE`.
impl fmt::Debug for Interest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = [
            (self.is_readable(), "READABLE"),
            (self.is_writable(), "WRITABLE"),
            (self.is_priority(), "PRIORITY"),
        ];
        let mut separator = "";
        for (_, name) in names.iter().filter(|(present, _)| *present) {
            write!(f, "{separator}{name}")?;
            separator = " | ";
        }
        Ok(())
    }
}
