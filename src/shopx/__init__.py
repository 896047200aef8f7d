"""ShopX Sales Analytics."""

__version__ = "0.1.0"
