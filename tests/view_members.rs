//! The page's view of membership changes (`view::members`, the ring's and
//! `state()`'s words for them, the notice): who is a learner or removed,
//! and why Add server or Remove is refused, in the engine's words.
#![cfg(feature = "membership")]

use raft_playground::sim::{Action, NodeId};
use raft_playground::view::logs::log_grid;
use raft_playground::view::members::{can_add, can_remove, members, Member};
use raft_playground::view::model::{page_config, Model, Op};
use raft_playground::view::ring::ring_draw;
use raft_playground::view::state::page_state;

fn model(servers: usize, seed: u64) -> Model {
    Model::from_config(page_config(servers, seed), 1.0, false).unwrap()
}

/// Advances until the leader would add a server (it has committed an entry of its term).
fn until_addable(m: &mut Model) {
    for _ in 0..400 {
        if can_add(m.cluster()).is_ok() {
            return;
        }
        m.apply(Op::Advance(25)).unwrap();
    }
    panic!("never addable: {:?}", can_add(m.cluster()));
}

fn advance_until(m: &mut Model, what: &str, f: impl Fn(&Model) -> bool) {
    for _ in 0..400 {
        if f(m) {
            return;
        }
        m.apply(Op::Advance(25)).unwrap();
    }
    panic!("never: {what}");
}

#[test]
fn a_new_server_is_a_learner_then_a_voter_in_the_ring_the_state_and_the_log_grid() {
    let mut m = model(3, 7);
    assert_eq!(can_add(m.cluster()), Err("no running server is the leader right now".to_string()));
    assert!(members(m.cluster()).iter().all(|&x| x == Member::Voter));
    until_addable(&mut m);
    m.apply(Op::Sim(Action::AddServer)).unwrap();
    let notice = m.notice.as_ref().unwrap();
    assert!(!notice.error && notice.text.starts_with("S4 joins as a learner"), "{}", notice.text);
    assert_eq!(members(m.cluster()), [Member::Voter, Member::Voter, Member::Voter, Member::Learner]);
    let ring = ring_draw(&m);
    assert_eq!(ring.servers.len(), 4);
    assert_eq!(ring.servers[3].caption().0, "learner");
    let st = serde_json::to_value(page_state(&m)).unwrap();
    assert_eq!(st["servers"][3]["member"], "learner");
    // One change at a time: a second add is refused with the engine's reason.
    let why = can_add(m.cluster()).unwrap_err();
    assert!(why.contains("one change at a time"), "{why}");
    assert!(m.apply(Op::Sim(Action::AddServer)).is_err());
    assert!(m.notice.as_ref().unwrap().error);

    advance_until(&mut m, "S4 is a voter", |m| members(m.cluster())[3] == Member::Voter);
    assert_eq!(ring_draw(&m).servers[3].caption().0, "follower");
    let grid = log_grid(&m);
    // The leader's row: it appended both entries.
    let leader = m.cluster().leader().unwrap();
    let cells: Vec<String> = grid.rows[leader.index()].cells.iter().flatten().map(|c| c.cmd.clone()).collect();
    assert!(cells.contains(&"learner S4".to_string()) && cells.contains(&"+S4".to_string()), "{cells:?}");
}

#[test]
fn a_removed_leader_is_drawn_removed_and_its_remove_item_says_why_not_again() {
    let mut m = model(5, 11);
    until_addable(&mut m);
    let old = m.cluster().leader().unwrap();
    assert_eq!(can_remove(m.cluster(), old), Ok(()));
    m.apply(Op::Sim(Action::RemoveServer { node: old })).unwrap();
    assert!(m.notice.as_ref().unwrap().text.contains(&format!("appended −{old}")));
    advance_until(&mut m, "a new leader", |m| m.cluster().leader().is_some_and(|l| l != old));
    assert_eq!(members(m.cluster())[old.index()], Member::Removed);
    let s = &ring_draw(&m).servers[old.index()];
    assert!(s.caption().0 == "removed" || !s.up, "{:?}", s.caption());
    until_addable(&mut m);
    assert_eq!(can_remove(m.cluster(), old), Err(format!("{old} is not in the configuration")));
    assert!(can_remove(m.cluster(), NodeId(42)).is_err());
}

#[test]
fn a_tenth_server_is_refused() {
    let mut m = model(8, 3);
    until_addable(&mut m);
    m.apply(Op::Sim(Action::AddServer)).unwrap();
    advance_until(&mut m, "S9 is a voter", |m| members(m.cluster())[8] == Member::Voter);
    assert_eq!(can_add(m.cluster()), Err("a cluster has at most 9 servers, removed ones included".to_string()));
}
