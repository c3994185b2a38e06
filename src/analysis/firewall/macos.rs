//! macOS's application firewall, from what `socketfilterfw` prints. It decides by program, not
//! by port: off lets everything in; "Block all incoming connections" drops every connection
//! (but those of a few system services); else the listening program's entry in the list allows
//! or blocks it. A program not in the list is `unknown`: the first time it listens macOS asks
//! the user, or lets a signed program in by itself (`--getallowsigned`), and neither answer can
//! be read ahead.
//!
//! A blocked connection is `Drop` with stealth mode on or off: the application firewall does
//! not answer a connection it blocks, and stealth mode only adds silence for closed ports and
//! pings. pf is not read: macOS ships it with no blocking rules, and reading its rules needs
//! root.
//!
//! The wording of `socketfilterfw` has changed across macOS versions ("Block all DISABLED!",
//! "Firewall has block all state set to disabled."; "Stealth mode enabled", "Firewall stealth
//! mode is on"), so each answer is read by its words, and an answer that says neither one thing
//! nor the other is not understood: `unknown`.

use super::{Decision, Packet, Verdict};
use crate::model::MacFirewall;

pub const SOCKETFILTERFW: &str = "/usr/libexec/ApplicationFirewall/socketfilterfw";

/// `--getglobalstate`: "Firewall is enabled. (State = 1)"; state 2 is the old name of block all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Global {
    Off,
    On,
    BlockAll,
}

/// What the firewall's list says of one program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum App {
    Permitted,
    Blocked,
    /// Not in the list: macOS decides when it first listens.
    NotListed,
}

/// Everything socketfilterfw's answers say, read; `None` where an answer is missing or not
/// understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MacState {
    pub global: Option<Global>,
    /// Block all incoming connections (also when the global state says so).
    pub block_all: Option<bool>,
    pub stealth: Option<bool>,
    /// The listening program's entry.
    pub app: Option<App>,
}

/// Reads every answer.
pub fn read(fw: &MacFirewall) -> MacState {
    let global = fw.global_state.as_deref().and_then(global_state);
    let block_all = match global {
        Some(Global::BlockAll) => Some(true),
        _ => fw.block_all.as_deref().and_then(block_all),
    };
    let listed = match (&fw.app, fw.listapps.as_deref().and_then(listapps)) {
        (Some((path, _)), Some(list)) => Some(lookup(&list, path)),
        _ => None,
    };
    let asked = fw.app.as_ref().and_then(|(path, text)| app(text, path));
    // The list has the last word where the two disagree on whether there is an entry at all.
    let app = match (asked, listed) {
        (Some(App::NotListed), _) => Some(App::NotListed),
        (Some(App::Permitted), Some(Listed::No)) => Some(App::NotListed),
        (Some(App::Permitted), Some(Listed::Yes(false)))
        | (Some(App::Blocked), Some(Listed::Yes(true)))
        | (_, Some(Listed::Unsure)) => None,
        (Some(answer), _) => Some(answer),
        (None, Some(Listed::Yes(allow))) => Some(if allow { App::Permitted } else { App::Blocked }),
        (None, Some(Listed::No)) => Some(App::NotListed),
        (None, None) => None,
    };
    MacState {
        global,
        block_all,
        stealth: fw.stealth.as_deref().and_then(stealth),
        app,
    }
}

/// The application firewall's verdict for `packet`; `rule` is socketfilterfw's deciding answer
/// as printed. `fw` is read for the packet's program (`fw.app` holds the path asked about).
pub fn decide(fw: &MacFirewall, packet: &Packet) -> Decision {
    cause(fw, packet).decision(fw)
}

