//! A user's value as a message shows it: quoted, with control characters escaped (a message is
//! one readable line), and shortened (a huge value would bury the message).

/// The longest part of a value a message repeats.
const SHOWN_CHARS: usize = 64;

/// `text` in quotes, escaped; past [`SHOWN_CHARS`] characters, its start and its length.
pub fn shown(text: &str) -> String {
    let count = text.chars().count();
    if count <= SHOWN_CHARS {
        return format!("{text:?}");
    }
    let start: String = text.chars().take(SHOWN_CHARS).collect();
    format!("{start:?}... ({count} characters)")
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn values_are_quoted_escaped_and_shortened() {
        assert_eq!(shown("gentle"), "\"gentle\"");
        assert_eq!(shown("a\nb\u{7}"), "\"a\\nb\\u{7}\"");
        assert_eq!(shown("wörker"), "\"wörker\"");
        let long = shown(&"x".repeat(1000));
        assert!(
            long.ends_with("... (1000 characters)") && long.len() < 100,
            "{long}"
        );
    }
}
