//! 한국어.

use super::particle::{and, object, subject, topic, toward};
use super::{list, round_seconds, seconds, Catalogue, Label, Row, Text};
use crate::analysis::firewall::{
    Source as FirewallSource, Unread as FirewallUnread, Verdict as FirewallVerdict,
};
use crate::analysis::notes::{Conflict, Note};
use crate::analysis::ports::{PortClass, Service};
use crate::analysis::sockets::Refusal;
use crate::analysis::topics::Topic;
use crate::analysis::vocab::DevServer;
use crate::analysis::vocab::{AddrKind, Reach, Risk};
use crate::analysis::vocab::{BeaconDiagnosis, BindKind};
use crate::analysis::vocab::{InferredBind, Status, Unreachable};
use crate::analysis::vocab::{NotShareable, Role};
use crate::error::{Arg, InputError, SystemError, UsageError};
use crate::model::BindError;
use crate::model::DebugEvidence;
use crate::model::HttpFailure;
use crate::model::KillOutcome;
use crate::model::WaitMode;
use crate::model::{Device, Os, WslMode};
use crate::parse::MAX_ARG_LEN;

/// Korean, in the words of the OS it runs on (see `En`).
pub struct Ko {
    pub os: Os,
}

impl Ko {
    pub const fn on(os: Os) -> Ko {
        Ko { os }
    }
}

fn arg(what: Arg) -> &'static str {
    match what {
        Arg::Port => "포트",
        Arg::Host => "호스트",
        Arg::Path => "경로",
        Arg::Range => "포트 범위",
        Arg::Count => "개수",
        Arg::Duration => "시간",
    }
}

fn example(what: Arg) -> &'static str {
    match what {
        Arg::Port => "-p 5000",
        Arg::Host => "0.0.0.0 또는 127.0.0.1:5000",
        Arg::Path => "--path /app",
        Arg::Range => "--range 8000-8100",
        Arg::Count => "--count 3",
        Arg::Duration => "--timeout 2s",
    }
}

fn firewall_name(source: FirewallSource) -> &'static str {
    match source {
        FirewallSource::Nftables => "nftables",
        FirewallSource::Iptables => "iptables",
        FirewallSource::Ufw => "ufw",
        FirewallSource::Firewalld => "firewalld",
        FirewallSource::Windows => "Windows Defender 방화벽",
        FirewallSource::Macos => "macOS 방화벽",
    }
}

/// The wildcard bind of `ip`'s family.
fn wildcard_of(ip: std::net::IpAddr) -> &'static str {
    if ip.is_ipv6() {
        "::"
    } else {
        "0.0.0.0"
    }
}

fn os(os: Os) -> &'static str {
    match os {
        Os::Linux => "Linux",
        Os::Macos => "macOS",
        Os::Windows => "Windows",
        Os::Other => "이 OS",
    }
}

