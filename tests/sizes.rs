//! `size_of_val` of every corpus future, ours against rustc's, created with
//! fixed arguments and never polled. Ours is usually smaller: rustc stores
//! the arguments twice (rust-lang/rust#62958), ours stores only what each
//! state needs. The exception is a function with locals that live in slots
//! (borrowed across an await): a slot does not share its bytes with the
//! locals of other states, as rustc's storage does, and carries a live
//! flag. Those are listed in `LARGER_WITH_SLOTS`; any other function larger
//! than rustc's fails the test, and so does the total of the unlisted ones
//! (the total over all is printed: slots can tip it over rustc's). See the table, and
//! the distribution below it (how many are smaller, equal, larger; the
//! ratios), with `cargo test --test sizes -- --nocapture`.

mod common;

use common::Sizes;

/// The differential checks run in tests/differential.rs; here they are only referenced.
macro_rules! case_test {
    () => {
        const _: fn() = check;
    };
}

mod corpus;

/// Functions whose futures are larger than rustc's because of their slots
/// (or of an `async` block the expansion awaits: it stores what it captures
/// beside the future it awaits).
const LARGER_WITH_SLOTS: &[&str] = &[
    "control_flow::let_patterns",
    "control_flow::if_await_in_branches",
    "expressions::scrutinee_temporaries",
    "borrows::read_into_local_buffer",
    "borrows::append_to_local_string",
    "borrows::local_borrows_local",
    "borrows::borrow_of_field",
    "inner::closures_returning_async_blocks",
    "inner::async_closures",
    "drops::slots_interleaved",
    "drops::slots_and_locals_alternating",
    "drops::panic_in_body",
    "drops::slots_left_by_break_and_continue",
    "borrows::closure_mutating_a_stored_local",
    "borrows::borrows_kept_across_awaits",
    "control_flow::match_guards",
    "control_flow::match_guards_on_moved_values",
    // Since the rewrite of the transform (issue 10); the layout work of issue 9 removes the list.
    "control_flow::labeled_break_continue",
    "control_flow::typed_lets",
    "expressions::short_circuit",
    "expressions::statement_temporaries",
    "inner::format_macros",
    // A field read out of a local never used again: a `PartSlot` (it may be a move).
    "control_flow::tail_expressions",
    "control_flow::question_mark_result",
    "moves::consuming_receiver",
    "moves::borrowing_receiver",
    "moves::partial_move_on_some_paths",
    "moves::field_moved_into_the_future",
    "moves::tuple_field_dropped_then_borrowed",
    "moves::moved_into_one_branch",
    "moves::match_moves_field_of_pinned_local",
    "inner::matches_with_await",
    "control_flow::deferred_on_one_path",
    "moves::destructured_in_place",
    // Found by the fuzzer: slots (deferred locals, pins, self-borrows).
    "found_builds::deferred_local_in_a_method_with_pattern_arguments",
    "found_builds::deferred_local_first_given_a_value_after_an_await",
    "found_builds::closure_in_awaiting_guard",
    "found_builds::async_fn_argument_borrowed_by_await",
    "found_builds::mut_reference_to_literal",
    "found_builds::reborrow_awaited_inside_block_operand",
    "found_builds::std_pin_awaited",
    "found_runs::operand_evaluation_order",
    // `select!`/`join!` polled in an `async` block that borrows the locals it names (slots).
    "async_macros::select_handlers_await",
    "async_macros::select_else_and_return",
    "async_macros::select_in_loop",
    "async_macros::select_question_mark",
    "async_macros::joins",
    "async_macros::pinned_locals",
    "second_run_minimized::deferred_local_read_in_let_else_after_await",
    "second_run_minimized::mut_borrow_of_a_literal_in_an_awaited_operand",
    "second_run_minimized::async_fn_argument_beside_a_reference_argument",
    "second_run_minimized::slot_local_assigned_to_itself",
    "second_run_minimized::loop_value_typed_never_in_a_subtraction",
    "second_run_minimized::loop_value_typed_never_in_compound_assignment",
    "second_run_minimized::guard_block_shadowing_an_arm_binding",
    "second_run_minimized::if_let_guard_binding_moved_from_a_temporary",
    "second_run_minimized::operand_drops_before_statement_temporaries",
    "second_run_minimized::slot_and_older_local_end_together",
    "second_run_minimized::lazy_and_left_temporaries_drop_before_right",
    "second_run_minimized::receiver_temporary_in_vec_macro_of_for_head",
    "second_run_minimized::temporary_in_vec_macro_of_let_else_scrutinee",
    "third_run_minimized::guard_let_binding_used_in_its_arm",
    "third_run_minimized::method_awaiting_an_async_fn_argument",
    "third_run_minimized::field_moved_by_a_block_tail_before_an_await",
    "third_run_minimized::matches_macro_on_a_struct_literal",
    "third_run_minimized::receiver_temporaries_in_vec_macro_drop_in_order",
    "third_run_minimized::format_macro_temporaries_end_with_it",
    "third_run_minimized::fn_once_called_inside_format_macro",
    "third_run_minimized::awaited_borrow_inside_format_macro",
    "third_run_minimized::field_consumed_by_a_method_rest_kept",
    "fourth_run_minimized::guard_binding_moved_inside_its_guard",
    "fourth_run_minimized::pin_let_inside_an_opened_assert",
    "final_run::question_mark_in_a_labelled_break",
    "final_run::let_shadowing_an_argument_inside_opaque_macro_tokens",
    "final_run::pin_of_an_awaiting_block_inside_an_opened_assert",
    "moves::moved_into_closure_after_await",
    "sixth_run_minimized::field_consumed_in_a_let_chain_body_after_an_await",
    "sixth_run_minimized::unused_if_let_guard_binding_lives_to_its_arm_end",
    "sixth_run_minimized::scrutinee_temporary_left_by_a_wildcard_arm",
    "found_builds::temporaries_of_nested_scrutinees",
    "third_run_minimized::guard_reads_a_field_of_a_slot_binding",
    "eighth_run_minimized::scrutinee_temporary_kept_by_a_guarded_by_value_arm",
    "eighth_run_minimized::arms_taking_a_scrutinee_kept_by_an_awaiting_guard",
    "ninth_run_minimized::field_of_a_borrowed_slot_local_moved_into_an_awaited_call",
    "ninth_run_minimized::field_moved_into_an_await_then_the_local_assigned",
    "ninth_run_minimized::block_tail_temporaries_drop_before_its_evaluated_operands",
    "tenth_run_minimized::arm_taking_a_scrutinee_another_arm_borrows_awaits_after_taking",
    "tenth_run_minimized::field_moved_on_one_branch_the_local_on_the_other",
    "tenth_run_minimized::temporary_borrowed_inside_format_in_a_pinned_let",
    "tenth_run_minimized::rest_of_a_let_pattern_drops_before_the_statement_temporaries",
    "eleventh_run_minimized::let_underscore_of_an_awaited_await_in_a_struct_field_block",
    "eleventh_run_minimized::tuple_field_moved_then_the_local_reassigned_across_an_await",
    "eleventh_run_minimized::borrowed_block_value_with_an_awaiting_let_ends_with_its_statement",
    "eleventh_run_minimized::borrowed_block_with_an_awaiting_if_ends_with_its_statement",
    "eleventh_run_minimized::local_from_a_loop_break_value_partly_moved",
    "eleventh_run_minimized::let_underscore_value_drops_before_its_temporaries",
    "twelfth_run_minimized::receiver_of_a_tail_drops_after_the_temporaries_of_its_argument",
    "twelfth_run_minimized::tail_call_operands_and_temporaries_drop_newest_first",
    "twelfth_run_minimized::statement_call_operands_drop_before_its_temporaries",
    "twelfth_run_minimized::tail_struct_fields_and_temporaries_drop_newest_first",
    "twelfth_run_minimized::nested_operands_of_a_tail_drop_before_its_temporaries",
    "twelfth_run_minimized::nested_operands_of_a_statement_drop_before_its_temporaries",
    "thirteenth_run_minimized::consumed_in_a_loop_after_a_read_of_the_last_turn",
    "thirteenth_run_minimized::let_chain_binding_part_of_an_awaited_block_value",
    "thirteenth_run_minimized::local_from_an_awaiting_loop_break_value_partly_moved",
    "thirteenth_run_minimized::panic_ending_an_awaiting_let_else_block",
    "thirteenth_run_minimized::awaiting_if_let_guard_temporary_lives_to_the_end_of_its_arm",
    "thirteenth_run_minimized::if_let_guard_binding_drops_before_its_temporaries",
    "thirteenth_run_minimized::scrutinee_of_a_match_in_a_scrutinee_ends_with_its_statement",
    "thirteenth_run_minimized::if_let_guard_temporary_lives_across_its_arms_await",
    "fourteenth_run_minimized::if_let_guard_with_an_awaiting_scrutinee_and_a_temporary",
    "fourteenth_run_minimized::if_let_guard_after_an_awaiting_guard_keeps_its_temporary",
    "fourteenth_run_minimized::awaiting_if_let_guard_on_an_arm_with_a_ref_binding",
    "fourteenth_run_minimized::if_let_guard_temporary_across_an_awaiting_if_let_in_its_arm",
    "fifteenth_run_minimized::let_chain_guard_with_an_await_and_a_temporary",
    "sixteenth_run_minimized::discarded_match_value_before_scrutinee_temporaries",
    "sixteenth_run_minimized::discarded_match_value_with_an_if_let_guard",
    "sixteenth_run_minimized::place_compared_before_a_consuming_method",
    "sixteenth_run_minimized::guard_let_binding_kept_in_a_slot_read_by_the_guard",
    "sixteenth_run_minimized::arm_body_temporaries_before_the_operands_around_the_match",
    "seventeenth_run_minimized::index_evaluated_before_an_extended_temporarys_temporaries",
    "seventeenth_run_minimized::move_block_writing_and_reading_one_field",
    "borrows::last_use_by_a_setter",
    "async_macros::select_moves_a_future_argument",
    "seventeenth_run_minimized::guard_temporary_moved_out_by_the_guard",
    "seventeenth_run_minimized::guard_temporary_moved_out_in_a_loop",
    "seventeenth_run_minimized::guard_temporary_dropped_before_the_scrutinee",
    "eighteenth_run_minimized::block_value_made_from_its_own_local",
    "eighteenth_run_minimized::pinned_awaited_value_in_an_assertion_message",
    "eighteenth_run_minimized::let_chain_guard_temporary_lives_to_its_arms_end",
    "eighteenth_run_minimized::let_chain_guard_with_a_condition_first",
    "eighteenth_run_minimized::let_chain_guard_second_let_making_temporaries",
    "eighteenth_run_minimized::oneshot_sender_in_a_slot_sent_on",
    "eighteenth_run_minimized::local_pinned_by_name",
    "eighteenth_run_minimized::place_compared_before_a_write_in_an_operand",
    "eighteenth_run_minimized::guard_binding_of_a_kept_scrutinee_drops_first",
    "eighteenth_run_minimized::fn_once_closure_consuming_a_captured_argument",
    "eighteenth_run_minimized::mut_local_method_at_its_last_use_borrows",
    "nineteenth_run_minimized::if_let_that_matches_takes_its_local",
    "nineteenth_run_minimized::matches_reading_a_field_after_another_field_moved",
    "nineteenth_run_minimized::guard_binding_moved_by_the_next_let_of_its_chain",
    // The guard's carried binding and temporary, and what is left of `t15`
    // (a `PartSlot` with its drop function), each a slot of its own.
    "nineteenth_run_minimized::part_of_a_value_made_by_a_match_with_an_awaiting_guard",
    // The receiver a borrowing method's future holds: a slot (with its flag)
    // where rustc keeps the local in place.
    "deadpool::qualified_getter_borrows_its_receiver",
    "deadpool::method_seen_to_borrow_earlier_borrows_at_the_last_use",
    // `customizer.on_acquire(count).await`: `on_acquire` reads as `acquire`,
    // which borrows, so the `&dyn` binding is kept in a slot; it is `Copy`,
    // and taking it as consumed (moved into the future) was smaller.
    "methods::on_acquire",
    // A guard a future borrows, and the locals older than it, in slots.
    "deadpool::guard_consumed_after_the_last_await",
    "deadpool::guard_borrowed_after_the_last_await",
    "deadpool::guard_consumed_on_one_path",
    "deadpool::fn_once_closure_called_after_the_last_await",
    "deadpool::guard_still_borrowed_after_the_last_await",
    "deadpool::released_guard_dropped_while_a_panic_unwinds",
    "deadpool::return_inside_a_statement_with_a_kept_temporary",
    "deadpool::guards_consumed_after_a_loop_that_joins",
    "async_lock::closure_returning_an_async_block_that_takes_a_slot_local",
    // `pp17`, partly moved by a pattern: a `PartSlot` with its flags.
    "twentieth_run_minimized::partial_destructure_in_a_block_of_an_awaited_operand",
    // `d`, borrowed by a future, and the locals older than it, in slots.
    "twentieth_run_minimized::ref_binding_read_by_a_method_in_an_async_block_made_move",
    // The guard's carried binding, and the scrutinee `d14` borrows, in slots.
    "twentieth_run_minimized::guard_temporary_moved_by_a_nested_match_of_the_chain",
    // `self`, borrowed by the awaited future, and `s7` older than it, in slots.
    "twentieth_run_minimized::async_block_writing_with_the_write_macro",
    // `n1`, which the awaited `peek` borrows, in a slot, beside the block.
    "twentieth_run_minimized::async_block_made_move_reading_a_field_left_by_a_move",
    // `lk`, whose field the awaited `peek` borrows, and `pp` it borrows, in slots.
    "twenty_first_run_minimized::field_written_after_a_method_named_like_a_consuming_one",
    // `lk`, which `r` borrows across the await, and `pp` it borrows, in slots.
    "twenty_first_run_minimized::borrower_read_after_a_method_named_like_a_consuming_one",
    // `d3`, which the awaited `peek` borrows, in a slot.
    "twenty_first_run_minimized::copy_of_a_field_read_after_a_consuming_call",
    // The `async` block that awaits the chain keeps `first`, which it
    // captures, beside the future `first` was moved into.
    "async_executor::chain_of_combinators_on_a_local_future",
    // `d`, `g` and `k`, which the `async` block awaiting the borrowed array
    // may borrow, in slots.
    "tokio_postgres::array_borrowed_where_a_slice_of_trait_objects_is_expected",
    // The statement's temporaries (the arrays, the borrows of their slices),
    // which the awaited future may borrow, in slots.
    "tokio_postgres::slice_of_a_temporary_array_borrowed_in_an_awaited_operand",
    // `d` and `k`, which the `async` block awaiting the borrowed array may
    // borrow, in slots.
    "tokio_postgres::array_of_borrowed_constants_and_vectors_where_trait_objects_are_expected",
    // `client`, which `first` borrows, in a slot; the `async move` block
    // that awaits `join!` keeps `first` and `second`, which it captures,
    // beside the futures the macro moves them into.
    "tokio_postgres::futures_in_locals_joined",
    // `d` and `k`, which the `async` block awaiting the borrowed array may
    // borrow, in slots.
    "tokio_postgres::array_of_borrowed_slices_where_trait_objects_are_expected",
    // The arrays the awaited futures borrow, and `n` beside the second, in slots.
    "twenty_second_run_minimized::element_of_a_constant_array_borrowed_mutably_by_an_awaited_operand",
    // The guard's carried binding, the scrutinee it is matched with and the
    // value whose field that is, in slots.
    "twenty_second_run_minimized::guard_binding_read_where_regions_would_go_on_alone",
    // `time`, which the awaited `peek` borrows, in a slot with its flag.
    "tokio::local_named_like_a_module_a_macro_path_names",
    // `lock`, which the awaited `read` borrows and the guard it returns keeps
    // borrowing, in a slot with its flag.
    "tokio::guard_an_await_returns_borrows_what_its_future_borrowed",
    // `d`, a field of which the `move` closure takes before the await, in a
    // slot that drops the rest (with a flag per field).
    "tokio::move_closure_copies_a_field_an_assertion_names",
    // `maybe`, which the awaited `peek` borrows through the arm's binding,
    // in a slot with its flag.
    "moka::binding_of_a_borrowed_scrutinee_passed_to_an_awaited_call",
    // The guards' carried bindings (`d9`, `n27`), the awaited guard's
    // value and the scrutinee they are matched against, in slots.
    "moka::if_let_guard_binding_borrowed_again_in_its_guard_drops_with_the_arm",
];

