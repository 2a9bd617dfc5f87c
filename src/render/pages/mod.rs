//! Page builders by kind of page; each adds methods to the renderer of
//! `render::context`.

pub(crate) mod analysis;
pub(crate) mod compliance;
mod incidents;
pub(crate) mod runbooks;
mod search;
mod status;
