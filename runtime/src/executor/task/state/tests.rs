//! The state word's transitions, one by one.

use super::*;

fn state_with(refs: usize, flags: usize) -> State {
    State {
        word: AtomicUsize::new((refs * REF_ONE) | flags),
    }
}

#[test]
fn new_task_has_three_references_and_is_notified() {
    let s = State::new().load();
    assert_eq!(s.ref_count(), 3);
    assert!(s.is_notified() && s.is_join_interested() && s.is_idle());
    assert!(!s.is_cancelled() && !s.is_join_waker_set());
}

#[test]
fn running_an_idle_notified_task_claims_it() {
    let state = State::new();
    assert_eq!(state.transition_to_running(), TransitionToRunning::Success);
    let s = state.load();
    assert!(s.is_running() && !s.is_notified());
    assert_eq!(
        s.ref_count(),
        3,
        "the Notified reference becomes the running reference"
    );
}

#[test]
fn running_a_cancelled_task_reports_cancelled() {
    let state = state_with(2, NOTIFIED | CANCELLED);
    assert_eq!(
        state.transition_to_running(),
        TransitionToRunning::Cancelled
    );
    assert!(state.load().is_running());
}

#[test]
fn running_a_running_or_complete_task_fails_and_releases_the_reference() {
    let state = state_with(2, NOTIFIED | RUNNING);
    assert_eq!(state.transition_to_running(), TransitionToRunning::Failed);
    assert_eq!(state.load().ref_count(), 1);
    let state = state_with(1, NOTIFIED | COMPLETE);
    assert_eq!(state.transition_to_running(), TransitionToRunning::Dealloc);
    assert_eq!(state.load().ref_count(), 0);
}

#[test]
fn idling_releases_the_running_reference_unless_notified() {
    let state = state_with(2, RUNNING);
    assert_eq!(state.transition_to_idle(), TransitionToIdle::Ok);
    assert_eq!(state.load().ref_count(), 1);
    assert!(state.load().is_idle());

    let state = state_with(2, RUNNING | NOTIFIED);
    assert_eq!(state.transition_to_idle(), TransitionToIdle::OkNotified);
    let s = state.load();
    assert_eq!(s.ref_count(), 2);
    assert!(s.is_idle() && s.is_notified());

    let state = state_with(1, RUNNING);
    assert_eq!(state.transition_to_idle(), TransitionToIdle::OkDealloc);

    let state = state_with(2, RUNNING | CANCELLED);
    assert_eq!(state.transition_to_idle(), TransitionToIdle::Cancelled);
    assert!(
        state.load().is_running(),
        "the runner keeps the future to drop it"
    );
}

#[test]
fn completing_flips_running_to_complete() {
    let state = state_with(2, RUNNING | JOIN_INTEREST);
    let s = state.transition_to_complete();
    assert!(s.is_complete() && !s.is_running() && s.is_join_interested());
    assert_eq!(state.transition_to_terminal(1), Released::Alive);
    assert_eq!(state.transition_to_terminal(1), Released::Dealloc);
}

#[test]
#[should_panic(expected = "not running")]
fn completing_an_idle_task_panics() {
    let _ = state_with(1, 0).transition_to_complete();
}

#[test]
fn wake_by_val_of_idle_task_submits_with_the_wakers_reference() {
    let state = state_with(2, 0);
    assert_eq!(
        state.transition_to_notified_by_val(),
        TransitionToNotified::Submit
    );
    assert_eq!(state.load().ref_count(), 2);
    assert!(state.load().is_notified());
}

#[test]
fn wake_of_notified_task_is_a_no_op() {
    let state = state_with(2, NOTIFIED);
    assert_eq!(
        state.transition_to_notified_by_ref(),
        TransitionToNotified::DoNothing
    );
    assert_eq!(state.load().ref_count(), 2);
    assert_eq!(
        state.transition_to_notified_by_val(),
        TransitionToNotified::DoNothing
    );
    assert_eq!(
        state.load().ref_count(),
        1,
        "the waker's reference is released"
    );
}

#[test]
fn wake_of_running_task_marks_it_notified() {
    let state = state_with(3, RUNNING);
    assert_eq!(
        state.transition_to_notified_by_ref(),
        TransitionToNotified::DoNothing
    );
    assert!(state.load().is_notified());
    assert_eq!(state.load().ref_count(), 3);
    assert_eq!(
        state.transition_to_notified_by_val(),
        TransitionToNotified::DoNothing
    );
    assert_eq!(state.load().ref_count(), 2);
}

