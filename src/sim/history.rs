//! The client's history as the linearizability checker sees it, checked as
//! operations are answered.
//!
//! Each key's history is checked on its own (linearizability is
//! compositional). A run of an hour holds tens of thousands of operations per
//! key, far more than one search should look at each time an operation is
//! answered, so each key's history is cut into windows at quiet moments, and
//! only the current window is checked:
//!
//! - **When.** Just before an operation on the key is invoked, if no
//!   operation on it is in flight and the last answer came strictly earlier:
//!   everything in the window then precedes everything after it in real time.
//! - **What carries over.** The value the key holds at the cut, which must be
//!   the same in every order the window allows: the window's writes that no
//!   other of its writes follows in real time (any order ends with one of
//!   them) must all have written one value. The window is then replaced by
//!   the one write of them that was answered last, as the new window's first
//!   operation (it precedes everything after the cut). If they wrote
//!   different values, the window is not cut and grows on.
//! - **Writes given up.** A write the client gave up may take effect at any
//!   time after its invocation, or never. If no read in the window returned its
//!   value, it is carried into the next window, still open (taking effect
//!   before the cut or just after it is the same). If reads in the window
//!   returned its value and no other write could have given them that value,
//!   it took effect before the first of them answered: that is its answer
//!   time from then on. If other writes of that value could have, and the
//!   window is linearizable without all such writes, they are carried over
//!   still open; if it needs some of them, the window is not cut.
//!
//! With these rules the verdict is exactly the checker's on the whole history
//! (a cut only forgets what no later operation can use), and each check looks
//! at a few operations. A window that grows past what the checker's budget
//! allows is reported as not checked, never guessed.
//!
//! **Time.** The simulator knows the order of events within a millisecond, so
//! the history's times are ticks, [`TICKS_PER_MS`] per millisecond, numbered
//! in the order the client's invocations and answers happened: an answer and
//! an invocation in the same millisecond are concurrent only if the
//! invocation came first. (A script's `wait until acknowledged x=2` followed
//! by `read x` reads in the same millisecond, after the answer.)

use super::linearizability::{self, Op, OpKind, Verdict};
use super::{ClientOp, Command, NodeId, OpStatus, Request};
#[cfg(test)]
use std::collections::BTreeMap;
use std::collections::VecDeque;
use std::mem::size_of;
use std::sync::Arc;

/// How many earlier windows' last writes are kept to explain a violation
/// (a stale read names the writes it missed, even from earlier windows).
const EARLIER_KEPT: usize = 16;

/// The most operations of a window (besides its base) judged by trying
/// every order ([`Window::small_verdict`]) rather than by the checker: at
/// most 6! orders, far fewer when real time orders some of them.
const SMALL_WINDOW: usize = 6;

/// Ticks per virtual millisecond in the history's times.
const TICKS_PER_MS: u64 = 1000;

/// One operation of a window and who answered it.
#[derive(Clone, Debug)]
struct Rec {
    op: Op,
    by: Option<NodeId>,
    /// Given up: it stays open (no answer time) for ever.
    given_up: bool,
}

impl Rec {
    fn write_value(&self) -> Option<i64> {
        match self.op.kind {
            OpKind::Write(v) => Some(v),
            OpKind::Read(_) => None,
        }
    }
}

/// The current window of one key.
#[derive(Clone, Debug, Default)]
struct Window {
    /// The write that set the key's value before the window (none: never written).
    base: Option<Rec>,
    /// The bases of earlier windows, oldest first (at most [`EARLIER_KEPT`]):
    /// not needed for the verdict, only to name what a stale read missed.
    earlier: VecDeque<Rec>,
    /// The window's operations, in invocation order.
    ops: Vec<Rec>,
    /// How many of them are neither answered nor given up.
    in_flight: usize,
    /// The latest answer time in the window.
    last_answer: u64,
    /// A violation was reported in this window.
    reported: bool,
    /// The checker's reason when it could not settle the window.
    not_checked: Option<String>,
}

