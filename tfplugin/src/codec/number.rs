//! Terraform numbers: arbitrary-precision decimals plus the two infinities.
//!
//! Terraform keeps numbers as 512-bit binary floats and sends them as int64, float64 or a decimal
//! string. A decimal holds every one of those exactly, so nothing is lost in either direction.
//! Conversions from `f64` are exact (0.1f64 becomes 0.1000000000000000055511151231257827021181583404541015625),
//! like cty's `NumberFloatVal`; use [`Number::parse`] for a decimal written by a human.

use std::fmt;
use std::str::FromStr;

use bigdecimal::num_bigint::{BigInt, Sign};
use bigdecimal::{BigDecimal, ToPrimitive, Zero};

/// Significant digits a number may have; Terraform itself keeps about 155.
pub const MAX_DIGITS: u64 = 4096;
/// Largest decimal exponent (either sign) a number may have.
pub const MAX_EXPONENT: i64 = 10_000;
/// Longest number text accepted for parsing.
const MAX_TEXT: usize = 32_768;
/// Plain (non-exponent) text is written up to this length, as Terraform does for e.g. 1e400.
const MAX_PLAIN_TEXT: usize = 1_100;

#[derive(Debug, Clone, PartialEq)]
pub enum Number {
    Finite(BigDecimal),
    PositiveInfinity,
    NegativeInfinity,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("not a decimal number")]
    Syntax,
    #[error("NaN is not a number Terraform can represent")]
    NaN,
    #[error("number outside the supported range (at most {MAX_DIGITS} digits, exponent within ±{MAX_EXPONENT})")]
    OutOfRange,
}

impl Number {
    /// Parses decimal text: `[+-]digits[.digits][e[+-]digits]` (also `.5`, `5.`), or `Inf`,
    /// `+Inf`, `-Inf`, `Infinity` in any case, as Go's number parser accepts them.
    pub fn parse(text: &str) -> Result<Number, NumberError> {
        if text.len() > MAX_TEXT {
            return Err(NumberError::OutOfRange);
        }
        let (negative, body) = match text.as_bytes().first() {
            Some(b'-') => (true, &text[1..]),
            Some(b'+') => (false, &text[1..]),
            _ => (false, text),
        };
        if body.eq_ignore_ascii_case("inf") || body.eq_ignore_ascii_case("infinity") {
            return Ok(if negative {
                Number::NegativeInfinity
            } else {
                Number::PositiveInfinity
            });
        }
        let (mantissa, exponent) = match body.find(['e', 'E']) {
            Some(at) => (&body[..at], Some(&body[at + 1..])),
            None => (body, None),
        };
        let (int_part, frac_part) = match mantissa.find('.') {
            Some(at) => (&mantissa[..at], &mantissa[at + 1..]),
            None => (mantissa, ""),
        };
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (int_part.is_empty() && frac_part.is_empty())
            || !all_digits(int_part)
            || !all_digits(frac_part)
        {
            return Err(NumberError::Syntax);
        }
        let exponent: i64 = match exponent {
            None => 0,
            Some(e) => {
                let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
                if digits.is_empty() || !all_digits(digits) {
                    return Err(NumberError::Syntax);
                }
                // Anything longer than this is far outside the range anyway.
                if digits.len() > 12 {
                    return Err(NumberError::OutOfRange);
                }
                e.parse().map_err(|_| NumberError::Syntax)?
            }
        };
        let mut digits = String::with_capacity(int_part.len() + frac_part.len() + 1);
        if negative {
            digits.push('-');
        }
        digits.push_str(int_part);
        digits.push_str(frac_part);
        let int_val = BigInt::from_str(&digits).map_err(|_| NumberError::Syntax)?;
        let scale = frac_part.len() as i64 - exponent;
        Number::from_decimal(BigDecimal::new(int_val, scale))
    }

    /// Wraps a decimal, refusing one outside the supported range.
    pub fn from_decimal(value: BigDecimal) -> Result<Number, NumberError> {
        let value = normalize(value);
        check_range(&value)?;
        Ok(Number::Finite(value))
    }

    /// The exact value of a finite float; `±inf` become the infinities, NaN is refused.
    pub fn from_f64(value: f64) -> Result<Number, NumberError> {
        if value.is_nan() {
            return Err(NumberError::NaN);
        }
        if value.is_infinite() {
            return Ok(if value > 0.0 {
                Number::PositiveInfinity
            } else {
                Number::NegativeInfinity
            });
        }
        Ok(Number::Finite(exact_decimal_of_f64(value)))
    }

    pub fn is_infinite(&self) -> bool {
        !matches!(self, Number::Finite(_))
    }

    pub fn as_decimal(&self) -> Option<&BigDecimal> {
        match self {
            Number::Finite(d) => Some(d),
            _ => None,
        }
    }

