//! `listeners`' human view, and the sockets table `port` shares.

use std::io::{self, Write};

use super::table::{Cell, Made, Table};
use colored::Color;

use super::{reach_color, sentence, write_notes, Ui};
use crate::analysis::vocab::Reach;
use crate::i18n::{Label, Text};
use crate::report::{ListenersReport, ListenersVerdict, SocketOut};

pub fn human(w: &mut dyn Write, report: &ListenersReport, ui: &Ui) -> io::Result<()> {
    let cat = ui.cat;
    let counts = Text::ListenersVerdict {
        total: report.total,
        exposed: report.exposed,
    };
    if report.verdict == ListenersVerdict::DebuggerExposed {
        let danger = cat.text(&Text::DebuggerDangerAny);
        sentence(w, ui, &ui.paint(&danger, Color::Red))?;
    }
    let verdict = match report.verdict {
        ListenersVerdict::NothingListens => {
            ui.paint(&cat.text(&Text::NothingListens), Color::Green)
        }
        ListenersVerdict::NoneExposed => ui.paint(&cat.text(&counts), Color::Green),
        ListenersVerdict::Exposed | ListenersVerdict::DebuggerExposed => ui.paint(
            &cat.text(&counts),
            reach_color(report.widest_reach.unwrap_or(Reach::Lan)),
        ),
    };
    sentence(w, ui, &verdict)?;
    if ui.quiet || report.listeners.is_empty() {
        return Ok(());
    }
    writeln!(w)?;
    let table = Table::new(&ui.labels(&[
        Label::Proto,
        Label::Address,
        Label::Port,
        Label::Reach,
        Label::User,
        Label::Process,
    ]));
    let cells = |l: SocketOut| {
        vec![
            Cell::new(proto(&l)),
            Cell::word(address(&l)),
            Cell::new(l.port),
            reach(&l, ui),
            Cell::new(l.user.as_deref().unwrap_or_default()),
            Cell::new(processes(&l, ui)),
        ]
    };
    // A few thousand rows are kept (2 MB at most): the table goes through them twice or more.
    // More are made again in each pass, never kept: 50,000 sockets' cells were 24 MB.
    if report.listeners.len() <= KEPT_ROWS {
        let mut table = table;
        for row in report.listeners.rows().map(cells) {
            table.add_row(row);
        }
        table.write(w, ui.color, ui.width)?;
    } else {
        let rows = Made(|| report.listeners.rows().map(cells));
        table.write_rows(&rows, w, ui.color, ui.width)?;
    }
    if !report.notes.is_empty() {
        writeln!(w)?;
        write_notes(w, ui, &report.notes)?;
    }
    super::explain::read_next(w, ui, &report.explain)
}

/// Up to this many rows, the table keeps its cells.
const KEPT_ROWS: usize = 4096;

pub fn proto(s: &SocketOut) -> &'static str {
    match s.proto {
        crate::model::Proto::Tcp => "tcp",
        crate::model::Proto::Udp => "udp",
    }
}

/// Who can reach the socket: its bind's reach, and, when the firewall keeps every other device
/// out, that it does (in green: nobody else gets in).
fn reach(s: &SocketOut, ui: &Ui) -> Cell {
    let Some(r) = s.reach else {
        return Cell::new("—");
    };
    let blocked = r > Reach::Host && !s.exposed && !s.firewall.is_empty();
    if blocked {
        let text = format!(
            "{} ({})",
            ui.cat.reach(r),
            ui.cat.label(Label::FirewallBlocks)
        );
        Cell::colored(text, Color::Green)
    } else {
        ui.reach_cell(r)
    }
}

/// The address as `ss` would write it: `%lo` for a socket tied to an interface, `(+IPv4)` on
/// a dual-stack `::`.
pub fn address(s: &SocketOut) -> String {
    let mut text = ip_text(s.ip);
    if let Some(device) = &s.device {
        text.push('%');
        text.push_str(device);
    }
    if s.dual_stack == Some(true) {
        text.push_str(" (+IPv4)");
    }
    text
}

