//! The functional-test peer described in the upstream suite's README.
fn main() {}