#[test]
fn wake_after_completion_only_releases() {
    let state = state_with(2, COMPLETE);
    assert_eq!(
        state.transition_to_notified_by_ref(),
        TransitionToNotified::DoNothing
    );
    assert_eq!(
        state.transition_to_notified_by_val(),
        TransitionToNotified::DoNothing
    );
    assert_eq!(
        state.transition_to_notified_by_val(),
        TransitionToNotified::Dealloc
    );
    assert!(!state.load().is_notified());
}

#[test]
fn wake_by_ref_of_idle_task_takes_a_new_reference() {
    let state = state_with(1, 0);
    assert_eq!(
        state.transition_to_notified_by_ref(),
        TransitionToNotified::Submit
    );
    assert_eq!(state.load().ref_count(), 2);
}

#[test]
fn abort_schedules_only_an_idle_unnotified_task() {
    let idle = state_with(2, 0);
    assert_eq!(
        idle.transition_to_notified_and_cancel(),
        TransitionToCancelled::Submit
    );
    let s = idle.load();
    assert!(s.is_cancelled() && s.is_notified());
    assert_eq!(s.ref_count(), 3);
    assert_eq!(
        idle.transition_to_notified_and_cancel(),
        TransitionToCancelled::DoNothing,
        "second abort does nothing"
    );

    let running = state_with(2, RUNNING);
    assert_eq!(
        running.transition_to_notified_and_cancel(),
        TransitionToCancelled::DoNothing
    );
    assert!(running.load().is_cancelled());
    assert_eq!(running.transition_to_idle(), TransitionToIdle::Cancelled);

    let complete = state_with(1, COMPLETE);
    assert_eq!(
        complete.transition_to_notified_and_cancel(),
        TransitionToCancelled::DoNothing
    );
    assert!(!complete.load().is_cancelled());
}

#[test]
fn shutdown_claims_only_idle_tasks() {
    let idle = state_with(1, NOTIFIED);
    assert_eq!(idle.transition_to_shutdown(), TransitionToShutdown::Claimed);
    assert!(idle.load().is_running() && idle.load().is_cancelled());
    let running = state_with(1, RUNNING);
    assert_eq!(
        running.transition_to_shutdown(),
        TransitionToShutdown::NotClaimed
    );
    assert!(running.load().is_cancelled());
}

#[test]
fn join_waker_handoff() {
    let state = state_with(2, JOIN_INTEREST);
    assert!(state.set_join_waker().unwrap().is_join_waker_set());
    assert!(state.load().is_join_waker_set());
    assert!(!state.unset_join_waker().unwrap().is_join_waker_set());
    assert!(!state.load().is_join_waker_set());
    assert!(state.set_join_waker().unwrap().is_join_waker_set());

    let done = state_with(2, JOIN_INTEREST | COMPLETE);
    assert!(
        done.set_join_waker().is_err(),
        "cannot hand a waker to a finished task"
    );
    let done = state_with(2, JOIN_INTEREST | COMPLETE | JOIN_WAKER);
    assert!(
        done.unset_join_waker().is_err(),
        "the runtime owns the slot after completion"
    );
    let after = done.unset_waker_after_complete();
    assert!(after.is_join_interested() && !after.is_join_waker_set());
}

#[test]
fn dropping_join_handle_before_completion_takes_the_waker_back() {
    let state = state_with(2, JOIN_INTEREST | JOIN_WAKER);
    let t = state.transition_to_join_handle_dropped();
    assert_eq!(
        t,
        TransitionToJoinHandleDrop {
            drop_output: false,
            drop_waker: true
        }
    );
    assert!(!state.load().is_join_interested() && !state.load().is_join_waker_set());
}

#[test]
fn dropping_join_handle_after_completion() {
    // The runtime still holds the waker slot: it drops the waker.
    let state = state_with(2, JOIN_INTEREST | JOIN_WAKER | COMPLETE);
    let t = state.transition_to_join_handle_dropped();
    assert_eq!(
        t,
        TransitionToJoinHandleDrop {
            drop_output: true,
            drop_waker: false
        }
    );
    assert!(!state.unset_waker_after_complete().is_join_interested());
    // The runtime already gave the slot back.
    let state = state_with(2, JOIN_INTEREST | COMPLETE);
    let t = state.transition_to_join_handle_dropped();
    assert_eq!(
        t,
        TransitionToJoinHandleDrop {
            drop_output: true,
            drop_waker: true
        }
    );
}

#[test]
fn ref_dec_reports_the_last_reference() {
    let state = state_with(2, 0);
    state.ref_inc();
    assert_eq!(state.ref_dec(), Released::Alive);
    assert_eq!(state.ref_dec(), Released::Alive);
    assert_eq!(state.ref_dec(), Released::Dealloc);
}
