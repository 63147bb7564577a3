//! The healthcheck state machine, as ExaBGP's: INIT, then RISING/FALLING while `rise`/`fall`
//! consecutive results accumulate, UP/DOWN once they have, DISABLED while the disable file
//! exists; EXIT (withdraw everything) on SIGTERM, END when `--interval 0` finished its one pass.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Init,
    Disabled,
    Rising,
    Falling,
    Up,
    Down,
    Exit,
    End,
}

impl State {
    /// The name hooks see in `$STATE` and logs print.
    pub fn name(self) -> &'static str {
        match self {
            State::Init => "INIT",
            State::Disabled => "DISABLED",
            State::Rising => "RISING",
            State::Falling => "FALLING",
            State::Up => "UP",
            State::Down => "DOWN",
            State::Exit => "EXIT",
            State::End => "END",
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Machine {
    pub state: State,
    /// Consecutive results agreeing with the RISING/FALLING direction.
    pub checks: i64,
    rise: i64,
    fall: i64,
}

impl Machine {
    pub fn new(rise: i64, fall: i64) -> Machine {
        Machine {
            state: State::Init,
            checks: 0,
            rise,
            fall,
        }
    }

    /// A transition's real target: with rise (fall) of one or less there is nothing to count,
    /// so RISING (FALLING) goes straight to UP (DOWN).
    fn target(&self, wanted: State) -> State {
        match wanted {
            State::Rising if self.rise <= 1 => State::Up,
            State::Falling if self.fall <= 1 => State::Down,
            other => other,
        }
    }

    fn trigger(&mut self, wanted: State) -> Option<State> {
        let target = self.target(wanted);
        self.state = target;
        Some(target)
    }

    /// One check's outcome. `disabled`: the disable file exists (the check is not run then and
    /// `successful` is ignored). Returns the state a transition was triggered to, if any, so
    /// the caller runs that state's execute hooks; staying in UP or DOWN triggers nothing.
    pub fn step(&mut self, disabled: bool, successful: bool) -> Option<State> {
        let successful = disabled || successful;
        if self.state != State::Disabled && disabled {
            return self.trigger(State::Disabled);
        }
        match self.state {
            State::Init => {
                if successful && self.rise <= 1 {
                    self.trigger(State::Up)
                } else {
                    self.checks = 1;
                    self.trigger(if successful {
                        State::Rising
                    } else {
                        State::Falling
                    })
                }
            }
            State::Disabled => {
                if disabled {
                    None
                } else {
                    self.trigger(State::Init)
                }
            }
            State::Rising => {
                if successful {
                    self.checks += 1;
                    if self.checks >= self.rise {
                        return self.trigger(State::Up);
                    }
                    None
                } else {
                    self.checks = 1;
                    self.trigger(State::Falling)
                }
            }
            State::Falling => {
                if successful {
                    self.checks = 1;
                    self.trigger(State::Rising)
                } else {
                    self.checks += 1;
                    if self.checks >= self.fall {
                        return self.trigger(State::Down);
                    }
                    None
                }
            }
            State::Up if !successful => {
                self.checks = 1;
                self.trigger(State::Falling)
            }
            State::Down if successful => {
                self.checks = 1;
                self.trigger(State::Rising)
            }
            State::Up | State::Down | State::Exit | State::End => None,
        }
    }

    /// Whether the next wait is the fast interval (a change is under way).
    pub fn settling(&self) -> bool {
        matches!(self.state, State::Rising | State::Falling)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(machine: &mut Machine, results: &[bool]) -> Vec<State> {
        results
            .iter()
            .map(|ok| {
                machine.step(false, *ok);
                machine.state
            })
            .collect()
    }

    #[test]
    fn rises_after_rise_successes_and_falls_after_fall_failures() {
        let mut m = Machine::new(3, 2);
        use State::*;
        assert_eq!(
            run(&mut m, &[true, true, true, true, false, false, true]),
            [Rising, Rising, Up, Up, Falling, Down, Rising]
        );
    }

    #[test]
    fn a_flap_restarts_the_count() {
        let mut m = Machine::new(3, 3);
        use State::*;
        assert_eq!(
            run(&mut m, &[true, true, false, true, true, true]),
            [Rising, Rising, Falling, Rising, Rising, Up]
        );
    }

    #[test]
    fn rise_and_fall_of_one_skip_the_counting_states() {
        let mut m = Machine::new(1, 1);
        assert_eq!(m.step(false, true), Some(State::Up));
        assert_eq!(m.step(false, true), None);
        assert_eq!(m.step(false, false), Some(State::Down));
        assert_eq!(m.step(false, true), Some(State::Up));
        let mut m = Machine::new(2, 1);
        assert_eq!(m.step(false, false), Some(State::Down));
    }

    #[test]
    fn disable_file_overrides_and_release_restarts_from_init() {
        let mut m = Machine::new(1, 1);
        m.step(false, true);
        assert_eq!(m.step(true, false), Some(State::Disabled));
        assert_eq!(m.step(true, false), None);
        assert_eq!(m.state, State::Disabled);
        assert_eq!(m.step(false, false), Some(State::Init));
        assert_eq!(m.step(false, false), Some(State::Down));
    }

    #[test]
    fn settling_means_fast_interval() {
        let mut m = Machine::new(3, 3);
        m.step(false, true);
        assert!(m.settling());
        m.step(false, true);
        m.step(false, true);
        assert!(!m.settling());
    }
}
