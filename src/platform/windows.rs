//! Windows: adapters come from GetAdaptersAddresses under their friendly names ("Wi-Fi",
//! "vEthernet (WSL)"), with their description, IfType, operational status, metrics and
//! gateways; default routes from GetIpForwardTable2 with the metric Windows compares (route +
//! interface). What those mean is decided in the cfg-free `windows_data`. Sockets come from
//! GetExtendedTcpTable/GetExtendedUdpTable (through netstat2), which name the owning pid of
//! every socket; process names from sysinfo, users from each process's token, unknown where
//! access is denied. Windows Defender Firewall is read through COM (INetFwPolicy2, and the
//! Network List Manager for each network's category), which needs no elevation.

use std::collections::BTreeMap;
use std::io;

use super::windows_data::{self, owner_pids};
use super::windows_kill::{self, Row};
use super::{Handle, Holder, Platform};
use crate::model::{
    DefaultRoute, FirewallState, HolderFacts, Interface, Os, Process, Proto, Signal, SignalError,
    SockState, Socket, SocketQuery, SocketTable, Sysctls,
};

/// Windows: `--kill` opens each holder at the check and terminates it through that handle
/// (there is no SIGTERM: TerminateProcess is final, as `taskkill /F` is).
pub struct Current;

impl Platform for Current {
    const OS: Os = Os::Windows;

    /// On Windows SO_REUSEADDR lets a socket take over a port that is in use; servers do not
    /// set it, and neither does a trial bind.
    const SERVERS_SET_REUSEADDR: bool = false;

    /// A console program such as Flask in another console has no window to ask to close and
    /// shares no console to send Ctrl+C to: TerminateProcess is the only way, and it is final.
    const STOP_IS_FINAL: bool = true;

    fn socket_table(query: SocketQuery) -> io::Result<SocketTable> {
        socket_table(query)
    }

    /// Opens the process, checks its creation time against the start time the socket table
    /// saw, and that it still owns one of `sockets` in the tables now. The handle kept pins
    /// its pid until the kill is over.
    fn open_holder(process: &Process, sockets: &[Socket]) -> Result<Handle, SignalError> {
        let (handle, created) = win_process::open(process.pid)?;
        windows_kill::verdict(
            win_process::exited(&handle),
            windows_kill::same_process(process.start_time, created),
            held_now(process.pid, sockets),
        )?;
        Ok(Handle::Process { handle, created })
    }

    /// TerminateProcess, whatever the signal: it is checked again right before that it still
    /// runs and still owns its socket (its handle keeps it the same process).
    fn signal_holder(holder: &Holder, _signal: Signal) -> Result<(), SignalError> {
        let Handle::Process { handle, .. } = &holder.handle else {
            return Err(SignalError::Unsupported);
        };
        windows_kill::verdict(
            win_process::exited(handle),
            true,
            held_now(holder.process.pid, &holder.sockets),
        )?;
        win_process::terminate(handle)
    }

    fn holder_running(holder: &Holder) -> bool {
        match &holder.handle {
            Handle::Process { handle, .. } => !win_process::exited(handle),
            Handle::Number => false,
        }
    }

    /// WaitForSingleObject on the handle, bounded by `wait`.
    fn wait_holder(holder: &Holder, wait: std::time::Duration) -> bool {
        match &holder.handle {
            Handle::Process { handle, .. } => {
                win_process::wait(handle, windows_kill::wait_ms(wait))
            }
            Handle::Number => true,
        }
    }