/// `127.0.0.1:5000`, `[::]%lo:7000`.
fn with_port(s: &SocketOut) -> String {
    let ip = match s.ip {
        std::net::IpAddr::V6(v6) => format!("[{v6}]"),
        v4 => v4.to_string(),
    };
    match &s.device {
        Some(device) => format!("{ip}%{device}:{}", s.port),
        None => format!("{ip}:{}", s.port),
    }
}

/// An address as `Display` writes it; IPv4 without the formatting machinery (a thousand
/// instructions an address, in a table of thousands).
fn ip_text(ip: std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V4(v4) => {
            let mut text = String::with_capacity(15);
            for (n, octet) in v4.octets().into_iter().enumerate() {
                if n > 0 {
                    text.push('.');
                }
                push_number(&mut text, u32::from(octet));
            }
            text
        }
        v6 => v6.to_string(),
    }
}

/// `n` in decimal, pushed onto `text`.
fn push_number(text: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    text.extend(digits[at..].iter().map(|&d| char::from(d)));
}

/// `python3 (4242), python3 (4243)`, or that the owner is hidden.
pub fn processes(s: &SocketOut, ui: &Ui) -> String {
    if s.processes.is_empty() {
        return ui.cat.label(Label::UnknownProcess).to_string();
    }
    let mut text = String::new();
    for (n, p) in s.processes.iter().enumerate() {
        if n > 0 {
            text.push_str(", ");
        }
        text.push_str(&p.name);
        text.push_str(" (");
        push_number(&mut text, p.pid);
        text.push(')');
    }
    text
}

/// The sockets table shared with `port`: with the state column there.
pub fn socket_table(sockets: &[SocketOut], ui: &Ui, with_state: bool) -> Table {
    let cat = ui.cat;
    let mut header = vec![cat.label(Label::Proto), cat.label(Label::Address)];
    if with_state {
        header.push(cat.label(Label::State));
    }
    header.extend([
        cat.label(Label::Reach),
        cat.label(Label::User),
        cat.label(Label::Process),
    ]);
    let mut table = Table::new(&header);
    for s in sockets {
        let mut row = vec![Cell::new(proto(s)), Cell::word(with_port(s))];
        if with_state {
            row.push(Cell::new(state(s)));
        }
        row.extend([
            reach(s, ui),
            Cell::new(s.user.as_deref().unwrap_or_default()),
            Cell::new(processes(s, ui)),
        ]);
        table.add_row(row);
    }
    table
}

/// The state as `ss` names it.
fn state(s: &SocketOut) -> &'static str {
    use crate::model::SockState as S;
    match s.state {
        S::Listen => "LISTEN",
        S::Unconn => "UNCONN",
        S::Established => "ESTAB",
        S::SynSent => "SYN-SENT",
        S::SynRecv => "SYN-RECV",
        S::FinWait1 => "FIN-WAIT-1",
        S::FinWait2 => "FIN-WAIT-2",
        S::TimeWait => "TIME-WAIT",
        S::CloseWait => "CLOSE-WAIT",
        S::LastAck => "LAST-ACK",
        S::Closing => "CLOSING",
        S::Bound => "BOUND",
        S::Other => "?",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_numbers_are_written_as_display_writes_them() {
        let octets = [0u8, 1, 9, 10, 99, 100, 199, 200, 255];
        for a in octets {
            for b in octets {
                for c in octets {
                    let ip = std::net::IpAddr::from([a, b, c, 255 - a]);
                    assert_eq!(ip_text(ip), ip.to_string());
                }
            }
        }
        for v6 in [
            "::",
            "::1",
            "fe80::1",
            "2001:db8::ff00:42:8329",
            "::ffff:10.0.0.1",
        ] {
            let ip: std::net::IpAddr = v6.parse().unwrap();
            assert_eq!(ip_text(ip), ip.to_string());
        }
        for n in [0, 7, 10, 99, 4242, 65535, u32::MAX] {
            let mut text = String::from("pid ");
            push_number(&mut text, n);
            assert_eq!(text, format!("pid {n}"));
        }
    }
}
