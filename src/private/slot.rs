//! The storage of a local the state machine keeps in place across an
//! await: [`Slot`], [`PartSlot`] (a slot whose fields may be moved out one
//! by one), and the pointers to a slot a closure or `async` block captures
//! ([`SlotPtr`], [`SlotRef`]). Re-exported by [`__private`](super), so
//! generated code names them `::explicit_async::__private::Slot` and so on.

use core::marker::PhantomPinned;
use core::mem::MaybeUninit;

/// A local that a sub-future or another stored local borrows across an
/// await: written once, never moved, dropped in place at its scope's end.
///
/// Only raw pointers to the value are handed out (no `&mut Option<T>`
/// reborrow that would invalidate outstanding borrows), and `PhantomPinned`
/// keeps `&mut Slot` itself from asserting uniqueness over the value.
pub struct Slot<T> {
    value: MaybeUninit<T>,
    pub(crate) live: bool,
    _pinned: PhantomPinned,
}

impl<T> Slot<T> {
    /// A slot outside its local's scope.
    pub const EMPTY: Self = Slot {
        value: MaybeUninit::uninit(),
        live: false,
        _pinned: PhantomPinned,
    };

    /// Starts the local's scope: stores it, returns its address. The pointer
    /// carries no lifetime; the borrow-check witness checks the uses.
    #[inline]
    pub fn init(&mut self, value: T) -> *mut T {
        debug_assert!(!self.live, "slot initialised twice");
        let p = self.as_ptr();
        // SAFETY: `p` points to this slot's own storage, which is empty (its
        // scope ended, or never started).
        unsafe { p.write(value) };
        self.live = true;
        p
    }

    /// The local's address (its value may have been moved out: the witness
    /// checks that the code only reads it where rustc would).
    #[inline]
    pub fn as_ptr(&mut self) -> *mut T {
        (&raw mut self.value).cast::<T>()
    }

    /// Assigns the local (`x = value`): drops its old value if it holds one.
    #[inline]
    pub fn set(&mut self, value: T) {
        self.clear();
        self.init(value);
    }

    /// Ends the local's scope: drops it in place (nothing if it holds no value).
    #[inline]
    pub fn clear(&mut self) {
        if core::mem::replace(&mut self.live, false) {
            // SAFETY: `live` was true, so the value is initialised; it is
            // dropped once (`live` is now false), in place.
            unsafe { core::ptr::drop_in_place(self.as_ptr()) };
        }
    }

    /// Moves the value out (`f(x)`, `x.into_iter()`): the slot no longer
    /// drops it. A `Copy` value stays readable in place.
    ///
    /// # Safety
    /// The local holds a value here (the witness checks that rustc would
    /// let the code move or copy it).
    #[inline]
    pub unsafe fn take(&mut self) -> T {
        // A value with a destructor taken twice would be dropped twice.
        debug_assert!(
            self.live || !core::mem::needs_drop::<T>(),
            "explicit-async: a slot's value taken twice (a bug in the expansion; please report it)"
        );
        self.live = false;
        // SAFETY: the caller guarantees the value is initialised; `live` is
        // now false, so it is not dropped again.
        unsafe { self.as_ptr().read() }
    }
}

impl<T> Drop for Slot<T> {
    fn drop(&mut self) {
        self.clear();
    }
}

/// A slot's address as a closure or async block that may write the local
/// captures it: it stands for the `&mut T` the closure would hold, and is
/// as `Send` (when `T: Send`) and `Sync` (when `T: Sync`). The borrow-check
/// witness has checked the closure's uses with the references they stand
/// for, so the pointer is used only as such a reference would be.
pub struct SlotPtr<T>(*mut T);

impl<T> SlotPtr<T> {
    #[inline(always)]
    pub fn new(ptr: *mut T) -> Self {
        SlotPtr(ptr)
    }

    /// The address (a method, so that a closure captures the whole
    /// `SlotPtr`, not its raw field).
    #[inline(always)]
    pub fn get(&self) -> *mut T {
        self.0
    }
}

impl<T> Clone for SlotPtr<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for SlotPtr<T> {}

// SAFETY: see the type's documentation: the pointer stands for a `&mut T`.
unsafe impl<T: Send> Send for SlotPtr<T> {}
// SAFETY: as above.
unsafe impl<T: Sync> Sync for SlotPtr<T> {}

/// A slot's address as a closure or async block that only reads the local
/// captures it: it stands for the `&T` the closure would hold, and is as
/// `Send` and `Sync` as that (both when `T: Sync`).
pub struct SlotRef<T>(*mut T);

impl<T> SlotRef<T> {
    #[inline(always)]
    pub fn new(ptr: *mut T) -> Self {
        SlotRef(ptr)
    }

    /// The address (a method, so that a closure captures the whole
    /// `SlotRef`, not its raw field).
    #[inline(always)]
    pub fn get(&self) -> *mut T {
        self.0
    }
}

