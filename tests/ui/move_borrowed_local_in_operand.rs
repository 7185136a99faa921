// Expected: rustc's own E0505 (cannot move out of `buf` because it is
// borrowed), as for a plain `async fn`: the await operand borrows `buf` and
// moves it in the same expression.
use explicit_async::explicit_async;

async fn both(_borrowed: &[u8], _owned: Vec<u8>) -> usize {
    0
}

#[explicit_async]
async fn move_borrowed_local_in_operand() -> usize {
    let buf = vec![0u8; 4];
    both(&buf, buf).await
}

fn main() {
    let _ = move_borrowed_local_in_operand();
}