impl Catalogue for Ko {
    fn label(&self, label: Label) -> &'static str {
        match label {
            Label::Interface => "인터페이스",
            Label::State => "상태",
            Label::Address => "주소",
            Label::Kind => "종류",
            Label::Reach => "접속 가능 범위",
            Label::Device => "장치",
            Label::Url => "URL",
            Label::Bind => "바인드",
            Label::Risk => "위험도",
            Label::OnThisMachine => "이 컴퓨터 주소",
            Label::Up => "켜짐",
            Label::Down => "꺼짐",
            Label::Yes => "예",
            Label::No => "아니오",
            Label::Local => "로컬:",
            Label::Network => "네트워크:",
            Label::NotForOtherDevices => "다른 기기용 아님:",
            Label::Recommended => "추천",
            Label::PrimaryMark => "대표 주소: 다른 기기가 이 컴퓨터에 접속할 때 쓰는 주소",
            Label::Interfaces => "네트워크 인터페이스",
            Label::IfYourServerBindsTo => "서버를 어디에 바인딩하면…",
            Label::Next => "다음:",
            Label::NoAddress => "(주소 없음)",
            Label::ServersBindThis => "서버가 실제로 쓰는 주소",
            Label::Proto => "프로토콜",
            Label::Port => "포트",
            Label::User => "사용자",
            Label::Process => "프로세스",
            Label::Result => "결과",
            Label::Class => "분류:",
            Label::Service => "흔한 용도:",
            Label::FreeNearby => "가까운 빈 포트:",
            Label::Ok => "비어 있음",
            Label::UnknownProcess => "?",
            Label::Pid => "PID",
            Label::Signals => "시그널",
            Label::Outcome => "결과",
            Label::Refused => "건드리지 않음:",
            Label::Command => "명령",
            Label::Folder => "폴더",
            Label::Status => "상태",
            Label::Time => "시간",
            Label::Http => "HTTP",
            Label::Bound => "바인딩 주소:",
            Label::AdminProhibited => {
                "그 컴퓨터나 가는 길의 방화벽이 거부했습니다 (administratively prohibited)"
            }
            Label::PortUnreachableReject => "그 컴퓨터나 가는 길의 방화벽이 거부했습니다 (port unreachable: 닫힌 TCP 포트라면 리셋으로 답했을 것입니다)",
            Label::FirewallBlocks => "하지만 방화벽이 막음",
            Label::OnceBoundThere => "서버가 0.0.0.0에 바인딩하면",
            Label::RoutedOnly => "이 컴퓨터를 거쳐 라우팅할 때",
            Label::Tentative => "아직 못 씀: 중복 주소 검사 중",
            Label::DadFailed => "못 씀: 중복 주소",
            Label::ReadMore => "더 알아보기:",
        }
    }

    fn text(&self, text: &Text) -> String {
        match *text {
            Text::Title { hostname, os: o, port } => {
                format!("{hostname} · {} · 포트 {port}", os(o))
            }
            Text::PrimaryVerdict { ip, interface } => format!(
                "대표 주소: {ip} ({interface}). 같은 네트워크의 다른 기기는 이 주소로 접속합니다."
            ),
            Text::NoPrimary => {
                "네트워크 주소가 없습니다: 이 컴퓨터의 서버에는 이 컴퓨터만 접속할 수 있습니다.".into()
            }
            Text::ExposeRouted { bind, network, risk } => format!(
                "{bind}: {network}{} 가는 경로를 이 컴퓨터를 거치도록 잡은 기기만 접속할 수 있습니다 (보통은 이 컴퓨터의 컨테이너와 VM뿐), 위험도 {}.",
                toward(network),
                self.risk(risk)
            ),
            Text::ExposeVerdict { bind, reach, risk } => format!(
                "{bind}: 접속 가능 범위는 {}, 위험도 {}.",
                self.reach(reach),
                self.risk(risk)
            ),
            Text::ExposeFails { bind } => {
                format!("{bind}: 이 컴퓨터에서는 서버가 여기에 바인딩할 수 없습니다.")
            }
            Text::ExposeBindFails { bind, error, holder } => match holder {
                Some((who, socket)) => format!(
                    "{bind}에는 지금 바인딩할 수 없습니다: {who}{} {socket}{} 쓰고 있습니다.",
                    subject(who),
                    object(&socket.to_string())
                ),
                None => format!("{bind}에는 지금 바인딩할 수 없습니다: {error}."),
            },
            Text::ResolvesTo { name } => format!("{name} 이름을 조회한 결과:"),
            Text::Comparison { kind } => format!("{} 바인딩의 의미:", self.bind_kind(kind)),
            Text::UrlsVerdict { url, wildcard } => format!(
                "같은 네트워크의 다른 기기에서 {url} 을 여세요 (서버는 {wildcard}에 바인딩)."
            ),
            Text::NoNetworkUrl => {
                "네트워크 URL이 없습니다: 다른 기기가 쓸 수 있는 주소가 이 컴퓨터에 없습니다.".into()
            }
            Text::Ipv6NeedsDualStack => {
                "IPv6 URL은 서버가 ::에 바인딩했을 때만 열립니다 (Flask의 --host=0.0.0.0은 IPv4 전용)."
                    .into()
            }
            Text::OverviewVerdict { url, wildcard } => format!(
                "스마트폰이나 다른 컴퓨터에서 서버를 열려면 {wildcard}에 바인딩하고 {url} 을 공유하세요."
            ),
            Text::OverviewWsl { ip } => format!(
                "WSL2(NAT) 환경입니다: 다른 기기는 {ip}에 접속할 수 없습니다. Windows에서 포트를 전달하거나 미러 모드 네트워킹을 쓰세요."
            ),
            Text::QrFor { url } => format!("스캔하면 {url} 이 열립니다"),
            Text::NoQr => "QR 코드를 만들 수 없습니다: 공유할 네트워크 URL이 없습니다.".into(),
            Text::InterfaceRole { name, role } => format!("{name}: {}", self.role(role)),
            Text::ListenersVerdict { total, exposed: 0 } => format!(
                "대기 중인 소켓 {total}개, 이 컴퓨터 밖에서 닿는 것은 없습니다."
            ),
            Text::ListenersVerdict { total, exposed } => format!(
                "대기 중인 소켓 {total}개, 그중 {exposed}개는 이 컴퓨터 밖에서도 닿습니다."
            ),
            Text::NothingListens => "대기 중인 소켓이 없습니다.".into(),
            Text::PortFree { port } => format!(
                "{port}번 포트는 비어 있습니다: 지금 127.0.0.1, 0.0.0.0, :: 어디에든 바인딩할 수 있습니다."
            ),
            Text::PortTaken { port, failed } => {
                format!("{port}번 포트는 사용 중입니다: 지금은 {failed}에 바인딩할 수 없습니다.")
            }
            Text::PortRestricted { port } if self.os == Os::Windows => format!(
                "{port}번 포트를 쓰는 프로그램은 없지만, Windows가 바인딩을 거부합니다 (WinError 10013, 액세스 거부)."
            ),
            Text::PortRestricted { port } => format!(
                "{port}번 포트를 쓰는 프로그램은 없지만, 바인딩하려면 이 프로세스에 없는 권한이 필요합니다."
            ),
            Text::PortUnbindable { port, failed } => {
                format!("지금은 {port}번 포트를 {failed}에 바인딩할 수 없습니다.")
            }
            Text::KillHolders { port } => format!("{port}번 포트를 쓰고 있는 프로세스:"),
            Text::KillHolder {
                pid,
                name,
                user,
                running_s,
            } => {
                let mut line = format!("pid {pid}  {name}");
                if let Some(user) = user {
                    line += &format!(", 사용자 {user}");
                }
                if let Some(secs) = running_s {
                    line += &format!(", {}째 실행 중", span(secs));
                }
                line
            }
            Text::KillAsk { count: 1 } if self.os == Os::Windows => "지금 바로 끝낼까요? Windows에서는 taskkill /F처럼 즉시 종료되어, 하던 작업을 정리할 기회가 없습니다. [y/N] ".into(),
            Text::KillAsk { count } if self.os == Os::Windows => format!("이 프로세스 {count}개를 지금 바로 끝낼까요? Windows에서는 taskkill /F처럼 즉시 종료되어, 하던 작업을 정리할 기회가 없습니다. [y/N] "),
            Text::KillAsk { count: 1 } => "이 프로세스를 멈출까요? [y/N] ".into(),
            Text::KillAsk { count } => format!("이 프로세스 {count}개를 멈출까요? [y/N] "),
            Text::KillBelongsTo { user: Some(user) } if self.os == Os::Windows => {
                format!("{user}의 프로세스입니다: 관리자 권한으로 연 터미널에서 bindscope를 실행하세요")
            }
            Text::KillBelongsTo { user: None } if self.os == Os::Windows => {
                "액세스 거부: 관리자 권한으로 연 터미널에서 bindscope를 실행하세요".into()
            }
            Text::KillBelongsTo { user: Some(user) } => {
                format!("{user}의 프로세스입니다: sudo로 실행하세요")
            }
            Text::KillBelongsTo { user: None } => {
                "다른 사용자의 프로세스입니다: sudo로 실행하세요".into()
            }
            Text::KillForeignPids => "bindscope가 자기만의 pid 네임스페이스에서 실행 중인데 /proc는 바깥 네임스페이스의 것입니다(--mount-proc 없이 unshare --pid를 했나요?). 여기 보이는 pid는 바깥 네임스페이스의 번호라서, 이 안에서는 같은 번호가 다른 프로세스일 수 있습니다. 그래서 아무 시그널도 보내지 않았습니다. 그 /proc가 속한 곳에서 bindscope를 실행하거나, 네임스페이스에 자기 /proc를 마운트하세요(unshare --pid --fork --mount-proc).".into(),
            Text::KillContainerInit { pid } => {
                let who = format!("pid {pid}");
                format!("{who}{} 컨테이너의 init입니다(자기 pid 네임스페이스의 pid 1). 이 프로세스를 멈추면 컨테이너 전체가 멈추므로 bindscope는 건드리지 않습니다. 대신 컨테이너를 멈추세요: docker stop 이름 또는 podman stop 이름(이름은 docker ps나 podman ps로 볼 수 있습니다), 아니면 그 컨테이너를 시작한 도구로 멈추세요.", topic(&who))
            }
            Text::KillUdpLeft { port, count: 1 } => format!("{port}번 포트에 바인딩된 UDP 소켓 하나는 건드리지 않았습니다: --kill은 TCP 리스너만 멈춥니다. UDP 서버도 멈추려면 --udp를 붙이세요."),
            Text::KillUdpLeft { port, count } => format!("{port}번 포트에 바인딩된 UDP 소켓 {count}개는 건드리지 않았습니다: --kill은 TCP 리스너만 멈춥니다. UDP 서버도 멈추려면 --udp를 붙이세요."),
            Text::KillUnseen {
                port,
                at,
                needs_privilege: true,
                ..
            } if self.os == Os::Windows => format!(
                "{at}{} 쓰는 프로세스를 bindscope가 읽지 못했습니다. 관리자 권한으로 연 터미널에서 실행하세요 (bindscope port {port} --kill).",
                object(at)
            ),
            Text::KillUnseen {
                at,
                needs_privilege: false,
                ..
            } if self.os == Os::Windows => format!(
                "{at}{} 쓰는 것은 bindscope가 멈출 수 있는 프로세스가 아닙니다: System 프로세스(pid 4, IIS 등 여러 서비스가 쓰는 HTTP.sys)이거나 소유자가 없습니다(pid 0). netsh http show servicestate로 HTTP.sys를 쓰는 서비스를 확인하세요.",
                object(at)
            ),
            Text::KillUnseen {
                port,
                at,
                user,
                needs_privilege: true,
            } => {
                let owner = user.map_or("다른 사용자".to_string(), |u| u.to_string());
                format!(
                    "{at}{} {owner}의 프로세스가 쓰고 있는데, 권한이 없어 어느 프로세스인지 볼 수 없습니다: sudo로 실행하세요(sudo bindscope port {port} --kill).",
                    topic(at)
                )
            }
            Text::KillUnseen {
                at,
                needs_privilege: false,
                ..
            } => format!(
                "{at}{} 쓰는 프로세스가 bindscope에게 보이지 않습니다(커널의 소켓이거나, 컨테이너처럼 다른 pid 네임스페이스의 것입니다): 그 프로세스가 실행 중인 곳에서 멈추세요.",
                object(at)
            ),
            Text::KillNothingSent { port } if self.os == Os::Windows => {
                format!("아무 프로세스도 끝내지 않았습니다: {port}번 포트는 아직 사용 중입니다.")
            }
            Text::KillNothingSent { port } => {
                format!("아무 시그널도 보내지 않았습니다: {port}번 포트는 아직 사용 중입니다.")
            }
            Text::KillCancelled => "아무것도 멈추지 않았습니다.".into(),
            Text::NothingToKill { port } => {
                format!("{port}번 포트에서 대기 중인 프로세스가 없습니다: 멈출 것이 없습니다.")
            }
            Text::KillFreed { port } => format!("이제 {port}번 포트가 비었습니다."),
            Text::KillFreedTcp { port } => format!(
                "이제 {port}번 포트에 TCP 리스너는 없습니다(UDP는 아직 이 번호를 쓰고 있습니다)."
            ),
            Text::KillNotFreed {
                port,
                suggest_force: false,
            } => format!("{port}번 포트는 아직 사용 중입니다."),
            Text::KillNotFreed {
                port,
                suggest_force: true,
            } => format!(
                "{port}번 포트는 아직 사용 중입니다: 프로세스가 SIGTERM을 무시했습니다. --force를 붙이면 --grace 뒤에 SIGKILL을 보냅니다."
            ),
            Text::KillTakenBy { port, who } => format!(
                "{port}번 포트를 다시 {who}{} 쓰고 있습니다: 확인한 뒤에 포트를 잡은 프로세스라 건드리지 않았습니다. 멈추려면 `bindscope port {port} --kill`을 실행하세요.",
                subject(who)
            ),
            Text::FreeVerdict { hosts } => {
                format!("빈 포트 ({hosts}에 실제로 바인딩해 확인):")
            }
            Text::FreeNone { low, high } => {
                format!("{low}~{high} 사이에 빈 포트가 없습니다.")
            }
            Text::ProbeNone { port } => format!("{port}번 포트에서 응답이 없습니다."),
            Text::ProbeFirewallBlocks { port } => format!(
                "{port}번 포트는 루프백 밖에서도 응답하지만, 이 컴퓨터의 방화벽이 다른 기기의 접속을 막고 있습니다 (아래 참고)."
            ),
            Text::ProbeSilent { port } => format!(
                "{port}번 포트에서 기다리는 소켓은 있는데, 이 컴퓨터에서 한 접속은 하나도 들어가지 못했습니다."
            ),
            Text::ProbeBoundOnly { port } => format!(
                "{port}번 포트에 바인딩은 되어 있지만 연결을 기다리는 프로그램이 없습니다: 서버가 시작을 끝내지 못했습니다."
            ),
            Text::DebuggerDanger { port } => format!(
                "위험: {port}번 포트의 Werkzeug 디버거에 다른 기기가 접속할 수 있습니다. 여기에 닿는 사람은 누구나 이 컴퓨터에서 코드를 실행할 수 있습니다."
            ),
            Text::UrlsServing { url, port } => format!(
                "같은 네트워크의 다른 기기에서 {url} 을 여세요: {port}번 포트의 서버가 거기서 기다리고 있습니다."
            ),
            Text::UrlsNotAnswering { url, port, wildcard } => format!(
                "{port}번 포트의 서버가 아직 네트워크에서 응답하지 않습니다: {wildcard}에 바인딩하고 나면 다른 기기에서 {url} 을 여세요."
            ),
            Text::UrlsLoopback => "네트워크 URL 없음: 루프백에 바인딩한 서버는 이 컴퓨터 전용입니다.".into(),
            Text::UrlsNotLocal => "URL 없음: 이 컴퓨터의 주소가 아니라서 서버가 바인딩할 수 없습니다.".into(),
            Text::NoQrNotAnswering => "QR 코드는 아직 없습니다: 서버가 그 URL에서 응답하지 않습니다 (위 설명 참고).".into(),
            Text::OverviewServing { url, port } => format!(
                "{port}번 포트의 서버가 네트워크에서 응답합니다: {url} 을 공유하세요"
            ),
            Text::OverviewPublic { ip, port } => format!(
                "{ip}{} 공인 주소입니다: {}에 바인딩한 {port}번 포트 서버는 인터넷 전체에 열립니다. 공유하기 전에 접근을 제한하세요 (아래 참고).",
                topic(&ip.to_string()),
                wildcard_of(ip)
            ),
            Text::DebuggerDangerAny => "위험: 이 컴퓨터의 Werkzeug 디버거에 다른 기기가 접속할 수 있습니다. 여기에 닿는 사람은 누구나 이 컴퓨터에서 코드를 실행할 수 있습니다.".into(),
            Text::RemoteDanger { target } => format!(
                "위험: {target}의 Werkzeug 디버거에 이 기기에서 접속할 수 있습니다. 접속하는 사람은 누구나 그 컴퓨터에서 코드를 실행할 수 있습니다."
            ),
            Text::ProbeHostNotAllowed { port } => format!(
                "{port}번 포트는 루프백 밖에서도 응답하지만, 개발 서버가 스마트폰이 쓰는 주소를 거부합니다 (아래 참고)."
            ),
            Text::RemoteHostNotAllowed { target } => format!(
                "{target}{} 응답하지만, 개발 서버가 이 기기가 보낸 Host를 거부합니다 (아래 참고).",
                subject(target)
            ),
            Text::HttpFailed { failure: HttpFailure::Timeout } => "제한 시간 안에 HTTP 응답 없음".into(),
            Text::HttpFailed { failure: HttpFailure::Failed(error) } => format!("HTTP 응답 없음: {error}"),
            Text::ProbeLoopback { port } => format!(
                "{port}번 포트는 루프백에서만 응답합니다: 이 컴퓨터에서는 열리지만 다른 기기에서는 열리지 않습니다."
            ),
            Text::ProbeReachable { port, reach } => format!(
                "{port}번 포트는 루프백 밖에서도 응답합니다: 방화벽이 막지 않으면 접속 가능 범위는 {}.",
                self.reach(reach)
            ),
            Text::TryUrl { url } => format!("다른 기기에서 {url} 을 열어 보세요."),
            Text::RemoteVerdict { target, open, total } => {
                format!("{target}: {total}개 중 {open}개 열림.")
            }
            Text::Probing { count } => format!("주소 {count}개에 접속해 보는 중…"),
            Text::LabIntro => "임시 서버 세 개를 차례로 띄우고, 각각 이 컴퓨터의 모든 주소로 접속해 봤습니다:".into(),
            Text::LabComparison => "같은 바인딩을 비교표로 보면:".into(),
            Text::LabOutro => "이 접속은 모두 이 컴퓨터 안에서만 오갔습니다: 각 바인딩이 무엇을 받는지는 보여 주지만, 방화벽이 무엇을 통과시키는지는 보여 주지 못합니다. 그것은 bindscope serve를 실행하고 스마트폰에서 그 URL을 열어 확인하세요.".into(),
            Text::TopicsIntro => "개념 설명 페이지: bindscope explain 주제 (영어로 보려면 --lang en)".into(),
            Text::LivePortFree { port } => format!("지금 비어 있음 ({port}번에서 기다리는 프로그램 없음)"),
            Text::LivePortHeld { port, who } => format!("지금 사용 중 ({port}번에서 기다리는 프로그램: {who})"),
            Text::LivePortHidden { port } if self.os == Os::Windows => format!(
                "지금 사용 중, 다른 사용자의 프로세스 (관리자 권한으로 bindscope port {port}{} 실행하면 누구인지 보입니다)",
                object(&port.to_string())
            ),
            Text::LivePortHidden { port } => format!(
                "지금 사용 중, 다른 사용자의 프로세스 (sudo bindscope port {port}{} 누구인지 확인)",
                toward(&port.to_string())
            ),
            Text::LiveDualStack { on: true } => {
                "::에 바인딩한 서버가 IPv4 접속도 받습니다 (듀얼 스택)".into()
            }
            Text::LiveDualStack { on: false } => {
                "::에 바인딩한 서버는 IPv6 접속만 받습니다".into()
            }
            Text::LiveWsl { mode: None } => "WSL 아님".into(),
            Text::LiveWsl { mode: Some(WslMode::Nat) } => "WSL2, NAT 네트워킹".into(),
            Text::LiveWsl { mode: Some(WslMode::Mirrored) } => "WSL2, 미러 모드 네트워킹".into(),
            Text::LiveContainer { name: None } => "컨테이너 밖".into(),
            Text::LiveContainer { name: Some(name) } => format!("컨테이너({name}) 안"),
            Text::LiveNoBridge => "이 컴퓨터에는 없음".into(),
            Text::LiveLanPrivacy { ip, public: false } => format!(
                "이 컴퓨터의 내부 IP {ip}{} 사설 주소라서 인터넷에서 바로 들어올 수는 없습니다. 공유기가 따로 포트를 열어 주지 않는 한 바깥의 접속은 이 주소까지 오지 않습니다.",
                topic(&ip.to_string())
            ),
            Text::LiveLanPrivacy { ip, public: true } => format!(
                "이 컴퓨터의 주소 {ip}{} 공인 주소라서 인터넷의 누구나 바로 들어올 수 있습니다. 0.0.0.0에 바인딩한 서버는 방화벽이 막지 않는 한 그 사람들에게도 열립니다.",
                topic(&ip.to_string())
            ),
            Text::LiveOs { os: o } => os(o).into(),
            Text::PageTitle => "bindscope: 이 컴퓨터에 접속했습니다".into(),
            Text::PageVisitor { ip } => format!("접속한 기기의 주소: {ip}"),
            Text::PageReached { ip, port, interface } => {
                format!("도착한 곳: {ip}의 {port}번 포트 ({interface} 인터페이스)")
            }
            Text::PageSameMachine { loopback: false } => "같은 컴퓨터에서 접속했습니다: 다른 기기에 대해서는 아무것도 알려 주지 않습니다. 스마트폰이나 다른 컴퓨터에서 네트워크 URL을 여세요.".into(),
            Text::PageSameMachine { loopback: true } => "같은 컴퓨터에서 접속했습니다: 다른 기기에 대해서는 아무것도 알려 주지 않습니다. 이 비콘은 루프백에서만 대기하고 있어서 다른 기기는 접속할 수 없습니다. 스마트폰으로 확인하려면 --host 없이 bindscope serve를 실행하세요.".into(),
            Text::PageProves { ip, port } => format!(
                "따라서 이런 기기는 이 컴퓨터에서 0.0.0.0(또는 {ip})에 바인딩한 서버의 {port}번 포트에 접속할 수 있습니다: 네트워크와 그 사이의 모든 방화벽이 통과시킵니다. 다른 포트는 다르게 처리될 수 있으니, 앱의 포트를 확인하려면 앱을 멈추고 그 포트로 bindscope serve -p 를 실행하세요."
            ),
            Text::ServeStarted {
                addr,
                seconds,
                loopback,
            } => {
                let duration = if seconds % 60 == 0 {
                    format!("{}분", seconds / 60)
                } else {
                    format!("{seconds}초")
                };
                if loopback {
                    format!("{addr}에서 접속 확인용 비콘을 {duration} 동안 실행합니다. 루프백에서만 대기하므로 이 컴퓨터에서만 접속할 수 있습니다. 다른 기기에서 확인하려면 --host 없이 실행하세요. 접속할 때마다 아래에 기록됩니다.")
                } else {
                    format!("{addr}에서 접속 확인용 비콘을 {duration} 동안 실행합니다. 다른 기기에서 아래 주소 중 하나를 여세요. 접속할 때마다 아래에 기록됩니다.")
                }
            }
            Text::ServeListening { addr } => format!("bindscope serve: {addr}에서 대기 중"),
            Text::ServeEnded {
                visits,
                interrupted,
            } => {
                if interrupted {
                    format!("중지했습니다: 접속 {visits}회.")
                } else {
                    format!("시간이 다 되었습니다: 접속 {visits}회.")
                }
            }
            Text::ServeTls { client, url } => format!(
                "{client}에서 일반 HTTP 포트에 https://로 접속하려고 했습니다. 브라우저가 주소를 https로 바꾼 것입니다. http://까지 붙여서 {url}{} 그대로 입력하세요.",
                object(url)
            ),
            Text::ServeAsked { ip, interface } => format!(
                "{ip}({interface}) 기기가 이 컴퓨터의 하드웨어 주소를 물었습니다. 곧 접속하려는 것일 수 있습니다."
            ),
            Text::ServeDropped { packets } => format!(
                "이 컴퓨터가 받은 패킷 {packets}개가 전달되지 못했고, 다른 기기의 접속은 없습니다. 방화벽이 차단하고 있을 수 있습니다."
            ),
            Text::ServeBusy { turned_away, shed } => format!(
                "부하가 걸렸습니다: 연결 {turned_away}개에는 한도를 넘어 503으로 답했고, 말없이 열려 있던 연결 {shed}개는 자리를 비우려고 닫았습니다."
            ),
            Text::ServeMissed { events } => format!(
                "이벤트 {events}개는 기록이 따라가지 못할 만큼 빨리 들어와서 화면에는 안 나왔지만, 위의 횟수에는 들어 있습니다."
            ),
            Text::ServeDiagnosis {
                code,
                who,
                port,
                url,
                packets,
                syns,
                captured,
            } => match code {
                BeaconDiagnosis::Visited => format!(
                    "{who}에서 비콘에 접속했습니다. 네트워크와 그 사이의 모든 방화벽이 {port}번 포트로 오는 기기를 통과시킵니다."
                ),
                BeaconDiagnosis::LoopbackOnly => "비콘이 루프백에서만 대기해서 다른 기기는 접속할 수 없었습니다. 다른 기기에서 확인하려면 --host 없이 bindscope serve를 실행하세요.".into(),
                BeaconDiagnosis::TlsOnHttp => format!(
                    "{who}에서 일반 HTTP 포트에 https://로 접속하려고 했습니다. 브라우저가 주소를 https로 바꾼 것입니다. http://까지 붙여서 {url}{} 그대로 입력하세요.",
                    object(url)
                ),
                BeaconDiagnosis::DroppedHere if syns > 0 => format!(
                    "{who} 기기가 접속을 시도했지만 이 컴퓨터의 방화벽이 차단했습니다. {port}번 포트로 접속 요청(TCP SYN)이 {syns}번 도착했는데 비콘에는 하나도 오지 않았습니다. {port}번 포트를 허용하고(아래 참고) 다시 해 보세요."
                ),
                BeaconDiagnosis::ConnectedSilent => format!(
                    "{who} 기기가 {port}번 포트에 연결했지만 요청은 보내지 않았습니다. 브라우저가 아니거나 중간에 포기한 것입니다. 스마트폰 브라우저에서 {url}{} 여세요.",
                    object(url)
                ),
                BeaconDiagnosis::DroppedHere => format!(
                    "{who} 기기가 이 컴퓨터의 주소를 물은 뒤 이 컴퓨터로 온 패킷 {packets}개가 TCP에 닿기 전에 차단되었고, 비콘에는 아무것도 오지 않았습니다. 이 컴퓨터의 방화벽이 그 접속을 차단했을 가능성이 큽니다. {port}번 포트를 허용하고(아래 참고) 다시 해 보세요. (sudo로 실행하면 비콘이 접속 시도 자체도 볼 수 있습니다.)"
                ),
                BeaconDiagnosis::SeenNotConnected => format!(
                    "{who} 기기가 이 컴퓨터의 주소를 물었지만, 보낸 것이 {port}번 포트에는 하나도 오지 않았습니다. 다른 주소나 포트를 연 것입니다. {url}{} 정확히 여세요.",
                    object(url)
                ),
                BeaconDiagnosis::VisitedFromHere => format!(
                    "이 컴퓨터에서만 접속했습니다. 다른 기기에 대해서는 아무것도 알려 주지 않습니다. 스마트폰에서 {url}{} 여세요.",
                    object(url)
                ),
                BeaconDiagnosis::NeverArrived => format!(
                    "다른 기기의 흔적이 없습니다. 이 컴퓨터의 주소를 물은 기기도, 비콘에 온 접속도{} 없습니다. 스마트폰이 다른 네트워크에 있거나, Wi-Fi가 기기끼리 통신을 막고 있거나(게스트 네트워크는 흔히 그렇습니다), 다른 주소나 포트를 열었을 가능성이 큽니다. {url}{} 정확히 여는지 확인하세요.{}",
                    if captured { ", 이 포트로 온 접속 요청도" } else { "" },
                    object(url),
                    if captured { "" } else { " (이 컴퓨터의 하드웨어 주소를 이미 기억하는 스마트폰은 주소를 묻지 않습니다. sudo로 실행하면 비콘이 접속 시도 자체도 볼 수 있습니다.)" }
                ),
                BeaconDiagnosis::NotWatched => format!(
                    "접속이 없었습니다. 이 시스템에서는 무엇이 도착하는지 볼 수 없어서 방화벽 문제인지 다른 네트워크 문제인지 가릴 수 없습니다. 둘 다 확인하고, 스마트폰에서 {url}{} 여는지도 확인하세요.",
                    object(url)
                ),
            },
            Text::ServeCannotBind { addr, reason } => {
                format!("비콘이 {addr}에서 대기할 수 없습니다: {reason}.")
            }
            Text::WaitWaiting { mode: WaitMode::Free, port, elapsed_ms, .. } => {
                format!("{port}번 포트가 비기를 기다리는 중… {}초", seconds(elapsed_ms))
            }
            Text::WaitWaiting { mode, addrs, elapsed_ms, .. } => {
                let http = if mode == WaitMode::Http { "HTTP " } else { "" };
                format!("{}의 {http}응답을 기다리는 중… {}초", either(addrs), seconds(elapsed_ms))
            }
            Text::WaitAnswered { by, status, after_ms } => {
                let by = by.to_string();
                let when = match after_ms {
                    None => "바로".to_string(),
                    Some(ms) => format!("{}초 만에", seconds(ms)),
                };
                match status {
                    None => format!("{by}{} {when} 응답했습니다.", subject(&by)),
                    Some(s) => {
                        let s = s.to_string();
                        format!("{by}{} {when} HTTP {s}{} 응답했습니다.", subject(&by), toward(&s))
                    }
                }
            }
            Text::WaitFreed { port, after_ms: None } => format!("{port}번 포트는 이미 비어 있습니다."),
            Text::WaitFreed { port, after_ms: Some(ms) } => {
                format!("{}초 만에 {port}번 포트가 비었습니다.", seconds(ms))
            }
            Text::WaitNoAnswer { addrs, http, timeout_ms } => {
                let what = if http { "HTTP 응답이" } else { "응답이" };
                format!("{}초 동안 {}에서 {what} 없었습니다.", round_seconds(timeout_ms), either(addrs))
            }
            Text::WaitStillHeld { port, timeout_ms, who: Some(who) } => format!(
                "{}초가 지나도 {port}번 포트를 {who}{} 쓰고 있습니다. 멈추려면 bindscope port {port} --kill을 실행하세요.",
                round_seconds(timeout_ms),
                subject(who)
            ),
            Text::WaitStillHeld { port, timeout_ms, who: None } => format!(
                "{}초가 지나도 {port}번 포트는 아직 사용 중입니다. 누가 쓰는지는 bindscope port {port}{} 확인하세요.",
                round_seconds(timeout_ms),
                toward(&port.to_string())
            ),
            Text::KillForceNoEffect => "Windows에서는 --force를 붙여도 달라지는 것이 없습니다: TerminateProcess가 이미 프로세스를 바로 끝냅니다.".into(),
        }
    }

    fn note(&self, note: &Note) -> String {
        match note {
            Note::LoopbackOnly => "이 컴퓨터 안의 프로그램만 접속할 수 있습니다. 스마트폰에서 열려면 0.0.0.0에 바인딩하세요: flask run --host=0.0.0.0 또는 app.run(host=\"0.0.0.0\").".into(),
            Note::AllInterfaces => "와일드카드 바인딩은 그 주소 체계(IPv4/IPv6)의 모든 주소에서 접속을 받습니다. 나중에 새로 생기는 주소도 포함됩니다.".into(),
            Note::DualStack => "듀얼 스택: 여기서는 ::가 IPv4 접속도 받습니다 (net.ipv6.bindv6only=0). 단, 서버가 IPV6_V6ONLY를 켜면 IPv6만 받습니다 (nginx의 기본값).".into(),
            Note::V6Only { windows: true } => "Windows에서 :: 소켓은 서버가 IPV6_V6ONLY를 끄지 않는 한 IPv6만 받습니다. IPv4 접속도 받으려면 0.0.0.0에도 바인딩하세요.".into(),
            Note::V6Only { windows: false } => "여기서는 ::가 IPv6만 받습니다 (net.ipv6.bindv6only=1). IPv4 접속도 받으려면 0.0.0.0에도 바인딩하세요.".into(),
            Note::AlsoVirtual { interfaces, routed } => format!(
                "{}에서도 접속을 받습니다: 이 컴퓨터의 컨테이너와 VM도 접속할 수 있습니다.{}",
                interfaces.join(", "),
                if *routed {
                    " 이 OS는 모든 인터페이스에서 접속을 받으므로, 그 네트워크로 가는 경로를 이 컴퓨터로 잡은 기기도 접속할 수 있습니다."
                } else {
                    ""
                }
            ),
            Note::RoutedOnly { ip, network, interface, down } => format!(
                "{ip}{} {interface}{}에 있어서 다른 기기가 직접 연결된 곳은 없지만, 이 컴퓨터는 어느 인터페이스로 들어온 접속이든 받습니다: {network}{} 가는 경로를 이 컴퓨터를 거치도록 잡은 기기는 접속할 수 있습니다. 스마트폰에 줄 URL은 아닙니다.",
                topic(&ip.to_string()),
                if *down { "(꺼져 있음)" } else { "" },
                toward(network)
            ),
            Note::AddressNotReady { ip, failed: false } => format!(
                "{ip}{} 아직 쓸 수 없습니다: 다른 기기가 같은 주소를 쓰는지 확인하는 중복 주소 검사(DAD)가 진행 중입니다 (링크가 연결되어 있으면 1초쯤 걸리고, 연결이 끊긴 링크에서는 끝나지 않습니다). 그때까지는 바인딩이 \"cannot assign requested address\" 오류로 실패하고 아무 접속도 닿지 않습니다.",
                topic(&ip.to_string())
            ),
            Note::AddressNotReady { ip, failed: true } => format!(
                "{ip}{} 중복 주소 검사(DAD)에 실패했습니다: 같은 링크의 다른 기기가 이미 이 주소를 쓰고 있어서 이 컴퓨터는 이 주소를 쓰지 않습니다. 바인딩은 \"cannot assign requested address\" 오류로 실패하니 주소를 지우거나 다른 주소를 쓰세요.",
                topic(&ip.to_string())
            ),
            Note::MappedNeedsDualStack { ip } => format!(
                "::ffff:{ip}{} IPv4 주소 {ip}{} IPv6 형식으로 쓴 것입니다. 여기서는 IPv6 소켓이 IPv6만 받기 때문에 (bindv6only=1 또는 Windows) 바인딩이 실패합니다 (invalid argument). 대신 {ip}에 바인딩하세요.",
                topic(&ip.to_string()),
                object(&ip.to_string())
            ),
            Note::NotUnicast { ip, network } => format!(
                "{ip}{} {network}의 브로드캐스트 주소입니다: 바인딩은 되지만 어떤 접속도 닿지 않습니다 (\"network is unreachable\"). 127.0.0.1을 쓰세요.",
                topic(&ip.to_string())
            ),
            Note::NotOnLocalhost { ip, port } => {
                let url = crate::analysis::expose::url("http", *ip, *port, "")
                    .unwrap_or_else(|| ip.to_string());
                let lo = format!("http://127.0.0.1:{port}");
                let name = format!("http://localhost:{port}");
                format!(
                    "{ip}에 바인딩한 서버는 그 주소에서만 기다립니다: 이 컴퓨터에서도 {lo}{} {name}{} 응답하지 않습니다. {url}{} 열거나, 둘 다 되게 하려면 0.0.0.0에 바인딩하세요.",
                    and(&lo),
                    topic(&name),
                    toward(&url)
                )
            }
            Note::BoundToDevice { socket, device } => format!(
                "{socket}{} 인터페이스 {device}에 묶여 있습니다 (SO_BINDTODEVICE): {device}{} 들어온 접속만 받습니다.",
                topic(&socket.to_string()),
                toward(device)
            ),
            Note::ListenerSilent { port, sockets } => format!(
                "{port}번 포트에서 기다리는 소켓({})이 있는데, 이 컴퓨터에서 한 접속은 하나도 들어가지 못했습니다. 소켓이 한 인터페이스에 묶여 있거나 이 컴퓨터의 방화벽이 접속을 막고 있을 수 있으니, 다른 기기에서 확인하세요.",
                list(sockets)
            ),
            Note::BoundNotListening { port, owner, holds } => format!(
                "{}{} {port}번 포트에 바인딩만 하고 연결을 기다리지는 않습니다: 시작하다가 (bind와 listen 사이에서) 멈췄거나 죽은 것 같습니다. 아무도 접속할 수 없습니다{}",
                owner.as_deref().unwrap_or("어떤 프로그램"),
                owner.as_deref().map_or("이", |o| subject(o)),
                if *holds {
                    ". 이 프로그램을 멈추기 전에는 다른 서버도 이 포트를 쓸 수 없습니다."
                } else {
                    "."
                }
            ),
            Note::ServerLoopbackOnly { port, flask: true } => format!(
                "{port}번 포트의 서버는 127.0.0.1에서만 기다립니다: flask run --host=0.0.0.0으로 다시 실행하기 전까지는 스마트폰용 URL이 응답하지 않습니다."
            ),
            Note::ServerLoopbackOnly { port, flask: false } => format!(
                "{port}번 포트의 서버는 루프백에서만 기다립니다: 0.0.0.0에 바인딩해서 다시 실행하기 전까지는 스마트폰용 URL이 응답하지 않습니다."
            ),
            Note::ServerNotRunning { port, bind } => format!(
                "아직 {port}번 포트에서 기다리는 서버가 없습니다: 서버를 {bind}에 바인딩해서 실행한 뒤 URL을 여세요."
            ),
            Note::NoNetworkUrl { host } => format!(
                "{host}에 바인딩한 서버에는 네트워크 URL이 없습니다: 이 컴퓨터에서만 열 수 있습니다. URL이 필요하면 0.0.0.0에 바인딩하세요."
            ),
            Note::Firewall { port, interface, verdict, source, rule, fix } => {
                let by = match (source, rule) {
                    (Some(s), Some(r)) => format!(" ({}: {r})", firewall_name(*s)),
                    (Some(s), None) => format!(" ({})", firewall_name(*s)),
                    (None, Some(r)) => format!(" ({r})"),
                    (None, None) => String::new(),
                };
                let fix = fix.as_deref().map(|f| format!(" 해결: {f}")).unwrap_or_default();
                match verdict {
                    FirewallVerdict::Accept => format!("방화벽은 {interface}에서 {port}번 포트로 오는 새 연결을 통과시킵니다{by}."),
                    FirewallVerdict::Drop => format!("방화벽이 {interface}에서 {port}번 포트로 오는 새 연결을 버립니다{by}: 다른 기기에서는 시간 초과가 납니다.{fix}"),
                    FirewallVerdict::Reject => format!("방화벽이 {interface}에서 {port}번 포트로 오는 새 연결을 거부합니다{by}: 다른 기기에서는 바로 거부됩니다.{fix}"),
                    FirewallVerdict::None => format!("이 컴퓨터에는 방화벽이 설정되어 있지 않습니다: {port}번 포트로 오는 연결을 막는 것이 없습니다."),
                    FirewallVerdict::Unknown => format!("방화벽이 {interface}에서 {port}번 포트로 오는 연결을 통과시키는지는 알 수 없습니다{by}."),
                }
            }
            Note::FirewallUnread { parts, .. } if self.os == Os::Windows => {
                let what = if parts.is_empty() { "방화벽 설정 일부" } else { "방화벽 설정" };
                format!("bindscope가 {what}{} 읽지 못했습니다: Windows가 오류로 응답했습니다. PowerShell에서 Get-NetFirewallProfile을 실행하면 켜져 있는지 볼 수 있습니다.", object(what))
            }
            Note::FirewallUnread { command, parts } => {
                let parts: Vec<&str> = parts
                    .iter()
                    .map(|p| match p {
                        FirewallUnread::Nftables => "커널의 방화벽 규칙(nftables)",
                        FirewallUnread::IptablesLegacy => "레거시 iptables 테이블",
                        FirewallUnread::UfwRules => "ufw 규칙",
                        FirewallUnread::Settings => "방화벽 설정",
                    })
                    .collect();
                let what = if parts.is_empty() {
                    "방화벽 설정 일부".to_string()
                } else {
                    parts.join(", ")
                };
                format!(
                    "권한이 없어서 {what}{} 읽지 못했습니다: {command}{} 실행하면 알 수 있습니다.",
                    object(&what),
                    object(command)
                )
            }
            Note::PublicExposure { ip, port } => format!(
                "{ip}{} 공인 주소입니다: {}에 바인딩한 서버는 인터넷 어디에서나 {port}번 포트로 접속할 수 있습니다. 방화벽에서 내 네트워크만 이 포트를 허용하거나, 리버스 프록시 뒤에 두거나, 사설 주소에 바인딩하세요.",
                topic(&ip.to_string()),
                wildcard_of(*ip)
            ),
            Note::AlsoVpn { interfaces } => format!(
                "VPN인 {}에서도 접속을 받습니다: 그 VPN에 연결된 기기도 접속할 수 있습니다.",
                interfaces.join(", ")
            ),
            Note::Public { ip } => format!(
                "{ip}{} 공인 주소입니다: 방화벽이 포트를 막지 않으면 인터넷의 누구나 접속할 수 있습니다.",
                topic(&ip.to_string())
            ),
            Note::FirewallDecides => "바인딩은 다른 기기의 접속을 허용하지만, 방화벽이 막을 수도 있습니다. 이 컴퓨터에서 하는 테스트로는 알 수 없으니 다른 기기에서 직접 확인하세요.".into(),
            Note::VirtualAddress { ip, interface, role } => {
                format!("{ip}{} {interface}의 주소입니다: {}.", topic(&ip.to_string()), self.role(*role))
            }
            Note::NotLocal { ip, lan } => {
                let lan = match lan {
                    Some((lan_ip, iface)) => format!(" 이 컴퓨터의 LAN 주소는 {lan_ip} ({iface})입니다."),
                    None => String::new(),
                };
                format!("{ip}{} 이 컴퓨터의 주소가 아닙니다: 바인딩하면 \"cannot assign requested address\" 오류가 납니다.{lan}", topic(&ip.to_string()))
            }
            Note::NonlocalBindAllowed => "net.ipv4.ip_nonlocal_bind=1 이라 바인딩은 성공하지만, 그 주소가 생기기 전까지는 아무 접속도 오지 않습니다.".into(),
            Note::LinkLocalNeedsZone { ip } => format!(
                "{ip}{} 링크 로컬 주소입니다: 바인딩하려면 인터페이스를 함께 적어야 합니다 (예: {ip}%eth0).",
                topic(&ip.to_string())
            ),
            Note::LinkLocalNoUrl => "링크 로컬 주소(fe80::)는 URL로 공유하지 않습니다: 브라우저가 존 ID(%eth0)를 받지 않습니다.".into(),
            Note::PrivilegedPort { port, start } => format!(
                "{port}번 포트는 {start}보다 작습니다: 바인딩하려면 root 권한(또는 CAP_NET_BIND_SERVICE)이 필요하고, 없으면 \"permission denied\" 오류가 납니다. 개발 서버는 보통 5000이나 8000 같은 포트를 씁니다."
            ),
            Note::PrivilegedPortAllowed { port, start } => format!(
                "{port}번 포트는 {start}보다 작지만, 이 프로세스는 바인딩할 권한이 있습니다."
            ),
            Note::LowPortSpecificAddress { port, start, allowed: true } => format!(
                "{port}번 포트는 {start}보다 작지만, macOS(10.14 이상)에서는 0.0.0.0이나 ::에는 누구나 바인딩할 수 있습니다. 127.0.0.1 같은 특정 주소에만 root 권한(sudo)이 필요합니다."
            ),
            Note::LowPortSpecificAddress { port, start, allowed: false } => format!(
                "{port}번 포트는 {start}보다 작습니다: macOS에서 127.0.0.1 같은 특정 주소에 바인딩하려면 root 권한(sudo)이 필요하고, 없으면 \"permission denied\" 오류가 납니다. 0.0.0.0과 ::에는 권한 없이 바인딩할 수 있습니다(macOS 10.14 이상). 개발 서버는 보통 5000이나 8000 같은 포트를 씁니다."
            ),
            Note::Localhost { resolved, picked } => format!(
                "여기서 localhost는 {}{} 조회됩니다. Flask/Werkzeug는 {picked}(첫 번째 IPv4 결과)에만 바인딩하고, Node.js 17+와 Vite는 첫 번째 결과(대개 ::1)에, uvicorn은 모두에 바인딩합니다.",
                list(resolved),
                toward(&list(resolved))
            ),
            Note::Hostname { name, resolved, picked } => format!(
                "{name}{} {}{} 조회됩니다. Flask 같은 서버는 첫 번째 IPv4 결과인 {picked}에 바인딩합니다.",
                topic(name),
                list(resolved),
                toward(&list(resolved))
            ),
            Note::InterfaceName { name, picked } => format!(
                "서버는 인터페이스 이름이 아니라 주소에 바인딩합니다: {name} 대신 {picked}{} 쓰세요.",
                object(&picked.to_string())
            ),
            Note::InterfaceWithoutAddress { name } => {
                format!("{name}에는 서버가 바인딩할 수 있는 주소가 없습니다.")
            }
            Note::WslNat => "WSL2 NAT 네트워킹: 같은 LAN의 기기는 Windows까지만 닿고 이 Linux VM에는 닿지 않습니다. Windows에서 포트를 전달하거나 (netsh interface portproxy add v4tov4 …) networkingMode=mirrored로 바꾸세요.".into(),
            Note::WslMirrored => "WSL2 미러 모드 네트워킹: VM이 Windows의 주소를 함께 씁니다. 무엇이 들어올지는 Windows 방화벽(Hyper-V 방화벽)이 정합니다.".into(),
            Note::InContainer { name } => format!(
                "컨테이너({name}) 안에서 실행 중입니다: 다른 컴퓨터는 컨테이너가 공개한 포트(docker run -p)로만 접속할 수 있습니다."
            ),
            Note::FullTunnelVpn { interface } => format!(
                "VPN({interface})이 이 컴퓨터의 트래픽을 모두 나르고 있습니다. VPN이 로컬 트래픽을 막지 않는다면 같은 Wi-Fi의 기기는 여전히 LAN 주소로 접속할 수 있습니다."
            ),
            Note::NoLanAddress => "LAN 주소가 없습니다: 서버를 공유하려면 먼저 네트워크에 연결하세요.".into(),
            Note::BindFailed { error: BindError::InUse } if self.os == Os::Windows => "바인딩 테스트: 그 주소의 포트를 이미 다른 프로그램이 쓰고 있습니다 (WinError 10048).".into(),
            Note::BindFailed { error: BindError::Permission } if self.os == Os::Windows => "바인딩 테스트: 액세스가 거부되었습니다 (WinError 10013).".into(),
            Note::BindFailed { error } => match error {
                BindError::InUse => "바인딩 테스트: 그 주소의 포트를 이미 다른 프로그램이 쓰고 있습니다 (address already in use).".into(),
                BindError::NotLocal => "바인딩 테스트: 이 주소를 할당할 수 없습니다 (cannot assign requested address).".into(),
                BindError::Permission => "바인딩 테스트: 권한이 없습니다 (permission denied).".into(),
                BindError::Other(e) => format!("바인딩 테스트 실패: {e}."),
            },
            Note::Conflict { trial, blocker, rule } => {
                let tried = std::net::SocketAddr::new(*trial, blocker.port());
                match rule {
                    Conflict::Same => format!("{tried}: 이미 같은 주소의 소켓({blocker})이 쓰고 있습니다."),
                    Conflict::CoveredByWildcard => format!("{tried} 실패: 소켓 {blocker}{} 이 주소를 포함한 모든 주소에서 이미 대기 중입니다.", subject(&blocker.to_string())),
                    Conflict::WildcardBlockedBySpecific => format!("{tried} 실패: 이 포트의 주소 하나를 소켓 {blocker}{} 쓰고 있는데, 와일드카드 바인딩은 모든 주소가 필요합니다 (Linux에서는 SO_REUSEADDR로도 안 됩니다).", subject(&blocker.to_string())),
                    Conflict::DualStackHoldsIpv4 => format!("{tried} 실패: 소켓 {blocker}{} 듀얼 스택(IPV6_V6ONLY 꺼짐)이라 IPv4 포트도 함께 쓰고 있습니다.", topic(&blocker.to_string())),
                    Conflict::DualStackNeedsIpv4 => format!("{tried} 실패: 듀얼 스택 :: 바인딩은 IPv4 포트도 필요한데, 그 포트를 소켓 {blocker}{} 쓰고 있습니다.", subject(&blocker.to_string())),
                    Conflict::Exclusive => format!("{tried} 실패: Windows는 보통 소켓 {blocker} 옆에 이 바인딩을 허용하는데, 그 프로그램이 SO_EXCLUSIVEADDRUSE로 포트를 독점했습니다. Windows 서비스나 IIS가 그렇게 합니다(WinError 10048)."),
                }
            }
            Note::Reloader { parent, child } if self.os == Os::Windows => format!(
                "Werkzeug 리로더입니다: 부모 프로세스(pid {parent})가 파일 변경을 지켜보다가 자식 프로세스(pid {child})를 다시 띄웁니다. 두 프로세스가 같은 소켓을 쥐고 있으니 둘 다 멈추세요: flask를 실행한 터미널에서 Ctrl+C, 또는 taskkill /PID {parent} /T /F (Windows는 부모를 끝내도 자식이 남으니 /T로 자식까지 끝냅니다)."
            ),
            Note::Reloader { parent, child } => format!(
                "Werkzeug 리로더입니다: 부모 프로세스(pid {parent})가 파일 변경을 지켜보다가 자식 프로세스(pid {child})를 다시 띄웁니다. 두 프로세스가 같은 소켓을 쥐고 있으니 부모를 멈추세요: flask를 실행한 터미널에서 Ctrl+C, 또는 kill {parent}."
            ),
            Note::DockerProxy { ports } => format!(
                "docker-proxy가 컨테이너를 위해 {}번 포트를 잡고 있습니다: 프록시가 아니라 컨테이너를 멈추세요 (docker ps --filter publish=포트). Docker가 공개한 포트는 ufw 규칙을 거치지 않습니다.",
                ports.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
            ),
            Note::AirPlay { port } => format!(
                "macOS에서 {port}번 포트는 AirPlay 수신 모드가 씁니다: 시스템 설정 → 일반 → AirDrop 및 Handoff에서 끄거나, Flask를 다른 포트로 실행하세요 (flask run --port 5001)."
            ),
            Note::ReuseAddrShares { port } => format!(
                "Windows에서는 {port}번 포트에 Flask를 하나 더 띄워도 실행됩니다. Werkzeug가 SO_REUSEADDR를 설정하면 두 서버가 한 주소를 같이 쓸 수 있어서, 예전 서버가 계속 응답합니다. 먼저 예전 서버를 멈추세요(netstat -ano | findstr :{port} 로 PID를 볼 수 있습니다)."
            ),
            Note::ExcludedPortRange { port, range: Some((low, high)) } => format!(
                "Windows가 {low}–{high}번 포트를 예약해 두었고(제외 포트 범위, 보통 Hyper-V·WSL·Docker가 잡습니다) {port}번도 그 안에 있습니다. 아무도 쓰지 않는데도 바인드가 WinError 10013(액세스 거부)으로 실패하며, 관리자 권한으로 실행해도 소용없습니다. 범위 밖의 포트를 쓰세요(netsh interface ipv4 show excludedportrange protocol=tcp 로 범위를 볼 수 있습니다)."
            ),
            Note::ExcludedPortRange { port, range: None } => format!(
                "{port}번 포트에서 WinError 10013(액세스 거부)이 났는데 리슨하는 프로그램이 보이지 않습니다. 보통 제외 포트 범위(Hyper-V, WSL, Docker — netsh interface ipv4 show excludedportrange protocol=tcp 로 확인)이거나, 어떤 프로그램이 포트를 독점하고 있는 경우입니다. 관리자 권한으로 실행해도 소용없으니 다른 포트를 쓰세요."
            ),
            Note::OwnersHidden { processes } if self.os == Os::Windows => format!(
                "프로세스 {processes}개의 정보를 읽지 못해, 그 소켓은 소유자 이름 없이 표시됩니다. 누가 쓰는지 보려면 관리자 권한으로 연 터미널에서 bindscope를 실행하세요."
            ),
            Note::OwnersHidden { processes } => format!(
                "다른 사용자의 프로세스 {processes}개는 들여다볼 수 없어, 그 소켓은 소유자 없이 표시됩니다. 누가 쓰는지 보려면 sudo로 실행하세요."
            ),
            Note::OwnersProtected { processes } => format!(
                "프로세스 {processes}개는 root로도 들여다볼 수 없어(샌드박스 관리 프로세스처럼 시스템이 보호함), 그 소켓은 소유자 없이 표시됩니다."
            ),
            Note::NoVisibleOwner => "어떤 소켓은 보이는 프로세스가 없습니다: 커널(NFS, WireGuard)이나 컨테이너 같은 다른 네임스페이스의 소켓입니다.".into(),
            Note::TimeWait => "TIME_WAIT 상태의 연결은 서버가 멈춘 뒤 1분가량 남아 있지만, SO_REUSEADDR를 켜는 새 서버를 막지는 않습니다.".into(),
            Note::EphemeralRange { low, high } => format!(
                "이 포트는 임시 포트 범위({low}–{high}) 안에 있습니다: OS가 언제든 나가는 연결에 빌려줄 수 있으니 서버 포트는 {low}보다 작은 것으로 고르세요."
            ),
            Note::NothingListens { port } => format!(
                "이 컴퓨터의 어느 주소에서도 {port}번 포트가 응답하지 않습니다: 서버가 실행 중이 아니거나 다른 포트를 쓰고 있습니다 (bindscope listeners로 확인)."
            ),
            Note::LoopbackFix { flask: true } => "Flask는 기본으로 127.0.0.1에서만 대기합니다. 스마트폰에서 열려면 flask run --host=0.0.0.0 또는 app.run(host=\"0.0.0.0\")로 실행하세요.".into(),
            Note::LoopbackFix { flask: false } => "다른 기기가 접속하게 하려면 서버를 127.0.0.1이나 localhost 대신 0.0.0.0에 바인딩하세요 (서버의 host 설정).".into(),
            Note::SplitLocalhost { v4, v6 } => format!(
                "127.0.0.1에는 {v4}, ::1에는 {v6}{} 응답합니다: localhost는 둘 중 어느 프로그램으로든 갈 수 있습니다 (브라우저와 Node.js는 ::1을 먼저 시도).",
                subject(v6)
            ),
            Note::SelfTestOnly { port } => format!(
                "이 컴퓨터에서 하는 접속은 방화벽이 막지 않는 루프백을 거치므로, 위 결과는 바인딩만 보여 주고 방화벽이 다른 기기를 어떻게 대하는지는 보여 주지 못합니다. 스마트폰에서 확인하려면 앱을 멈추고 bindscope serve -p {port}{} 실행한 뒤 그 URL을 스마트폰에서 여세요 (또는 거기서 bindscope probe 실행).",
                object(&port.to_string())
            ),
            Note::DebuggerExposed { ip, evidence } => format!(
                "위험: Werkzeug 디버거가 켜져 있고({}) 서버에 {} 접속할 수 있습니다. 여기에 닿는 사람은 누구나 그 서버가 도는 컴퓨터에서 코드를 실행할 수 있습니다. 디버그 모드를 끄거나, 127.0.0.1에 바인딩하세요 (--host 없이 flask run --debug).",
                match evidence {
                    DebugEvidence::Answered => "디버거 페이지가 응답함",
                    DebugEvidence::CommandLine => "명령줄에 --debug가 있음",
                    DebugEvidence::Environment => "환경 변수 FLASK_DEBUG가 켜져 있음",
                },
                if ip.is_unspecified() {
                    format!("모든 주소({ip})로")
                } else {
                    format!("{ip}{}", toward(&ip.to_string()))
                }
            ),
            Note::DevServerExposed { ip } => format!(
                "Werkzeug 개발 서버가 {ip}에서 응답합니다: 내 네트워크에서 테스트하기에는 괜찮지만 운영용으로는 절대 안 됩니다 (프록시 뒤에서 gunicorn이나 waitress를 쓰세요)."
            ),
            Note::HostNotAllowed { server: DevServer::Vite, host, name } => format!(
                "Vite가 스마트폰이 보내는 Host {host}{} 거부했습니다(\"Blocked request. This host is not allowed\"). 그래서 스마트폰에는 앱 대신 이 오류 페이지가 나옵니다. IP 주소로 열거나(Vite는 IP 주소를 허용합니다), vite.config.js의 server.allowedHosts에 이름을 추가하세요: server: {{ allowedHosts: ['{name}'] }}.",
                object(host)
            ),
            Note::HostNotAllowed { server: DevServer::Django, host, name } => format!(
                "Django가 스마트폰이 보내는 Host {host}{} 거부했습니다(DisallowedHost, HTTP 400). settings.py의 ALLOWED_HOSTS에 추가하세요. 이 컴퓨터의 이름도 남겨 두세요: ALLOWED_HOSTS = ['{name}', 'localhost', '127.0.0.1'].",
                object(host)
            ),
            Note::HostNotAllowed { server: DevServer::Webpack, host, name } => format!(
                "webpack-dev-server가 스마트폰이 보내는 Host {host}{} 거부했습니다(\"Invalid Host header\"). webpack.config.js에서 devServer: {{ allowedHosts: ['{name}'] }}로 설정하고(믿을 수 있는 네트워크라면 'all'도 됩니다) 다시 시작하세요.",
                object(host)
            ),
            Note::HostNotAllowed { server: DevServer::Nextjs, host, name } => format!(
                "Next.js는 {host}에서 연 페이지에 개발용 리소스(/_next/…)를 주지 않습니다: 스마트폰에 페이지는 보이지만 동작하지 않고 자동 새로 고침도 되지 않습니다. next.config.js의 allowedDevOrigins에 이름을 추가하고(allowedDevOrigins: ['{name}']) next dev를 다시 시작하세요."
            ),
            Note::AirPlayAnswered => "응답한 것은 앱이 아니라 macOS의 AirPlay 수신 모드(Server: AirTunes)입니다: 시스템 설정에서 AirPlay 수신 모드를 끄거나 다른 포트를 쓰세요.".into(),
            Note::LocalFirewall { ips } => format!(
                "{}에서는 아무 응답도 없습니다: 닫힌 포트라면 바로 거부했을 테니, 이 컴퓨터의 방화벽이 이 패킷을 버리고 있습니다.",
                list(ips)
            ),
            Note::HttpsNotProbed => "--http는 일반 HTTP만 지원합니다: https:// 대상은 위의 TCP 접속 결과까지만 확인했습니다.".into(),
            Note::BindSucceeded => "바인딩 테스트: 지금 바인딩할 수 있습니다 (소켓은 바로 닫았습니다).".into(),
            Note::FirewallPrompt { os: Os::Windows } => "Windows Defender 방화벽은 프로그램이 루프백 밖에서 처음 연결을 기다릴 때 허용할지 묻습니다. 그 창을 닫았거나 공용 네트워크만 허용했다면 다른 기기의 접속은 시간 초과로 끝납니다. Windows 보안 → 방화벽 및 네트워크 보호 → 방화벽에서 앱 허용에서 python.exe의 개인 네트워크를 체크하세요.".into(),
            Note::FirewallPrompt { os: _ } => "macOS 방화벽이 켜져 있으면 python3(또는 node)가 들어오는 연결을 받아도 되는지 묻습니다. 거부를 눌렀다면 다른 기기의 접속은 시간 초과로 끝납니다. 시스템 설정 → 네트워크 → 방화벽 → 옵션에서 앱 목록을 확인하세요.".into(),
        }
    }

    fn input_error(&self, error: &InputError) -> String {
        match error {
            InputError::Empty { what } => format!("{}{} 비어 있습니다. 예: {}", arg(*what), subject(arg(*what)), example(*what)),
            InputError::TooLong { what, len } => format!("{}{} {len}바이트입니다. 최대 {MAX_ARG_LEN}바이트까지 받습니다. 예: {}", arg(*what), subject(arg(*what)), example(*what)),
            InputError::ControlCharacters { what, value } => format!("{} '{value}'에 제어 문자가 들어 있습니다. 보통 글자로 입력하세요. 예: {}", arg(*what), example(*what)),
            InputError::PortNotNumber { value } => format!("'{value}'{} 포트가 아닙니다: 1~65535 사이의 숫자를 주세요. 예: 5000", topic(value)),
            InputError::PortNegative { value } => format!("'{value}'{} 음수입니다: 포트는 1~65535입니다. 예: 5000", topic(value)),
            InputError::PortZero => "포트 0은 OS가 빈 포트를 고르라는 뜻입니다. 1~65535 사이의 실제 포트를 주세요. 예: 5000".into(),
            InputError::PortTooLarge { value } => format!("'{value}'{} 너무 큽니다: 포트는 65535까지입니다. 예: 5000", topic(value)),
            InputError::BadIpv4 { value } => format!("'{value}'{} 올바른 IPv4 주소가 아닙니다: 0~255 숫자 네 개입니다. 예: 192.168.1.5", topic(value)),
            InputError::BadIpv6 { value } => format!("'{value}'{} 올바른 IPv6 주소가 아닙니다. 예: ::1 또는 [::]:5000", topic(value)),
            InputError::BracketedIpv4 { value } => format!("'[{value}]': 대괄호는 IPv6용입니다. IPv4는 대괄호 없이 쓰세요. 예: 127.0.0.1:5000"),
            InputError::UnclosedBracket { value } => format!("'{value}'의 대괄호 짝이 맞지 않습니다. IPv6는 [::1] 또는 [::1]:5000처럼 씁니다"),
            InputError::AfterBracket { value } => format!("'{value}': ']' 뒤에는 :포트만 올 수 있습니다. 예: [::1]:5000"),
            InputError::BadZone { value } => format!("'{value}': 존(%이름)은 링크 로컬 IPv6 주소에만 붙습니다. 예: fe80::1%eth0"),
            InputError::HostWithPath { value } => format!("'{value}'{} 호스트가 아닙니다: 주소, 이름, URL 중 하나를 주세요. 예: 0.0.0.0 또는 http://0.0.0.0:5000/", topic(value)),
            InputError::LooksLikePort { value } => format!("'{value}'{} 포트처럼 보입니다. 호스트도 함께 주세요. 예: 0.0.0.0:{value} 또는 -p {value}", topic(value)),
            InputError::UnsupportedScheme { scheme } => format!("{scheme}:// 주소는 지원하지 않습니다. http://, https://, ws://, wss:// 중 하나를 쓰세요"),
            InputError::BadUrl { value } => format!("'{value}'{} 쓸 수 있는 URL이 아닙니다. 예: http://0.0.0.0:5000", topic(value)),
            InputError::BadPath { value } => format!("경로 '{value}'에 공백이 있습니다. URL 경로는 /app처럼 씁니다. 예: --path /app"),
            InputError::BadRange { value } => format!("'{value}'{} 포트 범위가 아닙니다: 시작-끝으로 쓰세요. 예: --range 8000-8100", topic(value)),
            InputError::BadPortList { value } => format!("'{value}'에 빈 항목이 있습니다: 포트와 범위를 쉼표로 구분해 쓰세요. 예: -p 5000,8000-8010"),
            InputError::BadHost { value } => format!("'{value}'{} IP 주소도, 호스트 이름도, 이 컴퓨터의 인터페이스도 아닙니다. 예: 127.0.0.1, 0.0.0.0, ::, localhost, eth0 (목록: bindscope interfaces)", topic(value)),
            InputError::Unresolved { name } => format!("'{name}' 이름으로 찾은 주소가 없습니다. 철자를 확인하거나 IP 주소를 주세요"),
            InputError::ConflictingPorts { in_host, option } => format!("포트가 두 개입니다: 호스트에 {in_host}, -p에 {option}. 하나만 주세요. 예: 호스트에만 :{in_host}"),
            InputError::PortGivenTwice { top, own, option } => format!("포트를 두 번 주었습니다: 명령 앞의 -p {top}, 그리고 {option} {own}. 하나만 주세요. 예: bindscope {option} {own}"),
            InputError::UnknownZone { zone } => format!("존 '{zone}'{} 이 컴퓨터의 인터페이스가 아닙니다. 이 컴퓨터의 인터페이스를 쓰세요. 예: fe80::1%eth0 (목록: bindscope interfaces)", topic(zone)),
            InputError::RangeReversed { low, high } => format!("범위 {low}-{high}{} 거꾸로입니다. 작은 포트를 먼저 쓰세요. 예: {high}-{low}", subject(&high.to_string())),
            InputError::CountNotNumber { value } => format!("'{value}'{} 개수가 아닙니다. 정수를 주세요. 예: --count 3", topic(value)),
            InputError::CountZero => "개수 0은 아무것도 찾지 않습니다. 1 이상을 주세요. 예: --count 3".into(),
            InputError::CountTooLarge { max } => format!("개수가 너무 큽니다: 최대 {max}"),
            InputError::BadDuration { value } => format!("'{value}'{} 시간이 아닙니다. 예: 500ms, 2s, 1m", topic(value)),
            InputError::DurationZero => "시간은 0보다 길어야 합니다. 예: 2s".into(),
            InputError::DurationTooLong { value, max_seconds } => format!("'{value}'{} 너무 깁니다: 최대 {max_seconds}초", topic(value)),
            InputError::TooManyPorts { max } => format!("포트가 너무 많습니다: 한 번에 최대 {max}개입니다. 예: -p 5000,8000-8010"),
            InputError::OneLocalPort => "이 컴퓨터를 검사할 때는 포트를 하나만 줍니다. 예: -p 5000. 여러 포트는 대상(TARGET)을 줄 때 쓸 수 있습니다".into(),
            InputError::HostNotIp { value } => format!("'{value}'{} IP 주소가 아닙니다. 예: 127.0.0.1, 0.0.0.0, ::", topic(value)),
            InputError::WaitNeedsPort => "기다릴 포트를 주세요. 예: bindscope wait -p 5000".into(),
            InputError::WaitHostNotIp { value } => format!("'{value}'{} IP 주소도 localhost도 아닙니다. 예: --host 127.0.0.1, --host ::1, --host localhost", topic(value)),
            InputError::IntervalTooShort { value, min_ms } => format!("'{value}'{} 너무 짧습니다: 최소 {min_ms}ms입니다. 예: --interval 200ms", topic(value)),
            InputError::KillNeedsConfirmation { port } => format!("{port}번 포트를 쓰는 프로세스를 확인 없이 멈추지 않습니다: 물어볼 터미널이 없습니다. 확인하려면 --yes를 붙이세요"),
            InputError::UnknownTopic { value, suggestion } => format!("'{value}'에 대한 설명 페이지가 없습니다.{} 주제: {}", did_you_mean(suggestion.as_deref()), Topic::names()),
            InputError::UnknownManPage { value, suggestion } => format!("없는 명령입니다: '{value}'.{} 예: bindscope man expose", did_you_mean(suggestion.as_deref())),
            InputError::NotLocal { ip, lan } => format!("{} (목록: bindscope interfaces)", self.note(&Note::NotLocal { ip: *ip, lan: lan.clone() })),
            InputError::Usage(usage) => usage_error(usage),
        }
    }

    fn system_error(&self, error: &SystemError) -> String {
        match error {
            SystemError::Interfaces(e) => {
                format!("이 컴퓨터의 네트워크 인터페이스 목록을 읽을 수 없습니다: {e}")
            }
            SystemError::Sockets(e) => format!("이 컴퓨터의 소켓 목록을 읽을 수 없습니다: {e}"),
        }
    }

    fn reach(&self, reach: Reach) -> &'static str {
        match reach {
            Reach::None => "아무도 접속 불가",
            Reach::Host => "이 컴퓨터만",
            Reach::Link => "같은 링크만",
            Reach::Lan => "같은 네트워크",
            Reach::Internet => "인터넷 전체",
        }
    }

    fn risk(&self, risk: Risk) -> &'static str {
        match risk {
            Risk::None => "없음",
            Risk::Low => "낮음",
            Risk::Medium => "보통",
            Risk::High => "높음",
        }
    }

    fn addr_kind(&self, kind: AddrKind) -> &'static str {
        match kind {
            AddrKind::Loopback => "루프백",
            AddrKind::Private => "사설 LAN",
            AddrKind::LinkLocal => "링크 로컬",
            AddrKind::Cgnat => "CGNAT(공유 주소)",
            AddrKind::Ula => "IPv6 ULA(사설)",
            AddrKind::Documentation => "문서용 예시 주소",
            AddrKind::Reserved => "예약 주소",
            AddrKind::Public => "공인 주소",
        }
    }

    fn device(&self, device: Device) -> &'static str {
        match device {
            Device::Loopback => "루프백",
            Device::Ethernet => "이더넷",
            Device::Wireless => "Wi-Fi",
            Device::Bridge => "브리지",
            Device::Veth => "veth",
            Device::Tun => "tun",
            Device::Tap => "tap",
            Device::Wireguard => "WireGuard",
            Device::Vlan => "VLAN",
            Device::Bond => "본딩",
            Device::Dummy => "더미",
            Device::HostOnly => "VM 호스트 전용",
            Device::OtherVirtual => "가상",
            Device::Unknown => "?",
        }
    }

    fn role(&self, role: Role) -> &'static str {
        match role {
            Role::Loopback => "루프백: 이 컴퓨터가 자기 자신과 통신하는 통로",
            Role::Network => "네트워크 연결",
            Role::ContainerBridge => "Docker/Podman 브리지: 이 컴퓨터의 컨테이너만 쓰는 네트워크로, 스마트폰용이 아닙니다",
            Role::VmBridge => "이 컴퓨터 안의 가상 네트워크(VM, 컨테이너): 스마트폰용이 아닙니다",
            Role::ContainerPort => "컨테이너나 VM으로 이어지는 가상 케이블",
            Role::Vpn => "VPN 터널: VPN에 연결된 기기만 닿고, Wi-Fi의 스마트폰은 닿지 않습니다",
            Role::Tailnet => "Tailscale: 같은 tailnet에 로그인해 Tailscale을 켠 기기만 닿습니다",
            Role::WslNat => "WSL2의 NAT 네트워크: Windows는 닿지만 다른 기기는 닿지 않습니다",
            Role::HyperV => "Hyper-V 가상 스위치: 이 PC의 VM과 WSL용이며 스마트폰용이 아닙니다",
            Role::PeerToPeer => "Apple 기기 간 직접 연결(AirDrop): 웹 서버용이 아닙니다",
            Role::SystemTunnel => {
                "macOS 시스템 터널(iCloud 비공개 릴레이, 연속성 기능): 링크 로컬 주소뿐이라 VPN이 아닙니다"
            }
        }
    }

    fn not_shareable(&self, reason: NotShareable) -> &'static str {
        match reason {
            NotShareable::Loopback => "루프백: 이 컴퓨터 전용",
            NotShareable::LinkLocal => "링크 로컬: 브라우저로 열 수 없음",
            NotShareable::Down => "인터페이스가 꺼져 있음",
            NotShareable::Reserved => "기기가 접속할 수 있는 주소가 아님",
            NotShareable::Virtual => "가상 인터페이스",
            NotShareable::NotReady => "쓸 수 없는 주소 (중복 주소 검사)",
            NotShareable::OnLoopback => "루프백 인터페이스에 있음: 경로를 잡아야만 닿음",
        }
    }

    fn bind_kind(&self, kind: BindKind) -> &'static str {
        match kind {
            BindKind::Loopback => "루프백(127.0.0.1, ::1)",
            BindKind::All => "모든 인터페이스(0.0.0.0, ::)",
            BindKind::Lan => "내부 IP",
            BindKind::Public => "공인 IP",
            BindKind::LinkLocal => "링크 로컬 주소",
            BindKind::Virtual => "가상 네트워크 주소",
            BindKind::NotLocal => "이 컴퓨터에 없는 주소",
        }
    }

    fn row(&self, row: Row) -> &'static str {
        match row {
            Row::Meaning => "의미",
            Row::Range => "접속 범위",
            Row::Outside => "외부 접속 여부",
            Row::Use => "사용 용도",
            Row::Risk => "보안 위험",
        }
    }

    fn compare(&self, kind: BindKind, row: Row) -> &'static str {
        match (kind, row) {
            (BindKind::Loopback, Row::Meaning) => "이 컴퓨터 자기 자신",
            (BindKind::Loopback, Row::Range) => "이 컴퓨터 안의 프로그램만",
            (BindKind::Loopback, Row::Outside) => "불가능",
            (BindKind::Loopback, Row::Use) => "혼자 하는 개발, 로컬 테스트",
            (BindKind::Loopback, Row::Risk) => "낮음: 나만 접속할 수 있음",

            (BindKind::Lan, Row::Meaning) => "내부 네트워크에서 이 컴퓨터를 가리키는 주소",
            (BindKind::Lan, Row::Range) => "같은 네트워크(공유기, 회사망)의 다른 기기",
            (BindKind::Lan, Row::Outside) => "가능 (같은 네트워크 안에서만)",
            (BindKind::Lan, Row::Use) => "실제 기기에서 테스트, 주변 사람과 공유",
            (BindKind::Lan, Row::Risk) => "있음: 같은 네트워크의 기기가 접속할 수 있음",

            (BindKind::All, Row::Meaning) => "모든 네트워크 인터페이스: 127.0.0.1과 내부 IP 모두",
            (BindKind::All, Row::Range) => "이 컴퓨터, 그리고 어느 주소로든 닿는 모든 기기",
            (BindKind::All, Row::Outside) => {
                "가능: 같은 네트워크의 스마트폰·PC, 공유기가 포트를 열면 인터넷에서도"
            }
            (BindKind::All, Row::Use) => "개발 중 여러 기기에서 접속해 보기",
            (BindKind::All, Row::Risk) => {
                "주의: 방화벽이나 프록시로 막지 않으면 뜻하지 않은 접속이 가능"
            }

            (BindKind::Public, Row::Meaning) => "인터넷에서 바로 찾아올 수 있는 공인 주소",
            (BindKind::Public, Row::Range) => "인터넷의 누구나",
            (BindKind::Public, Row::Outside) => "가능: 방화벽이 막지 않으면 어디서든",
            (BindKind::Public, Row::Use) => "운영 서버 (방화벽과 리버스 프록시 뒤에서)",
            (BindKind::Public, Row::Risk) => "높음: 개발 서버를 여기에 열면 안 됨",

            (BindKind::LinkLocal, Row::Meaning) => {
                "한 링크 안에서만 쓰는 주소 (fe80::, 169.254.x.x)"
            }
            (BindKind::LinkLocal, Row::Range) => "같은 링크에 연결된 기기",
            (BindKind::LinkLocal, Row::Outside) => {
                "같은 링크에서만 가능, 브라우저는 fe80:: 주소를 못 엶"
            }
            (BindKind::LinkLocal, Row::Use) => "자동 설정, 케이블 직접 연결",
            (BindKind::LinkLocal, Row::Risk) => "낮음~보통: 같은 링크의 기기는 접속 가능",

            (BindKind::Virtual, Row::Meaning) => "이 컴퓨터 안 가상 네트워크(컨테이너, VM)의 주소",
            (BindKind::Virtual, Row::Range) => "이 컴퓨터와 그 안의 컨테이너·VM",
            (BindKind::Virtual, Row::Outside) => "불가능 (포트 포워딩 없이는)",
            (BindKind::Virtual, Row::Use) => "컨테이너·VM과 이 컴퓨터 사이의 통신",
            (BindKind::Virtual, Row::Risk) => "낮음: 단, 실행 중인 컨테이너는 모두 접속 가능",

            (BindKind::NotLocal, Row::Meaning) => "이 컴퓨터에 없는 주소",
            (BindKind::NotLocal, Row::Range) => "없음: 서버가 시작되지 않음",
            (BindKind::NotLocal, Row::Outside) => "불가능",
            (BindKind::NotLocal, Row::Use) => {
                "없음: 0.0.0.0이나 이 컴퓨터의 현재 주소에 바인딩하세요"
            }
            (BindKind::NotLocal, Row::Risk) => "없음, 하지만 서버가 시작되지 않음",
        }
    }
    fn service(&self, service: Service) -> &'static str {
        match service {
            Service::Ftp => "FTP",
            Service::Ssh => "SSH",
            Service::Smtp => "SMTP (메일)",
            Service::Dns => "DNS",
            Service::Http => "HTTP",
            Service::Https => "HTTPS",
            Service::Mssql => "Microsoft SQL Server",
            Service::Mysql => "MySQL, MariaDB",
            Service::Rdp => "원격 데스크톱 (RDP)",
            Service::React => "Node.js 개발 서버 (React, Next.js, Express)",
            Service::Angular => "Angular 개발 서버",
            Service::Flask => "Flask 기본 포트 (macOS AirPlay 수신 모드도 사용)",
            Service::Vite => "Vite 개발 서버",
            Service::Postgres => "PostgreSQL",
            Service::AirPlay => "macOS AirPlay 수신 모드",
            Service::Vnc => "VNC",
            Service::Redis => "Redis",
            Service::Django => "Django, uvicorn, python -m http.server",
            Service::HttpAlt => "대체 HTTP (Tomcat, 프록시)",
            Service::HttpsAlt => "대체 HTTPS",
            Service::Jupyter => "Jupyter",
            Service::Elasticsearch => "Elasticsearch",
            Service::Memcached => "memcached",
            Service::MongoDb => "MongoDB",
            Service::RabbitMq => "RabbitMQ",
        }
    }

    fn port_class(&self, class: PortClass) -> &'static str {
        match class {
            PortClass::WellKnown => "시스템 예약 포트 (0–1023)",
            PortClass::Registered => "등록 포트 (1024–49151)",
            PortClass::Dynamic => "동적/임시 포트 (49152–65535)",
        }
    }

    fn refusal(&self, refusal: Refusal) -> &'static str {
        match refusal {
            Refusal::Kernel => "커널",
            Refusal::Init => "init: 멈추면 컴퓨터(또는 컨테이너)가 멈춥니다",
            Refusal::Itself => "bindscope 자신",
            Refusal::ForeignPids => "다른 pid 네임스페이스의 /proc에서 읽은 번호",
        }
    }

    fn kill_outcome(&self, outcome: KillOutcome) -> &'static str {
        match outcome {
            KillOutcome::Exited => "멈춤",
            KillOutcome::AlreadyExited => "이미 종료됨: 시그널 보내지 않음",
            KillOutcome::StillRunning => "아직 실행 중",
            KillOutcome::NotVerified => "이제 이 포트를 쓰지 않아 건드리지 않음",
            KillOutcome::Permission if self.os == Os::Windows => {
                "액세스 거부: 관리자 권한으로 실행하세요"
            }
            KillOutcome::Permission => "권한 없음: sudo로 실행하세요",
            KillOutcome::OtherNamespace => "바깥 pid 네임스페이스에서 실행 중: 그쪽에서 멈추세요",
            KillOutcome::Unsupported => {
                "여기서는 프로세스 핸들로 시그널을 보낼 수 없음: 보내지 않음"
            }
            KillOutcome::ContainerInit => "컨테이너의 init이라 건드리지 않음",
        }
    }

    fn bind_result(&self, error: Option<&BindError>) -> String {
        match error {
            None => "비어 있음".into(),
            Some(BindError::InUse) => "사용 중".into(),
            Some(BindError::NotLocal) => "이 컴퓨터의 주소가 아님".into(),
            Some(BindError::Permission) if self.os == Os::Windows => "액세스 거부".into(),
            Some(BindError::Permission) => "권한 없음".into(),
            Some(BindError::Other(e)) => e.clone(),
        }
    }
    fn status(&self, status: Status) -> &'static str {
        match status {
            Status::Open => "열림",
            Status::Refused => "거부됨",
            Status::Timeout => "시간 초과",
            Status::Unreachable => "도달 불가",
            Status::Unresolved => "이름 조회 실패",
            Status::Error => "오류",
        }
    }

    fn meaning(&self, status: Status, unreachable: Option<Unreachable>) -> &'static str {
        match (status, unreachable) {
            (Status::Open, _) => "그 주소와 포트에서 접속을 받는 프로그램이 있습니다",
            (Status::Refused, _) => "호스트는 응답했지만 그 주소와 포트에서 대기 중인 프로그램이 없습니다: 서버가 127.0.0.1에 바인딩되었거나 실행 중이 아닙니다 (또는 방화벽이 거부)",
            (Status::Timeout, _) => "응답이 없습니다: 방화벽이 패킷을 차단했거나, 호스트가 다른 네트워크나 NAT·VM 경계 너머에 있거나, 그 주소를 가진 기기가 없습니다",
            (Status::Unreachable, Some(Unreachable::Network)) => "여기서 그 네트워크로 가는 경로가 없습니다: 이 기기는 다른 네트워크에 있습니다",
            (Status::Unreachable, _) => "호스트에 닿을 수 없습니다: 그 주소로 응답하는 기기가 없거나 라우터가 거부했습니다",
            (Status::Unresolved, _) => "그 이름으로 찾은 주소가 없습니다",
            (Status::Error, _) => "다른 이유로 접속에 실패했습니다",
        }
    }

    fn inferred_bind(&self, bind: InferredBind) -> &'static str {
        match bind {
            InferredBind::Loopback => "루프백 (127.0.0.1 또는 ::1)",
            InferredBind::All => "모든 인터페이스 (0.0.0.0 또는 ::)",
            InferredBind::Specific => "주소 하나",
            InferredBind::None => "없음",
        }
    }

    fn yes(&self) -> &'static [&'static str] {
        &["예", "네", "응", "ㅇ"]
    }
}

