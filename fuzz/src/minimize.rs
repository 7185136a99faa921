//! Shrinks a failing function on the generator's tree while its failure
//! (same error key, same kind of divergence, same lint) persists:
//! statements deleted, expressions replaced by literals or simpler forms,
//! awaits dropped, leaves made ready at once, loops and branches collapsed,
//! parameters removed. Candidates of every target are compiled together, a
//! batch per round, and each target keeps its smallest candidate that still
//! fails the same way.

use crate::ast::{Block, Expr, ExprKind, Func, Stmt};
use crate::driver::{CaseResult, Outcome};
use crate::emit;
use crate::report::Category;
use crate::ty::Ty;
use crate::visit;
use std::collections::HashSet;
use std::io;

/// One cluster's example to shrink.
#[derive(Debug, Clone)]
pub struct Target {
    pub category: Category,
    pub key: String,
    pub func: Func,
}

/// Whether a candidate's result shows the target's failure.
pub fn same_failure(target: &Target, result: &CaseResult) -> bool {
    match (target.category, &result.outcome) {
        (Category::BuildDefect, Outcome::BuildDefect(key)) => *key == target.key,
        (Category::Clear, Outcome::Clear(key)) => *key == target.key,
        (Category::Divergence, Outcome::Divergence(kinds)) => {
            crate::driver::divergence_key(kinds, &result.detail) == target.key
        }
        (Category::LintDefect, _) => result.lints.iter().any(|(key, _)| *key == target.key),
        _ => false,
    }
}

/// The text that identifies a function regardless of its name.
fn fingerprint(func: &Func) -> String {
    let mut unnamed = func.clone();
    unnamed.name = "f".into();
    emit::function(&unnamed, false)
}

/// Simpler replacements for one expression.
fn replacements(e: &Expr) -> Vec<Expr> {
    let mut out = Vec::new();
    if let Some(ty) = &e.ty
        && let Some(text) = ty.simplest()
        && !matches!(&e.kind, ExprKind::Atom(t) if t == text)
    {
        out.push(Expr::atom(text, ty.clone()));
    }
    match &e.kind {
        ExprKind::Await(inner) => {
            if let ExprKind::Call(callee, args) = &inner.kind
                && callee == "val"
                && args.len() == 3
            {
                out.push(args[2].clone());
            }
        }
        ExprKind::Call(callee, args)
            if matches!(
                callee.as_str(),
                "val" | "tick" | "peek" | "inc" | "later" | "boom"
            ) =>
        {
            // The number of `Pending`s: after the name, or after the borrowed target.
            let position = if matches!(callee.as_str(), "peek" | "inc") {
                2
            } else {
                1
            };
            if let Some(ExprKind::Atom(p)) = args.get(position).map(|a| &a.kind)
                && p != "0"
                && p.chars().all(|c| c.is_ascii_digit())
            {
                let mut ready = e.clone();
                if let ExprKind::Call(_, args) = &mut ready.kind {
                    args[position] = Expr::raw("0");
                }
                out.push(ready);
            }
        }
        // A block's value without its statements.
        ExprKind::Block(block) => {
            if let Some(tail) = &block.tail {
                out.push((**tail).clone());
            }
        }
        ExprKind::If(conds, then, els) => {
            out.push(Expr::block(then.clone(), e.ty.clone()));
            if let Some(els) = els {
                out.push((**els).clone());
            }
            // One condition of a chain fewer.
            if conds.len() > 1 {
                for i in 0..conds.len() {
                    let mut fewer = conds.clone();
                    fewer.remove(i);
                    out.push(Expr::new(
                        ExprKind::If(fewer, then.clone(), els.clone()),
                        e.ty.clone(),
                    ));
                }
            }
        }
        ExprKind::Match(scrutinee, arms) => {
            for arm in arms {
                out.push(arm.body.clone());
            }
            // One arm fewer (rustc rejects the candidate if the rest is not exhaustive).
            for i in 0..arms.len().saturating_sub(1) {
                let mut fewer = arms.clone();
                fewer.remove(i);
                out.push(Expr::new(
                    ExprKind::Match(scrutinee.clone(), fewer),
                    e.ty.clone(),
                ));
            }
        }
        ExprKind::Binary(l, op, r) if matches!(*op, "+" | "-" | "*") && e.ty == Some(Ty::I64) => {
            out.push((**l).clone());
            out.push((**r).clone());
        }
        ExprKind::Unary("-", inner) => out.push((**inner).clone()),
        _ => {}
    }
    out
}

