//! BGP sessions: the OPEN we send, negotiation, the FSM, and the socket threads.

pub mod negotiate;
pub mod open;
