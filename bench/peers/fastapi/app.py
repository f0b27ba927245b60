"""The original Python system, as the tutorial writes it: FastAPI + SQLAlchemy 2 asyncio
(asyncpg or aiosqlite) + pydantic response models, served by uvicorn. Same tables, routes and
JSON as the Quarry service (bench/run measures the three read routes; scripts/differential
compares every route). DATABASE_URL selects the backend."""
import os
from datetime import datetime, timezone
from typing import Annotated, Optional

from fastapi import Depends, FastAPI, HTTPException, Query, Response
from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_serializer
from sqlalchemy import DateTime, ForeignKey, String, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

DATABASE_URL = os.environ["DATABASE_URL"]
engine = create_async_engine(DATABASE_URL) if DATABASE_URL.startswith("sqlite") else create_async_engine(DATABASE_URL, pool_size=10, max_overflow=10)
SessionLocal = async_sessionmaker(engine, expire_on_commit=False)


class Base(DeclarativeBase):
    # The tables are Quarry's (TIMESTAMPTZ on PostgreSQL): aware datetimes in and out.
    type_annotation_map = {datetime: DateTime(timezone=True)}


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


class UserStats(Base):
    __tablename__ = "user_stats"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    post_count: Mapped[int]
    last_post_at: Mapped[Optional[datetime]]


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


class StatsOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    user_id: int
    post_count: int
    last_post_at: Optional[datetime]

    @field_serializer("last_post_at")
    def _ts(self, value: Optional[datetime]) -> Optional[datetime]:
        return _utc(value) if value else None


# PostgreSQL cannot store NUL in text; the Quarry service refuses it on every backend.
NO_NUL = r"^[^\x00]*$"
Name = Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]


class UserCreate(BaseModel):
    name: Name
    email: EmailStr


class UserUpdate(BaseModel):
    name: Optional[Name] = None
    email: Optional[EmailStr] = None


class PostCreate(BaseModel):
    title: Annotated[str, Field(min_length=1, max_length=300, pattern=NO_NUL)]
    body: Annotated[str, Field(max_length=100_000, pattern=NO_NUL)]


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


@app.get("/users", response_model=list[UserOut])
async def list_users(
    limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0), db: AsyncSession = Depends(get_db)
):
    return (await db.execute(select(User).order_by(User.id).limit(limit).offset(offset))).scalars().all()


@app.post("/users", response_model=UserOut, status_code=201)
async def create_user(data: UserCreate, db: AsyncSession = Depends(get_db)):
    user = User(name=data.name, email=data.email, created_at=datetime.now(timezone.utc))
    db.add(user)
    try:
        await db.commit()
    except IntegrityError:
        raise HTTPException(status_code=409, detail="Email already registered")
    return user


@app.patch("/user/{user_id}", response_model=UserOut)
async def update_user(user_id: int, data: UserUpdate, db: AsyncSession = Depends(get_db)):
    user = await db.get(User, user_id)
    if user is None:
        raise HTTPException(status_code=404, detail="User not found")
    if data.name is not None:
        user.name = data.name
    if data.email is not None:
        user.email = data.email
    try:
        await db.commit()
    except IntegrityError:
        raise HTTPException(status_code=409, detail="Email already registered")
    return user


@app.delete("/user/{user_id}", status_code=204)
async def delete_user(user_id: int, db: AsyncSession = Depends(get_db)):
    if await db.get(User, user_id) is None:
        raise HTTPException(status_code=404, detail="User not found")
    await db.execute(delete(UserStats).where(UserStats.user_id == user_id))
    await db.execute(delete(Post).where(Post.user_id == user_id))
    await db.execute(delete(User).where(User.id == user_id))
    await db.commit()
    return Response(status_code=204)


@app.get("/user/{user_id}/stats", response_model=StatsOut)
async def read_stats(user_id: int, db: AsyncSession = Depends(get_db)):
    if await db.get(User, user_id) is None:
        raise HTTPException(status_code=404, detail="User not found")
    stats = await db.get(UserStats, user_id)
    return stats or StatsOut(user_id=user_id, post_count=0, last_post_at=None)


async def _refresh_stats(db: AsyncSession, user_id: int) -> None:
    count, last = (
        await db.execute(select(func.count(Post.id), func.max(Post.created_at)).where(Post.user_id == user_id))
    ).one()
    if isinstance(last, str):  # SQLite returns max() of a datetime column as text
        last = datetime.fromisoformat(last)
    await db.merge(UserStats(user_id=user_id, post_count=count, last_post_at=last))
    await db.commit()


@app.post("/user/{user_id}/posts", response_model=PostOut, status_code=201)
async def create_post(user_id: int, data: PostCreate, db: AsyncSession = Depends(get_db)):
    if await db.get(User, user_id) is None:
        raise HTTPException(status_code=404, detail="User not found")
    post = Post(user_id=user_id, title=data.title, body=data.body, created_at=datetime.now(timezone.utc))
    db.add(post)
    await db.commit()
    await _refresh_stats(db, user_id)
    return post


@app.get("/posts/{post_id}", response_model=PostOut)
async def read_post(post_id: int, db: AsyncSession = Depends(get_db)):
    post = await db.get(Post, post_id)
    if post is None:
        raise HTTPException(status_code=404, detail="Post not found")
    return post


@app.delete("/posts/{post_id}", status_code=204)
async def delete_post(post_id: int, db: AsyncSession = Depends(get_db)):
    post = await db.get(Post, post_id)
    if post is None:
        raise HTTPException(status_code=404, detail="Post not found")
    user_id = post.user_id
    await db.delete(post)
    await db.commit()
    await _refresh_stats(db, user_id)
    return Response(status_code=204)
