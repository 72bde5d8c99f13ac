//! The connection table (R9): which TM owns a connection, by its full key, in block RAM.
//!
//! d-left hashing with d = 2: 2^A slots in two halves, buckets of 8 slots; a key's left
//! bucket is the low A-4 bits of CRC-32 (IEEE) over its 15 key bytes, folded (c ^ c>>11 ^
//! c>>22), its right bucket those of CRC-32C. Why d-left and not cuckoo: an insert never moves
//! other entries (one write, a fixed number of cycles, nothing to undo when the table is full,
//! and a lookup never races a relocation). The price: the first failed insert comes at 82-95 %
//! load depending on the key pattern (`flowdist_model::conn_table`, `first_failure_loads`),
//! where cuckoo relocation would reach higher; a failed insert disturbs nothing and the packet
//! is still delivered by hash.
//!
//! One operation at a time (`op_valid` while not `busy`): 0 lookup, 1 insert (`op_tm`;
//! with `op_keep` a *learn*: a live entry keeps its TM and is only refreshed, reported as a
//! hit), 2 delete, 3 read the slot at address `key[A-1:0]` (table dumps, control reads).
//! Timing: two cycles hashing the whole key (both CRCs at once, [`KeyCrc`], in two halves), 8 cycles reading
//! the two candidate buckets side by side (left slot i on the RAM's read port, right slot i
//! on its write port, which reads when it does not write), 4 cycles of read latency (block
//! RAM output register, the words registered again, then whether each is live and holds the
//! key), one decision cycle with at most one write: 16 cycles from `op_valid` to `done`, so two ports' minimum frames (84 cycles
//! each on the wire) have room for a lookup and a learn each. `done` pulses with `result` (0 miss,
//! 1 hit, 2 inserted, 3 updated, 4 full, 5 deleted, 6 slot read) and `tm`; a slot read gives
//! `entry`.
//!
//! Aging: `now` is an 8-bit epoch advanced by `tick`, never in the middle of an operation
//! (every slot of an operation is judged against one `now`): a tick while idle applies at
//! once, a tick during an operation waits for its last cycle and applies after it (`ticked`
//! pulses with the `done` of that operation, or alone), ticks during a sweep wait their turn
//! (up to 7 kept); `busy` rises the cycle a tick applies, so an operation offered then waits
//! for the sweep; a slot is live while valid and
//! `now - seen < timeout` (mod 256); a lookup hit refreshes `seen`. Expired slots count as
//! empty. A tick then sweeps the next 64th of the table (2^(A-6) + 6 cycles: 22 for 1,024
//! slots, short enough that a frame's lookup waiting behind it still meets the next frame;
//! `busy`): each
//! slot read on the read port, judged against the new `now` and, if expired, emptied (every
//! field zero) on the write port; so an expired entry is gone within 64 ticks and cannot come
//! back to life when `now - seen` wraps (timeouts up to 192). Entry layout (bits): valid 0, key 120..1, TM 124..121, last seen 132..125.
//!
//! Model twin: `flowdist_model::conn_table` (same slot order, tie rule and expiry, so the two
//! agree on every slot).
use crate::block_ram::BlockRam;
use crate::crc32_byte::{POLY_CASTAGNOLI, POLY_IEEE};
use crate::key_crc::KeyCrc;
use rust_hdl::prelude::*;

/// Bits of one slot.
pub const ENTRY_BITS: usize = 133;

