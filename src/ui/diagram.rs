//! The Diagram tab: the run as a space-time diagram beside the ring (drawn
//! by [`crate::view::diagram_svg`] from [`crate::view::diagram::Record`]),
//! "now" at the bottom while following, earlier and later by the buttons or
//! the mouse wheel, zoom, a filter (kinds of message and servers shown: its
//! chips, or a click on a lane's name), and Export SVG (what is shown). Clicking an arrow still in
//! flight opens it in the inspector (and rings it on the ring). The drawing
//! is as large as the box the panel gives it (measured when it is laid out
//! and whenever its size changes), so that "now" and the lane names show
//! without scrolling the panel.

use super::panels::PanelProps;
use super::part::{part, Which};
use super::resize::measure_on_size;
use super::{use_effect_on, use_local, use_node, with_class};
use crate::decimal::fixed;
use crate::view::diagram::{
    thin, thin_marks, End, Filter, Layout, Record, Window, DEFAULT_ZOOM, SERVER_BIT, THIN_FROM, ZOOMS,
};
use crate::view::diagram_svg::{
    chunk_span, filter_markup, lit_servers, lit_style, now_line, pieces, shift, tip_near, Chunk, FONTS,
};
use crate::view::model::Op;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::functional::{Hook, HookContext};
use yew::prelude::*;

/// The drawing's title (in the exported file).
const TITLE: &str = "Raft Playground: space-time diagram";

/// Where the visitor looks: following "now", or a fixed top.
#[derive(Clone, Copy, PartialEq)]
struct Look {
    zoom: usize,
    follow: bool,
    top: u64,
    /// The filter: what it hides, as [`Filter::mask`]; whether its checkboxes are open.
    hidden: u64,
    open: bool,
    /// The filter its checkboxes were written from: kept while the visitor
    /// ticks them (each ticks itself), so that their markup, the same, is
    /// not written anew (which would take the keyboard's focus away); the
    /// number of servers they were written for (more or fewer: written anew
    /// from `hidden`); and a flip that makes the markup differ when Show all
    /// or a lane's name writes them anew from a `hidden` equal to `written`
    /// (boxes ticked since say otherwise: the same markup would keep them).
    written: u64,
    written_n: usize,
    flip: bool,
    /// The box the drawing fills, as measured (px; 0 until laid out): in
    /// the same value as the rest, not a hook of its own (whose code is
    /// copied for each type).
    size: (i32, i32),
    /// The arrow the pointer rests on (lit here and, in flight, on the ring),
    /// and the one last clicked (lit, with a note of what it was).
    hover: Option<u64>,
    pick: Option<u64>,
    /// "Now" when last drawn (a jump from it is a seek: see below), and the
    /// event of the feed last brought into view.
    seen: u64,
    event: Option<usize>,
    /// [`crate::view::model::Model::jumps`] when last drawn.
    jumps: u64,
}

/// The XML document `svg` as a `data:` address (percent-encoded by the
/// browser's `encodeURIComponent`; its XML declaration written encoded).
fn data_url(svg: &str) -> String {
    format!(
        "data:image/svg+xml;charset=utf-8,%3C%3Fxml%20version%3D%221.0%22%20encoding%3D%22UTF-8%22%3F%3E%0A{}",
        String::from(js_sys::encode_uri_component(svg))
    )
}

