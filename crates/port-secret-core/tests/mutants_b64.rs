//! The size cap in front of every base64 decode, at its exact boundary (kills the cargo-mutants
//! survivors of `b64::check_len`: `>` turned into `>=` or `==`; scripts/mutants.sh).

use port_secret_core::{
    DEFAULT_MAX_INPUT_LEN, Decryptor, Encryption, ErrorKind, decrypt_aes256_gcm,
    decrypt_aes256_gcm_bytes, decrypt_fernet, encrypt_aes256_gcm, encrypt_fernet,
};

const SECRET: &str = "mutants-b64-client-secret-0123456789abcdefghijk";

fn kind<T>(r: port_secret_core::Result<T>) -> Option<ErrorKind> {
    r.err().map(|e| e.kind())
}

#[test]
fn default_cap_is_one_mebibyte() {
    assert_eq!(DEFAULT_MAX_INPUT_LEN, 1024 * 1024);
}

#[test]
fn a_value_exactly_at_the_default_cap_decodes() {
    // IV (16) + plaintext + tag (16) = 786 432 bytes = exactly 1 MiB of base64.
    let pt = vec![b'z'; 3 * DEFAULT_MAX_INPUT_LEN / 4 - 32];
    let value = encrypt_aes256_gcm(&pt, SECRET).expect("encrypt");
    assert_eq!(value.len(), DEFAULT_MAX_INPUT_LEN);
    assert_eq!(
        decrypt_aes256_gcm_bytes(&value, SECRET)
            .expect("at the cap")
            .as_bytes(),
        &pt[..]
    );
    // One more byte of plaintext: 4 more characters, over the cap, refused before decoding.
    let over = encrypt_aes256_gcm([&pt[..], b"z"].concat(), SECRET).expect("encrypt");
    assert_eq!(over.len(), DEFAULT_MAX_INPUT_LEN + 4);
    assert_eq!(
        kind(decrypt_aes256_gcm(&over, SECRET)),
        Some(ErrorKind::Malformed)
    );
}

#[test]
fn a_decryptor_cap_is_inclusive() {
    let value = encrypt_aes256_gcm("s3cr3t", SECRET).expect("encrypt");
    let token = encrypt_fernet("s3cr3t", SECRET).expect("encrypt");
    for (input, encryption) in [
        (&value, Encryption::Aes256Gcm),
        (&token, Encryption::Fernet),
    ] {
        let at = |max: usize| {
            Decryptor::builder()
                .client_secret(SECRET)
                .max_input_len(max)
                .build()
                .expect("decryptor")
                .decrypt(input, &encryption)
        };
        assert_eq!(&*at(input.len()).expect("exactly at the cap"), "s3cr3t");
        assert_eq!(&*at(input.len() + 1).expect("under the cap"), "s3cr3t");
        assert_eq!(kind(at(input.len() - 1)), Some(ErrorKind::Malformed));
    }
    // The one-shot Fernet path has the same default cap.
    assert_eq!(
        &*decrypt_fernet(&token, SECRET, None).expect("decrypt"),
        "s3cr3t"
    );
}
