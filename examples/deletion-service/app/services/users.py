import logging

from sqlalchemy.orm import Session

from app.entities import User
from app.repositories.users import UserRepository
from app.services.errors import Conflict, NotFound

logger = logging.getLogger(__name__)


class UserService:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.users = UserRepository(session)

    def register(self, *, email: str, full_name: str, country: str) -> User:
        email = email.strip().lower()
        if self.users.get_by_email(email) is not None:
            raise Conflict(f"a user with email {email} already exists")
        user = self.users.add(User(email=email, full_name=full_name, country=country.upper()))
        self.session.commit()
        logger.info("registered user %s", user.id)
        return user

    def get(self, user_id: int) -> User:
        user = self.users.get(user_id)
        if user is None:
            raise NotFound(f"user {user_id} not found")
        return user