/// A violation found in a window: the operations involved (the one that
/// cannot be placed first), the servers that answered them, the sentence.
pub(crate) struct Found {
    pub ops: Vec<u64>,
    pub nodes: Vec<NodeId>,
    pub explanation: String,
}

/// The client's history, key by key, in windows.
#[derive(Clone, Debug)]
pub(crate) struct History {
    /// Each key's window, shared with the snapshots taken since it last
    /// changed (a snapshot clones the history; a change copies the window).
    /// Sorted by key (a list, not a map: a map's code weighs kilobytes in the page).
    keys: Vec<(String, Arc<Window>)>,
    /// Search steps allowed per check of a window.
    budget: u64,
    /// How many writes were handed straight to a leader (see [`History::submitted`]).
    submitted: u64,
    /// The millisecond of the last invocation or answer, and how many came before it in that millisecond.
    clock: (u64, u64),
    /// For the tests: every operation's ticks, windows or not.
    #[cfg(test)]
    seen: BTreeMap<u64, (u64, Option<u64>)>,
}

impl Default for History {
    fn default() -> History {
        History {
            keys: Vec::new(),
            budget: linearizability::DEFAULT_BUDGET,
            submitted: 0,
            clock: (0, 0),
            #[cfg(test)]
            seen: BTreeMap::new(),
        }
    }
}

impl History {
    /// The tick of an invocation or answer at virtual time `ms`, after every earlier one.
    fn tick(&mut self, ms: u64) -> u64 {
        let (last, count) = &mut self.clock;
        if *last == ms {
            // More than a thousand in one millisecond share the last tick: concurrent, never wrongly ordered.
            *count = (*count + 1).min(TICKS_PER_MS - 1);
        } else {
            *last = ms;
            *count = 0;
        }
        ms.saturating_mul(TICKS_PER_MS).saturating_add(*count)
    }

    /// The client invoked `op` (a no-op write, on no key, is left out).
    pub(crate) fn invoked(&mut self, op: &ClientOp) {
        let (key, kind) = match &op.command {
            Request::Write(Command::Set { key, value }) => (&**key, OpKind::Write(*value)),
            Request::Read { key } => (key.as_str(), OpKind::Read(None)),
            Request::Write(Command::Noop) => return,
            #[cfg(feature = "membership")]
            Request::Write(Command::Config { .. }) => return,
        };
        let invoked = self.tick(op.invoked_at);
        #[cfg(test)]
        self.seen.insert(op.id, (invoked, None));
        self.add(Rec {
            op: Op { id: op.id, key: key.to_string(), kind, invoked, completed: None },
            by: None,
            given_up: false,
        });
    }

    /// A write of `key ← value` handed straight to a leader at virtual time
    /// `at`, not through the client ([`super::Action::Submit`]): it changes
    /// the store like the client's writes, and nobody is told whether it
    /// took effect, so it enters the history as a write given up at once
    /// (it may take effect at any time after, or never). Its id is
    /// [`linearizability::SUBMITTED`] plus its number.
    pub(crate) fn submitted(&mut self, key: &str, value: i64, at: u64) {
        let invoked = self.tick(at);
        let id = linearizability::SUBMITTED + self.submitted;
        self.submitted += 1;
        let op = Op { id, key: key.to_string(), kind: OpKind::Write(value), invoked, completed: None };
        self.add(Rec { op, by: None, given_up: true });
    }

    /// Adds an operation to its key's window, after cutting the window if it may be cut.
    fn add(&mut self, rec: Rec) {
        let at = match self.keys.binary_search_by(|(k, _)| k.as_str().cmp(&rec.op.key)) {
            Ok(at) => at,
            Err(at) => {
                self.keys.insert(at, (rec.op.key.clone(), Arc::default()));
                at
            }
        };
        let window = Arc::make_mut(&mut self.keys[at].1);
        window.cut_if_quiet(rec.op.invoked, &rec.op.key, self.budget);
        if !rec.given_up {
            window.in_flight += 1;
        }
        window.ops.push(rec);
    }

