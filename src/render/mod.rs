//! Rendering the site: pages, feeds, the API, badges, the search index.

pub mod api;
pub mod badges;
pub mod feeds;
pub mod pages;
pub mod status;
pub mod theme;
