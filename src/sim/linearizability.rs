//! The linearizability checker: could one copy of the key-value store, taking
//! each operation at a single instant between its invocation and its response,
//! have produced the results the client saw?
//!
//! The input is the client's history as plain [`Op`]s: writes `key ← value`
//! and reads returning `Option<i64>` (`None`: the key was never written), each
//! with its invocation time and, once answered, its response time (virtual
//! ms). An operation without a response (pending, failed, timed out) may have
//! taken effect at any moment after its invocation, or never: a pending write
//! is placed anywhere after its invocation or left out, a pending read
//! constrains nothing and is dropped.
//!
//! **Real-time order.** Operation A precedes B when A's response comes
//! *strictly* before B's invocation (`A.completed < B.invoked`). Equal times
//! count as concurrent: in the simulator an acknowledgement and a new
//! invocation can share a millisecond, and reading that as "before" could
//! report a violation that did not happen. The price is that a violation
//! squeezed entirely into one millisecond goes unseen.
//!
//! **Search.** Keys are independent (a register per key; linearizability is
//! compositional), so each key is checked on its own. For one key the checker
//! runs Wing & Gong's search as Lowe and Porcupine implement it: invocations
//! and responses sorted by time in a linked list; at each step an operation
//! whose invocation comes before the first response still in the list is
//! linearized (taken out of the list) if the register allows it; when none
//! can be, the last choice is undone. Configurations (the set of linearized
//! operations and the register's value) already explored are remembered
//! (Lowe's memoisation, with Zobrist hashing) and not explored again. Rules
//! that shrink the search and keep it exact:
//! - a read that matches the register is linearized at once and never swapped
//!   for another choice (any order that works still works with it first);
//! - a pending write of a value no read returned is left out, and the others
//!   are placed only when a read able to go next returned their value (else it
//!   would be overwritten unread, which can only hurt); they are tried after
//!   the answered writes, and a configuration is skipped when the same one
//!   without its pending writes was explored (leaving one out can only help);
//! - before searching, cheap exact checks refute reads in O(log n) each: a
//!   value nothing wrote, or whose writes all began after the read ended;
//!   "never written" after a write completed or a read saw a value; a value
//!   every write of which had ended before a write of another value began that
//!   ended before the read began, or before the writes of a value an earlier
//!   read returned began. Then only the history up to the earliest refuted
//!   read is searched, and if the search runs out of budget that read is the
//!   verdict.
//!
//! **Budget.** The search is iterative and counts steps (each configuration
//! entered and each candidate looked at); past the budget (per key,
//! [`DEFAULT_BUDGET`] unless the caller says otherwise) that key's verdict is
//! [`Verdict::NotChecked`], never a guess. A history where each operation
//! overlaps a few others takes two to four steps per operation; one where 20
//! or more overlap, with values repeating or many writes nobody read, can
//! exceed any budget. Memory: each configuration explored is remembered by its
//! value and its linearized set without the leading run of ones (operations
//! are linearized roughly in invocation order): a few words when each
//! operation overlaps a few others, n/64 at worst; the budget bounds how many.
//! Everything is deterministic: the same history gives the same verdicts,
//! explanations and step counts.
//!
//! **Explanations.** When no order exists, the search also finds the earliest
//! response at which none exists: the history just before it can be
//! linearized, and the operation answered there cannot be placed. The
//! explanation names that operation and the ones it conflicts with (the write
//! that made its value stale, or the earlier read it contradicts; otherwise a
//! smallest set of earlier reads that, with the writes, leave no order).
//!
//! **Use.** [`check`] is a pure function of a whole history. A page that
//! re-checks as operations complete keeps a [`Checker`], which re-checks only
//! the keys whose operations changed since its last call.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The property's name on the safety badge.
pub const PROPERTY_NAME: &str = "Linearizable client history";

/// Search steps allowed per key by default: a few milliseconds (natively) for
/// a history the search cannot settle, and room for some 15,000 operations
/// per key at the usual two to four steps each.
pub const DEFAULT_BUDGET: u64 = 50_000;

/// The first id of the writes that were not the client's but handed
/// straight to a leader (in the simulator, [`super::Action::Submit`]): the
/// n-th is named "submitted write #n".
pub const SUBMITTED: u64 = 1 << 63;

/// What an operation does.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum OpKind {
    /// `key ← value`; answers nothing but "done".
    Write(i64),
    /// A read and its result: `None` when it found the key never written.
    Read(Option<i64>),
}

/// One operation of the client's history.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Op {
    /// Its id, used to name it ("write #6").
    pub id: u64,
    /// The key it writes or reads.
    pub key: String,
    /// Write or read, with the value written or the result read.
    pub kind: OpKind,
    /// When the client invoked it (virtual ms).
    pub invoked: u64,
    /// When the client got its answer; `None` while pending, or when it failed
    /// or timed out (it may still have taken effect).
    pub completed: Option<u64>,
}

impl Op {
    /// A write of `value` to `key`.
    pub fn write(id: u64, key: &str, value: i64, invoked: u64, completed: Option<u64>) -> Op {
        Op { id, key: key.to_string(), kind: OpKind::Write(value), invoked, completed }
    }

    /// A read of `key` that returned `result`.
    pub fn read(id: u64, key: &str, result: Option<i64>, invoked: u64, completed: Option<u64>) -> Op {
        Op { id, key: key.to_string(), kind: OpKind::Read(result), invoked, completed }
    }

    /// A read's result in words: "1", "nothing".
    fn kind_result(&self) -> String {
        match self.kind {
            OpKind::Read(Some(v)) => v.to_string(),
            _ => "nothing".to_string(),
        }
    }

    /// "write #6 x ← 2", "read #7 of x", "submitted write #0 x ← 5".
    fn name(&self) -> Name<'_> {
        Name(self)
    }
}

/// An operation's name, written straight into a sentence (no `String` of its
/// own: each temporary string is allocation and drop code in the page).
#[derive(Clone, Copy)]
struct Name<'a>(&'a Op);

impl std::fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let o = self.0;
        match o.kind {
            OpKind::Write(v) if o.id >= SUBMITTED => write!(f, "submitted write #{} {} ← {v}", o.id - SUBMITTED, o.key),
            OpKind::Write(v) => write!(f, "write #{} {} ← {v}", o.id, o.key),
            OpKind::Read(_) => write!(f, "read #{} of {}", o.id, o.key),
        }
    }
}

