"""Python reference of ggml's block formats (ggml-quants.c): Q8_0, Q4_0, Q4_K, Q6_K.

Dequantizers follow ggml's float32 operation order exactly, so C# must reproduce them bit for bit.
Q8_0 and Q4_0 quantizers follow ggml's *_ref functions exactly. The Q4_K / Q6_K quantizers produce valid
ggml blocks with ggml's packing (6-bit scale/min packing, ql/qh split) but use a simple one-pass scale choice
instead of ggml's iterative make_qkx2_quants / make_qx_quants search; only the dequantized values are tested.
"""
import numpy as np

QK8_0 = 32
QK4_0 = 32
QK_K = 256
f32 = np.float32


def round_away(v):
    """C roundf on a float32 value (half away from zero)."""
    v = np.float64(v)
    return np.sign(v) * np.floor(np.abs(v) + 0.5)


def fp16_bytes(x):
    return np.array([x], dtype=np.float32).astype("<f2").tobytes()


def fp16_value(b, off=0):
    return f32(np.frombuffer(b, dtype="<f2", count=1, offset=off)[0])


# ---- Q8_0: { f16 d; int8 qs[32]; } = 34 bytes
def quantize_q8_0(x):
    x = np.asarray(x, dtype=np.float32)
    assert x.size % QK8_0 == 0
    out = bytearray()
    for blk in x.reshape(-1, QK8_0):
        amax = f32(np.max(np.abs(blk)))
        d = f32(amax / f32(127))
        idv = f32(f32(1) / d) if d != 0 else f32(0)
        out += fp16_bytes(d)
        out += bytes(int(round_away(f32(v * idv))) & 0xFF for v in blk)
    return bytes(out)


