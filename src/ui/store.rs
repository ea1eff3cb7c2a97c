//! The handle through which components, the clock and the JavaScript API
//! reach the one [`Model`]: read it, hand it an [`Op`], and get the page redrawn.

use super::address;
use crate::view::model::{Model, Op};
use std::cell::{Ref, RefCell, RefMut};
use std::rc::Rc;
use yew::Callback;

/// Shared access to the model. Cheap to clone; equal when it is the same model.
#[derive(Clone)]
pub struct Handle(Rc<Store>);

/// What a [`Handle`] points to.
pub struct Store {
    model: RefCell<Model>,
    redraw: RefCell<Option<Rc<dyn Fn()>>>,
    /// For the page that owns the address: the run, and the lesson and step, last written into it.
    address: RefCell<Option<AddressKey>>,
}

/// What the address says: the run, and the lesson played with its step.
type AddressKey = (u64, Option<(String, usize)>);

impl PartialEq for Handle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Handle {
    /// Wraps a model.
    pub fn new(model: Model) -> Handle {
        Handle(Rc::new(Store { model: RefCell::new(model), redraw: RefCell::new(None), address: RefCell::new(None) }))
    }

    /// Reads the model. Returns `None` only if it is being changed right now
    /// (a re-entrant call), which the callers turn into a refusal, never a panic.
    pub fn try_read(&self) -> Option<Ref<'_, Model>> {
        self.0.model.try_borrow().ok()
    }

    /// Changes the model without asking for a redraw (`None` during a re-entrant call).
    pub fn try_write(&self) -> Option<RefMut<'_, Model>> {
        self.0.model.try_borrow_mut().ok()
    }

    /// Changes the model with `f` and asks for a redraw.
    pub fn update<R>(&self, f: impl FnOnce(&mut Model) -> R) -> Result<R, String> {
        let r = {
            let mut m = self.0.model.try_borrow_mut().map_err(|_| "the page is busy; try again".to_string())?;
            f(&mut m)
        };
        self.updated();
        Ok(r)
    }

    /// What follows every change of the model (one copy, not one per caller of [`Handle::update`]).
    #[inline(never)]
    fn updated(&self) {
        self.follow_address();
        super::lesson_load::follow_fetch(self);
        self.redraw();
    }

    /// Keeps the address bar in step with the run from now on (see [`address`]):
    /// for the page mounted from the address only, never for one a host page mounts.
    pub fn own_address(&self) {
        if let Ok(mut a) = self.0.address.try_borrow_mut() {
            *a = Some((u64::MAX, None));
        }
        self.follow_address();
    }

    /// Writes a new run's settings, and the lesson's step, into the address, if this page owns it.
    fn follow_address(&self) {
        let (Ok(m), Ok(mut last)) = (self.0.model.try_borrow(), self.0.address.try_borrow_mut()) else { return };
        let Some(before) = last.as_ref() else { return };
        let now = (m.run, m.lessons.address());
        if *before != now {
            let had_lesson = before.1.is_some();
            // The address's scenario=/script= goes with the run it was asked over (reloading
            // must not run it over another run); the Script panel puts it back once its
            // run is the page's (www/script-panel.js).
            address::follow_run(&m.start, now.1.as_ref(), had_lesson, m.run > 0, before.0 != u64::MAX);
            *last = Some(now);
        }
    }

    /// Performs `op` (see [`Model::apply`]) and asks for a redraw.
    pub fn dispatch(&self, op: Op) -> Result<(), String> {
        self.update(|m| m.apply(op))?
    }

    /// Performs `op`, ignoring a refusal (the model already shows it in the notice line).
    pub fn send(&self, op: Op) {
        let _ = self.dispatch(op);
    }

    /// A callback (for a click, a key...) that performs `op`, whatever its event.
    pub fn on<E: 'static>(&self, op: Op) -> Callback<E> {
        let h = self.clone();
        Callback::from(move |_| h.send(op.clone()))
    }

    /// A callback that performs the op `f` makes of its event, if it makes one.
    pub fn on_event<E: 'static>(&self, f: impl Fn(E) -> Option<Op> + 'static) -> Callback<E> {
        let h = self.clone();
        Callback::from(move |e| {
            if let Some(op) = f(e) {
                h.send(op)
            }
        })
    }

    /// Which model this handle shares (the same for its clones, and while it lives
    /// different from any other handle's): the root's effect runs again only for another.
    pub fn key(&self) -> u64 {
        Rc::as_ptr(&self.0) as *const u8 as usize as u64
    }

    /// Sets what redraws the page (the root component's force-update).
    pub fn set_redraw(&self, f: Option<Rc<dyn Fn()>>) {
        if let Ok(mut r) = self.0.redraw.try_borrow_mut() {
            *r = f;
        }
    }

    /// Asks for a redraw (batched by Yew's scheduler). Before the page can
    /// redraw (its first drawing done, the effect that wires the redraw not
    /// yet run: Yew may yield in between), the clock's first frame will. (A
    /// redraw asked for before the first drawing, or after the page is
    /// unmounted, sets that mark too: at most one redundant drawing, benign.)
    pub fn redraw(&self) {
        let f = self.0.redraw.try_borrow().ok().and_then(|r| r.clone());
        match f {
            Some(f) => f(),
            None => {
                if let Some(mut m) = self.try_write() {
                    m.mark_undrawn();
                }
            }
        }
    }
}