#[derive(LogicBlock)]
pub struct ConnTable<const A: usize> {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    pub op_valid: Signal<In, Bit>,
    pub op: Signal<In, Bits<2>>,
    pub key: Signal<In, Bits<120>>,
    pub op_tm: Signal<In, Bits<4>>,
    pub op_keep: Signal<In, Bit>,
    pub busy: Signal<Out, Bit>,
    pub tick: Signal<In, Bit>,
    pub timeout: Signal<In, Bits<8>>,
    pub done: Signal<Out, Bit>,
    /// `now` advanced (see Aging), with or without a `done`.
    pub ticked: Signal<Out, Bit>,
    pub result: Signal<Out, Bits<3>>,
    pub tm: Signal<Out, Bits<4>>,
    pub entry: Signal<Out, Bits<ENTRY_BITS>>,
    /// A sweep ended (one cycle), having emptied `expired` slots.
    pub swept: Signal<Out, Bit>,
    pub expired: Signal<Out, Bits<12>>,
    ram: BlockRam<ENTRY_BITS, A>,
    hash_l: KeyCrc,
    hash_r: KeyCrc,
    // 0 idle, 1 hash, 5 hash (second half), 2 scan, 3 act, 4 slot read, 7 then 6 sweep
    state: DFF<Bits<3>>,
    /// the sweep: the next slot it reads (its top 6 bits: the 64th being swept), whether it
    /// is still reading, which of the last 4 cycles read (the words judged now), the slot
    /// judged now
    sa: DFF<Bits<A>>,
    rd_on: DFF<Bit>,
    sv: DFF<Bits<4>>,
    sw: DFF<Bits<A>>,
    /// the write port's write, registered (timing): the act state's and the sweep's writes
    /// land a cycle after they are decided
    wr_en: DFF<Bit>,
    wr_addr: DFF<Bits<A>>,
    wr_data: DFF<Bits<ENTRY_BITS>>,
    exp_n: DFF<Bits<12>>,
    o_swept: DFF<Bit>,
    tick_now: Signal<Local, Bit>,
    op_q: DFF<Bits<2>>,
    tm_q: DFF<Bits<4>>,
    keep_q: DFF<Bit>,
    key_q: DFF<Bits<120>>,
    cl: DFF<Bits<32>>,
    cr: DFF<Bits<32>>,
    hl_hi: DFF<Bits<32>>,
    hr_hi: DFF<Bits<32>>,
    k: DFF<Bits<5>>,
    now: DFF<Bits<8>>,
    w: DFF<Bits<ENTRY_BITS>>,
    w_r: DFF<Bits<ENTRY_BITS>>,
    p_live: DFF<Bit>,
    p_live_r: DFF<Bit>,
    p_match: DFF<Bit>,
    p_match_r: DFF<Bit>,
    p_match_hi: DFF<Bit>,
    p_match_r_hi: DFF<Bit>,
    p_tm: DFF<Bits<4>>,
    p_tm_r: DFF<Bits<4>>,
    found: DFF<Bit>,
    found_at: DFF<Bits<4>>,
    found_tm: DFF<Bits<4>>,
    found_r: DFF<Bit>,
    found_at_r: DFF<Bits<3>>,
    found_tm_r: DFF<Bits<4>>,
    /// the slot holding the key: the first live match, left bucket before right (as the model)
    hit: Signal<Local, Bit>,
    hit_at: Signal<Local, Bits<4>>,
    hit_tm: Signal<Local, Bits<4>>,
    free_l: DFF<Bits<4>>,
    free_r: DFF<Bits<4>>,
    first_l: DFF<Bits<3>>,
    first_r: DFF<Bits<3>>,
    has_l: DFF<Bit>,
    has_r: DFF<Bit>,
    o_done: DFF<Bit>,
    /// ticks waiting (up to 7)
    tick_pend: DFF<Bits<3>>,
    o_ticked: DFF<Bit>,
    o_result: DFF<Bits<3>>,
    o_tm: DFF<Bits<4>>,
    o_entry: DFF<Bits<ENTRY_BITS>>,
    fl: Signal<Local, Bits<32>>,
    fr: Signal<Local, Bits<32>>,
    hl: Signal<Local, Bits<32>>,
    hr: Signal<Local, Bits<32>>,
    left: Signal<Local, Bits<A>>,
    right: Signal<Local, Bits<A>>,
    live: Signal<Local, Bit>,
    live_r: Signal<Local, Bit>,
    slot: Signal<Local, Bits<3>>,
    km3: Signal<Local, Bits<5>>,
    target: Signal<Local, Bits<4>>,
    age: Signal<Local, Bits<8>>,
    age_r: Signal<Local, Bits<8>>,
    /// bucket number → first slot address of the bucket, per half (A-4 bucket bits)
    bucket_mask: Constant<Bits<A>>,
    half: Constant<Bits<A>>,
    /// the slot bits within a 64th
    part_mask: Constant<Bits<A>>,
}

