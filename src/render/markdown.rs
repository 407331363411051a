//! Markdown → HTML for one page, with pulldown-cmark (CommonMark + GFM).
//!
//! On top of pulldown-cmark's HTML writer this adds: unique GitHub-style heading ids with
//! anchor links and a table of contents; rewriting of relative `.md` links to the built pages
//! (and reporting broken ones); task-list progress (see [`shows_task_progress`]) with counts per
//! section and checkboxes labelled by their item's text; GitHub alerts (`> [!NOTE]`); syntax
//! highlighting of fenced code at build time; XML-style prompt tags (see [`prompt_tags`]);
//! unknown inline tags such as `<name>` kept as text instead of being swallowed as HTML.
//!
//! [`prompt_tags`]: crate::render::prompt_tags

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};

use crate::diagnostics::{line_col, Diagnostic, Diagnostics};
use crate::model::{PageId, Site};
use crate::render::{diagram, highlight, prompt_tags};
use crate::util::path::{href_path, relative_root};
use crate::util::slug::github_slug;
use crate::util::{hidden, url};

/// One entry of a page's table of contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TocEntry {
    /// Heading level, 2–4.
    pub level: u8,
    /// The heading's id (anchor).
    pub id: String,
    /// Plain text of the heading.
    pub title: String,
    /// The tasks of the heading's section (up to the next heading of the same or a higher
    /// level), when the page shows per-section counts (see [`RenderedBody::tasks`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tasks: Option<TaskCount>,
}

/// Checked and total task-list items of a page or section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct TaskCount {
    /// Checked items (`- [x]`).
    pub done: usize,
    /// All items (`- [ ]` and `- [x]`).
    pub total: usize,
}

/// A link to an anchor in another page, checked once every page is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorRef {
    /// Target page.
    pub page: PageId,
    /// The anchor, without `#`.
    pub anchor: String,
    /// 1-based line of the link in the source file.
    pub line: usize,
}

/// The result of rendering one page body.
#[derive(Debug, Clone, Default)]
pub struct RenderedBody {
    /// Body HTML (not yet sanitized).
    pub html: String,
    /// Headings h2–h4, in order.
    pub toc: Vec<TocEntry>,
    /// Every id defined in the page (headings, footnotes, explicit ids).
    pub ids: HashSet<String>,
    /// `(done, total)` checkboxes, when the page has task lists and shows their progress
    /// ([`shows_task_progress`]). Items inside prompt-tag sections (`<instructions>`,
    /// `<checklist>`… see [`prompt_tags`]) are instructions to an agent, not progress: they
    /// are rendered but never counted. When the counted items fall under two headings or more,
    /// each h2–h4 whose section has items carries its count (`<span class="section-tasks">3/7</span>`
    /// before its anchor, and [`TocEntry::tasks`]).
    pub tasks: Option<(usize, usize)>,
    /// Links into other pages' anchors, to check later.
    pub anchor_refs: Vec<AnchorRef>,
    /// Whether the body has its own `<h1>`.
    pub has_h1: bool,
    /// SVG diagrams drawn from ```` ```dot ```` fences; the HTML holds a placeholder for each
    /// (see [`DIAGRAM_MARK`]) so the sanitizer never sees them: [`RenderedBody::finish_html`]
    /// puts them in.
    pub diagrams: Vec<String>,
    /// Whether the source contains raw HTML that was passed through (and so must be
    /// sanitized); pages without any are made only of markup the renderer generated.
    pub raw_html: bool,
    /// Plain text (prose, code, headings) for the search index.
    pub plain: crate::render::text::PlainText,
}

/// Delimits a diagram placeholder (`\u{E000}diagram:N\u{E000}`), a private-use character that
/// cannot come from the source as a whole token and survives sanitizing as text.
pub const DIAGRAM_MARK: char = '\u{E000}';

impl RenderedBody {
    /// Replaces the diagram placeholders in `html` with the SVGs (call after sanitizing).
    pub fn finish_html(&mut self) {
        if self.diagrams.is_empty() {
            return;
        }
        let mut html = std::mem::take(&mut self.html);
        for (i, svg) in self.diagrams.iter().enumerate() {
            html = html.replace(&format!("{DIAGRAM_MARK}diagram:{i}{DIAGRAM_MARK}"), svg);
        }
        self.html = html;
    }
}

/// What the renderer needs to know about the rest of the site.
pub struct LinkContext<'a> {
    /// The site.
    pub site: &'a Site,
    /// Page id by content-relative source path.
    pub by_source: &'a HashMap<String, PageId>,
    /// Page id by root-relative output path (`guide/install.html`, `guide/index.html`), drafts
    /// excluded: mdBook books link to chapters by the `.html` file mdBook writes.
    pub by_url: &'a HashMap<String, PageId>,
    /// Content-relative paths of every file (assets and pages), for non-page links.
    pub files: &'a HashSet<String>,
    /// Content-relative folders of the written skills: pages in them are files an agent reads.
    pub skill_dirs: &'a HashSet<String>,
}

impl LinkContext<'_> {
    /// True when page `page`'s HTML comments are shown (`[skillsite] reveal-comments`):
    /// with `"all"` always, by default for files an agent obeys: skill pages, every page inside a
    /// skill's folder, and pages in an `agents/` or `commands/` folder.
    pub fn reveals_comments(&self, page: &crate::model::Page) -> bool {
        use crate::model::config::RevealComments;
        if self.site.config.skillsite.reveal_comments == RevealComments::All
            || page.kind == crate::model::PageKind::Skill
        {
            return true;
        }
        let Some(source) = page.source.as_deref() else {
            return false;
        };
        let mut dir = source;
        while let Some((parent, name)) = dir.rsplit_once('/') {
            if (dir.len() != source.len() && (name == "agents" || name == "commands"))
                || self.skill_dirs.contains(parent)
            {
                return true;
            }
            dir = parent;
        }
        false
    }
}

