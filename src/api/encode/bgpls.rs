//! BGP-LS NLRI (RFC 9552) as ExaBGP 5.0 shows them. Node and prefix NLRI carry the route's
//! next hop inside the object (`"None"` for a withdrawal), as ExaBGP prints them.

use std::fmt::Write;
use std::net::IpAddr;

use crate::bgp::nlri::bgpls::{BgpLs, Kind, NodeDescriptor};

fn descriptor(out: &mut String, d: &NodeDescriptor) {
    let _ = match d {
        NodeDescriptor::As(n) => write!(out, "{{ \"autonomous-system\": {n} }}"),
        NodeDescriptor::BgpLsId(n) => write!(out, "{{ \"bgp-ls-identifier\": \"{n}\" }}"),
        NodeDescriptor::OspfArea(a) => write!(out, "{{ \"ospf-area-id\": \"{a}\" }}"),
        NodeDescriptor::IsisRouter { sysid, psn } => {
            let _ = write!(out, "{{ \"router-id\": \"{sysid}\"");
            // ExaBGP leaves out a pseudonode number of zero.
            if let Some(p) = psn.filter(|p| *p != 0) {
                let _ = write!(out, ", \"psn\": \"{p}\"");
            }
            write!(out, " }}")
        }
        NodeDescriptor::OspfRouter { id, dr } => {
            let _ = write!(out, "{{ \"router-id\": \"{id}\"");
            if let Some(dr) = dr {
                let _ = write!(out, ", \"designated-router-id\": \"{dr}\"");
            }
            write!(out, " }}")
        }
        NodeDescriptor::Generic { code, value } => {
            let _ = write!(out, "{{ \"generic-node-descriptor-{code}\": \"0x");
            for b in value {
                let _ = write!(out, "{b:02X}");
            }
            write!(out, "\" }}")
        }
    };
}

fn descriptors(out: &mut String, key: &str, list: &[NodeDescriptor]) {
    let _ = write!(out, "\"{key}\": [ ");
    for (i, d) in list.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        descriptor(out, d);
    }
    out.push_str(" ]");
}

fn addresses(out: &mut String, key: &str, list: &[IpAddr]) {
    let items: Vec<String> = list.iter().map(|a| format!("\"{a}\"")).collect();
    let _ = write!(out, "\"{key}\": [ {} ]", items.join(", "));
}

/// `nexthop`: the announced route's next hop, `None` when withdrawn.
pub fn json(out: &mut String, ls: &BgpLs, nexthop: Option<IpAddr>) {
    let head = |out: &mut String| {
        let _ = write!(
            out,
            "{{ \"ls-nlri-type\": \"{}\", \"l3-routing-topology\": {}, \"protocol-id\": {}, ",
            ls.name(),
            ls.domain,
            ls.protocol
        );
    };
    let nh = nexthop.map_or_else(|| "None".to_string(), |a| a.to_string());
    match &ls.kind {
        Kind::Node { local } => {
            head(out);
            descriptors(out, "node-descriptors", local);
            let _ = write!(out, ", \"nexthop\": \"{nh}\"");
        }
        Kind::Link {
            local,
            remote,
            interfaces,
            neighbors,
            topologies,
            link_ids,
        } => {
            head(out);
            descriptors(out, "local-node-descriptors", local);
            out.push_str(", ");
            descriptors(out, "remote-node-descriptors", remote);
            out.push_str(", ");
            addresses(out, "interface-addresses", interfaces);
            out.push_str(", ");
            addresses(out, "neighbor-addresses", neighbors);
            let mt: Vec<String> = topologies.iter().map(u16::to_string).collect();
            let _ = write!(out, ", \"multi-topology-ids\": [ {} ]", mt.join(", "));
            let ids: Vec<String> = link_ids
                .iter()
                .map(|(l, r)| format!("{{ \"link-local-id\": {l}, \"link-remote-id\": {r} }}"))
                .collect();
            let _ = write!(out, ", \"link-identifiers\": [ {} ]", ids.join(", "));
        }
        Kind::Prefix {
            local,
            ospf_route,
            prefix,
            len,
        } => {
            head(out);
            descriptors(out, "node-descriptors", local);
            let _ = write!(
                out,
                ", \"ip-reachability-tlv\": \"{prefix}\", \"ip-reach-prefix\": \"{prefix}/{len}\", \"nexthop\": \"{nh}\""
            );
            if let Some(t) = ospf_route {
                let _ = write!(out, ", \"ospf-route-type\": {t}");
            }
        }
        Kind::Other => {
            let _ = write!(
                out,
                "{{ \"code\": {}, \"parsed\": false, \"raw\": \"{:04X}{:04X}",
                ls.code,
                ls.code,
                ls.body.len()
            );
            for b in &ls.body {
                let _ = write!(out, "{b:02X}");
            }
            out.push_str("\" }");
            return;
        }
    }
    if let Some(rd) = &ls.rd {
        let _ = write!(out, ", \"rd\": \"{rd}\"");
    }
    out.push_str(" }");
}

/// The text form: the NLRI type and its bytes, which identify it exactly.
pub fn text(out: &mut String, ls: &BgpLs) {
    let _ = write!(out, "{} 0x", ls.name());
    for b in &ls.body {
        let _ = write!(out, "{b:02X}");
    }
}
