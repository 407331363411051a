//! A reader for the YAML that strictyaml 1.7 accepts, as the Agent Skills reference validator
//! (`skills-ref` 0.1.1) reads front matter with it: block mappings, block sequences, plain,
//! single- and double-quoted scalars, literal (`|`) and folded (`>`) block scalars, comments.
//! Every scalar is a string (`1`, `yes`, `null`, `~` included). Refused as strictyaml refuses
//! them: flow collections (`[`, `{`), anchors, aliases, tags, duplicate keys, tabs outside
//! quoted and block scalars, `: ` inside a plain scalar, sibling mapping values at different
//! indentations, and what plain YAML refuses (a key without `:`, bad indentation, an
//! unterminated quote, an unknown escape).
//!
//! Only for [`super::skills_ref`]; the site's own front matter goes through the lenient
//! reader in `load::front_matter`. Known differences from strictyaml: complex keys (`? key`)
//! and compact nested sequences (`- - x`) are refused; `\x85`, `\u2028` and `\u2029` are not
//! line breaks; the error messages are ours (strictyaml's name ruamel's internals).

/// A YAML node as strictyaml's `Any` schema gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Yaml {
    /// A scalar (every scalar is a string).
    Str(String),
    /// A block sequence.
    Seq(Vec<Yaml>),
    /// A block mapping in document order: key, 1-based line of the key, value.
    Map(Vec<(String, usize, Yaml)>),
}

/// Why the text is not YAML strictyaml accepts, with the 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line in the text given to [`parse`].
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (line {})", self.message, self.line)
    }
}

/// Parses `text` (line breaks already `\n`). A document that is a single scalar (or empty,
/// or only comments) is `Yaml::Str` of the whole text, as strictyaml returns it.
pub fn parse(text: &str) -> Result<Yaml, YamlError> {
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    if text.ends_with('\n') {
        lines.pop(); // what follows the last line break is not a line
    }
    // `...` ends the document; only comments may follow it.
    if let Some(end) = lines
        .iter()
        .position(|l| l == "..." || l.starts_with("... ") || l.starts_with("...\t"))
    {
        if let Some(extra) = lines[end + 1..].iter().position(|l| {
            let t = l.trim_start_matches(' ');
            !(t.is_empty() || t.starts_with('#'))
        }) {
            return Err(YamlError {
                line: end + 2 + extra,
                message: "expected a single document in the stream".into(),
            });
        }
        lines.truncate(end);
    }
    let mut p = Parser { lines, pos: 0 };
    p.skip_blank();
    if p.pos >= p.lines.len() {
        return Ok(Yaml::Str(text.to_string()));
    }
    let (indent, content) = p.line(p.pos)?;
    let node = if is_dash(&content) {
        Yaml::Seq(p.seq(indent)?)
    } else if key_of(&content, p.pos + 1)?.is_some() {
        Yaml::Map(p.map(indent)?)
    } else {
        // A scalar document: strictyaml hands back the text itself (and the validator then
        // says it is not a mapping), so its lines need no closer reading.
        return Ok(Yaml::Str(text.to_string()));
    };
    p.skip_blank();
    if p.pos < p.lines.len() {
        return Err(p.err(
            p.pos,
            "expected a single document in the stream (a line is indented less than the first one)",
        ));
    }
    Ok(node)
}

struct Parser {
    lines: Vec<String>,
    pos: usize,
}

fn is_dash(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// Characters that cannot start a plain scalar (YAML 1.2 §7.3.3 indicators).
fn indicator_error(c: char, next: Option<char>) -> Option<&'static str> {
    let spaced = next.is_none_or(|n| n == ' ');
    Some(match c {
        '[' | '{' => "flow collections (`[...]`, `{...}`) are not allowed; quote the text",
        '&' => "anchors are not allowed; quote the text",
        '*' => "aliases are not allowed; quote the text",
        '!' => "tags are not allowed (do not give types in markup)",
        '%' | '@' | '`' => "this character cannot start a value; quote the text",
        ']' | '}' | ',' => "this character cannot start a value; quote the text",
        '|' | '>' => return None,
        '-' if spaced => "sequence entries are not allowed here",
        '?' if spaced => "complex keys (`? `) are not supported",
        ':' if spaced => "mapping values are not allowed here",
        '\t' => "tabs are not allowed here",
        _ => return None,
    })
}

