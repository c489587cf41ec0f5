"""MARC-8 to Unicode that refuses bad input instead of guessing."""

import unicodedata

from pymarc import marc8_mapping


class Marc8Error(ValueError):
    """The bytes are not valid MARC-8."""


_MARC8_G0 = {b"(", b",", b"$"}
_MARC8_G1 = {b")", b"-", b"$"}


def marc8_to_unicode_strict(data: bytes) -> str:
    """MARC-8 to Unicode (NFC), raising :class:`Marc8Error` where pymarc's converter would guess.

    Same tables and the same output as ``pymarc.marc8_to_unicode`` for valid input; an unknown escape
    sequence, a character missing from its character set or a cut multi-byte character is an error
    instead of a silent blank.
    """
    if not data:
        return ""
    codesets = marc8_mapping.CODESETS
    g0, g1 = 0x42, 0x45
    out: list[str] = []
    combining: list[str] = []
    pos = 0
    size = len(data)
    while pos < size:
        if data[pos] == 0x1B:
            following = data[pos + 1 : pos + 2]
            if following in _MARC8_G0 or following in _MARC8_G1:
                step = pos + 2
                if following == b"$" and data[step : step + 1] in (b",", b"-", b")"):
                    if data[step : step + 1] in (b")", b"-"):
                        following = b")"
                    step += 1
                if step >= size:
                    raise Marc8Error(f"incomplete escape sequence at byte {pos}")
                charset = data[step]
                if charset not in codesets:
                    raise Marc8Error(f"unknown character set 0x{charset:02x} in escape sequence at byte {pos}")
                if following in (b")", b"-"):
                    g1 = charset
                else:
                    g0 = charset
                pos = step + 1
                continue
            charset = data[pos + 1] if pos + 1 < size else None
            if charset in codesets:
                g0 = charset
                pos += 2
                continue
            if charset == 0x73:
                g0 = 0x42
                pos += 2
                continue
            raise Marc8Error(f"unknown escape sequence at byte {pos}")
        if g0 == 0x31:  # EACC: three bytes a character
            if pos + 3 > size:
                raise Marc8Error(f"East Asian character cut short at byte {pos}")
            code_point = (data[pos] << 16) | (data[pos + 1] << 8) | data[pos + 2]
            pos += 3
            multibyte = True
        else:
            code_point = data[pos]
            pos += 1
            multibyte = False
        if code_point < 0x20 or 0x80 < code_point < 0xA0:
            continue  # control characters (non-sort marks, joiners): pymarc drops them too
        try:
            if code_point > 0x80 and not multibyte:
                uni, is_combining = codesets[g1][code_point]
            else:
                uni, is_combining = codesets[g0][code_point]
        except KeyError:
            if code_point in marc8_mapping.ODD_MAP:
                out.append(chr(marc8_mapping.ODD_MAP[code_point]))
                continue
            raise Marc8Error(f"character 0x{code_point:x} is not in the MARC-8 character set") from None
        if is_combining:
            combining.append(chr(uni))
        else:
            out.append(chr(uni))
            if combining:
                out.extend(combining)
                combining = []
    return unicodedata.normalize("NFC", "".join(out))
