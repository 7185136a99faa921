//! The finds of tokio-postgres 0.7.18 (`tools/annotate -- crate
//! tokio-postgres`), minimized by hand onto the fuzzer's prelude.

use super::prelude::*;

// build defect (E0597, 10 of tokio-postgres's tests: `let client =
// connect(..).await; client.batch_execute(..).await.unwrap(); ...;
// client.prepare(..).await`): an awaited method on a local's last use was
// guessed to take it, unless a call of the same method kept it before.
// The future `prepare` returns borrows `client`, which the arm then
// dropped. A local that any method left in place before is a handle (a
// client, a connection, a pool), whose methods borrow it, but those named
// to take it (`tx.commit()`).
twin! {
    compare: (1), (2);
    pub async fn handle_borrowed_by_the_method_awaited_on_its_last_use(k: i64) -> i64 {
        let client = guard("client", k);
        log_i(client.level());
        let late = mk("late", 1);
        let seen = client.check(1).await;
        seen + late.n
    }
}

/// What the probes see, as tokio-postgres's `slice_iter(&[&dyn ToSql])`.
fn probe_all(items: &[&dyn Probe]) -> i64 {
    items.iter().map(|p| p.probe()).sum()
}

impl Probe for [&dyn Probe] {
    fn probe(&self) -> i64 {
        probe_all(self)
    }
}

