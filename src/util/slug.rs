//! Slugs: the anchors of headings, as GitHub makes them (so links written for GitHub work).

/// GitHub's heading slug: lowercase; keep letters, digits, `-` and `_`; spaces become `-`;
/// everything else is removed (so `Training & Feedback` → `training--feedback`).
pub fn github_slug(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            s.extend(c.to_lowercase());
        } else if c == ' ' {
            s.push('-');
        }
    }
    if s.is_empty() {
        s.push_str("section");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_slugs() {
        assert_eq!(
            github_slug("Model Training & Feedback Loop"),
            "model-training--feedback-loop"
        );
        assert_eq!(
            github_slug("SDLC Pipeline (Skill Onboarding)"),
            "sdlc-pipeline-skill-onboarding"
        );
        assert_eq!(github_slug("1. Purpose"), "1-purpose");
        assert_eq!(github_slug("`code` Ünïcode"), "code-ünïcode");
    }
}