/// When `content` (a line without its indentation) is `key: ...`, the key and the rest after
/// the `:`; `None` when it has no key.
fn key_of(content: &str, line: usize) -> Result<Option<(String, String)>, YamlError> {
    let err = |m: &str| YamlError {
        line,
        message: m.to_string(),
    };
    let first = content.chars().next();
    if let Some(q @ ('"' | '\'')) = first {
        let Some((key, after)) = quoted_one_line(content, q, line)? else {
            return Ok(None);
        };
        let after = after.trim_start_matches(' ');
        return Ok(after.strip_prefix(':').and_then(|rest| {
            (rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t'))
                .then(|| (key, rest.to_string()))
        }));
    }
    let mut chars = content.char_indices().peekable();
    let mut prev = ' ';
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        if c == '#' && prev == ' ' {
            return Ok(None);
        }
        if c == ':' && next.is_none_or(|n| n == ' ' || n == '\t') {
            let key = content[..i].trim_end_matches(' ');
            if key.contains('\t') {
                return Err(err("tabs are not allowed here"));
            }
            if let Some(c0) = key.chars().next() {
                if let Some(m) = indicator_error(c0, key[c0.len_utf8()..].chars().next()) {
                    return Err(err(m));
                }
            }
            return Ok(Some((key.to_string(), content[i + 1..].to_string())));
        }
        prev = c;
    }
    Ok(None)
}

/// A quoted scalar that closes on this line: its value and the text after the closing quote;
/// `None` when it does not close here.
fn quoted_one_line(s: &str, q: char, line: usize) -> Result<Option<(String, String)>, YamlError> {
    let mut out = String::new();
    let mut it = s[1..].char_indices();
    while let Some((i, c)) = it.next() {
        if c == q {
            if q == '\'' && s[1 + i + 1..].starts_with('\'') {
                out.push('\'');
                it.next();
                continue;
            }
            return Ok(Some((out, s[1 + i + 1..].to_string())));
        }
        if c == '\\' && q == '"' {
            let rest: String = s[1 + i + 1..].to_string();
            let (ch, used) = escape(&rest).ok_or(YamlError {
                line,
                message: "unknown escape sequence in a double-quoted scalar".into(),
            })?;
            out.push_str(&ch);
            for _ in 0..used {
                it.next();
            }
            continue;
        }
        out.push(c);
    }
    Ok(None)
}

/// The escape after a `\` in a double-quoted scalar: its text and the characters it used.
fn escape(rest: &str) -> Option<(String, usize)> {
    let c = rest.chars().next()?;
    let simple = match c {
        '0' => Some('\0'),
        'a' => Some('\x07'),
        'b' => Some('\x08'),
        't' | '\t' => Some('\t'),
        'n' => Some('\n'),
        'v' => Some('\x0b'),
        'f' => Some('\x0c'),
        'r' => Some('\r'),
        'e' => Some('\x1b'),
        ' ' => Some(' '),
        '"' => Some('"'),
        '/' => Some('/'),
        '\\' => Some('\\'),
        'N' => Some('\u{85}'),
        '_' => Some('\u{a0}'),
        'L' => Some('\u{2028}'),
        'P' => Some('\u{2029}'),
        _ => None,
    };
    if let Some(s) = simple {
        return Some((s.to_string(), 1));
    }
    let n = match c {
        'x' => 2,
        'u' => 4,
        'U' => 8,
        _ => return None,
    };
    let hex: String = rest.chars().skip(1).take(n).collect();
    if hex.len() != n || !hex.chars().all(|h| h.is_ascii_hexdigit()) {
        return None;
    }
    let ch = char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?;
    Some((ch.to_string(), 1 + n))
}

