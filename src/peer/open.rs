//! The OPEN message ferrobgp sends for a neighbor, capability for capability as ExaBGP.