/// The verdict for one key.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum Verdict {
    /// Some order of the key's operations explains every result.
    Linearizable,
    /// No order does.
    Violation {
        /// The response time of the operation that cannot be placed: the
        /// history up to just before it is linearizable.
        at: u64,
        /// The operations involved: that operation first, then the ones it
        /// conflicts with, by invocation time.
        ops: Vec<u64>,
        /// A sentence naming them.
        explanation: String,
    },
    /// The search ran out of budget (or the history is malformed): no verdict.
    NotChecked {
        /// Why, in a sentence.
        reason: String,
    },
}

/// The check of one key.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct KeyReport {
    /// The key.
    pub key: String,
    /// How many operations the history has on it (pending ones included).
    pub ops: usize,
    /// Search steps spent; never more than the budget.
    pub steps: u64,
    /// The verdict.
    pub verdict: Verdict,
}

/// The check of a whole history: one [`KeyReport`] per key, in key order.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct Report {
    /// Per key, sorted by key.
    pub keys: Vec<KeyReport>,
}

impl Report {
    /// True when every key was checked and found linearizable (an empty history is).
    pub fn is_linearizable(&self) -> bool {
        self.keys.iter().all(|k| k.verdict == Verdict::Linearizable)
    }

    /// The keys with a violation.
    pub fn violations(&self) -> impl Iterator<Item = &KeyReport> {
        self.keys.iter().filter(|k| matches!(k.verdict, Verdict::Violation { .. }))
    }

    /// The violation seen earliest (by its `at`, then key): the one the badge shows.
    pub fn first_violation(&self) -> Option<&KeyReport> {
        self.violations().min_by_key(|k| match k.verdict {
            Verdict::Violation { at, .. } => at,
            _ => u64::MAX,
        })
    }

    /// The keys left unchecked.
    pub fn not_checked(&self) -> impl Iterator<Item = &KeyReport> {
        self.keys.iter().filter(|k| matches!(k.verdict, Verdict::NotChecked { .. }))
    }
}

/// Checks a whole history, key by key, with at most `budget` search steps per key.
pub fn check(history: &[Op], budget: u64) -> Report {
    Report { keys: by_key(history).into_iter().map(|(key, ops)| check_ops(key, &ops, budget)).collect() }
}

/// Checks the operations of `history` on `key` (the others are ignored).
pub fn check_key(key: &str, history: &[Op], budget: u64) -> KeyReport {
    let ops: Vec<&Op> = history.iter().filter(|o| o.key == key).collect();
    check_ops(key, &ops, budget)
}

/// Re-checks a growing history cheaply: it remembers each key's operations and
/// verdict, and a call re-checks only the keys whose operations changed (an
/// operation added, answered or different, as after time travel). Keys no
/// longer in the history are forgotten.
#[derive(Clone, Debug)]
pub struct Checker {
    budget: u64,
    keys: BTreeMap<String, (Vec<Op>, KeyReport)>,
    rechecked: Vec<String>,
}

impl Default for Checker {
    fn default() -> Checker {
        Checker::new(DEFAULT_BUDGET)
    }
}

impl Checker {
    /// A checker allowing `budget` search steps per key and check.
    pub fn new(budget: u64) -> Checker {
        Checker { budget, keys: BTreeMap::new(), rechecked: Vec::new() }
    }

    /// The report for `history`, equal to [`check`]`(history, budget)`.
    pub fn check(&mut self, history: &[Op]) -> Report {
        let groups = by_key(history);
        self.keys.retain(|k, _| groups.contains_key(k.as_str()));
        self.rechecked.clear();
        for (key, ops) in groups {
            let same =
                self.keys.get(key).is_some_and(|(old, _)| old.len() == ops.len() && old.iter().eq(ops.iter().copied()));
            if !same {
                let report = check_ops(key, &ops, self.budget);
                self.keys.insert(key.to_string(), (ops.into_iter().cloned().collect(), report));
                self.rechecked.push(key.to_string());
            }
        }
        Report { keys: self.keys.values().map(|(_, r)| r.clone()).collect() }
    }

    /// The keys the last [`Checker::check`] re-checked, in key order.
    pub fn rechecked(&self) -> &[String] {
        &self.rechecked
    }
}

fn by_key(history: &[Op]) -> BTreeMap<&str, Vec<&Op>> {
    let mut groups: BTreeMap<&str, Vec<&Op>> = BTreeMap::new();
    for op in history {
        groups.entry(op.key.as_str()).or_default().push(op);
    }
    groups
}

/// Counts search steps against a budget (and knows the unit of the times, for the sentences).
struct Meter {
    steps: u64,
    limit: u64,
    /// Time units per virtual millisecond.
    unit: u64,
}

impl Meter {
    /// Takes one step; false (and no step) when the budget is spent.
    fn tick(&mut self) -> bool {
        if self.steps >= self.limit {
            return false;
        }
        self.steps += 1;
        true
    }
}

/// Checks the operations of `history` on `key`, their times given in
/// `ticks_per_ms` units per virtual millisecond (the sentences still say
/// seconds). A caller that knows the order of events within a millisecond
/// (the simulator does) numbers them so, and the real-time order is exact:
/// an answer and an invocation in the same millisecond are then concurrent
/// only if they were.
pub fn check_key_ticks(key: &str, history: &[Op], budget: u64, ticks_per_ms: u64) -> KeyReport {
    let ops: Vec<&Op> = history.iter().filter(|o| o.key == key).collect();
    check_ops_in(key, &ops, budget, ticks_per_ms.max(1))
}

fn check_ops(key: &str, all: &[&Op], budget: u64) -> KeyReport {
    check_ops_in(key, all, budget, 1)
}

fn check_ops_in(key: &str, all: &[&Op], budget: u64, unit: u64) -> KeyReport {
    let mut meter = Meter { steps: 0, limit: budget, unit };
    let verdict = verdict(key, all, &mut meter);
    KeyReport { key: key.to_string(), ops: all.len(), steps: meter.steps, verdict }
}