/// A future that borrows the slice, as tokio-postgres's `query` borrows
/// its parameters.
fn peek_all<'a>(items: &'a [&'a dyn Probe]) -> Peek<'a, [&'a dyn Probe]> {
    peek("all", items, 1)
}

// build defect (E0308, tokio-postgres's `get_type`, `get_enum_variants`,
// `get_composite_fields`: `query(client, stmt, slice_iter(&[&oid])).await`):
// the awaited operand's temporaries live to the end of the statement, so
// the array got a name (`let value = [&oid];`) and lost the type the
// borrow is expected to have: `[&u32; 1]`, not `[&dyn ToSql; 1]`. An
// operand that borrows an array is now awaited inside an `async` block,
// where the array stays where it is typed.
twin! {
    compare: (3);
    pub async fn array_borrowed_where_a_slice_of_trait_objects_is_expected(k: i64) -> i64 {
        let d = mk("d", k);
        let g = guard("g", 1);
        let n = val("a", 1, probe_all(&[&d, &g, &k])).await;
        let m = peek_all(&[&d, &k]).await;
        n + m + d.n
    }
}

/// What `try_collect` collects, as tokio-postgres's row stream.
pub struct Rows(Vec<i64>);
impl Rows {
    /// `TryStreamExt::try_collect`: the collection is typed where it is used.
    fn collect_all<C: Default + Extend<i64>>(self) -> Leaf<C> {
        let mut c = C::default();
        c.extend(self.0);
        val("collect", 1, c)
    }
}
/// A query's rows.
fn rows() -> Leaf<Result<Rows, String>> {
    val("rows", 1, Ok(Rows(vec![1, 2])))
}
// build defect (E0283, tokio-postgres's `Client::simple_query`:
// `self.simple_query_raw(query).await?.try_collect().await`): a method
// called on a value (here `..?`) was awaited inside an `async` block, where
// rustc decides whether it takes the value, and the `?` went in with it:
// it left the block, not the function, and the block's output could not
// be typed. An operand that returns, breaks or `?`s is not put in a block:
// its value gets a name, which the awaited method is guessed to take.
twin! {
    compare: ();
    pub async fn question_mark_on_the_receiver_of_an_awaited_method() -> Result<Vec<i64>, String> {
        Ok(rows().await?.collect_all().await)
    }
}

/// The sum of the slices, as tokio-postgres's `query` takes its parameters.
fn sum_of_slices(items: &[&&[i64]]) -> i64 {
    items.iter().map(|s| s.iter().sum::<i64>()).sum()
}

// build defect (E0277, tokio-postgres's `test_slice`:
// `client.query(&stmt, &[&&[1i32, 3, 4][..]]).await`): a slice of a
// temporary array borrowed in an awaited operand. The temporary, named to
// live to the end of the statement, was the slice (`[i32]`, unsized), not
// the array.
twin! {
    compare: (5);
    pub async fn slice_of_a_temporary_array_borrowed_in_an_awaited_operand(n: i64) -> i64 {
        let d = mk("d", n);
        val("a", 1, sum_of_slices(&[&&[d.n, 3][..], &&[1, 2][1..]])).await + d.n
    }
}

/// What the probes see, as tokio-postgres's `execute(&stmt, &[&dyn ToSql])`.
fn probe_each(items: &[&dyn Probe]) -> i64 {
    items.iter().map(|p| p.probe()).sum()
}

// build defect (E0308, tokio-postgres's `read_big_rows`, `query_scalar`,
// `test_bpchar_params`: `&[&i, &vec![..]]`, `&[&vec!["a", "b"]]`,
// `&[&"12345", &None::<&'static str>]`): the same, with borrows of
// constants and of vectors in the array. Those own nothing whose drop is
// seen (a vector's elements aside), so the array is typed where rustc
// types it, in the `async` block.
twin! {
    compare: (2);
    pub async fn array_of_borrowed_constants_and_vectors_where_trait_objects_are_expected(k: i64) -> i64 {
        let d = mk("d", k);
        let n = val("a", 1, probe_each(&[&d, &7i64, &None::<i64>, &vec![k, 1]])).await;
        n + d.n
    }
}

/// A row of the simple query protocol: a type whose name holds `impl`.
#[derive(Debug, PartialEq)]
pub struct SimpleRow(i64);

/// A stream of rows, collected into what the caller's type says.
pub struct SimpleRows(Vec<i64>);

impl SimpleRows {
    fn collect_rows<C: Default + Extend<SimpleRow>>(self) -> Leaf<Result<C, String>> {
        let mut c = C::default();
        c.extend(self.0.into_iter().map(SimpleRow));
        val("collect", 1, Ok(c))
    }
}

fn simple_rows() -> Leaf<Result<SimpleRows, String>> {
    val("rows", 1, Ok(SimpleRows(vec![1, 2])))
}

// build defect (E0283, tokio-postgres's `Client::simple_query`, returning
// `Result<Vec<SimpleQueryMessage>, Error>`): the returned value was not
// given the output type, which types `try_collect`'s collection, because
// the type's text holds `impl` (in `Simple`), read as an `impl Trait`.
twin! {
    compare: ();
    pub async fn output_type_whose_name_holds_impl() -> Result<Vec<SimpleRow>, String> {
        simple_rows().await?.collect_rows().await
    }
}

/// What a statement is made from, as tokio-postgres's `ToStatementType<'_>`:
/// a prepared one, or a query's text to prepare; written once plainly and
/// once under `#[explicit_async]`.
macro_rules! statement_impls {
    ($($attr:tt)*) => {
        pub enum Source<'a> {
            Ready(&'a D),
            Text(&'a str),
        }

        // Its await names two arguments: the future it stores names the
        // shorter of their lifetimes, which the machine calls `'machine`.
        $($attr)*
        pub async fn prepare(client: &D, query: &str, types: &[i64]) -> i64 {
            let name = mk("name", query.len() as i64);
            let n = peek("name", &name, 1).await + val("both", 1, client.n + query.len() as i64).await;
            n + types.len() as i64
        }

        impl Source<'_> {
            $($attr)*
            pub async fn into_statement(self, client: &D) -> i64 {
                match self {
                    Source::Ready(d) => d.n,
                    Source::Text(s) => prepare(client, s, &[]).await,
                }
            }
        }
    };
}

// build defect (E0700, tokio-postgres's `ToStatementType::into_statement`):
// the method awaits `prepare(client, s, &[])`, whose future has a
// `'machine` no longer than `client`'s and `s`'s lifetimes. `s` holds the
// impl's anonymous lifetime, which the method cannot name: its own future
// could name neither. `self` by value now counts as a borrowed argument
// (the method gets a `'machine`), bounded by `Self: 'machine`.
pub mod method_of_self_holding_its_impls_anonymous_lifetime {
    use super::*;

    mod native {
        use super::*;
        statement_impls!();
    }

    mod ours {
        use super::*;
        statement_impls!(#[explicit_async::explicit_async]);
    }

    pub fn check() {
        let client = mk("client", 3);
        let ready = mk("ready", 9);
        crate::common::compare(
            "into_statement(Text)",
            || native::Source::Text("select").into_statement(&client),
            || ours::Source::Text("select").into_statement(&client),
        );
        crate::common::compare(
            "into_statement(Ready)",
            || native::Source::Ready(&ready).into_statement(&client),
            || ours::Source::Ready(&ready).into_statement(&client),
        );
        drop((client, ready));
        take_log();
    }

    pub fn sizes() -> crate::common::Sizes {
        let client = mk("client", 3);
        let sizes = crate::common::sizes(
            || native::Source::Text("select").into_statement(&client),
            || ours::Source::Text("select").into_statement(&client),
        );
        drop(client);
        take_log();
        sizes
    }

    case_test!();
}

// build defect (E0507, tokio-postgres's `pipelined_prepare`, `insert_select`,
// `cancel_query_raw`: `let p1 = client.prepare(..); let p2 = ..;
// try_join!(p1, p2)`): `join!` is awaited in an `async` block, which the
// transform cannot see into: the futures in locals were kept in slots, for
// the block might borrow them, and the macro, which takes them, could not
// move them out. Joining locals only, the block is `async move`.
twin! {
    compare: (2);
    pub async fn futures_in_locals_joined(k: i64) -> i64 {
        let client = mk("client", k);
        let first = peek("first", &client, 2);
        let second = val("second", 1, k + 1);
        let (a, b) = tokio::join!(first, second);
        let late = mk("late", a);
        late.n + b
    }
}

/// A buffer frozen into the bytes it sends, as `bytes::BytesMut::freeze`.
pub struct Frame(Vec<i64>);

impl Frame {
    fn freeze(self) -> D {
        mk("frozen", self.0.len() as i64)
    }
}

// build defect (E0507, tokio-postgres's `startup`, `authenticate_password`,
// `authenticate_sasl`, `copy_in_large`:
// `stream.send(FrontendMessage::Raw(buf.freeze())).await`): a method called
// on a local in an awaited operand may borrow it for the future, so the
// local went into a slot, out of which `freeze` (which takes its receiver)
// could not move it. `freeze` is now among the names taken to consume.
twin! {
    compare: (3);
    pub async fn buffer_frozen_into_an_awaited_operand(n: i64) -> i64 {
        let mut buf = Frame(Vec::new());
        buf.0.push(n);
        let sent = val("send", 1, buf.freeze()).await;
        sent.n
    }
}

/// Calls `f` on a buffer, as tokio-postgres's `InnerClient::with_buf`.
fn with_buf<R>(f: impl FnOnce(&mut Vec<i64>) -> R) -> R {
    let mut buf = Vec::new();
    f(&mut buf)
}

/// Takes the values, as tokio-postgres's `encode_bind_raw(.., params, ..)`.
fn take_all(items: Vec<D>) -> i64 {
    items.iter().map(|d| d.n).sum()
}

// build defect (E0507, tokio-postgres's `query_typed`, `execute_typed`:
// `client.with_buf(|buf| { parse(.., param_oids, buf)?; encode(params, ..) })`):
// a closure that names a local in a slot is made `move` (it captures the
// slot's pointer), and the locals of code the transform leaves as written
// were then captured by reference, as rustc's closure borrows what it does
// not move. These it moves, passing them whole to a call: moved in too.
twin! {
    compare: (3);
    pub async fn closure_moving_a_local_of_plain_code_into_a_call(k: i64) -> i64 {
        let d = mk("d", k);
        let n = {
            let items = vec![mk("item", 1), mk("item2", 2)];
            let count = items.len() as i64;
            with_buf(|buf| {
                buf.push(d.n);
                take_all(items) + buf.len() as i64 + count
            })
        };
        peek("p", &d, 1).await + n
    }
}

/// A database client, as tokio-postgres's `Client`.
pub struct Db(D);

impl Db {
    /// A future that borrows the client, as `Client::prepare`.
    fn prepare<'a>(&'a self, _query: &str) -> Peek<'a, D> {
        peek("prepare", &self.0, 1)
    }
}

