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
    /// The frame callback (holding itself, and through its handle the model).
    frame_cb: FrameSlot,
    /// The id of the animation frame asked for last.
    frame: Rc<Cell<i32>>,
    interval: i32,
    _interval_cb: Closure<dyn FnMut()>,
}

impl Clock {
    /// Starts ticking the model behind `handle` (`None` outside a browser window).
    pub fn start(handle: Handle) -> Option<Clock> {
        let window = web_sys::window()?;
        let perf = window.performance()?;
        let frame = Rc::new(Cell::new(0));
        let frame_cb: FrameSlot = Rc::new(RefCell::new(None));
        {
            let (h, frame2, perf2, me) = (handle.clone(), frame.clone(), perf.clone(), frame_cb.clone());
            let window2 = window.clone();
            *frame_cb.borrow_mut() = Some(Closure::new(move |_t: f64| {
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
                // Gone if the clock was dropped during this frame (the redraw
                // unmounted the page): then no frame is asked for.
                if let Some(cb) = me.borrow().as_ref() {
                    if let Ok(id) = window2.request_animation_frame(cb.as_ref().unchecked_ref()) {
                        frame2.set(id);
                    }
                }
            }));
        }
        if let Some(cb) = frame_cb.borrow().as_ref() {
            if let Ok(id) = window.request_animation_frame(cb.as_ref().unchecked_ref()) {
                frame.set(id);
            }
        }
        let interval_cb = {
            let h = handle.clone();
            // Only advances: drawing waits for the next animation frame.
            Closure::<dyn FnMut()>::new(move || {
                if let Some(mut m) = h.try_write() {
                    m.tick(perf.now());
                }
            })
        };
        let interval = window
            .set_interval_with_callback_and_timeout_and_arguments_0(
                interval_cb.as_ref().unchecked_ref(),
                BACKUP_TICK_MS,
            )
            .unwrap_or(0);
        Some(Clock { frame_cb, frame, interval, _interval_cb: interval_cb })
    }
}

impl Drop for Clock {
    fn drop(&mut self) {
        if let Some(w) = web_sys::window() {
            w.clear_interval_with_handle(self.interval);
            // No frame left to call the closure: dropping it now is safe
            // (no "closure invoked recursively or after being dropped"), and
            // frees at once the cycle it makes by holding itself, and through
            // its handle the old page's model. (Dropped while it runs, from a
            // redraw that unmounts the page, wasm-bindgen frees it on return.)
            let _ = w.cancel_animation_frame(self.frame.get());
        }
        self.frame_cb.borrow_mut().take();
    }
}