    /// The window of `key`, to change it, if it holds operation `id` (a
    /// window shared with a snapshot is copied only then).
    fn window_with(&mut self, key: &str, id: u64) -> Option<&mut Window> {
        let at = self.keys.binary_search_by(|(k, _)| k.as_str().cmp(key)).ok()?;
        let window = &mut self.keys[at].1;
        window.ops.iter().any(|r| r.op.id == id).then(|| Arc::make_mut(window))
    }

    /// `op` was answered: checks its key's window; a violation not reported
    /// in this window yet is returned.
    pub(crate) fn answered(&mut self, op: &ClientOp) -> Option<Found> {
        let OpStatus::Acked { by, at, .. } = op.status else { return None };
        let at = self.tick(at);
        #[cfg(test)]
        if let Some(seen) = self.seen.get_mut(&op.id) {
            seen.1 = Some(at);
        }
        let key = op.key()?;
        let budget = self.budget;
        let window = self.window_with(key, op.id)?;
        let rec = window.ops.iter_mut().rev().find(|r| r.op.id == op.id)?;
        if rec.op.completed.is_some() || rec.given_up {
            return None;
        }
        rec.op.completed = Some(at);
        rec.by = Some(by);
        if let OpKind::Read(_) = rec.op.kind {
            rec.op.kind = OpKind::Read(op.value());
        }
        window.in_flight = window.in_flight.saturating_sub(1);
        window.last_answer = window.last_answer.max(at);
        window.check(key, budget)
    }

    /// The client gave `op` up: a write stays open for ever, a read says nothing.
    pub(crate) fn gave_up(&mut self, op: &ClientOp) {
        let (Some(key), id) = (op.key(), op.id) else { return };
        let Some(window) = self.window_with(key, id) else { return };
        let Some(at) = window.ops.iter().rposition(|r| r.op.id == id) else { return };
        if window.ops[at].op.completed.is_some() || window.ops[at].given_up {
            return;
        }
        window.in_flight = window.in_flight.saturating_sub(1);
        if matches!(window.ops[at].op.kind, OpKind::Read(_)) {
            window.ops.remove(at);
        } else {
            window.ops[at].given_up = true;
        }
    }

    /// The bytes it holds, roughly (for a snapshot's weight; windows shared
    /// with other snapshots counted in full).
    pub(crate) fn bytes(&self) -> usize {
        let windows: usize = self
            .keys
            .iter()
            .map(|(k, w)| k.capacity() + size_of::<Window>() + (w.ops.len() + w.earlier.len() + 1) * size_of::<Rec>())
            .sum();
        windows
    }

    /// The keys whose current window the checker could not settle within its
    /// budget, with its reason.
    pub(crate) fn not_checked(&self) -> impl Iterator<Item = (&str, &str)> {
        self.keys.iter().filter_map(|(k, w)| w.not_checked.as_deref().map(|r| (k.as_str(), r)))
    }
}

