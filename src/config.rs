//! The plain configuration the CLI layer hands down: every environment question (colour,
//! language, terminal) answered once. Nothing below `cli.rs` sees clap.

use crate::i18n::Lang;
use crate::parse::HostInput;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub output: Output,
    pub action: Action,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Output {
    pub json: bool,
    pub color: bool,
    pub lang: Lang,
    pub verbose: u8,
    pub quiet: bool,
    /// stdout is a terminal: tables for people, bare values for pipes where promised.
    pub tty: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Families {
    Both,
    V4,
    V6,
}

impl Families {
    pub fn admits(self, ip: std::net::IpAddr) -> bool {
        match self {
            Families::Both => true,
            Families::V4 => ip.is_ipv4(),
            Families::V6 => ip.is_ipv6(),
        }
    }
}

pub const DEFAULT_PORT: u16 = 5000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Overview { port: u16 },
    Interfaces { all: bool, families: Families },
    Expose(ExposeOptions),
    Urls(UrlsOptions),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExposeOptions {
    pub host: HostInput,
    pub port: u16,
    /// Bind for real and close at once.
    pub try_bind: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlsOptions {
    pub port: u16,
    /// The server's bind host; `None`: every address of both families.
    pub host: Option<HostInput>,
    /// Also the URLs that will not work from another device.
    pub all: bool,
    pub scheme: String,
    /// Appended to every URL: empty, or starting with `/`.
    pub path: String,
    pub qr: bool,
    pub families: Families,
}
