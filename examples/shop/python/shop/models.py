"""The shop's SQLAlchemy models (tables in ../../schema.sql)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Customer(Base):
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str]
    orders: Mapped[list[Order]] = relationship("Order", back_populates="customer")


class Order(Base):
    # The hot table: 22 indexes, so any statement on it needs 23 relation locks.
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    status: Mapped[str]
    total_cents: Mapped[int]
    customer: Mapped[Customer] = relationship("Customer", back_populates="orders")
    items: Mapped[list[OrderItem]] = relationship("OrderItem")
    payments: Mapped[list[Payment]] = relationship("Payment")


class OrderItem(Base):
    __tablename__ = "order_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    product_id: Mapped[int]
    quantity: Mapped[int]


class Payment(Base):
    __tablename__ = "payments"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    amount_cents: Mapped[int]
    state: Mapped[str]


class Event(Base):
    # Range-partitioned by month on occurred_at.
    __tablename__ = "events"
    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(primary_key=True)
    kind: Mapped[str]
    order_id: Mapped[int | None]


class OrderSummary(Base):
    # A view over orders, customers and order_items.
    __tablename__ = "order_summaries"
    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str]