/// The pulldown-cmark extensions skillsite enables (GFM tables, footnotes, strikethrough,
/// task lists, alerts, heading attributes, definition lists as mdBook 0.5 does).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_DEFINITION_LIST
}

/// [`options`] plus what the site's `[output.html]` turns on (`smart-punctuation`).
pub fn site_options(html: &crate::model::config::HtmlConfig) -> Options {
    let mut o = options();
    if html.smart_punctuation {
        o |= Options::ENABLE_SMART_PUNCTUATION;
    }
    o
}

/// The front-matter key that turns a page's task progress on or off (`task-progress: true`).
pub const TASK_PROGRESS_KEY: &str = "task-progress";

/// Whether page `id` shows task-list progress (the bar under the title and per-section
/// counts): front matter `task-progress: true|false` when given; otherwise every page except
/// the files an agent reads as instructions, where a checklist is a procedure to follow and not
/// the state of a project: skill pages (`SKILL.md`) and the pages of a plugin's agents,
/// commands and output styles.
pub fn shows_task_progress(site: &Site, id: PageId) -> bool {
    let page = &site.pages[id];
    match page
        .front_matter
        .get(TASK_PROGRESS_KEY)
        .and_then(serde_json::Value::as_bool)
    {
        Some(on) => on,
        None => {
            page.kind != crate::model::PageKind::Skill
                && site.catalog.component_by_page(id).is_none()
        }
    }
}