impl<T> Clone for SlotRef<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for SlotRef<T> {}

// SAFETY: see the type's documentation: the pointer stands for a `&T`.
unsafe impl<T: Sync> Send for SlotRef<T> {}
// SAFETY: as above.
unsafe impl<T: Sync> Sync for SlotRef<T> {}

/// A [`Slot`] for a local a field of which may be moved out (`f(p.a)`,
/// `match p.kind { .. }`): it remembers which fields (by bit) are gone, and
/// when its scope ends it drops only the others, the way rustc does for a
/// partly moved local.
pub struct PartSlot<T> {
    slot: Slot<T>,
    /// One bit per field path the function moves out.
    moved: u32,
    /// Drops the value but the fields whose bits are set (given when a
    /// field is first moved: `|p, moved| { let v = p.read(); if moved & 1 != 0 { forget(v.a) } }`).
    drop_rest: Option<unsafe fn(*mut T, u32)>,
}

impl<T> PartSlot<T> {
    /// A slot outside its local's scope.
    pub const EMPTY: Self = PartSlot {
        slot: Slot::EMPTY,
        moved: 0,
        drop_rest: None,
    };

    /// See [`Slot::init`].
    #[inline]
    pub fn init(&mut self, value: T) -> *mut T {
        self.moved = 0;
        self.slot.init(value)
    }

    /// See [`Slot::as_ptr`].
    #[inline]
    pub fn as_ptr(&mut self) -> *mut T {
        self.slot.as_ptr()
    }

    /// See [`Slot::set`].
    #[inline]
    pub fn set(&mut self, value: T) {
        self.clear();
        self.init(value);
    }

    /// Ends the local's scope: drops what is left of it, in place.
    #[inline]
    pub fn clear(&mut self) {
        let moved = core::mem::replace(&mut self.moved, 0);
        match (moved, self.drop_rest) {
            (0, _) | (_, None) => self.slot.clear(),
            (moved, Some(drop_rest)) => {
                if core::mem::replace(&mut self.slot.live, false) {
                    // SAFETY: the value is initialised but for the fields
                    // whose bits are set, which `drop_rest` forgets without
                    // dropping; the slot is no longer live, so nothing is
                    // dropped twice.
                    unsafe { drop_rest(self.slot.as_ptr(), moved) }
                }
            }
        }
    }

    /// See [`Slot::take`] (the whole value; no field of it was moved).
    ///
    /// # Safety
    /// As for [`Slot::take`].
    #[inline]
    pub unsafe fn take(&mut self) -> T {
        // SAFETY: the caller's guarantee.
        unsafe { self.slot.take() }
    }

    /// Moves one field out (`bit` names it; `field` points at it), and from
    /// now on drops the rest with `drop_rest`. A `Copy` field stays readable.
    ///
    /// # Safety
    /// The local holds a value and this field of it (the witness checks that
    /// rustc would let the code move or copy it).
    #[inline]
    pub unsafe fn take_field<F>(
        &mut self,
        bit: u32,
        field: impl FnOnce(*mut T) -> *mut F,
        drop_rest: unsafe fn(*mut T, u32),
    ) -> F {
        self.moved |= bit;
        self.drop_rest = Some(drop_rest);
        // SAFETY: the caller guarantees the field holds a value; its bit is
        // set, so the slot will not drop it.
        unsafe { field(self.slot.as_ptr()).read() }
    }
}

impl<T> Drop for PartSlot<T> {
    fn drop(&mut self) {
        self.clear();
    }
}

/// A slot's value outside its local's scope, for [`frame!`](crate::__private::frame),
/// which names the slots and not their types (`Slot` or `PartSlot`).
pub trait Empty {
    /// A slot outside its local's scope.
    const EMPTY: Self;
}

impl<T> Empty for Slot<T> {
    const EMPTY: Self = Slot::EMPTY;
}

impl<T> Empty for PartSlot<T> {
    const EMPTY: Self = PartSlot::EMPTY;
}

/// The initial [`Empty::EMPTY`] of a slot whose type is inferred.
#[inline(always)]
pub const fn empty<S: Empty>() -> S {
    S::EMPTY
}

#[cfg(test)]
mod tests {
    use super::Slot;

    #[test]
    fn a_copy_value_can_be_taken_again() {
        let mut slot = Slot::EMPTY;
        slot.init(7u32);
        // SAFETY: initialised above; a `Copy` value stays readable.
        let (a, b) = unsafe { (slot.take(), slot.take()) };
        assert_eq!((a, b), (7, 7));
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "taken twice")]
    fn a_value_with_a_destructor_taken_twice_is_caught() {
        let mut slot = Slot::EMPTY;
        slot.init(String::from("once"));
        // SAFETY: initialised above. The second `take` breaks the contract:
        // the check stops it before it reads the moved-out value.
        let first = unsafe { slot.take() };
        let _second = unsafe { slot.take() };
        drop(first);
    }
}
