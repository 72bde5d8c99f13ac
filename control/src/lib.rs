//! flowdist control plane, apart from the data path (Katran style): the distributor's TOML
//! configuration ([`config`]), the weighted Maglev fill of the hash buckets ([`maglev`]) and
//! the compilation of a configuration into the tables the hardware and the model load
//! ([`compile`](mod@compile)).
//!
//! ```
//! use flowdist_control::{compile, Config};
//! let cfg = Config::from_toml_str(r#"
//!     [distributor]
//!     mac = "02:00:00:00:00:01"
//!     bucket_bits = 8
//!     [[tms]]
//!     name = "tm-a"
//!     mac = "02:00:00:00:0a:01"
//!     delivery = "vlan:101"
//!     [[tms]]
//!     name = "tm-b"
//!     mac = "02:00:00:00:0a:02"
//!     delivery = "vlan:102"
//!     [[addresses]]
//!     prefix = "203.0.113.10"
//!     attrs = ["virtual"]
//! "#).unwrap();
//! let tables = compile(&cfg, 64).unwrap();
//! assert_eq!(tables.buckets.len(), 256);
//! assert_eq!(tables.cam.len(), 1);
//! ```
#![deny(missing_docs)]

pub mod compile;
pub mod config;
pub mod maglev;
pub mod protocol;

pub use compile::{compile, hash_key, recompile, Tables};
pub use config::{Address, Config, ConfigError, Control, Distributor, Ipv4Prefix, PortRole, Tm};
pub use maglev::{fill, try_fill, try_update, FillError};
