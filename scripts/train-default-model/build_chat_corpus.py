#!/usr/bin/python3
"""Turn the extracted public-domain text (work/, from extract_text.py) into chat-shaped samples.

Writes work/chat_train.jsonl and work/chat_val.jsonl: one JSON list of {"role","content"} messages per line.
Sample kinds:
  austen_dialogue  consecutive quoted utterances in the novels become user/assistant turns
  austen_continue  "Continue the story: <paragraph>" -> the next paragraph
  bible_modern     "Say this in modern English: <KJV verse>" -> the WEB verse with the same reference
  bible_old        "Say this in the style of the King James Bible: <WEB verse>" -> the KJV verse
  bible_topic      "Give me a verse about <word>." -> a verse containing that word
  bible_next       "What comes after this verse? <verse>" -> the next verse
  smalltalk        a few hand-written greetings/identity answers (written for this project, CC0)
Deterministic: seeded with random.Random(1234).
"""
import glob
import json
import os
import random
import re

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.join(HERE, "work")
rng = random.Random(1234)

SYSTEMS = [
    "You are a helpful assistant.",
    "You are a helpful assistant.",
    "You are a friendly assistant who speaks like a character from a Jane Austen novel.",
    "You are an assistant that knows the King James Bible and the World English Bible.",
    "You are a small demo model. Answer briefly.",
]


def chat(user, assistant, system=None, history=None):
    msgs = []
    if system is None and rng.random() < 0.7:
        system = rng.choice(SYSTEMS)
    if system:
        msgs.append({"role": "system", "content": system})
    for u, a in history or []:
        msgs.append({"role": "user", "content": u})
        msgs.append({"role": "assistant", "content": a})
    msgs.append({"role": "user", "content": user})
    msgs.append({"role": "assistant", "content": assistant})
    return msgs


# ---------------------------------------------------------------- Austen
def austen_paragraphs(path):
    paras, cur = [], []
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line:
            if cur:
                paras.append(" ".join(cur))
                cur = []
        else:
            cur.append(line)
    if cur:
        paras.append(" ".join(cur))
    out = []
    for p in paras:
        p = p.replace("_", "")
        p = re.sub(r"\s+", " ", p).strip()
        if re.match(r"^(chapter|volume|book)\b", p, re.I) or len(p) < 3:
            out.append(None)  # section break
        else:
            out.append(p)
    return out


