//! [`PortSecretDecryptorOptions`]: every option of the core's `DecryptorBuilder`, for C.

use core::ffi::c_char;
use core::ptr;

use port_secret_core::hazmat::Backend;
use port_secret_core::{DEFAULT_MAX_INPUT_LEN, Decryptor, DecryptorBuilder};

use crate::args::c_str_array;
use crate::decryptor::PortSecretDecryptor;
use crate::status::{FfiResult, PortSecretStatus, boundary};

const INVALID: PortSecretStatus = PortSecretStatus::PORT_SECRET_INVALID_ARGUMENT;

/// Which RSA implementation a decryptor uses for `client-side` inputs (the `rsa_backend` field
/// of `PortSecretDecryptorOptions`).
///
/// The numbers are part of the ABI. In C the field holding it is a plain `uint32_t`; any other
/// number, or a backend this build of the library does not contain, is
/// `PORT_SECRET_INVALID_ARGUMENT`. Meant for benchmarks and backend comparisons: both backends
/// give the same answers.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum PortSecretRsaBackend {
    /// The library's default (AWS-LC in the released libraries).
    PORT_SECRET_RSA_BACKEND_DEFAULT = 0,
    /// AWS-LC through `aws-lc-rs`.
    PORT_SECRET_RSA_BACKEND_AWS_LC = 1,
    /// The pure-Rust `rsa` crate (only in builds with the core's `rsa` feature; the released
    /// libraries do not contain it).
    PORT_SECRET_RSA_BACKEND_RUST = 2,
}

/// Every option of a decryptor, for `port_secret_decryptor_new_with`.
///
/// Fill it with `port_secret_decryptor_options_init(&options, sizeof options)` first, then set
/// what differs. `struct_size` lets the struct grow: a later library reads the fields an older
/// caller knows and gives the others their defaults.
///
/// Every pointer is borrowed for the duration of the `port_secret_decryptor_new_with` call only;
/// the strings are copied.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct PortSecretDecryptorOptions {
    /// `sizeof(PortSecretDecryptorOptions)` as the caller compiled it, set by
    /// `port_secret_decryptor_options_init`. A size this library does not know is
    /// `PORT_SECRET_INVALID_ARGUMENT`.
    pub struct_size: usize,
    /// `client_secrets_len` client secrets (NUL-terminated UTF-8), for `aes256-gcm`, `fernet`
    /// and signatures; during a rotation the current one first. NULL only when the length is 0.
    pub client_secrets: *const *const c_char,
    /// Number of pointers at `client_secrets` (default 0).
    pub client_secrets_len: usize,
    /// `private_keys_len` RSA private key PEMs (PKCS#8 or PKCS#1, 2048 to 4096 bits), for
    /// `client-side` inputs; tried in turn. NULL only when the length is 0.
    pub private_keys: *const *const c_char,
    /// Number of pointers at `private_keys` (default 0).
    pub private_keys_len: usize,
    /// Largest accepted encoded value, in bytes, checked before decoding (default
    /// `PORT_SECRET_DEFAULT_MAX_INPUT_LEN`). 0 is refused with `PORT_SECRET_MALFORMED`, as in
    /// every language.
    pub max_input_len: usize,
    /// Fernet tokens older than this many seconds are `PORT_SECRET_EXPIRED`, when
    /// `has_fernet_ttl` is true (0: only tokens made in the current second).
    pub fernet_ttl_seconds: u64,
    /// Whether `fernet_ttl_seconds` applies (default false: no TTL, as Port's tokens carry none).
    pub has_fernet_ttl: bool,
    /// A `PortSecretRsaBackend` number (default `PORT_SECRET_RSA_BACKEND_DEFAULT`).
    pub rsa_backend: u32,
}

impl PortSecretDecryptorOptions {
    /// The defaults, at this version's size.
    const DEFAULT: PortSecretDecryptorOptions = PortSecretDecryptorOptions {
        struct_size: size_of::<PortSecretDecryptorOptions>(),
        client_secrets: ptr::null(),
        client_secrets_len: 0,
        private_keys: ptr::null(),
        private_keys_len: 0,
        max_input_len: DEFAULT_MAX_INPUT_LEN,
        fernet_ttl_seconds: 0,
        has_fernet_ttl: false,
        rsa_backend: PortSecretRsaBackend::PORT_SECRET_RSA_BACKEND_DEFAULT as u32,
    };

    /// The smallest `struct_size` accepted: the size of the first version of the struct. (It is
    /// this version; when fields are added, this stays and the size grows.)
    const FIRST_SIZE: usize = size_of::<PortSecretDecryptorOptions>();

    /// Whether this library knows a struct of `size` bytes.
    fn known_size(size: usize) -> bool {
        (Self::FIRST_SIZE..=size_of::<Self>()).contains(&size)
    }