/// `127.0.0.1:5000 또는 [::1]:5000`.
fn either(addrs: &[std::net::SocketAddr]) -> String {
    addrs
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" 또는 ")
}

/// How long a process has run, to the unit that matters: `45초`, `12분`, `2시간 5분`,
/// `3일 4시간`.
fn span(secs: u64) -> String {
    let (m, h, d) = (secs / 60, secs / 3600, secs / 86_400);
    match secs {
        0..60 => format!("{secs}초"),
        60..3600 => format!("{m}분"),
        3600..86_400 => format!("{h}시간 {}분", m % 60),
        _ => format!("{d}일 {}시간", h % 24),
    }
}

/// ` 혹시 'expose'인가요?`, or nothing.
fn did_you_mean(suggestion: Option<&str>) -> String {
    suggestion.map_or(String::new(), |s| format!(" 혹시 '{s}'인가요?"))
}

/// Where to read more: the command's own help, or the program's.
fn see_help(command: &Option<String>) -> String {
    match command {
        Some(c) => format!("도움말: bindscope {c} --help"),
        None => "도움말: bindscope --help".into(),
    }
}

fn usage_error(error: &UsageError) -> String {
    match error {
        UsageError::UnknownCommand { value, suggestion } => format!("없는 명령입니다: '{value}'.{} 명령 목록: bindscope --help", did_you_mean(suggestion.as_deref())),
        UsageError::UnknownOption { command, value, suggestion } => format!("없는 옵션입니다: '{value}'.{} {}", did_you_mean(suggestion.as_deref()), see_help(command)),
        UsageError::UnexpectedValue { command: Some(c), value, port_option: Some(option) } => format!("{c} 명령은 '{value}' 같은 값을 받지 않습니다. 포트는 {option}{} 함께 주세요. 예: bindscope {c} {option} {value}", and(option)),
        UsageError::UnexpectedValue { command, value, .. } => format!("받지 않는 값입니다: '{value}'. {}", see_help(command)),
        UsageError::InvalidValue { option, value, possible, suggestion } => format!("'{value}'{} {option}에 쓸 수 없는 값입니다.{} 쓸 수 있는 값: {}", topic(value), did_you_mean(suggestion.as_deref()), possible.join(", ")),
        UsageError::MissingValue { command, option } => format!("{option} 뒤에 값을 주세요. {}", see_help(command)),
        UsageError::MissingArguments { command, args } => format!("꼭 필요한 인자가 빠졌습니다: {}. {}", args.join(", "), see_help(command)),
        UsageError::Conflict { option, other } => format!("{option}{} {other}{} 함께 쓸 수 없습니다. 하나만 쓰세요. 도움말: bindscope --help", and(option), topic(other)),
        UsageError::Other { command, text } => format!("명령줄을 읽지 못했습니다 ({text}). {}", see_help(command)),
    }
}

