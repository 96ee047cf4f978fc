"""tariff: read Japanese care-fee documents into a canonical, dated, sourced tariff dataset."""

__version__ = "0.1.0"
