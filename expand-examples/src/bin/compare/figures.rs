//! What one side measured, how a child process hands it to the parent
//! (`key value` lines), and the side-by-side table.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Duration;

use crate::args::Side;

/// One side's measurements.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub requests: usize,
    pub successes: usize,
    /// The first failed request's reason, if any failed.
    pub first_failure: Option<String>,
    pub wall: Duration,
    pub longest_delay: Duration,
    /// What one task reserves: the request future's `size_of_val`, or the
    /// green thread's stack.
    pub task_bytes: u64,
    /// The green thread's guard page (address space only, never memory).
    pub guard_bytes: u64,
    /// VmRSS growth with every task of the memory phase alive at once.
    pub rss_growth: u64,
    /// Tasks in that memory phase (all of them alive at the sample).
    pub memory_tasks: usize,
    pub yields: u64,
    pub yield_time: Duration,
}

impl Figures {
    pub fn rss_per_task(&self) -> f64 {
        self.rss_growth as f64 / self.memory_tasks as f64
    }

    /// How many tasks 1 GiB of resident memory holds, at the measured rate.
    pub fn tasks_per_gib(&self) -> f64 {
        (1u64 << 30) as f64 / self.rss_per_task()
    }

    pub fn ns_per_yield(&self) -> f64 {
        self.yield_time.as_nanos() as f64 / self.yields as f64
    }

    pub fn wall_over_longest(&self) -> f64 {
        self.wall.as_secs_f64() / self.longest_delay.as_secs_f64()
    }

    /// The `key value` lines a child prints.
    pub fn to_lines(&self) -> String {
        let mut lines = String::new();
        let mut put = |key: &str, value: &dyn std::fmt::Display| {
            let _ = writeln!(lines, "{key} {value}");
        };
        put("requests", &self.requests);
        put("successes", &self.successes);
        put("wall_ns", &self.wall.as_nanos());
        put("longest_delay_ns", &self.longest_delay.as_nanos());
        put("task_bytes", &self.task_bytes);
        put("guard_bytes", &self.guard_bytes);
        put("rss_growth", &self.rss_growth);
        put("memory_tasks", &self.memory_tasks);
        put("yields", &self.yields);
        put("yield_ns", &self.yield_time.as_nanos());
        if let Some(failure) = &self.first_failure {
            put("first_failure", &failure.replace('\n', " "));
        }
        lines
    }

    /// Reads what `to_lines` printed.
    pub fn from_lines(text: &str) -> Result<Figures, String> {
        let values: HashMap<&str, &str> = text
            .lines()
            .filter_map(|line| line.split_once(' '))
            .collect();
        let number = |key: &str| -> Result<u64, String> {
            let value = values
                .get(key)
                .ok_or_else(|| format!("no `{key}` in its output"))?;
            value
                .parse()
                .map_err(|_| format!("`{key}` is not a number: `{value}`"))
        };
        let nanos = |key: &str| number(key).map(Duration::from_nanos);
        Ok(Figures {
            requests: number("requests")? as usize,
            successes: number("successes")? as usize,
            first_failure: values.get("first_failure").map(|text| text.to_string()),
            wall: nanos("wall_ns")?,
            longest_delay: nanos("longest_delay_ns")?,
            task_bytes: number("task_bytes")?,
            guard_bytes: number("guard_bytes")?,
            rss_growth: number("rss_growth")?,
            memory_tasks: number("memory_tasks")? as usize,
            yields: number("yields")?,
            yield_time: nanos("yield_ns")?,
        })
    }
}

fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn bytes(n: f64) -> String {
    if n >= 10.0 * 1024.0 {
        format!("{:.1} KiB", n / 1024.0)
    } else {
        format!("{} B", grouped(n.round() as u64))
    }
}

fn reserved(side: Side, figures: &Figures) -> String {
    match side {
        Side::StateMachines => format!("{} future", bytes(figures.task_bytes as f64)),
        Side::Green => format!(
            "{} stack + {} guard",
            bytes(figures.task_bytes as f64),
            bytes(figures.guard_bytes as f64)
        ),
    }
}