impl Window {
    /// Cuts the window if it may be cut before an invocation at `now`.
    fn cut_if_quiet(&mut self, now: u64, key: &str, budget: u64) {
        if self.in_flight > 0 || self.ops.is_empty() || self.last_answer >= now {
            return;
        }
        // Writes given up whose value a read returned: when did they take effect?
        let mut settled: Vec<(usize, u64)> = Vec::new();
        let mut unsure: Vec<usize> = Vec::new();
        for (i, w) in self.ops.iter().enumerate() {
            let Some(v) = w.write_value().filter(|_| w.given_up) else { continue };
            let first_read =
                self.ops.iter().filter(|r| r.op.kind == OpKind::Read(Some(v))).filter_map(|r| r.op.completed).min();
            let Some(first_read) = first_read else { continue };
            let others = self.ops.iter().enumerate().any(|(j, o)| j != i && o.write_value() == Some(v))
                || self.base.as_ref().and_then(Rec::write_value) == Some(v);
            if others {
                unsure.push(i);
            } else {
                settled.push((i, first_read));
            }
        }
        // Reads could have seen these or other writes of their values. If the
        // window does without all of them, they stay open, carried over; if it
        // needs some, which ones is not known: keep the window whole.
        if !unsure.is_empty() && !self.linearizable_without(&unsure, key, budget) {
            return;
        }
        // The writes no other write follows: every order ends with one of them.
        let answered = |r: &Rec, settled: &[(usize, u64)], i: usize| {
            r.write_value()?;
            r.op.completed.or_else(|| settled.iter().find(|(j, _)| *j == i).map(|(_, t)| *t))
        };
        let latest_invocation = self
            .ops
            .iter()
            .enumerate()
            .filter(|&(i, r)| answered(r, &settled, i).is_some())
            .map(|(_, r)| r.op.invoked)
            .max();
        let mut last: Option<(u64, usize)> = None;
        if let Some(latest) = latest_invocation {
            let mut value = None;
            for (i, r) in self.ops.iter().enumerate() {
                let Some(done) = answered(r, &settled, i).filter(|&t| t >= latest) else { continue };
                if value.is_some_and(|v| Some(v) != r.write_value()) {
                    return; // they wrote different values: the value at the cut is not known
                }
                value = r.write_value();
                if last.is_none_or(|(t, _)| done > t) {
                    last = Some((done, i));
                }
            }
        }
        let mut carried = Vec::new();
        let mut base = self.base.take();
        for (i, mut r) in std::mem::take(&mut self.ops).into_iter().enumerate() {
            if last.is_some_and(|(_, j)| j == i) {
                if let Some((_, t)) = settled.iter().find(|(j, _)| *j == i) {
                    r.op.completed = Some(*t);
                }
                if let Some(old) = base.replace(r) {
                    if self.earlier.len() == EARLIER_KEPT {
                        self.earlier.pop_front();
                    }
                    self.earlier.push_back(old);
                }
            } else if r.given_up && r.op.completed.is_none() && !settled.iter().any(|(j, _)| *j == i) {
                carried.push(r);
            }
        }
        self.base = base;
        self.ops = carried;
        self.reported = false;
        self.not_checked = None;
    }

    /// True when the window (its base first) without its operations `skip` is linearizable.
    fn linearizable_without(&self, skip: &[usize], key: &str, budget: u64) -> bool {
        let ops: Vec<Op> = self
            .base
            .iter()
            .chain(self.ops.iter().enumerate().filter(|(i, _)| !skip.contains(i)).map(|(_, r)| r))
            .map(|r| r.op.clone())
            .collect();
        linearizability::check_key_ticks(key, &ops, budget, TICKS_PER_MS).verdict == Verdict::Linearizable
    }

    /// The verdict, without the checker, for a small window: every order
    /// of its operations that real time allows (after the base, which
    /// precedes them all) is tried, and it is linearizable when in one of
    /// them each read returns what the write before it wrote. As for the
    /// checker, an unanswered write (in flight, or given up) may take effect
    /// at any time after its invocation, or never, and an unanswered read
    /// says nothing. `None` for a window of more than [`SMALL_WINDOW`]
    /// operations: the checker decides those.
    fn small_verdict(&self) -> Option<bool> {
        if self.ops.len() > SMALL_WINDOW || self.base.as_ref().is_some_and(|b| b.op.completed.is_none()) {
            return None;
        }
        let ops: Vec<(OpKind, u64, Option<u64>)> = self
            .ops
            .iter()
            .filter(|r| r.op.completed.is_some() || matches!(r.op.kind, OpKind::Write(_)))
            .map(|r| (r.op.kind, r.op.invoked, r.op.completed))
            .collect();
        /// Can the operations not in `done` follow, the register holding `value`?
        fn order(ops: &[(OpKind, u64, Option<u64>)], done: u32, value: Option<i64>) -> bool {
            let left = |j: usize| done & (1 << j) == 0;
            // Unanswered writes may never take effect.
            if (0..ops.len()).all(|j| !left(j) || ops[j].2.is_none()) {
                return true;
            }
            (0..ops.len()).filter(|&i| left(i)).any(|i| {
                // Next only if no other operation left ended before it began.
                let (kind, invoked, _) = ops[i];
                if (0..ops.len()).any(|j| j != i && left(j) && ops[j].2.is_some_and(|c| c < invoked)) {
                    return false;
                }
                match kind {
                    OpKind::Write(v) => order(ops, done | 1 << i, Some(v)),
                    OpKind::Read(got) => got == value && order(ops, done | 1 << i, value),
                }
            })
        }
        Some(order(&ops, 0, self.base.as_ref().and_then(Rec::write_value)))
    }

