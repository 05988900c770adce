"""The list editors keep of what seekers type and what the library calls the same thing.

Its own module because only search reads it (editors keep it in the admin); resources.models
imports it, so it is one of the app's models like any other (table resources_searchsynonym).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, gettext_lazy


class SearchSynonym(models.Model):
    """Words a seeker may type, and the words the library itself uses for the same thing.

    A search for any of `terms` also looks for each of `also_means` ("my husband" also looks for
    "partner"). It works one way only, so "partner" does not bring up every page about husbands;
    editors add the other direction as its own row when they want it. Read by resources.search on
    every search, so a change here shows in results at once.
    """

    MAX_PHRASES = 20
    MAX_WORDS = 8

    # Each language has its own list: a Dutch search reads only the Dutch rows.
    language = models.CharField(
        gettext_lazy("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=gettext_lazy("Used for searches made on the pages in this language."),
    )
    terms = models.CharField(
        gettext_lazy("when someone searches for"),
        max_length=300,
        help_text=gettext_lazy(
            "Words or phrases people might type, separated by commas, e.g. “paedophile, pedophile”. "
            "Other forms of a word are found too (“urge” also finds “urges”)."
        ),
    )
    also_means = models.CharField(
        gettext_lazy("also search for"),
        max_length=300,
        help_text=gettext_lazy(
            "The words our pages use for the same thing, separated by commas, e.g. “attracted to "
            "children, sexual thoughts about children”. Shown to the person as “Also showing results "
            "for”, so write them in the plain, kind language of the site."
        ),
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["language", "terms"]
        verbose_name = gettext_lazy("search synonym")
        verbose_name_plural = gettext_lazy("search synonyms")

    def __str__(self) -> str:
        return f"{self.terms} → {self.also_means}"

    @staticmethod
    def phrases(text: str) -> list[str]:
        """The comma-separated words or phrases in one of the fields, tidied."""
        return [" ".join(part.split()) for part in text.replace("\n", ",").split(",") if part.strip()]

    def clean(self) -> None:
        errors = {}
        for name in ("terms", "also_means"):
            phrases = [p for p in self.phrases(getattr(self, name)) if any(c.isalnum() for c in p)]
            if not phrases:
                errors[name] = gettext("Write at least one word or phrase. Separate several with commas.")
            elif len(phrases) > self.MAX_PHRASES:
                errors[name] = gettext("Use at most %(count)s words or phrases here.") % {
                    "count": self.MAX_PHRASES
                }
            elif any(len(p.split()) > self.MAX_WORDS for p in phrases):
                errors[name] = gettext("Keep each phrase to %(count)s words or fewer.") % {
                    "count": self.MAX_WORDS
                }
        if errors:
            raise ValidationError(errors)