    /// The options behind `p`: its first `struct_size` bytes over the defaults.
    ///
    /// # Safety
    /// `p` is NULL or points to at least `struct_size` readable bytes, `struct_size` being its
    /// first field, laid out as this struct (a prefix of it, for an older caller).
    #[allow(unsafe_code)]
    unsafe fn read(p: *const PortSecretDecryptorOptions) -> FfiResult<Self> {
        if p.is_null() {
            return Err(INVALID);
        }
        // SAFETY: non-NULL and `struct_size`, the first field, is readable (contract); no
        // reference to the whole struct is made before its size is known.
        let size = unsafe { ptr::addr_of!((*p).struct_size).read_unaligned() };
        if !Self::known_size(size) {
            return Err(INVALID);
        }
        let mut options = Self::DEFAULT;
        // SAFETY: `size` readable bytes at `p` (contract), `size <= size_of::<Self>()` (checked),
        // so the copy stays inside `options`; the two do not overlap (`options` is ours). The
        // bytes are a prefix of a C struct of this layout, so every field copied is valid.
        unsafe {
            ptr::copy_nonoverlapping(
                p.cast::<u8>(),
                ptr::addr_of_mut!(options).cast::<u8>(),
                size,
            );
        }
        Ok(options)
    }

    /// The core's builder for these options.
    ///
    /// # Safety
    /// The arrays are as documented on the fields.
    #[allow(unsafe_code)]
    unsafe fn to_builder(self) -> FfiResult<DecryptorBuilder> {
        let backend = match self.rsa_backend {
            b if b == PortSecretRsaBackend::PORT_SECRET_RSA_BACKEND_DEFAULT as u32 => {
                Backend::DEFAULT
            }
            b if b == PortSecretRsaBackend::PORT_SECRET_RSA_BACKEND_AWS_LC as u32 => {
                backend_named("aws-lc")?
            }
            b if b == PortSecretRsaBackend::PORT_SECRET_RSA_BACKEND_RUST as u32 => {
                backend_named("rsa")?
            }
            _ => return Err(INVALID),
        };
        // SAFETY: the arrays are valid for their lengths (this function's contract).
        let (secrets, keys) = unsafe {
            (
                c_str_array(self.client_secrets, self.client_secrets_len)?,
                c_str_array(self.private_keys, self.private_keys_len)?,
            )
        };
        let mut builder = Decryptor::builder()
            .max_input_len(self.max_input_len)
            .fernet_ttl(self.has_fernet_ttl.then_some(self.fernet_ttl_seconds))
            .rsa_backend(backend);
        for secret in secrets {
            builder = builder.client_secret(secret);
        }
        for pem in keys {
            builder = builder.private_key_pem(pem);
        }
        Ok(builder)
    }
}

/// The backend of this build with this name; `PORT_SECRET_INVALID_ARGUMENT` when it was not
/// compiled in.
fn backend_named(name: &str) -> FfiResult<Backend> {
    Backend::ALL
        .iter()
        .copied()
        .find(|b| b.name() == name)
        .ok_or(INVALID)
}

/// Fills `options` with the defaults: no keys, `max_input_len`
/// `PORT_SECRET_DEFAULT_MAX_INPUT_LEN`, no Fernet TTL, the default RSA backend, and
/// `struct_size` = `size`. Pass `sizeof *options` as `size`, so that a later library writes
/// only the fields this caller knows.
///
/// Returns `PORT_SECRET_OK` or `PORT_SECRET_INVALID_ARGUMENT` (`options` NULL, a `size` this
/// library does not know; `options` is then untouched).
///
/// Thread safety: any thread, any time.
///
/// # Safety
/// `options` is NULL or valid for writing `size` bytes.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn port_secret_decryptor_options_init(
    options: *mut PortSecretDecryptorOptions,
    size: usize,
) -> PortSecretStatus {
    boundary(|| {
        if options.is_null() || !PortSecretDecryptorOptions::known_size(size) {
            return Err(INVALID);
        }
        let defaults = PortSecretDecryptorOptions {
            struct_size: size,
            ..PortSecretDecryptorOptions::DEFAULT
        };
        // SAFETY: `options` is valid for `size` bytes (contract), `size <= size_of` (checked),
        // and `defaults` is ours, so the ranges do not overlap.
        unsafe {
            ptr::copy_nonoverlapping(
                ptr::addr_of!(defaults).cast::<u8>(),
                options.cast::<u8>(),
                size,
            );
        }
        Ok(())
    })
}

