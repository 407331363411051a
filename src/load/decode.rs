//! Decoding source files to text, with repair of double-encoded UTF-8 ("mojibake").
//!
//! Mojibake here means UTF-8 bytes that were decoded as windows-1252 and the resulting
//! characters encoded as UTF-8 again: `┌` (`E2 94 8C`) becomes `â”Œ`, `é` (`C3 A9`) becomes
//! `Ã©`. The windows-1252 mapping is the one of the WHATWG Encoding Standard
//! (<https://encoding.spec.whatwg.org/#windows-1252>), which sends the five bytes the Microsoft
//! code page leaves undefined (`0x81`, `0x8D`, `0x8F`, `0x90`, `0x9D`) to the C1 controls
//! U+0081 and so on (browsers and `encoding_rs` do this; decoders that fall back to ISO-8859-1
//! produce C1 controls for all of `0x80..0x9F`, which are accepted too).
//!
//! # Heuristic
//!
//! Every byte of a multi-byte UTF-8 sequence is `>= 0x80`, so each mojibake'd character is a
//! run of non-ASCII characters. The text is split into maximal runs of non-ASCII characters and
//! each run is mapped back to bytes (windows-1252, any C1 control as its own byte, and the four
//! windows-1254 letters `Ğ İ Ş ğ` as the lead bytes `D0 DD DE F0` — one emoji in the seed
//! document went through the Turkish code page). The run is then classified:
//!
//! - **clean**: the bytes are valid UTF-8 (so they decode to fewer characters);
//! - **holed**: valid UTF-8 except for sequences missing their last byte(s) with at least a lead
//!   and one continuation byte present (`â€` + lost `0x9D`), or a truncated sequence followed
//!   by U+FFFD (the lost byte was replaced);
//! - **weak**: it has a lone truncated lead byte (`Ã` before ASCII: a lost `0x81`... or just
//!   legitimate text such as `SÃO`);
//! - **invalid**: some character has no windows-1252 byte (`→`, `┌`) or the bytes are not
//!   UTF-8 (`é` is `E9`, `–` is `96`): the run is certainly not mojibake.
//!
//! Legitimate text almost never produces clean runs: that needs a letter from `Â`..`ô`
//! immediately followed by the right number of characters from the windows-1252 `0x80..0xBF`
//! range. The document is repaired only when the signal is clear: at least 3 clean or holed
//! runs, and at least 4 times as many of them as weak and invalid runs together. A page that quotes `Ã©` among correct `café`, `–`,
//! `→` is therefore left alone. When repairing, invalid runs are kept verbatim, and a truncated
//! sequence becomes its most likely character from a short table (`E2 80` → `”`, `E2 94` →
//! `┐`, `EF B8` → U+FE0F...) or else U+FFFD. Each repaired run is strictly shorter and loses its
//! lead-plus-continuation pairs, so the repaired text always has fewer suspicious sequences.
//! One linear pass builds the repaired text; ASCII text returns before any allocation.

use encoding_rs::UTF_8;

/// Minimum number of clean or holed runs before a document is considered mojibake.
const MIN_EVIDENCE_RUNS: usize = 3;

/// Clean and holed runs must outnumber weak and invalid runs by this factor.
const EVIDENCE_RATIO: usize = 4;

/// Stand-in byte for U+FFFD inside a run; `0xFF` never occurs in UTF-8 and `ÿ` is not mapped.
const HOLE: u8 = 0xFF;

/// What happened while decoding a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DecodeReport {
    /// Invalid UTF-8 was replaced with U+FFFD, or the repair could not restore a lost byte.
    pub lossy: bool,
    /// The text was double-encoded UTF-8 and has been repaired.
    pub mojibake_repaired: bool,
    /// The input started with the UTF-8 byte order mark `EF BB BF`, which was removed.
    pub had_bom: bool,
}

/// Decodes raw file bytes to text: strips a UTF-8 BOM, decodes UTF-8 (lossily, replacing invalid
/// sequences with U+FFFD and setting `lossy`), then repairs double-encoded UTF-8 ("mojibake")
/// when detected (see the module documentation for the heuristic). Never panics.
pub fn decode(bytes: &[u8]) -> (String, DecodeReport) {
    let (body, had_bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    let (text, lossy) = UTF_8.decode_without_bom_handling(body);
    let mut report = DecodeReport {
        lossy,
        had_bom,
        ..DecodeReport::default()
    };
    match repair(&text) {
        Some((fixed, inserted_replacement)) => {
            report.mojibake_repaired = true;
            report.lossy |= inserted_replacement;
            (fixed, report)
        }
        None => (text.into_owned(), report),
    }
}

/// Repairs text that is UTF-8 which was decoded as Windows-1252 and encoded to UTF-8 again
/// (e.g. "â”Œâ”€" for "┌─", "â€”" for "—", "Ã©" for "é"). Returns None when the text does not
/// look like mojibake or cannot be repaired safely.
///
/// ASCII characters are never changed; runs of non-ASCII characters that are not mojibake are
/// kept as they are. Bytes lost in the first decoding (the five undefined windows-1252 bytes)
/// are restored where unambiguous in practice and become U+FFFD otherwise.
pub fn repair_mojibake(text: &str) -> Option<String> {
    repair(text).map(|(fixed, _)| fixed)
}

/// How one run of non-ASCII characters relates to mojibake, from strongest signal to none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RunKind {
    Clean,
    Holed,
    Weak,
    Invalid,
    Neutral,
}

