//! What the ring draws at one moment ([`ring_draw`]): each server's place,
//! shape and words, each link's state, and each message's place, worked out
//! from the [`Model`] so the SVG components only turn it into markup.

use super::geometry::{
    angle, label_above, link_between, message_pos, progress_at, server_pos, server_radius, server_reach, sin_cos, Edge,
    CENTRE,
};
use super::labels::{inside, text_sizes, Inside, TextSizes};
use super::members::{members, Member, MEMBERSHIP};
use super::message::glance;
use super::model::Model;
use super::theme::state_word;
use crate::lesson::Highlight;
use crate::sim::{Addr, InFlight, MessageKind, NodeId, Role, LOST_KEEP_MS};

/// What a server looks like at one moment (everything its drawing depends on).
#[derive(Clone, PartialEq, Debug)]
pub struct ServerDraw {
    /// Its id.
    pub id: NodeId,
    /// Its centre, in the ring's units.
    pub x: f64,
    /// Its centre, in the ring's units.
    pub y: f64,
    /// Its radius.
    pub r: f64,
    /// Whether its label goes above it (the servers at the top of the ring).
    pub label_above: bool,
    /// Whether it sits on the right half of the ring (its group tag goes on that side).
    pub right: bool,
    /// Its role (meaningful while it runs).
    pub role: Role,
    /// Its current term.
    pub term: u64,
    /// Whom it voted for in its current term.
    pub voted_for: Option<NodeId>,
    /// Whether it runs (false: crashed).
    pub up: bool,
    /// Its place in the configuration in force (voter, learner, removed).
    pub member: Member,
    /// Whether it is cut off from everyone.
    pub disconnected: bool,
    /// Its partition group (0: no partition).
    pub group: u32,
    /// The share of its election timer still to run (`None`: no timer running).
    pub timer_left: Option<f64>,
    /// As a candidate: the votes it has and the votes it needs.
    pub votes: Option<(usize, usize)>,
    /// Whether its menu is open.
    pub selected: bool,
    /// As a leader handing leadership over: to whom.
    pub transferring: Option<NodeId>,
    /// Where its name and term go inside it, and its term's form.
    pub inside: Inside,
    /// Whether the lesson's step points at it.
    pub lit: bool,
    /// Whether it is among the servers clicked to answer the lesson's question.
    pub picked: bool,
}

impl ServerDraw {
    /// "leader", "candidate", "follower" or "crashed".
    pub fn state_word(&self) -> &'static str {
        state_word(self.role, self.up)
    }

    /// "learner" or "removed" for a running server that is not a voter
    /// (a removed leader still leading until its removal commits is "leader"),
    /// else its state word.
    pub fn role_word(&self) -> &'static str {
        match self.member {
            _ if !MEMBERSHIP => self.state_word(),
            Member::Voter => self.state_word(),
            _ if !self.up || self.role == Role::Leader => self.state_word(),
            m => m.word(),
        }
    }

    /// The two lines of its label: its role (with its votes as a candidate;
    /// "learner" or "removed" when it is not a voter), then whom it voted
    /// for, whom it hands leadership to, or that it is disconnected.
    pub fn caption(&self) -> (String, String) {
        let first = match self.votes {
            Some((got, need)) => format!("candidate {got}/{need}"),
            None => self.role_word().to_string(),
        };
        let second = if self.disconnected {
            "✂ disconnected".to_string()
        } else if let Some(t) = self.transferring {
            format!("→ handing to {t}")
        } else {
            match self.voted_for {
                Some(v) => format!("voted {v}"),
                None => "no vote yet".to_string(),
            }
        };
        (first, second)
    }

    /// Its accessible name.
    pub fn aria_label(&self) -> String {
        let vote = match self.voted_for {
            Some(v) => format!("voted for {v}"),
            None => "no vote".into(),
        };
        format!("{}: {}, term {}, {vote}. Open its menu", self.id, self.role_word(), self.term)
    }
}

/// A message (in flight or just lost) as drawn.
#[derive(Clone, PartialEq, Debug)]
pub struct MessageDraw {
    /// Its id.
    pub id: u64,
    /// Its kind (its glyph).
    pub kind: MessageKind,
    /// Where it is now.
    pub x: f64,
    /// Where it is now.
    pub y: f64,
    /// The sender's term, the glyph's colour (0 for the client's messages).
    pub term: u64,
    /// For replies: ✓ or ✗.
    pub ok: Option<bool>,
    /// For AppendEntries: how many entries.
    pub count: usize,
    /// Whether it is a copy made by "duplicate".
    pub duplicate: bool,
    /// For a lost message: how faded it is (1 = just lost, 0 = gone).
    pub lost: Option<f64>,
    /// Whether it is being inspected.
    pub inspected: bool,
    /// Whether the pointer rests on it (it is drawn highlighted: a click inspects it).
    pub hovered: bool,
    /// Whether the lesson's step points at it.
    pub lit: bool,
    /// Its accessible name.
    pub label: String,
}

/// A link as drawn: from one end's edge to the other's (`None` when the two touch).
pub type Line = Option<((f64, f64), (f64, f64))>;

