//! Operating-system randomness.

use crate::error::{Error, ErrorKind, Result};

pub(crate) fn fill(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf)
        .map_err(|_| Error::new(ErrorKind::Malformed, "the OS random generator failed"))
}