impl<const A: usize> ConnTable<A> {
    pub fn new() -> Self {
        assert!((6..=14).contains(&A), "ConnTable: 2^6 to 2^14 slots");
        Self {
            clock: Default::default(),
            reset: Default::default(),
            op_valid: Default::default(),
            op: Default::default(),
            key: Default::default(),
            op_tm: Default::default(),
            op_keep: Default::default(),
            busy: Default::default(),
            tick: Default::default(),
            timeout: Default::default(),
            done: Default::default(),
            ticked: Default::default(),
            result: Default::default(),
            tm: Default::default(),
            entry: Default::default(),
            ram: Default::default(),
            hash_l: KeyCrc::new(POLY_IEEE),
            hash_r: KeyCrc::new(POLY_CASTAGNOLI),
            state: Default::default(),
            op_q: Default::default(),
            tm_q: Default::default(),
            keep_q: Default::default(),
            key_q: Default::default(),
            cl: Default::default(),
            cr: Default::default(),
            hl_hi: Default::default(),
            hr_hi: Default::default(),
            k: Default::default(),
            now: Default::default(),
            w: Default::default(),
            w_r: Default::default(),
            p_live: Default::default(),
            p_live_r: Default::default(),
            p_match: Default::default(),
            p_match_r: Default::default(),
            p_match_hi: Default::default(),
            p_match_r_hi: Default::default(),
            p_tm: Default::default(),
            p_tm_r: Default::default(),
            found: Default::default(),
            found_at: Default::default(),
            found_tm: Default::default(),
            found_r: Default::default(),
            found_at_r: Default::default(),
            found_tm_r: Default::default(),
            hit: Default::default(),
            hit_at: Default::default(),
            hit_tm: Default::default(),
            free_l: Default::default(),
            free_r: Default::default(),
            first_l: Default::default(),
            first_r: Default::default(),
            has_l: Default::default(),
            has_r: Default::default(),
            o_done: Default::default(),
            tick_pend: Default::default(),
            o_ticked: Default::default(),
            o_result: Default::default(),
            o_tm: Default::default(),
            o_entry: Default::default(),
            fl: Default::default(),
            fr: Default::default(),
            hl: Default::default(),
            hr: Default::default(),
            left: Default::default(),
            right: Default::default(),
            live: Default::default(),
            live_r: Default::default(),
            slot: Default::default(),
            km3: Default::default(),
            target: Default::default(),
            age: Default::default(),
            age_r: Default::default(),
            bucket_mask: Constant::new(bits::<A>(((1u64 << (A - 4)) - 1) << 3)),
            half: Constant::new(bits::<A>(1u64 << (A - 1))),
            part_mask: Constant::new(bits::<A>((1u64 << (A - 6)) - 1)),
            sa: Default::default(),
            rd_on: Default::default(),
            sv: Default::default(),
            sw: Default::default(),
            wr_en: Default::default(),
            wr_addr: Default::default(),
            wr_data: Default::default(),
            exp_n: Default::default(),
            o_swept: Default::default(),
            swept: Default::default(),
            expired: Default::default(),
            tick_now: Default::default(),
        }
    }
}