/// Renders the body of page `id`. Problems (broken links) go to `diags` with the file's lines.
pub fn render(id: PageId, cx: &LinkContext<'_>, diags: &Diagnostics) -> RenderedBody {
    let page = &cx.site.pages[id];
    let file = cx
        .site
        .config
        .src_dir()
        .join(page.source.as_deref().unwrap_or(""));
    let file = crate::util::path::clean(&file);
    let rewritten = prompt_tags::rewrite(&page.body);
    let text = rewritten.text.as_str();
    let to_file_line = |offset: usize| {
        let (line, _) = line_col(text, offset);
        let src_line = rewritten.line_map.get(line - 1).copied().unwrap_or(line);
        src_line + page.body_line - 1
    };

    let mut out = RenderedBody::default();
    let mut events: Vec<Event<'_>> = Vec::with_capacity(text.len() / 16);
    let mut slugs = Slugger::default();
    let mut list_starts: Vec<usize> = Vec::new();
    let mut first_item_pending: Vec<bool> = Vec::new();
    let mut heading: Option<(HeadingLevel, Option<String>, Vec<String>, usize)> = None;
    let mut code: Option<(String, String, usize, String)> = None;
    let mut tasks = (0usize, 0usize);
    // Prompt-tag blocks (`<details class="prompt-tag">`) and other `<details>` open around the
    // current event: `true` for a prompt tag. Task items inside a prompt tag are not counted.
    let mut details: Vec<bool> = Vec::new();
    // Headings h2–h4 as (index of their closing event, index in the TOC, done, total), and
    // for each level the one whose section is open.
    let mut sections: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut open_section: [Option<usize>; 3] = [None; 3];
    // A task item's `<label>` is open: it closes before the item's first block-level event.
    let mut label_open = false;
    let page_dir = page
        .source
        .as_deref()
        .and_then(|s| s.rsplit_once('/'))
        .map_or("", |(d, _)| d);

    let reveal_comments = cx.reveals_comments(page);
    // A link or image whose URL the policy blocks: its `Start` was replaced by a `<span>`, so
    // its `End` closes the span (links do not nest; images nest in links).
    let mut blocked: Vec<bool> = Vec::new();
    let mut in_image = 0usize;
    // An HTML comment opened in one raw HTML event and not yet closed: (text so far, block?).
    let mut comment: Option<(String, bool)> = None;
    let mut in_html_block = false;
    let unsafe_url = |kind: &str, dest: &str, b: url::Blocked, line: usize| {
        diags.push(
            Diagnostic::warning("unsafe-url", format!("{kind} to `{}` removed: {b}", shorten(dest)))
                .at(&file)
                .line(line)
                .hint("only http, https, mailto and tel URLs, relative paths and #fragments are kept; the text stays, without the link"),
        );
    };

    let mut plain = crate::render::text::Collector::default();
    for (event, range) in
        Parser::new_ext(text, site_options(&cx.site.config.html)).into_offset_iter()
    {
        plain.event(&event);
        if label_open && !is_inline(&event) {
            events.push(Event::Html("</label>".into()));
            label_open = false;
        }
        if let Event::Html(h) | Event::InlineHtml(h) = &event {
            track_details(h, &mut details);
        }
        if let Some((_, ref mut buf, _, _)) = code {
            match event {
                Event::Text(t) => buf.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, body, start, info) = code.take().expect("in a code block");
                    if lang == "dot" || lang == "graphviz" {
                        match diagram::dot_to_svg(&body) {
                            Ok(svg) => {
                                let n = out.diagrams.len();
                                out.diagrams.push(format!("<figure class=\"diagram-figure\">{}</figure>\n", diagram::uniquify_ids(&svg, &format!("dg{n}"))));
                                events.push(Event::Html(format!("{DIAGRAM_MARK}diagram:{n}{DIAGRAM_MARK}\n").into()));
                                continue;
                            }
                            Err(e) => diags.push(
                                Diagnostic::warning("diagram", format!("{lang} diagram not drawn: {e}"))
                                    .at(&file)
                                    .line(to_file_line(start))
                                    .hint("the source is shown as code instead; layout-rs supports plain digraphs without subgraph braces, HTML labels or `#` comments"),
                            ),
                        }
                    }
                    if lang == "mermaid" {
                        match crate::render::mermaid::mermaid_to_svg(&body) {
                            Ok(svg) => {
                                let n = out.diagrams.len();
                                out.diagrams.push(format!("<figure class=\"diagram-figure mermaid-figure\">{}</figure>\n", diagram::uniquify_ids(&svg, &format!("dg{n}"))));
                                events.push(Event::Html(format!("{DIAGRAM_MARK}diagram:{n}{DIAGRAM_MARK}\n").into()));
                                continue;
                            }
                            Err(e) => diags.push(
                                Diagnostic::warning("diagram", format!("mermaid diagram not drawn: {e}"))
                                    .at(&file)
                                    .line(to_file_line(start))
                                    .hint("the source is shown as code instead; see docs/diagrams.md for the Mermaid syntax the renderer supports"),
                            ),
                        }
                    }
                    events.push(Event::Html(
                        code_block_with(&lang, &body, &info, &cx.site.config.html).into(),
                    ));
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let (lang, info) = match kind {
                    CodeBlockKind::Fenced(info) => (fence_lang(&info), info.to_string()),
                    CodeBlockKind::Indented => (String::new(), String::new()),
                };
                code = Some((lang, String::new(), range.start, info));
            }
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                heading = Some((
                    level,
                    id.map(|s| s.to_string()),
                    classes.iter().map(|c| c.to_string()).collect(),
                    events.len(),
                ));
            }
            Event::End(TagEnd::Heading(level)) => {
                let Some((_, explicit, classes, start)) = heading.take() else {
                    continue;
                };
                let inner: Vec<Event<'_>> = events.drain(start..).collect();
                let plain = plain_text(&inner);
                // An explicit `{#id .class}` is user input: escape it (pages without raw HTML
                // skip the sanitizer).
                let id = match explicit {
                    Some(id) => slugs.claim(crate::render::templates::escape_html(&id)),
                    None => slugs.unique(&github_slug(&plain)),
                };
                let class = if classes.is_empty() {
                    String::new()
                } else {
                    format!(
                        " class=\"{}\"",
                        crate::render::templates::escape_html(&classes.join(" "))
                    )
                };
                // The heading's text links to its own anchor (mdBook's `a.header`: its
                // accessible name is the heading's text, and it is short). A heading that holds
                // a link of its own cannot be inside another: it gets a `#` after its text.
                let has_link = inner.iter().any(|e| match e {
                    Event::Start(Tag::Link { .. }) | Event::FootnoteReference(_) => true,
                    Event::Html(h) | Event::InlineHtml(h) => h.to_ascii_lowercase().contains("<a"),
                    _ => false,
                });
                if has_link {
                    events.push(Event::Html(format!("<{level} id=\"{id}\"{class}>").into()));
                    events.extend(inner);
                    events.push(Event::Html(format!("<a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to this section\">#</a></{level}>\n").into()));
                } else {
                    events.push(Event::Html(
                        format!("<{level} id=\"{id}\"{class}><a class=\"header\" href=\"#{id}\">")
                            .into(),
                    ));
                    events.extend(inner);
                    events.push(Event::Html(format!("</a></{level}>\n").into()));
                }
                let n = level as u8;
                if n == 1 {
                    out.has_h1 = true;
                    open_section = [None; 3];
                }
                if (2..=4).contains(&n) {
                    let at = usize::from(n - 2);
                    sections.push((events.len() - 1, out.toc.len(), 0, 0));
                    open_section[at] = Some(sections.len() - 1);
                    for s in &mut open_section[at + 1..] {
                        *s = None;
                    }
                    out.toc.push(TocEntry {
                        level: n,
                        id: id.clone(),
                        title: plain,
                        tasks: None,
                    });
                }
                out.ids.insert(id);
            }
            Event::Start(Tag::List(start)) => {
                list_starts.push(events.len());
                first_item_pending.push(true);
                events.push(Event::Start(Tag::List(start)));
            }
            Event::End(TagEnd::List(ordered)) => {
                list_starts.pop();
                first_item_pending.pop();
                events.push(Event::End(TagEnd::List(ordered)));
            }
            Event::TaskListMarker(done) => {
                if !details.contains(&true) {
                    tasks.1 += 1;
                    tasks.0 += usize::from(done);
                    for s in open_section.iter().flatten() {
                        sections[*s].2 += usize::from(done);
                        sections[*s].3 += 1;
                    }
                }
                if let (Some(&at), Some(pending)) =
                    (list_starts.last(), first_item_pending.last_mut())
                {
                    if *pending {
                        *pending = false;
                        if let Event::Start(Tag::List(start)) = &events[at] {
                            events[at] = Event::Html(
                                match start {
                                    Some(n) if *n != 1 => {
                                        format!("<ol class=\"task-list\" start=\"{n}\">\n")
                                    }
                                    Some(_) => "<ol class=\"task-list\">\n".to_string(),
                                    None => "<ul class=\"task-list\">\n".to_string(),
                                }
                                .into(),
                            );
                        }
                    }
                }
                // The item's text (up to its first block) is the checkbox's label, so the
                // checkbox has an accessible name (WCAG 4.1.2; axe's `label` rule).
                let checked = if done { " checked" } else { "" };
                events.push(Event::Html(
                    format!(
                        "<label class=\"task-item\"><input type=\"checkbox\" disabled{checked}> "
                    )
                    .into(),
                ));
                label_open = true;
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = alert(kind);
                events.push(Event::Html(format!("<div class=\"alert alert-{class}\" role=\"note\"><p class=\"alert-title\">{title}</p>\n").into()));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => events.push(Event::Html("</div>\n".into())),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let line = to_file_line(range.start);
                if let Err(b) = url::check(&dest_url) {
                    unsafe_url("link", &dest_url, b, line);
                    blocked.push(true);
                    events.push(Event::Html(blocked_open(&dest_url).into()));
                    continue;
                }
                blocked.push(false);
                let title = reveal_attr(title);
                let dest = rewrite_link(
                    &dest_url,
                    page_dir,
                    id_of(cx, page),
                    cx,
                    &mut out.anchor_refs,
                    line,
                )
                .unwrap_or_else(|problem| {
                    diags.push(
                        Diagnostic::warning("broken-link", problem.0)
                            .at(&file)
                            .line(line)
                            .hint(problem.1),
                    );
                    dest_url.to_string()
                });
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest.into(),
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Link) => {
                if blocked.pop() == Some(true) {
                    events.push(Event::Html("</span>".into()));
                } else {
                    events.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if let Err(b) = url::check(&dest_url) {
                    unsafe_url("image", &dest_url, b, to_file_line(range.start));
                    blocked.push(true);
                    events.push(Event::Html(blocked_open(&dest_url).into()));
                    events.push(Event::Text("[image: ".into()));
                    continue;
                }
                blocked.push(false);
                in_image += 1;
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title: reveal_attr(title),
                    id,
                }));
            }
            Event::End(TagEnd::Image) => {
                if blocked.pop() == Some(true) {
                    events.push(Event::Text("]".into()));
                    events.push(Event::Html("</span>".into()));
                } else {
                    in_image = in_image.saturating_sub(1);
                    events.push(Event::End(TagEnd::Image));
                }
            }
            Event::Text(t) if hidden::may_contain(&t) => {
                if in_image > 0 {
                    // Alt text is an attribute: plain-text markers.
                    events.push(Event::Text(hidden::reveal_text(&t).into_owned().into()));
                } else {
                    push_revealed(&mut events, &t, false);
                }
            }
            Event::Code(t) if in_image == 0 && hidden::may_contain(&t) => {
                events.push(Event::Html("<code>".into()));
                push_revealed(&mut events, &t, true);
                events.push(Event::Html("</code>".into()));
            }
            Event::Start(Tag::HtmlBlock) => {
                in_html_block = true;
                events.push(Event::Start(Tag::HtmlBlock));
            }
            Event::End(TagEnd::HtmlBlock) => {
                in_html_block = false;
                // An unclosed comment at the end of a block runs on (as in a browser) into the
                // next raw HTML; at the end of the page it is flushed below.
                events.push(Event::End(TagEnd::HtmlBlock));
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                out.ids.insert(format!("fn-{name}"));
                events.push(Event::Start(Tag::FootnoteDefinition(name)));
            }
            Event::Html(html) | Event::InlineHtml(html)
                if comment.is_some() || html.contains("<!--") =>
            {
                let block = in_html_block;
                let mut rest: &str = &html;
                loop {
                    if let Some((mut buf, was_block)) = comment.take() {
                        match rest.find("-->") {
                            Some(end) => {
                                buf.push_str(&rest[..end]);
                                if reveal_comments {
                                    events.push(Event::Html(
                                        revealed_comment(&buf, was_block).into(),
                                    ));
                                }
                                rest = &rest[end + 3..];
                            }
                            None => {
                                buf.push_str(rest);
                                comment = Some((buf, was_block));
                                break;
                            }
                        }
                    }
                    match rest.find("<!--") {
                        Some(start) => {
                            raw_piece(&mut events, &mut out.raw_html, &rest[..start], block);
                            comment = Some((String::new(), block));
                            rest = &rest[start + 4..];
                        }
                        None => {
                            raw_piece(&mut events, &mut out.raw_html, rest, block);
                            break;
                        }
                    }
                }
            }
            Event::InlineHtml(html) if !is_known_tag(&html) => events.push(Event::Text(html)),
            Event::Html(html) if !is_known_tag(&html) => {
                events.push(Event::Text(html));
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                out.raw_html = true;
                events.push(Event::Html(html));
            }
            other => events.push(other),
        }
    }
    if let Some((buf, block)) = comment.take() {
        if reveal_comments {
            events.push(Event::Html(revealed_comment(&buf, block).into()));
        }
    }
    if label_open {
        events.push(Event::Html("</label>".into()));
    }
    let shows_progress = shows_task_progress(cx.site, id);
    if tasks.1 > 0 && shows_progress {
        out.tasks = Some(tasks);
        let with_tasks: Vec<&(usize, usize, usize, usize)> =
            sections.iter().filter(|s| s.3 > 0).collect();
        if with_tasks.len() >= 2 {
            for &&(at, toc, done, total) in &with_tasks {
                let class = if done == total {
                    "section-tasks complete"
                } else {
                    "section-tasks"
                };
                let mark = format!("<span class=\"{class}\" title=\"{done} of {total} tasks done in this section\">{done}/{total}</span>");
                if let Event::Html(close) = &events[at] {
                    // After the heading's link (`</a></h2>`), or before its `#` link.
                    let close = match close.strip_prefix("</a>") {
                        Some(rest) => format!("</a>{mark}{rest}"),
                        None => format!("{mark}{close}"),
                    };
                    events[at] = Event::Html(close.into());
                }
                out.toc[toc].tasks = Some(TaskCount { done, total });
            }
        }
    }
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    out.html = html;
    out.plain = plain.finish();
    for id in slugs.seen.into_iter() {
        out.ids.insert(id);
    }
    out
}

