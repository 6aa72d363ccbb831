"""`kg eval`: the scoring users run when they extend the lexicons."""
import json
import subprocess
import sys

from kg.evaluate import evaluate

GOLD = {
    "text": "微软对 OpenAI 进行了投资。Google competes with OpenAI.",
    "entities": [
        {"id": "Microsoft", "type": "Organization", "aliases": ["微软"]},
        {"id": "OpenAI", "type": "Organization", "aliases": ["OpenAI"]},
        {"id": "Google", "type": "Organization", "aliases": ["Google", "谷歌"]},
        {"id": "Anthropic", "type": "Organization", "aliases": ["Anthropic"]},
    ],
    "triples": [
        {"s": "Microsoft", "p": "investsIn", "o": "OpenAI"},
        {"s": "OpenAI", "p": "competesWith", "o": "Google"},
        {"s": "Anthropic", "p": "dependsOn", "o": "Google"},
    ],
    "events": [{"investor": "Microsoft", "investee": "OpenAI", "amount": None, "currency": None, "year": None}],
}


def test_scores_hits_misses_and_symmetry(tmp_path):
    path = tmp_path / "mini.json"
    path.write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    report = evaluate([path], verbose=True)
    rel = report["files"]["mini"]["relations"]
    assert (rel["tp"], rel["fp"], rel["hit"], rel["gold"]) == (2, 0, 2, 3)
    assert rel["missed"] == ["Anthropic dependsOn Google"]
    ent = report["files"]["mini"]["entities"]
    assert ent["hit"] == 3 and ent["missed"] == ["Anthropic"]
    assert report["total"]["events"]["f1"] == 1.0


def test_cli_bad_gold_is_one_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "eval", str(bad)], capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("kg: error:")
