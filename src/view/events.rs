//! The run's events as the page hands them out: the event feed in pages
//! ([`feed_page`]: the whole run stays readable, yet a page never draws more
//! than [`PAGE`] rows however long the run), and the events of
//! `raftPlayground.events(from, count)` and `state().events` ([`EventState`]:
//! time, kind, sentence and the event as data).

use super::json::{event_data, Json};
use super::theme::secs;
use crate::sim::{Event, EventData};
use serde::Serialize;

/// How many events a page of the feed shows. Each row costs the page at every
/// jump in time (a seek): every row then shows another event and is written,
/// laid out and painted again; 100 rows, 9 of them in view at 1280x800, were
/// about a third of a seek's time on the page, 50 about half that.
pub const PAGE: usize = 50;

/// The most events one call of `raftPlayground.events` returns (and the
/// number it returns when not told).
pub const EVENTS_PER_CALL: u64 = 10_000;

/// One event: `time` in virtual ms, `kind` its sort ("Election", "Commit"...),
/// `text` its sentence, `data` the event as data (`{ type: "leader_elected",
/// node: 3, term: 4, votes: [1, 3, 5] }`, see [`EventData`]).
#[derive(Serialize, Debug)]
pub struct EventState<'a> {
    #[allow(missing_docs)]
    pub time: u64,
    #[allow(missing_docs)]
    pub kind: String,
    #[allow(missing_docs)]
    pub text: String,
    #[allow(missing_docs)]
    pub data: &'a EventData,
}

impl<'a> From<&'a Event> for EventState<'a> {
    fn from(e: &'a Event) -> Self {
        EventState { time: e.time, kind: format!("{:?}", e.kind()), text: e.text(), data: &e.what }
    }
}

/// Writes event `e` as JSON, as serde writes its [`EventState`]:
/// `{"time":..,"kind":..,"text":..,"data":{..}}` (straight from the event:
/// no `EventState` made first).
pub fn write_event(j: &mut Json, e: &Event) {
    j.open().key("time").uint(e.time).key("kind").str(&format!("{:?}", e.kind())).key("text").str(&e.text());
    j.key("data");
    event_data(j, &e.what);
    j.close();
}

/// The events from index `from` (0 is the run's first event), at most
/// `count` of them, oldest first, as a JSON list (what
/// `raftPlayground.events()` returns; the same as [`events_from`] as serde
/// writes it).
pub fn events_json(events: &[Event], from: usize, count: usize) -> String {
    let mut j = Json::new();
    j.open_list();
    for e in events.iter().skip(from).take(count) {
        write_event(&mut j, e);
    }
    j.close_list();
    j.finish()
}

/// The events from index `from` (0 is the run's first event), at most
/// `count` of them, oldest first; none when `from` is past the last one.
pub fn events_from(events: &[Event], from: usize, count: usize) -> Vec<EventState<'_>> {
    events.iter().skip(from).take(count).map(EventState::from).collect()
}

/// Which events a page of the feed shows, newest first.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct FeedPage {
    /// The index of its oldest event.
    pub from: usize,
    /// One past the index of its newest event.
    pub to: usize,
    /// How many events the run has.
    pub total: usize,
    /// Whether it is the newest page, which follows new events as they come.
    pub newest: bool,
}

impl FeedPage {
    /// Where "Newer" leads: `None` is the newest page (it follows new events).
    pub fn newer(&self) -> Option<Option<usize>> {
        (!self.newest).then(|| Some(self.to + PAGE).filter(|&end| end < self.total))
    }

    /// Where "Older" leads (`None` when this page starts at the first event).
    pub fn older(&self) -> Option<Option<usize>> {
        (self.from > 0).then(|| Some(self.to.saturating_sub(PAGE).max(PAGE.min(self.total))))
    }

    /// Where "Oldest" leads (`None` when this page starts at the first event).
    pub fn oldest(&self) -> Option<Option<usize>> {
        (self.from > 0).then(|| Some(PAGE.min(self.total)))
    }

    /// "201–300 of 2,345": the events shown, counted from the run's first (1).
    pub fn label(&self) -> String {
        if self.total == 0 {
            return "no events yet".to_string();
        }
        format!("{}–{} of {}", grouped(self.from + 1), grouped(self.to), grouped(self.total))
    }

    /// How wide (in characters) the time column must be for every time on
    /// this page: the newest is the longest, times never decrease.
    pub fn time_width(&self, events: &[Event]) -> usize {
        events[self.from..self.to].last().map_or(7, |e| secs(e.time as f64).chars().count())
    }
}

/// The page of the feed ending (exclusively) at event index `end`: `None`,
/// or an end at or past the last event, is the newest page, which follows new
/// events; an earlier page stays where it is as the run goes on.
pub fn feed_page(total: usize, end: Option<usize>) -> FeedPage {
    let (to, newest) = match end {
        Some(e) if e < total => (e.max(PAGE.min(total)), false),
        _ => (total, true),
    };
    FeedPage { from: to.saturating_sub(PAGE), to, total, newest }
}

/// 12345 as "12,345".
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
