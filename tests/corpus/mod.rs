//! The differential corpus: every body is written once and compiled twice,
//! as rustc's `async fn` (`<case>::native::<fn>`) and as
//! `#[explicit_async] async fn` (`<case>::ours::<fn>`).
//!
//! Shared by `tests/differential.rs` and `tests/sizes.rs`. Each case module
//! has `check()` (the differential run), `sizes()` (both futures' sizes)
//! and invokes `case_test!()`, which the including test crate defines: the
//! differential crate turns it into a `#[test]`, the sizes crate into nothing.

/// One function (or method set) of the corpus, for the sizes table.
pub struct Case {
    pub name: &'static str,
    // Read by tests/sizes.rs only.
    #[allow(dead_code)]
    pub sizes: fn() -> crate::common::Sizes,
}

/// Writes one `async fn` twice: `native` as written, `ours` under
/// `#[explicit_async]`, each in its own module so both keep the fn's name
/// (and the expansion's enum is named after it).
///
/// ```ignore
/// twin! {
///     compare: (1, 2), (3, 4);          // or `compare_panic:`; the calls to check
///     pub async fn add(a: u32, b: u32) -> u32 { a + val("b", 1, b).await }
/// }
/// ```
/// `sizes()` uses the first call. The fn must be visible to its case module
/// (`pub` or `pub(super)`): the expansion must keep the visibility.
macro_rules! twin {
    (
        $check:ident: ($($arg0:expr),* $(,)?) $(, ($($arg:expr),* $(,)?))* ;
        $(#[$attr:meta])*
        $vis:vis async fn $name:ident $($sig_and_body:tt)*
    ) => {
        pub mod $name {
            #[allow(unused_imports)]
            use super::*;

            pub mod native {
                #[allow(unused_imports)]
                use super::super::*;
                $(#[$attr])*
                $vis async fn $name $($sig_and_body)*
            }

            pub mod ours {
                #[allow(unused_imports)]
                use super::super::*;
                #[explicit_async::explicit_async]
                $(#[$attr])*
                $vis async fn $name $($sig_and_body)*
            }

            pub fn check() {
                $crate::common::$check(
                    concat!(stringify!($name), stringify!(($($arg0),*))),
                    || native::$name($($arg0),*),
                    || ours::$name($($arg0),*),
                );
                $(
                    $crate::common::$check(
                        concat!(stringify!($name), stringify!(($($arg),*))),
                        || native::$name($($arg),*),
                        || ours::$name($($arg),*),
                    );
                )*
            }

            pub fn sizes() -> $crate::common::Sizes {
                $crate::common::sizes(|| native::$name($($arg0),*), || ours::$name($($arg0),*))
            }

            case_test!();
        }
    };
    // `async unsafe fn`: the same, with the calls in `unsafe` blocks.
    (
        $check:ident: ($($arg0:expr),* $(,)?) $(, ($($arg:expr),* $(,)?))* ;
        $(#[$attr:meta])*
        $vis:vis async unsafe fn $name:ident $($sig_and_body:tt)*
    ) => {
        pub mod $name {
            #[allow(unused_imports)]
            use super::*;

            pub mod native {
                #[allow(unused_imports)]
                use super::super::*;
                $(#[$attr])*
                $vis async unsafe fn $name $($sig_and_body)*
            }

            pub mod ours {
                #[allow(unused_imports)]
                use super::super::*;
                #[explicit_async::explicit_async]
                $(#[$attr])*
                $vis async unsafe fn $name $($sig_and_body)*
            }

            // SAFETY (all calls below): the corpus passes only arguments the fn's contract allows.
            pub fn check() {
                $crate::common::$check(
                    concat!(stringify!($name), stringify!(($($arg0),*))),
                    || unsafe { native::$name($($arg0),*) },
                    || unsafe { ours::$name($($arg0),*) },
                );
                $(
                    $crate::common::$check(
                        concat!(stringify!($name), stringify!(($($arg),*))),
                        || unsafe { native::$name($($arg),*) },
                        || unsafe { ours::$name($($arg),*) },
                    );
                )*
            }

            pub fn sizes() -> $crate::common::Sizes {
                $crate::common::sizes(
                    || unsafe { native::$name($($arg0),*) },
                    || unsafe { ours::$name($($arg0),*) },
                )
            }

            case_test!();
        }
    };
}

/// `case!(module::case)` for [`all`].
macro_rules! case {
    ($group:ident :: $case:ident) => {
        Case {
            name: concat!(stringify!($group), "::", stringify!($case)),
            sizes: $group::$case::sizes,
        }
    };
}

// Every case module is listed in `all()`: one missing leaves its `sizes` unused, a warning.
pub mod async_macros;
pub mod borrows;
pub mod control_flow;
pub mod drops;
pub mod expressions;
pub mod found;
pub mod inner;
pub mod methods;
pub mod moves;
pub mod signatures;

/// Every case, in corpus order.
pub fn all() -> Vec<Case> {
    use found::eighth_run_minimized;
    use found::eleventh_run_minimized;
    use found::fifteenth_run_minimized;
    use found::final_run;
    use found::first_run_builds as found_builds;
    use found::first_run_runs as found_runs;
    use found::fourteenth_run_minimized;
    use found::fourth_run_minimized;
    use found::ninth_run_minimized;
    use found::second_run;
    use found::second_run_minimized;
    use found::seventh_run_minimized;
    use found::sixth_run_minimized;
    use found::tenth_run_minimized;
    use found::third_run_minimized;
    use found::thirteenth_run_minimized;
    use found::twelfth_run_minimized;
    vec![
        case!(found_builds::temporaries_of_nested_scrutinees),
        case!(found_builds::ref_mut_argument_borrowed),
        case!(found_builds::partial_destructuring_argument),
        case!(found_builds::deferred_local_in_a_method_with_pattern_arguments),
        case!(found_builds::deferred_local_first_given_a_value_after_an_await),
        case!(found_builds::let_chain_inside_vec_macro),
        case!(found_builds::consuming_receiver_inside_vec_macro),
        case!(found_builds::closure_in_awaiting_guard),
        case!(found_builds::async_fn_argument_borrowed_by_await),
        case!(found_builds::mut_reference_to_literal),
        case!(found_builds::question_mark_inside_vec_macro),
        case!(found_builds::ref_mut_binding_of_temporary),
        case!(found_builds::reborrow_awaited_inside_block_operand),
        case!(found_builds::std_pin_awaited),
        case!(found_builds::fn_once_called_on_one_branch),
        case!(found_runs::field_of_temporary_tuple_in_operand),
        case!(found_runs::pattern_argument_drop_order),
        case!(found_runs::struct_literal_operand_moved_before_await),
        case!(found_runs::assert_message_evaluated_lazily),
        case!(found_runs::scrutinee_temporary_lives_to_statement_end),
        case!(found_runs::assert_message_with_question_mark),
        case!(found_runs::reference_to_field_of_temporary),
        case!(found_runs::operand_evaluation_order),
        case!(second_run::deferred_local_not_assigned_after_resume),
        case!(second_run::deferred_slot_read_in_a_later_arm),
        case!(second_run::block_tail_under_a_borrow_moves),
        case!(second_run::await_output_borrowed_mutably),
        case!(second_run::loop_left_only_after_an_await),
        case!(second_run_minimized::moved_by_a_block_tail_under_a_borrow),
        case!(second_run_minimized::deferred_local_read_in_let_else_after_await),
        case!(second_run_minimized::mut_borrow_of_a_literal_in_an_awaited_operand),
        case!(second_run_minimized::fn_once_called_in_a_borrowed_temporary),
        case!(second_run_minimized::await_output_borrowed_mutably_in_assignment),
        case!(second_run_minimized::deferred_local_assigned_only_in_a_later_arm),
        case!(second_run_minimized::guard_binding_inside_vec_macro),
        case!(second_run_minimized::async_fn_argument_beside_a_reference_argument),
        case!(second_run_minimized::slot_local_assigned_to_itself),
        case!(second_run_minimized::loop_value_typed_never_in_a_subtraction),
        case!(second_run_minimized::loop_value_typed_never_in_compound_assignment),
        case!(second_run_minimized::reference_local_moved_into_a_move_closure),
        case!(second_run_minimized::if_let_guard_binding_borrowed_across_await),
        case!(second_run_minimized::guard_block_shadowing_an_arm_binding),
        case!(second_run_minimized::if_let_guard_binding_moved_from_a_temporary),
        case!(second_run_minimized::method_assigning_a_field_of_mut_self),
        case!(second_run_minimized::operand_drops_before_statement_temporaries),
        case!(second_run_minimized::slot_and_older_local_end_together),
        case!(second_run_minimized::lazy_and_condition_temporaries_in_panic_message),
        case!(second_run_minimized::temporary_in_vec_macro_outlives_await),
        case!(second_run_minimized::lazy_and_left_temporaries_drop_before_right),
        case!(second_run_minimized::receiver_temporary_in_vec_macro_of_for_head),
        case!(second_run_minimized::temporary_in_vec_macro_of_let_else_scrutinee),
        case!(third_run_minimized::guard_let_binding_used_in_its_arm),
        case!(third_run_minimized::argument_moved_into_a_pinned_async_block),
        case!(third_run_minimized::mut_borrow_of_a_block_value_in_a_method),
        case!(third_run_minimized::method_awaiting_an_async_fn_argument),
        case!(third_run_minimized::field_of_self_ignored_in_a_guard),
        case!(third_run_minimized::field_moved_by_a_block_tail_before_an_await),
        case!(third_run_minimized::matches_macro_on_a_struct_literal),
        case!(third_run_minimized::guard_reads_a_field_of_a_slot_binding),
        case!(third_run_minimized::by_value_method_awaiting_an_async_fn_argument),
        case!(third_run_minimized::reference_argument_moved_into_an_async_block_macro),
        case!(third_run_minimized::mut_self_field_assigned_and_not_read),
        case!(third_run_minimized::mut_self_field_assigned_beside_a_deferred_local),
        case!(third_run_minimized::receiver_temporaries_in_vec_macro_drop_in_order),
        case!(third_run_minimized::method_with_ref_mut_pattern_argument_drop_order),
        case!(third_run_minimized::format_macro_temporaries_end_with_it),
        case!(third_run_minimized::nested_if_conditions_with_a_move_block),
        case!(third_run_minimized::fn_once_called_inside_format_macro),
        case!(third_run_minimized::awaited_borrow_inside_format_macro),
        case!(third_run_minimized::field_consumed_by_a_method_rest_kept),
        case!(third_run_minimized::move_closure_mutating_a_mut_argument),
        case!(third_run_minimized::pin_macro_with_an_await_inside),
        case!(fourth_run_minimized::mut_borrow_of_a_match_value),
        case!(fourth_run_minimized::ref_mut_argument_moved_into_a_move_closure),
        case!(fourth_run_minimized::guard_binding_moved_inside_its_guard),
        case!(sixth_run_minimized::field_consumed_in_a_let_chain_body_after_an_await),
        case!(sixth_run_minimized::field_of_self_moved_in_an_arm_that_awaits),
        case!(sixth_run_minimized::non_move_closure_reading_a_field_of_a_slot_local),
        case!(sixth_run_minimized::unused_if_let_guard_binding_lives_to_its_arm_end),
        case!(sixth_run_minimized::lazy_and_left_temporaries_inside_an_awaited_operand),
        case!(sixth_run_minimized::rest_of_a_struct_temporary_bound_with_dot_dot),
        case!(sixth_run_minimized::scrutinee_temporary_left_by_a_wildcard_arm),
        case!(sixth_run_minimized::argument_in_a_scrutinee_temporary_left_by_a_wildcard_arm),
        case!(seventh_run_minimized::statement_temporaries_after_a_question_mark_in_vec_macro),
        case!(seventh_run_minimized::async_block_mutating_an_argument_read_after_it),
        case!(seventh_run_minimized::async_block_awaited_after_an_if_whose_branches_await),
        case!(seventh_run_minimized::kept_scrutinee_temporary_taken_by_a_by_value_arm),
        case!(seventh_run_minimized::kept_local_taken_by_a_by_value_arm),
        case!(eighth_run_minimized::move_closure_taking_a_local_and_reading_its_field),
        case!(eighth_run_minimized::block_tail_moving_a_field_of_self_then_an_async_block_reading_another),
        case!(eighth_run_minimized::ref_mut_binding_moved_into_an_async_move_block_in_one_arm),
        case!(eighth_run_minimized::let_else_value_drops_before_its_temporaries),
        case!(eighth_run_minimized::consumed_receiver_moved_before_the_await_in_its_argument),
        case!(eighth_run_minimized::scrutinee_temporary_kept_by_a_guarded_by_value_arm),
        case!(eighth_run_minimized::arms_taking_a_scrutinee_kept_by_an_awaiting_guard),
        case!(ninth_run_minimized::field_of_a_borrowed_slot_local_moved_into_an_awaited_call),
        case!(ninth_run_minimized::closure_calling_an_fn_once_argument_called_in_an_awaited_operand),
        case!(ninth_run_minimized::field_moved_into_an_await_then_the_local_assigned),
        case!(ninth_run_minimized::move_closure_mutating_a_field_of_mut_self_it_takes),
        case!(ninth_run_minimized::guarded_arm_taking_a_scrutinee_temporary_of_a_condition),
        case!(ninth_run_minimized::block_tail_temporaries_drop_before_its_evaluated_operands),
        case!(ninth_run_minimized::arms_taking_a_scrutinee_kept_by_a_ref_arm_and_left_by_a_wildcard),
        case!(tenth_run_minimized::struct_temporary_of_a_let_underscore_in_a_loop_drops_after_the_value),
        case!(tenth_run_minimized::arm_taking_a_scrutinee_another_arm_borrows_awaits_after_taking),
        case!(tenth_run_minimized::field_compared_before_an_await_moving_its_local),
        case!(tenth_run_minimized::field_moved_on_one_branch_the_local_on_the_other),
        case!(tenth_run_minimized::temporary_borrowed_inside_format_in_a_pinned_let),
        case!(tenth_run_minimized::rest_of_a_let_pattern_drops_before_the_statement_temporaries),
        case!(eleventh_run_minimized::local_called_around_an_awaiting_if_is_borrowed),
        case!(eleventh_run_minimized::let_underscore_of_an_awaited_await_in_a_struct_field_block),
        case!(eleventh_run_minimized::tuple_field_moved_then_the_local_reassigned_across_an_await),
        case!(eleventh_run_minimized::write_target_shadowed_inside_an_awaiting_argument),
        case!(eleventh_run_minimized::pinned_future_borrowing_an_awaiting_block_value),
        case!(eleventh_run_minimized::borrowed_block_value_with_an_awaiting_let_ends_with_its_statement),
        case!(eleventh_run_minimized::borrowed_block_of_an_await_ends_with_its_statement),
        case!(eleventh_run_minimized::borrowed_block_with_an_awaiting_if_ends_with_its_statement),
        case!(eleventh_run_minimized::local_callee_of_an_awaiting_call_is_borrowed),
        case!(eleventh_run_minimized::async_block_made_move_reborrows_a_mut_reference),
        case!(eleventh_run_minimized::async_block_made_move_borrows_a_ref_mut_binding),
        case!(eleventh_run_minimized::local_from_a_loop_break_value_partly_moved),
        case!(eleventh_run_minimized::tail_operands_drop_before_a_field_read_temporary),
        case!(eleventh_run_minimized::let_underscore_value_drops_before_its_temporaries),
        case!(eleventh_run_minimized::borrowed_parenthesized_if_value_ends_with_its_statement),
        case!(eleventh_run_minimized::receiver_used_again_was_not_consumed),
        case!(twelfth_run_minimized::fnonce_called_only_in_an_assert_message),
        case!(twelfth_run_minimized::receiver_of_a_tail_drops_after_the_temporaries_of_its_argument),
        case!(twelfth_run_minimized::tail_call_operands_and_temporaries_drop_newest_first),
        case!(twelfth_run_minimized::statement_call_operands_drop_before_its_temporaries),
        case!(twelfth_run_minimized::tail_struct_fields_and_temporaries_drop_newest_first),
        case!(twelfth_run_minimized::nested_operands_of_a_tail_drop_before_its_temporaries),
        case!(twelfth_run_minimized::nested_operands_of_a_statement_drop_before_its_temporaries),
        case!(thirteenth_run_minimized::awaiting_assert_message_in_a_let_else_block),
        case!(thirteenth_run_minimized::consumed_in_a_loop_after_a_read_of_the_last_turn),
        case!(thirteenth_run_minimized::let_chain_binding_part_of_an_awaited_block_value),
        case!(thirteenth_run_minimized::local_from_an_awaiting_loop_break_value_partly_moved),
        case!(thirteenth_run_minimized::panic_ending_an_awaiting_let_else_block),
        case!(thirteenth_run_minimized::place_compared_before_an_await_that_borrows_it_mut),
        case!(thirteenth_run_minimized::awaiting_if_let_guard_temporary_lives_to_the_end_of_its_arm),
        case!(thirteenth_run_minimized::if_let_guard_binding_drops_before_its_temporaries),
        case!(thirteenth_run_minimized::scrutinee_of_a_match_in_a_scrutinee_ends_with_its_statement),
        case!(thirteenth_run_minimized::if_let_guard_temporary_lives_across_its_arms_await),
        case!(thirteenth_run_minimized::field_moved_in_an_assert_message_that_never_runs),
        case!(fourteenth_run_minimized::if_let_guard_with_an_awaiting_scrutinee_and_a_temporary),
        case!(fourteenth_run_minimized::if_condition_temporaries_drop_before_the_fields_around_it),
        case!(fourteenth_run_minimized::if_let_guard_after_an_awaiting_guard_keeps_its_temporary),
        case!(fourteenth_run_minimized::awaiting_if_let_guard_on_an_arm_with_a_ref_binding),
        case!(fourteenth_run_minimized::if_let_guard_temporary_across_an_awaiting_if_let_in_its_arm),
        case!(fifteenth_run_minimized::array_value_borrowed_mut_through_an_awaiting_index),
        case!(fifteenth_run_minimized::place_compared_before_a_move_inside_a_borrowed_await),
        case!(fifteenth_run_minimized::let_chain_guard_with_an_await_and_a_temporary),
        case!(fourth_run_minimized::method_borrowing_an_impl_trait_argument),
        case!(fourth_run_minimized::struct_field_init_in_matches_macro),
        case!(fourth_run_minimized::pin_let_inside_an_opened_assert),
        case!(fourth_run_minimized::format_macro_temporaries_before_a_later_await),
        case!(final_run::question_mark_in_a_labelled_break),
        case!(final_run::let_shadowing_an_argument_inside_opaque_macro_tokens),
        case!(final_run::pin_of_an_awaiting_block_inside_an_opened_assert),
        case!(final_run::fn_once_called_inside_matches),
        case!(final_run::field_of_self_moved_into_an_async_move_block),
        case!(signatures::no_args),
        case!(signatures::ref_mut_argument),
        case!(signatures::unit_return),
        case!(signatures::args_by_value),
        case!(signatures::unused_args),
        case!(signatures::generic_bounds),
        case!(signatures::where_clause),
        case!(signatures::lifetimes),
        case!(signatures::elided_lifetime),
        case!(signatures::impl_trait_args),
        case!(signatures::impl_future_arg),
        case!(signatures::pattern_args),
        case!(signatures::mut_args),
        case!(signatures::unsafe_fn),
        case!(signatures::attributes_kept),
        case!(signatures::recursion),
        case!(signatures::into_future_operands),
        case!(signatures::items_in_body),
        case!(signatures::named_like_fn),
        case!(signatures::impl_trait_return),
        case!(signatures::traced),
        case!(methods::by_ref),
        case!(methods::returns_borrow),
        case!(methods::by_mut),
        case!(methods::instrumented),
        case!(methods::by_value),
        case!(methods::by_mut_value),
        case!(methods::trait_impl),
        case!(methods::generic_method),
        case!(methods::generic_method_default),
        case!(control_flow::let_patterns),
        case!(control_flow::deferred_on_one_path),
        case!(control_flow::let_else),
        case!(control_flow::expression_statements),
        case!(control_flow::tail_expressions),
        case!(control_flow::if_await_in_condition),
        case!(control_flow::if_await_in_branches),
        case!(control_flow::match_scrutinee),
        case!(control_flow::match_arms),
        case!(control_flow::match_guards),
        case!(control_flow::match_guards_on_moved_values),
        case!(control_flow::await_in_let_chain),
        case!(control_flow::await_in_match_guard),
        case!(control_flow::loop_break_value),
        case!(control_flow::while_loop),
        case!(control_flow::while_let),
        case!(control_flow::for_loop),
        case!(control_flow::labeled_break_continue),
        case!(control_flow::early_return),
        case!(control_flow::question_mark_result),
        case!(control_flow::question_mark_option),
        case!(control_flow::nested_blocks),
        case!(control_flow::shadowing),
        case!(control_flow::drain),
        case!(control_flow::break_and_return_with_await),
        case!(control_flow::labeled_block),
        case!(control_flow::typed_lets),
        case!(expressions::binary_operands),
        case!(expressions::call_arguments),
        case!(expressions::method_on_result),
        case!(expressions::method_chains),
        case!(expressions::struct_tuple_array_literals),
        case!(expressions::await_in_await_operand),
        case!(expressions::index_unary_cast),
        case!(expressions::short_circuit),
        case!(expressions::await_left_of_lazy_operators),
        case!(expressions::assignments),
        case!(expressions::statement_temporaries),
        case!(expressions::scrutinee_temporaries),
        case!(expressions::if_let_temporaries),
        case!(borrows::read_into_local_buffer),
        case!(borrows::read_borrowing_argument),
        case!(borrows::append_to_local_string),
        case!(borrows::local_borrows_local),
        case!(borrows::borrow_of_argument),
        case!(borrows::borrow_of_field),
        case!(borrows::mutable_borrow_across_await),
        case!(borrows::closure_borrowing_local),
        case!(borrows::match_binding_borrow),
        case!(borrows::reborrow_after_mutation),
        case!(borrows::closure_mutating_a_stored_local),
        case!(borrows::borrows_kept_across_awaits),
        case!(inner::closures_returning_async_blocks),
        case!(inner::inner_async_blocks),
        case!(inner::async_closures),
        case!(inner::format_macros),
        case!(inner::matches_with_await),
        case!(inner::assert_macros),
        case!(inner::vec_macro),
        case!(drops::arguments_and_locals),
        case!(drops::slots_interleaved),
        case!(drops::slots_and_locals_alternating),
        case!(drops::moved_before_await),
        case!(drops::moved_on_some_paths),
        case!(moves::consuming_receiver),
        case!(moves::borrowing_receiver),
        case!(moves::partial_move_on_some_paths),
        case!(moves::field_moved_into_the_future),
        case!(moves::tuple_field_dropped_then_borrowed),
        case!(moves::moved_into_closure_after_await),
        case!(moves::fn_once_callee),
        case!(moves::moved_into_one_branch),
        case!(moves::match_moves_field_of_pinned_local),
        case!(moves::destructured_in_place),
        case!(moves::option_taken_by_match),
        case!(async_macros::select_handlers_await),
        case!(async_macros::select_else_and_return),
        case!(async_macros::select_in_loop),
        case!(async_macros::select_question_mark),
        case!(async_macros::joins),
        case!(async_macros::pinned_locals),
        case!(drops::loop_scopes),
        case!(drops::panic_in_leaf),
        case!(drops::panic_in_body),
        case!(drops::slots_left_by_break_and_continue),
    ]
}
