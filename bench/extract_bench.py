"""Extraction speed for ``make bench`` (bench/run.py includes it): kg's extraction against bare jieba on the
same text, and single documents of 100 KB, 1 MB and 10 MB (extraction KB/s must not fall with size: time
linear in length). Functions return plain data; :func:`long_table` prints the long-document line."""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

LONG_KB = (100, 1024, 10240)   # single documents: 100 KB, 1 MB, 10 MB
LONG_REPEATS = (5, 3, 1)


def log(msg: str) -> None:
    """A progress line on stderr, as bench/run.py prints them."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def extraction_vs_jieba(folder: Path, rounds: int = 5) -> dict:
    """Extraction against bare jieba on the same slice, in one process. Both are CPU time (process_time); each
    of ``rounds`` rounds times jieba and then extraction back to back, and the ratio is the median of the
    rounds' own ratios: on a shared machine the neighbours slow this process by a third for seconds at a time,
    and a round's two figures share its slow or fast phase, where the medians of each, taken apart, need not.
    The KB/s figures are the medians of each."""
    import logging

    import jieba

    from kg.extract import segmenter
    from kg.extract.document import Extractor
    from kg.textio import read_documents

    docs = read_documents([folder])
    kb = sum(len(d.text.encode("utf-8")) for d in docs) / 1024
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    x = Extractor()
    x.extract(docs[0])                    # load both pipelines before timing
    segmenter.load()                      # and jieba-rs, which a process loads once it has cut 64K characters
    jieba_s, extract_s = [], []
    for _ in range(rounds):
        t = time.process_time()
        for d in docs:
            jieba.lcut(d.text)
        jieba_s.append(time.process_time() - t)
        t = time.process_time()
        for d in docs:
            x.extract(d)
        extract_s.append(time.process_time() - t)
    t_jieba, t_extract = statistics.median(jieba_s), statistics.median(extract_s)
    ratio = statistics.median(j / e for j, e in zip(jieba_s, extract_s))
    return {"kb": round(kb, 1), "jieba_kb_s": round(kb / t_jieba, 1), "extract_kb_s": round(kb / t_extract, 1),
            "extract_vs_jieba": round(ratio, 3), "rounds": rounds,
            "round_ratios": [round(j / e, 3) for j, e in zip(jieba_s, extract_s)]}


def long_text(kb: int, seed: int = 11) -> str:
    """One document of about ``kb`` KB: generated articles one after another, as paragraphs."""
    from bench.corpus import Corpus
    corpus, parts, size, i = Corpus(seed), [], 0, 0
    while size < kb * 1024:
        _, text = corpus.article(i, kb=8)
        parts.append(text)
        size += len(text.encode("utf-8"))
        i += 1
    return "\n".join(parts)


def long_documents() -> dict:
    """Extraction KB/s of single 100 KB, 1 MB and 10 MB documents (in-process, pipelines loaded first).

    The machine is shared, so each size is timed in CPU seconds of this process (what other processes do
    to the wall clock does not count) as well as wall seconds, and the smaller sizes are repeated
    (:data:`LONG_REPEATS`, median); the ratio is taken on the CPU figures."""
    from kg.extract import segmenter
    from kg.extract.document import Extractor
    from kg.model import Document
    from kg.textio import content_hash, language

    x = Extractor()
    x.extract(Document("warm.txt", "Microsoft invested in OpenAI. 微软投资了 OpenAI。", "0" * 64, "en"))
    segmenter.load()
    out = {}
    for kb, repeats in zip(LONG_KB, LONG_REPEATS):
        text = long_text(kb)
        size = len(text.encode("utf-8")) / 1024
        doc = Document(f"long-{kb}.txt", text, content_hash(text), language(text))
        log(f"long document: {size:.0f} KB x {repeats}")
        wall, cpu = [], []
        for _ in range(repeats):
            t, c = time.perf_counter(), time.process_time()
            got = x.extract(doc)
            wall.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        w, c = statistics.median(wall), statistics.median(cpu)
        out[f"{kb}KB"] = {"kb": round(size), "runs": repeats, "wall_s": round(w, 2), "cpu_s": round(c, 2),
                          "kb_s": round(size / c, 1), "wall_kb_s": round(size / w, 1),
                          "relations": len(got.relations)}
    speeds = [v["kb_s"] for v in out.values()]
    out["min_over_max"] = round(min(speeds) / max(speeds), 3)
    return out


def long_table(r: dict) -> str:
    """The long-document figures of :func:`long_documents` as one line."""
    sizes = [k for k in r if k != "min_over_max"]
    return ("long single documents (median of runs; KB per CPU second, wall in brackets): "
            + ", ".join(f"{r[k]['kb']} KB {r[k]['kb_s']} KB/s ({r[k]['wall_kb_s']} KB/s wall, {r[k]['runs']} runs)"
                        for k in sizes)
            + f"; slowest / fastest = {r['min_over_max']} (target >= 0.8)")
