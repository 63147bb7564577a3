//! The expectation state shared by every connection (suite README §4.3-4.4): which group
//! is current, which rules are left, and which UPDATEs were seen (for route-refresh).

use std::collections::VecDeque;

use crate::msgfile::{Group, Rule};
use crate::wire;

/// What the connection must do after a message was checked, in this order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Send this signal (upper-case name, e.g. `SIGUSR1`) to the daemon.
    Signal(String),
    Send(Vec<u8>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Accepted; the text says why, for the log.
    Accepted(String),
    /// Accepted and nothing is left to expect.
    Success(String),
    Failure(String),
}

#[derive(Debug)]
pub struct Checker {
    pending: VecDeque<Group>,
    current: Option<Group>,
    seen_updates: Vec<Vec<u8>>,
}

impl Checker {
    pub fn new(groups: Vec<Group>) -> Self {
        Checker {
            pending: groups.into(),
            current: None,
            seen_updates: Vec::new(),
        }
    }

    pub fn done(&self) -> bool {
        self.current_is_empty() && self.pending.is_empty()
    }

    fn current_is_empty(&self) -> bool {
        self.current.as_ref().is_none_or(|g| g.rules.is_empty())
    }

    fn load_next_if_empty(&mut self) {
        if self.current_is_empty() {
            if let Some(next) = self.pending.pop_front() {
                self.current = Some(next);
            }
        }
    }

    /// A new connection loads the next group if the current one is used up; otherwise it
    /// returns a note that rules from the previous session are still expected (harmless).
    pub fn on_connect(&mut self) -> Option<String> {
        if self.current_is_empty() {
            self.load_next_if_empty();
            None
        } else {
            Some(format!(
                "some messages are from previous session: {}",
                self.describe_current()
            ))
        }
    }

    pub fn describe_current(&self) -> String {
        match &self.current {
            Some(g) if !g.rules.is_empty() => {
                let rules: Vec<String> = g.rules.iter().map(Rule::to_string).collect();
                format!("group {}: [{}]", g.label(), rules.join(", "))
            }
            _ => "no rule left".to_string(),
        }
    }

    /// Checks one message (README §4.3 steps 2-5; the caller has already sent the
    /// KEEPALIVE of step 1). Actions are returned even on success, so that a final
    /// NOTIFICATION or replay still goes out.
    pub fn check(&mut self, msg: &[u8]) -> (Verdict, Vec<Action>) {
        if wire::kind(msg) == Some(wire::TYPE_KEEPALIVE) {
            return (self.success_or("keepalive"), Vec::new());
        }
        if self.done() {
            if wire::is_eor(msg) {
                return (
                    Verdict::Success("end-of-rib after the last rule".into()),
                    Vec::new(),
                );
            }
            return (
                Verdict::Failure("received extra message".into()),
                Vec::new(),
            );
        }
        // A group fully used up by actions leaves `current` empty until the next match;
        // load here so that a message for the next group is not refused.
        self.load_next_if_empty();
        let hex = wire::to_hex(msg);
        let without_marker = hex.get(32..).unwrap_or("");
        let Some(group) = self.current.as_mut() else {
            return (
                Verdict::Failure("received extra message".into()),
                Vec::new(),
            );
        };
        let label = group.label();
        let position = group.rules.iter().position(|rule| match rule {
            Rule::Raw(expected) if expected.starts_with(&"F".repeat(32)) => *expected == hex,
            Rule::Raw(expected) => expected == without_marker,
            _ => false,
        });
        let Some(position) = position else {
            return (
                Verdict::Failure(format!(
                    "unexpected message; still possible: {}",
                    self.describe_current()
                )),
                Vec::new(),
            );
        };
        group.rules.remove(position);
        if wire::kind(msg) == Some(wire::TYPE_UPDATE) && !wire::is_eor(msg) {
            self.seen_updates.push(msg.to_vec());
        }
        let actions = self.actions(msg);
        (
            self.success_or(&format!("matched a rule of group {label}")),
            actions,
        )
    }

    fn success_or(&self, why: &str) -> Verdict {
        if self.done() {
            Verdict::Success(format!("{why}, no rule left"))
        } else {
            Verdict::Accepted(why.to_string())
        }
    }

    /// README §4.4: after a match (and once at OPEN time), carry out a leading `signal`
    /// then a leading `notification` rule, then replay UPDATEs for a ROUTE-REFRESH.
    pub fn actions(&mut self, msg: &[u8]) -> Vec<Action> {
        let mut out = Vec::new();
        self.load_next_if_empty();
        if let Some(Rule::Signal(name)) = self.first_rule() {
            let name = name.to_ascii_uppercase();
            self.drop_first_rule();
            self.load_next_if_empty();
            out.push(Action::Signal(name));
        }
        self.load_next_if_empty();
        if let Some(Rule::Notification(text)) = self.first_rule() {
            let cease = wire::cease(text);
            self.drop_first_rule();
            self.load_next_if_empty();
            out.push(Action::Send(cease));
        }
        if wire::kind(msg) == Some(wire::TYPE_ROUTE_REFRESH) {
            out.extend(self.seen_updates.iter().cloned().map(Action::Send));
            out.push(Action::Send(wire::keepalive()));
        }
        out
    }