impl<const A: usize> Default for ConnTable<A> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const A: usize> Logic for ConnTable<A> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            state,
            sa,
            rd_on,
            sv,
            sw,
            wr_en,
            wr_addr,
            wr_data,
            exp_n,
            o_swept,
            op_q,
            tm_q,
            keep_q,
            key_q,
            cl,
            cr,
            hl_hi,
            hr_hi,
            k,
            now,
            w,
            w_r,
            p_live,
            p_live_r,
            p_match,
            p_match_r,
            p_match_hi,
            p_match_r_hi,
            p_tm,
            p_tm_r,
            found,
            found_at,
            found_tm,
            found_r,
            found_at_r,
            found_tm_r,
            free_l,
            free_r,
            first_l,
            first_r,
            has_l,
            has_r,
            o_done,
            tick_pend,
            o_ticked,
            o_result,
            o_tm,
            o_entry
        );
        self.ram.clock.next = self.clock.val();
        // both CRCs of the whole key in one step, registered
        self.hash_l.key.next = self.key_q.q.val();
        self.hash_r.key.next = self.key_q.q.val();
        // a tick applies between operations: now if idle, else in an operation's last cycle;
        // ticks that come meanwhile (during a sweep) are counted and applied in turn
        self.o_ticked.d.next = false;
        self.tick_now.next = (self.tick.val() | self.tick_pend.q.val().any())
            & (((self.state.q.val() == bits::<3>(0)) & !self.op_valid.val())
                | (self.state.q.val() == bits::<3>(3)));
        if self.tick.val() & !self.tick_now.val() & (self.tick_pend.q.val() != bits::<3>(7)) {
            self.tick_pend.d.next = self.tick_pend.q.val() + 1;
        }
        if !self.tick.val() & self.tick_now.val() {
            self.tick_pend.d.next = self.tick_pend.q.val() - 1;
        }
        if self.tick_now.val() {
            self.now.d.next = self.now.q.val() + 1;
            self.o_ticked.d.next = true;
        }
        // the candidate buckets' first addresses: each CRC's high bits folded into its low ones
        self.fl.next = self.cl.q.val();
        self.fr.next = self.cr.q.val();
        self.hl.next = self.fl.val() ^ (self.fl.val() >> 11) ^ (self.fl.val() >> 22);
        self.hr.next = self.fr.val() ^ (self.fr.val() >> 11) ^ (self.fr.val() >> 22);
        self.left.next = (bit_cast::<A, 32>(self.hl.val()) << 3) & self.bucket_mask.val();
        self.right.next =
            ((bit_cast::<A, 32>(self.hr.val()) << 3) & self.bucket_mask.val()) | self.half.val();
        // the write port: the registered write (the scan reads the right bucket through it)
        self.ram.write_enable.next = self.wr_en.q.val();
        self.ram.write_address.next = self.wr_addr.q.val();
        self.ram.write_data.next = self.wr_data.q.val();
        self.wr_en.d.next = false;
        self.o_swept.d.next = false;
        self.ram.read_address.next = self.left.val();
        self.w.d.next = self.ram.read_data.val();
        self.w_r.d.next = self.ram.write_port_data.val();
        self.o_done.d.next = false;
        // busy as soon as a tick starts its sweep (the arbiter's next operation must wait)
        self.busy.next = (self.state.q.val() != bits::<3>(0)) | self.tick_now.val();

        // the words in `w` (left) and `w_r` (right) now were read at k - 3: whether each is
        // live and holds the key, registered (timing); judged at k - 4
        self.km3.next = self.k.q.val() - 4;
        self.slot.next = self.km3.val().get_bits::<3>(0);
        self.age.next = self.now.q.val() - self.w.q.val().get_bits::<8>(125);
        self.age_r.next = self.now.q.val() - self.w_r.q.val().get_bits::<8>(125);
        self.live.next = self.w.q.val().get_bit(0) & (self.age.val() < self.timeout.val());
        self.live_r.next = self.w_r.q.val().get_bit(0) & (self.age_r.val() < self.timeout.val());
        self.p_live.d.next = self.live.val();
        self.p_live_r.d.next = self.live_r.val();
        // the key compares in two registered halves (timing: one 120-bit compare is too deep)
        self.p_match.d.next =
            self.w.q.val().get_bits::<60>(1) == self.key_q.q.val().get_bits::<60>(0);
        self.p_match_hi.d.next =
            self.w.q.val().get_bits::<60>(61) == self.key_q.q.val().get_bits::<60>(60);
        self.p_match_r.d.next =
            self.w_r.q.val().get_bits::<60>(1) == self.key_q.q.val().get_bits::<60>(0);
        self.p_match_r_hi.d.next =
            self.w_r.q.val().get_bits::<60>(61) == self.key_q.q.val().get_bits::<60>(60);
        self.p_tm.d.next = self.w.q.val().get_bits::<4>(121);
        self.p_tm_r.d.next = self.w_r.q.val().get_bits::<4>(121);

        self.target.next = bits::<4>(0);
        self.hit.next = self.found.q.val() | self.found_r.q.val();
        self.hit_at.next = self.found_at.q.val();
        self.hit_tm.next = self.found_tm.q.val();
        if !self.found.q.val() {
            self.hit_at.next = bit_cast::<4, 3>(self.found_at_r.q.val()) | bits::<4>(8);
            self.hit_tm.next = self.found_tm_r.q.val();
        }

        if self.state.q.val() == bits::<3>(0) {
            if self.op_valid.val() {
                self.op_q.d.next = self.op.val();
                self.tm_q.d.next = self.op_tm.val();
                self.keep_q.d.next = self.op_keep.val();
                self.key_q.d.next = self.key.val();
                self.k.d.next = bits::<5>(0);
                self.found.d.next = false;
                self.found_r.d.next = false;
                self.free_l.d.next = bits::<4>(0);
                self.free_r.d.next = bits::<4>(0);
                self.has_l.d.next = false;
                self.has_r.d.next = false;
                self.state.d.next = bits::<3>(1);
                if self.op.val() == bits::<2>(3) {
                    self.state.d.next = bits::<3>(4);
                }
            }
        } else if self.state.q.val() == bits::<3>(1) {
            // hash: both CRCs of the registered key, each as two registered halves
            self.cl.d.next = self.hash_l.part_lo.val();
            self.cr.d.next = self.hash_r.part_lo.val();
            self.hl_hi.d.next = self.hash_l.part_hi.val();
            self.hr_hi.d.next = self.hash_r.part_hi.val();
            self.k.d.next = bits::<5>(0);
            self.state.d.next = bits::<3>(5);
        } else if self.state.q.val() == bits::<3>(5) {
            // ... XOR-ed together
            self.cl.d.next = self.cl.q.val() ^ self.hl_hi.q.val();
            self.cr.d.next = self.cr.q.val() ^ self.hr_hi.q.val();
            self.state.d.next = bits::<3>(2);
        } else if self.state.q.val() == bits::<3>(2) {
            // scan: read slot k of both buckets (k < 8); judge slot k - 4 (4 <= k < 12)
            self.k.d.next = self.k.q.val() + 1;
            self.ram.read_address.next =
                self.left.val() | bit_cast::<A, 3>(self.k.q.val().get_bits::<3>(0));
            self.ram.write_address.next =
                self.right.val() | bit_cast::<A, 3>(self.k.q.val().get_bits::<3>(0));
            if self.k.q.val() >= bits::<5>(4) {
                if self.p_live.q.val()
                    & self.p_match.q.val()
                    & self.p_match_hi.q.val()
                    & !self.found.q.val()
                {
                    self.found.d.next = true;
                    self.found_at.d.next = bit_cast::<4, 3>(self.slot.val());
                    self.found_tm.d.next = self.p_tm.q.val();
                }
                if self.p_live_r.q.val()
                    & self.p_match_r.q.val()
                    & self.p_match_r_hi.q.val()
                    & !self.found_r.q.val()
                {
                    self.found_r.d.next = true;
                    self.found_at_r.d.next = self.slot.val();
                    self.found_tm_r.d.next = self.p_tm_r.q.val();
                }
                if !self.p_live.q.val() {
                    self.free_l.d.next = self.free_l.q.val() + 1;
                    if !self.has_l.q.val() {
                        self.has_l.d.next = true;
                        self.first_l.d.next = self.slot.val();
                    }
                }
                if !self.p_live_r.q.val() {
                    self.free_r.d.next = self.free_r.q.val() + 1;
                    if !self.has_r.q.val() {
                        self.has_r.d.next = true;
                        self.first_r.d.next = self.slot.val();
                    }
                }
            }
            if self.k.q.val() == bits::<5>(11) {
                self.state.d.next = bits::<3>(3);
            }
        } else if self.state.q.val() == bits::<3>(3) {
            // act: at most one write (landing next cycle), then report
            self.state.d.next = bits::<3>(0);
            self.o_done.d.next = true;
            self.o_tm.d.next = bits::<4>(0);
            self.o_result.d.next = bits::<3>(0);
            // the slot written: the key's own, or the first empty one of the emptier bucket
            self.target.next = self.hit_at.val();
            if !self.hit.val() {
                self.target.next = bit_cast::<4, 3>(self.first_l.q.val());
                if self.free_r.q.val() > self.free_l.q.val() {
                    self.target.next = bit_cast::<4, 3>(self.first_r.q.val()) | bits::<4>(8);
                }
            }
            self.wr_addr.d.next =
                self.left.val() | bit_cast::<A, 3>(self.target.val().get_bits::<3>(0));
            if self.target.val().get_bit(3) {
                self.wr_addr.d.next =
                    self.right.val() | bit_cast::<A, 3>(self.target.val().get_bits::<3>(0));
            }
            // {seen = now, TM, key, valid}
            self.wr_data.d.next = (bit_cast::<ENTRY_BITS, 8>(self.now.q.val()) << 125)
                | (bit_cast::<ENTRY_BITS, 4>(self.hit_tm.val()) << 121)
                | (bit_cast::<ENTRY_BITS, 120>(self.key_q.q.val()) << 1)
                | bits::<ENTRY_BITS>(1);
            if self.op_q.q.val() == bits::<2>(0) {
                if self.hit.val() {
                    self.wr_en.d.next = true;
                    self.o_result.d.next = bits::<3>(1);
                    self.o_tm.d.next = self.hit_tm.val();
                }
            } else if self.op_q.q.val() == bits::<2>(1) {
                if !(self.hit.val() & self.keep_q.q.val()) {
                    self.wr_data.d.next = (bit_cast::<ENTRY_BITS, 8>(self.now.q.val()) << 125)
                        | (bit_cast::<ENTRY_BITS, 4>(self.tm_q.q.val()) << 121)
                        | (bit_cast::<ENTRY_BITS, 120>(self.key_q.q.val()) << 1)
                        | bits::<ENTRY_BITS>(1);
                }
                if self.hit.val() {
                    self.wr_en.d.next = true;
                    self.o_result.d.next = bits::<3>(3);
                    if self.keep_q.q.val() {
                        // learn: the entry there stays, refreshed
                        self.o_result.d.next = bits::<3>(1);
                        self.o_tm.d.next = self.hit_tm.val();
                    }
                } else if self.has_l.q.val() | self.has_r.q.val() {
                    self.wr_en.d.next = true;
                    self.o_result.d.next = bits::<3>(2);
                } else {
                    self.o_result.d.next = bits::<3>(4);
                }
            } else if self.hit.val() {
                // delete: the slot emptied
                self.wr_en.d.next = true;
                self.wr_data.d.next = bits::<ENTRY_BITS>(0);
                self.o_result.d.next = bits::<3>(5);
            }
        } else if self.state.q.val() == bits::<3>(6) {
            // sweep: read the 64th's slots in turn on the read port; each judged 3 cycles
            // later (`live`, against the new `now`) and, if expired, emptied on the write port
            // the cycle after
            self.sv.d.next = self.sv.q.val() << 1;
            if self.rd_on.q.val() {
                self.sv.d.next = (self.sv.q.val() << 1) | bits::<4>(1);
                self.ram.read_address.next = self.sa.q.val();
                self.sa.d.next = self.sa.q.val() + 1;
                if (self.sa.q.val() & self.part_mask.val()) == self.part_mask.val() {
                    self.rd_on.d.next = false;
                }
            }
            // the word read 3 cycles ago is in `w`: emptied (next cycle) if expired
            if self.sv.q.val().get_bit(2) {
                // (a valid slot that expired; empty slots are all zero already)
                self.wr_en.d.next = self.w.q.val().get_bit(0) & !self.live.val();
                if self.w.q.val().get_bit(0) & !self.live.val() {
                    self.exp_n.d.next = self.exp_n.q.val() + 1;
                }
                self.wr_addr.d.next = self.sw.q.val();
                self.wr_data.d.next = bits::<ENTRY_BITS>(0);
                self.sw.d.next = self.sw.q.val() + 1;
            }
            if !self.rd_on.q.val() & (self.sv.q.val() == bits::<4>(0)) {
                self.state.d.next = bits::<3>(0);
                self.o_swept.d.next = true;
            }
        } else if self.state.q.val() == bits::<3>(7) {
            // the sweep's first cycle: no read yet (the act state's write lands now)
            self.rd_on.d.next = true;
            self.exp_n.d.next = bits::<12>(0);
            self.state.d.next = bits::<3>(6);
        } else {
            // slot read: address presented now and held; the word is in `w` three cycles on
            self.ram.read_address.next = self.key_q.q.val().get_bits::<A>(0);
            self.k.d.next = self.k.q.val() + 1;
            if self.k.q.val() == bits::<5>(3) {
                self.state.d.next = bits::<3>(0);
                self.o_done.d.next = true;
                self.o_result.d.next = bits::<3>(6);
                self.o_entry.d.next = self.w.q.val();
                self.o_tm.d.next = self.w.q.val().get_bits::<4>(121);
            }
        }
        // a tick starts a sweep of the next 64th (after the operation it ended, if any)
        if self.tick_now.val() {
            self.state.d.next = bits::<3>(7);
            self.rd_on.d.next = false;
            self.sv.d.next = bits::<4>(0);
            self.sw.d.next = self.sa.q.val();
        }
        if self.reset.val() {
            self.state.d.next = bits::<3>(0);
            self.sa.d.next = bits::<A>(0);
            self.rd_on.d.next = false;
            self.wr_en.d.next = false;
            self.o_swept.d.next = false;
            self.sv.d.next = bits::<4>(0);
            self.o_done.d.next = false;
            self.now.d.next = bits::<8>(0);
            self.tick_pend.d.next = bits::<3>(0);
            self.o_ticked.d.next = false;
        }
        self.done.next = self.o_done.q.val();
        self.ticked.next = self.o_ticked.q.val();
        self.result.next = self.o_result.q.val();
        self.tm.next = self.o_tm.q.val();
        self.entry.next = self.o_entry.q.val();
        self.swept.next = self.o_swept.q.val();
        self.expired.next = self.exp_n.q.val();
    }
}
