#!/usr/bin/env bash
# Rebuilds NotoSansCJKjp-Regular-subset.otf from Debian's fonts-noto-cjk.
#
# Why a subset: the whole collection is ~19 MB (ten faces) and one face of it
# is 16.5 MB. The Japanese face alone covers Han, Kana and Hangul; keeping only
# what names and addresses need (CJK Unified Ideographs + Extension A,
# compatibility ideographs, Kana, Hangul syllables and jamo, CJK punctuation,
# full-width forms, ASCII) and no OpenType layout features (no vertical or
# alternate glyph forms: the documents are horizontal and use default forms)
# brings it to ~9.6 MB. Extension B and later (rare historic characters) are
# left out; a character no shipped font covers prints as U+FFFD.
#
# Needs: apt-get install fonts-noto-cjk; pip install fonttools
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp/jp.otf" <<'PY'
import sys
from fontTools.ttLib import TTCollection
c = TTCollection('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc')
face = c.fonts[0]
assert face['name'].getDebugName(4) == 'Noto Sans CJK JP', face['name'].getDebugName(4)
face.save(sys.argv[1])
PY
pyftsubset "$tmp/jp.otf" \
  --unicodes="U+0020-007E,U+3000-30FF,U+3100-312F,U+3130-318F,U+31F0-31FF,U+3400-4DBF,U+4E00-9FFF,U+AC00-D7AF,U+F900-FAFF,U+FF00-FFEF" \
  --layout-features='' \
  --name-IDs='*' --name-languages='*' \
  --output-file="$here/NotoSansCJKjp-Regular-subset.otf"
ls -l "$here/NotoSansCJKjp-Regular-subset.otf"
