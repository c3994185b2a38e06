//! `interfaces`: every interface and address, with its kind, reach and role.

use std::net::IpAddr;

use serde::Serialize;

use super::{NoteOut, Report};
use crate::analysis::address::classify;
use crate::analysis::interfaces::{self, address_reach, host_notes, not_shareable, Primary};
use crate::analysis::vocab::{AddrKind, Reach};
use crate::analysis::vocab::{NotShareable, Role};
use crate::exit_codes::ExitCode;
use crate::i18n::Catalogue;
use crate::model::Families;
use crate::model::{AddrState, Device, Host};

#[derive(Debug, Clone, Serialize)]
pub struct InterfacesReport {
    pub primary: Option<Primary>,
    pub interfaces: Vec<InterfaceOut>,
    pub notes: Vec<NoteOut>,
}

#[derive(Debug, Clone, Serialize)]
pub struct InterfaceOut {
    pub name: String,
    pub index: Option<u32>,
    pub up: bool,
    pub device: Device,
    pub role: Role,
    #[serde(rename = "virtual")]
    pub is_virtual: bool,
    /// For virtual interfaces: what they are for, and why they are not for your phone.
    pub about: Option<String>,
    /// The bridge this interface is plugged into.
    pub master: Option<String>,
    pub addresses: Vec<AddressOut>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AddressOut {
    pub ip: IpAddr,
    pub prefix: u8,
    pub kind: AddrKind,
    pub reach: Reach,
    /// Only devices that route this address's network through this machine reach it.
    pub routed_only: bool,
    /// `tentative` or `dad_failed` while duplicate address detection has not passed.
    pub state: AddrState,
    pub primary: bool,
    pub shareable: bool,
    pub not_shareable: Option<NotShareable>,
}

/// `all`: also interfaces without (matching) addresses.
pub fn interfaces(
    host: &Host,
    all: bool,
    families: Families,
    cat: &dyn Catalogue,
) -> InterfacesReport {
    let primary = interfaces::primary(host);
    let rows = host
        .interfaces
        .iter()
        .map(|i| {
            let role = interfaces::role(host, i);
            InterfaceOut {
                name: i.name.clone(),
                index: i.index,
                up: i.up,
                device: i.device,
                role,
                is_virtual: role.is_virtual(),
                about: role.is_virtual().then(|| cat.role(role).to_string()),
                master: i.master.clone(),
                addresses: i
                    .addresses
                    .iter()
                    .filter(|a| families.admits(a.ip))
                    .map(|a| {
                        let why_not = not_shareable(i, role, a);
                        let reach = address_reach(host, i, role, a);
                        AddressOut {
                            ip: a.ip,
                            prefix: a.prefix,
                            kind: classify(a.ip),
                            reach: reach.reach,
                            routed_only: reach.routed_only,
                            state: a.state,
                            primary: primary
                                .as_ref()
                                .is_some_and(|p| p.ip == a.ip && p.interface == i.name),
                            shareable: why_not.is_none(),
                            not_shareable: why_not,
                        }
                    })
                    .collect(),
            }
        })
        .filter(|i| all || !i.addresses.is_empty())
        .collect();
    InterfacesReport {
        notes: NoteOut::all(&host_notes(host), cat),
        primary,
        interfaces: rows,
    }
}

impl Report for InterfacesReport {
    fn command(&self) -> &'static str {
        "interfaces"
    }

    fn exit_code(&self) -> ExitCode {
        ExitCode::Success
    }
}
