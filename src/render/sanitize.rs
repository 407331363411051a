//! Allow-list sanitizing of page HTML with ammonia.
//!
//! Catalogs render third-party packs, so raw HTML written in Markdown is cleaned:
//! `<details>`, `<img>`, tables, `<kbd>` and the like survive; `<script>`, `<style>`, event
//! handler attributes (`onclick`...) and every URL the policy of [`crate::util::url`] blocks
//! (`javascript:`, `data:`, `vbscript:`...) in `href`, `src`, `srcset`, `poster`, `action`,
//! `formaction`, `xlink:href`, `cite` and CSS `url()` do not. The whole rendered body is
//! cleaned (not single fragments), so a `<details>` opened in one HTML block and closed in a
//! later one keeps its structure. Only pages whose source holds raw HTML are cleaned: links and
//! images written in Markdown are checked in the event stream by the Markdown renderer.
//!
//! `[output.html] unsafe-raw-html = true` ([`clean_trusted`]) keeps far more (forms, iframes,
//! inline SVG, `style` and `data-*` attributes) but still never a script, an event handler or a
//! blocked URL: the URL policy and the Content-Security-Policy have no opt-out.

use std::sync::OnceLock;

use ammonia::Builder;

/// Attributes whose value is a URL (or, for `srcset`, a list of them), checked against the
/// URL policy whatever the tag.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "poster",
    "action",
    "formaction",
    "xlink:href",
    "cite",
    "background",
    "longdesc",
    "data",
    "srcset",
];

/// The URL policy as an ammonia attribute filter: a blocked URL drops the attribute (a link
/// keeps its text), a `style` is kept only when every `url()` in it is allowed.
fn policy_filter<'u>(_tag: &str, attr: &str, value: &'u str) -> Option<std::borrow::Cow<'u, str>> {
    use crate::util::url;
    if attr == "style" {
        return url::check_css(value).ok().map(|()| value.into());
    }
    if !URL_ATTRIBUTES.contains(&attr) {
        return Some(value.into());
    }
    let ok = if attr == "srcset" {
        value
            .split(',')
            .all(|c| url::is_allowed(c.split_whitespace().next().unwrap_or("")))
    } else {
        url::is_allowed(value)
    };
    ok.then(|| value.into())
}

fn policy_builder() -> Builder<'static> {
    let mut b = Builder::default();
    b.url_schemes(crate::util::url::ALLOWED_SCHEMES.iter().copied().collect())
        .attribute_filter(policy_filter);
    b
}

