"""A generated news corpus for benchmarks and store tests: mixed Chinese/English articles.

Every sentence comes from templates written for kg (below); the names in them come from
``ontologies/gazetteer.tsv``, plus a few invented companies that the gazetteer does not know,
spelled slightly differently from article to article (so cross-document merging has work to do).
The same seed gives the same corpus, byte for byte.

    python bench/corpus.py OUT_DIR --docs 200 --kb 1
"""
from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GAZETTEER = ROOT / "ontologies" / "gazetteer.tsv"

# Invented organizations: (English spellings used across articles, Chinese spellings).
INVENTED = [
    (["Lumora Robotics", "Lumora Robotics Inc."], ["星海智能", "星海智能公司"]),
    (["Quillfin Labs", "Quillfin Labs Inc."], ["青鸾科技", "青鸾科技公司"]),
    (["Verdant Compute", "Verdant Compute Corp."], ["绿野算力", "绿野算力有限公司"]),
]

EN = [
    "{a} invested ${n} million in {b} in {y}.",
    "{b} raised ${n} million from {inv} last year.",
    "{inv} led {b}'s latest funding round.",
    "{a} competes with {b} in the market for enterprise software.",
    "{a} relies on {cloud} for computing power.",
    "{a} partnered with {b} to build new services for customers.",
    "{a} launched {model} in {month}.",
    "{a} acquired {b2} in {y}.",
    "{a} CEO {p} spoke at the annual developer conference.",
    "{p} founded {new} in {y}.",
    "{sup} supplies chips to {a}.",
    "The partnership between {a} and {b} covers data centers in {place}.",
    "{new}, a startup backed by {inv}, is building robots for warehouses.",
    "{new} raised ${n} million from {inv} in {y}.",
]
EN_FILLER = [
    "Shares of {a} rose {k} percent in early trading on {day}.",
    "Analysts expect demand for AI servers to stay strong through the rest of the year.",
    "The company declined to comment on the figures, a spokesperson said.",
    "Executives said the new data center in {place} would open in {y}.",
    "Investors have grown more cautious about spending on large language models.",
    "{a} and {b} both reported earnings on {day}.",
    "Regulators in {place} are reviewing how cloud contracts are priced.",
]
ZH = [
    "{a}对{b}进行了{n}亿元的投资。",
    "{b}获得了{inv}的{n}亿元投资。",
    "{a}与{b}在云计算领域展开激烈竞争。",
    "{a}高度依赖{cloud}的算力。",
    "{a}与{b}达成合作协议。",
    "{a}发布了{model}。",
    "{a}收购了{b2}。",
    "{a}首席执行官{p}表示,公司将继续加大投入。",
    "{p}创办了{new}。",
    "{sup}向{a}供应了大量芯片。",
    "{new}获得了{inv}的{n}亿元投资。",
]
ZH_FILLER = [
    "{a}的股价今天上涨了{k}%。",
    "分析师认为今年人工智能服务器的需求仍将保持强劲。",
    "公司发言人表示暂不评论相关数据。",
    "业内人士指出,大模型的训练成本仍在快速上升。",
    "{a}和{b}都在{place}举办了开发者大会。",
    "市场人士认为,{y}年的芯片供应依然紧张。",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTHS = ["January", "March", "May", "July", "September", "November"]


def _gazetteer() -> dict[str, list[tuple[str, str]]]:
    """class -> [(en, zh)] for gazetteer entries that have both names."""
    pools: dict[str, list[tuple[str, str]]] = {}
    with GAZETTEER.open(encoding="utf-8") as f:
        for row in csv.reader((line for line in f if not line.startswith("#")), delimiter="\t"):
            if len(row) < 4 or row[0] == "key" or not row[2] or not row[3]:
                continue
            pools.setdefault(row[1], []).append((row[2], row[3]))
    return pools


class Corpus:
    """Draws article text from the templates; ``Corpus(seed).article(i)`` is deterministic."""

    def __init__(self, seed: int = 7):
        self.seed = seed
        g = _gazetteer()
        self.orgs = g["Company"]
        self.investors = g["InvestmentFirm"] + g["Company"][:20]
        self.people = g["Person"]
        self.models = g["AIModel"] + g["Product"]
        self.clouds = g["CloudService"]
        self.suppliers = [e for e in g["Company"] if e[0] in {"TSMC", "Nvidia", "SK Hynix", "Samsung Electronics",
                                                                "Micron", "AMD", "Intel", "Qualcomm", "Broadcom"}]
        self.places = g["City"] + g["Country"]

    def _fill(self, rnd: random.Random, template: str, lang: str) -> str:
        i = 0 if lang == "en" else 1
        pick = lambda pool: rnd.choice(pool)[i]
        a, b = rnd.sample(self.orgs, 2)
        new = rnd.choice(INVENTED)[i]
        return template.format(
            a=a[i], b=b[i], b2=pick(self.orgs), inv=pick(self.investors), p=pick(self.people),
            model=pick(self.models), cloud=pick(self.clouds), sup=pick(self.suppliers), place=pick(self.places),
            new=rnd.choice(new), n=rnd.randint(2, 900), y=rnd.randint(2015, 2025), k=rnd.randint(1, 9),
            day=rnd.choice(DAYS), month=rnd.choice(MONTHS))

    def article(self, index: int, kb: float = 4.0) -> tuple[str, str]:
        """(file name, text) of article ``index``, about ``kb`` KB of UTF-8 (varying +-50%)."""
        rnd = random.Random(f"{self.seed}:{index}")
        lang = "zh" if index % 2 else "en"
        rel, filler = (ZH, ZH_FILLER) if lang == "zh" else (EN, EN_FILLER)
        target = int(kb * 1024 * rnd.uniform(0.5, 1.5))
        a = rnd.choice(self.orgs)[0 if lang == "en" else 1]
        title = (f"{a} and its rivals: what the latest deals mean" if lang == "en"
                 else f"{a}与竞争对手:最新交易意味着什么")
        lines, size = [title], len(title.encode("utf-8"))
        while size < target:
            n = rnd.randint(2, 5)
            para = [self._fill(rnd, rnd.choice(rel if rnd.random() < 0.6 else filler), lang) for _ in range(n)]
            if rnd.random() < 0.1:      # now and then, a paragraph in the other language
                other = EN if lang == "zh" else ZH
                para.append(self._fill(rnd, rnd.choice(other), "zh" if lang == "en" else "en"))
            text = (" " if lang == "en" else "").join(para)
            lines.append(text)
            size += len(text.encode("utf-8")) + 1
        return f"{index:05d}-{lang}.txt", "\n".join(lines) + "\n"


def write_corpus(out: str | Path, docs: int, kb: float = 4.0, seed: int = 7) -> list[Path]:
    """Write ``docs`` articles into ``out`` (created if needed); returns the paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(seed)
    paths = []
    for i in range(docs):
        name, text = corpus.article(i, kb)
        path = out / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out")
    p.add_argument("--docs", type=int, default=200)
    p.add_argument("--kb", type=float, default=4.0, help="mean article size in KB")
    p.add_argument("--seed", type=int, default=7)
    a = p.parse_args()
    paths = write_corpus(a.out, a.docs, a.kb, a.seed)
    total = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} articles, {total / 1024:.0f} KB, to {a.out}")


if __name__ == "__main__":
    main()
