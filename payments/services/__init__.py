"""Every write of money, and the rules behind them.

Topic modules: `ledger` (entries, the invoice charge at bill-out and its reversal on a
reopen, moving credit), `taking` (payments, deposits, refunds, voids), `accounts` (A/R
terms, charging to account, payments on account, credit), `day_close` (End of Day),
`paylink` (pay by link: deposit asked, checkout, the provider's payment recorded once).
"""

from payments.services.accounting import accounting_settings_update
from payments.services.accounts import (
    account_payment_take,
    ar_account_get,
    ar_account_update,
    credit_apply,
    invoice_charge_to_account,
)
from payments.services.day_close import day_close
from payments.services.ledger import (
    credit_move,
    drawer_default,
    invoice_charge_reverse,
    invoice_charge_write,
)
from payments.services.paylink import (
    deposit_request_set,
    online_checkout_start,
    online_payment_record,
    paylink_send,
    paylink_url_make,
)
from payments.services.taking import (
    TenderInput,
    deposit_take,
    money_read,
    payment_refund,
    payment_take,
    payment_void,
)

__all__ = [
    "TenderInput",
    "account_payment_take",
    "accounting_settings_update",
    "ar_account_get",
    "ar_account_update",
    "credit_apply",
    "credit_move",
    "day_close",
    "deposit_request_set",
    "deposit_take",
    "drawer_default",
    "invoice_charge_reverse",
    "invoice_charge_to_account",
    "invoice_charge_write",
    "money_read",
    "online_checkout_start",
    "online_payment_record",
    "paylink_send",
    "paylink_url_make",
    "payment_refund",
    "payment_take",
    "payment_void",
]