impl Parser {
    fn err(&self, idx: usize, message: &str) -> YamlError {
        YamlError {
            line: idx + 1,
            message: message.to_string(),
        }
    }

    /// Indentation and content of line `idx`; a tab in the indentation is an error.
    fn line(&self, idx: usize) -> Result<(usize, String), YamlError> {
        let l = &self.lines[idx];
        let indent = l.len() - l.trim_start_matches(' ').len();
        let content = &l[indent..];
        if content.starts_with('\t') {
            return Err(self.err(idx, "tabs are not allowed as indentation"));
        }
        Ok((indent, content.to_string()))
    }

    fn is_blank(&self, idx: usize) -> bool {
        let t = self.lines[idx].trim_start_matches(' ');
        t.is_empty() || t.starts_with('#')
    }

    /// Skips empty and comment-only lines.
    fn skip_blank(&mut self) {
        while self.pos < self.lines.len() && self.is_blank(self.pos) {
            self.pos += 1;
        }
    }

    /// A block mapping whose keys are at column `indent`, from the current line.
    fn map(&mut self, indent: usize) -> Result<Vec<(String, usize, Yaml)>, YamlError> {
        let mut out: Vec<(String, usize, Yaml)> = Vec::new();
        let mut map_column: Option<usize> = None;
        loop {
            self.skip_blank();
            if self.pos >= self.lines.len() {
                break;
            }
            let (n, content) = self.line(self.pos)?;
            if n < indent {
                break;
            }
            if n > indent {
                return Err(self.err(self.pos, "bad indentation of a mapping entry"));
            }
            if is_dash(&content) {
                return Err(self.err(
                    self.pos,
                    "expected a mapping key, found a sequence entry `-`",
                ));
            }
            let line = self.pos + 1;
            let Some((key, rest)) = key_of(&content, line)? else {
                return Err(self.err(self.pos, "could not find expected ':'"));
            };
            if out.iter().any(|(k, _, _)| *k == key) {
                return Err(self.err(self.pos, &format!("duplicate key '{key}'")));
            }
            self.pos += 1;
            let value = self.value_after_key(&rest, indent, line)?;
            if let Yaml::Map(_) = &value.0 {
                let col = value.1;
                if *map_column.get_or_insert(col) != col {
                    return Err(YamlError {
                        line: line + 1,
                        message: "mapping with indentation inconsistent with the previous mapping"
                            .into(),
                    });
                }
            }
            out.push((key, line, value.0));
        }
        Ok(out)
    }

    /// The value after `key:` (`rest` is the text after the colon) of a mapping at column
    /// `indent`, and the column of its first line (for a nested mapping).
    fn value_after_key(
        &mut self,
        rest: &str,
        indent: usize,
        line: usize,
    ) -> Result<(Yaml, usize), YamlError> {
        let rest = self.leading_space(rest, line)?;
        if !rest.is_empty() && !rest.starts_with('#') {
            return Ok((self.value_at(&rest, indent)?, 0));
        }
        // The value is on the next lines: a nested mapping or sequence, a scalar, or nothing.
        let save = self.pos;
        self.skip_blank();
        if self.pos >= self.lines.len() {
            self.pos = save;
            return Ok((Yaml::Str(String::new()), 0));
        }
        let (n, content) = self.line(self.pos)?;
        if n > indent || (n == indent && is_dash(&content)) {
            if is_dash(&content) {
                return Ok((Yaml::Seq(self.seq(n)?), n));
            }
            if key_of(&content, self.pos + 1)?.is_some() {
                return Ok((Yaml::Map(self.map(n)?), n));
            }
            self.pos += 1;
            return Ok((self.value_at(&content, indent)?, n));
        }
        self.pos = save;
        Ok((Yaml::Str(String::new()), 0))
    }

