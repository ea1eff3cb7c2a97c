//! The ring's words at the size the ring is drawn: how big each is (at least
//! [`MIN_LABEL_PX`] on screen wherever the ring leaves room for it, so an
//! 800×600 embed reads on a projector), which form a server's term takes so
//! that it stays inside its circle ("term 12", else "t12", else smaller), and
//! how far from a message a click still catches it.
//!
//! Sizes are in the ring's units ([`VIEW`](super::geometry::VIEW) across);
//! `scale` is how many CSS pixels one unit takes on screen.

/// The smallest rendered size (CSS px) of the ring's words wherever the ring
/// is at least 390 px across (0.65 px per unit; an 800×600 page draws it at
/// about 407 px). Smaller rings get smaller words: the caps of [`text_sizes`]
/// keep neighbouring servers' labels apart.
pub const MIN_LABEL_PX: f64 = 12.0;

/// Below this scale (px per unit: a ring under 330 px, as in a 480×360 embed)
/// the ring is too small for two lines under each server: they become one,
/// the server's state, and words may be smaller than [`MIN_LABEL_PX`].
pub const COMPACT_BELOW: f64 = 0.55;

/// How far (CSS px) from a message a click or the pointer still catches it:
/// a 44-pixel target, the size recommended for touch.
pub const CATCH_PX: f64 = 22.0;

/// How big the ring's words are, in the ring's units.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct TextSizes {
    /// A server's name inside its circle.
    pub name: f64,
    /// A server's term inside its circle (before fitting a long term, see [`inside`]).
    pub term: f64,
    /// The lines under (or above) a server.
    pub label: f64,
    /// The word "Client" in the middle.
    pub client: f64,
    /// A partition group's letter.
    pub tag: f64,
    /// One line under each server instead of two (a small ring).
    pub compact: bool,
    /// How far from a message a click catches it (see [`CATCH_PX`]).
    pub catch: f64,
    /// Pixels per unit the sizes were worked out for.
    pub scale: f64,
}

impl TextSizes {
    /// Half the width and half the height of the client's box.
    pub fn client_box(&self) -> (f64, f64) {
        (self.client * 2.5, self.client * 1.05)
    }
}

/// The size in units that shows `px` pixels at `scale`, at least `base` and at most `cap`.
fn at_least(px: f64, scale: f64, base: f64, cap: f64) -> f64 {
    // 2% over the mark, so rounding never shows 11.9 px.
    (px * 1.02 / scale).max(base).min(cap.max(base))
}

/// The sizes of the ring's words for `n` servers at `scale` pixels per unit.
/// The caps keep the labels of neighbouring servers apart (their centres are
/// 147 units apart with 9 servers).
pub fn text_sizes(scale: f64, n: usize) -> TextSizes {
    let scale = if scale.is_finite() && scale > 0.0 { scale } else { 1.0 };
    let compact = scale < COMPACT_BELOW;
    let label = if compact {
        let cap = match n {
            0..=5 => 22.0,
            6..=7 => 19.0,
            _ => 17.0,
        };
        at_least(11.0, scale, 14.0, cap)
    } else {
        let cap = match n {
            0..=5 => 24.0,
            6..=7 => 21.0,
            _ => 19.0,
        };
        at_least(MIN_LABEL_PX, scale, 14.0, cap)
    };
    TextSizes {
        name: at_least(MIN_LABEL_PX, scale, 19.0, 24.0),
        term: at_least(MIN_LABEL_PX, scale, 13.0, 20.0),
        label,
        client: at_least(MIN_LABEL_PX, scale, 14.0, 20.0),
        tag: at_least(MIN_LABEL_PX, scale, 12.0, 20.0),
        compact,
        catch: (CATCH_PX / scale).clamp(16.0, 40.0),
        scale,
    }
}

/// Where the words inside a server's circle go, and the form of its term.
#[derive(Clone, PartialEq, Debug)]
pub struct Inside {
    /// The baseline of its name.
    pub name_y: f64,
    /// The baseline of its term.
    pub term_y: f64,
    /// Its term as written: "term 12" when that fits, else "t12".
    pub term_text: String,
    /// The size of its term (smaller than [`TextSizes::term`] only for a term too long to fit).
    pub term_size: f64,
    /// The centre line of a candidate's vote dots.
    pub dots_y: f64,
}

/// The height of digits and capitals, as a share of the font size.
const CAP: f64 = 0.74;
/// The widest advance of a digit, as a share of the font size (DejaVu Sans, the widest of the page's fonts).
const DIGIT: f64 = 0.64;
/// The advance of "term " and of "t".
const TERM_WORD: f64 = 2.75;
const T: f64 = 0.40;
/// How tall a candidate's row of vote dots is.
const DOTS: f64 = 7.0;

/// The words inside a server of radius `r` at term `term`: name, term and, for
/// a candidate, its vote dots, centred one under the other; the term in the
/// longest form that fits the circle at that height, and smaller only when
/// even "t" and its digits do not fit.
pub fn inside(term: u64, r: f64, sizes: &TextSizes, candidate: bool) -> Inside {
    let digits = term.max(1).ilog10() as f64 + 1.0;
    // Inside the stroke, and inside a leader's inner ring.
    let room = r - 5.0;
    let layout = |f: f64| {
        let gap = 0.18 * f;
        let total = CAP * sizes.name + gap + CAP * f + if candidate { gap + DOTS } else { 0.0 };
        let name_y = -total / 2.0 + CAP * sizes.name;
        let term_y = name_y + gap + CAP * f;
        let far = term_y.abs().max((term_y - CAP * f).abs());
        let width = 2.0 * (room * room - far * far).max(0.0).sqrt() - 2.0;
        (name_y, term_y, term_y + gap + DOTS / 2.0, width)
    };
    let f = sizes.term;
    let (name_y, term_y, dots_y, width) = layout(f);
    if (TERM_WORD + DIGIT * digits) * f <= width {
        return Inside { name_y, term_y, term_text: format!("term {term}"), term_size: f, dots_y };
    }
    let short = format!("t{term}");
    if (T + DIGIT * digits) * f <= width {
        return Inside { name_y, term_y, term_text: short, term_size: f, dots_y };
    }
    // Too long even so: smaller, until it fits (a smaller line leaves a little more width).
    let mut f2 = width / (T + DIGIT * digits);
    for _ in 0..3 {
        let (.., w) = layout(f2);
        f2 = (w / (T + DIGIT * digits)).min(f);
    }
    let (name_y, term_y, dots_y, _) = layout(f2);
    Inside { name_y, term_y, term_text: short, term_size: f2, dots_y }
}

/// The widest a term can be drawn at size `size` (for tests: "term 12" or "t12").
pub fn term_width(text: &str, size: f64) -> f64 {
    let digits = text.chars().filter(char::is_ascii_digit).count() as f64;
    let word = if text.starts_with("term") { TERM_WORD } else { T };
    (word + DIGIT * digits) * size
}
