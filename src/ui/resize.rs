//! Measuring an element now and again whenever the window changes size.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Runs `measure` once, then on every window resize until the returned
/// clean-up runs: the body of a [`use_effect_on`](super::use_effect_on) that places something by
/// its measured size (the ring's scale, the server menu, the inspector card).
pub fn measure_on_resize(mut measure: impl FnMut() + 'static) -> super::Cleanup {
    measure();
    // FnMut like the clock's timer: one closure shape, one piece of JavaScript glue.
    let on_resize = Closure::<dyn FnMut()>::new(measure);
    let window = web_sys::window();
    if let Some(w) = &window {
        let _ = w.add_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref());
    }
    Some(Box::new(move || {
        if let Some(w) = &window {
            let _ = w.remove_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref());
        }
    }))
}

/// Runs `measure` once `el` is laid out, then whenever its size changes (the
/// window's size, or the room its neighbours leave it: the log grid's rows, a
/// line of guidance that wraps), until the returned clean-up runs: for the
/// Diagram, which draws itself as tall as its box.
pub fn measure_on_size(el: &web_sys::Element, measure: impl FnMut() + 'static) -> super::Cleanup {
    let on_size = Closure::<dyn FnMut()>::new(measure);
    let observer = web_sys::ResizeObserver::new(on_size.as_ref().unchecked_ref()).ok()?;
    observer.observe(el);
    Some(Box::new(move || {
        observer.disconnect();
        drop(on_size);
    }))
}