    /// Strips the spaces after a `:` or `-`; a tab there is an error (ruamel refuses it).
    fn leading_space(&self, rest: &str, line: usize) -> Result<String, YamlError> {
        let t = rest.trim_start_matches(' ');
        if t.starts_with('\t') {
            return Err(YamlError {
                line,
                message: "tabs are not allowed here".into(),
            });
        }
        Ok(t.to_string())
    }

    /// A block sequence whose `-` are at column `indent`.
    fn seq(&mut self, indent: usize) -> Result<Vec<Yaml>, YamlError> {
        let mut out = Vec::new();
        loop {
            self.skip_blank();
            if self.pos >= self.lines.len() {
                break;
            }
            let (n, content) = self.line(self.pos)?;
            if n < indent || (n == indent && !is_dash(&content)) {
                break;
            }
            if n > indent {
                return Err(self.err(self.pos, "bad indentation of a sequence entry"));
            }
            let line = self.pos + 1;
            let after = &content[1..];
            let rest = self.leading_space(after, line)?;
            if rest.is_empty() || rest.starts_with('#') {
                self.pos += 1;
                let (value, _) = self.value_after_key("", indent, line)?;
                out.push(value);
                continue;
            }
            if is_dash(&rest) {
                return Err(self.err(
                    self.pos,
                    "nested sequences on one line (`- - x`) are not supported",
                ));
            }
            let column = indent + 1 + (after.len() - rest.len());
            if key_of(&rest, line)?.is_some() {
                // A compact mapping: read it as if the `- ` were spaces.
                self.lines[self.pos] = format!("{}{rest}", " ".repeat(column));
                out.push(Yaml::Map(self.map(column)?));
                continue;
            }
            self.pos += 1;
            out.push(self.value_at(&rest, indent)?);
        }
        Ok(out)
    }

    /// A scalar that starts with `first` (on the line before `self.pos`), in a node whose
    /// parent is at column `parent`: continuation lines are indented more than `parent`.
    fn value_at(&mut self, first: &str, parent: usize) -> Result<Yaml, YamlError> {
        let line = self.pos; // 1-based line of `first`
        let mut chars = first.chars();
        let c0 = chars.next().unwrap_or(' ');
        let c1 = chars.next();
        match c0 {
            '"' | '\'' => return self.quoted(first, c0, line),
            '|' | '>' => return self.block_scalar(first, c0 == '>', parent, line),
            _ => {}
        }
        if let Some(m) = indicator_error(c0, c1) {
            return Err(YamlError {
                line,
                message: m.to_string(),
            });
        }
        let (mut text, mut ended) = plain_line(first, line)?;
        let mut blanks = 0;
        while !ended && self.pos < self.lines.len() {
            let l = &self.lines[self.pos];
            let trimmed = l.trim_start_matches(' ');
            let n = l.len() - trimmed.len();
            if trimmed.is_empty() {
                blanks += 1;
                self.pos += 1;
                continue;
            }
            if n <= parent || trimmed.starts_with('#') {
                break;
            }
            if trimmed.starts_with('\t') {
                return Err(self.err(self.pos, "tabs are not allowed as indentation"));
            }
            let (more, e) = plain_line(trimmed, self.pos + 1)?;
            if blanks > 0 {
                text.push_str(&"\n".repeat(blanks));
            } else {
                text.push(' ');
            }
            blanks = 0;
            text.push_str(&more);
            ended = e;
            self.pos += 1;
        }
        // Trailing empty lines are not part of the scalar.
        self.pos -= blanks;
        Ok(Yaml::Str(text))
    }

