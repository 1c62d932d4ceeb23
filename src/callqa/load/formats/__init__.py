"""Format readers, one module per format family; importing this package registers them all."""

from callqa.load.formats import asr, aws, azure, canonical, csv_chat, google, subtitles, text

__all__ = ["asr", "aws", "azure", "canonical", "csv_chat", "google", "subtitles", "text"]
