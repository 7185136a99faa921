//! Aggregates batch results into figures and clusters, prints the summary
//! and writes the report directory.

use crate::ast::Func;
use crate::driver::{CaseResult, Outcome, Timing};
use crate::emit;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    BuildDefect,
    LintDefect,
    Divergence,
    Clear,
}

impl Category {
    pub fn slug(self) -> &'static str {
        match self {
            Category::BuildDefect => "build-defect",
            Category::LintDefect => "lint-defect",
            Category::Divergence => "divergence",
            Category::Clear => "clear-rejection",
        }
    }
}

/// The first function found in a cluster.
#[derive(Debug, Clone)]
pub struct Example {
    pub index: u64,
    pub func: Func,
    pub detail: String,
}

#[derive(Debug, Clone)]
pub struct Cluster {
    pub category: Category,
    pub key: String,
    pub count: usize,
    pub example: Example,
}

#[derive(Debug, Clone)]
pub struct BatchTime {
    pub total: Duration,
    pub timing: Timing,
}

#[derive(Debug, Default)]
pub struct Stats {
    pub generated: usize,
    pub not_accepted: BTreeMap<String, usize>,
    /// Why functions were skipped: how many, and the first one's index.
    pub skipped: BTreeMap<String, (usize, u64)>,
    pub equal: usize,
    /// Functions per category (each function once; lints counted apart).
    pub per_category: BTreeMap<Category, usize>,
    pub clusters: BTreeMap<(Category, String), Cluster>,
    /// Divergent functions per kind, counting every kind a function shows.
    pub divergence_any: BTreeMap<String, usize>,
    /// Divergent functions whose only difference is one kind (per kind).
    pub divergence_only: BTreeMap<String, usize>,
    pub batches: Vec<BatchTime>,
}

impl Stats {
    pub fn add(&mut self, index: u64, func: &Func, result: &CaseResult) {
        self.generated += 1;
        let cluster = |stats: &mut Stats, category: Category, key: &str, detail: &str| {
            stats
                .clusters
                .entry((category, key.to_string()))
                .and_modify(|c| c.count += 1)
                .or_insert_with(|| Cluster {
                    category,
                    key: key.to_string(),
                    count: 1,
                    example: Example {
                        index,
                        func: func.clone(),
                        detail: detail.to_string(),
                    },
                });
        };
        let category = match &result.outcome {
            Outcome::NotAccepted(key) => {
                *self.not_accepted.entry(key.clone()).or_default() += 1;
                None
            }
            Outcome::Skipped(why) => {
                self.skipped.entry(why.clone()).or_insert((0, index)).0 += 1;
                None
            }
            Outcome::Equal => {
                self.equal += 1;
                None
            }
            Outcome::Clear(key) => {
                cluster(self, Category::Clear, key, &result.detail);
                Some(Category::Clear)
            }
            Outcome::BuildDefect(key) => {
                cluster(self, Category::BuildDefect, key, &result.detail);
                Some(Category::BuildDefect)
            }
            Outcome::Divergence(kinds) => {
                for kind in kinds {
                    *self.divergence_any.entry(kind.clone()).or_default() += 1;
                }
                if let [only] = kinds.as_slice() {
                    *self.divergence_only.entry(only.clone()).or_default() += 1;
                }
                let key = crate::driver::divergence_key(kinds, &result.detail);
                cluster(self, Category::Divergence, &key, &result.detail);
                Some(Category::Divergence)
            }
        };
        if let Some(category) = category {
            *self.per_category.entry(category).or_default() += 1;
        }
        let mut seen = Vec::new();
        for (key, rendered) in &result.lints {
            if !seen.contains(key) {
                cluster(self, Category::LintDefect, key, rendered);
                seen.push(key.clone());
            }
        }
        if !result.lints.is_empty() {
            *self.per_category.entry(Category::LintDefect).or_default() += 1;
        }
    }

    pub fn count(&self, category: Category) -> usize {
        self.per_category.get(&category).copied().unwrap_or(0)
    }

    /// Build defects, lint defects and divergences.
    pub fn defects(&self) -> usize {
        [
            Category::BuildDefect,
            Category::LintDefect,
            Category::Divergence,
        ]
        .iter()
        .map(|c| self.count(*c))
        .sum()
    }

    pub fn accepted(&self) -> usize {
        self.generated - self.not_accepted.values().sum::<usize>()
    }

    /// Clusters in report order: by category, the largest first.
    pub fn ordered_clusters(&self) -> Vec<&Cluster> {
        let mut clusters: Vec<&Cluster> = self.clusters.values().collect();
        clusters.sort_by(|a, b| {
            (a.category, std::cmp::Reverse(a.count), &a.key).cmp(&(
                b.category,
                std::cmp::Reverse(b.count),
                &b.key,
            ))
        });
        clusters
    }