fn verdict(key: &str, all: &[&Op], meter: &mut Meter) -> Verdict {
    if let Some(o) = all.iter().find(|o| o.completed.is_some_and(|c| c < o.invoked)) {
        return Verdict::NotChecked {
            reason: format!(
                "{} was answered at {}, before it was invoked at {}: the history is malformed",
                o.name(),
                secs(o.completed.unwrap_or(0) / meter.unit),
                secs(o.invoked / meter.unit)
            ),
        };
    }
    // The values answered reads returned, as sortable triples (see `running_tops`).
    let mut read: Vec<(u64, u64, u64)> = all
        .iter()
        .filter(|o| o.completed.is_some())
        .filter_map(|o| match o.kind {
            OpKind::Read(r) => r.map(|v| (value_key(v), 0, 0)),
            OpKind::Write(_) => None,
        })
        .collect();
    sort3(&mut read);
    // Pending reads constrain nothing; a pending write of a value nobody read is best left out.
    let ops: Vec<&Op> = all
        .iter()
        .copied()
        .filter(|o| match o.kind {
            OpKind::Read(_) => o.completed.is_some(),
            OpKind::Write(v) => o.completed.is_some() || read.binary_search(&(value_key(v), 0, 0)).is_ok(),
        })
        .collect();
    let quick = QuickChecks::new(&ops);
    let impossible = ops.iter().copied().filter(|x| quick.refutes(x)).min_by_key(|x| (x.completed, x.invoked, x.id));
    // An impossible read ends the linearizable prefix at its response at the latest.
    let scope: Vec<&Op> = match impossible {
        Some(x) => ops.iter().copied().filter(|o| Some(o.invoked) <= x.completed).collect(),
        None => ops.clone(),
    };
    let stuck = match (search(&scope, meter), impossible) {
        (Outcome::Stuck(i), _) => scope[i],
        (Outcome::Linearizable, None) => return Verdict::Linearizable,
        // In theory the search cannot place an impossible read either; it is
        // the verdict when the search ran out of budget first.
        (_, Some(x)) => x,
        (Outcome::OverBudget, None) => {
            return Verdict::NotChecked {
                reason: format!(
                    "the search for an order of the {} operations on {key} stopped at its budget of {} steps",
                    all.len(),
                    meter.limit
                ),
            }
        }
    };
    explain(key, &ops, stuck, meter)
}

// ----- exact checks without search ----------------------------------------------------------

/// For items added in time order: the largest key of each of two different
/// values among the items so far.
#[derive(Clone, Copy, Default)]
struct TopTwo {
    first: Option<(u64, i64)>,
    second: Option<(u64, i64)>,
}

impl TopTwo {
    fn add(&mut self, key: u64, value: i64) {
        match self.first {
            Some((k, v)) if v == value => self.first = Some((k.max(key), v)),
            Some((k, _)) if k >= key => {
                if self.second.is_none_or(|(k2, _)| k2 < key) {
                    self.second = Some((key, value));
                }
            }
            _ => (self.first, self.second) = (Some((key, value)), self.first),
        }
    }

    /// The largest key of a value other than `value`.
    fn other_than(&self, value: i64) -> Option<u64> {
        match self.first {
            Some((_, v)) if v == value => self.second.map(|(k, _)| k),
            first => first.map(|(k, _)| k),
        }
    }
}

/// `items` (time, key, value) folded in time order: `TopTwo` of all items up to each time.
fn running_tops(items: Vec<(u64, u64, i64)>) -> Vec<(u64, TopTwo)> {
    // The value's bits flipped at the top sort as the i64 does.
    let mut items: Vec<(u64, u64, u64)> = items.into_iter().map(|(t, k, v)| (t, k, value_key(v))).collect();
    sort3(&mut items);
    let mut top = TopTwo::default();
    items
        .into_iter()
        .map(|(t, k, v)| {
            top.add(k, (v ^ 1 << 63) as i64);
            (t, top)
        })
        .collect()
}

/// Sorts triples, by heapsort. Every sort of this module goes through it:
/// the standard sort is a copy of some kilobytes in the page for each
/// element type and key closure; this is a few hundred bytes, once.
fn sort3(v: &mut [(u64, u64, u64)]) {
    fn sift(v: &mut [(u64, u64, u64)], mut root: usize, end: usize) {
        loop {
            let mut child = 2 * root + 1;
            if child >= end {
                return;
            }
            if child + 1 < end && v[child] < v[child + 1] {
                child += 1;
            }
            if v[root] >= v[child] {
                return;
            }
            v.swap(root, child);
            root = child;
        }
    }
    let n = v.len();
    for i in (0..n / 2).rev() {
        sift(v, i, n);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift(v, 0, end);
    }
}

/// `ops` by invocation time, then id (ties kept in their order), each once.
fn by_invocation<'a>(ops: &[&'a Op]) -> Vec<&'a Op> {
    let mut keys: Vec<(u64, u64, u64)> = ops.iter().enumerate().map(|(i, o)| (o.invoked, o.id, i as u64)).collect();
    sort3(&mut keys);
    let mut sorted: Vec<&Op> = keys.iter().map(|k| ops[k.2 as usize]).collect();
    sorted.dedup_by(|a, b| std::ptr::eq(*a, *b));
    sorted
}

/// An i64 as a u64 that sorts the same (its top bit flipped).
fn value_key(v: i64) -> u64 {
    v as u64 ^ 1 << 63
}

/// The writes of value `v` in a list sorted by [`value_key`].
fn of_value(writes: &[(u64, u64, u64)], v: i64) -> &[(u64, u64, u64)] {
    let k = value_key(v);
    &writes[writes.partition_point(|e| e.0 < k)..writes.partition_point(|e| e.0 <= k)]
}

/// The running `TopTwo` of the items strictly before time `t`.
fn top_before(tops: &[(u64, TopTwo)], t: u64) -> Option<TopTwo> {
    tops.partition_point(|&(time, _)| time < t).checked_sub(1).map(|i| tops[i].1)
}

/// The cheap, exact refutations of a read (what [`impossible_read`] and
/// [`stale_read`] explain), in O(log n) per read after O(n log n) set-up.
struct QuickChecks {
    /// The writes by value (as [`value_key`]) then invocation: (value,
    /// invoked, latest response of the value's writes so far, `u64::MAX`
    /// once one of them is pending). A sorted list, not a map of lists: a
    /// map's code weighs kilobytes in the page.
    writes: Vec<(u64, u64, u64)>,
    /// The earliest response showing the key written: of a write, or of a
    /// read that returned a value.
    first_written: Option<u64>,
    /// By write response: the latest-begun answered writes of two values.
    overwrites: Vec<(u64, TopTwo)>,
    /// By read response: the latest first write of two values reads returned
    /// (values whose first write began before the read ended).
    seen: Vec<(u64, TopTwo)>,
}

