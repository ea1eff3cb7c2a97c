//! The timeline strip under the ring (drawn from [`crate::view::timeline`]):
//! the whole run of the current branch, the moment shown, a line that says
//! whether it is the latest one, the tooltip of what is under the pointer,
//! and the branch list once there is more than one branch. Click or drag to
//! go to a moment; a click near a mark goes to the mark's moment.

use super::address::{copy_text, share_url};
use super::resize::measure_on_resize;
use super::store::Handle;
use super::{use_effect_on, use_local, use_node, with_class};
use crate::view::diagram_svg::escape;
use crate::view::model::Op;
use crate::view::theme::term_slot;
use crate::view::timeline::{
    band_text, column, ms_text, span_of, strip_draw, time_at, StripDraw, StripIndex, BAND_H, STRIP_H,
};
use yew::functional::{Hook, HookContext};
use yew::prelude::*;

/// The strip's props.
#[derive(Properties, PartialEq)]
pub struct StripProps {
    /// The model.
    pub handle: Handle,
    /// The timeline's revision: the strip draws again when it changes...
    pub rev: u64,
    /// ...or when the moment shown does (ms).
    pub now: u64,
}

/// The pixel column of a pointer event on the strip, and the strip's width.
fn column_of(e: &PointerEvent, el: &NodeRef) -> Option<(u32, u32)> {
    let el = el.cast::<web_sys::Element>()?;
    let r = el.get_bounding_client_rect();
    let w = r.width();
    if w < 1.0 {
        return None;
    }
    let x = (e.client_x() as f64 - r.left()).min(w - 1.0).max(0.0);
    Some((x as u32, w as u32))
}

/// Measures the strip's width in pixels when it mounts and whenever the window changes size.
#[hook]
fn use_width(el: &NodeRef) -> u32 {
    let width = use_local(0u32);
    {
        let (el, width) = (el.clone(), width.clone());
        use_effect_on(
            0,
            Box::new(move || {
                measure_on_resize(move || {
                    if let Some(e) = el.cast::<web_sys::Element>() {
                        let w = e.get_bounding_client_rect().width() as u32;
                        if w > 0 && w != width.get() {
                            width.set(w);
                        }
                    }
                })
            }),
        );
    }
    width.get()
}

/// The strip's drawing inside its `<svg>` that does not move with the
/// moment shown, as markup: the background, the term bands and their
/// numbers, the marks. One string instead of an element per item keeps the
/// page's code small; the browser redraws only when it changes.
fn strip_body(d: &StripDraw) -> String {
    use std::fmt::Write;
    let mut s = format!("<rect class=\"tl-bg\" width=\"{}\" height=\"{STRIP_H}\"/>", d.cols);
    for (class, p) in &d.bands {
        path(&mut s, class, p);
    }
    for (x, t) in &d.labels {
        let dark = if term_slot(*t) == 4 { " on-dark" } else { "" };
        let _ = write!(s, "<text class=\"tl-term{dark}\" x=\"{x}\" y=\"{}\">{t}</text>", BAND_H - 3);
    }
    for (class, p) in &d.marks {
        path(&mut s, class, p);
    }
    s
}

/// `<path class=.. d=..>` on `s`.
fn path(s: &mut String, class: &str, p: &str) {
    use std::fmt::Write;
    let _ = write!(s, "<path class=\"{class}\" d=\"{p}\"/>");
}

/// What follows [`strip_body`] in the strip, as markup: the part ahead of
/// the moment shown (`past`, columns `now_x` to `latest_x`) and the fork's
/// line (column `fork`). (The latest moment and the cursor, which move from
/// frame to frame, are elements whose `d` changes: markup would be parsed anew.)
fn strip_cursor(now_x: u32, latest_x: u32, past: bool, fork: Option<u32>) -> String {
    use std::fmt::Write;
    let h = STRIP_H;
    let mut s = String::new();
    if past {
        let _ =
            write!(s, "<rect class=\"tl-future\" x=\"{now_x}\" width=\"{}\" height=\"{h}\"/>", latest_x - now_x + 1);
    }
    if let Some(f) = fork {
        path(&mut s, "tl-fork", &format!("M{f} 0v{h}"));
    }
    s
}

/// What the strip keeps from one drawing to the next: its index of the run,
/// whether a press is being dragged, and its [`strip_body`] with what it was
/// drawn for (the run, the branch, its latest moment and the columns), drawn
/// again only when one of them or the index changes.
#[derive(Default)]
struct Kept {
    ix: StripIndex,
    dragging: bool,
    body_for: Option<(u64, u32, u64, u32)>,
    body: AttrValue,
}

