//! Windows: interfaces come from GetAdaptersAddresses (through if-addrs) under their
//! friendly names ("Wi-Fi", "vEthernet (WSL)"); routes are not read yet, so `local_ip()`
//! (the first adapter with a default route there) stands in for the default route. Sockets come
//! from GetExtendedTcpTable/GetExtendedUdpTable (through netstat2), which name the owning pid
//! of every socket; process names and users from sysinfo, unknown where access is denied.
//! Windows Defender Firewall is read through COM (INetFwPolicy2, and the Network List Manager
//! for each network's category), which needs no elevation.

use std::collections::BTreeMap;
use std::io;

use super::Platform;
use crate::model::{
    FirewallState, Os, Process, Proto, SockState, Socket, SocketQuery, SocketTable, Sysctls,
};

/// Windows: interfaces, environment hints and routes keep the contract's defaults, and so
/// does `signal`: stopping processes is not supported here yet (`taskkill /PID N` does it).
pub struct Current;

impl Platform for Current {
    const OS: Os = Os::Windows;

    /// On Windows SO_REUSEADDR lets a socket take over a port that is in use; servers do not
    /// set it, and neither does a trial bind.
    const SERVERS_SET_REUSEADDR: bool = false;

    fn socket_table(query: SocketQuery) -> io::Result<SocketTable> {
        socket_table(query)
    }

    /// The same pid (and start time) must still own a socket on the port.
    fn still_holds(process: &Process, socket: &Socket) -> bool {
        let (pid, port) = (process.pid, socket.local.port());
        let holds = all_sockets().is_ok_and(|all| {
            all.iter()
                .any(|s| s.local_port() == port && s.associated_pids.contains(&pid))
        });
        holds
            && (process.start_time.is_none()
                || processes(&[pid]).first().and_then(|p| p.start_time) == process.start_time)
    }

    fn alive(pid: u32) -> bool {
        use sysinfo::{Pid, ProcessRefreshKind, ProcessesToUpdate, System};
        let mut system = System::new();
        system.refresh_processes_specifics(
            ProcessesToUpdate::Some(&[Pid::from_u32(pid)]),
            true,
            ProcessRefreshKind::nothing(),
        );
        system.process(Pid::from_u32(pid)).is_some()
    }

    fn hostname() -> Option<String> {
        std::env::var("COMPUTERNAME").ok().filter(|n| !n.is_empty())
    }

    /// Windows has no privileged ports, and its IPv6 sockets are v6-only by default.
    fn sysctls() -> Sysctls {
        Sysctls {
            bindv6only: Some(true),
            unprivileged_port_start: None,
            ephemeral_range: None,
            nonlocal_bind: None,
        }
    }

    /// The profiles and rules, whatever the program: rules are matched to it in the analysis.
    fn firewall(_program: Option<&str>) -> FirewallState {
        FirewallState {
            windows: Some(firewall::read()),
            ..FirewallState::default()
        }
    }
}

fn all_sockets() -> io::Result<Vec<netstat2::SocketInfo>> {
    use netstat2::{AddressFamilyFlags, ProtocolFlags};
    netstat2::get_sockets_info(
        AddressFamilyFlags::IPV4 | AddressFamilyFlags::IPV6,
        ProtocolFlags::TCP | ProtocolFlags::UDP,
    )
    .map_err(|e| io::Error::other(e.to_string()))
}

fn socket_table(query: SocketQuery) -> io::Result<SocketTable> {
    use netstat2::ProtocolSocketInfo;
    let mut sockets = Vec::new();
    for info in all_sockets()? {
        let (proto, local, remote, state) = match &info.protocol_socket_info {
            ProtocolSocketInfo::Tcp(t) => (
                Proto::Tcp,
                std::net::SocketAddr::new(t.local_addr, t.local_port),
                (t.remote_port != 0)
                    .then(|| std::net::SocketAddr::new(t.remote_addr, t.remote_port)),
                tcp_state(&t.state),
            ),
            ProtocolSocketInfo::Udp(u) => (
                Proto::Udp,
                std::net::SocketAddr::new(u.local_addr, u.local_port),
                None,
                SockState::Unconn,
            ),
        };
        let wanted = match query {
            SocketQuery::Listening => state.is_listening(),
            SocketQuery::Port(port) => local.port() == port,
        };
        if wanted {
            let mut pids = info.associated_pids.clone();
            pids.sort_unstable();
            pids.dedup();
            sockets.push(Socket {
                proto,
                local,
                remote,
                state,
                v6only: None,
                device: None,
                uid: None,
                inode: None,
                pids,
            });
        }
    }
    let mut pids: Vec<u32> = sockets
        .iter()
        .flat_map(|s| s.pids.iter().copied())
        .collect();
    pids.sort_unstable();
    pids.dedup();
    let processes = processes(&pids);
    Ok(SocketTable {
        sockets,
        processes,
        owners_complete: true,
        unreadable: 0,
        protected: 0,
        users: Vec::new(),
    })
}

