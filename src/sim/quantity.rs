//! Resource quantities (`500m`, `64Mi`, `1.5`), parsed and printed in canonical form as
//! `resource.Quantity` does.

use std::cmp::Ordering;
use std::fmt;

use serde_json::Value;

/// The decode error for a malformed quantity, as the API server reports it.
pub const QUANTITY_ERROR: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    BinarySI,
    DecimalSI,
    DecimalExponent,
}

/// A quantity, held in thousandths of a unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quantity {
    milli: i128,
    format: Format,
}

impl Quantity {
    pub fn parse(s: &str) -> Option<Quantity> {
        let s = s.trim();
        let num_end = s
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
            .unwrap_or(s.len());
        let (num, suffix) = s.split_at(num_end);
        if num.is_empty() || num == "+" || num == "-" || num.matches('.').count() > 1 {
            return None;
        }
        let (neg, digits) = match num.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, num.strip_prefix('+').unwrap_or(num)),
        };
        if !digits.bytes().all(|c| c.is_ascii_digit() || c == b'.') || digits == "." {
            return None;
        }
        let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, ""));
        // Value as an exact fraction: mantissa / 10^scale.
        let mantissa: i128 = format!("{int_part}{frac_part}")
            .parse::<i128>()
            .ok()
            .unwrap_or(0);
        let scale = frac_part.len() as u32;
        let (mul_num, mul_den, format): (i128, i128, Format) = match suffix {
            "" => (1, 1, Format::DecimalSI),
            "m" => (1, 1000, Format::DecimalSI),
            "u" => (1, 1_000_000, Format::DecimalSI),
            "n" => (1, 1_000_000_000, Format::DecimalSI),
            "k" => (1_000, 1, Format::DecimalSI),
            "M" => (1_000_000, 1, Format::DecimalSI),
            "G" => (1_000_000_000, 1, Format::DecimalSI),
            "T" => (1_000_000_000_000, 1, Format::DecimalSI),
            "P" => (1_000_000_000_000_000, 1, Format::DecimalSI),
            "E" => (1_000_000_000_000_000_000, 1, Format::DecimalSI),
            "Ki" => (1 << 10, 1, Format::BinarySI),
            "Mi" => (1 << 20, 1, Format::BinarySI),
            "Gi" => (1 << 30, 1, Format::BinarySI),
            "Ti" => (1 << 40, 1, Format::BinarySI),
            "Pi" => (1 << 50, 1, Format::BinarySI),
            "Ei" => (1 << 60, 1, Format::BinarySI),
            e if e.starts_with(['e', 'E']) => {
                let exp: i32 = e[1..].parse().ok()?;
                if !(-18..=18).contains(&exp) {
                    return None;
                }
                if exp >= 0 {
                    (10i128.pow(exp as u32), 1, Format::DecimalExponent)
                } else {
                    (1, 10i128.pow((-exp) as u32), Format::DecimalExponent)
                }
            }
            _ => return None,
        };
        let num = mantissa.checked_mul(mul_num)?.checked_mul(1000)?;
        let den = 10i128.checked_pow(scale)?.checked_mul(mul_den)?;
        // Round up to a whole milli-unit, as Kubernetes does for sub-milli precision.
        let mut milli = num / den;
        if num % den != 0 {
            milli += 1;
        }
        Some(Quantity {
            milli: if neg { -milli } else { milli },
            format,
        })
    }

    /// Reads a JSON quantity, which may be a string or a number.
    pub fn from_value(v: &Value) -> Option<Quantity> {
        match v {
            Value::String(s) => Quantity::parse(s),
            Value::Number(n) => Quantity::parse(&n.to_string()),
            _ => None,
        }
    }

    pub fn is_negative(&self) -> bool {
        self.milli < 0
    }

    pub fn milli_value(&self) -> i128 {
        self.milli
    }

    /// The value in whole units, rounded up.
    pub fn value(&self) -> i128 {
        (self.milli + 999).div_euclid(1000)
    }

    pub fn cmp_value(&self, other: &Quantity) -> Ordering {
        self.milli.cmp(&other.milli)
    }

    pub fn from_milli(milli: i128, binary: bool) -> Quantity {
        Quantity {
            milli,
            format: if binary {
                Format::BinarySI
            } else {
                Format::DecimalSI
            },
        }
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let neg = self.milli < 0;
        let m = self.milli.abs();
        let sign = if neg { "-" } else { "" };
        if m == 0 {
            return write!(f, "0");
        }
        if m % 1000 != 0 {
            return write!(f, "{sign}{m}m");
        }
        let units = m / 1000;
        if self.format == Format::BinarySI && units >= 1024 {
            for (shift, suf) in [
                (60, "Ei"),
                (50, "Pi"),
                (40, "Ti"),
                (30, "Gi"),
                (20, "Mi"),
                (10, "Ki"),
            ] {
                if units % (1i128 << shift) == 0 {
                    return write!(f, "{sign}{}{suf}", units >> shift);
                }
            }
        }
        if self.format == Format::BinarySI && units < 1024 {
            return write!(f, "{sign}{units}");
        }
        for (p, suf) in [
            (18, "E"),
            (15, "P"),
            (12, "T"),
            (9, "G"),
            (6, "M"),
            (3, "k"),
        ] {
            let d = 10i128.pow(p);
            if units % d == 0 {
                let exp_suffix = if self.format == Format::DecimalExponent {
                    format!("e{p}")
                } else {
                    suf.to_string()
                };
                return write!(f, "{sign}{}{exp_suffix}", units / d);
            }
        }
        write!(f, "{sign}{units}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms() {
        let c = |s: &str| Quantity::parse(s).map(|q| q.to_string());
        assert_eq!(c("500m").as_deref(), Some("500m"));
        assert_eq!(c("0.5").as_deref(), Some("500m"));
        assert_eq!(c("1000m").as_deref(), Some("1"));
        assert_eq!(c("64Mi").as_deref(), Some("64Mi"));
        assert_eq!(c("1024Mi").as_deref(), Some("1Gi"));
        assert_eq!(c("1.5Gi").as_deref(), Some("1536Mi"));
        assert_eq!(c("128974848").as_deref(), Some("128974848"));
        assert_eq!(c("129e6").as_deref(), Some("129e6"));
        assert_eq!(c("1k").as_deref(), Some("1k"));
        assert_eq!(c("abc"), None);
        assert_eq!(c("1Zi"), None);
    }
}
