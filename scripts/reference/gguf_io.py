"""A small GGUF v3 writer (spec: ggml docs/gguf.md): header, typed metadata KV (incl. arrays), tensor infos with
dims innermost-first, aligned tensor data."""
import struct
import numpy as np

GGUF_MAGIC = b"GGUF"
# metadata value types
UINT8, INT8, UINT16, INT16, UINT32, INT32, FLOAT32, BOOL, STRING, ARRAY, UINT64, INT64, FLOAT64 = range(13)
# ggml tensor types
GGML_F32, GGML_F16, GGML_Q4_0, GGML_Q8_0, GGML_Q4_K, GGML_Q6_K, GGML_BF16 = 0, 1, 2, 8, 12, 14, 30
_SCALAR = {UINT8: "<B", INT8: "<b", UINT16: "<H", INT16: "<h", UINT32: "<I", INT32: "<i", FLOAT32: "<f",
           BOOL: "<?", UINT64: "<Q", INT64: "<q", FLOAT64: "<d"}


def _string(s):
    b = s.encode("utf-8")
    return struct.pack("<Q", len(b)) + b


def _value(vtype, value):
    if vtype == STRING:
        return _string(value)
    if vtype == ARRAY:
        etype, items = value
        out = struct.pack("<IQ", etype, len(items))
        for it in items:
            out += _value(etype, it)
        return out
    return struct.pack(_SCALAR[vtype], value)


class GgufWriter:
    def __init__(self, version=3):
        self.version = version
        self.kv = []          # (key, type, value)
        self.tensors = []     # (name, dims innermost-first, ggml type, bytes)
        self.alignment = 32

    def add(self, key, vtype, value):
        if key == "general.alignment":
            self.alignment = value
        self.kv.append((key, vtype, value))

    def add_tensor(self, name, shape_outer_first, ggml_type, data):
        self.tensors.append((name, list(reversed(shape_outer_first)), ggml_type, data))

    def write(self, path):
        a = self.alignment
        out = bytearray(GGUF_MAGIC + struct.pack("<IQQ", self.version, len(self.tensors), len(self.kv)))
        for key, vtype, value in self.kv:
            out += _string(key) + struct.pack("<I", vtype) + _value(vtype, value)
        offset = 0
        offsets = []
        for name, dims, t, data in self.tensors:
            offsets.append(offset)
            out += _string(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
            out += struct.pack("<IQ", t, offset)
            offset += (len(data) + a - 1) // a * a
        out += b"\0" * ((a - len(out) % a) % a)
        for (name, dims, t, data), off in zip(self.tensors, offsets):
            out += data
            out += b"\0" * ((a - len(data) % a) % a)
        with open(path, "wb") as f:
            f.write(out)