/// Creates a decryptor with every option (`port_secret_decryptor_new` takes only the keys).
/// Start from `port_secret_decryptor_options_init`, then set the fields that differ.
///
/// On success `*out` receives a new decryptor, to release with `port_secret_decryptor_free`; on
/// error `*out` is set to NULL. The strings are copied: the caller may free them afterwards.
///
/// Returns `PORT_SECRET_OK`; `PORT_SECRET_MALFORMED` (`max_input_len` is 0: options are checked
/// before the keys); `PORT_SECRET_INVALID_KEY` (a secret under 32 bytes, a PEM that is not a
/// usable RSA private key, no key at all); or `PORT_SECRET_INVALID_ARGUMENT` (`options` or
/// `out` NULL, a `struct_size` this library does not know, a NULL array with a length > 0, a
/// NULL or non-UTF-8 string, an unknown or absent `rsa_backend`).
///
/// Thread safety: any thread, concurrently with any other call.
///
/// # Safety
/// `options` is NULL or points to a `PortSecretDecryptorOptions` of `options->struct_size`
/// readable bytes whose arrays hold their lengths' worth of pointers, each NULL or a
/// NUL-terminated string; `out` is NULL or valid for writing one pointer.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn port_secret_decryptor_new_with(
    options: *const PortSecretDecryptorOptions,
    out: *mut *mut PortSecretDecryptor,
) -> PortSecretStatus {
    boundary(|| {
        // SAFETY: `out` is NULL or valid for writes (contract).
        let out = unsafe { out.as_mut() }.ok_or(INVALID)?;
        *out = ptr::null_mut();
        // SAFETY: the caller guarantees the options contract documented above.
        let builder = unsafe { PortSecretDecryptorOptions::read(options)?.to_builder()? };
        *out = PortSecretDecryptor::new_raw(builder.build()?);
        Ok(())
    })
}

#[cfg(test)]
#[allow(unsafe_code)]
mod tests {
    use super::*;
    use crate::PortSecretBuffer;
    use core::ffi::CStr;
    use core::mem::MaybeUninit;

    const SECRET: &CStr = c"ffi-options-test-client-secret-0123456789abcdef";

    fn init() -> PortSecretDecryptorOptions {
        let mut o = MaybeUninit::<PortSecretDecryptorOptions>::uninit();
        // SAFETY: `o` is valid for writing its whole size.
        let st = unsafe {
            port_secret_decryptor_options_init(
                o.as_mut_ptr(),
                size_of::<PortSecretDecryptorOptions>(),
            )
        };
        assert_eq!(st, PortSecretStatus::PORT_SECRET_OK);
        // SAFETY: init wrote every byte of the struct (its size is the whole struct).
        unsafe { o.assume_init() }
    }

    fn new_with(o: &PortSecretDecryptorOptions) -> (PortSecretStatus, *mut PortSecretDecryptor) {
        let mut d = ptr::dangling_mut();
        // SAFETY: `o` is a valid options struct; `d` is valid for writes.
        let st = unsafe { port_secret_decryptor_new_with(o, &mut d) };
        (st, d)
    }

    #[test]
    fn init_gives_the_defaults() {
        let o = init();
        assert_eq!(o.struct_size, size_of::<PortSecretDecryptorOptions>());
        assert!(o.client_secrets.is_null() && o.private_keys.is_null());
        assert_eq!((o.client_secrets_len, o.private_keys_len), (0, 0));
        assert_eq!(o.max_input_len, DEFAULT_MAX_INPUT_LEN);
        assert!(!o.has_fernet_ttl);
        assert_eq!(o.rsa_backend, 0);
        // SAFETY: NULL, and a size that is not this struct's.
        unsafe {
            assert_eq!(
                port_secret_decryptor_options_init(
                    ptr::null_mut(),
                    size_of::<PortSecretDecryptorOptions>()
                ),
                INVALID
            );
            let mut o = init();
            o.max_input_len = 7;
            assert_eq!(port_secret_decryptor_options_init(&mut o, 8), INVALID);
            assert_eq!(
                port_secret_decryptor_options_init(
                    &mut o,
                    size_of::<PortSecretDecryptorOptions>() + 8
                ),
                INVALID
            );
            assert_eq!(o.max_input_len, 7, "untouched on error");
        }
    }