/// True for the events that may sit inside a task item's `<label>` (phrasing content).
fn is_inline(event: &Event<'_>) -> bool {
    match event {
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineHtml(_)
        | Event::InlineMath(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::FootnoteReference(_) => true,
        Event::Start(t) => matches!(
            t,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. }
        ),
        Event::End(t) => matches!(
            t,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image
        ),
        _ => false,
    }
}

/// Follows `<details>` elements through raw HTML `h`: pushes `true` for a prompt-tag block
/// (`<details class="prompt-tag"`, which [`prompt_tags::rewrite`] writes), `false` for another
/// `<details>`, pops on `</details>`.
fn track_details(h: &str, stack: &mut Vec<bool>) {
    let lower = h.to_ascii_lowercase();
    let mut rest = lower.as_str();
    while let Some(i) = rest.find("details") {
        let before = &rest[..i];
        let after = &rest[i + "details".len()..];
        let boundary = after
            .chars()
            .next()
            .is_none_or(|c| c == '>' || c.is_whitespace() || c == '/');
        if boundary && before.ends_with("</") {
            stack.pop();
        } else if boundary && before.ends_with('<') {
            stack.push(after.trim_start().starts_with("class=\"prompt-tag\""));
        }
        rest = after;
    }
}

fn id_of(cx: &LinkContext<'_>, page: &crate::model::Page) -> PageId {
    page.source
        .as_deref()
        .and_then(|s| cx.by_source.get(s).copied())
        .unwrap_or(0)
}

