//! The control and signalling protocol (R10) on the wire: EtherType 0x88B5, an 8-byte header
//! and fixed-size items (`docs/PROTOCOL.md` is the specification). This is the encoding and
//! decoding shared by the host tool and the model; the distributor's RTL reads the same bytes.
//!
//! A [`Message`] is the plain struct; [`decode`] checks every length and field and never
//! panics, whatever the bytes; [`encode`] is its inverse.
//!
//! ```
//! use flowdist_control::protocol::{decode, encode, Item, Message, Op, Status};
//! let m = Message {
//!     op: Op::Read,
//!     reply: false,
//!     seq: 7,
//!     status: Status::Ok,
//!     items: vec![Item::Word { addr: 0x1000, value: 0 }],
//! };
//! assert_eq!(decode(&encode(&m)), Ok(m));
//! ```

/// The EtherType of control frames (IEEE 802 local experimental EtherType 1).
pub const ETHERTYPE: u16 = 0x88B5;
/// Protocol version this library speaks.
pub const VERSION: u8 = 1;
/// Header length in bytes.
pub const HEADER: usize = 8;
/// Largest number of items in one message (a 1500-byte payload of 12-byte items).
pub const MAX_ITEMS: usize = (1500 - HEADER) / 12;

/// What a message asks for (a reply carries the request's operation with bit 7 set on the wire).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// Read configuration-bus words (registers and tables): items `Word` with value 0; the
    /// reply carries the values.
    Read,
    /// Write configuration-bus words (CAM, buckets, TM and tunnel tables): items `Word`.
    Write,
    /// Read counters (R13 layout, address 32 × port + index): items `Word`; the reply carries
    /// the 36-bit values.
    Counters,
    /// Read the bridge's MAC learning table (R7): items `Word`, address 2s + w for slot s,
    /// word w (see `Station`); the reply carries the words (0 for a slot that holds no live
    /// station).
    Stations,
    /// A TM asks to keep a connection on itself (R9): items `Key` with the TM.
    Memorize,
    /// A TM gives a connection up: items `Key`.
    Forget,
    /// A connection entry copied to or from a peer distributor (R11): items `Key`.
    Mirror,
    /// Set the age of connection entries: items `Key`, `tm` holds the timeout in epochs.
    Age,
    /// Pin a second key to the TM of a first one (related flows): items `Pair`.
    Relate,
}

impl Op {
    /// Wire code (requests; replies add 0x80).
    pub fn code(self) -> u8 {
        match self {
            Op::Read => 0x01,
            Op::Write => 0x02,
            Op::Counters => 0x03,
            Op::Stations => 0x04,
            Op::Memorize => 0x10,
            Op::Forget => 0x11,
            Op::Mirror => 0x12,
            Op::Age => 0x13,
            Op::Relate => 0x14,
        }
    }

    /// The operation with this wire code (reply bit cleared).
    pub fn from_code(c: u8) -> Option<Op> {
        Some(match c & 0x7F {
            0x01 => Op::Read,
            0x02 => Op::Write,
            0x03 => Op::Counters,
            0x04 => Op::Stations,
            0x10 => Op::Memorize,
            0x11 => Op::Forget,
            0x12 => Op::Mirror,
            0x13 => Op::Age,
            0x14 => Op::Relate,
            _ => return None,
        })
    }

    /// Bytes per item of this operation.
    pub fn item_len(self) -> usize {
        match self {
            Op::Read | Op::Write | Op::Counters | Op::Stations => 12,
            Op::Memorize | Op::Forget | Op::Mirror | Op::Age => 16,
            Op::Relate => 32,
        }
    }
}

/// The outcome a reply reports (0 in requests).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Done.
    Ok,
    /// The version is not one the distributor speaks.
    BadVersion,
    /// Unknown operation.
    BadOp,
    /// The length does not match the item count and size.
    BadLength,
    /// The sender may not do this (not a management port or VLAN, not a registered TM).
    NotPermitted,
    /// An address outside the register map or the counters.
    BadAddress,
    /// The connection table has no room for the key.
    TableFull,
    /// The key is not in the connection table.
    NotFound,
}

impl Status {
    /// Wire code.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The status with this wire code.
    pub fn from_code(c: u8) -> Option<Status> {
        Some(match c {
            0 => Status::Ok,
            1 => Status::BadVersion,
            2 => Status::BadOp,
            3 => Status::BadLength,
            4 => Status::NotPermitted,
            5 => Status::BadAddress,
            6 => Status::TableFull,
            7 => Status::NotFound,
            _ => return None,
        })
    }
}

