//! Declarations only: this crate is checked, never linked or run.
#![allow(non_camel_case_types)]

pub use real_libc::*;

#[cfg(feature = "freebsd")]
mod kqueue_items {
    use real_libc::{c_int, c_short, c_uint, c_ushort, c_void, timespec, uintptr_t};

    // freebsd12..15/mod.rs
    #[repr(C)]
    #[derive(Clone, Copy, Debug)]
    pub struct kevent {
        pub ident: uintptr_t,
        pub filter: c_short,
        pub flags: c_ushort,
        pub fflags: c_uint,
        pub data: i64,
        pub udata: *mut c_void,
        pub ext: [u64; 4],
    }

    // freebsd/mod.rs
    pub const EVFILT_READ: i16 = -1;
    pub const EVFILT_WRITE: i16 = -2;
    pub const EVFILT_USER: i16 = -11;
    pub const EV_ADD: u16 = 0x1;
    pub const EV_DELETE: u16 = 0x2;
    pub const EV_CLEAR: u16 = 0x20;
    pub const EV_RECEIPT: u16 = 0x40;
    pub const EV_EOF: u16 = 0x8000;
    pub const EV_ERROR: u16 = 0x4000;
    pub const NOTE_TRIGGER: u32 = 0x01000000;

    // bsd/mod.rs, freebsdlike/mod.rs
    unsafe extern "C" {
        pub fn kqueue() -> c_int;
        pub fn kevent(
            kq: c_int,
            changelist: *const kevent,
            nchanges: c_int,
            eventlist: *mut kevent,
            nevents: c_int,
            timeout: *const timespec,
        ) -> c_int;
    }
}

#[cfg(feature = "macos")]
mod kqueue_items {
    use real_libc::{c_int, c_void, intptr_t, timespec, uintptr_t};

    // apple/mod.rs
    #[repr(C)]
    #[derive(Clone, Copy, Debug)]
    pub struct kevent {
        pub ident: uintptr_t,
        pub filter: i16,
        pub flags: u16,
        pub fflags: u32,
        pub data: intptr_t,
        pub udata: *mut c_void,
    }

    pub const EVFILT_READ: i16 = -1;
    pub const EVFILT_WRITE: i16 = -2;
    pub const EVFILT_USER: i16 = -10;
    pub const EV_ADD: u16 = 0x1;
    pub const EV_DELETE: u16 = 0x2;
    pub const EV_CLEAR: u16 = 0x20;
    pub const EV_RECEIPT: u16 = 0x40;
    pub const EV_ERROR: u16 = 0x4000;
    pub const EV_EOF: u16 = 0x8000;
    pub const NOTE_TRIGGER: u32 = 0x01000000;

    unsafe extern "C" {
        pub fn kqueue() -> c_int;
        pub fn kevent(
            kq: c_int,
            changelist: *const kevent,
            nchanges: c_int,
            eventlist: *mut kevent,
            nevents: c_int,
            timeout: *const timespec,
        ) -> c_int;
    }
}

pub use kqueue_items::*;
