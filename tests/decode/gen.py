#!/usr/bin/env python3
"""Build the decode corpus: tests/decode/corpus.jsonl, one message per line.

Each line is {"id": ..., "args": [...flags...], "hex": ...}. The messages are built here from
the RFC layouts (struct.pack), not captured: every family, attribute, capability and
NOTIFICATION form `exabgp decode` knows, plus malformed variants (truncations, bad lengths,
flag conflicts). Run `python3 tests/decode/gen.py`, then `tests/decode/regen.py` to refresh
the expected outputs from the oracle.
"""

import ipaddress
import json
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus.jsonl")
CORPUS = []


def add(ident, data, *args):
    if isinstance(data, (bytes, bytearray)):
        data = bytes(data).hex().upper()
    assert all(c["id"] != ident for c in CORPUS), ident
    CORPUS.append({"id": ident, "args": list(args), "hex": data})


# ---------------------------------------------------------------- framing helpers


def msg(kind, body, length=None):
    size = 19 + len(body) if length is None else length
    return b"\xff" * 16 + struct.pack("!HB", size, kind) + body


def attr(code, value, flags=None):
    if flags is None:
        flags = 0x40 if code in (1, 2, 3, 5, 6) else 0x80 if code in (4, 9, 10, 14, 15, 26, 29) else 0xC0
    if len(value) > 255 or flags & 0x10:
        return struct.pack("!BBH", flags | 0x10, code, len(value)) + value
    return struct.pack("!BBB", flags, code, len(value)) + value


def update(withdrawn=b"", attrs=b"", nlri=b""):
    return struct.pack("!H", len(withdrawn)) + withdrawn + struct.pack("!H", len(attrs)) + attrs + nlri


def upd(withdrawn=b"", attrs=b"", nlri=b""):
    return msg(2, update(withdrawn, attrs, nlri))


def ip(a):
    return ipaddress.ip_address(a).packed


