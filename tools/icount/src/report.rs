//! The figures of one measurement: printed as a table, saved to a file and
//! read back, to set today's figures beside those of an earlier commit.

use std::fmt::Write;

/// One workload's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub workload: String,
    /// Instructions of one run (create, poll to completion, drop).
    pub instr_rustc: f64,
    pub instr_ours: f64,
    /// `size_of_val` of the future, in bytes.
    pub size_rustc: usize,
    pub size_ours: usize,
}

impl Row {
    pub fn ratio(&self) -> f64 {
        self.instr_ours / self.instr_rustc
    }
}

/// Everything one measurement produced.
#[derive(Clone, Debug, PartialEq)]
pub struct Figures {
    /// What the figures were built with: profile, opt-level, compiler.
    pub build: String,
    pub rows: Vec<Row>,
    /// Instructions of one run of the harness on a future ready at once;
    /// included in every row.
    pub harness: f64,
}

const HEADER: &str = "# explicit-async-icount figures";
const COLUMNS: &str = "workload\tinstr_rustc\tinstr_ours\tsize_rustc\tsize_ours";

/// The table of issue 9.
pub fn table(figures: &Figures) -> String {
    let width = name_width(&figures.rows);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<width$}  {:>12}  {:>11}  {:>10}  {:>10}  {:>9}",
        "workload", "instr. rustc", "instr. ours", "ours/rustc", "size rustc", "size ours"
    );
    for row in &figures.rows {
        let _ = writeln!(
            out,
            "{:<width$}  {:>12}  {:>11}  {:>10.2}  {:>10}  {:>9}",
            row.workload,
            count(row.instr_rustc),
            count(row.instr_ours),
            row.ratio(),
            row.size_rustc,
            row.size_ours
        );
    }
    out
}

/// Today's figures beside `before`'s, workload by workload.
pub fn comparison(before: &Figures, now: &Figures) -> String {
    let width = name_width(&now.rows);
    let mut out = String::new();
    if before.build != now.build {
        let _ = writeln!(
            out,
            "warning: built differently (before: {}; now: {}): rustc's column moves too",
            before.build, now.build
        );
    }
    let _ = writeln!(
        out,
        "{:<width$}  {:>12}  {:>12}  {:>10}  {:>11}  {:>11}  {:>10}  {:>9}",
        "workload",
        "ours before",
        "ours now",
        "now/before",
        "ratio before",
        "ratio now",
        "size before",
        "size now"
    );
    for row in &now.rows {
        let Some(old) = before.rows.iter().find(|old| old.workload == row.workload) else {
            let _ = writeln!(out, "{:<width$}  (not in the saved figures)", row.workload);
            continue;
        };
        let _ = writeln!(
            out,
            "{:<width$}  {:>12}  {:>12}  {:>10.2}  {:>11.2}  {:>11.2}  {:>10}  {:>9}",
            row.workload,
            count(old.instr_ours),
            count(row.instr_ours),
            row.instr_ours / old.instr_ours,
            old.ratio(),
            row.ratio(),
            old.size_ours,
            row.size_ours
        );
    }
    out
}

/// The figures as a small tab-separated file (readable, diffable).
pub fn save(figures: &Figures) -> String {
    let mut out = format!(
        "{HEADER}\n# build\t{}\n# harness\t{}\n{COLUMNS}\n",
        figures.build, figures.harness
    );
    for row in &figures.rows {
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}",
            row.workload, row.instr_rustc, row.instr_ours, row.size_rustc, row.size_ours
        );
    }
    out
}

/// Reads what [`save`] wrote.
pub fn load(text: &str) -> Result<Figures, String> {
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) {
        return Err(format!(
            "not a figures file (its first line is not `{HEADER}`)"
        ));
    }
    let mut figures = Figures {
        build: String::new(),
        rows: Vec::new(),
        harness: 0.0,
    };
    for (number, line) in lines.enumerate().map(|(i, line)| (i + 2, line)) {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["# build", build] => figures.build = (*build).to_owned(),
            ["# harness", harness] => figures.harness = number_at(harness, number)?,
            _ if line == COLUMNS => {}
            [workload, instr_rustc, instr_ours, size_rustc, size_ours] => figures.rows.push(Row {
                workload: (*workload).to_owned(),
                instr_rustc: number_at(instr_rustc, number)?,
                instr_ours: number_at(instr_ours, number)?,
                size_rustc: number_at(size_rustc, number)?,
                size_ours: number_at(size_ours, number)?,
            }),
            _ => return Err(format!("line {number}: `{line}` is not a row of figures")),
        }
    }
    Ok(figures)
}

fn number_at<T: std::str::FromStr>(field: &str, line: usize) -> Result<T, String> {
    field
        .parse()
        .map_err(|_| format!("line {line}: `{field}` is not a number"))
}

/// An instruction count: whole when it is (every run of a workload executes
/// the same instructions), else with one decimal.
fn count(instructions: f64) -> String {
    if instructions.fract() == 0.0 {
        format!("{instructions:.0}")
    } else {
        format!("{instructions:.1}")
    }
}

fn name_width(rows: &[Row]) -> usize {
    rows.iter()
        .map(|row| row.workload.len())
        .max()
        .unwrap_or(0)
        .max("workload".len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures() -> Figures {
        Figures {
            build: "release, opt-level 3, rustc 1.0".into(),
            rows: vec![
                Row {
                    workload: "textbook".into(),
                    instr_rustc: 137.0,
                    instr_ours: 199.5,
                    size_rustc: 64,
                    size_ours: 48,
                },
                Row {
                    workload: "loop of 100 awaits".into(),
                    instr_rustc: 4556.0,
                    instr_ours: 5366.0,
                    size_rustc: 64,
                    size_ours: 56,
                },
            ],
            harness: 21.0,
        }
    }

    #[test]
    fn saved_figures_read_back_the_same() {
        assert_eq!(load(&save(&figures())), Ok(figures()));
    }

    #[test]
    fn a_file_of_something_else_is_refused() {
        assert!(
            load("workload\t1\n")
                .unwrap_err()
                .contains("not a figures file")
        );
        let damaged = save(&figures()).replace("4556", "many");
        assert!(
            load(&damaged)
                .unwrap_err()
                .contains("`many` is not a number")
        );
    }

    #[test]
    fn the_table_gives_the_ratio() {
        let table = table(&figures());
        let textbook = table.lines().nth(1).unwrap();
        assert!(textbook.contains("137") && textbook.contains("199.5"));
        assert!(textbook.contains("1.46"), "{textbook}");
    }

    #[test]
    fn the_comparison_sets_before_beside_now() {
        let before = figures();
        let mut now = figures();
        now.rows[0].instr_ours = 133.0;
        let shown = comparison(&before, &now);
        let textbook = shown.lines().nth(1).unwrap();
        assert!(textbook.contains("199.5") && textbook.contains("133"));
        assert!(
            textbook.contains("0.67") && textbook.contains("0.97"),
            "{textbook}"
        );
    }
}
