//! Plain text for the search index, collected from the render stage's own Markdown events
//! (so pages are parsed once): prose, code and headings, kept apart so the index can weight
//! them differently.
//!
//! [`crate::render::markdown::render`] feeds every parser event to a [`Collector`] and stores the
//! result in `RenderedBody::plain`.

use pulldown_cmark::{Event, Tag, TagEnd};

/// One heading of a page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Heading {
    /// Level, 1–6.
    pub level: u8,
    /// Plain text of the heading (inline code included, markup removed).
    pub text: String,
    /// Byte offset in [`PlainText::body`] where the heading's section starts.
    pub offset: usize,
}

/// The plain text of one page body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PlainText {
    /// Prose: paragraphs, list items, table cells, block quotes and inline code, without the
    /// headings. Blocks are separated by `\n`, inline breaks by a space.
    pub body: String,
    /// The text of code blocks (fenced or indented), one block per line group.
    pub code: String,
    /// Every heading, h1–h6, in document order.
    pub headings: Vec<Heading>,
}

/// Accumulates [`PlainText`] from a stream of pulldown-cmark events.
#[derive(Debug, Default)]
pub struct Collector {
    out: PlainText,
    in_code: bool,
    heading: Option<Heading>,
}

impl Collector {
    /// Takes one event, in document order. Raw HTML is skipped (its text is markup).
    pub fn event(&mut self, event: &Event<'_>) {
        if self.in_code {
            match event {
                Event::Text(t) => self.out.code.push_str(t),
                Event::End(TagEnd::CodeBlock) => {
                    self.in_code = false;
                    if !self.out.code.ends_with('\n') {
                        self.out.code.push('\n');
                    }
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(Tag::CodeBlock(_)) => self.in_code = true,
            Event::Start(Tag::Heading { level, .. }) => {
                self.block_break();
                self.heading = Some(Heading {
                    level: *level as u8,
                    text: String::new(),
                    offset: 0,
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(mut h) = self.heading.take() {
                    h.text = h.text.split_whitespace().collect::<Vec<_>>().join(" ");
                    h.offset = self.out.body.len();
                    self.out.headings.push(h);
                }
            }
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                match &mut self.heading {
                    Some(h) => h.text.push_str(t),
                    None => self.out.body.push_str(t),
                }
            }
            Event::SoftBreak | Event::HardBreak => match &mut self.heading {
                Some(h) => h.text.push(' '),
                None => self.space(),
            },
            Event::End(TagEnd::TableCell) => self.space(),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition
                | TagEnd::DefinitionListTitle
                | TagEnd::DefinitionListDefinition,
            ) => self.block_break(),
            _ => {}
        }
    }

    /// The collected text.
    pub fn finish(mut self) -> PlainText {
        let trimmed = self.out.body.trim_end().len();
        self.out.body.truncate(trimmed);
        self.out
    }

    fn space(&mut self) {
        if !self.out.body.is_empty() && !self.out.body.ends_with([' ', '\n']) {
            self.out.body.push(' ');
        }
    }

    fn block_break(&mut self) {
        if self.out.body.ends_with(' ') {
            self.out.body.pop();
        }
        if !self.out.body.is_empty() && !self.out.body.ends_with('\n') {
            self.out.body.push('\n');
        }
    }
}

/// Collects the plain text of a Markdown string on its own (tests, planned skills).
pub fn plain_text(markdown: &str) -> PlainText {
    let mut c = Collector::default();
    for e in pulldown_cmark::Parser::new_ext(markdown, crate::render::markdown::options()) {
        c.event(&e);
    }
    c.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_prose_code_and_headings() {
        let t = plain_text("# Title\n\nSome *nice* `code` here\nand there.\n\n## Next `step`\n\n- one\n- two\n\n```sh\nls -la\n```\n\n| a | b |\n|---|---|\n| c | d |\n");
        assert_eq!(t.body, "Some nice code here and there.\none\ntwo\na b\nc d");
        assert_eq!(t.code, "ls -la\n");
        assert_eq!(t.headings.len(), 2);
        assert_eq!(
            t.headings[0],
            Heading {
                level: 1,
                text: "Title".into(),
                offset: 0
            }
        );
        assert_eq!(t.headings[1].text, "Next step");
        assert_eq!(&t.body[t.headings[1].offset..], "one\ntwo\na b\nc d");
    }

    #[test]
    fn raw_html_is_skipped() {
        let t = plain_text("<div class=\"x\">\n\nInside\n\n</div>\n");
        assert_eq!(t.body, "Inside");
    }
}
