"""Who a phone is: the name search (``names``), what one phone may learn and do (``guard``),
and personal links that say it at once (``personal``). Pure: no Qt, no SQL, no network."""
