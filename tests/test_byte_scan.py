"""One read of a file's bytes answers hash, encoding, NUL lines and blank lines, across block edges."""

from __future__ import annotations

import hashlib

import pytest

from metrics.errors import ImportRefused
from metrics.ingest.filechecks import CHUNK, refuse_damaged_text, scan_bytes


def test_scan_hashes_and_reads_a_large_cp1252_file_past_the_first_block(tmp_path):
    # 2 MB of ASCII lines (lines 1-200,000), then "café" in cp1252 (byte 0xe9) on line 200,001
    body = b"1;Bretagne;9\n" * 200_000 + "2;café;8\n".encode("cp1252")
    assert len(body) > 2 * CHUNK
    path = tmp_path / "big.csv"
    path.write_bytes(body)
    scan = scan_bytes(path)
    assert scan.sha256 == hashlib.sha256(body).hexdigest()
    assert (scan.encoding, scan.nul_lines, scan.inner_blank_line) == ("cp1252", (), False)


def test_scan_calls_a_file_with_bytes_cp1252_leaves_undefined_latin1(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(b"a;b\n1;\xe9\x81\n")  # 0x81 is undefined in cp1252
    assert scan_bytes(path).encoding == "latin-1"


def test_scan_finds_an_inner_blank_line_but_not_trailing_ones(tmp_path):
    inner, trailing = tmp_path / "inner.csv", tmp_path / "trailing.csv"
    inner.write_bytes(b"a;b\n1;2\n\n3;4\n")
    trailing.write_bytes(b"a;b\n1;2\n3;4\n\n\n")
    assert (scan_bytes(inner).inner_blank_line, scan_bytes(trailing).inner_blank_line) == (True, False)


def test_mixed_encodings_are_named_by_line_across_a_block_edge(tmp_path):
    # lines 1-150,000 ASCII (1.35 MB, past the first 1 MB block), line 150,001 UTF-8, 150,002 cp1252
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"1;x;9;ok\n" * 150_000 + "2;é;8\n".encode() + "3;é;7\n".encode("cp1252"))
    scan = scan_bytes(path)
    with pytest.raises(ImportRefused, match=r"line 150001 in UTF-8, line 150002 in Windows-1252"):
        refuse_damaged_text(path, scan, "mixed.csv")


@pytest.mark.parametrize(
    ("body", "inner"),
    [
        (b"a;b\n 1;2\n\t3;4\n", False),  # lines that start with a space or a tab are not blank
        (b"a;b\r\n1;2\r\n\r\n3;4\r\n", True),  # a blank CRLF line
        (b"a;b\n1;2\n \t \n3;4\n", True),  # spaces and a tab only
        (b"a;b\n 1;2\n  \r\n3;4\n", True),  # a space-led line, then a blank one
        (b"a;b\r\n1;2\r\n\r\n", False),  # trailing only
    ],
)
def test_scan_tells_a_blank_line_from_a_line_that_starts_with_a_space(tmp_path, body, inner):
    path = tmp_path / "f.csv"
    path.write_bytes(body)
    assert scan_bytes(path).inner_blank_line is inner


def test_a_blank_line_after_many_space_led_lines_is_found_past_a_block_edge(tmp_path):
    # 1.3 MB of lines starting with a space (each one a candidate the full pattern then rejects),
    # then lines 100,002-100,003: a blank line and a record
    body = b"x;y\n" + b" 1;Bretagne;9\n" * 100_000 + b"\n2;Corse;8\n"
    assert len(body) > CHUNK
    path = tmp_path / "spaces.csv"
    path.write_bytes(body)
    assert scan_bytes(path).inner_blank_line is True


def test_nul_lines_are_numbered_across_blocks_and_at_most_six_are_kept(tmp_path):
    # line 150,001 (past the first 1 MB block) and then lines 150,003-150,008 each hold a NUL
    body = b"1;x;9;ok\n" * 150_000 + b"2;\x00;8\n3;ok;7\n" + b"4;\x00\x00;6\n" * 6
    path = tmp_path / "nul.csv"
    path.write_bytes(body)
    scan = scan_bytes(path)
    assert scan.nul_lines == (150_001, 150_003, 150_004, 150_005, 150_006, 150_007)
    with pytest.raises(ImportRefused, match=r"lines? 150001, 150003, 150004, 150005, 150006, …"):
        refuse_damaged_text(path, scan, "nul.csv")
