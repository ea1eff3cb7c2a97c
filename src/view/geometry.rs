//! Where things sit on the ring: a square canvas of [`VIEW`] units with the
//! servers on a circle, the first at the top and the others clockwise, and the
//! client in the middle. Messages travel in lanes beside the line between their
//! two ends, requests on one side and replies on the other.

use crate::decimal::fixed;
use crate::sim::{Addr, Cluster, InFlight};

/// The size of the ring's SVG canvas (a square).
pub const VIEW: f64 = 600.0;
/// The centre of the ring (where the client sits).
pub const CENTRE: (f64, f64) = (VIEW / 2.0, VIEW / 2.0 + 4.0);

/// The ring's radius for `n` servers.
pub fn ring_radius(n: usize) -> f64 {
    if n <= 5 {
        205.0
    } else {
        215.0
    }
}

/// A server's radius for `n` servers (large enough for its name and its term
/// in words a projector can show, see [`crate::view::labels`]).
pub fn server_radius(n: usize) -> f64 {
    match n {
        0..=5 => 36.0,
        _ => 32.0,
    }
}

/// How far from a server's centre its drawing reaches: the shape and the
/// election timer's arc around it. Links stop there, and nothing else may
/// cover it (the server's menu, for one).
pub fn server_reach(n: usize) -> f64 {
    server_radius(n) + 10.0
}

/// The angle of server `i` of `n` (the first at the top, then clockwise).
pub fn angle(i: usize, n: usize) -> f64 {
    -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / n.max(1) as f64
}

/// `1 / n!`, correctly rounded (`n!` is exact in an `f64` up to 18!).
const fn inv_factorial(n: u32) -> f64 {
    let mut f = 1.0;
    let mut i = 2;
    while i <= n {
        f *= i as f64;
        i += 1;
    }
    1.0 / f
}

/// `±1 / k!` for k = `first`, `first + 2`, ... (8 terms), the signs
/// alternating from minus for 3! and plus for 4!: the Taylor coefficients of
/// [`sin_cos`].
const fn series(first: u32) -> [f64; 8] {
    let mut t = [0.0; 8];
    let mut i = 0;
    while i < 8 {
        let sign = if (i % 2 == 0) == (first == 3) { -1.0 } else { 1.0 };
        t[i] = sign * inv_factorial(first + 2 * i as u32);
        i += 1;
    }
    t
}

/// The sine and cosine of `a` (radians), within a unit or two of the last
/// place of the standard library's. Not `f64::sin` and `f64::cos`: in wasm
/// they are libm's, whose argument reduction brings about 7 KB of code and
/// tables into the page. Here `a` is brought into [-π/4, π/4] by whole
/// quarter turns (π/2 in two parts: exact for the ring's angles, close below
/// a million radians), then Taylor series to the 17th and 18th power (their
/// error there is below 1e-19), summed from the smallest term.
pub fn sin_cos(a: f64) -> (f64, f64) {
    // π/2 in two parts: the first 33 bits (so k * PIO2_HI is exact) and the rest.
    const PIO2_HI: f64 = 1.570_796_326_734_125_6;
    const PIO2_LO: f64 = 6.077_100_506_506_192e-11;
    let a = if a.abs() < 1e6 { a } else { a - (a / std::f64::consts::TAU).trunc() * std::f64::consts::TAU };
    let k = (a * std::f64::consts::FRAC_2_PI).round();
    let r = (a - k * PIO2_HI) - k * PIO2_LO;
    let z = r * r;
    // sin r = r + r z (-1/3! + z/5! - ...); cos r = 1 - z/2 + z² (1/4! - z/6! + ...).
    const SIN: [f64; 8] = series(3);
    const COS: [f64; 8] = series(4);
    let (ps, pc) = SIN.iter().zip(COS).rev().fold((0.0, 0.0), |(ps, pc), (s, c)| (s + z * ps, c + z * pc));
    let s = r + r * z * ps;
    let hz = 0.5 * z;
    let w = 1.0 - hz;
    let c = w + (((1.0 - w) - hz) + z * z * pc);
    match (k as i64).rem_euclid(4) {
        0 => (s, c),
        1 => (c, -s),
        2 => (-s, -c),
        _ => (-c, s),
    }
}

/// Where server `i` of `n` sits.
pub fn server_pos(i: usize, n: usize) -> (f64, f64) {
    let (sin, cos) = sin_cos(angle(i, n));
    let r = ring_radius(n);
    (CENTRE.0 + r * cos, CENTRE.1 + r * sin)
}