/// The language of a fence info string: its first word, without `{}` and `,attrs`.
fn fence_lang(info: &str) -> String {
    let first = info.split_whitespace().next().unwrap_or("");
    let first = first.trim_matches(|c| c == '{' || c == '}' || c == '.');
    first.split(',').next().unwrap_or("").to_ascii_lowercase()
}

/// A fenced code block as [`code_block`] renders it, with mdBook's hidden lines: Rust's
/// rustdoc rule (`# ` hides a line, `##` shows `#`) and its playground wrapper, another
/// language's `[output.html.code.hidelines]` prefix or the fence's `hidelines=PREFIX`. Hidden
/// lines stay in the page, in `<span class="boring">` (mdBook's class), shown by a toggle;
/// the copy button copies them only while they are shown (mdBook's rule).
fn code_block_with(
    lang: &str,
    body: &str,
    info: &str,
    html: &crate::model::config::HtmlConfig,
) -> String {
    let out = code_block_hidden(lang, body, info, html);
    if html.playground.copyable {
        out
    } else {
        // `[output.html.playground] copyable = false`: the theme adds no copy button.
        out.replacen(
            "<div class=\"code-block",
            "<div class=\"code-block no-copy",
            1,
        )
    }
}

fn code_block_hidden(
    lang: &str,
    body: &str,
    info: &str,
    html: &crate::model::config::HtmlConfig,
) -> String {
    let Some(lines) = hidden_lines(lang, body, info, html) else {
        return code_block(lang, body);
    };
    if !lines.iter().any(|(boring, _)| *boring) {
        let text: String = lines.into_iter().map(|(_, l)| l).collect();
        return code_block(lang, &text);
    }
    let text: String = lines.iter().map(|(_, l)| l.as_str()).collect();
    let boring: Vec<bool> = lines.iter().map(|(b, _)| *b).collect();
    let mut code = highlight::highlight(&text, lang);
    if hidden::may_contain(&code) {
        code = reveal_html(&code);
    }
    let code = wrap_boring(&code, &boring);
    let esc = highlight::escape(lang);
    format!(
        "<div class=\"code-block has-boring\"><input type=\"checkbox\" class=\"boring-toggle\" title=\"Show hidden lines\" aria-label=\"Show hidden lines\"><pre class=\"code language-{esc}\" data-lang=\"{esc}\"><code>{code}</code></pre></div>\n"
    )
}

/// The classes of a fence info string as mdBook reads them (split on `,` and spaces).
fn fence_classes(info: &str) -> Vec<&str> {
    info.split(|c: char| c == ',' || c.is_whitespace())
        .map(|c| c.trim_matches(|c| c == '{' || c == '}' || c == '.'))
        .filter(|c| !c.is_empty())
        .collect()
}

