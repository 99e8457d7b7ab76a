//! PEM text (RFC 7468): the blocks of a file of certificates, CRLs or keys, each handed on as
//! its label and base64 body. Used by the X.509 trust files (DSCs; CSCAs and their CRLs).

use crate::error::{Error, Result};
use crate::limits::MAX_TRUST_ENTRY_LEN;

/// One PEM block as read: its label and base64 body, or why it is broken (no END line, an
/// END line of another label).
pub(crate) type PemBlock<'a> = (&'a str, std::result::Result<String, String>);

/// Calls `on_block` with each block's index (from 0), label and body, in file order. A body over
/// twice [`MAX_TRUST_ENTRY_LEN`] fails the file; so does text without any block, or an error
/// from `on_block`. Returns the number of blocks.
pub(crate) fn for_each_block(
    text: &[u8],
    mut on_block: impl FnMut(usize, PemBlock<'_>) -> Result<()>,
) -> Result<usize> {
    let text = std::str::from_utf8(text)
        .map_err(|_| Error::TrustListFormat("it looks like PEM, but is not text".to_owned()))?;
    let mut block: Option<(&str, String)> = None;
    let mut count = 0usize;
    for line in text.lines().map(str::trim) {
        if let Some(label) = line
            .strip_prefix("-----BEGIN ")
            .and_then(|rest| rest.strip_suffix("-----"))
        {
            if let Some((open_label, _)) = block.take() {
                on_block(
                    count - 1,
                    (
                        open_label,
                        Err(format!("its {open_label} block has no END line")),
                    ),
                )?;
            }
            count += 1;
            super::formats::check_entry_count(count)?;
            block = Some((label, String::new()));
        } else if let Some(label) = line
            .strip_prefix("-----END ")
            .and_then(|rest| rest.strip_suffix("-----"))
        {
            let Some((open_label, body)) = block.take() else {
                continue;
            };
            if open_label == label {
                on_block(count - 1, (label, Ok(body)))?;
            } else {
                on_block(
                    count - 1,
                    (
                        open_label,
                        Err(format!("its {open_label} block ends with END {label}")),
                    ),
                )?;
            }
        } else if let Some((_, body)) = block.as_mut() {
            // RFC 1421 headers ("Proc-Type: ...") are not base64; skip them.
            if !line.contains(':') {
                if body.len() > MAX_TRUST_ENTRY_LEN * 2 {
                    return Err(Error::TrustListTooLarge(format!(
                        "one PEM block is longer than any real certificate ({MAX_TRUST_ENTRY_LEN} bytes)"
                    )));
                }
                body.push_str(line);
            }
        }
    }
    if let Some((open_label, _)) = block {
        on_block(
            count - 1,
            (
                open_label,
                Err(format!("its {open_label} block has no END line")),
            ),
        )?;
    }
    if count == 0 {
        return Err(Error::TrustListFormat(
            "it looks like PEM, but holds no PEM block".to_owned(),
        ));
    }
    Ok(count)
}
