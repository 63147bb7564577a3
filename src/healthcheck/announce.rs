//! The API commands the healthcheck writes for a state, word for word as ExaBGP's healthcheck
//! writes them, because the daemon (ours or ExaBGP's) parses exactly this text:
//! `neighbor * announce route 192.0.2.1/32 next-hop self med 100 [local-preference P]
//! [community [ .. ]] [extended-community [ .. ]] [large-community [ .. ]] [as-path [ .. ]]
//! [path-information N]`, or `... withdraw route 192.0.2.1/32 next-hop self [path-information N]`.

use super::fsm::State;
use super::options::{Neighbor, Options};

/// Does this state tell the daemon anything? RISING/FALLING wait, END leaves routes in place.
pub fn announces(state: State) -> bool {
    matches!(
        state,
        State::Up | State::Down | State::Disabled | State::Exit
    )
}

fn metric(options: &Options, state: State) -> i64 {
    match state {
        State::Up => options.up_metric,
        State::Down => options.down_metric,
        State::Disabled => options.disabled_metric,
        _ => 0,
    }
}

/// Empty text counts as absent, as in ExaBGP.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|s| !s.is_empty())
}

fn as_path(options: &Options, state: State) -> Option<&str> {
    let specific = match state {
        State::Up => &options.up_as_path,
        State::Down => &options.down_as_path,
        State::Disabled => &options.disabled_as_path,
        _ => &None,
    };
    // A per-state path that is set but empty hides the general one, as in ExaBGP.
    match specific {
        Some(path) => Some(path.as_str()).filter(|s| !s.is_empty()),
        None => given(&options.as_path),
    }
}

fn community(options: &Options, state: State) -> Option<&str> {
    let down = matches!(state, State::Down | State::Disabled);
    match given(&options.disabled_community) {
        Some(disabled) if down => Some(disabled),
        _ => given(&options.community),
    }
}

/// `neighbor *`, or `neighbor A, neighbor B` when only addresses were selected.
pub fn selector(neighbors: &[Neighbor]) -> String {
    let addresses: Option<Vec<String>> = neighbors
        .iter()
        .map(|n| match n {
            Neighbor::All => None,
            Neighbor::Address(ip) => Some(format!("neighbor {ip}")),
        })
        .collect();
    match addresses {
        Some(list) if !list.is_empty() => list.join(", "),
        _ => "neighbor *".to_string(),
    }
}