/// The commands that would let `packet` in (lines joined by "\n"): turn off "Block all incoming
/// connections" where it is on, then unblock the program, adding it to the list first where it
/// is not there. `None` where nothing is in the way or what is cannot be told.
pub fn fix(fw: &MacFirewall, packet: &Packet) -> Option<String> {
    let state = read(fw);
    let path = fw.app.as_ref().map(|(p, _)| p.as_str()).or(packet.program);
    let unblock = |lines: &mut Vec<String>, app: Option<App>| {
        let Some(path) = path else { return };
        let path = shell_quote(path);
        match app {
            Some(App::Blocked) => lines.push(format!("sudo {SOCKETFILTERFW} --unblockapp {path}")),
            Some(App::NotListed) => {
                lines.push(format!("sudo {SOCKETFILTERFW} --add {path}"));
                lines.push(format!("sudo {SOCKETFILTERFW} --unblockapp {path}"));
            }
            Some(App::Permitted) | None => {}
        }
    };
    let mut lines = Vec::new();
    match cause(fw, packet) {
        Cause::BlockAll => {
            lines.push(format!("sudo {SOCKETFILTERFW} --setblockall off"));
            if packet.program.is_some() {
                unblock(&mut lines, state.app);
            }
        }
        Cause::App(app @ (App::Blocked | App::NotListed)) => unblock(&mut lines, Some(app)),
        _ => {}
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// What decided, for the verdict and for the fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cause {
    GlobalUnread,
    Off,
    BlockAll,
    BlockAllUnread,
    NoProgram,
    App(App),
    AppUnread,
}

fn cause(fw: &MacFirewall, packet: &Packet) -> Cause {
    let state = read(fw);
    match state.global {
        None => return Cause::GlobalUnread,
        Some(Global::Off) => return Cause::Off,
        Some(Global::On | Global::BlockAll) => {}
    }
    match state.block_all {
        Some(true) => return Cause::BlockAll,
        None => return Cause::BlockAllUnread,
        Some(false) => {}
    }
    if packet.program.is_none() {
        return Cause::NoProgram;
    }
    state.app.map_or(Cause::AppUnread, Cause::App)
}

impl Cause {
    fn decision(self, fw: &MacFirewall) -> Decision {
        let said = |answer: &Option<String>, flag: &str| match answer.as_deref().map(one_line) {
            Some(text) if !text.is_empty() => text,
            _ => format!("socketfilterfw {flag}: no answer"),
        };
        let app_said = || match &fw.app {
            Some((_, text)) if !one_line(text).is_empty() => one_line(text),
            _ => "socketfilterfw --getappblocked: no answer".to_string(),
        };
        match self {
            Cause::GlobalUnread => {
                Decision::unknown(said(&fw.global_state, "--getglobalstate"))
            }
            Cause::Off => Decision::new(
                Verdict::None,
                Some(said(&fw.global_state, "--getglobalstate")),
            ),
            Cause::BlockAll => {
                let rule = match fw.global_state.as_deref().and_then(global_state) {
                    Some(Global::BlockAll) => said(&fw.global_state, "--getglobalstate"),
                    _ => said(&fw.block_all, "--getblockall"),
                };
                Decision::new(Verdict::Drop, Some(rule))
            }
            Cause::BlockAllUnread => Decision::unknown(said(&fw.block_all, "--getblockall")),
            Cause::NoProgram => Decision::unknown(
                "the application firewall decides by program, and the listening program is not known",
            ),
            Cause::App(App::Blocked) => Decision::new(Verdict::Drop, Some(app_said())),
            Cause::App(App::Permitted) => Decision::new(Verdict::Accept, Some(app_said())),
            Cause::App(App::NotListed) => {
                let path = fw.app.as_ref().map_or("", |(p, _)| p.as_str());
                let name = path.rsplit('/').find(|s| !s.is_empty()).unwrap_or(path);
                Decision::unknown(format!(
                    "{name} is not in the application firewall's list: macOS asks when it first listens"
                ))
            }
            Cause::AppUnread => Decision::unknown(app_said()),
        }
    }
}

/// The answer on one line, its runs of white space made one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The lower-case words (letters only).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn has(words: &[String], any: &[&str]) -> bool {
    words.iter().any(|w| any.contains(&w.as_str()))
}

