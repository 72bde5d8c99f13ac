//! Driving a table block that takes one operation at a time (`op_valid` while not `busy`,
//! answered by a `done` pulse): `ConnTable`, `MacTable`.
use flowdist_sim::Sim;

/// Clocks `sim` while `busy` is high (at most `max` cycles; panics after, naming the top).
pub fn wait_idle(sim: &mut Sim, max: usize) {
    let mut waited = 0;
    while sim.get("busy").unwrap() != 0 {
        sim.run(&[], &[], 1, None, &[]).unwrap();
        waited += 1;
        assert!(waited < max, "{} busy for good", sim.name());
    }
}

/// Pulses `op_valid` for one cycle (the operation's inputs already set), then clocks until
/// `done`: the cycles from `op_valid` to `done`. Panics when no answer comes in 100 cycles.
pub fn issue(sim: &mut Sim) -> usize {
    sim.set("op_valid", 1).unwrap();
    sim.run(&[], &[], 1, None, &[]).unwrap();
    sim.set("op_valid", 0).unwrap();
    for c in 0..100 {
        sim.run(&[], &[], 1, None, &[]).unwrap();
        if sim.get("done").unwrap() != 0 {
            return c + 2;
        }
    }
    panic!("{} never finished an operation", sim.name());
}
