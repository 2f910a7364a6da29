//! The checked-in header agrees with this crate: version macros, status numbers, constants.
//! (scripts/check-c.sh checks that the header is exactly what cbindgen generates.)

use port_secret::{PortSecretDelivery, PortSecretRsaBackend, PortSecretStatus};

fn header() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../include/port_secret.h");
    std::fs::read_to_string(path).expect("include/port_secret.h is checked in")
}

/// The value of `#define NAME value` in the header.
fn define(header: &str, name: &str) -> String {
    let prefix = format!("#define {name} ");
    header
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("{name} is not defined in the header"))
        .trim()
        .to_owned()
}

#[test]
fn version_macros_match_the_package_version() {
    let h = header();
    let version = env!("CARGO_PKG_VERSION");
    let parts: Vec<&str> = version.split('.').collect();
    assert_eq!(parts.len(), 3, "MAJOR.MINOR.PATCH without pre-release");
    assert_eq!(define(&h, "PORT_SECRET_VERSION_MAJOR"), parts[0]);
    assert_eq!(define(&h, "PORT_SECRET_VERSION_MINOR"), parts[1]);
    assert_eq!(define(&h, "PORT_SECRET_VERSION_PATCH"), parts[2]);
    assert_eq!(
        define(&h, "PORT_SECRET_VERSION_STRING"),
        format!("\"{version}\"")
    );
}

#[test]
fn default_tolerance_matches_the_core() {
    assert_eq!(
        define(&header(), "PORT_SECRET_DEFAULT_TOLERANCE_SECONDS"),
        port_secret_core::DEFAULT_TOLERANCE_SECS.to_string()
    );
}

#[test]
fn run_defaults_match_the_core() {
    let h = header();
    assert_eq!(
        define(&h, "PORT_SECRET_DEFAULT_MAX_BODY"),
        port_secret_core::DEFAULT_MAX_BODY.to_string()
    );
    assert_eq!(
        define(&h, "PORT_SECRET_DEFAULT_MAX_CLIENT_SIDE_INPUTS"),
        port_secret_core::DEFAULT_MAX_CLIENT_SIDE_INPUTS.to_string()
    );
    let o = port_secret::port_secret_run_options_default();
    assert_eq!(o.max_body, port_secret_core::DEFAULT_MAX_BODY);
    assert_eq!(
        o.max_client_side_inputs,
        port_secret_core::DEFAULT_MAX_CLIENT_SIDE_INPUTS
    );
    assert_eq!(
        o.tolerance_seconds,
        port_secret_core::DEFAULT_TOLERANCE_SECS
    );
}

#[test]
fn delivery_values_in_the_header_match_the_enum() {
    let h = header();
    for (d, name) in [
        (
            PortSecretDelivery::PORT_SECRET_DELIVERY_PORT,
            "PORT_SECRET_DELIVERY_PORT",
        ),
        (
            PortSecretDelivery::PORT_SECRET_DELIVERY_AGENT,
            "PORT_SECRET_DELIVERY_AGENT",
        ),
    ] {
        let line = format!("  {name} = {},", d as u32);
        assert!(h.contains(&line), "header lacks `{line}`");
    }
    assert!(h.contains("typedef uint32_t PortSecretDelivery;"));
}

#[test]
fn rsa_backend_values_in_the_header_match_the_enum() {
    let h = header();
    for (b, name) in [
        (
            PortSecretRsaBackend::PORT_SECRET_RSA_BACKEND_DEFAULT,
            "PORT_SECRET_RSA_BACKEND_DEFAULT",
        ),
        (
            PortSecretRsaBackend::PORT_SECRET_RSA_BACKEND_AWS_LC,
            "PORT_SECRET_RSA_BACKEND_AWS_LC",
        ),
        (
            PortSecretRsaBackend::PORT_SECRET_RSA_BACKEND_RUST,
            "PORT_SECRET_RSA_BACKEND_RUST",
        ),
    ] {
        let line = format!("  {name} = {},", b as u32);
        assert!(h.contains(&line), "header lacks `{line}`");
    }
    assert!(h.contains("typedef uint32_t PortSecretRsaBackend;"));
}

#[test]
fn decryptor_options_default_matches_the_core() {
    assert_eq!(
        define(&header(), "PORT_SECRET_DEFAULT_MAX_INPUT_LEN"),
        port_secret_core::DEFAULT_MAX_INPUT_LEN.to_string()
    );
    let mut o = core::mem::MaybeUninit::<port_secret::PortSecretDecryptorOptions>::uninit();
    let size = size_of::<port_secret::PortSecretDecryptorOptions>();
    // SAFETY: `o` is valid for writing `size` bytes.
    #[allow(unsafe_code)]
    let o = unsafe {
        assert_eq!(
            port_secret::port_secret_decryptor_options_init(o.as_mut_ptr(), size),
            PortSecretStatus::PORT_SECRET_OK
        );
        o.assume_init()
    };
    assert_eq!(o.max_input_len, port_secret_core::DEFAULT_MAX_INPUT_LEN);
    assert_eq!(o.struct_size, size);
}

#[test]
fn status_values_in_the_header_match_the_enum() {
    let h = header();
    for status in PortSecretStatus::ALL {
        let line = format!("  {status:?} = {},", status as u32);
        assert!(h.contains(&line), "header lacks `{line}`");
    }
    let declared = h
        .lines()
        .filter(|l| {
            let l = l.trim_start();
            l.starts_with("PORT_SECRET_")
                && !l.starts_with("PORT_SECRET_DELIVERY_")
                && !l.starts_with("PORT_SECRET_RSA_BACKEND_")
                && l.contains(" = ")
        })
        .count();
    assert_eq!(declared, PortSecretStatus::ALL.len());
    assert!(h.contains("typedef uint32_t PortSecretStatus;"));
}

#[test]
fn header_is_marked_generated() {
    let h = header();
    assert!(h.contains("generated by cbindgen, do not edit"));
    assert!(h.contains("#ifndef PORT_SECRET_H"));
}
