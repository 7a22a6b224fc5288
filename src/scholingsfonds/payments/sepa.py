"""The files of a payment run: SEPA credit transfer (pain.001.001.03) and a CSV for the books.

The SEPA file is written by sepaxml, which validates it against the pain.001.001.03 XSD it
ships (`export(validate=True)`); `pain001_errors` validates any file again with xmlschema.
"""

from __future__ import annotations

import csv
import io
import os
from typing import Any

from sepaxml import SepaTransfer

from scholingsfonds.payments.models import FundBankAccount, PaymentBatch

SCHEMA = "pain.001.001.03"


def schema_path() -> str:
    import sepaxml

    return os.path.join(os.path.dirname(sepaxml.__file__), "schemas", f"{SCHEMA}.xsd")


def pain001(batch: PaymentBatch, account: FundBankAccount) -> bytes:
    """One batch payment information block, one transaction per invoice, validated."""
    config: dict[str, Any] = {
        "name": account.name,
        "IBAN": account.iban,
        "batch": True,
        "currency": "EUR",
    }
    if account.bic:
        config["BIC"] = account.bic
    transfer = SepaTransfer(config, schema=SCHEMA, clean=True)
    for line in batch.lines.order_by("id"):
        payment: dict[str, Any] = {
            "name": line.payee_name,
            "IBAN": line.iban,
            "amount": int(line.amount_cents),
            "execution_date": batch.execution_date,
            "description": line.description,
            "endtoend_id": line.end_to_end_id,
        }
        if line.bic:
            payment["BIC"] = line.bic
        transfer.add_payment(payment)
    return bytes(transfer.export(validate=True))


def pain001_errors(xml: bytes | str) -> list[str]:
    """Validate a pain.001 file against the scheme's XSD; empty when valid."""
    import xmlschema

    schema = xmlschema.XMLSchema(schema_path())
    text = xml.decode() if isinstance(xml, bytes) else xml
    return [str(error.reason or error) for error in schema.iter_errors(text)]


def _amount(cents: int) -> str:
    # Dutch bookkeeping packages read a decimal comma in a semicolon-separated file.
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100},{cents % 100:02d}"


CSV_HEADER = [
    "betaalronde",
    "uitvoerdatum",
    "kenmerk",
    "factuurnummer",
    "factuurdatum",
    "chequecode",
    "fonds",
    "opleider",
    "kvk",
    "iban",
    "bron",
    "financier",
    "categorie",
    "bedrag",
]


def batch_csv(batch: PaymentBatch) -> str:
    """One row per transfer per funding source, so the municipality books each euro on the
    funder that pays it; the amounts add up to the run's total."""
    from scholingsfonds.budget.models import FundingSource

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    lines = list(batch.lines.select_related("invoice__voucher", "invoice__provider").order_by("id"))
    sources = FundingSource.objects.in_bulk(
        {part["source_id"] for line in lines for part in line.split}
    )
    for line in lines:
        invoice = line.invoice
        for part in line.split:
            source = sources[part["source_id"]]
            writer.writerow(
                [
                    batch.number,
                    batch.execution_date.isoformat(),
                    line.end_to_end_id,
                    invoice.number,
                    invoice.invoice_date.isoformat(),
                    invoice.voucher.code,
                    batch.fund.slug,
                    invoice.provider.name,
                    invoice.provider.kvk_number,
                    line.iban,
                    source.name,
                    source.funder,
                    source.category,
                    _amount(part["amount_cents"]),
                ]
            )
    return out.getvalue()