fn tcp_state(state: &netstat2::TcpState) -> SockState {
    use netstat2::TcpState as T;
    match state {
        T::Listen => SockState::Listen,
        T::Established => SockState::Established,
        T::SynSent => SockState::SynSent,
        T::SynReceived => SockState::SynRecv,
        T::FinWait1 => SockState::FinWait1,
        T::FinWait2 => SockState::FinWait2,
        T::TimeWait => SockState::TimeWait,
        T::CloseWait => SockState::CloseWait,
        T::LastAck => SockState::LastAck,
        T::Closing => SockState::Closing,
        _ => SockState::Other,
    }
}

/// Names, parents and users of the pids; a pid whose process cannot be opened keeps "?".
fn processes(pids: &[u32]) -> Vec<Process> {
    use sysinfo::{Pid, ProcessRefreshKind, ProcessesToUpdate, System, UpdateKind, Users};
    let wanted: Vec<Pid> = pids.iter().map(|p| Pid::from_u32(*p)).collect();
    let mut system = System::new();
    system.refresh_processes_specifics(
        ProcessesToUpdate::Some(&wanted),
        true,
        ProcessRefreshKind::nothing()
            .with_user(UpdateKind::Always)
            .with_cmd(UpdateKind::Always),
    );
    let users = Users::new_with_refreshed_list();
    let mut out: BTreeMap<u32, Process> = BTreeMap::new();
    for &pid in pids {
        let found = system.process(Pid::from_u32(pid));
        out.insert(
            pid,
            Process {
                pid,
                ppid: found.and_then(|p| p.parent()).map(|p| p.as_u32()),
                name: found
                    .map(|p| p.name().to_string_lossy().into_owned())
                    .unwrap_or_else(|| "?".to_string()),
                uid: None,
                user: found
                    .and_then(|p| p.user_id())
                    .and_then(|uid| users.get_user_by_id(uid))
                    .map(|u| u.name().to_string()),
                cmdline: found.map(|p| {
                    p.cmd()
                        .iter()
                        .map(|a| a.to_string_lossy())
                        .collect::<Vec<_>>()
                        .join(" ")
                }),
                start_time: found.map(|p| p.start_time()),
            },
        );
    }
    out.into_values().collect()
}

/// Windows Defender Firewall through COM. Anything that fails (Wine answers E_NOTIMPL) gives no
/// profiles, so the verdict is unknown rather than built on part of the rules.
#[allow(unsafe_code)] // every method of a COM interface is `unsafe` in the windows crate
mod firewall {
    use std::sync::mpsc;
    use std::time::Duration;

    use windows::core::{Error, Interface, Result};
    use windows::Win32::Foundation::E_UNEXPECTED;
    use windows::Win32::NetworkManagement::IpHelper::{
        ConvertInterfaceGuidToLuid, ConvertInterfaceLuidToAlias,
    };
    use windows::Win32::NetworkManagement::Ndis::NET_LUID_LH;
    use windows::Win32::NetworkManagement::WindowsFirewall::{
        INetFwPolicy2, INetFwRule, NetFwPolicy2, NET_FW_ACTION_ALLOW, NET_FW_PROFILE2_DOMAIN,
        NET_FW_PROFILE2_PRIVATE, NET_FW_PROFILE2_PUBLIC, NET_FW_PROFILE_TYPE2, NET_FW_RULE_DIR_IN,
    };
    use windows::Win32::Networking::NetworkListManager::{
        INetworkConnection, INetworkListManager, NetworkListManager,
        NLM_NETWORK_CATEGORY_DOMAIN_AUTHENTICATED, NLM_NETWORK_CATEGORY_PRIVATE,
        NLM_NETWORK_CATEGORY_PUBLIC,
    };
    use windows::Win32::System::Com::{
        CoCreateInstance, CoInitializeEx, CoUninitialize, IDispatch, CLSCTX_ALL,
        CLSCTX_INPROC_SERVER, COINIT_MULTITHREADED,
    };
    use windows::Win32::System::Ole::IEnumVARIANT;
    use windows::Win32::System::Variant::VARIANT;

    use crate::model::{WinNetwork, WinProfile, WinProfileKind, WinRule, WindowsFirewall};