    pub fn is_integer(&self) -> bool {
        match self {
            Number::Finite(d) => normalize(d.clone()).as_bigint_and_exponent().1 <= 0,
            _ => false,
        }
    }

    /// The value as an `i64` if it is an integer in range.
    pub fn as_i64(&self) -> Option<i64> {
        self.as_bigint().and_then(|i| i.to_i64())
    }

    /// The value as a `u64` if it is a non-negative integer in range.
    pub fn as_u64(&self) -> Option<u64> {
        self.as_bigint().and_then(|i| i.to_u64())
    }

    /// The nearest `f64` (infinite when out of range).
    pub fn as_f64(&self) -> f64 {
        match self {
            Number::PositiveInfinity => f64::INFINITY,
            Number::NegativeInfinity => f64::NEG_INFINITY,
            // Rust's float parser rounds correctly; the exponent form keeps the text short.
            Number::Finite(d) => exponent_text(d).parse().unwrap_or(f64::NAN),
        }
    }

    /// The float this number is exactly equal to, if there is one.
    pub fn as_exact_f64(&self) -> Option<f64> {
        match self {
            Number::PositiveInfinity => Some(f64::INFINITY),
            Number::NegativeInfinity => Some(f64::NEG_INFINITY),
            Number::Finite(d) => {
                // An exact f64 has at most 767 significant digits.
                if d.digits() > 800 {
                    return None;
                }
                let f = self.as_f64();
                (f.is_finite() && exact_decimal_of_f64(f) == *d).then_some(f)
            }
        }
    }

    /// The integer value, if this is an integer of at most 20 digits (enough for any i64/u64).
    fn as_bigint(&self) -> Option<BigInt> {
        let Number::Finite(d) = self else { return None };
        let (int_val, scale) = normalize(d.clone()).into_bigint_and_exponent();
        if !(-20..=0).contains(&scale) || int_val.bits() > 128 {
            return None;
        }
        Some(int_val * BigInt::from(10u8).pow((-scale) as u32))
    }
}

/// The canonical text: plain decimal (`-12.5`, `1` followed by 400 zeros) unless that would be
/// very long, then `digits e exponent` (`15e-3000`). Both Go's and JSON's number syntax accept
/// both forms. Infinities print as `+Inf`/`-Inf`, which Go accepts but JSON does not.
impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::PositiveInfinity => f.write_str("+Inf"),
            Number::NegativeInfinity => f.write_str("-Inf"),
            Number::Finite(d) => {
                let d = normalize(d.clone());
                let (int_val, scale) = d.as_bigint_and_exponent();
                let digits = int_val.magnitude().to_string();
                let plain_len = digits.len() as i64 + scale.abs() + 2;
                if plain_len as usize > MAX_PLAIN_TEXT {
                    return f.write_str(&exponent_text(&d));
                }
                if int_val.sign() == Sign::Minus {
                    f.write_str("-")?;
                }
                if scale <= 0 {
                    f.write_str(&digits)?;
                    for _ in 0..-scale {
                        f.write_str("0")?;
                    }
                } else {
                    let scale = scale as usize;
                    if digits.len() > scale {
                        let (whole, frac) = digits.split_at(digits.len() - scale);
                        write!(f, "{whole}.{frac}")?;
                    } else {
                        f.write_str("0.")?;
                        for _ in 0..scale - digits.len() {
                            f.write_str("0")?;
                        }
                        f.write_str(&digits)?;
                    }
                }
                Ok(())
            }
        }
    }
}

/// Numeric order, with the infinities at the ends.
impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Number) -> Option<std::cmp::Ordering> {
        let rank = |n: &Number| match n {
            Number::NegativeInfinity => 0,
            Number::Finite(_) => 1,
            Number::PositiveInfinity => 2,
        };
        Some(match (self, other) {
            (Number::Finite(a), Number::Finite(b)) => a.cmp(b),
            (a, b) => rank(a).cmp(&rank(b)),
        })
    }
}

impl FromStr for Number {
    type Err = NumberError;
    fn from_str(s: &str) -> Result<Number, NumberError> {
        Number::parse(s)
    }
}

impl From<i64> for Number {
    fn from(v: i64) -> Number {
        Number::Finite(BigDecimal::from(v))
    }
}

impl From<i32> for Number {
    fn from(v: i32) -> Number {
        Number::Finite(BigDecimal::from(v))
    }
}

impl From<u64> for Number {
    fn from(v: u64) -> Number {
        Number::Finite(BigDecimal::from(v))
    }
}

impl From<u32> for Number {
    fn from(v: u32) -> Number {
        Number::Finite(BigDecimal::from(v))
    }
}

