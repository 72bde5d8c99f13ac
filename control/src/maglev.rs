//! Bucket fill from TM weights: Maglev consistent hashing (Eisenbud et al., "Maglev: A Fast
//! and Reliable Software Network Load Balancer", NSDI 2016, §3.4), weighted, with a backup
//! TM per bucket.
//!
//! # How the fill works
//!
//! The table has `M = 2^k` buckets. Every TM that is up (and has a weight above zero) is a
//! *member*. Each member has its own preference list: a permutation of the buckets,
//! `perm(j) = (offset + j · skip) mod M`, where `offset` and `skip` come from two different
//! hashes of the TM's **name** (never of its position in the list), so adding or removing
//! one TM leaves every other TM's preferences as they were. `M` is a power of two, so any
//! odd `skip` is coprime with it and the list visits every bucket exactly once: `skip` is
//! forced odd.
//!
//! Members then take turns; on its turn a member walks its own preference list from where
//! it stopped last time and claims the first bucket still empty. The fill ends when every
//! bucket is claimed, so a member owns exactly as many buckets as it had turns.
//!
//! **Weights.** The order of turns is a weighted fair schedule: a member that has had `n`
//! turns so far is next due at the virtual time `(n + ½) / weight`, and the member due
//! earliest has the next turn (ties go by a third hash of the name, then by list position).
//! After `T` turns each member has had its share `T · weight / Σweight` of them, give or
//! take one, so its bucket count is within one bucket of `M · weight / Σweight`. Because a
//! member's due times depend only on its own weight, removing a member removes its turns
//! from the schedule and leaves the relative order of everybody else's turns unchanged —
//! the property Maglev's minimal disruption rests on.
//!
//! The table depends on the members' names and weights only: the same TMs listed in another
//! order fill the same buckets with the same names (the ids, list positions, differ).
//!
//! # Disruption, and the minimal-disruption update
//!
//! Maglev is minimal-disruption only approximately: when a TM leaves, the others' turns
//! find its buckets free and claim them earlier in their walks, which shifts some of their
//! later claims. Measured at 4096 buckets (`tests/maglev.rs`, N = 2..=16 equal TMs),
//! removing a TM changes up to 1/N + 1.9% of the buckets and adding one up to
//! 1/(N+1) + 1.7%; the excess shrinks roughly as 1/sqrt(buckets).
//!
//! [`try_fill`] is a pure function of the TM list: what a build-time image needs. For
//! changes at run time, [`try_update`] starts from the table in use and moves the fewest
//! buckets that give every TM exactly its [`try_fill`] count (so the balance is the same),
//! sending each moved bucket where [`try_fill`] would when it can: removing or marking down
//! a TM moves only its buckets, adding one moves only the buckets it takes.
//!
//! # Backups
//!
//! The hardware skips a TM marked down at once by sending its buckets to their backups; the
//! host then refills without it. The backup of bucket `b` is the TM that `b` gets when the
//! table is refilled without its primary: by [`try_fill`] for [`try_fill`]'s tables, by
//! [`try_update`] for [`try_update`]'s (one extra fill per member: at most 16 + 1). With
//! [`try_update`] the hardware's stopgap and the host's next refill are the same table.
//! With only one member the backup is the primary itself. A backup is always a member, so
//! it is up.
use flowdist_model::tables::{Bucket, MAX_TMS};
use std::fmt;

/// Smallest table size [`try_fill`] accepts, as `log2(buckets)`.
pub const MIN_BUCKET_BITS: u8 = 1;
/// Largest table size [`try_fill`] accepts, as `log2(buckets)` (the hardware builds 8..=12).
pub const MAX_BUCKET_BITS: u8 = 16;

/// Why a fill could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FillError {
    /// More TMs than the hardware can name (ids are `0..MAX_TMS`).
    TooManyTms(usize),
    /// `bucket_bits` outside `MIN_BUCKET_BITS..=MAX_BUCKET_BITS`.
    BucketBits(u8),
    /// No TM is up with a weight above zero: there is nobody to give buckets to.
    NoTmUp,
}

