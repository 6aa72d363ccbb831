"""Where the tests find the checkout and the shared material beside it (never copied into the repo)."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent          # the checkout
ARTICLES = ROOT / "examples" / "articles"
SHARED = ROOT.parent / "shared"                         # CI has ../shared beside the clone
SEEDS = SHARED / "seeds"
SEED = SEEDS / "000_b625d6200ca549e7.txt"
DEV = SHARED / "eval" / "dev"
