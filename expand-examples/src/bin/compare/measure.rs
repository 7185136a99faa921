//! What both sides measure the same way: resident memory, and the delays.

use std::time::Duration;

use expand_examples::demo::clients::request_for;
use expand_examples::http::DelayRequest;

/// Every request of the memory phase asks for this delay, so that all of
/// them are alive, waiting for their answer, while the RSS is sampled.
pub const MEMORY_PHASE_DELAY: Duration = Duration::from_secs(1);

/// How often the memory phase samples the RSS.
pub const SAMPLE_PERIOD: Duration = Duration::from_millis(5);

/// The process's resident set size (VmRSS), in bytes: the pages actually
/// backed by memory, so a stack counts only as far as it was touched.
pub fn rss_bytes() -> Result<u64, String> {
    let status = std::fs::read_to_string("/proc/self/status")
        .map_err(|error| format!("cannot read /proc/self/status: {error}"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().strip_suffix("kB"))
        .and_then(|kib| kib.trim().parse::<u64>().ok())
        .map(|kib| kib * 1024)
        .ok_or_else(|| "no VmRSS line in /proc/self/status".to_owned())
}

/// The memory phase's request `index`.
pub fn memory_request(index: usize) -> DelayRequest {
    DelayRequest {
        delay: MEMORY_PHASE_DELAY,
        message: format!("hello-{index}"),
    }
}

/// The timed phase's requests: the demo's schedule.
pub fn timed_requests(requests: usize, max_delay: Duration) -> Vec<DelayRequest> {
    (0..requests)
        .map(|index| request_for(index, max_delay))
        .collect()
}

/// Tracks the highest RSS seen while every task is still alive.
pub struct PeakRss {
    before: u64,
    peak: Option<u64>,
}

impl PeakRss {
    /// Takes the baseline: call it just before spawning the tasks.
    pub fn start() -> Result<PeakRss, String> {
        Ok(PeakRss {
            before: rss_bytes()?,
            peak: None,
        })
    }

    /// Samples the RSS; `finished` (read after sampling) says how many
    /// tasks had ended, and a sample counts only if none had.
    pub fn sample(&mut self, finished: impl FnOnce() -> usize) -> Result<bool, String> {
        let rss = rss_bytes()?;
        if finished() > 0 {
            return Ok(false);
        }
        self.peak = Some(self.peak.map_or(rss, |peak| peak.max(rss)));
        Ok(true)
    }

    /// The growth over the baseline at the highest sample.
    pub fn growth(&self) -> Result<u64, String> {
        let peak = self.peak.ok_or(
            "a request finished before the first memory sample: lower -n (all tasks must be alive at once)",
        )?;
        Ok(peak.saturating_sub(self.before))
    }
}

/// The outcome of a phase: the first failure, as `request i: reason`, and
/// the number of successes.
pub fn tally(outcomes: &[Result<(), String>]) -> (usize, Option<String>) {
    let successes = outcomes.iter().filter(|outcome| outcome.is_ok()).count();
    let first_failure = outcomes.iter().enumerate().find_map(|(index, outcome)| {
        outcome
            .as_ref()
            .err()
            .map(|reason| format!("request {index}: {reason}"))
    });
    (successes, first_failure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_is_read_and_grows_with_touched_memory() {
        let mut peak = PeakRss::start().unwrap();
        let touched = vec![1u8; 32 << 20];
        assert!(peak.sample(|| 0).unwrap());
        assert!(peak.growth().unwrap() >= 16 << 20, "32 MiB touched");
        assert!(
            !peak.sample(|| 1).unwrap(),
            "a finished task ends the sampling"
        );
        drop(touched);
        assert!(PeakRss::start().unwrap().growth().is_err());
    }

    #[test]
    fn tally_counts_and_names_the_first_failure() {
        let outcomes = [Ok(()), Err("late".to_owned()), Err("refused".to_owned())];
        assert_eq!(tally(&outcomes), (1, Some("request 1: late".to_owned())));
    }
}
