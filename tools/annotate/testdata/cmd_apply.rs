use explicit_async::explicit_async;

pub struct Cmd(pub String);

impl Cmd {
    pub async fn apply(self) -> usize {
        self.0.len()
    }
}

async fn ready() {}

#[explicit_async]
pub async fn fine(x: u32) -> u32 {
    ready().await;
    x
}

#[explicit_async]
pub async fn run(cmd: Cmd) -> usize {
    ready().await;
    cmd.apply().await
}
