//! Allow-list sanitizing of page HTML with ammonia.
//!
//! Catalogs render third-party packs, so raw HTML written in Markdown is cleaned by default:
//! `<details>`, `<img>`, tables, `<kbd>` and the like survive; `<script>`, `<style>`, event
//! handler attributes (`onclick`...) and `javascript:` URLs do not. The whole rendered body is
//! cleaned (not single fragments), so a `<details>` opened in one HTML block and closed in a
//! later one keeps its structure. `[output.html] unsafe-raw-html = true` turns this off.

use std::sync::OnceLock;

use ammonia::Builder;

fn builder() -> &'static Builder<'static> {
    static B: OnceLock<Builder<'static>> = OnceLock::new();
    B.get_or_init(|| {
        let mut b = Builder::default();
        b.add_tags([
            "input",
            "section",
            "figure",
            "figcaption",
            "picture",
            "source",
            "video",
            "audio",
        ])
        .add_generic_attributes([
            "class",
            "id",
            "title",
            "role",
            "aria-label",
            "aria-hidden",
            "data-lang",
            "data-tag",
            "lang",
            "dir",
        ])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("details", ["open"])
        .add_tag_attributes("ol", ["start", "reversed", "type"])
        .add_tag_attributes("img", ["loading", "decoding"])
        .add_tag_attributes("td", ["style", "align", "colspan", "rowspan"])
        .add_tag_attributes("th", ["style", "align", "colspan", "rowspan", "scope"])
        .add_tag_attributes("source", ["src", "srcset", "type", "media"])
        .add_tag_attributes("video", ["src", "controls", "width", "height", "poster"])
        .add_tag_attributes("audio", ["src", "controls"])
        .add_tag_attributes("a", ["target"])
        .link_rel(None)
        .strip_comments(true);
        b
    })
}

/// Cleans an HTML fragment (a page body) with the allow-list above.
pub fn clean(html: &str) -> String {
    builder().clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_structure_drops_scripts() {
        let out = clean("<details open><summary>S</summary><p onclick=\"x()\">t</p></details><script>alert(1)</script><a href=\"javascript:alert(1)\">j</a><img src=\"a.png\" alt=\"a\">");
        assert!(
            out.contains("<details open=\"\"><summary>S</summary><p>t</p></details>"),
            "{out}"
        );
        assert!(!out.contains("script"));
        assert!(!out.contains("javascript"));
        assert!(out.contains("<img src=\"a.png\" alt=\"a\">"));
    }

    #[test]
    fn keeps_our_markup() {
        let html = "<h2 id=\"x\">X<a class=\"anchor\" href=\"#x\">#</a></h2><pre class=\"code\" data-lang=\"rust\"><code><span class=\"sy-source\">a</span></code></pre><ul class=\"task-list\"><li><input type=\"checkbox\" disabled=\"\" checked=\"\"> t</li></ul><td style=\"text-align: center\">c</td>";
        let out = clean(html);
        for needle in [
            "id=\"x\"",
            "class=\"anchor\"",
            "data-lang=\"rust\"",
            "class=\"sy-source\"",
            "type=\"checkbox\"",
            "checked",
        ] {
            assert!(out.contains(needle), "{needle} in {out}");
        }
    }
}