fn builder() -> &'static Builder<'static> {
    static B: OnceLock<Builder<'static>> = OnceLock::new();
    B.get_or_init(|| {
        let mut b = policy_builder();
        b.add_tags([
            "input",
            // Task items: `<label>` around the checkbox and the item's text, its accessible
            // name. No attribute is allowed on it (`for` could point it at another control).
            "label",
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
        .add_tag_attributes("mark", ["title"])
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

fn trusted_builder() -> &'static Builder<'static> {
    static B: OnceLock<Builder<'static>> = OnceLock::new();
    B.get_or_init(|| {
        let mut b = policy_builder();
        let mut tags: std::collections::HashSet<&str> = builder().clone_tags();
        tags.extend(crate::render::prompt_tags::HTML_ELEMENTS.iter().copied());
        for never in [
            "script", "style", "base", "meta", "link", "object", "embed", "head", "html", "body",
            "title", "noscript", "template", "frame", "frameset", "applet",
        ] {
            tags.remove(never);
        }
        tags.extend([
            "svg", "g", "path", "circle", "ellipse", "rect", "line", "polyline", "polygon", "text",
            "tspan", "defs", "marker", "use", "title",
        ]);
        b.tags(tags)
            .add_generic_attribute_prefixes(["data-", "aria-"])
            .add_generic_attributes([
                "class",
                "id",
                "title",
                "role",
                "lang",
                "dir",
                "style",
                "width",
                "height",
                "name",
                "type",
                "value",
                "alt",
                "hidden",
                "tabindex",
                "open",
                "checked",
                "disabled",
                "viewBox",
                "d",
                "fill",
                "stroke",
                "stroke-width",
                "x",
                "y",
                "x1",
                "x2",
                "y1",
                "y2",
                "cx",
                "cy",
                "r",
                "rx",
                "ry",
                "points",
                "transform",
                "src",
                "href",
                "action",
                "method",
                "placeholder",
                "for",
                "colspan",
                "rowspan",
                "start",
                "reversed",
                "controls",
                "poster",
                "loading",
                "sandbox",
            ])
            .link_rel(None)
            .strip_comments(true);
        b
    })
}

/// Cleans a page body for `unsafe-raw-html = true`: nearly every element and attribute is
/// kept, but scripts, `<style>`, `<base>`, `<meta>`, `<object>`, `<embed>`, event handlers
/// and blocked URLs are still removed.
pub fn clean_trusted(html: &str) -> String {
    trusted_builder().clean(html).to_string()
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
    fn url_policy_in_every_url_attribute() {
        let out = clean(concat!(
            "<a href=\"  JaVaScRiPt:alert(1)\">a</a>",
            "<a href=\"&#106;avascript:alert(2)\">b</a>",
            "<a href=\"data:text/html,x\">c</a>",
            "<a href=\"vbscript:x\">d</a>",
            "<img src=\"javascript:alert(3)\" alt=\"i\">",
            "<video poster=\"javascript:alert(4)\" src=\"v.mp4\"></video>",
            "<source srcset=\"ok.png 1x, javascript:alert(5) 2x\">",
            "<td style=\"background:url(javascript:alert(6))\">t</td>",
            "<a href=\"https://ok.example/\">ok</a><a href=\"rel/page.html#x\">rel</a>",
        ));
        for bad in [
            "javascript",
            "JaVaScRiPt",
            "#106",
            "data:",
            "vbscript",
            "alert",
        ] {
            assert!(!out.contains(bad), "{bad} in {out}");
        }
        assert!(out.contains("href=\"https://ok.example/\""), "{out}");
        assert!(out.contains("href=\"rel/page.html#x\""), "{out}");
        assert!(
            out.contains(">a</a>"),
            "the text of a blocked link stays: {out}"
        );
    }

    #[test]
    fn trusted_mode_keeps_markup_but_never_scripts() {
        let out = clean_trusted(concat!(
            "<form action=\"javascript:alert(1)\"><button formaction=\"javascript:alert(2)\">b</button></form>",
            "<div style=\"color: red\" data-x=\"1\" onclick=\"alert(3)\">d</div>",
            "<script>alert(4)</script><iframe src=\"javascript:alert(5)\"></iframe>",
            "<svg viewBox=\"0 0 1 1\" onload=\"alert(6)\"><a href=\"javascript:alert(7)\"><path d=\"M0 0\"/></a></svg>",
        ));
        assert!(!out.contains("alert"), "{out}");
        assert!(out.contains("style=\"color: red\""), "{out}");
        assert!(out.contains("data-x=\"1\""), "{out}");
        assert!(
            out.contains("<form>") && out.contains("<button>b</button>"),
            "{out}"
        );
    }

    #[test]
    fn task_labels_but_no_label_attributes() {
        let out = clean(concat!(
            "<ul class=\"task-list\"><li><label class=\"task-item\"><input type=\"checkbox\" disabled> t</label></li></ul>",
            "<label for=\"nav-toggle\" form=\"f\" onclick=\"alert(1)\">hostile</label>",
        ));
        assert!(
            out.contains(
                "<label class=\"task-item\"><input type=\"checkbox\" disabled=\"\"> t</label>"
            ),
            "{out}"
        );
        // `for` would let a page's label drive another control (the sidebar's toggle).
        assert!(out.contains("<label>hostile</label>"), "{out}");
    }

    #[test]
    fn keeps_our_markup() {
        let html = "<h2 id=\"x\">X<a class=\"anchor\" href=\"#x\">#</a></h2><pre class=\"code\" data-lang=\"rust\"><code><span class=\"hl-k\">a</span></code></pre><ul class=\"task-list\"><li><input type=\"checkbox\" disabled=\"\" checked=\"\"> t</li></ul><td style=\"text-align: center\">c</td>";
        let out = clean(html);
        for needle in [
            "id=\"x\"",
            "class=\"anchor\"",
            "data-lang=\"rust\"",
            "class=\"hl-k\"",
            "type=\"checkbox\"",
            "checked",
        ] {
            assert!(out.contains(needle), "{needle} in {out}");
        }
    }
}
