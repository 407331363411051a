//! The ground floor: small helpers every stage may use (and that use no stage).
//!
//! - [`url`]: the one URL policy for every link, image and attribute skillsite writes;
//! - [`hidden`]: characters and comments that a reader of a page does not see but an agent
//!   reading the same file does, and how to show them;
//! - [`gzip`]: reproducible gzip, for the skill archives and the compressed search index;
//! - [`path`]: content-relative paths, `href` paths of built pages, paths in diagnostics;
//! - [`slug`]: GitHub's heading slugs.
//!
//! Nothing here imports `load`, `model`, `transform`, `render`, `index`, `write` or `serve`.

pub mod gzip;
pub mod hidden;
pub mod path;
pub mod slug;
pub mod url;
