//! Check `expiry`: iat ≤ now ≤ exp.

use crate::error::{Error, Result};

/// The certificate is valid at `now` (unix seconds).
pub fn check(iat: Option<i64>, exp: Option<i64>, now: i64) -> Result<()> {
    let expires_at = exp.ok_or(Error::MissingClaim("expiry date (exp)"))?;
    if let Some(issued_at) = iat {
        if now < issued_at {
            return Err(Error::NotYetValid { issued_at });
        }
    }
    if now > expires_at {
        return Err(Error::Expired { expires_at });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_with_now() {
        let cases = [
            (Some(100), Some(200), 150, Ok(())),
            (Some(100), Some(200), 100, Ok(())),
            (Some(100), Some(200), 200, Ok(())),
            (None, Some(200), 150, Ok(())),
            (
                Some(100),
                Some(200),
                99,
                Err(Error::NotYetValid { issued_at: 100 }),
            ),
            (
                Some(100),
                Some(200),
                201,
                Err(Error::Expired { expires_at: 200 }),
            ),
            (
                Some(100),
                None,
                150,
                Err(Error::MissingClaim("expiry date (exp)")),
            ),
        ];
        for (iat, exp, now, expected) in cases {
            assert_eq!(check(iat, exp, now), expected, "{iat:?} {exp:?} {now}");
        }
    }
}