/// Checks a (normalized) decimal against the supported range.
pub(crate) fn check_range(d: &BigDecimal) -> Result<(), NumberError> {
    if d.is_zero() {
        return Ok(());
    }
    let (_, scale) = d.as_bigint_and_exponent();
    // Bit length bounds the digit count cheaply (log10(2) < 0.302).
    let digits_upper = d.as_bigint_and_exponent().0.bits() * 302 / 1000 + 1;
    if digits_upper > MAX_DIGITS + 1 || d.digits() > MAX_DIGITS {
        return Err(NumberError::OutOfRange);
    }
    if scale.unsigned_abs() > MAX_EXPONENT as u64 {
        return Err(NumberError::OutOfRange);
    }
    Ok(())
}

/// Strips trailing zeros of the digit string, so equal numbers have equal representations.
fn normalize(d: BigDecimal) -> BigDecimal {
    if d.is_zero() {
        BigDecimal::zero()
    } else {
        d.normalized()
    }
}

/// `digits e exponent`, e.g. `-15e-3` for -0.015.
fn exponent_text(d: &BigDecimal) -> String {
    let (int_val, scale) = d.as_bigint_and_exponent();
    format!("{int_val}e{}", -scale)
}

/// The exact decimal value of a finite float: mantissa × 2^exp, and 2^-n = 5^n / 10^n.
fn exact_decimal_of_f64(value: f64) -> BigDecimal {
    if value == 0.0 {
        return BigDecimal::zero();
    }
    let bits = value.to_bits();
    let negative = bits >> 63 == 1;
    let biased_exp = ((bits >> 52) & 0x7ff) as i64;
    let fraction = bits & ((1u64 << 52) - 1);
    let (mantissa, exp) = if biased_exp == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1u64 << 52), biased_exp - 1075)
    };
    let mut int_val = BigInt::from(mantissa);
    if negative {
        int_val = -int_val;
    }
    let d = if exp >= 0 {
        BigDecimal::new(int_val << exp as usize, 0)
    } else {
        let n = (-exp) as u32;
        BigDecimal::new(int_val * BigInt::from(5u8).pow(n), n as i64)
    };
    normalize(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Number {
        Number::parse(s).unwrap()
    }

    #[test]
    fn parses_and_prints_canonically() {
        for (input, canonical) in [
            ("0", "0"),
            ("-0", "0"),
            ("0.000", "0"),
            ("12.50", "12.5"),
            ("-12.5", "-12.5"),
            (".5", "0.5"),
            ("5.", "5"),
            ("1e3", "1000"),
            ("1E+3", "1000"),
            ("+15e-3", "0.015"),
            (
                "123456789012345678901234567890",
                "123456789012345678901234567890",
            ),
            ("1e-5000", "1e-5000"),
            ("inf", "+Inf"),
            ("-Infinity", "-Inf"),
        ] {
            assert_eq!(n(input).to_string(), canonical, "{input}");
        }
        assert_eq!(n("1e400").to_string(), format!("1{}", "0".repeat(400)));
    }

    #[test]
    fn rejects_bad_text() {
        for bad in [
            "", "-", ".", "e5", "1e", "1.2.3", "0x10", "1_000", "NaN", " 1", "1e+-2",
        ] {
            assert_eq!(Number::parse(bad), Err(NumberError::Syntax), "{bad:?}");
        }
        assert_eq!(Number::parse("1e99999"), Err(NumberError::OutOfRange));
        assert_eq!(
            Number::parse("1e9999999999999999999"),
            Err(NumberError::OutOfRange)
        );
        assert_eq!(
            Number::parse(&"9".repeat(5000)),
            Err(NumberError::OutOfRange)
        );
    }

    #[test]
    fn floats_convert_exactly() {
        let tenth = Number::from_f64(0.1).unwrap();
        assert_eq!(
            tenth.to_string(),
            "0.1000000000000000055511151231257827021181583404541015625"
        );
        assert_eq!(tenth.as_exact_f64(), Some(0.1));
        assert_eq!(n("0.1").as_exact_f64(), None);
        assert_eq!(n("0.1").as_f64(), 0.1);
        assert_eq!(
            Number::from_f64(5e-324).unwrap().as_exact_f64(),
            Some(5e-324)
        );
        assert_eq!(
            Number::from_f64(f64::MAX).unwrap().as_exact_f64(),
            Some(f64::MAX)
        );
        assert!(Number::from_f64(f64::NAN).is_err());
    }

    #[test]
    fn integer_views() {
        assert_eq!(n("1e3").as_i64(), Some(1000));
        assert_eq!(n("-9223372036854775808").as_i64(), Some(i64::MIN));
        assert_eq!(n("9223372036854775808").as_i64(), None);
        assert_eq!(n("18446744073709551615").as_u64(), Some(u64::MAX));
        assert_eq!(n("1.5").as_i64(), None);
        assert_eq!(n("1e400").as_i64(), None);
        assert!(n("1e400").is_integer());
        assert_eq!(n("2.50"), n("2.5"));
        assert!(n("-inf") < n("-1e400"));
        assert!(n("1e400") < n("inf"));
        assert!(n("0.1") < n("0.10001"));
        assert!(n("inf") <= n("inf"));
    }
}