    /// The firewall service answers in milliseconds; one that hangs must not hang bindscope.
    const TIMEOUT: Duration = Duration::from_secs(8);

    /// More rules than any machine has: an enumerator that never ends is an error.
    const MAX_RULES: usize = 200_000;

    const PROFILES: [(WinProfileKind, NET_FW_PROFILE_TYPE2); 3] = [
        (WinProfileKind::Domain, NET_FW_PROFILE2_DOMAIN),
        (WinProfileKind::Private, NET_FW_PROFILE2_PRIVATE),
        (WinProfileKind::Public, NET_FW_PROFILE2_PUBLIC),
    ];

    /// Reads on a thread of its own, so COM is set up there the way this code needs (a
    /// multithreaded apartment) whatever the caller's thread has.
    pub fn read() -> WindowsFirewall {
        let (tx, rx) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("firewall".to_string())
            .spawn(move || {
                let _ = tx.send(read_here());
            });
        if spawned.is_err() {
            return WindowsFirewall::default();
        }
        rx.recv_timeout(TIMEOUT).unwrap_or_default()
    }

    fn read_here() -> WindowsFirewall {
        // SAFETY: this thread was just made for this; COM is left again below, once every COM
        // object made here has been dropped (they do not leave `policy` and `networks`).
        if unsafe { CoInitializeEx(None, COINIT_MULTITHREADED) }.is_err() {
            return WindowsFirewall::default();
        }
        let mut fw = policy().unwrap_or_default();
        if !fw.profiles.is_empty() {
            fw.networks = networks().unwrap_or_default();
        }
        // SAFETY: paired with the successful CoInitializeEx above, on the same thread.
        unsafe { CoUninitialize() };
        fw
    }

    /// The three profiles and every inbound rule.
    fn policy() -> Result<WindowsFirewall> {
        // SAFETY (here and below): plain COM calls on live interfaces; every out-value is owned
        // by the windows crate's wrappers.
        let policy: INetFwPolicy2 =
            unsafe { CoCreateInstance(&NetFwPolicy2, None, CLSCTX_INPROC_SERVER)? };
        let current = unsafe { policy.CurrentProfileTypes()? };
        let mut profiles = Vec::new();
        for (kind, bit) in PROFILES {
            profiles.push(WinProfile {
                kind,
                current: current & bit.0 != 0,
                enabled: unsafe { policy.get_FirewallEnabled(bit)? }.as_bool(),
                default_inbound_block: unsafe { policy.get_DefaultInboundAction(bit)? }
                    != NET_FW_ACTION_ALLOW,
                block_all_inbound: unsafe { policy.get_BlockAllInboundTraffic(bit)? }.as_bool(),
            });
        }
        Ok(WindowsFirewall {
            profiles,
            rules: rules(&policy)?,
            networks: Vec::new(),
        })
    }

    /// The inbound rules, through the collection's `_NewEnum`.
    fn rules(policy: &INetFwPolicy2) -> Result<Vec<WinRule>> {
        let all = unsafe { policy.Rules()? };
        let items: IEnumVARIANT = unsafe { all._NewEnum()? }.cast()?;
        let mut rules = Vec::new();
        for _ in 0..MAX_RULES {
            let mut item = [VARIANT::default()];
            let mut fetched = 0u32;
            unsafe { items.Next(&mut item, &mut fetched) }.ok()?;
            if fetched == 0 {
                return Ok(rules);
            }
            let rule: INetFwRule = IDispatch::try_from(&item[0])?.cast()?;
            if let Some(rule) = inbound_rule(&rule)? {
                rules.push(rule);
            }
        }
        Err(Error::from_hresult(E_UNEXPECTED))
    }

