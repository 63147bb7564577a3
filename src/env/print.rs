//! `ferrobgp env` output, line for line as `exabgp env` prints it: INI form with sorted
//! sections and keys (each header preceded by a blank line), or `--env` form in table order.

use super::{Settings, TABLE};

/// The visible settings, with whether each differs from the default.
fn visible(
    settings: &Settings,
    diff: bool,
) -> impl Iterator<Item = (&'static super::Setting, String)> + '_ {
    let defaults = Settings::default();
    TABLE
        .iter()
        .filter(|e| !e.hidden())
        .filter_map(move |entry| {
            let shown = entry.show(settings);
            if diff && shown == entry.show(&defaults) {
                None
            } else {
                Some((entry, shown))
            }
        })
}

/// INI form: `[exabgp.section]` blocks, sorted, keys sorted; `diff` keeps non-defaults only.
pub fn ini_lines(settings: &Settings, diff: bool) -> Vec<String> {
    let mut rows: Vec<(&str, &str, String)> = visible(settings, diff)
        .map(|(entry, shown)| (entry.section, entry.key, shown))
        .collect();
    rows.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let mut lines = Vec::new();
    let mut current = "";
    for (section, key, shown) in rows {
        if section != current {
            lines.push(String::new());
            lines.push(format!("[exabgp.{section}]"));
            current = section;
        }
        lines.push(format!("{key} = {shown}"));
    }
    lines
}

/// Environment form: `exabgp.section.key=value`, in table order.
pub fn env_lines(settings: &Settings, diff: bool) -> Vec<String> {
    visible(settings, diff)
        .map(|(entry, shown)| format!("{}={shown}", entry.dotted()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(pairs: &[(&str, &str)]) -> Settings {
        let env: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_sources(&env, None).unwrap_or_default()
    }

    #[test]
    fn ini_form_is_sorted_with_blank_line_headers() {
        let lines = ini_lines(&Settings::default(), false);
        assert_eq!(lines.first().map(String::as_str), Some(""));
        assert_eq!(lines.get(1).map(String::as_str), Some("[exabgp.api]"));
        assert_eq!(lines.get(2).map(String::as_str), Some("ack = true"));
        assert!(lines.contains(&"show-routes-format = v1".to_string()));
        assert!(lines.contains(&"umask = '0o137'".to_string()));
        assert!(lines.contains(&"speed = 1.0".to_string()));
        assert!(lines.contains(&"acl = false".to_string()));
        assert_eq!(lines.last().map(String::as_str), Some("port = 179"));
        assert!(!lines
            .iter()
            .any(|l| l.contains("debug") || l.contains("rotate")));
        // 45 keys + 9 headers + 9 blank lines.
        assert_eq!(lines.len(), 45 + 18);
    }

    #[test]
    fn env_form_keeps_table_order() {
        let lines = env_lines(&Settings::default(), false);
        assert_eq!(
            lines.first().map(String::as_str),
            Some("exabgp.profile.enable=false")
        );
        assert_eq!(
            lines.get(3).map(String::as_str),
            Some("exabgp.daemon.pid=''")
        );
        assert_eq!(
            lines.last().map(String::as_str),
            Some("exabgp.reactor.speed=1.0")
        );
        assert_eq!(lines.len(), 45);
    }

    #[test]
    fn diff_shows_only_changes() {
        assert!(ini_lines(&Settings::default(), true).is_empty());
        let s = from(&[
            ("exabgp_tcp_bind", "127.0.0.1 ::1"),
            ("exabgp_daemon_umask", "022"),
            ("exabgp_daemon_pid", "/tmp/x"),
        ]);
        assert_eq!(
            ini_lines(&s, true),
            vec![
                "",
                "[exabgp.daemon]",
                "pid = '/tmp/x'",
                "umask = '0o22'",
                "",
                "[exabgp.tcp]",
                "bind = '127.0.0.1 ::1'"
            ]
        );
        assert_eq!(
            env_lines(&s, true),
            vec![
                "exabgp.daemon.pid='/tmp/x'",
                "exabgp.daemon.umask='0o22'",
                "exabgp.tcp.bind='127.0.0.1 ::1'"
            ]
        );
    }
}
