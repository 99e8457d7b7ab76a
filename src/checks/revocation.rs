//! Whether the issuer withdrew the certificate: its hashes looked up in the loaded revocation
//! batches for its kid ([`crate::revocation`]).
//!
//! Pass when a live batch covers the kid and lists none of the certificate's hashes; fail when
//! one does; skip, saying why, when no live batch covers the kid. Batches that expired before
//! the validation time are ignored, and the detail says so.

use crate::dcc::Dcc;
use crate::error::Error;
use crate::report::{Check, CheckId};
use crate::revocation::{Finding, HashType, RevocationList, Subject};
use crate::time::format_date;

/// The certificate identifier `ci` of the certificate's entry (the first of its type).
pub fn certificate_id(dcc: &Dcc) -> Option<&str> {
    let first_ci = dcc
        .v
        .as_ref()
        .and_then(|v| v.first())
        .map(|entry| entry.ci.as_deref())
        .or_else(|| {
            dcc.t
                .as_ref()
                .and_then(|t| t.first())
                .map(|e| e.ci.as_deref())
        })
        .or_else(|| {
            dcc.r
                .as_ref()
                .and_then(|r| r.first())
                .map(|e| e.ci.as_deref())
        });
    first_ci.flatten()
}

/// The `revocation` check of a certificate at validation time `now`.
pub fn check(list: &RevocationList, subject: &Subject<'_>, now: i64) -> Check {
    let id = CheckId::Revocation;
    match list.check(subject, now) {
        Finding::NoList => Check::skip(id, "not checked: no revocation list is loaded"),
        Finding::NoKid => Check::skip(id, "not checked: the certificate has no kid to look up"),
        Finding::NotCovered => Check::skip(
            id,
            "not checked: no loaded revocation list covers this signing key",
        ),
        Finding::AllExpired { ignored, latest } => Check::skip(
            id,
            format!(
                "not checked: {} for this signing key expired (last on {}) and {} ignored",
                batches(ignored),
                format_date(latest),
                if ignored == 1 { "was" } else { "were" }
            ),
        ),
        Finding::Uncheckable => Check::skip(
            id,
            "not checked: the revocation list for this signing key needs the certificate identifier (ci), which is missing",
        ),
        Finding::Revoked {
            hash_type,
            country,
            expires,
        } => Check::fail(
            id,
            &Error::Revoked {
                hash_type: hash_type.as_str(),
                country,
                expires_at: expires,
            },
        ),
        Finding::Clear {
            batches: searched,
            hash_types,
            countries,
            ignored,
        } => {
            let types: Vec<&str> = hash_types.iter().map(|t| HashType::as_str(*t)).collect();
            let mut detail = format!(
                "not on the revocation list: {} from {} searched by {}",
                batches(searched),
                countries.join(", "),
                types.join(", ")
            );
            if ignored > 0 {
                detail.push_str(&format!("; {} ignored", expired(ignored)));
            }
            Check::pass(id, detail)
        }
    }
}

fn batches(n: usize) -> String {
    if n == 1 {
        "1 batch".to_owned()
    } else {
        format!("{n} batches")
    }
}

fn expired(n: usize) -> String {
    if n == 1 {
        "1 expired batch".to_owned()
    } else {
        format!("{n} expired batches")
    }
}
