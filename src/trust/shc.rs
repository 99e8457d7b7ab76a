//! SMART Health Card issuers and their keys: the VCI directory snapshot
//! (`{"issuerInfo":[{"issuer":{iss, name}, "keys":[JWK…]}]}`), one issuer's
//! `{"iss": …, "keys": [JWK…]}`, and an issuer's revocation list (`{"kid", "method":"rid",
//! "rids"}`). A bare JWKS names no issuer and is refused: a key vouches only for the issuer it
//! is listed under.
//!
//! Each key's `kid` must be its RFC 7638 thumbprint, as the SMART Health Cards specification
//! requires; a key whose `kid` is not is skipped, so that no card can name one key and be
//! checked with another.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
#[cfg(any(feature = "formats", feature = "trust-formats"))]
use serde_json::{Map, Value};

#[cfg(any(feature = "formats", feature = "trust-formats"))]
use super::keys::ec_p256_from_coordinates;
#[cfg(any(feature = "formats", feature = "trust-formats"))]
use super::SkippedEntry;
#[cfg(any(feature = "formats", feature = "trust-formats"))]
use crate::crypto::PublicKey;
use crate::crypto::{sha256, EcP256Key};
#[cfg(any(feature = "formats", feature = "trust-formats"))]
use crate::error::{Error, Result};
#[cfg(any(feature = "formats", feature = "trust-formats"))]
use crate::limits::MAX_SHC_REVOKED_IDS;

/// One issuer key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShcKey {
    /// The key id: its RFC 7638 thumbprint, base64url.
    pub kid: String,
    /// The key (ES256).
    pub key: EcP256Key,
    /// The version of the key's revocation list, when the issuer publishes one.
    pub crl_version: Option<u64>,
}

/// One SMART Health Card issuer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShcIssuer {
    /// The issuer URL, exactly as cards name it in `iss`.
    pub iss: String,
    /// Its name, when the directory gives one.
    pub name: Option<String>,
    /// Its keys.
    pub keys: Vec<ShcKey>,
}

/// An issuer's revocation list for one key (`/.well-known/crl/{kid}.json`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShcRevocationList {
    /// The key whose cards it revokes.
    pub kid: String,
    /// The list's counter (`ctr`).
    pub ctr: u64,
    /// Revoked ids, each with the time before which cards with that id are revoked (none: all).
    pub rids: Vec<(String, Option<i64>)>,
}

/// The SMART Health Card issuers and revocation lists a trust list holds.
#[derive(Debug, Clone, Default)]
pub struct ShcDirectory {
    /// The issuers.
    pub issuers: Vec<ShcIssuer>,
    /// The revocation lists.
    pub revocation_lists: Vec<ShcRevocationList>,
}

impl ShcDirectory {
    /// The issuer entries for `iss` (exact match, as the specification requires).
    pub fn issuer<'a>(&'a self, iss: &'a str) -> impl Iterator<Item = &'a ShcIssuer> {
        self.issuers.iter().filter(move |issuer| issuer.iss == iss)
    }

    /// The revocation lists for key `kid`.
    pub fn revocation_lists<'a>(
        &'a self,
        kid: &'a str,
    ) -> impl Iterator<Item = &'a ShcRevocationList> {
        self.revocation_lists
            .iter()
            .filter(move |crl| crl.kid == kid)
    }

    /// Adds the other directory's entries.
    pub fn merge(&mut self, other: ShcDirectory) {
        self.issuers.extend(other.issuers);
        self.revocation_lists.extend(other.revocation_lists);
    }

    /// How many keys it holds, over all issuers.
    pub fn key_count(&self) -> usize {
        self.issuers.iter().map(|issuer| issuer.keys.len()).sum()
    }
}

#[cfg(any(feature = "formats", feature = "trust-formats"))]
/// Whether a JSON trust file is one of the SMART Health Card shapes.
pub(crate) fn is_shc_json(map: &Map<String, Value>) -> bool {
    map.contains_key("issuerInfo")
        || map.contains_key("rids")
        || (map.contains_key("keys") && map.len() <= 3 && !map.contains_key("format"))
}

