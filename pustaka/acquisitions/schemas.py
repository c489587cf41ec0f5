"""Request and response schemas of the acquisitions API."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from pustaka.core.api import AmountIn, InSchema, QuerySchema

from .choices import OrderStatus, SuggestionStatus


class AcqVendorOut(Schema):
    id: int
    name: str
    contact_name: str
    email: str
    phone: str
    address: str
    is_active: bool


class AcqVendorIn(InSchema):
    name: str = Field(..., max_length=200)
    contact_name: str = Field("", max_length=150)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    address: str = Field("", max_length=1000)
    note: str = Field("", max_length=300)
    is_active: bool = True


class AcqFundOut(Schema):
    """A fund with its figures (computed): encumbered (ordered, still to come), spent (received), available."""

    id: int
    code: str
    name: str
    year: int
    budget: Decimal
    encumbered: Decimal
    spent: Decimal
    available: Decimal
    is_active: bool


class AcqFundIn(InSchema):
    code: str = Field(..., max_length=16)
    name: str = Field(..., max_length=150)
    year: int = Field(..., ge=1900, le=2200)
    budget: AmountIn = Field(..., ge=0, description="Rupiah; `25.000.000` or `25000000`.")
    is_active: bool = True


class AcqLineOut(Schema):
    id: int
    record_id: int
    title: str
    copies: int
    received: int
    cancelled: int
    outstanding: int
    branch: str
    item_type: str
    price: Decimal
    fund_id: int

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.record.title

    @staticmethod
    def resolve_branch(obj) -> str:
        return obj.branch.code

    @staticmethod
    def resolve_item_type(obj) -> str:
        return obj.item_type.code


class AcqOrderOut(Schema):
    id: int
    number: str
    vendor_id: int
    vendor: str
    status: str
    status_label: str
    expected_by: date | None
    sent_at: datetime | None
    claim_count: int
    last_claimed_at: datetime | None
    note: str

    @staticmethod
    def resolve_vendor(obj) -> str:
        return obj.vendor.name

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(OrderStatus(obj.status).label)


class AcqOrderDetailOut(AcqOrderOut):
    lines: list[AcqLineOut]

    @staticmethod
    def resolve_lines(obj) -> list:
        from .queries import order_lines

        return list(order_lines(obj))


class AcqOrderFilters(QuerySchema):
    status: OrderStatus | None = None
    late: bool = Field(False, description="Only orders past their expected date.")


class AcqOrderIn(InSchema):
    vendor_id: int
    expected_by: date | None = None
    note: str = Field("", max_length=500)


class AcqLineIn(InSchema):
    record_id: int
    copies: int = Field(..., ge=1, le=500)
    branch: str = Field(..., max_length=16, description="Branch code.")
    item_type: str = Field(..., max_length=16, description="Item type code.")
    price: AmountIn = Field(..., ge=0, description="Price per copy; `85.000` or `5.000,50`.")
    fund_id: int


class AcqSendIn(InSchema):
    email: bool = Field(False, description="Also email the order's PDF to the vendor.")


class AcqReasonIn(InSchema):
    reason: str = Field(..., max_length=300)


class AcqCancelLineIn(AcqReasonIn):
    copies: int | None = Field(None, ge=1, le=500, description="How many; all still to come when left out.")


class AcqClaimIn(InSchema):
    note: str = Field("", max_length=300)


class AcqReceiveIn(InSchema):
    barcodes: dict[int, list[str]] = Field(default_factory=dict, description="Line id → barcodes scanned.")
    counts: dict[int, int] = Field(default_factory=dict, description="Line id → copies whose barcodes are made.")
    note: str = Field("", max_length=200)


class AcqReceivedOut(Schema):
    delivery_id: int
    barcodes: list[str]
    waiting_for_call_number: list[str]
    order: AcqOrderOut


class AcqInvoiceLineIn(InSchema):
    line_id: int
    copies: int = Field(..., ge=1, le=500)
    amount: AmountIn = Field(..., ge=0)


class AcqInvoiceIn(InSchema):
    vendor_id: int
    number: str = Field(..., max_length=60)
    date: date
    amount: AmountIn = Field(..., ge=0)
    lines: list[AcqInvoiceLineIn] = Field(default_factory=list)


class AcqInvoiceOut(Schema):
    id: int
    vendor_id: int
    number: str
    date: date
    amount: Decimal
    paid_on: date | None


class AcqSuggestionOut(Schema):
    id: int
    title: str
    author: str
    isbn: str
    reason: str
    status: str
    status_label: str
    created_at: datetime
    rejection_reason: str
    order_number: str | None

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(SuggestionStatus(obj.status).label)

    @staticmethod
    def resolve_order_number(obj) -> str | None:
        return obj.order_line.order.number if obj.order_line_id else None


class AcqStaffSuggestionOut(AcqSuggestionOut):
    patron_card: str

    @staticmethod
    def resolve_patron_card(obj) -> str:
        return obj.patron.card_number


class AcqSuggestionFilters(QuerySchema):
    status: SuggestionStatus | None = None


class AcqSuggestionIn(InSchema):
    title: str = Field(..., max_length=300)
    author: str = Field("", max_length=200)
    isbn: str = Field("", max_length=17)
    reason: str = Field("", max_length=500)


class AcqAcceptIn(InSchema):
    order_id: int
    fund_id: int
    price: AmountIn = Field(..., ge=0)
    branch: str = Field(..., max_length=16)
    item_type: str = Field(..., max_length=16)
    copies: int = Field(1, ge=1, le=500)
    record_id: int | None = None