/// On or off, when the words say one and not the other (and nothing is negated).
fn on_off(words: &[String]) -> Option<bool> {
    if has(words, &["not", "unknown", "error"]) {
        return None;
    }
    match (
        has(words, &["enabled", "on"]),
        has(words, &["disabled", "off"]),
    ) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

/// `--getglobalstate`: "Firewall is enabled. (State = 1)", "Firewall is disabled. (State =
/// 0)", "Firewall is blocking all non-essential incoming connections. (State = 2)". The state
/// number and the words must agree where both are there.
pub fn global_state(text: &str) -> Option<Global> {
    let w = words(text);
    if !has(&w, &["firewall", "state"]) {
        return None;
    }
    let by_words = if has(&w, &["blocking"]) || (has(&w, &["block"]) && has(&w, &["all"])) {
        (!has(&w, &["disabled", "not"])).then_some(Global::BlockAll)
    } else {
        on_off(&w).map(|on| if on { Global::On } else { Global::Off })
    };
    let by_number = match state_number(text) {
        Number::Absent => None,
        Number::Bad => return None,
        Number::Is(0) => Some(Global::Off),
        Number::Is(1) => Some(Global::On),
        Number::Is(2) => Some(Global::BlockAll),
        Number::Is(_) => return None,
    };
    match (by_number, by_words) {
        (Some(n), None) => Some(n),
        (None, w) => w,
        (Some(n), Some(w)) if n == w => Some(n),
        // "enabled" with state 2: on, blocking all but essential services.
        (Some(Global::BlockAll), Some(Global::On)) => Some(Global::BlockAll),
        _ => None,
    }
}

enum Number {
    Absent,
    Bad,
    Is(u32),
}

/// The N of "(State = N)".
fn state_number(text: &str) -> Number {
    let lower = text.to_lowercase();
    let Some(at) = lower.find("state") else {
        return Number::Absent;
    };
    let rest = lower[at + "state".len()..].trim_start();
    let Some(value) = rest.strip_prefix('=') else {
        return Number::Absent;
    };
    let digits: String = value
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().map_or(Number::Bad, Number::Is)
}

/// `--getblockall`: "Block all ENABLED!" / "Block all DISABLED!", "Firewall has block all
/// state set to enabled." / "… disabled.", and the older "Firewall is set to block all
/// non-essential incoming connections" (on).
pub fn block_all(text: &str) -> Option<bool> {
    let w = words(text);
    if !has(&w, &["block", "blocking"]) {
        return None;
    }
    match on_off(&w) {
        Some(on) => Some(on),
        None if !has(&w, &["not", "enabled", "disabled", "on", "off"]) && has(&w, &["all"]) => {
            Some(true)
        }
        None => None,
    }
}

/// `--getstealthmode`: "Stealth mode enabled" / "… disabled", "Firewall stealth mode is on" /
/// "… off".
pub fn stealth(text: &str) -> Option<bool> {
    let w = words(text);
    if !has(&w, &["stealth"]) {
        return None;
    }
    on_off(&w)
}

/// `--getappblocked PATH`: "Incoming connection to PATH is permitted" / "… is blocked", "The
/// application PATH is permitted", "The application at path ( PATH ) is not blocked from
/// accepting incoming connections.", "The application is not part of the firewall". The path
/// is taken out first: a folder may be called "blocked".
pub fn app(text: &str, path: &str) -> Option<App> {
    let text = if path.is_empty() {
        text.to_string()
    } else {
        text.replace(path, " ")
    };
    let lower = one_line(&text).to_lowercase();
    if lower.contains("not part of the firewall") || lower.contains("not in the firewall") {
        return Some(App::NotListed);
    }
    let w = words(&text);
    if !has(
        &w,
        &[
            "application",
            "app",
            "incoming",
            "connection",
            "connections",
        ],
    ) {
        return None;
    }
    if lower.contains("is not blocked") {
        return Some(App::Permitted);
    }
    if has(&w, &["not"]) {
        return None;
    }
    match (
        has(&w, &["permitted", "allowed", "allow", "unblocked"]),
        has(&w, &["blocked", "blocking", "block"]),
    ) {
        (true, false) => Some(App::Permitted),
        (false, true) => Some(App::Blocked),
        _ => None,
    }
}

/// `--listapps`: "Total number of apps = N", then per application "K : PATH" and a line
/// "(Allow incoming connections)" or "(Block incoming connections)". `None` when the entries
/// do not add up to N or a line is not understood.
pub fn listapps(text: &str) -> Option<Vec<(String, bool)>> {
    let mut lines = text
        .lines()
        .map(|l| l.trim_matches(|c: char| c.is_whitespace()))
        .filter(|l| !l.is_empty());
    let header = lines.next()?;
    let (label, count) = header.split_once('=')?;
    if !label.to_lowercase().contains("number of apps") {
        return None;
    }
    let count: usize = count.trim().parse().ok()?;
    let mut apps = Vec::new();
    while let Some(line) = lines.next() {
        let (index, path) = line.split_once(':')?;
        index.trim().parse::<usize>().ok()?;
        let path = path.trim();
        let rule = words(lines.next()?);
        let allow = match (has(&rule, &["allow"]), has(&rule, &["block"])) {
            (true, false) => true,
            (false, true) => false,
            _ => return None,
        };
        if path.is_empty() {
            return None;
        }
        apps.push((path.to_string(), allow));
    }
    (apps.len() == count).then_some(apps)
}

/// Whether the list has an entry for `path`: itself, or the application bundle it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Listed {
    Yes(bool),
    No,
    /// Entries that disagree.
    Unsure,
}