def dequantize_q8_0(b, n):
    y = np.empty(n, dtype=np.float32)
    for i in range(n // QK8_0):
        o = i * 34
        d = fp16_value(b, o)
        q = np.frombuffer(b, dtype=np.int8, count=32, offset=o + 2)
        y[i * 32:(i + 1) * 32] = q.astype(np.float32) * d
    return y


# ---- Q4_0: { f16 d; uint8 qs[16]; } = 18 bytes; low nibbles hold x[0..15], high nibbles x[16..31]
def quantize_q4_0(x):
    x = np.asarray(x, dtype=np.float32)
    out = bytearray()
    for blk in x.reshape(-1, QK4_0):
        amax = f32(0)
        mx = f32(0)
        for v in blk:
            if amax < abs(v):
                amax = f32(abs(v))
                mx = v
        d = f32(mx / f32(-8))
        idv = f32(f32(1) / d) if d != 0 else f32(0)
        out += fp16_bytes(d)
        for j in range(16):
            x0 = f32(blk[j] * idv)
            x1 = f32(blk[j + 16] * idv)
            xi0 = min(15, int(np.trunc(np.float64(f32(x0 + f32(8.5))))))
            xi1 = min(15, int(np.trunc(np.float64(f32(x1 + f32(8.5))))))
            out.append((xi0 | (xi1 << 4)) & 0xFF)
    return bytes(out)


def dequantize_q4_0(b, n):
    y = np.empty(n, dtype=np.float32)
    for i in range(n // QK4_0):
        o = i * 18
        d = fp16_value(b, o)
        for j in range(16):
            q = b[o + 2 + j]
            y[i * 32 + j] = f32((q & 0x0F) - 8) * d
            y[i * 32 + j + 16] = f32((q >> 4) - 8) * d
    return y


# ---- Q4_K: { f16 d; f16 dmin; uint8 scales[12]; uint8 qs[128]; } = 144 bytes per 256 values
def get_scale_min_k4(j, s):
    if j < 4:
        return s[j] & 63, s[j + 4] & 63
    return (s[j + 4] & 0xF) | ((s[j - 4] >> 6) << 4), (s[j + 4] >> 4) | ((s[j] >> 6) << 4)


def quantize_q4_k(x):
    x = np.asarray(x, dtype=np.float32)
    out = bytearray()
    for blk in x.reshape(-1, QK_K):
        sub = blk.reshape(8, 32)
        mins = np.minimum(sub.min(axis=1), 0).astype(np.float32)   # ggml keeps min <= 0
        scales = ((sub.max(axis=1) - mins) / f32(15)).astype(np.float32)
        max_scale = f32(scales.max())
        max_min = f32((-mins).max())
        inv_s = f32(63) / max_scale if max_scale > 0 else f32(0)
        inv_m = f32(63) / max_min if max_min > 0 else f32(0)
        ls = [min(63, int(round_away(f32(inv_s * s)))) for s in scales]
        lm = [min(63, int(round_away(f32(inv_m * -m)))) for m in mins]
        sc = [0] * 12
        for j in range(8):
            if j < 4:
                sc[j] = ls[j]
                sc[j + 4] = lm[j]
            else:
                sc[j + 4] = (ls[j] & 0xF) | ((lm[j] & 0xF) << 4)
                sc[j - 4] |= (ls[j] >> 4) << 6
                sc[j] |= (lm[j] >> 4) << 6
        d = f32(np.float16(max_scale / f32(63)))
        dmin = f32(np.float16(max_min / f32(63)))
        L = np.zeros(QK_K, dtype=np.int64)
        for j in range(8):
            s, m = get_scale_min_k4(j, sc)
            dd = f32(d * f32(s))
            dm = f32(dmin * f32(m))
            if dd == 0:
                continue
            for i in range(32):
                L[32 * j + i] = max(0, min(15, int(round_away(f32((sub[j, i] + dm) / dd)))))
        qs = bytearray()
        for j in range(0, QK_K, 64):
            for l in range(32):
                qs.append(int(L[j + l]) | (int(L[j + l + 32]) << 4))
        out += fp16_bytes(d) + fp16_bytes(dmin) + bytes(sc) + bytes(qs)
    return bytes(out)


def dequantize_q4_k(b, n):
    y = np.empty(n, dtype=np.float32)
    k = 0
    for i in range(n // QK_K):
        o = i * 144
        d = fp16_value(b, o)
        dmin = fp16_value(b, o + 2)
        s = b[o + 4:o + 16]
        q = o + 16
        is_ = 0
        for _ in range(0, QK_K, 64):
            sc, m = get_scale_min_k4(is_, s)
            d1, m1 = f32(d * f32(sc)), f32(dmin * f32(m))
            sc, m = get_scale_min_k4(is_ + 1, s)
            d2, m2 = f32(d * f32(sc)), f32(dmin * f32(m))
            for l in range(32):
                y[k] = f32(f32(d1 * f32(b[q + l] & 0xF)) - m1)
                k += 1
            for l in range(32):
                y[k] = f32(f32(d2 * f32(b[q + l] >> 4)) - m2)
                k += 1
            q += 32
            is_ += 2
    return y


# ---- Q6_K: { uint8 ql[128]; uint8 qh[64]; int8 scales[16]; f16 d; } = 210 bytes per 256 values
def quantize_q6_k(x):
    x = np.asarray(x, dtype=np.float32)
    out = bytearray()
    for blk in x.reshape(-1, QK_K):
        sub = blk.reshape(16, 16)
        scales = (np.abs(sub).max(axis=1) / f32(31)).astype(np.float32)
        max_scale = f32(scales.max())
        iscale = f32(127) / max_scale if max_scale > 0 else f32(0)
        sc = [max(-128, min(127, int(round_away(f32(iscale * s))))) for s in scales]
        d = f32(np.float16(f32(1) / iscale)) if iscale != 0 else f32(0)
        L = np.zeros(QK_K, dtype=np.int64)
        for j in range(16):
            dd = f32(d * f32(sc[j]))
            if dd == 0:
                L[16 * j:16 * j + 16] = 32
                continue
            for i in range(16):
                L[16 * j + i] = max(-32, min(31, int(round_away(f32(sub[j, i] / dd))))) + 32
        ql = bytearray(128)
        qh = bytearray(64)
        for j in range(0, QK_K, 128):
            for l in range(32):
                a, b2, c, e = (int(L[j + l + t]) for t in (0, 32, 64, 96))
                ql[j // 2 + l] = (a & 0xF) | ((c & 0xF) << 4)
                ql[j // 2 + l + 32] = (b2 & 0xF) | ((e & 0xF) << 4)
                qh[j // 4 + l] = (a >> 4) | ((b2 >> 4) << 2) | ((c >> 4) << 4) | ((e >> 4) << 6)
        out += bytes(ql) + bytes(qh) + bytes(v & 0xFF for v in sc) + fp16_bytes(d)
    return bytes(out)


def dequantize_q6_k(b, n):
    y = np.empty(n, dtype=np.float32)
    for i in range(n // QK_K):
        o = i * 210
        d = fp16_value(b, o + 208)
        sc_all = np.frombuffer(b, dtype=np.int8, count=16, offset=o + 192)
        yo = i * QK_K
        ql, qh, sc = o, o + 128, 0
        for _ in range(0, QK_K, 128):
            for l in range(32):
                is_ = l // 16
                q1 = ((b[ql + l] & 0xF) | (((b[qh + l] >> 0) & 3) << 4)) - 32
                q2 = ((b[ql + l + 32] & 0xF) | (((b[qh + l] >> 2) & 3) << 4)) - 32
                q3 = ((b[ql + l] >> 4) | (((b[qh + l] >> 4) & 3) << 4)) - 32
                q4 = ((b[ql + l + 32] >> 4) | (((b[qh + l] >> 6) & 3) << 4)) - 32
                y[yo + l] = f32(f32(d * f32(sc_all[sc + is_])) * f32(q1))
                y[yo + l + 32] = f32(f32(d * f32(sc_all[sc + is_ + 2])) * f32(q2))
                y[yo + l + 64] = f32(f32(d * f32(sc_all[sc + is_ + 4])) * f32(q3))
                y[yo + l + 96] = f32(f32(d * f32(sc_all[sc + is_ + 6])) * f32(q4))
            yo += 128
            ql += 64
            qh += 32
            sc += 8
    return y