/// The lines of a code block (each with its `\n`), marked hidden or not, after mdBook's rules
/// (mdBook 0.5 `html_handlebars::hbs_renderer`, `add_playground_pre` / `hide_lines`); `None`
/// when the block has no hiding rule.
fn hidden_lines(
    lang: &str,
    body: &str,
    info: &str,
    html: &crate::model::config::HtmlConfig,
) -> Option<Vec<(bool, String)>> {
    let classes = fence_classes(info);
    let prefix = classes
        .iter()
        .find_map(|c| c.strip_prefix("hidelines="))
        .map(str::to_string)
        .or_else(|| html.code_hidelines.get(lang).cloned());
    if let Some(prefix) = prefix.filter(|p| !p.is_empty()) {
        return Some(
            lines_with_ends(body)
                .map(|line| {
                    if line.trim_start().starts_with(prefix.as_str()) {
                        let at = line.find(prefix.as_str()).unwrap_or(0);
                        (
                            true,
                            format!("{}{}", &line[..at], &line[at + prefix.len()..]),
                        )
                    } else {
                        (false, line.to_string())
                    }
                })
                .collect(),
        );
    }
    if lang != "rust" {
        return None;
    }
    let has = |c: &str| classes.contains(&c);
    let playground =
        (html.playground.runnable && !has("ignore") && !has("noplayground") && !has("noplaypen"))
            || has("mdbook-runnable");
    let mut source = body.to_string();
    if playground && !has("editable") && !body.contains("fn main") && !body.contains("quick_main!")
    {
        // mdBook's wrapper: the inner attributes (`#![...]`) first, then `fn main`.
        let (mut attrs, mut rest, mut after) = (String::new(), String::new(), false);
        for line in lines_with_ends(body) {
            let t = line.trim();
            if !after && (t.is_empty() || t.starts_with("#![")) {
                attrs.push_str(line);
            } else {
                after = true;
                rest.push_str(line);
            }
        }
        if !rest.is_empty() && !rest.ends_with('\n') {
            rest.push('\n');
        }
        source = format!("# #![allow(unused)]\n{attrs}# fn main() {{\n{rest}# }}");
    }
    Some(
        lines_with_ends(&source)
            .map(|line| {
                let indent = line.len() - line.trim_start().len();
                let (ws, rest) = line.split_at(indent);
                match rest.strip_prefix('#') {
                    // `##x` shows `#x`; `#!`, `#[` and `#x` are code.
                    Some(r) if r.starts_with('#') => (false, format!("{ws}{r}")),
                    Some(r) if r.starts_with(' ') => (true, format!("{ws}{}", &r[1..])),
                    Some(r) if r.trim_end_matches(['\n', '\r']).is_empty() => {
                        (true, format!("{ws}{r}"))
                    }
                    _ => (false, line.to_string()),
                }
            })
            .collect(),
    )
}

/// The lines of `s`, each with its line ending.
fn lines_with_ends(s: &str) -> impl Iterator<Item = &str> {
    s.split_inclusive('\n')
}

/// A highlighted file for a viewer page (`render::file_view`): [`code_block`]'s markup with each
/// line in a `<span class="line">` (the theme numbers them with a CSS counter, so copied text
/// has no numbers).
pub(crate) fn numbered_code_block(lang: &str, body: &str) -> String {
    let block = code_block(lang, body);
    let (Some(start), Some(end)) = (block.find("<code>"), block.rfind("</code>")) else {
        return block;
    };
    let inner = &block[start + "<code>".len()..end];
    let lines = body.lines().count().max(1);
    let wrapped = wrap_boring(inner, &vec![true; lines])
        .replace("<span class=\"boring\">", "<span class=\"line\">");
    format!(
        "{}<code class=\"numbered\">{wrapped}{}",
        &block[..start],
        &block[end..]
    )
}

