//! Near misses: how far a word is from the one meant, for "did you mean" hints and for
//! refusing a misspelt kind instead of skipping it.

/// Levenshtein distance between `a` and `b`, by character, case-sensitive.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    // previous[j]: distance between the prefix of `a` read so far and b[..j].
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len().saturating_add(1));
        current.push(i.saturating_add(1));
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous
                .get(j)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(usize::from(ca != *cb));
            let delete = previous
                .get(j.saturating_add(1))
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(1);
            let insert = current
                .last()
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(1);
            current.push(substitute.min(delete).min(insert));
        }
        previous = current;
    }
    previous.last().copied().unwrap_or(0)
}

/// Whether `word` is a misspelling of `meant` (not `meant` itself): the same letters in
/// another case, or at most `edits` edits away ignoring case.
pub fn is_near_miss(word: &str, meant: &str, edits: usize) -> bool {
    word != meant && distance(&word.to_lowercase(), &meant.to_lowercase()) <= edits
}

/// The candidate closest to `word` (ignoring case) when it is close enough to be a typo: at
/// most a third of its letters differ.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let limit = word.chars().count().div_ceil(3).max(1);
    candidates
        .into_iter()
        .map(|c| (distance(&lower, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// `text` for a message: quoted, control characters escaped, cut to `max` characters, so that
/// a key or a kind from the input never floods a diagnostic.
pub fn quoted(text: &str, max: usize) -> String {
    let cut: String = text.chars().take(max).collect();
    if cut.len() < text.len() {
        format!("{:?}…", cut)
    } else {
        format!("{cut:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("credentialName", "credentials_name"), 3);
        assert!(is_near_miss("BaremetalHost", "BareMetalHost", 2));
        assert!(is_near_miss("BareMetalHosts", "BareMetalHost", 2));
        assert!(!is_near_miss("BareMetalHost", "BareMetalHost", 2));
        assert!(!is_near_miss("Secret", "BareMetalHost", 2));
    }

    #[test]
    fn nearest_picks_a_close_candidate_only() {
        let names = ["boot_mode", "boot_mac_address", "online"];
        assert_eq!(nearest("boot_mod", names), Some("boot_mode"));
        assert_eq!(nearest("Online", names), Some("online"));
        assert_eq!(nearest("zzzzzz", names), None);
    }

    #[test]
    fn quoting_cuts_and_escapes() {
        assert_eq!(quoted("a\nb", 10), "\"a\\nb\"");
        assert_eq!(quoted("abcdef", 3), "\"abc\"…");
    }
}
