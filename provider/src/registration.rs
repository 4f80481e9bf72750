//! `register!`: declares each type's module and lists its handler, so that adding a resource or
//! a data source is one line (`module::Handler,`) in its kind's `mod.rs`.

/// `register!(Trait; module::Handler, ...)` declares `pub mod module;` for each entry and
/// defines `all(&Arc<ProviderState>)`, which builds every handler with `Handler::new(state)`.
macro_rules! register {
    ($handler_trait:path; $($module:ident :: $handler:ident),+ $(,)?) => {
        $(pub mod $module;)+

        /// Every type of this kind the provider serves, in the order listed.
        pub fn all(
            state: &std::sync::Arc<crate::provider_config::ProviderState>,
        ) -> Vec<std::sync::Arc<dyn $handler_trait>> {
            vec![$(std::sync::Arc::new($module::$handler::new(state.clone())),)+]
        }
    };
}

pub(crate) use register;