/// The repaired text and whether a U+FFFD had to be inserted, or `None` if not mojibake.
fn repair(text: &str) -> Option<(String, bool)> {
    if text.is_ascii() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut buf = Vec::new();
    let (mut evidence, mut against, mut inserted) = (0usize, 0usize, false);
    let mut rest = text;
    while !rest.is_empty() {
        // Both splits are at ASCII bytes, hence at char boundaries.
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        out.push_str(&rest[..ascii]);
        let run_len = rest[ascii..].bytes().position(|b| b.is_ascii());
        let (run, tail) = rest[ascii..].split_at(run_len.unwrap_or(rest.len() - ascii));
        match repair_run(run, &mut buf, &mut out, &mut inserted) {
            RunKind::Clean | RunKind::Holed => evidence += 1,
            RunKind::Weak | RunKind::Invalid => against += 1,
            RunKind::Neutral => {}
        }
        rest = tail;
    }
    let clear = evidence >= MIN_EVIDENCE_RUNS && evidence >= EVIDENCE_RATIO * against;
    clear.then_some((out, inserted))
}

/// Appends the repair of one non-ASCII `run` to `out` (or the run itself if it is not
/// mojibake) and classifies it. `buf` is scratch space reused across runs.
fn repair_run(run: &str, buf: &mut Vec<u8>, out: &mut String, inserted: &mut bool) -> RunKind {
    buf.clear();
    for c in run.chars() {
        match (c, mojibake_byte(c)) {
            ('\u{FFFD}', _) => buf.push(HOLE),
            (_, Some(b)) => buf.push(b),
            (_, None) => {
                out.push_str(run);
                return RunKind::Invalid;
            }
        }
    }
    let start = out.len();
    let (mut decoded, mut holed, mut weak, mut marked) = (false, false, false, false);
    let mut pos = 0;
    while let Some(chunk) = buf[pos..].utf8_chunks().next() {
        out.push_str(chunk.valid());
        decoded |= !chunk.valid().is_empty();
        let bad = chunk.invalid();
        pos += chunk.valid().len() + bad.len();
        if bad.is_empty() {
            break;
        }
        if bad == [HOLE] {
            out.push('\u{FFFD}');
            continue;
        }
        if sequence_len(bad[0]) <= bad.len() {
            out.truncate(start);
            out.push_str(run);
            return RunKind::Invalid;
        }
        // A truncated sequence: its remaining byte(s) were lost or replaced.
        let replaced = buf.get(pos) == Some(&HOLE);
        pos += usize::from(replaced);
        if bad.len() >= 2 || replaced {
            holed = true;
        } else {
            weak = true;
        }
        match likely_completion(bad, buf.get(pos).copied()) {
            Some(c) => out.push(c),
            None => {
                out.push('\u{FFFD}');
                marked = true;
            }
        }
    }
    *inserted |= marked;
    match (weak, holed, decoded) {
        (true, _, _) => RunKind::Weak,
        (_, true, _) => RunKind::Holed,
        (_, _, true) => RunKind::Clean,
        _ => RunKind::Neutral,
    }
}

/// The byte a character of mojibake stands for: windows-1252 per WHATWG (including the C1
/// controls for undefined bytes; other C1 controls come from ISO-8859-1 decoders), plus the
/// windows-1254 letters at UTF-8 lead-byte positions. `ÿ` (`0xFF`, never in UTF-8) is unmapped.
fn mojibake_byte(c: char) -> Option<u8> {
    let byte = match c {
        '\u{80}'..='\u{FE}' => c as u8,
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        'Ğ' => 0xD0,
        'İ' => 0xDD,
        'Ş' => 0xDE,
        'ğ' => 0xF0,
        _ => return None,
    };
    Some(byte)
}

/// Length of the UTF-8 sequence starting with lead byte `b`, or 0 if `b` cannot start one.
fn sequence_len(b: u8) -> usize {
    match b {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 0,
    }
}