// build defect (E0597, tokio-postgres's `prepare_type_modifier`,
// `custom_array`: `let client = connect(..).await; let statement =
// client.prepare(..).await;`, the client's only use): a method awaited on
// a local's last use is guessed to take it, unless its name says it
// borrows. A client's `prepare` (and `copy_in`, `copy_out`) borrows it.
twin! {
    compare: (2);
    pub async fn client_prepared_on_its_only_use(k: i64) -> i64 {
        let client = Db(mk("client", k));
        let late = mk("late", 1);
        let n = client.prepare("select").await;
        n + late.n
    }
}

/// The sum of the slices, as tokio-postgres's `query(&stmt, &[&dyn ToSql])`
/// with a slice parameter.
fn sum_slice_params(items: &[&dyn Probe]) -> i64 {
    items.iter().map(|p| p.probe()).sum()
}

impl Probe for &[i64] {
    fn probe(&self) -> i64 {
        self.iter().sum()
    }
}

// build defect (E0308, tokio-postgres's `test_slice`, `test_slice_range`:
// `client.query(&stmt, &[&&[1i32, 3, 4][..]]).await`): the same with a
// borrow of a borrowed slice of a constant array in the array.
twin! {
    compare: (2);
    pub async fn array_of_borrowed_slices_where_trait_objects_are_expected(k: i64) -> i64 {
        let d = mk("d", k);
        val("a", 1, sum_slice_params(&[&&[1i64, 3, 4][..], &&[5i64, 6][1..], &d])).await + d.n
    }
}