/// Whether the label of server `i` of `n` goes above it (the servers at the top
/// of the ring) rather than under it.
pub fn label_above(i: usize, n: usize) -> bool {
    sin_cos(angle(i, n)).0 < -0.8
}

/// Where an end of a message sits, and how far from that point a message starts (the shape's edge).
pub fn endpoint(addr: Addr, n: usize) -> ((f64, f64), f64) {
    match addr {
        Addr::Node(id) => (server_pos(id.index(), n), server_radius(n) + 3.0),
        Addr::Client => (CENTRE, 22.0),
    }
}

/// The lane key of an end: the client first, then S1, S2...
pub fn lane_rank(addr: Addr) -> u32 {
    match addr {
        Addr::Client => 0,
        Addr::Node(id) => id.0 as u32,
    }
}

/// Where a message is drawn at `progress` (0 at its sender's edge, 1 at its
/// receiver's): on its lane, requests on one side of the line between the two
/// ends and replies on the other.
pub fn message_pos(m: &InFlight, progress: f64, n: usize) -> (f64, f64) {
    let ((ax, ay), ra) = endpoint(m.from, n);
    let ((bx, by), rb) = endpoint(m.to, n);
    let (dx, dy) = (bx - ax, by - ay);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let (ux, uy) = (dx / len, dy / len);
    // The lane's side is fixed by the pair (lower end first), not by the direction.
    let flip = if lane_rank(m.from) < lane_rank(m.to) { 1.0 } else { -1.0 };
    let (nx, ny) = (-uy * flip, ux * flip);
    let side = if m.payload.is_reply() { -8.0 } else { 8.0 };
    let span = (len - ra - rb).max(0.0);
    let d = ra + span * progress.clamp(0.0, 1.0);
    (ax + ux * d + nx * side, ay + uy * d + ny * side)
}

/// How far along its way a message is at virtual time `now` (a fraction of a
/// millisecond included, so slow motion stays smooth).
pub fn progress_at(m: &InFlight, now: f64) -> f64 {
    if m.arrive_at <= m.sent_at {
        1.0
    } else {
        ((now - m.sent_at as f64) / (m.arrive_at - m.sent_at) as f64).clamp(0.0, 1.0)
    }
}

/// Where each message in flight is drawn at virtual time `now`: (id, x, y).
pub fn in_flight_at(c: &Cluster, now: f64) -> impl Iterator<Item = (u64, f64, f64)> + '_ {
    let n = c.servers().len();
    c.messages().into_iter().map(move |m| {
        let (x, y) = message_pos(m, progress_at(m, now), n);
        (m.id, x, y)
    })
}

/// The shape an end of a link takes, to stop the link at its edge.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Edge {
    /// A disc of this radius around the end's centre (a server and its timer arc).
    Disc(f64),
    /// A box of these half sizes (width, height) around the centre (the client).
    Box(f64, f64),
}

impl Edge {
    /// How far from the centre the edge is in the direction (`ux`, `uy`) (a unit vector).
    fn reach(self, ux: f64, uy: f64) -> f64 {
        match self {
            Edge::Disc(r) => r,
            Edge::Box(hw, hh) => {
                let tx = if ux.abs() > 1e-9 { hw / ux.abs() } else { f64::INFINITY };
                let ty = if uy.abs() > 1e-9 { hh / uy.abs() } else { f64::INFINITY };
                tx.min(ty)
            }
        }
    }
}

/// The part of the line between the centres `a` and `b` that lies outside both
/// ends' drawings (`None` when they touch): a link is drawn from edge to edge,
/// never across a server's name and term.
pub fn link_between(a: (f64, f64), ea: Edge, b: (f64, f64), eb: Edge) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = (dx * dx + dy * dy).sqrt();
    if len <= 0.0 {
        return None;
    }
    let (ux, uy) = (dx / len, dy / len);
    let (da, db) = (ea.reach(ux, uy), eb.reach(ux, uy));
    (da + db < len).then_some(((a.0 + ux * da, a.1 + uy * da), (b.0 - ux * db, b.1 - uy * db)))
}

