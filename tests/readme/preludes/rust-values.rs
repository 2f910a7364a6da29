// Epilogue of README.md "Rust": calls the block's `decrypt_values` on the demo run, signed now.
// The program runs in a directory holding the demo files, PORT_CLIENT_SECRET set to the demo secret.
fn main() {
    let secret = std::env::var("PORT_CLIENT_SECRET").expect("PORT_CLIENT_SECRET");
    let raw_body = std::fs::read("body.json").expect("body.json");
    let ts = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs()
        .to_string();
    let signature = port_secret_core::sign_payload(&raw_body, &ts, &secret).expect("sign");
    let body: serde_json::Value = serde_json::from_slice(&raw_body).expect("json");
    let value = body["payload"]["properties"]["db_password"].as_str().expect("db_password");
    let inputs = decrypt_values(&raw_body, &signature, &ts, value).expect("decrypt_values");
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("expected.json").expect("expected.json")).expect("json");
    assert_eq!(inputs, expected["payload"]["properties"], "the decrypted inputs");
    println!("decrypted {} inputs", inputs.as_object().map_or(0, |m| m.len()));
}
