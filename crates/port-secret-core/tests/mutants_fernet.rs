//! Fernet edge cases written to kill cargo-mutants survivors (scripts/mutants.sh): the token
//! layout constants, the exact TTL and clock-skew boundaries, the minimum length, and tokens
//! whose HMAC verifies but whose content is wrong.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE;
use hmac::{Hmac, KeyInit, Mac};
use port_secret_core::format::fernet as layout;
use port_secret_core::{
    ErrorKind, decrypt_fernet, decrypt_fernet_at, encrypt_fernet, encrypt_fernet_from_parts,
};
use sha2::Sha256;

const SECRET: &str = "mutants-fernet-secret-0123456789abcdefghijklmnop";
const T: u64 = 1_700_000_000;
const IV: [u8; 16] = [7; 16];

fn kind<T>(r: port_secret_core::Result<T>) -> Option<ErrorKind> {
    r.err().map(|e| e.kind())
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs()
}

/// A token with a valid HMAC over whatever `body` (everything after version and timestamp, up
/// to the HMAC) holds: the signing key is the client secret's first 16 bytes.
fn signed_token(version: u8, timestamp: u64, body: &[u8]) -> String {
    let mut raw = vec![version];
    raw.extend_from_slice(&timestamp.to_be_bytes());
    raw.extend_from_slice(body);
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(&SECRET.as_bytes()[..16]).expect("hmac key");
    mac.update(&raw);
    raw.extend_from_slice(&mac.finalize().into_bytes());
    URL_SAFE.encode(raw)
}

#[test]
fn layout_constants_are_the_spec() {
    assert_eq!(layout::VERSION, 0x80);
    assert_eq!(layout::TIMESTAMP_LEN, 8);
    assert_eq!(layout::IV_LEN, 16);
    assert_eq!(layout::HMAC_LEN, 32);
    assert_eq!(layout::HEADER_LEN, 25);
    assert_eq!(layout::MIN_TOKEN_LEN, 73);
    assert_eq!(layout::MAX_CLOCK_SKEW, 60);
}

#[test]
fn a_token_is_stamped_with_the_clock() {
    let token = encrypt_fernet("x", SECRET).expect("encrypt");
    let raw = URL_SAFE.decode(&token).expect("base64url");
    let stamped = u64::from_be_bytes(raw[1..9].try_into().expect("8 bytes"));
    let now = now();
    assert!(stamped.abs_diff(now) <= 5, "stamped {stamped}, now {now}");
    // So a short TTL checked against the real clock passes, and it fails a minute later.
    assert_eq!(
        decrypt_fernet_at(&token, SECRET, Some(5), now)
            .expect("fresh")
            .to_str()
            .expect("utf-8"),
        "x"
    );
    assert_eq!(
        kind(decrypt_fernet_at(&token, SECRET, Some(5), now + 70)),
        Some(ErrorKind::Expired)
    );
    assert_eq!(
        &*decrypt_fernet(&token, SECRET, Some(5)).expect("fresh"),
        "x"
    );
}

#[test]
fn ttl_and_clock_skew_boundaries_are_exact() {
    let token = encrypt_fernet_from_parts("boundary", SECRET, T, IV).expect("encrypt");
    let at = |now: u64, ttl: Option<u64>| kind(decrypt_fernet_at(&token, SECRET, ttl, now));
    // Exactly `ttl` seconds old: still valid; one more second: expired.
    assert_eq!(at(T + 100, Some(100)), None);
    assert_eq!(at(T + 101, Some(100)), Some(ErrorKind::Expired));
    assert_eq!(at(T, Some(0)), None);
    assert_eq!(at(T + 1, Some(0)), Some(ErrorKind::Expired));
    // Up to 60 s in the future: valid; 61 s: expired.
    assert_eq!(at(T - 60, Some(100)), None);
    assert_eq!(at(T - 61, Some(100)), Some(ErrorKind::Expired));
    // Without a TTL, time is not checked at all.
    assert_eq!(at(0, None), None);
    assert_eq!(at(u64::MAX, None), None);
    // Saturating: a huge TTL never overflows into "expired".
    assert_eq!(at(u64::MAX, Some(u64::MAX)), None);
}

#[test]
fn token_length_boundary() {
    // The shortest token: empty plaintext (one padding block), exactly 73 bytes.
    let token = encrypt_fernet_from_parts("", SECRET, T, IV).expect("encrypt");
    assert_eq!(URL_SAFE.decode(&token).expect("base64url").len(), 73);
    assert_eq!(&*decrypt_fernet(&token, SECRET, None).expect("decrypt"), "");
    // One byte shorter, even with a valid HMAC: malformed, not authentication_failed.
    let short = signed_token(0x80, T, &[0u8; 16 + 15]);
    assert_eq!(URL_SAFE.decode(&short).expect("base64url").len(), 72);
    assert_eq!(
        kind(decrypt_fernet(&short, SECRET, None)),
        Some(ErrorKind::Malformed)
    );
    // 73 bytes of something not signed with this key: authentication_failed.
    let forged = URL_SAFE.encode([0x80u8; 73]);
    assert_eq!(
        kind(decrypt_fernet(&forged, SECRET, None)),
        Some(ErrorKind::AuthenticationFailed)
    );
}

#[test]
fn authentic_tokens_with_bad_content() {
    // Unknown version, a valid HMAC: malformed.
    let genuine = URL_SAFE
        .decode(encrypt_fernet_from_parts("hello", SECRET, T, IV).expect("encrypt"))
        .expect("base64url");
    let body = &genuine[9..genuine.len() - 32];
    assert_eq!(
        kind(decrypt_fernet(signed_token(0x81, T, body), SECRET, None)),
        Some(ErrorKind::Malformed)
    );
    // The same content re-signed with version 0x80 opens (the builder above is right).
    assert_eq!(
        &*decrypt_fernet(signed_token(0x80, T, body), SECRET, None).expect("decrypt"),
        "hello"
    );
    // A ciphertext that is not a whole number of blocks: malformed.
    let mut ragged = body.to_vec();
    ragged.push(0);
    assert_eq!(
        kind(decrypt_fernet(signed_token(0x80, T, &ragged), SECRET, None)),
        Some(ErrorKind::Malformed)
    );
    // Whole blocks whose padding is wrong (random-looking bytes): malformed.
    let mut bad_padding = body.to_vec();
    let last = bad_padding.len() - 1;
    bad_padding[last] ^= 0x5a;
    assert_eq!(
        kind(decrypt_fernet(
            signed_token(0x80, T, &bad_padding),
            SECRET,
            None
        )),
        Some(ErrorKind::Malformed)
    );
    // The TTL is checked on the authentic token's own timestamp.
    assert_eq!(
        kind(decrypt_fernet_at(
            signed_token(0x80, T, body),
            SECRET,
            Some(10),
            T + 11
        )),
        Some(ErrorKind::Expired)
    );
}

#[test]
fn plaintext_lengths_around_the_block_size() {
    for len in [0usize, 1, 15, 16, 17, 31, 32, 33, 48] {
        let pt = vec![b'a'; len];
        let token = encrypt_fernet_from_parts(&pt, SECRET, T, IV).expect("encrypt");
        let raw = URL_SAFE.decode(&token).expect("base64url");
        // PKCS#7 always adds 1 to 16 bytes: the ciphertext is the next multiple of 16.
        assert_eq!(raw.len(), 25 + (len / 16 + 1) * 16 + 32, "len {len}");
        assert_eq!(
            decrypt_fernet_at(&token, SECRET, None, T)
                .expect("decrypt")
                .as_bytes(),
            &pt[..]
        );
    }
}