/// A point given in CSS pixels of the page (`px`, `py`), in the ring's units,
/// for an SVG drawn in the box `rect` (left, top, width, height) with its
/// square canvas centred and scaled to fit (`preserveAspectRatio="xMidYMid meet"`).
pub fn to_units(rect: (f64, f64, f64, f64), px: f64, py: f64) -> Option<(f64, f64)> {
    let (left, top, w, h) = rect;
    let side = w.min(h);
    if side <= 0.0 || !px.is_finite() || !py.is_finite() {
        return None;
    }
    let k = VIEW / side;
    let (x0, y0) = (left + (w - side) / 2.0, top + (h - side) / 2.0);
    Some(((px - x0) * k, (py - y0) * k))
}

/// The message nearest to `p` among `messages` (id, x, y), if one is within
/// `radius`: where a click inspects, and where the pointer holds the clock.
/// A message is easier to catch than its drawing is big, and of two near
/// ones the nearer wins.
pub fn message_at(messages: impl IntoIterator<Item = (u64, f64, f64)>, p: (f64, f64), radius: f64) -> Option<u64> {
    messages
        .into_iter()
        .map(|(id, x, y)| (id, (x - p.0).powi(2) + (y - p.1).powi(2)))
        .filter(|&(_, d2)| d2 <= radius * radius)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(id, _)| id)
}

/// Two short ticks across the middle of a cut link, like a severed cable
/// ("—/ /—"), as an SVG path.
pub fn cut_mark(ax: f64, ay: f64, bx: f64, by: f64) -> String {
    let (mx, my) = ((ax + bx) / 2.0, (ay + by) / 2.0);
    let len = ((bx - ax).powi(2) + (by - ay).powi(2)).sqrt().max(1.0);
    let (ux, uy) = ((bx - ax) / len, (by - ay) / len);
    // Ticks slanted across the link, 4 units either side of the middle.
    let (tx, ty) = (-uy * 7.0 + ux * 3.0, ux * 7.0 + uy * 3.0);
    let mut d = String::new();
    for k in [-4.0, 4.0] {
        let (cx, cy) = (mx + ux * k, my + uy * k);
        d.push_str(&format!(
            "M{},{} L{},{} ",
            fixed(cx - tx, 1),
            fixed(cy - ty, 1),
            fixed(cx + tx, 1),
            fixed(cy + ty, 1)
        ));
    }
    d
}

/// A box in CSS pixels: left, top, right, bottom.
pub type PxRect = (f64, f64, f64, f64);

/// Where a server's menu goes, in CSS pixels of the area it may use
/// (`bounds`: the ring and the panels beside it).
#[derive(Clone, PartialEq, Debug)]
pub struct MenuRoom {
    /// The area the menu may use.
    pub bounds: PxRect,
    /// The server's centre.
    pub server: (f64, f64),
    /// How far the server's drawing reaches from its centre (its shape and timer arc).
    pub reach: f64,
    /// The ring's centre (the menu prefers the server's outer side).
    pub centre: (f64, f64),
    /// The client's box in the middle of the ring.
    pub client: PxRect,
    /// The other servers' centres (the menu covers as few of them as it can; same reach).
    pub others: Vec<(f64, f64)>,
    /// The menu's size (width, height).
    pub size: (f64, f64),
}

/// The gap between a menu and what it must not cover.
const MENU_GAP: f64 = 6.0;

/// How much of the disc (`c`, `r`) the box `b` covers, roughly (the area of
/// the box inside the disc's bounding square): zero exactly when they do not meet.
fn disc_overlap(b: PxRect, c: (f64, f64), r: f64) -> f64 {
    // The point of the box nearest the centre. (Not `f64::clamp`: its check of
    // the bounds would format them with `{:?}`, which brings the standard
    // library's float formatting into the page; see `crate::decimal`.)
    let nx = c.0.max(b.0).min(b.2);
    let ny = c.1.max(b.1).min(b.3);
    if (nx - c.0).powi(2) + (ny - c.1).powi(2) >= r * r {
        return 0.0;
    }
    rect_overlap(b, (c.0 - r, c.1 - r, c.0 + r, c.1 + r)).max(1.0)
}

/// The area two boxes share.
fn rect_overlap(a: PxRect, b: PxRect) -> f64 {
    let w = (a.2.min(b.2) - a.0.max(b.0)).max(0.0);
    let h = (a.3.min(b.3) - a.1.max(b.1)).max(0.0);
    w * h
}