    /// A quoted scalar starting at `first`, possibly over several lines.
    fn quoted(&mut self, first: &str, q: char, line: usize) -> Result<Yaml, YamlError> {
        // Collect the text up to the closing quote across lines, folding line breaks. Escapes
        // do not span lines, so a new line is read again with the rest only when it holds a
        // closing quote: linear in the length of the scalar.
        let mut buf = first.to_string();
        let mut closes = true;
        loop {
            if !closes {
                // Not closed on this line: read the next one.
            } else if let Some((value, after)) = quoted_multi(&buf, q, line)? {
                let after = after.trim_start_matches(' ');
                if !(after.is_empty() || after.starts_with('#')) {
                    return Err(YamlError {
                        line: self.pos,
                        message: "unexpected text after a quoted scalar".into(),
                    });
                }
                return Ok(Yaml::Str(value));
            }
            if self.pos >= self.lines.len() {
                return Err(YamlError {
                    line,
                    message: "found unexpected end of stream while scanning a quoted scalar".into(),
                });
            }
            buf.push('\n');
            buf.push_str(&self.lines[self.pos]);
            closes = line_closes(&self.lines[self.pos], q);
            self.pos += 1;
        }
    }

    /// A literal (`|`) or folded (`>`) block scalar whose header is `header`.
    fn block_scalar(
        &mut self,
        header: &str,
        folded: bool,
        parent: usize,
        line: usize,
    ) -> Result<Yaml, YamlError> {
        let mut chomp = ' ';
        let mut explicit: Option<usize> = None;
        let mut rest = header[1..].chars().peekable();
        while let Some(&c) = rest.peek() {
            match c {
                '+' | '-' if chomp == ' ' => chomp = c,
                '1'..='9' if explicit.is_none() => explicit = c.to_digit(10).map(|d| d as usize),
                _ => break,
            }
            rest.next();
        }
        let tail: String = rest.collect();
        let tail_trim = tail.trim_start_matches(' ');
        if !(tail_trim.is_empty() || (tail_trim.starts_with('#') && tail.starts_with(' '))) {
            return Err(YamlError {
                line,
                message: "expected a comment or a line break after a block scalar indicator".into(),
            });
        }
        // Content indentation: given, or that of the first non-empty line.
        let mut indent = explicit.map(|d| parent + d);
        if indent.is_none() {
            let mut i = self.pos;
            while i < self.lines.len() && self.lines[i].trim_start_matches(' ').is_empty() {
                i += 1;
            }
            if i < self.lines.len() {
                let l = &self.lines[i];
                let n = l.len() - l.trim_start_matches(' ').len();
                if n > parent {
                    indent = Some(n);
                }
            }
        }
        let mut lines: Vec<String> = Vec::new();
        if let Some(ind) = indent {
            while self.pos < self.lines.len() {
                let l = &self.lines[self.pos];
                let trimmed = l.trim_start_matches(' ');
                let n = l.len() - trimmed.len();
                if trimmed.is_empty() {
                    lines.push(String::new());
                } else if n >= ind {
                    lines.push(l[ind..].to_string());
                } else {
                    break;
                }
                self.pos += 1;
            }
        }
        // Trailing empty lines belong to chomping.
        let content_end = lines
            .iter()
            .rposition(|l| !l.is_empty())
            .map_or(0, |i| i + 1);
        let trailing = lines.len() - content_end;
        // Give back trailing empty lines past the document (they are not content).
        let body = &lines[..content_end];
        let mut text = String::new();
        if folded {
            let mut prev: Option<&str> = None;
            let mut empties = 0;
            for l in body {
                if l.is_empty() {
                    empties += 1;
                    continue;
                }
                if let Some(p) = prev {
                    let more = |s: &str| s.starts_with(' ') || s.starts_with('\t');
                    if more(p) || more(l) {
                        text.push('\n');
                        text.push_str(&"\n".repeat(empties));
                    } else if empties > 0 {
                        text.push_str(&"\n".repeat(empties));
                    } else {
                        text.push(' ');
                    }
                } else {
                    text.push_str(&"\n".repeat(empties));
                }
                empties = 0;
                text.push_str(l);
                prev = Some(l);
            }
        } else {
            text = body.join("\n");
        }
        if content_end > 0 {
            match chomp {
                '-' => {}
                '+' => text.push_str(&"\n".repeat(1 + trailing)),
                _ => text.push('\n'),
            }
        } else if chomp == '+' {
            text.push_str(&"\n".repeat(trailing));
        }
        Ok(Yaml::Str(text))
    }
}

