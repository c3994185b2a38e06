//! The concept pages of `explain`, and which one a verdict points at. The pages themselves
//! are Markdown in `docs/en` and `docs/ko`, compiled in by `i18n::pages`.

use serde::Serialize;

use super::vocab::BindKind;
use super::vocab::{InferredBind, Status};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Topic {
    Flask,
    BindAll,
    LoopbackVsLan,
    Ports,
    Debugging,
    Ipv6,
    Firewall,
    Wsl,
    Docker,
    Macos,
}

impl Topic {
    /// In the order of the list: the seeds' topics first, then the ones beyond them.
    pub const ALL: [Topic; 10] = [
        Topic::Flask,
        Topic::BindAll,
        Topic::LoopbackVsLan,
        Topic::Ports,
        Topic::Debugging,
        Topic::Ipv6,
        Topic::Firewall,
        Topic::Wsl,
        Topic::Docker,
        Topic::Macos,
    ];

    /// The name `bindscope explain NAME` takes and `--json` prints.
    pub fn name(self) -> &'static str {
        match self {
            Topic::Flask => "flask",
            Topic::BindAll => "0.0.0.0",
            Topic::LoopbackVsLan => "loopback-vs-lan",
            Topic::Ports => "ports",
            Topic::Debugging => "debugging",
            Topic::Ipv6 => "ipv6",
            Topic::Firewall => "firewall",
            Topic::Wsl => "wsl",
            Topic::Docker => "docker",
            Topic::Macos => "macos",
        }
    }

    /// Other names that find the page.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Topic::Flask => &["werkzeug"],
            Topic::BindAll => &["bind-all", "all", "wildcard"],
            Topic::LoopbackVsLan => &["loopback", "localhost", "127.0.0.1", "lan", "lan-ip"],
            Topic::Ports => &["port", "conflict"],
            Topic::Debugging => &["debug", "debugger", "reloader"],
            Topic::Ipv6 => &["::", "::1", "dual-stack", "v6"],
            Topic::Firewall => &["ufw", "timeout"],
            Topic::Wsl => &["wsl2"],
            Topic::Docker => &["container", "containers", "podman"],
            Topic::Macos => &["mac", "airplay"],
        }
    }

    /// The topic a name or alias stands for, in any letter case.
    pub fn find(name: &str) -> Option<Topic> {
        let name = name.trim().to_ascii_lowercase();
        Topic::ALL
            .into_iter()
            .find(|t| t.name() == name || t.aliases().contains(&name.as_str()))
    }

    /// The topic whose name or alias is a slip of the keyboard away from `name` (`flsk`), for
    /// "did you mean".
    pub fn closest(name: &str) -> Option<Topic> {
        let name = name.trim().to_ascii_lowercase();
        Topic::ALL
            .into_iter()
            .flat_map(|t| {
                std::iter::once(t.name())
                    .chain(t.aliases().iter().copied())
                    .map(move |n| (t, n))
            })
            .map(|(t, n)| (strsim::levenshtein(&name, n), t))
            .filter(|&(d, _)| d <= 2 && d < name.chars().count())
            .min_by_key(|&(d, _)| d)
            .map(|(_, t)| t)
    }

    /// Every name `explain` accepts, for the error that lists them.
    pub fn names() -> String {
        Topic::ALL.map(Topic::name).join(", ")
    }

    /// The page that explains a bind of this kind.
    pub fn for_bind(kind: BindKind, ipv6_wildcard: bool) -> Topic {
        match kind {
            BindKind::All if ipv6_wildcard => Topic::Ipv6,
            BindKind::All | BindKind::Public => Topic::BindAll,
            BindKind::LinkLocal => Topic::Ipv6,
            BindKind::Virtual => Topic::Docker,
            BindKind::Loopback | BindKind::Lan | BindKind::NotLocal => Topic::LoopbackVsLan,
        }
    }

    /// The page that explains what a local probe found.
    pub fn for_inferred(bind: InferredBind) -> Topic {
        match bind {
            InferredBind::Loopback => Topic::LoopbackVsLan,
            InferredBind::All | InferredBind::Specific => Topic::Firewall,
            InferredBind::None => Topic::Ports,
        }
    }

    /// The page that explains the worst status of a probe from another device.
    pub fn for_status(status: Status) -> Topic {
        match status {
            Status::Open => Topic::BindAll,
            Status::Refused | Status::Unresolved | Status::Error => Topic::LoopbackVsLan,
            Status::Timeout | Status::Unreachable => Topic::Firewall,
        }
    }
}

impl Serialize for Topic {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_aliases_find_one_topic_each() {
        let mut seen = std::collections::HashSet::new();
        for topic in Topic::ALL {
            for name in std::iter::once(topic.name()).chain(topic.aliases().iter().copied()) {
                assert!(seen.insert(name), "{name} names two topics");
                assert_eq!(Topic::find(name), Some(topic), "{name}");
                assert_eq!(Topic::find(&name.to_uppercase()), Some(topic), "{name}");
                assert_eq!(
                    name,
                    name.trim().to_ascii_lowercase(),
                    "{name} is lower case"
                );
            }
        }
        assert_eq!(Topic::find("nonsense"), None);
        assert_eq!(Topic::find(""), None);
    }
}