/// One station of the bridge's MAC learning table as `Op::Stations` reads it, from the two
/// words of its slot: word 0 (address 2s) the MAC in bits 47..0; word 1 (address 2s + 1) the
/// VLAN id in bits 11..0, the port in bit 12, the epochs since it was last heard in bits
/// 23..16 and bit 31 set (live). A slot with no live station reads 0, 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Station {
    /// The station's MAC address (48 bits).
    pub mac: u64,
    /// VLAN id (12 bits; 0: untagged).
    pub vlan: u16,
    /// The port the station was last heard on.
    pub port: u8,
    /// Epochs since it was last heard (it is forgotten when this reaches the timeout).
    pub age: u8,
}

impl Station {
    /// Bit 31 of word 1: the slot holds a live station.
    pub const LIVE: u64 = 1 << 31;

    /// The station of a slot's two words, `None` for an empty slot (bit 31 of word 1 clear).
    pub fn from_words(w0: u64, w1: u64) -> Option<Station> {
        (w1 & Self::LIVE != 0).then_some(Station {
            mac: w0 & 0xFFFF_FFFF_FFFF,
            vlan: (w1 & 0xFFF) as u16,
            port: (w1 >> 12 & 1) as u8,
            age: (w1 >> 16) as u8,
        })
    }

    /// The slot's two words.
    pub fn words(&self) -> [u64; 2] {
        [
            self.mac & 0xFFFF_FFFF_FFFF,
            Self::LIVE
                | u64::from(self.age) << 16
                | u64::from(self.port & 1) << 12
                | u64::from(self.vlan & 0xFFF),
        ]
    }
}

/// A connection key and the TM it belongs to (16 bytes on the wire).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyItem {
    /// Source IPv4 address.
    pub src_ip: u32,
    /// Destination IPv4 address.
    pub dst_ip: u32,
    /// Source L4 port.
    pub src_port: u16,
    /// Destination L4 port.
    pub dst_port: u16,
    /// IP protocol.
    pub proto: u8,
    /// The TM (0..15), or for `Age` the timeout in epochs.
    pub tm: u8,
    /// VLAN id (12 bits; 0: untagged).
    pub vlan: u16,
}

/// One item of a message; which kind follows from the operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    /// An address (configuration bus or counter) and a value (12 bytes: 4 + 8).
    Word {
        /// Configuration-bus address (16 bits used) or counter address (0..63).
        addr: u32,
        /// The value: 32 bits for the configuration bus, 36 for counters.
        value: u64,
    },
    /// A connection key with its TM.
    Key(KeyItem),
    /// A key and a related key pinned to the same TM.
    Pair(KeyItem, KeyItem),
}

/// A control message (the frame's payload after the EtherType).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// The operation.
    pub op: Op,
    /// A reply (the distributor's answer) rather than a request.
    pub reply: bool,
    /// Chosen by the requester, echoed in the reply.
    pub seq: u16,
    /// The outcome (requests: `Ok`).
    pub status: Status,
    /// The items.
    pub items: Vec<Item>,
}

/// Why bytes are not a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// Fewer bytes than the header, or than the items it announces.
    Truncated {
        /// Bytes needed.
        need: usize,
        /// Bytes there.
        have: usize,
    },
    /// A version other than [`VERSION`].
    Version(u8),
    /// An operation code no one defined.
    Op(u8),
    /// A status code no one defined.
    Status(u8),
    /// More items than fit in a frame.
    Count(u8),
    /// A reserved byte that is not zero (byte offset).
    Reserved(usize),
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::Truncated { need, have } => {
                write!(f, "length: {have} bytes, the header announces {need}")
            }
            DecodeError::Version(v) => write!(f, "version: {v}, this library speaks {VERSION}"),
            DecodeError::Op(c) => write!(f, "op: 0x{c:02x} is not an operation"),
            DecodeError::Status(c) => write!(f, "status: {c} is not a status code"),
            DecodeError::Count(n) => {
                write!(f, "count: {n} items do not fit in a frame ({MAX_ITEMS} do)")
            }
            DecodeError::Reserved(at) => write!(f, "reserved byte {at} is not zero"),
        }
    }
}

impl std::error::Error for DecodeError {}

fn key_bytes(k: &KeyItem, out: &mut Vec<u8>) {
    out.extend_from_slice(&k.src_ip.to_be_bytes());
    out.extend_from_slice(&k.dst_ip.to_be_bytes());
    out.extend_from_slice(&k.src_port.to_be_bytes());
    out.extend_from_slice(&k.dst_port.to_be_bytes());
    out.push(k.proto);
    out.push(k.tm);
    out.extend_from_slice(&(k.vlan & 0x0FFF).to_be_bytes());
}

