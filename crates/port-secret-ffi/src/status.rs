//! [`PortSecretStatus`]: the error taxonomy as stable numbers, and the panic boundary.

use core::ffi::{CStr, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use port_secret_core::{Error, ErrorKind};

/// The result of every fallible function: `PORT_SECRET_OK` (0) or an error code.
///
/// The numbers are part of the ABI: they never change and a retired number is never reused.
/// Codes 1 to 9 are the error taxonomy shared with the Rust, Python and Node APIs (a future
/// taxonomy code gets the next free number, 12 and up); `port_secret_status_str` gives the
/// taxonomy's string (`"invalid_base64"`, ...).
///
/// In C this type is a `uint32_t`: compare it with the constants, do not `switch` on it without
/// a `default` branch, since later versions may return new codes.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(non_camel_case_types)]
pub enum PortSecretStatus {
    /// Success. Outputs are filled.
    PORT_SECRET_OK = 0,
    /// The value is not strict base64 (standard alphabet with padding; URL-safe for Fernet).
    PORT_SECRET_INVALID_BASE64 = 1,
    /// The value decoded but its layout is wrong: too short, wrong version, over the size cap.
    PORT_SECRET_MALFORMED = 2,
    /// Wrong key or tampered value (RSA-OAEP, GCM tag and Fernet HMAC failures alike).
    PORT_SECRET_AUTHENTICATION_FAILED = 3,
    /// The key is unusable: a client secret under 32 bytes, a PEM that is not an RSA private
    /// key of 2048 to 4096 bits, a public key that is not SPKI RSA, an unsupported key size.
    PORT_SECRET_INVALID_KEY = 4,
    /// The plaintext is authentic but not UTF-8 (the `_bytes` functions return it anyway).
    PORT_SECRET_INVALID_UTF8 = 5,
    /// Text that should be JSON does not parse.
    PORT_SECRET_INVALID_JSON = 6,
    /// A Fernet token past its TTL, or a webhook timestamp outside the tolerance.
    PORT_SECRET_EXPIRED = 7,
    /// The `encryption` of an input is not one this library knows.
    PORT_SECRET_UNSUPPORTED_ENCRYPTION = 8,
    /// A webhook signature that does not match the body.
    PORT_SECRET_INVALID_SIGNATURE = 9,
    /// A required pointer is NULL, a key, secret, `encryption` or JSON argument is not UTF-8, or
    /// two outputs are the same buffer. Nothing was computed. (Values, tokens, signatures and
    /// timestamps come from requests: bad bytes there get the taxonomy code, e.g.
    /// `PORT_SECRET_INVALID_BASE64`.)
    PORT_SECRET_INVALID_ARGUMENT = 10,
    /// A bug in this library (a caught Rust panic). Nothing was returned; please report it.
    PORT_SECRET_INTERNAL = 11,
}

use PortSecretStatus as S;

impl PortSecretStatus {
    /// Every status, in numeric order.
    pub const ALL: [PortSecretStatus; 12] = [
        Self::PORT_SECRET_OK,
        Self::PORT_SECRET_INVALID_BASE64,
        Self::PORT_SECRET_MALFORMED,
        Self::PORT_SECRET_AUTHENTICATION_FAILED,
        Self::PORT_SECRET_INVALID_KEY,
        Self::PORT_SECRET_INVALID_UTF8,
        Self::PORT_SECRET_INVALID_JSON,
        Self::PORT_SECRET_EXPIRED,
        Self::PORT_SECRET_UNSUPPORTED_ENCRYPTION,
        Self::PORT_SECRET_INVALID_SIGNATURE,
        Self::PORT_SECRET_INVALID_ARGUMENT,
        Self::PORT_SECRET_INTERNAL,
    ];

    /// The status of a core error kind. The only place core errors are translated.
    pub fn from_kind(kind: ErrorKind) -> Self {
        match kind {
            ErrorKind::InvalidBase64 => Self::PORT_SECRET_INVALID_BASE64,
            ErrorKind::Malformed => Self::PORT_SECRET_MALFORMED,
            ErrorKind::AuthenticationFailed => Self::PORT_SECRET_AUTHENTICATION_FAILED,
            ErrorKind::InvalidKey => Self::PORT_SECRET_INVALID_KEY,
            ErrorKind::InvalidUtf8 => Self::PORT_SECRET_INVALID_UTF8,
            ErrorKind::InvalidJson => Self::PORT_SECRET_INVALID_JSON,
            ErrorKind::Expired => Self::PORT_SECRET_EXPIRED,
            ErrorKind::UnsupportedEncryption => Self::PORT_SECRET_UNSUPPORTED_ENCRYPTION,
            ErrorKind::InvalidSignature => Self::PORT_SECRET_INVALID_SIGNATURE,
            // ErrorKind is non_exhaustive: a kind added to the core without a number here is a
            // bug of this crate, reported as such rather than as a wrong code.
            _ => Self::PORT_SECRET_INTERNAL,
        }
    }

    /// The status with this number, if any.
    pub fn from_u32(n: u32) -> Option<Self> {
        Self::ALL.into_iter().find(|s| *s as u32 == n)
    }

    /// The stable string: `"ok"`, the taxonomy code, `"invalid_argument"` or `"internal"`.
    pub fn as_cstr(self) -> &'static CStr {
        match self {
            Self::PORT_SECRET_OK => c"ok",
            Self::PORT_SECRET_INVALID_BASE64 => c"invalid_base64",
            Self::PORT_SECRET_MALFORMED => c"malformed",
            Self::PORT_SECRET_AUTHENTICATION_FAILED => c"authentication_failed",
            Self::PORT_SECRET_INVALID_KEY => c"invalid_key",
            Self::PORT_SECRET_INVALID_UTF8 => c"invalid_utf8",
            Self::PORT_SECRET_INVALID_JSON => c"invalid_json",
            Self::PORT_SECRET_EXPIRED => c"expired",
            Self::PORT_SECRET_UNSUPPORTED_ENCRYPTION => c"unsupported_encryption",
            Self::PORT_SECRET_INVALID_SIGNATURE => c"invalid_signature",
            Self::PORT_SECRET_INVALID_ARGUMENT => c"invalid_argument",
            Self::PORT_SECRET_INTERNAL => c"internal",
        }
    }
}