/// Highlighted `html` (text, entities and `<span ...>`/`</span>` only) with each line `i`
/// where `boring[i]` wrapped in `<span class="boring">`, the highlighter's open spans closed
/// and reopened around it so the markup stays nested.
fn wrap_boring(html: &str, boring: &[bool]) -> String {
    let mut out = String::with_capacity(html.len() + boring.len() * 32);
    let mut open: Vec<&str> = Vec::new();
    let mut line = 0usize;
    let mut in_boring = false;
    let close_all = |out: &mut String, open: &[&str]| {
        for _ in open {
            out.push_str("</span>");
        }
    };
    let reopen = |out: &mut String, open: &[&str]| {
        for tag in open {
            out.push_str(tag);
        }
    };
    let start_line = |out: &mut String, open: &[&str], line: usize, in_boring: &mut bool| {
        if boring.get(line).copied().unwrap_or(false) {
            close_all(out, open);
            out.push_str("<span class=\"boring\">");
            reopen(out, open);
            *in_boring = true;
        }
    };
    start_line(&mut out, &open, line, &mut in_boring);
    let mut rest = html;
    while !rest.is_empty() {
        if rest.starts_with("</span>") {
            open.pop();
            out.push_str("</span>");
            rest = &rest[7..];
        } else if rest.starts_with("<span") {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            open.push(&rest[..end]);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else {
            let c = rest.chars().next().expect("not empty");
            out.push(c);
            rest = &rest[c.len_utf8()..];
            if c == '\n' {
                if in_boring {
                    close_all(&mut out, &open);
                    out.push_str("</span>");
                    reopen(&mut out, &open);
                    in_boring = false;
                }
                line += 1;
                if !rest.is_empty() {
                    start_line(&mut out, &open, line, &mut in_boring);
                }
            }
        }
    }
    if in_boring {
        close_all(&mut out, &open);
        out.push_str("</span>");
        reopen(&mut out, &open);
    }
    out
}

/// A highlighted code block: `<div class="code-block"><pre class="code language-LANG"
/// data-lang="LANG"><code>…</code></pre></div>`, hidden characters marked
/// ([`reveal_html`]). Also the body of a file viewer page (`render::file_view`).
pub(crate) fn code_block(lang: &str, body: &str) -> String {
    let lang_attr = if lang.is_empty() {
        String::new()
    } else {
        format!(" data-lang=\"{}\"", highlight::escape(lang))
    };
    let lang_class = if lang.is_empty() {
        String::new()
    } else {
        format!(" language-{}", highlight::escape(lang))
    };
    let mut code = highlight::highlight(body, lang);
    if hidden::may_contain(&code) {
        // The highlighter's HTML holds source text only in text nodes (never in attributes),
        // so hidden characters can be replaced by markup in place.
        code = reveal_html(&code);
    }
    format!(
        "<div class=\"code-block\"><pre class=\"code{lang_class}\"{lang_attr}><code>{code}</code></pre></div>\n"
    )
}

/// The opening of a blocked link or image: a `<span>` that keeps the text, with the removed
/// URL in its tooltip (escaped, shortened, hidden characters revealed).
fn blocked_open(dest: &str) -> String {
    format!(
        "<span class=\"blocked-url\" title=\"link removed by skillsite: {}\">",
        crate::render::templates::escape_html(&shorten(dest))
    )
}

/// At most 80 characters of `s`, with `…` when cut, control characters written as `\u{9}`.
fn shorten(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().take(80) {
        if c.is_control() {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    if s.chars().nth(80).is_some() {
        out.push('…');
    }
    out
}

/// A link or image title with hidden characters shown as plain-text markers.
fn reveal_attr(title: pulldown_cmark::CowStr<'_>) -> pulldown_cmark::CowStr<'_> {
    if hidden::may_contain(&title) {
        hidden::reveal_text(&title).into_owned().into()
    } else {
        title
    }
}

/// Pushes `text` as events, each hidden run replaced by a visible `<mark>` (see
/// [`hidden_mark`]); `escaped` text goes in as HTML (for code spans rebuilt by hand).
fn push_revealed<'a>(events: &mut Vec<Event<'a>>, text: &str, as_html: bool) {
    let mut at = 0;
    let text_event = |s: &str| -> Event<'a> {
        if as_html {
            Event::Html(highlight::escape(s).into())
        } else {
            Event::Text(s.to_string().into())
        }
    };
    for span in hidden::find(text) {
        if span.start > at {
            events.push(text_event(&text[at..span.start]));
        }
        events.push(Event::Html(hidden_mark(&span.kind).into()));
        at = span.end;
    }
    if at < text.len() || at == 0 {
        events.push(text_event(&text[at..]));
    }
}

/// The visible mark for one hidden run: `<mark class="hidden-text">hidden text: …</mark>` for
/// tag characters, `<mark class="hidden-char">U+202E</mark>` for one character (its name in
/// the tooltip), `<mark class="hidden-char">N variation selectors</mark>`.
pub fn hidden_mark(kind: &hidden::Kind) -> String {
    let esc = highlight::escape;
    match kind {
        hidden::Kind::Tags { decoded } => format!(
            "<mark class=\"hidden-text\" title=\"Invisible Unicode tag characters: a browser shows nothing, an agent reads this text\">hidden text: {}</mark>",
            esc(decoded)
        ),
        hidden::Kind::Bidi(c) | hidden::Kind::ZeroWidth(c) => format!(
            "<mark class=\"hidden-char\" title=\"U+{:04X} {}: invisible in the browser\">U+{:04X}</mark>",
            *c as u32,
            hidden::char_name(*c),
            *c as u32
        ),
        hidden::Kind::Selectors(n) => format!(
            "<mark class=\"hidden-char\" title=\"invisible variation selectors, which can encode data\">{n} variation selectors</mark>"
        ),
    }
}

/// `html` (whose hidden characters are all in text nodes) with each hidden run replaced by
/// its [`hidden_mark`].
pub fn reveal_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut at = 0;
    for span in hidden::find(html) {
        out.push_str(&html[at..span.start]);
        out.push_str(&hidden_mark(&span.kind));
        at = span.end;
    }
    out.push_str(&html[at..]);
    out
}

/// An HTML comment made visible: a labelled block (`<aside class="hidden-comment">`) for a
/// comment in an HTML block, an inline `<mark class="hidden-comment">` inside a paragraph. The
/// text is escaped, hidden characters in it revealed.
fn revealed_comment(text: &str, block: bool) -> String {
    let body = highlight::escape(text.trim());
    let body = if hidden::may_contain(&body) {
        reveal_html(&body)
    } else {
        body
    };
    if block {
        format!("<aside class=\"hidden-comment\" role=\"note\" aria-label=\"HTML comment\"><p class=\"hidden-comment-label\">HTML comment: hidden in a browser, read by agents</p><pre>{body}</pre></aside>\n")
    } else {
        format!("<mark class=\"hidden-comment\" title=\"HTML comment: hidden in a browser, read by agents\">&lt;!-- {body} --&gt;</mark>")
    }
}

/// One piece of raw HTML outside comments: kept as HTML when it starts with a known element
/// (and marks the page as holding raw HTML, so it is sanitized), shown as text otherwise.
fn raw_piece<'a>(events: &mut Vec<Event<'a>>, raw_html: &mut bool, piece: &str, block: bool) {
    if piece.trim().is_empty() {
        if block && piece.contains('\n') {
            events.push(Event::Html("\n".into()));
        }
        return;
    }
    if is_known_tag(piece) {
        *raw_html = true;
        events.push(Event::Html(piece.to_string().into()));
    } else {
        events.push(Event::Text(piece.to_string().into()));
    }
}

fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// True when an HTML fragment starts with a known HTML element (or a comment, doctype,
/// processing instruction), so it is kept as HTML; unknown tags are shown as text.
fn is_known_tag(html: &str) -> bool {
    let t = html.trim_start();
    let Some(rest) = t.strip_prefix('<') else {
        return true;
    };
    if rest.starts_with(['!', '?']) {
        return true;
    }
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    // Not a tag we can judge; custom elements (`<my-element>`) are HTML too.
    name.is_empty()
        || prompt_tags::is_html_element(&name)
        || (name.contains('-') && !name.contains('_'))
}

/// The plain text of heading events (code spans included).
fn plain_text(events: &[Event<'_>]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => s.push_str(t),
            _ => {}
        }
    }
    s.trim().to_string()
}

