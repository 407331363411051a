//! Reproducible gzip (RFC 1952): the header carries no file name, modification time 0 and
//! operating system 255 ("unknown"), so the same bytes compress to the same bytes on every
//! machine and build. Used by the skill archives (`render::agent_files::tar_gz`, whose digests
//! the discovery index publishes) and the compressed search-index files
//! (`index::export`).

use std::io::Write;

/// A gzip encoder writing into `out` at deflate `level` (0–9), with the reproducible header
/// described above. Finish it with `finish()` to get `out` back.
pub fn encoder<W: Write>(out: W, level: u32) -> flate2::write::GzEncoder<W> {
    flate2::GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(out, flate2::Compression::new(level))
}

/// `bytes` compressed at deflate `level` (0–9) with [`encoder`].
pub fn compress(bytes: &[u8], level: u32) -> Vec<u8> {
    let mut enc = encoder(Vec::with_capacity(bytes.len() / 3 + 64), level);
    // Writing into memory does not fail.
    let _ = enc.write_all(bytes);
    enc.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_is_the_same_everywhere_and_the_data_round_trips() {
        let gz = compress(b"hello hello hello", 3);
        // Magic, deflate, no flags, mtime 0, XFL, OS 255.
        assert_eq!(&gz[..4], &[0x1f, 0x8b, 8, 0]);
        assert_eq!(&gz[4..8], &[0, 0, 0, 0]);
        assert_eq!(gz[9], 255);
        assert_eq!(gz, compress(b"hello hello hello", 3));
        let mut out = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut out)
            .unwrap();
        assert_eq!(out, "hello hello hello");
    }
}