impl fmt::Display for FillError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FillError::TooManyTms(n) => write!(f, "at most {MAX_TMS} TMs (have {n})"),
            FillError::BucketBits(k) => write!(
                f,
                "bucket_bits {k} is out of range {MIN_BUCKET_BITS}..={MAX_BUCKET_BITS}"
            ),
            FillError::NoTmUp => write!(f, "no TM is up with a weight above zero"),
        }
    }
}

impl std::error::Error for FillError {}

/// Seeds of the three name hashes (arbitrary distinct constants).
const SEED_OFFSET: u64 = 0x6f66_6673_6574_0001;
const SEED_SKIP: u64 = 0x736b_6970_0000_0002;
const SEED_ORDER: u64 = 0x6f72_6465_7200_0003;

/// 64-bit hash of a name: FNV-1a over the seed's bytes then the name's, finished with the
/// SplitMix64 mixer so that names differing in one character differ in every output bit.
fn name_hash(name: &str, seed: u64) -> u64 {
    const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed.to_le_bytes().iter().chain(name.as_bytes()) {
        h ^= u64::from(*b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// The `(offset, skip)` of a TM's permutation of `2^bucket_bits` buckets: bucket
/// `(offset + j·skip) mod 2^bucket_bits` is its `j`-th preference. `skip` is odd.
/// `bucket_bits` above 63 is treated as 63.
pub fn permutation(name: &str, bucket_bits: u8) -> (u64, u64) {
    let mask = bucket_mask(bucket_bits);
    let offset = name_hash(name, SEED_OFFSET) & mask;
    let skip = (name_hash(name, SEED_SKIP) & mask) | 1;
    (offset, skip)
}

fn bucket_mask(bucket_bits: u8) -> u64 {
    let k = u32::from(bucket_bits.min(63));
    (1u64 << k) - 1
}

/// One member of a fill.
struct Member {
    id: u8,
    weight: u64,
    offset: u64,
    skip: u64,
    order: u64,
    next: u64,
    turns: u64,
}

impl Member {
    /// True when `self` is due strictly before `other`: `(2n+1)/w` compared exactly.
    fn due_before(&self, other: &Member) -> bool {
        let a = u128::from(2 * self.turns + 1) * u128::from(other.weight);
        let b = u128::from(2 * other.turns + 1) * u128::from(self.weight);
        (a, self.order, self.id) < (b, other.order, other.id)
    }
}

/// Primaries of a fill by the members `ids` (indexes into `tms`), or `None` if `ids` is
/// empty. `bucket_bits` must already be checked.
fn primaries<S: AsRef<str>>(
    tms: &[(S, u32, bool)],
    ids: &[u8],
    bucket_bits: u8,
) -> Option<Vec<u8>> {
    if ids.is_empty() {
        return None;
    }
    let mask = bucket_mask(bucket_bits);
    let m = usize::try_from(mask).ok()?.checked_add(1)?;
    let mut members: Vec<Member> = ids
        .iter()
        .filter_map(|&id| {
            let (name, weight, _) = tms.get(usize::from(id))?;
            let name = name.as_ref();
            let (offset, skip) = permutation(name, bucket_bits);
            Some(Member {
                id,
                weight: u64::from(*weight),
                offset,
                skip,
                order: name_hash(name, SEED_ORDER),
                next: 0,
                turns: 0,
            })
        })
        .collect();
    if members.is_empty() {
        return None;
    }
    let mut table: Vec<Option<u8>> = vec![None; m];
    for _ in 0..m {
        // the member due earliest has this turn
        let mut who = 0usize;
        for i in 1..members.len() {
            if members[i].due_before(&members[who]) {
                who = i;
            }
        }
        let mbr = &mut members[who];
        // walk its permutation to the first empty bucket; one exists (fewer than m turns
        // have been taken) and the permutation reaches every bucket within m steps
        for _ in 0..m {
            let b = (mbr.offset.wrapping_add(mbr.next.wrapping_mul(mbr.skip)) & mask) as usize;
            mbr.next += 1;
            if let Some(slot) = table.get_mut(b) {
                if slot.is_none() {
                    *slot = Some(mbr.id);
                    break;
                }
            }
        }
        mbr.turns += 1;
    }
    Some(table.into_iter().map(|t| t.unwrap_or(ids[0])).collect())
}

/// Checks the arguments shared by [`try_fill`] and [`try_update`]; returns the members: the
/// ids of the TMs that are up with a weight above zero.
fn members<S: AsRef<str>>(tms: &[(S, u32, bool)], bucket_bits: u8) -> Result<Vec<u8>, FillError> {
    if tms.len() > MAX_TMS {
        return Err(FillError::TooManyTms(tms.len()));
    }
    if !(MIN_BUCKET_BITS..=MAX_BUCKET_BITS).contains(&bucket_bits) {
        return Err(FillError::BucketBits(bucket_bits));
    }
    // ids fit in u8: tms.len() <= MAX_TMS <= 256
    let ids: Vec<u8> = tms
        .iter()
        .enumerate()
        .filter(|(_, (_, w, up))| *up && *w > 0)
        .map(|(i, _)| i as u8)
        .collect();
    if ids.is_empty() {
        return Err(FillError::NoTmUp);
    }
    Ok(ids)
}

/// Primaries plus backups: the backup of bucket `b` is what `refill(members without
/// primary[b])` puts in `b`, or the primary itself when it is the only member.
fn with_backups<F>(primary: Vec<u8>, members: &[u8], max_id: usize, refill: F) -> Vec<Bucket>
where
    F: Fn(&[u8]) -> Option<Vec<u8>>,
{
    let mut without: Vec<Option<Vec<u8>>> = vec![None; max_id];
    for &x in members {
        let rest: Vec<u8> = members.iter().copied().filter(|&i| i != x).collect();
        if let Some(slot) = without.get_mut(usize::from(x)) {
            *slot = refill(&rest);
        }
    }
    primary
        .iter()
        .enumerate()
        .map(|(b, &p)| {
            let backup = without
                .get(usize::from(p))
                .and_then(|alt| alt.as_ref())
                .and_then(|alt| alt.get(b).copied())
                .unwrap_or(p);
            Bucket { primary: p, backup }
        })
        .collect()
}

/// Fills `2^bucket_bits` buckets from `tms`, given as `(name, weight, up)` in id order (the
/// id of a TM is its index in the slice). Primaries go to the TMs that are up, in
/// proportion to their weights; a TM down or of weight zero gets none and is never a
/// backup. The result depends on nothing but `tms` and `bucket_bits`. See the
/// [module documentation](self) for the algorithm and the backup rule.
///
/// Errors: more than [`MAX_TMS`] TMs, `bucket_bits` outside
/// [`MIN_BUCKET_BITS`]`..=`[`MAX_BUCKET_BITS`], or no TM up with a weight above zero.
pub fn try_fill<S: AsRef<str>>(
    tms: &[(S, u32, bool)],
    bucket_bits: u8,
) -> Result<Vec<Bucket>, FillError> {
    let ids = members(tms, bucket_bits)?;
    let primary = primaries(tms, &ids, bucket_bits).ok_or(FillError::NoTmUp)?;
    Ok(with_backups(primary, &ids, tms.len(), |rest| {
        primaries(tms, rest, bucket_bits)
    }))
}

/// [`try_fill`], with an empty table when `try_fill` fails (too many TMs, `bucket_bits` out
/// of range, or no TM up). Never panics.
pub fn fill<S: AsRef<str>>(tms: &[(S, u32, bool)], bucket_bits: u8) -> Vec<Bucket> {
    try_fill(tms, bucket_bits).unwrap_or_default()
}

/// Inverse of an odd number modulo 2^64 (Newton's iteration; each step doubles the
/// correct low bits, 3 → 6 → … → 96).
fn inverse_odd(s: u64) -> u64 {
    let mut x = s;
    for _ in 0..5 {
        x = x.wrapping_mul(2u64.wrapping_sub(s.wrapping_mul(x)));
    }
    x
}

/// Position of `bucket` in the permutation of the TM called `name`.
fn rank(name: &str, bucket: u64, bucket_bits: u8) -> u64 {
    let (offset, skip) = permutation(name, bucket_bits);
    bucket.wrapping_sub(offset).wrapping_mul(inverse_odd(skip)) & bucket_mask(bucket_bits)
}

/// The fewest changes to `cur` (each bucket's current primary, `None` if it has none or it
/// is no longer a member) that give every member exactly the number of buckets the Maglev
/// fill by `ids` gives it. A member over its count gives up the buckets the fill would give
/// to somebody else first; a bucket to be given goes to the TM the fill gives it to when
/// that TM is short, else to the short TM whose permutation lists the bucket earliest.
fn rebalance<S: AsRef<str>>(
    cur: &[Option<u8>],
    tms: &[(S, u32, bool)],
    ids: &[u8],
    bucket_bits: u8,
) -> Option<Vec<u8>> {
    let target = primaries(tms, ids, bucket_bits)?;
    let n = tms.len();
    let mut quota = vec![0usize; n];
    for &t in &target {
        quota[usize::from(t)] += 1;
    }
    let is_member = |id: u8| ids.contains(&id);
    let mut owner: Vec<Option<u8>> = target
        .iter()
        .enumerate()
        .map(|(b, _)| cur.get(b).copied().flatten().filter(|&id| is_member(id)))
        .collect();
    let mut count = vec![0usize; n];
    for id in owner.iter().flatten() {
        count[usize::from(*id)] += 1;
    }
    // members over their count give buckets up: those the fill gives to another TM first,
    // in a scrambled bucket order (no bias to low bucket numbers)
    for &x in ids {
        let xi = usize::from(x);
        if count[xi] <= quota[xi] {
            continue;
        }
        let mut mine: Vec<usize> = (0..owner.len()).filter(|&b| owner[b] == Some(x)).collect();
        mine.sort_by_key(|&b| (target[b] == x, name_hash("", b as u64)));
        for &b in mine.iter().take(count[xi] - quota[xi]) {
            owner[b] = None;
        }
        count[xi] = quota[xi];
    }
    // free buckets go to their fill owner when it is short …
    for (slot, &tgt) in owner.iter_mut().zip(&target) {
        let t = usize::from(tgt);
        if slot.is_none() && count[t] < quota[t] {
            *slot = Some(tgt);
            count[t] += 1;
        }
    }
    // … else to the short member that prefers them most
    for (b, slot) in owner.iter_mut().enumerate() {
        if slot.is_some() {
            continue;
        }
        let pick = ids
            .iter()
            .copied()
            .filter(|&x| count[usize::from(x)] < quota[usize::from(x)])
            .min_by_key(|&x| {
                let name = tms.get(usize::from(x)).map(|t| t.0.as_ref()).unwrap_or("");
                (rank(name, b as u64, bucket_bits), x)
            });
        if let Some(x) = pick {
            *slot = Some(x);
            count[usize::from(x)] += 1;
        }
    }
    // every bucket has an owner now (the quotas add up to the table size)
    Some(
        owner
            .into_iter()
            .zip(target)
            .map(|(o, t)| o.unwrap_or(t))
            .collect(),
    )
}

/// A minimal-disruption refill from a previous table: moves the fewest buckets that give
/// every TM up exactly the number of buckets [`try_fill`] would give it, so that marking a
/// TM down or removing it moves only its own buckets, and adding a TM moves only the
/// buckets it takes. A bucket that has to move goes where `try_fill` would put it when it
/// can, so repeated changes do not drift far from the fill. Backups follow the same rule:
/// the backup of bucket `b` is what this refill would put in `b` without its primary, so
/// the hardware's failover and the host's next refill agree.
///
/// `prev` is the previous table and `prev_names[id]` the name of the TM that had id `id`
/// in it (TMs are matched by name, so the list may have changed). When `prev` is not of
/// `2^bucket_bits` buckets the result is [`try_fill`]'s. Errors as [`try_fill`].
pub fn try_update<P: AsRef<str>, S: AsRef<str>>(
    prev: &[Bucket],
    prev_names: &[P],
    tms: &[(S, u32, bool)],
    bucket_bits: u8,
) -> Result<Vec<Bucket>, FillError> {
    let ids = members(tms, bucket_bits)?;
    if prev.len() as u64 != bucket_mask(bucket_bits) + 1 {
        return try_fill(tms, bucket_bits);
    }
    // previous primaries as ids of the new list
    let cur: Vec<Option<u8>> = prev
        .iter()
        .map(|b| {
            let name = prev_names.get(usize::from(b.primary))?.as_ref();
            tms.iter()
                .position(|t| t.0.as_ref() == name)
                .and_then(|i| u8::try_from(i).ok())
        })
        .collect();
    let primary = rebalance(&cur, tms, &ids, bucket_bits).ok_or(FillError::NoTmUp)?;
    let now: Vec<Option<u8>> = primary.iter().map(|&p| Some(p)).collect();
    Ok(with_backups(primary, &ids, tms.len(), |rest| {
        rebalance(&now, tms, rest, bucket_bits)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skip_is_odd_and_offset_in_range() {
        for k in 1..=16u8 {
            for name in [
                "a",
                "tm-a",
                "tm-b",
                "",
                "a very long name of a traffic manager",
            ] {
                let (o, s) = permutation(name, k);
                assert_eq!(s & 1, 1);
                assert!(o < (1 << k) && s < (1 << k));
            }
        }
    }

    #[test]
    fn every_bucket_filled_by_a_member() {
        let tms = [("a", 1, true), ("b", 3, false), ("c", 2, true)];
        let t = try_fill(&tms, 8).unwrap();
        assert_eq!(t.len(), 256);
        for b in &t {
            assert!(b.primary == 0 || b.primary == 2);
            assert!(b.backup == 0 || b.backup == 2);
            assert_ne!(b.primary, b.backup);
        }
    }

    #[test]
    fn single_member_is_its_own_backup() {
        let t = try_fill(&[("a", 5, false), ("b", 1, true)], 8).unwrap();
        assert!(t.iter().all(|b| b.primary == 1 && b.backup == 1));
    }

    #[test]
    fn errors() {
        let none: [(&str, u32, bool); 0] = [];
        assert_eq!(try_fill(&none, 8), Err(FillError::NoTmUp));
        assert_eq!(try_fill(&[("a", 0, true)], 8), Err(FillError::NoTmUp));
        assert_eq!(
            try_fill(&[("a", 1, true)], 0),
            Err(FillError::BucketBits(0))
        );
        assert_eq!(
            try_fill(&[("a", 1, true)], 17),
            Err(FillError::BucketBits(17))
        );
        let many: Vec<(String, u32, bool)> = (0..17).map(|i| (i.to_string(), 1, true)).collect();
        assert_eq!(try_fill(&many, 8), Err(FillError::TooManyTms(17)));
        assert!(fill(&many, 8).is_empty());
    }

    #[test]
    fn list_order_does_not_matter() {
        let a = [("x", 1, true), ("y", 2, true), ("z", 3, true)];
        let b = [("z", 3, true), ("x", 1, true), ("y", 2, true)];
        let ta = try_fill(&a, 10).unwrap();
        let tb = try_fill(&b, 10).unwrap();
        for (p, q) in ta.iter().zip(&tb) {
            assert_eq!(a[p.primary as usize].0, b[q.primary as usize].0);
            assert_eq!(a[p.backup as usize].0, b[q.backup as usize].0);
        }
    }
}