/// One command per announced address, in `--ip` order, the metric growing by `--increase` for
/// each further address.
pub fn commands(options: &Options, state: State) -> Vec<String> {
    if !announces(state) {
        return Vec::new();
    }
    let prefix = selector(&options.neighbors);
    let withdraw = state == State::Exit || (options.withdraw_on_down && state != State::Up);
    let action = if withdraw { "withdraw" } else { "announce" };
    let next_hop = options
        .next_hop
        .map_or_else(|| "self".to_string(), |ip| ip.to_string());
    let mut metric = metric(options, state);
    let mut out = Vec::with_capacity(options.ips.len());
    for ip in &options.ips {
        let mut line = format!("{prefix} {action} route {ip} next-hop {next_hop}");
        if !withdraw {
            line.push_str(&format!(" med {metric}"));
            if options.local_preference >= 0 {
                line.push_str(&format!(" local-preference {}", options.local_preference));
            }
            if let Some(community) = community(options, state) {
                line.push_str(&format!(" community [ {community} ]"));
            }
            if let Some(extended) = given(&options.extended_community) {
                line.push_str(&format!(" extended-community [ {extended} ]"));
            }
            if let Some(large) = given(&options.large_community) {
                line.push_str(&format!(" large-community [ {large} ]"));
            }
            if let Some(path) = as_path(options, state) {
                line.push_str(&format!(" as-path [ {path} ]"));
            }
        }
        if let Some(id) = options.path_id.filter(|id| *id != 0) {
            line.push_str(&format!(" path-information {id}"));
        }
        metric = metric.saturating_add(options.increase);
        out.push(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(ips: &[&str]) -> Options {
        Options {
            ips: ips.iter().map(|ip| ip.parse().unwrap()).collect(),
            ..Options::default()
        }
    }

    #[test]
    fn up_and_down_announce_with_their_metric() {
        let o = options(&["192.0.2.1/32", "192.0.2.2/32"]);
        assert_eq!(
            commands(&o, State::Up),
            [
                "neighbor * announce route 192.0.2.1/32 next-hop self med 100",
                "neighbor * announce route 192.0.2.2/32 next-hop self med 101",
            ]
        );
        assert_eq!(
            commands(&o, State::Down),
            [
                "neighbor * announce route 192.0.2.1/32 next-hop self med 1000",
                "neighbor * announce route 192.0.2.2/32 next-hop self med 1001",
            ]
        );
        assert_eq!(
            commands(&o, State::Disabled).first().map(String::as_str),
            Some("neighbor * announce route 192.0.2.1/32 next-hop self med 500")
        );
    }

    #[test]
    fn counting_states_and_end_say_nothing() {
        let o = options(&["192.0.2.1/32"]);
        for state in [State::Init, State::Rising, State::Falling, State::End] {
            assert!(commands(&o, state).is_empty(), "{state}");
        }
    }

    #[test]
    fn withdraw_on_down_and_exit() {
        let mut o = options(&["2001:db8::1/128"]);
        o.withdraw_on_down = true;
        o.path_id = Some(7);
        assert_eq!(
            commands(&o, State::Down),
            ["neighbor * withdraw route 2001:db8::1/128 next-hop self path-information 7"]
        );
        assert_eq!(
            commands(&o, State::Up),
            ["neighbor * announce route 2001:db8::1/128 next-hop self med 100 path-information 7"]
        );
        o.withdraw_on_down = false;
        assert_eq!(
            commands(&o, State::Exit),
            ["neighbor * withdraw route 2001:db8::1/128 next-hop self path-information 7"]
        );
    }

    #[test]
    fn attributes_in_exabgp_order() {
        let mut o = options(&["192.0.2.1/32"]);
        o.next_hop = Some("192.0.2.254".parse().unwrap());
        o.local_preference = 200;
        o.community = Some("65000:1".into());
        o.disabled_community = Some("65000:666".into());
        o.extended_community = Some("target:65000:1".into());
        o.large_community = Some("65000:1:1".into());
        o.as_path = Some("65000 65001".into());
        o.down_as_path = Some("65000 65000 65000".into());
        o.neighbors = vec![
            Neighbor::Address("127.0.0.2".parse().unwrap()),
            Neighbor::Address("::1".parse().unwrap()),
        ];
        assert_eq!(
            commands(&o, State::Up),
            ["neighbor 127.0.0.2, neighbor ::1 announce route 192.0.2.1/32 next-hop 192.0.2.254 \
              med 100 local-preference 200 community [ 65000:1 ] extended-community \
              [ target:65000:1 ] large-community [ 65000:1:1 ] as-path [ 65000 65001 ]"]
        );
        assert_eq!(
            commands(&o, State::Down),
            ["neighbor 127.0.0.2, neighbor ::1 announce route 192.0.2.1/32 next-hop 192.0.2.254 \
              med 1000 local-preference 200 community [ 65000:666 ] extended-community \
              [ target:65000:1 ] large-community [ 65000:1:1 ] as-path [ 65000 65000 65000 ]"]
        );
    }

    #[test]
    fn a_star_anywhere_selects_every_neighbor() {
        let list = [
            Neighbor::Address("127.0.0.2".parse().unwrap()),
            Neighbor::All,
        ];
        assert_eq!(selector(&list), "neighbor *");
        assert_eq!(selector(&[]), "neighbor *");
    }
}

#[cfg(test)]
mod daemon_parses_them {
    use super::*;
    use crate::api::command::{parse, Command};

    /// Every command shape the healthcheck writes is one the daemon's API accepts.
    #[test]
    fn every_state_parses() {
        let mut o = Options {
            ips: vec![
                "192.0.2.1/32".parse().unwrap(),
                "2001:db8::/64".parse().unwrap(),
            ],
            local_preference: 50,
            community: Some("65000:1 65000:2".into()),
            extended_community: Some("target:65000:1".into()),
            large_community: Some("65000:1:1".into()),
            as_path: Some("65000 65001".into()),
            path_id: Some(3),
            ..Options::default()
        };
        for withdraw_on_down in [false, true] {
            o.withdraw_on_down = withdraw_on_down;
            for state in [State::Up, State::Down, State::Disabled, State::Exit] {
                for line in commands(&o, state) {
                    match parse(&line) {
                        Ok(Some(Command::Announce { routes, .. }))
                        | Ok(Some(Command::Withdraw { routes, .. })) => {
                            assert_eq!(routes.len(), 1, "{line}")
                        }
                        other => panic!("{line}: {other:?}"),
                    }
                }
            }
        }
        o.neighbors = vec![Neighbor::Address("127.0.0.2".parse().unwrap())];
        let line = commands(&o, State::Up).remove(0);
        assert!(
            matches!(parse(&line), Ok(Some(Command::Announce { .. }))),
            "{line}"
        );
    }
}