#[cfg(any(feature = "formats", feature = "trust-formats"))]
/// Reads a SMART Health Card trust file; unusable keys are returned as skipped entries.
pub(crate) fn load(map: &Map<String, Value>) -> Result<(ShcDirectory, Vec<SkippedEntry>)> {
    let mut directory = ShcDirectory::default();
    let mut skipped = Vec::new();
    if let Some(issuers) = map.get("issuerInfo") {
        let issuers = issuers
            .as_array()
            .ok_or_else(|| format_error("issuerInfo is not an array"))?;
        super::formats::check_entry_count(issuers.len())?;
        for (index, entry) in issuers.iter().enumerate() {
            let issuer = entry.get("issuer").unwrap_or(&Value::Null);
            match read_issuer(issuer, entry.get("keys"), &mut skipped) {
                Ok(issuer) => directory.issuers.push(issuer),
                Err(why) => skipped.push(SkippedEntry {
                    entry: format!("issuerInfo[{index}]"),
                    kid: None,
                    reason: why,
                }),
            }
        }
    } else if map.contains_key("rids") {
        directory.revocation_lists.push(read_revocation_list(map)?);
    } else if map.contains_key("iss") {
        let issuer = read_issuer(&Value::Object(map.clone()), map.get("keys"), &mut skipped)
            .map_err(Error::TrustListFormat)?;
        directory.issuers.push(issuer);
    } else {
        return Err(format_error(
            "it is a bare key set (JWKS) that names no issuer; give {\"iss\": \"https://…\", \"keys\": [...]} so that its keys vouch for that issuer only",
        ));
    }
    Ok((directory, skipped))
}

#[cfg(any(feature = "formats", feature = "trust-formats"))]
fn read_issuer(
    issuer: &Value,
    keys: Option<&Value>,
    skipped: &mut Vec<SkippedEntry>,
) -> std::result::Result<ShcIssuer, String> {
    let iss = issuer
        .get("iss")
        .and_then(Value::as_str)
        .filter(|iss| iss.starts_with("https://") && iss.len() <= 512)
        .ok_or("the issuer has no https:// iss")?;
    let keys = keys
        .and_then(Value::as_array)
        .ok_or("the issuer has no keys array")?;
    super::formats::check_entry_count(keys.len()).map_err(|err| err.to_string())?;
    let mut read = Vec::new();
    for jwk in keys {
        let kid = jwk.get("kid").and_then(Value::as_str);
        match read_key(jwk) {
            Ok(key) => read.push(key),
            Err(why) => skipped.push(SkippedEntry {
                entry: iss.to_owned(),
                kid: kid.map(str::to_owned),
                reason: why,
            }),
        }
    }
    Ok(ShcIssuer {
        iss: iss.to_owned(),
        name: issuer
            .get("name")
            .and_then(Value::as_str)
            .map(|name| name.chars().take(200).collect()),
        keys: read,
    })
}

#[cfg(any(feature = "formats", feature = "trust-formats"))]
/// An ES256 JWK whose `kid` is its thumbprint.
fn read_key(jwk: &Value) -> std::result::Result<ShcKey, String> {
    let text = |name: &str| jwk.get(name).and_then(Value::as_str);
    if text("kty") != Some("EC") || text("crv") != Some("P-256") {
        return Err("not an EC P-256 key".to_owned());
    }
    if text("alg").is_some_and(|alg| alg != "ES256") || text("use").is_some_and(|u| u != "sig") {
        return Err("not an ES256 signing key (alg, use)".to_owned());
    }
    let (Some(x), Some(y), Some(kid)) = (text("x"), text("y"), text("kid")) else {
        return Err("the key lacks x, y or kid".to_owned());
    };
    let thumbprint = jwk_thumbprint(x, y);
    if kid != thumbprint {
        return Err(format!(
            "its kid is not its RFC 7638 thumbprint ({thumbprint})"
        ));
    }
    let (Ok(x_bytes), Ok(y_bytes)) = (URL_SAFE_NO_PAD.decode(x), URL_SAFE_NO_PAD.decode(y)) else {
        return Err("x or y is not base64url".to_owned());
    };
    let key = match ec_p256_from_coordinates(&x_bytes, &y_bytes).map_err(|err| err.to_string())? {
        PublicKey::EcP256(key) => key,
        _ => return Err("not an EC P-256 key".to_owned()),
    };
    Ok(ShcKey {
        kid: kid.to_owned(),
        key,
        crl_version: jwk.get("crlVersion").and_then(Value::as_u64),
    })
}

