"""The spaCy components: entry points, JSON-safe extensions, save/load, pickling, multiprocessing."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import spacy

from factcheck.checker import build_nlp

TEXTS = [
    "Stem Cell Therapy for MS\nOur clinic offers mesenchymal stem cells for multiple sclerosis. Book now.",
    "HSCT for MS\nWe offer HSCT for highly active relapsing MS to reduce relapses. Contact us for a quote.",
    "A page about gardening: plant stem cuttings in spring.",
]


def _claims(nlp: spacy.Language, texts: list[str] = TEXTS) -> list[list[dict[str, object]]]:
    return [doc._.claims for doc in nlp.pipe(texts)]


def test_components_are_added_by_name_without_importing_factcheck() -> None:
    code = (
        "import sys, spacy\n"
        "nlp = spacy.blank('en')\n"
        "for name in ('factcheck_sentences', 'factcheck_terms', 'factcheck_context', 'factcheck_claims'):\n"
        "    nlp.add_pipe(name)\n"
        "doc = nlp('Our clinic offers mesenchymal stem cells for multiple sclerosis. Book a consultation.')\n"
        "print(len(doc._.claims))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(out.stdout.strip()) >= 1


def test_extensions_hold_json_values_only() -> None:
    nlp = build_nlp()
    doc = nlp(TEXTS[0])
    assert doc._.claims
    json.dumps({"claims": doc._.claims, "stance": doc._.fc_stance, "terms": doc._.fc_terms,
                "cues": doc._.fc_cues, "dismissed": doc._.fc_dismissed})
    labels = {span.label_ for span in doc.spans["fc_terms"]}
    assert {"THERAPY", "CONDITION"} <= labels


def test_sentences_respect_block_boundaries() -> None:
    nlp = build_nlp()
    doc = nlp("Stem cells for MS\nour patients walk again\nBook now")
    assert [s.text.strip() for s in doc.sents] == ["Stem cells for MS", "our patients walk again", "Book now"]


def test_to_disk_and_spacy_load_give_the_same_claims(tmp_path: Path) -> None:
    nlp = build_nlp(extra_rules=[{"literal": "reserve your spot", "category": "OFFER", "direction": "PAGE"}])
    nlp.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    assert loaded.pipe_names == nlp.pipe_names
    assert _claims(loaded) == _claims(nlp)
    assert loaded.get_pipe("factcheck_context").cfg["extra_rules"][0]["literal"] == "reserve your spot"


def test_to_bytes_round_trip_and_pickle_give_the_same_claims() -> None:
    nlp = build_nlp()
    clone = build_nlp().from_bytes(nlp.to_bytes())
    assert _claims(clone) == _claims(nlp)
    assert _claims(pickle.loads(pickle.dumps(nlp))) == _claims(nlp)


def test_pipe_with_two_processes_under_spawn_matches_one_process() -> None:
    code = (
        "import json, multiprocessing as mp, sys\n"
        "mp.set_start_method('spawn', force=True)\n"
        "from factcheck.checker import build_nlp\n"
        "texts = json.loads(sys.stdin.read())\n"
        "nlp = build_nlp()\n"
        "one = [d._.claims for d in nlp.pipe(texts)]\n"
        "two = [d._.claims for d in nlp.pipe(texts, n_process=2, batch_size=1)]\n"
        "print(json.dumps(one == two and any(one)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], input=json.dumps(TEXTS * 2), capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().endswith("true")