/// Whether a continuation line of a quoted scalar holds its closing quote: a `'` not doubled,
/// or a `"` not escaped by `\\`.
fn line_closes(line: &str, q: char) -> bool {
    let mut it = line.chars().peekable();
    while let Some(c) = it.next() {
        if q == '\'' && c == '\'' {
            if it.peek() == Some(&'\'') {
                it.next();
                continue;
            }
            return true;
        }
        if q == '"' {
            if c == '\\' {
                it.next();
            } else if c == '"' {
                return true;
            }
        }
    }
    false
}

/// One line of a plain scalar: its text (trimmed) and whether a comment ended it.
fn plain_line(s: &str, line: usize) -> Result<(String, bool), YamlError> {
    let err = |m: &str| YamlError {
        line,
        message: m.to_string(),
    };
    let mut end = s.len();
    let mut comment = false;
    let mut prev = 'x';
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let next = it.peek().map(|&(_, n)| n);
        match c {
            '#' if prev == ' ' => {
                end = i;
                comment = true;
                break;
            }
            ':' if next.is_none_or(|n| n == ' ') => {
                return Err(err("mapping values are not allowed here"))
            }
            '\t' => return Err(err("tabs are not allowed here")),
            _ => {}
        }
        prev = c;
    }
    Ok((s[..end].trim_end_matches(' ').to_string(), comment))
}

