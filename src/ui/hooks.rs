//! Effects: the animation-frame loop that drives the virtual clock.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_render::{request_animation_frame, AnimationFrame};
use yew::prelude::*;

/// Calls `on_frame(ms since the previous frame)` on every animation frame while mounted.
#[hook]
pub fn use_animation_frame(on_frame: Callback<f64>) {
    use_effect_with((), move |_| {
        let handle: Rc<RefCell<Option<AnimationFrame>>> = Rc::new(RefCell::new(None));
        let last: Rc<RefCell<Option<f64>>> = Rc::new(RefCell::new(None));
        fn schedule(
            handle: Rc<RefCell<Option<AnimationFrame>>>,
            last: Rc<RefCell<Option<f64>>>,
            cb: Callback<f64>,
        ) {
            let h2 = handle.clone();
            let frame = request_animation_frame(move |ts| {
                let dt = last.borrow().map_or(0.0, |l| ts - l);
                *last.borrow_mut() = Some(ts);
                cb.emit(dt);
                schedule(h2, last, cb);
            });
            *handle.borrow_mut() = Some(frame);
        }
        schedule(handle.clone(), last, on_frame);
        move || {
            handle.borrow_mut().take();
        }
    });
}