#[test]
fn ours_is_not_larger_than_rustc() {
    let cases = corpus::all();
    let width = cases.iter().map(|case| case.name.len()).max().unwrap_or(0);
    println!("{:<width$}  {:>6}  {:>6}", "function", "ours", "rustc");
    let mut larger = Vec::new();
    let (mut total_ours, mut total_native) = (0, 0);
    let (mut unlisted_ours, mut unlisted_native) = (0, 0);
    let mut all = Vec::new();
    for case in &cases {
        let sizes = (case.sizes)();
        all.push((case.name, sizes));
        let mark = if sizes.ours > sizes.native {
            "  <-- larger"
        } else {
            ""
        };
        println!(
            "{:<width$}  {:>6}  {:>6}{mark}",
            case.name, sizes.ours, sizes.native
        );
        total_ours += sizes.ours;
        total_native += sizes.native;
        if !LARGER_WITH_SLOTS.contains(&case.name) {
            unlisted_ours += sizes.ours;
            unlisted_native += sizes.native;
        }
        if sizes.ours > sizes.native && !LARGER_WITH_SLOTS.contains(&case.name) {
            larger.push(format!(
                "{} ({} > {} bytes)",
                case.name, sizes.ours, sizes.native
            ));
        }
    }
    println!("{:<width$}  {total_ours:>6}  {total_native:>6}", "total");
    println!("\n{}", distribution(&all));
    assert!(
        unlisted_ours <= unlisted_native,
        "the futures of the functions without slots total {unlisted_ours} bytes, rustc's {unlisted_native}"
    );
    assert!(
        larger.is_empty(),
        "{} of {} futures are larger than rustc's: {}",
        larger.len(),
        cases.len(),
        larger.join(", ")
    );
}

