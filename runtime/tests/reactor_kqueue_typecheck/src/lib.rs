//! Compiles the real kqueue selector files, unchanged, inside a crate shaped
//! like the runtime's `reactor` and `sys` modules.
#![allow(dead_code)]
#![deny(warnings)]

pub mod reactor;
mod sys;