impl QuickChecks {
    fn new(ops: &[&Op]) -> QuickChecks {
        let mut writes = Vec::new();
        let mut overwrites = Vec::new();
        for o in ops {
            if let OpKind::Write(v) = o.kind {
                // A pending write sorts after the answered ones begun at the same time.
                writes.push((value_key(v), o.invoked, o.completed.unwrap_or(u64::MAX)));
                if let Some(c) = o.completed {
                    overwrites.push((c, o.invoked, v));
                }
            }
        }
        sort3(&mut writes);
        for i in 1..writes.len() {
            if writes[i].0 == writes[i - 1].0 {
                writes[i].2 = writes[i].2.max(writes[i - 1].2);
            }
        }
        let seen = ops
            .iter()
            .filter_map(|r| match (r.kind, r.completed) {
                (OpKind::Read(Some(u)), Some(rc)) => {
                    let first = of_value(&writes, u).first()?.1;
                    (first <= rc).then_some((rc, first, u))
                }
                _ => None,
            })
            .collect();
        QuickChecks {
            first_written: overwrites
                .iter()
                .map(|&(c, _, _)| c)
                .chain(ops.iter().filter(|o| matches!(o.kind, OpKind::Read(Some(_)))).filter_map(|o| o.completed))
                .min(),
            overwrites: running_tops(overwrites),
            seen: running_tops(seen),
            writes,
        }
    }

    /// True when no order of any history with these writes explains read `x`
    /// (given the reads that ended before it began).
    fn refutes(&self, x: &Op) -> bool {
        let (OpKind::Read(result), Some(xc)) = (x.kind, x.completed) else { return false };
        let Some(v) = result else { return self.first_written.is_some_and(|c| c < x.invoked) };
        let of_v = of_value(&self.writes, v);
        let Some(last) = of_v.partition_point(|&(_, invoked, _)| invoked <= xc).checked_sub(1) else {
            return true; // no write of v, or every one began after the read ended
        };
        let done = Some(of_v[last].2).filter(|&d| d != u64::MAX);
        // Every write of v that could precede x had ended at `done`: a write of another value
        // begun after that and ended before x, or read before x, hides them all.
        let after = |tops: &[(u64, TopTwo)]| {
            top_before(tops, x.invoked).and_then(|t| t.other_than(v)).is_some_and(|k| done.is_some_and(|d| k > d))
        };
        after(&self.overwrites) || after(&self.seen)
    }
}

// ----- the search -----------------------------------------------------------------------

enum Outcome {
    Linearizable,
    /// No order exists; the operation (an index into the searched slice) whose
    /// response no attempt got past.
    Stuck(usize),
    OverBudget,
}

/// How to go on after undoing a linearization.
#[derive(Clone, Copy)]
enum Resume {
    /// A read placed by the read rule: no other choice is tried in its place.
    ReadRule,
    /// An answered write: the scan of the main list goes on after it.
    Answered,
    /// A pending write: the scan of the pending list goes on after it, up to
    /// this node of the main list (the first response then).
    Pending(usize),
}

/// SplitMix64's finaliser: a well-spread 64-bit key for each op and value.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The explored configurations, each a compact key (see [`Search::key`]),
/// side by side in one arena and found by their Zobrist hash (kept up to date
/// as ops are linearized and undone): a lookup is a probe or two of an
/// open-addressing table of hashes, plus a comparison of keys when the hash
/// matches. (A hand-made table: the standard HashMap weighs kilobytes in the page.)
#[derive(Default)]
struct Memo {
    arena: Vec<u64>,
    /// For each configuration: where its key starts in the arena, its length,
    /// the previous configuration with the same hash (`usize::MAX`: none), its hash.
    entries: Vec<(usize, usize, usize, u64)>,
    /// Per slot, 1 + the latest configuration of a hash (0: empty); a power of two long.
    table: Vec<usize>,
    /// How many slots are taken.
    taken: usize,
}

impl Memo {
    /// The slot of `hash`: its own, or the empty one where it would go.
    fn slot(&self, hash: u64) -> usize {
        let mask = self.table.len() - 1;
        let mut i = mix(hash) as usize & mask;
        while self.table[i] != 0 && self.entries[self.table[i] - 1].3 != hash {
            i = (i + 1) & mask;
        }
        i
    }

    fn contains(&self, hash: u64, key: &[u64]) -> bool {
        if self.table.is_empty() {
            return false;
        }
        let mut k = self.table[self.slot(hash)].wrapping_sub(1);
        while k != usize::MAX {
            let (start, len, previous, _) = self.entries[k];
            if &self.arena[start..start + len] == key {
                return true;
            }
            k = previous;
        }
        false
    }

    fn insert(&mut self, hash: u64, key: &[u64]) {
        if 2 * (self.taken + 1) > self.table.len() {
            // Twice as many slots; each hash's slot points at its latest configuration.
            self.table = vec![0; (2 * self.table.len()).max(64)];
            for k in 0..self.entries.len() {
                let i = self.slot(self.entries[k].3);
                self.table[i] = k + 1;
            }
        }
        let i = self.slot(hash);
        if self.table[i] == 0 {
            self.taken += 1;
        }
        self.entries.push((self.arena.len(), key.len(), self.table[i].wrapping_sub(1), hash));
        self.table[i] = self.entries.len();
        self.arena.extend_from_slice(key);
    }
}

/// The search over one key's operations (a register).
///
/// Invocations and responses are nodes of doubly linked lists, in time order
/// (invocations first at equal times), so a node's number orders it in time:
/// node k is `entries[k - 1]`. The main list (head 0, tail m + 1) holds the
/// answered operations' invocations and responses; the pending list (head
/// m + 2, tail m + 3) the pending writes' invocations, so that the scans of
/// the main list do not wade through them. A pending write can go next when
/// its invocation node comes before the main list's first response.
struct Search<'a> {
    ops: &'a [&'a Op],
    /// (time, is a response, op).
    entries: Vec<(u64, bool, usize)>,
    next: Vec<usize>,
    prev: Vec<usize>,
    /// Each op's invocation node, and its response node (0: pending).
    call: Vec<usize>,
    ret: Vec<usize>,
    /// The linearized ops, one bit each: answered ops by invocation in the
    /// first `split` words, then pending writes. `bit[i]` is op i's bit.
    config: Vec<u64>,
    bit: Vec<usize>,
    split: usize,
    /// How many pending writes are linearized now.
    pending_placed: usize,
    /// Zobrist hashes: of the linearized ops, and of the pending writes among them.
    hash: u64,
    hash_pending: u64,
    seen: Memo,
    /// Keys being built, with and without the pending writes.
    key: Vec<u64>,
    key_without: Vec<u64>,
    /// Linearized ops, latest last: (op, register before it, how to go on).
    stack: Vec<(usize, Option<i64>, Resume)>,
    value: Option<i64>,
    /// Responses still in the main list.
    remaining: usize,
}