/// RFC 7638: the base64url SHA-256 of the key's required members in lexicographic order.
pub fn jwk_thumbprint(x: &str, y: &str) -> String {
    // x and y are base64url, so they need no JSON escaping; a key whose x or y is not base64url
    // fails to decode afterwards.
    let canonical = format!(r#"{{"crv":"P-256","kty":"EC","x":"{x}","y":"{y}"}}"#);
    URL_SAFE_NO_PAD.encode(sha256(canonical.as_bytes()))
}

#[cfg(any(feature = "formats", feature = "trust-formats"))]
fn read_revocation_list(map: &Map<String, Value>) -> Result<ShcRevocationList> {
    let kid = map
        .get("kid")
        .and_then(Value::as_str)
        .ok_or_else(|| format_error("the revocation list has no kid"))?;
    if map.get("method").and_then(Value::as_str) != Some("rid") {
        return Err(format_error(
            "the revocation list's method is not \"rid\", the only one SMART Health Cards define",
        ));
    }
    let rids = map
        .get("rids")
        .and_then(Value::as_array)
        .ok_or_else(|| format_error("the revocation list's rids is not an array"))?;
    if rids.len() > MAX_SHC_REVOKED_IDS {
        return Err(Error::TrustListTooLarge(format!(
            "the revocation list has {} ids, more than the {MAX_SHC_REVOKED_IDS} this verifier reads",
            rids.len()
        )));
    }
    let rids = rids
        .iter()
        .filter_map(Value::as_str)
        .map(|entry| match entry.split_once('.') {
            Some((rid, time)) => (rid.to_owned(), time.parse::<i64>().ok()),
            None => (entry.to_owned(), None),
        })
        .collect();
    Ok(ShcRevocationList {
        kid: kid.to_owned(),
        ctr: map.get("ctr").and_then(Value::as_u64).unwrap_or(0),
        rids,
    })
}

#[cfg(any(feature = "formats", feature = "trust-formats"))]
fn format_error(why: &str) -> Error {
    Error::TrustListFormat(why.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbprint_matches_rfc_7638_for_the_spec_example_key() {
        // The SMART Health Cards example issuer's key (spec.smarthealth.cards/examples/issuer).
        assert_eq!(
            jwk_thumbprint(
                "11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw",
                "eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8"
            ),
            "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s"
        );
    }

    #[test]
    fn a_bare_jwks_is_refused() {
        let map: Map<String, Value> = serde_json::from_str(r#"{"keys":[]}"#).expect("json");
        assert!(is_shc_json(&map));
        let error = load(&map).expect_err("refused");
        assert!(error.to_string().contains("names no issuer"), "{error}");
    }

    #[test]
    fn a_key_whose_kid_is_not_its_thumbprint_is_skipped() {
        let json = r#"{"iss":"https://example.org/issuer","keys":[{"kty":"EC","crv":"P-256",
            "kid":"someone-elses-kid","x":"11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw",
            "y":"eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8"}]}"#;
        let map: Map<String, Value> = serde_json::from_str(json).expect("json");
        let (directory, skipped) = load(&map).expect("loads");
        assert_eq!(directory.key_count(), 0);
        assert_eq!(skipped.len(), 1);
        assert!(skipped[0].reason.contains("thumbprint"));
    }

    #[test]
    fn revocation_ids_keep_their_time_suffix() {
        let json = r#"{"kid":"k","method":"rid","ctr":2,"rids":["a.1636977600","b"]}"#;
        let map: Map<String, Value> = serde_json::from_str(json).expect("json");
        let (directory, _) = load(&map).expect("loads");
        assert_eq!(
            directory.revocation_lists[0].rids,
            vec![
                ("a".to_owned(), Some(1_636_977_600)),
                ("b".to_owned(), None)
            ]
        );
    }
}