/// The exit codes as the Korean `--help` shows them.
pub const EXIT_CODES_HELP: &str = "\
종료 코드:
  0  문제 없음
  1  검사에서 문제를 찾음 (실패할 바인딩, 사용 중인 포트, 노출된 소켓, 시간이 다 된 wait)
  2  잘못된 사용법이나 입력
  3  시스템이 거부함 (권한, OS API 실패)";

/// The words `--help` shows, in Korean: `""` is the program's about, `COMMAND` a command's
/// about, `COMMAND.after` the text after its options, `COMMAND.ARG` an argument's help, `*.ARG`
/// an option every command has. The clap definition holds the English; a test walks it and
/// finds a Korean text for every one.
pub fn help_words(key: &str) -> Option<&'static str> {
    Some(match key {
        "" => "이 컴퓨터에서 바인딩한 서버는 어떤 주소로 열리고, 누가 접속할 수 있을까요?",
        ".long" => "이 컴퓨터에서 바인딩한 서버는 어떤 주소로 열리고, 누가 접속할 수 있을까요?\n\n\
            명령 없이 실행하면: 이 컴퓨터와 인터페이스를 보여 주고, 127.0.0.1, 0.0.0.0, :: 또는 \
            내부 IP에 바인딩한 서버에 누가 접속할 수 있는지 알려 줍니다.",
        ".port" => "개요에 보일 URL의 포트 (Flask 기본값은 5000)",
        "*.json" => "글 대신 JSON 문서 하나를 출력 (schema 1, docs/json.md 참고)",
        "*.color" => "색을 쓸 때: auto는 터미널이고 NO_COLOR가 없을 때",
        "*.lang" => "언어: auto는 LC_ALL, LC_MESSAGES, LANG을 따름 (--lang en: in English)",
        "*.verbose" => "더 자세히 보기 (장치 종류, 커널 설정)",
        "*.quiet" => "핵심만 출력: 판정 한 줄, 또는 값만",
        "*.help" => "도움말 보기",
        "*.version" => "버전 보기",
        "interfaces" => "모든 인터페이스와 주소: 종류, 접속 가능 범위, 기본 주소 표시",
        "interfaces.all" => "주소가 없는 인터페이스도 보기",
        "*.ipv4" => "IPv4만",
        "*.ipv6" => "IPv6만",
        "expose" => "HOST에 바인딩한 서버가 어느 주소에서 기다리고, 누가 접속할 수 있는지",
        "expose.after" => "HOST: 127.0.0.1, 0.0.0.0, ::, [::1]:8000, 192.168.1.5:5000, \
            http://0.0.0.0:5000, localhost, 호스트 이름, 또는 인터페이스 이름(eth0).",
        "expose.host" => "바인딩 호스트: 주소, HOST:PORT, URL, localhost, 호스트 이름 또는 인터페이스",
        "expose.port" => "포트 (기본값 5000; HOST에 적은 포트도 됩니다)",
        "expose.try_bind" => "실제로 바인딩해 보고 바로 닫아, 지금 성공하는지 확인",
        "urls" => "공유할 URL을 개발 서버처럼: Local 줄과 Network 줄",
        "urls.port" => "서버의 포트",
        "urls.host" => "서버의 바인딩 호스트 (기본값: IPv4와 IPv6의 모든 주소)",
        "urls.all" => "가상 인터페이스(컨테이너, VPN, WSL)도 보기, 왜 안 되는지와 함께",
        "urls.scheme" => "URL 스킴",
        "urls.path" => "URL 뒤에 붙일 경로, 예: /app",
        "urls.qr" => "추천 URL의 QR 코드 그리기",
        "listeners" => "연결을 기다리는 모든 TCP 소켓과 바인딩된 UDP 소켓, 프로세스와 함께, 위험한 것부터",
        "listeners.exposed" => "이 컴퓨터 밖에서 접속할 수 있는 소켓만",
        "listeners.fail_on_exposed" => "밖에서 접속할 수 있는 소켓이 하나라도 있으면 종료 코드 1 (점검과 CI용)",
        "listeners.tcp" => "TCP만",
        "listeners.udp" => "UDP만",
        "port" => "포트 하나의 모든 것: 누가 쓰는지, 지금 바인딩되는지, 가까운 빈 포트",
        "port.port" => "포트, 예: 5000",
        "port.kill" => "포트를 잡은 프로세스 멈추기: SIGTERM(Windows는 TerminateProcess), 터미널에서는 먼저 물어봄",
        "port.force" => "--kill과 함께: 유예 시간 뒤에도 살아 있으면 SIGKILL (Windows에서는 첫 단계가 이미 강제 종료라 해당 없음)",
        "port.yes" => "--kill과 함께: 묻지 않기 (터미널이 없을 때 필요)",
        "port.grace" => "--kill과 함께: 신호를 보낸 뒤 포트가 빌 때까지 기다릴 시간",
        "port.udp" => "--kill과 함께: 포트에 바인딩된 UDP 소켓의 프로세스도 멈추기 (UDP 서버만, 연결된 UDP 클라이언트는 멈추지 않음)",
        "probe" => "실행 중인 서버에 접속할 수 있는지, 안 되면 왜 안 되는지",
        "probe.after" => "TARGET 없이: 이 컴퓨터의 모든 주소로 PORT에 접속해 보고, 그 결과로 보이는 \
            바인딩과 누가 접속할 수 있는지 알려 줍니다.\n\
            TARGET과 함께(192.168.1.5:5000, [fe80::1%eth0]:8000, URL, 호스트 이름): 다른 기기에서 \
            실행하면 그 주소가 응답하는지, 안 되면 왜 안 되는지 알려 줍니다.",
        "probe.target" => "접속할 곳: HOST:PORT, [V6]:PORT, URL 또는 호스트 이름",
        "probe.port" => "포트: 5000, 또는 TARGET과 함께 5000,8000-8010 같은 목록과 범위",
        "probe.timeout" => "접속마다 기다릴 시간",
        "probe.http" => "열린 주소마다 HTTP 요청을 하나 보내 상태와 Server 헤더 보기",
        "serve" => "다른 기기에서 열어 볼 접속 확인용 서버: 누가 왔는지, 어디로 닿았는지",
        "serve.port" => "포트 (기본값: 8000 근처의 빈 포트)",
        "serve.host" => "연결을 기다릴 주소",
        "serve.duration" => "이 시간이 지나면 스스로 멈춤",
        "serve.qr" => "추천 URL의 QR 코드 그리기",
        "lab" => "실습: 127.0.0.1, 0.0.0.0, 내부 IP에 차례로 바인딩하고 각각 접속해 보기",
        "lab.timeout" => "접속마다 기다릴 시간",
        "free" => "빈 포트, 실제로 바인딩해 확인: PORT=$(bindscope free)",
        "free.near" => "이 포트에서 가까운 순서로 찾기 (기본값 5000)",
        "free.count" => "몇 개 (1~100)",
        "free.hosts" => "포트마다 바인딩해 볼 호스트; 여러 번 줄 수 있음 (기본값 127.0.0.1과 0.0.0.0)",
        "free.range" => "이 범위의 포트만, 예: 8000-8100",
        "wait" => "포트에서 서버가 응답할 때까지, 또는 --free와 함께 포트가 빌 때까지 기다리기",
        "wait.after" => "--interval마다 127.0.0.1과 ::1(브라우저가 localhost로 시도하는 주소)에 \
            접속해 봅니다. 하나만 응답해도 되고, 어느 쪽인지 알려 줍니다. --host 0.0.0.0은 \
            127.0.0.1, --host ::은 둘 다를 뜻합니다 (브라우저로 그 URL을 열면 이 컴퓨터에 닿듯이). \
            다른 주소는 그 주소만 뜻합니다.\n\
            --free: 어느 주소, 어느 주소 체계에서도 그 포트에 연결을 기다리거나 바인딩된 TCP 소켓이 \
            없을 때. 연결(TIME_WAIT 포함)은 세지 않습니다: 서버는 SO_REUSEADDR를 켜고 그 옆에 \
            바인딩합니다.\n\
            일어나면 종료 코드 0, --timeout이 지나면 1: \
            flask run & bindscope wait -p 5000 && open http://127.0.0.1:5000",
        "wait.port" => "기다릴 포트 (여기나 명령 앞에 꼭 줘야 함)",
        "wait.host" => "접속할 곳: IP 주소 또는 localhost (기본값: 127.0.0.1과 ::1)",
        "wait.timeout" => "이 시간이 지나면 포기하고 종료 코드 1",
        "wait.interval" => "얼마나 자주 시도할지 (10ms~10s)",
        "wait.http" => "연결만이 아니라 HTTP 응답(어떤 상태든)을 기다리기",
        "wait.free" => "포트를 아무도 쓰지 않을 때까지 기다리기: 연결을 기다리거나 바인딩된 TCP 소켓 없음",
        "explain" => "개념 설명: flask, 0.0.0.0, loopback-vs-lan, ports, debugging, ipv6, firewall…",
        "explain.after" => "TOPIC 없이: 페이지 목록. 페이지는 소스의 docs/en과 docs/ko이고, 이 컴퓨터의 \
            실제 값이 채워집니다.",
        "explain.topic" => "페이지, 예: ports 또는 0.0.0.0",
        "completions" => "셸 자동 완성: bindscope completions bash > /etc/bash_completion.d/bindscope",
        "completions.shell" => "셸",
        "man" => "옵션에서 만든 man 페이지: bindscope man > bindscope.1",
        "man.after" => "명령마다 페이지가 하나씩 있습니다: bindscope man expose > bindscope-expose.1",
        "man.command" => "이 명령의 페이지 (bindscope-COMMAND(1)), 예: expose",
        "help" => "이 도움말, 또는 주어진 명령의 도움말 보기",
        "help.subcommand" => "도움말을 볼 명령",
        "heading.usage" => "사용법:",
        "heading.options" => "옵션",
        "heading.arguments" => "인자",
        "heading.commands" => "명령:",
        "value.command" => "명령",
        "value.options" => "[옵션]",
        "spec.default" => "기본값",
        "spec.possible" => "쓸 수 있는 값",
        "spec.aliases" => "별칭",
        _ => return None,
    })
}
