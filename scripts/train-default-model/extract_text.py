#!/usr/bin/python3
"""Extract plain public-domain text from Debian packages into scripts/train-default-model/work/.

Sources (all public domain):
  * r-cran-janeaustenr: six Jane Austen novels in an R lazy-load database (Rdata.rdx/.rdb).
    Parsed here with a minimal reader of R's XDR serialization format (no R needed).
  * sword-text-kjv / sword-text-web: King James Version and World English Bible as SWORD zText
    modules (zlib blocks + .bzs block index + .bzv verse index), OSIS markup stripped.

Outputs:
  work/austen/<book>.txt      one line of the novel per line (as in janeaustenr)
  work/bible_kjv.tsv, work/bible_web.tsv   "Book.Chapter.Verse<TAB>text" per verse
"""
import gzip
import os
import re
import struct
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.join(HERE, "work")
AUSTEN_DIR = "/usr/lib/R/site-library/janeaustenr/data"
SWORD_DIR = "/usr/share/sword/modules/texts/ztext"


# ---------------------------------------------------------------- R serialization (XDR, version 2/3)
class RReader:
    """Reads the subset of R's serialization format that janeaustenr's data uses."""

    def __init__(self, data):
        self.d = data
        self.p = 0
        self.refs = []

    def int(self):
        v = struct.unpack(">i", self.d[self.p:self.p + 4])[0]
        self.p += 4
        return v

    def header(self):
        assert self.d[:2] == b"X\n", "only XDR serialization is supported"
        self.p = 2
        version = self.int()
        self.int()
        self.int()
        if version == 3:
            n = self.int()
            self.p += n

    def item(self):
        flags = self.int()
        t = flags & 0xFF
        has_attr = bool(flags & (1 << 9))
        has_tag = bool(flags & (1 << 10))
        if t == 254 or t in (242, 241, 253, 252, 251, 250):  # NULL, envs, markers
            return None
        if t == 255:  # REFSXP
            idx = flags >> 8
            if idx == 0:
                idx = self.int()
            return self.refs[idx - 1]
        if t == 1:  # SYMSXP
            name = self.item()
            self.refs.append(("sym", name))
            return ("sym", name)
        if t in (2, 239):  # LISTSXP / ATTRLISTSXP pairlist
            out = []
            while True:
                attr = self.item() if has_attr else None
                tag = self.item() if has_tag else None
                car = self.item()
                out.append((tag[1] if tag else None, car))
                flags = self.int()
                t = flags & 0xFF
                has_attr = bool(flags & (1 << 9))
                has_tag = bool(flags & (1 << 10))
                if t == 254:
                    return ("pairlist", out)
                if t not in (2, 239):
                    raise ValueError(f"unexpected pairlist cdr type {t}")
        if t == 4:  # ENVSXP
            self.int()
            env = {"env": True}
            self.refs.append(env)
            self.item(); self.item(); self.item(); self.item()
            return env
        if t == 9:  # CHARSXP
            n = self.int()
            if n == -1:
                return None
            s = self.d[self.p:self.p + n].decode("utf-8", errors="replace")
            self.p += n
            return s
        if t in (10, 13):  # LGLSXP, INTSXP
            n = self.int()
            v = list(struct.unpack(f">{n}i", self.d[self.p:self.p + 4 * n]))
            self.p += 4 * n
            out = v
        elif t == 14:  # REALSXP
            n = self.int()
            v = list(struct.unpack(f">{n}d", self.d[self.p:self.p + 8 * n]))
            self.p += 8 * n
            out = v
        elif t in (16, 19, 20):  # STRSXP, VECSXP, EXPRSXP
            n = self.int()
            out = [self.item() for _ in range(n)]
        elif t == 238:  # ALTREP: info, state, attributes
            self.item()
            state = self.item()
            self.item()
            return state
        else:
            raise ValueError(f"unsupported R SEXP type {t} at {self.p}")
        if has_attr:
            self.item()
        return out


def r_unserialize(data):
    r = RReader(data)
    r.header()
    return r.item()


def extract_austen():
    index = r_unserialize(gzip.decompress(open(os.path.join(AUSTEN_DIR, "Rdata.rdx"), "rb").read()))
    # index is a named list: variables, references, compressed. Names live in attributes we skipped,
    # so re-read the names from the raw bytes order: variables is element 0 (a named list of [offset, len]).
    variables = index[0]
    raw = gzip.decompress(open(os.path.join(AUSTEN_DIR, "Rdata.rdx"), "rb").read())
    names = re.findall(rb"(?s)\x00\x04\x00\x09\x00\x00\x00.([a-z]+)", raw)
    books = [n.decode() for n in names if n != b"names"][: len(variables)]
    rdb = open(os.path.join(AUSTEN_DIR, "Rdata.rdb"), "rb").read()
    os.makedirs(os.path.join(WORK, "austen"), exist_ok=True)
    for name, (off, ln) in zip(books, variables):
        chunk = rdb[int(off):int(off) + int(ln)]
        data = zlib.decompress(chunk[4:])
        lines = r_unserialize(data)
        with open(os.path.join(WORK, "austen", name + ".txt"), "w", encoding="utf-8") as f:
            for line in lines:
                f.write((line or "") + "\n")
        print(f"austen {name}: {len(lines)} lines")


# ---------------------------------------------------------------- SWORD zText
TAG_RE = re.compile(r"<[^>]*>")
NOTE_RE = re.compile(r"<note\b.*?</note>", re.S)
TITLE_RE = re.compile(r"<title\b.*?</title>", re.S)
CHAPTER_RE = re.compile(r'<chapter\b[^>]*osisID="([^"]+)"')


def clean_osis(s):
    s = NOTE_RE.sub("\x00", s)
    s = TITLE_RE.sub("", s)
    s = TAG_RE.sub("", s)
    s = re.sub(r"\x00(?=\w)", " ", s).replace("\x00", "").replace("\u00b6", "")
    s = s.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    return re.sub(r"\s+", " ", s).strip()


def extract_sword(module, out_name):
    rows = []
    for testament in ("ot", "nt"):
        base = os.path.join(SWORD_DIR, module, testament)
        bzs = open(base + ".bzs", "rb").read()
        bzz = open(base + ".bzz", "rb").read()
        bzv = open(base + ".bzv", "rb").read()
        cache = {}

        def block(i):
            if i not in cache:
                off, size, _ = struct.unpack("<III", bzs[i * 12:i * 12 + 12])
                cache[i] = zlib.decompress(bzz[off:off + size])
            return cache[i]

        chapter = None
        verse = 0
        for k in range(len(bzv) // 10):
            b, o, s = struct.unpack("<IIH", bzv[k * 10:k * 10 + 10])
            raw = block(b)[o:o + s].decode("utf-8", errors="replace") if s else ""
            m = CHAPTER_RE.search(raw)
            if m and s < 200:  # a chapter-heading slot
                chapter = m.group(1)
                verse = 0
                continue
            if chapter is None:
                continue
            verse += 1
            text = clean_osis(raw)
            if text:
                rows.append((f"{chapter}.{verse}", text))
    with open(os.path.join(WORK, out_name), "w", encoding="utf-8") as f:
        for key, text in rows:
            f.write(f"{key}\t{text}\n")
    print(f"{module}: {len(rows)} verses")


if __name__ == "__main__":
    os.makedirs(WORK, exist_ok=True)
    extract_austen()
    extract_sword("engKJV2006eb", "bible_kjv.tsv")
    extract_sword("engWEB2015eb", "bible_web.tsv")
    sys.exit(0)