/// Every one-step shrink of `func`, smallest first, without duplicates.
pub fn candidates(func: &Func) -> Vec<Func> {
    let mut out: Vec<Func> = Vec::new();
    // Parameters (the body may still use them: rustc then rejects the candidate).
    for i in 0..func.params.len() {
        let mut c = func.clone();
        c.params.remove(i);
        out.push(c);
    }
    // Statements and unit tails.
    let mut blocks: Vec<(Vec<bool>, bool)> = Vec::new();
    let mut probe = func.body.clone();
    visit::for_each_block_mut(&mut probe, &mut |b| {
        let deletable = b
            .stmts
            .iter()
            .map(|s| !matches!(s, Stmt::Fixed(..)))
            .collect();
        blocks.push((deletable, b.tail.is_some()));
    });
    for (block, (deletable, has_tail)) in blocks.iter().enumerate() {
        for stmt in (0..deletable.len()).filter(|&i| deletable[i]) {
            out.push(edit_block(func, block, |b| {
                b.stmts.remove(stmt);
            }));
        }
        if *has_tail {
            out.push(edit_block(func, block, |b| {
                if b.tail.as_ref().is_some_and(|t| t.ty == Some(Ty::Unit)) {
                    b.tail = None;
                }
            }));
        }
    }
    // Expressions.
    let mut options = Vec::new();
    let mut probe = func.body.clone();
    visit::for_each_expr_mut(&mut probe, &mut |e| options.push(replacements(e).len()));
    for (node, &count) in options.iter().enumerate() {
        for choice in 0..count {
            let mut c = func.clone();
            let mut n = 0;
            visit::for_each_expr_mut(&mut c.body, &mut |e| {
                if n == node {
                    *e = replacements(e).swap_remove(choice);
                }
                n += 1;
            });
            out.push(c);
        }
    }
    let original = fingerprint(func);
    let mut seen = HashSet::new();
    let mut keyed: Vec<(usize, Func)> = out
        .into_iter()
        .filter_map(|c| {
            let text = fingerprint(&c);
            (text != original && seen.insert(text.clone())).then_some((text.len(), c))
        })
        .collect();
    keyed.sort_by_key(|(len, _)| *len);
    keyed.into_iter().map(|(_, c)| c).collect()
}

fn edit_block(func: &Func, index: usize, edit: impl Fn(&mut Block)) -> Func {
    let mut c = func.clone();
    let mut n = 0;
    visit::for_each_block_mut(&mut c.body, &mut |b| {
        if n == index {
            edit(b);
        }
        n += 1;
    });
    c
}

/// Up to `limit` candidates: the smallest half, then spread over the rest.
fn choose(candidates: Vec<Func>, limit: usize) -> Vec<Func> {
    if candidates.len() <= limit {
        return candidates;
    }
    let head = limit / 2;
    let rest = &candidates[head..];
    let stride = rest.len() as f64 / (limit - head) as f64;
    let mut out: Vec<Func> = candidates[..head].to_vec();
    out.extend((0..limit - head).map(|i| rest[(i as f64 * stride) as usize].clone()));
    out
}

