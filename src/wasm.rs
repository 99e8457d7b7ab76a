//! The only module that knows JavaScript: the #[wasm_bindgen] boundary.