/// The ring's inputs at one moment.
#[derive(Clone, PartialEq, Debug)]
pub struct RingDraw {
    /// The servers, in id order.
    pub servers: Vec<ServerDraw>,
    /// Links between servers: (index a, index b, state, line), for a < b.
    pub links: Vec<(usize, usize, LinkState, Line)>,
    /// The link from the client to each server: (state, line).
    pub client_links: Vec<(LinkState, Line)>,
    /// Messages just lost (fading), then messages in flight.
    pub messages: Vec<MessageDraw>,
    /// How big the words are, for the size the ring is drawn at.
    pub text: TextSizes,
    /// Whether the lesson's step points at the client.
    pub client_lit: bool,
}

/// How a link between two ends is drawn.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LinkState {
    /// Messages get through.
    Up,
    /// One end is crashed.
    Down,
    /// Cut by a partition or a disconnection.
    Cut,
}

/// A message as drawn at its place, `lost` giving its fade for a lost one.
fn message_draw(
    m: &InFlight,
    (x, y): (f64, f64),
    lost: Option<f64>,
    inspected: bool,
    hovered: bool,
    lit: bool,
) -> MessageDraw {
    let g = glance(&m.payload);
    let label = if lost.is_some() {
        format!("lost message #{}: {}", m.id, m.payload.summary())
    } else {
        format!("Message #{} {} → {}: {}. Inspect it", m.id, m.from, m.to, m.payload.summary())
    };
    MessageDraw {
        id: m.id,
        kind: g.kind,
        x,
        y,
        term: g.term.unwrap_or(0),
        ok: g.ok,
        count: g.entries,
        duplicate: m.duplicate,
        lost,
        inspected,
        hovered,
        lit,
        label,
    }
}

/// The ring's inputs, read from the model at its display time.
pub fn ring_draw(m: &Model) -> RingDraw {
    let c = &m.cluster();
    let now = m.display_now();
    let n = c.servers().len();
    let r = server_radius(n);
    let text = text_sizes(m.ring_scale, n);
    let member = members(c);
    let lit = m.lessons.highlights(c.now());
    let picked = m.lessons.picked();
    let servers: Vec<ServerDraw> = c
        .servers()
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (x, y) = server_pos(i, n);
            let timer_left = s.election_timer().filter(|_| s.is_up()).map(|t| {
                let total = (t.deadline.saturating_sub(t.started)).max(1) as f64;
                ((t.deadline as f64 - now) / total).clamp(0.0, 1.0)
            });
            // A majority of the voters of the candidate's own configuration.
            let majority = s.raft().members().len() / 2 + 1;
            let votes = (s.is_up() && s.role() == Role::Candidate).then(|| (s.raft().votes().len(), majority));
            ServerDraw {
                id: s.id(),
                x,
                y,
                r,
                label_above: label_above(i, n),
                right: sin_cos(angle(i, n)).1 >= 0.0,
                role: s.role(),
                term: s.term(),
                voted_for: s.voted_for(),
                up: s.is_up(),
                member: member[i],
                disconnected: s.is_disconnected(),
                group: s.group(),
                timer_left,
                votes,
                selected: m.selected == Some(s.id()),
                transferring: s.raft().transferring_to().filter(|_| s.is_up()),
                inside: inside(s.term(), r, &text, votes.is_some()),
                lit: lit.iter().any(|h| h.covers_server(s.id())),
                picked: picked.contains(&s.id()),
            }
        })
        .collect();
    let link = |reach: bool, up: bool| match (reach, up) {
        (false, _) => LinkState::Cut,
        (true, false) => LinkState::Down,
        (true, true) => LinkState::Up,
    };
    // Links run from edge to edge: never across a server's name and term, nor the client's.
    let edge = Edge::Disc(server_reach(n));
    let (hw, hh) = text.client_box();
    let client_edge = Edge::Box(hw + 2.0, hh + 2.0);
    let mut links = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            let (sa, sb) = (&c.servers()[a], &c.servers()[b]);
            let reach = c.can_reach(Addr::Node(sa.id()), Addr::Node(sb.id()));
            let line = link_between(server_pos(a, n), edge, server_pos(b, n), edge);
            links.push((a, b, link(reach, sa.is_up() && sb.is_up()), line));
        }
    }
    let client_links = c
        .servers()
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let line = link_between(CENTRE, client_edge, server_pos(i, n), edge);
            (link(c.can_reach(Addr::Client, Addr::Node(s.id())), s.is_up()), line)
        })
        .collect();
    let inspected = m.inspected.as_ref().map(|x| x.id);
    let mut messages: Vec<MessageDraw> = Vec::new();
    for l in c.lost_messages() {
        let age = (now - l.lost_at as f64).max(0.0);
        let fade = 1.0 - age / LOST_KEEP_MS as f64;
        if fade > 0.0 {
            let at = message_pos(&l.message, l.progress, n);
            messages.push(message_draw(&l.message, at, Some(fade), false, false, false));
        }
    }
    for msg in c.messages() {
        let at = message_pos(msg, progress_at(msg, now), n);
        let lit = lit.iter().any(|h| h.covers_message(msg.payload.kind(), msg.from, msg.to));
        messages.push(message_draw(msg, at, None, inspected == Some(msg.id), m.hovered == Some(msg.id), lit));
    }
    let client_lit = lit.contains(&Highlight::Client);
    RingDraw { servers, links, client_links, messages, text, client_lit }
}
