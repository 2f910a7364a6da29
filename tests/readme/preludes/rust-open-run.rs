// Epilogue of README.md "The run" (Rust): calls the block's `open_run` on the demo run, signed now,
// and once more with a tampered body (refused: invalid_signature).
fn main() {
    let secret = std::env::var("PORT_CLIENT_SECRET").expect("PORT_CLIENT_SECRET");
    let decryptor = port_secret_core::Decryptor::builder()
        .client_secret(&secret)
        .private_key_pem(&std::fs::read_to_string("private_key.pem").expect("private_key.pem"))
        .build()
        .expect("decryptor");
    let raw_body = std::fs::read("body.json").expect("body.json");
    let ts = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs()
        .to_string();
    let signature = port_secret_core::sign_payload(&raw_body, &ts, &secret).expect("sign");
    let headers: [(&str, &[u8]); 2] = [("X-Port-Signature", signature.as_bytes()), ("x-port-timestamp", ts.as_bytes())];
    let run = open_run(&decryptor, &raw_body, &headers).expect("open_run");
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("expected.json").expect("expected.json")).expect("json");
    assert_eq!(run, expected, "the run");
    let mut tampered = raw_body.clone();
    tampered.push(b' ');
    let err = open_run(&decryptor, &tampered, &headers).expect_err("tampered");
    assert_eq!(err.code(), "invalid_signature");
    println!("run opened; tampered copy refused: {}", err.code());
}