fn search(ops: &[&Op], meter: &mut Meter) -> Outcome {
    Search::new(ops).run(meter)
}

impl<'a> Search<'a> {
    fn new(ops: &'a [&'a Op]) -> Search<'a> {
        let mut entries = Vec::with_capacity(2 * ops.len());
        for (i, op) in ops.iter().enumerate() {
            entries.push((op.invoked, 0, i as u64));
            if let Some(c) = op.completed {
                entries.push((c, 1, i as u64));
            }
        }
        sort3(&mut entries);
        let entries: Vec<(u64, bool, usize)> = entries.into_iter().map(|(t, r, i)| (t, r == 1, i as usize)).collect();
        let m = entries.len();
        let answered = ops.iter().filter(|o| o.completed.is_some()).count();
        let split = answered.div_ceil(64);
        let mut search = Search {
            ops,
            next: vec![0; m + 4],
            prev: vec![0; m + 4],
            call: vec![0; ops.len()],
            ret: vec![0; ops.len()],
            config: vec![0; split + (ops.len() - answered).div_ceil(64)],
            bit: vec![0; ops.len()],
            split,
            pending_placed: 0,
            hash: 0,
            hash_pending: 0,
            seen: Memo::default(),
            key: Vec::new(),
            key_without: Vec::new(),
            stack: Vec::new(),
            value: None,
            remaining: 0,
            entries,
        };
        for (k, &(_, is_ret, i)) in search.entries.iter().enumerate() {
            if is_ret {
                search.ret[i] = k + 1;
                search.remaining += 1;
            } else {
                search.call[i] = k + 1;
            }
        }
        // Link both lists (each node after the last one of its list), and number
        // the bits by invocation: ops are mostly linearized in that order, which
        // keeps the keys short.
        let (mut main_last, mut pending_last) = (0, m + 2);
        let (mut answered_bits, mut pending_bits) = (0, 64 * split);
        for node in 1..=m {
            let i = search.op(node);
            let pending = search.ret[i] == 0;
            let last = if pending { &mut pending_last } else { &mut main_last };
            (search.next[*last], search.prev[node], *last) = (node, *last, node);
            if search.call[i] == node {
                let bits = if pending { &mut pending_bits } else { &mut answered_bits };
                (search.bit[i], *bits) = (*bits, *bits + 1);
            }
        }
        (search.next[main_last], search.prev[m + 1]) = (m + 1, main_last);
        (search.next[pending_last], search.prev[m + 3]) = (m + 3, pending_last);
        search
    }

    /// True for an invocation node (not a response, head or tail).
    fn is_call(&self, node: usize) -> bool {
        (1..=self.entries.len()).contains(&node) && !self.entries[node - 1].1
    }

    fn op(&self, node: usize) -> usize {
        self.entries[node - 1].2
    }

    fn unlink(&mut self, node: usize) {
        let (p, n) = (self.prev[node], self.next[node]);
        self.next[p] = n;
        self.prev[n] = p;
    }

    fn relink(&mut self, node: usize) {
        let (p, n) = (self.prev[node], self.next[node]);
        self.next[p] = node;
        self.prev[n] = node;
    }

    fn flip(&mut self, i: usize) {
        let b = self.bit[i];
        self.config[b / 64] ^= 1 << (b % 64);
        self.hash ^= mix(i as u64);
        if self.ret[i] == 0 {
            self.hash_pending ^= mix(i as u64);
        }
    }

    /// The configuration as a compact key, into `key`: the answered ops'
    /// words without the leading all-ones and trailing all-zero ones (where
    /// they start and end, then the words between), the same for the pending
    /// writes' words (all zero without them), then the register's value. Ops
    /// are linearized roughly in invocation order, so a key is a few words
    /// however long the history.
    fn key(&self, key: &mut Vec<u64>, with_pending: bool) {
        key.clear();
        let trim = |key: &mut Vec<u64>, words: &[u64], full: u64| {
            let lo = words.iter().position(|&w| w != full).unwrap_or(words.len());
            let hi = words.iter().rposition(|&w| w != 0).map_or(lo, |h| (h + 1).max(lo));
            key.extend([lo as u64, hi as u64]);
            key.extend_from_slice(&words[lo..hi]);
        };
        trim(key, &self.config[..self.split], u64::MAX);
        if with_pending {
            trim(key, &self.config[self.split..], 0);
        } else {
            let words = (self.config.len() - self.split) as u64;
            key.extend([words, words]); // as `trim` gives for all-zero words
        }
        key.extend([self.value.is_some() as u64, self.value.unwrap_or(0) as u64]);
    }

    /// True when the configuration was explored before, or the same without
    /// its pending writes was (leaving a pending write out can only help);
    /// leaves its key in `self.key`.
    fn explored(&mut self) -> bool {
        let value = mix(self.value.map_or(u64::MAX, |v| v as u64) ^ 0x5EED);
        let mut key = std::mem::take(&mut self.key);
        self.key(&mut key, true);
        let mut seen = self.seen.contains(self.hash ^ value, &key);
        self.key = key;
        if !seen && self.pending_placed > 0 {
            let mut key = std::mem::take(&mut self.key_without);
            self.key(&mut key, false);
            seen = self.seen.contains(self.hash ^ self.hash_pending ^ value, &key);
            self.key_without = key;
        }
        seen
    }

    /// Linearizes op `i`, leaving the register at `value`, unless that
    /// configuration was explored before.
    fn push(&mut self, i: usize, value: Option<i64>, resume: Resume) -> bool {
        let before = self.value;
        let pending = self.ret[i] == 0;
        self.flip(i);
        self.value = value;
        self.pending_placed += pending as usize;
        if self.explored() {
            self.pending_placed -= pending as usize;
            self.flip(i);
            self.value = before;
            return false;
        }
        let value = mix(self.value.map_or(u64::MAX, |v| v as u64) ^ 0x5EED);
        self.seen.insert(self.hash ^ value, &self.key);
        self.stack.push((i, before, resume));
        self.unlink(self.call[i]);
        if !pending {
            self.unlink(self.ret[i]);
            self.remaining -= 1;
        }
        true
    }

    /// Undoes the latest linearization: (op, how to go on).
    fn pop(&mut self) -> Option<(usize, Resume)> {
        let (i, before, resume) = self.stack.pop()?;
        if self.ret[i] != 0 {
            self.relink(self.ret[i]);
            self.remaining += 1;
        } else {
            self.pending_placed -= 1;
        }
        self.relink(self.call[i]);
        self.flip(i);
        self.value = before;
        Some((i, resume))
    }

    /// Collects into `values` what the reads able to go next returned (false
    /// when the budget runs out).
    fn wanted(&self, values: &mut Vec<i64>, meter: &mut Meter) -> bool {
        values.clear();
        let mut e = self.next[0];
        while self.is_call(e) {
            if !meter.tick() {
                return false;
            }
            if let OpKind::Read(Some(v)) = self.ops[self.op(e)].kind {
                values.push(v);
            }
            e = self.next[e];
        }
        true
    }

    fn run(&mut self, meter: &mut Meter) -> Outcome {
        let pending_head = self.entries.len() + 2;
        // The scan of the configuration being explored: the next candidate, and
        // in the pending list (answered writes are tried first, pending ones
        // after, so that configurations without a pending write, explored
        // first, cut short those with it) up to which main-list node.
        let mut entry = 0;
        let mut pending_until = None;
        // In phase 1, the values that reads able to go next returned: a pending
        // write of another value would be overwritten unread, which only hurts.
        let mut wanted = Vec::new();
        let mut fresh = true; // a configuration not scanned yet
        let mut reads_from = 0; // reads before this node's successor do not match the register
        let mut furthest = 0; // the latest response node any attempt was stopped at
        'search: loop {
            if self.remaining == 0 {
                return Outcome::Linearizable;
            }
            if !meter.tick() {
                return Outcome::OverBudget;
            }
            let mut dead = false;
            if fresh {
                // A read matching the register goes first, with no alternative tried
                // instead: any order that works from here still works with it first.
                fresh = false;
                let mut e = self.next[reads_from];
                while self.is_call(e) {
                    if !meter.tick() {
                        return Outcome::OverBudget;
                    }
                    let i = self.op(e);
                    if self.ops[i].kind == OpKind::Read(self.value) {
                        let before = self.prev[e];
                        if self.push(i, self.value, Resume::ReadRule) {
                            (fresh, reads_from) = (true, before);
                            continue 'search;
                        }
                        dead = true;
                        break;
                    }
                    e = self.next[e];
                }
                (entry, pending_until) = (self.next[0], None);
            }
            // Reads left here do not match the register: only writes can go next.
            if !dead {
                loop {
                    while self.is_call(entry) && pending_until.is_none_or(|end| entry < end) {
                        if !meter.tick() {
                            return Outcome::OverBudget;
                        }
                        let i = self.op(entry);
                        if let OpKind::Write(v) = self.ops[i].kind {
                            let resume = pending_until.map_or(Resume::Answered, Resume::Pending);
                            if (pending_until.is_none() || wanted.contains(&v)) && self.push(i, Some(v), resume) {
                                (fresh, reads_from) = (true, 0);
                                continue 'search;
                            }
                        }
                        entry = self.next[entry];
                    }
                    if pending_until.is_some() {
                        break;
                    }
                    // `entry` is the main list's first response: no attempt from here gets
                    // past it unless a pending write helps.
                    furthest = furthest.max(entry);
                    if !self.is_call(self.next[pending_head]) {
                        break;
                    }
                    (entry, pending_until) = (self.next[pending_head], Some(entry));
                    if !self.wanted(&mut wanted, meter) {
                        return Outcome::OverBudget;
                    }
                }
            }
            loop {
                let Some((i, resume)) = self.pop() else {
                    // `furthest` is set: the first configuration to fail ended a scan.
                    return Outcome::Stuck(self.op(furthest.max(1)));
                };
                match resume {
                    Resume::ReadRule => {}
                    Resume::Answered => (entry, pending_until) = (self.next[self.call[i]], None),
                    Resume::Pending(end) => {
                        (entry, pending_until) = (self.next[self.call[i]], Some(end));
                        if !self.wanted(&mut wanted, meter) {
                            return Outcome::OverBudget;
                        }
                    }
                }
                if !matches!(resume, Resume::ReadRule) {
                    continue 'search;
                }
            }
        }
    }
}