def pfx(p, pathid=None):
    n = ipaddress.ip_network(p, strict=False)
    raw = n.network_address.packed[: (n.prefixlen + 7) // 8]
    head = struct.pack("!I", pathid) if pathid is not None else b""
    return head + bytes([n.prefixlen]) + raw


ORIGIN = attr(1, b"\x00")
ASPATH = attr(2, b"")
NH4 = attr(3, ip("192.0.2.1"))
BASE = ORIGIN + ASPATH


def mp_reach(afi, safi, nh, nlri, reserved=b"\x00"):
    return attr(14, struct.pack("!HBB", afi, safi, len(nh)) + nh + reserved + nlri)


def mp_unreach(afi, safi, nlri):
    return attr(15, struct.pack("!HB", afi, safi) + nlri)


def label(value, bos=True):
    v = (value << 4) | (1 if bos else 0)
    return struct.pack("!I", v)[1:]


def rd0(asn, num):
    return struct.pack("!HHI", 0, asn, num)


def rd1(addr, num):
    return struct.pack("!H", 1) + ip(addr) + struct.pack("!H", num)


def rd2(asn, num):
    return struct.pack("!HIH", 2, asn, num)


# ---------------------------------------------------------------- IPv4 / IPv6 unicast


def inet():
    for plen in range(0, 33):
        net = ipaddress.ip_network("10.0.0.0/%d" % plen, strict=False) if plen < 8 else None
        p = "0.0.0.0/0" if plen == 0 else ("128.0.0.0/%d" % plen if plen < 8 else "10.%d.%d.%d/%d" % (plen, 255 if plen >= 16 else 0, 255 if plen >= 32 else 0, plen))
        add("v4-announce-len%02d" % plen, upd(attrs=BASE + NH4, nlri=pfx(p)))
    for plen in (0, 1, 16, 32, 48, 63, 64, 65, 96, 112, 127, 128):
        p = "2001:db8:1:2:3:4:5:6/%d" % plen
        add("v6-announce-len%03d" % plen, upd(attrs=BASE + mp_reach(2, 1, ip("2001:db8::1"), pfx(p))))
    many = b"".join(pfx("10.%d.0.0/16" % i) for i in range(40))
    add("v4-announce-many", upd(attrs=BASE + NH4, nlri=many))
    add("v4-withdraw-one", upd(withdrawn=pfx("10.1.0.0/16")))
    add("v4-withdraw-many", upd(withdrawn=b"".join(pfx("10.%d.0.0/24" % i) for i in range(20))))
    add("v4-withdraw-and-announce", upd(withdrawn=pfx("10.9.0.0/16"), attrs=BASE + NH4, nlri=pfx("10.8.0.0/16")))
    add("v4-eor", upd())
    add("v4-eor-no-header", update())
    add("v4-no-header", update(attrs=BASE + NH4, nlri=pfx("172.16.0.0/12")))
    add("v4-no-header-colons", ":".join(update(attrs=BASE + NH4, nlri=pfx("172.16.0.0/12")).hex()[i:i + 4] for i in range(0, 2 * len(update(attrs=BASE + NH4, nlri=pfx("172.16.0.0/12"))), 4)))
    add("v4-spaces", " ".join(upd(attrs=BASE + NH4, nlri=pfx("10.0.0.0/8")).hex()[i:i + 6] for i in range(0, 2 * len(upd(attrs=BASE + NH4, nlri=pfx("10.0.0.0/8"))), 6)))
    add("v4-lowercase", upd(attrs=BASE + NH4, nlri=pfx("10.0.0.0/8")).hex().lower())
    add("v4-attrs-only", upd(attrs=BASE + NH4))
    add("v4-nlri-no-attrs", upd(nlri=pfx("10.0.0.0/8")))
    # ADD-PATH (-i)
    for pid in (0, 1, 255, 65536, 0xFFFFFFFF):
        add("v4-addpath-%d" % pid, upd(attrs=BASE + NH4, nlri=pfx("10.0.0.0/24", pid)), "-i")
    add("v4-addpath-withdraw", upd(withdrawn=pfx("10.0.0.0/24", 7) + pfx("10.0.1.0/24", 8)), "-i")
    add("v6-addpath", upd(attrs=BASE + mp_reach(2, 1, ip("2001:db8::1"), pfx("2001:db8::/32", 9))), "-i")
    add("v6-addpath-withdraw", upd(attrs=mp_unreach(2, 1, pfx("2001:db8::/32", 9))), "-i")
    add("v4-addpath-without-flag", upd(attrs=BASE + NH4, nlri=pfx("10.0.0.0/24", 1)))
    # IPv6 next hops
    add("v6-nh-linklocal", upd(attrs=BASE + mp_reach(2, 1, ip("2001:db8::1") + ip("fe80::1"), pfx("2001:db8:5::/48"))))
    add("v6-nh-only-linklocal", upd(attrs=BASE + mp_reach(2, 1, ip("fe80::1"), pfx("2001:db8:5::/48"))))
    add("v6-many", upd(attrs=BASE + mp_reach(2, 1, ip("2001:db8::1"), b"".join(pfx("2001:db8:%x::/48" % i) for i in range(12)))))
    add("v6-withdraw", upd(attrs=mp_unreach(2, 1, pfx("2001:db8::/32") + pfx("2001:db8:1::/48"))))
    add("v6-eor", upd(attrs=mp_unreach(2, 1, b"")))
    add("v6-reach-and-unreach", upd(attrs=BASE + mp_reach(2, 1, ip("2001:db8::1"), pfx("2001:db8:1::/48")) + mp_unreach(2, 1, pfx("2001:db8:2::/48"))))
    add("v4-mp-reach", upd(attrs=BASE + mp_reach(1, 1, ip("192.0.2.9"), pfx("10.10.0.0/16"))))
    add("v4-mp-unreach", upd(attrs=mp_unreach(1, 1, pfx("10.10.0.0/16"))))
    add("v4-mp-and-classic", upd(attrs=BASE + NH4 + mp_reach(1, 1, ip("192.0.2.9"), pfx("10.10.0.0/16")), nlri=pfx("10.11.0.0/16")))
    add("v4-over-v6-nexthop", upd(attrs=BASE + mp_reach(1, 1, ip("2001:db8::1"), pfx("10.12.0.0/16"))))
    add("v4-multicast", upd(attrs=BASE + mp_reach(1, 2, ip("192.0.2.1"), pfx("224.1.0.0/16"))))
    add("v4-multicast-withdraw", upd(attrs=mp_unreach(1, 2, pfx("224.1.0.0/16"))))
    add("v4-multicast-eor", upd(attrs=mp_unreach(1, 2, b"")))
    add("v6-multicast", upd(attrs=BASE + mp_reach(2, 2, ip("2001:db8::1"), pfx("ff0e::/16"))))
    add("v6-multicast-withdraw", upd(attrs=mp_unreach(2, 2, pfx("ff0e::/16"))))
    add("v6-multicast-eor", upd(attrs=mp_unreach(2, 2, b"")))
    # -f restricts the families
    add("f-v4-only-v4", upd(attrs=BASE + NH4, nlri=pfx("10.0.0.0/8")), "-f", "ipv4 unicast")
    add("f-v6-only-v6", upd(attrs=BASE + mp_reach(2, 1, ip("2001:db8::1"), pfx("2001:db8::/32"))), "-f", "ipv6 unicast")
    add("f-v6-msg-v4-family", upd(attrs=BASE + mp_reach(2, 1, ip("2001:db8::1"), pfx("2001:db8::/32"))), "-f", "ipv4 unicast")
    add("f-two-families", upd(attrs=BASE + mp_reach(2, 1, ip("2001:db8::1"), pfx("2001:db8::/32"))), "-f", "ipv4 unicast ipv6 unicast")
    add("f-odd-words", upd(), "-f", "ipv4")


# ---------------------------------------------------------------- attributes


def v4(attrs, *args):
    return upd(attrs=attrs, nlri=pfx("10.0.0.0/24"))


def attributes():
    for i, o in enumerate((0, 1, 2)):
        add("attr-origin-%d" % o, v4(attr(1, bytes([o])) + ASPATH + NH4))
    # AS_PATH segments (4-byte ASNs: asn4 negotiated)
    def seg(t, asns):
        return struct.pack("!BB", t, len(asns)) + b"".join(struct.pack("!I", a) for a in asns)
    paths = {
        "seq": seg(2, [65000, 65001, 4200000000]),
        "set": seg(1, [1, 2, 3]),
        "confed-seq": seg(3, [64512, 64513]),
        "confed-set": seg(4, [64514]),
        "seq-set": seg(2, [1, 2]) + seg(1, [3, 4]),
        "confed-then-seq": seg(3, [64512]) + seg(2, [65000]),
        "long": seg(2, list(range(1, 101))),
        "two-seq": seg(2, [1]) + seg(2, [2]),
        "as0": seg(2, [0]),
        "as-trans": seg(2, [23456]),
        "empty-seg": seg(2, []),
    }
    for name, value in paths.items():
        add("attr-aspath-%s" % name, v4(ORIGIN + attr(2, value) + NH4))
    add("attr-aspath-bad-type", v4(ORIGIN + attr(2, seg(9, [1])) + NH4))
    add("attr-aspath-truncated-seg", v4(ORIGIN + attr(2, seg(2, [1, 2])[:-2]) + NH4))
    add("attr-aspath-extended-len", v4(ORIGIN + attr(2, seg(2, [7]), 0x50) + NH4))
    add("attr-as4path", v4(ORIGIN + attr(2, seg(2, [23456])) + attr(17, seg(2, [4200000001])) + NH4))
    add("attr-nexthop-zero", v4(BASE + attr(3, ip("0.0.0.0"))))
    add("attr-nexthop-bcast", v4(BASE + attr(3, ip("255.255.255.255"))))
    for med in (0, 1, 100, 0xFFFFFFFF):
        add("attr-med-%d" % med, v4(BASE + NH4 + attr(4, struct.pack("!I", med))))
    for lp in (0, 100, 200, 0xFFFFFFFF):
        add("attr-localpref-%d" % lp, v4(BASE + NH4 + attr(5, struct.pack("!I", lp))))
    add("attr-atomic", v4(BASE + NH4 + attr(6, b"")))
    add("attr-aggregator4", v4(BASE + NH4 + attr(7, struct.pack("!I", 65000) + ip("192.0.2.5"))))
    add("attr-aggregator4-big", v4(BASE + NH4 + attr(7, struct.pack("!I", 4200000000) + ip("192.0.2.5"))))
    add("attr-aggregator2", v4(BASE + NH4 + attr(7, struct.pack("!H", 65000) + ip("192.0.2.5"))))
    add("attr-as4-aggregator", v4(BASE + NH4 + attr(7, struct.pack("!I", 23456) + ip("192.0.2.5")) + attr(18, struct.pack("!I", 4200000000) + ip("192.0.2.6"))))
    # COMMUNITIES
    for name, c in (("no-export", 0xFFFFFF01), ("no-advertise", 0xFFFFFF02), ("no-export-subconfed", 0xFFFFFF03),
                    ("nopeer", 0xFFFFFF04), ("blackhole", 0xFFFF029A), ("graceful-shutdown", 0xFFFF0000),
                    ("accept-own", 0xFFFF0001), ("llgr-stale", 0xFFFF0006), ("no-llgr", 0xFFFF0007),
                    ("plain", 0xFDE80064), ("zero", 0), ("max", 0xFFFFFFFF)):
        add("attr-community-%s" % name, v4(BASE + NH4 + attr(8, struct.pack("!I", c))))
    add("attr-communities-many", v4(BASE + NH4 + attr(8, b"".join(struct.pack("!HH", 65000, i) for i in range(30)))))
    add("attr-communities-dup", v4(BASE + NH4 + attr(8, struct.pack("!II", 1, 1))))
    add("attr-communities-unsorted", v4(BASE + NH4 + attr(8, struct.pack("!III", 9, 3, 5))))
    add("attr-originator", v4(BASE + NH4 + attr(9, ip("192.0.2.77"))))
    add("attr-cluster-one", v4(BASE + NH4 + attr(10, ip("192.0.2.1"))))
    add("attr-cluster-three", v4(BASE + NH4 + attr(10, ip("192.0.2.1") + ip("192.0.2.2") + ip("192.0.2.3"))))
    # LARGE COMMUNITY
    add("attr-large-one", v4(BASE + NH4 + attr(32, struct.pack("!III", 65000, 1, 2))))
    add("attr-large-three", v4(BASE + NH4 + attr(32, b"".join(struct.pack("!III", 4200000000, i, i * 2) for i in range(3)))))
    add("attr-large-dup", v4(BASE + NH4 + attr(32, struct.pack("!III", 1, 2, 3) * 2)))
    # AIGP
    add("attr-aigp", v4(BASE + NH4 + attr(26, struct.pack("!BHQ", 1, 11, 1000))))
    add("attr-aigp-zero", v4(BASE + NH4 + attr(26, struct.pack("!BHQ", 1, 11, 0))))
    add("attr-aigp-max", v4(BASE + NH4 + attr(26, struct.pack("!BHQ", 1, 11, 2 ** 64 - 1))))
    # unknown / generic
    add("attr-unknown-optional-transitive", v4(BASE + NH4 + attr(99, b"\x01\x02\x03", 0xC0)))
    add("attr-unknown-optional", v4(BASE + NH4 + attr(99, b"\x01\x02\x03", 0x80)))
    add("attr-unknown-partial", v4(BASE + NH4 + attr(99, b"\x01", 0xE0)))
    add("attr-unknown-empty", v4(BASE + NH4 + attr(200, b"", 0xC0)))
    add("attr-unknown-extended", v4(BASE + NH4 + attr(201, bytes(range(256)) + b"\x00" * 44, 0xD0)))
    add("attr-unknown-two", v4(BASE + NH4 + attr(101, b"\xaa", 0xC0) + attr(102, b"\xbb", 0xC0)))
    add("attr-unknown-wellknown", v4(BASE + NH4 + attr(103, b"\xcc", 0x40)))
    add("attr-attr-set", v4(BASE + NH4 + attr(128, struct.pack("!I", 65000) + ORIGIN, 0xC0)))
    # PMSI tunnel (22)
    add("attr-pmsi-ingress", v4(BASE + NH4 + attr(22, struct.pack("!BB", 0, 6) + label(100)[:3] + ip("192.0.2.1"))))
    add("attr-pmsi-unknown-type", v4(BASE + NH4 + attr(22, struct.pack("!BB", 0, 3) + label(0) + ip("192.0.2.1"))))
    # Tunnel encapsulation (23), prefix SID (40), BGP-LS (29) generic-ish forms
    add("attr-tunnel-encap", v4(BASE + NH4 + attr(23, struct.pack("!HH", 8, 4) + struct.pack("!BB", 1, 2) + b"\x00\x01")))
    add("attr-prefix-sid-label-index", v4(BASE + NH4 + attr(40, struct.pack("!BHBHI", 1, 7, 0, 0, 42))))
    add("attr-prefix-sid-srgb", v4(BASE + NH4 + attr(40, struct.pack("!BHBHI", 1, 7, 0, 0, 42) + struct.pack("!BHH", 3, 8, 0) + label(16000, False) + label(8000, False))))
    add("attr-bgpls-empty", v4(BASE + NH4 + attr(29, b"")))
    # all together
    allattrs = (BASE + NH4 + attr(4, struct.pack("!I", 10)) + attr(5, struct.pack("!I", 20)) + attr(6, b"")
                + attr(7, struct.pack("!I", 65000) + ip("192.0.2.5")) + attr(8, struct.pack("!I", 0xFDE80001))
                + attr(9, ip("192.0.2.77")) + attr(10, ip("192.0.2.1")) + attr(32, struct.pack("!III", 1, 2, 3)))
    add("attr-all", v4(allattrs))
    add("attr-reverse-order", v4(attr(32, struct.pack("!III", 1, 2, 3)) + attr(8, struct.pack("!I", 5)) + NH4 + ASPATH + ORIGIN))
    extcomms()
    malformed_attributes(seg)


def ext(t, st, value6):
    return bytes([t, st]) + value6


def extcomms():
    E = []
    E.append(("rt-as2", ext(0x00, 0x02, struct.pack("!HI", 65000, 100))))
    E.append(("rt-ip", ext(0x01, 0x02, ip("192.0.2.1") + struct.pack("!H", 7))))
    E.append(("rt-as4", ext(0x02, 0x02, struct.pack("!IH", 4200000000, 7))))
    E.append(("soo-as2", ext(0x00, 0x03, struct.pack("!HI", 65000, 100))))
    E.append(("soo-ip", ext(0x01, 0x03, ip("192.0.2.1") + struct.pack("!H", 7))))
    E.append(("soo-as4", ext(0x02, 0x03, struct.pack("!IH", 65536, 7))))
    E.append(("rt-nontransitive", ext(0x40, 0x02, struct.pack("!HI", 65000, 100))))
    E.append(("l2info", ext(0x80, 0x0A, struct.pack("!BBHH", 19, 0, 1500, 0))))
    E.append(("encap-vxlan", ext(0x03, 0x0C, struct.pack("!IH", 0, 8))))
    E.append(("encap-mpls", ext(0x03, 0x0C, struct.pack("!IH", 0, 10))))
    E.append(("encap-gre", ext(0x03, 0x0C, struct.pack("!IH", 0, 2))))
    E.append(("color", ext(0x03, 0x0B, struct.pack("!HI", 0, 100))))
    E.append(("mac-mobility", ext(0x06, 0x00, struct.pack("!BBI", 0, 0, 5))))
    E.append(("mac-mobility-sticky", ext(0x06, 0x00, struct.pack("!BBI", 1, 0, 5))))
    E.append(("traffic-rate", ext(0x80, 0x06, struct.pack("!Hf", 65000, 1000.0))))
    E.append(("traffic-rate-zero", ext(0x80, 0x06, struct.pack("!Hf", 0, 0.0))))
    E.append(("traffic-action", ext(0x80, 0x07, b"\x00" * 5 + b"\x03")))
    E.append(("redirect-as2", ext(0x80, 0x08, struct.pack("!HI", 65000, 7))))
    E.append(("redirect-ip", ext(0x81, 0x08, ip("192.0.2.1") + struct.pack("!H", 7))))
    E.append(("redirect-as4", ext(0x82, 0x08, struct.pack("!IH", 4200000000, 7))))
    E.append(("mark", ext(0x80, 0x09, b"\x00" * 5 + b"\x2e")))
    E.append(("bandwidth", ext(0x40, 0x04, struct.pack("!Hf", 65000, 125000.0))))
    E.append(("origin-as2", ext(0x00, 0x03, struct.pack("!HI", 1, 1))))
    E.append(("unknown", ext(0x0F, 0x0F, b"\x01\x02\x03\x04\x05\x06")))
    E.append(("opaque", ext(0x03, 0x01, b"\x00\x00\x00\x00\x00\x01")))
    E.append(("flowspec-scope", ext(0x09, 0x00, b"\x00" * 6)))
    E.append(("rt-record", ext(0x00, 0x13, struct.pack("!HI", 1, 2))))
    E.append(("esi-label", ext(0x06, 0x01, b"\x01\x00\x00" + label(100))))
    E.append(("router-mac", ext(0x06, 0x03, bytes.fromhex("0102030405ff"))))
    E.append(("mup-direct", ext(0x0C, 0x00, struct.pack("!HI", 10, 10))))
    E.append(("link-bandwidth-as0", ext(0x40, 0x04, struct.pack("!Hf", 0, 1.5))))
    for name, value in E:
        add("ext-%s" % name, v4(BASE + NH4 + attr(16, value)))
    add("ext-several", v4(BASE + NH4 + attr(16, b"".join(v for _, v in E[:6]))))
    add("ext-ipv6-rt", v4(BASE + NH4 + attr(25, bytes([0x00, 0x02]) + ip("2001:db8::1") + struct.pack("!H", 7))))
    add("ext-ipv6-redirect", v4(BASE + NH4 + attr(25, bytes([0x80, 0x0B]) + ip("2001:db8::1") + struct.pack("!H", 7))))
    add("ext-bad-length", v4(BASE + NH4 + attr(16, b"\x00\x02\x00\x01\x00")))


def malformed_attributes(seg):
    add("bad-origin-value", v4(attr(1, b"\x05") + ASPATH + NH4))
    add("bad-origin-length", v4(attr(1, b"\x00\x00") + ASPATH + NH4))
    add("bad-origin-empty", v4(attr(1, b"") + ASPATH + NH4))
    add("bad-origin-optional-flag", v4(attr(1, b"\x00", 0xC0) + ASPATH + NH4))
    add("bad-origin-nontransitive", v4(attr(1, b"\x00", 0x00) + ASPATH + NH4))
    add("bad-nexthop-length", v4(BASE + attr(3, b"\x01\x02\x03")))
    add("bad-nexthop-flag", v4(BASE + attr(3, ip("192.0.2.1"), 0x80)))
    add("bad-med-length", v4(BASE + NH4 + attr(4, b"\x00\x01\x02")))
    add("bad-med-flag", v4(BASE + NH4 + attr(4, b"\x00\x00\x00\x01", 0x40)))
    add("bad-localpref-length", v4(BASE + NH4 + attr(5, b"\x00")))
    add("bad-localpref-flag", v4(BASE + NH4 + attr(5, b"\x00\x00\x00\x01", 0x80)))
    add("bad-atomic-length", v4(BASE + NH4 + attr(6, b"\x01")))
    add("bad-aggregator-length", v4(BASE + NH4 + attr(7, b"\x01\x02\x03")))
    add("bad-community-length", v4(BASE + NH4 + attr(8, b"\x01\x02\x03")))
    add("bad-originator-length", v4(BASE + NH4 + attr(9, b"\x01\x02")))
    add("bad-cluster-length", v4(BASE + NH4 + attr(10, b"\x01\x02\x03\x04\x05")))
    add("bad-large-length", v4(BASE + NH4 + attr(32, b"\x01" * 11)))
    add("bad-aigp-length", v4(BASE + NH4 + attr(26, b"\x01\x00")))
    add("bad-aigp-tlv-length", v4(BASE + NH4 + attr(26, struct.pack("!BHQ", 1, 30, 5))))
    add("bad-aspath-length", v4(ORIGIN + attr(2, b"\x02\x05\x00\x00") + NH4))
    add("bad-aspath-flag", v4(ORIGIN + attr(2, b"", 0xC0) + NH4))
    add("bad-attr-overrun", v4(BASE + NH4 + b"\x40\x05\x09\x00"))
    add("bad-attr-header-cut", v4(BASE + NH4 + b"\x40"))
    add("bad-attr-ext-header-cut", v4(BASE + NH4 + b"\x50\x05\x00"))
    add("bad-duplicate-origin", v4(ORIGIN + ORIGIN + ASPATH + NH4))
    add("bad-duplicate-med", v4(BASE + NH4 + attr(4, b"\x00\x00\x00\x01") + attr(4, b"\x00\x00\x00\x02")))
    add("bad-duplicate-mp-reach", upd(attrs=BASE + mp_reach(2, 1, ip("2001:db8::1"), pfx("2001:db8::/32")) * 2))
    add("bad-missing-origin", v4(ASPATH + NH4))
    add("bad-missing-aspath", v4(ORIGIN + NH4))
    add("bad-missing-nexthop", v4(BASE))
    add("bad-missing-all", v4(b""))
    add("bad-mp-reach-short", upd(attrs=BASE + attr(14, b"\x00\x02\x01")))
    add("bad-mp-reach-nh-overrun", upd(attrs=BASE + attr(14, b"\x00\x02\x01\x20\x20\x01")))
    add("bad-mp-reach-nh-length", upd(attrs=BASE + mp_reach(2, 1, ip("2001:db8::1")[:5], pfx("2001:db8::/32"))))
    add("bad-mp-reach-v4-nh-length", upd(attrs=BASE + mp_reach(1, 1, b"\x01\x02\x03", pfx("10.0.0.0/8"))))
    add("bad-mp-reach-prefix-overrun", upd(attrs=BASE + mp_reach(2, 1, ip("2001:db8::1"), b"\x40\x20\x01")))
    add("bad-mp-reach-prefix-too-long", upd(attrs=BASE + mp_reach(2, 1, ip("2001:db8::1"), b"\x81" + b"\x00" * 17)))
    add("bad-mp-unreach-short", upd(attrs=attr(15, b"\x00\x02")))
    add("bad-mp-unreach-prefix-overrun", upd(attrs=mp_unreach(2, 1, b"\x40\x20")))
    add("bad-mp-unknown-family", upd(attrs=BASE + mp_reach(3, 1, ip("192.0.2.1"), pfx("10.0.0.0/8"))))
    add("bad-mp-unknown-safi", upd(attrs=BASE + mp_reach(1, 77, ip("192.0.2.1"), pfx("10.0.0.0/8"))))
    add("bad-mp-unreach-unknown-family", upd(attrs=mp_unreach(9, 9, b"")))
    add("bad-mp-reach-reserved-nonzero", upd(attrs=BASE + mp_reach(2, 1, ip("2001:db8::1"), pfx("2001:db8::/32"), b"\x05")))


# ---------------------------------------------------------------- UPDATE framing errors


def malformed_updates():
    good = update(attrs=BASE + NH4, nlri=pfx("10.0.0.0/24"))
    full = msg(2, good)
    for cut in range(0, len(full), 3):
        add("trunc-update-%03d" % cut, full[:cut])
    for cut in range(0, len(good)):
        add("trunc-body-%03d" % cut, good[:cut])
    add("bad-withdrawn-overrun", b"\x00\x50" + good[2:])
    add("bad-attrlen-overrun", update() [:2] + b"\x00\x60" + good[4:])
    add("bad-attrlen-short", b"\x00\x00\x00\x03" + good[4:])
    add("bad-prefix-len-33", upd(attrs=BASE + NH4, nlri=b"\x21\x0a\x00\x00\x00\x00"))
    add("bad-prefix-len-255", upd(attrs=BASE + NH4, nlri=b"\xff\x0a"))
    add("bad-prefix-overrun", upd(attrs=BASE + NH4, nlri=b"\x18\x0a\x00"))
    add("bad-withdraw-prefix-overrun", upd(withdrawn=b"\x18\x0a"))
    add("bad-withdraw-len-40", upd(withdrawn=b"\x28" + b"\x00" * 5))
    add("prefix-host-bits", upd(attrs=BASE + NH4, nlri=b"\x18\x0a\x00\x01"[:4]))
    add("prefix-host-bits-8", upd(attrs=BASE + NH4, nlri=b"\x08\xff"))
    add("prefix-trailing-bits", upd(attrs=BASE + NH4, nlri=b"\x0c\x0a\xff"))
    # header oddities: exabgp reads the length as byte16 << 16 | byte17
    add("hdr-length-short", msg(2, good, length=30))
    add("hdr-length-zero", msg(2, good, length=0))
    add("hdr-length-long", msg(2, good, length=4000))
    add("hdr-length-256", msg(2, good, length=256))
    add("hdr-extra-bytes", msg(2, good) + b"\x00\x01")
    add("hdr-two-messages", msg(2, good) + msg(2, good))
    add("hdr-marker-only", b"\xff" * 16)
    add("hdr-marker-and-length", b"\xff" * 18)
    add("hdr-type-0", msg(0, b""))
    add("hdr-keepalive", msg(4, b""))
    add("hdr-route-refresh", msg(5, b"\x00\x01\x00\x01"))
    add("hdr-route-refresh-borr", msg(5, b"\x00\x02\x01\x01"))
    add("hdr-operational", msg(6, b"\x00\x01\x00\x00"))
    add("hdr-type-255", msg(255, b"\x00"))
    add("hdr-bad-marker", b"\xff" * 15 + b"\xfe" + struct.pack("!HB", 23, 2) + b"\x00\x00\x00\x00")
    add("empty-payload", "")
    add("hex-invalid-char", "FFZZ")
    add("hex-odd-length", "0000000")
    add("hex-odd-length-update", upd().hex() + "0")


# ---------------------------------------------------------------- OPEN and capabilities


def cap(code, value=b""):
    return struct.pack("!BB", code, len(value)) + value


def open_msg(caps, asn=65001, hold=180, rid="192.0.2.1", version=4, params=None):
    if params is None:
        params = b"".join(struct.pack("!BB", 2, len(c)) + c for c in caps)
    body = struct.pack("!BHH", version, asn, hold) + ip(rid) + struct.pack("!B", len(params)) + params
    return msg(1, body)


def mp(afi, safi):
    return cap(1, struct.pack("!HBB", afi, 0, safi))


FAMILIES = [(1, 1), (1, 2), (1, 4), (1, 5), (1, 85), (1, 128), (1, 132), (1, 133), (1, 134), (2, 1), (2, 2),
            (2, 4), (2, 5), (2, 85), (2, 128), (2, 133), (2, 134), (25, 65), (25, 70), (16388, 71), (16388, 72)]


def opens():
    asn4 = cap(65, struct.pack("!I", 65001))
    add("open-minimal", open_msg([]))
    add("open-asn4", open_msg([asn4]))
    add("open-asn4-big", open_msg([cap(65, struct.pack("!I", 4200000000))], asn=23456))
    for afi, safi in FAMILIES + [(1, 3), (3, 1), (2, 200)]:
        add("open-mp-%d-%d" % (afi, safi), open_msg([mp(afi, safi), asn4]))
    add("open-mp-all", open_msg([mp(a, s) for a, s in FAMILIES] + [asn4]))
    add("open-route-refresh", open_msg([cap(2)]))
    add("open-route-refresh-cisco", open_msg([cap(128)]))
    add("open-enhanced-refresh", open_msg([cap(2), cap(70)]))
    add("open-extended-message", open_msg([cap(6)]))
    add("open-multisession", open_msg([cap(68)]))
    add("open-multisession-cisco", open_msg([cap(131)]))
    add("open-operational", open_msg([cap(185)]))
    add("open-aigp-unknown", open_msg([cap(77, b"\x01\x02")]))
    add("open-unknown-cap", open_msg([cap(200, b"\xde\xad")]))
    add("open-unknown-cap-empty", open_msg([cap(201)]))
    add("open-orf", open_msg([cap(3, struct.pack("!HBBBBB", 1, 0, 1, 1, 64, 3))]))
    # graceful restart
    add("open-gr-empty", open_msg([cap(64, struct.pack("!H", 120))]))
    add("open-gr-restart-flag", open_msg([cap(64, struct.pack("!H", 0x8000 | 300))]))
    add("open-gr-notification-flag", open_msg([cap(64, struct.pack("!H", 0x4000 | 300))]))
    add("open-gr-families", open_msg([cap(64, struct.pack("!H", 120) + struct.pack("!HBB", 1, 1, 0x80) + struct.pack("!HBB", 2, 1, 0))]))
    add("open-gr-max-time", open_msg([cap(64, struct.pack("!H", 0x0FFF))]))
    # LLGR
    add("open-llgr", open_msg([cap(71, struct.pack("!HBB", 1, 1, 0x80) + struct.pack("!I", 3600)[1:])]))
    add("open-llgr-two", open_msg([cap(71, struct.pack("!HBB", 1, 1, 0) + b"\x00\x00\x10" + struct.pack("!HBB", 2, 1, 0x80) + b"\x00\x01\x00")]))
    # ADD-PATH
    for mode in (1, 2, 3, 0, 4):
        add("open-addpath-%d" % mode, open_msg([cap(69, struct.pack("!HBB", 1, 1, mode))]))
    add("open-addpath-multi", open_msg([cap(69, struct.pack("!HBB", 1, 1, 3) + struct.pack("!HBB", 2, 1, 1) + struct.pack("!HBB", 1, 128, 2))]))
    # extended next hop (RFC 8950)
    add("open-nexthop-one", open_msg([cap(5, struct.pack("!HHH", 1, 1, 2))]))
    add("open-nexthop-three", open_msg([cap(5, struct.pack("!HHH", 1, 1, 2) + struct.pack("!HHH", 1, 128, 2) + struct.pack("!HHH", 1, 2, 2))]))
    # hostname / software version
    add("open-hostname", open_msg([cap(73, b"\x04host\x0bexample.com")]))
    add("open-hostname-empty", open_msg([cap(73, b"\x00\x00")]))
    add("open-software-version", open_msg([cap(75, b"\x0fExaBGP/5.0.15-x")]))
    add("open-software-version-empty", open_msg([cap(75, b"\x00")]))
    # shapes
    add("open-caps-one-param", open_msg([], params=struct.pack("!BB", 2, 12) + mp(1, 1) + cap(2) + cap(70)))
    add("open-typical", open_msg([mp(1, 1), mp(2, 1), cap(2), cap(70), asn4, cap(64, struct.pack("!H", 120)), cap(69, struct.pack("!HBB", 1, 1, 3))]))
    add("open-hold-0", open_msg([asn4], hold=0))
    add("open-hold-3", open_msg([asn4], hold=3))
    add("open-hold-1", open_msg([asn4], hold=1))
    add("open-hold-max", open_msg([asn4], hold=65535))
    add("open-asn-0", open_msg([], asn=0))
    add("open-rid-zero", open_msg([asn4], rid="0.0.0.0"))
    add("open-version-3", open_msg([asn4], version=3))
    add("open-version-5", open_msg([asn4], version=5))
    add("open-auth-param", open_msg([], params=struct.pack("!BB", 1, 2) + b"\x00\x00"))
    add("open-unknown-param", open_msg([], params=struct.pack("!BB", 9, 1) + b"\x00"))
    add("open-param-overrun", open_msg([], params=struct.pack("!BB", 2, 9) + mp(1, 1)))
    add("open-cap-overrun", open_msg([], params=struct.pack("!BB", 2, 3) + b"\x01\x09\x00"))
    add("open-mp-short", open_msg([cap(1, b"\x00\x01")]))
    add("open-asn4-short", open_msg([cap(65, b"\x00\x01")]))
    add("open-gr-short", open_msg([cap(64, b"\x00")]))
    add("open-addpath-short", open_msg([cap(69, b"\x00\x01\x01")]))
    add("open-hostname-overrun", open_msg([cap(73, b"\x09ab")]))
    add("open-truncated-fixed", msg(1, b"\x04\x00\x01\x00"))
    add("open-optlen-overrun", msg(1, struct.pack("!BHH", 4, 1, 180) + ip("192.0.2.1") + b"\x10" + cap(2)))
    add("open-trailing", open_msg([cap(2)]) + b"\x00\x00")
    add("open-header-length-wrong", msg(1, struct.pack("!BHH", 4, 1, 180) + ip("192.0.2.1") + b"\x00", length=100))
    add("open-rfc9072-extended-params", msg(1, struct.pack("!BHH", 4, 1, 180) + ip("192.0.2.1") + b"\xff\xff" + struct.pack("!H", 6) + struct.pack("!BH", 2, 3) + cap(2) + b"\x00"))


# ---------------------------------------------------------------- NOTIFICATION


SUBCODES = {1: range(0, 5), 2: range(0, 13), 3: range(0, 13), 4: range(0, 2), 5: range(0, 4), 6: range(0, 12), 7: range(0, 3)}


def notifications():
    for code, subs in SUBCODES.items():
        for sub in subs:
            add("notify-%d-%d" % (code, sub), msg(3, bytes([code, sub])))
    add("notify-0-0", msg(3, b"\x00\x00"))
    add("notify-8-1", msg(3, b"\x08\x01"))
    add("notify-255-255", msg(3, b"\xff\xff"))
    add("notify-2-2-data", msg(3, b"\x02\x02\xfd\xe9"))
    add("notify-2-7-data", msg(3, b"\x02\x07" + cap(200, b"\x01")))
    add("notify-3-1-data", msg(3, b"\x03\x01\x40\x01\x01\x05"))
    add("notify-1-2-data", msg(3, b"\x01\x02\x00\x12"))
    add("notify-6-1-data", msg(3, b"\x06\x01" + struct.pack("!HBI", 1, 1, 1000)))
    add("notify-6-3-data", msg(3, b"\x06\x03" + b"\x00\x02\x01"))
    for text in (b"", b"maintenance", b"going down: \"quoted\" \\ back", "caf\u00e9 \u2603".encode(), b"x" * 128, b"line\nbreak"):
        add("notify-6-2-shutdown-%d" % len(text), msg(3, b"\x06\x02" + bytes([len(text)]) + text))
        add("notify-6-4-shutdown-%d" % len(text), msg(3, b"\x06\x04" + bytes([len(text)]) + text))
    add("notify-6-2-length-over", msg(3, b"\x06\x02\x09abc"))
    add("notify-6-2-length-under", msg(3, b"\x06\x02\x02abcdef"))
    add("notify-6-2-too-long", msg(3, b"\x06\x02\x81" + b"y" * 129))
    add("notify-6-2-invalid-utf8", msg(3, b"\x06\x02\x03\xff\xfe\xfd"))
    add("notify-6-4-empty-data", msg(3, b"\x06\x04"))
    add("notify-6-2-empty-data", msg(3, b"\x06\x02"))
    add("notify-text-data", msg(3, b"\x04\x00hold timer expired"))
    add("notify-binary-data", msg(3, b"\x01\x01\x00\x01\x02\xff"))
    add("notify-truncated-1", msg(3, b"\x06"))
    add("notify-truncated-0", msg(3, b""))
    add("notify-header-length-short", msg(3, b"\x06\x02\x03abc", length=22))
    add("notify-header-length-20", msg(3, b"\x06\x02\x03abc", length=20))


# ---------------------------------------------------------------- other families


def labelled():
    def lnlri(p, labels, pathid=None):
        n = ipaddress.ip_network(p, strict=False)
        raw = n.network_address.packed[: (n.prefixlen + 7) // 8]
        ls = b"".join(label(v, i == len(labels) - 1) for i, v in enumerate(labels))
        head = struct.pack("!I", pathid) if pathid is not None else b""
        return head + bytes([len(ls) * 8 + n.prefixlen]) + ls + raw
    add("lu-v4", upd(attrs=BASE + mp_reach(1, 4, ip("192.0.2.1"), lnlri("10.0.0.0/24", [100]))))
    add("lu-v4-two-labels", upd(attrs=BASE + mp_reach(1, 4, ip("192.0.2.1"), lnlri("10.0.0.0/24", [100, 200]))))
    add("lu-v4-many", upd(attrs=BASE + mp_reach(1, 4, ip("192.0.2.1"), lnlri("10.0.0.0/24", [16]) + lnlri("10.0.1.0/24", [17]) + lnlri("10.0.2.1/32", [1048575]))))
    add("lu-v4-withdraw", upd(attrs=mp_unreach(1, 4, lnlri("10.0.0.0/24", [100]))))
    add("lu-v4-withdraw-label-0x800000", upd(attrs=mp_unreach(1, 4, b"\x38\x80\x00\x00\x0a\x00\x00")))
    add("lu-v4-eor", upd(attrs=mp_unreach(1, 4, b"")))
    add("lu-v6", upd(attrs=BASE + mp_reach(2, 4, ip("2001:db8::1"), lnlri("2001:db8::/32", [300]))))
    add("lu-v6-withdraw", upd(attrs=mp_unreach(2, 4, lnlri("2001:db8::/32", [300]))))
    add("lu-v4-addpath", upd(attrs=BASE + mp_reach(1, 4, ip("192.0.2.1"), lnlri("10.0.0.0/24", [100], 5))), "-i")
    add("lu-v4-label-0", upd(attrs=BASE + mp_reach(1, 4, ip("192.0.2.1"), lnlri("10.0.0.0/24", [0]))))
    add("lu-v4-label-3", upd(attrs=BASE + mp_reach(1, 4, ip("192.0.2.1"), lnlri("10.0.0.0/24", [3]))))
    add("lu-v4-no-bos", upd(attrs=BASE + mp_reach(1, 4, ip("192.0.2.1"), b"\x30" + label(5, False) + label(6, False)[:3])))
    add("lu-v4-overrun", upd(attrs=BASE + mp_reach(1, 4, ip("192.0.2.1"), b"\x38" + label(5))))

    def vnlri(p, labels, rd, pathid=None):
        n = ipaddress.ip_network(p, strict=False)
        raw = n.network_address.packed[: (n.prefixlen + 7) // 8]
        ls = b"".join(label(v, i == len(labels) - 1) for i, v in enumerate(labels))
        head = struct.pack("!I", pathid) if pathid is not None else b""
        return head + bytes([len(ls) * 8 + 64 + n.prefixlen]) + ls + rd + raw
    nh_v4 = b"\x00" * 8 + ip("192.0.2.1")
    nh_v6 = b"\x00" * 8 + ip("2001:db8::1")
    for name, rd in (("rd0", rd0(65000, 1)), ("rd1", rd1("192.0.2.1", 9)), ("rd2", rd2(4200000000, 3)), ("rd-unknown", struct.pack("!HHI", 7, 1, 1))):
        add("vpn-v4-%s" % name, upd(attrs=BASE + mp_reach(1, 128, nh_v4, vnlri("10.0.0.0/24", [100], rd))))
    add("vpn-v4-two", upd(attrs=BASE + mp_reach(1, 128, nh_v4, vnlri("10.0.0.0/24", [100], rd0(1, 1)) + vnlri("10.0.1.0/24", [101], rd0(1, 2)))))
    add("vpn-v4-withdraw", upd(attrs=mp_unreach(1, 128, vnlri("10.0.0.0/24", [100], rd0(1, 1)))))
    add("vpn-v4-eor", upd(attrs=mp_unreach(1, 128, b"")))
    add("vpn-v4-host", upd(attrs=BASE + mp_reach(1, 128, nh_v4, vnlri("10.0.0.1/32", [100], rd0(1, 1)))))
    add("vpn-v4-with-rt", upd(attrs=BASE + attr(16, ext(0x00, 0x02, struct.pack("!HI", 65000, 1))) + mp_reach(1, 128, nh_v4, vnlri("10.0.0.0/24", [100], rd0(1, 1)))))
    add("vpn-v6", upd(attrs=BASE + mp_reach(2, 128, nh_v6, vnlri("2001:db8::/32", [100], rd0(1, 1)))))
    add("vpn-v6-withdraw", upd(attrs=mp_unreach(2, 128, vnlri("2001:db8::/32", [100], rd0(1, 1)))))
    add("vpn-v6-eor", upd(attrs=mp_unreach(2, 128, b"")))
    add("vpn-v4-addpath", upd(attrs=BASE + mp_reach(1, 128, nh_v4, vnlri("10.0.0.0/24", [100], rd0(1, 1), 3))), "-i")
    add("vpn-v4-nh-v6", upd(attrs=BASE + mp_reach(1, 128, nh_v6, vnlri("10.0.0.0/24", [100], rd0(1, 1)))))
    add("vpn-v4-truncated", upd(attrs=BASE + mp_reach(1, 128, nh_v4, b"\x70" + label(1) + rd0(1, 1)[:4])))
    add("vpn-v4-len-short", upd(attrs=BASE + mp_reach(1, 128, nh_v4, b"\x10" + label(1))))


def flow_component_sets():
    def op(value, lt=False, gt=False, eq=True, end=True, and_=False, size=None):
        if size is None:
            size = 0 if value < 256 else 1 if value < 65536 else 2
        b = (0x80 if end else 0) | (0x40 if and_ else 0) | (size << 4) | (0x04 if lt else 0) | (0x02 if gt else 0) | (0x01 if eq else 0)
        return bytes([b]) + value.to_bytes(1 << size, "big")

    def bitop(value, match=False, not_=False, end=True, and_=False):
        b = (0x80 if end else 0) | (0x40 if and_ else 0) | (0x02 if not_ else 0) | (0x01 if match else 0)
        size = 0 if value < 256 else 1
        return bytes([b | (size << 4)]) + value.to_bytes(1 << size, "big")
    S = {
        "dst": b"\x01" + pfx("10.0.0.0/24"),
        "src": b"\x02" + pfx("192.0.2.0/24"),
        "dst-src": b"\x01" + pfx("10.0.0.0/24") + b"\x02" + pfx("192.0.2.0/24"),
        "proto-tcp": b"\x01" + pfx("10.0.0.0/24") + b"\x03" + op(6),
        "proto-udp-or-tcp": b"\x03" + op(17, end=False) + op(6),
        "port": b"\x04" + op(80),
        "dport-range": b"\x05" + op(1024, gt=True, end=False) + op(2048, lt=True, and_=True),
        "sport": b"\x06" + op(53),
        "sport-ne": b"\x06" + op(53, lt=True, gt=True, eq=False),
        "icmp-type": b"\x07" + op(8),
        "icmp-code": b"\x08" + op(0),
        "tcp-flags-syn": b"\x09" + bitop(0x02, match=True),
        "tcp-flags-not-rst": b"\x09" + bitop(0x04, not_=True),
        "tcp-flags-ack-and-syn": b"\x09" + bitop(0x10, end=False) + bitop(0x02, and_=True, match=True),
        "packet-length": b"\x0a" + op(1500, lt=True, eq=False),
        "dscp": b"\x0b" + op(46),
        "fragment-dont": b"\x0c" + bitop(0x01, match=True),
        "fragment-first": b"\x0c" + bitop(0x04, match=True),
        "fragment-is": b"\x0c" + bitop(0x02),
        "fragment-last": b"\x0c" + bitop(0x08),
        "port-4byte": b"\x04" + op(70000, size=2),
        "everything": b"\x01" + pfx("10.0.0.0/24") + b"\x02" + pfx("192.0.2.0/24") + b"\x03" + op(6) + b"\x05" + op(80) + b"\x06" + op(1025, gt=True) + b"\x0b" + op(10),
    }
    return S


def flows():
    S = flow_component_sets()

    def fl(components):
        if len(components) < 240:
            return bytes([len(components)]) + components
        return struct.pack("!H", 0xF000 | len(components)) + components
    actions = [
        ("rate-0", ext(0x80, 0x06, struct.pack("!Hf", 0, 0.0))),
        ("rate-1000", ext(0x80, 0x06, struct.pack("!Hf", 0, 1000.0))),
        ("redirect", ext(0x80, 0x08, struct.pack("!HI", 65000, 7))),
        ("mark", ext(0x80, 0x09, b"\x00" * 5 + b"\x0a")),
        ("action-sample", ext(0x80, 0x07, b"\x00" * 5 + b"\x02")),
        ("action-terminal", ext(0x80, 0x07, b"\x00" * 5 + b"\x01")),
    ]
    for name, comp in S.items():
        add("flow-v4-%s" % name, upd(attrs=BASE + attr(16, actions[0][1]) + mp_reach(1, 133, b"", fl(comp))))
    for name, action in actions:
        add("flow-v4-act-%s" % name, upd(attrs=BASE + attr(16, action) + mp_reach(1, 133, b"", fl(S["dst"]))))
    add("flow-v4-redirect-nh", upd(attrs=BASE + attr(16, actions[0][1]) + mp_reach(1, 133, ip("192.0.2.1"), fl(S["dst"]))))
    add("flow-v4-withdraw", upd(attrs=mp_unreach(1, 133, fl(S["dst-src"]))))
    add("flow-v4-eor", upd(attrs=mp_unreach(1, 133, b"")))
    add("flow-v4-two", upd(attrs=BASE + mp_reach(1, 133, b"", fl(S["dst"]) + fl(S["src"]))))
    add("flow-v4-long", upd(attrs=BASE + mp_reach(1, 133, b"", fl(b"\x05" + b"".join(bytes([0x00 if i < 79 else 0x80, 0x10, i]) for i in range(80))))))
    add("flow-v4-bad-order", upd(attrs=BASE + mp_reach(1, 133, b"", fl(S["src"] + S["dst"]))))
    add("flow-v4-bad-type", upd(attrs=BASE + mp_reach(1, 133, b"", fl(b"\x0f\x81\x01"))))
    add("flow-v4-truncated", upd(attrs=BASE + mp_reach(1, 133, b"", b"\x09\x01\x18\x0a")))
    add("flow-v4-no-end-bit", upd(attrs=BASE + mp_reach(1, 133, b"", fl(b"\x03\x01\x06"))))

    def v6p(p, offset=0):
        n = ipaddress.ip_network(p, strict=False)
        return bytes([n.prefixlen, offset]) + n.network_address.packed[: (n.prefixlen + 7) // 8]
    v6sets = {
        "dst": b"\x01" + v6p("2001:db8::/32"),
        "src-offset": b"\x02" + v6p("2001:db8::/64", 8),
        "next-header": b"\x01" + v6p("2001:db8::/32") + b"\x03\x81\x3a",
        "flow-label": b"\x01" + v6p("2001:db8::/32") + b"\x0d\xa1\x00\x01",
        "port": b"\x01" + v6p("2001:db8::/32") + b"\x04\x81\x35",
    }
    for name, comp in v6sets.items():
        add("flow-v6-%s" % name, upd(attrs=BASE + attr(16, actions[1][1]) + mp_reach(2, 133, b"", fl(comp))))
    add("flow-v6-withdraw", upd(attrs=mp_unreach(2, 133, fl(v6sets["dst"]))))
    add("flow-v6-eor", upd(attrs=mp_unreach(2, 133, b"")))
    add("flow-v6-redirect-ipv6", upd(attrs=BASE + attr(25, bytes([0x80, 0x0B]) + ip("2001:db8::1") + struct.pack("!H", 7)) + mp_reach(2, 133, b"", fl(v6sets["dst"]))))
    for name, rd in (("rd0", rd0(65000, 1)), ("rd1", rd1("192.0.2.1", 9))):
        add("flowvpn-v4-%s" % name, upd(attrs=BASE + attr(16, actions[0][1]) + mp_reach(1, 134, b"", fl(rd + S["dst"]))))
    add("flowvpn-v4-withdraw", upd(attrs=mp_unreach(1, 134, fl(rd0(1, 1) + S["dst-src"]))))
    add("flowvpn-v4-eor", upd(attrs=mp_unreach(1, 134, b"")))
    add("flowvpn-v6", upd(attrs=BASE + mp_reach(2, 134, b"", fl(rd0(1, 1) + v6sets["dst"]))))
    add("flowvpn-v6-eor", upd(attrs=mp_unreach(2, 134, b"")))
    # -n with flow family
    add("n-flow-v4", fl(S["dst-src"]), "-n", "-f", "ipv4 flow")


def rtc():
    def r(origin, rt):
        return b"\x60" + struct.pack("!I", origin) + rt
    rt = ext(0x00, 0x02, struct.pack("!HI", 65000, 1))
    add("rtc-one", upd(attrs=BASE + mp_reach(1, 132, ip("192.0.2.1"), r(65000, rt))))
    add("rtc-two", upd(attrs=BASE + mp_reach(1, 132, ip("192.0.2.1"), r(65000, rt) + r(65001, ext(0x01, 0x02, ip("192.0.2.1") + b"\x00\x07")))))
    add("rtc-default", upd(attrs=BASE + mp_reach(1, 132, ip("192.0.2.1"), b"\x00")))
    add("rtc-withdraw", upd(attrs=mp_unreach(1, 132, r(65000, rt))))
    add("rtc-eor", upd(attrs=mp_unreach(1, 132, b"")))
    add("rtc-partial-len", upd(attrs=BASE + mp_reach(1, 132, ip("192.0.2.1"), b"\x40" + struct.pack("!I", 65000) + rt[:4])))


def vpls():
    def v(rd, ve, off, size, base):
        body = rd + struct.pack("!HHH", ve, off, size) + label(base)
        return struct.pack("!H", len(body)) + body
    add("vpls-one", upd(attrs=BASE + mp_reach(25, 65, ip("192.0.2.1"), v(rd0(65000, 1), 1, 0, 8, 100))))
    add("vpls-rd1", upd(attrs=BASE + mp_reach(25, 65, ip("192.0.2.1"), v(rd1("192.0.2.1", 5), 3, 10, 16, 2000))))
    add("vpls-l2info", upd(attrs=BASE + attr(16, ext(0x80, 0x0A, struct.pack("!BBHH", 19, 0, 1500, 0))) + mp_reach(25, 65, ip("192.0.2.1"), v(rd0(65000, 1), 1, 0, 8, 100))))
    add("vpls-withdraw", upd(attrs=mp_unreach(25, 65, v(rd0(65000, 1), 1, 0, 8, 100))))
    add("vpls-eor", upd(attrs=mp_unreach(25, 65, b"")))
    add("vpls-bad-length", upd(attrs=BASE + mp_reach(25, 65, ip("192.0.2.1"), struct.pack("!H", 10) + b"\x00" * 10)))


ESI0 = b"\x00" * 10
ESI1 = bytes.fromhex("00010203040506070809")
MAC = bytes.fromhex("001122334455")


def evpns():
    def e(t, body):
        return bytes([t, len(body)]) + body
    R = rd0(65000, 1)
    routes = {
        "ad": e(1, R + ESI1 + struct.pack("!I", 0) + label(100)),
        "ad-max-etag": e(1, rd1("192.0.2.1", 1) + ESI0 + struct.pack("!I", 0xFFFFFFFF) + label(0)),
        "mac": e(2, R + ESI0 + struct.pack("!I", 0) + b"\x30" + MAC + b"\x00" + label(100)),
        "mac-ipv4": e(2, R + ESI0 + struct.pack("!I", 5) + b"\x30" + MAC + b"\x20" + ip("192.0.2.9") + label(100)),
        "mac-ipv6": e(2, R + ESI1 + struct.pack("!I", 5) + b"\x30" + MAC + b"\x80" + ip("2001:db8::9") + label(100)),
        "mac-two-labels": e(2, R + ESI0 + struct.pack("!I", 0) + b"\x30" + MAC + b"\x20" + ip("192.0.2.9") + label(100) + label(200)),
        "multicast-v4": e(3, R + struct.pack("!I", 0) + b"\x20" + ip("192.0.2.1")),
        "multicast-v6": e(3, R + struct.pack("!I", 7) + b"\x80" + ip("2001:db8::1")),
        "segment-v4": e(4, R + ESI1 + b"\x20" + ip("192.0.2.1")),
        "segment-v6": e(4, R + ESI1 + b"\x80" + ip("2001:db8::1")),
        "prefix-v4": e(5, R + ESI0 + struct.pack("!I", 0) + b"\x18" + ip("10.0.0.0") + ip("0.0.0.0") + label(100)),
        "prefix-v4-gw": e(5, R + ESI1 + struct.pack("!I", 3) + b"\x20" + ip("10.0.0.1") + ip("192.0.2.1") + label(100)),
        "prefix-v6": e(5, R + ESI0 + struct.pack("!I", 0) + b"\x40" + ip("2001:db8::") + ip("::") + label(100)),
        "unknown-type": e(9, b"\x01\x02\x03"),
    }
    for name, r in routes.items():
        add("evpn-%s" % name, upd(attrs=BASE + attr(16, ext(0x03, 0x0C, struct.pack("!IH", 0, 8))) + mp_reach(25, 70, ip("192.0.2.1"), r)))
    add("evpn-withdraw-mac", upd(attrs=mp_unreach(25, 70, routes["mac-ipv4"])))
    add("evpn-withdraw-two", upd(attrs=mp_unreach(25, 70, routes["ad"] + routes["multicast-v4"])))
    add("evpn-eor", upd(attrs=mp_unreach(25, 70, b"")))
    add("evpn-all-types", upd(attrs=BASE + mp_reach(25, 70, ip("192.0.2.1"), b"".join(routes[k] for k in ("ad", "mac-ipv4", "multicast-v4", "segment-v4", "prefix-v4")))))
    add("evpn-nh-v6", upd(attrs=BASE + mp_reach(25, 70, ip("2001:db8::1"), routes["mac"])))
    add("evpn-with-mobility", upd(attrs=BASE + attr(16, ext(0x06, 0x00, struct.pack("!BBI", 1, 0, 9)) + ext(0x06, 0x03, MAC)) + mp_reach(25, 70, ip("192.0.2.1"), routes["mac-ipv4"])))
    add("evpn-pmsi", upd(attrs=BASE + attr(22, struct.pack("!BB", 0, 6) + label(100) + ip("192.0.2.1")) + mp_reach(25, 70, ip("192.0.2.1"), routes["multicast-v4"])))
    add("evpn-truncated", upd(attrs=BASE + mp_reach(25, 70, ip("192.0.2.1"), b"\x02\x21" + R)))
    add("evpn-mac-bad-maclen", upd(attrs=BASE + mp_reach(25, 70, ip("192.0.2.1"), e(2, R + ESI0 + struct.pack("!I", 0) + b"\x28" + MAC + b"\x00" + label(100)))))
    add("evpn-mac-bad-iplen", upd(attrs=BASE + mp_reach(25, 70, ip("192.0.2.1"), e(2, R + ESI0 + struct.pack("!I", 0) + b"\x30" + MAC + b"\x10" + b"\x0a\x00" + label(100)))))
    add("n-evpn-mac", routes["mac-ipv4"], "-n", "-f", "l2vpn evpn")
    add("n-evpn-prefix", routes["prefix-v4"], "-n", "-f", "l2vpn evpn")


def mvpns():
    R = rd0(65000, 1)

    def m(t, body):
        return bytes([t, len(body)]) + body
    routes = {
        "source-ad-v4": m(5, R + b"\x20" + ip("192.0.2.1") + b"\x20" + ip("239.1.1.1")),
        "shared-join-v4": m(6, R + struct.pack("!I", 65000) + b"\x20" + ip("192.0.2.1") + b"\x20" + ip("239.1.1.1")),
        "source-join-v4": m(7, R + struct.pack("!I", 65000) + b"\x20" + ip("192.0.2.1") + b"\x20" + ip("239.1.1.1")),
        "intra-as-ipmsi": m(1, R + ip("192.0.2.1")),
        "unknown-type": m(42, b"\x00\x01"),
    }
    for name, r in routes.items():
        add("mvpn-%s" % name, upd(attrs=BASE + mp_reach(1, 5, ip("192.0.2.1"), r)))
    v6 = m(5, R + b"\x80" + ip("2001:db8::1") + b"\x80" + ip("ff0e::1"))
    add("mvpn-source-ad-v6", upd(attrs=BASE + mp_reach(2, 5, ip("2001:db8::1"), v6)))
    add("mvpn-withdraw", upd(attrs=mp_unreach(1, 5, routes["source-join-v4"])))
    add("mvpn-eor", upd(attrs=mp_unreach(1, 5, b"")))
    add("mvpn-v6-eor", upd(attrs=mp_unreach(2, 5, b"")))


def mups():
    R = rd0(65000, 1)

    def mu(rt, body, arch=1):
        return struct.pack("!BHB", arch, rt, len(body)) + body
    v4routes = {
        "isd": mu(1, R + b"\x18" + ip("10.0.0.0")[:3]),
        "dsd": mu(2, R + ip("192.0.2.1")),
        "t1st": mu(3, R + b"\x20" + ip("10.0.0.1") + struct.pack("!IB", 12345, 9) + b"\x20" + ip("192.0.2.1") + b"\x20" + ip("192.0.2.2")),
        "t1st-no-source": mu(3, R + b"\x20" + ip("10.0.0.1") + struct.pack("!IB", 12345, 9) + b"\x20" + ip("192.0.2.1")),
        "t2st": mu(4, R + b"\x40" + ip("192.0.2.1") + struct.pack("!I", 12345)),
        "t2st-partial-teid": mu(4, R + b"\x30" + ip("192.0.2.1") + struct.pack("!H", 0x3039)),
        "unknown-route": mu(9, R),
    }
    mupext = attr(16, ext(0x0C, 0x00, struct.pack("!HI", 10, 10)))
    for name, r in v4routes.items():
        add("mup-v4-%s" % name, upd(attrs=BASE + mupext + mp_reach(1, 85, ip("192.0.2.1"), r)))
    v6routes = {
        "isd": mu(1, R + b"\x40" + ip("2001:db8::")[:8]),
        "dsd": mu(2, R + ip("2001:db8::1")),
        "t2st": mu(4, R + b"\xa0" + ip("2001:db8::1") + struct.pack("!I", 7)),
    }
    for name, r in v6routes.items():
        add("mup-v6-%s" % name, upd(attrs=BASE + mupext + mp_reach(2, 85, ip("2001:db8::1"), r)))
    add("mup-withdraw", upd(attrs=mp_unreach(1, 85, v4routes["dsd"])))
    add("mup-eor", upd(attrs=mp_unreach(1, 85, b"")))
    add("mup-prefix-sid-srv6", upd(attrs=BASE + mupext + attr(40, struct.pack("!BHB", 5, 25, 0) + struct.pack("!BHB", 1, 21, 0) + ip("2001:db8::5") + b"\x00" + struct.pack("!H", 0x48) + b"\x00") + mp_reach(1, 85, ip("192.0.2.1"), v4routes["dsd"])))


def bgpls():
    def tlv(t, v):
        return struct.pack("!HH", t, len(v)) + v
    node_desc = tlv(512, struct.pack("!I", 65000)) + tlv(513, struct.pack("!I", 0)) + tlv(515, ip("192.0.2.1"))
    node_isis = tlv(512, struct.pack("!I", 65000)) + tlv(515, bytes.fromhex("000000000001"))
    remote = tlv(512, struct.pack("!I", 65000)) + tlv(515, ip("192.0.2.2"))

    def ls(t, proto, ident, body):
        v = struct.pack("!BQ", proto, ident) + body
        return struct.pack("!HH", t, len(v)) + v
    routes = {
        "node-ospf": ls(1, 3, 0, tlv(256, node_desc)),
        "node-isis": ls(1, 2, 1, tlv(256, node_isis)),
        "node-direct": ls(1, 4, 0, tlv(256, node_desc)),
        "link": ls(2, 3, 0, tlv(256, node_desc) + tlv(257, remote) + tlv(259, ip("10.0.0.1")) + tlv(260, ip("10.0.0.2"))),
        "link-ids": ls(2, 2, 0, tlv(256, node_isis) + tlv(257, remote) + tlv(258, struct.pack("!II", 1, 2))),
        "prefix-v4": ls(3, 3, 0, tlv(256, node_desc) + tlv(265, b"\x18" + ip("10.0.0.0")[:3])),
        "prefix-v4-ospf-route": ls(3, 3, 0, tlv(256, node_desc) + tlv(264, b"\x01") + tlv(265, b"\x20" + ip("10.0.0.1"))),
        "prefix-v6": ls(4, 2, 0, tlv(256, node_isis) + tlv(265, b"\x40" + ip("2001:db8::")[:8])),
        "unknown-type": ls(9, 3, 0, b""),
    }
    for name, r in routes.items():
        add("bgpls-%s" % name, upd(attrs=BASE + mp_reach(16388, 71, ip("192.0.2.1"), r)))
    add("bgpls-withdraw", upd(attrs=mp_unreach(16388, 71, routes["node-ospf"])))
    add("bgpls-eor", upd(attrs=mp_unreach(16388, 71, b"")))
    add("bgpls-vpn-eor", upd(attrs=mp_unreach(16388, 72, b"")))
    # attribute 29 (BGP-LS attribute) TLVs
    attrs29 = {
        "node-name": tlv(1026, b"router1"),
        "node-flags": tlv(1024, b"\x80"),
        "isis-area": tlv(1027, b"\x49\x00\x01"),
        "local-te-rid": tlv(1028, ip("192.0.2.1")),
        "igp-metric": tlv(1095, b"\x00\x00\x0a"),
        "te-metric": tlv(1092, struct.pack("!I", 100)),
        "admin-group": tlv(1088, struct.pack("!I", 1)),
        "max-bw": tlv(1089, struct.pack("!f", 1e9)),
        "rsvp-bw": tlv(1090, struct.pack("!f", 5e8)),
        "unrsvp-bw": tlv(1091, struct.pack("!8f", *([1e8] * 8))),
        "link-name": tlv(1098, b"link-a"),
        "prefix-metric": tlv(1155, struct.pack("!I", 20)),
        "igp-flags": tlv(1152, b"\x80"),
        "sr-cap": tlv(1034, b"\x80\x00" + struct.pack("!I", 8000)[1:] + tlv(1161, label(16000)[:3])),
        "opaque-node": tlv(1025, b"\x01\x02"),
        "unknown-tlv": tlv(9999, b"\x01"),
    }
    for name, value in attrs29.items():
        add("bgpls-attr-%s" % name, upd(attrs=BASE + attr(29, value) + mp_reach(16388, 71, ip("192.0.2.1"), routes["node-ospf" if name not in ("igp-metric", "te-metric", "admin-group", "max-bw", "rsvp-bw", "unrsvp-bw", "link-name") else "link"])))


def nlri_only():
    add("n-v4-one", pfx("10.0.0.0/24"), "-n")
    add("n-v4-many", pfx("10.0.0.0/24") + pfx("11.0.0.1/32") + pfx("0.0.0.0/0"), "-n")
    add("n-v4-addpath", pfx("10.0.0.0/24", 3), "-n", "-i")
    add("n-v4-bad", b"\x21\x0a", "-n")
    add("n-v4-truncated", b"\x18\x0a", "-n")
    add("n-empty", b"", "-n")
    add("n-v6", pfx("2001:db8::/32"), "-n", "-f", "ipv6 unicast")
    add("n-v6-addpath", pfx("2001:db8::/32", 1), "-n", "-i", "-f", "ipv6 unicast")
    add("n-v4-multicast", pfx("224.0.0.0/4"), "-n", "-f", "ipv4 multicast")
    add("n-v4-nlri-mpls", b"\x30" + label(16) + b"\x0a\x00", "-n", "-f", "ipv4 nlri-mpls")
    add("n-v4-mpls-vpn", b"\x70" + label(16) + rd0(1, 1) + b"\x0a\x00\x00"[:1], "-n", "-f", "ipv4 mpls-vpn")


def configured():
    conf = "tests/decode/decode.conf"
    add("c-v6", upd(attrs=BASE + mp_reach(2, 1, ip("2001:db8::1"), pfx("2001:db8::/32", 4))), "-c", conf)
    add("c-v4-addpath", upd(attrs=BASE + NH4, nlri=pfx("10.0.0.0/24", 2)), "-c", conf)
    add("c-v4-multicast-refused", upd(attrs=BASE + mp_reach(1, 2, ip("192.0.2.1"), pfx("224.1.0.0/16", 1))), "-c", conf)
    add("c-open", open_msg([cap(2)]), "-c", conf)
    add("c-nlri", pfx("2001:db8::/32", 1), "-n", "-c", conf)
    aigp = "tests/decode/decode-aigp.conf"
    add("c-aigp", v4(BASE + NH4 + attr(26, struct.pack("!BHQ", 1, 11, 1000))), "-c", aigp)
    add("c-aigp-bad-length", v4(BASE + NH4 + attr(26, b"\x01\x00")), "-c", aigp)


def main():
    configured()
    inet()
    attributes()
    malformed_updates()
    opens()
    notifications()
    labelled()
    flows()
    rtc()
    vpls()
    evpns()
    mvpns()
    mups()
    bgpls()
    nlri_only()
    with open(OUT, "w") as f:
        for c in CORPUS:
            f.write(json.dumps(c, sort_keys=True) + "\n")
    print("%d messages written to %s" % (len(CORPUS), OUT))


if __name__ == "__main__":
    main()
