//! Go-style durations as Terraform users write them in `timeouts` (`"60m"`, `"1h30m"`, `"90s"`,
//! `"500ms"`, `"1.5h"`): a sequence of decimal numbers, each with a unit.

use std::time::Duration;

/// Units Go's `time.ParseDuration` accepts, with their length in nanoseconds.
const UNITS: &[(&str, u128)] = &[
    ("ns", 1),
    ("us", 1_000),
    ("µs", 1_000),
    ("μs", 1_000),
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
    ("m", 60_000_000_000),
    ("h", 3_600_000_000_000),
];

/// What the user is told is accepted.
pub const DURATION_FORM: &str =
    "a duration such as \"30s\", \"45m\", \"1h30m\" or \"500ms\" (units: ns, us, ms, s, m, h)";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    #[error("the duration is empty; expected {DURATION_FORM}")]
    Empty,
    #[error("\"{0}\" is negative; a time limit must be positive")]
    Negative(String),
    #[error("\"{text}\" is not a duration: {reason}; expected {DURATION_FORM}")]
    Invalid { text: String, reason: String },
    #[error("\"{0}\" is longer than the longest duration Terraform accepts ({GO_MAX_TEXT})")]
    Overflow(String),
}

/// The longest time limit (`timeouts`, an action's `timeout`) providers should accept: a week,
/// beyond the slowest real operation (a firmware update of a large fleet), short enough that a
/// typo such as `"6000h"` is caught instead of leaving an apply to hang.
pub const MAX_TIME_LIMIT: Duration = Duration::from_secs(7 * 24 * 3600);
pub const MAX_TIME_LIMIT_TEXT: &str = "168h (a week)";

/// Go's longest `time.Duration` (2^63 - 1 ns), the most any Terraform tool accepts; also far
/// below what `Instant` arithmetic can hold, so a parsed duration never overflows a deadline.
pub const GO_MAX_NANOS: u128 = i64::MAX as u128;
const GO_MAX_TEXT: &str = "2562047h47m16.854775807s";

/// Parses a Go duration. `"0"` is zero; negative durations are refused.
pub fn parse_duration(text: &str) -> Result<Duration, DurationError> {
    if text.is_empty() {
        return Err(DurationError::Empty);
    }
    let invalid = |reason: &str| DurationError::Invalid {
        text: text.to_owned(),
        reason: reason.to_owned(),
    };
    if text.starts_with('-') {
        return Err(DurationError::Negative(text.to_owned()));
    }
    let body = text.strip_prefix('+').unwrap_or(text);
    if body == "0" {
        return Ok(Duration::ZERO);
    }
    if body.is_empty() {
        return Err(invalid("no number"));
    }
    let mut rest = body;
    let mut total_nanos: u128 = 0;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = &rest[..number_len];
        rest = &rest[number_len..];
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        if (whole.is_empty() && fraction.is_empty()) || fraction.contains('.') {
            return Err(invalid("expected a number before each unit"));
        }
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        if unit.is_empty() {
            return Err(invalid("a number has no unit"));
        }
        let Some(&(_, scale)) = UNITS.iter().find(|(name, _)| *name == unit) else {
            return Err(invalid(&format!("unknown unit \"{unit}\"")));
        };
        let overflow = || DurationError::Overflow(text.to_owned());
        let whole: u128 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| overflow())?
        };
        let mut nanos = whole.checked_mul(scale).ok_or_else(overflow)?;
        // Fractions beyond nanosecond precision are dropped, as Go does.
        let mut place = scale;
        for digit in fraction.bytes() {
            place /= 10;
            if place == 0 {
                break;
            }
            let value = u128::from(digit.saturating_sub(b'0')).saturating_mul(place);
            nanos = nanos.saturating_add(value);
        }
        total_nanos = total_nanos
            .checked_add(nanos)
            .filter(|total| *total <= GO_MAX_NANOS)
            .ok_or_else(overflow)?;
    }
    let secs = u64::try_from(total_nanos / 1_000_000_000)
        .map_err(|_| DurationError::Overflow(text.to_owned()))?;
    Ok(Duration::new(secs, (total_nanos % 1_000_000_000) as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_go_durations() {
        let cases = [
            ("60m", Duration::from_secs(3600)),
            ("1h30m", Duration::from_secs(5400)),
            ("90s", Duration::from_secs(90)),
            ("500ms", Duration::from_millis(500)),
            ("1.5h", Duration::from_secs(5400)),
            (".5s", Duration::from_millis(500)),
            ("1h0m0s", Duration::from_secs(3600)),
            ("2us", Duration::from_micros(2)),
            ("3µs", Duration::from_micros(3)),
            ("7ns", Duration::from_nanos(7)),
            ("+5m", Duration::from_secs(300)),
            ("0", Duration::ZERO),
        ];
        for (text, want) in cases {
            assert_eq!(parse_duration(text), Ok(want), "{text}");
        }
    }

    #[test]
    fn refuses_bad_durations_with_the_expected_form() {
        for bad in ["", "10", "m", "5x", "1h 30m", "1..5s", "abc", "5M", "+"] {
            let err = parse_duration(bad).unwrap_err();
            let text = err.to_string();
            assert!(
                text.contains("expected a duration such as") || bad.is_empty(),
                "{bad}: {text}"
            );
        }
        assert_eq!(
            parse_duration("-5m"),
            Err(DurationError::Negative("-5m".into()))
        );
        assert!(matches!(
            parse_duration("99999999999999999999999h"),
            Err(DurationError::Overflow(_))
        ));
        assert!(parse_duration("").unwrap_err().to_string().contains("30s"));
        // Beyond Go's range, though a u64 of seconds would hold it.
        let err = parse_duration("2562047788015216h").unwrap_err();
        assert!(matches!(err, DurationError::Overflow(_)));
        assert!(err.to_string().contains("2562047h47m16"), "{err}");
        assert_eq!(
            parse_duration("2562047h47m16.854775807s"),
            Ok(Duration::new(9_223_372_036, 854_775_807))
        );
        assert!(parse_duration("2562047h47m16.854775808s").is_err());
    }
}
