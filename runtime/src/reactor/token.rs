/// Names a registered source in the events it produces.
///
/// You choose the value when you register (usually an index into your own
/// table of connections) and get it back from [`Event::token`]; the reactor
/// never interprets it.
///
/// [`Event::token`]: crate::reactor::event::Event::token
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Token(pub usize);

impl From<Token> for usize {
    fn from(token: Token) -> usize {
        token.0
    }
}
