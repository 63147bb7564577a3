//! Capability negotiation (RFC 5492): what both OPENs agree on.
