"""Ids shared by the Block Kit builders and the listeners that handle what they build.

``BlockId`` values are the domain's field names (``part_number``, ``quantity``, ...), so the
``errors`` of an ``InvalidInput`` map straight onto a modal's input blocks.
"""

from __future__ import annotations

from enum import StrEnum


class ActionId(StrEnum):
    # parts
    PART_VIEW = "part.view"
    PART_USE = "part.use"
    PART_RESTOCK = "part.restock"
    PART_COUNT = "part.count"
    PART_HISTORY = "part.history"
    PART_EDIT = "part.edit"
    PART_DELETE = "part.delete"
    PART_ARCHIVE = "part.archive"
    PART_ADD = "part.add"
    PARTS_NEXT = "parts.page.next"
    PARTS_PREVIOUS = "parts.page.previous"
    HISTORY_NEXT = "history.page.next"
    HISTORY_PREVIOUS = "history.page.previous"
    # instruments
    INSTRUMENT_VIEW = "instrument.view"
    INSTRUMENT_EDIT = "instrument.edit"
    INSTRUMENT_STATUS = "instrument.status"
    INSTRUMENT_ADD = "instrument.add"
    INSTRUMENT_PARTS = "instrument.parts"
    INSTRUMENT_HISTORY = "instrument.history"
    INSTRUMENT_ARCHIVE = "instrument.archive"
    INSTRUMENT_DELETE = "instrument.delete"
    INSTRUMENTS_NEXT = "instruments.page.next"
    INSTRUMENTS_PREVIOUS = "instruments.page.previous"
    # alerts
    ALERT_ACKNOWLEDGE = "alert.acknowledge"
    ALERT_RESOLVE = "alert.resolve"
    ALERTS_NEXT = "alerts.page.next"
    ALERTS_PREVIOUS = "alerts.page.previous"
    # the buttons of an alert's channel message (and of a digest)
    ALERT_MESSAGE_ACKNOWLEDGE = "alert_message.acknowledge"
    ALERT_MESSAGE_RESOLVE = "alert_message.resolve"
    ALERT_MESSAGE_SNOOZE = "alert_message.snooze"
    ALERT_MESSAGE_DONE = "alert_message.done"
    ALERT_DIGEST_LIST = "alert_digest.list"
    # the shopping list: request a supplier's parts, export the list
    SHOPPING_REQUEST_GROUP = "shopping.request_group"
    SHOPPING_EXPORT = "shopping.export"
    # the buttons of a reorder request's message in the purchasing channel
    ORDER_APPROVE = "order.approve"
    ORDER_REJECT = "order.reject"
    ORDER_EDIT = "order.edit"
    ORDER_MARK_ORDERED = "order.mark_ordered"
    ORDER_RECEIVE = "order.receive"
    ORDER_CANCEL = "order.cancel"
    SUPPLIER_PICKER = "supplier.picker"
    # a choice from a pick list; the value carries the command to continue
    PICK = "pick.choose"
    # external_select menus, answered by an options listener
    PART_PICKER = "part.picker"
    INSTRUMENT_PICKER = "instrument.picker"
    # App Home quick actions
    QUICK_FIND_PART = "quick.find_part"
    QUICK_USE = "quick.use"
    QUICK_RESTOCK = "quick.restock"
    # a preview of an import file, in the person's DM
    IMPORT_CONFIRM = "import.confirm"
    IMPORT_CANCEL = "import.cancel"
    # account
    ACCOUNT_LINK = "account.link"
    ACCOUNT_LINK_OPEN = "account.link_open"
    ACCOUNT_UNLINK = "account.unlink"
    # reorder requests, suppliers and offers (the purchasing channel's buttons are apart)
    REORDER_OPEN = "reorder.open"
    ORDERS_VIEW = "orders.view"
    SUPPLIER_EDIT = "supplier.edit"
    SUPPLIERS_NEXT = "suppliers.page.next"
    SUPPLIERS_PREVIOUS = "suppliers.page.previous"
    OFFER_ADD = "offer.add"
    OFFER_MENU = "offer.menu"  # an overflow: edit, make preferred, remove
    OFFER_USE_LEAD_TIME = "offer.use_lead_time"
    REORDER_LEVELS = "part.reorder_levels"
    # suggested minimums: accept one part's suggestion, or every one shown
    MINIMUM_ACCEPT = "minimum.accept"
    MINIMUMS_ACCEPT_ALL = "minimums.accept_all"
    # the element of every plain modal input (read as state[block_id][FIELD])
    FIELD = "field"
    # accounts: the admins' user list and account card, and the invitation's Slack user
    USERS_NEXT = "users.page.next"
    USERS_PREVIOUS = "users.page.previous"
    ACCOUNT_VIEW = "account.view"
    ACCOUNT_ROLE = "account.role"
    ACCOUNT_DEACTIVATE = "account.deactivate"
    ACCOUNT_REACTIVATE = "account.reactivate"
    ACCOUNT_UNLINK_USER = "account.unlink_user"
    ACCOUNT_DELETE = "account.delete"
    ACCOUNT_EDIT = "account.edit"
    ACCOUNT_SLACK_USER = "account.slack_user"