// ----- explanations ---------------------------------------------------------------------

/// "1.234 s", written straight into a sentence.
struct Secs(u64);

impl std::fmt::Display for Secs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{:03} s", self.0 / 1000, self.0 % 1000)
    }
}

fn secs(ms: u64) -> Secs {
    Secs(ms)
}

/// The writes as (value key, invoked, 0), sorted: [`of_value`] finds the first of a value.
fn first_writes(ops: &[&Op]) -> Vec<(u64, u64, u64)> {
    let mut writes: Vec<(u64, u64, u64)> = ops
        .iter()
        .filter_map(|o| match o.kind {
            OpKind::Write(v) => Some((value_key(v), o.invoked, 0)),
            OpKind::Read(_) => None,
        })
        .collect();
    sort3(&mut writes);
    writes
}

fn is_write_of(op: &Op, v: i64) -> bool {
    op.kind == OpKind::Write(v)
}

/// `a` precedes `b` in real time.
fn precedes(a: &Op, b: &Op) -> bool {
    a.completed.is_some_and(|c| c < b.invoked)
}

/// "#4 x ← 1, #5 x ← 2 and 3 more" (ops by their ids, at most four named).
fn list(ops: &[&Op]) -> String {
    let names: Vec<String> = ops.iter().take(4).map(|o| o.name().to_string()).collect();
    let more = ops.len().saturating_sub(4);
    match (names.len(), more) {
        (0, _) => "none".to_string(),
        (1, 0) => names[0].clone(),
        (_, 0) => format!("{} and {}", names[..names.len() - 1].join(", "), names[names.len() - 1]),
        _ => format!("{} and {more} more", names.join(", ")),
    }
}

