//! BGP sessions: the OPEN we send, negotiation, and the socket threads.

pub mod io;
pub mod negotiate;
pub mod open;
pub mod sockopt;