class ShortcutId(StrEnum):
    """The callback ids of the shortcuts in ``manifest.yml``."""

    TAKE_PART = "take_part"  # global: opens the Use form with a part picker
    RAISE_ALERT = "raise_alert"  # on a message: opens the raise-alert form with its text


class CallbackId(StrEnum):
    PART_ADD = "part_add"
    PART_EDIT = "part_edit"
    PART_DELETE = "part_delete"
    PART_FIND = "part_find"
    IMPORT_FILE = "import_file"
    INSTRUMENT_ADD = "instrument_add"
    INSTRUMENT_EDIT = "instrument_edit"
    INSTRUMENT_STATUS = "instrument_status"
    STOCK_USE = "stock_use"
    STOCK_RESTOCK = "stock_restock"
    STOCK_COUNT = "stock_count"
    USER_ADD = "user_add"
    USER_EDIT = "user_edit"
    ALERT_RAISE = "alert_raise"
    ALERT_ROUTE = "alert_route"
    ORDER_REJECT = "order_reject"
    ORDER_EDIT = "order_edit"
    ORDER_MARK_ORDERED = "order_mark_ordered"
    ORDER_RECEIVE = "order_receive"
    ORDER_CANCEL = "order_cancel"
    REORDER_REQUEST = "reorder_request"
    SUPPLIER_ADD = "supplier_add"
    SUPPLIER_EDIT = "supplier_edit"
    OFFER_ADD = "offer_add"
    OFFER_EDIT = "offer_edit"
    REORDER_LEVELS = "reorder_levels"


class BlockId(StrEnum):
    # parts
    PART = "part"
    PART_NUMBER = "part_number"
    NAME = "name"
    DESCRIPTION = "description"
    CATEGORY = "category"
    MANUFACTURER = "manufacturer"
    UNIT = "unit_of_measure"
    LOCATION = "location"
    MINIMUM = "minimum_stock_level"
    INITIAL_STOCK = "quantity_in_stock"
    CRITICAL = "is_critical"
    INSTRUMENTS = "instrument_ids"
    # stock moves
    QUANTITY = "quantity"
    REASON = "reason"
    INSTRUMENT = "instrument"
    # instruments
    MODEL = "model"
    SERIAL_NUMBER = "serial_number"
    STATUS = "status"
    NOTE = "note"
    MAINTENANCE_DUE = "next_maintenance_due"
    CALIBRATION_DUE = "next_calibration_due"
    MAINTENANCE_INTERVAL = "maintenance_interval_days"
    CALIBRATION_INTERVAL = "calibration_interval_days"
    # importing a file
    IMPORT_UPLOAD = "file"
    IMPORT_KIND = "kind"
    DEACTIVATE_MISSING = "deactivate_missing"
    IMPORT_ACTIONS = "import_actions"
    # message blocks the listeners may look for
    PAGER = "pager"
    PART_ACTIONS = "part_actions"
    INSTRUMENT_ACTIONS = "instrument_actions"
    HOME_ACTIONS = "home_actions"
    ALERT_ACTIONS = "alert_actions"
    # alerts and their routes
    SEVERITY = "severity"
    MESSAGE = "message"
    CHANNEL = "channel"
    KIND = "kind"
    TARGET = "target"
    # reorder requests
    SUPPLIER = "supplier"
    URGENCY = "urgency"
    ORDER_NUMBER = "order_number"
    EXPECTED_ON = "expected_on"
    UNIT_PRICE = "unit_price"
    CURRENCY = "currency"
    CONFIRM_OVER = "confirm_over"
    ORDER_ACTIONS = "order_actions"
    # accounts
    USERNAME = "username"
    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    EMAIL = "email"
    ROLE = "role"
    PHONE = "phone"
    DEPARTMENT = "department"
    POSITION = "position"
    NOTES = "notes"
    SLACK_USER = "slack_user_id"
    # reorder requests, suppliers and offers
    WEBSITE = "website"
    ACCOUNT_NUMBER = "account_number"
    ACTIVE = "is_active"
    SUPPLIER_PART_NUMBER = "supplier_part_number"
    PACK_SIZE = "pack_size"
    MINIMUM_ORDER = "minimum_order"
    LEAD_TIME = "lead_time_days"
    ORDER_URL = "order_url"
    PREFERRED = "is_preferred"
    REORDER_QUANTITY = "reorder_quantity"
    TARGET_STOCK = "target_stock"
    OFFERS = "offers"
    ACCOUNT_ACTIONS = "account_actions"
    MINIMUM_ACTIONS = "minimum_actions"