/// The branch list's buttons (newest first) as markup: a click reaches
/// the list's one listener, which reads `data-branch`.
fn branch_buttons(branches: &[crate::timeline::BranchInfo]) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    for b in branches.iter().rev() {
        let name = escape(&b.name);
        let _ = write!(
            s,
            "<button class=\"small-btn branch{}\" aria-pressed=\"{}\" data-branch=\"{}\" title=\"{name} (latest {})\">{name}</button>",
            if b.current { " current" } else { "" },
            b.current,
            b.id,
            ms_text(b.latest)
        );
    }
    s
}

/// The strip's buttons, by their `data-tl` (their clicks reach one listener).
const LATEST: u64 = 1;
const SHARE: u64 = 2;
const CLOSE: u64 = 3;

/// The timeline strip (a part of the page: `Which::Timeline`).
pub fn timeline_strip(ctx: &mut HookContext, props: &StripProps) -> Html {
    let h = &props.handle;
    // What the strip keeps (one cell: one hook).
    let state = use_mut_ref(Kept::default).run(ctx);
    let svg_ref = use_node().run(ctx);
    let measured = use_width(&svg_ref).run(ctx);
    let hover = use_local(None::<u32>).run(ctx);
    // The share box: the link, and whether it was copied (None: not yet known).
    let share = use_local(None::<(String, Option<bool>)>).run(ctx);
    let Some(m) = h.try_read() else { return html! {} };
    let tl = m.timeline();
    let (now, latest) = (tl.now(), tl.latest());
    let cols = if measured > 0 { measured } else { 600 };
    {
        let mut k = state.borrow_mut();
        let body_for = Some((m.run, tl.current_branch(), latest, cols));
        if k.ix.update(tl, m.run) || k.body_for != body_for {
            k.body = strip_body(&strip_draw(&k.ix, now, latest, cols)).into();
            k.body_for = body_for;
        }
    }
    let st = state.borrow();
    let ix = &st.ix;
    let span = span_of(latest);
    let past = now < latest;

    // Pointer (one listener for its five events): a press goes to the moment
    // (or the mark) under it and starts a drag; moving drags or shows the tooltip.
    let on_pointer = {
        let (h, svg, state, hover) = (h.clone(), svg_ref.clone(), state.clone(), hover.clone());
        Callback::from(move |e: PointerEvent| {
            let kind = e.type_();
            match kind.as_str() {
                "pointerup" | "pointercancel" => return state.borrow_mut().dragging = false,
                "pointerleave" => return hover.set(None),
                _ => {}
            }
            let Some((x, w)) = column_of(&e, &svg) else { return };
            let down = kind == "pointerdown";
            if down {
                e.prevent_default();
                if let Some(el) = svg.cast::<web_sys::Element>() {
                    let _ = el.set_pointer_capture(e.pointer_id());
                }
                state.borrow_mut().dragging = true;
            }
            if state.borrow().dragging {
                let t = if down { state.borrow().ix.near(x, w, span).time } else { time_at(x, w, span) };
                h.send(Op::Seek(t.min(latest)));
            }
            if !down && e.pointer_type() != "touch" && hover.get() != Some(x) {
                hover.set(Some(x));
            }
        })
    };

    // The tooltip: the moment under the pointer, its term, and the nearest mark.
    let tip = hover.get().filter(|&x| x < cols).map(|x| {
        let near = ix.near(x, cols, span);
        let mut text = format!("{} · {}", ms_text(near.time), band_text(&near.band));
        if let Some((kind, event, same)) = near.mark {
            if let Some(e) = tl.event_to_latest(event as usize) {
                text.push_str(" — ");
                text.push_str(&e.text());
            }
            if same > 1 {
                text.push_str(&format!(" (and {} more {} here)", same - 1, kind.names().1));
            }
        } else if near.time > latest {
            text = format!("{} · not reached yet", ms_text(near.time));
        }
        let left = x.saturating_sub(120).min(cols.saturating_sub(240));
        super::markup(format!("<div class=\"tl-tip\" role=\"tooltip\" style=\"left:{left}px\">{}</div>", escape(&text)))
    });

    // Clicks (one listener): a branch's button, Latest, Share, the share box's close.
    let on_click = {
        let (h, share) = (h.clone(), share.clone());
        Callback::from(move |e: MouseEvent| {
            if let Some(id) = super::data_num(&e, "[data-branch]", "data-branch") {
                return h.send(Op::SwitchBranch(id as u32));
            }
            match super::data_num(&e, "[data-tl]", "data-tl") {
                Some(LATEST) => h.send(Op::SeekLatest),
                Some(SHARE) => match h.try_read().map(|m| m.share_code()) {
                    Some(Ok(code)) => {
                        let url = share_url(&code);
                        share.set(Some((url.clone(), None)));
                        let (share, text) = (share.clone(), url.clone());
                        copy_text(&text, Callback::from(move |copied| share.set(Some((url.clone(), Some(copied))))));
                    }
                    Some(Err(e)) => h.send(Op::Notice(e)),
                    None => {}
                },
                Some(CLOSE) => share.set(None),
                _ => {}
            }
        })
    };
    let share_box = share.get().map(|(url, copied)| {
        let said = match copied {
            Some(true) => "Link copied: it opens this moment, paused.",
            Some(false) => "Copy this link (the browser did not let the page copy it):",
            None => "Copying…",
        };
        // (As markup: the close button's click reaches the strip's listener,
        // the link's focus its `focusin` one, which selects it.)
        super::markup(format!(
            "<div class=\"share-box card\" role=\"status\"><span class=\"share-said\" data-copied=\"{}\">{said}</span><input class=\"share-url\" type=\"text\" readonly value=\"{}\" aria-label=\"Link to this moment\"><button class=\"x\" data-tl=\"3\" aria-label=\"Close\">×</button></div>",
            copied.map_or("", |c| if c { "yes" } else { "no" }),
            escape(&url)
        ))
    });
    // Focus on the share box's link selects it (the only input in the strip).
    let on_focus = Callback::from(|e: FocusEvent| {
        if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
            input.select();
        }
    });
    let branches = tl.branches();
    let forked = branches.iter().find(|b| b.current).filter(|b| b.parent.is_some()).map(|b| b.forked_at);
    // The line above the strip: the moment shown, and in the past what acting there does.
    // The moment is a text node of its own: it changes at every frame while
    // playing, and as markup it was parsed anew each time; the words after it
    // are markup, which changes only with the latest moment while in the past.
    let (moment, words) = if past {
        (
            format!("Viewing {}", ms_text(now)),
            super::markup(format!(
                "<span class=\"tl-msg\">— latest {}. ▶ replays what happened; acting here starts a new branch.</span>",
                ms_text(latest)
            )),
        )
    } else {
        (
            ms_text(now),
            super::raw(
                "<span class=\"tl-msg muted\">the whole run: click or drag to go back, ← → step, Home / End</span>",
            ),
        )
    };
    let head = html! {
        <div role={past.then_some("status")}>
            <span class="tl-now">{ moment }</span>
            { words }
            // (As markup that never changes: a button keeps the focus.)
            if past {
                { super::raw(r#"<button class="small-btn tl-latest" data-tl="1" title="Go to the latest moment (End)">Latest ⇥</button>"#) }
            }
            { super::raw(r#"<button class="small-btn tl-share" data-tl="2" title="Copy a link to this moment of this run: it opens here, paused, the same run">Share</button>"#) }
        </div>
    };
    let head = with_class(head, AttrValue::Static(if past { "tl-head past" } else { "tl-head" }));
    let label = format!("Timeline: {} of {}", ms_text(now), ms_text(latest));
    let (now_x, latest_x) = (column(now, cols, span), column(latest, cols, span));
    html! {
        <div class="tl" data-past={past.to_string()} onclick={on_click} onfocusin={on_focus}>
            { head }
            { share_box.unwrap_or_default() }
            <div class="tl-strip-wrap">
                <svg class="tl-strip" ref={svg_ref} viewBox={format!("0 0 {cols} {STRIP_H}")} preserveAspectRatio="none"
                    role="slider" tabindex="0" aria-label="Timeline of the run" aria-valuemin="0"
                    aria-valuemax={latest.to_string()} aria-valuenow={now.to_string()} aria-valuetext={label}
                    onpointerdown={on_pointer.clone()} onpointermove={on_pointer.clone()} onpointerup={on_pointer.clone()}
                    onpointercancel={on_pointer.clone()} onpointerleave={on_pointer}>
                    { Html::from_html_unchecked(st.body.clone()) }
                    { super::markup(strip_cursor(now_x, latest_x, past, forked.map(|f| column(f, cols, span)))) }
                    <path class="tl-latest-mark" d={format!("M{latest_x} 0v{STRIP_H}")} />
                    <path class="tl-cursor" d={format!("M{now_x} 0v{STRIP_H}M{} 0h9l-4.5 6z", now_x.saturating_sub(4))} />
                </svg>
                { tip.unwrap_or_default() }
            </div>
            if branches.len() > 1 {
                { super::markup(format!(
                    r#"<div class="tl-branches" role="group" aria-label="Branches"><span class="muted small">Branches:</span>{}</div>"#,
                    branch_buttons(&branches)
                )) }
            }
        </div>
    }
}
