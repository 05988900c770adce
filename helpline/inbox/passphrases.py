"""Return passphrases for secure-message threads: made here, shown once, never stored.

A passphrase is six words from the EFF long word list, less a few dozen words that would alarm or
hurt someone using this service, or anyone who found the words written down ("preschool", "groom",
"secret"): 6 of the remaining 7700-odd words are still over 77 bits. The database keeps two things
derived from it, both keyed with PASSPHRASE_SECRET from the environment:

- a *lookup* value, HMAC-SHA256 of the passphrase, so the thread can be found with one indexed query;
- a *verifier*, scrypt of the passphrase with a per-thread salt and the secret as pepper, checked in
  constant time before anything is shown.

Without the secret, a stolen database cannot even be used to test guesses; with it, 77 bits and a
slow hash still put guessing out of reach. People retype words in many ways, so both are computed on
a normalised form: lower case, words separated by single spaces, any punctuation treated as a gap.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import math
import re
import secrets

WORD_LIST = "wordlist_en_eff.txt"
SCRYPT_R = 8
SCRYPT_P = 1
_SEPARATORS = re.compile(r"[^a-z]+")


# Left out of passphrases: children, school and family, touch and sex, harm, police and prison.
EXCLUDED_WORDS = frozenset(
    [
        "arrest",
        "bath",
        "childcare",
        "childhood",
        "childish",
        "childless",
        "childlike",
        "chokehold",
        "cuddle",
        "cuddly",
        "dad",
        "darling",
        "daughter",
        "daycare",
        "diaper",
        "family",
        "fondling",
        "grandpa",
        "groom",
        "grope",
        "jailbird",
        "jailbreak",
        "jailer",
        "jailhouse",
        "junior",
        "junkie",
        "juvenile",
        "kissable",
        "kisser",
        "kissing",
        "licking",
        "lure",
        "lustfully",
        "lustily",
        "lustiness",
        "lusty",
        "moisten",
        "moistness",
        "mom",
        "mummy",
        "nephew",
        "niece",
        "nursery",
        "petite",
        "petticoat",
        "playgroup",
        "playmate",
        "playpen",
        "playroom",
        "plaything",
        "playtime",
        "police",
        "predator",
        "preschool",
        "prison",
        "punisher",
        "pupil",
        "rubdown",
        "secret",
        "seduce",
        "seducing",
        "shame",
        "sibling",
        "sister",
        "strangle",
        "student",
        "suffocate",
        "thigh",
        "uncle",
        "underwear",
        "undress",
        "wound",
    ]
)


@functools.cache
def eff_long_list() -> tuple[str, ...]:
    """The EFF long list as shipped by the diceware package (lines are "11111<tab>abacus")."""
    from importlib.resources import files

    text = (files("diceware") / "wordlists" / WORD_LIST).read_text(encoding="utf-8")
    words = tuple(line.split()[-1] for line in text.splitlines() if line.strip())
    if len(words) != 7776 or len(set(words)) != 7776:
        raise RuntimeError(f"The EFF word list should hold 7776 distinct words, found {len(set(words))}.")
    return words


@functools.cache
def word_list() -> tuple[str, ...]:
    """The words passphrases are drawn from."""
    return tuple(word for word in eff_long_list() if word not in EXCLUDED_WORDS)


def passphrase_bits(words: int) -> float:
    return words * math.log2(len(word_list()))


def new_passphrase(words: int | None = None) -> str:
    from django.conf import settings

    count = words or settings.HELPLINE["PASSPHRASE_WORDS"]
    choices = word_list()
    return " ".join(secrets.choice(choices) for _ in range(count))


def normalise(typed: str) -> str:
    """The form both hashes are computed on: "Acorn-Lumber  yo-yo" -> "acorn lumber yo yo"."""
    return " ".join(_SEPARATORS.split(typed.lower())).strip()


def _secret() -> bytes:
    from django.conf import settings

    return settings.PASSPHRASE_SECRET.encode()


def lookup_value(passphrase: str) -> str:
    return hmac.new(_secret(), b"lookup:" + normalise(passphrase).encode(), hashlib.sha256).hexdigest()


def _scrypt(passphrase: str, salt: bytes, n: int) -> bytes:
    peppered = hmac.new(_secret(), b"verify:" + normalise(passphrase).encode(), hashlib.sha256).digest()
    return hashlib.scrypt(
        peppered, salt=salt, n=n, r=SCRYPT_R, p=SCRYPT_P, maxmem=256 * SCRYPT_R * n, dklen=32
    )


def make_verifier(passphrase: str) -> str:
    """ "scrypt$n$salt$hash": the cost travels with the hash, so it can be raised later."""
    from django.conf import settings

    n = settings.HELPLINE["PASSPHRASE_SCRYPT_N"]
    salt = secrets.token_bytes(16)
    return f"scrypt${n}${salt.hex()}${_scrypt(passphrase, salt, n).hex()}"


def check_verifier(passphrase: str, verifier: str) -> bool:
    try:
        scheme, n, salt, expected = verifier.split("$")
        if scheme != "scrypt":
            return False
        actual = _scrypt(passphrase, bytes.fromhex(salt), int(n))
    except ValueError:
        return False
    return hmac.compare_digest(actual, bytes.fromhex(expected))


def looks_like_a_passphrase(typed: str) -> bool:
    """Cheap sanity check before any hashing: a few words of letters, nothing enormous."""
    normalised = normalise(typed)
    return 0 < len(normalised) <= 200 and len(normalised.split()) >= 3