    /// How long it has run, from its creation time (its working directory is another
    /// process's memory: not read).
    fn holder_facts(holder: &Holder) -> HolderFacts {
        let Handle::Process { created, .. } = &holder.handle else {
            return HolderFacts::default();
        };
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        HolderFacts {
            cwd: None,
            running_for: windows_kill::running_for(*created, now),
            container_init: false,
        }
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

    fn interfaces() -> io::Result<Vec<Interface>> {
        Ok(windows_data::interfaces(&adapters::read()?))
    }

    fn default_routes() -> Vec<DefaultRoute> {
        let Ok(adapters) = adapters::read() else {
            return Vec::new();
        };
        let routes = adapters::routes().ok();
        windows_data::default_routes(&adapters, routes.as_deref())
    }

    fn excluded_ports() -> Vec<(u16, u16)> {
        excluded_ports()
    }

    /// ENABLE_VIRTUAL_TERMINAL_PROCESSING on the console (through colored); a console that
    /// refuses it (before Windows 10) gets no colour. Korean needs no code page: std writes
    /// to a console with WriteConsoleW, in UTF-16, and SetConsoleOutputCP would change the
    /// user's console for good after bindscope exits.
    fn prepare_console(colour: bool) -> bool {
        colour && colored::control::set_virtual_terminal(true).is_ok()
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

/// Whether `pid` owns one of `sockets` in the TCP and UDP tables read now.
fn held_now(pid: u32, sockets: &[Socket]) -> bool {
    use netstat2::ProtocolSocketInfo;
    let Ok(all) = all_sockets() else {
        return false;
    };
    let rows: Vec<Row> = all
        .iter()
        .flat_map(|info| {
            let (proto, local) = match &info.protocol_socket_info {
                ProtocolSocketInfo::Tcp(t) => (
                    Proto::Tcp,
                    std::net::SocketAddr::new(t.local_addr, t.local_port),
                ),
                ProtocolSocketInfo::Udp(u) => (
                    Proto::Udp,
                    std::net::SocketAddr::new(u.local_addr, u.local_port),
                ),
            };
            info.associated_pids
                .iter()
                .map(move |&pid| Row { proto, local, pid })
        })
        .collect();
    windows_kill::still_held(&rows, pid, sockets)
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
            let pids = owner_pids(&info.associated_pids);
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

/// Names and parents of the pids, from sysinfo; users from each process's token (sysinfo's
/// user list aborts under Wine in debug builds, and needs every account read for one name).
/// A pid whose process cannot be opened keeps "?".
fn processes(pids: &[u32]) -> Vec<Process> {
    use sysinfo::{Pid, ProcessRefreshKind, ProcessesToUpdate, System, UpdateKind};
    let wanted: Vec<Pid> = pids.iter().map(|p| Pid::from_u32(*p)).collect();
    let mut system = System::new();
    system.refresh_processes_specifics(
        ProcessesToUpdate::Some(&wanted),
        true,
        ProcessRefreshKind::nothing().with_cmd(UpdateKind::Always),
    );
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
                user: token::user(pid),
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

/// `netsh interface ipv4 show excludedportrange protocol=tcp`: the ranges Hyper-V, WSL and
/// Docker reserve, where a bind fails with WinError 10013 though nobody holds the port. netsh
/// answers in the display language; the parser reads only the numbers. Nothing read where
/// netsh cannot run (as under Wine).
fn excluded_ports() -> Vec<(u16, u16)> {
    use std::os::windows::process::CommandExt;
    const CREATE_NO_WINDOW: u32 = 0x0800_0000;
    std::process::Command::new("netsh")
        .args([
            "interface",
            "ipv4",
            "show",
            "excludedportrange",
            "protocol=tcp",
        ])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .creation_flags(CREATE_NO_WINDOW)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| windows_data::parse_excluded_ranges(&String::from_utf8_lossy(&o.stdout)))
        .unwrap_or_default()
}

/// A process opened to be terminated: OpenProcess, GetProcessTimes, WaitForSingleObject,
/// TerminateProcess. The handle is std's `OwnedHandle`, closed when dropped.
#[allow(unsafe_code)] // Win32 calls on a handle this module opened and keeps open
mod win_process {
    use std::os::windows::io::{AsRawHandle, FromRawHandle, OwnedHandle};

    use windows::Win32::Foundation::{FILETIME, HANDLE, WAIT_OBJECT_0};
    use windows::Win32::System::Threading::{
        GetProcessTimes, OpenProcess, TerminateProcess, WaitForSingleObject,
        PROCESS_QUERY_LIMITED_INFORMATION, PROCESS_SYNCHRONIZE, PROCESS_TERMINATE,
    };

    use super::windows_kill;
    use crate::model::SignalError;

    /// The Win32 error code of a failed call (an HRESULT of FACILITY_WIN32 carries it).
    fn code(e: &windows::core::Error) -> u32 {
        (e.code().0 as u32) & 0xFFFF
    }

    fn raw(handle: &OwnedHandle) -> HANDLE {
        HANDLE(handle.as_raw_handle())
    }

    /// The process `pid`, opened, with its creation time (a FILETIME).
    pub fn open(pid: u32) -> Result<(OwnedHandle, u64), SignalError> {
        let access = PROCESS_TERMINATE | PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_SYNCHRONIZE;
        // SAFETY: a plain call; the handle it returns is owned from here on.
        let handle = unsafe { OpenProcess(access, false, pid) }
            .map_err(|e| windows_kill::open_error(code(&e)))?;
        // SAFETY: `handle` was just opened and is owned by nobody else.
        let handle = unsafe { OwnedHandle::from_raw_handle(handle.0) };
        let (mut created, mut exited, mut kernel, mut user) = (
            FILETIME::default(),
            FILETIME::default(),
            FILETIME::default(),
            FILETIME::default(),
        );
        // SAFETY: a live handle and four FILETIMEs to write to.
        unsafe {
            GetProcessTimes(
                raw(&handle),
                &mut created,
                &mut exited,
                &mut kernel,
                &mut user,
            )
        }
        .map_err(|e| windows_kill::open_error(code(&e)))?;
        let created = (u64::from(created.dwHighDateTime) << 32) | u64::from(created.dwLowDateTime);
        Ok((handle, created))
    }

    /// Whether the process has ended (its handle is signalled).
    pub fn exited(handle: &OwnedHandle) -> bool {
        wait(handle, 0)
    }

    /// Waits at most `ms` for the process to end; whether it has.
    pub fn wait(handle: &OwnedHandle, ms: u32) -> bool {
        // SAFETY: a live handle opened with SYNCHRONIZE.
        let event = unsafe { WaitForSingleObject(raw(handle), ms) };
        event == WAIT_OBJECT_0
    }

    /// TerminateProcess, exit code 1 (what `taskkill /F` gives).
    pub fn terminate(handle: &OwnedHandle) -> Result<(), SignalError> {
        // SAFETY: a live handle opened with PROCESS_TERMINATE.
        unsafe { TerminateProcess(raw(handle), 1) }
            .map_err(|e| windows_kill::terminate_error(code(&e)))
    }
}

/// The user of a process, from its token: OpenProcess (limited query, which other users'
/// processes allow too), OpenProcessToken, GetTokenInformation(TokenUser), LookupAccountSidW.
#[allow(unsafe_code)] // Win32 calls; every handle is closed by `Handle`'s Drop
mod token {
    use windows::core::{PCWSTR, PWSTR};
    use windows::Win32::Foundation::{CloseHandle, HANDLE};
    use windows::Win32::Security::{
        GetTokenInformation, LookupAccountSidW, TokenUser, SID_NAME_USE, TOKEN_QUERY, TOKEN_USER,
    };
    use windows::Win32::System::Threading::{
        OpenProcess, OpenProcessToken, PROCESS_QUERY_LIMITED_INFORMATION,
    };

    struct Handle(HANDLE);

    impl Drop for Handle {
        fn drop(&mut self) {
            // SAFETY: the handle was returned open by the call that made this `Handle`.
            unsafe {
                let _ = CloseHandle(self.0);
            }
        }
    }

    pub fn user(pid: u32) -> Option<String> {
        // SAFETY (here and below): plain Win32 calls with live handles and buffers of the
        // sizes passed.
        let process =
            Handle(unsafe { OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, false, pid) }.ok()?);
        let mut token = HANDLE::default();
        unsafe { OpenProcessToken(process.0, TOKEN_QUERY, &mut token) }.ok()?;
        let token = Handle(token);
        let mut len = 0u32;
        // Fails with ERROR_INSUFFICIENT_BUFFER and says how much is needed.
        let _ = unsafe { GetTokenInformation(token.0, TokenUser, None, 0, &mut len) };
        if len == 0 || len > 4096 {
            return None;
        }
        // u64s, so the TOKEN_USER at the start is aligned.
        let mut buf = vec![0u64; (len as usize).div_ceil(8)];
        unsafe {
            GetTokenInformation(
                token.0,
                TokenUser,
                Some(buf.as_mut_ptr().cast()),
                len,
                &mut len,
            )
        }
        .ok()?;
        let sid = unsafe { (*buf.as_ptr().cast::<TOKEN_USER>()).User.Sid };
        let mut name = [0u16; 256];
        let mut name_len = name.len() as u32;
        let mut domain = [0u16; 256];
        let mut domain_len = domain.len() as u32;
        let mut kind = SID_NAME_USE::default();
        unsafe {
            LookupAccountSidW(
                PCWSTR::null(),
                sid,
                Some(PWSTR(name.as_mut_ptr())),
                &mut name_len,
                Some(PWSTR(domain.as_mut_ptr())),
                &mut domain_len,
                &mut kind,
            )
        }
        .ok()?;
        let name = String::from_utf16_lossy(name.get(..name_len as usize)?);
        (!name.is_empty()).then_some(name)
    }
}

/// GetAdaptersAddresses and GetIpForwardTable2, walked into plain data.
#[allow(unsafe_code)] // Win32 calls and the linked lists they return
mod adapters {
    use std::io;
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

    use windows::Win32::Foundation::{ERROR_BUFFER_OVERFLOW, NO_ERROR};
    use windows::Win32::NetworkManagement::IpHelper::{
        FreeMibTable, GetAdaptersAddresses, GetIpForwardTable2, GAA_FLAG_INCLUDE_ALL_INTERFACES,
        GAA_FLAG_INCLUDE_GATEWAYS, GAA_FLAG_SKIP_ANYCAST, GAA_FLAG_SKIP_DNS_SERVER,
        GAA_FLAG_SKIP_MULTICAST, IP_ADAPTER_ADDRESSES_LH, MIB_IPFORWARD_TABLE2,
    };
    use windows::Win32::NetworkManagement::Ndis::IfOperStatusUp;
    use windows::Win32::Networking::WinSock::{
        AF_INET, AF_INET6, AF_UNSPEC, SOCKADDR, SOCKADDR_IN, SOCKADDR_IN6,
    };

    use crate::model::Family;
    use crate::platform::windows_data::{Adapter, Route};

    /// More adapters or addresses than any machine has: a list that does not end is an error.
    const MAX_ITEMS: usize = 10_000;

    pub fn read() -> io::Result<Vec<Adapter>> {
        let flags = GAA_FLAG_INCLUDE_GATEWAYS
            | GAA_FLAG_INCLUDE_ALL_INTERFACES
            | GAA_FLAG_SKIP_ANYCAST
            | GAA_FLAG_SKIP_MULTICAST
            | GAA_FLAG_SKIP_DNS_SERVER;
        // Microsoft's advice: start with 15 kB, and grow when told to (adapters may come and
        // go between two calls).
        let mut size: u32 = 15 * 1024;
        for _ in 0..4 {
            let mut buf = vec![0u64; (size as usize).div_ceil(8)];
            // SAFETY: `buf` holds `size` bytes, 8-aligned.
            let ret = unsafe {
                GetAdaptersAddresses(
                    u32::from(AF_UNSPEC.0),
                    flags,
                    None,
                    Some(buf.as_mut_ptr().cast()),
                    &mut size,
                )
            };
            if ret == ERROR_BUFFER_OVERFLOW.0 {
                continue;
            }
            if ret != NO_ERROR.0 {
                return Err(io::Error::from_raw_os_error(ret as i32));
            }
            let mut out = Vec::new();
            let mut p = buf.as_ptr().cast::<IP_ADAPTER_ADDRESSES_LH>();
            while !p.is_null() && out.len() < MAX_ITEMS {
                // SAFETY: the list lives in `buf`, which outlives this loop.
                let a = unsafe { &*p };
                out.push(adapter(a));
                p = a.Next;
            }
            return Ok(out);
        }
        Err(io::Error::other("the adapter list kept growing"))
    }

    fn adapter(a: &IP_ADAPTER_ADDRESSES_LH) -> Adapter {
        // SAFETY: the strings and lists point into the same buffer, or are null.
        let text = |s: windows::core::PWSTR| {
            if s.is_null() {
                String::new()
            } else {
                unsafe { s.to_string() }.unwrap_or_default()
            }
        };
        let mut addresses = Vec::new();
        let mut u = a.FirstUnicastAddress;
        while !u.is_null() && addresses.len() < MAX_ITEMS {
            let ua = unsafe { &*u };
            if let Some(ip) = unsafe { ip_of(ua.Address.lpSockaddr) } {
                addresses.push((ip, ua.OnLinkPrefixLength, ua.DadState.0 as u32));
            }
            u = ua.Next;
        }
        let mut gateways = Vec::new();
        let mut g = a.FirstGatewayAddress;
        while !g.is_null() && gateways.len() < MAX_ITEMS {
            let ga = unsafe { &*g };
            if let Some(ip) = unsafe { ip_of(ga.Address.lpSockaddr) } {
                gateways.push(ip);
            }
            g = ga.Next;
        }
        Adapter {
            friendly_name: text(a.FriendlyName),
            description: text(a.Description),
            if_type: a.IfType,
            up: a.OperStatus == IfOperStatusUp,
            index_v4: unsafe { a.Anonymous1.Anonymous.IfIndex },
            index_v6: a.Ipv6IfIndex,
            metric_v4: a.Ipv4Metric,
            metric_v6: a.Ipv6Metric,
            addresses,
            gateways,
        }
    }

    /// The address in a SOCKADDR of either family.
    ///
    /// # Safety
    /// `sa` is null or points to a SOCKADDR_IN or SOCKADDR_IN6 as its family says.
    unsafe fn ip_of(sa: *const SOCKADDR) -> Option<IpAddr> {
        if sa.is_null() {
            return None;
        }
        let family = unsafe { (*sa).sa_family };
        if family == AF_INET {
            let v4 = unsafe { &*sa.cast::<SOCKADDR_IN>() };
            let octets = unsafe { v4.sin_addr.S_un.S_addr }.to_ne_bytes();
            Some(IpAddr::V4(Ipv4Addr::from(octets)))
        } else if family == AF_INET6 {
            let v6 = unsafe { &*sa.cast::<SOCKADDR_IN6>() };
            Some(IpAddr::V6(Ipv6Addr::from(unsafe { v6.sin6_addr.u.Byte })))
        } else {
            None
        }
    }

    /// Every route of both families, in plain data.
    pub fn routes() -> io::Result<Vec<Route>> {
        let mut table: *mut MIB_IPFORWARD_TABLE2 = std::ptr::null_mut();
        // SAFETY: on success `table` is Windows' to free with FreeMibTable, done below.
        let ret = unsafe { GetIpForwardTable2(AF_UNSPEC, &mut table) };
        if ret != NO_ERROR || table.is_null() {
            return Err(io::Error::from_raw_os_error(ret.0 as i32));
        }
        let rows = unsafe {
            std::slice::from_raw_parts((*table).Table.as_ptr(), (*table).NumEntries as usize)
        };
        let out = rows
            .iter()
            .filter_map(|r| {
                let family = unsafe { r.DestinationPrefix.Prefix.si_family };
                let family = if family == AF_INET {
                    Family::Ipv4
                } else if family == AF_INET6 {
                    Family::Ipv6
                } else {
                    return None;
                };
                Some(Route {
                    index: r.InterfaceIndex,
                    family,
                    prefix_len: r.DestinationPrefix.PrefixLength,
                    metric: r.Metric,
                })
            })
            .collect();
        unsafe { FreeMibTable(table.cast()) };
        Ok(out)
    }
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