    /// One rule, when it is inbound and for a protocol a connection of ours can have (TCP, UDP
    /// or any): an ICMP rule never matches one, and its ports cannot be read.
    fn inbound_rule(rule: &INetFwRule) -> Result<Option<WinRule>> {
        if unsafe { rule.Direction()? } != NET_FW_RULE_DIR_IN {
            return Ok(None);
        }
        let protocol = match unsafe { rule.Protocol()? } {
            256 => None,
            p @ (6 | 17) => u8::try_from(p).ok(),
            _ => return Ok(None),
        };
        // A rule for any protocol has no ports: empty is any port.
        let local_ports = match protocol {
            None => unsafe { rule.LocalPorts() }
                .map(|p| p.to_string())
                .unwrap_or_default(),
            Some(_) => unsafe { rule.LocalPorts()? }.to_string(),
        };
        let program = unsafe { rule.ApplicationName()? }.to_string();
        let service = unsafe { rule.ServiceName()? }.to_string();
        let profiles = unsafe { rule.Profiles()? };
        Ok(Some(WinRule {
            name: unsafe { rule.Name()? }.to_string(),
            enabled: unsafe { rule.Enabled()? }.as_bool(),
            inbound: true,
            allow: unsafe { rule.Action()? } == NET_FW_ACTION_ALLOW,
            program: (!program.trim().is_empty())
                .then(|| expand_vars(&program, |name| std::env::var(name).ok())),
            service: (!service.trim().is_empty()).then_some(service),
            protocol,
            local_ports,
            local_addresses: unsafe { rule.LocalAddresses()? }.to_string(),
            remote_addresses: unsafe { rule.RemoteAddresses()? }.to_string(),
            interface_types: unsafe { rule.InterfaceTypes()? }.to_string(),
            profiles: PROFILES
                .iter()
                .filter(|(_, bit)| profiles & bit.0 != 0)
                .map(|(kind, _)| *kind)
                .collect(),
        }))
    }

    /// `%SystemRoot%\system32\svchost.exe` with the variables this process sees; one that is
    /// not set stays as it is (and the rule's program is then not compared).
    pub(super) fn expand_vars(path: &str, var: impl Fn(&str) -> Option<String>) -> String {
        let mut out = String::new();
        let mut rest = path;
        while let Some(start) = rest.find('%') {
            let after = &rest[start + 1..];
            let Some(len) = after.find('%') else {
                break;
            };
            let name = &after[..len];
            match var(name).filter(|_| !name.is_empty()) {
                Some(value) => {
                    out.push_str(&rest[..start]);
                    out.push_str(&value);
                }
                None => out.push_str(&rest[..start + len + 2]),
            }
            rest = &after[len + 1..];
        }
        out.push_str(rest);
        out
    }

    /// Each connected network's category, by the alias of the interface it is on.
    fn networks() -> Result<Vec<WinNetwork>> {
        let nlm: INetworkListManager =
            unsafe { CoCreateInstance(&NetworkListManager, None, CLSCTX_ALL)? };
        let connections = unsafe { nlm.GetNetworkConnections()? };
        let mut out = Vec::new();
        for _ in 0..1024 {
            let mut item: [Option<INetworkConnection>; 1] = [None];
            let mut fetched = 0u32;
            unsafe { connections.Next(&mut item, Some(&mut fetched))? };
            let [Some(connection)] = item else {
                break;
            };
            if fetched == 0 {
                break;
            }
            if let Some(network) = network(&connection) {
                out.push(network);
            }
        }
        Ok(out)
    }

    fn network(connection: &INetworkConnection) -> Option<WinNetwork> {
        let adapter = unsafe { connection.GetAdapterId() }.ok()?;
        let category = unsafe { connection.GetNetwork().ok()?.GetCategory() }.ok()?;
        let category = match category {
            NLM_NETWORK_CATEGORY_PUBLIC => WinProfileKind::Public,
            NLM_NETWORK_CATEGORY_PRIVATE => WinProfileKind::Private,
            NLM_NETWORK_CATEGORY_DOMAIN_AUTHENTICATED => WinProfileKind::Domain,
            _ => return None,
        };
        let mut luid = NET_LUID_LH::default();
        // SAFETY: both point to live values of the types the functions take.
        unsafe { ConvertInterfaceGuidToLuid(&adapter, &mut luid) }
            .ok()
            .ok()?;
        // NDIS_IF_MAX_STRING_SIZE characters and the terminating zero.
        let mut alias = [0u16; 257];
        unsafe { ConvertInterfaceLuidToAlias(&luid, &mut alias) }
            .ok()
            .ok()?;
        let len = alias.iter().position(|&c| c == 0).unwrap_or(alias.len());
        Some(WinNetwork {
            interface: String::from_utf16_lossy(&alias[..len]),
            category,
        })
    }

    #[cfg(test)]
    mod tests {
        use super::expand_vars;

        #[test]
        fn variables_in_rule_paths_are_expanded_where_set() {
            let var = |name: &str| (name == "SystemRoot").then(|| r"C:\Windows".to_string());
            assert_eq!(
                expand_vars(r"%SystemRoot%\system32\svchost.exe", var),
                r"C:\Windows\system32\svchost.exe"
            );
            assert_eq!(expand_vars(r"%Nope%\x.exe", var), r"%Nope%\x.exe");
            assert_eq!(expand_vars("100%", var), "100%");
            assert_eq!(expand_vars("%%a", var), "%%a");
            assert_eq!(expand_vars("", var), "");
        }
    }
}