fn ids(first: &Op, others: &[&Op]) -> Vec<u64> {
    let others = by_invocation(others);
    std::iter::once(first.id).chain(others.into_iter().filter(|o| !std::ptr::eq(*o, first)).map(|o| o.id)).collect()
}

/// A read no order can explain whatever the other reads say: (ops involved, sentence).
fn impossible_read(key: &str, ops: &[&Op], x: &Op, unit: u64) -> Option<(Vec<u64>, String)> {
    let (OpKind::Read(result), Some(xc)) = (x.kind, x.completed) else { return None };
    let read = x.name();
    match result {
        Some(v) => {
            let first = ops.iter().copied().filter(|o| is_write_of(o, v)).min_by_key(|o| (o.invoked, o.id));
            match first {
                None => Some((vec![x.id], format!("{read} returned {v} at {}, but nothing ever wrote {v} to {key}", secs(xc / unit)))),
                Some(w) if precedes(x, w) => Some((
                    ids(x, &[w]),
                    format!(
                        "{read} returned {v} at {}, before any write of {v} to {key} began (the first, {}, began at {})",
                        secs(xc / unit),
                        w.name(),
                        secs(w.invoked / unit)
                    ),
                )),
                Some(_) => None,
            }
        }
        None => {
            // A write that had completed, else a read that had returned a value.
            let before = |write: bool| {
                ops.iter()
                    .copied()
                    .filter(move |o| match o.kind {
                        OpKind::Write(_) => write,
                        OpKind::Read(r) => !write && r.is_some(),
                    })
                    .filter(|o| precedes(o, x))
                    .min_by_key(|o| (o.completed, o.id))
            };
            let (o, what) = match before(true) {
                Some(w) => (w, "completed".to_string()),
                None => before(false).map(|r| (r, format!("returned {}", r.kind_result())))?,
            };
            Some((
                ids(x, &[o]),
                format!(
                    "{read} found {key} never written (answered at {}), but {} had {what} at {}, before the read began at {}",
                    secs(xc / unit),
                    o.name(),
                    secs(o.completed.unwrap_or(0) / unit),
                    secs(x.invoked / unit)
                ),
            ))
        }
    }
}

/// Explains why `x`, the operation no order can place, cannot be placed.
fn explain(key: &str, ops: &[&Op], x: &Op, meter: &mut Meter) -> Verdict {
    let at = x.completed.unwrap_or(x.invoked);
    if let Some((ops, explanation)) = impossible_read(key, ops, x, meter.unit) {
        return Verdict::Violation { at, ops, explanation };
    }
    // The history up to x's response, which has no order already: operations
    // invoked later play no part, and those answered later count as pending
    // (a read answered later constrains nothing up to then).
    let mut prefix: Vec<Op> = vec![x.clone()];
    for &o in ops.iter().filter(|&&o| o.invoked <= at && !std::ptr::eq(o, x)) {
        let completed = o.completed.filter(|&c| c <= at);
        if completed.is_some() || matches!(o.kind, OpKind::Write(_)) {
            prefix.push(Op { completed, ..o.clone() });
        }
    }
    let prefix: Vec<&Op> = prefix.iter().collect();
    let x = prefix[0];
    let (ops, explanation) = stale_read(&prefix, x, meter.unit).unwrap_or_else(|| unexplained(key, &prefix, x, meter));
    Verdict::Violation { at, ops, explanation }
}

/// A read of `v` after a write of another value that every write of `v` had
/// ended before, or after a read of `u` whose writes all began after every
/// write of `v` ended.
fn stale_read(prefix: &[&Op], x: &Op, unit: u64) -> Option<(Vec<u64>, String)> {
    let (OpKind::Read(Some(v)), Some(xc)) = (x.kind, x.completed) else { return None };
    let writes_of = |v: i64| prefix.iter().copied().filter(move |o| is_write_of(o, v));
    let last_v = writes_of(v).max_by_key(|o| (o.completed, o.id))?;
    // When every write of v had ended: a write begun after that overwrote them all.
    let v_done = writes_of(v).map(|o| o.completed).collect::<Option<Vec<u64>>>()?.into_iter().max()?;
    let newer = prefix
        .iter()
        .copied()
        .filter(|w| matches!(w.kind, OpKind::Write(u) if u != v) && precedes(w, x) && v_done < w.invoked)
        .max_by_key(|w| (w.completed, w.id));
    if let Some(w) = newer {
        return Some((
            ids(x, &[w, last_v]),
            format!(
                "{} returned {v} at {}, but {} had completed at {}, before the read began, and no write of {v} came after it (the last, {}, completed at {})",
                x.name(),
                secs(xc / unit),
                w.name(),
                secs(w.completed.unwrap_or(0) / unit),
                last_v.name(),
                secs(v_done / unit)
            ),
        ));
    }
    // An earlier read saw u: a write of u it could have seen (begun before it
    // ended) took effect, and every such write began after every write of v ended.
    let first_write = first_writes(prefix);
    let (r, u) = prefix
        .iter()
        .copied()
        .filter(|r| precedes(r, x))
        .filter_map(|r| match r.kind {
            OpKind::Read(Some(u)) if u != v => {
                let t = of_value(&first_write, u).first()?.1;
                (Some(t) <= r.completed && v_done < t).then_some((r, u))
            }
            _ => None,
        })
        .max_by_key(|(r, _)| (r.completed, r.id))?;
    let seen: Vec<&Op> = writes_of(u).filter(|w| !precedes(r, w)).collect();
    let mut involved = seen.clone();
    involved.push(r);
    involved.push(last_v);
    Some((
        ids(x, &involved),
        format!(
            "{} returned {v} at {}, but {} had returned {u} at {}, before it began, and every write of {v} (the last, {}, completed at {}) had completed before {} began",
            x.name(),
            secs(xc / unit),
            r.name(),
            secs(r.completed.unwrap_or(0) / unit),
            last_v.name(),
            secs(v_done / unit),
            if seen.len() == 1 { seen[0].name().to_string() } else { format!("any write of {u} it could have seen") }
        ),
    ))
}