    /// Checks the window (its base first); a new violation is returned.
    fn check(&mut self, key: &str, budget: u64) -> Option<Found> {
        self.not_checked = None;
        // Writes alone are always linearizable (take them in any order that
        // respects real time): a window without a read needs no search.
        if !self.ops.iter().any(|r| matches!(r.op.kind, OpKind::Read(_))) {
            return None;
        }
        // Nor does a small window (a violation does, for its explanation).
        if self.small_verdict() == Some(true) {
            return None;
        }
        let ops: Vec<Op> = self.base.iter().chain(&self.ops).map(|r| r.op.clone()).collect();
        let report = linearizability::check_key_ticks(key, &ops, budget, TICKS_PER_MS);
        match report.verdict {
            Verdict::Linearizable => None,
            Verdict::NotChecked { reason } => {
                self.not_checked = Some(reason);
                None
            }
            Verdict::Violation { ops, explanation, .. } if !self.reported => {
                self.reported = true;
                // The same verdict with the earlier windows' writes before it
                // (they all precede the base): its sentence can name them.
                let (ops, explanation) = if self.earlier.is_empty() {
                    (ops, explanation)
                } else {
                    let all: Vec<Op> =
                        self.earlier.iter().chain(&self.base).chain(&self.ops).map(|r| r.op.clone()).collect();
                    match linearizability::check_key_ticks(key, &all, budget, TICKS_PER_MS).verdict {
                        Verdict::Violation { ops, explanation, .. } => (ops, explanation),
                        _ => (ops, explanation),
                    }
                };
                let mut nodes: Vec<NodeId> = Vec::new();
                for id in &ops {
                    let by = self.earlier.iter().chain(&self.base).chain(&self.ops).find(|r| r.op.id == *id);
                    let by = by.and_then(|r| r.by);
                    if let Some(n) = by.filter(|n| !nodes.contains(n)) {
                        nodes.push(n);
                    }
                }
                Some(Found { ops, nodes, explanation })
            }
            Verdict::Violation { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    //! The windows against the whole history: random client histories, fed
    //! event by event, get the same verdict as one check of everything.
    use super::*;
    use crate::sim::Rng;

    /// One operation as the client sees it, with its tick times.
    struct Made {
        op: ClientOp,
        effect: Option<i64>,
        done: bool,
    }

    fn client_op(id: u64, request: Request, at: u64) -> ClientOp {
        ClientOp {
            id,
            command: request,
            invoked_at: at,
            status: OpStatus::Pending,
            target: None,
            attempts: 1,
            landed: Vec::new(),
            answer: None,
            redirects: 0,
        }
    }

    /// A random history on two keys: a true register per key that writes
    /// change at a moment inside their interval (or never, when given up),
    /// reads that see the register at a moment inside theirs, and now and
    /// then a read that answers something else. Returns whether the windows
    /// saw a violation, and the whole history with the ticks they used.
    fn run(seed: u64) -> (bool, Vec<Op>, usize) {
        let mut rng = Rng::new(seed);
        let mut h = History::default();
        let mut all: Vec<Op> = Vec::new();
        let mut made: Vec<Made> = Vec::new();
        let mut register: BTreeMap<&str, i64> = BTreeMap::new();
        let keys = ["x", "y"];
        let mut now = 0;
        let mut violated = false;
        // How much the client overlaps its operations, from one at a time to four.
        let max_open = rng.range(1, 4) as usize;
        for _ in 0..rng.range(20, 200) {
            now += rng.range(0, 3);
            let open: Vec<usize> = (0..made.len()).filter(|&i| !made[i].done).collect();
            match rng.range(0, 9) {
                0..=2 if open.len() < max_open => {
                    let key = keys[rng.range(0, 1) as usize];
                    let id = made.len() as u64;
                    let request = if rng.chance(0.5) {
                        Request::Write(Command::set(key, rng.range(0, 5) as i64))
                    } else {
                        Request::Read { key: key.to_string() }
                    };
                    let op = client_op(id, request, now);
                    h.invoked(&op);
                    made.push(Made { op, effect: None, done: false });
                }
                3..=5 if !open.is_empty() => {
                    // The store acts on one open operation: a write takes effect, a read looks.
                    let m = &mut made[open[rng.range(0, open.len() as u64 - 1) as usize]];
                    match &m.op.command {
                        Request::Write(Command::Set { key, value }) if m.effect.is_none() => {
                            register.insert(keys.iter().find(|k| ***k == **key).unwrap(), *value);
                            m.effect = Some(*value);
                        }
                        Request::Read { key } if m.effect.is_none() => {
                            m.effect = Some(register.get(key.as_str()).copied().unwrap_or(-1));
                        }
                        _ => {}
                    }
                }
                6..=9 if !open.is_empty() => {
                    let i = open[rng.range(0, open.len() as u64 - 1) as usize];
                    let m = &mut made[i];
                    let took_effect_unanswered = m.effect.is_some() && !m.op.is_read() && rng.chance(0.15);
                    if m.effect.is_none() || took_effect_unanswered {
                        if took_effect_unanswered || rng.chance(0.3) {
                            // Given up before the store did anything with it.
                            m.done = true;
                            m.op.status = OpStatus::Failed { at: now, reason: String::new() };
                            h.gave_up(&m.op);
                        }
                        continue;
                    }
                    m.done = true;
                    m.op.status = OpStatus::Acked { index: 0, term: 0, by: NodeId(1), at: now };
                    if m.op.is_read() {
                        let seen = m.effect.filter(|&v| v >= 0);
                        // Now and then a read answers what no store would.
                        m.op.answer = Some(if rng.chance(0.04) { Some(rng.range(0, 5) as i64) } else { seen });
                    }
                    violated |= h.answered(&m.op).is_some();
                }
                _ => {}
            }
        }
        // The whole history, with the ticks the windows gave each operation.
        for m in &made {
            let Some(key) = m.op.key() else { continue };
            let invoked = all_ticks(&h, m.op.id).unwrap_or_default();
            let kind = match (&m.op.command, m.op.answer) {
                (Request::Write(Command::Set { value, .. }), _) => OpKind::Write(*value),
                (_, answer) => OpKind::Read(answer.flatten()),
            };
            all.push(Op { id: m.op.id, key: key.to_string(), kind, invoked: invoked.0, completed: invoked.1 });
        }
        // Operations still in the windows (writes given up stay there, open, for ever).
        let kept = h.keys.iter().map(|(_, w)| w.ops.iter().filter(|r| !r.given_up).count()).sum();
        (violated, all, kept)
    }

    /// The ticks `h` recorded for operation `id`: the windows keep only the
    /// current ones, so the test keeps its own record as it goes.
    fn all_ticks(h: &History, id: u64) -> Option<(u64, Option<u64>)> {
        h.seen.get(&id).copied()
    }

    #[test]
    fn windows_give_the_verdict_of_one_check_of_the_whole_history() {
        let (mut caught, mut clean, mut kept, mut total) = (0, 0, 0, 0);
        for seed in 0..1_500 {
            let (violated, all, in_windows) = run(seed);
            kept += in_windows;
            total += all.len();
            let whole = linearizability::check(&all, linearizability::DEFAULT_BUDGET * 10);
            assert!(whole.not_checked().next().is_none(), "seed {seed}: the whole check did not settle");
            assert_eq!(violated, !whole.is_linearizable(), "seed {seed}: {whole:?}");
            if violated {
                caught += 1;
            } else {
                clean += 1;
            }
        }
        assert!(caught > 200 && clean > 200, "both kinds of history: {caught} violated, {clean} not");
        assert!(kept * 3 < total, "the windows were cut: {kept} of {total} operations kept at the end");
    }

    #[test]
    fn a_stale_read_after_a_cut_names_the_write_it_missed_from_an_earlier_window() {
        let mut h = History::default();
        let w = |id, v, at| client_op(id, Request::Write(Command::set("x", v)), at);
        let ack = |mut op: ClientOp, at| {
            op.status = OpStatus::Acked { index: 0, term: 0, by: NodeId(2), at };
            op
        };
        for (id, v, at) in [(0, 1, 0), (1, 2, 10), (2, 3, 20)] {
            let op = w(id, v, at);
            h.invoked(&op);
            assert!(h.answered(&ack(op, at + 5)).is_none());
        }
        let mut read = client_op(3, Request::Read { key: "x".into() }, 30);
        h.invoked(&read);
        read.answer = Some(Some(1));
        let found = h.answered(&ack(read, 35)).expect("a stale read");
        assert_eq!(found.ops[0], 3);
        assert!(found.explanation.contains("write #2 x ← 3 had completed"), "{}", found.explanation);
        assert!(found.explanation.contains("write #0 x ← 1"), "{}", found.explanation);
        assert_eq!(found.nodes, vec![NodeId(2)]);
        // Each window holds the last write and what came after it, no more.
        assert_eq!(h.keys[0].1.ops.len(), 1);
    }

    #[test]
    fn a_small_window_is_judged_by_trying_every_order() {
        let rec = |id, kind, invoked, completed| Rec {
            op: Op { id, key: "x".into(), kind, invoked, completed },
            by: None,
            given_up: false,
        };
        let (w, r) = (OpKind::Write, OpKind::Read);
        let base = Some(rec(0, w(1), 0, Some(5)));
        let window = |ops: Vec<Rec>| Window { base: base.clone(), ops, ..Window::default() };
        let one_after_the_other = window(vec![rec(1, r(Some(1)), 6, Some(9)), rec(2, w(2), 10, Some(12))]);
        assert_eq!(one_after_the_other.small_verdict(), Some(true));
        let stale = window(vec![rec(1, w(2), 6, Some(9)), rec(2, r(Some(1)), 10, Some(12))]);
        assert_eq!(stale.small_verdict(), Some(false));
        // Overlapping (an answer at the very tick of the next invocation counts
        // as concurrent): the read may go first.
        let overlapping = window(vec![rec(1, w(2), 6, Some(10)), rec(2, r(Some(1)), 10, Some(12))]);
        assert_eq!(overlapping.small_verdict(), Some(true));
        // Two overlapping writes, and reads that saw them in both orders: no order.
        let both_orders = window(vec![
            rec(1, w(2), 6, Some(20)),
            rec(2, w(3), 6, Some(20)),
            rec(3, r(Some(2)), 21, Some(22)),
            rec(4, r(Some(3)), 23, Some(24)),
        ]);
        assert_eq!(both_orders.small_verdict(), Some(false));
        // A write not answered may have taken effect, or not; a read not answered says nothing.
        assert_eq!(window(vec![rec(1, w(2), 6, None), rec(2, r(Some(1)), 10, Some(12))]).small_verdict(), Some(true));
        assert_eq!(window(vec![rec(1, w(2), 6, None), rec(2, r(Some(2)), 10, Some(12))]).small_verdict(), Some(true));
        assert_eq!(window(vec![rec(1, w(2), 6, None), rec(2, r(Some(3)), 10, Some(12))]).small_verdict(), Some(false));
        assert_eq!(window(vec![rec(1, r(None), 6, None)]).small_verdict(), Some(true));
        // Too many: the checker decides.
        let many = (1..=7).map(|i| rec(i, w(i as i64), 10 * i, Some(10 * i + 5))).collect();
        assert_eq!(window(many).small_verdict(), None);
        let never_written = Window { base: None, ops: vec![rec(1, r(None), 6, Some(9))], ..Window::default() };
        assert_eq!(never_written.small_verdict(), Some(true));
    }
}
