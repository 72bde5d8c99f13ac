//! CRC-32 / CRC-32C known answers, on the RTL key hashers and the model, and the FCS check
//! on a frame whose FCS is the published check value.
use flowdist_model::crc32_byte::{CRC32_C, CRC32_IEEE};
use flowdist_model::header_parser::{flag, parse, HashKeyConfig};
use flowdist_sim::{Dut, Sim};
use flowdist_tests::parser_harness::ParserSim;

fn rtl_crc(dut: Dut, data: &[u8]) -> u32 {
    let mut s = Sim::new(dut);
    s.set("start", 1).unwrap();
    s.run(&[], &[], 1, None, &[]).unwrap();
    s.set("start", 0).unwrap();
    let stim: Vec<u64> = data.iter().flat_map(|&b| [1u64, b as u64]).collect();
    s.run(&["en", "data"], &stim, data.len(), None, &[])
        .unwrap();
    s.get("hash").unwrap() as u32
}

#[test]
fn crc32_check_values() {
    assert_eq!(CRC32_IEEE.checksum(b"123456789"), 0xCBF4_3926);
    assert_eq!(CRC32_C.checksum(b"123456789"), 0xE306_9283);
    assert_eq!(rtl_crc(Dut::HasherIeee, b"123456789"), 0xCBF4_3926);
    assert_eq!(rtl_crc(Dut::HasherCastagnoli, b"123456789"), 0xE306_9283);
}

#[test]
fn rtl_hasher_matches_model_on_random_keys() {
    let mut x = 0x1234_5678_9abc_def0u64;
    for len in 0..40usize {
        let data: Vec<u8> = (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        assert_eq!(
            rtl_crc(Dut::HasherIeee, &data),
            CRC32_IEEE.checksum(&data),
            "len {len}"
        );
        assert_eq!(
            rtl_crc(Dut::HasherCastagnoli, &data),
            CRC32_C.checksum(&data),
            "len {len}"
        );
    }
}

#[test]
fn fcs_check_value_frame() {
    // "123456789" followed by its CRC, little-endian as on the wire: a good 13-byte frame
    let mut f = b"123456789".to_vec();
    f.extend_from_slice(&0xCBF4_3926u32.to_le_bytes());
    let mut bad = f.clone();
    bad[12] ^= 0x80;
    let cfg = HashKeyConfig::default();
    assert!(!parse(&f, &cfg).has(flag::BAD_FCS));
    assert!(parse(&bad, &cfg).has(flag::BAD_FCS));
    let mut ps = ParserSim::new(false, false);
    let r = ps.parse(&[f, bad], |_| 0);
    assert!(!r[0].has(flag::BAD_FCS));
    assert!(r[1].has(flag::BAD_FCS));
}

/// IPv4 header checksum known answer: the RFC 1071 example header (checksum 0xB861).
#[test]
fn ipv4_checksum_known_answer() {
    let hdr: [u8; 20] = [
        0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8, 0x00,
        0x01, 0xc0, 0xa8, 0x00, 0xc7,
    ];
    assert_eq!(flowdist_model::header_parser::ipv4_checksum(&hdr), 0xB861);
}