/// Hands out unique ids: the second `intro` becomes `intro-1`, as on GitHub.
#[derive(Default)]
struct Slugger {
    seen: HashSet<String>,
}

impl Slugger {
    fn unique(&mut self, base: &str) -> String {
        let mut candidate = base.to_string();
        let mut n = 0;
        while self.seen.contains(&candidate) {
            n += 1;
            candidate = format!("{base}-{n}");
        }
        self.seen.insert(candidate.clone());
        candidate
    }

    fn claim(&mut self, id: String) -> String {
        self.seen.insert(id.clone());
        id
    }
}

type LinkProblem = (String, String);

/// Rewrites a link destination found in a page in folder `page_dir`.
///
/// External URLs (with a scheme, or `//host`) and pure anchors are kept. A relative path to a
/// Markdown file becomes the relative URL of its built page; so does a path to the `.html`
/// file a page is built as (mdBook's usual link style, `ch04-01.html#fragment`: a page's
/// output path mirrors its source path, so the link is resolved the same way), including a
/// folder's `index.html`; a folder link goes to its section page; other relative paths must
/// name a file of the content folder. Fragments of page links are checked later
/// ([`AnchorRef`]).
fn rewrite_link(
    dest: &str,
    page_dir: &str,
    from: PageId,
    cx: &LinkContext<'_>,
    anchors: &mut Vec<AnchorRef>,
    line: usize,
) -> Result<String, LinkProblem> {
    if dest.is_empty() || is_external(dest) {
        return Ok(dest.to_string());
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    if path.is_empty() {
        if let Some(f) = fragment {
            anchors.push(AnchorRef {
                page: from,
                anchor: f.to_string(),
                line,
            });
        }
        return Ok(dest.to_string());
    }
    let decoded = crate::util::path::percent_decode_lossy(path);
    let joined = if let Some(abs) = decoded.strip_prefix('/') {
        abs.to_string()
    } else {
        join(page_dir, &decoded)
    };
    let Some(target) = normalize(&joined) else {
        return Err((
            format!("link `{dest}` points outside the content folder"),
            "links may only point at files inside the content folder".into(),
        ));
    };
    let from_url = &cx.site.pages[from].url;
    let frag = fragment.map(|f| format!("#{f}")).unwrap_or_default();
    let page_for = |t: &str| -> Option<PageId> {
        cx.by_source.get(t).copied().or_else(|| {
            let dir = t.trim_end_matches('/');
            crate::load::structure::INDEX_NAMES.iter().find_map(|n| {
                cx.by_source
                    .get(&if dir.is_empty() {
                        (*n).to_string()
                    } else {
                        format!("{dir}/{n}")
                    })
                    .copied()
            })
        })
    };
    let is_md = target.ends_with(".md") || target.ends_with(".markdown");
    let is_html = target.ends_with(".html");
    let folder_like =
        decoded.ends_with('/') || !target.rsplit('/').next().unwrap_or("").contains('.');
    let id = if is_md {
        cx.by_source.get(&target).copied()
    } else if is_html {
        cx.by_url.get(&target).copied()
    } else if folder_like {
        page_for(&target).or_else(|| {
            let dir = target.trim_end_matches('/');
            cx.by_url
                .get(&if dir.is_empty() {
                    "index.html".to_string()
                } else {
                    format!("{dir}/index.html")
                })
                .copied()
        })
    } else {
        None
    };
    if let Some(id) = id {
        let to = &cx.site.pages[id];
        if to.draft {
            return Err((
                format!("link `{dest}` points at a draft chapter"),
                "drafts are not built; link elsewhere or write the chapter".into(),
            ));
        }
        if let Some(f) = fragment {
            anchors.push(AnchorRef {
                page: id,
                anchor: f.to_string(),
                line,
            });
        }
        return Ok(format!(
            "{}{}{frag}",
            relative_root(from_url),
            href_path(&to.url)
        ));
    }
    if is_md {
        return Err((
            format!("link `{dest}` points at `{target}`, which is not a page of this site"),
            "check the path; it is resolved relative to this file".into(),
        ));
    }
    if cx.files.contains(&target)
        || cx
            .files
            .iter()
            .any(|f| f.starts_with(&format!("{target}/")))
    {
        return Ok(dest.to_string());
    }
    Err((
        format!("link `{dest}` points at `{target}`, which does not exist in the content folder"),
        "check the path; it is resolved relative to this file".into(),
    ))
}

fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match dest.find(':') {
        Some(i) => {
            dest[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && i > 0
                && !dest[..i].contains('/')
        }
        None => false,
    }
}

fn join(dir: &str, rel: &str) -> String {
    if dir.is_empty() {
        rel.to_string()
    } else {
        format!("{dir}/{rel}")
    }
}

/// Resolves `.` and `..`; `None` when it climbs above the root.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_tags() {
        assert!(is_known_tag("<details>"));
        assert!(is_known_tag("</div>"));
        assert!(is_known_tag("<!-- c -->"));
        assert!(is_known_tag("<my-element>"));
        assert!(!is_known_tag("<name>"));
        assert!(!is_known_tag("<objective>"));
    }

    #[test]
    fn externals_and_paths() {
        assert!(is_external("https://x.org"));
        assert!(is_external("mailto:a@b"));
        assert!(!is_external("a/b.md"));
        assert_eq!(normalize("a/../b/./c.md").as_deref(), Some("b/c.md"));
        assert_eq!(normalize("../x"), None);
        assert_eq!(
            crate::util::path::percent_decode_lossy("a%20b.md"),
            "a b.md"
        );
    }
}