    #[test]
    fn every_option_reaches_the_decryptor() {
        let secrets = [SECRET.as_ptr()];
        let mut o = init();
        o.client_secrets = secrets.as_ptr();
        o.client_secrets_len = 1;
        o.max_input_len = 12345;
        o.has_fernet_ttl = true;
        o.fernet_ttl_seconds = 60;
        o.rsa_backend = PortSecretRsaBackend::PORT_SECRET_RSA_BACKEND_AWS_LC as u32;
        let (st, d) = new_with(&o);
        assert_eq!(st, PortSecretStatus::PORT_SECRET_OK);
        // SAFETY: `d` is live until freed below.
        let inner = unsafe { crate::decryptor::decryptor(d) }.expect("live");
        assert_eq!(inner.max_input_len(), 12345);
        assert_eq!(inner.client_secret_count(), 1);
        // A token from 1970 is past a 60 s TTL.
        let token = port_secret_core::encrypt_fernet_from_parts(
            b"x",
            SECRET.to_str().expect("utf-8"),
            0,
            [0; 16],
        )
        .expect("token");
        let mut buf = PortSecretBuffer::EMPTY;
        let token = std::ffi::CString::new(token).expect("no NUL");
        // SAFETY: live decryptor, NUL-terminated strings, valid buffer.
        let st = unsafe {
            crate::port_secret_decryptor_decrypt(d, token.as_ptr(), c"fernet".as_ptr(), &mut buf)
        };
        assert_eq!(st, PortSecretStatus::PORT_SECRET_EXPIRED);
        // SAFETY: from new_with, freed once.
        unsafe { crate::port_secret_decryptor_free(d) };
    }

    #[test]
    fn bad_options_get_typed_codes() {
        let secrets = [SECRET.as_ptr()];
        let with_secret = || {
            let mut o = init();
            o.client_secrets = secrets.as_ptr();
            o.client_secrets_len = 1;
            o
        };
        let cases: Vec<(PortSecretDecryptorOptions, PortSecretStatus)> = vec![
            (init(), PortSecretStatus::PORT_SECRET_INVALID_KEY),
            (
                PortSecretDecryptorOptions {
                    max_input_len: 0,
                    ..with_secret()
                },
                PortSecretStatus::PORT_SECRET_MALFORMED,
            ),
            (
                PortSecretDecryptorOptions {
                    max_input_len: 0,
                    ..init()
                },
                PortSecretStatus::PORT_SECRET_MALFORMED,
            ),
            (
                PortSecretDecryptorOptions {
                    client_secrets: ptr::null(),
                    ..with_secret()
                },
                INVALID,
            ),
            (
                PortSecretDecryptorOptions {
                    private_keys_len: 1,
                    ..with_secret()
                },
                INVALID,
            ),
            (
                PortSecretDecryptorOptions {
                    rsa_backend: 3,
                    ..with_secret()
                },
                INVALID,
            ),
            (
                PortSecretDecryptorOptions {
                    struct_size: 0,
                    ..with_secret()
                },
                INVALID,
            ),
            (
                PortSecretDecryptorOptions {
                    struct_size: size_of::<PortSecretDecryptorOptions>() + 1,
                    ..with_secret()
                },
                INVALID,
            ),
        ];
        for (o, want) in cases {
            let (st, d) = new_with(&o);
            assert_eq!(st, want, "{o:?}");
            assert!(d.is_null(), "*out is NULL on error");
        }
        let mut d = ptr::dangling_mut();
        // SAFETY: NULL options / NULL out are refused before any read.
        unsafe {
            assert_eq!(port_secret_decryptor_new_with(ptr::null(), &mut d), INVALID);
            assert!(d.is_null());
            assert_eq!(
                port_secret_decryptor_new_with(&with_secret(), ptr::null_mut()),
                INVALID
            );
        }
    }

    #[test]
    fn backends_by_number() {
        let secrets = [SECRET.as_ptr()];
        for backend in [
            PortSecretRsaBackend::PORT_SECRET_RSA_BACKEND_DEFAULT,
            PortSecretRsaBackend::PORT_SECRET_RSA_BACKEND_AWS_LC,
            PortSecretRsaBackend::PORT_SECRET_RSA_BACKEND_RUST,
        ] {
            let o = PortSecretDecryptorOptions {
                client_secrets: secrets.as_ptr(),
                client_secrets_len: 1,
                rsa_backend: backend as u32,
                ..init()
            };
            let name = match backend {
                PortSecretRsaBackend::PORT_SECRET_RSA_BACKEND_DEFAULT => Backend::DEFAULT.name(),
                PortSecretRsaBackend::PORT_SECRET_RSA_BACKEND_AWS_LC => "aws-lc",
                PortSecretRsaBackend::PORT_SECRET_RSA_BACKEND_RUST => "rsa",
            };
            let compiled_in = Backend::ALL.iter().any(|b| b.name() == name);
            let (st, d) = new_with(&o);
            if compiled_in {
                assert_eq!(st, PortSecretStatus::PORT_SECRET_OK, "{backend:?}");
                // SAFETY: from new_with, freed once.
                unsafe { crate::port_secret_decryptor_free(d) };
            } else {
                assert_eq!(st, INVALID, "{backend:?}");
            }
        }
    }
}
