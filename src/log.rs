//! Warnings for the developer's console. Never pass a token in here.

#[cfg(target_arch = "wasm32")]
pub(crate) fn warn(message: &str) {
    web_sys::console::warn_1(&wasm_bindgen::JsValue::from_str(message));
}

#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn warn(_message: &str) {}
