#!/usr/bin/python3
"""Train the default model on work/train.bin for a wall-clock budget (CPU, one thread).

  OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 nohup /usr/bin/python3 train.py > work/train.log 2>&1 &

The cosine schedule needs a step count: the first BENCH_STEPS steps measure the speed, then
total_steps = BUDGET_MIN * 60 * steps_per_second is fixed (and saved in the checkpoint, so a resumed run keeps it).
Set TOTAL_STEPS=<n> to fix it up front for an exactly reproducible run.
Checkpoints: work/ckpt.pt every CKPT_MIN minutes (atomic rename); rerunning the command resumes from it.
"""
import json
import math
import os
import time

import numpy as np
import torch

from model import Config, LlamaForCausalLM, count_params

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.join(HERE, "work")
BUDGET_MIN = float(os.environ.get("BUDGET_MIN", "70"))
CKPT_MIN = float(os.environ.get("CKPT_MIN", "10"))
BATCH = int(os.environ.get("BATCH", "8"))
SEQ = 512
LR = float(os.environ.get("LR", "2e-3"))
MIN_LR_FRAC = 0.1
WARMUP = 60
BENCH_STEPS = 15
EVAL_EVERY = 100
EVAL_BATCHES = 8

torch.set_num_threads(1)
torch.set_num_interop_threads(1)
torch.manual_seed(1337)


def batch(data, rng, n):
    starts = rng.integers(0, len(data) - SEQ - 1, size=n)
    x = np.stack([data[s:s + SEQ + 1] for s in starts]).astype(np.int64)
    t = torch.from_numpy(x)
    return t[:, :-1], t[:, 1:]


@torch.no_grad()
def evaluate(model, val):
    model.eval()
    rng = np.random.default_rng(7)  # same windows every time
    losses = []
    for _ in range(EVAL_BATCHES):
        x, y = batch(val, rng, 4)
        logits = model(x)
        losses.append(torch.nn.functional.cross_entropy(logits.view(-1, logits.size(-1)), y.reshape(-1)).item())
    model.train()
    return float(np.mean(losses))


def lr_at(step, total, time_frac=None):
    if step < WARMUP:
        return LR * (step + 1) / WARMUP
    p = min(1.0, (step - WARMUP) / max(1, total - WARMUP)) if time_frac is None else min(1.0, time_frac)
    return LR * (MIN_LR_FRAC + (1 - MIN_LR_FRAC) * 0.5 * (1 + math.cos(math.pi * p)))


def main():
    train = np.fromfile(os.path.join(WORK, "train.bin"), dtype=np.uint16)
    val = np.fromfile(os.path.join(WORK, "val.bin"), dtype=np.uint16)
    cfg = Config()
    model = LlamaForCausalLM(cfg)
    print(f"params {count_params(model):,}  train tokens {len(train):,}  val tokens {len(val):,}", flush=True)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=LR, betas=(0.9, 0.95), eps=1e-8)
    ckpt_path = os.path.join(WORK, "ckpt.pt")
    step, total, elapsed_before = 0, int(os.environ.get("TOTAL_STEPS", "0")), 0.0
    rng = np.random.default_rng(1234)
    history = []
    if os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        step, total, elapsed_before = ck["step"], ck["total"], ck["elapsed"]
        rng = np.random.default_rng(1234 + step)
        history = ck.get("history", [])
        if os.environ.get("TOTAL_STEPS"):  # allow shortening a run that turned out slower than benchmarked
            total = int(os.environ["TOTAL_STEPS"])
        print(f"resumed at step {step}/{total}", flush=True)

    def save():
        tmp = ckpt_path + ".tmp"
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step, "total": total,
                    "elapsed": elapsed_before + time.time() - t_start, "config": cfg.to_dict(),
                    "history": history}, tmp)
        os.replace(tmp, ckpt_path)

    t_start = time.time()
    last_ckpt = time.time()
    loss_ema = None
    model.train()
    # SCHEDULE=time: cosine over wall-clock (elapsed / BUDGET_MIN), stop when the budget is used. Adapts to a
    # machine shared with other jobs; the step count reached is recorded in train_summary.json.
    time_mode = os.environ.get("SCHEDULE") == "time"

    def elapsed():
        return elapsed_before + time.time() - t_start

    while (time_mode and elapsed() < BUDGET_MIN * 60) or (not time_mode and (total == 0 or step < total)):
        if total == 0 and step == BENCH_STEPS and not time_mode:
            sps = BENCH_STEPS / (time.time() - t_start)
            total = int(BUDGET_MIN * 60 * sps)
            print(f"speed {sps * BATCH * SEQ:.0f} tokens/s -> total_steps {total} "
                  f"({total * BATCH * SEQ:,} tokens)", flush=True)
        lr = lr_at(step, total or 10 ** 9, elapsed() / (BUDGET_MIN * 60) if time_mode else None)
        for g in opt.param_groups:
            g["lr"] = lr
        x, y = batch(train, rng, BATCH)
        logits = model(x)
        loss = torch.nn.functional.cross_entropy(logits.view(-1, logits.size(-1)), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        loss_ema = loss.item() if loss_ema is None else 0.95 * loss_ema + 0.05 * loss.item()
        if step % 10 == 0:
            el = elapsed_before + time.time() - t_start
            print(f"step {step}/{total} loss {loss.item():.3f} ema {loss_ema:.3f} lr {lr:.2e} "
                  f"elapsed {el / 60:.1f} min", flush=True)
        if step % EVAL_EVERY == 0 or step == total or (time_mode and elapsed() >= BUDGET_MIN * 60):
            vl = evaluate(model, val)
            history.append({"step": step, "train_loss_ema": loss_ema, "val_loss": vl,
                            "tokens": step * BATCH * SEQ})
            print(f"EVAL step {step} train_ema {loss_ema:.3f} val {vl:.3f}", flush=True)
        if time.time() - last_ckpt > CKPT_MIN * 60:
            save()
            last_ckpt = time.time()
            print("checkpoint saved", flush=True)
    save()
    with open(os.path.join(WORK, "train_summary.json"), "w") as f:
        json.dump({"steps": step, "batch": BATCH, "seq": SEQ, "tokens": step * BATCH * SEQ, "lr": LR,
                   "history": history, "final_train_loss_ema": loss_ema,
                   "final_val_loss": history[-1]["val_loss"] if history else None,
                   "elapsed_min": (elapsed_before + time.time() - t_start) / 60}, f, indent=1)
    print("done", flush=True)


if __name__ == "__main__":
    main()