/// A quoted scalar over the lines in `buf` (joined by `\n`): its value (line breaks folded as
/// YAML does) and the text after the closing quote, or `None` when it is not closed yet.
fn quoted_multi(buf: &str, q: char, line: usize) -> Result<Option<(String, String)>, YamlError> {
    let mut out = String::new();
    let body = &buf[1..];
    let mut i = 0;
    let bytes: Vec<(usize, char)> = body.char_indices().collect();
    while i < bytes.len() {
        let (at, c) = bytes[i];
        if c == q {
            if q == '\'' && bytes.get(i + 1).is_some_and(|&(_, n)| n == '\'') {
                out.push('\'');
                i += 2;
                continue;
            }
            return Ok(Some((out, body[at + 1..].to_string())));
        }
        if c == '\\' && q == '"' {
            if i + 1 == bytes.len() {
                return Ok(None); // an escaped line break: the next line follows
            }
            if bytes.get(i + 1).is_some_and(|&(_, n)| n == '\n') {
                // An escaped line break: joined without a space, leading blanks dropped.
                i += 2;
                while bytes.get(i).is_some_and(|&(_, n)| n == ' ' || n == '\t') {
                    i += 1;
                }
                continue;
            }
            let rest = &body[at + 1..];
            let (s, used) = escape(rest).ok_or(YamlError {
                line,
                message: "unknown escape sequence in a double-quoted scalar".into(),
            })?;
            out.push_str(&s);
            i += 1 + used;
            continue;
        }
        if c == '\n' {
            // Fold: trailing blanks before the break and leading blanks after it go; one
            // break is a space, each further (empty) line a `\n`.
            while out.ends_with(' ') || out.ends_with('\t') {
                out.pop();
            }
            let mut breaks = 0;
            while i < bytes.len() && bytes[i].1 == '\n' {
                breaks += 1;
                i += 1;
                while bytes.get(i).is_some_and(|&(_, n)| n == ' ' || n == '\t') {
                    i += 1;
                }
            }
            if breaks == 1 {
                out.push(' ');
            } else {
                out.push_str(&"\n".repeat(breaks - 1));
            }
            continue;
        }
        out.push(c);
        i += 1;
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(text: &str) -> Vec<(String, String)> {
        match parse(text).unwrap() {
            Yaml::Map(m) => m
                .into_iter()
                .map(|(k, _, v)| match v {
                    Yaml::Str(s) => (k, s),
                    other => (k, format!("{other:?}")),
                })
                .collect(),
            other => panic!("not a map: {other:?}"),
        }
    }

    fn one(text: &str) -> String {
        map(text).remove(0).1
    }

    fn fails(text: &str) -> bool {
        parse(text).is_err()
    }

    // The expected values below were read from strictyaml 1.7.3 (`strictyaml.load(t).data`).
    #[test]
    fn scalars_are_strings_as_strictyaml_reads_them() {
        assert_eq!(one("a:\n"), "");
        assert_eq!(one("a:   x  \n"), "x");
        assert_eq!(one("a: 'x '\n"), "x ");
        assert_eq!(one("a: x #c\n"), "x");
        assert_eq!(one("a: x#c\n"), "x#c");
        assert_eq!(one("a: 1\n"), "1");
        assert_eq!(one("a: ~\n"), "~");
        assert_eq!(one("a: This is\n  long\n"), "This is long");
        assert_eq!(one("a: This\n\n  is\n"), "This\nis");
        assert_eq!(one("a: x\n  - y\n"), "x - y");
        assert_eq!(one("a:\n  b\n  c\n"), "b c");
        assert_eq!(one("a: 'it''s'\n"), "it's");
        assert_eq!(one("a: \"q\\\"\\n\\u00e9\"\n"), "q\"\né");
        assert_eq!(one("a: \"\\x41\\t\"\n"), "A\t");
        assert_eq!(one("a: \"multi\n  line\"\n"), "multi line");
        assert_eq!(one("a: 'multi\n\n  line'\n"), "multi\nline");
        assert_eq!(one("a: \"x\\\n  y\"\n"), "xy");
        assert_eq!(one("a: \"\n  x\n  \"\n"), " x ");
        assert_eq!(one("a: -x\n"), "-x");
        assert_eq!(one("a: x:y\n"), "x:y");
        assert_eq!(one("a: x]y\n"), "x]y");
        assert_eq!(one("a: ---\n"), "---");
        assert_eq!(one("'a b': x\n"), "x");
        assert_eq!(map("a : x\n")[0].0, "a");
        assert_eq!(one("a: \"tab\there\"\n"), "tab\there");
        assert_eq!(one("a: x # c\tz\n"), "x");
    }

    #[test]
    fn block_scalars_fold_and_chomp() {
        assert_eq!(one("a: |\n  l1\n  l2\n"), "l1\nl2\n");
        assert_eq!(one("a: >\n  l1\n  l2\n\n  l3\n"), "l1 l2\nl3\n");
        assert_eq!(one("a: |-\n  x\n"), "x");
        assert_eq!(one("a: >-\n  x\n   y\n  z\n"), "x\n y\nz");
        assert_eq!(one("a: |2\n   x\n"), " x\n");
        assert_eq!(one("a: >\n\n  x\n"), "\nx\n");
        assert_eq!(one("a: |\n x\n  y\n"), "x\n y\n");
        assert_eq!(one("a: |+\n  x\n\n"), "x\n\n");
        assert_eq!(one("a: >\n  x\n\n\n  y\n"), "x\n\ny\n");
        assert_eq!(one("a: >\n  x\n    y\n  z\n"), "x\n  y\nz\n");
        assert_eq!(one("a: | # c\n  x\n"), "x\n");
        assert_eq!(one("a: |\n  x\ty\n"), "x\ty\n");
        let m = map("a: x\nb: |\n  l\n\n\nc: y\n");
        assert_eq!(m[1].1, "l\n");
        assert_eq!(m[2], ("c".to_string(), "y".to_string()));
    }

    #[test]
    fn nesting() {
        assert_eq!(
            parse("a:\n  - x\n  - y\n").unwrap(),
            Yaml::Map(vec![(
                "a".into(),
                1,
                Yaml::Seq(vec![Yaml::Str("x".into()), Yaml::Str("y".into())])
            )])
        );
        assert!(matches!(&parse("a:\n- x\nb: y\n").unwrap(), Yaml::Map(m) if m.len() == 2));
        let Yaml::Map(m) = parse("a:\n  - b: c\n    d: e\n").unwrap() else {
            panic!()
        };
        assert!(matches!(&m[0].2, Yaml::Seq(s) if matches!(&s[0], Yaml::Map(x) if x.len() == 2)));
        assert_eq!(
            parse("a:\n  -\n    b\n").unwrap(),
            Yaml::Map(vec![(
                "a".into(),
                1,
                Yaml::Seq(vec![Yaml::Str("b".into())])
            )])
        );
        let Yaml::Map(m) = parse("a:\n  b: c\n  d:\n      e: f\n").unwrap() else {
            panic!()
        };
        assert!(matches!(&m[0].2, Yaml::Map(x) if x.len() == 2));
        assert_eq!(map(" a: x\n b: y\n").len(), 2);
        assert_eq!(map("a: x\n#c\nb: y\n").len(), 2);
        assert_eq!(map("a: x\n  # c\n").len(), 1);
        assert_eq!(map("metadata:\n  k: v\nname: n\n")[1].1, "n");
        assert_eq!(map("a: x\n...\n# c\n").len(), 1);
        assert!(fails("a: x\n...\nb: y\n"));
    }

    #[test]
    fn a_long_unterminated_quote_is_read_in_linear_time() {
        let text = format!("a: 'x\n{}", "  it''s \\\" more\n".repeat(50_000));
        let t = std::time::Instant::now();
        assert!(fails(&text));
        assert!(
            t.elapsed() < std::time::Duration::from_secs(5),
            "{:?}",
            t.elapsed()
        );
        let text = format!("a: \"x\n{}  end\"\n", "  \\\" more\n".repeat(50_000));
        assert!(parse(&text).is_ok());
    }

    #[test]
    fn documents_that_are_not_mappings() {
        for t in ["", "\n", " \n", "# c\n", "a\n", "a:b\n", "a:\u{a0}x\n"] {
            assert_eq!(parse(t).unwrap(), Yaml::Str(t.to_string()), "{t:?}");
        }
        assert!(matches!(parse("- a\n").unwrap(), Yaml::Seq(_)));
    }

    #[test]
    fn what_strictyaml_refuses() {
        for t in [
            "a: b: c\n",
            "a: - x\n",
            "a: [x]\n",
            "a: {x: 1}\n",
            "a: &x y\n",
            "a: *x\n",
            "a: !!str y\n",
            "a: !x\n",
            "a: x\na: y\n",
            "metadata:\n  k: v\n  k: w\n",
            "a:\tx\n",
            "\ta: x\n",
            "a:\n\tb: c\n",
            "a: x\tb\n",
            "a: x\t\n",
            "a: x\t#c\n",
            "a: This is\nlong\n",
            "a: %x\n",
            "a: @x\n",
            "a: `x\n",
            "a:\n  b: c\nd:\n    e: f\n",
            "a: x\n  y: z\n",
            "a: 'x'y\n",
            "a: 'unterminated\n",
            "a: |\nx\n",
            "a: x\n- y\n",
            "a: \"\\q\"\n",
            "a:\n  b: c\n e: f\n",
            "a: |\n  x\n y\n",
            "a : b : c\n",
            "  a: x\nb: y\n",
            "a: x\n\tb: y\n",
            "a: 1: 2\n",
            "a: ,x\n",
            "a: ]\n",
            "a: |x\n  x\n",
            "a:\n  - x\n - y\n",
            "a: x #c\n  y\n",
        ] {
            assert!(fails(t), "accepted {t:?}: {:?}", parse(t));
        }
    }
}