/// How the sizes compare over `sizes`: how many of ours are smaller than,
/// as large as, and larger than rustc's, and the ratios ours / rustc
/// (the worst, the median, the best).
fn distribution(sizes: &[(&str, Sizes)]) -> String {
    let count = |keep: fn(&Sizes) -> bool| sizes.iter().filter(|(_, s)| keep(s)).count();
    let mut ratios: Vec<(f64, &str, Sizes)> = sizes
        .iter()
        .map(|&(name, s)| (s.ours as f64 / s.native.max(1) as f64, name, s))
        .collect();
    ratios.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let mut out = format!(
        "over {} functions: {} smaller than rustc's, {} equal, {} larger",
        sizes.len(),
        count(|s| s.ours < s.native),
        count(|s| s.ours == s.native),
        count(|s| s.ours > s.native),
    );
    let describe = |(ratio, name, s): &(f64, &str, Sizes)| {
        format!("{ratio:.2} ({name}, {} against {} bytes)", s.ours, s.native)
    };
    if let (Some(worst), Some(best)) = (ratios.first(), ratios.last()) {
        out.push_str(&format!(
            "\nours / rustc: worst {}, median {:.2}, best {}",
            describe(worst),
            ratios[ratios.len() / 2].0,
            describe(best)
        ));
    }
    out
}

#[test]
fn the_distribution_counts_each_side_and_names_the_worst() {
    let sizes = [
        (
            "a",
            Sizes {
                ours: 8,
                native: 16,
            },
        ),
        (
            "b",
            Sizes {
                ours: 16,
                native: 16,
            },
        ),
        (
            "c",
            Sizes {
                ours: 24,
                native: 16,
            },
        ),
    ];
    assert_eq!(
        distribution(&sizes),
        "over 3 functions: 1 smaller than rustc's, 1 equal, 1 larger\n\
         ours / rustc: worst 1.50 (c, 24 against 16 bytes), median 1.00, best 0.50 (a, 8 against 16 bytes)"
    );
}
