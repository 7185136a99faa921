#[path = "../../../../src/reactor/interest.rs"]
mod interest;
#[path = "../../../../src/reactor/token.rs"]
mod token;

pub use interest::Interest;
pub use token::Token;