fn lookup(list: &[(String, bool)], path: &str) -> Listed {
    let exact: Vec<bool> = list
        .iter()
        .filter(|(p, _)| p == path)
        .map(|(_, a)| *a)
        .collect();
    let found = if exact.is_empty() {
        list.iter()
            .filter(|(p, _)| {
                p.ends_with(".app")
                    && path
                        .strip_prefix(p.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
            })
            .map(|(_, a)| *a)
            .collect()
    } else {
        exact
    };
    match found.as_slice() {
        [] => Listed::No,
        [first, rest @ ..] if rest.iter().all(|a| a == first) => Listed::Yes(*first),
        _ => Listed::Unsure,
    }
}

/// A path for a POSIX shell: as it is when nothing in it is special, else in single quotes.
fn shell_quote(path: &str) -> String {
    let plain = !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+@%:,=".contains(c));
    if plain {
        path.to_string()
    } else {
        format!("'{}'", path.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Proto;

    const PYTHON: &str = "/opt/homebrew/Cellar/python@3.12/3.12.4/Frameworks/Python.framework/Versions/3.12/Resources/Python.app/Contents/MacOS/Python";
    const ON: &str = "Firewall is enabled. (State = 1)\n";
    const OFF: &str = "Firewall is disabled. (State = 0)\n";
    const BLOCK_ALL_OFF: &str = "Block all DISABLED! \n";
    const BLOCK_ALL_ON: &str = "Block all ENABLED! \n";
    const BLOCK_ALL_OFF_NEW: &str = "Firewall has block all state set to disabled.\n";
    const BLOCK_ALL_ON_NEW: &str = "Firewall has block all state set to enabled.\n";

    fn packet(program: Option<&str>) -> Packet<'_> {
        Packet {
            proto: Proto::Tcp,
            saddr: "192.168.1.23".parse().unwrap(),
            source_prefix: 128,
            daddr: "192.168.1.10".parse().unwrap(),
            dport: 5000,
            iifname: "en0",
            program,
        }
    }

    fn fw(global: &str, block_all: &str, app: Option<&str>) -> MacFirewall {
        MacFirewall {
            global_state: Some(global.to_string()),
            block_all: Some(block_all.to_string()),
            stealth: Some("Firewall stealth mode is off\n".to_string()),
            app: app.map(|a| (PYTHON.to_string(), a.to_string())),
            listapps: None,
        }
    }

    fn permitted() -> String {
        format!("Incoming connection to {PYTHON} is permitted \n")
    }

    fn blocked() -> String {
        format!("Incoming connection to {PYTHON} is blocked \n")
    }

    fn verdict(fw: &MacFirewall) -> (Verdict, String) {
        let d = decide(fw, &packet(Some(PYTHON)));
        (d.verdict, d.rule.unwrap_or_default())
    }

    #[test]
    fn the_global_state_in_every_wording() {
        for (text, expected) in [
            (ON, Some(Global::On)),
            (OFF, Some(Global::Off)),
            ("Firewall is enabled.", Some(Global::On)),
            ("Firewall is disabled.", Some(Global::Off)),
            ("Firewall is enabled. (State = 2)", Some(Global::BlockAll)),
            (
                "Firewall is blocking all non-essential incoming connections. (State = 2)",
                Some(Global::BlockAll),
            ),
            ("Firewall is disabled. (State = 1)", None),
            ("Firewall is enabled. (State = 0)", None),
            ("Firewall is enabled. (State = 3)", None),
            ("Firewall is enabled. (State = undefined)", None),
            ("(State = 1)", Some(Global::On)),
            ("", None),
            ("socketfilterfw: Permission denied", None),
            ("Firewall is enabled and disabled", None),
        ] {
            assert_eq!(global_state(text), expected, "{text:?}");
        }
    }

    #[test]
    fn block_all_in_every_wording() {
        for (text, expected) in [
            (BLOCK_ALL_OFF, Some(false)),
            (BLOCK_ALL_ON, Some(true)),
            (BLOCK_ALL_OFF_NEW, Some(false)),
            (BLOCK_ALL_ON_NEW, Some(true)),
            (
                "Firewall is set to block all non-essential incoming connections",
                Some(true),
            ),
            (
                "Firewall is blocking all non-essential incoming connections.",
                Some(true),
            ),
            ("Firewall is not blocking all connections", None),
            ("", None),
            ("enabled", None),
            ("Block all ENABLED! DISABLED!", None),
            ("Must be root to change settings.", None),
        ] {
            assert_eq!(block_all(text), expected, "{text:?}");
        }
    }

    #[test]
    fn stealth_mode_in_every_wording() {
        for (text, expected) in [
            ("Firewall stealth mode is on\n", Some(true)),
            ("Firewall stealth mode is off\n", Some(false)),
            ("Stealth mode enabled \n", Some(true)),
            ("Stealth mode disabled \n", Some(false)),
            ("Stealth mode", None),
            ("Firewall is enabled", None),
            ("", None),
        ] {
            assert_eq!(stealth(text), expected, "{text:?}");
        }
    }

    #[test]
    fn the_programs_entry_in_every_wording() {
        for (text, expected) in [
            (permitted(), Some(App::Permitted)),
            (blocked(), Some(App::Blocked)),
            (
                format!("The application {PYTHON} is permitted"),
                Some(App::Permitted),
            ),
            (
                format!("The application {PYTHON} is blocked"),
                Some(App::Blocked),
            ),
            (
                format!("The application at path ( {PYTHON} ) is not blocked from accepting incoming connections."),
                Some(App::Permitted),
            ),
            (
                format!("Application at path ( {PYTHON} ) is blocked from accepting incoming connections."),
                Some(App::Blocked),
            ),
            (
                "Incoming connection to the application is permitted".to_string(),
                Some(App::Permitted),
            ),
            (
                "The application is not part of the firewall \n".to_string(),
                Some(App::NotListed),
            ),
            (
                format!("The application at path ( {PYTHON} ) is not part of the firewall list"),
                Some(App::NotListed),
            ),
            ("Block incoming connections".to_string(), Some(App::Blocked)),
            ("".to_string(), None),
            ("Permission denied".to_string(), None),
            ("The application is permitted and blocked".to_string(), None),
        ] {
            assert_eq!(app(&text, PYTHON), expected, "{text:?}");
        }
        // A folder named "blocked" says nothing.
        let odd = "/Users/me/blocked/python3";
        assert_eq!(
            app(&format!("Incoming connection to {odd} is permitted"), odd),
            Some(App::Permitted)
        );
    }

    #[test]
    fn the_list_of_applications() {
        let text = format!(
            "Total number of apps = 3 \n\n1 :  /Applications/Spotify.app \n \t ( Allow incoming connections ) \n\n2 :  {PYTHON} \n \t ( Block incoming connections ) \n\n3 :  /usr/local/bin/node \n \t (Allow incoming connections)\n"
        );
        let list = listapps(&text).unwrap();
        assert_eq!(list.len(), 3);
        assert_eq!(list[1], (PYTHON.to_string(), false));
        assert_eq!(lookup(&list, PYTHON), Listed::Yes(false));
        assert_eq!(
            lookup(&list, "/Applications/Spotify.app/Contents/MacOS/Spotify"),
            Listed::Yes(true)
        );
        assert_eq!(lookup(&list, "/Applications/Spotify.apps/x"), Listed::No);
        assert_eq!(lookup(&list, "/usr/bin/python3"), Listed::No);
        assert_eq!(listapps("Total number of apps = 0 \n"), Some(Vec::new()));
        // Entries that do not add up, or lines that are not understood.
        for bad in [
            "",
            "Total number of apps = 2 \n1 : /a \n (Allow incoming connections)\n",
            "Total number of apps = 1 \n1 : /a \n (Sometimes incoming connections)\n",
            "Total number of apps = 1 \n1 : /a \n",
            "Total number of apps = x\n",
            "1 : /a \n (Allow incoming connections)\n",
            "Total number of apps = 1 \none : /a \n (Allow incoming connections)\n",
        ] {
            assert_eq!(listapps(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn off_means_no_firewall() {
        assert_eq!(
            verdict(&fw(OFF, BLOCK_ALL_ON, Some(&blocked()))),
            (
                Verdict::None,
                "Firewall is disabled. (State = 0)".to_string()
            )
        );
        assert_eq!(
            fix(
                &fw(OFF, BLOCK_ALL_ON, Some(&blocked())),
                &packet(Some(PYTHON))
            ),
            None
        );
    }

    #[test]
    fn block_all_drops_whatever_the_programs_entry() {
        for wording in [BLOCK_ALL_ON, BLOCK_ALL_ON_NEW] {
            let f = fw(ON, wording, Some(&permitted()));
            assert_eq!(verdict(&f), (Verdict::Drop, one_line(wording)));
            assert_eq!(
                fix(&f, &packet(Some(PYTHON))).unwrap(),
                format!("sudo {SOCKETFILTERFW} --setblockall off")
            );
        }
        // Global state 2 is block all too; stealth does not change the verdict.
        let mut f = fw("Firewall is enabled. (State = 2)", BLOCK_ALL_OFF, None);
        f.stealth = Some("Stealth mode enabled".to_string());
        assert_eq!(
            verdict(&f),
            (
                Verdict::Drop,
                "Firewall is enabled. (State = 2)".to_string()
            )
        );
        // Block all and a blocked program: both steps.
        let f = fw(ON, BLOCK_ALL_ON, Some(&blocked()));
        assert_eq!(
            fix(&f, &packet(Some(PYTHON))).unwrap(),
            format!(
                "sudo {SOCKETFILTERFW} --setblockall off\nsudo {SOCKETFILTERFW} --unblockapp {PYTHON}"
            )
        );
    }

    #[test]
    fn the_programs_entry_decides_otherwise() {
        for wording in [BLOCK_ALL_OFF, BLOCK_ALL_OFF_NEW] {
            assert_eq!(
                verdict(&fw(ON, wording, Some(&blocked()))),
                (Verdict::Drop, one_line(&blocked()))
            );
            assert_eq!(
                verdict(&fw(ON, wording, Some(&permitted()))),
                (Verdict::Accept, one_line(&permitted()))
            );
        }
        let f = fw(ON, BLOCK_ALL_OFF, Some(&blocked()));
        assert_eq!(
            fix(&f, &packet(Some(PYTHON))).unwrap(),
            format!("sudo {SOCKETFILTERFW} --unblockapp {PYTHON}")
        );
        assert_eq!(
            fix(
                &fw(ON, BLOCK_ALL_OFF, Some(&permitted())),
                &packet(Some(PYTHON))
            ),
            None
        );
    }

    #[test]
    fn a_program_not_in_the_list_is_unknown_and_the_fix_adds_it() {
        let f = fw(
            ON,
            BLOCK_ALL_OFF,
            Some("The application is not part of the firewall \n"),
        );
        assert_eq!(
            verdict(&f),
            (
                Verdict::Unknown,
                "Python is not in the application firewall's list: macOS asks when it first listens"
                    .to_string()
            )
        );
        assert_eq!(
            fix(&f, &packet(Some(PYTHON))).unwrap(),
            format!(
                "sudo {SOCKETFILTERFW} --add {PYTHON}\nsudo {SOCKETFILTERFW} --unblockapp {PYTHON}"
            )
        );
        // "permitted" for a program the list does not have is not an entry.
        let mut f = fw(ON, BLOCK_ALL_OFF, Some(&permitted()));
        f.listapps = Some(
            "Total number of apps = 1 \n\n1 :  /usr/sbin/cupsd \n \t (Allow incoming connections) \n"
                .to_string(),
        );
        assert_eq!(verdict(&f).0, Verdict::Unknown);
        // The list and the answer disagreeing on allow and block is not understood.
        f.listapps = Some(format!(
            "Total number of apps = 1 \n\n1 :  {PYTHON} \n \t (Block incoming connections) \n"
        ));
        assert_eq!(verdict(&f).0, Verdict::Unknown);
        // The list alone answers when the question could not be read.
        f.app = Some((PYTHON.to_string(), String::new()));
        assert_eq!(verdict(&f).0, Verdict::Drop);
    }

    #[test]
    fn whatever_was_not_read_is_unknown() {
        let nothing = MacFirewall::default();
        assert_eq!(verdict(&nothing).0, Verdict::Unknown);
        assert_eq!(
            verdict(&nothing).1,
            "socketfilterfw --getglobalstate: no answer"
        );
        // On, block all not read.
        let mut f = fw(ON, "", Some(&permitted()));
        f.block_all = None;
        assert_eq!(
            verdict(&f),
            (
                Verdict::Unknown,
                "socketfilterfw --getblockall: no answer".to_string()
            )
        );
        // The program not known, or not asked about.
        let f = fw(ON, BLOCK_ALL_OFF, Some(&permitted()));
        assert_eq!(decide(&f, &packet(None)).verdict, Verdict::Unknown);
        assert_eq!(verdict(&fw(ON, BLOCK_ALL_OFF, None)).0, Verdict::Unknown);
        assert_eq!(
            verdict(&fw(ON, BLOCK_ALL_OFF, Some("Must be root"))),
            (Verdict::Unknown, "Must be root".to_string())
        );
        assert_eq!(
            verdict(&fw("garbage", BLOCK_ALL_OFF, Some(&permitted()))),
            (Verdict::Unknown, "garbage".to_string())
        );
        assert_eq!(fix(&nothing, &packet(Some(PYTHON))), None);
    }

    #[test]
    fn paths_are_quoted_for_the_shell() {
        assert_eq!(
            shell_quote("/usr/local/bin/python3"),
            "/usr/local/bin/python3"
        );
        assert_eq!(
            shell_quote("/Users/me/My Apps/it's.app"),
            r"'/Users/me/My Apps/it'\''s.app'"
        );
        assert_eq!(shell_quote("/a/$(rm -rf)"), "'/a/$(rm -rf)'");
        assert_eq!(shell_quote(""), "''");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// Any answers: a verdict, no panic, and a fix only for a drop or a program not listed.
        #[test]
        fn any_answers_are_read(
            global in "\\PC{0,40}",
            block in "\\PC{0,40}",
            stealth in "\\PC{0,20}",
            asked in "\\PC{0,60}",
            path in "\\PC{0,20}",
            list in "\\PC{0,80}",
        ) {
            let f = MacFirewall {
                global_state: Some(global),
                block_all: Some(block),
                stealth: Some(stealth),
                app: Some((path.clone(), asked)),
                listapps: Some(list),
            };
            let d = decide(&f, &packet(Some(&path)));
            if fix(&f, &packet(Some(&path))).is_some() {
                proptest::prop_assert!(matches!(d.verdict, Verdict::Drop | Verdict::Unknown));
            }
            let _ = read(&f);
        }
    }
}