    pub fn summary(&self, header: &str) -> String {
        let mut out = String::new();
        let pct = |n: usize, of: usize| {
            if of == 0 {
                0.0
            } else {
                100.0 * n as f64 / of as f64
            }
        };
        let accepted = self.accepted();
        let _ = writeln!(out, "{header}");
        let _ = writeln!(out, "generated             {:>6}", self.generated);
        let _ = writeln!(
            out,
            "accepted by rustc     {:>6}  ({:.1}% of generated)",
            accepted,
            pct(accepted, self.generated)
        );
        for (key, n) in &self.not_accepted {
            let _ = writeln!(out, "    not accepted {n:>4}  {key}");
        }
        let _ = writeln!(
            out,
            "equal                 {:>6}  ({:.1}% of accepted)",
            self.equal,
            pct(self.equal, accepted)
        );
        let lines = [
            (Category::Clear, "clear rejections"),
            (Category::BuildDefect, "build defects"),
            (Category::LintDefect, "lint defects"),
            (Category::Divergence, "divergences"),
        ];
        for (category, title) in lines {
            let n = self.count(category);
            let _ = writeln!(
                out,
                "{title:<22}{n:>6}  ({:.1}% of accepted)",
                pct(n, accepted)
            );
            for cluster in self
                .ordered_clusters()
                .iter()
                .filter(|c| c.category == category)
            {
                let _ = writeln!(out, "    {:>5}  {}", cluster.count, cluster.key);
            }
            if category == Category::Divergence && !self.divergence_any.is_empty() {
                let _ = writeln!(
                    out,
                    "    (functions showing each kind: at all / as their only difference)"
                );
                for (kind, n) in &self.divergence_any {
                    let only = self.divergence_only.get(kind).copied().unwrap_or(0);
                    let _ = writeln!(out, "    {n:>5} / {only:>5}  {kind}");
                }
            }
        }
        let skipped: usize = self.skipped.values().map(|(n, _)| n).sum();
        let _ = writeln!(out, "skipped               {skipped:>6}");
        for (why, (n, first)) in &self.skipped {
            let _ = writeln!(out, "    {n:>5}  {why} (first: function {first})");
        }
        if !self.batches.is_empty() {
            let total: Duration = self.batches.iter().map(|b| b.total).sum();
            let sum = |f: &dyn Fn(&BatchTime) -> Duration| {
                self.batches.iter().map(f).sum::<Duration>().as_secs_f64()
            };
            let n = self.batches.len() as f64;
            let _ = writeln!(
                out,
                "wall time             {:.0} s for {} batches: {:.1} s per batch (native check {:.1} s, annotated build {:.1} s, run {:.1} s; {:.1} builds)",
                total.as_secs_f64(),
                self.batches.len(),
                total.as_secs_f64() / n,
                sum(&|b| b.timing.native) / n,
                sum(&|b| b.timing.annotated) / n,
                sum(&|b| b.timing.run) / n,
                self.batches.iter().map(|b| b.timing.builds).sum::<usize>() as f64 / n,
            );
        }
        out
    }

    /// `summary.md` and, per cluster, its example as written (`clusters/`).
    pub fn write_report(&self, dir: &Path, header: &str) -> io::Result<()> {
        fs::create_dir_all(dir.join("clusters"))?;
        let mut md = String::from("# explicit-async-fuzz report\n\n```text\n");
        md.push_str(&self.summary(header));
        md.push_str("```\n\n## Clusters\n\n| # | kind | functions | key | example |\n|---|---|---|---|---|\n");
        for (n, cluster) in self.ordered_clusters().iter().enumerate() {
            let file = cluster_file_name(n, cluster);
            let _ = writeln!(
                md,
                "| {n} | {} | {} | {} | [clusters/{file}](clusters/{file}) |",
                cluster.category.slug(),
                cluster.count,
                cluster.key.replace('|', "\\|"),
            );
            fs::write(dir.join("clusters").join(&file), example_source(cluster))?;
        }
        fs::write(dir.join("summary.md"), md)
    }
}

pub fn cluster_file_name(n: usize, cluster: &Cluster) -> String {
    format!("{n:02}-{}.rs", cluster.category.slug())
}

/// A cluster's example as written, with what was seen as a comment.
fn example_source(cluster: &Cluster) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "// {}: {}", cluster.category.slug(), cluster.key);
    let _ = writeln!(
        out,
        "// {} function(s); this one is function {} of the run.",
        cluster.count, cluster.example.index
    );
    for line in cluster.example.detail.lines() {
        let _ = writeln!(out, "// {line}");
    }
    out.push('\n');
    out.push_str(&function_source(&cluster.example.func));
    out
}

/// The function as written (a method inside `impl S`).
pub fn function_source(func: &Func) -> String {
    let text = emit::function(func, false);
    if func.receiver.is_some() {
        format!("impl S {{\n{text}}}\n")
    } else {
        text
    }
}