fn key_of(b: &[u8]) -> KeyItem {
    let u32_at = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    let u16_at = |i: usize| u16::from_be_bytes([b[i], b[i + 1]]);
    KeyItem {
        src_ip: u32_at(0),
        dst_ip: u32_at(4),
        src_port: u16_at(8),
        dst_port: u16_at(10),
        proto: b[12],
        tm: b[13],
        vlan: u16_at(14),
    }
}

/// The payload of a control frame (after the EtherType). Items of the wrong kind for the
/// operation are written as the operation's kind would read them back: keep them matched.
pub fn encode(m: &Message) -> Vec<u8> {
    let n = m.items.len().min(MAX_ITEMS);
    let mut out = Vec::with_capacity(HEADER + n * m.op.item_len());
    out.push(VERSION);
    out.push(m.op.code() | if m.reply { 0x80 } else { 0 });
    out.extend_from_slice(&m.seq.to_be_bytes());
    out.push(m.status.code());
    out.push(n as u8);
    out.extend_from_slice(&[0, 0]);
    let zero = KeyItem {
        src_ip: 0,
        dst_ip: 0,
        src_port: 0,
        dst_port: 0,
        proto: 0,
        tm: 0,
        vlan: 0,
    };
    for it in &m.items[..n] {
        let start = out.len();
        match (m.op.item_len(), it) {
            (12, Item::Word { addr, value }) => {
                out.extend_from_slice(&addr.to_be_bytes());
                out.extend_from_slice(&value.to_be_bytes());
            }
            (16, Item::Key(k)) | (16, Item::Pair(k, _)) => key_bytes(k, &mut out),
            (32, Item::Pair(a, b)) => {
                key_bytes(a, &mut out);
                key_bytes(b, &mut out);
            }
            (32, Item::Key(a)) => {
                key_bytes(a, &mut out);
                key_bytes(&zero, &mut out);
            }
            _ => {}
        }
        out.resize(start + m.op.item_len(), 0);
    }
    out
}

/// A message from a control frame's payload (after the EtherType); bytes after the last item
/// (Ethernet padding) are ignored.
pub fn decode(b: &[u8]) -> Result<Message, DecodeError> {
    if b.len() < HEADER {
        return Err(DecodeError::Truncated {
            need: HEADER,
            have: b.len(),
        });
    }
    if b[0] != VERSION {
        return Err(DecodeError::Version(b[0]));
    }
    let op = Op::from_code(b[1]).ok_or(DecodeError::Op(b[1]))?;
    let status = Status::from_code(b[4]).ok_or(DecodeError::Status(b[4]))?;
    let n = b[5] as usize;
    if n > MAX_ITEMS {
        return Err(DecodeError::Count(b[5]));
    }
    for at in [6, 7] {
        if b[at] != 0 {
            return Err(DecodeError::Reserved(at));
        }
    }
    let need = HEADER + n * op.item_len();
    if b.len() < need {
        return Err(DecodeError::Truncated {
            need,
            have: b.len(),
        });
    }
    // the top four bits of each key's VLAN field are reserved
    if op.item_len() > 12 {
        for k in (HEADER..need).step_by(16) {
            if b[k + 14] & 0xF0 != 0 {
                return Err(DecodeError::Reserved(k + 14));
            }
        }
    }
    let items = b[HEADER..need]
        .chunks_exact(op.item_len())
        .map(|c| match op.item_len() {
            12 => Item::Word {
                addr: u32::from_be_bytes([c[0], c[1], c[2], c[3]]),
                value: u64::from_be_bytes([c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11]]),
            },
            16 => Item::Key(key_of(c)),
            _ => Item::Pair(key_of(&c[..16]), key_of(&c[16..])),
        })
        .collect();
    Ok(Message {
        op,
        reply: b[1] & 0x80 != 0,
        seq: u16::from_be_bytes([b[2], b[3]]),
        status,
        items,
    })
}

/// A whole Ethernet frame (without FCS) carrying `m`: destination, source, an optional
/// 802.1Q VLAN id, the EtherType, the message, padded to 60 bytes.
pub fn frame(dst: u64, src: u64, vlan: Option<u16>, m: &Message) -> Vec<u8> {
    let mut f = Vec::with_capacity(64);
    f.extend_from_slice(&dst.to_be_bytes()[2..]);
    f.extend_from_slice(&src.to_be_bytes()[2..]);
    if let Some(v) = vlan {
        f.extend_from_slice(&0x8100u16.to_be_bytes());
        f.extend_from_slice(&(v & 0x0FFF).to_be_bytes());
    }
    f.extend_from_slice(&ETHERTYPE.to_be_bytes());
    f.extend_from_slice(&encode(m));
    if f.len() < 60 {
        f.resize(60, 0);
    }
    f
}
