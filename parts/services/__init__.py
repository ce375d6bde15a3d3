"""Every write of the parts app, and the rules behind them.

Topic modules: `catalog` (parts, vendors, vendors' numbers and costs), `pricing` (the
pricing matrix and selling prices), `lines` (a catalog part put on a work order), `stock`
(movements: received, sold, returned, adjusted, counted).
"""

from parts.services.catalog import (
    part_create,
    part_update,
    vendor_create,
    vendor_part_remove,
    vendor_part_set,
    vendor_update,
)
from parts.services.counting import count_sheet_create, count_sheet_post
from parts.services.lines import part_line_add
from parts.services.price_files import (
    price_file_apply_run,
    price_file_apply_start,
    price_file_check,
    price_file_columns_guess,
    price_file_upload,
)
from parts.services.pricing import part_price, price_for_cost, pricing_matrix, pricing_matrix_set
from parts.services.purchasing import (
    purchase_order_cancel,
    purchase_order_create,
    purchase_order_line_add,
    purchase_order_line_remove,
    purchase_order_line_update,
    purchase_order_receive,
    purchase_order_return,
    purchase_order_send,
    purchase_orders_from_suggestions,
    purchase_orders_from_work_order,
)
from parts.services.stock import (
    on_hand,
    stock_adjust,
    stock_count,
    stock_receive,
    stock_work_order_return,
    stock_work_order_sell,
)

__all__ = [
    "count_sheet_create",
    "count_sheet_post",
    "on_hand",
    "part_create",
    "part_line_add",
    "part_price",
    "part_update",
    "price_file_apply_run",
    "price_file_apply_start",
    "price_file_check",
    "price_file_columns_guess",
    "price_file_upload",
    "price_for_cost",
    "pricing_matrix",
    "pricing_matrix_set",
    "purchase_order_cancel",
    "purchase_order_create",
    "purchase_order_line_add",
    "purchase_order_line_remove",
    "purchase_order_line_update",
    "purchase_order_receive",
    "purchase_order_return",
    "purchase_order_send",
    "purchase_orders_from_suggestions",
    "purchase_orders_from_work_order",
    "stock_adjust",
    "stock_count",
    "stock_receive",
    "stock_work_order_return",
    "stock_work_order_sell",
    "vendor_create",
    "vendor_part_remove",
    "vendor_part_set",
    "vendor_update",
]