/// The side-by-side table; the last column is green / state machines.
pub fn table(state_machines: &Figures, green: &Figures) -> String {
    let rows: Vec<(&str, String, String, Option<f64>)> = vec![
        (
            "requests answered",
            format!("{}/{}", state_machines.successes, state_machines.requests),
            format!("{}/{}", green.successes, green.requests),
            None,
        ),
        (
            "wall time",
            format!("{:.1} ms", state_machines.wall.as_secs_f64() * 1e3),
            format!("{:.1} ms", green.wall.as_secs_f64() * 1e3),
            Some(green.wall.as_secs_f64() / state_machines.wall.as_secs_f64()),
        ),
        (
            "wall/longest",
            format!("{:.3}", state_machines.wall_over_longest()),
            format!("{:.3}", green.wall_over_longest()),
            None,
        ),
        (
            "reserved per task",
            reserved(Side::StateMachines, state_machines),
            reserved(Side::Green, green),
            Some((green.task_bytes + green.guard_bytes) as f64 / state_machines.task_bytes as f64),
        ),
        (
            "RSS growth per task",
            bytes(state_machines.rss_per_task()),
            bytes(green.rss_per_task()),
            Some(green.rss_per_task() / state_machines.rss_per_task()),
        ),
        (
            "tasks in 1 GiB (RSS)",
            grouped(state_machines.tasks_per_gib() as u64),
            grouped(green.tasks_per_gib() as u64),
            Some(green.tasks_per_gib() / state_machines.tasks_per_gib()),
        ),
        (
            "one yield, task to task",
            format!("{:.1} ns", state_machines.ns_per_yield()),
            format!("{:.1} ns", green.ns_per_yield()),
            Some(green.ns_per_yield() / state_machines.ns_per_yield()),
        ),
    ];
    let mut out = format!(
        "{:<25} {:>22} {:>30} {:>8}\n",
        "", "state machines", "green threads", "green/sm"
    );
    for (label, left, right, ratio) in rows {
        let ratio = ratio.map(|r| format!("{r:.2}")).unwrap_or_default();
        let _ = writeln!(out, "{label:<25} {left:>22} {right:>30} {ratio:>8}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Figures {
        Figures {
            requests: 1000,
            successes: 999,
            first_failure: Some("request 7: refused\nfor good".into()),
            wall: Duration::from_nanos(640_000_000),
            longest_delay: Duration::from_millis(500),
            task_bytes: 4480,
            guard_bytes: 0,
            rss_growth: 5_000_000,
            memory_tasks: 1000,
            yields: 1_000_000,
            yield_time: Duration::from_millis(30),
        }
    }

    #[test]
    fn figures_survive_the_trip_through_a_child_process() {
        let figures = sample();
        let back = Figures::from_lines(&figures.to_lines()).unwrap();
        assert_eq!(
            back,
            Figures {
                first_failure: Some("request 7: refused for good".into()),
                ..figures
            }
        );
        let error = Figures::from_lines("requests 3\n").unwrap_err();
        assert_eq!(error, "no `successes` in its output");
    }

    #[test]
    fn derived_figures_and_formatting() {
        let figures = sample();
        assert_eq!(figures.rss_per_task(), 5000.0);
        assert_eq!(figures.ns_per_yield(), 30.0);
        assert!((figures.wall_over_longest() - 1.28).abs() < 1e-9);
        assert_eq!(grouped(1234567), "1,234,567");
        assert_eq!(grouped(999), "999");
        assert_eq!(bytes(4480.0), "4,480 B");
        assert_eq!(bytes(65536.0), "64.0 KiB");
        let table = table(&figures, &figures);
        assert!(table.contains("RSS growth per task"), "{table}");
        assert!(table.contains("1.00"), "{table}");
    }
}