/// The Diagram tab.
pub fn diagram_panel(ctx: &mut HookContext, props: &PanelProps) -> Html {
    let record: Rc<RefCell<Record>> = use_mut_ref(Record::default).run(ctx);
    let kept: Rc<RefCell<Vec<Chunk>>> = use_mut_ref(Vec::new).run(ctx);
    let local = use_local(Look {
        zoom: DEFAULT_ZOOM,
        follow: true,
        top: 0,
        hidden: 0,
        open: false,
        written: 0,
        written_n: 0,
        flip: false,
        size: (0, 0),
        hover: None,
        pick: None,
        seen: 0,
        event: None,
        jumps: 0,
    })
    .run(ctx);
    let mut look = local.get();
    // The box the drawing fills, measured (again once it is drawn, if a
    // render found the model busy and drew nothing: the box was not there).
    let model = props.handle.try_read();
    let boxed = use_node().run(ctx);
    {
        let (boxed, local) = (boxed.clone(), local.clone());
        use_effect_on(
            u64::from(model.is_some()),
            Box::new(move || {
                let el = boxed.cast::<web_sys::Element>()?;
                let at = el.clone();
                measure_on_size(&el, move || {
                    let l = local.get();
                    let size = (at.client_width(), at.client_height());
                    if size != l.size {
                        local.set(Look { size, ..l });
                    }
                })
            }),
        )
        .run(ctx);
    }
    let (width, height) = Layout::fit(look.size.0 as f64, look.size.1 as f64);
    let Some(m) = model else { return html! {} };
    let c = m.cluster();
    record.borrow_mut().update(c);
    let r = record.borrow();
    let now = r.now();
    let ms_per_px = ZOOMS[look.zoom.min(ZOOMS.len() - 1)];
    let last = Layout::follow_top(now, height, ms_per_px);
    // "Now" jumped (a seek back or forward, Latest, a step back, another
    // branch: `Model::jumps`) or gone back out of the window shown brings
    // the diagram back to following, so that it shows where the run went.
    // (Not its moving on: `advance` and the clock move it on too, and a
    // window scrolled back stays while the run goes on.)
    let shown = (height * ms_per_px) as u64;
    if !look.follow && (now < look.seen || m.jumps != look.jumps) && !(look.top..look.top + shown).contains(&now) {
        look.follow = true;
    }
    (look.seen, look.jumps) = (now, m.jumps);
    // The event picked in the feed: its marks lit (those on the lane its mark is on), and brought into view once.
    #[cfg(feature = "pseudocode-panel")]
    let picked = m.explained.and_then(|i| {
        let e = c.events().get(i)?;
        Some((i, e.time, crate::view::diagram::mark_lane(&e.what)))
    });
    #[cfg(not(feature = "pseudocode-panel"))]
    let picked: Option<(usize, u64, Option<crate::sim::Addr>)> = None;
    if let Some((i, t, _)) = picked.filter(|p| look.event != Some(p.0)) {
        look.event = Some(i);
        let top = if look.follow { last } else { look.top };
        if !(top..top + shown).contains(&t) {
            (look.follow, look.top) = (false, t.saturating_sub(shown / 3));
        }
    }
    local.put(look);
    let top = if look.follow { last } else { look.top };
    let filter = Filter::of_mask(look.hidden);
    let servers = c.servers().len();
    // What the filter hides of this run (its count on the Filter button), the lanes it leaves.
    let hidden = look.hidden & ((1 << (SERVER_BIT as usize + servers.min(40))) - 1);
    let lanes = servers + 1 - (hidden >> SERVER_BIT).count_ones() as usize;
    // As wide as its box, or as its lanes need (the box then scrolls sideways).
    let width = width.max(Layout::min_width(lanes));
    let layout = Layout::new(width, lanes, top, ms_per_px);
    // The settled arrows are read from the top of their chunk (see
    // `diagram_svg::Chunk`), so that the top chunk keeps its markup as its
    // arrows leave the window; the marks, from the window's top as before.
    let window = layout.window(height);
    let span = chunk_span(&layout);
    let mut v = r.visible(c, Window { from: window.from / span * span, ..window }, &filter);
    v.marks.retain(|m| m.at >= window.from);
    if ms_per_px >= THIN_FROM {
        thin(&mut v.arrows, (ms_per_px * 3.0) as u64);
        if ms_per_px >= 100.0 {
            thin_marks(&mut v.marks);
        }
    }
    v.window = window;
    let salt = look.hidden;
    let p = pieces(&v, &layout, height, TITLE, salt, &kept.borrow(), true);
    *kept.borrow_mut() = p.chunks.clone();
    // What is lit, as one small style sheet (`lit_style`): the arrow
    // inspected, hovered (here or on the ring), clicked, and the lesson
    // step's messages in flight; the hovered one on the ring too; the marks
    // of the event picked in the feed; the lesson step's servers' lanes.
    let hs = m.lessons.highlights(now);
    let mut ids = vec![m.inspected.as_ref().map(|x| x.id), m.hovered, look.hover, look.pick];
    for a in &v.arrows {
        if a.end == End::InFlight && hs.iter().any(|h| h.covers_message(a.kind, a.from, a.to)) {
            ids.push(Some(a.id));
        }
    }
    let lit = lit_style(&ids, look.hover, picked.map(|p| (p.1, p.2)), lit_servers(&hs));
    // Each part as its own markup (parsed again only when it changes), moved
    // as the window follows "now"; the chunks of arrows, parts of their own
    // (drawn again only when their arrows change, arrow by arrow), placed
    // from the anchor in a group moved as one: as the window follows "now",
    // one attribute changes for the axis and the arrows, one for the marks
    // (where each chunk's changed, some 11 a frame).
    let raw = |s: String| Html::from_html_unchecked(AttrValue::from(s));
    let moved = |l: &Layout, t: u64| AttrValue::from(format!("translate(0 {})", shift(l, t)));
    let from_anchor = Layout { top: p.anchor, ..layout };
    let (mut settled, mut flying) = (Vec::new(), Vec::new());
    for k in &p.chunks {
        let g = html! { <g key={k.start} transform={moved(&from_anchor, k.start)}>{ part(None, Which::DiagramChunk(k.clone())) }</g> };
        if k.flight { &mut flying } else { &mut settled }.push(g);
    }
    // Their tips, a few paths of dots (`Pieces::tips`, drawn as `Pieces::dots`
    // writes them): elements kept from frame to frame whose `d` changes (their
    // markup, parsed again at each frame, had the browser take out and make
    // anew three or so elements a frame; a circle per tip had two attributes
    // set each).
    let mut tips = Vec::new();
    for (i, (colour, d)) in p.tips.into_iter().enumerate() {
        if !d.is_empty() {
            tips.push(html! { <path d={d} stroke={colour} stroke-width={if i == 0 { "7" } else { "5" }} stroke-linecap="round" fill="none" pointer-events="none" /> });
        }
    }
    // (One child of the drawing, however many paths: spliced in as they are
    // (`for`), a path more or fewer shifted the children before them, and
    // the groups of arrows were made anew.)
    let tips: Html = tips.into_iter().collect();
    let tip_at = Rc::new(p.flying);
    // The arrows in flight, drawn to their arrival, are hidden below "now" by
    // a rect of the background's colour (the lanes too): a clip at "now",
    // changed at every frame, had the browser paint all the arrows in flight
    // again (about 2 of the Diagram's 3.5 tiles rastered a frame); the
    // rect, only the strip it covers (0.9 tiles in all).
    let cut_y = layout.y(now).max(0.0).min(height);
    // (Not taller: its layer would grow to hold it, and more tiles be rastered, session 34.)
    let (cut, below) = (fixed(cut_y, 1).to_string(), fixed(height - cut_y, 1).to_string());
    // "Now" (while in the window: `Pieces::now`), drawn as `diagram_svg::document`
    // writes it, its line and words kept from frame to frame and moved as one;
    // only the words and the move change (its markup, parsed anew at every
    // frame, had the browser make, style and lay out three new elements a frame).
    let now_g = match p.now {
        None => Html::default(),
        Some(t) => html! {
            <g transform={format!("translate(0 {})", fixed(layout.y(t), 1))}>
                { raw(now_line(&layout)) }
                <text x={fixed(layout.width - 4.0, 1).to_string()} dy="-3" text-anchor="end" fill="#d00000" font-size="10">{ format!("now {t} ms") }</text>
            </g>
        },
    };
    // The marks, each keyed (`Pieces::marks`): a new mark is the only one put
    // in (all of them were parsed, styled and laid out anew whenever one came
    // or went: their texts, some 1.5 DOM changes a frame and a longer frame at each).
    let marks = keyed(&p.marks);
    // As large as its box (`Layout::fit`: the box measured, less the
    // border the style sheet draws outside this size), or wider where its
    // lanes need it (`Layout::min_width`: the box then scrolls sideways).
    // Not sized by the box: the box never follows the drawing. (The same
    // width and height make Export SVG's file: a slide tool sizes it by them.)
    let drawing = html! {
        <svg xmlns="http://www.w3.org/2000/svg" viewBox={format!("0 0 {} {}", width as u32, height as u32)} width={(width as u32).to_string()} height={(height as u32).to_string()} font-family={FONTS} font-size="11">
            { raw(p.under) }
            <g transform={moved(&layout, p.anchor)}>{ raw(p.ticks) }<g>{ settled }</g><g>{ flying }</g></g>
            <rect y={cut} width="100%" height={below} fill="#ffffff" />
            { tips }
            <g transform={moved(&layout, p.anchor)}>{ marks }</g>
            { raw(p.over) }{ now_g }
        </svg>
    };
    let arrows = v.arrows.len().to_string();
    let in_flight: Vec<u64> = c.messages().iter().map(|m| m.id).collect();
    drop(m);
    let page = (height * ms_per_px * 0.8) as u64;
    let set = |f: fn(&mut Look, u64, u64), arg: u64| {
        let local = local.clone();
        Callback::from(move |_: MouseEvent| {
            let mut l = local.get();
            f(&mut l, arg, top);
            local.set(l);
        })
    };
    let earlier = set(|l, page, top| *l = Look { follow: false, top: top.saturating_sub(page), ..*l }, page);
    let later = set(
        |l, page, top| *l = Look { follow: false, top: top + page, ..*l },
        if top + page >= now { 0 } else { page },
    );
    let follow = set(|l, _, _| l.follow = true, 0);
    let zoom_in = set(|l, _, top| *l = Look { zoom: l.zoom.saturating_sub(1), top, ..*l }, 0);
    let zoom_out = set(|l, _, top| *l = Look { zoom: (l.zoom + 1).min(ZOOMS.len() - 1), top, ..*l }, 0);
    let open = set(|l, n, _| (l.open, l.written, l.written_n) = (!l.open, l.hidden, n as usize), servers as u64);
    // The mouse wheel moves the window as the buttons do (and stops following).
    let wheel = {
        let local = local.clone();
        Callback::from(move |e: WheelEvent| {
            // (In pixels: Firefox too gives them to a page that does not ask for deltaMode.)
            // (Ctrl with the wheel, or a pinch, is the browser's zoom: left to it.
            // A wheel that moves nothing, as down while following, changes nothing.)
            let dy = e.delta_y();
            let l = local.get();
            let from = if l.follow { top } else { l.top };
            let to = ((from as f64 + dy * ms_per_px).max(0.0) as u64).min(last.max(from));
            if e.ctrl_key() || to == from {
                return;
            }
            e.prevent_default();
            local.set(Look { follow: false, top: to, ..l });
        })
    };
    let on_click = {
        let (h, local, tip_at) = (props.handle.clone(), local.clone(), tip_at.clone());
        Callback::from(move |e: MouseEvent| {
            let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
            // The filter's checkboxes (`data-f`: which bit of the mask each
            // ticks), a lane's name (`data-l`, its server's bit) and Show all
            // (`data-l=""`). A checkbox ticks itself; for the others the
            // checkboxes are written anew.
            let f = el.get_attribute("data-f");
            if let Some(bit) = f.clone().or_else(|| el.get_attribute("data-l")) {
                let mut l = local.get();
                l.hidden = bit.parse().map_or(0, |b: u64| l.hidden ^ 1u64.checked_shl(b as u32).unwrap_or(0));
                if f.is_none() {
                    (l.written, l.written_n, l.flip) = (l.hidden, servers, !l.flip);
                }
                local.set(l);
                return;
            }
            // Export SVG's file is made when it is clicked, not at each drawing:
            // its `data:` address (the whole drawing percent-encoded) cost a
            // copy through JavaScript and a long attribute at every frame. It
            // is the drawing shown, as XML (the browser's serializer): no
            // second copy of the drawing code on the page.
            if let Ok(Some(a)) = el.closest("[download]") {
                let svg =
                    a.closest(".diagram").ok().flatten().and_then(|d| d.query_selector(".diagram-svg svg").ok()?);
                let xml = svg.and_then(|s| web_sys::XmlSerializer::new().ok()?.serialize_to_string(&s).ok());
                let _ = a.set_attribute("href", &data_url(&xml.unwrap_or_default()));
                return;
            }
            // An arrow: lit, with a note of what it was; one in flight is
            // opened in the inspector (and rung on the ring). Elsewhere on the
            // drawing below the lane names: a seek to that moment (no later
            // than now), the window kept where it is.
            // (A tip of one in flight lets the pointer through: the arrow whose tip is nearest, `tip_near`.)
            let at = drawing_point(&e, &el, width, height);
            let id = crate::ui::data_num(&e, "[data-id]", "data-id").or_else(|| tip_near(&tip_at, at?.0, at?.1));
            // The note on the arrow clicked: its tooltip's words (what it
            // was, when sent, how it ended), shown by the style sheet.
            if let Ok(Some(d)) = el.closest(".diagram") {
                let g = id.and_then(|id| d.query_selector(&format!(".diagram-svg [data-id=\"{id}\"]")).ok()?);
                let words = g.and_then(|g| g.query_selector("title").ok()??.text_content());
                let _ = d.set_attribute("data-note", &words.unwrap_or_default());
            }
            let mut l = local.get();
            l.pick = id;
            if let Some(id) = id.filter(|id| in_flight.contains(id)) {
                h.send(Op::Inspect(Some(id)));
            } else if let (None, Some((_, y))) = (id, at) {
                if y > layout.header {
                    (l.follow, l.top) = (false, top);
                    h.send(Op::Seek(layout.time_at(y).min(now)));
                }
            }
            local.set(l);
        })
    };
    // The pointer on an arrow lights it (and its message on the ring).
    // (Off an arrow, the pointer is over something else of the drawing: unlit.)
    let hover = {
        let local = local.clone();
        Callback::from(move |e: MouseEvent| {
            let l = local.get();
            let el = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
            let at = el.and_then(|el| drawing_point(&e, &el, width, height));
            let id = crate::ui::data_num(&e, "[data-id]", "data-id").or_else(|| tip_near(&tip_at, at?.0, at?.1));
            if id != l.hover {
                local.set(Look { hover: id, ..l });
            }
        })
    };
    // The filter's checkboxes, while open (see `Look::written`).
    // (One child of the bar either way, an empty list when closed: the bar's
    // children are matched from the last, and an `Option` would shift them,
    // the Filter button made anew and its focus lost.)
    let chips = if look.open {
        html! {
            <div class="dfilter" role="group" aria-label="What the diagram shows">
                { raw(filter_markup(if look.written_n == servers { look.written } else { hidden }, servers) + if look.flip { " " } else { "" }) }
            </div>
        }
    } else {
        Html::default()
    };
    html! {
        <div class="diagram" data-arrows={arrows} data-follow={if look.follow { "true" } else { "false" }} onclick={on_click}>
            <div class="diagram-bar">
                <button onclick={earlier} title="Back in time (or the mouse wheel)">{ "Earlier" }</button>
                <button onclick={later} title="On in time">{ "Later" }</button>
                { with_class(html! { <button onclick={follow} title="Keep now in view">{ "Follow now" }</button> },
                    AttrValue::Static(if look.follow { "follow on" } else { "follow" })) }
                <button onclick={zoom_in} title="Zoom in (fewer ms per pixel)">{ "+" }</button>
                <button onclick={zoom_out} title="Zoom out (more of the run)">{ "−" }</button>
                <button onclick={open} aria-expanded={if look.open { "true" } else { "false" }} data-n={hidden.count_ones().to_string()} title="Show only some kinds of message, some servers">{ "Filter" }</button>
                { chips }
                <a class="button" download="raft-diagram.svg" href="#" title="Save what is shown as an SVG file">{ "SVG" }</a>
            </div>
            <div class="diagram-svg" ref={boxed} onwheel={wheel} onmouseover={hover}>{ drawing }</div>
            { raw(lit) }
        </div>
    }
}

/// Where the pointer of `e` is on the drawing that holds `el`, in the drawing's px (none off it).
fn drawing_point(e: &MouseEvent, el: &web_sys::Element, width: f64, height: f64) -> Option<(f64, f64)> {
    let r = el.closest(".diagram-svg svg").ok()??.get_bounding_client_rect();
    let x = (e.client_x() as f64 - r.left()) * width / r.width().max(1.0);
    Some((x, (e.client_y() as f64 - r.top()) * height / r.height().max(1.0)))
}

/// A chunk of the Diagram's arrows (see [`Chunk`]): an arrow's markup each,
/// keyed by its id, so that an arrow that settles or starts is the only one
/// put in or taken out.
pub fn diagram_chunk(k: &Chunk) -> Html {
    keyed(&k.arrows)
}

/// Pieces of markup, each a child of its own with its key.
fn keyed(pieces: &[(u64, Rc<str>)]) -> Html {
    pieces
        .iter()
        .map(|(key, s)| {
            let one = vec![Html::from_html_unchecked(AttrValue::Rc(s.clone()))];
            Html::VList(Rc::new(yew::virtual_dom::VList::with_children(one, Some((*key).into()))))
        })
        .collect()
}
