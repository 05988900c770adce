"""Adding several helplines' pooling files (docs/pooling.md) into one network file.

Only files of the same format version, grouping, language and period boundaries are added. A sum with
any suppressed term is not known ("pooled"): never read as 0, as the threshold or as a lower bound.
Known sums below the threshold are suppressed as small, and complementary suppression is applied again
over the sums the network file states (missed = its parts, the range = its periods, answered = its
waits, all languages = each language), so the network file gives away no more than its members'.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from helpline.stats import figures

FORMAT = "open-door-figures"
MAJOR_VERSION = "1"

Cell = tuple[str, str, str]  # (block: "range", "period:<n>" or "language:<code>", key)


class PoolingError(ValueError):
    """Files that cannot be added up, and why."""


def _shape(document: dict[str, Any]) -> tuple[Any, ...]:
    return (
        document["grouping"],
        document["language"],
        (document["range"]["first"], document["range"]["last"]),
        tuple((p["first"], p["last"]) for p in document["periods"]),
        tuple(sorted(document.get("languages", {}))),
    )


def check(documents: Sequence[dict[str, Any]]) -> None:
    if not documents:
        raise PoolingError("No files to add up.")
    for document in documents:
        if document.get("format") != FORMAT:
            raise PoolingError(f"Not a pooling file (format {document.get('format')!r}).")
        if str(document.get("version", "")).split(".")[0] != MAJOR_VERSION:
            raise PoolingError(f"Format version {document.get('version')!r} is not one this reads.")
    shapes = {_shape(document) for document in documents}
    if len(shapes) != 1:
        raise PoolingError(
            "The files differ in grouping, language or period boundaries: download them with the same "
            "?until=, ?by= and ?language=."
        )


def pool(documents: Sequence[dict[str, Any]], threshold: int = 0) -> dict[str, Any]:
    check(documents)
    threshold = max([threshold, *(int(d["threshold"]) for d in documents)])
    first = documents[0]
    blocks: dict[str, dict[str, Any]] = {"range": first["range"]["figures"]}
    blocks.update({f"period:{n}": p["figures"] for n, p in enumerate(first["periods"])})
    blocks.update({f"language:{code}": row for code, row in first.get("languages", {}).items()})

    def figures_of(document: dict[str, Any], block: str) -> dict[str, Any]:
        if block == "range":
            return document["range"]["figures"]
        kind, _, name = block.partition(":")
        if kind == "period":
            return document["periods"][int(name)]["figures"]
        return document["languages"][name]

    values: dict[Cell, int] = {}
    unknown: list[Cell] = []
    for block, keys in blocks.items():
        for key in keys:
            terms = [figures_of(document, block).get(key) for document in documents]
            cell = (block, "", key)
            if all(isinstance(term, int) for term in terms):
                values[cell] = sum(terms)  # type: ignore[arg-type]
            else:
                values[cell] = 0  # not read: the cell is unknown
                unknown.append(cell)
    status = figures.suppress(values, _groups(blocks), threshold, unknown)

    def value(cell: Cell) -> Any:
        fate = status[cell]
        if fate == figures.UNKNOWN:
            return {"suppressed": "pooled"}
        if fate == figures.SMALL:
            return {"suppressed": "small"}
        if fate == figures.WITHHELD:
            return {"suppressed": "complementary"}
        return values[cell]

    def block_of(name: str, period: dict[str, Any]) -> dict[str, Any]:
        return {
            "first": period["first"],
            "last": period["last"],
            "complete": all(
                (d["range"] if name == "range" else d["periods"][int(name.split(":")[1])])["complete"]
                for d in documents
            ),
            "figures": {key: value((name, "", key)) for key in blocks[name]},
        }

    network: dict[str, Any] = {
        "format": FORMAT,
        "version": first["version"],
        "service": {
            "name": "network",
            "country": "",
            "members": [
                {"name": d["service"].get("name", ""), "country": d["service"].get("country", "")}
                for d in documents
            ],
        },
        "grouping": first["grouping"],
        "language": first["language"],
        "threshold": threshold,
        "range": block_of("range", first["range"]),
        "periods": [block_of(f"period:{n}", p) for n, p in enumerate(first["periods"])],
    }
    if "languages" in first:
        network["languages"] = {
            code: {key: value((f"language:{code}", "", key)) for key in row}
            for code, row in first["languages"].items()
        }
    return network


def _groups(blocks: dict[str, dict[str, Any]]) -> list[tuple[Cell, tuple[Cell, ...]]]:
    """The sums a network file states, as in figures._groups."""
    groups: list[tuple[Cell, tuple[Cell, ...]]] = []
    for block, keys in blocks.items():
        if "missed" in keys and all(part in keys for part in figures.MISSED_PARTS):
            groups.append(((block, "", "missed"), tuple((block, "", part) for part in figures.MISSED_PARTS)))
    periods = [block for block in blocks if block.startswith("period:")]
    for key in figures.MEASURE_KEYS:
        if key in blocks["range"]:
            groups.append((("range", "", key), tuple((p, "", key) for p in periods if key in blocks[p])))
    waits = tuple(("range", "", name) for name in figures.WAIT_ANSWERED if name in blocks["range"])
    if waits and "answered" in blocks["range"]:
        groups.append((("range", "", "answered"), waits))
    languages = [block for block in blocks if block.startswith("language:")]
    for key in figures.LANGUAGE_TABLE_KEYS:
        if languages and key in blocks["range"]:
            groups.append(
                (("range", "", key), tuple((lang, "", key) for lang in languages if key in blocks[lang]))
            )
    return groups