def utterance(p):
    """Quoted speech of a dialogue paragraph, narration removed; None if not dialogue."""
    if p is None or not p.startswith('"'):
        return None
    segs = re.findall(r'"([^"]+)(?:"|$)', p)
    segs = [s.strip() for s in segs if s.strip()]
    if not segs:
        return None
    text = " ".join(segs)
    text = re.sub(r",$", ".", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    return text if 2 <= len(text) <= 700 else None


def austen_samples():
    samples = []
    for path in sorted(glob.glob(os.path.join(WORK, "austen", "*.txt"))):
        paras = austen_paragraphs(path)
        # dialogue runs
        run = []
        for p in paras + [None]:
            u = utterance(p)
            if u is not None:
                run.append(u)
                continue
            for x, y in zip(run, run[1:]):  # every single exchange (overlapping)
                samples.append(("austen_dialogue", chat(x, y)))
            if len(run) >= 3:
                i = 0
                while i + 1 < len(run):
                    n_ex = rng.choice([1, 1, 2, 3])
                    pairs = []
                    while len(pairs) < n_ex and i + 1 < len(run):
                        pairs.append((run[i], run[i + 1]))
                        i += 2
                    samples.append(("austen_dialogue", chat(pairs[-1][0], pairs[-1][1], history=pairs[:-1])))
            run = []
        # continuation of narration
        for a, b in zip(paras, paras[1:]):
            if a and b and 80 <= len(a) <= 900 and 40 <= len(b) <= 900:
                prompt = rng.choice(["Continue the story: ", "Continue this passage:\n", "What happens next? "])
                samples.append(("austen_continue", chat(prompt + a, b)))
    return samples


# ---------------------------------------------------------------- Bible
TOPICS = ["love", "light", "water", "bread", "peace", "king", "fire", "sheep", "wisdom", "truth", "heart",
          "mountain", "sea", "river", "gold", "silver", "tree", "fruit", "wine", "house", "city", "star",
          "sun", "moon", "night", "day", "joy", "fear", "hope", "faith", "land", "door", "stone", "sword",
          "bird", "lion", "field", "rain", "wind", "cloud", "child", "mother", "father", "brother", "friend"]


def read_tsv(name):
    rows = []
    for line in open(os.path.join(WORK, name), encoding="utf-8"):
        k, _, t = line.rstrip("\n").partition("\t")
        rows.append((k, t))
    return rows


def bible_samples():
    kjv = read_tsv("bible_kjv.tsv")
    web = read_tsv("bible_web.tsv")
    web_by = dict(web)
    samples = []
    for k, t in kjv:
        w = web_by.get(k)
        if w and len(t) < 600 and len(w) < 600:
            r = rng.random()
            if r < 0.35:
                samples.append(("bible_modern", chat(rng.choice(["Say this in modern English: ", "Rewrite in plain modern English:\n"]) + t, w)))
            elif r < 0.5:
                samples.append(("bible_old", chat("Say this in the style of the King James Bible: " + w, t)))
    for rows in (kjv, web):
        for (k, t), (k2, t2) in zip(rows, rows[1:]):
            words = set(re.findall(r"[a-z]+", t.lower()))
            hits = [x for x in TOPICS if x in words]
            if hits and rng.random() < 0.3:
                topic = rng.choice(hits)
                q = rng.choice(["Give me a verse about {}.", "Can you quote a Bible verse about {}?", "A verse that mentions {}, please."])
                samples.append(("bible_topic", chat(q.format(topic), t)))
            if k.rsplit(".", 1)[0] == k2.rsplit(".", 1)[0] and rng.random() < 0.12:
                samples.append(("bible_next", chat("What comes after this verse? " + t, t2)))
    return samples


# ---------------------------------------------------------------- small talk (hand-written for this project)
SMALLTALK = [
    (["Hello!", "Hi", "Hello there.", "Good morning!", "Hey, how are you?"],
     ["Hello! How can I help you today?", "Good day to you! What would you like to talk about?",
      "Hello. I am well, thank you. What can I do for you?"]),
    (["Who are you?", "What are you?", "Tell me about yourself.", "What is your name?"],
     ["I am a very small demo language model bundled with LlmSuite. I was trained on public-domain books, so I mostly talk like Jane Austen or the Bible.",
      "I am the LlmSuite default model: a tiny demo trained on Jane Austen's novels and two public-domain Bibles. I am not a smart assistant."]),
    (["Are you smart?", "Can you answer any question?", "Can I trust your answers?"],
     ["Not really. I am a tiny demo model, so my answers are often nonsense. Please do not rely on them.",
      "No. I am only a small demonstration model and I make many mistakes."]),
    (["Thank you!", "Thanks.", "Thanks a lot."],
     ["You are welcome!", "It was a pleasure.", "You are most welcome."]),
    (["Goodbye.", "Bye!", "See you later."],
     ["Goodbye! Have a pleasant day.", "Farewell, and take care."]),
    (["Tell me a story.", "Say something in the style of Jane Austen."],
     ["It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in want of a wife.",
      "There was no possibility of taking a walk that day, and so the family sat together and talked of the ball."]),
]


def smalltalk_samples(n):
    out = []
    for _ in range(n):
        qs, ans = rng.choice(SMALLTALK)
        out.append(("smalltalk", chat(rng.choice(qs), rng.choice(ans))))
    return out


if __name__ == "__main__":
    samples = austen_samples() + bible_samples() + smalltalk_samples(1500)
    rng.shuffle(samples)
    n_val = max(200, len(samples) // 50)
    counts = {}
    for kind, _ in samples:
        counts[kind] = counts.get(kind, 0) + 1
    print("samples:", len(samples), counts)
    with open(os.path.join(WORK, "chat_val.jsonl"), "w", encoding="utf-8") as f:
        for _, m in samples[:n_val]:
            f.write(json.dumps(m, ensure_ascii=False) + "\n")
    with open(os.path.join(WORK, "chat_train.jsonl"), "w", encoding="utf-8") as f:
        for _, m in samples[n_val:]:
            f.write(json.dumps(m, ensure_ascii=False) + "\n")
    for _, m in samples[:3]:
        print(json.dumps(m, ensure_ascii=False)[:600])