/// Shrinks every target; `run` compiles and runs a batch of functions (the
/// real driver, or a fake in tests). Returns each target's smallest
/// function that still fails the same way.
pub fn minimize(
    targets: &[Target],
    run: &mut dyn FnMut(&[Func]) -> io::Result<Vec<CaseResult>>,
    max_rounds: usize,
    per_target: usize,
) -> io::Result<Vec<Func>> {
    let mut current: Vec<Func> = targets.iter().map(|t| t.func.clone()).collect();
    let mut tested: Vec<HashSet<String>> = vec![HashSet::new(); targets.len()];
    let mut done = vec![false; targets.len()];
    for round in 0..max_rounds {
        let mut batch: Vec<Func> = Vec::new();
        let mut owners: Vec<usize> = Vec::new();
        for (t, func) in current.iter().enumerate() {
            if done[t] {
                continue;
            }
            let fresh: Vec<Func> = candidates(func)
                .into_iter()
                .filter(|c| !tested[t].contains(&fingerprint(c)))
                .collect();
            if fresh.is_empty() {
                done[t] = true;
                continue;
            }
            for (j, mut c) in choose(fresh, per_target).into_iter().enumerate() {
                tested[t].insert(fingerprint(&c));
                c.name = format!("m{t}r{round}c{j}");
                batch.push(c);
                owners.push(t);
            }
        }
        if batch.is_empty() {
            break;
        }
        let results = run(&batch)?;
        let mut best: Vec<Option<Func>> = vec![None; targets.len()];
        for ((candidate, &t), result) in batch.into_iter().zip(&owners).zip(&results) {
            if !same_failure(&targets[t], result) {
                continue;
            }
            let smaller = best[t]
                .as_ref()
                .is_none_or(|b| fingerprint(&candidate).len() < fingerprint(b).len());
            if smaller {
                best[t] = Some(candidate);
            }
        }
        for (t, found) in best.into_iter().enumerate() {
            if let Some(mut found) = found {
                found.name = targets[t].func.name.clone();
                current[t] = found;
            }
        }
    }
    Ok(current)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generator::{self, Edition};

    /// A fake "compiler": the failure persists while the function still
    /// awaits a leaf named in `needle`; everything else is "equal".
    fn fake(needle: &str) -> impl FnMut(&[Func]) -> io::Result<Vec<CaseResult>> + '_ {
        move |funcs| {
            Ok(funcs
                .iter()
                .map(|f| {
                    let text = emit::function(f, false);
                    let outcome = if text.contains(needle) {
                        Outcome::Divergence(vec!["log".into()])
                    } else {
                        Outcome::Equal
                    };
                    CaseResult {
                        outcome,
                        detail: String::new(),
                        lints: Vec::new(),
                    }
                })
                .collect())
        }
    }

    #[test]
    fn shrinks_while_the_failure_persists() {
        // A function with an awaited leaf somewhere inside.
        let (func, needle) = (0..200)
            .map(|i| generator::generate(11, i, Edition::E2024, generator::Grammar::Crates))
            .find_map(|f| {
                let text = emit::function(&f, false);
                let at = text.find("val(\"a")?;
                let needle = text[at..].split(',').next()?.to_string();
                (text.len() > 600).then_some((f, needle))
            })
            .expect("a large function with an awaited leaf");
        let before = emit::function(&func, false).len();
        let target = Target {
            category: Category::Divergence,
            key: "log".into(),
            func,
        };
        let shrunk = minimize(&[target], &mut fake(&needle), 40, 30).unwrap();
        let text = emit::function(&shrunk[0], false);
        assert!(text.contains(&needle), "the failure was kept");
        assert!(
            text.len() * 3 < before,
            "shrunk from {before} to {} bytes:\n{text}",
            text.len()
        );
    }

    #[test]
    fn candidates_are_distinct_and_smaller_first() {
        let func = generator::generate(5, 3, Edition::E2024, generator::Grammar::Crates);
        let all = candidates(&func);
        assert!(!all.is_empty());
        let lens: Vec<usize> = all.iter().map(|c| fingerprint(c).len()).collect();
        assert!(lens.windows(2).all(|w| w[0] <= w[1]));
        let unique: HashSet<String> = all.iter().map(fingerprint).collect();
        assert_eq!(unique.len(), all.len());
    }
}
