//! The page's clock: every animation frame, and every [`BACKUP_TICK_MS`] from
//! a plain timer, it hands the wall time to [`Model::tick`](crate::view::model::Model::tick);
//! it asks for a redraw only on animation frames, and only when a tick changed something.

use super::store::Handle;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// How often the clock also ticks from a plain timer (ms), so that a page
/// whose animation frames are throttled (a background tab or iframe) keeps time.
const BACKUP_TICK_MS: i32 = 200;

/// The animation-frame callback, kept where it can re-register itself.
type FrameSlot = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

/// A running clock; dropping it stops it.
pub struct Clock {
    alive: Rc<Cell<bool>>,
    interval: i32,
    _interval_cb: Closure<dyn FnMut()>,
}

impl Clock {
    /// Starts ticking the model behind `handle` (`None` outside a browser window).
    pub fn start(handle: Handle) -> Option<Clock> {
        let window = web_sys::window()?;
        let perf = window.performance()?;
        let alive = Rc::new(Cell::new(true));
        let frame_cb: FrameSlot = Rc::new(RefCell::new(None));
        {
            let (h, alive2, perf2, me) = (handle.clone(), alive.clone(), perf.clone(), frame_cb.clone());
            let window2 = window.clone();
            *frame_cb.borrow_mut() = Some(Closure::new(move |_t: f64| {
                if !alive2.get() {
                    // Stopped: the frame asked for last lets the closure go
                    // (which breaks its cycle: it holds itself to re-register).
                    // Dropped before, that frame would call a dropped closure
                    // ("closure invoked recursively or after being dropped").
                    me.borrow_mut().take();
                    return;
                }
                // Redraw only when a tick (this one or the backup timer's) changed
                // something: time moved or a notice expired (clicks redraw on their own).
                let moved = h
                    .try_write()
                    .map(|mut m| {
                        m.tick(perf2.now());
                        m.take_undrawn()
                    })
                    .unwrap_or(false);
                if moved {
                    h.redraw();
                }
                if let Some(cb) = me.borrow().as_ref() {
                    let _ = window2.request_animation_frame(cb.as_ref().unchecked_ref());
                }
            }));
        }
        if let Some(cb) = frame_cb.borrow().as_ref() {
            let _ = window.request_animation_frame(cb.as_ref().unchecked_ref());
        }
        let interval_cb = {
            let (h, alive2) = (handle.clone(), alive.clone());
            // Only advances: drawing waits for the next animation frame.
            Closure::<dyn FnMut()>::new(move || {
                if alive2.get() {
                    if let Some(mut m) = h.try_write() {
                        m.tick(perf.now());
                    }
                }
            })
        };
        let interval = window
            .set_interval_with_callback_and_timeout_and_arguments_0(
                interval_cb.as_ref().unchecked_ref(),
                BACKUP_TICK_MS,
            )
            .unwrap_or(0);
        Some(Clock { alive, interval, _interval_cb: interval_cb })
    }
}

impl Drop for Clock {
    fn drop(&mut self) {
        self.alive.set(false);
        if let Some(w) = web_sys::window() {
            w.clear_interval_with_handle(self.interval);
        }
        // The frame closure stays for the frame it asked for, which drops it.
    }
}