/// The character a 3-byte sequence that lost one of the undefined bytes most likely was, from
/// the two bytes that survived and the byte after them (`None` at the end of the run): the
/// most common candidate in technical Markdown among the ten possible ones, e.g. `E2 94` is
/// `┐` (`E2 94 90`) ending a box's top line but `━` (`E2 94 81`) when the line goes on.
fn likely_completion(prefix: &[u8], next: Option<u8>) -> Option<char> {
    let c = match (prefix, next) {
        ([0xE2, 0x80], Some(0xF0)) => '\u{200D}', // E2 80 8D, ZWJ between emoji
        ([0xE2, 0x80], _) => '”',                 // E2 80 9D
        ([0xE2, 0x94], None) => '┐',              // E2 94 90
        ([0xE2, 0x94], Some(_)) => '━',           // E2 94 81
        ([0xE2, 0x95], None) => '╝',              // E2 95 9D
        ([0xE2, 0x95], Some(_)) => '═',           // E2 95 90
        ([0xE2, 0x8C], _) => '❌',                // E2 9D 8C
        ([0xE2, 0x97], _) => '●',                 // E2 97 8F
        ([0xE2, 0xA4], _) => '❤',                 // E2 9D A4
        ([0xEF, 0xB8], _) => '\u{FE0F}',          // EF B8 8F, emoji presentation
        _ => return None,
    };
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::WINDOWS_1252;

    /// Double-encodes `s` the way a WHATWG windows-1252 decoder does.
    fn mojibake(s: &str) -> String {
        WINDOWS_1252
            .decode_without_bom_handling(s.as_bytes())
            .0
            .into_owned()
    }

    /// Real lines from `003_b29197c6121c3f30.txt` (the architecture seed) and their repair.
    const SEED_LINES: &[(&str, &str)] = &[
        (
            "# Aspora Platform â€” Production Engineering Architecture",
            "# Aspora Platform — Production Engineering Architecture",
        ),
        (
            "â”‚  â”Œâ”€â”€â”€â”€â”  â”‚  â”Œâ”€â”€â”€â”\u{90}  â”‚",
            "│  ┌────┐  │  ┌───┐  │",
        ),
        (
            "${results.passed ? 'âœ… All metrics passed!' : 'âŒ Regression detected!'}",
            "${results.passed ? '✅ All metrics passed!' : '❌ Regression detected!'}",
        ),
        (
            "â”‚  â”œâ”€ Risk Agent        â–ˆâ–ˆâ–ˆ 100% busy âš\u{A0}ï¸ SATURATED    â”‚",
            "│  ├─ Risk Agent        ███ 100% busy ⚠\u{FE0F} SATURATED    │",
        ),
        (
            "â”‚  Hallucination Rate       2.1%  â†‘ +0.4%  ğŸš¨ CRITICAL       â”‚",
            "│  Hallucination Rate       2.1%  ↑ +0.4%  🚨 CRITICAL       │",
        ),
        (
            "â”‚     â€¢ User rating â‰¥ 4/5 â†’ Positive example                     â”‚",
            "│     • User rating ≥ 4/5 → Positive example                     │",
        ),
    ];

    #[test]
    fn repairs_seed_lines() {
        let input: String = SEED_LINES.iter().map(|(m, _)| format!("{m}\n")).collect();
        let expected: String = SEED_LINES.iter().map(|(_, e)| format!("{e}\n")).collect();
        let (text, report) = decode(input.as_bytes());
        assert_eq!(text, expected);
        assert!(report.mojibake_repaired && !report.lossy && !report.had_bom);
        assert!(text.contains("┌──") && !text.contains("â”") && !text.contains("â€"));
    }

    #[test]
    fn repaired_text_is_left_alone() {
        let fixed: String = SEED_LINES.iter().map(|(_, e)| format!("{e}\n")).collect();
        assert_eq!(repair_mojibake(&fixed), None);
    }

    #[test]
    fn byte_table_matches_whatwg_windows_1252() {
        for b in 0x80..=0xFEu8 {
            let byte = [b];
            let (c, _) = WINDOWS_1252.decode_without_bom_handling(&byte);
            let c = c.chars().next().unwrap();
            assert_eq!(mojibake_byte(c), Some(b), "byte {b:#04X} decodes to {c:?}");
        }
        assert_eq!(mojibake_byte('ÿ'), None);
    }

    #[test]
    fn undefined_bytes_round_trip() {
        // Each of these has 0x81, 0x8D, 0x8F, 0x90 or 0x9D in its UTF-8 encoding.
        let words = [
            "Ángel",
            "Íñigo",
            "Ïle",
            "Ðe",
            "Ýmir",
            "Łódź",
            "ŝ",
            "Ő",
            "ō",
            "“quoted”",
            "⏰",
            "❤",
            "😍",
            "👨\u{200D}👩",
            "⚠\u{FE0F}",
        ];
        let original = words.join(" ");
        for undefined in [0x81, 0x8D, 0x8F, 0x90, 0x9D] {
            assert!(original.as_bytes().contains(&undefined));
        }
        let broken = mojibake(&original);
        assert!(broken.contains("Ã\u{81}") && broken.contains('\u{9D}'));
        assert_eq!(repair_mojibake(&broken), Some(original));
    }

    #[test]
    fn lost_undefined_bytes_are_restored_or_marked() {
        let original = "“quoted” ⚠\u{FE0F} café — naïve Ángel 👨\u{200D}👩";
        let broken = mojibake(original);
        let lost: String = broken.chars().filter(|c| !c.is_control()).collect();
        let want = "“quoted” ⚠\u{FE0F} café — naïve \u{FFFD}ngel 👨\u{200D}👩";
        assert_eq!(repair_mojibake(&lost).as_deref(), Some(want));
        let replaced: String = broken
            .chars()
            .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
            .collect();
        assert_eq!(repair_mojibake(&replaced).as_deref(), Some(want));
        let (_, report) = decode(lost.as_bytes());
        assert!(report.mojibake_repaired && report.lossy);
    }

    #[test]
    fn legit_text_is_unchanged() {
        for text in [
            "",
            "plain ASCII only\n",
            "café, naïve, coöperate – “quoted” → ┌──┐ │ └──┘ 😍 São Paulo",
            "┌──────┐\n│ box  │\n└──────┘\n",
            "Ångström, Ørsted, Æsir, señor, über, Straße, Ça va, ÀÉÎÕÜ",
        ] {
            assert_eq!(repair_mojibake(text), None, "{text}");
            assert_eq!(
                decode(text.as_bytes()),
                (text.to_owned(), DecodeReport::default())
            );
        }
    }

    #[test]
    fn text_about_mojibake_is_unchanged() {
        let text = "# Mojibake\n\nRead as windows-1252, é becomes Ã© and — becomes â€”; \
                    a café turns into a cafÃ©. Also: naïve, résumé, – and → and ┌──┐.\n\
                    | right | wrong |\n|---|---|\n| é | Ã© |\n| ü | Ã¼ |\n| ’ | â€™ |\n";
        assert_eq!(repair_mojibake(text), None);
        let (decoded, report) = decode(text.as_bytes());
        assert_eq!(decoded, text);
        assert!(!report.mojibake_repaired);
    }

    #[test]
    fn needs_several_runs_of_evidence() {
        assert_eq!(repair_mojibake("The bytes Ã© are an é."), None);
        assert_eq!(repair_mojibake("Ã© and â€”"), None);
        assert_eq!(
            repair_mojibake("Ã© and â€” and Ã¼").as_deref(),
            Some("é and — and ü")
        );
    }

    #[test]
    fn invalid_utf8_is_lossy() {
        let (text, report) = decode(b"abc\xFFdef\xE2\x94");
        assert_eq!(text, "abc\u{FFFD}def\u{FFFD}");
        assert!(report.lossy && !report.mojibake_repaired);
    }

    #[test]
    fn bom_is_stripped() {
        let (text, report) = decode(b"\xEF\xBB\xBFhello");
        assert_eq!(text, "hello");
        assert!(report.had_bom && !report.lossy);
        let (text, report) = decode("\u{FEFF}â”Œâ”€â”€ Ã© â€”".as_bytes());
        assert_eq!(text, "┌── é —");
        assert!(report.had_bom && report.mojibake_repaired);
    }

    #[test]
    fn empty_input() {
        assert_eq!(decode(b""), (String::new(), DecodeReport::default()));
        assert!(decode(b"\xEF\xBB\xBF").1.had_bom);
    }

    #[test]
    fn random_bytes_never_panic() {
        let pieces = [
            "Ã", "Ã©", "â€", "â€”", "œ", "\u{81}", "\u{9D}", "\u{FFFD}", "ğŸš¨", "┌", "é", "–", "ÿ",
        ];
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..5000 {
            let len = (next() % 96) as usize;
            let mut bytes = Vec::new();
            for _ in 0..len {
                match next() % 4 {
                    0 => bytes.push(next() as u8),
                    1 => bytes.push(b"a -\n"[(next() % 4) as usize]),
                    _ => bytes.extend_from_slice(pieces[next() as usize % pieces.len()].as_bytes()),
                }
            }
            let (text, _) = decode(&bytes);
            let lossy =
                String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes));
            let ascii = |s: &str| s.bytes().filter(u8::is_ascii).collect::<Vec<_>>();
            assert_eq!(ascii(&text), ascii(&lossy), "ASCII changed for {bytes:?}");
        }
    }
}