/// No simple pattern: names the fewest earlier reads that, with the writes,
/// leave no order (found by delta debugging within what is left of the budget),
/// and the writes those reads could have seen.
fn unexplained(key: &str, prefix: &[&Op], x: &Op, meter: &mut Meter) -> (Vec<u64>, String) {
    let reads = essential_reads(prefix, x, meter);
    // Writes each read could have seen: begun before it ended, and not followed
    // by another write that completed before it began.
    let mut writes: Vec<&Op> = Vec::new();
    for r in reads.iter().copied().chain([x]) {
        let rc = r.completed.unwrap_or(u64::MAX);
        let latest_overwrite =
            prefix.iter().filter(|w| matches!(w.kind, OpKind::Write(_)) && precedes(w, r)).map(|w| w.invoked).max();
        writes.extend(prefix.iter().copied().filter(|w| {
            matches!(w.kind, OpKind::Write(_))
                && w.invoked <= rc
                && latest_overwrite.is_none_or(|m| w.completed.is_none_or(|c| c >= m))
        }));
    }
    let writes = by_invocation(&writes);
    let what = match x.kind {
        OpKind::Read(Some(v)) => format!("returned {v}"),
        OpKind::Read(None) => format!("found {key} never written"),
        OpKind::Write(_) => "was acknowledged".to_string(),
    };
    let with = if reads.is_empty() {
        String::new()
    } else {
        let seen: Vec<String> = reads
            .iter()
            .map(|r| {
                let got = match r.kind {
                    OpKind::Read(Some(u)) => format!("returned {u}"),
                    _ => format!("found {key} never written"),
                };
                format!("{} ({got} at {})", r.name(), secs(r.completed.unwrap_or(0) / meter.unit))
            })
            .collect();
        format!(" together with {}", seen.join(", "))
    };
    let but = match writes.len() {
        0 => format!("nothing written to {key} explains that{with}"),
        1 => format!("the only write, {}, cannot explain that{with}", writes[0].name()),
        _ => format!("no order of {} that respects their times explains that{with}", list(&writes)),
    };
    let mut involved = writes.clone();
    involved.extend(reads.iter().copied());
    (
        ids(x, &involved),
        format!("{} {what} at {}, but {but}", x.name(), secs(x.completed.unwrap_or(x.invoked) / meter.unit)),
    )
}

/// A smallest set of reads in `prefix` (besides `x`) that, with every write
/// there and `x`, has no order: each one kept is needed (delta debugging over
/// reads only, so the writes' story stays the real one). Stops where the budget
/// does, keeping the reads not yet ruled out.
fn essential_reads<'a>(prefix: &[&'a Op], x: &'a Op, meter: &mut Meter) -> Vec<&'a Op> {
    let writes: Vec<&Op> = prefix.iter().copied().filter(|o| matches!(o.kind, OpKind::Write(_))).collect();
    let mut reads: Vec<&Op> =
        prefix.iter().copied().filter(|o| matches!(o.kind, OpKind::Read(_)) && !std::ptr::eq(*o, x)).collect();
    let fails = |reads: &[&Op], meter: &mut Meter| {
        let mut h: Vec<&Op> = writes.clone();
        h.extend_from_slice(reads);
        h.push(x);
        // Stuck at x itself: another read impossible on its own would not explain x.
        matches!(search(&h, meter), Outcome::Stuck(i) if i == h.len() - 1)
    };
    if fails(&[], meter) {
        return Vec::new();
    }
    let mut n = 2;
    while reads.len() > 1 {
        let parts = n.min(reads.len());
        let chunk = reads.len().div_ceil(parts);
        let mut reduced = false;
        for start in (0..reads.len()).step_by(chunk) {
            if meter.steps >= meter.limit {
                return reads;
            }
            let rest: Vec<&Op> =
                reads[..start].iter().chain(&reads[(start + chunk).min(reads.len())..]).copied().collect();
            if fails(&rest, meter) {
                reads = rest;
                n = (parts - 1).max(2);
                reduced = true;
                break;
            }
        }
        if !reduced {
            if parts >= reads.len() {
                break;
            }
            n = (2 * parts).min(reads.len());
        }
    }
    reads
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_linearizes_in_time_order_and_reports_the_op_it_cannot_place() {
        let w1 = Op::write(1, "x", 1, 0, Some(10));
        let w2 = Op::write(2, "x", 2, 20, Some(30));
        let r = Op::read(3, "x", Some(1), 40, Some(50));
        let ops = [&w1, &w2, &r];
        let mut meter = Meter { steps: 0, limit: 1_000, unit: 1 };
        assert!(matches!(search(&ops, &mut meter), Outcome::Stuck(2)));
        let ok = Op::read(3, "x", Some(2), 40, Some(50));
        assert!(matches!(search(&[&w1, &w2, &ok], &mut meter), Outcome::Linearizable));
    }

    #[test]
    fn the_meter_never_passes_its_limit() {
        let mut m = Meter { steps: 0, limit: 2, unit: 1 };
        assert!(m.tick() && m.tick());
        assert!(!m.tick());
        assert_eq!(m.steps, 2);
    }

    #[test]
    fn a_one_element_read_set_is_not_shrunk_below_what_fails() {
        // Non-monotonic reads over concurrent writes: the earlier read is essential.
        let w1 = Op::write(1, "x", 1, 0, Some(30));
        let w2 = Op::write(2, "x", 2, 0, Some(30));
        let r1 = Op::read(3, "x", Some(2), 40, Some(50));
        let noise = Op::read(5, "x", Some(1), 10, Some(20));
        let r2 = Op::read(4, "x", Some(1), 60, Some(70));
        let mut meter = Meter { steps: 0, limit: 10_000, unit: 1 };
        let kept = essential_reads(&[&w1, &w2, &noise, &r1, &r2], &r2, &mut meter);
        assert_eq!(kept.iter().map(|o| o.id).collect::<Vec<_>>(), vec![3]);
    }

    #[test]
    fn sort3_sorts_like_the_standard_sort() {
        let mut rng = crate::sim::Rng::new(5);
        for n in [0, 1, 2, 3, 10, 100, 1_000] {
            let mut v: Vec<(u64, u64, u64)> =
                (0..n).map(|_| (rng.range(0, 9), rng.range(0, 3), rng.range(0, 1_000))).collect();
            let mut expected = v.clone();
            expected.sort();
            sort3(&mut v);
            assert_eq!(v, expected, "{n} triples");
        }
    }

    #[test]
    fn seconds_have_three_decimals() {
        assert_eq!(secs(1_234).to_string(), "1.234 s");
        assert_eq!(secs(5).to_string(), "0.005 s");
    }
}