    fn first_rule(&self) -> Option<&Rule> {
        self.current.as_ref().and_then(|g| g.rules.first())
    }

    fn drop_first_rule(&mut self) {
        if let Some(g) = self.current.as_mut() {
            if !g.rules.is_empty() {
                g.rules.remove(0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::msgfile::parse;

    fn unhex(s: &str) -> Vec<u8> {
        let s: String = s.chars().filter(|c| c.is_ascii_hexdigit()).collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn checker(text: &str) -> Checker {
        let mut c = Checker::new(parse(text).unwrap().groups);
        assert_eq!(c.on_connect(), None);
        c
    }

    const EOR: &str = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF 0017 02 00000000";
    const ROUTE: &str = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF 002F 02 00000015400101004002004003040101010140050400000064100101";

    #[test]
    fn any_order_within_a_group_then_success() {
        let mut c = checker(&format!("1:raw:{ROUTE}\n1:raw:{EOR}\n"));
        let (v, _) = c.check(&unhex(EOR));
        assert!(matches!(v, Verdict::Accepted(_)), "{v:?}");
        let (v, _) = c.check(&unhex(ROUTE));
        assert!(matches!(v, Verdict::Success(_)), "{v:?}");
    }

    #[test]
    fn groups_are_consumed_in_order() {
        let mut c = checker(&format!("1:raw:{EOR}\n2:raw:{ROUTE}\n"));
        let (v, _) = c.check(&unhex(ROUTE));
        assert!(
            matches!(v, Verdict::Failure(ref m) if m.contains("unexpected")),
            "{v:?}"
        );
    }

    #[test]
    fn rule_without_marker_matches_from_the_length_field() {
        let mut c = checker("1:raw:0017:02:00000000\n");
        let (v, _) = c.check(&unhex(EOR));
        assert!(matches!(v, Verdict::Success(_)), "{v:?}");
    }

    #[test]
    fn keepalives_never_need_a_rule_and_eor_is_accepted_after_the_end() {
        let mut c = checker(&format!("1:raw:{ROUTE}\n"));
        let (v, _) = c.check(&wire::keepalive());
        assert!(matches!(v, Verdict::Accepted(_)), "{v:?}");
        assert!(matches!(c.check(&unhex(ROUTE)).0, Verdict::Success(_)));
        assert!(matches!(c.check(&unhex(EOR)).0, Verdict::Success(_)));
        let (v, _) = c.check(&unhex(ROUTE));
        assert_eq!(v, Verdict::Failure("received extra message".into()));
    }

    #[test]
    fn signal_then_notification_actions() {
        let mut c = checker(&format!(
            "1:raw:{EOR}\n2:signal:SIGUSR1\n3:notification:Bye now\n4:raw:{ROUTE}\n"
        ));
        let (v, actions) = c.check(&unhex(EOR));
        assert!(matches!(v, Verdict::Accepted(_)), "{v:?}");
        assert_eq!(
            actions,
            vec![
                Action::Signal("SIGUSR1".into()),
                Action::Send(wire::cease("bye now"))
            ]
        );
        assert!(matches!(c.check(&unhex(ROUTE)).0, Verdict::Success(_)));
    }

    #[test]
    fn notification_at_open_time_then_keepalive_succeeds() {
        let mut c = checker("A1:notification:closing session because we can\n");
        let actions = c.actions(&[0xff; 19]);
        assert_eq!(
            actions,
            vec![Action::Send(wire::cease("closing session because we can"))]
        );
        assert!(c.done());
        assert!(matches!(c.check(&wire::keepalive()).0, Verdict::Success(_)));
    }

    #[test]
    fn route_refresh_replays_seen_updates_then_keepalive() {
        let refresh = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF 0017 05 00010001";
        let mut c = checker(&format!(
            "1:raw:{ROUTE}\n1:raw:{EOR}\n2:raw:{refresh}\n3:raw:{ROUTE}\n"
        ));
        c.check(&unhex(ROUTE));
        c.check(&unhex(EOR));
        let (v, actions) = c.check(&unhex(refresh));
        assert!(matches!(v, Verdict::Accepted(_)), "{v:?}");
        assert_eq!(
            actions,
            vec![Action::Send(unhex(ROUTE)), Action::Send(wire::keepalive())],
            "EOR is not replayed"
        );
    }

    #[test]
    fn second_connection_reports_leftover_rules() {
        let mut c = checker(&format!("A1:raw:{ROUTE}\nB1:raw:{ROUTE}\n"));
        assert!(c.on_connect().unwrap().contains("previous session"));
        assert!(matches!(c.check(&unhex(ROUTE)).0, Verdict::Accepted(_)));
        // The match already loaded group B1, so the next connection sees it pending.
        assert!(c.on_connect().unwrap().contains("B1"));
        assert!(matches!(c.check(&unhex(ROUTE)).0, Verdict::Success(_)));
    }
}