impl From<Error> for PortSecretStatus {
    fn from(e: Error) -> Self {
        Self::from_kind(e.kind())
    }
}

/// `Result` of the bodies of exported functions.
pub(crate) type FfiResult<T = ()> = Result<T, PortSecretStatus>;

/// Runs the body of an exported function: a panic becomes `PORT_SECRET_INTERNAL` instead of
/// unwinding into C (which would abort the process).
pub(crate) fn boundary(body: impl FnOnce() -> FfiResult) -> PortSecretStatus {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => S::PORT_SECRET_OK,
        Ok(Err(status)) => status,
        Err(_) => S::PORT_SECRET_INTERNAL,
    }
}

/// [`boundary`] for functions that return a value: `fallback` after a panic.
pub(crate) fn boundary_or<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

const VERSION: &CStr =
    match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(v) => v,
        Err(_) => panic!("the package version contains a NUL byte"),
    };

/// The library's version, `"MAJOR.MINOR.PATCH"`: the version of the `.so`/`.a` actually
/// loaded, to compare with the header's `PORT_SECRET_VERSION_*` macros.
///
/// Returns a static NUL-terminated string; do not free it. Thread safety: any thread, any time.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn port_secret_version() -> *const c_char {
    boundary_or(c"".as_ptr(), || VERSION.as_ptr())
}

/// The stable string of a status: `"ok"`, `"invalid_base64"`, ..., `"invalid_argument"`,
/// `"internal"`, or `"unknown"` for a number that is not a `PortSecretStatus`.
///
/// Returns a static NUL-terminated string; do not free it. It never contains input data.
/// Thread safety: any thread, any time.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn port_secret_status_str(status: u32) -> *const c_char {
    boundary_or(c"internal".as_ptr(), || {
        PortSecretStatus::from_u32(status)
            .map_or(c"unknown", PortSecretStatus::as_cstr)
            .as_ptr()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_stable() {
        let numbers: Vec<u32> = PortSecretStatus::ALL.iter().map(|s| *s as u32).collect();
        assert_eq!(numbers, (0..12).collect::<Vec<u32>>());
    }

    #[test]
    fn every_core_kind_maps_to_its_own_code() {
        for kind in ErrorKind::ALL {
            let status = PortSecretStatus::from_kind(kind);
            assert_ne!(status, S::PORT_SECRET_INTERNAL, "{kind:?} has no status");
            assert_eq!(status.as_cstr().to_str().ok(), Some(kind.code()));
            // `PORT_SECRET_` + the code in upper case, as the contract says.
            assert_eq!(
                format!("{status:?}"),
                format!("PORT_SECRET_{}", kind.code().to_uppercase())
            );
            assert_eq!(PortSecretStatus::from(Error::new(kind, "reason")), status);
        }
    }

    #[test]
    fn status_strings() {
        for status in PortSecretStatus::ALL {
            assert_eq!(PortSecretStatus::from_u32(status as u32), Some(status));
            // SAFETY: port_secret_status_str returns a static NUL-terminated string.
            #[allow(unsafe_code)]
            let s = unsafe { CStr::from_ptr(port_secret_status_str(status as u32)) };
            assert_eq!(s, status.as_cstr());
        }
        assert_eq!(PortSecretStatus::PORT_SECRET_OK.as_cstr(), c"ok");
        for unknown in [12, 99, u32::MAX] {
            // SAFETY: as above.
            #[allow(unsafe_code)]
            let s = unsafe { CStr::from_ptr(port_secret_status_str(unknown)) };
            assert_eq!(s, c"unknown");
        }
    }

    #[test]
    fn boundary_catches_panics() {
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let caught = boundary(|| panic!("boom"));
        let caught_value = boundary_or(7, || -> i32 { panic!("boom") });
        std::panic::set_hook(hook);
        assert_eq!(caught, S::PORT_SECRET_INTERNAL);
        assert_eq!(caught_value, 7);
        assert_eq!(boundary(|| Ok(())), S::PORT_SECRET_OK);
        assert_eq!(
            boundary(|| Err(S::PORT_SECRET_EXPIRED)),
            S::PORT_SECRET_EXPIRED
        );
    }

    #[test]
    fn version_matches_cargo() {
        // SAFETY: port_secret_version returns a static NUL-terminated string.
        #[allow(unsafe_code)]
        let v = unsafe { CStr::from_ptr(port_secret_version()) };
        assert_eq!(v.to_str().ok(), Some(env!("CARGO_PKG_VERSION")));
        assert_eq!(env!("CARGO_PKG_VERSION"), port_secret_core::VERSION);
    }
}
