//! The internal helper behind the `cli` named pipes: registered like a configured helper
//! (same command path, same answers) but fed by the pipe threads instead of a process, never
//! respawned or stopped by a reload, and allowed to address every neighbor.

use log::{info, warn};

use super::helpers::Helper;
use super::Reactor;
use crate::api::pipe;
use crate::api::process::{HelperKey, Running, STDIN_QUEUE};
use crate::config::{Encoder, Location, Process};

impl Reactor {
    /// Serve `<api.pipename>.in/.out` when api.cli is on and the FIFOs exist (as ExaBGP, a
    /// missing pair only disables the cli, with a hint in the log).
    pub(super) fn start_cli(&mut self) {
        if !self.settings.api.cli {
            return;
        }
        let name = if self.settings.api.pipename.is_empty() {
            "exabgp".to_string()
        } else {
            self.settings.api.pipename.clone()
        };
        let root = crate::env::root();
        let Some(dir) = pipe::find(&root, &name) else {
            info!(target: "cli", "no named pipes {name}.in/{name}.out found, the cli is disabled (create them with mkfifo in one of: {})",
                pipe::locations(&root).iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "));
            return;
        };
        let index = self.helpers.len();
        let key = HelperKey {
            index,
            generation: 1,
        };
        let stdin = match pipe::serve(&dir, &name, key, self.helper_tx.clone(), STDIN_QUEUE) {
            Ok(tx) => tx,
            Err(e) => {
                warn!(target: "cli", "cannot serve the cli pipes in {}: {e}", dir.display());
                return;
            }
        };
        let process = Process {
            name: format!("api-internal-cli-{:x}", std::process::id()),
            run: Vec::new(),
            encoder: Encoder::Text,
            respawn: false,
            location: Location::default(),
        };
        // ExaBGP's bridge starts with `enable-ack`: the cli always gets done/error.
        let mut helper = Helper::new(process, self.settings.api.compact, true);
        helper.internal = true;
        helper.generation = 1;
        helper.running = Some(Running::internal(key, stdin));
        self.helpers.push(helper);
        info!(target: "cli", "cli named pipes served from {}", dir.display());
    }
}
