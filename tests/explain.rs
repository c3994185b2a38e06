//! `explain`, `completions` and `man` as a user runs them.

mod common;

use std::process::Command;

use common::{bindscope, has_hangul};

const TOPICS: [&str; 10] = [
    "flask",
    "0.0.0.0",
    "loopback-vs-lan",
    "ports",
    "debugging",
    "ipv6",
    "firewall",
    "wsl",
    "docker",
    "macos",
];

#[test]
fn the_list_names_every_topic_and_piped_it_is_one_name_a_line() {
    let run = bindscope(&["explain"]);
    run.code(0);
    assert_eq!(run.stdout.lines().collect::<Vec<_>>(), TOPICS);
    let v = bindscope(&["learn", "--json"]).json();
    assert_eq!(v["command"], "explain");
    let topics = v["topics"].as_array().unwrap();
    assert_eq!(topics.len(), TOPICS.len());
    for (t, name) in topics.iter().zip(TOPICS) {
        assert_eq!(t["name"], name);
        assert!(!t["summary"].as_str().unwrap().is_empty(), "{t}");
    }
    let ko = bindscope(&["--lang", "ko", "explain", "--json"]).json();
    assert!(has_hangul(ko["topics"][0]["summary"].as_str().unwrap()));
}

#[test]
fn every_page_opens_by_name_or_alias_in_both_languages() {
    for name in TOPICS
        .iter()
        .chain(&["bind-all", "PORTS", "localhost", "wsl2", "airplay"])
    {
        for lang in ["en", "ko"] {
            let run = bindscope(&["--lang", lang, "explain", name]);
            run.code(0);
            assert_eq!(has_hangul(&run.stdout), lang == "ko", "{}", run.context());
            assert!(!run.stdout.contains("{{"), "{}", run.context());
            assert!(!run.stdout.contains('\u{1b}'), "{}", run.context());
        }
    }
}

#[test]
fn json_carries_the_page_and_the_values_read_here() {
    let run = bindscope(&["explain", "loopback-vs-lan", "--json"]);
    let v = run.code(0).json();
    assert_eq!(v["topic"], "loopback-vs-lan");
    assert_eq!(v["lang"], "en");
    let markdown = v["markdown"].as_str().unwrap();
    assert!(markdown.starts_with("# "), "{markdown}");
    assert!(!markdown.contains("{{"), "{markdown}");
    assert!(
        markdown.contains("| Security risk"),
        "the table stays Markdown"
    );
    // The LAN IP is this machine's primary address: the one the overview names.
    let overview = bindscope(&["--json"]).json();
    assert_eq!(v["values"]["lan_ip"], overview["primary"]["ip"]);
}

#[test]
fn an_unknown_topic_lists_the_topics_and_an_unknown_language_is_refused() {
    let run = bindscope(&["explain", "nosuchtopic"]);
    run.code(2);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.context());
    for topic in TOPICS {
        assert!(lines[0].contains(topic), "{}", run.context());
    }
    let run = bindscope(&["--lang", "ko", "explain", "nosuchtopic"]);
    run.code(2);
    assert!(has_hangul(&run.stderr), "{}", run.context());
    for args in [
        &["--lang", "xx", "explain"][..],
        &["explain", "ports", "--lang", "klingon"],
    ] {
        let run = bindscope(args);
        run.code(2);
        assert!(
            run.stderr.contains("en") && run.stderr.contains("ko"),
            "{}",
            run.context()
        );
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.context());
    }
}

#[test]
fn verdicts_end_with_the_page_to_read_next() {
    let run = bindscope(&["expose", "127.0.0.1"]);
    let last = run.code(0).stdout.lines().last().unwrap().to_string();
    assert_eq!(last, "Read more: bindscope explain loopback-vs-lan");
    let v = bindscope(&["expose", "127.0.0.1", "--json"]).json();
    assert_eq!(v["explain"][0], "loopback-vs-lan");
    // Each page a verdict names opens.
    let v = bindscope(&["port", "1", "--json"]).json();
    for topic in v["explain"].as_array().unwrap() {
        bindscope(&["explain", topic.as_str().unwrap()]).code(0);
    }
}

#[test]
fn completions_for_every_shell_offer_the_commands_and_topics() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = bindscope(&["completions", shell]);
        run.code(0);
        for word in ["explain", "listeners", "loopback-vs-lan"] {
            assert!(run.stdout.contains(word), "{shell} lacks {word}");
        }
    }
    bindscope(&["completions", "tcsh"]).code(2);
    // bash loads the script and registers the completion.
    let script = bindscope(&["completions", "bash"]).stdout;
    let out = Command::new("bash")
        .args(["-c", &format!("{script}\ncomplete -p bindscope")])
        .output()
        .expect("bash runs");
    let registered = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && registered.contains("bindscope"),
        "{registered}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_man_page_documents_every_command() {
    let run = bindscope(&["man"]);
    run.code(0);
    assert!(
        run.stdout.contains("\n.TH bindscope 1 "),
        "{}",
        run.context()
    );
    for command in [
        "interfaces",
        "expose",
        "listeners",
        "port",
        "probe",
        "serve",
        "lab",
        "free",
        "explain",
        "urls",
        "completions",
    ] {
        let entry = format!("bindscope\\-{command}(1)");
        assert!(run.stdout.contains(&entry), "the man page lacks {entry}");
    }
    // man itself reads it, where man is installed.
    if Command::new("man").arg("--version").output().is_ok() {
        let file = std::env::temp_dir().join(format!("bindscope-{}.1", std::process::id()));
        std::fs::write(&file, &run.stdout).unwrap();
        let out = Command::new("man")
            .arg(&file)
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "80")
            .output()
            .unwrap();
        let _ = std::fs::remove_file(&file);
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("bindscope"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
