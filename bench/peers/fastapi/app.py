"""The original Python system, as the tutorial writes it: FastAPI + SQLAlchemy 2 asyncio
(asyncpg or aiosqlite) + pydantic response models, served by uvicorn. Same tables and JSON as
the Quarry service. DATABASE_URL selects the backend."""
import os
from datetime import datetime, timezone

from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel, ConfigDict, field_serializer
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

DATABASE_URL = os.environ["DATABASE_URL"]
engine = create_async_engine(DATABASE_URL) if DATABASE_URL.startswith("sqlite") else create_async_engine(DATABASE_URL, pool_size=10, max_overflow=10)
SessionLocal = async_sessionmaker(engine, expire_on_commit=False)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String)
    email: Mapped[str] = mapped_column(String, unique=True)
    created_at: Mapped[datetime]


class Post(Base):
    __tablename__ = "posts"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str]
    body: Mapped[str]
    created_at: Mapped[datetime]


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    email: str
    created_at: datetime

    @field_serializer("created_at")
    def _ts(self, value: datetime) -> datetime:
        return _utc(value)


class PostOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    user_id: int
    title: str
    body: str
    created_at: datetime

    @field_serializer("created_at")
    def _ts(self, value: datetime) -> datetime:
        return _utc(value)


class Combined(BaseModel):
    user: UserOut
    posts: list[PostOut]


app = FastAPI()


async def get_db():
    async with SessionLocal() as session:
        yield session


@app.get("/user/{user_id}", response_model=UserOut)
async def read_user(user_id: int, db: AsyncSession = Depends(get_db)):
    user = (await db.execute(select(User).where(User.id == user_id))).scalar_one_or_none()
    if user is None:
        raise HTTPException(status_code=404, detail="User not found")
    return user


@app.get("/user/{user_id}/posts", response_model=list[PostOut])
async def read_posts(user_id: int, db: AsyncSession = Depends(get_db)):
    return (await db.execute(select(Post).where(Post.user_id == user_id).order_by(Post.id))).scalars().all()


@app.get("/user/{user_id}/combined", response_model=Combined)
async def read_combined(user_id: int, db: AsyncSession = Depends(get_db)):
    # The tutorial runs both queries with asyncio.gather on one AsyncSession, which SQLAlchemy
    # refuses; two sessions per request deadlock the pool under load (each request holds one
    # connection and waits for a second). What works is one query after the other.
    user = (await db.execute(select(User).where(User.id == user_id))).scalar_one_or_none()
    if user is None:
        raise HTTPException(status_code=404, detail="User not found")
    posts = (await db.execute(select(Post).where(Post.user_id == user_id).order_by(Post.id))).scalars().all()
    return Combined(user=UserOut.model_validate(user), posts=[PostOut.model_validate(p) for p in posts])


@app.get("/health")
async def health():
    return {"status": "ok"}