/// Where a server's menu opens (its top-left corner, in CSS pixels): beside
/// the server on its outer side, else on its inner side, below or above it,
/// else in a corner of the area, always within the area. It must cover
/// neither the server (its shape and timer arc, with a gap) nor the client's
/// box, so that the click that opened it cannot land on one of its items and
/// the server stays in view while its menu is open. Of the places beside the
/// server that qualify, the one that covers least of the other servers (the
/// first in that order among equals); a corner only when none beside it
/// qualifies. When no place qualifies (an area too small for the menu) it
/// takes the one that covers the least of the server and the client.
pub fn menu_spot(room: &MenuRoom) -> (f64, f64) {
    let (bx0, by0, bx1, by1) = room.bounds;
    let (w, h) = room.size;
    let (sx, sy) = room.server;
    let reach = room.reach + MENU_GAP;
    // Within the area on the axis along which a place is not tied to the server.
    let clamp_x = |x: f64| x.min(bx1 - w).max(bx0);
    let clamp_y = |y: f64| y.min(by1 - h).max(by0);
    let right = (sx + reach, clamp_y(sy - h / 2.0));
    let left = (sx - reach - w, clamp_y(sy - h / 2.0));
    let below = (clamp_x(sx - w / 2.0), sy + reach);
    let above = (clamp_x(sx - w / 2.0), sy - reach - h);
    let outward_first = if sx >= room.centre.0 { [right, left] } else { [left, right] };
    let vertical_first = if sy >= room.centre.1 { [below, above] } else { [above, below] };
    let corners = [(bx0, by0), (bx1 - w, by0), (bx0, by1 - h), (bx1 - w, by1 - h)];
    // (place, whether it is beside the server): a corner only when no place beside it qualifies.
    let places = outward_first.into_iter().chain(vertical_first).map(|p| (p, true)).chain(corners.map(|p| (p, false)));
    let (cx0, cy0, cx1, cy1) = room.client;
    let client = (cx0 - MENU_GAP, cy0 - MENU_GAP, cx1 + MENU_GAP, cy1 + MENU_GAP);
    let forbidden = |b: PxRect| {
        let outside = rect_overlap(b, room.bounds) < w * h - 0.5;
        // Places beside the server are a gap away from it: half the gap is slack for rounding.
        let covered = disc_overlap(b, room.server, room.reach + MENU_GAP / 2.0) + rect_overlap(b, client);
        covered + if outside { 1e9 } else { 0.0 }
    };
    let others = |b: PxRect| room.others.iter().map(|&c| disc_overlap(b, c, room.reach)).sum::<f64>();
    // (what it covers that it must not, whether it is in a corner, what it covers of the rest,
    // its place): the least of each in that order; a tenth of a server's disc counts as nothing.
    let slack = 0.1 * room.reach * room.reach;
    let mut best: Option<(f64, bool, f64, (f64, f64))> = None;
    for (p, beside) in places {
        let b = (p.0, p.1, p.0 + w, p.1 + h);
        let (bad, corner, rest) = (forbidden(b), !beside, others(b));
        let better = match best {
            None => true,
            Some((b_bad, b_corner, b_rest, _)) => {
                bad < b_bad || (bad == b_bad && (b_corner && !corner || corner == b_corner && rest + slack < b_rest))
            }
        };
        if better {
            best = Some((bad, corner, rest, p));
        }
    }
    best.map_or((bx0, by0), |b| b.3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sin_cos_is_the_standard_librarys_within_a_unit_or_two_of_the_last_place() {
        let close =
            |mine: f64, std: f64| (mine - std).abs() <= 4e-16 * std.abs().max(1e-300) || (mine - std).abs() < 3e-16;
        let mut a = -20.0;
        while a < 20.0 {
            let (s, c) = sin_cos(a);
            assert!(close(s, a.sin()) && close(c, a.cos()), "{a}: ({s}, {c}) vs ({}, {})", a.sin(), a.cos());
            a += 0.000_37;
        }
        for big in [1e3, 12_345.678, 999_999.0, -777_777.7] {
            let (s, c) = sin_cos(big);
            assert!((s - big.sin()).abs() < 1e-9 && (c - big.cos()).abs() < 1e-9, "{big}");
        }
        // The ring's angles: the same sides (signs) as std, even at the top and the bottom.
        for n in 1..=9 {
            for i in 0..n {
                let a = angle(i, n);
                let (s, c) = sin_cos(a);
                assert_eq!((s >= 0.0, c >= 0.0), (a.sin() >= 0.0, a.cos() >= 0.0), "server {i} of {n}");
                assert!(close(s, a.sin()) && close(c, a.cos()), "server {i} of {n}");
            }
        }
    }
}
