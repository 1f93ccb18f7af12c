"""Refunds. refund_order is the gateway incident's shape; refund_order_bulk is its fix."""
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, joinedload

from .models import Event, Order, OrderSummary, Payment


def mark_payment(session: Session, payment_id: int, state: str) -> None:
    # A per-row setter that locks its row: fine alone, a lock cascade when called in a loop.
    payment = session.get(Payment, payment_id, with_for_update=True)  # lockscope: site
    payment.state = state


def refund_order(session: Session, order_id: int) -> None:
    with session.begin():
        order = session.get(Order, order_id, with_for_update=True)  # lockscope: site  lockscope: finding row-lock-without-timeout
        for payment in order.payments:
            mark_payment(session, payment.id, "refunded")  # lockscope: finding cascading-row-locks
        session.add(Event(occurred_at=datetime.now(), kind="refund", order_id=order_id))  # lockscope: site


def refund_order_bulk(session: Session, order_id: int) -> None:
    with session.begin():
        session.execute(select(Order).where(Order.id == order_id).with_for_update(nowait=True))  # lockscope: site
        session.execute(update(Payment).where(Payment.order_id == order_id).values(state="refunded"))  # lockscope: site


def order_page(session: Session, customer_id: int) -> list[Order]:
    stmt = select(Order).where(Order.customer_id == customer_id).options(joinedload(Order.customer)).limit(20)
    return list(session.scalars(stmt))  # lockscope: site


def summary(session: Session, order_id: int) -> OrderSummary | None:
    return session.get(OrderSummary, order_id)  # lockscope: site


def refunds_today(session: Session) -> int:
    # No condition on occurred_at: every monthly partition and its indexes are locked.
    return session.scalar(select(func.count()).select_from(Event).where(Event.kind == "refund"))  # lockscope: site  lockscope: finding partition-without-pruning
